"""Survey and report-card charts: the plotted numbers, the words, Welsh labels and deterministic bytes."""

from __future__ import annotations

import pytest

from generator.charts import cache, curve, likert, waves
from generator.compute.proportions import change_verdict, two_proportion_test, wilson_interval
from generator.compute.surveys import QuestionResult, QuestionWave
from generator.content.models import PerformanceMeasure, Point, SurveyOption, SurveyQuestion

SOURCE = "Source: Harrowmere family survey, waves 1-3. Fictional data."

SCALE = [("1", "Strongly disagree", "Anghytuno'n gryf"), ("2", "Disagree", "Anghytuno"),
         ("3", "Neither agree nor disagree", "Ddim yn cytuno nac yn anghytuno"), ("4", "Agree", "Cytuno"),
         ("5", "Strongly agree", None)]  # the last has no Welsh label: the English one stands in


def question(options=SCALE, direction: str = "positive_high") -> SurveyQuestion:  # type: ignore[no-untyped-def]
    return SurveyQuestion(
        id="dignity", kind="likert", column="Q1", text="Staff treated me with dignity and respect",
        text_cy="Cefais fy nhrin ag urddas a pharch gan y staff",
        options=[SurveyOption(code=c, label=e, label_cy=w) for c, e, w in options],
        non_substantive=[SurveyOption(code="DK", label="Don't know", label_cy="Ddim yn gwybod"),
                         SurveyOption(code="PNS", label="Prefer not to say")],
        direction=direction)


def wave(q: SurveyQuestion, wave_id: str, counts: dict[str, int], apart: dict[str, int]) -> QuestionWave:
    from generator.compute.surveys import positive_codes

    answered = sum(counts.values())
    positive = sum(counts.get(c, 0) for c in positive_codes(q))
    return QuestionWave(wave_id, f"Wave {wave_id}", counts, apart, 0, answered,
                        wilson_interval(positive, answered) if answered else None)


def result(q: SurveyQuestion | None = None, *both: QuestionWave) -> QuestionResult:
    q = q or question()
    found = list(both) or [
        # 160 answered; positive (Agree + Strongly agree) 60 + 33 = 93 = 58.1%
        wave(q, "1", {"1": 12, "2": 25, "3": 30, "4": 60, "5": 33}, {"DK": 9, "PNS": 3}),
        # 177 answered; positive 80 + 62 = 142 = 80.2%
        wave(q, "2", {"1": 3, "2": 10, "3": 22, "4": 80, "5": 62}, {"DK": 4, "PNS": 0}),
    ]
    shares = [w.positive for w in found if w.positive is not None]
    change = verdict = None
    if len(shares) >= 2:
        change = two_proportion_test(shares[-1].k, shares[-1].n, shares[0].k, shares[0].n)
        verdict = str(change_verdict(change))
    return QuestionResult(q, found, change, verdict)


def measure(higher_is_better: bool = True) -> PerformanceMeasure:
    return PerformanceMeasure(
        id="reviews", name="Reviews held on time", group="how_well", unit="%", higher_is_better=higher_is_better,
        history=[Point(period=p, value=v) for p, v in [("2013-14", 71), ("2014-15", 74), ("2015-16", 69), ("2016-17", 66)]],
        forecast=[Point(period=p, value=v) for p, v in [("2017-18", 64), ("2018-19", 62)]], target=85)


# --- likert ---------------------------------------------------------------------


def test_rounded_shares_add_up_to_exactly_100() -> None:
    assert likert.rounded_shares([1, 1, 1]) == [33.4, 33.3, 33.3]
    assert likert.rounded_shares([0, 0]) == [0.0, 0.0]
    for counts in ([12, 25, 30, 60, 33], [3, 10, 22, 80, 62], [1, 2, 3, 4, 5, 6, 7]):
        assert sum(round(s * 10) for s in likert.rounded_shares(counts)) == 1000


