"""Pages an earlier build rendered, reused while what they read is unchanged.

Every page of a site is rendered from the site's resolved model. All pages
but two kinds read it without the prose of its sources (their text outside
the coded extracts) and without the build report's file hashes: while they
render, that prose is not there and the report cannot be read
(``_reading``). Their text is therefore a function of the site's *context*,
the digest of its inputs with each source's prose left out
(``prose_free_digest``). A source's own page also reads that source's prose;
the build report reads every file. So an edit to a source's prose renders
its page and the build report again and takes every other page, with the
charts and downloads it added to the site, from the record of the last build.
When the context has changed, every page is rendered again.

Records live in ``.cache/pages``, one per site and audience, named by
neither path nor content a reader could choose. They are pickles, as
Jinja's bytecode cache beside them holds compiled code: the cache folder is
the build's own, never content.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from ..output import write_file_atomically

CONTEXT = "context"  # a page that reads neither sources' prose nor the build report
REPORT = "report"  # the build report, which hashes every file


def prose_of(source_id: str) -> str:
    """What a source's own page reads besides the context (never equal to CONTEXT or REPORT)."""
    return f"source:{source_id}"


@dataclass
class PageTask:
    """Pages to render, and what they read besides the context: a source's prose (its id) or the report."""

    reads: str  # CONTEXT, REPORT or prose_of(a source id)
    render: Callable[[], list[Any]]


@dataclass
class SiteInputs:
    """Digests of what a site's pages read, from the build's hashes of its files."""

    context: str
    every: str  # every input, prose included
    sources: dict[str, str] = field(default_factory=dict)  # source id -> digest of its file

    def key(self, reads: str) -> str:
        if reads == CONTEXT:
            return self.context
        part = self.every if reads == REPORT else self.sources.get(reads.removeprefix("source:"), "")
        return hashlib.sha256(f"{self.context}\0{reads}\0{part}".encode()).hexdigest()


@dataclass
class _Rendered:
    key: str
    pages: list[Any]
    charts: dict[str, Any]
    downloads: dict[str, bytes]


def prose_free_digest(source: Any) -> bytes:
    """What a page other than the source's own reads of a source: everything but the prose between extracts."""
    parsed = source.parsed
    digest = hashlib.sha256(source.model.model_dump_json().encode())
    digest.update(json.dumps([parsed.data, parsed.body_line, parsed.first_line], sort_keys=True, default=str).encode())
    digest.update(repr(sorted(parsed.lines.items())).encode())
    digest.update(repr(source.blocks).encode())
    for segment in source.segments:
        if segment.extract is not None:  # the prose between extracts, and how many runs of it, are left out
            digest.update(repr(segment).encode())
    return digest.digest()


def record_path(cache: Path, audience: str, key: str, language: str) -> Path:
    """Where the record of a site (the cross-case site or an LA's, in one language) for ``audience`` is kept."""
    name = hashlib.sha256(f"{audience}\0{key}\0{language}".encode()).hexdigest()[:32]
    return cache / "pages" / f"{name}.pickle"


def usable(path: Path, inputs: SiteInputs | None) -> bool:
    """Whether the record at ``path`` was made from the same context: every page but those reading prose reused."""
    return inputs is not None and _load(path, inputs.context, tasks=False) is not None


_BROKEN = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError)


def _load(path: Path, context: str, tasks: bool = True) -> list[_Rendered] | None:
    """The tasks recorded at ``path`` if they were rendered from ``context`` (read first, so a miss is cheap)."""
    try:
        with path.open("rb") as handle:
            if pickle.load(handle) != context:
                return None
            return pickle.load(handle) if tasks else []
    except _BROKEN:
        return None  # no record, or one an older tool wrote: render everything


def render_tasks(view: Any, tasks: list[PageTask], inputs: SiteInputs | None, path: Path | None) -> tuple[list[Any], int]:
    """Render each task's pages, or take them from the record at ``path``; return the pages and how many were reused.

    The record is written again, before the caller adds anything to the pages.
    """
    record = _load(path, inputs.context) if inputs is not None and path is not None else None
    if record is not None and len(record) != len(tasks):
        record = None
    done: list[_Rendered] = []
    reused = 0
    for index, task in enumerate(tasks):
        key = inputs.key(task.reads) if inputs is not None else ""
        old = record[index] if record is not None else None
        if old is not None and old.key == key:
            for name, data in old.charts.items():
                view.charts.charts.setdefault(name, data)
            for name, data in old.downloads.items():
                view.downloads.setdefault(name, data)
            done.append(old)
            reused += len(old.pages)
            continue
        charts, downloads = set(view.charts.charts), set(view.downloads)
        with _reading(view, task.reads):
            pages = task.render()
        done.append(_Rendered(key, pages,
                              {name: data for name, data in view.charts.charts.items() if name not in charts},
                              {name: data for name, data in view.downloads.items() if name not in downloads}))
    if inputs is not None and path is not None and reused < sum(len(r.pages) for r in done):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(path, pickle.dumps(inputs.context, protocol=pickle.HIGHEST_PROTOCOL)
                              + pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
    return [page for rendered in done for page in rendered.pages], reused


class _Unreadable:
    """The build report while pages that may not read it render."""

    def _refuse(self, *_: Any) -> Any:
        raise RuntimeError("a page that is reused while sources change read the build report")

    __getattr__ = __getitem__ = __iter__ = __bool__ = __len__ = _refuse


@contextmanager
def _reading(view: Any, reads: str) -> Iterator[None]:
    """The view as a page reading ``reads`` may see it: no source's prose but its own, the report only for it."""
    sources = {id(s): s for s in view.sources}
    sources.update({id(e.source): e.source for e in view.extracts_by_ref.values()})
    hidden = [(s, s.segments, s.parsed) for s in sources.values() if prose_of(s.model.id) != reads]
    report = view.report
    try:
        for source, segments, parsed in hidden:
            source.segments = [s for s in segments if s.extract is not None]
            source.parsed = replace(parsed, body="", text="")
        if reads != REPORT:
            view.report = _Unreadable()
        yield
    finally:
        view.report = report
        for source, segments, parsed in hidden:
            source.segments, source.parsed = segments, parsed
