"""Integration: replication across LAs, fit counts, vignette comparison and the data-collection tracker."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..content.models import Fit, Method, MetaInference, Replication
from ..render.i18n import N_
from ..view import SiteView

FIT_ORDER = [Fit.CONFIRMATORY, Fit.EXPANSIONARY, Fit.DISCORDANT]
THIRD_ORDER = ["high", "middle", "low"]


def fit_counts(metas: list[MetaInference]) -> list[tuple[Fit, int]]:
    counts = Counter(m.fit for m in metas)
    return [(fit, counts.get(fit, 0)) for fit in FIT_ORDER]


def replication(metas: list[MetaInference], la_ids: list[str]) -> list[tuple[MetaInference, list[Replication]]]:
    """Return each meta-inference with its verdict for every LA, 'no_data' where none was recorded."""
    return [(m, [m.replication.get(la, Replication.NO_DATA) for la in la_ids]) for m in metas]


@dataclass
class QuestionSummary:
    """How the focus groups answered one vignette question."""

    number: int
    question: str
    kind: str  # "outcome" or "factors"
    groups: int
    overall: list[tuple[str, int]]  # answer, number of groups giving it
    by_la: list[tuple[str, list[tuple[str, int]], int]] = field(default_factory=list)  # LA name, answers, groups
    by_third: list[tuple[str, list[tuple[str, int]], int]] = field(default_factory=list)


def vignette_comparison(view: SiteView, questions: list[str]) -> list[QuestionSummary]:
    """Summarise the focus groups' vignette answers: overall, by LA and by deprivation third."""
    if not questions:  # a study without a vignette (check refuses answers without its questions)
        return []
    answered = [s for s in view.sources if s.model.method is Method.FOCUS_GROUP and s.model.vignette is not None]
    rows = []
    for source in answered:
        la = view.la_of_site(source.model.site)
        rows.append((la, source.model.vignette))

    labels = {option.id: option.label for option in view.project.vignette_outcomes}

    def outcome(answer: Any, attribute: str) -> list[str]:
        return [labels.get(getattr(answer, attribute), getattr(answer, attribute))]

    def factors(answer: Any, attribute: str) -> list[str]:
        return sorted({f.strip().lower() for f in getattr(answer, attribute)})

    specs = [
        (1, "factors", "preferred_response_factors", factors),
        (2, "outcome", "initial_outcome", outcome),
        (3, "outcome", "likely_outcome", outcome),
        (4, "factors", "outcome_factors", factors),
    ]
    summaries = []
    for number, kind, attribute, extract in specs:
        def tally(subset: list[tuple[Any, Any]]) -> list[tuple[str, int]]:
            counts: Counter[str] = Counter()
            for _, answer in subset:
                counts.update(extract(answer, attribute))
            return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

        summary = QuestionSummary(number, questions[number - 1], kind, len(rows), tally(rows))
        for la in view.local_authorities:
            subset = [r for r in rows if r[0].id == la.model.id]
            if subset:
                summary.by_la.append((la.model.name, tally(subset), len(subset)))
        for third in THIRD_ORDER:
            subset = [r for r in rows if r[0].deprivation and r[0].deprivation.third.value == third]
            if subset:
                summary.by_third.append((third, tally(subset), len(subset)))
        summaries.append(summary)
    return summaries


@dataclass
class TrackerItem:
    label: str  # a message id (N_): the page translates it
    have: float
    need: float
    unit: str = ""

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def share(self) -> float:
        return 1.0 if self.need <= 0 else min(self.have / self.need, 1.0)


def tracker(view: SiteView, minimum: Any) -> list[tuple[Any, list[TrackerItem]]]:
    """Return, for each site of the view, what it holds against the minimum data per site."""
    result: list[tuple[Any, list[TrackerItem]]] = []
    if minimum is None:
        return result
    for site in view.sites:
        sources = view.sources_of(site.model.id)

        def count(method: Method) -> int:
            return sum(1 for s in sources if s.model.method is method)

        hours = sum(s.model.hours or 0 for s in sources if s.model.method in (Method.FIELD_NOTES, Method.OBSERVATION))
        la = site.model.la
        routine = sum(1 for d in view.datasets if d.model.la == la or (d.model.la_column and d.model.id in view.tables))
        items = [
            TrackerItem(N_("Interviews"), count(Method.INTERVIEW), minimum.interviews),
            TrackerItem(N_("Focus groups"), count(Method.FOCUS_GROUP), minimum.focus_groups),
            TrackerItem(N_("Observation"), hours, minimum.observation_hours, "hours"),
            TrackerItem(N_("Family case narratives"), count(Method.CASE_NARRATIVE), minimum.family_case_narratives),
            TrackerItem(N_("Decision-making flowcharts"), count(Method.FLOWCHART), minimum.flowcharts),
        ]
        items = [item for item in items if item.need]  # only what the study set out to collect
        if minimum.routine_data:
            items.append(TrackerItem(N_("Routine data (datasets)"), routine, 1))
        if minimum.web_research:
            items.append(TrackerItem(N_("Web research"), count(Method.WEB_RESEARCH), 1))
        result.append((site.model, items))
    return result
