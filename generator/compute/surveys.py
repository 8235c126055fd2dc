"""Survey results: response rates, distributions, the share answering positively, and change between waves."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..content.models import Survey, SurveyOption, SurveyQuestion, SurveyWave
from .disclosure import is_small
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
    counts: dict[str, int | None]  # substantive option code -> respondents (None: hidden in a public build)
    apart: dict[str, int | None]  # non-substantive option code -> respondents (None: hidden)
    blank: int
    answered: int | None  # substantive answers: the base of every share (None: hidden)
    positive: ShareInterval | None
    rounded: bool = False  # counts rounded for disclosure control (shares are of rounded counts)

    @property
    def suppressed(self) -> bool:
        return self.answered is None or None in self.counts.values() or None in self.apart.values()


@dataclass
class QuestionResult:
    question: SurveyQuestion
    waves: list[QuestionWave] = field(default_factory=list)
    change: TwoProportionTest | None = None
    verdict: str | None = None  # "improved", "deteriorated" or "no clear change"


def positive_codes(question: SurveyQuestion) -> list[str]:
    """The answers that count as positive: as declared, else the favourable half of a likert scale, else Yes.

    The favourable half is the ``len // 2`` options at the end ``direction`` names as best, so the middle
    option of an odd scale is never positive: 1 of 2 or 3 points, 2 of 4 or 5, 3 of 6 or 7, 5 of 10 or 11.
    It is the half the likert chart draws right of zero, so the share and the bars agree.
    """
    if question.positive:
        return list(question.positive)
    codes = [o.code for o in question.options]
    if question.kind == "likert":
        half = len(codes) // 2
        return codes[len(codes) - half:] if question.direction == "positive_high" else codes[:half]
    if question.kind == "yes_no":
        return [codes[0]] if codes else ["Y"]
    return []


def wave_label(wave: SurveyWave, language: str) -> str:
    return wave.label_cy if language == "cy" and wave.label_cy else wave.label


def consent_questions(model: Survey) -> set[str]:
    """Questions that only ask for consent to quote: they are not results."""
    return {q.consent for q in model.questions if q.consent}


def summarise(survey: Any, language: str = "en") -> tuple[list[WaveResult], list[QuestionResult]]:
    """Return each wave's response rate and each closed question's results, with the change from first to last wave."""
    model: Survey = survey.model
    waves = [WaveResult(w.id, wave_label(w, language), survey.waves[w.id].n_respondents, w.population)
             for w in model.waves if w.id in survey.waves]
    results = []
    skipped = consent_questions(model)
    for question in model.questions:
        if question.kind == "open" or question.id in skipped:
            continue
        result = QuestionResult(question)
        positive = positive_codes(question)
        for wave in model.waves:
            table = survey.waves.get(wave.id)
            if table is None or question.id not in table.answers:
                continue
            if question.kind == "multiple":
                result.waves.append(check_all_wave(wave.id, wave_label(wave, language), table, question.id,
                                                   getattr(survey, "disclosure", None)))
                continue
            counts = table.counts(question.id)
            result.waves.append(protected_wave(wave.id, wave_label(wave, language), dict(counts.scale),
                                               dict(counts.non_substantive), counts.blank, table.n_respondents,
                                               positive, getattr(survey, "disclosure", None), counts.invalid))
        shares = [w for w in result.waves if w.positive is not None]
        if len(shares) >= 2:
            first, last = shares[0].positive, shares[-1].positive
            assert first is not None and last is not None
            # later wave first, so a rise in the positive share reads as an improvement
            result.change = two_proportion_test(last.k, last.n, first.k, first.n)
            result.verdict = str(change_verdict(result.change, higher_is_better=True))
        results.append(result)
    return waves, results


def protected_wave(wave: str, label: str, scale: dict[str, int], apart: dict[str, int], blank: int, respondents: int,
                   positive: list[str], settings: Any = None, invalid: int = 0) -> QuestionWave:
    """One question's counts in one wave, with disclosure control when ``settings`` say so (public builds).

    The sums a page shows are equations over the counts: the number answering (the base of every share),
    the number answering positively (share times base), and everyone who took part (blanks unknown to a
    reader). Small counts are hidden with whatever would reveal them; shares of hidden counts are hidden.
    """
    from .disclosure import Line, protect, round_to

    answered: int | None = sum(scale.values())
    k: int | None = sum(scale.get(c, 0) for c in positive)
    shown_scale: dict[str, int | None] = dict(scale)
    shown_apart: dict[str, int | None] = dict(apart)
    rounded = False
    if settings is not None and settings.rounding:
        base = settings.base
        shown_scale = {c: round_to(v, base) for c, v in scale.items()}
        shown_apart = {c: round_to(v, base) for c, v in apart.items()}
        answered, k = round_to(answered or 0, base), round_to(k or 0, base)
        rounded = True
    elif settings is not None:
        cells: dict[Any, float | None] = {("scale", c): v for c, v in scale.items()}
        cells |= {("apart", c): v for c, v in apart.items()}
        cells[("blank",)] = blank + invalid  # never shown, but part of everyone who took part
        lines = [Line(tuple((("scale", c), 1.0) for c in scale), float(answered or 0), "answered")]
        if sum(v or 0 for v in cells.values()) == respondents:  # one answer each (not a tick-all question)
            lines.append(Line(tuple(((key, 1.0) for key in cells)), float(respondents), "respondents", fixed=True))
        if positive:
            # the share with its base gives both the positive answers and the rest: one published figure, two sums
            lines.append(Line(tuple((("scale", c), 1.0) for c in positive if c in scale), float(k or 0), "positive"))
            lines.append(Line(tuple((("scale", c), 1.0) for c in scale if c not in positive),
                              float((answered or 0) - (k or 0)), "positive"))
        found = protect(cells, lines, settings.threshold, unpublished=[("blank",)])
        shown_scale = {c: None if ("scale", c) in found.hidden else v for c, v in scale.items()}
        shown_apart = {c: None if ("apart", c) in found.hidden else v for c, v in apart.items()}
        if "answered" in found.hidden_lines:
            answered = None
        if "positive" in found.hidden_lines:
            k = None
    share = None
    if answered and positive and k is not None:
        share = wilson_interval(min(k, answered), answered)
    return QuestionWave(wave, label, shown_scale, shown_apart, blank, answered, share, rounded)


def check_all_wave(wave: str, label: str, table: Any, question_id: str, settings: Any = None) -> QuestionWave:
    """One check-all question in one wave: how many respondents chose each option, of those who answered.

    The base of every share is respondents, not ticks: those who chose at least one substantive option
    (or said no to every one). Respondents who chose only non-substantive options ("Prefer not to say")
    are counted apart, and blanks are left out. Shares add up to more than 100% when people chose several.
    """
    spec = table.question(question_id)
    substantive = {o.code for o in spec.options}
    invalid = table.invalid.get(question_id, frozenset())
    chose = {o.code: 0 for o in spec.options}
    apart = {o.code: 0 for o in spec.non_substantive}
    base = blank = 0
    for position, answer in enumerate(table.answers[question_id]):
        if position in invalid:
            continue
        if answer is None:
            blank += 1
            continue
        codes = answer if isinstance(answer, frozenset) else frozenset({answer})
        if codes & substantive or not codes:
            base += 1
            for code in codes & substantive:
                chose[code] += 1
        else:
            for code in codes:
                apart[code] += 1
    return protected_check_all(wave, label, chose, apart, base, blank + len(invalid), settings)


def protected_check_all(wave: str, label: str, chose: dict[str, int], apart: dict[str, int], base: int,
                        blank: int, settings: Any = None) -> QuestionWave:
    """A check-all question's counts with disclosure control when ``settings`` say so (public builds).

    The options' counts are not parts of one total (a respondent may be in several), so no sum gives one
    away; but each share with its base also gives the number who did *not* choose the option, so an option
    is hidden when either is from 1 to the threshold, and everything is hidden when the base is.
    """
    from .disclosure import round_to

    shown: dict[str, int | None] = dict(chose)
    shown_apart: dict[str, int | None] = dict(apart)
    answered: int | None = base
    rounded = False
    if settings is not None and settings.rounding:
        shown = {c: round_to(v, settings.base) for c, v in chose.items()}
        shown_apart = {c: round_to(v, settings.base) for c, v in apart.items()}
        answered, rounded = round_to(base, settings.base), True
    elif settings is not None:
        threshold = settings.threshold
        if is_small(base, threshold):
            answered = None
            shown = {c: None for c in chose}
        else:
            shown = {c: None if is_small(v, threshold) or is_small(base - v, threshold) else v for c, v in chose.items()}
        shown_apart = {c: None if is_small(v, threshold) else v for c, v in apart.items()}
    return QuestionWave(wave, label, shown, shown_apart, blank, answered, None, rounded)


# --- breakdowns -----------------------------------------------------------------

NOT_STATED = ""  # the group of respondents who did not answer the breakdown question


@dataclass(frozen=True)
class GroupShare:
    """One group's positive share for one question; ``share`` is None when the group is too small to show."""

    n: int
    share: ShareInterval | None
    reason: str | None = None  # "small" (fewer answers than the minimum) or "secondary" (hidden so a small one cannot be worked out)


