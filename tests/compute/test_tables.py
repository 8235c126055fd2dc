"""Computed blocks: checked with file lines, computed from the data, cut to the site's LA."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline import load_and_validate
from generator.render.pages import render_site_pages
from generator.resolve import resolve_site

PANEL = """---
type: dataset
id: panel
title: Panel
file: panel.csv
la_column: la
columns:
  - {name: la, type: string}
  - {name: year, type: string}
  - {name: children, type: integer, role: count, label: Children}
  - {name: plans, type: integer, role: count, label: Plans}
  - {name: score, type: number, role: score, label: Score}
provenance: Test figures.
licence: CC0 1.0
---
"""
ROWS = "la,year,children,plans,score\nnorth,2015-16,50000,350,30.5\nsouth,2015-16,40000,120,12.0\nthird,2015-16,10000,20,20.0\n"


def with_panel(mini: Path, block: str) -> Path:
    (mini / "panel.md").write_text(PANEL)
    (mini / "panel.csv").write_text(ROWS)
    doc = mini / "las/north/oakfield-S1.md"
    doc.write_text(doc.read_text() + "\n```computed\n" + block + "```\n")
    return doc


def errors(mini: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_and_validate(mini)
    return [str(p) for p in error.value.problems]


def test_bad_blocks_are_path_line_errors_with_choices(mini: Path) -> None:
    with_panel(mini, "table: rate\ndataset: panel\n")
    assert errors(mini) == [
        "content/las/north/oakfield-S1.md:14: table: expected one of values, rates, conversion, spending, deprivation, growth, got 'rate'",
    ]


def test_block_naming_a_missing_column_or_year(mini: Path) -> None:
    with_panel(mini, "table: rates\ndataset: panel\ncounts: [plan]\npopulation: children\nyears: [2016-17]\n")
    assert errors(mini) == [
        "content/las/north/oakfield-S1.md:16: counts: dataset 'panel' has no column 'plan' (did you mean 'plans'?); "
        "its columns: la, year, children, plans, score",
        "content/las/north/oakfield-S1.md:18: years: '2016-17' is not in dataset 'panel' (years: 2015-16)",
    ]


def test_block_schema_errors(mini: Path) -> None:
    with_panel(mini, "table: conversion\ndataset: panle\nsteps: [plans]\ncolour: red\n")
    assert errors(mini) == [
        "content/las/north/oakfield-S1.md:16: steps: expected at least 2 item(s), got 1",
        "content/las/north/oakfield-S1.md:17: unknown field 'colour'; allowed here: caption, dataset, id, la, la_column, steps, table, year_column, years",
    ]


def _page(mini: Path, site: str | None) -> str:
    study, _ = load_and_validate(mini)
    pages = {p.path: p.markdown for p in render_site_pages(resolve_site(study, site))}
    return pages["code-documents/oakfield/S1.md"]


def test_rates_are_computed_per_10000(mini: Path) -> None:
    with_panel(mini, "table: rates\ndataset: panel\ncounts: [plans]\npopulation: children\n")
    page = _page(mini, "north")
    # 350 plans / 50,000 children x 10,000 = 70.0; only the site's own LA row appears
    assert '<th scope="row">2015-16</th><td class="gen-num">350</td><td class="gen-num">70.0</td>' in page
    assert "120" not in page.split("Rates per 10,000")[1]


def test_deprivation_rank_among_all_las_but_only_own_row(mini: Path) -> None:
    with_panel(mini, "table: deprivation\ndataset: panel\nscore_column: score\n")
    page = _page(mini, "north")
    # scores 30.5, 12.0, 20.0: north ranks 1 of 3 and falls in the high third
    assert "1 of 3" in page and "high deprivation" in page
    assert "Southwick" not in page and "12.0" not in page


def test_demo_data_are_reproducible(tmp_path: Path) -> None:
    from generator.demo_data import write

    root = Path(__file__).parents[2] / "content"
    for path in write(root, tmp_path / "data"):
        assert filecmp.cmp(path, root / "data" / path.name, shallow=False), path.name
