"""Accuracy of the share, two-share and crosstab functions, against published values.

References, each cited beside its numbers:

* Newcombe (1998a), "Two-sided confidence intervals for the single
  proportion: comparison of seven methods", Statistics in Medicine 17,
  857-872, Table I (method 3, the Wilson score interval), 4 decimals. The rows
  81/263 and 15/148 are also pinned in the propint R package's tests
  ("ci.one.prop produces the results reported in Newcombe1998").
* Newcombe (1998b), "Interval estimation for the difference between
  independent proportions: comparison of eleven methods", Statistics in
  Medicine 17, 873-890, Table II: eight worked examples (a)-(h), methods 1
  (Wald), 2 (Wald with continuity correction) and 10 (hybrid score), 4
  decimals; as transcribed in DeepPSP/DBCI test/test-data/newcombee.csv, and
  (a), (b) also in propint's tests.
* R's ``binom::binom.confint(x, n, methods = "wilson")`` and
  ``prop.test(..., correct = FALSE)`` printed to 15-16 digits in statsmodels'
  test suite (statsmodels/stats/tests/results/results_proportion.py and
  test_proportion.py; BSD-3).
* R's documented examples: ``?prop.test`` (Fleiss 1981 smokers) and
  ``?chisq.test`` (Agresti 2007, p. 39, party by gender), printed output.
* Fagerland, Lydersen & Laake (2017), Statistical Analysis of Contingency
  Tables, Chapter 4 examples, as pinned in the contingencytables R package
  (tests/testthat/test-ch4.R).
* SciPy's ``chi2_contingency`` regression for Yates' correction (gh-13875).

Where a reference has only 4-5 printed digits the test checks those digits,
and cross-checks to 1e-10 against an independent implementation
(statsmodels.stats.proportion, scipy.stats.chi2_contingency).
"""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError
from decimal import Decimal, localcontext

import numpy as np
import pytest

from generator.compute.proportions import (
    CrosstabTest,
    ProportionsError,
    ShareInterval,
    TwoProportionTest,
    change_verdict,
    crosstab_chi_squared,
    format_chi_squared,
    format_share,
    newcombe_interval,
    two_proportion_test,
    wilson_interval,
)

# --- Wilson interval: published values ---------------------------------------------

