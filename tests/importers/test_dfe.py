"""`generator import dfe` on the real DfE Explore-education-statistics files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.cli import main

from .conftest import Importer, load_datasets, make_content, reasons

FILES = {
    # file: (dataset id, LA rows per PROVENANCE.md)
    "d1_child_protection_plans_2013_to_2022.csv": ("d1", 1518),
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2022.csv": ("c1", 1518),
    "b1_children_in_need_2013_to_2022.csv": ("b1", 1518),
    "ons_mid-year_population_estimates.csv": ("population", 1366),
    "cla_number_and_rate_per_10k_children.csv": ("cla", 2340),
}
SYMBOLS = {"c", "x", "z", "u", "k", "..", ":", "low"}


def source_la_rows(path: Path) -> list[dict[str, str]]:
    """Read a DfE file with the csv module alone: its local-authority rows."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return [row for row in csv.DictReader(stream) if row["geographic_level"] == "Local authority"]


def read_output(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def front_matter(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every DfE file imported once into one content folder."""
    content = make_content(tmp_path_factory.mktemp("dfe") / "content")
    for name, (dataset_id, _) in FILES.items():
        status = main(["import", "dfe", str(shared_data / "dfe_official" / name),
                       "--out", str(content / "data"), "--id", dataset_id])
        assert status == 0, name
    return content


def test_row_counts_match_the_la_rows_of_each_file(imported: Path, shared_data: Path) -> None:
    for name, (dataset_id, rows) in FILES.items():
        assert len(source_la_rows(shared_data / "dfe_official" / name)) == rows
        assert len(read_output(imported / "data" / f"{dataset_id}.csv")) == rows, name


def test_documents_load_cleanly_and_keep_suppression_reasons(imported: Path, shared_data: Path) -> None:
    datasets = load_datasets(imported)
    assert sorted(datasets) == sorted(i for i, _ in FILES.values())
    for name, (dataset_id, rows) in FILES.items():
        source = source_la_rows(shared_data / "dfe_official" / name)
        table = datasets[dataset_id].table  # type: ignore[attr-defined]
        assert len(table) == rows
        kept = reasons(table)
        for column in table.columns:
            if column not in source[0]:
                continue
            expected = Counter(row[column] for row in source if row[column] in SYMBOLS)
            assert Counter(kept.get(column, {}).values()) == expected, (name, column)
            for position in kept.get(column, {}):
                assert table[column].isna()[position]


def test_cpp_codes_counted_and_declared_with_their_meanings(imported: Path, shared_data: Path) -> None:
    source = source_la_rows(shared_data / "dfe_official" / "d1_child_protection_plans_2013_to_2022.csv")
    assert Counter(r["CPP_start"] for r in source if r["CPP_start"] in SYMBOLS) == {"c": 13, "x": 3}
    columns = {c["name"]: c for c in front_matter(imported / "data" / "d1.md")["columns"]}
    assert columns["CPP_start"]["missing_codes"]["c"].startswith("suppressed")
    assert columns["CPP_start"]["missing_codes"]["x"] == "not available"
    assert columns["CPP_start"]["unit"] == "child protection plans"
    assert columns["CPP_child_start"]["unit"] == "children"
    assert columns["CPP_start_rate"] == {
        "name": "CPP_start_rate", "type": "number", "unit": "per 10,000 children aged 0-17",
        "description": "Rate of child protection plans starting in the year per 10000 children aged under 18 years",
        "missing_codes": columns["CPP_start_rate"]["missing_codes"], "role": "rate", "label": "CPP start rate",
    }
    assert columns["CPP_start"]["role"] == "count"
    assert {columns[n]["role"] for n in ("year", "time_period")} == {"year"}
    table = load_datasets(imported)["d1"].table  # type: ignore[attr-defined]
    # In 2022 City of London and the Isles of Scilly have c (1 to 5 plans); Hackney sent no data (x).
    missing = table[(table["time_period"] == 2022) & table["CPP_start"].isna()]
    why = {name: reasons(table)["CPP_start"][i] for i, name in zip(missing.index, missing["la_name"])}
    assert why == {"City of London": "c", "Hackney": "x", "Isles of Scilly": "c"}


def test_a_known_value_and_the_financial_year(imported: Path, shared_data: Path) -> None:
    source = source_la_rows(shared_data / "dfe_official" / "d1_child_protection_plans_2013_to_2022.csv")
    kent = next(r for r in source if r["la_name"] == "Kent" and r["time_period"] == "2022")
    assert (kent["CPP_At31"], kent["CPP_At31_rate"]) == ("1256", "36.2")
    out = read_output(imported / "data" / "d1.csv")
    row = next(r for r in out if r["new_la_code"] == "E10000016" and r["time_period"] == "2022")
    assert row["year"] == "2021-22"
    assert (row["old_la_code"], row["la_name"], row["CPP_At31"], row["CPP_At31_rate"]) == ("886", "Kent", "1256", "36.2")
    assert list(out[0])[:5] == ["year", "time_period", "new_la_code", "old_la_code", "la_name"]
    assert {r["year"] for r in out if r["time_period"] == "2013"} == {"2012-13"}


def test_referrals_keep_hackney_x_and_the_older_dotdot_symbol(imported: Path) -> None:
    table = load_datasets(imported)["c1"].table  # type: ignore[attr-defined]
    kept = reasons(table)["Referrals"]
    hackney = table[(table["la_name"] == "Hackney") & table["time_period"].isin([2021, 2022])]
    assert {kept[i] for i in hackney.index} == {"x"}
    south_tyneside = table[(table["la_name"] == "South Tyneside") & (table["time_period"] == 2015)].index[0]
    assert kept[south_tyneside] == ".."
    assert Counter(kept.values()) == {"x": 2, "c": 1, "..": 3}
    columns = {c["name"]: c for c in front_matter(imported / "data" / "c1.md")["columns"]}
    assert columns["Referrals"]["unit"] == "referrals"
    assert ".." in columns["Referrals"]["missing_codes"]
    assert columns["Re_referrals_percent"]["unit"] == "%"


def test_cla_keeps_the_measure_filter_and_z_for_areas_that_no_longer_exist(imported: Path) -> None:
    out = read_output(imported / "data" / "cla.csv")
    per_measure_year = Counter((r["time_period"], r["population_count"]) for r in out)
    assert set(per_measure_year.values()) == {156}  # old and new codes overlap
    northants = [r for r in out if r["new_la_code"] == "E10000021" and r["time_period"] == "2022"]
    assert len(northants) == 3 and {r["number"] for r in northants} == {"z"}
    matter = front_matter(imported / "data" / "cla.md")
    assert matter["columns"][7]["name"] == "population_count"
    assert "national" in (imported / "data" / "cla.md").read_text().split("---\n", 2)[2]


def test_provenance_and_licence_come_from_the_data_guidance(imported: Path) -> None:
    matter = front_matter(imported / "data" / "d1.md")
    assert matter["licence"] == "Open Government Licence v3.0"
    assert "Department for Education" in matter["provenance"]
    assert "Characteristics of children in need (2022 reporting year)" in matter["provenance"]
    assert "cin_2022_data-guidance.txt" in matter["provenance"]
    assert matter["title"] == "D1 Child Protection Plans by local authority, 2012-13 to 2021-22"
    assert "cla_2022_data-guidance.txt" in front_matter(imported / "data" / "cla.md")["provenance"]


def test_summary_line_and_identical_output_on_a_second_run(run_import: Importer, shared_data: Path, tmp_path: Path,
                                                           imported: Path) -> None:
    source = shared_data / "dfe_official" / "d1_child_protection_plans_2013_to_2022.csv"
    status, out, err = run_import("dfe", source, "--out", tmp_path, "--id", "d1")
    assert status == 0, err
    assert out.strip().endswith("1518 rows, 21 columns, 220 missing (c 164, x 56)")
    for suffix in (".csv", ".md"):
        assert (tmp_path / f"d1{suffix}").read_bytes() == (imported / "data" / f"d1{suffix}").read_bytes()


def test_la_map_adds_the_project_la_column(run_import: Importer, shared_data: Path, tmp_path: Path) -> None:
    la_map = tmp_path / "las.csv"
    la_map.write_text("code,la\nE09000012,hackney\n886,kent\nE99999999,nowhere\n", encoding="utf-8")
    content = make_content(tmp_path / "content")
    source = shared_data / "dfe_official" / "c1_children_in_need_referrals_and_rereferrals_2013_to_2022.csv"
    status, out, err = run_import("dfe", source, "--out", content, "--id", "c1", "--la-map", la_map)
    assert status == 0, err
    assert "warning: --la-map: 'E99999999' matches no row" in err
    assert "blank" not in out  # rows outside the study are not missing figures
    dataset = load_datasets(content)["c1"]
    assert dataset.model.la_column == "la"  # type: ignore[attr-defined]
    table = dataset.table  # type: ignore[attr-defined]
    assert Counter(table["la"].dropna()) == {"hackney": 10, "kent": 10}


def test_a_file_of_another_kind_is_refused_and_nothing_written(run_import: Importer, shared_data: Path,
                                                               tmp_path: Path) -> None:
    source = shared_data / "scotland" / "SIMD2020v2_indicators.csv"
    status, out, err = run_import("dfe", source, "--out", tmp_path / "out")
    assert status == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{source.as_posix()}:1: missing expected column(s) time_period, geographic_level")
    assert "expected a DfE 'Explore education statistics' CSV" in first
    assert not (tmp_path / "out").exists()
    workbook = shared_data / "s251_raw" / "S251ye2018.xlsx"
    status, _, err = run_import("dfe", workbook, "--out", tmp_path / "out")
    assert status == 1
    assert err.startswith(f"{workbook.as_posix()}: is an Excel workbook (or another zip file), not a CSV; expected a DfE")


def test_a_bad_cell_is_reported_with_row_and_column(run_import: Importer, tmp_path: Path) -> None:
    source = tmp_path / "cpp.csv"
    source.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
        "old_la_code,new_la_code,la_name,CPP_start\n"
        "2022,Reporting year,National,E92000001,England,,,,,,64390\n"
        "2022,Reporting year,Local authority,E92000001,England,E12000001,North East,805,E06000001,Hartlepool,n/a\n"
        "2022,Reporting year,Local authority,E92000001,England,E12000001,North East,806,E06000002,Middlesbrough,c\n"
        "22,Reporting year,Local authority,E92000001,England,E12000001,North East,807,E06000003,Redcar,10\n",
        encoding="utf-8",
    )
    status, _, err = run_import("dfe", source, "--out", tmp_path / "out")
    assert status == 1
    assert err.splitlines() == [
        f"{source.as_posix()}:3 [CPP_start]: expected a number or one of DfE's symbols "
        "(c, x, z, u, k, .., :, low, or one in brackets such as [c]), got 'n/a'",
        f"{source.as_posix()}:5 [time_period]: expected a year such as 2022 or 202122, got '22'",
        "2 problems; nothing was imported",
    ]


def test_usage_errors_exit_2(run_import: Importer, tmp_path: Path) -> None:
    status, _, err = run_import("dfe", tmp_path / "missing.csv", "--out", tmp_path)
    assert (status, err.strip()) == (2, f"error: {tmp_path / 'missing.csv'}: file not found")
    status, _, err = run_import("dfe", __file__, "--out", tmp_path, "--id", "Not An Id")
    assert status == 2 and "--id 'Not An Id': expected lower-case letters" in err
    status, _, _ = run_import("dfe", __file__)  # --out is required
    assert status == 2


def test_a_release_saved_by_excel_with_a_title_footnotes_and_bracketed_symbols(
        run_import: Importer, shared_data: Path, tmp_path: Path) -> None:
    """The real d1 file as another publisher or Excel would write it: the same table must come out."""
    name = "d1_child_protection_plans_2013_to_2022.csv"
    original = (shared_data / "dfe_official" / name).read_text(encoding="utf-8-sig")
    header, *rows = original.splitlines()
    # GSS (2021) brackets the symbols; a footnote row and a title row frame the table; Excel saves Windows-1252.
    bracketed = [",".join(f"[{cell}]" if cell in ("c", "x") else cell for cell in row.split(",")) for row in rows]
    text = ("D1: Children who were the subject of a child protection plan \u2013 by local authority,,\n"
            + header + "\n" + "\n".join(bracketed) + "\n"
            + "Source: Children in need census \u00a9 Crown copyright,,\n[c] = suppressed (1 to 5)\n")
    release = tmp_path / "release"
    release.mkdir()
    (release / name).write_bytes(text.encode("cp1252"))
    content = make_content(tmp_path / "content")
    status, out, err = run_import("dfe", release / name, "--out", content / "data", "--id", "d1")
    assert status == 0, err
    assert out.strip().endswith("1518 rows, 21 columns, 220 missing ([c] 164, [x] 56)")
    assert err.splitlines() == [
        f"warning: {name}:1: 'D1: Children who were the subject of a child protection p...' "
        "is a title or footnote row, not data: left out",
        f"warning: {name}:{len(rows) + 3}: 'Source: Children in need census \u00a9 Crown copyright' "
        "is a title or footnote row, not data: left out",
        f"warning: {name}:{len(rows) + 4}: '[c] = suppressed (1 to 5)' is a title or footnote row, not data: left out",
        f"warning: {name}: read as Windows-1252 (not UTF-8); the dataset is written as UTF-8",
    ]
    plain = make_content(tmp_path / "plain")
    assert run_import("dfe", shared_data / "dfe_official" / name, "--out", plain / "data", "--id", "d1")[0] == 0
    ours = load_datasets(content)["d1"].table  # type: ignore[attr-defined]
    theirs = load_datasets(plain)["d1"].table  # type: ignore[attr-defined]
    assert ours.equals(theirs)
    assert {column: {row: code.strip("[]") for row, code in codes.items()}
            for column, codes in reasons(ours).items()} == reasons(theirs)
    columns = {c["name"]: c for c in front_matter(content / "data" / "d1.md")["columns"]}
    assert columns["CPP_start"]["missing_codes"] == {"[c]": "suppressed to protect confidentiality",
                                                     "[x]": "not available"}
