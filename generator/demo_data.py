"""Write the demo's fictional panel of LA figures, reproducibly.

    python -m generator.demo_data content/data

Every number is invented, from a fixed random seed, in the shape of the real
English LA panel (151 LAs, 2010-2022; see shared/data/england_la_panel):
spending per child by service category rises with deprivation, looked-after
children's spending grows while early and youth services are cut, and cuts
are deeper in more deprived LAs. Rates per 10,000 children follow the real
gradient across deprivation thirds (referrals about 490 / 640 / 730, child
protection plan starts about 40 / 48 / 64). The six demo LAs take the
counts in their own pathway datasets where those exist, so every table in
the demo agrees with every other.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

SEED = 20161231
YEARS = ["2010-11", "2011-12", "2012-13", "2013-14", "2014-15", "2015-16", "2016-17", "2017-18"]
# A fictional price index with 2015-16 = 100 (shaped like the GDP deflator).
DEFLATOR = [93.1, 94.6, 96.0, 97.7, 99.0, 100.0, 101.9, 103.6]
N_COMPARATORS = 150

# Real £ per child at 2015-16 prices in 2010-11 for an LA of average
# deprivation; change per deprivation SD; yearly real growth; extra yearly
# growth per deprivation SD (negative: deeper cuts where more deprived).
CATEGORIES = {
    "looked_after_children": (390.0, 75.0, 0.030, 0.004),
    "safeguarding": (225.0, 35.0, 0.020, 0.000),
    "family_support": (100.0, 18.0, -0.005, -0.010),
    "young_people": (135.0, 22.0, -0.100, -0.020),
    "sure_start_under_5s": (150.0, 40.0, -0.060, -0.020),
    "youth_justice": (32.0, 14.0, -0.050, -0.005),
}
# Rates per 10,000 children aged 0-17 at average deprivation, per SD, yearly trend.
RATES = {
    "referrals": (560.0, 105.0, 0.010),
    "cpp_starts": (48.0, 11.0, 0.035),
    "cla_starts": (27.0, 6.5, 0.015),
}
DEMO_LAS = {  # id: (name, IMD 2015 score, children 0-17 in 2015-16, pathway file prefix)
    "harrowmere": ("Harrowmere", 34.1, 61200, "hm"),
    "brackenford": ("Brackenford", 31.8, 48900, "bf"),
    "westmoor-vale": ("Westmoor Vale", 14.2, 72400, "wv"),
    "lindhurst": ("Lindhurst", 12.6, 39800, "lh"),
}
SCOTTISH = {"glenrannoch": ("Glenrannoch", 16.9), "inverkellan": ("Inverkellan", 15.4)}
PATHWAY_COLUMNS = {"referrals": "referrals", "cpp_starts": "cp_plans_started", "cla_starts": "started_looked_after"}

FICTION = "Fictional figures generated for the demonstration by generator/demo_data.py (fixed seed); they describe no real authority."


def _pathway(content: Path, la: str, prefix: str) -> dict[str, dict[str, int]]:
    path = content / "local-authorities" / la / "datasets" / f"{prefix}-pathway.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["year"]: row for row in csv.DictReader(handle)}


def generate(content: Path) -> dict[str, list[dict[str, object]]]:
    """Return the rows of every demo table."""
    rng = np.random.default_rng(SEED)
    las = [(f"cmp-{i:03d}", f"Comparator {i:03d}", float(np.clip(rng.normal(23.0, 8.0), 5.6, 42.0)),
            int(rng.lognormal(np.log(70000), 0.45))) for i in range(1, N_COMPARATORS + 1)]
    las += [(la, name, score, children) for la, (name, score, children, _) in DEMO_LAS.items()]
    las.sort(key=lambda item: item[0])

    england, children, spending = [], [], []
    for la, name, score, children_2015 in las:
        z = (score - 23.0) / 8.0
        england.append({"la": la, "name": name, "imd_score": round(score, 2)})
        la_level = rng.lognormal(0.0, 0.10)
        pathway = _pathway(content, la, DEMO_LAS[la][3]) if la in DEMO_LAS else {}
        for t, year in enumerate(YEARS):
            population = int(round(children_2015 * (1.005 ** (t - 5)) * rng.normal(1.0, 0.003)))
            row: dict[str, object] = {"la": la, "year": year, "child_population": population}
            for measure, (base, slope, trend) in RATES.items():
                rate = max(base + slope * z, 5.0) * (1 + trend) ** t * la_level * rng.normal(1.0, 0.04)
                own = pathway.get(year, {}).get(PATHWAY_COLUMNS[measure])
                row[measure] = int(own) if own else int(rng.poisson(rate * population / 10_000))
            children.append(row)
        offsets = {c: rng.lognormal(0.0, 0.12) for c in CATEGORIES}
        slopes = {c: rng.normal(0.0, 0.01) for c in CATEGORIES}
        for t, year in enumerate(YEARS):
            population = children[-len(YEARS) + t]["child_population"]
            for category, (base, per_sd, trend, trend_per_sd) in CATEGORIES.items():
                growth = (1 + trend + trend_per_sd * z + slopes[category]) ** t
                real_per_child = max(base + per_sd * z, 5.0) * offsets[category] * la_level * growth * rng.normal(1.0, 0.04)
                cash = real_per_child * population * DEFLATOR[t] / 100.0  # at the year's own prices
                spending.append({"la": la, "year": year, "category": category, "spend": int(round(cash / 1000))})

    councils = [(f"scot-{i:02d}", f"Scottish council {i:02d}", float(np.clip(rng.normal(21.0, 5.0), 6.0, 34.0)))
                for i in range(1, 31)]
    councils += [(la, name, score) for la, (name, score) in SCOTTISH.items()]
    scotland = [{"la": la, "name": name, "simd_score": round(score, 2)} for la, name, score in sorted(councils)]
    deflator = [{"year": y, "index": v} for y, v in zip(YEARS, DEFLATOR)]
    return {"england-las": england, "england-children": children, "england-spending": spending,
            "scotland-councils": scotland, "deflator": deflator}


DOCUMENTS = {
    "england-las": ("English LAs and their deprivation (demo)", [
        ("la", "string", None, "LA id"), ("name", "string", None, "LA name"),
        ("imd_score", "number", "IMD 2015 score", "Population-weighted mean of the LA's small-area scores"),
    ], "la"),
    "england-children": ("Children, referrals, plans and care starts, English LAs 2010-11 to 2017-18 (demo)", [
        ("la", "string", None, "LA id"), ("year", "string", None, "Financial year"),
        ("child_population", "integer", "children aged 0-17", "Mid-year estimate"),
        ("referrals", "integer", "children", "Referrals to children's social care"),
        ("cpp_starts", "integer", "children", "Child protection plans started"),
        ("cla_starts", "integer", "children", "Children starting to be looked after"),
    ], "la"),
    "england-spending": ("Children's services spending by category, English LAs 2010-11 to 2017-18 (demo)", [
        ("la", "string", None, "LA id"), ("year", "string", None, "Financial year"),
        ("category", "string", None, "Service category (section 251 report group)", list(CATEGORIES)),
        ("spend", "integer", "£ thousands, cash", "Gross expenditure at the year's own prices"),
    ], "la"),
    "scotland-councils": ("Scottish councils and their deprivation (demo)", [
        ("la", "string", None, "Council id"), ("name", "string", None, "Council name"),
        ("simd_score", "number", "SIMD-based score", "Population-weighted mean of data-zone scores"),
    ], "la"),
    "deflator": ("Price index, 2015-16 = 100 (demo)", [
        ("year", "string", None, "Financial year"), ("index", "number", "2015-16 = 100", "Price index"),
    ], None),
}


# What each column's figures are, for disclosure control (see compute.disclosure).
ROLES = {"la": "identifier", "name": "label", "year": "year", "category": "label", "imd_score": "score",
         "simd_score": "score", "index": "score", "spend": "amount"}


def write(content: Path, folder: Path) -> list[Path]:
    """Write every demo table and its dataset document into ``folder``; return the paths."""
    tables = generate(content)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        title, columns, la_column = DOCUMENTS[name]
        csv_path = folder / f"{name}.csv"
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[c[0] for c in columns], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        lines = ["---", "type: dataset", f"id: {name}", f"title: {title}", f"file: {name}.csv"]
        if la_column:
            lines.append(f"la_column: {la_column}")
        lines.append("columns:")
        for column, kind, unit, description, *allowed in columns:
            lines.append(f"  - name: {column}")
            lines.append(f"    type: {kind}")
            lines.append(f"    role: {ROLES.get(column, 'count' if kind == 'integer' else 'label')}")
            if unit:
                lines.append(f"    unit: \"{unit}\"")
            lines.append(f"    description: {description}")
            if allowed:
                lines.append(f"    values: [{', '.join(allowed[0])}]")
        keys = [c[0] for c in columns if c[0] in ("la", "year", "category")]
        lines.append(f"keys: [{', '.join(keys)}]")
        lines += [f"provenance: {FICTION}", "licence: CC0 1.0 (fictional demo data)", "---", "",
                  "Fictional demonstration data; generated, not collected. Regenerate with "
                  "`python -m generator.demo_data content/data`.", ""]
        md_path = folder / f"{name}.md"
        md_path.write_text("\n".join(lines), encoding="utf-8")
        written += [csv_path, md_path]
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("content/data")
    for path in write(target.parent, target):
        print(path)
