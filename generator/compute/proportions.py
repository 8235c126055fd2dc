"""Shares and whether they differ: Wilson intervals and chi-squared tests.

Survey questions are mostly closed, so their results are shares ("81 of 263
said yes") and tables of counts. Four pure functions answer the usual
questions, each matching a reference implementation:

* :func:`wilson_interval`: a share with its Wilson (1927) score interval, as
  R's ``prop.test(k, n, correct = FALSE)$conf.int`` and
  ``binom::binom.confint(method = "wilson")`` (Newcombe 1998a, method 3);
* :func:`two_proportion_test`: two shares compared with the pooled z test
  (z^2 is Pearson's chi-squared), as R's
  ``prop.test(c(k1, k2), c(n1, n2), correct = FALSE)``, with Newcombe's
  (1998b) hybrid score interval for the difference (his method 10) or,
  on request, R's Wald interval;
* :func:`change_verdict`: "improved", "deteriorated" or "no clear change";
* :func:`crosstab_chi_squared`: Pearson's chi-squared test of independence on
  a table of counts, as R's ``chisq.test(correct = ...)``, flagging expected
  counts below 5.

References: E. B. Wilson (1927), *JASA* 22, 209-212. R. G. Newcombe (1998a),
"Two-sided confidence intervals for the single proportion: comparison of
seven methods", *Statistics in Medicine* 17, 857-872. R. G. Newcombe (1998b),
"Interval estimation for the difference between independent proportions:
comparison of eleven methods", *Statistics in Medicine* 17, 873-890.

The functions are pure: counts in, frozen dataclasses out. Bad input raises
:class:`ProportionsError` (a ``ValueError``) with a message saying what was
expected and what was received.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np

__all__ = [
    "ProportionsError",
    "ShareInterval",
    "TwoProportionTest",
    "CrosstabTest",
    "Verdict",
    "wilson_interval",
    "newcombe_interval",
    "two_proportion_test",
    "change_verdict",
    "crosstab_chi_squared",
    "format_share",
    "format_chi_squared",
    "SMALL_EXPECTED",
]

#: Expected counts below this make the chi-squared approximation doubtful
#: (Cochran 1954; R's ``chisq.test`` warns on the same rule).
SMALL_EXPECTED = 5.0

Verdict = Literal["improved", "deteriorated", "no clear change"]


class ProportionsError(ValueError):
    """The counts cannot be analysed (negative, k > n, no observations, a bad level)."""


@dataclass(frozen=True)
class ShareInterval:
    """A share k / n with its confidence interval."""

    k: int
    """How many had the characteristic (said yes, were on a plan)."""
    n: int
    """How many were asked or counted."""
    share: float
    """k / n."""
    lower: float
    """Lower confidence limit (0 when k = 0)."""
    upper: float
    """Upper confidence limit (1 when k = n)."""
    confidence: float
    """The confidence level, e.g. 0.95."""
    method: str = "wilson"
    """How the interval was computed: always "wilson" (score interval without continuity correction)."""


@dataclass(frozen=True)
class TwoProportionTest:
    """Two independent shares compared: the difference, its test and its interval."""

    k1: int
    """Successes in sample 1."""
    n1: int
    """Size of sample 1."""
    k2: int
    """Successes in sample 2."""
    n2: int
    """Size of sample 2."""
    share1: float
    """k1 / n1."""
    share2: float
    """k2 / n2."""
    difference: float
    """share1 - share2 (R's and Newcombe's order: for a change over time, sample 1 is the later wave)."""
    z: float
    """The pooled z statistic, signed like the difference; NaN when undefined (see chi_squared)."""
    chi_squared: float
    """Pearson's chi-squared on 1 df (= z^2); NaN when both samples are all 0 or all 1, as in R."""
    p: float
    """Two-sided p-value; NaN when the test is undefined."""
    lower: float
    """Lower confidence limit for the difference."""
    upper: float
    """Upper confidence limit for the difference."""
    confidence: float
    """The confidence level of the interval, e.g. 0.95."""
    continuity: bool
    """True when Yates' continuity correction was applied to the test (R's ``correct = TRUE``)."""
    ci_method: str
    """"newcombe" (hybrid score, Newcombe 1998b method 10) or "wald" (R's ``prop.test`` interval)."""

    def significant(self, alpha: float = 0.05) -> bool:
        """Return True when the test finds a difference at level ``alpha`` (False when undefined)."""
        return bool(self.p < alpha)


