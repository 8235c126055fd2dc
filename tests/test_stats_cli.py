"""`generator stats compare|growth`: published results reproduced through the command line.

Reference values and their sources are the ones documented in
tests/compute/test_comparability.py and tests/compute/test_growth.py; here
they are reached through CSV files the CLI reads for the first time (some
written to a temporary folder with a BOM, shuffled rows and new column names).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from generator.cli import main

STATS = Path(__file__).parent / "fixtures" / "stats"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out), err


# --- stats compare ------------------------------------------------------------


def test_compare_json_reproduces_r_on_airquality(capsys: pytest.CaptureFixture[str]) -> None:
    payload, err = run_json(
        capsys, "stats", "compare", str(STATS / "airquality_ozone.csv"), "--group", "Month", "--value", "Ozone"
    )
    assert set(payload) == {"anova", "welch", "brown_forsythe", "kruskal", "not_defined", "n_dropped", "groups"}
    assert payload["not_defined"] == {}
    # R: kruskal.test(Ozone ~ Month, data = airquality)  (R's ?kruskal.test example)
    #    Kruskal-Wallis chi-squared = 29.267, df = 4, p-value = 6.901e-06
    assert set(payload["kruskal"]) == {"statistic", "df", "p"}
    assert payload["kruskal"]["statistic"] == pytest.approx(29.267, abs=5e-4)
    assert payload["kruskal"]["df"] == 4
    assert payload["kruskal"]["p"] == pytest.approx(6.901e-06, abs=5e-10)
    # R: oneway.test(Ozone ~ Month, airquality, var.equal = FALSE)
    #    F = 8.0267, num df = 4.000, denom df = 42.668, p-value = 6.439e-05
    assert set(payload["welch"]) == {"statistic", "df1", "df2", "p"}
    assert payload["welch"]["statistic"] == pytest.approx(8.0267, abs=5e-5)
    assert payload["welch"]["df2"] == pytest.approx(42.668, abs=5e-4)
    assert payload["welch"]["p"] == pytest.approx(6.439e-05, abs=5e-9)
    # R: oneway.test(Ozone ~ Month, airquality, var.equal = TRUE): F = 8.5356, 4 and 111 df
    assert payload["anova"]["statistic"] == pytest.approx(8.5356, abs=5e-5)
    assert (payload["anova"]["df1"], payload["anova"]["df2"]) == (4, 111)
    # 37 days without an ozone reading (R: sum(is.na(airquality$Ozone)) == 37)
    assert payload["n_dropped"] == 37
    assert payload["groups"] == {"5": 26, "6": 9, "7": 26, "8": 26, "9": 29}
    assert "dropped 37 rows" in err


@pytest.mark.parametrize(
    ("name", "certified_f", "df1", "df2"),
    [
        ("sirstv", 1.18046237440255e00, 4, 20),  # NIST StRD SiRstv certified F
        ("atmwtag", 1.59467335677930e01, 1, 46),  # NIST StRD AtmWtAg certified F
    ],
)
def test_compare_reproduces_nist_on_a_fresh_csv_with_bom(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, certified_f: float, df1: int, df2: int
) -> None:
    frame = pd.read_csv(STATS / f"nist_{name}.csv")
    frame.columns = ["site", "imd_score"]
    frame["site"] = "LA " + frame["site"].astype(str)
    frame = frame.sample(frac=1.0, random_state=7)  # row order must not matter
    path = tmp_path / "sites.csv"
    path.write_text(frame.to_csv(index=False, float_format="%.10g"), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    payload, err = run_json(capsys, "stats", "compare", str(path), "--group", "site", "--value", "imd_score")
    assert payload["anova"]["statistic"] == pytest.approx(certified_f, rel=1e-9)
    assert (payload["anova"]["df1"], payload["anova"]["df2"]) == (df1, df2)
    assert payload["n_dropped"] == 0 and err == ""


def test_compare_json_reproduces_r_welch_and_bf_test(capsys: pytest.CaptureFixture[str]) -> None:
    df3 = str(STATS / "statsmodels_df3.csv")
    payload, _ = run_json(capsys, "stats", "compare", df3, "--group", "g", "--value", "y")
    # R oneway.test(var.equal = FALSE) and onewaytests::bf.test on statsmodels' df3
    # (statsmodels/stats/tests/test_robust_compare.py)
    assert payload["welch"]["statistic"] == pytest.approx(8.02355212103924, rel=1e-12)
    assert payload["welch"]["df2"] == pytest.approx(24.272320628139, rel=1e-12)
    assert payload["brown_forsythe"]["statistic"] == pytest.approx(7.10900606421182, rel=1e-12)
    assert payload["brown_forsythe"]["df1"] == 2
    assert payload["brown_forsythe"]["df2"] == pytest.approx(31.4207256105052, rel=1e-12)
    assert payload["brown_forsythe"]["p"] == pytest.approx(0.00283841965791224, rel=1e-10)
    assert payload["groups"] == {"1": 13, "2": 16, "3": 14}


def test_compare_text_prints_apa_lines_and_a_reading(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(STATS / "nist_sirstv.csv")
    status, out, err = run(capsys, "stats", "compare", path, "--group", "instrument", "--value", "resistance")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "'resistance' across 5 groups of 'instrument' (n = 25; 1: 5, 2: 5, 3: 5, 4: 5, 5: 5)"
    assert "F(4, 20) = 1.18, p = .349" in lines[1]
    assert "Welch's F(4, " in lines[2]
    assert "Brown-Forsythe F*(4, " in lines[3]
    assert "Kruskal-Wallis H(4) = " in lines[4]
    assert lines[-1].startswith("None of the four tests finds a difference between groups at the 5% level")


def test_non_numeric_values_are_dropped_and_counted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("site,score\nA,1\nA,2\nA,n/a\nB,3\nB,5\nB,\n,4\nC,7\nC,9\nD,none\n")
    payload, err = run_json(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score")
    assert payload["n_dropped"] == 4
    assert payload["groups"] == {"A": 2, "B": 2, "C": 2}
    assert err.splitlines() == [
        "note: dropped 4 rows with a missing or non-numeric 'score' or a missing 'site'",
        "note: group 'D' has no numeric 'score' and is left out",
    ]


def test_fewer_than_two_groups_exits_1_without_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("site,score\nA,1\nA,2\n")
    status, out, err = run(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score")
    assert status == 1 and out == ""
    assert err == f"error: {path}: need at least two groups to compare; found 1 ('A')\n"


def test_a_group_of_one_reports_anova_and_kruskal_and_says_why_not_the_others(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("site,score\nNorthfield,1\nNorthfield,2\nSouthmoor,3\n")
    payload, err = run_json(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score")
    assert err == ""
    # By hand: means 1.5 and 3, grand mean 2; SS between = 2(0.5^2) + 1^2 = 1.5, SS within = 0.5, so
    # F(1, 1) = 3 and p = 1 - (2/pi) atan(sqrt 3) = 1/3 (scipy 1.17 stats.f_oneway([1, 2], [3]): 3.0, 0.3333).
    assert payload["anova"] == {"statistic": pytest.approx(3.0, rel=1e-12), "df1": 1, "df2": 1,
                                "p": pytest.approx(1 / 3, rel=1e-12)}
    # Ranks 1, 2 | 3, no ties: H = 12/(3*4) (3^2/2 + 3^2/1) - 3*4 = 1.5 on 1 df
    # (scipy 1.17 stats.kruskal([1, 2], [3]): 1.5, p = 0.22067136191984324)
    assert payload["kruskal"] == {"statistic": pytest.approx(1.5, rel=1e-12), "df": 1,
                                  "p": pytest.approx(0.22067136191984324, rel=1e-12)}
    assert payload["welch"] is None and payload["brown_forsythe"] is None
    assert payload["not_defined"] == {
        "welch": "group 'Southmoor' has 1 value; every group needs at least 2 to estimate its variance",
        "brown_forsythe": "group 'Southmoor' has 1 value; every group needs at least 2 to estimate its variance",
    }


# One group whose values are all the same: A = 5, 5, 5; B = 1, 2, 3; C = 2, 4, 6.
ONE_CONSTANT = "site,score\n" + "".join(f"{g},{v}\n" for g, v in
                                       [("A", 5), ("A", 5), ("A", 5), ("B", 1), ("B", 2), ("B", 3),
                                        ("C", 2), ("C", 4), ("C", 6)])


def test_one_constant_group_reports_every_test_that_is_defined(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(ONE_CONSTANT)
    payload, err = run_json(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score")
    assert err == ""
    # By hand: means 5, 2, 4, grand mean 11/3; SS between = 3(16 + 25 + 1)/9 = 14, SS within = 0 + 2 + 8 = 10,
    # F(2, 6) = (14/2)/(10/6) = 4.2. scipy 1.17 stats.f_oneway(...): 4.2, p = 0.07233796296296294.
    assert payload["anova"]["statistic"] == pytest.approx(4.2, rel=1e-12)
    assert (payload["anova"]["df1"], payload["anova"]["df2"]) == (2, 6)
    assert payload["anova"]["p"] == pytest.approx(0.07233796296296294, rel=1e-12)
    # Brown-Forsythe: F* = 14 / ((2/3)(0 + 1 + 4)) = 4.2; c = (0, 1/5, 4/5), 1/df2 = (1/25 + 16/25)/2, df2 = 50/17.
    # statsmodels 0.15 anova_oneway(..., use_var="bf"): statistic 4.2, df_denom 2.9411764705882355,
    # pvalue2 (df1 = k - 1, as onewaytests::bf.test) 0.137414887430398.
    bf = payload["brown_forsythe"]
    assert bf["statistic"] == pytest.approx(4.2, rel=1e-12) and bf["df1"] == 2
    assert bf["df2"] == pytest.approx(50 / 17, rel=1e-12)
    assert bf["p"] == pytest.approx(0.137414887430398, rel=1e-10)
    # Kruskal-Wallis: rank sums 21, 7.5, 16.5; H = 12/90 (769.5/3) - 30 = 4.2 before, and 4.2 / (1 - 30/720)
    # = 100.8/23 after the tie correction (ties of 2 and 3). scipy 1.17 stats.kruskal(...): 4.382608695652177,
    # p = 0.11177086541147106.
    assert payload["kruskal"]["statistic"] == pytest.approx(100.8 / 23, rel=1e-12)
    assert payload["kruskal"]["p"] == pytest.approx(0.11177086541147106, rel=1e-10)
    # R: oneway.test(score ~ site, var.equal = FALSE) gives NaN here: the weight n/s^2 of A is infinite.
    assert payload["welch"] is None
    assert payload["not_defined"] == {"welch": "group 'A' has no variation (every value is the same), "
                                               "so its weight n/s^2 is infinite"}

    status, out, err = run(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[1] == "  one-way ANOVA    F(2, 6) = 4.20, p = .072"
    assert lines[2] == ("  Welch            not defined: group 'A' has no variation (every value is the same), "
                        "so its weight n/s^2 is infinite")
    assert lines[3] == "  Brown-Forsythe   Brown-Forsythe F*(2, 2.94) = 4.20, p = .137"
    assert lines[4] == "  Kruskal-Wallis   Kruskal-Wallis H(2) = 4.38, p = .112"
    assert lines[-1].startswith("None of the three tests finds a difference")


def test_only_kruskal_wallis_when_every_group_is_constant(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("site,score\nA,1\nA,1\nB,2\nB,2\n")
    payload, _ = run_json(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score")
    # Ranks 1.5, 1.5 | 3.5, 3.5: H = 12/20 (9/2 + 49/2) - 15 = 2.4, over 1 - 12/60 = 3.0
    # (scipy 1.17 stats.kruskal([1, 1], [2, 2]): 3.0, p = 0.0832645166635504)
    assert payload["kruskal"]["statistic"] == pytest.approx(3.0, rel=1e-12)
    assert payload["kruskal"]["p"] == pytest.approx(0.0832645166635504, rel=1e-10)
    assert [key for key in ("anova", "welch", "brown_forsythe") if payload[key] is None] == ["anova", "welch", "brown_forsythe"]
    assert payload["not_defined"]["anova"] == "no variation within any group"
    assert payload["not_defined"]["welch"].startswith("groups 'A', 'B' have no variation")


def test_no_test_defined_exits_1_with_every_reason(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("site,score\nA,4\nA,4\nB,4\nB,4\n")
    status, out, err = run(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score")
    assert status == 1 and out == ""
    assert err == (f"error: {path}: no test is defined for these data: one-way ANOVA because no variation within "
                   "any group; Welch's F because groups 'A', 'B' have no variation (every value is the same), so "
                   "their weights n/s^2 are infinite; Brown-Forsythe F* because no variation within any group; "
                   "Kruskal-Wallis H because every value is the same\n")
    assert "Traceback" not in err


def test_unknown_column_lists_columns_and_suggests_one(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(STATS / "airquality_ozone.csv")
    status, _, err = run(capsys, "stats", "compare", path, "--group", "month", "--value", "Ozone")
    assert status == 2
    assert err.strip() == (
        f"error: {STATS / 'airquality_ozone.csv'}: --group: no column 'month' (did you mean 'Month'?); "
        "columns: Month, Day, Ozone"
    )


def test_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "stats", "compare", str(tmp_path / "nope.csv"), "--group", "a", "--value", "b")
    assert status == 2
    assert "nope.csv: no such file" in err


def test_help_documents_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "compare", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "exit status:" in out and "1  the data cannot be analysed" in out


# --- stats growth -------------------------------------------------------------


def test_growth_json_reproduces_lme4_dietox(capsys: pytest.CaptureFixture[str]) -> None:
    # lme4: lmer(Weight ~ Time + (1 + Time | Pig), data = dietox), REML, as in
    # statsmodels/regression/tests/test_lme.py test_dietox_slopes. The CLI counts
    # time from the first week (Time = 1), so the intercept and its variance are
    # lme4's re-expressed at Time = 1; the slope, its variance, sigma^2 and the
    # log-likelihood do not depend on the origin.
    payload, err = run_json(
        capsys, "stats", "growth", str(STATS / "dietox.csv"),
        "--unit", "Pig", "--time", "Time", "--value", "Weight", "--linear",
    )  # fmt: skip
    assert err == ""
    assert payload["method"] == "REML" and payload["converged"] is True and payload["singular"] is False
    assert (payload["n_units"], payload["n_obs"], payload["n_dropped"]) == (72, 861, 0)
    assert payload["time_origin"] == 1.0
    assert list(payload["fixed_effects"]) == ["intercept", "slope"]
    slope = payload["fixed_effects"]["slope"]
    assert slope["estimate"] == pytest.approx(6.939014, abs=5e-7)  # fixef(r)["Time"]
    assert slope["se"] == pytest.approx(0.0798254, rel=2e-6)  # sqrt(diag(vcov(r)))[2]
    assert set(slope) == {"estimate", "se", "ci_low", "ci_high", "p"}
    assert payload["fixed_effects"]["intercept"]["estimate"] == pytest.approx(15.738650 + 6.939014, abs=1e-6)
    random = payload["random_effects"]
    var_intercept, covariance, var_slope = 19.4934552, 0.2938323, 0.4160620  # as.numeric(VarCorr(r)[[1]])
    assert random["slope_variance"] == pytest.approx(var_slope, rel=2e-6)
    assert random["intercept_variance"] == pytest.approx(var_intercept + 2 * covariance + var_slope, rel=2e-6)
    assert random["covariance"] == pytest.approx(covariance + var_slope, rel=2e-6)
    assert payload["residual_variance"] == pytest.approx(6.03745, rel=2e-6)  # attr(VarCorr(r), "sc")^2
    assert payload["log_likelihood"] == pytest.approx(-2217.047, abs=5e-4)  # logLik(r)
    assert payload["notes"] == []


def test_growth_json_says_singular_for_a_boundary_fit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Six LAs on one line (zero-mean, zero-trend noise within each): the LAs' own
    # intercept and slope variances are 0, a boundary (singular) fit in lme4's
    # sense. The fit is still a verified maximum, so the exit status is 0, and
    # both the JSON and stderr say it is singular.
    noise = [1, -1, -1, 1]
    lines = ["la,year,spend"] + [
        f"LA{la},{2019 + year},{100 + 5 * year + (1 if la % 2 else -1) * noise[year]}" for la in range(6) for year in range(4)
    ]
    path = tmp_path / "flat.csv"
    path.write_text("\n".join(lines) + "\n")
    payload, err = run_json(capsys, "stats", "growth", str(path), "--unit", "la", "--time", "year", "--value", "spend", "--linear")
    assert payload["singular"] is True and payload["converged"] is True
    assert payload["notes"] and payload["notes"][0].startswith("boundary (singular) fit")
    assert "warning: boundary (singular) fit" in err
    assert payload["fixed_effects"]["slope"]["estimate"] == pytest.approx(5.0, rel=1e-9)
    status, out, _ = run(capsys, "stats", "growth", str(path), "--unit", "la", "--time", "year", "--value", "spend", "--linear")
    assert status == 0 and "— boundary (singular) fit" in out.splitlines()[0]


def test_growth_json_reproduces_lme4_sleepstudy(capsys: pytest.CaptureFixture[str]) -> None:
    # lme4 1.1-37.9000 reference site (github.com/lme4/lme4 docs/reference/):
    # lmer(Reaction ~ Days + (Days | Subject), sleepstudy): fixef 10.46729 for Days,
    # vcov 2.389466, VarCorr variance 35.072, logLik -871.8141. Days starts at 0,
    # so the CLI's origin (the first period) is lme4's.
    payload, _ = run_json(
        capsys, "stats", "growth", str(STATS / "lme4_sleepstudy.csv"),
        "--unit", "Subject", "--time", "Days", "--value", "Reaction", "--linear",
    )  # fmt: skip
    assert payload["converged"] is True and payload["singular"] is False
    assert payload["fixed_effects"]["slope"]["estimate"] == pytest.approx(10.46729, abs=5e-6)
    assert payload["fixed_effects"]["slope"]["se"] == pytest.approx(2.389466**0.5, rel=1e-4)
    assert payload["random_effects"]["slope_variance"] == pytest.approx(35.072, rel=1e-4)
    assert payload["log_likelihood"] == pytest.approx(-871.8141, abs=5e-5)


def test_growth_ml_switch(capsys: pytest.CaptureFixture[str]) -> None:
    payload, _ = run_json(
        capsys, "stats", "growth", str(STATS / "dietox.csv"),
        "--unit", "Pig", "--time", "Time", "--value", "Weight", "--linear", "--ml",
    )  # fmt: skip
    assert payload["method"] == "ML"
    assert payload["log_likelihood"] == pytest.approx(-2215.753, abs=5e-4)  # lme4 logLik, REML = FALSE
    assert payload["fixed_effects"]["slope"]["estimate"] == pytest.approx(6.93902, abs=5e-6)


def test_growth_text_with_a_predictor(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "stats", "growth", str(STATS / "dietox.csv"),
        "--unit", "Pig", "--time", "Time", "--value", "Weight", "--predictor", "Cu",
    )  # fmt: skip
    assert status == 0, err
    assert out.startswith("Growth model of 'Weight' over 'Time' (curve with fixed curvature), 72 units of 'Pig'")
    for label in ("intercept", "slope", "curvature", "Cu ", "Cu x time", "intercept variance", "slope variance",
                  "covariance", "residual variance", "restricted log-likelihood (REML)"):  # fmt: skip
        assert label in out


def test_growth_with_too_few_units_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    path.write_text("la,year,spend\nA,2019,1\nA,2020,2\nA,2021,4\nB,2019,2\nB,2020,3\nB,2021,5\nC,2019,\n")
    status, out, err = run(capsys, "stats", "growth", str(path), "--unit", "la", "--time", "year", "--value", "spend")
    assert status == 1 and out == ""
    assert "need at least 3 units with complete data" in err
    assert "found 2 in 'la' after dropping 1 incomplete row\n" in err


def test_growth_unknown_predictor_column(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        capsys, "stats", "growth", str(STATS / "dietox.csv"),
        "--unit", "Pig", "--time", "Time", "--value", "Weight", "--predictor", "cu",
    )  # fmt: skip
    assert status == 2
    assert "--predictor: no column 'cu' (did you mean 'Cu'?)" in err


# --- the CSV intake: a real panel saved the way Excel and publishers save it ----------------


def test_compare_reads_a_real_panel_saved_as_windows_1252_with_separators_and_symbols(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, shared_data: Path) -> None:
    import csv

    from scipy import stats

    with (shared_data / "england_la_panel/merged_data.csv").open(encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["time_period"] == "2022" and r["region_name"] not in ("", "NA")]
    # The independent computation: scipy's one-way ANOVA on the values as the csv module reads them.
    groups: dict[str, list[float]] = {}
    for r in rows[5:]:
        if r["population_0_16"] != "NA":
            groups.setdefault(r["region_name"], []).append(float(r["population_0_16"]))
    expected = stats.f_oneway(*groups.values())
    lines = ["Region;Children aged 0-16 (£ not used)"]  # a header with a non-ASCII character
    for index, r in enumerate(rows):
        # the first five rows suppressed as a publisher would; the rest with thousands separators
        whole, _, decimals = r["population_0_16"].partition(".")
        value = ("c", "[x]", "..", "x", "z")[index] if index < 5 else f"{int(whole):,}" + (f".{decimals}" * bool(decimals))
        lines.append(f"{r['region_name']};\"{value}\"" if r["population_0_16"] != "NA" else f"{r['region_name']};NA")
    assert any("," in line.split(";")[1] for line in lines[6:])
    path = tmp_path / "panel.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\nSource: ONS mid-year estimates;\r\n").encode("cp1252"))
    payload, err = run_json(capsys, "stats", "compare", str(path), "--group", "Region",
                            "--value", "Children aged 0-16 (£ not used)")
    assert payload["anova"]["statistic"] == pytest.approx(expected.statistic, rel=1e-9)
    assert payload["anova"]["p"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert payload["n_dropped"] == 5 + sum(r["population_0_16"] == "NA" for r in rows)
    assert len(payload["groups"]) == len(groups) == 10  # the nine regions, London split into inner and outer


def test_rows_of_the_wrong_length_are_all_reported_with_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("site,score\nA,1\nA,2,3\nB\nB,4\n", encoding="utf-8")
    status, out, err = run(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score")
    assert status == 1 and out == ""
    assert err.splitlines()[:2] == [
        f"{path}:3: expected 2 cells as in the header, found 3",
        f"{path}:4: expected 2 cells as in the header, found 1",
    ]
