"""The one CSV writer: formula cells made text (attacks in tests/privacy/test_injection.py) and notes for symbols."""

from __future__ import annotations

import csv
import io

from generator.compute.missing import BLANK, code_missing
from generator.csv_download import csv_bytes


def read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_each_row_says_what_its_symbols_mean() -> None:
    hidden = code_missing("c", "suppressed by the publisher")
    rows = [["2020", 12, 3.5], ["2021", hidden, BLANK], ["2022", 14, 4.0]]
    assert read(csv_bytes(["year", "count", "rate"], rows)) == [
        ["year", "count", "rate", "notes"],
        ["2020", "12", "3.5", ""],
        ["2021", "[c]", "–", "[c]: suppressed by the publisher. –: no figure: the cell is blank in the source."],
        ["2022", "14", "4.0", ""],
    ]


def test_no_symbols_no_notes_column_and_a_taken_name_is_not_reused() -> None:
    assert read(csv_bytes(["a"], [[1]])) == [["a"], ["1"]]
    table = read(csv_bytes(["notes", "value"], [["checked", BLANK]]))
    assert table[0] == ["notes", "value", "symbol_notes"]
    assert table[1] == ["checked", "–", "–: no figure: the cell is blank in the source."]