NEWCOMBE_1998A_TABLE_I = [
    # (k, n, lower, upper): Newcombe (1998a) Table I, method 3 (score, no continuity correction)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "lower", "upper"), NEWCOMBE_1998A_TABLE_I)
def test_wilson_reproduces_newcombe_1998a_table_i(k: int, n: int, lower: float, upper: float) -> None:
    result = wilson_interval(k, n)
    assert result.share == k / n
    # Printed to 4 decimals, so agreement is to half a unit in the 4th decimal.
    assert result.lower == pytest.approx(lower, abs=5e-5)
    assert result.upper == pytest.approx(upper, abs=5e-5)


def test_wilson_for_0_of_10_is_newcombe_1998b_table_ii_upper_limit() -> None:
    # Newcombe (1998b) Table II example (f), 0/10 - 0/10, method 10: -0.2775 to 0.2775.
    # With both shares 0 the hybrid limits reduce to -u and +u, u = Wilson upper limit of 0/10.
    result = wilson_interval(0, 10)
    assert (result.lower, result.upper) == (0.0, pytest.approx(0.2775, abs=5e-5))


# R: binom.confint(x, n, tol = 1e-8)$upper / $lower for method "wilson",
# statsmodels/stats/tests/results/results_proportion.py (res_binom[...], last entry).
R_BINOM_WILSON = [
    (18, 20, 0.6989663547715128, 0.972133518786232),
    (4, 20, 0.0806576625797981, 0.4160174322518935),
    (4, 200, 0.00780442641634947, 0.05028708690582643),
    (190, 200, 0.910421851861224, 0.972617354399236),
]


@pytest.mark.parametrize(("k", "n", "lower", "upper"), R_BINOM_WILSON)
def test_wilson_matches_r_binom_confint_to_full_precision(k: int, n: int, lower: float, upper: float) -> None:
    result = wilson_interval(k, n)
    assert result.lower == pytest.approx(lower, rel=1e-12)
    assert result.upper == pytest.approx(upper, rel=1e-12)


@pytest.mark.parametrize(
    ("k", "n", "lower", "upper", "half_unit"),
    [
        # Same source, printed there to 7-8 significant digits; checked to half a unit
        # in the last printed digit (the largest of the two limits' half-units).
        (1, 30, 5.908590e-03, 0.16670391, 5e-9),
        (29, 30, 0.8332961, 0.9940914, 5e-8),
        (0, 30, 0.0, 0.11351339, 5e-9),
        (30, 30, 0.8864866, 1.0, 5e-8),
    ],
)
def test_wilson_matches_r_binom_confint_at_printed_digits(
    k: int, n: int, lower: float, upper: float, half_unit: float
) -> None:
    result = wilson_interval(k, n)
    assert result.lower == pytest.approx(lower, abs=half_unit)
    assert result.upper == pytest.approx(upper, abs=half_unit)


def test_wilson_matches_r_prop_test_conf_int() -> None:
    # R: prop.test(73, 86, p = 0.9, correct = FALSE)$conf.int
    # statsmodels/stats/tests/test_proportion.py, res_prop_test_1.conf_int
    result = wilson_interval(73, 86)
    assert result.lower == pytest.approx(0.758364348004061, rel=1e-12)
    assert result.upper == pytest.approx(0.9094787701686766, rel=1e-12)


def test_wilson_cross_checks_statsmodels_on_a_grid() -> None:
    from statsmodels.stats.proportion import proportion_confint

    for n in (1, 2, 3, 5, 10, 29, 100, 263, 1000, 12345):
        for k in sorted({0, 1, 2, n // 3, n // 2, n - 2, n - 1, n} & set(range(n + 1))):
            for confidence in (0.8, 0.9, 0.95, 0.99, 0.999):
                ours = wilson_interval(k, n, confidence)
                low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
                assert ours.lower == pytest.approx(low, rel=1e-10, abs=1e-15), (k, n, confidence)
                assert ours.upper == pytest.approx(high, rel=1e-10, abs=1e-15), (k, n, confidence)


def _wilson_exact(k: int, n: int, z: float) -> tuple[Decimal, Decimal]:
    """Return the Wilson limits in 60-digit decimal arithmetic for the same (double) z."""
    with localcontext() as context:
        context.prec = 60
        zd, kd, nd = Decimal(z), Decimal(k), Decimal(n)
        p = kd / nd
        centre = p + zd * zd / (2 * nd)
        root = zd * (p * (1 - p) / nd + zd * zd / (4 * nd * nd)).sqrt()
        scale = 1 + zd * zd / nd
        return (centre - root) / scale, (centre + root) / scale


@pytest.mark.parametrize(("k", "n"), [(1, 10**9), (3, 10**7), (1, 10**12), (5, 263), (10**9 - 1, 10**9)])
def test_wilson_keeps_full_relative_precision_for_tiny_shares(k: int, n: int) -> None:
    # The textbook lower limit (centre - root) / scale cancels when k/n is tiny
    # (about one digit lost at k = 1, n = 1e9: statsmodels is off by 1.3e-15 there,
    # 2.6e-15 at n = 1e12); the conjugate form share^2 / (centre + root) is not.
    from scipy import stats

    z = float(stats.norm.isf(0.025))
    lower, upper = _wilson_exact(k, n, z)
    result = wilson_interval(k, n)
    assert result.lower == pytest.approx(float(lower), rel=1e-15)
    assert result.upper == pytest.approx(float(upper), rel=1e-15)


# --- Wilson interval: edge cases and input checks --------------------------------


def test_wilson_is_exactly_0_at_k_0_and_exactly_1_at_k_n() -> None:
    none = wilson_interval(0, 77)
    assert none.share == 0.0 and none.lower == 0.0 and 0 < none.upper < 1
    every = wilson_interval(38, 38)  # statsmodels GH 7386: float error pushed this outside [0, 1]
    assert every.share == 1.0 and every.upper == 1.0 and 0 < every.lower < 1
    single = wilson_interval(1, 1)
    assert single.upper == 1.0 and single.lower == pytest.approx(1 - wilson_interval(0, 1).upper, rel=1e-15)


def test_wilson_result_is_frozen_and_documents_its_method() -> None:
    result = wilson_interval(81, 263, confidence=0.9)
    assert isinstance(result, ShareInterval)
    assert (result.k, result.n, result.confidence, result.method) == (81, 263, 0.9, "wilson")
    with pytest.raises(FrozenInstanceError):
        result.k = 1  # type: ignore[misc]


def test_wider_confidence_gives_a_wider_interval() -> None:
    narrow, wide = wilson_interval(15, 148, 0.9), wilson_interval(15, 148, 0.99)
    assert wide.lower < narrow.lower < narrow.share < narrow.upper < wide.upper


def test_wilson_accepts_integral_floats_and_numpy_integers() -> None:
    assert wilson_interval(np.int64(81), 263.0) == wilson_interval(81, 263)


@pytest.mark.parametrize(
    ("k", "n", "confidence", "message"),
    [
        (1, 0, 0.95, "n = 0: a share needs at least one observation"),
        (0, 0, 0.95, "n = 0: a share needs at least one observation"),
        (300, 263, 0.95, "k = 300 is larger than n = 263; expected 0 <= k <= n"),
        (-1, 10, 0.95, "k: expected 0 or more, got -1"),
        (1, -10, 0.95, "n: expected 0 or more, got -10"),
        (2.5, 10, 0.95, "k: expected a whole number, got 2.5"),
        (True, 10, 0.95, "k: expected a whole number, got True"),
        ("3", 10, 0.95, "k: expected a whole number, got '3'"),
        (3, 10, 0.0, "confidence: expected a level between 0 and 1 (e.g. 0.95), got 0"),
        (3, 10, 1.0, "confidence: expected a level between 0 and 1 (e.g. 0.95), got 1"),
        (3, 10, 95, "confidence: expected a level between 0 and 1 (e.g. 0.95), got 95 (did you mean 0.95?)"),
        (3, 10, float("nan"), "confidence: expected a level between 0 and 1 (e.g. 0.95), got nan"),
    ],
)
def test_wilson_rejects_bad_input_with_a_clear_value_error(
    k: object, n: object, confidence: float, message: str
) -> None:
    with pytest.raises(ValueError) as error:
        wilson_interval(k, n, confidence)  # type: ignore[arg-type]
    assert isinstance(error.value, ProportionsError)
    assert str(error.value) == message


def test_format_share_reads_as_a_sentence() -> None:
    assert format_share(wilson_interval(81, 263)) == "81 of 263 = 30.8% (95% Wilson interval 25.5% to 36.6%)"
    assert format_share(wilson_interval(0, 10, 0.9)) == "0 of 10 = 0.0% (90% Wilson interval 0.0% to 21.3%)"
    assert format_share(wilson_interval(1, 29, 0.995)).startswith("1 of 29 = 3.4% (99.5% Wilson interval")


# --- Two shares: Newcombe (1998b) Table II ---------------------------------------

NEWCOMBE_1998B_EXAMPLES = [
    # (example, k1, n1, k2, n2, method 10 lower, upper); Newcombe (1998b) Table II
    ("a", 56, 70, 48, 80, 0.0524, 0.3339),
    ("b", 9, 10, 3, 10, 0.1705, 0.8090),
    ("c", 6, 7, 2, 7, 0.0582, 0.8062),
    ("d", 5, 56, 0, 29, -0.0381, 0.1926),
    ("e", 0, 10, 0, 20, -0.1611, 0.2775),
    ("f", 0, 10, 0, 10, -0.2775, 0.2775),
    ("g", 10, 10, 0, 20, 0.6791, 1.0000),
    ("h", 10, 10, 0, 10, 0.6075, 1.0000),
]


@pytest.mark.parametrize(("example", "k1", "n1", "k2", "n2", "lower", "upper"), NEWCOMBE_1998B_EXAMPLES)
def test_hybrid_score_interval_reproduces_newcombe_1998b_method_10(
    example: str, k1: int, n1: int, k2: int, n2: int, lower: float, upper: float
) -> None:
    result = two_proportion_test(k1, n1, k2, n2)
    assert result.ci_method == "newcombe"
    assert result.difference == pytest.approx(k1 / n1 - k2 / n2, abs=1e-15)
    assert result.lower == pytest.approx(lower, abs=5e-5)
    assert result.upper == pytest.approx(upper, abs=5e-5)
    assert newcombe_interval(k1, n1, k2, n2) == (result.lower, result.upper)


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "lower", "upper"),
    [
        # Newcombe (1998b) Table II, method 1 (simple asymptotic, "Wald"); R's prop.test(correct = FALSE)
        (56, 70, 48, 80, 0.0575, 0.3425),
        (9, 10, 3, 10, 0.2605, 0.9395),
        (6, 7, 2, 7, 0.1481, 0.9947),
        (5, 56, 0, 29, 0.0146, 0.1640),
        (10, 10, 0, 20, 1.0, 1.0),  # zero width: one of the aberrations Newcombe lists
    ],
)
def test_wald_interval_reproduces_newcombe_method_1(
    k1: int, n1: int, k2: int, n2: int, lower: float, upper: float
) -> None:
    result = two_proportion_test(k1, n1, k2, n2, ci_method="wald")
    assert (result.lower, result.upper) == (pytest.approx(lower, abs=5e-5), pytest.approx(upper, abs=5e-5))


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "lower", "upper"),
    [
        # Newcombe (1998b) Table II, method 2 (Wald with continuity correction), where
        # it agrees with R's prop.test(correct = TRUE): the correction is 0.5 (1/n1 + 1/n2)
        # and R truncates an upper limit above 1 (blank in Newcombe's table) to 1.
        (56, 70, 48, 80, 0.0441, 0.3559),
        (9, 10, 3, 10, 0.1605, 1.0),
        (6, 7, 2, 7, 0.0053, 1.0),
        (5, 56, 0, 29, -0.0116, 0.1901),
        (10, 10, 0, 20, 0.9250, 1.0),
        (10, 10, 0, 10, 0.9000, 1.0),
    ],
)
def test_continuity_corrected_wald_reproduces_newcombe_method_2(
    k1: int, n1: int, k2: int, n2: int, lower: float, upper: float
) -> None:
    result = two_proportion_test(k1, n1, k2, n2, continuity=True, ci_method="wald")
    assert (result.lower, result.upper) == (pytest.approx(lower, abs=5e-5), pytest.approx(upper, abs=5e-5))


