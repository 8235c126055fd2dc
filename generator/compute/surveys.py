"""Survey results: response rates, distributions, the share answering positively, and change between waves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..content.models import Survey, SurveyQuestion
from .proportions import ShareInterval, TwoProportionTest, change_verdict, two_proportion_test, wilson_interval


@dataclass(frozen=True)
class WaveResult:
    wave: str
    label: str
    respondents: int
    population: int

    @property
    def response_rate(self) -> float:
        return self.respondents / self.population


@dataclass
class QuestionWave:
    """One question in one wave."""

    wave: str
    label: str
    counts: dict[str, int]  # substantive option code -> respondents
    apart: dict[str, int]  # non-substantive option code -> respondents
    blank: int
    answered: int  # substantive answers: the base of every share
    positive: ShareInterval | None


@dataclass
class QuestionResult:
    question: SurveyQuestion
    waves: list[QuestionWave] = field(default_factory=list)
    change: TwoProportionTest | None = None
    verdict: str | None = None  # "improved", "deteriorated" or "no clear change"


def positive_codes(question: SurveyQuestion) -> list[str]:
    """The answers that count as positive: as declared, else the two best points of a scale, else Yes."""
    if question.positive:
        return list(question.positive)
    codes = [o.code for o in question.options]
    if question.kind == "likert":
        best = codes[-2:] if question.direction == "positive_high" else codes[:2]
        return best if len(codes) >= 4 else best[-1:]
    if question.kind == "yes_no":
        return [codes[0]] if codes else ["Y"]
    return []


def summarise(survey: Any) -> tuple[list[WaveResult], list[QuestionResult]]:
    """Return each wave's response rate and each closed question's results, with the change from first to last wave."""
    model: Survey = survey.model
    waves = [WaveResult(w.id, w.label, survey.waves[w.id].n_respondents, w.population)
             for w in model.waves if w.id in survey.waves]
    results = []
    for question in model.questions:
        if question.kind == "open":
            continue
        result = QuestionResult(question)
        positive = positive_codes(question)
        for wave in model.waves:
            table = survey.waves.get(wave.id)
            if table is None or question.id not in table.answers:
                continue
            counts = table.counts(question.id)
            answered = sum(counts.scale.values())
            share = None
            if answered and positive:
                share = wilson_interval(sum(counts.scale.get(c, 0) for c in positive), answered)
            result.waves.append(QuestionWave(wave.id, wave.label, dict(counts.scale), dict(counts.non_substantive),
                                             counts.blank, answered, share))
        shares = [w for w in result.waves if w.positive is not None]
        if len(shares) >= 2:
            first, last = shares[0].positive, shares[-1].positive
            assert first is not None and last is not None
            # later wave first, so a rise in the positive share reads as an improvement
            result.change = two_proportion_test(last.k, last.n, first.k, first.n)
            result.verdict = str(change_verdict(result.change, higher_is_better=True))
        results.append(result)
    return waves, results
