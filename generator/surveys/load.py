"""Read every wave of a survey document against its questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content.models import Survey, SurveyQuestion
from ..content.loader import resolve_inside
from ..errors import Problem
from .responses import Option, QuestionSpec, ResponseTable, read_responses


def question_spec(question: SurveyQuestion) -> QuestionSpec:
    """The reader's view of a question: where its answers are and which answers it allows."""
    def options(items: list[Any]) -> tuple[Option, ...]:
        return tuple(Option(code=o.code, label=o.label, welsh=o.label_cy) for o in items)

    return QuestionSpec(
        id=question.id, kind=question.kind, column=question.column, options=options(question.options),
        non_substantive=options(question.non_substantive), direction=question.direction,
    )


def read_waves(survey: Any, root: Path, problems: list[Problem],
               la_folders: dict[Path, str] | None = None) -> dict[str, ResponseTable]:
    """Read each wave's CSV (kept inside the content folder); add every problem, with its row and column."""
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