def test_r_caps_the_continuity_correction_at_the_difference() -> None:
    # Newcombe's method 2 gives -0.075 to 0.075 for example (e), 0/10 - 0/20; R's
    # prop.test uses YATES = min(0.5, |d| / (1/n1 + 1/n2)) = 0 there, so (0, 0). We follow R.
    result = two_proportion_test(0, 10, 0, 20, continuity=True, ci_method="wald")
    assert (result.lower, result.upper) == (0.0, 0.0)


def test_perondi_trial_reproduces_fagerland_lydersen_laake() -> None:
    # Fagerland, Lydersen & Laake (2017) ch. 4, high- vs standard-dose epinephrine
    # (Perondi et al. 2004), 7/34 vs 1/34; contingencytables tests/testthat/test-ch4.R:
    # "estimate = 0.1765 (95% CI 0.0189 to 0.3404)" (Newcombe hybrid score),
    # "0.0292 to 0.3238" (Wald), "-0.0002 to 0.3532" (Wald with continuity correction).
    newcombe = two_proportion_test(7, 34, 1, 34)
    assert newcombe.difference == pytest.approx(0.1765, abs=5e-5)
    assert (newcombe.lower, newcombe.upper) == (pytest.approx(0.0189, abs=5e-5), pytest.approx(0.3404, abs=5e-5))
    wald = two_proportion_test(7, 34, 1, 34, ci_method="wald")
    assert (wald.lower, wald.upper) == (pytest.approx(0.0292, abs=5e-5), pytest.approx(0.3238, abs=5e-5))
    # R PropCIs::wald2ci(7, 34, 1, 34, 0.95, adjust = "Wald"): 0.02916942 0.32377176
    # (statsmodels/stats/tests/test_proportion.py, test_confint_2indep_propcis)
    assert (wald.lower, wald.upper) == (pytest.approx(0.02916942, abs=5e-9), pytest.approx(0.32377176, abs=5e-9))
    corrected = two_proportion_test(7, 34, 1, 34, continuity=True, ci_method="wald")
    assert (corrected.lower, corrected.upper) == (
        pytest.approx(-0.0002, abs=5e-5),
        pytest.approx(0.3532, abs=5e-5),
    )