def test_likert_shares_sum_to_100_with_the_neutral_option_split_either_side() -> None:
    data = likert.prepare(result(), None, SOURCE)
    first, last = data.payload["waves"]
    shares = [s["share"] for s in first["segments"]]
    # 12/160 = 7.5, 25/160 = 15.625, 30/160 = 18.75, 60/160 = 37.5, 33/160 = 20.625
    assert shares == [7.5, 15.6, 18.8, 37.5, 20.6]
    assert sum(round(s * 10) for s in shares) == 1000
    assert sum(round(s["share"] * 10) for s in last["segments"]) == 1000
    neutral = first["segments"][2]
    assert neutral["start"] == pytest.approx(-neutral["share"] / 2)  # centred on zero
    assert first["left_total"] == pytest.approx(7.5 + 15.6 + 18.8 / 2)
    assert first["right_total"] == pytest.approx(37.5 + 20.6 + 18.8 / 2)
    assert first["segments"][0]["start"] == pytest.approx(-first["left_total"])
    ends = [s["start"] + s["share"] for s in first["segments"]]
    assert ends[-1] == pytest.approx(first["right_total"])
    assert [o["side"] for o in data.payload["scale"]] == ["negative", "negative", "neutral", "positive", "positive"]


def test_likert_keeps_dont_know_off_the_scale_but_in_the_table_and_alt_text() -> None:
    data = likert.prepare(result(), None, SOURCE)
    codes = [s["code"] for s in data.payload["waves"][0]["segments"]]
    assert codes == ["1", "2", "3", "4", "5"]
    assert data.table_header == ["Wave", "Strongly disagree (%)", "Disagree (%)", "Neither agree nor disagree (%)",
                                 "Agree (%)", "Strongly agree (%)", "Answered", "Don't know", "Prefer not to say",
                                 "Positive (%)"]
    assert data.table_rows[0] == ["Wave 1", 7.5, 15.6, 18.8, 37.5, 20.6, 160, 9, 3, 58.1]
    assert data.table_rows[1][6:] == [177, 4, 0, 80.2]
    assert "not on the scale: Don't know 9, Prefer not to say 3" in data.alt
    off_scale = [r for r in data.csv_rows if r["on_scale"] == "no"]
    assert [(r["code"], r["count"], r["percent_of_answered"]) for r in off_scale] == [
        ("DK", 9, ""), ("PNS", 3, ""), ("DK", 4, ""), ("PNS", 0, "")]
    on_scale = [r["percent_of_answered"] for r in data.csv_rows if r["on_scale"] == "yes" and r["wave"] == "Wave 1"]
    assert on_scale == [s["share"] for s in data.payload["waves"][0]["segments"]]


def test_likert_alt_text_gives_each_waves_positive_share_and_the_change() -> None:
    data = likert.prepare(result(), None, SOURCE)
    assert data.kind == "likert" and data.title == "Staff treated me with dignity and respect"
    assert "Wave 1: 160 substantive answers, 58.1% positive" in data.alt
    assert "Wave 2: 177 substantive answers, 80.2% positive" in data.alt
    assert "Strongly disagree 7.5%" in data.alt
    # 142/177 - 93/160 = 0.8023 - 0.5813 = +22.1 points, p < 0.001
    assert "the positive share rose by 22.1 points" in data.alt
    assert data.alt.endswith(": improved.")


def test_likert_even_scale_and_positive_low_scale() -> None:
    four = [("A", "Very good", None), ("B", "Good", None), ("C", "Poor", None), ("D", "Very poor", None)]
    q = question(four, direction="positive_low")  # best first: the chart turns it round
    data = likert.prepare(result(q, wave(q, "1", {"A": 10, "B": 30, "C": 40, "D": 20}, {})), None, SOURCE)
    assert [o["label"] for o in data.payload["scale"]] == ["Very poor", "Poor", "Good", "Very good"]
    assert "neutral" not in {o["side"] for o in data.payload["scale"]}
    only = data.payload["waves"][0]
    assert [s["share"] for s in only["segments"]] == [20.0, 40.0, 30.0, 10.0]
    assert only["left_total"] == 60.0 and only["right_total"] == 40.0
    assert only["segments"][2]["start"] == pytest.approx(0.0)  # the favourable side starts at zero
    assert "split" not in data.payload["subtitle"]


