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

import numpy as np
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
from .labels import la_names
from ..render.i18n import N_, ntranslate, translate
from .missing import (BLANK_SYMBOL, PRIVACY, ZERO_DENOMINATOR, Missing, first_reason, footnotes, is_missing, left_out,
                      reason, value_or_reason)



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
    language: str = "en"  # of its words; its downloads' own words (notes sheet, footnote labels) follow it
    # The LA the table is about (its block's `la`, named in the table's language), shown with the caption: a page
    # that gathers several LAs' tables of one caption (a meta-inference's evidence) tells them apart, and so does a
    # screen reader (the name of the table's scroll region).
    subject: str = ""


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
            present = set(dataset.table[spec.year_column].astype(str).unique())
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
        if spec.population_from is None:
            _need_column(block, "population", spec.population, dataset, out)
        else:
            out += _check_join(block, spec, dataset, datasets, scope_positions=selected_rows(dataset.table, spec, None)
                               if dataset.table is not None else [])
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
            years = set(deflator.table[spec.year_column].astype(str).unique())
            if base_year not in years:
                out.append((block.line_of("deflator"), f"deflator: dataset '{spec.deflator}' has no index for the base year {base_year}"))
            if dataset.table is not None:
                lacking = sorted(set(dataset.table[spec.year_column].astype(str).unique()) - years)
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
    if getattr(spec, "categories", None) and "dataset" in found:
        out += _check_categories(block, spec, found["dataset"])
    if getattr(spec, "chart", None) == "rates" and spec.population_from is not None:
        columns["dataset"].remove(spec.population)  # the denominator lives in the joined dataset
        data = found.get("dataset")
        if data is not None:
            table = data.table
            positions = [] if table is None or spec.year_column not in table.columns else (
                list(range(len(table))) if not spec.years
                else np.flatnonzero(table[spec.year_column].astype(str).isin(spec.years).to_numpy()).tolist())
            out += _check_join(block, spec, data, datasets, positions)
    for key, names in columns.items():
        if key in found:
            for name in names:
                if name:
                    _need_column(block, key, name, found[key], out)
    return out


def _check_categories(block: BlockSpec, spec: Any, dataset: LoadedDataset) -> list[tuple[int, str]]:
    """Every category a chart or growth table names is one the spending dataset has (a typo draws an empty panel)."""
    column = next((c for c in dataset.model.columns if c.name == spec.category_column), None)
    if column is None:
        return []  # reported as an unknown column
    known = list(column.values)
    if dataset.table is not None and spec.category_column in dataset.table:
        known += [str(v) for v in dataset.table[spec.category_column].dropna().unique() if str(v) not in known]
    out = []
    for index, name in enumerate(spec.categories):
        if name not in known:
            out.append((block.line_of("categories", index),
                        f"categories: dataset '{dataset.model.id}' has no category '{name}' in column "
                        f"'{spec.category_column}'{did_you_mean(name, known)}; its categories: {', '.join(sorted(known))}"))
    return out


def _check_join(block: BlockSpec, spec: Any, counts: LoadedDataset, datasets: dict[str, LoadedDataset],
                scope_positions: list[int]) -> list[tuple[int, str]]:
    """The joined dataset exists, has the keys and the denominator, and every row of counts finds one row."""
    from .joins import check_join

    join = spec.population_from
    out: list[tuple[int, str]] = []
    line = block.line_of("population_from")
    other = datasets.get(join.dataset)
    if other is None:
        out.append((block.line_of("population_from", "dataset"),
                    f"population_from: dataset: unknown dataset '{join.dataset}'{did_you_mean(join.dataset, datasets)}"))
        return out
    good = _need_column(block, "population", spec.population, other, out)
    for left, right in join.pairs():
        good &= _need_column(block, "population_from", left, counts, out)
        good &= _need_column(block, "population_from", right, other, out)
    if good and counts.table is not None and other.table is not None:
        out += [(line, message) for message in check_join(join, counts.table, scope_positions, other.table,
                                                          _file_of(counts), _file_of(other))]
    return out


def _file_of(dataset: LoadedDataset) -> str:
    """The dataset's CSV as the loader names it in its own messages."""
    return dataset.csv_path or dataset.model.file


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