def test_continuity_corrected_test_matches_r_prop_test() -> None:
    # R: prop.test(x = c(490, 400), n = c(500, 500)), correct = TRUE by default
    # (Emory University, Math 117 "Two-sample proportion tests" tech tip, printed output):
    # X-squared = 80.909, df = 1, p-value < 2.2e-16; 95 percent CI 0.1408536 0.2191464.
    result = two_proportion_test(490, 500, 400, 500, continuity=True, ci_method="wald")
    assert result.continuity is True
    assert result.chi_squared == pytest.approx(80.909, abs=5e-4)
    assert result.p < 2.2e-16
    assert result.lower == pytest.approx(0.1408536, abs=5e-8)
    assert result.upper == pytest.approx(0.2191464, abs=5e-8)


# R pairwise two-sample p-values, uncorrected, for the "smokers2" data
# x = c(73, 90, 114, 75), n = c(86, 93, 136, 82); statsmodels/stats/tests/
# test_proportion.py, TestProportion.res_ppt_pvals_raw (pairs 2-1, 3-1, 4-1, 3-2, 4-2, 4-3).
SMOKERS2 = [(73, 86), (90, 93), (114, 136), (75, 82)]
PAIRWISE_P = [
    ((1, 0), 0.00533824886503131),
    ((2, 0), 0.8327574849753566),
    ((3, 0), 0.1880573726722516),
    ((2, 1), 0.002026764254350234),
    ((3, 1), 0.1309487516334318),
    ((3, 2), 0.1076118730631731),
]


