"""What every chart kind shares: the plotted data's container, thirds, spending series, wording."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..compute import measures
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

    def key(self, versions: str) -> str:
        """Return a hash of everything that decides the image: kind, numbers, words, format, library versions."""
        blob = json.dumps([self.kind, self.title, self.source, self.payload, self.fmt, versions],
                          sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:20]

    def csv_bytes(self) -> bytes:
        buffer = io.StringIO()
        if self.csv_rows:
            writer = csv.DictWriter(buffer, fieldnames=list(self.csv_rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.csv_rows)
        return buffer.getvalue().encode("utf-8")


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


_SPENDING: dict[tuple[int, str, str], pd.DataFrame] = {}


def spending_values(study: Study, spec: Any, show: str) -> pd.DataFrame:
    """Return long rows (la, year, category, value): spending share, or per child at constant prices.

    Computed once per build and specification: every LA's chart reuses it.
    """
    key = (id(study), spec.model_copy(update={"la": None, "title": None}).model_dump_json(), show)
    if key not in _SPENDING:
        _SPENDING[key] = _spending_values(study, spec, show)
    return _SPENDING[key].copy()


def _spending_values(study: Study, spec: Any, show: str) -> pd.DataFrame:
    assert study.project is not None
    spend = dataset(study, spec.dataset)
    frame = spend.table.copy()  # type: ignore[union-attr]
    if spec.years:
        frame = frame[frame[spec.year_column].astype(str).isin(spec.years)]
    if getattr(spec, "categories", None):
        frame = frame[frame[spec.category_column].isin(spec.categories)]
    deflator = dataset(study, spec.deflator).table.rename(columns={spec.index_column: "index"})  # type: ignore[union-attr]
    frame = measures.deflate(frame, deflator, study.project.model.base_year, year=spec.year_column, value=spec.spend_column)
    keys = [spec.la_column, spec.year_column]
    if show == "share":
        frame = measures.shares(frame, "real", keys, name="value")
        frame["value"] = frame["value"] * 100
    else:
        population = dataset(study, spec.population).table  # type: ignore[union-attr]
        frame = frame.merge(population[keys + [spec.population_column]], on=keys, how="left")
        unit = next((c.unit for c in spend.model.columns if c.name == spec.spend_column), "") or ""
        frame = measures.per_child(frame, "real", spec.population_column, name="value")
        if unit.startswith("£ thousands"):
            frame["value"] = frame["value"] * 1000
    frame = frame.rename(columns={spec.la_column: "la", spec.year_column: "year", spec.category_column: "category"})
    frame["la"] = frame["la"].astype(str)
    frame["year"] = frame["year"].astype(str)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)  # numpy floats pivot far faster
    return frame[["la", "year", "category", "value"]].dropna(subset=["value"]).reset_index(drop=True)


_ACRONYMS = {"cp": "CP", "cpp": "CPP", "cla": "CLA", "cin": "CIN", "lac": "LAC", "imd": "IMD", "simd": "SIMD", "la": "LA"}


def label(name: str) -> str:
    """Return a column name as words: 'cp_plans_started' -> 'CP plans started'."""
    words = [_ACRONYMS.get(w, w) for w in name.replace("_", " ").split()]
    if words and words[0] == words[0].lower():
        words[0] = words[0].capitalize()
    return " ".join(words)


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
