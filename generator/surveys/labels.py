"""Fill in what a survey's questions leave out: options and labels, from the tool's own files.

A question may give its options by code alone, or (with a structure file, or
for a check-all question whose export has a column per option) not at all.
What is missing is taken, in this order, from:

1. the survey's ``structure`` file (LimeSurvey ``.lss``, Qualtrics ``.qsf``),
   which gives every answer's code and label in the tool's order, Welsh included;
2. the export's own headings, for a check-all question's options: LimeSurvey's
   "question code & question text" headings and Qualtrics' second header row.

Labels written in the survey document always win. An option left without a
label is a problem that says where labels can come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.models import SurveyOption, SurveyQuestion
from ..errors import did_you_mean
from .structure import Answer, Structure


@dataclass
class Headings:
    """The columns of a wave's export and the labels its headings carry (see ``read_headings``)."""

    codes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def _available(question: SurveyQuestion, structure: Structure | None, headings: Headings) -> list[tuple[str, Answer]]:
    """A check-all question's (column, option) pairs, from the structure file, else from the export's columns."""
    entry = structure.get(question.column) if structure else None
    if entry is not None and entry.columns:
        return list(entry.columns)
    found = []
    for code in headings.codes:
        for opening, closing in ((f"{question.column}[", "]"), (f"{question.column}_", "")):
            if code.startswith(opening) and code.endswith(closing):
                inner = code[len(opening):len(code) - len(closing)]
                # LimeSurvey's [other] and Qualtrics' _TEXT columns hold free text, not ticks
                if inner and inner.lower() != "other" and not inner.upper().endswith("TEXT") and "_" not in inner:
                    found.append((code, Answer(inner, headings.labels.get(code, ""))))
    return found


def complete_question(question: SurveyQuestion, structure: Structure | None,
                      headings: Headings) -> tuple[SurveyQuestion, list[str]]:
    """The question with its options and labels filled in, and a message for each that could not be."""
    if question.kind == "open":
        return question, []
    problems: list[str] = []
    entry = structure.get(question.column) if structure else None
    if structure is not None and entry is None and (not question.options or any(
            o.label is None for o in question.options + question.non_substantive)):
        known = list(structure.questions)
        problems.append(f"question {question.id}: column '{question.column}' is not a question of the structure "
                        f"file {structure.path.rsplit('/', 1)[-1]}{did_you_mean(question.column, known)}")
    apart_codes = {o.code for o in question.non_substantive}
    if question.kind == "multiple" and question.separator is None:
        available = _available(question, structure, headings)
        by_code = {answer.code: (column, answer) for column, answer in available}
        columns = set(headings.codes)
        declared = list(question.options) or [SurveyOption(code=a.code) for _, a in available
                                               if a.code not in apart_codes]

        def fill(option: SurveyOption) -> SurveyOption:
            column, answer = by_code.get(option.code, (None, None))
            if option.column:
                column = option.column
            elif column is None:
                column = next((c for c in (f"{question.column}[{option.code}]", f"{question.column}_{option.code}")
                               if c in columns), f"{question.column}[{option.code}]")
            label = option.label or (answer.label if answer else "") or headings.labels.get(column, "")
            welsh = option.label_cy or (answer.welsh if answer else None)
            return option.model_copy(update={"column": column, "label": label or None, "label_cy": welsh})

        options, apart = [fill(o) for o in declared], [fill(o) for o in question.non_substantive]
        if not options and not problems:
            problems.append(f"question {question.id}: no options given, and no columns '{question.column}[...]' or "
                            f"'{question.column}_...' in the export" + (" or the structure file" if structure else ""))
    else:
        answers = {a.code: a for a in (entry.answers if entry else ())}
        declared = list(question.options)
        if not declared and entry is not None and not (question.kind == "yes_no" and len(entry.answers) != 2 + len(apart_codes)):
            declared = [SurveyOption(code=a.code) for a in entry.answers if a.code not in apart_codes]

        def fill(option: SurveyOption) -> SurveyOption:
            answer = answers.get(option.code)
            return option.model_copy(update={"label": option.label or (answer.label if answer else None),
                                             "label_cy": option.label_cy or (answer.welsh if answer else None)})

        options, apart = [fill(o) for o in declared], [fill(o) for o in question.non_substantive]
    unlabelled = [o.code for o in options + apart if not o.label]
    if unlabelled and not problems:
        where = ("the structure file does not give one" if structure is not None
                 else "give `label`, or declare the survey's `structure` file (LimeSurvey .lss, Qualtrics .qsf)")
        problems.append(f"question {question.id}: no label for option{'s' if len(unlabelled) > 1 else ''} "
                        f"{', '.join(unlabelled)}; {where}")
    return question.model_copy(update={"options": options, "non_substantive": apart}), problems
