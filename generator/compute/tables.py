"""Computed tables: check a block against the datasets, then compute it.

Checking happens with every other reference check (so `check` reports a
bad block as `path:line:`); computing happens at render time from the full
study tables, then rows are cut to the site's LA, so ranks and thirds are
always computed among all LAs while an LA's site shows only its own row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..content.blocks import (
    CHART_MODELS,
    BlockSpec,
    ConversionBlock,
    DeprivationBlock,
    GrowthBlock,
    RatesBlock,
    SpendingBlock,
    ValuesBlock,
)
from ..content.loader import Loaded, LoadedDataset, Study
from ..content.models import ColumnType
from ..errors import Problem, SourceLocation, did_you_mean
from . import measures

LABELS = {"per_child": "£ per child", "real": "£ thousands", "share": "% of total"}


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str = "text"  # text | integer | number | percent | money


@dataclass
class ComputedTable:
    caption: str
    header: list[tuple[str, str | None]]  # (label, unit)
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    source: str = ""


# --- checking ---------------------------------------------------------------


def check_blocks(study: Study, base_year: str) -> list[Problem]:
    """Return a problem for every block that names something the datasets do not have."""
    datasets = {d.model.id: d for d in study.datasets}
    las = {d.model.id for d in study.local_authorities}
    problems: list[Problem] = []
    for document in study.all_documents():
        for block in document.blocks:
            problems += [Problem(SourceLocation(document.path, line), message)
                         for line, message in _check_block(block, datasets, las, base_year)]
    return problems


def _columns(dataset: LoadedDataset) -> list[str]:
    return [c.name for c in dataset.model.columns]


def _need_column(block: BlockSpec, key: str, name: str, dataset: LoadedDataset, out: list[tuple[int, str]], index: int | None = None) -> bool:
    columns = _columns(dataset)
    if name in columns:
        return True
    where = block.line_of(key, index) if index is not None and key in block.parsed.data else block.line_of(key) if key in block.parsed.data else block.line
    out.append((where, f"{key}: dataset '{dataset.model.id}' has no column '{name}'{did_you_mean(name, columns)}; "
                       f"its columns: {', '.join(columns)}"))
    return False


def _check_block(block: BlockSpec, datasets: dict[str, LoadedDataset], las: set[str], base_year: str) -> list[tuple[int, str]]:
    spec = block.spec
    out: list[tuple[int, str]] = []
    if type(spec) in CHART_MODELS.values() or isinstance(spec, GrowthBlock):
        return _check_references(block, datasets, las)

    def dataset_named(key: str, value: str) -> LoadedDataset | None:
        found = datasets.get(value)
        if found is None:
            out.append((block.line_of(key), f"{key}: unknown dataset '{value}'{did_you_mean(value, datasets)}"))
        return found

    dataset = dataset_named("dataset", spec.dataset)
    if spec.la is not None and spec.la not in las:
        out.append((block.line_of("la"), f"la: unknown local authority '{spec.la}'{did_you_mean(spec.la, las)}"))
    if dataset is None:
        return out
    if spec.la is not None and dataset.model.la is None:
        _need_column(block, "la_column", spec.la_column, dataset, out)
    if spec.years or isinstance(spec, (RatesBlock, ConversionBlock, SpendingBlock)):
        if _need_column(block, "year_column", spec.year_column, dataset, out) and spec.years and dataset.table is not None:
            present = set(dataset.table[spec.year_column].astype(str))
            for index, year in enumerate(spec.years):
                if year not in present:
                    out.append((block.line_of("years", index),
                                f"years: '{year}' is not in dataset '{dataset.model.id}' (years: {', '.join(sorted(present))})"))
    if isinstance(spec, ValuesBlock):
        for index, name in enumerate(spec.columns):
            _need_column(block, "columns", name, dataset, out, index)
    elif isinstance(spec, RatesBlock):
        for index, name in enumerate(spec.counts):
            _need_column(block, "counts", name, dataset, out, index)
        _need_column(block, "population", spec.population, dataset, out)
    elif isinstance(spec, ConversionBlock):
        for index, name in enumerate(spec.steps):
            _need_column(block, "steps", name, dataset, out, index)
    elif isinstance(spec, SpendingBlock):
        for key in ("category_column", "spend_column"):
            _need_column(block, key, getattr(spec, key), dataset, out)
        if dataset.model.la is None:
            _need_column(block, "la_column", spec.la_column, dataset, out)
        deflator = dataset_named("deflator", spec.deflator)
        if deflator is not None and _need_column(block, "index_column", spec.index_column, deflator, out) \
                and _need_column(block, "year_column", spec.year_column, deflator, out) and deflator.table is not None:
            years = set(deflator.table[spec.year_column].astype(str))
            if base_year not in years:
                out.append((block.line_of("deflator"), f"deflator: dataset '{spec.deflator}' has no index for the base year {base_year}"))
            if dataset.table is not None:
                lacking = sorted(set(dataset.table[spec.year_column].astype(str)) - years)
                if lacking:
                    out.append((block.line_of("deflator"), f"deflator: dataset '{spec.deflator}' has no index for {', '.join(lacking)}"))
        if spec.show == "per_child":
            if spec.population is None:
                out.append((block.line, "population: needed for show: per_child (the id of a dataset with children by LA and year)"))
            else:
                population = dataset_named("population", spec.population)
                if population is not None:
                    _need_column(block, "population_column", spec.population_column, population, out)
    elif isinstance(spec, DeprivationBlock):
        _need_column(block, "score_column", spec.score_column, dataset, out)
        _need_column(block, "la_column", spec.la_column, dataset, out)
    return out


def _check_references(block: BlockSpec, datasets: dict[str, LoadedDataset], las: set[str]) -> list[tuple[int, str]]:
    """Check what a chart or a growth table names: datasets, their columns, the LA."""
    spec: Any = block.spec
    out: list[tuple[int, str]] = []
    if spec.la is not None and spec.la not in las:
        out.append((block.line_of("la"), f"la: unknown local authority '{spec.la}'{did_you_mean(spec.la, las)}"))
    named = {key: getattr(spec, key) for key in ("dataset", "deflator", "deprivation", "population") if isinstance(getattr(spec, key, None), str)}
    if getattr(spec, "chart", None) == "rates":
        named.pop("population")  # a column there, not a dataset
    found = {}
    for key, value in named.items():
        if value not in datasets:
            out.append((block.line_of(key), f"{key}: unknown dataset '{value}'{did_you_mean(value, datasets)}"))
        else:
            found[key] = datasets[value]
    columns = {
        "dataset": [getattr(spec, k, None) for k in ("category_column", "spend_column")] + list(getattr(spec, "counts", []) or [])
        + list(getattr(spec, "steps", []) or []) + ([spec.population] if getattr(spec, "chart", None) == "rates" else []),
        "deflator": [getattr(spec, "index_column", None)],
        "deprivation": [getattr(spec, "score_column", None)],
        "population": [getattr(spec, "population_column", None)],
    }
    for key, names in columns.items():
        if key in found:
            for name in names:
                if name:
                    _need_column(block, key, name, found[key], out)
    return out


# --- computing --------------------------------------------------------------


def _filtered(frame: pd.DataFrame, spec: Any, dataset: LoadedDataset, scope: str | None) -> pd.DataFrame:
    if spec.la_column in frame.columns:
        for la in (spec.la, scope):
            if la is not None:
                frame = frame[frame[spec.la_column].astype(str) == la]
    if spec.years and spec.year_column in frame.columns:
        frame = frame[frame[spec.year_column].astype(str).isin(spec.years)]
    return frame.reset_index(drop=True)


def selected_rows(frame: pd.DataFrame, spec: Any, scope: str | None) -> list[int]:
    """Positions in the full table of the rows a block shows on the site of ``scope``."""
    marked = frame.assign(__position__=range(len(frame)))
    return [int(p) for p in _filtered(marked, spec, None, scope)["__position__"]]  # type: ignore[arg-type]


def _source(dataset: LoadedDataset) -> str:
    return f"{dataset.model.title}. {dataset.model.provenance}"


def is_count(dataset: LoadedDataset, name: str) -> bool:
    """Whether a column counts people or events (so small values are disclosive): by its declared role."""
    from .disclosure import COUNT_ROLES, column_role

    for column in dataset.model.columns:
        if column.name == name:
            values = dataset.table[name] if dataset.table is not None and name in dataset.table else ()
            return column_role(column, values) in COUNT_ROLES
    return False


def _protected(study: Study, audience: str) -> Study:
    """The study with disclosure control applied, for a public build (the build passes it already protected)."""
    if audience != "public" or all(d.table is None or "disclosure" in d.table.attrs for d in study.datasets):
        return study
    from .disclosure import protect_study

    return protect_study(study)


def compute_block(block: BlockSpec, study: Study, scope: str | None, base_year: str, audience: str = "internal") -> ComputedTable:
    """Compute one block. ``scope`` is the LA whose site this is (None for the cross-case site).

    In a public build small counts are suppressed (see ``disclosure``).
    """
    spec = block.spec
    study = _protected(study, audience)
    datasets = {d.model.id: d for d in study.datasets}
    dataset = datasets[spec.dataset]
    assert dataset.table is not None
    limit = study.project.model.small_counts if study.project and audience == "public" else 0
    if isinstance(spec, ValuesBlock):
        return _values(spec, dataset, scope, limit)
    if isinstance(spec, RatesBlock):
        return _rates(spec, dataset, scope, limit)
    if isinstance(spec, ConversionBlock):
        return _conversion(spec, dataset, scope, limit)
    if isinstance(spec, SpendingBlock):
        return _spending(spec, dataset, datasets, scope, base_year)
    if isinstance(spec, GrowthBlock):
        return _growth(spec, study, base_year)
    return _deprivation(spec, dataset, scope, study)


_EFFECT_WORDS = {
    "intercept": "Spending per child in the first year (intercept)",
    "slope": "Yearly change in the first year (slope)",
    "curvature": "Change in the yearly change (curvature)",
}


def _growth(spec: GrowthBlock, study: Study, base_year: str) -> ComputedTable:
    """Fixed effects of the growth model with 95% intervals: the same model for every LA (no LA's own figures)."""
    from .spending import growth_fit

    model, _ = growth_fit(study, spec)
    rows = []
    for effect in model.fixed_effects:
        words = _EFFECT_WORDS.get(effect.name)
        if words is None and model.predictor and effect.name.startswith(model.predictor):
            words = ("Deprivation: difference in first-year spending per point of score" if "time" not in effect.name
                     else "Deprivation: difference in the yearly change per point of score")
        rows.append([Cell(words or effect.name), Cell(effect.estimate, "number"), Cell(effect.se, "number"),
                     Cell(f"{effect.ci_low:,.1f} to {effect.ci_high:,.1f}"), Cell(_p(effect.p))])
    random = model.random_effects
    correlation = (f"correlation {random.correlation:.2f}" if math.isfinite(random.correlation)
                   else "no correlation (a variance is zero)")
    notes = [
        f"Linear mixed model fitted by {model.method} to {model.n_obs} LA-years of {model.n_units} LAs, with each LA's own "
        f"intercept and slope (SD {random.intercept_sd:,.1f} and {random.slope_sd:,.1f}, {correlation}); "
        f"residual SD {model.residual_variance ** 0.5:,.1f}; log-likelihood {model.log_likelihood:,.1f}. "
        f"Time counts years from the first; the deprivation score is centred on its mean. Spending at {base_year} prices.",
        "Fitted as lme4 fits it; standard errors as lme4 reports them.",
        *(note[0].upper() + note[1:] + "." for note in model.notes),
    ]
    header = [("term", None), ("estimate", "£ per child"), ("SE", None), ("95% CI", None), ("p", None)]
    datasets = {d.model.id: d for d in study.datasets}
    return ComputedTable(spec.caption or "Growth model of spending per child: fixed effects", header, rows, notes=notes,
                         source=_source(datasets[spec.dataset]))


def _p(p: float) -> str:
    return "< .001" if p < 0.001 else f"{p:.3f}".lstrip("0")


def _kind(dataset: LoadedDataset, name: str) -> str:
    for column in dataset.model.columns:
        if column.name == name:
            return {ColumnType.INTEGER: "integer", ColumnType.NUMBER: "number"}.get(column.type, "text")
    return "text"


def _unit(dataset: LoadedDataset, name: str) -> str | None:
    return next((c.unit for c in dataset.model.columns if c.name == name), None)


def _plain(value: Any) -> float | None:
    return None if value is None or value != value or str(value) == "<NA>" else float(value)


def _notes(dataset: LoadedDataset, suppressed: bool) -> list[str]:
    from .disclosure import NOTE, ROUNDED_NOTE

    settings = dataset.table.attrs.get("disclosure") if dataset.table is not None else None
    if settings is None:
        return []
    if settings.rounding:
        return [ROUNDED_NOTE.format(base=settings.base)]
    return [NOTE.format(threshold=settings.threshold)] if suppressed else []


def _hidden(dataset: LoadedDataset) -> set[tuple[Any, ...]]:
    return dataset.table.attrs.get("hidden") or set() if dataset.table is not None else set()


def _values(spec: ValuesBlock, dataset: LoadedDataset, scope: str | None, limit: int) -> ComputedTable:
    """The chosen columns of the rows in scope, read from the (in a public build, protected) table, with its totals."""
    from ..compute.disclosure import published_total, row_keys

    full = dataset.table
    assert full is not None
    positions = selected_rows(full, spec, scope)
    columns = spec.columns or list(full.columns)
    counts = [c for c in columns if is_count(dataset, c)]
    keys = row_keys(full, dataset.model)
    hidden = _hidden(dataset)
    suppressed = False
    rows = []

    def total_cell(cells_rows: list[int], cells_columns: list[str]) -> Cell:
        nonlocal suppressed
        value = published_total(full, cells_rows, cells_columns)
        if value is None:
            suppressed = True
            return Cell(None, "suppressed")
        return Cell(int(value), "integer")

    for p in positions:
        cells = []
        for c in columns:
            if (keys[p], c) in hidden:
                suppressed = True
                cells.append(Cell(None, "suppressed"))
            else:
                cells.append(Cell(full[c].iloc[p], _kind(dataset, c)))
        if spec.totals and counts:
            cells.append(total_cell([p], counts))
        rows.append(cells)
    header = [(c.replace("_", " "), _unit(dataset, c)) for c in columns]
    if spec.totals and counts:
        header.append(("total", None))
        total_row = [Cell("Total")] + [total_cell(positions, [c]) if c in counts else Cell("") for c in columns[1:]]
        total_row.append(total_cell(positions, counts))
        rows.append(total_row)
    return ComputedTable(spec.caption or dataset.model.title, header, rows, notes=_notes(dataset, suppressed),
                         source=_source(dataset))


def _title(dataset: LoadedDataset, name: str) -> str:
    """A column's description if it has one, else its name as words."""
    from ..charts.common import label

    return next((c.description for c in dataset.model.columns if c.name == name and c.description), label(name))


def _rates(spec: RatesBlock, dataset: LoadedDataset, scope: str | None, limit: int = 0) -> ComputedTable:
    frame = _filtered(dataset.table, spec, dataset, scope)  # type: ignore[arg-type]
    header: list[tuple[str, str | None]] = [("year", None)]
    for name in spec.counts:
        header += [(_title(dataset, name), _unit(dataset, name) or "number"), ("rate", "per 10,000 children")]
    from .disclosure import is_small, row_keys

    hidden = _hidden(dataset)
    keys = row_keys(frame, dataset.model)
    rows = []
    suppressed = False
    for position, (_, row) in enumerate(frame.iterrows()):
        cells = [Cell(row[spec.year_column])]
        for name in spec.counts:
            rate = measures.rate_per_10000(pd.Series([row[name]]), pd.Series([row[spec.population]]))[0]
            if (keys[position], name) in hidden or (keys[position], spec.population) in hidden \
                    or (limit and is_small(_plain(row[name]), limit)):
                cells += [Cell(None, "suppressed"), Cell(None, "suppressed")]  # the rate would reveal the count
                suppressed = True
            else:
                cells += [Cell(row[name], "integer"), Cell(rate, "number")]
        rows.append(cells)
    caption = spec.caption or f"Rates per 10,000 children ({spec.population.replace('_', ' ')} as the denominator)"
    return ComputedTable(caption, header, rows, notes=_notes(dataset, suppressed), source=_source(dataset))


def _conversion(spec: ConversionBlock, dataset: LoadedDataset, scope: str | None, limit: int = 0) -> ComputedTable:
    from .disclosure import is_small

    frame = _filtered(dataset.table, spec, dataset, scope)  # type: ignore[arg-type]
    protected = "disclosure" in dataset.table.attrs  # type: ignore[union-attr]
    result = measures.conversion(frame, spec.steps, by=spec.year_column)
    years = list(dict.fromkeys(result[spec.year_column]))
    header: list[tuple[str, str | None]] = [("step", None)]
    for year in years:
        header += [(str(year), _unit(dataset, spec.steps[0]) or "number"), (f"{year} carried", "% of previous step")]
    rows = []
    suppressed = False
    previous_small = {year: False for year in years}
    for step in spec.steps:
        cells = [Cell(step.replace("_", " ").capitalize())]
        for year in years:
            match = result[(result[spec.year_column] == year) & (result["step"] == step)].iloc[0]
            small = bool(limit) and (is_small(_plain(match["number"]), limit) or protected and _plain(match["number"]) is None)
            if small or previous_small[year]:  # a share of or from a hidden count would reveal it
                suppressed = True
                cells += [Cell(None, "suppressed") if small else Cell(match["number"], "integer"), Cell(None, "suppressed")]
            else:
                cells += [Cell(match["number"], "integer"), Cell(match["carried"], "percent")]
            previous_small[year] = small
        rows.append(cells)
    caption = spec.caption or "Pathway: the number at each step and the share of the previous step carried forward"
    return ComputedTable(caption, header, rows, notes=_notes(dataset, suppressed), source=_source(dataset))


def _spending(spec: SpendingBlock, dataset: LoadedDataset, datasets: dict[str, LoadedDataset],
              scope: str | None, base_year: str) -> ComputedTable:
    frame = _filtered(dataset.table, spec, dataset, scope)  # type: ignore[arg-type]
    deflator = datasets[spec.deflator].table
    frame = measures.deflate(frame, deflator.rename(columns={spec.index_column: "index"}), base_year,
                             year=spec.year_column, value=spec.spend_column)
    keys = [k for k in (spec.la_column, spec.year_column) if k in frame.columns]
    value = "real"
    if spec.show == "share":
        frame = measures.shares(frame, "real", keys)
        value = "share"
    elif spec.show == "per_child":
        population = datasets[spec.population].table  # type: ignore[index]
        keep = [k for k in keys if k in population.columns] + [spec.population_column]
        merged = frame.merge(population[keep], on=[k for k in keys if k in population.columns], how="left")
        frame = measures.per_child(merged, "real", spec.population_column)
        frame["per_child"] = frame["per_child"] * (1000 if (_unit(dataset, spec.spend_column) or "").startswith("£ thousands") else 1)
        value = "per_child"
    table = frame.pivot_table(index=spec.category_column, columns=spec.year_column, values=value, aggfunc="sum", sort=True)
    years = list(table.columns)
    header: list[tuple[str, str | None]] = [("service category", None)] + [(str(y), LABELS[spec.show]) for y in years]
    kind = "percent" if spec.show == "share" else "money"
    rows = [[Cell(str(category).replace("_", " ").capitalize())] + [Cell(table.loc[category, y], kind) for y in years] for category in table.index]
    label = {"real": f"Spending at {base_year} prices", "per_child": f"Spending per child at {base_year} prices",
             "share": "Each service category's share of spending"}[spec.show]
    return ComputedTable(spec.caption or label, header, rows,
                         notes=[f"Cash figures deflated to {base_year} prices with {datasets[spec.deflator].model.title}."],
                         source=_source(dataset))


def _deprivation(spec: DeprivationBlock, dataset: LoadedDataset, scope: str | None, study: Study) -> ComputedTable:
    frame = dataset.table.copy()  # type: ignore[union-attr]
    scores = pd.to_numeric(frame[spec.score_column], errors="coerce")
    frame["rank"] = measures.deprivation_ranks(scores)
    frame["third"] = measures.deprivation_thirds(scores)
    total = int(scores.notna().sum())
    names = {d.model.id: d.model.name for d in study.local_authorities}
    frame = _filtered(frame, spec.model_copy(update={"years": []}), dataset, scope)
    if spec.la is None and scope is None:
        frame = frame[frame[spec.la_column].astype(str).isin(names)]
    rows = [[Cell(names.get(str(r[spec.la_column]), str(r[spec.la_column]))), Cell(r[spec.score_column], "number"),
             Cell(f"{r['rank']} of {total}"), Cell(f"{r['third']} deprivation")] for _, r in frame.iterrows()]
    header = [("local authority", None), ("score", _unit(dataset, spec.score_column)), ("rank", "1 = most deprived"), ("third", None)]
    return ComputedTable(spec.caption or f"Deprivation among the {total} LAs of {dataset.model.title}", header, rows,
                         source=_source(dataset))


def blocks_of(document: Loaded[Any]) -> dict[int, BlockSpec]:
    return {b.line: b for b in document.blocks}
