"""Survey documents: waves read with row and column errors, and the numbers on the page worked by hand."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline import load_and_validate
from generator.render.pages import render_site_pages
from generator.resolve import resolve_site

SURVEY = """---
type: survey
id: experiences
title: Experiences of care and support
title_cy: Profiadau o ofal a chymorth
la: north
collection: [online, postal]
questions:
  - id: respect
    kind: likert
    column: Q1
    text: I was treated with respect.
    text_cy: Cefais fy nhrin â pharch.
    direction: positive_high
    options:
      - {code: "1", label: Strongly disagree, label_cy: Anghytuno'n gryf}
      - {code: "2", label: Disagree, label_cy: Anghytuno}
      - {code: "3", label: Agree, label_cy: Cytuno}
      - {code: "4", label: Strongly agree, label_cy: Cytuno'n gryf}
    non_substantive:
      - {code: "9", label: Don't know, label_cy: Ddim yn gwybod}
waves:
  - {id: w1, label: Wave 1, file: w1.csv, population: 100}
  - {id: w2, label: Wave 2, file: w2.csv, population: 100}
---
"""


def _wave(answers: list[str]) -> str:
    return "\ufeffResponseId,Q1\r\n" + "".join(f"R{i},{a}\r\n" for i, a in enumerate(answers))


@pytest.fixture
def surveyed(mini: Path) -> Path:
    (mini / "las/north/survey.md").write_text(SURVEY, encoding="utf-8")
    # wave 1: 20 positive of 50 on the scale, plus 5 don't know and 5 blank (60 responses)
    (mini / "las/north/w1.csv").write_text(_wave(["4"] * 10 + ["3"] * 10 + ["2"] * 20 + ["1"] * 10 + ["9"] * 5 + [""] * 5))
    # wave 2: answers as text, as some tools export: 35 positive of 50
    (mini / "las/north/w2.csv").write_text(_wave(["Strongly agree"] * 20 + ["agree"] * 15 + ["Disagree"] * 10 + ["Strongly disagree"] * 5))
    return mini


def test_response_rate_shares_wilson_interval_and_change(surveyed: Path) -> None:
    study, _ = load_and_validate(surveyed)
    pages = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}
    # Generated sentences reach MkDocs with their punctuation as character references (inert); read them as text.
    page = html.unescape(pages["surveys/experiences.md"])
    assert "60.0%" in page and "50.0%" in page  # response rates: 60 and 50 of 100 invited
    # wave 1: 20 of 50 positive = 40.0%, Wilson 95% 27.6% to 53.8% (R: prop.test(20, 50, correct = FALSE)$conf.int)
    assert "<strong>40.0%</strong><br><span class=\"gen-unit\">27.6–53.8%</span>" in page
    # wave 2: 35 of 50 = 70.0%, Wilson 56.2% to 80.9%
    assert "<strong>70.0%</strong><br><span class=\"gen-unit\">56.2–80.9%</span>" in page
    # 70% vs 40%: chi-squared = 9.09 (R: prop.test(c(35, 20), c(50, 50), correct = FALSE)), p = .003
    assert "<strong>Improved</strong>: the share answering positively went from 40.0% to 70.0% (+30.0 points" in page
    assert "χ²(1) = 9.09, p = .003" in page
    assert "Cefais fy nhrin â pharch." in page


def test_bad_answers_and_missing_columns_name_row_and_column(surveyed: Path) -> None:
    (surveyed / "las/north/w2.csv").write_text("ResponseId,Q1\nR1,Agree\nR2,Sort of agree\n")
    with pytest.raises(ContentError) as error:
        load_and_validate(surveyed)
    messages = [str(p) for p in error.value.problems]
    assert any(m.startswith("content/las/north/w2.csv:3 [Q1]: question respect: expected one of") and "'Sort of agree'" in m
               for m in messages), messages


# --- breakdowns and open answers ---------------------------------------------------

BREAKDOWN_SURVEY = """---
type: survey
id: experiences
title: Experiences of care and support
la: north
collection: [online]
breakdowns: [service]
questions:
  - id: respect
    kind: yes_no
    column: Q1
    text: Were you treated with respect?
  - id: service
    kind: single
    column: Q2
    text: Which service?
    options:
      - {code: "1", label: Home care}
      - {code: "2", label: Day service}
      - {code: "3", label: Shared Lives}
  - id: comments
    kind: open
    column: Q3
    text: Anything else?
    consent: quote-ok
  - id: quote-ok
    kind: yes_no
    column: Q4
    text: May we quote you?
waves:
  - {id: w1, label: Wave 1, file: w1.csv, population: 100}
---
"""


def _rows(n: int, respect: str, service: str, comment: str = "", consent: str = "") -> list[str]:
    return [f"{respect},{service},{comment},{consent}"] * n


@pytest.fixture
def broken_down(mini: Path) -> Path:
    (mini / "las/north/survey.md").write_text(BREAKDOWN_SURVEY, encoding="utf-8")
    # home care 12 (9 yes), day service 20 (10 yes), Shared Lives 4 (3 yes): too small, and alone,
    # so the next smallest (home care) is hidden too.
    rows = (_rows(9, "Yes", "1") + _rows(3, "No", "1") + _rows(10, "Y", "2") + _rows(10, "N", "2")
            + _rows(3, "Yes", "3") + _rows(1, "No", "3", "Please phone me back.", "No")
            + _rows(1, "Yes", "2", "The carers are kind.", "Yes"))
    body = "\ufeffResponseId,Q1,Q2,Q3,Q4\r\n" + "".join(f"R{i},{r}\r\n" for i, r in enumerate(rows))
    (mini / "las/north/w1.csv").write_text(body, encoding="utf-8")
    return mini


def test_suppress_groups_hides_small_groups_and_one_more_when_one_is_alone() -> None:
    from generator.compute.surveys import suppress_groups

    assert suppress_groups([30, 25, 40], 10) == [None, None, None]
    assert suppress_groups([30, 4, 25], 10) == [None, "small", "secondary"]  # 4 = total - 30 - 25 otherwise
    assert suppress_groups([30, 4, 3, 25], 10) == [None, "small", "small", None]  # two hidden: neither can be worked out
    assert suppress_groups([30, 0, 25], 10) == [None, None, None]  # an empty group discloses nothing
    assert suppress_groups([4, 0], 10) == ["small", None]  # nothing left to hide beside it
    assert suppress_groups([12, 9], 5) == [None, None]  # the minimum is the survey's to set


def test_breakdown_hides_small_groups_and_shows_shares_with_intervals(broken_down: Path) -> None:
    from statsmodels.stats.proportion import proportion_confint

    study, _ = load_and_validate(broken_down)
    page = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}["surveys/experiences.md"]
    table = page[page.index("Answering positively, by answer to"):]
    table = table[:table.index("</table>")]
    # day service: 11 yes of 21 (10 + the commenter); Wilson interval as statsmodels computes it
    low, high = proportion_confint(11, 21, method="wilson")
    assert f"<strong>52.4%</strong><br><span class=\"gen-unit\">{low * 100:.1f}–{high * 100:.1f}%</span><br><span class=\"gen-unit\">n = 21</span>" in table
    # everyone: 23 yes of 37
    assert "<strong>62.2%</strong>" in table and "n = 37" in table
    # Shared Lives (4) is below 10 and home care (12) is hidden with it, so neither share appears
    assert table.count(">c</abbr>") == 2
    assert "75.0%" not in table and "n = 12" not in table and "n = 4" not in table


def test_open_answers_only_where_consent_was_given(broken_down: Path) -> None:
    study, _ = load_and_validate(broken_down)
    page = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}["surveys/experiences.md"]
    assert "The carers are kind." in page
    assert "Please phone me back." not in page
    assert "2 people answered; 1 agreed to be quoted." in page
    assert "May we quote you?" not in page  # the consent question is not a result

    # without a consent question no answer is shown
    survey = broken_down / "las/north/survey.md"
    survey.write_text(survey.read_text().replace("    consent: quote-ok\n", ""), encoding="utf-8")
    study, _ = load_and_validate(broken_down)
    page = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}["surveys/experiences.md"]
    assert "The carers are kind." not in page and "did not ask for consent to quote" in page


def test_breakdown_and_consent_must_name_the_right_kind_of_question(broken_down: Path) -> None:
    survey = broken_down / "las/north/survey.md"
    text = survey.read_text().replace("breakdowns: [service]", "breakdowns: [respect]").replace("consent: quote-ok", "consent: service")
    survey.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_and_validate(broken_down)
    messages = " ".join(str(p) for p in error.value.problems)
    assert "content/las/north/survey.md" in messages
    assert "'respect' must be a single-choice question of this survey, found a yes_no question" in messages


def test_the_demo_survey_waves_are_what_the_generator_writes(tmp_path: Path) -> None:
    from generator.demo_survey import write

    demo = Path(__file__).parents[2] / "content/local-authorities/cwm-derwen/surveys"
    for path in write(tmp_path):
        assert path.read_bytes() == (demo / path.name).read_bytes(), path.name