@dataclass
class Breakdown:
    """Every scale and yes/no question's positive share by the groups of one single-choice question, in one wave."""

    by: SurveyQuestion
    wave: str
    label: str
    groups: list[tuple[str, str]]  # (option code or NOT_STATED, label)
    rows: list[tuple[SurveyQuestion, GroupShare, list[GroupShare]]]  # question, everyone, each group
    minimum: int


def _threshold(survey: Any) -> int:
    """Counts from 1 to this are hidden (0: not a public build)."""
    settings = getattr(survey, "disclosure", None)
    return settings.threshold if settings is not None else 0


def suppress_groups(sizes: list[int], minimum: int, small: list[bool] | None = None) -> list[str | None]:
    """Which groups to hide: those below the minimum, or with a small count inside (``small``), and, when exactly
    one is hidden, the next smallest ("secondary"), since the overall count is shown and one hidden group could be
    found by subtraction. Empty groups disclose nothing and are never the reason to hide another."""
    small = small or [False] * len(sizes)
    reasons: list[str | None] = ["small" if 0 < n < minimum or (n and small[i]) else None for i, n in enumerate(sizes)]
    if reasons.count("small") == 1:
        shown = [i for i, n in enumerate(sizes) if reasons[i] is None and n > 0]
        if shown:
            reasons[min(shown, key=lambda i: (sizes[i], i))] = "secondary"
    return reasons


