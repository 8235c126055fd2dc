"""Are the sites comparable? Four tests of a difference between groups.

Site selection asks whether the chosen local authorities differ on a measure
such as deprivation. Four tests answer it, each with different assumptions:

* one-way ANOVA F (equal variances; Fisher), R ``oneway.test(var.equal = TRUE)``;
* Welch's F (unequal variances; Welch 1951), R ``oneway.test(var.equal = FALSE)``;
* Brown-Forsythe F* for equality of *means* under unequal variances (Brown &
  Forsythe 1974, *Technometrics* 16, 129-132), R ``onewaytests::bf.test``.
  Not the Brown-Forsythe (Levene-median) test of equal variances, which shares
  the name, and not Mehrotra's (1997) modified df1;
* Kruskal-Wallis H, rank-based, corrected for ties, R ``kruskal.test``.

All sums of squares are computed on data shifted by one observation (Chan,
Golub & LeVeque 1983, "Algorithms for computing the sample variance"): for
values that share many leading digits (NIST's SmLs and AtmWtAg data) the
subtraction is exact and the textbook formulas lose nothing.

The functions are pure: groups in, frozen :class:`TestResult` out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

__all__ = [
    "ComparabilityError",
    "TestResult",
    "anova",
    "welch",
    "brown_forsythe",
    "kruskal_wallis",
    "compare",
    "compare_groups",
    "compare_defined",
    "Comparison",
    "format_apa",
    "reading",
    "TEST_KEYS",
    "TEST_NAMES",
    "TestUndefined",
]

#: The keys of :func:`compare`'s dictionary, in the order the tests are reported.
TEST_KEYS = ("anova", "welch", "brown_forsythe", "kruskal")

#: Each test as a methods section names it.
TEST_NAMES = {"anova": "one-way ANOVA", "welch": "Welch's F", "brown_forsythe": "Brown-Forsythe F*",
              "kruskal": "Kruskal-Wallis H"}


class ComparabilityError(ValueError):
    """The groups cannot be compared (too few groups or values, no variation)."""


class TestUndefined(ComparabilityError):
    """One test cannot be computed on these data; ``reason`` says why, without the test's name."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, test: str, reason: str):
        super().__init__(f"{test} is undefined: {reason}")
        self.test = test
        self.reason = reason


@dataclass(frozen=True)
class TestResult:
    """One test of a difference between groups."""

    __test__ = False  # not a pytest test class, despite the name

    name: str
    """The statistic as reported: "F", "Welch's F", "Brown-Forsythe F*", "Kruskal-Wallis H"."""
    statistic: float
    """The value of the statistic."""
    df1: float
    """Numerator degrees of freedom (k - 1); the chi-squared df for Kruskal-Wallis."""
    df2: float | None
    """Denominator degrees of freedom (fractional for Welch and Brown-Forsythe); None for Kruskal-Wallis."""
    p: float
    """The p-value (upper tail)."""

    def significant(self, alpha: float = 0.05) -> bool:
        """Return True when the test finds a difference at level ``alpha``."""
        return self.p < alpha


@dataclass(frozen=True)
class _Summary:
    """Per-group counts, means and variances on the shifted scale."""

    n: np.ndarray
    means: np.ndarray  # of the shifted values
    variances: np.ndarray  # sample variances (ddof = 1)
    ss_within: np.ndarray  # sum of squared deviations from each group mean

    @property
    def k(self) -> int:
        return len(self.n)

    @property
    def total(self) -> float:
        return float(self.n.sum())


