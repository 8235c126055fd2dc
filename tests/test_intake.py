"""The one CSV intake, on every real CSV in ../shared/data as published, and on the quirks of others.

Each real file is also read with the csv module alone (the independent
reading); the intake must give the same header, the same data rows with the
same spreadsheet row numbers, and no problem. The quirks the shared files
lack (Windows-1252, title and footnote rows, semicolons, bracketed symbols)
are made from a real file in a temporary folder; nothing is copied into the
project.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from generator.intake import SYMBOLS, UTF8, UTF8_OR_WINDOWS, clean_number, is_symbol, parse_number, read_csv

# Every CSV under ../shared/data: (data rows, columns, first header) from PROVENANCE.md where it gives them.
REAL_CSVS = {
    "dfe_official/b1_children_in_need_2013_to_2022.csv": (1638, None, "time_period"),
    "dfe_official/c1_children_in_need_referrals_and_rereferrals_2013_to_2022.csv": (1638, None, "time_period"),
    "dfe_official/cla_number_and_rate_per_10k_children.csv": (2520, None, "time_period"),
    "dfe_official/d1_child_protection_plans_2013_to_2022.csv": (1638, None, "time_period"),
    "dfe_official/ons_mid-year_population_estimates.csv": (1474, None, "time_period"),
    "england_la_panel/merged_data.csv": (1970, 162, "new_la_code"),
    "england_la_panel/merged_data_codebook.csv": (162, 2, "var_names"),  # 163 rows with the header
    "formats/survey_exports/limesurvey_codeandtext_answertext_N2-dummy2020.csv": (None, None, "id. Response ID"),
    "formats/survey_exports/limesurvey_codeonly_answercodes_N2-dummy2021.csv": (None, None, "id"),
    "formats/survey_exports/qualtrics_2016-insights_3row_likert_QualtricsTools-NoBasisForEvaluation.csv":
        (None, None, "ResponseID"),
    "scotland/SIMD2020v2_indicators.csv": (6976, None, "Data_Zone"),
    "scotland/simd2016_datazone_indicators.csv": (6976, None, "data_zone_code"),
}
D1 = "dfe_official/d1_child_protection_plans_2013_to_2022.csv"
LIMESURVEY = "formats/survey_exports/limesurvey_codeonly_answercodes_N2-dummy2021.csv"


def independent(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The csv module alone: header, and (row number, cells) of each row with any text."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], [(number, row) for number, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]


def test_every_real_csv_is_listed(shared_data: Path) -> None:
    found = {p.relative_to(shared_data).as_posix() for p in shared_data.rglob("*.csv")}
    assert found == set(REAL_CSVS)


@pytest.mark.parametrize("name", sorted(REAL_CSVS))
def test_every_real_csv_reads_as_the_csv_module_reads_it(shared_data: Path, name: str) -> None:
    rows, width, first = REAL_CSVS[name]
    path = shared_data / name
    header, records = independent(path)
    file, problems = read_csv(path, encodings=UTF8)
    assert problems == [] and file is not None
    assert file.header == [" ".join(h.split()) for h in header]
    assert file.header[0] == first  # the byte-order mark is gone
    assert [(r.row, r.cells) for r in file.records] == records
    assert file.notes == [] and file.encoding == "utf-8" and file.delimiter == ","
    if rows is not None:
        assert len(file.records) == rows
    if width is not None:
        assert len(file.header) == width


def test_the_dfe_symbols_are_counted_as_an_independent_count_gives(shared_data: Path) -> None:
    # c 164 and x 56 in d1 (all geographic levels), counted by the csv module
    file, _ = read_csv(shared_data / D1)
    assert file is not None
    found = Counter(cell for r in file.records for cell in r.cells if is_symbol(cell))
    assert found == {"c": 164, "x": 56}


def test_every_number_in_the_panel_parses_as_python_reads_it(shared_data: Path) -> None:
    file, _ = read_csv(shared_data / "england_la_panel/merged_data.csv")
    assert file is not None
    checked = 0
    for record in file.records:
        for cell in record.cells:
            try:
                expected = float(cell)
            except ValueError:
                assert parse_number(cell) is None or "," in cell, cell
                continue
            if expected == expected and abs(expected) != float("inf"):
                assert parse_number(cell) == expected
                checked += 1
    assert checked > 250_000  # 1,970 rows x 162 columns, less the NA cells (33,679) and text


def test_thousands_separators_and_the_unicode_minus() -> None:
    assert clean_number("1,656") == "1656" and parse_number("12,345.5") == 12345.5
    assert parse_number("\u22124.5") == -4.5
    assert parse_number("1,5") is None  # not a grouping: a decimal comma is not guessed
    assert parse_number("1,6566") is None and parse_number("nan") is None and parse_number("inf") is None
    assert {"c", "x", "z", "u", "..", ":", "[c]", "[x]", "low", "*"} <= set(SYMBOLS) and is_symbol(" [Z] ")


# --- quirks made from a real file --------------------------------------------------


def test_title_and_footnote_rows_are_notes_not_data(shared_data: Path, tmp_path: Path) -> None:
    text = (shared_data / D1).read_text(encoding="utf-8-sig")
    path = tmp_path / "d1.csv"
    path.write_text("Table D1: Children who were the subject of a child protection plan,,,\n\n" + text
                    + "\nSource: Children in need census,,,\nc = suppressed (1 to 5)\n[x] not available\n"
                    + '"1. Hackney sent no data for 2021 and 2022, so its figures are shown as x in those years."\n',
                    encoding="utf-8")
    header, records = independent(shared_data / D1)
    file, problems = read_csv(path)
    assert problems == [] and file is not None
    assert file.header_row == 3 and file.header == header
    assert [r.cells for r in file.records] == [cells for _, cells in records]
    assert file.records[0].row == 4  # as a spreadsheet numbers it, below the title and the blank row
    notes = [(r.row, r.cells[0]) for r in file.notes]
    assert notes[0] == (1, "Table D1: Children who were the subject of a child protection plan")
    last = len(text.splitlines()) + 2
    assert [n for n, _ in notes[1:]] == [last + 2, last + 3, last + 4, last + 5]


def test_windows_1252_is_refused_for_content_and_read_for_imports(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / LIMESURVEY
    text = source.read_text(encoding="utf-8-sig")
    assert "Universität" in text
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    line = text[: text.index("Universität")].count("\n") + 1
    file, problems = read_csv(path, shown="export.csv", encodings=UTF8)
    assert file is None and [str(p) for p in problems] == [
        f"export.csv:{line}: not UTF-8 text (byte 0xe4); it reads as Windows-1252, Excel's plain 'CSV' format: "
        "save it as 'CSV UTF-8' (or import it with `generator import`)"]
    file, problems = read_csv(path, encodings=UTF8_OR_WINDOWS)
    assert problems == [] and file is not None and file.encoding == "cp1252"
    original, _ = read_csv(source)
    assert original is not None and [r.cells for r in file.records] == [r.cells for r in original.records]


def test_semicolons_and_every_short_row_at_once(shared_data: Path, tmp_path: Path) -> None:
    header, records = independent(shared_data / "england_la_panel/merged_data_codebook.csv")
    path = tmp_path / "codebook.csv"
    lines = [";".join(header)] + [";".join(cells) for _, cells in records if ";" not in "".join(cells)]
    lines[5] = lines[5].split(";")[0]
    lines[9] = lines[9] + ";extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    file, problems = read_csv(path, shown="codebook.csv")
    assert file is not None and file.delimiter == ";" and file.header == header
    assert [str(p) for p in problems] == [
        "codebook.csv:6: expected 2 cells as in the header, found 1",
        "codebook.csv:10: expected 2 cells as in the header, found 3",
    ]
    assert len(file.records) == len(lines) - 3


def test_files_that_are_no_csv(tmp_path: Path, shared_data: Path) -> None:
    assert [str(p) for p in read_csv(shared_data / "imd_england/imd-2019.xlsx", shown="imd.xlsx",
                                     expected="a CSV of LAs")[1]] == [
        "imd.xlsx: is an Excel workbook (or another zip file), not a CSV; expected a CSV of LAs "
        "(save the sheet as 'CSV UTF-8')"]
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    assert [str(p) for p in read_csv(empty, shown="empty.csv")[1]] == [
        "empty.csv:1: the file is empty; expected a header row naming the columns"]
    assert [str(p) for p in read_csv(empty, shown="big.csv", max_bytes=1)[1]] == [
        "big.csv: file is 0 MB; CSV files are limited to 0 MB"]


# --- workbooks and declarations ------------------------------------------------------


def test_a_real_workbook_sheet_reads_as_openpyxl_gives_it(shared_data: Path) -> None:
    from openpyxl import load_workbook

    from generator.intake import read_sheet

    path = shared_data / "s251_raw" / "S251ye2018.xlsx"
    file, problems = read_sheet(path, "Table A1", shown="s251.xlsx")
    assert problems == [] and file is not None
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = list(workbook["Table A1"].iter_rows(values_only=True))
    workbook.close()
    assert file.header == [str(cell) for cell in rows[0]]
    assert len(file.records) == len(rows) - 1 == 5472
    for record in file.records[:: 97]:
        source = rows[record.row - 1]
        for text, value in zip(record.cells, source):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert float(text) == value  # exactly: a workbook's pence survive the text
            else:
                assert text == ("" if value is None else str(value))
    missing, problems = read_sheet(path, "IMD", shown="s251.xlsx", expected="an IMD workbook")
    assert missing is None and [str(p) for p in problems] == [
        "s251.xlsx: no sheet 'IMD' (sheets: Table A1); expected an IMD workbook"]


def _declared() -> "object":
    from generator.intake import INTEGER, NUMBER, Declaration, Field

    return Declaration(
        expected="a test table",
        fields=(Field("code", headers=("Area code", "code"), filled=True, pattern=r"A\d", shown="a code such as A1"),
                Field("level", headers=("Level",)),
                Field("count", headers=("Count",), kind=INTEGER),
                Field("share", headers=("Share",), kind=NUMBER, percent=True)),
        keep=("level", "Area"),
        others=Field("other"),
        symbols={"c": "suppressed"},
        unique=("code",),
    )


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


ROWS: list[list[object]] = [
    ["Area code", "Level", "Count", "Share", "Note"],
    ["A1", "Area", 1656, "12%", "n"],
    ["A2", "Area", "c", 0.5, "m"],
    ["", "Country", 9, 1, "-"],
    ["B3", "Area", 2.5, "lots", "o"],
    ["A1", "Area", "", "", "p"],
    ["", "Area", 3, 1, "q"],
]


def test_one_declaration_reads_a_csv_and_a_workbook_alike_with_the_same_messages(tmp_path: Path) -> None:
    from generator.intake import NUMBER, TEXT, read_sheet, take

    csv_path = tmp_path / "t.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["1,656" if cell == 1656 else cell for cell in row] for row in ROWS])
    from_csv, _ = read_csv(csv_path, shown="t")
    from_sheet, _ = read_sheet(_workbook(tmp_path / "t.xlsx", ROWS), "Data", shown="t")
    results = []
    for file in (from_csv, from_sheet):
        assert file is not None
        taken, problems = take(file, _declared())  # type: ignore[arg-type]
        assert taken is not None
        results.append(([(c.name, c.kind, c.codes, c.percent) for c in taken.columns], taken.rows, taken.dropped,
                         [str(p) for p in problems]))
    assert results[0] == results[1]
    columns, rows, dropped, problems = results[0]
    assert columns == [("code", TEXT, {}, False), ("level", TEXT, {}, False), ("count", "integer", {"c": "suppressed"}, False),
                       ("share", NUMBER, {}, True), ("Note", TEXT, {}, False)]
    assert [number for number, _ in rows] == [2, 3, 5, 6, 7] and dropped == {"Country": 1}
    assert rows[0][1] == {"code": "A1", "level": "Area", "count": "1656", "share": "12", "Note": "n"}
    assert rows[1][1]["count"] == "c"  # a symbol is kept as written: the reason travels with the cell
    assert sorted(problems) == [
        "t:0 [Area code]: A1 appears 2 times",
        "t:5 [Area code]: expected a code such as A1, got 'B3'",
        "t:5 [Count]: expected a whole number or one of the missing-value codes (c), got '2.5'",
        "t:5 [Share]: expected a number, a percentage or one of the missing-value codes (c), got 'lots'",
        "t:7 [Area code]: expected a code such as A1, found a blank cell",
    ]


def test_a_declaration_names_every_missing_column_and_an_empty_selection(tmp_path: Path) -> None:
    from generator.intake import take

    path = tmp_path / "t.csv"
    path.write_text("Level,Other\nCountry,1\n", encoding="utf-8")
    file, _ = read_csv(path, shown="t")
    assert file is not None
    taken, problems = take(file, _declared())  # type: ignore[arg-type]
    assert taken is None and [str(p) for p in problems] == [
        "t:1: missing expected column(s) code (header 'Area code' or 'code'), count (header 'Count'), "
        "share (header 'Share'); expected a test table (found: Level, Other)"]
    path.write_text("code,Level,Count,Share\nA1,Country,1,2\n", encoding="utf-8")
    file, _ = read_csv(path, shown="t")
    taken, problems = take(file, _declared())  # type: ignore[arg-type]
    assert taken is None and [str(p) for p in problems] == [
        "t:1: no rows with Level 'Area' (found: Country); expected a test table"]
