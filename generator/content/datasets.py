"""Read a dataset's CSV file and check it against its declared columns.

The csv module rather than pandas reads the file, so every problem can name
the exact row (as a spreadsheet numbers it, header = row 1) and column.
A table that passes becomes a pandas DataFrame with the declared types.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ..errors import did_you_mean
from .models import Column, ColumnType, Dataset

MAX_CSV_BYTES = 100 * 1024 * 1024
MAX_PROBLEMS_PER_COLUMN = 5


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: str
    message: str


def _integer(text: str) -> int:
    cleaned = text.replace(",", "")
    if not cleaned.lstrip("+-").isdigit():
        raise ValueError
    return int(cleaned)


def _number(text: str) -> float:
    value = float(text.replace(",", ""))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError
    return value


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise ValueError


_PARSERS: dict[ColumnType, tuple[Callable[[str], Any], str]] = {
    ColumnType.INTEGER: (_integer, "a whole number"),
    ColumnType.NUMBER: (_number, "a number"),
    ColumnType.DATE: (_date, "a date as YYYY-MM-DD"),
    ColumnType.BOOLEAN: (_boolean, "true or false"),
    ColumnType.STRING: (str, "text"),
}


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without a byte-order mark); raise UnicodeDecodeError otherwise."""
    return data.decode("utf-8-sig")


def line_of_byte(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def read_table(dataset: Dataset, csv_path: Path) -> tuple[pd.DataFrame | None, list[CellProblem]]:
    """Read and check the CSV; return the typed table (None if unusable) and its problems."""
    problems: list[CellProblem] = []
    size = csv_path.stat().st_size
    if size > MAX_CSV_BYTES:
        return None, [CellProblem(0, "", f"file is {size / 1e6:.0f} MB; datasets are limited to {MAX_CSV_BYTES // 1_000_000} MB")]
    data = csv_path.read_bytes()
    try:
        text = decode_text(data)
    except UnicodeDecodeError as error:
        line = line_of_byte(data, error.start)
        return None, [CellProblem(line, "", f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the CSV as UTF-8")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        return None, [CellProblem(reader.line_num, "", f"cannot read the CSV: {error}")]
    if not rows or not any(cell.strip() for cell in rows[0]):
        return None, [CellProblem(1, "", "the CSV is empty; expected a header row naming the declared columns")]

    header = [cell.strip() for cell in rows[0]]
    declared = {column.name: column for column in dataset.columns}
    for name in header:
        if name not in declared:
            problems.append(CellProblem(1, name, "column is not declared in the dataset's front-matter; declare it under columns: or remove it"))
    seen = set()
    for name in header:
        if name in seen:
            problems.append(CellProblem(1, name, "column header appears twice"))
        seen.add(name)
    for name in declared:
        if name not in header:
            problems.append(CellProblem(1, name, f"declared column is missing from the CSV header (found: {', '.join(header)})"))
    if problems:
        return None, problems

    values: dict[str, list[Any]] = {name: [] for name in header}
    reasons: dict[str, dict[int, str]] = {}  # column -> {row position: missing code}
    per_column: dict[str, int] = {name: 0 for name in header}
    for index, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line at the end of an export
        if len(row) != len(header):
            problems.append(CellProblem(index, "", f"expected {len(header)} cells as in the header, found {len(row)}"))
            continue
        for name, cell in zip(header, row):
            column: Column = declared[name]
            if cell.strip() in column.missing_codes:
                reasons.setdefault(name, {})[len(values[name])] = cell.strip()
                values[name].append(None)
                continue
            parsed, message = _parse_cell(column, cell.strip())
            if message is not None:
                per_column[name] += 1
                if per_column[name] <= MAX_PROBLEMS_PER_COLUMN:
                    problems.append(CellProblem(index, name, message))
            values[name].append(parsed)
    for name, count in per_column.items():
        if count > MAX_PROBLEMS_PER_COLUMN:
            problems.append(CellProblem(0, name, f"{count - MAX_PROBLEMS_PER_COLUMN} more problem(s) in this column not shown"))
    problems += _check_keys(dataset, values, len(rows))
    if problems:
        return None, problems
    frame = pd.DataFrame({name: values[name] for name in header})
    for column in dataset.columns:
        if column.type is ColumnType.INTEGER:
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.type is ColumnType.NUMBER:
            frame[column.name] = frame[column.name].astype("Float64")
    # Why each missing value is missing, e.g. {"referrals": {4: "c"}}, for footnotes.
    frame.attrs["missing_codes"] = reasons
    return frame, []


def _check_keys(dataset: Dataset, values: dict[str, list[Any]], _rows: int) -> list[CellProblem]:
    """Each key combination once, and every combination present (a complete panel)."""
    if not dataset.keys:
        return []
    problems: list[CellProblem] = []
    seen: dict[tuple[Any, ...], int] = {}
    combos = list(zip(*(values[k] for k in dataset.keys)))
    for position, combo in enumerate(combos):
        if combo in seen:
            shown = ", ".join(f"{k}={v}" for k, v in zip(dataset.keys, combo))
            problems.append(CellProblem(position + 2, "", f"a second row for {shown} (first at row {seen[combo] + 2})"))
        seen.setdefault(combo, position)
    levels = [sorted({c[i] for c in combos if c[i] is not None}, key=str) for i in range(len(dataset.keys))]
    expected = 1
    for level in levels:
        expected *= len(level)
    if expected != len(seen) and expected <= 1_000_000:
        import itertools

        absent = [combo for combo in itertools.product(*levels) if combo not in seen]
        for combo in absent[:MAX_PROBLEMS_PER_COLUMN]:
            shown = ", ".join(f"{k}={v}" for k, v in zip(dataset.keys, combo))
            problems.append(CellProblem(0, "", f"no row for {shown}: every combination of {', '.join(dataset.keys)} must be present"))
        if len(absent) > MAX_PROBLEMS_PER_COLUMN:
            problems.append(CellProblem(0, "", f"{len(absent) - MAX_PROBLEMS_PER_COLUMN} more missing combination(s) not shown"))
    return problems


def _parse_cell(column: Column, cell: str) -> tuple[Any, str | None]:
    if cell == "":
        if column.required:
            return None, "blank cell in a required column"
        return None, None
    if column.values and cell not in column.values:
        shown = cell if len(cell) <= 40 else cell[:37] + "..."
        return None, f"expected one of {', '.join(column.values)}, got '{shown}'{did_you_mean(cell, column.values)}"
    parse, expected = _PARSERS[column.type]
    try:
        return parse(cell), None
    except (ValueError, OverflowError):
        shown = cell if len(cell) <= 40 else cell[:37] + "..."
        return None, f"expected {expected}, got '{shown}'"