def _as_groups(groups: Sequence[Sequence[float]] | Mapping[str, Sequence[float]],
               minimum: int = 1, test: str | None = None) -> dict[str, np.ndarray]:
    """Return the groups as named float arrays, checking there are enough of them.

    ``minimum`` is the fewest values a group may have for ``test`` (named in the message): Welch and
    Brown-Forsythe need every group's variance, so 2; ANOVA and Kruskal-Wallis take a group of one.
    """
    if isinstance(groups, Mapping):
        named = {str(name): values for name, values in groups.items()}
    else:
        named = {f"group {i}": values for i, values in enumerate(groups, start=1)}
    if len(named) < 2:
        found = ", ".join(f"'{name}'" for name in named) or "none"
        raise ComparabilityError(f"need at least two groups to compare; found {len(named)} ({found})")
    arrays: dict[str, np.ndarray] = {}
    for name, values in named.items():
        try:
            array = np.asarray(values, dtype=float).ravel()
        except (TypeError, ValueError) as error:
            raise ComparabilityError(f"group '{name}': expected numbers ({error})") from None
        if not np.all(np.isfinite(array)):
            raise ComparabilityError(f"group '{name}' has missing or infinite values; drop them first")
        if array.size < minimum:
            need = ("every group needs at least 2 to estimate its variance" if minimum == 2
                    else f"every group needs at least {minimum}")
            reason = f"group '{name}' has {array.size} value{'s' if array.size != 1 else ''}; {need}"
            raise TestUndefined(test, reason) if test else ComparabilityError(reason)
        arrays[name] = array
    return arrays


def _summarise(groups: Mapping[str, np.ndarray]) -> _Summary:
    """Return counts, means and variances, computed on data shifted by one observation."""
    # Shifting by a value inside the data's range makes x - shift exact for data
    # with many constant leading digits (Sterbenz), so nothing is lost below.
    shift = float(next(iter(groups.values()))[0])
    shifted = [values - shift for values in groups.values()]
    n = np.array([len(v) for v in shifted], dtype=float)
    means = np.array([v.mean() for v in shifted])
    ss_within = np.array([float(np.sum((v - m) ** 2)) for v, m in zip(shifted, means)])
    with np.errstate(invalid="ignore", divide="ignore"):  # a group of one has no variance (NaN); tests needing it refuse first
        variances = np.where(n > 1, ss_within / np.maximum(n - 1, 1), np.nan)
    return _Summary(n=n, means=means, variances=variances, ss_within=ss_within)


def _f_p(statistic: float, df1: float, df2: float) -> float:
    # scipy.special's F survival function: the same value as scipy.stats.f.sf, without importing scipy.stats
    # (a third of a second in every build that shows one test)
    from scipy import special

    return float(special.fdtrc(df1, df2, statistic))


def anova(groups: Sequence[Sequence[float]] | Mapping[str, Sequence[float]]) -> TestResult:
    """Return the classic one-way ANOVA F test, assuming equal variances.

    F = [sum n_i (mean_i - grand)^2 / (k - 1)] / [sum (n_i - 1) s_i^2 / (N - k)],
    as R's ``oneway.test(var.equal = TRUE)`` and NIST StRD's ANOVA tables.
    """
    s = _summarise(_as_groups(groups))
    grand = float(np.sum(s.n * s.means) / s.total)
    ss_between = float(np.sum(s.n * (s.means - grand) ** 2))
    ss_within = float(s.ss_within.sum())
    df1, df2 = s.k - 1, s.total - s.k
    if df2 == 0:
        raise TestUndefined("ANOVA", "every group has one value, so there is no within-group variance")
    if ss_within == 0:
        raise TestUndefined("ANOVA", "no variation within any group")
    statistic = (ss_between / df1) / (ss_within / df2)
    return TestResult("F", statistic, float(df1), float(df2), _f_p(statistic, df1, df2))


def welch(groups: Sequence[Sequence[float]] | Mapping[str, Sequence[float]]) -> TestResult:
    """Return Welch's (1951) F test of equal means without assuming equal variances.

    Follows R's ``oneway.test(var.equal = FALSE)``: weights w_i = n_i / s_i^2,
    F = [sum w_i (mean_i - m_w)^2 / (k - 1)] / [1 + 2 (k - 2) / (k^2 - 1) * L],
    df2 = (k^2 - 1) / (3 L), with L = sum (1 - w_i / W)^2 / (n_i - 1).
    """
    arrays = _as_groups(groups, 2, "Welch's F")
    s = _summarise(arrays)
    flat = [name for name, variance in zip(arrays, s.variances) if variance == 0]
    if flat:
        names = ", ".join(f"'{name}'" for name in flat)
        many = len(flat) > 1
        raise TestUndefined("Welch's F", (
            f"{'groups' if many else 'group'} {names} {'have' if many else 'has'} no variation (every value is the "
            f"same), so {'their weights' if many else 'its weight'} n/s^2 {'are' if many else 'is'} infinite"))
    k = s.k
    w = s.n / s.variances
    total_w = float(w.sum())
    weighted_mean = float(np.sum(w * s.means) / total_w)
    lam = float(np.sum((1 - w / total_w) ** 2 / (s.n - 1)))
    numerator = float(np.sum(w * (s.means - weighted_mean) ** 2)) / (k - 1)
    statistic = numerator / (1 + 2 * (k - 2) * lam / (k**2 - 1))
    df1, df2 = float(k - 1), (k**2 - 1) / (3 * lam)
    return TestResult("Welch's F", statistic, df1, df2, _f_p(statistic, df1, df2))


