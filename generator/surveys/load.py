"""Read every wave of a survey document against its questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content.loader import resolve_inside
from ..content.models import Survey, SurveyQuestion
from ..errors import Problem
from .labels import Headings, complete_question
from .responses import Option, QuestionSpec, ResponseTable, read_headings, read_responses
from .structure import Structure, StructureError, read_structure


def question_spec(question: SurveyQuestion) -> QuestionSpec:
    """The reader's view of a question: where its answers are and which answers it allows."""
    def options(items: list[Any]) -> tuple[Option, ...]:
        return tuple(Option(code=o.code, label=o.label or "", welsh=o.label_cy, column=o.column) for o in items)

    per_option = question.kind == "multiple" and question.separator is None
    return QuestionSpec(
        id=question.id, kind=question.kind, column=None if per_option else question.column,
        options=options(question.options), non_substantive=options(question.non_substantive),
        direction=question.direction, separator=question.separator,
    )


def _structure(survey: Any, root: Path, problems: list[Problem], la_folders: dict[Path, str] | None) -> Structure | None:
    model: Survey = survey.model
    if model.structure is None:
        return None
    where = survey.at("structure")
    real = resolve_inside(root, survey, model.structure, where, problems, la_folders)
    if real is None:
        return None
    try:
        found = read_structure(real)
    except StructureError as error:
        problems.append(Problem(where, f"structure: {model.structure}: {error}"))
        return None
    found.path = model.structure
    return found


def complete_survey(survey: Any, root: Path, problems: list[Problem],
                    la_folders: dict[Path, str] | None = None) -> bool:
    """Fill in the options and labels the questions leave out (from the structure file and the first wave's
    headings), replacing ``survey.model``; add a problem for each left unlabelled. False if any was."""
    model: Survey = survey.model
    structure = _structure(survey, root, problems, la_folders)
    if model.structure is not None and structure is None:
        return False
    headings = Headings()
    if model.waves:
        first = resolve_inside(root, survey, model.waves[0].file, survey.at("waves", 0, "file"), [], la_folders)
        if first is not None:
            headings = Headings(*read_headings(first))
    completed, ok = [], True
    for index, question in enumerate(model.questions):
        filled, found = complete_question(question, structure, headings)
        for message in found:
            problems.append(Problem(survey.at("questions", index), message))
        ok = ok and not found
        completed.append(filled)
    survey.model = model.model_copy(update={"questions": completed})
    return ok


def read_waves(survey: Any, root: Path, problems: list[Problem],
               la_folders: dict[Path, str] | None = None) -> dict[str, ResponseTable]:
    """Read each wave's CSV (kept inside the content folder); add every problem, with its row and column."""
    if not complete_survey(survey, root, problems, la_folders):
        return {}
    model: Survey = survey.model
    specs = []
    for index, question in enumerate(model.questions):
        try:
            specs.append(question_spec(question))
        except ValueError as error:
            problems.append(Problem(survey.at("questions", index), str(error)))
    if len(specs) != len(model.questions):
        return {}
    waves: dict[str, ResponseTable] = {}
    real_root = root.resolve()
    for index, wave in enumerate(model.waves):
        real = resolve_inside(root, survey, wave.file, survey.at("waves", index, "file"), problems, la_folders)
        if real is None:
            continue
        shown = root.name + "/" + real.relative_to(real_root).as_posix()
        table, found = read_responses(real, specs)
        for problem in found:  # the reader names the file as given; show it as the user knows it
            location = problem.location
            problems.append(Problem(type(location)(shown, location.line, location.column), problem.message, problem.severity))
        waves[wave.id] = table
    return waves


def read_survey_waves(study: Any, survey: Any, problems: list[Problem], la_folders: dict[Path, str]) -> None:
    """The survey kind's reader (generator.content.kinds): its waves, kept on the loaded survey."""
    survey.waves = read_waves(survey, study.root, problems, la_folders)
