"""A dataset's CSV read through the intake: a real DfE release as published, and the messages for odd files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import yaml

from generator.pipeline import load_and_validate
from ..conftest import problems_of

D1 = "dfe_official/d1_child_protection_plans_2013_to_2022.csv"
IDS = {"time_identifier", "geographic_level", "country_code", "country_name", "region_code", "region_name",
       "old_la_code", "new_la_code", "la_name", "Category"}
CODES = {"c": "suppressed (1 to 5)", "x": "not available"}


def _declare(folder: Path, header: list[str], csv_name: str) -> None:
    columns = [{"name": "time_period", "type": "integer", "role": "year"}]
    for name in header[1:]:
        if name in IDS:
            columns.append({"name": name, "type": "string", "role": "label"})
        else:
            columns.append({"name": name, "type": "number", "role": "rate" if "rate" in name else "count",
                            "label": f"CPP measure {len(columns)}",  # a declared label: no label warning
                            "missing_codes": dict(CODES)})  # a copy each: no YAML alias
    front = {"type": "dataset", "id": "d1", "title": "Child protection plans", "file": csv_name,
             "columns": columns, "provenance": "DfE, Characteristics of children in need 2022 (file d1).",
             "licence": "Open Government Licence v3.0"}
    (folder / "d1.md").write_text("---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\nAs published.\n",
                                  encoding="utf-8")


def test_a_real_release_with_its_title_and_footnotes_loads_and_keeps_its_codes(
        mini: Path, shared_data: Path) -> None:
    with (shared_data / D1).open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    header, body = rows[0], rows[1:]
    text = (shared_data / D1).read_text(encoding="utf-8-sig")
    (mini / "data").mkdir()
    (mini / "data/d1.csv").write_text(
        "Children who were the subject of a child protection plan,,\n" + text
        + "Source: children in need census,,\nc = suppressed (1 to 5)\n", encoding="utf-8")
    _declare(mini / "data", header, "d1.csv")
    study, warnings = load_and_validate(mini)
    assert warnings == []
    table = next(d for d in study.datasets if d.model.id == "d1").table
    assert len(table) == len(body) == 1638
    expected: dict[str, Counter[str]] = {}
    for row in body:
        for name, cell in zip(header, row):
            if cell in CODES:
                expected.setdefault(name, Counter())[cell] += 1
    kept = table.attrs["missing_codes"]
    assert {name: Counter(codes.values()) for name, codes in kept.items()} == expected
    assert sum(c.total() for c in expected.values()) == 164 + 56  # as counted in test_intake.py
    position = next(i for i, row in enumerate(body) if row[header.index("CPP_start")] == "x")
    assert kept["CPP_start"][position] == "x" and table["CPP_start"].isna()[position]


def test_windows_1252_names_the_line_and_the_fix(mini: Path) -> None:
    path = mini / "las/north/nb-staff.csv"
    path.write_bytes("year,social_workers\n2014-15,41\n2015-16,40\n# Bo\u2019ness,1\n".encode("cp1252"))
    assert problems_of(mini) == [
        "content/las/north/nb-staff.csv:4: not UTF-8 text (byte 0x92); it reads as Windows-1252, Excel's plain "
        "'CSV' format: save it as 'CSV UTF-8' (or import it with `generator import`)",
    ]


def test_numbers_symbols_and_bad_rows_all_at_once(mini: Path) -> None:
    (mini / "las/north/nb-staff.csv").write_text(
        "year,social_workers\n2014-15,\"1,041\"\n2015-16,c\n2016-17,\"1,5\"\n2017-18\n2018-19,[x]\n", encoding="utf-8")
    assert problems_of(mini) == [
        "content/las/north/nb-staff.csv:3 [social_workers]: expected a whole number, got 'c'; if 'c' stands for a "
        "figure not published (suppressed: a small number, or secondary suppression, to protect confidentiality), "
        "declare it under the column's missing_codes with its meaning",
        "content/las/north/nb-staff.csv:4 [social_workers]: expected a whole number, got '1,5'",
        "content/las/north/nb-staff.csv:5: expected 2 cells as in the header, found 1",
        "content/las/north/nb-staff.csv:6 [social_workers]: expected a whole number, got '[x]'; if '[x]' stands for "
        "a figure not published (not available), declare it under the column's missing_codes with its meaning",
    ]
    (mini / "las/north/nb-staff.csv").write_text("year,social_workers\n2014-15,\"1,041\"\n2015-16,\u221212\n",
                                                 encoding="utf-8")
    study, _ = load_and_validate(mini)
    table = next(d for d in study.datasets if d.model.id == "nb-staff").table
    assert table["social_workers"].tolist() == [1041, -12]
