"""Disclosure control: small counts and anything that would reveal them."""

from __future__ import annotations

from generator.compute.disclosure import suppress


def test_primary_suppression_hides_one_to_four_not_zero() -> None:
    hidden = suppress([[0, 1, 4, 5]], {0, 1, 2, 3}, threshold=4)
    assert hidden.cells == {(0, 1), (0, 2)}


def test_secondary_suppression_protects_row_and_column_totals() -> None:
    # A 3 in the middle of a table with row and column totals: hiding it alone
    # would let a reader subtract. The smallest other cells in its row and
    # column are hidden too, and then whatever those open up in turn.
    table = [
        [10, 3, 12],
        [20, 25, 30],
        [40, 50, 60],
    ]
    hidden = suppress(table, {0, 1, 2}, threshold=4, row_totals=True, column_totals=True)
    assert (0, 1) in hidden.cells
    for i in range(3):
        in_row = [c for c in hidden.cells if c[0] == i]
        assert len(in_row) != 1, f"row {i} would reveal its hidden cell"
    for j in range(3):
        in_column = [c for c in hidden.cells if c[1] == j]
        assert len(in_column) != 1, f"column {j} would reveal its hidden cell"


def test_a_total_equal_to_the_hidden_count_is_hidden() -> None:
    hidden = suppress([[0, 3, 0]], {0, 1, 2}, threshold=4, row_totals=True)
    assert hidden.cells == {(0, 1)} and hidden.row_totals == {0}