@pytest.mark.parametrize(("pair", "p"), PAIRWISE_P)
def test_two_proportion_p_matches_pinned_pairwise_values(pair: tuple[int, int], p: float) -> None:
    (k1, n1), (k2, n2) = SMOKERS2[pair[0]], SMOKERS2[pair[1]]
    assert two_proportion_test(k1, n1, k2, n2).p == pytest.approx(p, rel=1e-12)
    assert two_proportion_test(k2, n2, k1, n1).p == pytest.approx(p, rel=1e-12)  # symmetric


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2"),
    [(56, 70, 48, 80), (9, 10, 3, 10), (5, 56, 0, 29), (7, 34, 1, 34), (5, 83, 12, 99), (490, 500, 400, 500),
     (1, 1000, 0, 1000), (10, 10, 0, 20), (1234, 5678, 987, 4321)],
)  # fmt: skip
def test_two_proportion_test_cross_checks_statsmodels_and_scipy(k1: int, n1: int, k2: int, n2: int) -> None:
    from scipy.stats import chi2_contingency
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    result = two_proportion_test(k1, n1, k2, n2)
    z, p = proportions_ztest([k1, k2], [n1, n2])
    assert result.z == pytest.approx(z, rel=1e-10)
    assert result.p == pytest.approx(p, rel=1e-10)
    assert result.chi_squared == pytest.approx(result.z**2, rel=1e-15)
    table = [[k1, n1 - k1], [k2, n2 - k2]]
    for continuity in (False, True):
        ours = two_proportion_test(k1, n1, k2, n2, continuity=continuity)
        theirs = chi2_contingency(table, correction=continuity)
        assert ours.chi_squared == pytest.approx(theirs.statistic, rel=1e-10, abs=1e-300)
        assert ours.p == pytest.approx(theirs.pvalue, rel=1e-10)
        assert math.copysign(1, ours.z) == math.copysign(1, ours.difference) or ours.z == 0
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
    assert (result.lower, result.upper) == (pytest.approx(low, rel=1e-10), pytest.approx(high, rel=1e-10))
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="wald", compare="diff", correction=False)
    wald = two_proportion_test(k1, n1, k2, n2, ci_method="wald")
    # statsmodels does not truncate at +-1, R does.
    assert (wald.lower, wald.upper) == (pytest.approx(max(low, -1), rel=1e-10), pytest.approx(min(high, 1), rel=1e-10))


