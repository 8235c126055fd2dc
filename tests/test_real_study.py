"""A study built from the real files in ../shared/data, missing values and gaps left in.

Four real English LAs, two in the most and two in the least deprived third
by IMD 2015 (Hackney and Middlesbrough; Richmond upon Thames and
Wokingham), with the DfE child protection, referral and population files,
the IMD 2015 workbook and two years of section 251 outturn, each brought in
by `generator import`. Hackney has no CPP or referral figures for 2020-21
and 2021-22 (DfE's `x`), so its pages must show the gap. Every table and
chart kind is built; the figures on the built pages are checked against a
computation written here with pandas on the raw files, not through the tool.
Under CI=true the data must be there (the test fails, not skips).
"""

from __future__ import annotations

import csv as csv_module
import html
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from generator.build import build
from generator.cli import main

STUDY = {  # id: (name, ONS code)
    "hackney": ("Hackney", "E09000012"),
    "middlesbrough": ("Middlesbrough", "E06000002"),
    "richmond-upon-thames": ("Richmond upon Thames", "E09000027"),
    "wokingham": ("Wokingham", "E06000041"),
}
CPP = "dfe_official/d1_child_protection_plans_2013_to_2022.csv"
REFERRALS = "dfe_official/c1_children_in_need_referrals_and_rereferrals_2013_to_2022.csv"
POPULATION = "dfe_official/ons_mid-year_population_estimates.csv"
IMD = "imd_england/imd-2015.xlsx"
S251 = ("s251_raw/S251ye2018.xlsx", "s251_raw/S251ye2019.xlsx")
BASE_YEAR = "2018-19"

BLOCKS = """
```computed
table: values
dataset: cpp
la: hackney
columns: [year, CPP_start, CPP_start_rate]
caption: Hackney's child protection plans
```

```computed
table: rates
dataset: cpp
la: hackney
years: [2014-15, 2017-18, 2019-20]
counts: [CPP_start]
population: population_estimate
population_from: {dataset: population, keys: [new_la_code, year]}
caption: Hackney's plans per 10,000 children (ONS population)
```

```computed
table: conversion
dataset: referrals
la: hackney
steps: [Referrals, Re_referrals]
caption: Hackney's referrals and re-referrals
```

```computed
table: spending
dataset: s251
la: hackney
deflator: deflator
spend_column: total_expenditure
show: share
caption: Hackney's spending shares
```

```computed
table: spending
dataset: s251
la: hackney
deflator: deflator
spend_column: total_expenditure
population: population
population_column: population_estimate
show: per_child
caption: Hackney's spending per child
```

```computed
table: deprivation
dataset: imd
la: hackney
score_column: average_score
caption: Hackney's deprivation
```

```computed
table: growth
dataset: s251
deflator: deflator
spend_column: total_expenditure
population: population
population_column: population_estimate
deprivation: imd
score_column: average_score
caption: Growth of spending per child
```

```computed
chart: panel
dataset: s251
deflator: deflator
spend_column: total_expenditure
deprivation: imd
score_column: average_score
categories: [Children looked after, Family support services]
title: Shares of spending
```

```computed
chart: panel
dataset: s251
deflator: deflator
spend_column: total_expenditure
deprivation: imd
score_column: average_score
show: per_child
population: population
population_column: population_estimate
title: Spending per child
```

```computed
chart: rates
dataset: cpp
counts: [CPP_start]
population: population_estimate
population_from: {dataset: population, keys: {new_la_code: new_la_code, year: year}}
deprivation: imd
score_column: average_score
years: [2012-13, 2013-14, 2014-15, 2015-16, 2016-17, 2017-18]
title: CPP starts per 10,000 children
```

```computed
chart: funnel
dataset: referrals
steps: [Referrals, Re_referrals]
year: 2021-22
title: Referrals in 2021-22
```

```computed
chart: comparability
title: The sites' deprivation
```

```computed
chart: growth
dataset: s251
deflator: deflator
spend_column: total_expenditure
population: population
population_column: population_estimate
deprivation: imd
score_column: average_score
title: Growth curves
```
"""


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def financial_year(end: int) -> str:
    return f"{end - 1}-{str(end)[2:]}"


# --- the independent computation: pandas on the raw files ------------------------------


def raw_dfe(data: Path, name: str) -> pd.DataFrame:
    frame = pd.read_csv(data / name, dtype=str, keep_default_na=False)
    return frame[frame["geographic_level"] == "Local authority"]


def raw_imd(data: Path) -> pd.DataFrame:
    frame = pd.read_excel(data / IMD, sheet_name="IMD")
    frame.columns = ["code", "name", "avg_rank", "rank_avg_rank", "score", "rank", *frame.columns[6:]]
    return frame


