"""Survey results: which answers count as positive, for every scale length and both directions."""

from __future__ import annotations

import pytest

from generator.charts import likert
from generator.compute.surveys import QuestionResult, positive_codes
from generator.content.models import SurveyOption, SurveyQuestion


def scale(points: int, direction: str, positive: list[str] | None = None) -> SurveyQuestion:
    return SurveyQuestion(
        id="q", kind="likert", column="Q1", text="How satisfied are you?", direction=direction,
        options=[SurveyOption(code=str(i), label=f"Point {i}") for i in range(1, points + 1)],
        positive=positive or [],
    )


def favourable(points: int, direction: str) -> list[str]:
    """Worked independently of the code: the points strictly past the middle of the scale, on the good side."""
    middle = (points + 1) / 2  # point 2 of 3, point 2.5 of 4
    if direction == "positive_high":
        return [str(p) for p in range(1, points + 1) if p > middle]
    return [str(p) for p in range(1, points + 1) if p < middle]


@pytest.mark.parametrize("direction", ["positive_high", "positive_low"])
@pytest.mark.parametrize("points", range(2, 12))
def test_positive_answers_are_the_favourable_half_for_every_length(points: int, direction: str) -> None:
    found = positive_codes(scale(points, direction))
    assert found == favourable(points, direction)
    assert len(found) == points // 2
    if points % 2:  # an odd scale's middle answer ("Neither") is never positive
        assert str((points + 1) // 2) not in found


@pytest.mark.parametrize(("points", "direction", "expected"), [
    (2, "positive_high", ["2"]), (2, "positive_low", ["1"]),
    (3, "positive_high", ["3"]), (3, "positive_low", ["1"]),  # the bug: "Neither" (2) was counted
    (4, "positive_high", ["3", "4"]), (4, "positive_low", ["1", "2"]),
    (5, "positive_high", ["4", "5"]), (5, "positive_low", ["1", "2"]),
    (7, "positive_high", ["5", "6", "7"]), (7, "positive_low", ["1", "2", "3"]),
    (11, "positive_low", ["1", "2", "3", "4", "5"]),
])
def test_positive_answers_written_out(points: int, direction: str, expected: list[str]) -> None:
    assert positive_codes(scale(points, direction)) == expected


def test_declared_positive_answers_win() -> None:
    assert positive_codes(scale(5, "positive_high", positive=["5"])) == ["5"]
    assert positive_codes(scale(3, "positive_low", positive=["1", "2"])) == ["1", "2"]


@pytest.mark.parametrize("direction", ["positive_high", "positive_low"])
@pytest.mark.parametrize("points", range(2, 12))
def test_the_chart_draws_the_positive_answers_right_of_zero(points: int, direction: str) -> None:
    question = scale(points, direction)
    data = likert.prepare(QuestionResult(question), None, "Source: test.")
    right = [o["code"] for o in data.payload["scale"] if o["side"] == "positive"]
    assert sorted(right) == sorted(positive_codes(question))
