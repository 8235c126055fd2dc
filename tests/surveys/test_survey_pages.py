"""Survey documents: waves read with row and column errors, and the numbers on the page worked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline import load_and_validate
from generator.render.pages import render_site_pages
from generator.view import make_view

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
    pages = {p.path: p.markdown for p in render_site_pages(make_view(study, "north"))}
    page = pages["surveys/experiences.md"]
    assert "60.0%" in page and "50.0%" in page  # response rates: 60 and 50 of 100 invited
    # wave 1: 20 of 50 positive = 40.0%, Wilson 95% 27.6% to 53.8% (R: prop.test(20, 50, correct = FALSE)$conf.int)
    assert "<strong>40.0%</strong><br>27.6–53.8%" in page
    # wave 2: 35 of 50 = 70.0%, Wilson 56.2% to 80.9%
    assert "<strong>70.0%</strong><br>56.2–80.9%" in page
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
