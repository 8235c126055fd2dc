"""Spending series shared by tables and charts: constant prices, shares, per child, the growth model."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..content.loader import Study
from ..render.i18n import N_
from . import measures


def _dataset(study: Study, dataset_id: str):  # type: ignore[no-untyped-def]
    return next(d for d in study.datasets if d.model.id == dataset_id)




def spending_values(study: Study, spec: Any, show: str) -> pd.DataFrame:
    """Return long rows (la, year, category, value): spending share, or per child at constant prices.

    Computed once per build and specification: every LA's chart reuses it.
    """
    general = {name: None for name in ("la", "title", "caption", "id") if name in type(spec).model_fields}
    key = ("spending", type(spec).__name__, spec.model_copy(update=general).model_dump_json(), show)
    if key not in study.shared:
        study.shared[key] = _spending_values(study, spec, show)
    return study.shared[key].copy()  # type: ignore[no-any-return]


def _spending_values(study: Study, spec: Any, show: str) -> pd.DataFrame:
    """Long rows with ``value`` (NaN where there is no figure) and ``why`` (the Missing standing for it, else None).

    A share is of the LA's spending that year on every category of the dataset, whichever categories are then
    drawn; if any category's figure is missing that year the total is not known, and no share is computed.
    """
    from .missing import Missing, ZERO_DENOMINATOR, first_reason, reason

    assert study.project is not None
    spend = _dataset(study, spec.dataset)
    frame = spend.table.assign(__position__=range(len(spend.table)))  # type: ignore[union-attr]
    if spec.years:
        frame = frame[frame[spec.year_column].astype(str).isin(spec.years)]
    deflator = _dataset(study, spec.deflator).table.rename(columns={spec.index_column: "index"})  # type: ignore[union-attr]
    frame = measures.deflate(frame, deflator, study.project.model.base_year, year=spec.year_column, value=spec.spend_column)
    frame["why"] = [reason(spend.table, int(p), spec.spend_column, spend.model) if pd.isna(v) else None  # type: ignore[arg-type]
                    for p, v in zip(frame["__position__"], frame["real"])]
    keys = [spec.la_column, spec.year_column]
    unit = next((c.unit for c in spend.model.columns if c.name == spec.spend_column), "") or ""
    if show == "real":
        frame["value"] = frame["real"]
    elif show == "share":
        frame = measures.shares(frame, "real", keys, name="value")
        frame["value"] = frame["value"] * 100
        group_why = frame.groupby(keys, sort=False)["why"].transform(lambda whys: first_reason(*[w for w in whys if w is not None]))
        incomplete = group_why.notna()
        frame.loc[incomplete, "value"] = float("nan")
        frame["why"] = frame["why"].where(frame["why"].notna(), group_why)
        zero = frame["value"].isna() & frame["why"].isna()  # every category 0: a share of nothing
        frame.loc[zero, "why"] = pd.Series([Missing("[z]", ZERO_DENOMINATOR)] * int(zero.sum()), index=frame.index[zero], dtype=object)
    else:
        population = _dataset(study, spec.population)
        table = population.table.assign(__population_row__=range(len(population.table)))  # type: ignore[union-attr]
        frame = frame.merge(table[keys + [spec.population_column, "__population_row__"]], on=keys, how="left")
        frame = measures.per_child(frame, "real", spec.population_column, name="value")
        if unit.startswith("£ thousands"):
            frame["value"] = frame["value"] * 1000
        frame["why"] = [_per_child_why(w, v, row, children, population, spec)
                        for w, v, row, children in zip(frame["why"], frame["value"], frame["__population_row__"],
                                                       frame[spec.population_column])]
    if getattr(spec, "categories", None):
        frame = frame[frame[spec.category_column].isin(spec.categories)]
    frame = frame.rename(columns={spec.la_column: "la", spec.year_column: "year", spec.category_column: "category"})
    frame["la"] = frame["la"].astype(str)
    frame["year"] = frame["year"].astype(str)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)  # numpy floats pivot far faster
    frame["real"] = pd.to_numeric(frame["real"], errors="coerce").astype(float)
    frame["children"] = (pd.to_numeric(frame[spec.population_column], errors="coerce").astype(float)
                         if spec.population_column in frame.columns and show == "per_child" else float("nan"))
    frame["scale"] = 1000.0 if (show == "per_child" and unit.startswith("£ thousands")) else 1.0
    return frame[["la", "year", "category", "value", "why", "real", "children", "scale"]].reset_index(drop=True)



def _per_child_why(why: Any, value: Any, row: Any, children: Any, population: Any, spec: Any) -> Any:
    """Why spending per child is missing: the spending's reason, the population's, or a population of 0."""
    from .missing import BLANK, ZERO_DENOMINATOR, Missing, reason

    if why is not None or not pd.isna(value):
        return why
    if pd.isna(row):
        return Missing(BLANK.symbol, N_("no row for this LA and year in %(about)s"), population.model.title)
    if pd.isna(children):
        return reason(population.table, int(row), spec.population_column, population.model)
    return Missing("[z]", ZERO_DENOMINATOR)





def growth_fit(study: Study, spec: Any) -> tuple[Any, pd.DataFrame]:
    """Fit the growth model once per build and specification (every LA's page shares it)."""
    from .fit_cache import cached_fit
    from .growth import fit_growth

    key = ("growth", spec.model_copy(update={"la": None, "title": None, "format": "svg"}).model_dump_json())
    if key not in study.shared:
        values = spending_values(study, spec, "per_child")
        # an LA-year with any category missing has no known total: it is left out of the fit, and counted
        totals = values.groupby(["la", "year"], as_index=False)["value"].agg(lambda v: v.sum() if v.notna().all() else float("nan"))
        left_out = int(totals["value"].isna().sum())
        totals = totals.dropna(subset=["value"])
        totals["time"] = totals["year"].str[:4].astype(int)
        scores = _dataset(study, spec.deprivation).table  # type: ignore[union-attr]
        scores = scores[[spec.la_column, spec.score_column]].rename(columns={spec.la_column: "la", spec.score_column: "score"})
        scores["la"] = scores["la"].astype(str)
        frame = totals.merge(scores, on="la", how="inner")
        missing_scores = int(frame["score"].isna().sum())
        frame = frame.dropna(subset=["score"])
        model = cached_fit(fit_growth, frame, study.root.resolve().parent / ".cache" / "fits",
                           unit="la", time="time", value="value", predictor="score")
        if left_out or missing_scores:
            from dataclasses import replace

            model = replace(model, notes=(*model.notes, f"{left_out + missing_scores:,} LA-year(s) with a missing figure "
                                          "(spending, children or deprivation score) are left out of the fit, not counted as zero."))
        study.shared[key] = (model, frame)
    return study.shared[key]  # type: ignore[no-any-return]


