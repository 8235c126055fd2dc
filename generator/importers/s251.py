"""Section 251 outturn, Table A1: line-level spending on children's services, summed by category.

Table A1 has one row per LA and s251 line. Besides the spending lines
(3.0.1, 3.1.1, ...) it holds each category's own total line ("3.1.11 Total
Children Looked After"), the grand totals (5.0.2 excluding and 5.0.3
including capital expenditure from revenue), the capital line itself (4.0.1
CERA) and memorandum lines already counted above (8a.1, 8a.2 "included in
3.5.1 and 3.5.2 above"). The grand totals and memoranda are filed under a
service's ReportGroup (youth justice or services for young people), so
summing every row of a group would count spending twice. Only the spending
lines are summed; the file's own category totals and grand total are then
used as a check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..errors import UserError
from ..intake import NUMBER, Declaration, Field
from .common import OGL, ColumnSpec, ImportedDataset, ImportProblems, format_number, problem, slugify, take_file

SHEET = "Table A1"
EXPECTED = "a section 251 outturn workbook (DfE 'LA and school expenditure') with a sheet 'Table A1'"

# (code, label, s251 section, ReportGroup spellings after _normalise). The codes
# match the panel's gspend_* columns; the spellings vary between years
# ("...FAMILIES SERVICES" in 2017-18, "...FAMILY SERVICES" in 2018-19).
CATEGORIES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("ss5", "Sure Start children's centres and other spend on children under 5", "3.0",
     ("SURE START CHILDRENS CENTRES AND OTHER SPEND ON CHILDREN UNDER 5", "SURE START CHILDRENS CENTRES AND EARLY YEARS",
      "SURE START CHILDRENS CENTRES")),
    ("cla", "Children looked after", "3.1", ("CHILDREN LOOKED AFTER",)),
    ("oth", "Other children and family services", "3.2",
     ("OTHER CHILDREN AND FAMILIES SERVICES", "OTHER CHILDREN AND FAMILY SERVICES")),
    ("saf", "Safeguarding children and young people's services", "3.3",
     ("SAFEGUARDING CHILDREN AND YOUNG PEOPLES SERVICES", "SAFEGUARDING")),
    ("fss", "Family support services", "3.4", ("FAMILY SUPPORT SERVICES",)),
    ("yps", "Services for young people", "3.5", ("SERVICES FOR YOUNG PEOPLE",)),
    ("yjs", "Youth justice", "3.6", ("YOUTH JUSTICE",)),
]
_BY_GROUP = {spelling: code for code, _, _, spellings in CATEGORIES for spelling in spellings}
_LABEL = {code: label for code, label, _, _ in CATEGORIES}
_ORDER = {code: index for index, (code, _, _, _) in enumerate(CATEGORIES)}
_SECTION = {section: code for code, _, section, _ in CATEGORIES}
TOLERANCE = 0.5  # £: the workbook's totals are in pence; sums of floats differ in the last place


NOT_AVAILABLE = "x"  # DfE's symbol for "not available"
_MISSING = {NOT_AVAILABLE: "not available: s251 lines of the category are blank and the workbook's totals "
                           "do not show that they add nothing"}


def _normalise(group: str) -> str:
    text = group.upper().replace("’", "'").replace("'", "")
    return " ".join(text.split())


def year_of(source: Path) -> str | None:
    """Return '2017-18' for a file named like S251ye2018.xlsx (year ending March 2018)."""
    match = re.search(r"ye_?(\d{4})", source.stem, re.IGNORECASE)
    if not match:
        return None
    end = int(match.group(1))
    return f"{end - 1}-{end % 100:02d}"


DECLARATION = Declaration(
    expected=EXPECTED,
    fields=(
        Field("LA", filled=True, shown="an LA code", convert=lambda cell: cell[:-2] if cell.endswith(".0") else cell),
        Field("LA Name"),
        Field("ReportGroup", choices=_BY_GROUP, choice_key=_normalise,
              shown="the s251 service categories (" + "; ".join(label for _, label, _, _ in CATEGORIES) + ")"),
        Field("Description"),
        Field("s251line"),
        Field("TotalExpenditure", kind=NUMBER, shown="an amount in £"),
        Field("NetCurrentExpenditure", kind=NUMBER, shown="an amount in £"),
    ),
)


def import_s251(source: Path, dataset_id: str | None = None, retrieved: str | None = None,
                year: str | None = None) -> ImportedDataset:
    """Sum Table A1's spending lines into one row per LA and service category."""
    if year is not None and not re.fullmatch(r"\d{4}-\d{2}", year):
        raise UserError(f"--year '{year}': expected a financial year such as 2017-18")
    taken = take_file(source, DECLARATION, sheet=SHEET)
    # Table A1 does not state its year: the file name does (S251ye2018 = year ending March 2018).
    year = year or year_of(source)
    if year is None:
        raise UserError(f"{source}: cannot tell the year from the file name (expected a name like S251ye2018.xlsx "
                        "for 2017-18); give it with --year 2017-18")

    problems = []
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    own_totals: list[tuple[int, str, str, str, float | None, float | None]] = []  # row, la, category or "", line
    names: dict[str, str] = {}
    lines_used: dict[str, str] = {}
    excluded: dict[str, str] = {}
    notes: list[str] = []
    blank_lines: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # blank amounts, by column
    for number, row in taken.rows:
        category, la = row["ReportGroup"], row["LA"]
        names.setdefault(la, row["LA Name"])
        line = row["s251line"]
        description = " ".join(row["Description"].split())
        amounts = [float(row[column]) if row[column] else None for column in ("TotalExpenditure", "NetCurrentExpenditure")]
        wording = re.sub(r"^\S+\s+", "", description).lower()
        is_total = wording.startswith("total")
        if line.startswith("3.") and not is_total:
            section = ".".join(line.split(".")[:2])
            if _SECTION.get(section, category) != category:
                notes.append(f"{source.name}:{number}: line {line} is filed under ReportGroup "
                             f"'{_LABEL[category]}'; summed there as the ReportGroup says")
            for index, amount in enumerate(amounts):
                totals[(la, category)][index] += amount or 0.0  # the lines given; blanks are settled below
                blank_lines[(la, category)][index] += amount is None
            lines_used.setdefault(line, description)
        elif line.startswith("3.") and is_total:
            own_totals.append((number, la, category, line, amounts[0], amounts[1]))
            excluded.setdefault(line, description)
        else:
            if wording.startswith("total") and "excluding cera" in wording:  # 5.0.2, the grand total
                own_totals.append((number, la, "", line, amounts[0], amounts[1]))
            excluded.setdefault(line, description)

    # The workbook's own totals must agree with the sums, or the lines were not what we think. Where lines
    # are blank, a total that the given lines reach proves that the blanks add nothing to the category; where
    # it does not (or there is no total), the category's sum is unknown: it stays missing, not £0.
    settled: set[tuple[str, str, int]] = set()  # (la, category, column index) whose blanks a total proves to add 0
    unproven: dict[tuple[str, str, int], str] = {}  # ... whose blanks stay missing, and why
    grand: list[tuple[int, str, str, float | None, float | None]] = []
    for number, la, category, line, total, net in own_totals:
        if not category:
            grand.append((number, la, line, total, net))
            continue
        summed = totals.get((la, category), [0.0, 0.0])
        for index, (column, expected) in enumerate((("TotalExpenditure", total), ("NetCurrentExpenditure", net))):
            blanks = blank_lines[(la, category)][index]
            if expected is None:
                continue
            agrees = abs(expected - summed[index]) <= TOLERANCE
            if blanks and agrees:
                settled.add((la, category, index))
            elif blanks:
                unproven[(la, category, index)] = (
                    f"line {line} gives {format_number(expected, 2)}, the lines given sum to "
                    f"{format_number(summed[index], 2)}: the blank lines are not zero")
            elif not agrees:
                problems.append(problem(source, (
                    f"line {line} gives {format_number(expected, 2)} but the {_LABEL[category].lower()} lines of "
                    f"LA {la} sum to {format_number(summed[index], 2)}"), number, column))
    for (la, category), counts in blank_lines.items():
        for index, blanks in enumerate(counts):
            if blanks and (la, category, index) not in settled:
                unproven.setdefault((la, category, index), "no category total to check the blank lines against")
    for number, la, line, total, net in grand:
        for index, (column, expected) in enumerate((("TotalExpenditure", total), ("NetCurrentExpenditure", net))):
            if expected is None:
                continue
            got = sum(v[index] for (code, _), v in totals.items() if code == la)
            open_ = [key for key in unproven if key[0] == la and key[2] == index]
            agrees = abs(expected - got) <= TOLERANCE
            if len(open_) == 1 and agrees:  # the grand total proves the one open category's blanks add nothing
                settled.add(open_[0])
                del unproven[open_[0]]
            elif not open_ and not agrees:
                problems.append(problem(source, (
                    f"line {line} gives {format_number(expected, 2)} but all spending lines of LA {la} sum to "
                    f"{format_number(got, 2)}"), number, column))
    if not totals and not problems:
        problems.append(problem(source, f"sheet '{SHEET}' has no spending lines (s251 lines 3.x); expected {EXPECTED}"))
    if problems:
        raise ImportProblems(problems)

    table = []
    for (la, category) in sorted(totals, key=lambda key: (key[0].zfill(6), _ORDER[key[1]])):
        cells = [NOT_AVAILABLE if (la, category, index) in unproven else format_number(amount, 2)
                 for index, amount in enumerate(totals[(la, category)])]
        table.append([year, la, names[la], category, _LABEL[category], *cells])
    blank = sum(sum(counts) for counts in blank_lines.values())
    if blank:
        proven = sum(blank_lines[(la, category)][index] for la, category, index in settled)
        text = (f"{source.name}: {blank} blank amount(s) on spending lines; "
                f"{proven} of them shown by the workbook's totals to add nothing to their category")
        if unproven:
            listed = [f"LA {la} {category} {('TotalExpenditure', 'NetCurrentExpenditure')[index]} ({why})"
                      for (la, category, index), why in sorted(unproven.items())]
            text += (f"; {len(unproven)} category sum(s) left missing ('{NOT_AVAILABLE}'), not counted as £0: "
                     + "; ".join(listed[:5]) + ("; ..." if len(listed) > 5 else ""))
        notes.append(text)
    missing_codes = _MISSING if unproven else {}
    columns = [
        ColumnSpec("year", "string", description="Financial year (April to March) of the outturn", required=True,
                   role="year"),
        ColumnSpec("la_code", "string", description="DfE's 3-digit code of the local authority", required=True,
                   role="identifier"),
        ColumnSpec("la_name", "string", description="Name of the local authority", required=True, role="label"),
        ColumnSpec("category_code", "string", required=True, role="identifier",
                   description="Short code of the service category (as in the CWIP panel's gspend_* columns)"),
        ColumnSpec("category", "string", description="Service category (the s251 ReportGroup)", required=True,
                   role="label"),
        ColumnSpec("total_expenditure", "number", unit="£ (cash)", required=True, role="amount",
                   description="Gross expenditure: the sum of TotalExpenditure over the category's s251 lines",
                   missing_codes=missing_codes),
        ColumnSpec("net_current_expenditure", "number", unit="£ (cash)", required=True, role="amount",
                   description="Gross expenditure less income: the sum of NetCurrentExpenditure over the category's lines",
                   missing_codes=missing_codes),
    ]
    las = len({row[1] for row in table})
    dropped = "; ".join(f"{line} {_strip_line(text)}" for line, text in sorted(excluded.items(), key=lambda kv: _line_key(kv[0])))
    body = (
        f"One row per local authority and service category: {las} LAs × {len(CATEGORIES)} categories, "
        f"{year} outturn in cash terms (not adjusted for inflation). Each row sums the s251 spending lines "
        f"of its category ({len(lines_used)} lines in all: {', '.join(sorted(lines_used, key=_line_key))}). "
        f"Left out, because they repeat or are not current spending on a service: {dropped}. "
        "The category totals and the grand total excluding CERA in the workbook were checked against the sums. "
        + (f"{blank} amount(s) on spending lines are blank; a category sum is given only where the workbook's "
           "totals show its blank lines add nothing, and is otherwise `x` (not available), not £0. " if blank else "")
        + "`total_expenditure` is gross spending; `net_current_expenditure` subtracts income such as fees and "
        "grants from other bodies. Divide by the child population for spending per child, and deflate to a base "
        "year before comparing years."
    )
    parts = [f"Department for Education (DfE), LA and school expenditure: section 251 outturn {year}, "
             f"Table A1 (file {source.name})."]
    parts.append(f"Retrieved {retrieved}." if retrieved else "Date retrieved: not recorded in the file.")
    parts.append("Imported with `generator import s251`: lines summed by service category.")
    return ImportedDataset(
        id=dataset_id or slugify(f"s251-{year}"),
        title=f"Section 251 outturn {year}: spending on children's and young people's services by category",
        source=source,
        columns=columns,
        rows=table,
        provenance=" ".join(parts),
        body=body,
        licence=OGL,
        la_keys=("la_code", "la_name"),
        la_names=("la_name",),  # la_code is DfE's 3-digit number
        notes=sorted(set(notes)),
    )


def _strip_line(description: str) -> str:
    return re.sub(r"^\S+\s+", "", description)


def _line_key(line: str) -> tuple[tuple[int, str], ...]:
    """Sort s251 lines as numbered: 3.1.2a before 3.1.10, 5.0.3 before 8a.1."""
    parts = []
    for part in line.split("."):
        match = re.match(r"(\d*)(.*)", part)
        assert match is not None
        parts.append((int(match.group(1)) if match.group(1) else -1, match.group(2)))
    return tuple(parts)