def compute_block(block: BlockSpec, study: Study, scope: str | None, base_year: str, audience: str = "internal",
                  language: str = "en") -> ComputedTable:
    """Compute one block. ``scope`` is the LA whose site this is (None for the cross-case site).

    In a public build small counts are suppressed (see ``disclosure``). The table's own words (headers, notes,
    caption when the author gives none) are in ``language``.
    """
    spec = block.spec
    names = la_names(study, language)
    study = _protected(study, audience)
    datasets = {d.model.id: d for d in study.datasets}
    dataset = datasets[spec.dataset]
    assert dataset.table is not None
    limit = study.project.model.small_counts if study.project and audience == "public" else 0
    table = _compute(spec, study, datasets, dataset, scope, base_year, limit, language)
    table.language = language
    la = getattr(spec, "la", None)
    if la in names and names[la].casefold() not in table.caption.casefold():
        table.subject = names[la]
    return table


def _compute(spec: Any, study: Study, datasets: dict[str, LoadedDataset], dataset: LoadedDataset, scope: str | None,
             base_year: str, limit: int, language: str) -> ComputedTable:
    if isinstance(spec, ValuesBlock):
        return _values(spec, dataset, scope, limit, language)
    if isinstance(spec, RatesBlock):
        population = datasets[spec.population_from.dataset] if spec.population_from else None
        from .labels import terms_of

        abbreviations = terms_of(study.project.model if study.project else None)
        return _rates(spec, dataset, scope, limit, population, abbreviations, language)
    if isinstance(spec, ConversionBlock):
        return _conversion(spec, dataset, scope, limit, language)
    if isinstance(spec, SpendingBlock):
        return _spending(spec, dataset, datasets, scope, base_year, study, language)
    if isinstance(spec, GrowthBlock):
        return _growth(spec, study, base_year, language)
    return _deprivation(spec, dataset, scope, study, language)


_EFFECT_WORDS = {
    "intercept": N_("Spending per child in the first year (intercept)"),
    "slope": N_("Yearly change in the first year (slope)"),
    "curvature": N_("Change in the yearly change (curvature)"),
}


def _growth(spec: GrowthBlock, study: Study, base_year: str, language: str = "en") -> ComputedTable:
    """Fixed effects of the growth model with 95% intervals: the same model for every LA (no LA's own figures)."""
    import numpy as np

    from .growth import GrowthError
    from .spending import growth_fit

    datasets = {d.model.id: d for d in study.datasets}
    caption = spec.caption or translate("Growth model of spending per child: fixed effects", language)
    per_child = translate("£ per child", language)
    try:
        model, _frame = growth_fit(study, spec)
    except (GrowthError, np.linalg.LinAlgError) as error:  # too few LAs or years with figures: say so
        return ComputedTable(caption, [(translate("term", language), None), (translate("estimate", language), per_child)], [],
                             notes=[translate("The growth model could not be fitted to these figures: %(error)s.",
                                              language) % {"error": error}],
                             source=_source(datasets[spec.dataset]))
    rows = []
    for effect in model.fixed_effects:
        words = _EFFECT_WORDS.get(effect.name)
        if words is None and model.predictor and effect.name.startswith(model.predictor):
            words = (N_("Deprivation: difference in first-year spending per point of score") if "time" not in effect.name
                     else N_("Deprivation: difference in the yearly change per point of score"))
        rows.append([Cell(translate(words, language) if words else effect.name), Cell(effect.estimate, "number"),
                     Cell(effect.se, "number"),
                     Cell(translate("%(low)s to %(high)s", language) % {"low": f"{effect.ci_low:,.1f}",
                                                                       "high": f"{effect.ci_high:,.1f}"}),
                     Cell(_p(effect.p))])
    random = model.random_effects
    correlation = (translate("correlation %(r)s", language) % {"r": f"{random.correlation:.2f}"}
                   if math.isfinite(random.correlation) else translate("no correlation (a variance is zero)", language))
    notes = [
        translate("Linear mixed model fitted by %(method)s to %(observations)s LA-years of %(units)s LAs, with each LA's "
                  "own intercept and slope (SD %(intercept_sd)s and %(slope_sd)s, %(correlation)s); residual SD "
                  "%(residual_sd)s; log-likelihood %(log_likelihood)s. Time counts years from the first; the deprivation "
                  "score is centred on its mean. Spending at %(base_year)s prices.", language) % {
            "method": model.method, "observations": model.n_obs, "units": model.n_units,
            "intercept_sd": f"{random.intercept_sd:,.1f}", "slope_sd": f"{random.slope_sd:,.1f}",
            "correlation": correlation, "residual_sd": f"{model.residual_variance ** 0.5:,.1f}",
            "log_likelihood": f"{model.log_likelihood:,.1f}", "base_year": base_year},
        translate("Fitted as lme4 fits it; standard errors as lme4 reports them.", language),
        *(_sentence(translate(note, language)) for note in model.notes),
    ]
    header = [(translate("term", language), None), (translate("estimate", language), per_child), ("SE", None),
              (translate("95% CI", language), None), ("p", None)]
    return ComputedTable(caption, header, rows, notes=notes, source=_source(datasets[spec.dataset]))


