"""What was worked out from one document, kept for the next build while the document is unchanged.

Loading a document (its front matter, extracts, speaker turns and blocks) and
the checks that read one document at a time depend only on its bytes, its
path and, for some checks, a digest of what they look for (the names of the
other LAs). Each result is kept in ``.cache/documents`` under a hash of those
and of the tool's own code, so a rebuild parses and checks again only the
files that changed. Nothing is written until the build is known to go ahead
(a refused build writes nothing); records not used by the last load are then
removed, so the folder holds one study's worth. They are pickles, as the page records beside
them: the cache folder is the build's own, never content.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from ..output import write_file_atomically

MISSING = object()
_BROKEN = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError)


class DocumentRecords:
    """A folder of records by key; with no folder, nothing is kept and every lookup misses."""

    def __init__(self, folder: Path | None):
        from ..fingerprint import tool_digest

        self.folder = folder
        self.salt = tool_digest().encode() if folder is not None else b""
        self.used: set[str] = set()
        self.pending: dict[str, bytes] = {}

    def key(self, *parts: str | bytes) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big") + data)  # lengths first: no two lists of parts collide
        return digest.hexdigest()

    def get(self, key: str, kind: type) -> Any:
        """The value of type ``kind`` kept under ``key``, or MISSING."""
        if self.folder is None or not key:
            return MISSING
        self.used.add(key)
        try:
            with (self.folder / key).open("rb") as handle:
                value = pickle.load(handle)
        except _BROKEN:
            return MISSING  # none yet, or one an older tool wrote
        return value if isinstance(value, kind) else MISSING

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` under ``key``: written by :meth:`save`, once the build is known to go ahead."""
        if self.folder is None or not key:
            return
        self.used.add(key)
        self.pending[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Write the new records and remove those this load did not use (earlier versions of documents)."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for key, data in self.pending.items():
                write_file_atomically(self.folder / key, data)
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    if entry.name not in self.used and not entry.name.startswith("."):
                        os.unlink(entry.path)
        except OSError:
            pass  # a cache folder the build may not write to only means the work is done again
        self.pending.clear()
