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