def _sentence(note: str) -> str:
    return note[0].upper() + note[1:] + "."


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
    return None if is_missing(value) else float(value)


def _notes(dataset: LoadedDataset, suppressed: bool, language: str = "en") -> list[str]:
    from .disclosure import NOTE, ROUNDED_NOTE

    settings = dataset.table.attrs.get("disclosure") if dataset.table is not None else None
    if settings is None:
        return []
    if settings.rounding:
        return [translate(ROUNDED_NOTE, language).format(base=settings.base)]
    return [translate(NOTE, language).format(threshold=settings.threshold)] if suppressed else []


def _hidden(dataset: LoadedDataset) -> set[tuple[Any, ...]]:
    return dataset.table.attrs.get("hidden") or set() if dataset.table is not None else set()


def _values(spec: ValuesBlock, dataset: LoadedDataset, scope: str | None, limit: int, language: str = "en") -> ComputedTable:
    """The chosen columns of the rows in scope, read from the (in a public build, protected) table, with its totals."""
    from ..compute.disclosure import row_keys

    full = dataset.table
    assert full is not None
    positions = selected_rows(full, spec, scope)
    columns = spec.columns or list(full.columns)
    counts = [c for c in columns if is_count(dataset, c)]
    keys = row_keys(full, dataset.model)
    hidden = _hidden(dataset)
    suppressed = False
    gaps = 0
    rows = []

    def total_cell(cells_rows: list[int], cells_columns: list[str]) -> Cell:
        nonlocal suppressed, gaps
        cells = frozenset((r, c) for r in cells_rows for c in cells_columns)
        published = full.attrs.get("totals")
        if published is not None and cells in published:  # a total disclosure control has ruled on
            value = published[cells]
        elif any((keys[r], c) in hidden for r, c in cells):
            value = None  # a total over a hidden cell would give it back
        else:  # nothing hidden: the total of the figures given, missing ones left out and counted
            given = [full[c].iloc[r] for r, c in sorted(cells, key=str)]
            missing = [v for v in given if is_missing(v)]
            if len(missing) == len(given):
                r, c = min(cells, key=str)
                return Cell(reason(full, r, c, dataset.model), "integer")
            gaps += len(missing)
            value = float(sum(v for v in given if not is_missing(v)))
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
                cells.append(Cell(value_or_reason(full, p, c, dataset.model), _kind(dataset, c)))
        if spec.totals and counts:
            cells.append(total_cell([p], counts))
        rows.append(cells)
    header = [(c.replace("_", " "), _unit(dataset, c)) for c in columns]
    if spec.totals and counts:
        header.append((translate("total", language), None))
    if spec.totals and counts and positions:  # no rows (an LA the dataset lacks): nothing to total
        total_row = [Cell(translate("Total", language))] + [total_cell(positions, [c]) if c in counts else Cell("")
                                                           for c in columns[1:]]
        total_row.append(total_cell(positions, counts))
        rows.append(total_row)
    notes = _notes(dataset, suppressed, language) + _missing_notes(rows, language)
    if not positions:
        notes.append(translate("The dataset has no rows for this LA.", language))
    if gaps:
        notes.append(left_out(gaps, "totals", language))
    return ComputedTable(spec.caption or dataset.model.title, header, rows, notes=notes, source=_source(dataset))


def _missing_notes(rows: list[list[Cell]], language: str = "en") -> list[str]:
    """A footnote for each symbol standing for a missing figure in the table."""
    return footnotes((cell.value for row in rows for cell in row), language)


def _title(dataset: LoadedDataset, name: str, abbreviations: list[str], language: str = "en") -> str:
    """What the table calls a column: its declared label or short description (compute.labels)."""
    from .labels import column_label

    return column_label(dataset.model, name, abbreviations, language)