def brown_forsythe(groups: Sequence[Sequence[float]] | Mapping[str, Sequence[float]]) -> TestResult:
    """Return the Brown-Forsythe (1974) F* test of equal means under unequal variances.

    F* = sum n_i (mean_i - grand)^2 / sum (1 - n_i / N) s_i^2 with df1 = k - 1
    and Satterthwaite's df2: 1 / df2 = sum c_i^2 / (n_i - 1), where
    c_i = (1 - n_i / N) s_i^2 / sum_j (1 - n_j / N) s_j^2. As R's
    ``onewaytests::bf.test``; Mehrotra's (1997) corrected df1 is not used.
    """
    s = _summarise(_as_groups(groups, 2, "Brown-Forsythe F*"))
    grand = float(np.sum(s.n * s.means) / s.total)
    weighted_variances = (1 - s.n / s.total) * s.variances
    denominator = float(weighted_variances.sum())
    if denominator == 0:
        raise TestUndefined("Brown-Forsythe F*", "no variation within any group")
    statistic = float(np.sum(s.n * (s.means - grand) ** 2)) / denominator
    c = weighted_variances / denominator
    df1, df2 = float(s.k - 1), 1.0 / float(np.sum(c**2 / (s.n - 1)))
    return TestResult("Brown-Forsythe F*", statistic, df1, df2, _f_p(statistic, df1, df2))


def kruskal_wallis(groups: Sequence[Sequence[float]] | Mapping[str, Sequence[float]]) -> TestResult:
    """Return the Kruskal-Wallis H test, corrected for ties, with k - 1 df.

    H = [12 / (N (N + 1)) sum R_i^2 / n_i - 3 (N + 1)] / [1 - sum (t^3 - t) / (N^3 - N)],
    referred to chi-squared on k - 1 df, as R's ``kruskal.test``.
    """
    import pandas as pd
    from scipy import special

    arrays = _as_groups(groups)
    values = np.concatenate(list(arrays.values()))
    ranks = pd.Series(values).rank(method="average").to_numpy()  # average ranks for ties
    total = values.size
    _, tie_counts = np.unique(values, return_counts=True)
    correction = 1 - float(np.sum(tie_counts**3 - tie_counts)) / (total**3 - total)
    if correction == 0:
        raise TestUndefined("Kruskal-Wallis H", "every value is the same")
    rank_term, start = 0.0, 0
    for array in arrays.values():
        rank_sum = float(ranks[start : start + array.size].sum())
        rank_term += rank_sum**2 / array.size
        start += array.size
    statistic = (12 / (total * (total + 1)) * rank_term - 3 * (total + 1)) / correction
    df = float(len(arrays) - 1)
    return TestResult("Kruskal-Wallis H", statistic, df, None, float(special.chdtrc(df, statistic)))


_TESTS = {"anova": anova, "welch": welch, "brown_forsythe": brown_forsythe, "kruskal": kruskal_wallis}


def compare(groups: Sequence[Sequence[float]] | Mapping[str, Sequence[float]]) -> dict[str, TestResult]:
    """Return all four tests, keyed ``anova``, ``welch``, ``brown_forsythe``, ``kruskal``.

    Raises:
        ComparabilityError: any of the four is undefined for these data (see :func:`compare_defined`).
    """
    arrays = _as_groups(groups)
    return {key: test(arrays) for key, test in _TESTS.items()}


@dataclass(frozen=True)
class Comparison:
    """The tests that are defined for the groups, and why each other one is not."""

    results: dict[str, TestResult]
    """The defined tests, keyed and ordered as :data:`TEST_KEYS`."""
    not_defined: dict[str, str]
    """Test key to the reason it is undefined (e.g. a group with no variation makes Welch's weights infinite)."""


