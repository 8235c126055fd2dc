"""What every chart kind shares: the plotted data's container, thirds, spending series, wording."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..compute import measures
from ..csv_download import csv_bytes
from ..output import value_digest
from ..render.i18n import N_, translate, translations
from ..content.loader import LoadedDataset, Study

THIRD_NAMES = {"high": N_("high-deprivation"), "middle": N_("middle-deprivation"), "low": N_("low-deprivation")}


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
    language: str = "en"  # of its words: the CSV download's column names are translated into it
    variant: str = "wide"  # "wide" or "narrow" (phones): a key of style.LAYOUTS

    def key(self, versions: str) -> str:
        """Return a hash of everything that decides the image and its CSV: kind, numbers, words and their
        language, format, layout, and the versions of the code and libraries that draw and write them."""
        words = json.dumps([self.kind, self.title, self.source, self.alt, self.notes, self.fmt, self.variant,
                            self.language, versions], default=str, separators=(",", ":"))
        # the numbers (every other LA's line, in a panel chart) through pickle: five times faster than JSON
        numbers = value_digest(self.payload, self.csv_rows)
        return hashlib.sha256(words.encode() + numbers).hexdigest()[:20]

    def csv_bytes(self) -> bytes:
        if not self.csv_rows:
            return b""
        header = list(self.csv_rows[0])
        named = [translate(CSV_COLUMNS[h], self.language) if h in CSV_COLUMNS else h for h in header]
        worded = {"on_scale", "side", "counted_apart"}  # columns whose cells are the generator's words

        def cell(h: str, value: Any) -> Any:
            return translate(CSV_WORDS[value], self.language) if h in worded and value in CSV_WORDS else value

        return csv_bytes(named, ([cell(h, row.get(h)) for h in header] for row in self.csv_rows), self.notes,
                         self.source, self.language)


# The column names of the charts' CSV downloads (the keys of their csv_rows), as a reader of each language sees them.
CSV_COLUMNS = {
    "measure": N_("measure"), "year": N_("year"), "la": N_("local authority"), "category": N_("category"),
    "panel": N_("panel"), "series": N_("series"), "value": N_("value"), "step": N_("step"), "number": N_("number"),
    "carried_percent": N_("carried_percent"), "observed": N_("observed"), "fitted": N_("fitted"),
    "high_average": N_("high_average"), "middle_average": N_("middle_average"), "low_average": N_("low_average"),
    "_average": N_("third_average"), "all_las_average": N_("all_las_average"),
    "site": N_("site"), "area": N_("area"), "score": N_("score"),
    "wave": N_("wave"), "answer": N_("answer"), "code": N_("code"), "on_scale": N_("on_scale"), "side": N_("side"),
    "count": N_("count"), "percent_of_answered": N_("percent_of_answered"), "from_percent": N_("from_percent"),
    "to_percent": N_("to_percent"), "positive": N_("positive"), "answered": N_("answered"),
    "positive_percent": N_("positive_percent"), "lower_95_percent": N_("lower_95_percent"),
    "upper_95_percent": N_("upper_95_percent"), "counted_apart": N_("counted_apart"),
    "respondents_choosing": N_("respondents_choosing"), "respondents_answering": N_("respondents_answering"),
    "percent_of_respondents": N_("percent_of_respondents"),
    "period": N_("period"), "actual": N_("actual"), "forecast": N_("forecast"), "target": N_("target"),
}
# the words of a CSV's cells that the generator writes (yes/no columns, the side of a Likert answer)
CSV_WORDS = {"yes": N_("yes"), "no": N_("no"), "neutral": N_("neutral"), "negative": N_("negative"),
             "positive": N_("positive")}


def dataset(study: Study, dataset_id: str) -> LoadedDataset:
    return next(d for d in study.datasets if d.model.id == dataset_id)


def source_line(*datasets: LoadedDataset, language: str = "en") -> str:
    """Return 'Source: title; title. provenance' with each distinct provenance once."""
    titles = "; ".join(d.model.title for d in datasets)
    provenances = " ".join(dict.fromkeys(d.model.provenance.strip() for d in datasets))
    return translate("Source: %(titles)s. %(provenances)s", language) % {"titles": titles, "provenances": provenances}


def thirds_of(study: Study, deprivation_id: str, score_column: str, la_column: str = "la") -> dict[str, str]:
    """Return {LA id: 'high' | 'middle' | 'low'} among the LAs of a deprivation dataset."""
    table = dataset(study, deprivation_id).table
    assert table is not None
    scores = pd.to_numeric(table[score_column], errors="coerce")
    scores.index = table[la_column].astype(str)
    return {la: third for la, third in measures.deprivation_thirds(scores).items() if isinstance(third, str)}


def abbreviations_of(study: Study) -> list[str]:
    """The spellings pages keep when they turn a value name into words."""
    from ..compute.labels import terms_of

    return terms_of(study.project.model if study.project else None)


def change_words(first: float, last: float, unit: str, points: bool = False, language: str = "en") -> str:
    """Return e.g. 'rose from 41% to 47% (+6.0 points)' or 'fell from £140 to £118 (-16%)'."""
    if last == first:
        return translate("stayed at %(value)s", language) % {"value": fmt(first, unit)}
    if points or first == 0:
        # a number shown with a decimal point takes the plural form of 'other' numbers (CLDR: 1.0 points)
        delta = (translations(language).ngettext("%(num)s point", "%(num)s points", 100) % {"num": f"{last - first:+.1f}"}
                 if points else f"{last - first:+,.1f}")
    else:
        delta = f"{(last - first) / abs(first) * 100:+.0f}%"
    words = (translate("rose from %(first)s to %(last)s (%(change)s)", language) if last > first
             else translate("fell from %(first)s to %(last)s (%(change)s)", language))
    return words % {"first": fmt(first, unit), "last": fmt(last, unit), "change": delta}


def fmt(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "£":
        return f"£{value:,.0f}"
    return f"{value:,.1f}"


def words_in(catalogue: dict[str, dict[str, str]], language: str) -> dict[str, str]:
    """A chart module's words in the site's language, falling back to English."""
    return catalogue.get(language, catalogue["en"])
