"""Spending series shared by tables and charts: constant prices, shares, per child, the growth model."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..content.loader import Study
from . import measures


def _dataset(study: Study, dataset_id: str):  # type: ignore[no-untyped-def]
    return next(d for d in study.datasets if d.model.id == dataset_id)


_SPENDING: dict[tuple[int, str, str], pd.DataFrame] = {}


def spending_values(study: Study, spec: Any, show: str) -> pd.DataFrame:
    """Return long rows (la, year, category, value): spending share, or per child at constant prices.

    Computed once per build and specification: every LA's chart reuses it.
    """
    key = (id(study), spec.model_copy(update={"la": None, "title": None}).model_dump_json(), show)
    if key not in _SPENDING:
        _SPENDING[key] = _spending_values(study, spec, show)
    return _SPENDING[key].copy()


def _spending_values(study: Study, spec: Any, show: str) -> pd.DataFrame:
    assert study.project is not None
    spend = _dataset(study, spec.dataset)
    frame = spend.table.copy()  # type: ignore[union-attr]
    if spec.years:
        frame = frame[frame[spec.year_column].astype(str).isin(spec.years)]
    if getattr(spec, "categories", None):
        frame = frame[frame[spec.category_column].isin(spec.categories)]
    deflator = _dataset(study, spec.deflator).table.rename(columns={spec.index_column: "index"})  # type: ignore[union-attr]
    frame = measures.deflate(frame, deflator, study.project.model.base_year, year=spec.year_column, value=spec.spend_column)
    keys = [spec.la_column, spec.year_column]
    if show == "share":
        frame = measures.shares(frame, "real", keys, name="value")
        frame["value"] = frame["value"] * 100
    else:
        population = _dataset(study, spec.population).table  # type: ignore[union-attr]
        frame = frame.merge(population[keys + [spec.population_column]], on=keys, how="left")
        unit = next((c.unit for c in spend.model.columns if c.name == spec.spend_column), "") or ""
        frame = measures.per_child(frame, "real", spec.population_column, name="value")
        if unit.startswith("£ thousands"):
            frame["value"] = frame["value"] * 1000
    frame = frame.rename(columns={spec.la_column: "la", spec.year_column: "year", spec.category_column: "category"})
    frame["la"] = frame["la"].astype(str)
    frame["year"] = frame["year"].astype(str)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)  # numpy floats pivot far faster
    return frame[["la", "year", "category", "value"]].dropna(subset=["value"]).reset_index(drop=True)



_FITS: dict[tuple[int, str], Any] = {}



def growth_fit(study: Study, spec: Any) -> tuple[Any, pd.DataFrame]:
    """Fit the growth model once per build and specification (every LA's page shares it)."""
    from .growth import fit_growth

    key = (id(study), spec.model_copy(update={"la": None, "title": None, "format": "svg"}).model_dump_json())
    if key not in _FITS:
        values = spending_values(study, spec, "per_child")
        totals = values.groupby(["la", "year"], as_index=False)["value"].sum()
        totals["time"] = totals["year"].str[:4].astype(int)
        scores = _dataset(study, spec.deprivation).table  # type: ignore[union-attr]
        scores = scores[[spec.la_column, spec.score_column]].rename(columns={spec.la_column: "la", spec.score_column: "score"})
        scores["la"] = scores["la"].astype(str)
        frame = totals.merge(scores, on="la", how="inner")
        model = fit_growth(frame, unit="la", time="time", value="value", predictor="score")
        _FITS[key] = (model, frame)
    return _FITS[key]


