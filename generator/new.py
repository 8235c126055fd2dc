"""`generator new DIR`: a minimal study that passes `check` and builds, ready for a team's own content.

The starter (generator/starter) holds one LA, one site, one transcript with
coded extracts, three codes in two themes (one a child of another) and one code
document, with a README for the team, a .gitignore that keeps `private/` and
built sites out of git, and a CI workflow that checks, builds the public sites
and publishes them. `--example` puts the full demo study in `content/` instead
(from a source checkout: the installed package carries only the starter).
The folder is written beside its target and moved into place whole.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .errors import UserError

STARTER = Path(__file__).resolve().parent / "starter"
DEMO = Path(__file__).resolve().parents[1] / "content"
# Dotfiles are kept under plain names in the package (wheels' globs skip hidden files).
_RENAMED = {"gitignore": ".gitignore", "github": ".github"}
_REGISTER = """\
# The register of identifiers: real names, addresses and other details that must never appear in content.
# One per line; `generator check` fails wherever one appears, however it is spelled. Never commit this file.
"""


def new_study(target: Path, example: bool = False) -> list[Path]:
    """Write a new study folder at ``target``; return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError(f"{target}: already exists and is not an empty folder; give a new folder for the study")
    if example and not (DEMO / "project.md").is_file():
        raise UserError("--example: the full demo comes with the source repository, not the installed package; "
                        "run `generator new` without it for the starter study")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for entry in STARTER.iterdir():
            if entry.name == "__pycache__":
                continue
            destination = work / _RENAMED.get(entry.name, entry.name)
            if entry.name == "content" and example:
                shutil.copytree(DEMO, destination)
            elif entry.is_dir():
                shutil.copytree(entry, destination)
            else:
                shutil.copy2(entry, destination)
        (work / "private").mkdir()
        (work / "private" / "identifiers.txt").write_text(_REGISTER, encoding="utf-8")
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return sorted(path for path in target.rglob("*") if path.is_file())
