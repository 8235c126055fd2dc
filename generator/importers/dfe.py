"""DfE "Explore education statistics" LA-level CSVs (CIN, CPP, CLA, population).

Every file of the service shares the same shape: ``time_period``,
``geographic_level`` and the geography columns, then filter columns (text)
and measure columns (numbers, or a symbol saying why there is no number).
Only the local-authority rows are kept. Symbols stay in the CSV and are
declared per column as ``missing_codes``, so the project's loader reads them
as missing values that remember why.

The release's data guidance (``*data-guidance.txt`` beside the CSV), when
present, gives the table's title, the column descriptions and the release;
its prose and footnotes are linked (``--source-url``), not copied.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..intake import SYMBOLS as OFFICIAL_SYMBOLS
from ..intake import NUMBER, Declaration, Field
from .common import OGL, ColumnSpec, ImportedDataset, financial_year, column_spec, infer_type, slugify, take_file

EXPECTED = ("a DfE 'Explore education statistics' CSV with time_period, geographic_level, "
            "new_la_code, old_la_code and la_name columns")
LA_LEVEL = "Local authority"
ID_COLUMNS = ("time_period", "new_la_code", "old_la_code", "la_name")
REGION_COLUMNS = ("region_code", "region_name")
GEOGRAPHY_COLUMNS = ("time_identifier", "geographic_level", "country_code", "country_name")

# The symbols DfE uses in place of a number. c, x, z and u are defined in the
# CIN and CLA data guidance (GSS symbols); k in the CLA guidance; "..", ":"
# and "low" occur in older files (c1 uses ".." for a few LA-years before 2017).
# The bracketed forms of the GSS guidance (2021), [c], [x], ..., are read too.
DFE_SYMBOLS = {
    "c": "suppressed: a small number (1 to 5), or secondary suppression, to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "k": "rounds to zero but is not zero",
    "..": "not available (older DfE symbol, not defined in the current data guidance)",
    ":": "not available (older DfE symbol)",
    "low": "rounds to zero but is not zero (older DfE symbol)",
}
SYMBOLS = DFE_SYMBOLS | {code: meaning for code, meaning in OFFICIAL_SYMBOLS.items() if code.startswith("[")}
_REFERRAL_COUNTS = {"referrals", "re_referrals", "no_further_action", "not_in_need"}


@dataclass
class Guidance:
    """What a release's data guidance says about one of its files."""

    path: Path
    release: str = ""
    heading: str = ""
    summary: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    footnotes: list[str] = field(default_factory=list)
    states_ogl: bool = False


def read_guidance(source: Path) -> Guidance | None:
    """Return the data guidance describing ``source`` (a ``*guidance*.txt`` in its folder), if any."""
    for path in sorted(source.parent.glob("*guidance*.txt")):
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
        marker = f"Filename: {source.name}"
        starts = [i for i, line in enumerate(lines) if line.strip() == marker]
        if not starts:
            continue
        start = starts[0]
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("Filename: ")), len(lines))
        guidance = Guidance(path=path)
        heading = [i for i in range(start) if lines[i].strip()]
        if heading:
            guidance.heading = lines[heading[-1]].strip()
        opening = [line.strip() for line in lines[:4] if line.strip()]
        if opening:
            period = opening[1] if len(opening) > 1 and "year" in opening[1].lower() else ""
            guidance.release = opening[0] + (f" ({period.lower()})" if period else "")
        guidance.states_ogl = any("Open Government Licen" in line for line in lines)
        section = lines[start:end]
        guidance.summary = _summary(section)
        guidance.variables = _variables(section)
        guidance.footnotes = _footnotes(section)
        return guidance
    return None


def _summary(section: list[str]) -> str:
    for index, line in enumerate(section):
        if line.startswith("Content summary:"):
            text = line.split(":", 1)[1].strip()
            bullets = []
            for following in section[index + 1:]:
                if following.startswith("Variable names") or (bullets and not following.strip()):
                    break
                if following.strip().startswith("- "):
                    bullets.append(following.strip()[2:].strip())
            if text.endswith(":") and bullets:
                text = f"{text} {'; '.join(bullets)}."
            return text
    return ""