def breakdowns(survey: Any, language: str = "en") -> list[Breakdown]:
    """The latest wave's positive shares broken down by each declared question, small groups hidden."""
    model: Survey = survey.model
    if not model.breakdowns or not survey.waves:
        return []
    wave = next(w for w in reversed(model.waves) if w.id in survey.waves)
    table = survey.waves[wave.id]
    by_id = {q.id: q for q in model.questions}
    skipped = consent_questions(model)
    found = []
    for by_question_id in model.breakdowns:
        by = by_id[by_question_id]
        if by_question_id not in table.answers:
            continue
        invalid = table.invalid.get(by_question_id, frozenset())
        membership = [NOT_STATED if (i in invalid or a is None or a not in {o.code for o in by.options}) else str(a)
                      for i, a in enumerate(table.answers[by_question_id])]
        groups = [(o.code, o.label_cy if language == "cy" and o.label_cy else o.label) for o in by.options]
        if NOT_STATED in membership:
            groups.append((NOT_STATED, "Not stated"))  # the page translates it
        rows = []
        for question in model.questions:
            if question.kind not in ("likert", "yes_no") or question.id in skipped or question.id == by.id:
                continue
            if question.id not in table.answers:
                continue
            positive = set(positive_codes(question))
            scale = {o.code for o in table.question(question.id).options}  # yes/no may rely on the default Y/N
            q_invalid = table.invalid.get(question.id, frozenset())
            counts = {code: [0, 0] for code, _ in groups}  # positive, answered on the scale
            for i, answer in enumerate(table.answers[question.id]):
                if i in q_invalid or answer is None or answer not in scale:
                    continue
                cell = counts[membership[i]]
                cell[1] += 1
                cell[0] += answer in positive
            sizes = [counts[code][1] for code, _ in groups]
            threshold = _threshold(survey)
            # A share with its n gives away both the positive and the other answers: in a public build a group
            # where either is from 1 to the threshold is hidden like a small group (then secondary hiding as before).
            small = [is_small(counts[code][0], threshold) or is_small(counts[code][1] - counts[code][0], threshold)
                     for code, _ in groups]
            reasons = suppress_groups(sizes, model.minimum_group, small)
            cells = []
            for (code, _), reason in zip(groups, reasons):
                k, n = counts[code]
                share = wilson_interval(k, n) if reason is None and n else None
                cells.append(GroupShare(n, share, reason))
            k_all, n_all = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
            hide_all = is_small(k_all, threshold) or is_small(n_all - k_all, threshold)
            overall = GroupShare(n_all, wilson_interval(k_all, n_all) if n_all and not hide_all else None,
                                 "small" if hide_all else None)
            rows.append((question, overall, cells))
        found.append(Breakdown(by, wave.id, wave_label(wave, language), groups, rows, model.minimum_group))
    return found