def lines(sheet: pd.DataFrame) -> pd.DataFrame:
    """The workbook's current spending lines on services (section 3), without their subtotal lines
    ("3.1.11 Total ...").

    Table A1 also files, under a service's ReportGroup, lines that are no such spending: the grand totals
    (5.0.2, 5.0.3), capital expenditure from revenue (4.0.1 CERA, under youth justice) and two memoranda
    (8a.1, 8a.2, under services for young people) whose own descriptions say they are "included in 3.5.1 and
    3.5.2 above". Summed with the rest they count young people's services twice and add capital spending.
    """
    spending = sheet["s251line"].astype(str).str.startswith("3.")
    return sheet[spending & ~sheet["Description"].str.contains("total", case=False)]


def raw_s251_shares(data: Path) -> pd.DataFrame:
    """Each LA's share of gross spending by report group, per year: sum of TotalExpenditure over the lines."""
    parts = []
    for path, year in zip(S251, ("2017-18", "2018-19")):
        sheet = lines(pd.read_excel(data / path, sheet_name="Table A1"))
        sums = sheet.groupby(["LA", "ReportGroup"], as_index=False)["TotalExpenditure"].sum()
        sums["share"] = sums["TotalExpenditure"] / sums.groupby("LA")["TotalExpenditure"].transform("sum") * 100
        sums["year"] = year
        parts.append(sums)
    return pd.concat(parts)


# --- the study, through the tool's importers -------------------------------------------


