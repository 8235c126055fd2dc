"""A growth model on a page: a boundary (singular) fit says so in the table and in the chart's caption."""

from __future__ import annotations

import html
from pathlib import Path

from generator.compute.growth import SINGULAR_NOTE
from generator.pipeline import load_and_validate
from generator.render.pages import render_site_pages
from generator.resolve import resolve_site

LAS = ["north", "south", "cmp-1", "cmp-2", "cmp-3", "cmp-4"]
YEARS = ["2013-14", "2014-15", "2015-16", "2016-17"]

DATASETS = {
    "spend": ("la_column: la\ncolumns:\n  - {name: la, type: string, role: identifier}\n"
              "  - {name: year, type: string, role: year}\n  - {name: category, type: string, role: label}\n"
              "  - {name: spend, type: number, role: amount, unit: '£, cash'}\nkeys: [la, year, category]\n"),
    "prices": "columns:\n  - {name: year, type: string, role: year}\n  - {name: index, type: number, role: score}\nkeys: [year]\n",
    "children": ("la_column: la\ncolumns:\n  - {name: la, type: string, role: identifier}\n"
                 "  - {name: year, type: string, role: year}\n  - {name: child_population, type: integer, role: count}\n"
                 "keys: [la, year]\n"),
    "imd": ("la_column: la\ncolumns:\n  - {name: la, type: string, role: identifier}\n"
            "  - {name: imd_score, type: number, role: score}\nkeys: [la]\n"),
}


def rows() -> dict[str, str]:
    # Every LA on the same line, 100 + 5t per child, plus noise with zero mean and
    # zero trend within each LA: the LAs' own intercepts and slopes do not vary,
    # so the variances are 0 and the fit is singular.
    noise = [1, -1, -1, 1]
    spend = ["la,year,category,spend"] + [
        f"{la},{year},support,{1000 * (100 + 5 * t + (1 if i % 2 else -1) * noise[t])}"
        for i, la in enumerate(LAS) for t, year in enumerate(YEARS)
    ]
    prices = ["year,index"] + [f"{year},100" for year in YEARS]
    children = ["la,year,child_population"] + [f"{la},{year},1000" for la in LAS for year in YEARS]
    # scores that agree with the thirds the LAs declare (north high, south low)
    scores = {"north": 40, "cmp-1": 30, "cmp-2": 25, "cmp-3": 20, "cmp-4": 15, "south": 5}
    imd = ["la,imd_score"] + [f"{la},{scores[la]}" for la in LAS]
    return {"spend": spend, "prices": prices, "children": children, "imd": imd}


def with_growth(mini: Path) -> None:
    for name, columns in DATASETS.items():
        (mini / f"{name}.md").write_text(
            f"---\ntype: dataset\nid: {name}\ntitle: {name}\nfile: {name}.csv\n{columns}"
            "provenance: Test figures.\nlicence: CC0 1.0\n---\n"
        )
    for name, lines in rows().items():
        (mini / f"{name}.csv").write_text("\n".join(lines) + "\n")
    spec = "dataset: spend\ndeflator: prices\npopulation: children\ndeprivation: imd\n"
    doc = mini / "las/north/oakfield-S1.md"
    doc.write_text(doc.read_text() + f"\n```computed\ntable: growth\n{spec}```\n\n```computed\nchart: growth\n{spec}```\n")


def test_a_singular_growth_fit_says_so_on_the_page(mini: Path) -> None:
    with_growth(mini)
    study, _ = load_and_validate(mini)
    pages = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}
    page = html.unescape(pages["code-documents/oakfield/S1.md"])
    sentence = SINGULAR_NOTE[0].upper() + SINGULAR_NOTE[1:] + "."
    assert page.count(sentence) == 2  # under the table and in the chart's caption
    assert "Fitted as lme4 fits it; standard errors as lme4 reports them." in page
    assert "SD 0.0 and 0.0, no correlation (a variance is zero)" in page

