"""One intake for every CSV the tool reads: from bytes to a header and numbered records.

Dataset files (``content/datasets.py``), survey waves (``surveys/responses.py``),
the importers (``importers/``) and ``generator stats`` all read their CSVs
here, so they accept the same files and say the same things about them. Each
problem names the file, the row as a spreadsheet numbers it (header = row 1)
and the column, and says what was expected; every problem is collected before
anything fails.

What official releases and survey tools put in a CSV, and what happens to it:

* a UTF-8 byte-order mark is dropped; CRLF line ends and quoted line breaks
  are read as the csv module reads them;
* Windows-1252 (Excel's plain "CSV" format) is decoded where the caller allows
  it (importers, ``stats``). Files under ``content/`` must be UTF-8, because
  every other check reads them as such; the message says how to save them so;
* a semicolon or tab delimiter (Excel in many European locales) is recognised
  from the header line when it holds no comma;
* title rows above the header (a table name alone in its first cell) and
  footnote rows after the table ("Source: ...", "Note 1: ...", "[c] ...") are
  kept apart as :attr:`CsvFile.notes`, never read as data;
* header cells are tidied (surrounding spaces, line breaks and runs of spaces);
* numbers may carry thousands separators (``1,656``) and a Unicode minus;
  publishers' symbols for a missing figure are listed in :data:`SYMBOLS`.

A sheet of an .xlsx workbook is read into the same :class:`CsvFile`
(:func:`read_sheet`), its cells as the text a CSV export would hold. The
importers then say what they expect as a :class:`Declaration` - fields with
their header spellings, kinds, roles and units, the rows to keep, the
symbols a number cell may hold - and :func:`take` runs it: the same steps and
the same row/column messages for every importer and either kind of file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import Problem, SourceLocation

MAX_CSV_BYTES = 100 * 1024 * 1024
UTF8 = ("utf-8",)
UTF8_OR_WINDOWS = ("utf-8", "cp1252")

# The symbols UK official statistics put where a number is not published. The
# GSS guidance on symbols (2021) writes them in brackets ([c], [x], ...); DfE
# and older releases write them bare; ".." and ":" are older ONS/Eurostat
# forms; "*" is the Scottish Government's for a withheld value.
SYMBOLS: dict[str, str] = {
    "c": "suppressed: a small number, or secondary suppression, to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "k": "rounds to zero but is not zero",
    "low": "rounds to zero but is not zero",
    "..": "not available",
    ":": "not available",
    "*": "withheld (small numbers or disclosure control)",
    "[c]": "suppressed to protect confidentiality",
    "[x]": "not available",
    "[z]": "not applicable",
    "[u]": "low reliability",
    "[low]": "rounds to zero but is not zero",
    "[w]": "no data for this period",
}

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_FOOTNOTE = re.compile(
    r"^(source|sources|note|notes|footnote|footnotes|symbols?|key|contact|copyright|crown copyright|©|\*|†|‡"
    r"|\[(c|x|z|u|low|w|note \d+)\]|\d{1,2}[.):]\s|\(\d{1,2}\)\s"
    r"|\S{1,5}\s*(=|:|-|\u2013)\s)", re.IGNORECASE)  # the last: a symbol's legend, "c = suppressed", "x: not available"


@dataclass(frozen=True)
class Record:
    """One row of data: its number as a spreadsheet shows it, and its cells as written."""

    row: int
    cells: list[str]


@dataclass
class CsvFile:
    """A CSV read and split: its tidied header, its data records and the rows that are notes, not data."""

    path: str  # as messages show it
    header: list[str]
    records: list[Record]
    header_row: int = 1
    encoding: str = "utf-8"
    delimiter: str = ","
    notes: list[Record] = field(default_factory=list)  # title rows above the header, footnotes below

    def problem(self, row: int, column: str, message: str) -> Problem:
        return Problem(SourceLocation(self.path, row, column), message)

    def duplicate_headers(self) -> list[Problem]:
        """Return a problem for each header that appears twice."""
        seen: set[str] = set()
        found = []
        for name in self.header:
            if name in seen and name:
                found.append(self.problem(self.header_row, name, "column header appears twice"))
            seen.add(name)
        return found

    def missing_columns(self, wanted: Iterable[str], expected: str) -> list[Problem]:
        """Return one problem naming every column of ``wanted`` the header lacks."""
        missing = [name for name in wanted if name not in self.header]
        if not missing:
            return []
        found = ", ".join(h for h in self.header if h) or "none"
        return [self.problem(self.header_row, "", (
            f"missing expected column(s) {', '.join(missing)}; expected {expected} (found: {found})"))]


def tidy_header(cell: str) -> str:
    """Return a header cell without surrounding spaces, line breaks or runs of spaces."""
    return " ".join(cell.split())


def _decode(data: bytes, path: str, encodings: tuple[str, ...]) -> tuple[str | None, str, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
    if "cp1252" in encodings:
        try:
            return data.decode("cp1252"), "cp1252", []
        except UnicodeDecodeError:
            pass
    else:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            return None, "", [Problem(SourceLocation(path, line), (
                f"not UTF-8 text (byte 0x{byte:02x}); it reads as Windows-1252, Excel's plain 'CSV' format: "
                "save it as 'CSV UTF-8' (or import it with `generator import`)"))]
    return None, "", [Problem(SourceLocation(path, line), f"not UTF-8 text (byte 0x{byte:02x}); save the CSV as UTF-8")]


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


def _filled(cells: list[str]) -> list[int]:
    return [i for i, cell in enumerate(cells) if cell.strip()]


def _is_note(cells: list[str]) -> bool:
    """A row whose only text is in its first cell and reads as a note ('Source: ...', '1. ...', '[c] ...')."""
    filled = _filled(cells)
    if filled != [0]:
        return False
    text = cells[0].strip()
    return bool(_FOOTNOTE.match(text)) or (len(text) > 60 and " " in text)


def read_csv(
    path: Path | str,
    *,
    shown: str | None = None,
    expected: str = "a header row naming the columns",
    encodings: tuple[str, ...] = UTF8,
    max_bytes: int = MAX_CSV_BYTES,
) -> tuple[CsvFile | None, list[Problem]]:
    """Read a CSV; return it split into header, records and notes, and every problem found.

    ``expected`` says what the file should be, for the messages; ``encodings``
    is :data:`UTF8` for content files and :data:`UTF8_OR_WINDOWS` where a file
    comes straight from Excel. The file is None when it cannot be read at all;
    records whose number of cells differs from the header's are reported and
    left out, so the caller can report its own problems with the rest.
    """
    path = Path(path)
    where = shown or str(path)

    def fail(row: int, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(SourceLocation(where, row), message)]

    try:
        size = path.stat().st_size
    except OSError as error:
        return fail(0, f"cannot be read ({error.strerror}); expected {expected}")
    if size > max_bytes:
        return fail(0, f"file is {size / 1e6:.0f} MB; CSV files are limited to {max_bytes // 1_000_000} MB")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return fail(0, f"is an Excel workbook (or another zip file), not a CSV; expected {expected} "
                       "(save the sheet as 'CSV UTF-8')")
    text, encoding, problems = _decode(data, where, encodings)
    if text is None:
        return None, problems
    if "\x00" in text:
        return fail(text[: text.index("\x00")].count("\n") + 1, "holds NUL bytes: not a text file (save it as CSV UTF-8)")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            rows.append((len(rows) + 1, cells))
    except csv.Error as error:
        return fail(reader.line_num, f"cannot read the CSV: {error}")
    data_rows = [(number, cells) for number, cells in rows if _filled(cells)]
    if not data_rows:
        return fail(1, f"the file is empty; expected {expected}")

    # Title rows above the header: a table name alone in the first cell, while later rows hold several cells.
    notes: list[Record] = []
    while len(data_rows) > 1 and _filled(data_rows[0][1]) == [0] and any(len(_filled(c)) > 1 for _, c in data_rows[1:]):
        notes.append(Record(*data_rows.pop(0)))
    header_row, header_cells = data_rows[0]
    header = [tidy_header(cell) for cell in header_cells]
    width = len(header)
    body = data_rows[1:]
    # Footnotes: the rows after the last one holding data, each a note alone in its first cell.
    end = len(body)
    while width > 1 and end > 0 and _is_note(body[end - 1][1]):
        end -= 1
    notes += [Record(number, cells) for number, cells in body[end:]]
    records = []
    for number, cells in body[:end]:
        if len(cells) != width:
            problems.append(Problem(SourceLocation(where, number), (
                f"expected {width} cells as in the header" + (f" (row {header_row})" if header_row != 1 else "")
                + f", found {len(cells)}")))
            continue
        records.append(Record(number, cells))
    return CsvFile(where, header, records, header_row, encoding, delimiter, notes), problems


# --- cells ---------------------------------------------------------------------


def clean_number(text: str) -> str | None:
    """Return the number ``text`` holds, as plain digits (no thousands separators), or None if it holds none."""
    text = text.strip().replace("\u2212", "-")  # a Unicode minus sign, as some releases print it
    if _GROUPED.match(text):
        text = text.replace(",", "")
    return text if _NUMBER.match(text) else None


def parse_number(text: str) -> float | None:
    """Return the number in ``text`` (thousands separators allowed), or None."""
    cleaned = clean_number(text)
    if cleaned is None:
        return None
    value = float(cleaned)
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def is_symbol(text: str) -> bool:
    """True if ``text`` is one of the publishers' symbols for a figure not published."""
    return text.strip().lower() in SYMBOLS


