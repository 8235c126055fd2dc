"""docs/first-study.md runs as written: each of its sh blocks, in order, in one shell."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "first-study.md"


def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 6
    script = "\n".join([
        "set -euo pipefail",
        f'generator() {{ "{sys.executable}" -m generator "$@"; }}',  # the installed command, from this checkout
        "git() { command git -c user.name=Test -c user.email=test@example.org \"$@\"; }",
        *blocks,
    ])
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert "check found the problem" in done.stdout
    assert "unknown code 'access.wating' (did you mean 'access.waiting'?)" in done.stderr
    study = tmp_path / "my-study"
    assert (study / "site" / "index.html").is_file()
    source = (study / "site" / "la" / "my-la" / "sources" / "interview-01.html").read_text(encoding="utf-8")
    assert "A fortnight at most" in source
    public = "".join(p.read_text(encoding="utf-8") for p in (study / "public").rglob("*.html"))
    assert "A fortnight at most" not in public and "very few find us on their own" not in public
    assert shutil.which("bash")