# --- open answers -----------------------------------------------------------------


@dataclass
class OpenAnswers:
    """One open question in one wave: how many answered, and the answers that may be quoted."""

    question: SurveyQuestion
    wave: str
    label: str
    answered: int
    quoted: list[str]


# First words of an answer that agrees, in English and Welsh ("Cewch" / "Gallwch": "you may").
YES_WORDS = frozenset({"yes", "y", "ie", "do", "cewch", "cei", "gallwch", "caniateir", "oes", "ydw", "ydy"})


def consent_yes(question: SurveyQuestion) -> str | None:
    """The code of the answer that gives consent: the one declared `positive`, else the one option
    whose label (English or Welsh) or code reads as yes; None when that can't be told."""
    options = list(question.options) or [SurveyOption(code="Y", label="Yes"), SurveyOption(code="N", label="No")]
    if len(question.positive) == 1:
        return question.positive[0] if question.positive[0] in {o.code for o in options} else None
    if question.positive:
        return None

    def says_yes(option: SurveyOption) -> bool:
        words = [w for text in (option.label, option.label_cy or "", option.code)
                 for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", text).casefold())[:1]]
        return any(w in YES_WORDS for w in words)

    agreeing = [o.code for o in options if says_yes(o)]
    return agreeing[0] if len(agreeing) == 1 else None


def open_answers(survey: Any, language: str = "en") -> list[OpenAnswers]:
    """Per open question and wave, the answers whose writers agreed to be quoted (none without a consent question)."""
    model: Survey = survey.model
    by_id = {q.id: q for q in model.questions}
    found = []
    for question in model.questions:
        if question.kind != "open":
            continue
        for wave in model.waves:
            table = survey.waves.get(wave.id)
            if table is None or question.id not in table.answers:
                continue
            texts = table.answers[question.id]
            consent: tuple[Any, ...] = ()
            yes = None
            if question.consent and question.consent in table.answers:
                consent = table.answers[question.consent]
                yes = consent_yes(by_id[question.consent])  # by its label or code, never by its place
            answered = sum(1 for t in texts if isinstance(t, str) and t.strip())
            quoted = [str(t).strip() for i, t in enumerate(texts)
                      if isinstance(t, str) and t.strip() and yes is not None and consent[i] == yes]
            found.append(OpenAnswers(question, wave.id, wave_label(wave, language), answered, quoted))
    return found