def write_study(data: Path, root: Path) -> Path:
    content = root / "content"
    (content / "data").mkdir(parents=True)
    cpp = raw_dfe(data, CPP)
    imd = raw_imd(data)
    codes: dict[str, str] = {}
    for _, row in cpp.iterrows():
        codes[row["new_la_code"]] = codes[row["old_la_code"]] = slug(row["la_name"])
    for _, row in imd.iterrows():
        codes.setdefault(str(row["code"]), slug(str(row["name"])))
    la_map = root / "la-map.csv"
    la_map.write_text("code,la\n" + "".join(f"{c},{la}\n" for c, la in sorted(codes.items())), encoding="utf-8")
    out = content / "data"
    for kind, source, dataset_id in [("dfe", CPP, "cpp"), ("dfe", REFERRALS, "referrals"), ("dfe", POPULATION, "population"),
                                     ("imd", IMD, "imd"), ("s251", S251[0], "s251"), ("s251", S251[1], "s251-2018-19")]:
        status = main(["import", kind, str(data / source), "--out", str(out), "--id", dataset_id, "--la-map", str(la_map)])
        assert status == 0, (kind, source)
    # The DfE importer pastes the release's notes into each dataset's body, and they name Hackney, which the
    # leak check rightly refuses on the other LAs' sites. Keeping those notes as a link is issue 12 item 5
    # (another branch); until then the study drops the pasted paragraph.
    for document in out.glob("*.md"):
        body = document.read_text(encoding="utf-8")
        if "DfE's notes:" in body:
            head, _, rest = body.partition("DfE's notes:")
            document.write_text(head + "\n".join(line for line in rest.splitlines() if not line.startswith("- ")).strip() + "\n",
                                encoding="utf-8")
    # one spending dataset over both years: the second import's rows under the first's header (same columns)
    later = (out / "s251-2018-19.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    first = (out / "s251.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert later[0] == first[0]
    (out / "s251.csv").write_text("".join(first + later[1:]), encoding="utf-8")
    (out / "s251-2018-19.csv").unlink()
    (out / "s251-2018-19.md").unlink()
    # no importer reads the GDP deflator workbook: a dataset of its year and index, written here
    deflator = pd.read_excel(data / "deflators/GDP_deflator.xlsx")
    (out / "deflator.csv").write_text("year,index\n" + "".join(
        f"{financial_year(int(y))},{g}\n" for y, g in zip(deflator["year"], deflator["gdp"])), encoding="utf-8")
    (out / "deflator.md").write_text(
        "---\ntype: dataset\nid: deflator\ntitle: GDP deflator (2019 = 100)\nfile: deflator.csv\ncolumns:\n"
        "  - {name: year, type: string, role: year}\n  - {name: index, type: number, role: score}\n"
        "provenance: HM Treasury GDP deflator, rebased by C. Webb (shared/data/deflators).\n"
        "licence: Open Government Licence v3.0\n---\n", encoding="utf-8")
    (content / "project.md").write_text(f"---\ntype: project\ntitle: Real data study\nbase_year: {BASE_YEAR}\n---\n",
                                        encoding="utf-8")
    (content / "S1.md").write_text("---\ntype: code\nid: S1\ngroup: Supply\nlabel: Services\ndescription: D.\n---\n",
                                   encoding="utf-8")
    for la_id, (name, code) in STUDY.items():
        row = imd[imd["code"] == code].iloc[0]
        rank = int(row["rank"])
        third = "high" if rank <= 51 else "middle" if rank <= 102 else "low"  # 152 LAs: 51, 51 and 50
        body = BLOCKS if la_id == "hackney" else ""
        (content / f"{la_id}.md").write_text(
            f"---\ntype: local_authority\nid: {la_id}\nname: {name}\nnation: England\n"
            f"deprivation: {{index: IMD 2015, score: {row['score']}, rank: {rank}, of: 152, third: {third}}}\n---\n\n"
            f"{name}, as published.\n{body}", encoding="utf-8")
        (content / f"{la_id}-site.md").write_text(
            f"---\ntype: site\nid: {la_id}-site\nname: {name} site\nla: {la_id}\narea_type: MSOA\nsmall_areas:\n"
            f"  - {{code: {code}, name: {name}, population: 1000, imd_score: {row['score']}}}\n---\n", encoding="utf-8")
    return content


# --- reading the built pages ------------------------------------------------------------


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def table(page: str, caption: str) -> list[list[str]]:
    """The body rows of the table whose caption (or data-table summary) starts with ``caption``."""
    for match in re.finditer(r"<table.*?</table>", page, re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", match.group(0), re.S)
        before = page[max(0, match.start() - 600):match.start()]
        label = text(found.group(1)) if found else text(before.rsplit("<summary>", 1)[-1])
        if caption in label:
            body = match.group(0).split("<tbody>", 1)[1]
            return [[text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    raise AssertionError(f"no table '{caption}' on the page")


def figure(cell: str) -> float:
    return float(cell.replace(",", "").replace("£", "").replace("%", ""))


@pytest.fixture(scope="module")
def built(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("real")
    content = write_study(shared_data, root)
    build(content, root / "site")
    return shared_data, root / "site"


def test_real_study_figures_match_an_independent_computation(built: tuple[Path, Path]) -> None:
    data, site = built
    page = (site / "la" / "hackney" / "index.html").read_text(encoding="utf-8")
    cpp = raw_dfe(data, CPP)
    hackney = cpp[cpp["la_name"] == "Hackney"].set_index("time_period")
    population = raw_dfe(data, POPULATION)
    people = population.set_index(["new_la_code", "time_period"])["population_estimate"]
    checked = 0

    # 1-2: the values table gives the count, and DfE's x for the two years Hackney sent nothing
    values = {row[0]: row for row in table(page, "Hackney's child protection plans")}
    assert figure(values["2019-20"][1]) == int(hackney.loc["2020", "CPP_start"])
    assert hackney.loc["2022", "CPP_start"] == "x" and values["2021-22"][1] == "[x]"
    assert "[x]: not available" in text(page)
    checked += 2

    # 3-4: rates with the population joined from the ONS file on code and year
    rates = {row[0]: row for row in table(page, "Hackney's plans per 10,000 children")}
    for year, end in (("2014-15", "2015"), ("2019-20", "2020")):
        expected = int(hackney.loc[end, "CPP_start"]) / int(people[("E09000012", end)]) * 10_000
        assert figure(rates[year][2]) == pytest.approx(expected, abs=0.05), year
        checked += 1

    # 5-6: conversion: re-referrals as a share of referrals; [x] carried into the share for 2021-22
    referrals = raw_dfe(data, REFERRALS)
    ref = referrals[referrals["la_name"] == "Hackney"].set_index("time_period")
    conversion = {row[0]: row for row in table(page, "Hackney's referrals and re-referrals")}
    header_years = [financial_year(int(t)) for t in sorted(ref.index, key=int)]  # the table's years, in order
    assert figure(conversion["Referrals"][1 + 2 * header_years.index("2019-20")]) == int(ref.loc["2020", "Referrals"])
    column = 1 + 2 * header_years.index("2019-20")
    assert figure(conversion["Re referrals"][column + 1]) == pytest.approx(
        int(ref.loc["2020", "Re_referrals"]) / int(ref.loc["2020", "Referrals"]) * 100, abs=0.05)
    last = 1 + 2 * header_years.index("2021-22")
    assert conversion["Re referrals"][last] == "[x]" and conversion["Re referrals"][last + 1] == "[x]"
    checked += 2

    # 7-8: spending shares of all seven categories, from the raw s251 lines
    shares = raw_s251_shares(data)
    own = shares[shares["LA"] == 204]
    table_shares = {row[0].lower(): row for row in table(page, "Hackney's spending shares")}
    for year, position in (("2017-18", 1), ("2018-19", 2)):
        group = own[(own["year"] == year) & own["ReportGroup"].str.contains("LOOKED AFTER", case=False)]
        row = next(r for k, r in table_shares.items() if "looked after" in k)
        assert figure(row[position]) == pytest.approx(float(group["share"].iloc[0]), abs=0.05), year
        checked += 1

    # 9: spending per child at 2018-19 prices: cash x index(2018-19) / index(2017-18), over the ONS children
    deflator = pd.read_excel(data / "deflators/GDP_deflator.xlsx").set_index("year")["gdp"]
    sheet = lines(pd.read_excel(data / S251[0], sheet_name="Table A1"))
    cash = sheet[(sheet["LA"] == 204) & sheet["ReportGroup"].str.contains("SAFEGUARDING", case=False)]["TotalExpenditure"].sum()
    expected = cash * deflator[2019] / deflator[2018] / int(people[("E09000012", "2018")])
    row = next(r for r in table(page, "Hackney's spending per child") if "safeguarding" in r[0].lower())
    assert figure(row[1]) == pytest.approx(expected, abs=0.5)
    checked += 1

    # 10-11: the deprivation rank and third from the IMD 2015 workbook
    imd = raw_imd(data)
    ours = imd[imd["code"] == "E09000012"].iloc[0]
    deprivation = table(page, "Hackney's deprivation")[0]
    assert figure(deprivation[1]) == pytest.approx(float(ours["score"]), abs=0.05)
    assert deprivation[2] == f"{int(ours['rank'])} of {len(imd)}" and deprivation[3] == "high deprivation"
    checked += 2

    # 12: the panel chart's high-third average share, a mean over the LAs of the high third by IMD 2015 score
    high_codes = set(imd.sort_values("score", ascending=False)["code"].head(51))  # 152 LAs: the top 51 scores
    s251_codes = {int(r["old_la_code"]): r["new_la_code"] for _, r in cpp.iterrows()}
    year = shares[(shares["year"] == "2018-19") & shares["ReportGroup"].str.contains("LOOKED AFTER", case=False)]
    in_high = year[year["LA"].map(s251_codes).isin(high_codes)]
    panel = [r for r in table(page, "Data table for “Shares of spending”") if r[1] == "2018-19" and "looked after" in r[0].lower()][0]
    assert figure(panel[2]) == pytest.approx(float(own[(own["year"] == "2018-19") & own["ReportGroup"].str.contains("LOOKED AFTER", case=False)]["share"].iloc[0]), abs=0.05)
    # The high-third average: a plain mean of the 51 LAs' shares. (This computation once summed every line of
    # the sheet but the totals, memoranda 8a.1/8a.2 and CERA 4.0.1 included, and gave 49.9 against the page's
    # 50.1: the test's error, not the tool's; see `lines`.)
    assert len(in_high) == 51
    assert figure(panel[3]) == pytest.approx(float(in_high["share"].mean()), abs=0.05)
    checked += 1

    # 13: the rates chart's all-LAs average of the joined rates in 2017-18 (ONS has no row for the pre-2019
    # Bournemouth, Poole and Dorset codes in 2018-19, which `check` reports, so the chart stops at 2017-18)
    joined = cpp[cpp["time_period"] == "2018"].merge(population[population["time_period"] == "2018"], on=["new_la_code", "time_period"])
    counts = pd.to_numeric(joined["CPP_start"], errors="coerce")
    rate = counts / pd.to_numeric(joined["population_estimate"], errors="coerce") * 10_000
    chart = {r[1]: r for r in table(page, "Data table for “CPP starts per 10,000 children”")}
    assert figure(chart["2017-18"][4]) == pytest.approx(float(rate.dropna().mean()), abs=0.05)
    checked += 1

    # 14: the funnel of 2021-22 shows Hackney's gap by DfE's symbol, in the data table and the alt text
    funnel = table(page, "Data table for “Referrals in 2021-22”")
    assert funnel[0][1] == "[x]" and ref.loc["2022", "Referrals"] == "x"
    assert re.search(r'alt="Funnel chart[^"]*&#91;x&#93;|alt="Funnel chart[^"]*\[x\]', page) or "[x]" in text(page)
    checked += 1

    # the CSV of the values table's dataset keeps DfE's code, and a gap is not drawn as a zero
    csv = (site / "la" / "hackney" / "datasets" / "cpp.csv").read_text(encoding="utf-8")
    assert "2021-22" in csv and ",[x]," in csv
    header, *rows = list(csv_module.reader(io.StringIO(csv)))
    rows, footnotes = rows[:rows.index([])], rows[rows.index([]) + 1:]  # the footnotes follow a blank row
    assert ["[x]: not available."] in footnotes
    assert header[-1] == "notes"
    assert all(("[x]" in row[:-1]) == row[-1].startswith("[x]: ") for row in rows)  # each [x] row says what it is
    assert checked >= 10
