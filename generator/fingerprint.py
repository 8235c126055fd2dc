"""Whether a build would only make what is already there.

A build reads the content folder, the register of identifiers, an optional
``mkdocs.yml`` beside the content, the tool's own code and templates and the
versions of the libraries it uses, and its options. The fingerprint is a
hash of all of them. After each build a record beside the chart cache
(``.cache/builds/``, never inside a site, which is handed to others) keeps
the fingerprint, a digest of every file the build published, and its
warnings. A build whose fingerprint matches and whose output is still exactly
what was published does nothing, says so, and repeats the warnings.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

RECORDS = "builds"


@functools.lru_cache(maxsize=1)
def tool_digest() -> str:
    """The tool's code, templates and assets, and the versions of what it builds with."""
    from . import __version__
    from .report import versions

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{__version__}{sorted(versions().items())}".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _register(content: Path) -> Path:
    """Where project.md says the register is (the default when it cannot tell)."""
    try:
        text = (content / "project.md").read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---", 2)[1]) if text.startswith("---") else {}
        name = front.get("identifier_register") if isinstance(front, dict) else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError, IndexError):
        name = None
    return content.parent / (name if isinstance(name, str) else "private/identifiers.txt")


def _tree(digest: Any, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def settings_digest(content: Path, options: dict[str, Any]) -> str:
    """A hash of what every site of a build reads besides the content: the tool, options, register, mkdocs.yml."""
    digest = hashlib.sha256(tool_digest().encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for extra in (_register(content), content.resolve().parent / "mkdocs.yml"):
        digest.update(extra.name.encode())
        digest.update(hashlib.sha256(extra.read_bytes()).digest() if extra.is_file() else b"absent")
    return digest.hexdigest()


def inputs_fingerprint(content: Path, options: dict[str, Any]) -> str:
    """A hash of everything the build of ``content`` with ``options`` reads."""
    digest = hashlib.sha256(settings_digest(content, options).encode())
    _tree(digest, content)
    return digest.hexdigest()


def output_digest(folder: Path) -> str:
    """A hash of every file in a built output folder, names and bytes."""
    digest = hashlib.sha256()
    _tree(digest, folder)
    return digest.hexdigest()


def record_path(cache: Path, target: Path) -> Path:
    key = hashlib.sha256(os.path.realpath(os.path.abspath(target)).encode()).hexdigest()[:24]
    return cache / RECORDS / f"{key}.json"


def unchanged(cache: Path, target: Path, fingerprint: str) -> list[str] | None:
    """The warnings of the last build if ``target`` holds what a build with ``fingerprint`` makes, else None."""
    try:
        record = json.loads(record_path(cache, target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("inputs") != fingerprint or not target.is_dir():
        return None
    if record.get("stats"):
        if output_stats(target) != record["stats"]:
            return None  # a file written, replaced or removed since (or one too new to trust its time)
    elif record.get("output") != output_digest(target):
        return None  # someone changed the published site: build it again
    warnings = record.get("warnings")
    return [str(w) for w in warnings] if isinstance(warnings, list) else []


def output_stats(folder: Path) -> str:
    """What the output folder holds, told by each file's name, size, times and inode, as reuse trusts a
    kept site's files (the build reports, rewritten by every build, by their bytes); "" when a file is too
    new for its time to tell an edit made now."""
    from .reuse import folder_stats

    stats = folder_stats(folder, [])
    if not stats:
        return ""
    digest = hashlib.sha256(stats.encode())
    for report in sorted(folder.rglob("build-report.json")):
        digest.update(report.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(report.read_bytes()).digest())
    return digest.hexdigest()


def remember(cache: Path, target: Path, fingerprint: str, warnings: list[str]) -> None:
    """Record that ``target`` holds the build of ``fingerprint``: by its files' stat, or, while some are too
    new for that, by every file's bytes."""
    from .output import write_file_atomically

    stats = output_stats(target)
    path = record_path(cache, target)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomically(path, json.dumps({"inputs": fingerprint, "stats": stats,
                                            "output": "" if stats else output_digest(target),
                                            "warnings": warnings}).encode())
