"""`generator import imd` on the real IMD 2015 and 2019 LA summaries, and the thirds rule."""

from __future__ import annotations

import csv
import random
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from generator.build import build
from generator.cli import main
from generator.compute.measures import deprivation_thirds

from .conftest import Importer, load_datasets, make_content


def source_rows(path: Path) -> list[tuple]:  # type: ignore[type-arg]
    """Read the IMD sheet with openpyxl alone (header on row 1)."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\..*")
        workbook = load_workbook(path, read_only=True, data_only=True)
        rows = list(workbook["IMD"].iter_rows(values_only=True))
        workbook.close()
    return rows[1:]


def read_output(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = make_content(tmp_path_factory.mktemp("imd") / "content")
    for edition in ("2015", "2019"):
        source = shared_data / "imd_england" / f"imd-{edition}.xlsx"
        assert main(["import", "imd", str(source), "--out", str(content / "deprivation")]) == 0
    return content


@pytest.mark.parametrize("edition, count, sizes", [("2015", 152, (51, 51, 50)), ("2019", 151, (51, 50, 50))])
def test_every_la_with_its_score_rank_and_third(imported: Path, shared_data: Path, edition: str, count: int,
                                                sizes: tuple[int, int, int]) -> None:
    source = source_rows(shared_data / "imd_england" / f"imd-{edition}.xlsx")
    out = read_output(imported / "deprivation" / f"imd-{edition}.csv")
    assert len(source) == len(out) == count
    assert [r["la_code"] for r in out] == sorted(row[0] for row in source)
    by_code = {r["la_code"]: r for r in out}
    for row in source:
        written = by_code[row[0]]
        assert written["la_name"] == row[1]
        assert float(written["average_score"]) == row[4]
        assert int(written["rank_of_average_score"]) == row[5]
        assert float(written["extent"]) == row[8]
    thirds = Counter(r["deprivation_third"] for r in out)
    assert (thirds["high"], thirds["middle"], thirds["low"]) == sizes
    # The thirds follow the published rank of average score: high = ranks 1-51.
    for r in out:
        rank = int(r["rank_of_average_score"])
        expected = "high" if rank <= sizes[0] else "middle" if rank <= sizes[0] + sizes[1] else "low"
        assert r["deprivation_third"] == expected, r["la_name"]


def test_known_facts(imported: Path) -> None:
    latest = {r["la_name"]: r for r in read_output(imported / "deprivation" / "imd-2019.csv")}
    assert latest["Middlesbrough"]["average_score"] == "40.46"
    assert latest["Middlesbrough"]["rank_of_average_score"] == "5"
    assert latest["Blackpool"]["rank_of_average_score"] == "1"
    assert (latest["Blackpool"]["average_score"], latest["Blackpool"]["deprivation_third"]) == ("45.039", "high")
    assert (latest["Wokingham"]["average_score"], latest["Wokingham"]["deprivation_third"]) == ("5.846", "low")
    older = {r["la_name"]: r for r in read_output(imported / "deprivation" / "imd-2015.csv")}
    # Wakefield and Wirral print the same score (26.892); the published ranks (52, 53) order them.
    assert older["Wakefield"]["average_score"] == older["Wirral"]["average_score"] == "26.892"
    assert (older["Wakefield"]["rank_of_average_score"], older["Wirral"]["rank_of_average_score"]) == ("52", "53")


def test_documents_load_cleanly(imported: Path) -> None:
    datasets = load_datasets(imported)
    assert sorted(datasets) == ["imd-2015", "imd-2019"]
    table = datasets["imd-2019"].table  # type: ignore[attr-defined]
    assert table.attrs["missing_codes"] == {}
    assert str(table["rank_of_average_score"].dtype) == "Int64"
    latest, older = datasets["imd-2019"].model, datasets["imd-2015"].model  # type: ignore[attr-defined]
    assert latest.licence == older.licence == "Open Government Licence v3.0"
    assert latest.provenance.startswith("Ministry of Housing, Communities and Local Government (MHCLG), "
                                        "English Indices of Deprivation 2019")
    assert older.provenance.startswith("Department for Communities and Local Government (DCLG), "
                                       "English Indices of Deprivation 2015")
    assert "2013 boundaries" in datasets["imd-2015"].body  # type: ignore[attr-defined]


def test_the_imported_dataset_builds_into_a_page(run_import: Importer, shared_data: Path, tmp_path: Path) -> None:
    content = make_content(tmp_path / "content")
    status, out, err = run_import("imd", shared_data / "imd_england" / "imd-2019.xlsx", "--out", content / "data")
    assert status == 0, err
    assert out.strip().endswith("151 rows, 13 columns, no missing values")
    assert build(content, out=tmp_path / "site", quiet=True) == 0
    page = tmp_path / "site" / "cross-case" / "datasets" / "imd-2019.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "Middlesbrough" in html and "Open Government Licence v3.0" in html


def test_wrong_sheet_and_missing_columns_are_refused(run_import: Importer, shared_data: Path, tmp_path: Path) -> None:
    s251 = shared_data / "s251_raw" / "S251ye2018.xlsx"
    status, _, err = run_import("imd", s251, "--out", tmp_path / "out")
    assert status == 1
    assert err.splitlines()[0] == (
        f"{s251.as_posix()}: no sheet 'IMD' (sheets: Table A1); expected an English Indices of Deprivation "
        "local authority summary workbook with a sheet 'IMD'"
    )
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "IMD"
    sheet.append(["Upper Tier Local Authority District code (2019)", "Upper Tier Local Authority District name (2019)",
                  "IMD - Average rank "])
    sheet.append(["E06000001", "Hartlepool", 22581.98])
    partial = tmp_path / "partial.xlsx"
    workbook.save(partial)
    status, _, err = run_import("imd", partial, "--out", tmp_path / "out")
    assert status == 1
    assert err.startswith(f"{partial.as_posix()}:1: missing expected column(s) average_score (header 'average score'), "
                          "rank_of_average_score (header 'rank of average score'); expected an English Indices")
    assert not (tmp_path / "out").exists()


# --- the thirds rule -------------------------------------------------------------


@pytest.mark.parametrize("count, sizes", [(0, (0, 0, 0)), (1, (1, 0, 0)), (2, (1, 1, 0)), (3, (1, 1, 1)),
                                          (4, (2, 1, 1)), (5, (2, 2, 1)), (151, (51, 50, 50)), (152, (51, 51, 50)),
                                          (153, (51, 51, 51))])
def test_thirds_are_as_equal_as_possible_larger_first(count: int, sizes: tuple[int, int, int]) -> None:
    scores = pd.Series([float(i) for i in range(count)], index=[f"E{i:08d}" for i in range(count)])
    thirds = Counter(deprivation_thirds(scores))
    assert (thirds["high"], thirds["middle"], thirds["low"]) == sizes


def test_thirds_put_the_highest_scores_in_high() -> None:
    scores = pd.Series([10.0, 40.0, 20.0, 30.0, 50.0, 60.0], index=list("abcdef"))
    assert list(deprivation_thirds(scores)) == ["low", "middle", "low", "middle", "high", "high"]


def test_thirds_break_ties_by_tiebreak_then_index_whatever_the_input_order() -> None:
    scores = pd.Series([5.0, 5.0, 5.0, 1.0], index=["c", "a", "b", "d"])
    # 4 LAs: 2 high, 1 middle, 1 low; among the tied 5.0, a and b come first by label.
    assert deprivation_thirds(scores).to_dict() == {"c": "middle", "a": "high", "b": "high", "d": "low"}
    ranks = pd.Series([1, 3, 2, 4], index=scores.index)
    assert deprivation_thirds(scores, tiebreak=ranks).to_dict() == {"c": "high", "a": "middle", "b": "high", "d": "low"}
    shuffled = list(scores.index)
    random.Random(7).shuffle(shuffled)
    assert deprivation_thirds(scores[shuffled]).to_dict() == deprivation_thirds(scores).to_dict()


def test_thirds_leave_missing_scores_out() -> None:
    scores = pd.Series([3.0, None, 2.0, 1.0], index=list("abcd"))
    assert deprivation_thirds(scores).to_dict() == {"a": "high", "b": None, "c": "middle", "d": "low"}
