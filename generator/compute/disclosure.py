"""Disclosure control for public builds: small counts hidden, and nothing that would reveal them.

Primary suppression hides every count from 1 to the threshold (4 by
default, as many official statistics do). Secondary suppression then hides
a second cell in any row or column whose total is shown and which would
otherwise have exactly one hidden cell, because the total minus the shown
cells would give the hidden count away. Rates and shares computed from a
hidden count are hidden too (done by the callers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

MARKER = "c"
NOTE = "c: suppressed to protect privacy (a count from 1 to {threshold}, or a figure that would reveal one)."


def is_small(value: float | None, threshold: int) -> bool:
    return value is not None and value == value and 1 <= value <= threshold


@dataclass
class Suppressed:
    """Which cells (row, column), row totals and column totals are hidden."""

    cells: set[tuple[int, int]] = field(default_factory=set)
    row_totals: set[int] = field(default_factory=set)
    column_totals: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.cells or self.row_totals or self.column_totals)


def suppress(
    values: Sequence[Sequence[float | None]],
    count_columns: set[int],
    threshold: int,
    row_totals: bool = False,
    column_totals: bool = False,
) -> Suppressed:
    """Return the cells to hide in a table of counts (see the module docstring)."""
    hidden = Suppressed()
    rows = len(values)
    for i in range(rows):
        for j in count_columns:
            if is_small(values[i][j], threshold):
                hidden.cells.add((i, j))

    def complete(line: list[tuple[int, int]], total_index: int, totals: set[int]) -> bool:
        """Hide one more cell in a line with a single hidden cell; hide its total if there is none to hide."""
        inside = [c for c in line if c in hidden.cells]
        if len(inside) != 1 or total_index in totals:
            return False
        candidates = [c for c in line if c not in hidden.cells and (values[c[0]][c[1]] or 0) > 0]
        if candidates:
            hidden.cells.add(min(candidates, key=lambda c: (values[c[0]][c[1]], c)))
        else:
            totals.add(total_index)  # the total alone would equal the hidden count
        return True

    changed = True
    while changed:
        changed = False
        if row_totals:
            for i in range(rows):
                changed |= complete([(i, j) for j in sorted(count_columns)], i, hidden.row_totals)
        if column_totals:
            for j in sorted(count_columns):
                changed |= complete([(i, j) for i in range(rows)], j, hidden.column_totals)
    return hidden