def _denominators(spec: Any, dataset: LoadedDataset, population: LoadedDataset | None, positions: list[int]) -> list[Any]:
    """The population of each row of counts: from its own row, or from the joined dataset's matching row."""
    full = dataset.table
    assert full is not None
    if population is None or population.table is None:
        return [value_or_reason(full, p, spec.population, dataset.model) for p in positions]
    from .joins import match_rows

    other = population.table
    hidden = _hidden(population)
    keys = row_keys_of(population)
    out: list[Any] = []
    for q in match_rows(full, positions, spec.population_from, other):
        if q is None:
            out.append(Missing(BLANK_SYMBOL, N_("no matching row in %(about)s"), population.model.title))
        elif (keys[q], spec.population) in hidden:
            out.append(Missing("c", PRIVACY))
        else:
            out.append(value_or_reason(other, q, spec.population, population.model))
    return out


def row_keys_of(dataset: LoadedDataset) -> list[tuple[Any, ...]]:
    from .disclosure import row_keys

    return row_keys(dataset.table, dataset.model) if dataset.table is not None else []


def _rates(spec: RatesBlock, dataset: LoadedDataset, scope: str | None, limit: int = 0,
           population: LoadedDataset | None = None, abbreviations: list[str] | None = None,
           language: str = "en") -> ComputedTable:
    """Each count per 10,000 children; a missing count or population gives a missing rate with the same reason."""
    from .disclosure import is_small, row_keys

    full = dataset.table
    assert full is not None
    positions = selected_rows(full, spec, scope)
    denominators = _denominators(spec, dataset, population, positions)
    header: list[tuple[str, str | None]] = [(translate("year", language), None)]
    for name in spec.counts:
        header += [(_title(dataset, name, abbreviations or [], language), _unit(dataset, name) or translate("number", language)),
                   (translate("rate", language), translate("per 10,000 children", language))]
    hidden = _hidden(dataset)
    keys = row_keys(full, dataset.model)
    rows = []
    suppressed = False
    for position, denominator in zip(positions, denominators):
        cells = [Cell(full[spec.year_column].iloc[position])]
        population_hidden = population is None and (keys[position], spec.population) in hidden
        for name in spec.counts:
            count = value_or_reason(full, position, name, dataset.model)
            if (keys[position], name) in hidden or population_hidden or (limit and is_small(_plain(count), limit)):
                cells += [Cell(None, "suppressed"), Cell(None, "suppressed")]  # the rate would reveal the count
                suppressed = True
                continue
            why = first_reason(count, denominator)
            if why is None and float(denominator) <= 0:
                why = Missing("[z]", ZERO_DENOMINATOR)
            rate = why if why is not None else float(count) / float(denominator) * measures.PER_CHILDREN
            cells += [Cell(count, "integer"), Cell(rate, "number")]
        rows.append(cells)
    denominator_name = spec.population.replace("_", " ")
    if population is not None:
        denominator_name = translate("%(column)s from %(dataset)s", language) % {
            "column": denominator_name, "dataset": population.model.title}
    caption = spec.caption or translate("Rates per 10,000 children (%(denominator)s as the denominator)", language) % {
        "denominator": denominator_name}
    notes = _notes(dataset, suppressed, language) + _missing_notes(rows, language)
    if any(isinstance(c.value, Missing) for row in rows for c in row):
        notes.append(translate("A rate is not computed where its count or its population is missing; it shows the same "
                               "symbol.", language))
    sources = _source(dataset) if population is None else f"{_source(dataset)} {_source(population)}"
    return ComputedTable(caption, header, rows, notes=notes, source=sources)


