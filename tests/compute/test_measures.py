"""Measures against hand-worked values (the arithmetic is shown beside each)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from generator.compute import measures


def test_rate_per_10000() -> None:
    # 418 plans among 61,200 children: 418 / 61,200 x 10,000 = 68.30065...
    rates = measures.rate_per_10000(pd.Series([418, 5, None]), pd.Series([61_200, 0, 100]))
    assert rates[0] == pytest.approx(68.300653594771, rel=1e-12)
    assert pd.isna(rates[1]) and pd.isna(rates[2])


def test_conversion_along_the_pathway() -> None:
    frame = pd.DataFrame({"contacts": [1000], "referrals": [250], "assessments": [200], "plans": [30]})
    result = measures.conversion(frame, ["contacts", "referrals", "assessments", "plans"])
    assert result["number"].tolist() == [1000, 250, 200, 30]
    assert math.isnan(result["carried"][0])
    # 250/1000 = 0.25, 200/250 = 0.8, 30/200 = 0.15
    assert result["carried"][1:].tolist() == pytest.approx([0.25, 0.8, 0.15])


def test_conversion_by_year() -> None:
    frame = pd.DataFrame({"year": ["a", "b"], "referrals": [100, 50], "plans": [10, 10]})
    result = measures.conversion(frame, ["referrals", "plans"], by="year")
    assert result[result.year == "b"]["carried"].iloc[1] == pytest.approx(0.2)


def test_deflate_to_base_year_prices() -> None:
    spend = pd.DataFrame({"year": ["2010-11", "2015-16"], "spend": [1000, 1000]})
    deflator = pd.DataFrame({"year": ["2010-11", "2015-16"], "index": [90.0, 100.0]})
    # £1,000 in 2010-11 is £1,000 x 100/90 = £1,111.11 at 2015-16 prices
    real = measures.deflate(spend, deflator, "2015-16")["real"]
    assert real.tolist() == pytest.approx([1111.111111, 1000.0])
    with pytest.raises(KeyError, match="2016-17"):
        measures.deflate(pd.DataFrame({"year": ["2016-17"], "spend": [1]}), deflator, "2015-16")


def test_shares_and_per_child() -> None:
    frame = pd.DataFrame({"la": ["a", "a", "b"], "spend": [30.0, 70.0, 50.0], "children": [10, 10, 0]})
    result = measures.per_child(measures.shares(frame, "spend", ["la"]), "spend", "children")
    assert result["share"].tolist() == pytest.approx([0.3, 0.7, 1.0])
    assert result["per_child"][0] == pytest.approx(3.0) and pd.isna(result["per_child"][2])


def test_population_weighted_mean() -> None:
    # (40 x 7000 + 30 x 3000) / 10000 = 37.0
    assert measures.weighted_mean([40.0, 30.0], [7000, 3000]) == pytest.approx(37.0)


def test_thirds_and_ranks() -> None:
    scores = pd.Series([10.0, 40.0, 25.0, 30.0, 5.0, 20.0, 35.0], index=list("abcdefg"))
    thirds = measures.deprivation_thirds(scores)
    # sorted high to low: b 40, g 35, d 30 | c 25, f 20 | a 10, e 5  (7 = 3 + 2 + 2)
    assert thirds.to_dict() == {"a": "low", "b": "high", "c": "middle", "d": "high", "e": "low", "f": "middle", "g": "high"}
    assert measures.deprivation_ranks(scores).tolist() == [6, 1, 4, 3, 7, 5, 2]
    sizes = measures.deprivation_thirds(pd.Series(range(151), dtype=float)).value_counts()
    assert sizes.to_dict() == {"high": 51, "middle": 50, "low": 50}