@dataclass(frozen=True)
class CrosstabTest:
    """Pearson's chi-squared test of independence on a table of counts."""

    chi_squared: float
    """Pearson's X^2 (with Yates' correction when ``yates`` is True)."""
    df: int
    """Degrees of freedom, (rows - 1) (columns - 1)."""
    p: float
    """Upper-tail p-value from the chi-squared distribution."""
    expected: tuple[tuple[float, ...], ...]
    """Expected counts under independence, row total x column total / n, in the table's order."""
    n: float
    """The total count."""
    yates: bool
    """True when Yates' continuity correction was applied (2 x 2 tables only)."""
    n_small_expected: int
    """How many expected counts are below 5."""
    min_expected: float
    """The smallest expected count."""
    small_expected: bool
    """True when any expected count is below 5, so the p-value may be inaccurate."""


# --- Validation ---------------------------------------------------------------


def _count(value: object, name: str) -> int:
    """Return ``value`` as a non-negative int, or raise naming it."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, float, np.floating)):
        raise ProportionsError(f"{name}: expected a whole number, got {value!r}")
    if isinstance(value, numbers.Integral):
        count = int(value)
    else:
        number = float(value)  # type: ignore[arg-type]
        if not number.is_integer():
            raise ProportionsError(f"{name}: expected a whole number, got {value!r}")
        count = int(number)
    if count < 0:
        raise ProportionsError(f"{name}: expected 0 or more, got {count}")
    return count


def _counts(k: object, n: object, k_name: str = "k", n_name: str = "n") -> tuple[int, int]:
    """Return (k, n) checked: whole numbers with n >= 1 and 0 <= k <= n."""
    k_int, n_int = _count(k, k_name), _count(n, n_name)
    if n_int == 0:
        raise ProportionsError(f"{n_name} = 0: a share needs at least one observation")
    if k_int > n_int:
        raise ProportionsError(
            f"{k_name} = {k_int} is larger than {n_name} = {n_int}; expected 0 <= {k_name} <= {n_name}"
        )
    return k_int, n_int


def _z(confidence: float) -> float:
    """Return the two-sided normal quantile for ``confidence``, checking 0 < confidence < 1."""
    from scipy import special  # the normal distribution without importing scipy.stats

    try:
        level = float(confidence)
    except (TypeError, ValueError):
        raise ProportionsError(f"confidence: expected a number between 0 and 1, got {confidence!r}") from None
    if not 0 < level < 1:
        # 95 for 0.95 is the likely slip; a level under 50% is rarely meant.
        hint = f" (did you mean {level / 100:g}?)" if 50 <= level < 100 else ""
        raise ProportionsError(f"confidence: expected a level between 0 and 1 (e.g. 0.95), got {level:g}{hint}")
    # R: qnorm((1 + conf.level) / 2); isf keeps full precision for levels near 1.
    return float(-special.ndtri((1 - level) / 2))


# --- A single share -------------------------------------------------------------


def _wilson_limits(k: int, n: int, z: float) -> tuple[float, float]:
    """Return the Wilson score limits for k of n at normal quantile z."""
    share = k / n
    z22n = z * z / (2 * n)
    root = z * math.sqrt(share * (1 - share) / n + z22n / (2 * n))
    # The textbook lower limit (share + z22n - root) / (1 + 2 z22n) cancels badly
    # when share is small; multiplying through by its conjugate gives the exact
    # equivalent share^2 / (share + z22n + root), which does not (and is 0 at k = 0).
    lower = share * share / (share + z22n + root) if k > 0 else 0.0
    # As R's prop.test: the upper limit is exactly 1 when every answer is yes.
    upper = (share + z22n + root) / (1 + 2 * z22n) if k < n else 1.0
    return max(0.0, lower), min(1.0, upper)


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> ShareInterval:
    """Return the share k / n with its Wilson score interval.

    The interval inverts the score test, (p - pi)^2 = z^2 pi (1 - pi) / n, so it
    stays inside [0, 1], is never of zero width, and behaves well for small n
    and shares near 0 or 1 (Newcombe 1998a recommends it). Same as R's
    ``prop.test(k, n, correct = FALSE)$conf.int`` and
    ``binom::binom.confint(k, n, methods = "wilson")``.

    Args:
        k: how many had the characteristic, 0 <= k <= n.
        n: how many were asked, at least 1.
        confidence: the confidence level, strictly between 0 and 1.

    Returns:
        The share and its limits; lower is exactly 0 when k = 0 and upper is
        exactly 1 when k = n.

    Raises:
        ProportionsError: k or n not a whole number, negative, k > n, n = 0,
            or confidence outside (0, 1).
    """
    k_int, n_int = _counts(k, n)
    z = _z(confidence)
    lower, upper = _wilson_limits(k_int, n_int, z)
    return ShareInterval(k_int, n_int, k_int / n_int, lower, upper, float(confidence))


# --- Two shares -----------------------------------------------------------------


def newcombe_interval(k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return Newcombe's hybrid score interval for share1 - share2 (1998b, method 10).

    With Wilson limits (l1, u1) and (l2, u2) for the two shares and d = p1 - p2:
    lower = d - sqrt((p1 - l1)^2 + (u2 - p2)^2),
    upper = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
    Defined for every table, including 0 of n in both samples.
    """
    k1, n1 = _counts(k1, n1, "k1", "n1")
    k2, n2 = _counts(k2, n2, "k2", "n2")
    z = _z(confidence)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = _wilson_limits(k1, n1, z)
    l2, u2 = _wilson_limits(k2, n2, z)
    difference = p1 - p2
    lower = difference - math.hypot(p1 - l1, u2 - p2)
    upper = difference + math.hypot(u1 - p1, p2 - l2)
    return max(-1.0, lower), min(1.0, upper)