def _conversion(spec: ConversionBlock, dataset: LoadedDataset, scope: str | None, limit: int = 0,
                language: str = "en") -> ComputedTable:
    """The number at each step by year and the share carried from the step before; missing figures keep their reason."""
    from .disclosure import is_small, row_keys

    full = dataset.table
    assert full is not None
    positions = selected_rows(full, spec, scope)
    keys = row_keys(full, dataset.model)
    hidden = _hidden(dataset)
    by_year: dict[str, list[int]] = {}
    for p in positions:
        by_year.setdefault(str(full[spec.year_column].iloc[p]), []).append(p)
    years = list(by_year)
    header: list[tuple[str, str | None]] = [(translate("step", language), None)]
    for year in years:
        header += [(str(year), _unit(dataset, spec.steps[0]) or translate("number", language)),
                   (translate("%(year)s carried", language) % {"year": year}, translate("% of previous step", language))]
    rows = []
    suppressed = False
    gaps = 0
    previous: dict[str, Any] = {year: None for year in years}  # the step before: a number, a Missing or "hidden"
    for step in spec.steps:
        cells = [Cell(step.replace("_", " ").capitalize())]
        for year in years:
            members = by_year[year]
            if any((keys[p], step) in hidden for p in members):
                number: Any = "hidden"
            else:
                given = [value_or_reason(full, p, step, dataset.model) for p in members]
                known = [float(v) for v in given if not isinstance(v, Missing)]
                number = sum(known) if known else given[0]
                if known:
                    gaps += len(given) - len(known)
                if limit and not isinstance(number, Missing) and is_small(number, limit):
                    number = "hidden"
            before = previous[year]
            if number == "hidden" or before == "hidden":  # a share of or from a hidden count would reveal it
                suppressed = True
                shown = Cell(None, "suppressed") if number == "hidden" else Cell(number, "integer")
                cells += [shown, Cell(None, "suppressed")]
            else:
                if before is None:
                    carried: Any = None
                elif isinstance(number, Missing) or isinstance(before, Missing):
                    carried = first_reason(number, before)
                elif before == 0:
                    carried = Missing("[z]", ZERO_DENOMINATOR)
                else:
                    carried = number / before
                cells += [Cell(number, "integer"), Cell(carried, "percent")]
            previous[year] = number
        rows.append(cells)
    caption = spec.caption or translate("Pathway: the number at each step and the share of the previous step carried "
                                        "forward", language)
    notes = _notes(dataset, suppressed, language) + _missing_notes(rows, language)
    if any(isinstance(c.value, Missing) for row in rows for c in row[2::2]):
        notes.append(translate("A share is not computed where either step's number is missing; it shows the same symbol.",
                               language))
    if gaps:
        notes.append(left_out(gaps, "sums", language))
    return ComputedTable(caption, header, rows, notes=notes, source=_source(dataset))


def _spending(spec: SpendingBlock, dataset: LoadedDataset, datasets: dict[str, LoadedDataset],
              scope: str | None, base_year: str, study: Study, language: str = "en") -> ComputedTable:
    """Each category by year at constant prices, per child or as a share; a missing figure keeps its reason."""
    from .spending import spending_values

    values = spending_values(study, spec, spec.show)
    for la in (spec.la, scope):
        if la is not None:
            values = values[values["la"] == la]
    years = sorted(values["year"].unique())
    categories = sorted(values["category"].astype(str).unique())
    header: list[tuple[str, str | None]] = [(translate("service category", language), None)] + [
        (str(y), _spending_unit(spec, dataset, base_year, language)) for y in years]
    kind = "percent" if spec.show == "share" else "money"
    scale = 0.01 if spec.show == "share" else 1.0  # spending_values gives percentages; cells hold proportions
    gaps = 0
    rows = []
    several = values["la"].nunique() > 1  # the cross-case table pools the LAs: totals, not sums of shares
    for category in categories:
        cells = [Cell(category.replace("_", " ").capitalize())]
        for year in years:
            part = values[(values["category"].astype(str) == category) & (values["year"] == year)]
            known = part.dropna(subset=["value"])
            if known.empty:
                why = next((w for w in part["why"] if w is not None), None)
                cells.append(Cell(why if why is not None else Missing(BLANK_SYMBOL, N_("no figure for this category and year")), kind))
                continue
            gaps += len(part) - len(known)
            if not several:
                figure = float(known["value"].sum()) * scale
            elif spec.show == "share":  # of the pooled total of the LAs whose every category is known that year
                year_rows = values[(values["year"] == year) & values["la"].isin(known["la"])]
                figure = float(known["real"].sum()) / float(year_rows["real"].sum())
            elif spec.show == "per_child":
                figure = float(known["real"].sum()) / float(known["children"].sum()) * float(known["scale"].iloc[0])
            else:
                figure = float(known["value"].sum())
            cells.append(Cell(figure, kind))
        rows.append(cells)
    prices = {"base_year": base_year}
    label = {"real": translate("Spending at %(base_year)s prices", language) % prices,
             "per_child": translate("Spending per child at %(base_year)s prices", language) % prices,
             "share": translate("Each service category's share of the LAs' pooled spending on all categories", language)
             if several else translate("Each service category's share of the LA's spending on all categories", language),
             }[spec.show]
    if several and spec.show == "share":
        header = [header[0]] + [(h, translate("% of the LAs' pooled total", language)) for h, _unit_ in header[1:]]
    notes = [translate("Cash figures deflated to %(base_year)s prices with %(deflator)s.", language) % {
        **prices, "deflator": datasets[spec.deflator].model.title}]
    if spec.show == "share":
        notes.append(ntranslate("Shares are of the LA's total that year over all %(num)s category of the dataset; no "
                                "share is computed for a year in which any category's figure is missing.",
                                "Shares are of the LA's total that year over all %(num)s categories of the dataset; no "
                                "share is computed for a year in which any category's figure is missing.",
                                len(categories), language))
    notes += _missing_notes(rows, language)
    if gaps:
        notes.append(left_out(gaps, "sums", language))
    return ComputedTable(spec.caption or label, header, rows, notes=notes, source=_source(dataset))