def test_two_proportion_z_agrees_with_the_2x2_crosstab() -> None:
    test = two_proportion_test(56, 70, 48, 80)
    table = crosstab_chi_squared([[56, 14], [48, 32]])
    assert test.chi_squared == pytest.approx(table.chi_squared, rel=1e-13)
    assert test.p == pytest.approx(table.p, rel=1e-12)
    corrected = two_proportion_test(56, 70, 48, 80, continuity=True)
    assert corrected.chi_squared == pytest.approx(crosstab_chi_squared([[56, 14], [48, 32]], yates=True).chi_squared)


def test_z_is_signed_like_the_difference() -> None:
    up, down = two_proportion_test(56, 70, 48, 80), two_proportion_test(48, 80, 56, 70)
    assert up.z > 0 and down.z < 0 and up.z == pytest.approx(-down.z, rel=1e-15)
    assert (down.lower, down.upper) == (pytest.approx(-up.upper, rel=1e-14), pytest.approx(-up.lower, rel=1e-14))
    assert two_proportion_test(5, 10, 10, 20).z == 0.0  # equal shares


def test_test_is_undefined_when_both_samples_are_all_no_or_all_yes_but_the_interval_is_not() -> None:
    # R: prop.test(c(0, 0), c(10, 20), correct = FALSE) gives X-squared = NaN, p-value = NA.
    for args in ((0, 10, 0, 20), (10, 10, 20, 20)):
        result = two_proportion_test(*args)
        assert math.isnan(result.z) and math.isnan(result.chi_squared) and math.isnan(result.p)
        assert result.difference == 0.0 and result.lower < 0 < result.upper
        assert not result.significant()
        assert change_verdict(result) == "no clear change"


def test_two_proportion_result_is_frozen_with_its_settings() -> None:
    result = two_proportion_test(56, 70, 48, 80, confidence=0.9)
    assert isinstance(result, TwoProportionTest)
    assert (result.k1, result.n1, result.k2, result.n2) == (56, 70, 48, 80)
    assert (result.share1, result.share2, result.confidence, result.continuity) == (0.8, 0.6, 0.9, False)
    with pytest.raises(FrozenInstanceError):
        result.p = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((5, 4, 1, 10), {}, "k1 = 5 is larger than n1 = 4; expected 0 <= k1 <= n1"),
        ((1, 10, 1, 0), {}, "n2 = 0: a share needs at least one observation"),
        ((1, 10, -1, 10), {}, "k2: expected 0 or more, got -1"),
        ((1, 10, 1, 10), {"confidence": 1.5}, "confidence: expected a level between 0 and 1 (e.g. 0.95), got 1.5"),
        ((1, 10, 1, 10), {"ci_method": "exact"}, "ci_method: expected 'newcombe' or 'wald', got 'exact'"),
    ],
)
def test_two_proportion_test_rejects_bad_input(
    args: tuple[int, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ProportionsError) as error:
        two_proportion_test(*args, **kwargs)  # type: ignore[arg-type]
    assert str(error.value) == message


# --- Verdicts --------------------------------------------------------------------


def test_change_verdict_claims_a_change_only_when_p_is_below_alpha() -> None:
    rise = two_proportion_test(56, 70, 48, 80)  # 80% now vs 60% before, p = .008
    assert rise.p == pytest.approx(0.008045, abs=5e-7)
    assert change_verdict(rise) == "improved"
    assert change_verdict(rise, higher_is_better=False) == "deteriorated"
    assert change_verdict(rise, alpha=0.005) == "no clear change"
    fall = two_proportion_test(48, 80, 56, 70)
    assert change_verdict(fall) == "deteriorated"
    assert change_verdict(fall, higher_is_better=False) == "improved"
    small = two_proportion_test(5, 56, 0, 29)  # p = .097
    assert change_verdict(small) == "no clear change"
    assert change_verdict(small, alpha=0.1) == "improved"


def test_change_verdict_needs_p_strictly_below_alpha() -> None:
    rise = two_proportion_test(56, 70, 48, 80)
    assert change_verdict(rise, alpha=rise.p) == "no clear change"
    assert change_verdict(rise, alpha=math.nextafter(rise.p, 1)) == "improved"


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.05, 5.0])
def test_change_verdict_rejects_a_bad_alpha(alpha: float) -> None:
    with pytest.raises(ProportionsError, match="alpha: expected a level between 0 and 1"):
        change_verdict(two_proportion_test(56, 70, 48, 80), alpha=alpha)


