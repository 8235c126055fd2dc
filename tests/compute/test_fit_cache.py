"""Growth fits kept between builds: read back exactly as fitted, fitted again when anything they read changes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from generator.compute.fit_cache import cached_fit, from_json, to_json
from generator.compute.growth import GrowthModel, fit_growth

from .test_growth import STATS


@pytest.fixture(scope="module")
def sleepstudy() -> pd.DataFrame:
    return pd.read_csv(STATS / "lme4_sleepstudy.csv")


def same(a: GrowthModel, b: GrowthModel) -> None:
    assert a == b  # every field but the curves (compare=False), floats exactly
    pd.testing.assert_frame_equal(a.fitted_curves(), b.fitted_curves(), check_exact=True)


def test_a_fit_is_read_back_exactly_as_it_was(sleepstudy: pd.DataFrame) -> None:
    model = fit_growth(sleepstudy, "Subject", "Days", "Reaction", predictor=None, quadratic=True)
    same(from_json(to_json(model)), model)


def test_the_same_data_is_fitted_once_and_other_data_again(sleepstudy: pd.DataFrame, tmp_path: Path) -> None:
    calls = []

    def fit(frame: pd.DataFrame, **options: object) -> GrowthModel:
        calls.append(len(frame))
        return fit_growth(frame, **options)  # type: ignore[arg-type]

    options = {"unit": "Subject", "time": "Days", "value": "Reaction", "quadratic": False, "origin": 0}
    first = cached_fit(fit, sleepstudy, tmp_path, **options)
    again = cached_fit(fit, sleepstudy.copy(), tmp_path, **options)
    assert calls == [180]
    same(again, first)
    changed = sleepstudy.copy()
    changed.loc[0, "Reaction"] += 1e-9  # one value, by a hair
    cached_fit(fit, changed, tmp_path, **options)
    cached_fit(fit, sleepstudy, tmp_path, **{**options, "reml": False})
    assert calls == [180, 180, 180]


def test_an_unreadable_record_is_fitted_again(sleepstudy: pd.DataFrame, tmp_path: Path) -> None:
    options = {"unit": "Subject", "time": "Days", "value": "Reaction", "quadratic": False, "origin": 0}
    first = cached_fit(fit_growth, sleepstudy, tmp_path, **options)
    for record in tmp_path.glob("*.json"):
        record.write_text('{"unit": "Subject"}', encoding="utf-8")  # cut short, or from another version
    same(cached_fit(fit_growth, sleepstudy, tmp_path, **options), first)