def _spending_unit(spec: SpendingBlock, dataset: LoadedDataset, base_year: str, language: str = "en") -> str:
    prices = {"base_year": base_year}
    if spec.show == "share":
        return translate("% of the LA's total", language)
    if spec.show == "per_child":
        return translate("£ per child, %(base_year)s prices", language) % prices
    thousands = (_unit(dataset, spec.spend_column) or "").startswith("£ thousands")
    return (translate("£ thousands, %(base_year)s prices", language) if thousands
            else translate("£, %(base_year)s prices", language)) % prices


def _deprivation(spec: DeprivationBlock, dataset: LoadedDataset, scope: str | None, study: Study,
                 language: str = "en") -> ComputedTable:
    frame = dataset.table.assign(__position__=range(len(dataset.table)))  # type: ignore[union-attr]
    scores = pd.to_numeric(frame[spec.score_column], errors="coerce")
    frame["rank"] = measures.deprivation_ranks(scores)
    frame["third"] = measures.deprivation_thirds(scores)
    total = int(scores.notna().sum())
    names = la_names(study, language)
    frame = _filtered(frame, spec.model_copy(update={"years": []}), dataset, scope)
    if spec.la is None and scope is None:
        frame = frame[frame[spec.la_column].astype(str).isin(names)]
    rows = []
    for _, r in frame.iterrows():
        name = Cell(names.get(str(r[spec.la_column]), str(r[spec.la_column])))
        if is_missing(r[spec.score_column]):  # no score: no rank and no third, for the same reason
            why = reason(dataset.table, int(r["__position__"]), spec.score_column, dataset.model)  # type: ignore[arg-type]
            rows.append([name, Cell(why, "number"), Cell(why), Cell(why)])
        else:
            rows.append([name, Cell(r[spec.score_column], "number"),
                         Cell(translate("%(filled)s of %(total)s", language) % {"filled": r["rank"], "total": total}),
                         Cell(translate(THIRD_INLINE[r["third"]], language))])
    header = [(translate("local authority", language), None), (translate("score", language), _unit(dataset, spec.score_column)),
              (translate("rank", language), translate("1 = most deprived", language)), (translate("third", language), None)]
    notes = _missing_notes(rows, language)
    if total < len(scores):
        notes.append(ntranslate("Ranks and thirds are among the %(num)s LA with a score; %(left)s without one are left out.",
                                "Ranks and thirds are among the %(num)s LAs with a score; %(left)s without one are left "
                                "out.", total, language, left=len(scores) - total))
    caption = spec.caption or ntranslate("Deprivation among the %(num)s LA of %(dataset)s",
                                         "Deprivation among the %(num)s LAs of %(dataset)s", total, language,
                                         dataset=dataset.model.title)
    return ComputedTable(caption, header, rows, notes=notes, source=_source(dataset))


# a third as the deprivation table names it ("high deprivation"), the same words as an LA's page uses
THIRD_INLINE = {"high": N_("high deprivation"), "middle": N_("middle deprivation"), "low": N_("low deprivation")}


def blocks_of(document: Loaded[Any]) -> dict[int, BlockSpec]:
    return {b.line: b for b in document.blocks}
