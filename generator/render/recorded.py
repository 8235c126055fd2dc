"""Pages an earlier build rendered, reused while what they read is unchanged.

Every page of a site is rendered from the site's resolved model, as a task
that says what it reads beyond the site's *context*: a source's own page
reads that source's prose (its text between the coded extracts), the build
report reads every file, and every page may quote extracts. While a task
renders, the model holds no other prose, no extract's words except through
the site's table of extracts, which notes each one the task takes, and no
build report unless it is the report (``_Screen``). The context is the
digest of the site's inputs with the prose and the extracts' words left out
(``prose_free_digest``), so a task's output is a function of the context,
what it declares and the words of the extracts it took: its key.

An edit to a source's prose renders its page and the build report again; an
edit to an extract's words renders the pages that quote it (and the source's
page and the report); the other pages, with the charts and downloads they
added to the site, come from the record of the last build. Any other change
(front matter, consent, codes, a new extract, any other document) changes
the context, and every page is rendered again. A table or chart is computed
the first time a rendered page reads it (the extracts its computation took
are noted for every page that reads it); pages reused need none computed.

Records live in ``.cache/pages``, one per site and audience, named by a hash
a reader cannot choose. They are pickles, as Jinja's bytecode cache beside
them holds compiled code: the cache folder is the build's own, never content.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Iterator, Mapping
from typing import Any, Callable

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

    def key(self, reads: str, quotes: list[tuple[str, str]]) -> str:
        """The key of a task reading ``reads`` and the extracts ``quotes`` ((ref, digest of its words))."""
        part = (self.every if reads == REPORT else self.sources.get(reads.removeprefix("source:"), "")
                if reads != CONTEXT else "")
        digest = hashlib.sha256(f"{self.context}\0{reads}\0{part}".encode())
        for ref, words in quotes:
            digest.update(f"\0{ref}\0{words}".encode())
        return digest.hexdigest()


@dataclass
class _Rendered:
    key: str
    quotes: list[str]  # the extracts the task took, by ref
    pages: list[Any]
    charts: dict[str, Any]
    downloads: dict[str, bytes]


def prose_free_digest(source: Any) -> bytes:
    """What any page may read of a source: everything but the prose between extracts and the extracts' words
    (a page takes those from the site's table of extracts, which notes them)."""
    parsed = source.parsed
    digest = hashlib.sha256(source.model.model_dump_json().encode())
    digest.update(json.dumps([parsed.data, parsed.body_line, parsed.first_line], sort_keys=True, default=str).encode())
    digest.update(repr(sorted(parsed.lines.items())).encode())
    digest.update(repr(source.blocks).encode())
    for segment in source.segments:
        if segment.extract is not None:  # the prose between extracts, and how many runs of it, are left out
            digest.update(repr(replace(segment.extract, text="")).encode())
    return digest.digest()


def record_path(cache: Path, audience: str, key: str, language: str) -> Path:
    """Where the record of a site (the cross-case site or an LA's, in one language) for ``audience`` is kept."""
    name = hashlib.sha256(f"{audience}\0{key}\0{language}".encode()).hexdigest()[:32]
    return cache / "pages" / f"{name}.pickle"


_BROKEN = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError)