def symbol_hint(text: str) -> str:
    """Return advice for a number column holding a publisher's symbol not declared as a missing code, or ''."""
    code = text.strip()
    if code.lower() not in SYMBOLS:
        return ""
    return (f"; if '{code}' stands for a figure not published ({SYMBOLS[code.lower()]}), declare it under "
            f"the column's missing_codes with its meaning")


# --- workbooks -------------------------------------------------------------------


def _sheet_text(value: object) -> str:
    """Return a workbook cell as the text a CSV export would hold (numbers exactly, no float noise added)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[attr-defined,no-any-return]
    return str(value)


def read_sheet(
    path: Path | str,
    sheet: str,
    *,
    shown: str | None = None,
    expected: str = "a workbook",
) -> tuple[CsvFile | None, list[Problem]]:
    """Read one sheet of an .xlsx workbook as :func:`read_csv` reads a CSV: header on row 1, records as text.

    Cells become the text a CSV export of the sheet would hold (a number as
    Python writes it, exactly; a blank cell as ''), so everything after
    reading - declarations, numbers, missing codes, messages - is the same
    for a workbook as for a CSV. Rows are numbered as the spreadsheet shows
    them; blank rows are skipped.
    """
    import warnings
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    where = shown or str(path)

    def fail(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(SourceLocation(where, 0), message)]

    with warnings.catch_warnings():
        # Official workbooks carry drawings, styles and extensions openpyxl
        # cannot represent; it warns and skips them, which is harmless to values.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\..*",
                                message=r"(DrawingML support is incomplete|Workbook contains no default style"
                                        r"|Data Validation extension|Conditional Formatting extension"
                                        r"|Unknown extension|Cannot parse header or footer)")
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            return fail(f"cannot be read as an .xlsx workbook ({error}); expected {expected}")
        try:
            if sheet not in workbook.sheetnames:
                return fail(f"no sheet '{sheet}' (sheets: {', '.join(workbook.sheetnames)}); expected {expected}")
            rows = [[_sheet_text(cell) for cell in row] for row in workbook[sheet].iter_rows(values_only=True)]
        finally:
            workbook.close()
    if not rows:
        return fail(f"sheet '{sheet}' is empty; expected {expected}")
    header = [tidy_header(cell) for cell in rows[0]]
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    records = [Record(number, (cells + [""] * width)[:width])
               for number, cells in enumerate(rows[1:], start=2) if _filled(cells)]
    return CsvFile(where, header, records, 1, "xlsx", ""), []


# --- declarations: which columns, what they hold, which rows ---------------------------------------

TEXT, NUMBER, INTEGER = "text", "number", "integer"


@dataclass(frozen=True)
class Field:
    """One column a file is expected to hold, and what its cells may be.

    ``headers`` are the spellings it is known by (compared through the
    declaration's ``key``); the first found is taken and the column is
    renamed to ``name``. A number column takes plain numbers (thousands
    separators and a Unicode minus allowed; ``12%`` with ``percent``), a
    blank, or one of the declaration's ``symbols``, kept as written so the
    dataset remembers why the figure is missing. ``role``, ``unit`` and
    ``description`` are what the written dataset document says of it.
    """

    name: str
    headers: tuple[str, ...] = ()
    kind: str = TEXT  # text | number | integer
    required: bool = True  # the header must hold it
    filled: bool = False  # every kept row must have a value
    pattern: str | None = None  # a text cell must match it whole
    convert: object = None  # a text cell -> its value, or None if it is not one (a callable)
    choices: dict[str, str] | None = None  # choice_key(cell) -> value: a text cell must be one of them
    choice_key: object = None  # how a cell is compared with the choices (a callable; default: as written)
    shown: str = ""  # what a good value looks like, for messages ("a data zone code such as S01006506")
    percent: bool = False  # a number may be written 12%
    role: str | None = None
    unit: str | None = None
    description: str | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        return self.headers or (self.name,)


@dataclass(frozen=True)
class Declaration:
    """What an importer expects of a file: its fields, which rows it keeps, what other columns are."""

    expected: str  # what the file should be, for messages
    fields: tuple[Field, ...]
    key: object = None  # header -> comparable form (a callable; default: the tidied header, lower case)
    keep: tuple[str, str] | None = None  # (field, value): only rows whose field holds the value are data
    others: Field | None = None  # a template for undeclared columns: None leaves them out
    symbols: dict[str, str] = field(default_factory=dict)  # codes a number cell may hold instead
    symbols_shown: str = ""  # how messages name them ("one of DfE's symbols (c, x, ...)")
    unique: tuple[str, ...] = ()  # fields whose values together must not repeat
    skip: tuple[str, ...] = ()  # headers (as keyed) never taken as other columns

    def key_of(self, header: str) -> str:
        return self.key(header) if callable(self.key) else tidy_header(header).lower()  # type: ignore[no-any-return]


@dataclass
class Column:
    """A column as taken: the field that declared it, the header it was found under, what it holds."""

    field: Field
    header: str
    kind: str
    percent: bool = False  # some cells were written as 12%
    codes: dict[str, str] = field(default_factory=dict)  # the symbols found in it, with their meanings
    blanks: int = 0

    @property
    def name(self) -> str:
        return self.field.name


@dataclass
class Taken:
    """A file read through its declaration: its columns and its kept rows, cells cleaned, by field name."""

    file: CsvFile
    columns: list[Column]
    rows: list[tuple[int, dict[str, str]]]
    dropped: dict[str, int] = field(default_factory=dict)  # rows left out by ``keep``, by value
    separators: int = 0  # number cells that carried thousands separators

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def values(self, name: str) -> list[str]:
        return [row[name] for _, row in self.rows]


def _number_kind(cells: list[str], symbols: dict[str, str], percent: bool) -> bool:
    values = [c.strip() for c in cells if c.strip()]
    parsed = [c for c in values if clean_number(c[:-1] if percent and c.endswith("%") else c) is not None]
    return bool(parsed) or (bool(values) and all(v in symbols for v in values))


def take(file: CsvFile, declaration: Declaration) -> tuple[Taken | None, list[Problem]]:
    """Find the declared columns, keep the declared rows and check and clean every cell; collect every problem.

    The steps are the same for every importer: match the header (one message
    naming every missing column), keep the rows ``keep`` asks for (a message
    if none is left), classify the other columns as numbers or text, then read
    each cell as its field says (one message per bad cell, at its row and
    column) and check that ``unique`` fields do not repeat.
    """
    problems: list[Problem] = []
    keyed = [declaration.key_of(h) if h else "" for h in file.header]
    found: dict[str, int] = {}
    for spec in declaration.fields:
        wanted = {declaration.key_of(s) for s in spec.spellings}
        index = next((i for i, k in enumerate(keyed) if k in wanted and i not in found.values()), None)
        if index is not None:
            found[spec.name] = index
    missing = [spec.name for spec in declaration.fields if spec.required and spec.name not in found]
    if missing:
        by_name = {spec.name: spec for spec in declaration.fields}
        shown = ", ".join(
            name if by_name[name].spellings == (name,)
            else f"{name} (header " + " or ".join(f"'{s}'" for s in by_name[name].spellings[:2]) + ")"
            for name in missing)
        have = ", ".join(h for h in file.header if h) or "none"
        return None, [file.problem(file.header_row, "", (
            f"missing expected column(s) {shown}; expected {declaration.expected} (found: {have})"))]

    records = file.records
    dropped: dict[str, int] = {}
    if declaration.keep:
        name, value = declaration.keep
        at = found[name]
        kept = []
        for record in records:
            cell = record.cells[at].strip()
            if cell == value:
                kept.append(record)
            else:
                dropped[cell] = dropped.get(cell, 0) + 1
        if not kept:
            return None, [file.problem(file.header_row, "", (
                f"no rows with {file.header[at]} '{value}' (found: {', '.join(sorted(dropped)) or 'none'}); "
                f"expected {declaration.expected}"))]
        records = kept

    specs = {spec.name: spec for spec in declaration.fields}
    columns = [Column(specs[name], file.header[index], specs[name].kind) for name, index in found.items()]
    indexes = list(found.values())
    if declaration.others is not None:
        skip = {declaration.key_of(s) for s in declaration.skip}
        for index, header in enumerate(file.header):
            if index in indexes or not header or keyed[index] in skip:
                continue
            template = declaration.others
            cells = [record.cells[index] for record in records]
            kind = NUMBER if _number_kind(cells, declaration.symbols, template.percent) else TEXT
            spec = Field(header, kind=kind, required=False, percent=template.percent, role=template.role,
                         unit=template.unit, description=template.description)
            columns.append(Column(spec, header, kind))
            indexes.append(index)

    codes = ", ".join(declaration.symbols) if declaration.symbols else ""
    symbols_shown = declaration.symbols_shown or (f"one of the missing-value codes ({codes})" if codes else "")
    rows: list[tuple[int, dict[str, str]]] = []
    separators = 0
    for record in records:
        row: dict[str, str] = {}
        for column, index in zip(columns, indexes):
            spec = column.field
            cell = record.cells[index].strip()
            bad = ""
            if cell == "":
                column.blanks += 1
                if spec.filled:
                    bad = f"expected {spec.shown or 'a value'}, found a blank cell"
            elif spec.kind == TEXT and column.kind == TEXT:
                if spec.choices is not None:
                    value = spec.choices.get(spec.choice_key(cell) if callable(spec.choice_key) else cell)
                    if value is None:
                        bad = f"unknown {column.header} '{cell}'; expected one of {spec.shown}"
                    else:
                        cell = value
                elif spec.pattern is not None and not re.fullmatch(spec.pattern, cell):
                    bad = f"expected {spec.shown or 'a value matching ' + spec.pattern}, got '{cell}'"
                elif callable(spec.convert):
                    converted = spec.convert(cell)
                    if converted is None:
                        bad = f"expected {spec.shown or 'a value'}, got '{cell}'"
                    else:
                        cell = converted
            elif cell in declaration.symbols:
                column.codes[cell] = declaration.symbols[cell]
            else:
                text = cell[:-1] if spec.percent and cell.endswith("%") else cell
                cleaned = clean_number(text)
                whole = spec.kind == INTEGER
                if cleaned is None or (whole and not float(cleaned).is_integer()):
                    what = "a whole number" if whole else "a number"
                    if spec.percent:
                        what += ", a percentage"
                    bad = f"expected {what}{' or ' + symbols_shown if symbols_shown else ''}, got '{cell}'"
                else:
                    separators += "," in text
                    column.percent |= text != cell
                    cell = str(int(float(cleaned))) if whole and not _INTEGER_TEXT.match(cleaned) else cleaned
            if bad:
                problems.append(file.problem(record.row, column.header, bad))
            row[column.name] = cell
        rows.append((record.row, row))

    if declaration.unique:
        seen: dict[tuple[str, ...], int] = {}
        for _, row in rows:
            combination = tuple(row[name] for name in declaration.unique if name in row)
            seen[combination] = seen.get(combination, 0) + 1
        header = ", ".join(c.header for c in columns if c.name in declaration.unique)
        for combination, count in sorted(seen.items()):
            if count > 1:
                problems.append(file.problem(0, header, f"{' and '.join(combination)} appears {count} times"))
    return Taken(file, columns, rows, dropped, separators), problems


_INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