def test_likert_wave_with_no_substantive_answers() -> None:
    q = question()
    data = likert.prepare(result(q, wave(q, "1", {}, {"DK": 5})), None, SOURCE)
    only = data.payload["waves"][0]
    assert only["answered"] == 0 and only["positive"] is None
    assert all(s["share"] == 0 for s in only["segments"])
    assert "Wave 1: no substantive answers." in data.alt
    assert likert.draw(data).startswith(b"<?xml")


def test_likert_uses_welsh_labels_when_asked() -> None:
    data = likert.prepare(result(), None, SOURCE, language="cy")
    assert [o["label"] for o in data.payload["scale"]] == [
        "Anghytuno'n gryf", "Anghytuno", "Ddim yn cytuno nac yn anghytuno", "Cytuno", "Strongly agree"]
    assert data.title == "Cefais fy nhrin ag urddas a pharch gan y staff"
    assert data.payload["axis"] == "Cyfran o'r atebion sylweddol (%)"
    assert data.table_header[0] == "Ton" and "Ddim yn gwybod" in data.table_header
    english = likert.prepare(result(), "Dignity", SOURCE)
    assert english.title == "Dignity" and english.payload["scale"][0]["label"] == "Strongly disagree"


def test_likert_colours_and_hatches_tell_the_sides_apart() -> None:
    assert likert.colour("negative", 2, 2) == "#D55E00" and likert.colour("positive", 2, 2) == "#0072B2"
    assert likert.colour("negative", 1, 2) == "#E69F00" and likert.colour("positive", 1, 2) == "#56B4E9"
    assert likert.colour("neutral", 0, 2) == "#BBBBBB"
    assert set(likert.hatch("negative", 1) or "") == {"\\"} and set(likert.hatch("positive", 1) or "") == {"/"}
    assert likert.hatch("neutral", 0) is None


# --- waves ----------------------------------------------------------------------


def test_waves_plot_the_positive_share_and_its_wilson_interval() -> None:
    r = result()
    data = waves.prepare(r, None, SOURCE)
    first = r.waves[0].positive
    assert first is not None
    point = data.payload["points"][0]
    assert (point["share"], point["lower"], point["upper"]) == (
        round(first.share * 100, 1), round(first.lower * 100, 1), round(first.upper * 100, 1))
    assert [p["share"] for p in data.payload["points"]] == [58.1, 80.2]
    assert data.table_rows == [[p["label"], p["k"], p["n"], p["share"], p["lower"], p["upper"]]
                               for p in data.payload["points"]]
    assert [r["positive_percent"] for r in data.csv_rows] == [58.1, 80.2]
    assert all(0 <= p["lower"] <= p["share"] <= p["upper"] <= 100 for p in data.payload["points"])


def test_waves_alt_text_and_subtitle_carry_the_verdict() -> None:
    data = waves.prepare(result(), None, SOURCE)
    assert "Wave 1: 58.1% (93 of 160; 95% CI" in data.alt
    assert "Wave 2: 80.2% (142 of 177" in data.alt
    assert "rose by 22.1 points" in data.alt and data.alt.endswith("improved.")
    assert data.payload["subtitle"][-1].endswith(": improved")
    q = question()
    same = result(q, wave(q, "1", {"4": 50, "1": 50}, {}), wave(q, "2", {"4": 52, "1": 48}, {}))
    flat = waves.prepare(same, None, SOURCE)
    assert same.verdict == "no clear change" and flat.alt.endswith("no clear change.")
    single = waves.prepare(result(q, wave(q, "1", {"4": 5, "2": 5}, {})), None, SOURCE)
    assert "only one wave" in single.alt


def test_waves_use_welsh_words_when_asked() -> None:
    data = waves.prepare(result(), None, SOURCE, language="cy")
    assert data.payload["axis"] == "Cyfran gadarnhaol (%)" and data.payload["wave"] == "Ton"
    assert data.payload["subtitle"][0].startswith("Atebion cadarnhaol: Cytuno, Strongly agree")
    assert data.payload["subtitle"][-1].endswith("wedi gwella")


