"""Checks that consent can be honoured: every transcript turn has a known speaker, every
extract's `by=` names everyone speaking in it, and a survey's consent question says which
answer means yes. Called from ``validate.validate_study``.
"""

from __future__ import annotations

from typing import Any

from .content.loader import LoadedSource, Study
from .content.records import MISSING, DocumentRecords
from .content.turns import Speakers, is_transcript, parse_turns
from .errors import Problem, SourceLocation


def check_turns(study: Study, records: DocumentRecords | None = None) -> list[Problem]:
    """A transcript paragraph whose speaker can't be told, or a label naming two people, is an error;
    so is an extract whose `by=` leaves out someone speaking in it. With ``records``, an unchanged
    source's findings (for the same researchers) are taken from the last build's record."""
    records = records or DocumentRecords(None)
    problems: list[Problem] = []
    researchers = study.project.model.researchers if study.project else []
    for source in study.sources:
        key = records.key("turns", source.digest, repr(researchers)) if source.digest else ""
        found = records.get(key, list)
        if found is MISSING:
            found = _turn_problems(source, researchers)
            records.put(key, found)
        problems += found
    return problems


def _turn_problems(source: LoadedSource, researchers: list[Any]) -> list[Problem]:
    problems: list[Problem] = []
    model = source.model
    speakers = Speakers.of(model.participants, researchers)
    transcript = is_transcript(model.method)
    _, found = parse_turns(source.body, source.body_line, speakers, transcript)
    problems += [Problem(SourceLocation(source.path, p.line), p.message) for p in found]
    for extract in source.extracts:
        if not extract.by:
            continue  # optional: the speakers are computed from the turns
        missing = [p for p in extract.speakers if p not in extract.by]
        if missing and transcript:  # elsewhere a name may be mentioned, not quoted; consent covers both anyway
            problems.append(Problem(source.at_line(extract.line), (
                f"by= leaves out {', '.join(missing)}, who speak{'s' if len(missing) == 1 else ''} in this extract; "
                "list every speaker (or leave by= out: speakers are read from the turns)")))
        if transcript:
            silent = [p for p in extract.by if p not in extract.speakers and p in {q.id for q in model.participants}]
            if silent:
                problems.append(Problem(source.at_line(extract.line), (
                    f"by= lists {', '.join(silent)}, who ha{'s' if len(silent) == 1 else 've'} no turn in this extract; "
                    "label their turns or take them out of by=")))
    return problems


def check_survey_consent(study: Study) -> list[Problem]:
    """A consent question must say which option means yes: by `positive`, or by an option labelled Yes."""
    from .compute.surveys import consent_yes

    problems: list[Problem] = []
    for survey in study.surveys:
        questions: list[Any] = survey.model.questions
        by_id = {q.id: q for q in questions}
        for index, question in enumerate(questions):
            if question.consent is None or question.consent not in by_id:
                continue
            target = by_id[question.consent]
            if consent_yes(target) is None:
                where = [i for i, q in enumerate(questions) if q.id == target.id][0]
                problems.append(Problem(survey.at("questions", where), (
                    f"question {target.id}: cannot tell which answer agrees to quotation for {question.id}; "
                    "label one option 'Yes' (Welsh 'Cewch', 'Ie' or 'Do') or give positive: [its code]")))
    return problems
