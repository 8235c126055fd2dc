"""`generator import simd` on the real SIMD 2020v2 and SIMD 2016 data-zone files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.cli import main

from .conftest import Importer, load_datasets, make_content, reasons

LATEST = "SIMD2020v2_indicators.csv"
OLDER = "simd2016_datazone_indicators.csv"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = make_content(tmp_path_factory.mktemp("simd") / "content")
    for name, dataset_id in ((LATEST, "simd-2020"), (OLDER, "simd-2016")):
        status = main(["import", "simd", str(shared_data / "scotland" / name),
                       "--out", str(content / "scotland"), "--id", dataset_id])
        assert status == 0
    return content


def test_every_data_zone_with_its_council_and_population(imported: Path, shared_data: Path) -> None:
    source = read_csv(shared_data / "scotland" / LATEST)
    out = read_csv(imported / "scotland" / "simd-2020.csv")
    assert len(source) == len(out) == 6976
    assert [r["data_zone"] for r in out] == sorted(r["Data_Zone"] for r in source)
    assert len({r["council_area"] for r in out}) == 32
    assert sum(int(r["total_population"]) for r in out) == 5_424_800
    assert list(out[0])[:5] == ["data_zone", "intermediate_zone", "council_area", "total_population",
                                "working_age_population"]


def test_percent_strings_thousands_separators_and_stars(imported: Path, shared_data: Path) -> None:
    source = {r["Data_Zone"]: r for r in read_csv(shared_data / "scotland" / LATEST)}
    out = {r["data_zone"]: r for r in read_csv(imported / "scotland" / "simd-2020.csv")}
    assert source["S01006506"]["Income_rate"] == "8%"
    assert out["S01006506"]["Income_rate"] == "8"
    for code, row in source.items():
        assert out[code]["Income_rate"] == row["Income_rate"].rstrip("%")
    separated = [code for code, row in source.items() if row["ALCOHOL"] == "1,656"]
    assert len(separated) == 1 and out[separated[0]]["ALCOHOL"] == "1656"
    stars = Counter(column for row in source.values() for column, cell in row.items() if cell == "*")
    assert stars["Attendance"] == 567 and stars["crime_rate"] == 501
    written = Counter(column for row in out.values() for column, cell in row.items() if cell == "*")
    assert written == stars


def test_documents_load_cleanly_and_keep_the_star_as_a_reason(imported: Path, shared_data: Path) -> None:
    datasets = load_datasets(imported)
    assert sorted(datasets) == ["simd-2016", "simd-2020"]
    table = datasets["simd-2020"].table  # type: ignore[attr-defined]
    kept = reasons(table)
    assert Counter(kept["Attendance"].values()) == {"*": 567}
    assert table["Attendance"].isna().sum() == 567
    assert table.loc[table["data_zone"] == "S01006506", "Income_rate"].item() == 8
    columns = {c.name: c for c in datasets["simd-2020"].model.columns}  # type: ignore[attr-defined]
    assert columns["Income_rate"].unit == "%"
    assert columns["crime_rate"].unit == "per 10,000 population"
    assert "*" in columns["crime_rate"].missing_codes
    assert datasets["simd-2020"].model.licence == "Open Government Licence v3.0"  # type: ignore[attr-defined]
    assert "Scottish Government" in datasets["simd-2020"].model.provenance  # type: ignore[attr-defined]


def test_simd_2016_keeps_quintiles_and_blanks(imported: Path, shared_data: Path) -> None:
    source = read_csv(shared_data / "scotland" / OLDER)
    assert source[0]["population"] == "904.0"
    out = read_csv(imported / "scotland" / "simd-2016.csv")
    assert len(out) == 6976
    assert out[0]["total_population"] == "904" and out[0]["health_board"] == "Grampian"
    assert Counter(r["simd_2016_quintile"] for r in out).keys() == {"1", "2", "3", "4", "5"}
    assert sum(1 for r in out if r["crime"] == "") == sum(1 for r in source if r["crime"] == "") == 435
    assert out[0]["pct_overcrowded"] == "10.21"
    table = load_datasets(imported)["simd-2016"].table  # type: ignore[attr-defined]
    assert str(table["simd_2016_quintile"].dtype) == "Int64"
    assert table.attrs["missing_codes"] == {}


def test_la_map_by_council_area_name(run_import: Importer, shared_data: Path, tmp_path: Path) -> None:
    la_map = tmp_path / "las.yml"
    la_map.write_text("Aberdeen City: aberdeen\nGlasgow City: glasgow\n", encoding="utf-8")
    content = make_content(tmp_path / "content")
    status, _, err = run_import("simd", shared_data / "scotland" / LATEST, "--out", content, "--la-map", la_map)
    assert status == 0, err
    matter = yaml.safe_load((content / "simd2020v2-indicators.md").read_text(encoding="utf-8").split("---\n")[1])
    assert matter["la_column"] == "la"
    out = read_csv(content / "simd2020v2-indicators.csv")
    assert Counter(r["la"] for r in out if r["la"]) == Counter(
        {"aberdeen": sum(r["council_area"] == "Aberdeen City" for r in out),
         "glasgow": sum(r["council_area"] == "Glasgow City" for r in out)})
    load_datasets(content)


def test_a_file_of_another_kind_and_a_bad_cell_are_refused(run_import: Importer, shared_data: Path,
                                                           tmp_path: Path) -> None:
    dfe = shared_data / "dfe_official" / "b1_children_in_need_2013_to_2022.csv"
    status, _, err = run_import("simd", dfe, "--out", tmp_path / "out")
    assert status == 1
    assert err.startswith(f"{dfe.as_posix()}:1: missing expected column(s) data_zone (header 'data_zone' or "
                          "'data_zone_code'), council_area (header 'council_area' or 'council_area_name'), "
                          "total_population (header 'total_population' or 'population'); expected a SIMD")
    bad = tmp_path / "simd.csv"
    bad.write_text("Data_Zone,Council_area,Total_population,Income_rate\n"
                   "S01006506,Aberdeen City,894,8%\n"
                   "S01006507,Aberdeen City,793,n/a\n"
                   "X1,Aberdeen City,1,*\n", encoding="utf-8")
    status, _, err = run_import("simd", bad, "--out", tmp_path / "out")
    assert status == 1
    assert err.splitlines() == [
        f"{bad.as_posix()}:3 [Income_rate]: expected a number, a percentage or a symbol such as '*', got 'n/a'",
        f"{bad.as_posix()}:4 [Data_Zone]: expected a data zone code such as S01006506, got 'X1'",
        "2 problems; nothing was imported",
    ]
    assert not (tmp_path / "out").exists()