def compare_defined(groups: Sequence[Sequence[float]] | Mapping[str, Sequence[float]]) -> Comparison:
    """Run each of the four tests whose assumptions the data allow, and say why any other cannot run.

    One group with no variation leaves ANOVA, Brown-Forsythe and Kruskal-Wallis defined and Welch not;
    a group of one value leaves ANOVA and Kruskal-Wallis.

    Raises:
        ComparabilityError: fewer than two groups, missing values, or no test defined at all (the message
            gives every test's reason).
    """
    arrays = _as_groups(groups)
    results: dict[str, TestResult] = {}
    not_defined: dict[str, str] = {}
    for key, test in _TESTS.items():
        try:
            results[key] = test(arrays)
        except TestUndefined as error:
            not_defined[key] = error.reason
    if not results:
        raise ComparabilityError("no test is defined for these data: " + "; ".join(
            f"{TEST_NAMES[key]} because {reason}" for key, reason in not_defined.items()))
    return Comparison(results, not_defined)


def compare_groups(mapping: Mapping[str, Iterable[float]]) -> dict[str, TestResult]:
    """Compare named groups with all four tests.

    Args:
        mapping: group name (a site, a local authority) to its values.

    Returns:
        The four :class:`TestResult` objects keyed as in :data:`TEST_KEYS`.

    Raises:
        ComparabilityError: fewer than two groups, a group with fewer than two
            values, missing values, or no variation where a test needs it. The
            message names the group.
    """
    return compare({name: list(values) for name, values in mapping.items()})


# --- Reporting -------------------------------------------------------------


def _format_df(df: float) -> str:
    """Return a df as an integer when whole, else to 2 decimals (APA 7th ed., 6.44)."""
    return str(int(round(df))) if abs(df - round(df)) < 1e-9 else f"{df:.2f}"


def _format_p(p: float) -> str:
    """Return 'p = .034' / 'p < .001' / 'p > .999', without a leading zero (APA)."""
    if p < 0.001:
        return "p < .001"
    if p >= 0.9995:
        return "p > .999"
    return "p = " + f"{p:.3f}".lstrip("0")


def format_apa(result: TestResult) -> str:
    """Return one result in APA style, e.g. "Welch's F(4, 9.81) = 0.12, p = .357"."""
    if result.df2 is None:
        dfs = _format_df(result.df1)
    else:
        dfs = f"{_format_df(result.df1)}, {_format_df(result.df2)}"
    return f"{result.name}({dfs}) = {result.statistic:.2f}, {_format_p(result.p)}"


# A bare "F" reads oddly in a sentence; the others name themselves.
_READING_NAMES = {"F": "ANOVA F"}

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def reading(
    results: Mapping[str, TestResult],
    *,
    alpha: float = 0.05,
    groups: str = "sites",
    measure: str | None = None,
) -> str:
    """Return one plain-English sentence saying what the tests find together.

    Args:
        results: the tests, as returned by :func:`compare`.
        alpha: the significance level (0.05 reads as "the 5% level").
        groups: what the groups are, in the plural ("sites", "local authorities").
        measure: what was compared ("deprivation"), or None to leave it out.
    """
    if not results:
        raise ValueError("no test results to read")
    level = f"the {alpha * 100:g}% level"
    in_measure = f" in {measure}" if measure else ""
    found = [_READING_NAMES.get(r.name, r.name) for r in results.values() if r.significant(alpha)]
    not_found = [_READING_NAMES.get(r.name, r.name) for r in results.values() if not r.significant(alpha)]
    count = len(results)
    how_many = _NUMBER_WORDS.get(count, str(count))
    if not found:
        subject = "The test does not find" if count == 1 else f"None of the {how_many} tests finds"
        return (
            f"{subject} a difference between {groups} at {level}, "
            f"so the {groups} can be treated as comparable{in_measure}."
        )
    if not not_found:
        subject = "The test finds" if count == 1 else f"All {how_many} tests find"
        return f"{subject} a difference between {groups} at {level}, so the {groups} differ{in_measure}."
    verb = "finds" if len(found) == 1 else "find"
    return (
        f"{_join(found)} {verb} a difference between {groups} at {level} but {_join(not_found)} "
        f"{'does' if len(not_found) == 1 else 'do'} not, so treat the {groups} as comparable{in_measure} "
        "only with caution."
    )
