"""`generator stats proportion|crosstab`: published results reproduced through the command line.

Reference values and their sources are the ones documented in
tests/compute/test_proportions.py. The crosstab fixtures are published tables
expanded to one row per person, rows shuffled, as a survey export would be:

* tests/fixtures/stats/agresti_party_gender.csv: R's ?chisq.test example,
  party identification by gender (Agresti 2007, p. 39), 2,757 respondents;
* tests/fixtures/stats/fleiss_smokers.csv: R's ?prop.test example, smokers
  among patients in four samples (Fleiss 1981, p. 139), 397 patients.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from generator.cli import main

STATS = Path(__file__).parent / "fixtures" / "stats"
AGRESTI = STATS / "agresti_party_gender.csv"
FLEISS = STATS / "fleiss_smokers.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out), err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Return argparse's message for a command line it rejects (exit 2)."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    assert exit_info.value.code == 2
    return capsys.readouterr().err


# --- stats proportion -----------------------------------------------------------


def test_proportion_prints_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    # Newcombe (1998a) Table I: 81/263 -> 0.2553 to 0.3662
    status, out, err = run(capsys, "stats", "proportion", "81", "263")
    assert status == 0 and err == ""
    assert out == "81 of 263 = 30.8% (95% Wilson interval 25.5% to 36.6%)\n"


def test_proportion_json_reproduces_newcombe_and_r(capsys: pytest.CaptureFixture[str]) -> None:
    payload, err = run_json(capsys, "stats", "proportion", "81", "263")
    assert err == ""
    assert list(payload) == ["k", "n", "share", "lower", "upper", "confidence", "method"]
    assert (payload["k"], payload["n"], payload["confidence"], payload["method"]) == (81, 263, 0.95, "wilson")
    assert payload["share"] == pytest.approx(81 / 263, rel=1e-15)
    assert payload["lower"] == pytest.approx(0.2553, abs=5e-5)  # Newcombe (1998a) Table I
    assert payload["upper"] == pytest.approx(0.3662, abs=5e-5)
    # R: prop.test(73, 86, correct = FALSE)$conf.int (statsmodels' test suite, res_prop_test_1)
    payload, _ = run_json(capsys, "stats", "proportion", "73", "86")
    assert payload["lower"] == pytest.approx(0.758364348004061, rel=1e-12)
    assert payload["upper"] == pytest.approx(0.9094787701686766, rel=1e-12)


def test_proportion_at_the_edges(capsys: pytest.CaptureFixture[str]) -> None:
    payload, _ = run_json(capsys, "stats", "proportion", "0", "10")
    assert payload["lower"] == 0.0 and payload["upper"] == pytest.approx(0.2775, abs=5e-5)  # Newcombe (1998b)
    payload, _ = run_json(capsys, "stats", "proportion", "10", "10")
    assert payload["upper"] == 1.0 and payload["lower"] == pytest.approx(1 - 0.2775, abs=5e-5)


def test_proportion_confidence_option(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "stats", "proportion", "15", "148", "--confidence", "0.99")
    assert status == 0
    assert out.startswith("15 of 148 = 10.1% (99% Wilson interval ")
    payload, _ = run_json(capsys, "stats", "proportion", "15", "148", "--confidence", "0.99")
    assert payload["confidence"] == 0.99
    assert payload["lower"] < 0.0624 and payload["upper"] > 0.1605  # wider than the 95% interval


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["300", "263"], "error: k = 300 is larger than n = 263; expected 0 <= k <= n\n"),
        (["-3", "263"], "error: k: expected 0 or more, got -3\n"),
        (["0", "0"], "error: n = 0: a share needs at least one observation\n"),
        (["3", "10", "--confidence", "95"],
         "error: confidence: expected a level between 0 and 1 (e.g. 0.95), got 95 (did you mean 0.95?)\n"),
        (["3", "10", "--confidence", "0"], "error: confidence: expected a level between 0 and 1 (e.g. 0.95), got 0\n"),
        (["3", "10", "--confidence", "1"], "error: confidence: expected a level between 0 and 1 (e.g. 0.95), got 1\n"),
    ],
)  # fmt: skip
def test_proportion_bad_input_is_a_usage_error_without_traceback(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, "stats", "proportion", *argv)
    assert status == 2 and out == ""
    assert err == message


def test_proportion_needs_whole_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, "stats", "proportion", "2.5", "10")
    assert "argument K: expected a whole number, got '2.5'" in err
    err = usage_error(capsys, "stats", "proportion", "3", "ten")
    assert "argument N: expected a whole number, got 'ten'" in err
    assert "Traceback" not in err


# --- stats crosstab ---------------------------------------------------------------


def test_crosstab_json_reproduces_r_chisq_test(capsys: pytest.CaptureFixture[str]) -> None:
    payload, err = run_json(capsys, "stats", "crosstab", str(AGRESTI), "--row", "gender", "--col", "party")
    assert err == ""
    assert list(payload) == [
        "table", "chi_squared", "df", "p", "yates", "n", "n_dropped", "small_expected", "expected",
    ]  # fmt: skip
    assert payload["table"] == {
        "F": {"Democrat": 762, "Independent": 327, "Republican": 468},
        "M": {"Democrat": 484, "Independent": 239, "Republican": 477},
    }
    # R: chisq.test(M): X-squared = 30.07, df = 2, p-value = 2.954e-07
    assert payload["chi_squared"] == pytest.approx(30.070, abs=5e-4)
    assert payload["df"] == 2
    assert payload["p"] == pytest.approx(2.954e-07, abs=5e-11)
    assert (payload["yates"], payload["n"], payload["n_dropped"], payload["small_expected"]) == (False, 2757, 0, False)
    # R: Xsq$expected
    assert payload["expected"]["F"]["Democrat"] == pytest.approx(703.6714, abs=5e-5)
    assert payload["expected"]["M"]["Independent"] == pytest.approx(246.3547, abs=5e-5)


def test_crosstab_text_shows_counts_totals_and_the_test(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "stats", "crosstab", str(AGRESTI), "--row", "gender", "--col", "party")
    assert status == 0 and err == ""
    assert out == (
        "'gender' (rows) by 'party' (columns), n = 2757\n"
        "\n"
        "  gender  Democrat  Independent  Republican  Total\n"
        "  F            762          327         468   1557\n"
        "  M            484          239         477   1200\n"
        "  Total       1246          566         945   2757\n"
        "\n"
        "Pearson's χ²(2) = 30.07, p < .001\n"
    )


def test_crosstab_transposed_gives_the_same_test(capsys: pytest.CaptureFixture[str]) -> None:
    payload, _ = run_json(capsys, "stats", "crosstab", str(AGRESTI), "--row", "party", "--col", "gender")
    assert payload["table"]["Independent"] == {"F": 327, "M": 239}
    assert payload["chi_squared"] == pytest.approx(30.070149095754672, rel=1e-12)


def test_crosstab_reproduces_r_prop_test_smokers(capsys: pytest.CaptureFixture[str]) -> None:
    # R ?prop.test: prop.test(smokers, patients): X-squared = 12.6, df = 3, p-value = 0.005585
    payload, _ = run_json(capsys, "stats", "crosstab", str(FLEISS), "--row", "sample", "--col", "smoker")
    assert payload["table"] == {
        "1": {"no": 3, "yes": 83},
        "2": {"no": 3, "yes": 90},
        "3": {"no": 7, "yes": 129},
        "4": {"no": 12, "yes": 70},
    }
    assert payload["chi_squared"] == pytest.approx(12.600, abs=5e-4)
    assert payload["df"] == 3
    assert payload["p"] == pytest.approx(0.005585, abs=5e-7)
    assert payload["small_expected"] is False  # smallest expected count 5.16


def test_crosstab_drops_missing_values_tolerates_a_bom_and_keeps_integer_labels(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = pd.read_csv(FLEISS)
    frame.columns = ["Hospital", "Smokes?"]
    extra = pd.DataFrame({"Hospital": [None, 2, 3, None], "Smokes?": ["yes", None, "  ", None]})
    frame = pd.concat([frame, extra]).sample(frac=1.0, random_state=3)
    path = tmp_path / "survey.csv"
    path.write_text(frame.to_csv(index=False), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    payload, err = run_json(capsys, "stats", "crosstab", str(path), "--row", "Hospital", "--col", "Smokes?")
    # the row with both cells blank is no case at all (the CSV intake skips it, as every reader of the tool does)
    assert err == "note: dropped 3 rows with a missing 'Hospital' or 'Smokes?'\n"
    assert payload["n_dropped"] == 3 and payload["n"] == 397
    assert list(payload["table"]) == ["1", "2", "3", "4"]  # not '1.0': the blank made the column float
    assert payload["chi_squared"] == pytest.approx(12.600411297127634, rel=1e-12)


def test_crosstab_yates_on_a_2x2_table_notes_small_expected_counts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Fagerland, Lydersen & Laake (2017), n = rbind(c(3, 1), c(1, 3)): with continuity
    # correction T = 0.500, P = 0.47950; every expected count is 2.
    rows = [("A", "yes")] * 3 + [("A", "no")] + [("B", "yes")] + [("B", "no")] * 3
    path = tmp_path / "small.csv"
    path.write_text("group,answer\n" + "".join(f"{g},{a}\n" for g, a in rows))
    payload, _ = run_json(capsys, "stats", "crosstab", str(path), "--row", "group", "--col", "answer", "--yates")
    assert payload["yates"] is True
    assert payload["chi_squared"] == pytest.approx(0.500, abs=5e-4)
    assert payload["p"] == pytest.approx(0.47950, abs=5e-6)
    assert payload["small_expected"] is True
    status, out, err = run(capsys, "stats", "crosstab", str(path), "--row", "group", "--col", "answer", "--yates")
    assert status == 0 and err == ""
    assert "Pearson's χ²(1) = 0.50, p = .480 with Yates' continuity correction\n" in out
    assert out.endswith(
        "Note: 4 of 4 expected counts are below 5 (smallest 2.00), so the chi-squared p-value may be "
        "inaccurate; merge small categories or use an exact test.\n"
    )
    # without --yates: T = 2.000, P = 0.15730
    payload, _ = run_json(capsys, "stats", "crosstab", str(path), "--row", "group", "--col", "answer")
    assert payload["yates"] is False
    assert payload["chi_squared"] == pytest.approx(2.000, abs=5e-4)
    assert payload["p"] == pytest.approx(0.15730, abs=5e-6)


def test_yates_on_a_larger_table_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "stats", "crosstab", str(AGRESTI), "--row", "gender", "--col", "party", "--yates"
    )
    assert status == 2 and out == ""
    assert err == (
        f"error: {AGRESTI}: --yates applies only to a 2 x 2 table; 'gender' by 'party' is 2 x 3\n"
    )


def test_crosstab_unknown_column_lists_columns_and_suggests_one(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "stats", "crosstab", str(AGRESTI), "--row", "Gender", "--col", "party")
    assert status == 2
    assert err == f"error: {AGRESTI}: --row: no column 'Gender' (did you mean 'gender'?); columns: gender, party\n"
    status, _, err = run(capsys, "stats", "crosstab", str(AGRESTI), "--row", "gender", "--col", "partie")
    assert status == 2
    assert "--col: no column 'partie' (did you mean 'party'?); columns: gender, party" in err


def test_crosstab_of_a_column_with_itself_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "stats", "crosstab", str(AGRESTI), "--row", "party", "--col", "party")
    assert status == 2
    assert "--row and --col both name 'party'" in err


def test_crosstab_with_one_category_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("wave,answer\n1,yes\n1,no\n,yes\n")
    status, out, err = run(capsys, "stats", "crosstab", str(path), "--row", "wave", "--col", "answer")
    assert status == 1 and out == ""
    assert err == (
        "note: dropped 1 row with a missing 'wave' or 'answer'\n"
        f"error: {path}: --row 'wave' needs at least two categories to test; found 1 ('1')\n"
    )


def test_crosstab_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "stats", "crosstab", str(tmp_path / "nope.csv"), "--row", "a", "--col", "b")
    assert status == 2
    assert "nope.csv: no such file" in err


@pytest.mark.parametrize("command", ["proportion", "crosstab"])
def test_help_documents_exit_status(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "exit status:" in out and "1  the data cannot be analysed" in out
    assert "--yates on a table that is not 2 x 2" in out
