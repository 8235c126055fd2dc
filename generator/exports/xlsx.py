"""Excel workbooks: the framework matrix (with a sheet of extracts per code), and any computed table.

One writer for every workbook the tool makes. Text is always written as
text: a cell that starts with ``=`` stays the words it is and never becomes a
formula (openpyxl would otherwise store it as one), so no study content can
run in a reader's spreadsheet. Hyperlinks go only to the study's own pages.
The bytes depend on the content alone (fixed timestamps), so a rebuild of an
unchanged study writes the same file.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import numbers
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..compute.matrix import Matrix, prose_of
from ..compute.missing import Missing, footnotes
from ..compute.tables import ComputedTable
from ..output import cached_bytes, value_digest
from ..render.i18n import localised, ntranslate, translate
from ..render.markdown import plain_text
from ..view import PUBLIC, SiteView

STAMP = dt.datetime(2000, 1, 1)
MAX_CELL = 32_767  # Excel's limit for the text of one cell
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    """One worksheet as values: rows of cells, with the links, fills and layout the writer applies."""

    title: str
    rows: list[list[Any]] = field(default_factory=list)
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column), 1-based -> URL
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> #RRGGBB
    bold_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    widths: dict[int, float] = field(default_factory=dict)
    freeze: str | None = None  # the top-left cell that scrolls, e.g. "C6"
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # number formats


def sheet_title(wanted: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("-", wanted).strip("'") or "Sheet"
    title, number = base[:31], 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Missing):
        return value.symbol
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        text = str(value)
        return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _contrast(colour: str) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "FFFFFF"


def workbook_bytes(sheets: list[Sheet], cache: Path | None = None) -> bytes:
    """The workbook of ``sheets``, the same bytes for the same sheets; kept in ``cache`` (a build's
    .cache/workbooks) by a hash of the sheets, this writer and openpyxl, so a rebuild reads it back."""
    if cache is None:
        return _workbook(sheets)
    import openpyxl

    name = hashlib.sha256(value_digest(sheets, openpyxl.__version__) + _writer_digest()).hexdigest()[:24]
    return cached_bytes(cache, f"{name}.xlsx", lambda: _workbook(sheets))


@functools.cache
def _writer_digest() -> bytes:
    return hashlib.sha256(Path(__file__).read_bytes()).digest()


def _workbook(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    book.properties.created = book.properties.modified = STAMP
    book.properties.creator = "generator"
    for planned in sheets:
        sheet = book.create_sheet(planned.title)
        for r, row in enumerate(planned.rows, 1):
            for c, value in enumerate(row, 1):
                value = _text(value)
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
                    if "\n" in value or len(value) > 40:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                if r in planned.bold_rows:
                    cell.font = Font(bold=True)
        for (r, c), url in planned.links.items():
            cell = sheet.cell(row=r, column=c)
            cell.hyperlink = url
            cell.font = Font(color="0645AD", underline="single", bold=r in planned.bold_rows)
        for (r, c), colour in planned.fills.items():
            cell = sheet.cell(row=r, column=c)
            cell.fill = PatternFill("solid", fgColor=colour.lstrip("#").upper())
            if cell.hyperlink is None:
                cell.font = Font(bold=True, color=_contrast(colour))
        for (r, c), number_format in planned.formats.items():
            sheet.cell(row=r, column=c).number_format = number_format
        for first_row, first_col, last_row, last_col in planned.merges:
            sheet.merge_cells(start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col)
        from openpyxl.utils import get_column_letter

        for column, width in planned.widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = width
        if planned.freeze:
            sheet.freeze_panes = planned.freeze
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same zip with every entry's time fixed, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(info.filename, (2000, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- the framework matrix -------------------------------------------------------------------------------------------

def _link(base: str, target: str, here: str) -> str:
    """A link to the page ``target`` (a docs .md path) from a workbook at ``here``, or under ``base`` if given."""
    html = target[:-3] + ".html" if target.endswith(".md") else target
    if base:
        return base.rstrip("/") + "/" + html
    return posixpath.relpath(html, posixpath.dirname(here) or ".")


def matrix_workbook(view: SiteView, matrix: Matrix, here: str = "framework-matrix.xlsx", base: str = "") -> bytes:
    """The matrix as a workbook: the matrix sheet, the coding frame, and one sheet of extracts per code.

    ``here`` is where the workbook sits in the site (links are relative to it)
    unless ``base``, the site's address, makes them absolute.
    """
    from ..render.pages import code_document_path, source_path

    language = view.language
    _ = partial(translate, language=language)
    taken: set[str] = set()
    public = view.audience == PUBLIC
    top = Sheet(sheet_title(_("Matrix"), taken))
    title = _("Framework matrix: %(title)s") % {"title": view.project.title}
    if not view.is_cross_case:
        title += f" ({localised(view.local_authorities[0].model, 'name', language)})"
    top.rows.append([title])
    top.bold_rows.add(1)
    note = _("Rows are case-study sites; columns are codes, grouped by theme. A filled cell is its code document's "
             "summary and opens its page.")
    if view.project.fictional:
        note += " " + _("The study is fictional.")
    if public:
        note += " " + _("Public edition: only what the public site shows.")
    top.rows.append([note])
    top.rows.append([])
    groups = [(theme, list(codes)) for theme, codes in matrix.groups]
    theme_row, code_row = ["", ""], [_("Site"), _("Local authority")]
    column = 3
    for theme, codes in groups:
        theme_row += [theme.label] + [""] * (len(codes) - 1)
        top.merges.append((4, column, 4, column + len(codes) - 1)) if len(codes) > 1 else None
        for offset, code in enumerate(codes):
            code_row.append(f"{code.id} · {code.label}")
            top.fills[(4, column + offset)] = theme.colour
            top.fills[(5, column + offset)] = theme.colour
            top.widths[column + offset] = 42
        column += len(codes)
    top.rows += [theme_row, code_row]
    top.bold_rows |= {4, 5}
    top.widths.update({1: 26, 2: 20})
    top.freeze = "C6"
    for r, row in enumerate(matrix.rows, 6):
        values: list[Any] = [row.site.name, localised(row.la, "name", language)]
        for c, cell in enumerate(row.cells, 3):
            if cell.document is None:
                values.append("")
                continue
            summary = plain_text(prose_of(cell.document.body)) or cell.preview
            counts = (ntranslate("%(num)s extract", "%(num)s extracts", cell.extracts, language) + " · "
                      + ntranslate("%(num)s source", "%(num)s sources", cell.sources, language))
            values.append(f"{summary}\n\n{counts}")
            top.links[(r, c)] = _link(base, code_document_path(cell.document.model), here)
        top.rows.append(values)
    sheets = [top, _coding_frame_sheet(view, matrix, taken)]
    for code in matrix.codes:
        sheet = _extracts_sheet(view, code, taken, here, base, source_path, code_document_path)
        if sheet is not None:
            sheets.append(sheet)
    return workbook_bytes(sheets, view.cache)


def _coding_frame_sheet(view: SiteView, matrix: Matrix, taken: set[str]) -> Sheet:
    _ = partial(translate, language=view.language)
    sheet = Sheet(sheet_title(_("Coding frame"), taken))
    sheet.rows.append([_("Theme"), _("Code"), _("Label"), _("Parent"), _("Description"), _("Code documents")])
    sheet.bold_rows.add(1)
    sheet.widths.update({1: 22, 2: 18, 3: 30, 4: 14, 5: 70, 6: 14})
    sheet.freeze = "A2"
    documents = {code.id: sum(cell.filled for row in matrix.rows for cell in row.cells if cell.code.id == code.id)
                 for code in matrix.codes}
    for r, (theme, codes) in enumerate(((t, c) for t, cs in matrix.groups for c in cs), 2):
        sheet.rows.append([theme.label, codes.id, codes.label, codes.parent or "", codes.description.strip(),
                           documents[codes.id]])
        sheet.fills[(r, 1)] = theme.colour
    return sheet


def _extracts_sheet(view: SiteView, code: Any, taken: set[str], here: str, base: str,
                    source_path: Any, code_document_path: Any) -> Sheet | None:
    """The extracts coded with ``code`` that this audience may read, each linked to where its site shows it."""
    public = view.audience == PUBLIC
    rows: list[tuple[Any, str]] = []
    for source in view.sources:
        site = view.site_by_id[source.model.site].model
        for extract in source.extracts:
            if code.id not in extract.codes:
                continue
            seen = view.extract(f"{source.model.id}#{extract.id}")
            if seen is None or seen.removed:
                continue
            cited = view.cited_in(source.model.id, extract.id)
            if public and not cited:
                continue  # a public site shows a passage only where a code document quotes it
            target = (code_document_path(cited[0].model) if public else source_path(source.model.id))
            link = _link(base, target, here) + ("" if public else f"#{extract.id}")
            rows.append(([site.name, localised(view.la_of_site(site.id), "name", view.language), source.model.title, extract.id,
                          ", ".join(extract.codes), plain_text(seen.extract.text)], link))
    if not rows:
        return None
    sheet = Sheet(sheet_title(code.id, taken))
    sheet.rows.append([f"{code.id} · {code.label}"])
    sheet.bold_rows |= {1, 2}
    _ = partial(translate, language=view.language)
    sheet.rows.append([_("Site"), _("Local authority"), _("Source"), _("Extract"), _("Codes"), _("Text")])
    sheet.widths.update({1: 22, 2: 18, 3: 30, 4: 22, 5: 14, 6: 90})
    sheet.freeze = "A3"
    sheet.fills[(1, 1)] = view.theme_of(code).colour
    for r, (values, link) in enumerate(rows, 3):
        sheet.rows.append(values)
        sheet.links[(r, 4)] = link
    return sheet


# --- computed tables ------------------------------------------------------------------------------------------------

_FORMATS = {"integer": "#,##0", "number": "#,##0.0", "percent": "0.0%", "money": "£#,##0"}


def table_values(table: ComputedTable, percent_points: bool = True) -> tuple[list[str], list[list[Any]]]:
    """A computed table's header and rows as its downloads give them: each figure to the precision the page
    shows (a download never publishes more than the page), hidden cells as c, missing ones as their symbol.

    Percentages are points (12.5) for a CSV, whose header says %, or fractions (0.125) for a workbook,
    whose cells are formatted as percentages.
    """
    header = [f"{label} ({unit})" if unit else label for label, unit in table.header]
    rows = []
    for row in table.rows:
        values: list[Any] = []
        for cell in row:
            value = cell.value
            if cell.kind == "suppressed":
                value = "c"
            elif value is None:
                value = ""
            elif isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value:
                if cell.kind == "integer":
                    value = int(round(value))
                elif cell.kind == "number":
                    value = round(float(value), 1)
                elif cell.kind == "money":
                    value = int(round(value))
                elif cell.kind == "percent":
                    value = round(value * 100, 1) if percent_points else round(value, 3)
            values.append(value)
        rows.append(values)
    return header, rows


def table_workbook(table: ComputedTable, cache: Path | None = None) -> bytes:
    """A computed table as a workbook laid out as the GSS guidance on releasing statistics in spreadsheets
    advises: the table alone on its sheet, under its title and one line saying where its notes are; the
    notes (each symbol's meaning, the page's notes, the source) in a table of their own on a Notes sheet."""
    from ..csv_download import note_lines

    language = table.language
    _ = partial(translate, language=language)
    header, rows = table_values(table, percent_points=False)
    lines = note_lines(footnotes((v for row in rows for v in row), language), table.notes, table.source, language)
    taken: set[str] = set()
    sheet = Sheet(sheet_title(_("Table"), taken))
    sheet.rows += [[table.caption], [
        _("This worksheet holds one table; its notes (what each symbol means, and the source) are on the "
          "Notes worksheet.") if lines else _("This worksheet holds one table.")], header]
    sheet.bold_rows |= {1, 3}
    sheet.freeze = "B4"
    sheet.widths.update({c: 18 for c in range(1, len(header) + 1)})
    sheet.widths[1] = 30
    for r, (row, cells) in enumerate(zip(rows, table.rows), 4):
        sheet.rows.append(row)
        for c, cell in enumerate(cells, 1):
            if cell.kind in _FORMATS and isinstance(row[c - 1], numbers.Real) and not isinstance(row[c - 1], bool):
                sheet.formats[(r, c)] = _FORMATS[cell.kind]
    if not lines:
        return workbook_bytes([sheet], cache)
    notes = Sheet(sheet_title(_("Notes"), taken))
    notes.rows += [[_("Notes")], [_("Note"), _("Text")]]
    notes.bold_rows |= {1, 2}
    notes.freeze = "A3"
    notes.widths.update({1: 14, 2: 100})
    number = 0
    marked = _("Note: %(note)s").split("%(note)s")[0]  # how note_lines marks a note that is not a symbol's
    for line in lines:
        label, _colon, text = line.partition(": ")
        if line.startswith(marked):
            number += 1
            label = _("Note %(number)s") % {"number": number}
            text = line[len(marked):]
        notes.rows.append([label, text])
    return workbook_bytes([sheet, notes], cache)
