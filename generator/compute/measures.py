"""The quantitative measures of the study, as pure functions on tables.

Rates per 10,000 children, conversion along the referral pathway, spending
at constant prices, per child and as shares, and deprivation (population-
weighted scores, ranks and thirds). Each returns a new DataFrame; nothing
here knows about pages or files.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

PER_CHILDREN = 10_000
THIRDS = ("high", "middle", "low")


def rate_per_10000(counts: pd.Series, population: pd.Series) -> pd.Series:
    """Return counts per 10,000 children; missing where either is missing or the population is 0."""
    counts = pd.to_numeric(counts, errors="coerce").astype("Float64")
    population = pd.to_numeric(population, errors="coerce").astype("Float64")
    population = population.mask(population <= 0)
    return counts / population * PER_CHILDREN


def conversion(frame: pd.DataFrame, steps: Sequence[str], by: str | None = None) -> pd.DataFrame:
    """Return the number at each step of a pathway and the share carried to the next.

    ``steps`` are column names in pathway order (e.g. contacts, referrals,
    assessments, plans). The result has one row per step (per ``by`` value):
    ``step``, ``number`` and ``carried`` (the share of the previous step's
    number that reached this step, as a proportion; missing for the first).
    """
    rows = []
    groups = [(None, frame)] if by is None else list(frame.groupby(by, sort=False))
    for key, group in groups:
        previous = None
        for step in steps:
            number = pd.to_numeric(group[step], errors="coerce").sum(min_count=1)
            carried = np.nan
            if previous is not None and not pd.isna(previous) and previous != 0 and not pd.isna(number):
                carried = number / previous
            row = {"step": step, "number": number, "carried": carried}
            if by is not None:
                row = {by: key, **row}
            rows.append(row)
            previous = number
    return pd.DataFrame(rows)


def deflate(
    spend: pd.DataFrame,
    deflator: pd.DataFrame,
    base_year: str,
    year: str = "year",
    value: str = "spend",
    index: str = "index",
) -> pd.DataFrame:
    """Return ``spend`` with a ``real`` column at ``base_year`` prices.

    ``deflator`` has one row per year with a price index (any base); real =
    cash x index(base_year) / index(year). Years without an index raise
    KeyError naming them.
    """
    indices = dict(zip(deflator[year].astype(str), pd.to_numeric(deflator[index], errors="coerce")))
    if base_year not in indices or pd.isna(indices[base_year]):
        raise KeyError(f"the deflator has no index for the base year {base_year}")
    missing = sorted(set(spend[year].astype(str)) - {y for y, v in indices.items() if not pd.isna(v)})
    if missing:
        raise KeyError(f"the deflator has no index for {', '.join(missing)}")
    factor = spend[year].astype(str).map(lambda y: indices[base_year] / indices[y])
    result = spend.copy()
    result["real"] = pd.to_numeric(spend[value], errors="coerce").astype("Float64") * factor.astype("Float64")
    return result


def shares(frame: pd.DataFrame, value: str, within: Sequence[str], name: str = "share") -> pd.DataFrame:
    """Add each row's share of the total of ``value`` within groups ``within`` (a proportion)."""
    result = frame.copy()
    totals = result.groupby(list(within))[value].transform("sum")
    result[name] = result[value] / totals.mask(totals == 0)
    return result


def per_child(frame: pd.DataFrame, value: str, population: str, name: str = "per_child") -> pd.DataFrame:
    """Add ``value`` divided by ``population`` (missing where the population is 0 or missing)."""
    result = frame.copy()
    pop = pd.to_numeric(result[population], errors="coerce").astype("Float64")
    result[name] = pd.to_numeric(result[value], errors="coerce").astype("Float64") / pop.mask(pop <= 0)
    return result


def weighted_mean(scores: Sequence[float], populations: Sequence[float]) -> float:
    """Return the population-weighted mean of small-area scores (e.g. IMD)."""
    s = np.asarray(scores, dtype=float)
    w = np.asarray(populations, dtype=float)
    keep = ~(np.isnan(s) | np.isnan(w))
    if not keep.any() or w[keep].sum() <= 0:
        return float("nan")
    return float(np.average(s[keep], weights=w[keep]))


def deprivation_ranks(scores: pd.Series) -> pd.Series:
    """Rank areas by score, 1 = most deprived (highest score); ties share the lowest rank."""
    return scores.rank(ascending=False, method="min").astype("Int64")


def deprivation_thirds(scores: pd.Series, tiebreak: pd.Series | None = None) -> pd.Series:
    """Return 'high', 'middle' or 'low' for each score: the LA's deprivation third.

    The rule, so that anyone can reproduce it: sort the scores from highest
    (most deprived) to lowest. Where scores tie, the smaller ``tiebreak``
    value comes first (pass the published rank: scores are printed rounded,
    ranks come from the unrounded scores), then the smaller index label (an
    LA code, say). Cut the sorted list into three groups as equal in size as
    possible, the larger groups first: 152 LAs give 51 high, 51 middle and
    50 low; 151 LAs give 51, 50 and 50. Two tied scores can fall in different
    thirds; the ordering above makes that choice the same on every run.
    Missing scores get no third (None) and do not count towards the sizes.

    Args:
        scores: deprivation scores (higher = more deprived), indexed by LA.
        tiebreak: optional values aligned with ``scores``, smaller first among equal scores.

    Returns:
        A Series with the same index holding 'high', 'middle', 'low' or None.
    """
    values = [float(v) for v in pd.to_numeric(scores, errors="raise").astype("float64")]
    labels = list(scores.index)
    if tiebreak is None:
        ties = [0.0] * len(values)
    else:
        if len(tiebreak) != len(scores):
            raise ValueError("tiebreak must have one value per score")
        ties = [float(v) if v == v else math.inf for v in pd.to_numeric(tiebreak, errors="raise").astype("float64")]
    known = [i for i, value in enumerate(values) if not math.isnan(value)]
    order = sorted(known, key=lambda i: (-values[i], ties[i], str(labels[i]), i))
    base, extra = divmod(len(order), 3)
    sizes = [base + (1 if group < extra else 0) for group in range(3)]
    thirds: list[str | None] = [None] * len(values)
    start = 0
    for name, size in zip(("high", "middle", "low"), sizes):
        for position in order[start:start + size]:
            thirds[position] = name
        start += size
    return pd.Series(thirds, index=scores.index, dtype=object, name="deprivation_third")
