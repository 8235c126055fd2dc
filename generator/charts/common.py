"""What every chart kind shares: the plotted data's container, thirds, spending series, wording."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

import pandas as pd

from ..compute import measures
from ..csv_download import csv_bytes
from ..content.loader import LoadedDataset, Study

THIRD_NAMES = {"high": "high-deprivation", "middle": "middle-deprivation", "low": "low-deprivation"}


@dataclass
class ChartData:
    """Everything about one chart except the drawing: numbers, words and where they came from."""

    kind: str
    title: str
    source: str
    alt: str
    table_header: list[str]
    table_rows: list[list[Any]]  # the summary table shown beneath the chart
    csv_rows: list[dict[str, Any]]  # exactly the plotted numbers, for the download
    payload: dict[str, Any]  # what the drawing function needs (plain JSON types)
    fmt: str = "svg"
    notes: list[str] = field(default_factory=list)
    variant: str = "wide"  # "wide" or "narrow" (phones): a key of style.LAYOUTS

    def key(self, versions: str) -> str:
        """Return a hash of everything that decides the image: kind, numbers, words, format, layout, library versions."""
        blob = json.dumps([self.kind, self.title, self.source, self.alt, self.notes, self.payload, self.fmt,
                           self.variant, versions],
                          sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:20]

    def csv_bytes(self) -> bytes:
        if not self.csv_rows:
            return b""
        header = list(self.csv_rows[0])
        return csv_bytes(header, ([row.get(h) for h in header] for row in self.csv_rows), self.notes, self.source)


def dataset(study: Study, dataset_id: str) -> LoadedDataset:
    return next(d for d in study.datasets if d.model.id == dataset_id)


def source_line(*datasets: LoadedDataset) -> str:
    """Return 'Source: title; title. provenance' with each distinct provenance once."""
    titles = "; ".join(d.model.title for d in datasets)
    provenances = " ".join(dict.fromkeys(d.model.provenance.strip() for d in datasets))
    return f"Source: {titles}. {provenances}"


def thirds_of(study: Study, deprivation_id: str, score_column: str, la_column: str = "la") -> dict[str, str]:
    """Return {LA id: 'high' | 'middle' | 'low'} among the LAs of a deprivation dataset."""
    table = dataset(study, deprivation_id).table
    assert table is not None
    scores = pd.to_numeric(table[score_column], errors="coerce")
    scores.index = table[la_column].astype(str)
    return {la: third for la, third in measures.deprivation_thirds(scores).items() if isinstance(third, str)}


def label(name: str, abbreviations: Iterable[str] = ()) -> str:
    """A column or value name as words, with the study's abbreviations in capitals.

    'cp_plans_started' with abbreviations ['CP'] -> 'CP plans started'; without -> 'Cp plans started'.
    """
    written = {a.casefold(): a for a in abbreviations}
    words = [written.get(w.casefold(), w) for w in name.replace("_", " ").split()]
    if words and words[0] == words[0].lower():
        words[0] = words[0].capitalize()
    return " ".join(words)


def abbreviations_of(study: Study) -> list[str]:
    return list(study.project.model.abbreviations) if study.project else []


def change_words(first: float, last: float, unit: str, points: bool = False) -> str:
    """Return e.g. 'rose from 41% to 47% (+6.0 points)' or 'fell from £140 to £118 (-16%)'."""
    verb = "rose" if last > first else "fell" if last < first else "stayed at"
    if verb == "stayed at":
        return f"stayed at {fmt(first, unit)}"
    if points or first == 0:
        delta = f"{last - first:+.1f} points" if points else f"{last - first:+,.1f}"
    else:
        delta = f"{(last - first) / abs(first) * 100:+.0f}%"
    return f"{verb} from {fmt(first, unit)} to {fmt(last, unit)} ({delta})"


def fmt(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "£":
        return f"£{value:,.0f}"
    return f"{value:,.1f}"


def words_in(catalogue: dict[str, dict[str, str]], language: str) -> dict[str, str]:
    """A chart module's words in the site's language, falling back to English."""
    return catalogue.get(language, catalogue["en"])
