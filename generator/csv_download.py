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
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .compute.missing import Missing, footnotes

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


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with every cell (header too) made safe to open in a spreadsheet, and notes for symbols."""
    rows = [list(row) for row in rows]
    header = list(header)
    if any(isinstance(value, Missing) for row in rows for value in row):
        header.append(notes_column(header))
        rows = [[*row, " ".join(footnotes(row))] for row in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def notes_column(header: Sequence[Any]) -> str:
    """The name of the notes column: 'notes', or a name no column of the table has."""
    taken = {str(name) for name in header}
    name = "notes"
    while name in taken:
        name = f"symbol_{name}"
    return name
