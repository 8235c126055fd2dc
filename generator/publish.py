"""Swap a freshly built folder into place so the previous site is never half-replaced.

On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call: at every
instant the target is either the old site or the new one. Elsewhere two
renames are used, and a build that dies between them is repaired by the
next build (the old site is moved back).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_dir(target: Path) -> Path:
    """Return a fresh folder beside ``target`` (same file system, so renames are atomic)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = target.parent / f".{target.name}.building-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    return staging


def recover(target: Path) -> None:
    """Undo what an interrupted build left beside ``target``."""
    parent = target.parent
    old = parent / f".{target.name}.old"
    if old.exists() and not target.exists():
        os.rename(old, target)  # died between the two renames of the fallback swap
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    for leftover in parent.glob(f".{target.name}.building-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False if the platform cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def publish(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``, replacing what was there, and remove the old copy."""
    target = target.resolve()
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the previous site
        return
    old = target.parent / f".{target.name}.old"
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old)
