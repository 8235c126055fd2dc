"""Where a build may write: refuse an ``--out`` that would replace the content or someone's files.

A build replaces its output folder whole, so the folder must be one this
tool made (or not exist yet). "Made by the tool" is decided by
construction: every build writes ``build-report.json`` at its root naming
the tool, and a folder without one (in it or in a folder around it) is
not ours to replace. Nothing here writes anything; it runs before the
build touches the file system.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable

from .errors import OutputError

MARKER = "build-report.json"  # written at the root of every build, full or --la


def _real(path: Path) -> Path:
    """The absolute path with every symlink followed (also for parts that do not exist yet)."""
    return Path(os.path.realpath(os.path.abspath(path)))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def made_by_tool(folder: Path) -> bool:
    """True if ``folder`` holds the build report this tool writes at the root of every site."""
    report = folder / MARKER
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("tool"), dict) and data["tool"].get("name") == "generator"


def protected_folders(content: Path, register: Path | None = None) -> list[tuple[Path, str]]:
    """The folders a build must never write into or replace, with what each one is."""
    content = _real(content)
    project = content.parent
    folders = [(content, "the content folder"), (project / ".cache", "the chart cache"),
               (project / "private", "the private folder (the register of identifiers)")]
    if register is not None:
        holder = _real(register).parent
        if not _inside(content, holder):  # a register beside the content protects its own folder
            folders.append((holder, "the folder of the register of identifiers"))
    return folders


def check_target(target: Path, content: Path, register: Path | None = None) -> None:
    """Raise :class:`OutputError` (one line) if a build must not write to ``target``."""
    shown = target.as_posix()
    real = _real(target)
    for folder, what in protected_folders(content, register):
        if _inside(real, folder):
            where = "is" if real == folder else "lies inside"
            raise OutputError(f"--out {shown}: {where} {what} ({folder}); choose a folder outside it, such as site/")
        if _inside(folder, real):
            raise OutputError(f"--out {shown}: holds {what} ({folder}), which the build would replace; "
                              "choose a folder of its own, such as site/")
    if register is not None and _inside(_real(register), real):
        raise OutputError(f"--out {shown}: holds the register of identifiers; choose a folder of its own, such as site/")
    if real.exists() and not real.is_dir():
        raise OutputError(f"--out {shown}: is a file, not a folder; choose a folder (it is created if missing)")
    for above in real.parents:
        if above.exists():
            if not above.is_dir():
                raise OutputError(f"--out {shown}: {above} is a file, so no folder can be made under it; choose another --out")
            break
    if real.is_dir() and _not_empty(real) and not any(made_by_tool(f) for f in (real, *real.parents)):
        raise OutputError(f"--out {shown}: folder holds files this tool did not make (no {MARKER}), which a build "
                          "would delete; choose an empty or new folder")


def _not_empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return any(True for _ in entries)


def check_file_target(target: Path, content: Path, register: Path | None = None) -> None:
    """Raise :class:`OutputError` if an export must not write the file ``target``: never into the content,
    the cache or the register's folder (symlinks followed)."""
    real = _real(target)
    for folder, what in protected_folders(content, register):
        if _inside(real, folder):
            raise OutputError(f"--out {target.as_posix()}: lies inside {what} ({folder}); write exports outside it")
    if real.is_dir():
        raise OutputError(f"--out {target.as_posix()}: is a folder; give a file name")
    if not real.parent.is_dir():
        raise OutputError(f"--out {target.as_posix()}: {real.parent} is not a folder; no such folder to write in")


def write_file_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` beside ``target`` and move it into place: a reader sees the old file or the new, never half."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")  # two writers never share one
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def value_digest(*values: Any) -> bytes:
    """A SHA-256 of plain values (numbers, text, lists, dicts, dataclasses) through pickle without its memo,
    so equal values give equal bytes whatever objects they share; several times faster than JSON on long
    lists of numbers. A key for caches of things made from the values, never a way to read them back."""
    import hashlib
    import io
    import pickle

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on the values alone
    pickler.dump(values)
    return hashlib.sha256(buffer.getvalue()).digest()


def cached_bytes(folder: Path | None, name: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, kept in ``folder`` under ``name`` (a hash of everything that decides it) and read from
    there when the same thing was made before; a folder the build may not write to only means it is made."""
    if folder is None:
        return make()
    path = folder / name
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_file_atomically(path, data)
    except OSError:
        pass
    return data