# --- Crosstab chi-squared --------------------------------------------------------

AGRESTI_PARTY_BY_GENDER = [[762, 327, 468], [484, 239, 477]]  # R ?chisq.test, from Agresti (2007) p. 39


def test_crosstab_reproduces_r_chisq_test_example() -> None:
    # R: chisq.test(M) prints "X-squared = 30.07, df = 2, p-value = 2.954e-07"
    # (5 significant digits for the statistic, i.e. 30.070; 4 for the p-value);
    # Xsq$expected: 703.6714 319.6453 533.6834 / 542.3286 246.3547 411.3166.
    result = crosstab_chi_squared(AGRESTI_PARTY_BY_GENDER)
    assert isinstance(result, CrosstabTest)
    assert result.chi_squared == pytest.approx(30.070, abs=5e-4)
    assert result.df == 2
    assert result.p == pytest.approx(2.954e-07, abs=5e-11)
    r_expected = [[703.6714, 319.6453, 533.6834], [542.3286, 246.3547, 411.3166]]
    np.testing.assert_allclose(result.expected, r_expected, atol=5e-5, rtol=0)
    assert result.n == 2757 and result.yates is False
    assert (result.small_expected, result.n_small_expected) == (False, 0)
    assert result.min_expected == pytest.approx(246.3547, abs=5e-5)
    assert format_chi_squared(result) == "χ²(2) = 30.07, p < .001"


def test_crosstab_reproduces_r_prop_test_example_for_four_groups() -> None:
    # R ?prop.test, Fleiss (1981) p. 139: smokers <- c(83, 90, 129, 70);
    # patients <- c(86, 93, 136, 82); prop.test(smokers, patients) prints
    # "X-squared = 12.6, df = 3, p-value = 0.005585" (no continuity correction for k > 2).
    table = [[s, n - s] for s, n in zip((83, 90, 129, 70), (86, 93, 136, 82))]
    result = crosstab_chi_squared(table)
    assert result.chi_squared == pytest.approx(12.600, abs=5e-4)
    assert result.df == 3
    assert result.p == pytest.approx(0.005585, abs=5e-7)
    assert format_chi_squared(result) == "χ²(3) = 12.60, p = .006"


def test_crosstab_matches_r_prop_test_to_full_precision() -> None:
    # R: prop.test(smokers2, patients, correct = FALSE) with smokers2 = c(73, 90, 114, 75)
    # statsmodels/stats/tests/test_proportion.py, res_prop_test: statistic and p_value
    table = [[s, n - s] for s, n in SMOKERS2]
    result = crosstab_chi_squared(table)
    assert result.chi_squared == pytest.approx(11.11938768628861, rel=1e-12)
    assert result.df == 3
    assert result.p == pytest.approx(0.011097511366581344, rel=1e-12)


def test_yates_correction_reproduces_fagerland_lydersen_laake() -> None:
    # contingencytables tests/testthat/test-ch4.R, n = rbind(c(3, 1), c(1, 3)):
    # "Pearson chi-squared test: P = 0.15730, T = 2.000 (df = 1)" and, with
    # continuity correction, "P = 0.47950, T = 0.500 (df = 1)".
    plain = crosstab_chi_squared([[3, 1], [1, 3]])
    assert plain.chi_squared == pytest.approx(2.000, abs=5e-4) and plain.df == 1
    assert plain.p == pytest.approx(0.15730, abs=5e-6)
    corrected = crosstab_chi_squared([[3, 1], [1, 3]], yates=True)
    assert corrected.yates is True
    assert corrected.chi_squared == pytest.approx(0.500, abs=5e-4)
    assert corrected.p == pytest.approx(0.47950, abs=5e-6)
    # every expected count is 2, so the table is flagged
    assert (corrected.small_expected, corrected.n_small_expected, corrected.min_expected) == (True, 4, 2.0)


