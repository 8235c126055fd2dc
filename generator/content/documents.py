"""A loaded document: its validated model, where it came from, and what was read beside it.

These are the values the loader hands on; each kind's class is named in
``generator.content.kinds``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pandas as pd

from ..errors import SourceLocation
from .blocks import BlockSpec
from .extracts import Extract, Segment
from .frontmatter import ParsedDocument
from .models import Dataset, Document, Source, Survey

M = TypeVar("M", bound=Document)


@dataclass
class Loaded(Generic[M]):
    """A validated document with where it came from."""

    model: M
    path: str  # as shown in messages, e.g. content/local-authorities/x/la.md
    parsed: ParsedDocument
    blocks: list[BlockSpec] = field(default_factory=list, kw_only=True)
    # a key of the file's bytes and path (content.records), for the checks that read this document alone
    digest: str = field(default="", kw_only=True, compare=False)

    @property
    def body(self) -> str:
        return self.parsed.body

    @property
    def body_line(self) -> int:
        return self.parsed.body_line

    def at(self, *keys: str | int) -> SourceLocation:
        """Return the location of a front-matter key (or the file's start)."""
        return SourceLocation(self.path, self.parsed.line_of(tuple(keys)))

    def at_line(self, line: int) -> SourceLocation:
        return SourceLocation(self.path, line)


@dataclass
class LoadedSource(Loaded[Source]):
    segments: list[Segment] = field(default_factory=list)

    @property
    def extracts(self) -> list[Extract]:
        return [s.extract for s in self.segments if s.extract is not None]


@dataclass
class LoadedDataset(Loaded[Dataset]):
    table: pd.DataFrame | None = None
    csv_path: str = ""


@dataclass
class LoadedSurvey(Loaded[Survey]):
    waves: dict[str, Any] = field(default_factory=dict)  # wave id -> the wave's ResponseTable
