"""Disclosure control, attacked: no count from 1 to 4 in a public build, and none worked out by subtraction."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compute.disclosure import (
    determined,
    grid_lines,
    hidden_cells,
    protect,
    protect_study,
    published_total,
    suppress,
)
from generator.compute.surveys import protected_wave
from generator.content.loader import Loaded, LoadedDataset, Study
from generator.content.models import Column, Dataset, Project

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "content"
SMALL = range(1, 5)


# --- helpers -------------------------------------------------------------------------


def _dataset(id: str, frame: pd.DataFrame, keys: list[str], roles: dict[str, str], types: dict[str, str] | None = None,
             **extra: Any) -> LoadedDataset:
    types = types or {}
    columns = [Column(name=c, type=types.get(c, "integer" if roles.get(c) in ("count", "total", None) and
                                      frame[c].dtype.kind in "iu" else "string"), role=roles.get(c)) for c in frame.columns]
    model = Dataset(type="dataset", id=id, title=id, file=f"{id}.csv", columns=columns, provenance="made up",
                    licence="none", keys=keys, **extra)
    table = frame.copy()
    for c in columns:
        if c.type.value == "integer":
            table[c.name] = table[c.name].astype("Int64")
        elif c.type.value == "number":
            table[c.name] = table[c.name].astype("Float64")
    return LoadedDataset(model=model, path=f"{id}.md", parsed=None, table=table)  # type: ignore[arg-type]


def _study(*datasets: LoadedDataset, **project: Any) -> Study:
    study = Study(root=Path("."))
    study.project = Loaded(model=Project(type="project", title="t", **project), path="project.md", parsed=None)  # type: ignore[arg-type]
    study.datasets = list(datasets)
    return study


def _table(study: Study, id: str) -> pd.DataFrame:
    return next(d.table for d in study.datasets if d.model.id == id)  # type: ignore[return-value]


def _single_equation_recoverable(cells: dict[Any, float], hidden: set[Any], lines: list[Any], hidden_lines: set[Any]) -> list[Any]:
    """The attacker: every published sum with exactly one hidden cell gives that cell away."""
    found = []
    for line in lines:
        if line.key is not None and line.key in hidden_lines:
            continue
        inside = [k for k, _ in line.terms if k in hidden]
        if len(inside) == 1:
            found.append(inside[0])
    return found


# --- the solver ------------------------------------------------------------------------


grids = st.integers(2, 5).flatmap(lambda rows: st.integers(2, 5).flatmap(
    lambda cols: st.lists(st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=rows, max_size=rows)))


@settings(max_examples=150, deadline=None)
@given(grids)
def test_random_tables_with_margins_keep_every_hidden_cell_unrecoverable(table: list[list[int]]) -> None:
    """Hypothesis: any small table with row, column and grand totals; after suppression no published figure is
    from 1 to 4, no single sum has one hidden cell, and no hidden cell follows from all the sums together."""
    columns = list(range(len(table[0])))
    lines = grid_lines(table, columns, True, True)
    cells = {(i, j): table[i][j] for i in range(len(table)) for j in columns}
    found = protect(cells, lines, 4)
    assert not [k for k, v in cells.items() if 1 <= v <= 4 and k not in found.hidden]
    assert not [line.key for line in lines if 1 <= line.total <= 4 and line.key not in found.hidden_lines]
    assert not _single_equation_recoverable(cells, found.hidden, lines, found.hidden_lines)
    assert not determined(found.hidden, lines, found.hidden_lines)


def test_grand_total_is_a_margin_too() -> None:
    # One hidden cell per row and column, each line with two hidden cells, yet the grand total pins them down
    # unless the solver sees it: rows/cols alone would accept this pattern.
    table = [[3, 50, 60], [40, 2, 70], [80, 90, 1]]
    hidden = suppress(table, {0, 1, 2}, 4, row_totals=True, column_totals=True)
    lines = grid_lines(table, [0, 1, 2], True, True)
    hidden_lines = {("row", i) for i in hidden.row_totals} | {("column", j) for j in hidden.column_totals}
    if hidden.grand_total:
        hidden_lines.add(("grand",))
    assert not determined(set(hidden.cells), lines, hidden_lines)


def test_total_column_and_total_row_inside_a_dataset_are_margins() -> None:
    frame = pd.DataFrame({"age": ["0-4", "5-9", "10-15", "Total"], "girls": [3, 20, 30, 53], "boys": [10, 12, 40, 62],
                          "all": [13, 32, 70, 115]})
    data = _dataset("ages", frame, ["age"], {"age": "label", "girls": "count", "boys": "count", "all": "total"})
    protected = _table(protect_study(_study(data)), "ages")
    girls = protected["girls"].tolist()
    assert pd.isna(girls[0])
    # the girls column has a Total row, and row 0 has an `all` column: each needs a second hidden cell
    assert sum(pd.isna(v) for v in girls) >= 2
    assert sum(pd.isna(protected[c].iloc[0]) for c in ("girls", "boys", "all")) >= 2


def test_two_datasets_parts_and_totals_cannot_be_subtracted() -> None:
    """Attack: dataset B publishes each LA's total, dataset A the parts by age; B - (A's other parts) = hidden part."""
    parts = pd.DataFrame({"la": ["a", "a", "a", "b", "b", "b"], "age": ["young", "middle", "old"] * 2,
                          "children": [2, 40, 55, 30, 35, 45]})
    totals = pd.DataFrame({"la": ["a", "b"], "children": [97, 110]})
    a = _dataset("by-age", parts, ["la", "age"], {"la": "identifier", "age": "label", "children": "count"})
    for declared in (None, "by-age"):  # found by its sums, and declared
        b = _dataset("by-la", totals, ["la"], {"la": "identifier", "children": "count"}, totals_of=declared)
        study = protect_study(_study(a, b))
        shown_parts, shown_totals = _table(study, "by-age"), _table(study, "by-la")
        assert pd.isna(shown_parts["children"].iloc[0])
        la_a = shown_parts[shown_parts.la == "a"]["children"]
        total_a = shown_totals[shown_totals.la == "a"]["children"].iloc[0]
        recoverable = not pd.isna(total_a) and la_a.isna().sum() == 1
        assert not recoverable, f"{declared}: {total_a} minus the published parts gives the hidden count"


def test_count_columns_named_year_or_typed_number_are_still_counts() -> None:
    frame = pd.DataFrame({"year": ["2016", "2017", "2018"], "year_count": [3, 50, 60], "years_in_care": [2.0, 40.0, 70.0]})
    for roles in ({"year": "year", "year_count": "count", "years_in_care": "count"},
                  {"year": "year"}):  # declared, and undeclared (whole numbers are counts by default)
        data = _dataset("odd", frame, ["year"], roles, types={"years_in_care": "number", "year": "string"})
        protected = _table(protect_study(_study(data)), "odd")
        assert pd.isna(protected["year_count"].iloc[0]) and pd.isna(protected["years_in_care"].iloc[0]), roles
        assert not pd.isna(protected["year"].iloc[0])


def test_rates_in_a_row_with_a_hidden_count_are_hidden() -> None:
    frame = pd.DataFrame({"year": ["2016", "2017"], "starts": [3, 50], "rate": [1.2, 20.5]})
    data = _dataset("r", frame, ["year"], {"year": "year", "starts": "count", "rate": "rate"}, types={"rate": "number", "year": "string"})
    protected = _table(protect_study(_study(data)), "r")
    assert pd.isna(protected["rate"].iloc[0]) and not pd.isna(protected["rate"].iloc[1])


def test_an_average_over_las_leaves_the_hidden_value_out() -> None:
    """Attack: average over all LAs x n - the other LAs' published values = the hidden one. Averages are of the
    published values only, so the attack gives back the mean of the others, not the hidden count."""
    from generator.compute import measures

    frame = pd.DataFrame({"la": ["a", "b", "c"], "year": ["2017"] * 3, "population": [1000, 2000, 3000],
                          "starts": [3, 40, 90]})
    data = _dataset("pop", frame, ["la", "year"], {"la": "identifier", "year": "year", "population": "count", "starts": "count"})
    protected = _table(protect_study(_study(data)), "pop")
    rates = measures.rate_per_10000(protected["starts"], protected["population"])
    average = rates.dropna().mean()  # what the rates chart does
    published = rates.dropna()
    recovered = average * 3 - published.sum()
    true_rate = 3 / 1000 * 10000
    assert abs(recovered - true_rate) > 1e-6


def test_dataset_page_and_computed_table_hide_the_same_cells() -> None:
    from generator.compute.tables import selected_rows

    frame = pd.DataFrame({"year": ["2016", "2017", "2018"], "a": [3, 50, 60], "b": [20, 30, 40]})
    data = _dataset("t", frame, ["year"], {"year": "year", "a": "count", "b": "count"})
    protected = _table(protect_study(_study(data)), "t")
    model = next(d for d in protect_study(_study(data)).datasets).model
    mask = hidden_cells(protected, model)
    shown_missing = [[pd.isna(v) for v in row] for row in protected.itertuples(index=False)]
    assert mask == shown_missing and any(any(r) for r in mask)
    # filtered (as an LA's site does) the page still finds its hidden cells by key
    part = protected[protected.year != "2016"].reset_index(drop=True)
    assert hidden_cells(part, model, protected.attrs["hidden"]) == shown_missing[1:]
    assert published_total(protected, [0, 1, 2], ["a"]) is None  # a column total over a hidden cell is not made up
    assert selected_rows(protected, type("S", (), {"la_column": "la", "la": None, "years": [], "year_column": "year"})(), None) == [0, 1, 2]


def test_rounding_mode_rounds_every_count_and_leaves_none_from_1_to_4() -> None:
    frame = pd.DataFrame({"year": ["2016", "2017", "2018"], "a": [1, 2, 3], "b": [4, 12, 13]})
    data = _dataset("t", frame, ["year"], {"year": "year", "a": "count", "b": "count"})
    protected = _table(protect_study(_study(data, disclosure="round", rounding_base=5)), "t")
    assert protected["a"].tolist() == [0, 0, 5] and protected["b"].tolist() == [5, 10, 15]
    wave = protected_wave("w1", "W1", {"1": 2, "2": 13, "3": 22}, {"dk": 3}, 0, 40, ["3"],
                          type("S", (), {"rounding": True, "base": 5, "threshold": 4})())
    assert wave.counts == {"1": 0, "2": 15, "3": 20} and wave.apart == {"dk": 5} and wave.rounded


def test_survey_counts_hidden_with_n_as_the_margin() -> None:
    settings_ = type("S", (), {"rounding": False, "base": 5, "threshold": 4})()
    # a single small answer and n published: the next smallest answer is hidden too
    wave = protected_wave("w1", "W1", {"1": 3, "2": 20, "3": 30, "4": 40}, {"pnts": 2, "dk": 9}, 0, 104, ["3", "4"], settings_)
    assert wave.counts["1"] is None and wave.apart["pnts"] is None
    assert sum(v is None for v in wave.counts.values()) >= 2 or wave.answered is None
    # the positive share is k/n: if a positive option is hidden alone, k minus the other would give it away
    wave = protected_wave("w1", "W1", {"1": 30, "2": 20, "3": 3, "4": 40}, {}, 0, 93, ["3", "4"], settings_)
    assert wave.counts["3"] is None
    assert wave.positive is None or sum(wave.counts[c] is None for c in ("3", "4")) == 2


# --- the demo, built public and read file by file -------------------------------------------


@pytest.fixture(scope="module")
def demo_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.build import build

    out = tmp_path_factory.mktemp("public") / "site"
    assert build(DEMO, out=out, quiet=True, audience="public") == 0
    return out


def _numbers(text: str) -> list[float]:
    text = text.replace(",", "").strip()
    try:
        return [float(text)]
    except ValueError:
        return []


COUNT_HEADERS = {"count", "number", "positive", "answered", "n"}


def test_demo_public_dataset_csvs_have_no_count_from_1_to_4(demo_public: Path) -> None:
    from generator.compute.disclosure import COUNT_ROLES, column_role
    from generator.pipeline import load_and_validate

    study, _ = load_and_validate(DEMO)
    roles = {d.model.id: {c.name: column_role(c, d.table[c.name] if d.table is not None else ()) for c in d.model.columns}
             for d in study.datasets}
    checked = 0
    for path in demo_public.rglob("datasets/*.csv"):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            for name, value in row.items():
                if roles.get(path.stem, {}).get(name) in COUNT_ROLES:
                    checked += 1
                    assert not any(v in SMALL for v in _numbers(value or "")), f"{path}: {name}={value}"
    assert checked


def test_demo_public_chart_csvs_and_alt_text_have_no_small_count(demo_public: Path) -> None:
    checked = 0
    for path in demo_public.rglob("assets/charts/*.csv"):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            for name, value in row.items():
                if (name or "").lower() in COUNT_HEADERS:
                    checked += 1
                    assert not any(v in SMALL for v in _numbers(value or "")), f"{path}: {name}={value}"
    assert checked
    # alt text and the survey side notes: "Prefer not to say 3", "n = 2", "Don't know: 4"
    pattern = re.compile(r"(?:Prefer not to say|Don't know|Not stated|n =)\s*:?\s*([0-9][0-9,]*)\b")
    for path in list(demo_public.rglob("*.html")) + list(demo_public.rglob("*.svg")) + list(demo_public.rglob("search_index.json")):
        text = html.unescape(path.read_text(encoding="utf-8", errors="replace"))
        for match in pattern.finditer(text):
            assert int(match.group(1).replace(",", "")) not in SMALL, f"{path}: {match.group(0)}"


def test_demo_public_survey_tables_show_no_small_count_and_no_lone_hidden_cell(demo_public: Path) -> None:
    pages = list(demo_public.rglob("surveys/*.html"))
    assert pages
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for table in re.findall(r'<table class="gen-table">(.*?)</table>', text, re.S):
            header = [re.sub(r"<[^>]+>", " ", h) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)]
            if not any("not on the scale" in h or "ar y raddfa" in h for h in header):
                continue
            for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S):
                cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                apart = cells[-sum("not on the scale" in h or "ar y raddfa" in h for h in header):]
                for cell in apart:
                    checked += 1
                    assert cell == "c" or int(cell.replace(",", "")) not in SMALL, f"{page}: {row}"
    assert checked


def _html_tables(page: Path) -> list[list[list[str]]]:
    """Every gen-table of a page as rows of cell texts (header row first)."""
    found = []
    for table in re.findall(r"<table[^>]*>(.*?)</table>", page.read_text(encoding="utf-8"), re.S):
        rows = []
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([html.unescape(re.sub(r"<[^>]+>", " ", c)).split()[0] if re.sub(r"<[^>]+>", "", c).strip() else ""
                         for c in cells])
        found.append(rows)
    return found


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def test_demo_public_tables_with_totals_cannot_be_solved_from_what_they_show(demo_public: Path) -> None:
    """The attacker reads a published table with a total column and a Total row and solves the equations they
    give (every row, every column, the grand total) for the hidden cells, using only the published figures."""
    import numpy as np
    from scipy.linalg import null_space

    attacked = 0
    for page in demo_public.rglob("*.html"):
        for rows in _html_tables(page):
            if len(rows) < 3 or not rows[0] or rows[0][-1].lower() != "total" or rows[-1][0] != "Total":
                continue
            body = [r[1:] for r in rows[1:]]  # first column: the row label
            width = len(rows[0]) - 1
            if any(len(r) != width for r in body):
                continue
            grid = body  # the last column and the last row are the totals
            unknowns = [(i, j) for i, r in enumerate(grid) for j, c in enumerate(r) if c == "c"]
            if not unknowns:
                continue
            attacked += 1
            index = {u: k for k, u in enumerate(unknowns)}
            equations = []
            n, m = len(grid) - 1, width - 1
            lines = [[(i, j) for j in range(m)] + [(i, m)] for i in range(n + 1)] + \
                    [[(i, j) for i in range(n)] + [(n, j)] for j in range(m + 1)]
            for line in lines:
                *parts, total = line
                if total in index:
                    continue  # a hidden total gives no equation
                row = np.zeros(len(unknowns))
                for cell in parts:
                    if cell in index:
                        row[index[cell]] = 1
                if row.any():
                    equations.append(row)
            basis = null_space(np.array(equations)) if equations else np.eye(len(unknowns))
            solved = [u for u in unknowns if basis.size == 0 or np.abs(basis[index[u]]).max() < 1e-9]
            assert not solved, f"{page}: hidden cells {solved} follow from the published totals"
    assert attacked, "the demo's public build should have a table with totals and hidden cells to attack"


def test_demo_public_dataset_page_and_computed_table_hide_the_same_cells(demo_public: Path) -> None:
    """hm-care-ages is shown twice: on its dataset page (and CSV) and as a computed table with totals."""
    la = demo_public / "la" / "harrowmere"
    computed = next(rows for rows in _html_tables(la / "index.html") if rows and rows[0][-1].lower() == "total")
    page = next(rows for rows in _html_tables(next(la.rglob("hm-care-ages.html"))) if len(rows) > 2)
    downloaded = list(csv.reader(io.StringIO(next(la.rglob("datasets/hm-care-ages.csv")).read_text(encoding="utf-8"))))
    hidden_computed = {(r[0], j) for r in computed[1:-1] for j, c in enumerate(r[1:-1]) if c == "c"}
    hidden_page = {(r[0], j) for r in page[1:] for j, c in enumerate(r[1:]) if c == "c"}
    hidden_csv = {(r[0], j) for r in downloaded[1:] for j, c in enumerate(r[1:]) if c == "c"}
    assert hidden_computed and hidden_computed == hidden_page == hidden_csv


def test_a_positive_share_that_gives_away_a_few_other_answers_is_hidden() -> None:
    """Attack: 97 of 100 positive, so 3 answered otherwise: the share and n give a count of 3 back."""
    settings_ = type("S", (), {"rounding": False, "base": 5, "threshold": 4})()
    wave = protected_wave("w1", "W1", {"1": 1, "2": 2, "3": 40, "4": 57}, {}, 0, 100, ["3", "4"], settings_)
    assert wave.positive is None
    shown = [v for v in wave.counts.values() if v is not None]
    assert not [v for v in shown if 1 <= v <= 4]


def test_a_small_count_in_a_table_written_by_hand_is_a_warning_naming_its_line(mini: Path) -> None:
    # Disclosure control reads datasets' roles; a table typed into a page has none, so check says where one
    # holds a number a public build would have hidden, in any of the ways a cell may be written.
    from generator.pipeline import load_and_validate

    summary = mini / "las/north/oakfield-S1.md"
    summary.write_text(summary.read_text(encoding="utf-8") + (
        "\n| Year | Families |\n|:-----|-----:|\n| 2016 | 12 |\n| 2017 | **3** |\n\n"
        "Year | Referrals\n--- | ---\n2016 | 40\n2017 | 0\n\n"  # no pipes at the ends; nothing from 1 to 4
        "| Step | Note |\n| --- | --- |\n| 2 | seen |\n"), "utf-8")
    _, warnings = load_and_validate(mini)
    written = [str(w) for w in warnings if "table written in the page" in str(w)]
    lines = summary.read_text(encoding="utf-8").split("\n")
    assert written == [
        f"content/las/north/oakfield-S1.md:{lines.index('| 2017 | **3** |') + 1}: warning: a table written in the page "
        "holds 3: if it counts people or events, a public build shows it as written (small counts, 1 to 4, are "
        "hidden only in datasets and computed tables); put the figures in a dataset and show them with a computed table",
        f"content/las/north/oakfield-S1.md:{lines.index('| 2 | seen |') + 1}: warning: a table written in the page "
        "holds 2: if it counts people or events, a public build shows it as written (small counts, 1 to 4, are "
        "hidden only in datasets and computed tables); put the figures in a dataset and show them with a computed table",
    ]

