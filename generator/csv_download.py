"""The one writer for every CSV a site offers for download (datasets, chart data).

A spreadsheet runs a text cell that starts with = + - @ (or a tab or carriage
return before one) as a formula: `=HYPERLINK(...)` would send the reader's
data to another host. Such cells get a leading apostrophe, as OWASP advises
for CSV injection, so they open as the text they are. Numbers, including
negative ones, are written unchanged.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from collections.abc import Iterable, Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should read it: text that would start a formula gets a leading '."""
    if value is None or type(value).__name__ == "NAType" or (isinstance(value, float) and value != value):
        return ""  # a blank cell, as pandas writes missing values
    if isinstance(value, (numbers.Number, bool)):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not (_PLAIN_NUMBER.match(text) and any(c.isdigit() for c in text)):
        return "'" + text
    return text


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with every cell (header too) made safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")
