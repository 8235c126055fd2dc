"""The one writer for every CSV a site offers for download (datasets, chart data).

A spreadsheet runs a text cell that starts with = + - @ (or a tab or carriage
return before one) as a formula: `=HYPERLINK(...)` would send the reader's
data to another host. Such cells get a leading apostrophe, as OWASP advises
for CSV injection, so they open as the text they are. Numbers, including
negative ones, are written unchanged.

A missing figure (compute.missing.Missing) is written as its symbol, and the
download gets a last column of notes saying, row by row, what each symbol in
the row means: a CSV has no footnotes, and a reader who opens the file alone
must still learn that [x] is not a zero.

The footnotes the page shows beneath the table or chart follow the data
after one blank row, each alone in the first cell: every symbol's meaning
("[x]: not available."), the page's own notes ("Note: ...") and the source
("Source: ..."). A spreadsheet shows them as the page does; a program reading
the file stops at the blank row (``generator.intake`` itself reads them back
as notes, not data).
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .compute.missing import Missing, footnotes
from .render.i18n import translate

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should read it: text that would start a formula gets a leading '."""
    if value is None or type(value).__name__ == "NAType" or (isinstance(value, float) and value != value):
        return ""  # a blank cell, as pandas writes missing values
    if isinstance(value, Missing):
        value = value.symbol
    if isinstance(value, (numbers.Number, bool)):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not (_PLAIN_NUMBER.match(text) and any(c.isdigit() for c in text)):
        return "'" + text
    return text


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]], notes: Sequence[str] = (),
              source: str = "", language: str = "en") -> bytes:
    """UTF-8 CSV with every cell (header too) made safe to open in a spreadsheet, a note on each row holding
    a symbol, and the footnotes (each symbol's meaning, ``notes``, ``source``) after a blank row, the
    generator's words in ``language``."""
    rows = [list(row) for row in rows]
    header = list(header)
    symbols = footnotes((value for row in rows for value in row), language)
    if symbols:
        header.append(notes_column(header, language))
        rows = [[*row, " ".join(footnotes(row, language))] for row in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    lines = note_lines(symbols, notes, source, language)
    if lines:
        writer.writerow([])
        for line in lines:
            writer.writerow([_cell(line)])
    return buffer.getvalue().encode("utf-8")


def _cell(value: Any) -> Any:
    """A safe cell whose text holds no lone carriage return: the csv module quotes a field only for the line
    terminator's characters ("\n" here), and a spreadsheet reads an unquoted "\r" as the start of a new row,
    whose first cell could then be a formula. As a newline the field is quoted and stays one cell."""
    value = safe_cell(value)
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def note_lines(symbols: Sequence[str], notes: Sequence[str] = (), source: str = "", language: str = "en") -> list[str]:
    """The footnotes of a download, each once: symbols' meanings first, then the page's notes, then the source.

    A note that is itself a symbol's meaning ("c: suppressed ...") is kept as it is; any other is marked
    "Note:" so that it reads, and is read back, as a note.
    """
    lines = list(dict.fromkeys(symbols))
    for note in notes:
        text = note if _SYMBOL_NOTE.match(note) else translate("Note: %(note)s", language) % {"note": note}
        if note not in lines and text not in lines:
            lines.append(text)
    if source:
        worded = translate("Source: %(source)s", language)
        already = source.startswith(worded.split("%(source)s")[0])  # a chart's source line says "Source:" itself
        lines.append(source if already else worded % {"source": source})
    return lines


_SYMBOL_NOTE = re.compile(r"^(\[[^\]]{1,8}\]|\S{1,3}): ")


def notes_column(header: Sequence[Any], language: str = "en") -> str:
    """The name of the notes column: 'notes', or a name no column of the table has."""
    taken = {str(name) for name in header}
    name = translate("notes", language)
    while name in taken:
        name = f"symbol_{name}"
    return name