def test_yates_correction_never_exceeds_the_gap() -> None:
    # SciPy gh-13875 (scipy/stats/tests/test_contingency.py): |O - E| = 0.0076 < 0.5,
    # so R and SciPy correct by the gap itself and the statistic is 0, p = 1.
    result = crosstab_chi_squared([[1573, 3], [4, 0]], yates=True)
    assert result.chi_squared == 0.0 and result.p == 1.0


def test_crosstab_cross_checks_scipy_on_random_tables() -> None:
    from scipy.stats import chi2_contingency

    rng = np.random.default_rng(20240601)
    for _ in range(200):
        rows, columns = rng.integers(2, 6, size=2)
        table = rng.integers(1, 60, size=(rows, columns))
        ours = crosstab_chi_squared(table)
        theirs = chi2_contingency(table, correction=False)
        assert ours.chi_squared == pytest.approx(theirs.statistic, rel=1e-10)
        assert ours.p == pytest.approx(theirs.pvalue, rel=1e-10)
        assert ours.df == theirs.dof
        np.testing.assert_allclose(ours.expected, theirs.expected_freq, rtol=1e-12)
        assert ours.small_expected == bool(np.any(theirs.expected_freq < 5))
    for _ in range(100):
        table = rng.integers(0, 30, size=(2, 2)) + 1
        ours = crosstab_chi_squared(table, yates=True)
        theirs = chi2_contingency(table, correction=True)
        assert ours.chi_squared == pytest.approx(theirs.statistic, rel=1e-10, abs=1e-12)
        assert ours.p == pytest.approx(theirs.pvalue, rel=1e-10)


def test_crosstab_accepts_non_integer_counts_and_numpy_arrays() -> None:
    # Weighted survey counts are not whole numbers; R's chisq.test accepts them too.
    weighted = crosstab_chi_squared(np.array(AGRESTI_PARTY_BY_GENDER) * 0.5)
    assert weighted.chi_squared == pytest.approx(30.070149095754672 / 2, rel=1e-12)


@pytest.mark.parametrize(
    ("table", "kwargs", "message"),
    [
        (AGRESTI_PARTY_BY_GENDER, {"yates": True},
         "Yates' continuity correction applies only to a 2 x 2 table; this one is 2 x 3"),
        ([[1, 2, 3]], {}, "expected a table with at least 2 rows and 2 columns, got 1 x 3"),
        ([1, 2, 3], {}, "expected a table with at least 2 rows and 2 columns, got 3"),
        ([[1, 2], [3, -1]], {}, "counts must be finite and 0 or more"),
        ([[1, 2], [3, float("nan")]], {}, "counts must be finite and 0 or more"),
        ([[1, 2], [0, 0], [3, 4]], {}, "row 2 has no counts, so its expected counts are 0; leave it out"),
        ([[1, 0, 2], [3, 0, 4]], {}, "column 2 has no counts, so its expected counts are 0; leave it out"),
        ([["a", "b"], ["c", "d"]], {}, "expected a table of counts (could not convert string to float: 'a')"),
    ],
)  # fmt: skip
def test_crosstab_rejects_bad_tables(table: object, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ProportionsError) as error:
        crosstab_chi_squared(table, **kwargs)  # type: ignore[arg-type]
    assert str(error.value) == message


def test_format_chi_squared_uses_apa_p_values() -> None:
    assert format_chi_squared(crosstab_chi_squared([[3, 1], [1, 3]])) == "χ²(1) = 2.00, p = .157"
    assert format_chi_squared(crosstab_chi_squared([[10, 10], [10, 10]])) == "χ²(1) = 0.00, p > .999"
