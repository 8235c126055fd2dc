"""English Indices of Deprivation: local-authority summaries (sheet "IMD", header on row 1).

MHCLG publishes six summary measures for each LA, each with its rank
(1 = most deprived). The headers differ between editions ("IMD - Average
score" in 2015, "IMD - Average score " with a trailing space in 2019, and
"IMD 2019 - Extent"), so columns are matched on their wording with the
"IMD [year] -" prefix and spacing removed. The output adds the LA's
``deprivation_third`` by average score.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..compute.measures import deprivation_thirds
from ..intake import INTEGER, Declaration, Field
from .common import OGL, ColumnSpec, ImportedDataset, ImportProblems, column_spec, format_number, problem, slugify, take_file

SHEET = "IMD"
EXPECTED = "an English Indices of Deprivation local authority summary workbook with a sheet 'IMD'"
CODE = "local authority code"
NAME = "local authority name"

# (header wording, output name, type, unit, description); the first two are required.
MEASURES: list[tuple[str, str, str, str, str]] = [
    ("average score", "average_score", "number", "IMD score",
     "Population-weighted average of the IMD scores of the LA's LSOAs (higher = more deprived)"),
    ("rank of average score", "rank_of_average_score", "integer", "rank (1 = most deprived)",
     "The LA's rank on average score"),
    ("average rank", "average_rank", "number", "LSOA rank",
     "Population-weighted average of the national ranks of the LA's LSOAs (1 = most deprived LSOA)"),
    ("rank of average rank", "rank_of_average_rank", "integer", "rank (1 = most deprived)",
     "The LA's rank on average rank"),
    ("proportion of lsoas in most deprived 10% nationally", "proportion_most_deprived_10pc", "number",
     "proportion (0-1)", "Share of the LA's LSOAs that are among the 10% most deprived in England"),
    ("rank of proportion of lsoas in most deprived 10% nationally", "rank_of_proportion_most_deprived_10pc",
     "integer", "rank (1 = most deprived)", "The LA's rank on the proportion of LSOAs in the most deprived 10%"),
    ("extent", "extent", "number", "proportion (0-1)",
     "Share of the LA's population living in the most deprived 30% of LSOAs, weighted on a sliding scale"),
    ("rank of extent", "rank_of_extent", "integer", "rank (1 = most deprived)", "The LA's rank on extent"),
    ("local concentration", "local_concentration", "number", "LSOA rank",
     "Population-weighted average rank of the LA's most deprived LSOAs that hold 10% of its population"),
    ("rank of local concentration", "rank_of_local_concentration", "integer", "rank (1 = most deprived)",
     "The LA's rank on local concentration"),
]
REQUIRED = ("average score", "rank of average score")



def _wording(header: str) -> str:
    """Return a header's wording without the 'IMD [year] -' prefix, in lower case."""
    text = " ".join(header.split()).lower()
    text = re.sub(r"^imd( \d{4})? - ", "", text)
    if re.search(r"local authority.* code", text):
        return CODE
    if re.search(r"local authority.* name", text):
        return NAME
    return text


def _edition(header: list[str], source: Path) -> str | None:
    """Return the edition (2019) from headers such as 'IMD 2019 - Extent', else from the file name.

    The year in the LA code header is the boundaries' year, not the edition's:
    IMD 2015 uses 2013 boundaries.
    """
    for text in (*header, source.stem):
        match = re.search(r"(?:imd|deprivation)[ _-]*(20\d\d)", text, re.IGNORECASE)
        if match:
            return match.group(1)
    return None


def _boundaries(code_header: str) -> str | None:
    match = re.search(r"\((\d{4})\)", code_header)
    return match.group(1) if match else None


def _publisher(edition: str | None) -> str:
    if edition == "2015":
        return "Department for Communities and Local Government (DCLG)"
    if edition == "2019":
        return "Ministry of Housing, Communities and Local Government (MHCLG)"
    return "Ministry of Housing, Communities and Local Government (MHCLG) or its predecessor"


DECLARATION = Declaration(
    expected=EXPECTED,
    fields=(
        Field("la_code", headers=(CODE,), filled=True, pattern=r"[A-Z]\d{8}", shown="an LA code such as E06000001"),
        Field("la_name", headers=(NAME,)),
        *(Field(name, headers=(wording,), kind=kind, filled=True, required=wording in REQUIRED,
                unit=unit, description=description, role="share" if unit.startswith("proportion") else "score")
          # proportions are shares of the LA's LSOAs or people; scores, ranks and average ranks are index values
          for wording, name, kind, unit, description in MEASURES),
    ),
    key=lambda header: _wording(header),
    unique=("la_code",),
)


