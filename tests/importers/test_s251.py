"""`generator import s251` on the real section 251 outturn workbooks (Table A1)."""

from __future__ import annotations

import csv
import re
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import Importer, load_datasets, make_content

YEARS = {"2018": "2017-18", "2019": "2018-19"}
HEADER = ["LA", "LA Name", "ReportGroup", "OrderLine", "Description", "s251line", "OwnProvision", "PrivateProvision",
          "OtherPublic", "Voluntary", "TotalExpenditure", "Income", "NetCurrentExpenditure", "GovGrantsInsideAEF",
          "GovGrantsOutsideAEF", "LEANetRevenueExpenditure"]


def source_rows(path: Path) -> list[dict[str, object]]:
    """Read Table A1 with openpyxl alone."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\..*")
        workbook = load_workbook(path, read_only=True, data_only=True)
        rows = list(workbook["Table A1"].iter_rows(values_only=True))
        workbook.close()
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def read_output(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = make_content(tmp_path_factory.mktemp("s251") / "content")
    for year in YEARS:
        source = shared_data / "s251_raw" / f"S251ye{year}.xlsx"
        assert main(["import", "s251", str(source), "--out", str(content / "spending")]) == 0
    return content


@pytest.mark.parametrize("file_year, year", YEARS.items())
def test_one_row_per_la_and_category_summing_to_the_workbooks_grand_total(
        imported: Path, shared_data: Path, file_year: str, year: str) -> None:
    source = source_rows(shared_data / "s251_raw" / f"S251ye{file_year}.xlsx")
    assert len(source) == {"2018": 5472, "2019": 5624}[file_year]
    out = read_output(imported / "spending" / f"s251-{year}.csv")
    assert len(out) == 152 * 7 == 1064
    assert {r["year"] for r in out} == {year}
    assert set(Counter(r["category"] for r in out).values()) == {152}
    summed: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in out:
        summed[r["la_code"]][0] += float(r["total_expenditure"])
        summed[r["la_code"]][1] += float(r["net_current_expenditure"])
    grand = {str(r["LA"]): r for r in source if r["s251line"] == "5.0.2"}
    assert len(grand) == 152
    for la, row in grand.items():
        assert summed[la][0] == pytest.approx(row["TotalExpenditure"], abs=0.05)
        assert summed[la][1] == pytest.approx(row["NetCurrentExpenditure"], abs=0.05)


def test_kent_safeguarding_2017_18(imported: Path, shared_data: Path) -> None:
    source = source_rows(shared_data / "s251_raw" / "S251ye2018.xlsx")
    kent = {r["s251line"]: r for r in source if r["LA"] == 886}
    lines = sum(kent[line]["TotalExpenditure"] for line in ("3.3.1", "3.3.2", "3.3.3"))  # type: ignore[misc]
    assert lines == kent["3.3.4"]["TotalExpenditure"] == 54_599_205
    out = read_output(imported / "spending" / "s251-2017-18.csv")
    row = next(r for r in out if r["la_code"] == "886" and r["category_code"] == "saf")
    assert row == {
        "year": "2017-18", "la_code": "886", "la_name": "Kent", "category_code": "saf",
        "category": "Safeguarding children and young people's services",
        "total_expenditure": "54599205", "net_current_expenditure": "48955939",
    }


def test_both_spellings_of_a_report_group_land_in_one_category(imported: Path, shared_data: Path) -> None:
    groups = {r["ReportGroup"] for r in source_rows(shared_data / "s251_raw" / "S251ye2018.xlsx")}
    assert "OTHER CHILDREN AND FAMILIES SERVICES" in groups
    later = {r["ReportGroup"] for r in source_rows(shared_data / "s251_raw" / "S251ye2019.xlsx")}
    assert "OTHER CHILDREN AND FAMILY SERVICES" in later
    categories = [{r["category"] for r in read_output(imported / "spending" / f"s251-{y}.csv")} for y in YEARS.values()]
    assert categories[0] == categories[1] and len(categories[0]) == 7


def test_documents_load_cleanly(imported: Path) -> None:
    datasets = load_datasets(imported)
    assert sorted(datasets) == ["s251-2017-18", "s251-2018-19"]
    dataset = datasets["s251-2018-19"]
    assert dataset.table.attrs["missing_codes"] == {}  # type: ignore[attr-defined]
    assert dataset.model.licence == "Open Government Licence v3.0"  # type: ignore[attr-defined]
    units = {c.name: c.unit for c in dataset.model.columns}  # type: ignore[attr-defined]
    assert units["total_expenditure"] == units["net_current_expenditure"] == "£ (cash)"
    body = dataset.body  # type: ignore[attr-defined]
    assert "8a.1" in body and "5.0.3" in body and "4.0.1" in body


def write_table_a1(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Table A1"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def line(group: str, number: str, description: str, total: float, net: float) -> list[object]:
    return [999, "Testshire", group, 1, f"{number} {description}", number, total, 0, 0, 0, total, total - net, net, 0, 0, net]


def test_an_unknown_report_group_names_the_row(run_import: Importer, tmp_path: Path) -> None:
    source = write_table_a1(tmp_path / "S251ye2018.xlsx", [
        line("CHILDREN LOOKED AFTER", "3.1.1", "Residential care", 100, 90),
        line("EARLY HELP", "3.7.1", "Early help hubs", 50, 50),
    ])
    status, _, err = run_import("s251", source, "--out", tmp_path / "out")
    assert status == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{source.as_posix()}:3 [ReportGroup]: unknown ReportGroup 'EARLY HELP'; expected one of")
    assert "Children looked after" in first
    assert err.splitlines()[-1] == "1 problem; nothing was imported"
    assert not (tmp_path / "out").exists()


def test_a_category_total_that_disagrees_is_reported(run_import: Importer, tmp_path: Path) -> None:
    source = write_table_a1(tmp_path / "S251ye2018.xlsx", [
        line("CHILDREN LOOKED AFTER", "3.1.1", "Residential care", 100, 90),
        line("CHILDREN LOOKED AFTER", "3.1.2", "Fostering services", 10, 10),
        line("CHILDREN LOOKED AFTER", "3.1.11", "Total Children Looked After", 120, 100),
    ])
    status, _, err = run_import("s251", source, "--out", tmp_path / "out")
    assert status == 1
    assert err.splitlines()[0] == (f"{source.as_posix()}:4 [TotalExpenditure]: line 3.1.11 gives 120 but the "
                                   "children looked after lines of LA 999 sum to 110")


def test_year_comes_from_the_file_name_or_year_option(run_import: Importer, tmp_path: Path) -> None:
    rows = [line("YOUTH JUSTICE", "3.6.1", "Youth justice", 10.5, 10.25)]
    source = write_table_a1(tmp_path / "outturn.xlsx", rows)
    status, _, err = run_import("s251", source, "--out", tmp_path / "out")
    assert status == 2 and "give it with --year 2017-18" in err
    status, out, err = run_import("s251", source, "--out", tmp_path / "out", "--year", "2016-17", "--id", "yj")
    assert status == 0, err
    assert re.search(r"1 rows, 7 columns, no missing values$", out.strip())
    assert read_output(tmp_path / "out" / "yj.csv")[0]["year"] == "2016-17"
    assert read_output(tmp_path / "out" / "yj.csv")[0]["total_expenditure"] == "10.5"


def test_a_workbook_of_another_kind_is_refused(run_import: Importer, shared_data: Path, tmp_path: Path) -> None:
    imd = shared_data / "imd_england" / "imd-2019.xlsx"
    status, _, err = run_import("s251", imd, "--out", tmp_path / "out")
    assert status == 1
    assert err.startswith(f"{imd.as_posix()}: no sheet 'Table A1' (sheets: Notes, IMD, ")
    assert "expected a section 251 outturn workbook" in err


def _blank(row: list[object]) -> list[object]:
    row[HEADER.index("TotalExpenditure")] = row[HEADER.index("NetCurrentExpenditure")] = None
    return row


def test_a_blank_line_stays_missing_unless_the_workbooks_totals_prove_it_adds_nothing(
        run_import: Importer, tmp_path: Path) -> None:
    cla, fss, yjs, saf = ("CHILDREN LOOKED AFTER", "FAMILY SUPPORT SERVICES", "YOUTH JUSTICE",
                          "SAFEGUARDING CHILDREN AND YOUNG PEOPLES SERVICES")
    rows = [line(cla, "3.1.1", "Residential care", 100, 90),
            _blank(line(cla, "3.1.2", "Fostering services", 0, 0)),
            line(cla, "3.1.11", "Total Children Looked After", 100, 90),  # proves the blank adds nothing
            line(fss, "3.4.1", "Family support", 40, 30),
            _blank(line(fss, "3.4.2", "Other family support", 0, 0)),
            line(fss, "3.4.5", "Total Family Support Services", 55, 45),  # the blank held 15: unknown, not 0
            _blank(line(yjs, "3.6.1", "Youth justice", 0, 0)),  # no total line: unknown
            _blank(line(saf, "3.3.1", "Social work", 0, 0)),
            line(yjs, "5.0.2", "Total Expenditure excluding CERA", 100 + 55 + 7, 90 + 45 + 7)]
    rows[-2][HEADER.index("TotalExpenditure")] = 0  # ... only its net amount is blank
    source = write_table_a1(tmp_path / "S251ye2018.xlsx", rows)
    status, out, err = run_import("s251", source, "--out", tmp_path / "out")
    assert status == 0, err
    written = {row["category_code"]: row for row in read_output(tmp_path / "out" / "s251-2017-18.csv")}
    assert [(written[c]["total_expenditure"], written[c]["net_current_expenditure"]) for c in ("cla", "fss", "yjs")
            ] == [("100", "90"), ("x", "x"), ("x", "x")]
    # Several categories are open in each column (fss, yjs; and saf's net): the grand total cannot settle any.
    assert (written["saf"]["total_expenditure"], written["saf"]["net_current_expenditure"]) == ("0", "x")
    warning = next(text for text in err.splitlines() if "blank amount(s)" in text)
    assert "7 blank amount(s) on spending lines; 2 of them shown by the workbook's totals" in warning
    assert "5 category sum(s) left missing ('x'), not counted as £0" in warning
    assert "LA 999 fss TotalExpenditure (line 3.4.5 gives 55, the lines given sum to 40: the blank lines are not zero)" \
        in warning
    import yaml

    document = (tmp_path / "out" / "s251-2017-18.md").read_text(encoding="utf-8")
    front = yaml.safe_load(document.split("---")[1])
    codes = {c["name"]: c.get("missing_codes") for c in front["columns"]}
    assert codes["total_expenditure"] == codes["net_current_expenditure"] == {
        "x": "not available: s251 lines of the category are blank and the workbook's totals do not show that "
             "they add nothing"}
    assert "x (not available), not £0" in " ".join(document.replace("`", "").split())


def test_the_grand_total_settles_the_one_open_category(run_import: Importer, tmp_path: Path) -> None:
    rows = [line("CHILDREN LOOKED AFTER", "3.1.1", "Residential care", 100, 90),
            _blank(line("YOUTH JUSTICE", "3.6.1", "Youth justice", 0, 0)),
            line("YOUTH JUSTICE", "5.0.2", "Total Expenditure excluding CERA", 100, 91)]
    source = write_table_a1(tmp_path / "S251ye2018.xlsx", rows)
    status, _, err = run_import("s251", source, "--out", tmp_path / "out")
    assert status == 0, err
    written = {row["category_code"]: row for row in read_output(tmp_path / "out" / "s251-2017-18.csv")}
    assert (written["yjs"]["total_expenditure"], written["yjs"]["net_current_expenditure"]) == ("0", "x")


def test_blank_lines_in_a_real_workbook(run_import: Importer, shared_data: Path, tmp_path: Path) -> None:
    """The real 2017-18 workbook with two of its spending lines blanked, as a return with gaps would be."""
    from openpyxl import load_workbook

    original = shared_data / "s251_raw" / "S251ye2018.xlsx"
    rows = source_rows(original)
    assert not any(r[c] is None for r in rows if str(r["s251line"]).startswith("3.")
                   for c in ("TotalExpenditure", "NetCurrentExpenditure"))  # as published: no blank spending line
    kent_line = next(r for r in rows if r["LA"] == 886 and r["s251line"] == "3.3.2")
    assert kent_line["TotalExpenditure"] != 0
    zero_line = next(r for r in rows if r["LA"] != 886 and str(r["s251line"]).startswith("3.3.")
                     and r["TotalExpenditure"] == 0 and r["NetCurrentExpenditure"] == 0
                     and "total" not in str(r["Description"]).lower())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\..*")
        workbook = load_workbook(original)
    sheet = workbook["Table A1"]
    header = [cell.value for cell in sheet[1]]
    for excel_row in sheet.iter_rows(min_row=2):
        values = {name: cell.value for name, cell in zip(header, excel_row)}
        if (values["LA"], values["s251line"]) in {(886, "3.3.2"), (zero_line["LA"], zero_line["s251line"])}:
            for name in ("TotalExpenditure", "NetCurrentExpenditure"):
                excel_row[header.index(name)].value = None
    gapped = tmp_path / "S251ye2018.xlsx"
    workbook.save(gapped)
    content = make_content(tmp_path / "content")
    status, _, err = run_import("s251", gapped, "--out", content / "spending")
    assert status == 0, err
    out = {(r["la_code"], r["category_code"]): r for r in read_output(content / "spending" / "s251-2017-18.csv")}
    kent = out[("886", "saf")]
    assert (kent["total_expenditure"], kent["net_current_expenditure"]) == ("x", "x")  # 3,193,397 was not £0
    other = out[(str(zero_line["LA"]), "saf")]
    expected = sum(float(r["TotalExpenditure"]) for r in rows if r["LA"] == zero_line["LA"]  # type: ignore[arg-type]
                   and str(r["s251line"]).startswith("3.3.") and "total" not in str(r["Description"]).lower())
    assert float(other["total_expenditure"]) == pytest.approx(expected, abs=0.005)  # its total proves the zero
    assert sum(r["total_expenditure"] == "x" for r in out.values()) == 1
    table = load_datasets(content)["s251-2017-18"].table  # type: ignore[attr-defined]
    assert list(table.attrs["missing_codes"]["total_expenditure"].values()) == ["x"]
    assert "4 blank amount(s) on spending lines; 2 of them shown by the workbook's totals" in err
