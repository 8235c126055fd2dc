"""Match a block's rows of counts to their denominator in another dataset, on declared key columns.

DfE publishes counts and ONS the child population in separate files; a
block's ``population_from`` (``content.blocks.Join``) names the second
dataset and the keys. Keys are compared as trimmed text, so a year read as
a number in one file and as text in the other still matches.
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from ..content.blocks import Join

MAX_SHOWN = 10  # unmatched keys named one by one per block; the rest are counted


def _key(frame: pd.DataFrame, position: int, columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(frame[c].iloc[position]).strip() for c in columns)


def match_rows(counts: pd.DataFrame, positions: Sequence[int], join: Join, other: pd.DataFrame) -> list[int | None]:
    """For each row of counts at ``positions``: the position of its one matching row in ``other`` (None: none)."""
    left = [a for a, _ in join.pairs()]
    right = [b for _, b in join.pairs()]
    index: dict[tuple[str, ...], int | None] = {}
    for position in range(len(other)):
        key = _key(other, position, right)
        index[key] = None if key in index else position  # a key twice matches nothing: it is ambiguous
    return [index.get(_key(counts, p, left)) for p in positions]


def check_join(join: Join, counts: pd.DataFrame, positions: Sequence[int], other: pd.DataFrame,
               counts_file: str, other_file: str) -> list[str]:
    """A message for each row of counts without exactly one denominator row, naming the CSV file and line."""
    left = [a for a, _ in join.pairs()]
    right = [b for _, b in join.pairs()]
    found: dict[tuple[str, ...], list[int]] = {}
    for position in range(len(other)):
        found.setdefault(_key(other, position, right), []).append(position)
    messages: list[str] = []
    unmatched = 0
    for position in positions:
        key = _key(counts, position, left)
        rows = found.get(key, [])
        if len(rows) == 1:
            continue
        unmatched += 1
        if unmatched > MAX_SHOWN:
            continue
        shown = ", ".join(f"{a}={v}" for a, v in zip(left, key))
        # CSV lines as a spreadsheet numbers them: the header is line 1
        if not rows:
            messages.append(f"population_from: {counts_file}:{position + 2} ({shown}) has no row in {other_file} "
                            f"with {', '.join(f'{b}={v}' for b, v in zip(right, key))}; add it, or narrow the block "
                            f"with years: or la:")
        else:
            lines = ", ".join(str(r + 2) for r in rows)
            messages.append(f"population_from: {counts_file}:{position + 2} ({shown}) matches {len(rows)} rows of "
                            f"{other_file} (lines {lines}); the keys {', '.join(right)} must pick one row")
    if unmatched > MAX_SHOWN:
        messages.append(f"population_from: {unmatched - MAX_SHOWN} more row(s) of {counts_file} without exactly one "
                        f"row in {other_file}")
    return messages


def joined_column(counts: pd.DataFrame, positions: Sequence[int], join: Join, other: pd.DataFrame,
                  column: str) -> list[tuple[int | None, Any]]:
    """(row in ``other``, value) of ``column`` for each row of counts; (None, None) where nothing matches."""
    return [(q, None if q is None else other[column].iloc[q]) for q in match_rows(counts, positions, join, other)]