def import_imd(source: Path, dataset_id: str | None = None, retrieved: str | None = None) -> ImportedDataset:
    """Read the IMD sheet of an LA summary workbook; add each LA's deprivation third."""
    import pandas as pd

    taken = take_file(source, DECLARATION, sheet=SHEET)
    header = taken.file.header
    code_header = taken.column("la_code").header  # type: ignore[union-attr]
    present = [m for m in MEASURES if taken.column(m[1])]
    table: list[dict[str, Any]] = [
        {name: (int(value) if taken.column(name).kind == INTEGER else float(value))  # type: ignore[union-attr]
         if name not in ("la_code", "la_name") else value for name, value in row.items()}
        for _, row in taken.rows]
    if not table:
        raise ImportProblems([problem(source, f"sheet '{SHEET}' has no LA rows; expected {EXPECTED}")])

    frame = pd.DataFrame(table).sort_values("la_code", kind="mergesort").reset_index(drop=True)
    indexed = frame.set_index("la_code")
    frame["deprivation_third"] = deprivation_thirds(
        indexed["average_score"], tiebreak=indexed.get("rank_of_average_score")).to_numpy()
    edition = _edition(header, source)
    index_name = f"IMD {edition}" if edition else "IMD"

    columns = [
        ColumnSpec("la_code", "string", description="ONS code of the local authority", required=True, role="identifier"),
        ColumnSpec("la_name", "string", description="Name of the local authority", required=True, role="label"),
    ]
    names = ["la_code", "la_name"]
    for _, name, kind, _, _ in present:
        columns.append(column_spec(taken.column(name), kind, required=True))  # type: ignore[arg-type]
        names.append(name)
        if name == "rank_of_average_score":
            columns.append(ColumnSpec(
                "deprivation_third", "string", required=True, role="label",
                description=f"high, middle or low: the LA's third of the {len(frame)} LAs by average score "
                            "(top third by score = high)",
            ))
            names.append("deprivation_third")
    out_rows = [[_cell(record[name]) for name in names] for record in frame.to_dict("records")]

    sizes = frame["deprivation_third"].value_counts()
    tier = "upper-tier " if "upper tier" in code_header.lower() else ""
    missing_measures = [m[1] for m in MEASURES if not taken.column(m[1])]
    boundaries = _boundaries(code_header)
    body = (
        f"One row per {tier}local authority in the {index_name} summaries ({len(frame)} LAs"
        + (f", {boundaries} boundaries" if boundaries else "") + "), sorted by LA code. "
        "Scores are population-weighted averages of the LSOA scores; a higher score is more deprived and rank 1 "
        "is the most deprived LA. `deprivation_third` ranks the LAs by `average_score` from highest to lowest "
        "(equal printed scores in the order of the published rank, then by LA code) and cuts the list into "
        "three groups as equal as possible, larger groups first: "
        f"{sizes.get('high', 0)} high, {sizes.get('middle', 0)} middle and {sizes.get('low', 0)} low. "
        "Only the overall IMD sheet was imported; the domain sheets (income, employment, education, health, "
        "crime, barriers, living environment, IDACI, IDAOPI) were left out."
    )
    if missing_measures:
        body += f" The workbook has no column for: {', '.join(missing_measures)}."
    parts = [f"{_publisher(edition)}, English Indices of Deprivation{' ' + edition if edition else ''}: "
             f"{tier}local authority summaries, sheet '{SHEET}' (file {source.name})."]
    parts.append(f"Retrieved {retrieved}." if retrieved else "Date retrieved: not recorded in the file.")
    parts.append("Imported with `generator import imd`, which added `deprivation_third`.")
    return ImportedDataset(
        id=dataset_id or slugify(source.stem),
        title=f"English Indices of Deprivation{' ' + edition if edition else ''}: {tier}local authority summaries",
        source=source,
        columns=columns,
        rows=out_rows,
        provenance=" ".join(parts),
        body=body,
        licence=OGL,
        la_keys=("la_code", "la_name"),
        la_names=("la_name", "la_code"),
    )


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return format_number(value)