def _variables(section: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in section:
        match = re.match(r"^(\S+)\s+\|\s+(.+)$", line.strip())
        if match and match.group(1) != "Variable" and not set(match.group(1)) <= {"-"}:
            found[match.group(1)] = match.group(2).strip()
    return found


def _footnotes(section: list[str]) -> list[str]:
    notes: list[str] = []
    inside = False
    for line in section:
        if line.strip() == "Footnotes:":
            inside = True
            continue
        if inside:
            match = re.match(r"^\d+\.\s+(.*)$", line.strip())
            if match:
                notes.append(match.group(1).strip())
            elif line.strip() and notes:
                break
    return notes


def unit_of(name: str) -> str:
    """Return the unit of a DfE measure column, inferred from its name."""
    lower = name.lower()
    if "percent" in lower:
        return "%"
    if "rate" in lower:
        return "per 10,000 children aged 0-17"
    if "population" in lower:
        return "children aged 0-17"
    if "episodes" in lower:
        return "episodes"
    if "child" in lower:
        return "children"
    if lower in _REFERRAL_COUNTS:
        return "referrals"
    if lower.startswith("cpp_"):
        return "child protection plans"
    return "children"


def role_of(unit: str) -> str:
    """Return a measure's role for disclosure control, from its unit: rates and percentages are derived."""
    if unit == "%":
        return "share"
    if unit.startswith("per "):
        return "rate"
    return "count"  # children, episodes, referrals, plans: people or events (population estimates too)


_SYMBOLS_SHOWN = f"one of DfE's symbols ({', '.join(DFE_SYMBOLS)}, or one in brackets such as [c])"

# The file's columns: the geography is declared, every other column is a filter (text) or a measure (numbers,
# or one of the symbols) as its cells show; only the local-authority rows are kept.
DECLARATION = Declaration(
    expected=EXPECTED,
    fields=(
        Field("time_period", filled=True, convert=lambda cell: cell if financial_year(cell) else None,
              shown="a year such as 2022 or 202122"),
        Field("geographic_level"),
        Field("new_la_code"), Field("old_la_code"), Field("la_name"),
        Field("region_code", required=False), Field("region_name", required=False),
        *(Field(name, required=False) for name in GEOGRAPHY_COLUMNS if name != "geographic_level"),
    ),
    key=str.strip,
    keep=("geographic_level", LA_LEVEL),
    others=Field("measure or filter"),
    symbols=SYMBOLS,
    symbols_shown=_SYMBOLS_SHOWN,
)


def import_dfe(source: Path, dataset_id: str | None = None, retrieved: str | None = None) -> ImportedDataset:
    """Read a DfE LA-level CSV; keep the LA rows, the id columns and the measures."""
    read_notes: list[str] = []
    taken = take_file(source, DECLARATION, notes=read_notes)
    declared = {spec.name for spec in DECLARATION.fields}
    kept_ids = [name for name in (*ID_COLUMNS, *REGION_COLUMNS) if taken.column(name)]
    constants = {name: values.pop() for name in GEOGRAPHY_COLUMNS if name != "geographic_level" and taken.column(name)
                 and len(values := set(taken.values(name))) == 1}
    dimensions: list[str] = []
    measures: list[str] = []
    for column in taken.columns:
        if column.name in declared:
            continue
        if column.kind == NUMBER:
            measures.append(column.name)
        elif len(set(cells := taken.values(column.name))) == 1:
            constants[column.name] = cells[0]
        else:
            dimensions.append(column.name)
    la_rows = [row for _, row in taken.rows]
    years = [financial_year(row["time_period"]) or "" for row in la_rows]

    names = ["year", *kept_ids, *dimensions, *measures]
    table = [[year] + [row[name] for name in names[1:]] for year, row in zip(years, la_rows)]
    order = [names.index(n) for n in ("time_period", "new_la_code", "old_la_code", *dimensions, "la_name")]
    table.sort(key=lambda r: tuple(int(r[i]) if n == 0 and r[i].isdigit() else r[i] for n, i in enumerate(order)))

    keys = Counter(tuple(r[i] for i in order) for r in table)
    repeated = sum(1 for count in keys.values() if count > 1)
    notes = read_notes + ([f"{source.name}: {repeated} time period and LA combination(s) appear more than once"]
                          if repeated else [])

    guidance = read_guidance(source)
    described = guidance.variables if guidance else {}
    columns = [
        ColumnSpec("year", "string", required=True, role="year",
                   description="Financial year (April to March) ending in time_period, e.g. 2021-22 for 2022"),
        ColumnSpec("time_period", "integer", required=True, role="year",
                   description="DfE's time_period: the year the financial year ends (or of the 31 March snapshot)"),
    ]
    id_descriptions = {
        "new_la_code": "ONS code of the local authority (E06, E08, E09 or E10)",
        "old_la_code": "DfE's 3-digit code of the local authority",
        "la_name": "Name of the local authority",
        "region_code": "ONS code of the region (London split into inner and outer)",
        "region_name": "Region (London split into inner and outer)",
    }
    for name in kept_ids[1:]:
        cells = [r[names.index(name)] for r in table]
        columns.append(ColumnSpec(name, "string", description=id_descriptions[name], required="" not in cells,
                                  role="label" if name.endswith("_name") else "identifier"))
    for name in dimensions:
        columns.append(ColumnSpec(name, "string", role="label",
                                  description=described.get(name, f"DfE filter: {name.replace('_', ' ')}")))
    for name in measures:
        column = taken.column(name)
        assert column is not None
        unit = unit_of(name)
        kind = "number" if unit in ("%", "per 10,000 children aged 0-17") else infer_type(taken.values(name), column.codes)
        if kind == "string":
            kind = "number"  # only symbols: a measure column still holds numbers in other releases
        columns.append(column_spec(column, kind, required=False, unit=unit, description=described.get(name),
                                   role=role_of(unit)))

    first, last = table[0][0], table[-1][0]
    span = first if first == last else f"{first} to {last}"
    heading = guidance.heading if guidance and guidance.heading else source.stem.replace("_", " ")
    title = f"{heading}, {span}"
    dropped_rows = taken.dropped
    return ImportedDataset(
        id=dataset_id or slugify(source.stem),
        title=title,
        source=source,
        columns=columns,
        rows=table,
        provenance=_provenance(source, guidance, retrieved),
        body=_body(table, names, columns, dropped_rows, constants, dimensions, guidance),
        licence=OGL,
        la_keys=("new_la_code", "old_la_code", "la_name"),
        la_names=("la_name", "new_la_code"),
        notes=notes,
    )


def _provenance(source: Path, guidance: Guidance | None, retrieved: str | None) -> str:
    parts = ["Department for Education (DfE), Explore education statistics"]
    if guidance and guidance.release:
        parts[0] += f", release '{guidance.release}'"
    if guidance and guidance.heading:
        parts[0] += f": table '{guidance.heading}'"
    parts[0] += f" (file {source.name})."
    if guidance:
        parts.append(f"Column descriptions from the release's data guidance ({guidance.path.name})"
                     + (", which releases the data under the Open Government Licence." if guidance.states_ogl else "."))
    else:
        parts.append("No data guidance was found beside the file; column descriptions are not given.")
    parts.append(f"Retrieved {retrieved}." if retrieved else "Date retrieved: not recorded in the file.")
    parts.append("Imported with `generator import dfe`: local-authority rows only.")
    return " ".join(parts)


def _body(table: list[list[str]], names: list[str], columns: list[ColumnSpec], dropped_rows: dict[str, int],
          constants: dict[str, str], dimensions: list[str], guidance: Guidance | None) -> str:
    code_at = names.index("new_la_code")
    per_year = Counter(r[0] for r in table)
    years = sorted(per_year)
    codes_seen = len({r[code_at] or r[names.index("old_la_code")] for r in table})
    parts = ["local authority", "year", *(f"`{d}`" for d in dimensions)]
    per = ", ".join(parts[:-1]) + " and " + parts[-1]
    text = [
        f"One row per {per}: {len(table):,} rows, {years[0]} to {years[-1]}. "
        f"{codes_seen} authority codes appear"
        + (f", {min(per_year.values()):,} to {max(per_year.values()):,} rows a year: boundary changes mean not "
           "every authority appears every year. " if len(set(per_year.values())) > 1 else ". ")
        + "`time_period` is the year the financial year ends (2022 = 2021-22, shown in `year`); "
        "figures \"at 31 March\" are a snapshot on that day.",
    ]
    if guidance and "mid-year" in (guidance.summary + guidance.heading).lower():
        text.append("For mid-year population estimates `time_period` is the year of the estimate (30 June); "
                    "`year` is the financial year ending in it, as in DfE's other tables.")
    if any(c.unit == "per 10,000 children aged 0-17" for c in columns):
        text.append("Rates are per 10,000 children aged 0-17 (ONS mid-year estimates).")
    left_out = []
    if dropped_rows:
        levels = [f"{count:,} {level.lower()}" for level, count in sorted(dropped_rows.items())]
        left_out.append(" and ".join(levels) + " rows")
    if constants:
        left_out.append("columns holding one value throughout ("
                        + ", ".join(f"{name} '{value}'" for name, value in sorted(constants.items())) + ")")
    if left_out:
        text.append("Left out: " + "; ".join(left_out) + ".")
    codes: Counter[str] = Counter()
    for index, column in enumerate(columns):
        for row in table:
            if row[index] in column.missing_codes:
                codes[row[index]] += 1
    if codes:
        text.append("Cells DfE did not publish are blank in the table and keep their reason: "
                    + "; ".join(f"`{code}` {SYMBOLS[code]} ({count:,} cells)" for code, count in sorted(codes.items()))
                    + ".")
    paragraphs = [" ".join(text)]
    if guidance:
        # Linked, not copied: the publisher's prose names authorities (Hackney, in the CIN guidance) and would
        # be published on every LA site that shows this table.
        notes = len(dict.fromkeys(guidance.footnotes))
        paragraphs.append(
            "DfE's description of the table" + (f" and its {notes} footnote{'s' if notes != 1 else ''}" if notes else "")
            + f" are in the release's data guidance ({guidance.path.name}) and on the release's page: see the provenance.")
    return "\n\n".join(paragraphs)
