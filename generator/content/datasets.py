"""Read a dataset's CSV file and check it against its declared columns.

The file goes through the one CSV intake (:mod:`generator.intake`), so every
problem names the exact row (as a spreadsheet numbers it, header = row 1)
and column, and title or footnote rows of an official release are not read
as data. A table that passes becomes a pandas DataFrame with the declared
types; cells holding a declared missing code are missing values that keep
their reason in ``frame.attrs["missing_codes"]``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ..errors import did_you_mean
from ..intake import MAX_CSV_BYTES, UTF8, parse_number, read_csv, symbol_hint
from .models import Column, ColumnType, Dataset

__all__ = ["MAX_CSV_BYTES", "CellProblem", "read_table", "line_of_byte"]
MAX_PROBLEMS_PER_COLUMN = 5
_WHOLE = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: str
    message: str


def _integer(text: str) -> int:
    value = parse_number(text)
    if value is None or not value.is_integer() or not _WHOLE.match(text.replace(",", "").replace("\u2212", "-")):
        raise ValueError
    return int(text.replace(",", "").replace("\u2212", "-"))


def _number(text: str) -> float:
    value = parse_number(text)
    if value is None:
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


def line_of_byte(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def read_table(dataset: Dataset, csv_path: Path) -> tuple[pd.DataFrame | None, list[CellProblem]]:
    """Read and check the CSV; return the typed table (None if unusable) and its problems."""
    file, found = read_csv(csv_path, expected="a header row naming the declared columns", encodings=UTF8,
                           max_bytes=MAX_CSV_BYTES)
    rows_left_out = [CellProblem(p.location.line, p.location.column, p.message) for p in found]
    if file is None:
        return None, rows_left_out
    problems: list[CellProblem] = []
    header = file.header
    at = file.header_row
    declared = {column.name: column for column in dataset.columns}
    for name in header:
        if name not in declared:
            problems.append(CellProblem(at, name, "column is not declared in the dataset's front-matter; declare it under columns: or remove it"))
    problems += [CellProblem(p.location.line, p.location.column, p.message) for p in file.duplicate_headers()]
    for name in declared:
        if name not in header:
            problems.append(CellProblem(at, name, f"declared column is missing from the CSV header (found: {', '.join(header)})"))
    if problems:
        return None, problems + rows_left_out

    values: dict[str, list[Any]] = {name: [] for name in header}
    reasons: dict[str, dict[int, str]] = {}  # column -> {row position: missing code}
    per_column: dict[str, int] = {name: 0 for name in header}
    for record in file.records:
        index = record.row
        for name, cell in zip(header, record.cells):
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
    problems += _check_keys(dataset, values, [record.row for record in file.records])
    problems += rows_left_out
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


def _check_keys(dataset: Dataset, values: dict[str, list[Any]], rows: list[int]) -> list[CellProblem]:
    """Each key combination once, and every combination present (a complete panel)."""
    if not dataset.keys:
        return []
    problems: list[CellProblem] = []
    seen: dict[tuple[Any, ...], int] = {}
    combos = list(zip(*(values[k] for k in dataset.keys)))
    for position, combo in enumerate(combos):
        if combo in seen:
            shown = ", ".join(f"{k}={v}" for k, v in zip(dataset.keys, combo))
            problems.append(CellProblem(rows[position], "", f"a second row for {shown} (first at row {rows[seen[combo]]})"))
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
        hint = symbol_hint(cell) if column.type in (ColumnType.INTEGER, ColumnType.NUMBER) else ""
        return None, f"expected {expected}, got '{shown}'{hint}"