def _load(path: Path, context: str) -> list[_Rendered] | None:
    """The tasks recorded at ``path`` if they were rendered from ``context`` (read first, so a miss is cheap)."""
    try:
        with path.open("rb") as handle:
            if pickle.load(handle) != context:
                return None
            return pickle.load(handle)  # type: ignore[no-any-return]
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
    with _Screen(view) as screen:
        for index, task in enumerate(tasks):
            old = record[index] if record is not None else None
            if old is not None and inputs is not None and old.key == inputs.key(task.reads, screen.words(old.quotes)):
                for name, data in old.charts.items():
                    view.charts.charts.setdefault(name, data)
                for name, data in old.downloads.items():
                    view.downloads.setdefault(name, data)
                done.append(old)
                reused += len(old.pages)
                continue
            charts, downloads = set(view.charts.charts), set(view.downloads)
            quotes = screen.show(task.reads)
            pages = task.render()
            taken = sorted(quotes)
            done.append(_Rendered(inputs.key(task.reads, screen.words(taken)) if inputs is not None else "", taken, pages,
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


class _Noting(dict):  # type: ignore[type-arg]
    """The site's table of extracts, noting each extract a page takes from it (its words are a page input)."""

    taken: set[str]

    def __getitem__(self, ref: str) -> Any:
        self.taken.add(ref)
        return super().__getitem__(ref)

    def get(self, ref: str, default: Any = None) -> Any:
        self.taken.add(ref)
        return super().get(ref, default)

    def values(self) -> Any:
        self.taken.update(self)
        return super().values()

    def __iter__(self) -> Any:  # not dict's own: dict(table) and {**table} then read through __getitem__
        return super().__iter__()

    def items(self) -> Any:
        self.taken.update(self)
        return super().items()

    def copy(self) -> dict[str, Any]:
        self.taken.update(self)
        return dict(super().items())


class _Computed(Mapping[Any, Any]):
    """The site's computed values (tables and charts, evidence) while pages render. Each is computed the first
    time a page reads it (resolve.OnFirstRead), under the screen; the extracts its computation took are noted
    for every page that reads it, not only the first."""

    def __init__(self, values: Mapping[Any, Any], screen: _Screen) -> None:
        self.values, self.screen = values, screen
        self.took: dict[Any, set[str]] = {}

    def __getitem__(self, key: Any) -> Any:
        noting = self.screen.noting
        if key not in self.took:
            taken, noting.taken = noting.taken, set()
            try:
                self.values[key]
                self.took[key] = noting.taken
            finally:
                noting.taken = taken
        noting.taken |= self.took[key]
        return self.values[key]

    def __contains__(self, key: object) -> bool:
        return key in self.values

    def __iter__(self) -> Iterator[Any]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


class _Screen:
    """What of the view a task sees: no source's prose or extracts' words but its own source's (the words of
    any extract through the noting table of extracts), and the build report only if it is the report."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.table = view.extracts_by_ref
        self.report = view.report
        self.computed = view.blocks, view.evidence
        sources = {id(s): s for s in view.sources}
        sources.update({id(e.source): e.source for e in self.table.values()})
        self.sources = {s.model.id: (s, s.segments, s.parsed) for s in sources.values()}
        self.screened = {sid: ([replace(g, text="", extract=replace(g.extract, text=""))
                                for g in segments if g.extract is not None], replace(parsed, body="", text=""))
                         for sid, (s, segments, parsed) in self.sources.items()}
        self.shown: str | None = None

    def __enter__(self) -> _Screen:
        self.noting = _Noting(self.table)
        self.view.extracts_by_ref = self.noting
        self.view.blocks, self.view.evidence = (_Computed(values, self) for values in self.computed)
        for sid in self.sources:
            self._set(sid, False)
        return self

    def __exit__(self, *_: Any) -> None:
        self.view.extracts_by_ref = self.table
        self.view.report = self.report
        self.view.blocks, self.view.evidence = self.computed
        for sid in self.sources:
            self._set(sid, True)

    def _set(self, source_id: str, whole: bool) -> None:
        source, segments, parsed = self.sources[source_id]
        source.segments, source.parsed = (segments, parsed) if whole else self.screened[source_id]

    def show(self, reads: str) -> set[str]:
        """Screen the view for a task reading ``reads``; return the set that notes the extracts it takes."""
        if self.shown is not None:
            self._set(self.shown, False)
        own = reads.removeprefix("source:") if reads.startswith("source:") else None
        self.shown = own if own in self.sources else None
        if self.shown is not None:
            self._set(self.shown, True)
        self.view.report = self.report if reads == REPORT else _Unreadable()
        self.noting.taken = set()
        return self.noting.taken

    def words(self, refs: list[str]) -> list[tuple[str, str]]:
        """Each extract's ref with a digest of its words as this build has them."""
        return [(ref, hashlib.sha256(self.table[ref].extract.text.encode()).hexdigest() if ref in self.table else "")
                for ref in refs]