# --- curve ----------------------------------------------------------------------


def test_curve_plots_history_forecast_and_target() -> None:
    data = curve.prepare(measure(), None, SOURCE)
    assert data.kind == "curve" and data.title == "Reviews held on time"
    assert data.payload["periods"] == ["2013-14", "2014-15", "2015-16", "2016-17", "2017-18", "2018-19"]
    assert data.table_rows == [["2013-14", 71.0, None, 85.0], ["2014-15", 74.0, None, 85.0],
                               ["2015-16", 69.0, None, 85.0], ["2016-17", 66.0, None, 85.0],
                               ["2017-18", None, 64.0, 85.0], ["2018-19", None, 62.0, 85.0]]
    assert data.csv_rows[-1] == {"period": "2018-19", "actual": None, "forecast": 62.0, "target": 85.0}
    assert data.table_header == ["Period", "Actual (%)", "Forecast (%)", "Target (%)"]
    assert data.payload["direction"] == "\u2191 A rise is good"


def test_curve_alt_text_from_the_data() -> None:
    alt = curve.prepare(measure(), None, SOURCE).alt
    assert "a rise is good" in alt
    assert "Latest value 66% in 2016-17, down from 71% in 2013-14, the wrong way." in alt
    assert "If nothing changes the forecast is 62% by 2018-19." in alt
    assert "Target 85%: the latest value is 19 points short of it." in alt
    falling = curve.prepare(measure(higher_is_better=False), None, SOURCE)
    assert "a fall is good" in falling.alt and "the right way" in falling.alt and "19 points better than it" in falling.alt
    assert falling.payload["direction"] == "\u2193 A fall is good"


def test_curve_forecast_repeating_the_last_period_is_joined_not_doubled() -> None:
    m = measure().model_copy(update={"forecast": [Point(period="2016-17", value=66), Point(period="2017-18", value=60)]})
    data = curve.prepare(m, None, SOURCE)
    assert data.payload["periods"] == ["2013-14", "2014-15", "2015-16", "2016-17", "2017-18"]
    assert [p["period"] for p in data.payload["forecast"]] == ["2017-18"]


def test_curve_uses_welsh_words_when_asked() -> None:
    data = curve.prepare(measure(), None, SOURCE, language="cy")
    assert data.payload["labels"]["target"] == "Targed"
    assert data.payload["labels"]["forecast"].startswith("Rhagolwg")
    assert data.payload["labels"]["actual"].startswith("Llinell sylfaen")
    assert data.payload["xlabel"] == "Cyfnod" and data.payload["direction"] == "\u2191 Mae cynnydd yn dda"
    assert data.table_header == ["Cyfnod", "Gwirioneddol (%)", "Rhagolwg (%)", "Targed (%)"]


# --- drawing --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_same_data_draw_the_same_bytes(fmt: str) -> None:
    for module, make in ((likert, lambda: likert.prepare(result(), None, SOURCE, fmt=fmt)),
                         (waves, lambda: waves.prepare(result(), None, SOURCE, fmt=fmt)),
                         (curve, lambda: curve.prepare(measure(), None, SOURCE, fmt=fmt))):
        first, second = module.draw(make()), module.draw(make())
        assert first == second
        assert first.startswith(b"<?xml" if fmt == "svg" else b"\x89PNG")
        assert b"<dc:date>" not in first and b"Matplotlib v" not in first
        assert cache._draw(make()) == first  # the kind is registered with the cache


def test_welsh_charts_draw_and_differ_from_english() -> None:
    for module, make in ((likert, lambda lang: likert.prepare(result(), None, SOURCE, lang)),
                         (waves, lambda lang: waves.prepare(result(), None, SOURCE, lang)),
                         (curve, lambda lang: curve.prepare(measure(), None, SOURCE, lang))):
        assert module.draw(make("cy")) != module.draw(make("en"))


