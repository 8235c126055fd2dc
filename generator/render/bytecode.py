"""Compiled Jinja templates (ours and the MkDocs theme's), kept so that no process compiles them twice.

MkDocs makes a new Jinja environment for every site, and compiling Material's
templates afresh cost each site more than its pages did; every build process
compiled our page templates again too. Compiled code is kept in this process's
memory and in Jinja's own per-user cache folder (FileSystemBytecodeCache's
default: a folder in the temporary directory that Jinja creates for this user
alone, mode 0700, and refuses to use if anyone else could write to it). Never
beside a study's content: code kept there would run whatever a cloned
repository put there. Jinja checks each template's source against the checksum
stored with its code, so an edited template is compiled again.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Memory first, then the per-user folder (``disk``; None: memory only)."""

    def __init__(self, disk: BytecodeCache | None = None) -> None:
        self._code: dict[str, bytes] = {}
        self.disk = disk

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])
        elif self.disk is not None:
            try:
                self.disk.load_bytecode(bucket)
            except (OSError, ValueError, EOFError):
                bucket.reset()  # unreadable: compiled again
            if bucket.code is not None:
                self._code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError:
                pass  # a full or read-only temporary folder: memory only


def _per_user_folder() -> BytecodeCache | None:
    try:
        return FileSystemBytecodeCache()  # Jinja checks the folder is this user's alone
    except (OSError, RuntimeError):
        return None


COMPILED = CompiledTemplates(_per_user_folder())
