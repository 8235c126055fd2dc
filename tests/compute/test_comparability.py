"""Accuracy of the four tests of a difference between groups, against published values.

References, each cited beside its numbers:

* NIST StRD one-way ANOVA datasets and certified values
  (https://www.itl.nist.gov/div898/strd/anova/anova.html). The data in
  tests/fixtures/stats/nist_*.csv are the NIST files' data lines, copied
  verbatim (via the copies SciPy vendors in scipy/stats/tests/data/nist_anova).
* R's ``oneway.test`` and ``onewaytests::bf.test`` on the three-group "df3"
  data in statsmodels' test suite (statsmodels/stats/tests/test_robust_compare.py,
  ``TestTrimmedR1``; BSD-3), printed there to 15 digits;
  tests/fixtures/stats/statsmodels_df3.csv holds those data.
* R's documented ``kruskal.test`` examples (R's stats package, ?kruskal.test;
  their printed output is pinned in R's tests/Examples/stats-Ex.Rout.save):
  Hollander & Wolfe (1973, p. 116) mucociliary efficiency, and
  ``airquality`` Ozone by Month (tests/fixtures/stats/airquality_ozone.csv:
  R's datasets::airquality, columns Month, Day and Ozone).
* R's ``oneway.test`` on the same airquality data, as printed in R sessions.

Where a reference has only 3-5 printed digits the test checks that precision,
and cross-checks to 1e-10 against an independent implementation
(statsmodels.stats.oneway.anova_oneway, scipy.stats.kruskal / f_oneway).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator.compute.comparability import (
    ComparabilityError,
    TestResult,
    anova,
    brown_forsythe,
    compare,
    compare_defined,
    compare_groups,
    format_apa,
    kruskal_wallis,
    reading,
    welch,
)

STATS = Path(__file__).parents[1] / "fixtures" / "stats"


def nist_groups(name: str) -> dict[str, np.ndarray]:
    """Return a NIST StRD ANOVA dataset as {treatment: values}."""
    frame = pd.read_csv(STATS / f"nist_{name}.csv")
    factor, response = frame.columns
    return {str(level): rows[response].to_numpy() for level, rows in frame.groupby(factor)}


def df3_groups() -> dict[str, np.ndarray]:
    frame = pd.read_csv(STATS / "statsmodels_df3.csv")
    return {str(level): rows["y"].to_numpy(dtype=float) for level, rows in frame.groupby("g")}


def ozone_by_month() -> dict[str, np.ndarray]:
    frame = pd.read_csv(STATS / "airquality_ozone.csv").dropna(subset=["Ozone"])
    return {str(month): rows["Ozone"].to_numpy(dtype=float) for month, rows in frame.groupby("Month")}


# --- NIST StRD one-way ANOVA ------------------------------------------------

NIST_CERTIFIED = [
    # (dataset, difficulty, certified F, df between, df within); certified values
    # from the NIST StRD pages https://www.itl.nist.gov/div898/strd/anova/<name>.html
    ("sirstv", "lower", 1.18046237440255e00, 4, 20),  # SiRstv: "Between Instrument 4 ... 1.18046237440255E+00"
    ("smls01", "lower", 2.10000000000000e01, 8, 180),  # SmLs01: "Between Treatment 8 ... 2.10000000000000E+01"
    ("smls04", "average", 2.10000000000000e01, 8, 180),  # SmLs04: 7 constant leading digits
    ("atmwtag", "average", 1.59467335677930e01, 1, 46),  # AtmWtAg: "Between Instrument 1 ... 1.59467335677930E+01"
]


@pytest.mark.parametrize(("name", "difficulty", "certified_f", "df1", "df2"), NIST_CERTIFIED)
def test_anova_reproduces_nist_certified_values(
    name: str, difficulty: str, certified_f: float, df1: int, df2: int
) -> None:
    result = anova(nist_groups(name))
    assert result.df1 == df1 and result.df2 == df2
    # NIST certifies 15 digits; 1e-9 is what the data, stored as doubles, allow
    # for AtmWtAg (7 constant leading digits); the others agree to ~1e-13.
    assert result.statistic == pytest.approx(certified_f, rel=1e-9)


def test_anova_on_smls07_is_exact_for_the_data_a_double_can_hold() -> None:
    # SmLs07 ("higher difficulty", 13 constant leading digits): values such as
    # 1000000000000.4 are not representable in binary64 (spacing 1.2e-4 at 1e12),
    # so the data as stored already differ from NIST's and no float64 program
    # can reach the certified F = 21 to better than ~4e-5. We check instead
    # that our F is the exact F of the doubles (computed in rational
    # arithmetic), i.e. that the algorithm itself loses nothing.
    groups = nist_groups("smls07")
    result = anova(groups)
    exact = _exact_f([[Fraction(float(v)) for v in values] for values in groups.values()])
    assert result.statistic == pytest.approx(float(exact), rel=1e-12)
    # ...and the certified value (NIST SmLs07: F = 2.10000000000000E+01) to the float64 floor.
    assert result.statistic == pytest.approx(21.0, rel=1e-4)


def _exact_f(groups: list[list[Fraction]]) -> Fraction:
    """Return the one-way ANOVA F in exact rational arithmetic."""
    n = sum(len(g) for g in groups)
    grand = sum(sum(g) for g in groups) / n
    means = [sum(g) / len(g) for g in groups]
    between = sum(len(g) * (m - grand) ** 2 for g, m in zip(groups, means))
    within = sum(sum((x - m) ** 2 for x in g) for g, m in zip(groups, means))
    return (between / (len(groups) - 1)) / (within / (n - len(groups)))


@pytest.mark.parametrize("name", ["sirstv", "smls01", "smls04", "atmwtag"])
def test_heteroscedastic_tests_agree_with_statsmodels_on_nist_data(name: str) -> None:
    from statsmodels.stats.oneway import anova_oneway

    groups = nist_groups(name)
    data = list(groups.values())
    ours = compare(groups)
    theirs_welch = anova_oneway(data, use_var="unequal")
    theirs_bf = anova_oneway(data, use_var="bf")
    assert ours["welch"].statistic == pytest.approx(theirs_welch.statistic, rel=1e-8)
    assert ours["welch"].df2 == pytest.approx(theirs_welch.df_denom, rel=1e-8)
    assert ours["brown_forsythe"].statistic == pytest.approx(theirs_bf.statistic, rel=1e-8)
    assert ours["brown_forsythe"].df2 == pytest.approx(theirs_bf.df_denom, rel=1e-8)


# --- R oneway.test and onewaytests::bf.test (statsmodels' test suite) ---------


def test_classic_f_matches_r_oneway_test_equal_variances() -> None:
    # R: oneway.test(y ~ g, df3, var.equal = TRUE)
    # statsmodels/stats/tests/test_robust_compare.py, res_fa
    result = anova(df3_groups())
    assert result.statistic == pytest.approx(7.47403193349076, rel=1e-12)
    assert (result.df1, result.df2) == (2, 40)
    assert result.p == pytest.approx(0.00174643304119871, rel=1e-10)


def test_welch_matches_r_oneway_test_unequal_variances() -> None:
    # R: oneway.test(y ~ g, df3, var.equal = FALSE)
    # statsmodels/stats/tests/test_robust_compare.py, res_wa
    result = welch(df3_groups())
    assert result.statistic == pytest.approx(8.02355212103924, rel=1e-12)
    assert result.df1 == 2
    assert result.df2 == pytest.approx(24.272320628139, rel=1e-12)
    assert result.p == pytest.approx(0.00211423625518082, rel=1e-10)


def test_brown_forsythe_matches_r_onewaytests_bf_test() -> None:
    # R: onewaytests::bf.test(y ~ g, df3) -- Brown & Forsythe (1974) F* with
    # df1 = k - 1 and Satterthwaite df2 (not Mehrotra's 1997 df1).
    # statsmodels/stats/tests/test_robust_compare.py, res_bfm (and test_oneway.py test_means)
    result = brown_forsythe(df3_groups())
    assert result.statistic == pytest.approx(7.10900606421182, rel=1e-12)
    assert result.df1 == 2
    assert result.df2 == pytest.approx(31.4207256105052, rel=1e-12)
    assert result.p == pytest.approx(0.00283841965791224, rel=1e-10)


def test_brown_forsythe_is_not_levenes_median_test() -> None:
    # The Levene/Brown-Forsythe test of equal *variances* on df3 gives
    # 1.0866123063642 (lawstat, in statsmodels' test_oneway.py test_levene).
    assert brown_forsythe(df3_groups()).statistic != pytest.approx(1.0866123063642, rel=1e-3)


def test_one_way_tests_on_airquality_match_r() -> None:
    groups = ozone_by_month()
    # R: oneway.test(Ozone ~ Month, airquality, var.equal = TRUE)
    #    F = 8.5356, num df = 4, denom df = 111, p-value = 4.827e-06
    classic = anova(groups)
    assert classic.statistic == pytest.approx(8.5356, abs=5e-5)
    assert (classic.df1, classic.df2) == (4, 111)
    assert classic.p == pytest.approx(4.827e-06, abs=5e-10)
    # R: oneway.test(Ozone ~ Month, airquality, var.equal = FALSE)
    #    F = 8.0267, num df = 4.000, denom df = 42.668, p-value = 6.439e-05
    result = welch(groups)
    assert result.statistic == pytest.approx(8.0267, abs=5e-5)
    assert result.df2 == pytest.approx(42.668, abs=5e-4)
    assert result.p == pytest.approx(6.439e-05, abs=5e-9)


def test_airquality_cross_checked_against_statsmodels_and_scipy() -> None:
    from scipy import stats
    from statsmodels.stats.oneway import anova_oneway

    groups = ozone_by_month()
    data = list(groups.values())
    ours = compare(groups)
    classic = stats.f_oneway(*data)
    assert ours["anova"].statistic == pytest.approx(classic.statistic, rel=1e-10)
    assert ours["anova"].p == pytest.approx(classic.pvalue, rel=1e-10)
    unequal = anova_oneway(data, use_var="unequal")
    assert ours["welch"].statistic == pytest.approx(unequal.statistic, rel=1e-10)
    assert ours["welch"].df2 == pytest.approx(unequal.df_denom, rel=1e-10)
    assert ours["welch"].p == pytest.approx(unequal.pvalue, rel=1e-10)
    bf = anova_oneway(data, use_var="bf")
    # statsmodels keeps the original Brown-Forsythe df1 = k - 1 in df_num2 / pvalue2.
    assert ours["brown_forsythe"].statistic == pytest.approx(bf.statistic, rel=1e-10)
    assert ours["brown_forsythe"].df1 == bf.df_num2
    assert ours["brown_forsythe"].df2 == pytest.approx(bf.df_denom, rel=1e-10)
    assert ours["brown_forsythe"].p == pytest.approx(bf.pvalue2, rel=1e-10)
    kw = stats.kruskal(*data)
    assert ours["kruskal"].statistic == pytest.approx(kw.statistic, rel=1e-10)
    assert ours["kruskal"].p == pytest.approx(kw.pvalue, rel=1e-10)


# --- R kruskal.test -----------------------------------------------------------


def test_kruskal_wallis_matches_r_airquality_example() -> None:
    # R ?kruskal.test: kruskal.test(Ozone ~ Month, data = airquality)
    #   Kruskal-Wallis chi-squared = 29.267, df = 4, p-value = 6.901e-06
    result = kruskal_wallis(ozone_by_month())
    assert result.statistic == pytest.approx(29.267, abs=5e-4)
    assert result.df1 == 4 and result.df2 is None
    assert result.p == pytest.approx(6.901e-06, abs=5e-10)


def test_kruskal_wallis_matches_r_hollander_wolfe_example() -> None:
    # R ?kruskal.test, Hollander & Wolfe (1973), p. 116: mucociliary efficiency
    #   kruskal.test(list(x, y, z)): Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
    from scipy import stats

    groups = {
        "normal": [2.9, 3.0, 2.5, 2.6, 3.2],
        "obstructive airway disease": [3.8, 2.7, 4.0, 2.4],
        "asbestosis": [2.8, 3.4, 3.7, 2.2, 2.0],
    }
    result = kruskal_wallis(groups)
    assert result.statistic == pytest.approx(0.77143, abs=5e-6)
    assert result.df1 == 2
    assert result.p == pytest.approx(0.68, abs=5e-3)
    # No ties here, so H = 12/(N(N+1)) sum R^2/n - 3(N+1) exactly: 0.771428571...
    assert result.statistic == pytest.approx(27 / 35, rel=1e-12)
    assert result.p == pytest.approx(stats.kruskal(*groups.values()).pvalue, rel=1e-10)


def test_kruskal_wallis_tie_correction() -> None:
    # scipy's test_stats.py TestKruskal.test_three_groups: [1,1,1], [2,2,2], [2,2]
    # gives H = 5.0 before and 7.0 after the tie correction.
    result = kruskal_wallis({"a": [1, 1, 1], "b": [2, 2, 2], "c": [2, 2]})
    assert result.statistic == pytest.approx(7.0, rel=1e-12)


# --- Validation -----------------------------------------------------------------


def test_fewer_than_two_groups_is_an_error() -> None:
    with pytest.raises(ComparabilityError, match=r"at least two groups to compare; found 1 \('Northfield'\)"):
        compare_groups({"Northfield": [1.0, 2.0, 3.0]})


def test_a_group_of_one_is_named() -> None:
    with pytest.raises(ComparabilityError, match="group 'Southmoor' has 1 value;"):
        compare_groups({"Northfield": [1.0, 2.0], "Southmoor": [3.0]})
    with pytest.raises(ComparabilityError, match="Welch's F is undefined: group 'Southmoor' has 1 value;"):
        welch({"Northfield": [1.0, 2.0], "Southmoor": [3.0]})


def test_compare_defined_keeps_the_tests_the_data_allow() -> None:
    # A group of one: ANOVA and Kruskal-Wallis need no group variance (by hand F(1, 1) = 3, H(1) = 1.5;
    # scipy 1.17 stats.f_oneway([1, 2], [3]) and stats.kruskal([1, 2], [3]) give the same).
    found = compare_defined({"Northfield": [1.0, 2.0], "Southmoor": [3.0]})
    assert list(found.results) == ["anova", "kruskal"]
    assert found.results["anova"].statistic == pytest.approx(3.0) and found.results["kruskal"].statistic == pytest.approx(1.5)
    assert set(found.not_defined) == {"welch", "brown_forsythe"}
    assert all("'Southmoor' has 1 value" in reason for reason in found.not_defined.values())
    # One constant group: only Welch's infinite weight fails (by hand F = F* = 4.2; see tests/test_stats_cli.py).
    found = compare_defined({"A": [5.0, 5.0, 5.0], "B": [1.0, 2.0, 3.0], "C": [2.0, 4.0, 6.0]})
    assert list(found.results) == ["anova", "brown_forsythe", "kruskal"] and list(found.not_defined) == ["welch"]
    # The same data where every test is defined: compare_defined and compare agree exactly.
    assert compare_defined(df3_groups()).results == compare(df3_groups())
    assert compare_defined(df3_groups()).not_defined == {}
    with pytest.raises(ComparabilityError, match="no test is defined for these data: one-way ANOVA because"):
        compare_defined({"a": [1.0, 1.0], "b": [1.0, 1.0]})
    with pytest.raises(ComparabilityError, match="at least two groups"):
        compare_defined({"a": [1.0, 2.0]})


def test_missing_values_must_be_dropped_first() -> None:
    with pytest.raises(ComparabilityError, match="group 'b' has missing"):
        compare_groups({"a": [1.0, 2.0], "b": [3.0, float("nan"), 4.0]})


def test_welch_names_a_group_without_variation() -> None:
    with pytest.raises(ComparabilityError, match="Welch's F is undefined: group 'flat' has no variation"):
        welch({"flat": [5.0, 5.0, 5.0], "varied": [1.0, 2.0, 4.0]})
    # Brown-Forsythe still works: only the sum of the variances must be positive.
    assert brown_forsythe({"flat": [5.0, 5.0, 5.0], "varied": [1.0, 2.0, 4.0]}).df2 == pytest.approx(2.0)


def test_every_value_equal_is_an_error() -> None:
    with pytest.raises(ComparabilityError, match="no variation within any group"):
        anova({"a": [1.0, 1.0], "b": [1.0, 1.0]})
    with pytest.raises(ComparabilityError, match="every value is the same"):
        kruskal_wallis({"a": [1.0, 1.0], "b": [1.0, 1.0]})


def test_sequences_are_accepted_as_well_as_mappings() -> None:
    by_name = compare(df3_groups())
    by_position = compare(list(df3_groups().values()))
    assert by_name == by_position
    with pytest.raises(ComparabilityError, match="group 2"):
        compare([[1.0, 2.0], [3.0]])


# --- Reporting ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (TestResult("Welch's F", 0.1234, 4.0, 9.8123, 0.3571), "Welch's F(4, 9.81) = 0.12, p = .357"),
        (TestResult("Kruskal-Wallis H", 2.876, 4.0, None, 0.5789), "Kruskal-Wallis H(4) = 2.88, p = .579"),
        (TestResult("F", 7.474, 2.0, 40.0, 0.00174), "F(2, 40) = 7.47, p = .002"),
        (TestResult("Brown-Forsythe F*", 29.3, 4.0, 90.2114, 6.9e-6), "Brown-Forsythe F*(4, 90.21) = 29.30, p < .001"),
        (TestResult("F", 0.0001, 4.0, 20.0, 0.99996), "F(4, 20) = 0.00, p > .999"),
    ],
)
def test_format_apa(result: TestResult, expected: str) -> None:
    assert format_apa(result) == expected


def test_reading_when_no_test_finds_a_difference() -> None:
    results = compare(nist_groups("sirstv"))
    assert reading(results, measure="deprivation") == (
        "None of the four tests finds a difference between sites at the 5% level, "
        "so the sites can be treated as comparable in deprivation."
    )


def test_reading_when_all_tests_find_a_difference() -> None:
    assert reading(compare(ozone_by_month()), groups="months", measure="ozone") == (
        "All four tests find a difference between months at the 5% level, so the months differ in ozone."
    )


def test_reading_when_the_tests_disagree_names_them() -> None:
    results = {
        "anova": TestResult("F", 3.1, 2.0, 40.0, 0.04),
        "welch": TestResult("Welch's F", 2.1, 2.0, 20.0, 0.12),
        "brown_forsythe": TestResult("Brown-Forsythe F*", 2.9, 2.0, 30.0, 0.07),
        "kruskal": TestResult("Kruskal-Wallis H", 6.5, 2.0, None, 0.039),
    }
    assert reading(results) == (
        "ANOVA F and Kruskal-Wallis H find a difference between sites at the 5% level but Welch's F and "
        "Brown-Forsythe F* do not, so treat the sites as comparable only with caution."
    )