def test_pngs_for_looking_at(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Draw every chart as PNG (English and Welsh) so the layout can be checked by eye."""
    for language in ("en", "cy"):
        for name, module, data in (("likert", likert, likert.prepare(result(), None, SOURCE, language, fmt="png")),
                                   ("waves", waves, waves.prepare(result(), None, SOURCE, language, fmt="png")),
                                   ("curve", curve, curve.prepare(measure(), None, SOURCE, language, fmt="png"))):
            image = module.draw(data)
            (tmp_path / f"{name}_{language}.png").write_bytes(image)
            assert len(image) > 10_000


# --- Welsh alt text and notes ---------------------------------------------------

ENGLISH_MARKERS = ("Diverging", "wave", "positive", "Shares are", "Intervals are", "Chart of", "substantive",
                   "confidence interval", "From the first", "rose", "improved", "Turn-the-curve", "Latest value",
                   "forecast", "Target", "short of")


def welsh_result() -> QuestionResult:
    """Two waves with Welsh labels, so any English left in the alt text comes from the chart's own words."""
    q = question()
    found = []
    for wave_id, counts, apart in (("1", {"1": 12, "2": 25, "3": 30, "4": 60, "5": 33}, {"DK": 9, "PNS": 3}),
                                   ("2", {"1": 3, "2": 10, "3": 22, "4": 80, "5": 62}, {"DK": 4})):
        answered = sum(counts.values())
        found.append(QuestionWave(wave_id, f"Ton {wave_id}", counts, apart, 0, answered,
                                  wilson_interval(counts["4"] + counts["5"], answered)))
    return result(q, *found)


def assert_no_english(data, mask: str = "") -> None:  # type: ignore[no-untyped-def]
    for text in [data.alt, *data.notes]:
        text = text.replace(mask, "") if mask else text
        for marker in ENGLISH_MARKERS:
            assert marker not in text, f"{marker!r} in {text!r}"


def test_likert_alt_text_and_notes_in_welsh() -> None:
    data = likert.prepare(welsh_result(), None, SOURCE, language="cy")
    assert data.alt.startswith("Siart bar dargyfeiriol o'r atebion i \"Cefais fy nhrin ag urddas a pharch gan y staff\" "
                               "ar raddfa 5 pwynt (Anghytuno'n gryf / ")
    assert "Ton 1: 160 o atebion sylweddol, 58.1% yn gadarnhaol (Anghytuno'n gryf 7.5%" in data.alt
    assert "; nid ar y raddfa: Ddim yn gwybod 9, Prefer not to say 3." in data.alt
    assert "mae'r gyfran gadarnhaol wedi codi 22.1 pwynt (cyfwng hyder 95% +12.3 i +31.4 pwynt): wedi gwella." in data.alt
    assert data.notes == [
        "Mae'r cyfrannau'n seiliedig ar yr atebion sylweddol ym mhob ton; "
        "caiff Ddim yn gwybod, Prefer not to say eu cyfrif ar wahân.",
        "Atebion cadarnhaol: Cytuno, Strongly agree."]
    assert_no_english(data)
    q = question().model_copy(update={"non_substantive": []})
    none_apart = likert.prepare(result(q, wave(q, "1", {"4": 5, "2": 5}, {})), None, SOURCE, language="cy")
    assert none_apart.notes[0].endswith("nid oes atebion eraill i'w cyfrif ar wahân.")
    q = question()
    empty = likert.prepare(result(q, QuestionWave("1", "Ton 1", {}, {"DK": 5}, 0, 0, None)), None, SOURCE, "cy")
    assert "Ton 1: dim atebion sylweddol." in empty.alt


def test_waves_alt_text_and_notes_in_welsh() -> None:
    data = waves.prepare(welsh_result(), None, SOURCE, language="cy")
    assert data.alt.startswith("Siart o'r gyfran a atebodd \"Cefais fy nhrin ag urddas a pharch gan y staff\" "
                               "yn gadarnhaol (Cytuno neu Strongly agree) ym mhob un o'r 2 ton")
    assert "Ton 1: 58.1% (93 o 160; CH 95% 50.4% i 65.5%)." in data.alt
    assert "wedi codi 22.1 pwynt (CH 95% +12.3 i +31.4 pwynt, p < 0.001): wedi gwella." in data.alt
    assert data.notes[0].startswith("Cyfyngau sgôr Wilson 95%")
    assert_no_english(data)
    q = question()
    single = waves.prepare(result(q, QuestionWave("1", "Ton 1", {"4": 5, "2": 5}, {}, 0, 10, wilson_interval(5, 10))),
                           None, SOURCE, language="cy")
    assert "mewn un don" in single.alt and single.alt.endswith("Dim ond un don sydd, felly ni phrofir unrhyw newid.")
    assert_no_english(single)


def test_curve_alt_text_and_notes_in_welsh() -> None:
    data = curve.prepare(measure(), None, SOURCE, language="cy")
    assert "mae cynnydd yn dda" in data.alt
    assert "Y gwerth diweddaraf yw 66% yn 2016-17, wedi gostwng o 71% yn 2013-14, i'r cyfeiriad anghywir." in data.alt
    assert "Os na fydd dim yn newid, y rhagolwg yw 62% erbyn 2018-19." in data.alt
    assert "Targed 85%: mae'r gwerth diweddaraf 19 pwynt yn brin ohono." in data.alt
    assert data.notes[0].startswith("Mae'r rhagolwg yn parhau")
    # the measure's name is data with no Welsh version: mask it before looking for English words
    assert_no_english(data, mask="Reviews held on time")


def test_english_alt_text_and_notes_are_unchanged() -> None:
    data = likert.prepare(result(), None, SOURCE)
    assert data.alt.startswith(
        "Diverging bar chart of the answers to \"Staff treated me with dignity and respect\" on a 5-point scale "
        "(Strongly disagree / Disagree / Neither agree nor disagree / Agree / Strongly agree), one bar per wave, "
        "unfavourable answers left of zero and favourable ones right. Wave 1: 160 substantive answers, 58.1% positive "
        "(Strongly disagree 7.5%, Disagree 15.6%, Neither agree nor disagree 18.8%, Agree 37.5%, Strongly agree 20.6%); "
        "not on the scale: Don't know 9, Prefer not to say 3.")
    assert data.alt.endswith("From the first to the last wave the positive share rose by 22.1 points "
                             "(95% confidence interval +12.3 to +31.4 points): improved.")
    assert data.notes == ["Shares are of the substantive answers in each wave; Don't know, Prefer not to say are "
                          "counted apart.", "Positive answers: Agree, Strongly agree."]
    w = waves.prepare(result(), None, SOURCE)
    assert w.alt == (
        "Chart of the share answering \"Staff treated me with dignity and respect\" positively (Agree or Strongly agree) "
        "in each of 2 waves, with 95% confidence intervals. Wave 1: 58.1% (93 of 160; 95% CI 50.4% to 65.5%). "
        "Wave 2: 80.2% (142 of 177; 95% CI 73.7% to 85.4%). From the first to the last wave it rose by 22.1 points "
        "(95% CI +12.3 to +31.4 points, p < 0.001): improved.")
    assert w.notes == ["Intervals are 95% Wilson score intervals; the change is a two-proportion z test of the last "
                       "wave against the first (p < 0.05 to count as a change)."]
    c = curve.prepare(measure(), None, SOURCE)
    assert c.alt == (
        "Turn-the-curve chart of Reviews held on time (%) from 2013-14 to 2018-19; a rise is good. Latest value 66% "
        "in 2016-17, down from 71% in 2013-14, the wrong way. If nothing changes the forecast is 62% by 2018-19. "
        "Target 85%: the latest value is 19 points short of it.")
    assert c.notes == ["The forecast continues from the last actual value: where the measure is heading if nothing "
                       "changes."]


# --- check-all questions ----------------------------------------------------------


def check_all(waves_counts: list[tuple[dict[str, int | None], int | None, dict[str, int | None]]]) -> QuestionResult:
    q = SurveyQuestion(
        id="help", kind="multiple", column="Q5", text="Which kinds of help did you get?",
        options=[SurveyOption(code="A", label="Advice"), SurveyOption(code="B", label="Money", label_cy="Arian"),
                 SurveyOption(code="C", label="Someone to talk to")],
        non_substantive=[SurveyOption(code="PNS", label="Prefer not to say")])
    return QuestionResult(q, [QuestionWave(str(i), f"Wave {i}", counts, apart, 0, base, None)
                              for i, (counts, base, apart) in enumerate(waves_counts, start=1)])


def test_check_all_bars_are_shares_of_respondents_not_of_ticks() -> None:
    from generator.charts import choices

    data = choices.prepare(check_all([({"A": 30, "B": 12, "C": 25}, 40, {"PNS": 3}),
                                      ({"A": 18, "B": 9, "C": 20}, 30, {"PNS": 0})]), None, SOURCE)
    assert data.kind == "choices" and data.title == "Which kinds of help did you get?"
    shares = {(w["label"], b["code"]): b["share"] for w in data.payload["waves"] for b in w["bars"]}
    assert shares == {("Wave 1", "A"): 75.0, ("Wave 1", "B"): 30.0, ("Wave 1", "C"): 62.5,
                      ("Wave 2", "A"): 60.0, ("Wave 2", "B"): 30.0, ("Wave 2", "C"): 66.7}
    assert sum(v for (wave, _), v in shares.items() if wave == "Wave 1") > 100  # several ticks each
    assert data.table_rows[:5] == [["Wave 1", "Respondents who answered (the base)", 40, ""],
                                   ["Wave 1", "Advice", 30, 75.0], ["Wave 1", "Money", 12, 30.0],
                                   ["Wave 1", "Someone to talk to", 25, 62.5],
                                   ["Wave 1", "Prefer not to say (counted apart)", 3, ""]]
    assert data.csv_rows[0] == {"wave": "Wave 1", "answer": "Advice", "code": "A", "counted_apart": "no",
                                "respondents_choosing": 30, "respondents_answering": 40, "percent_of_respondents": 75.0}
    assert "Wave 1 (40 respondents answered): Advice 75.0%, Money 30.0%, Someone to talk to 62.5%; counted apart: " \
           "Prefer not to say 3." in data.alt
    assert "one bar per answer and wave" in data.alt
    assert any("not of the answers ticked" in note for note in data.notes)
    assert "Prefer not to say: counted apart, not in the base." in data.notes
    svg = cache._draw(data)
    assert svg.startswith(b"<?xml") and svg == cache._draw(data)  # the same data, the same bytes


def test_check_all_hidden_counts_have_no_bar_and_say_so() -> None:
    from generator.charts import choices

    note = "c: hidden to protect privacy (a count from 1 to 5, or a figure that would reveal one)."
    data = choices.prepare(check_all([({"A": 30, "B": None, "C": 25}, 40, {"PNS": None}),
                                      ({"A": None, "B": None, "C": None}, None, {"PNS": 0})]), None, SOURCE,
                           notes=[note])
    first, second = data.payload["waves"]
    assert [b["share"] for b in first["bars"]] == [75.0, "c", 62.5]
    assert second["base"] == "c" and [b["share"] for b in second["bars"]] == ["c", "c", "c"]
    assert ["Wave 1", "Money", "c", "c"] in data.table_rows
    assert "Money c" in data.alt and "Wave 2 (c respondents answered): Advice c" in data.alt
    assert note in data.notes
    csv = data.csv_bytes().decode()
    assert note in csv.split("\n\n", 1)[1]  # the page's note on c, among the download's footnotes
    assert ",Money,B,no,c,40,c" in csv
    assert cache._draw(data).startswith(b"<?xml")


def test_check_all_in_welsh_and_a_wave_nobody_answered() -> None:
    from generator.charts import choices

    data = choices.prepare(check_all([({"A": 0, "B": 0, "C": 0}, 0, {"PNS": 0})]), None, SOURCE, language="cy")
    assert data.payload["options"][1]["label"] == "Arian"
    assert data.payload["waves"][0]["bars"][0]["share"] is None
    assert "Wave 1: neb wedi ateb." in data.alt and "mewn un don" in data.alt
    assert cache._draw(data).startswith(b"<?xml")
