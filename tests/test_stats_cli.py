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
    assert set(payload) == {"anova", "welch", "brown_forsythe", "kruskal", "n_dropped", "groups"}
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


def test_a_group_of_one_exits_1_naming_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("site,score\nNorthfield,1\nNorthfield,2\nSouthmoor,3\n")
    status, _, err = run(capsys, "stats", "compare", str(path), "--group", "site", "--value", "score", "--json")
    assert status == 1
    assert "group 'Southmoor' has 1 value; every group needs at least 2" in err
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
