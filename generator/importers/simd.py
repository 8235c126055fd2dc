"""Scottish Index of Multiple Deprivation: indicators by data zone (CSV).

The Scottish Government's indicator files are meant for reading, not for
machines: shares are text such as "12%", some counts carry a thousands
separator ("1,656"), and a value withheld for disclosure control is "*".
This importer writes plain numbers, keeps "*" as a missing value with its
reason, and gives the id columns the same names whatever the edition
(``data_zone``, ``intermediate_zone``, ``council_area``, ...), so tables from
different editions line up. Indicator columns keep the publisher's names.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..intake import SYMBOLS as OFFICIAL_SYMBOLS
from ..intake import NUMBER, TEXT, Declaration, Field
from .common import OGL, ColumnSpec, ImportedDataset, ImportProblems, is_integer_text, problem, slugify, take_file

EXPECTED = "a SIMD data-zone CSV with a data zone code, the council area and the total population"
# '*' is the Scottish Government's mark; the other publishers' symbols the intake knows are read too.
SUPPRESSED = {**OFFICIAL_SYMBOLS, "*": "suppressed by the Scottish Government (small numbers or disclosure control)"}

# Output name of each id column, and the headers (lower case) it is known by.
ROLES: dict[str, tuple[str, ...]] = {
    "data_zone": ("data_zone", "data_zone_code", "datazone", "datazone2011", "data_zone_2011", "dz", "dz_code"),
    "data_zone_name": ("data_zone_name", "datazone_name", "dzname", "dz_name"),
    "intermediate_zone": ("intermediate_zone", "intermediate_zone_name", "izname", "iz_name"),
    "council_area": ("council_area", "council_area_name", "council", "councilarea"),
    "health_board": ("health_board", "health_board_name", "healthboard"),
    "total_population": ("total_population", "population"),
    "working_age_population": ("working_age_population", "working_population"),
}
ID_COLUMN_ROLES = {"data_zone": "identifier", "data_zone_name": "label", "intermediate_zone": "label",
                   "council_area": "label", "health_board": "label", "total_population": "count",
                   "working_age_population": "count"}
ID_ROLES = ("data_zone", "data_zone_name", "intermediate_zone", "council_area", "health_board")
REQUIRED_ROLES = ("data_zone", "council_area", "total_population")
ROLE_DESCRIPTIONS = {
    "data_zone": ("Data zone code (2011 data zones, S01...)", None),
    "data_zone_name": ("Name of the data zone", None),
    "intermediate_zone": ("Intermediate zone the data zone lies in", None),
    "council_area": ("Council area (local authority) the data zone lies in", None),
    "health_board": ("NHS health board the data zone lies in", None),
    "total_population": ("Resident population", "people"),
    "working_age_population": ("Working-age population", "people"),
}

_SR = "standardised ratio (Scotland = 100)"
# Indicator definitions from the SIMD technical notes, by lower-cased header.
INDICATORS: dict[str, tuple[str | None, str]] = {
    "income_rate": ("%", "Share of the population that is income deprived"),
    "income_count": ("people", "People who are income deprived"),
    "employment_rate": ("%", "Share of the working-age population that is employment deprived"),
    "employment_count": ("people", "Working-age people who are employment deprived"),
    "cif": (_SR, "Comparative illness factor"),
    "alcohol": (_SR, "Hospital stays related to alcohol misuse"),
    "drug": (_SR, "Hospital stays related to drug misuse"),
    "drugs": (_SR, "Hospital stays related to drug misuse"),
    "smr": (_SR, "Standardised mortality ratio"),
    "depress": ("%", "Share of the population prescribed drugs for anxiety, depression or psychosis"),
    "lbwt": ("%", "Share of live singleton births of low birth weight"),
    "emerg": (_SR, "Emergency stays in hospital"),
    "attendance": ("%", "School pupil attendance"),
    "attainment": ("score", "Attainment of school leavers"),
    "no_qualifications": (_SR, "Working-age people with no qualifications"),
    "not_participating": ("%", "Share of 16-19 year olds not in education, employment or training"),
    "university": ("%", "Share of 17-21 year olds entering university"),
    "drive_petrol": ("minutes", "Average drive time to a petrol station"),
    "drive_gp": ("minutes", "Average drive time to a GP surgery"),
    "drive_post": ("minutes", "Average drive time to a post office"),
    "drive_primary": ("minutes", "Average drive time to a primary school"),
    "drive_retail": ("minutes", "Average drive time to a retail centre"),
    "drive_secondary": ("minutes", "Average drive time to a secondary school"),
    "pt_gp": ("minutes", "Public transport travel time to a GP surgery"),
    "pt_post": ("minutes", "Public transport travel time to a post office"),
    "pt_retail": ("minutes", "Public transport travel time to a retail centre"),
    "broadband": ("%", "Share of premises without access to superfast broadband"),
    "crime_count": ("crimes", "Recorded crimes of violence, sexual crimes, domestic housebreaking, vandalism, "
                              "drugs offences and common assault"),
    "crime_rate": ("per 10,000 population", "Recorded crimes (as crime_count) per 10,000 population"),
    "crime": ("per 10,000 population", "Recorded crimes of the SIMD crime domain per 10,000 population"),
    "overcrowded_count": ("people", "People in households that are overcrowded"),
    "overcrowded_rate": ("%", "Share of people in households that are overcrowded"),
    "nocentralheat_count": ("people", "People in households without central heating"),
    "nocentralheat_rate": ("%", "Share of people in households without central heating"),
    # SIMD 2016 names (as in the teaching extract converted from SPSS)
    "pct_school_attend": ("%", "School pupil attendance"),
    "pct_income_deprived": ("%", "Share of the population that is income deprived"),
    "pct_employment_deprived": ("%", "Share of the working-age population that is employment deprived"),
    "illness": (_SR, "Comparative illness factor"),
    "mortality": (_SR, "Standardised mortality ratio"),
    "pct_depress": ("%", "Share of the population prescribed drugs for anxiety, depression or psychosis"),
    "pct_low_bw": ("%", "Share of live singleton births of low birth weight"),
    "hosp_emerg": (_SR, "Emergency stays in hospital"),
    "noquals": (_SR, "Working-age people with no qualifications"),
    "pct_no_heating": ("%", "Share of people in households without central heating"),
    "pct_overcrowded": ("%", "Share of people in households that are overcrowded"),
    "urban": (None, "1 = urban data zone, 0 = not urban"),
}
_RANKING = re.compile(r"rank|quintile|decile|vigintile", re.IGNORECASE)


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _edition(source: Path) -> str | None:
    match = re.search(r"simd[ _-]?(\d{4}(?:v\d+)?)", source.stem, re.IGNORECASE)
    return match.group(1) if match else None


DECLARATION = Declaration(
    expected=EXPECTED,
    fields=tuple(
        Field(role, headers=ROLES[role], required=role in REQUIRED_ROLES, percent=True,
              kind=NUMBER if ID_COLUMN_ROLES[role] == "count" else TEXT,
              pattern=r"S01\d{6}" if role == "data_zone" else None,
              shown="a data zone code such as S01006506" if role == "data_zone" else "",
              description=ROLE_DESCRIPTIONS[role][0], unit=ROLE_DESCRIPTIONS[role][1], role=ID_COLUMN_ROLES[role])
        for role in ROLES),
    key=_key,
    others=Field("indicator or ranking", percent=True),
    symbols=SUPPRESSED,
    symbols_shown="a symbol such as '*'",
    unique=("data_zone",),
)


def import_simd(source: Path, dataset_id: str | None = None, retrieved: str | None = None) -> ImportedDataset:
    """Read a SIMD data-zone indicator CSV; write clean numbers and keep '*' as a reason."""
    read_notes: list[str] = []
    taken = take_file(source, DECLARATION, notes=read_notes)
    # By position in the taken columns: the id columns by role, then the file's other columns.
    header = [column.header for column in taken.columns]
    names = [column.name for column in taken.columns]
    roles = {column.name: index for index, column in enumerate(taken.columns) if column.name in ROLES}
    cells = [[row[name] for name in names] for _, row in taken.rows]
    others = [i for i in range(len(header)) if i not in roles.values()]
    rankings = [i for i in others if _RANKING.search(header[i])]
    indicators = [i for i in others if i not in rankings]
    numeric_roles = [roles[r] for r in ("total_population", "working_age_population") if r in roles]
    numeric = [i for i in (*numeric_roles, *rankings, *indicators)
               if taken.columns[i].kind == NUMBER and any(row[i] not in ("", *SUPPRESSED) for row in cells)]
    percent = {i for i in numeric if taken.columns[i].percent}
    if roles["total_population"] not in numeric:
        raise ImportProblems([problem(source, "expected numbers in the population column, found none",
                                      taken.file.header_row, header[roles["total_population"]])])
    suppressed = sum(len([row for row in cells if row[i] in SUPPRESSED]) for i in numeric)
    separators = taken.separators  # cells such as 1,656
    spss_decimals = 0  # cells such as 904.0 in a column of whole numbers

    # SPSS exports write whole numbers as 904.0: a column of whole numbers is written as such.
    for i in numeric:
        values = [row[i] for row in cells if row[i] not in ("", *SUPPRESSED)]
        if values and not all(is_integer_text(v) for v in values) and all(float(v).is_integer() for v in values):
            for row in cells:
                if row[i] not in ("", *SUPPRESSED):
                    row[i] = str(int(float(row[i])))
                    spss_decimals += 1

    order = [roles[r] for r in ID_ROLES if r in roles] + numeric_roles + rankings + indicators
    role_of = {index: role for role, index in roles.items()}
    columns = []
    guessed: list[str] = []
    for i in order:
        values = [row[i] for row in cells]
        codes_here = {code: meaning for code, meaning in SUPPRESSED.items() if code in values}
        whole = all(is_integer_text(v) for v in values if v not in ("", *SUPPRESSED))
        if i in role_of:
            role = role_of[i]
            description, unit = ROLE_DESCRIPTIONS[role]
            kind = "string" if i not in numeric else "integer" if whole else "number"
            columns.append(ColumnSpec(role, kind, unit=unit, description=description,
                                      required="" not in values and not codes_here, missing_codes=codes_here,
                                      role=ID_COLUMN_ROLES[role]))
            continue
        name = _key(header[i]) if i in rankings else header[i]
        unit, description = INDICATORS.get(header[i].lower(), (None, ""))
        if i in rankings:
            unit, description = None, _ranking_description(header[i])
        if i in percent:
            unit = "%"
        if i not in numeric:
            columns.append(ColumnSpec(name, "string", description=description or None, role="label"))
            continue
        kind = "integer" if whole else "number"
        role = "score" if i in rankings else indicator_role(header[i], unit, whole)
        if i not in rankings and header[i].lower() not in INDICATORS and unit is None:
            guessed.append(f"{name} ({role})")
        columns.append(ColumnSpec(name, kind, unit=unit, description=description or None, missing_codes=codes_here,
                                  role=role))
    table = sorted(([row[i] for i in order] for row in cells), key=lambda r: r[0])

    edition = _edition(source)
    label = f"SIMD {edition}" if edition else "SIMD"
    councils = len({row[roles["council_area"]] for row in cells})
    ranking_text = (f"Ranks and bands kept: {', '.join(_key(header[i]) for i in rankings)} (1 = most deprived)."
                    if rankings else "The file has no SIMD ranks or quintiles.")
    quirks = []
    if percent:
        quirks.append("percentages published as text such as '12%' are written as numbers (12)")
    if separators:
        quirks.append(f"thousands separators were removed ({separators:,} {'cell' if separators == 1 else 'cells'}, "
                      "such as 1,656 written as 1656)")
    if spss_decimals:
        quirks.append(f"whole numbers exported with a decimal (904.0) are written as whole numbers ({spss_decimals:,} cells)")
    total = suppressed
    if total:
        quirks.append(f"'*' marks a value the Scottish Government withheld ({total:,} cells), kept as a "
                      "missing value with that reason")
    body = (
        f"One row per data zone: {len(table):,} data zones in {councils} council areas, sorted by data zone code. "
        f"{ranking_text} "
        + ("; ".join(quirks)[:1].upper() + "; ".join(quirks)[1:] + ". " if quirks else "")
        + ("Blank cells are missing in the source. " if any("" in row for row in table) else "")
        + "Rates and shares are for the data zone; to compare council "
        "areas, weight them by population (or sum the counts) rather than averaging data zones."
    )
    parts = [f"Scottish Government, Scottish Index of Multiple Deprivation{' ' + edition if edition else ''}: "
             f"indicator data by data zone (file {source.name})."]
    parts.append(f"Retrieved {retrieved}." if retrieved else "Date retrieved: not recorded in the file.")
    parts.append("Imported with `generator import simd`.")
    return ImportedDataset(
        id=dataset_id or slugify(source.stem),
        title=f"{label} indicators by data zone",
        source=source,
        columns=columns,
        rows=table,
        provenance=" ".join(parts),
        body=body,
        licence=OGL,
        la_keys=("council_area",),
        la_names=("council_area",),
        notes=read_notes + [f"{source.name}: no definition known for {', '.join(guessed)}; the role given in brackets is a guess "
               "(whole numbers are taken for counts, so public builds hide small ones): check it in the dataset "
               "document"] if guessed else [],
    )


def indicator_role(header: str, unit: str | None, whole: bool) -> str:
    """Return an indicator's role for disclosure control, from its unit (or, unknown, its name and values)."""
    if unit == "%":
        return "share"
    if unit in ("people", "crimes"):
        return "count"
    if unit is not None and unit.startswith("per "):
        return "rate"
    if unit == "minutes":
        return "mean"
    if unit is not None:
        return "score"  # standardised ratios, attainment score
    key = _key(header)
    if key == "urban":
        return "label"  # a 0/1 flag
    if key.endswith("_count"):
        return "count"
    if key.endswith("_rate"):
        return "rate"
    return "count" if whole else "score"  # the safe guess, as disclosure control makes for an undeclared column


def _ranking_description(header: str) -> str:
    lower = header.lower()
    for band, share in (("vigintile", "5%"), ("decile", "10%"), ("quintile", "20%")):
        if band in lower:
            return f"SIMD {band} (1 = the most deprived {share} of data zones)"
    return "SIMD rank (1 = most deprived data zone)"