def _wald_interval(
    k1: int, n1: int, k2: int, n2: int, z: float, continuity: bool
) -> tuple[float, float]:
    """Return R's prop.test interval for the difference: Wald, with R's continuity correction if asked."""
    p1, p2 = k1 / n1, k2 / n2
    difference = p1 - p2
    inverse_sum = 1 / n1 + 1 / n2
    # R: YATES <- min(0.5, abs(DELTA) / sum(1 / n)); the correction never exceeds |d|.
    yates = min(0.5, abs(difference) / inverse_sum) if continuity else 0.0
    width = z * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) + yates * inverse_sum
    return max(-1.0, difference - width), min(1.0, difference + width)


def two_proportion_test(
    k1: int,
    n1: int,
    k2: int,
    n2: int,
    continuity: bool = False,
    *,
    confidence: float = 0.95,
    ci_method: Literal["newcombe", "wald"] = "newcombe",
) -> TwoProportionTest:
    """Compare two independent shares: z test, chi-squared, p and an interval for the difference.

    The test is the pooled-variance z test,
    z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)) with p = (k1 + k2) / (n1 + n2),
    whose square is Pearson's chi-squared on the 2 x 2 table; p is two-sided.
    Matches R's ``prop.test(c(k1, k2), c(n1, n2), correct = continuity)``
    (statistic, p-value, and with ``ci_method="wald"`` the interval too).

    Args:
        k1, n1: successes and size of sample 1 (for a change over time, the later wave).
        k2, n2: successes and size of sample 2 (the baseline).
        continuity: apply Yates' continuity correction to the test, as R's default
            ``correct = TRUE``; then z = sign(d) sqrt(chi-squared).
        confidence: level of the interval for the difference.
        ci_method: "newcombe" (default; hybrid score interval, Newcombe 1998b
            method 10, recommended there) or "wald" (R's interval, with R's
            continuity correction when ``continuity`` is True).

    Returns:
        The shares, their difference share1 - share2, z, chi-squared, p and the
        interval. When both samples are all 0 or all 1 the test is undefined
        (no variation): z, chi-squared and p are NaN, as R's, but the interval
        is still given.

    Raises:
        ProportionsError: a count that is not a whole number, negative, k > n,
            n = 0, a confidence outside (0, 1) or an unknown ci_method.
    """
    from scipy import special

    k1, n1 = _counts(k1, n1, "k1", "n1")
    k2, n2 = _counts(k2, n2, "k2", "n2")
    z_level = _z(confidence)
    if ci_method not in ("newcombe", "wald"):
        raise ProportionsError(f"ci_method: expected 'newcombe' or 'wald', got {ci_method!r}")
    p1, p2 = k1 / n1, k2 / n2
    difference = p1 - p2
    pooled = (k1 + k2) / (n1 + n2)
    inverse_sum = 1 / n1 + 1 / n2
    if pooled in (0.0, 1.0):
        z = chi_squared = p = math.nan
    else:
        if continuity:
            # Pearson's X^2 with Yates' correction on the 2 x 2 table; every cell has
            # the same |O - E| = |d| / (1/n1 + 1/n2), and R caps the correction there.
            gap = abs(difference) / inverse_sum
            correction = min(0.5, gap)
            expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)]
            chi_squared = (gap - correction) ** 2 * sum(1 / e for e in expected)
            z = math.copysign(math.sqrt(chi_squared), difference)
        else:
            z = difference / math.sqrt(pooled * (1 - pooled) * inverse_sum)
            chi_squared = z * z
        p = float(special.chdtrc(1, chi_squared))
    if ci_method == "newcombe":
        lower, upper = newcombe_interval(k1, n1, k2, n2, confidence)
    else:
        lower, upper = _wald_interval(k1, n1, k2, n2, z_level, continuity)
    return TwoProportionTest(
        k1=k1, n1=n1, k2=k2, n2=n2,
        share1=p1, share2=p2, difference=difference,
        z=z, chi_squared=chi_squared, p=p,
        lower=lower, upper=upper, confidence=float(confidence),
        continuity=continuity, ci_method=ci_method,
    )  # fmt: skip


def change_verdict(result: TwoProportionTest, alpha: float = 0.05, higher_is_better: bool = True) -> Verdict:
    """Return "improved", "deteriorated" or "no clear change" for sample 1 against sample 2.

    A change is claimed only when the test's p < alpha; its direction is the
    sign of ``result.difference`` (share1 - share2), so pass the later wave as
    sample 1 and the baseline as sample 2. ``higher_is_better`` says which way
    is good ("satisfied": True; "waited more than 12 weeks": False). An
    undefined test (both samples all 0 or all 1) is "no clear change".

    Raises:
        ProportionsError: alpha outside (0, 1).
    """
    if not 0 < alpha < 1:
        raise ProportionsError(f"alpha: expected a level between 0 and 1 (e.g. 0.05), got {alpha!r}")
    if not result.p < alpha or result.difference == 0:
        return "no clear change"
    went_up = result.difference > 0
    return "improved" if went_up == higher_is_better else "deteriorated"


# --- Tables of counts -----------------------------------------------------------


def crosstab_chi_squared(table: Sequence[Sequence[float]] | np.ndarray, yates: bool = False) -> CrosstabTest:
    """Return Pearson's chi-squared test of independence for a table of counts.

    X^2 = sum (O - E)^2 / E with E = row total x column total / n, on
    (r - 1)(c - 1) df, as R's ``chisq.test(table, correct = FALSE)``. With
    ``yates=True`` (2 x 2 tables only) each |O - E| is reduced by 0.5, but never
    below 0, as R's ``chisq.test(correct = TRUE)`` and SciPy's
    ``chi2_contingency`` (scipy gh-13875).

    Args:
        table: counts, one row per category of the row variable; at least 2 x 2.
        yates: apply Yates' continuity correction; only for a 2 x 2 table.

    Raises:
        ProportionsError: not a 2-D table of at least 2 x 2, negative or
            non-finite counts, a row or column with no counts (its expected
            counts would be 0), or ``yates`` on a table that is not 2 x 2.
    """
    from scipy import special

    try:
        observed = np.asarray(table, dtype=float)
    except (TypeError, ValueError) as error:
        raise ProportionsError(f"expected a table of counts ({error})") from None
    if observed.ndim != 2 or observed.shape[0] < 2 or observed.shape[1] < 2:
        shape = " x ".join(str(size) for size in observed.shape) or "a single number"
        raise ProportionsError(f"expected a table with at least 2 rows and 2 columns, got {shape}")
    if not np.all(np.isfinite(observed)) or np.any(observed < 0):
        raise ProportionsError("counts must be finite and 0 or more")
    rows, columns = observed.shape
    if yates and (rows, columns) != (2, 2):
        raise ProportionsError(
            f"Yates' continuity correction applies only to a 2 x 2 table; this one is {rows} x {columns}"
        )
    row_totals, column_totals = observed.sum(axis=1), observed.sum(axis=0)
    for label, totals in (("row", row_totals), ("column", column_totals)):
        empty = [str(i + 1) for i, total in enumerate(totals) if total == 0]
        if empty:
            raise ProportionsError(
                f"{label} {', '.join(empty)} has no counts, so its expected counts are 0; leave it out"
            )
    n = float(observed.sum())
    expected = np.outer(row_totals, column_totals) / n
    if yates:
        # R: YATES <- min(0.5, abs(x - E)). In a 2 x 2 table every |O - E| equals
        # |ad - bc| / n; computing it once keeps the corrected statistic exactly 0
        # when the gap is under 0.5 (scipy gh-13875).
        (a, b), (c, d) = observed
        gap = abs(a * d - b * c) / n
        chi_squared = float(max(0.0, gap - 0.5) ** 2 * np.sum(1 / expected))
    else:
        chi_squared = float(np.sum((observed - expected) ** 2 / expected))
    df = (rows - 1) * (columns - 1)
    small = int(np.sum(expected < SMALL_EXPECTED))
    return CrosstabTest(
        chi_squared=chi_squared,
        df=df,
        p=float(special.chdtrc(df, chi_squared)),
        expected=tuple(tuple(float(e) for e in row) for row in expected),
        n=n,
        yates=bool(yates),
        n_small_expected=small,
        min_expected=float(expected.min()),
        small_expected=small > 0,
    )


# --- Reporting ------------------------------------------------------------------


def _format_p(p: float) -> str:
    """Return 'p = .034' / 'p < .001' / 'p > .999', without a leading zero (APA)."""
    if not math.isfinite(p):
        return "p undefined"
    if p < 0.001:
        return "p < .001"
    if p >= 0.9995:
        return "p > .999"
    return "p = " + f"{p:.3f}".lstrip("0")


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def format_share(interval: ShareInterval) -> str:
    """Return e.g. "81 of 263 = 30.8% (95% Wilson interval 25.5% to 36.6%)"."""
    return (
        f"{interval.k} of {interval.n} = {_percent(interval.share)} "
        f"({interval.confidence * 100:g}% Wilson interval {_percent(interval.lower)} to {_percent(interval.upper)})"
    )


def format_chi_squared(result: CrosstabTest) -> str:
    """Return the test in APA style, e.g. "χ²(2) = 30.07, p < .001"."""
    return f"χ²({result.df}) = {result.chi_squared:.2f}, {_format_p(result.p)}"
