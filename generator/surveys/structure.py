"""Read a survey tool's own structure file: every question's code, and its answers' codes and labels.

Two formats, as the tools export them:

* LimeSurvey's survey structure (``.lss``), XML tables of rows: ``questions``
  (``title`` is the question code), ``subquestions`` (``parent_qid`` and their
  own ``title``) and ``answers`` (``code``, ``sortorder``, ``scale_id``). Up to
  LimeSurvey 3 the texts sit in those rows with a ``language``; from
  LimeSurvey 4 they are in ``question_l10ns`` and ``answer_l10ns``. Both are read.
  The survey's first language is English; a ``cy`` language gives Welsh labels.
* Qualtrics' survey file (``.qsf``), JSON: one ``SQ`` element per question
  with its ``DataExportTag`` (the column), ``Choices``/``ChoiceOrder``,
  ``Answers``/``AnswerOrder`` for matrix questions, and ``RecodeValues``, the
  codes the export writes.

The result is keyed the way response exports name their columns:
``C1[SQ001]`` (an array row), ``B8`` (a check-all question, whose options are
its ``B8[SQ001]`` ... columns), ``Q1``, ``Q3_1`` (a matrix row), ``Q2`` (check-all,
columns ``Q2_1`` ... ``Q2_-1`` named by recode value).
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_STRUCTURE_BYTES = 20 * 1024 * 1024

# LimeSurvey question types: multiple choice (with or without comments), yes/no, gender, 5-point choice.
LIMESURVEY_MULTIPLE = {"M", "P"}
LIMESURVEY_FIXED = {
    "Y": (("Y", "Yes"), ("N", "No")),
    "G": (("F", "Female"), ("M", "Male")),
    "5": tuple((str(i), str(i)) for i in range(1, 6)),
}
# Qualtrics selectors of a multiple-choice question that allow several answers.
QUALTRICS_MULTIPLE = {"MAVR", "MAHR", "MACOL", "MSB", "MultipleAnswer"}


class StructureError(ValueError):
    """The file is not a structure file this reader knows; the message says what was expected."""


@dataclass(frozen=True)
class Answer:
    code: str
    label: str
    welsh: str | None = None


@dataclass(frozen=True)
class StructureQuestion:
    """One column (or, for a check-all question, one group of columns) of the response export."""

    code: str
    text: str
    answers: tuple[Answer, ...] = ()  # the answers the column holds, in the tool's order
    columns: tuple[tuple[str, Answer], ...] = ()  # a check-all question: (column, option) per option


@dataclass
class Structure:
    path: str
    tool: str  # "LimeSurvey" or "Qualtrics"
    questions: dict[str, StructureQuestion] = field(default_factory=dict)

    def get(self, column: str) -> StructureQuestion | None:
        return self.questions.get(column) or self.questions.get(column.strip())


def read_structure(path: Path | str) -> Structure:
    """Read a LimeSurvey ``.lss`` or Qualtrics ``.qsf`` file (told apart by content, not by name)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_STRUCTURE_BYTES:
        raise StructureError(f"file is {size / 1e6:.0f} MB; structure files are limited to "
                             f"{MAX_STRUCTURE_BYTES // 1_000_000} MB")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StructureError(f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})") from None
    start = text.lstrip()[:1]
    if start == "<":
        return _limesurvey(str(path), text)
    if start == "{":
        return _qualtrics(str(path), text)
    raise StructureError("expected a LimeSurvey survey structure (.lss, XML) or a Qualtrics survey file (.qsf, JSON)")


def _clean(text: Any) -> str:
    """Answer text without the HTML the tools allow in it."""
    text = re.sub(r"<br\s*/?>", " ", str(text or ""), flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return " ".join(text.split())


# --- LimeSurvey -------------------------------------------------------------------


def _rows(root: ElementTree.Element, table: str) -> list[dict[str, str]]:
    section = root.find(table)
    if section is None:
        return []
    return [{child.tag: (child.text or "") for child in row} for row in section.iterfind("rows/row")]


def _limesurvey(path: str, text: str) -> Structure:
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):  # a structure export never declares entities
        raise StructureError("the XML declares a DOCTYPE or entities, which a LimeSurvey .lss never does")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise StructureError(f"not well-formed XML at line {line}, column {column + 1}") from None
    kind = (root.findtext("LimeSurveyDocType") or "").strip()
    if root.tag != "document" or kind != "Survey":
        raise StructureError(f"expected a LimeSurvey survey structure (<document> with <LimeSurveyDocType>Survey), "
                             f"got <{root.tag}>" + (f" of type {kind!r}" if kind else ""))
    languages = [(e.text or "").strip() for e in root.iterfind("languages/language") if (e.text or "").strip()]
    base = languages[0] if languages else "en"

    def localised(rows: list[dict[str, str]], key: str, value: str, l10ns: list[dict[str, str]],
                  l10n_key: str) -> dict[str, dict[str, str]]:
        """id -> language -> text, from the rows themselves (LimeSurvey 3) or their l10n table (4 and later)."""
        found: dict[str, dict[str, str]] = {}
        for row in rows:
            if value in row:
                found.setdefault(row[key], {})[row.get("language", base) or base] = row[value]
        for row in l10ns:
            found.setdefault(row.get(l10n_key, ""), {})[row.get("language", base) or base] = row.get(value, "")
        return found

    questions = _rows(root, "questions")
    subquestions = _rows(root, "subquestions")
    answers = _rows(root, "answers")
    question_text = localised(questions + subquestions, "qid", "question", _rows(root, "question_l10ns"), "qid")
    answer_key = "aid" if any("aid" in row for row in answers) else None
    answer_text = (localised(answers, "aid", "answer", _rows(root, "answer_l10ns"), "aid") if answer_key else {})

    def label(texts: dict[str, str]) -> tuple[str, str | None]:
        english = _clean(texts.get(base) or next(iter(texts.values()), ""))
        welsh = _clean(texts.get("cy", "")) or None
        return english, welsh

    by_question: dict[str, list[tuple[int, Answer]]] = {}
    seen: set[tuple[str, str]] = set()
    for row in answers:
        if (row.get("scale_id") or "0") != "0":
            continue  # a dual-scale array's second scale: not a column of its own here
        qid, code = row.get("qid", ""), row.get("code", "").strip()
        if not code or (qid, code) in seen:
            continue  # LimeSurvey 3 repeats each answer once per language
        if answer_key:
            english, welsh = label(answer_text.get(row.get("aid", ""), {}))
        else:
            english, welsh = label({r.get("language", base) or base: r.get("answer", "")
                                    for r in answers if r.get("qid") == qid and r.get("code", "").strip() == code})
        seen.add((qid, code))
        by_question.setdefault(qid, []).append((_order(row.get("sortorder")), Answer(code, english or code, welsh)))
    subs_of: dict[str, list[tuple[int, str, str]]] = {}
    seen_subs: set[str] = set()
    for row in subquestions + [q for q in questions if (q.get("parent_qid") or "0") != "0"]:
        qid = row.get("qid", "")
        if qid in seen_subs or (row.get("scale_id") or "0") != "0":
            continue
        seen_subs.add(qid)
        subs_of.setdefault(row.get("parent_qid", ""), []).append(
            (_order(row.get("question_order")), row.get("title", "").strip(), qid))

    structure = Structure(path, "LimeSurvey")
    done: set[str] = set()
    for row in questions:
        qid = row.get("qid", "")
        if (row.get("parent_qid") or "0") != "0" or qid in done:
            continue
        done.add(qid)
        code, kind = row.get("title", "").strip(), row.get("type", "").strip()
        text, _ = label(question_text.get(qid, {}))
        own = tuple(a for _, a in sorted(by_question.get(qid, []), key=lambda pair: pair[0]))
        if not own and kind in LIMESURVEY_FIXED:
            own = tuple(Answer(c, t) for c, t in LIMESURVEY_FIXED[kind])
        subs = sorted(subs_of.get(qid, []))
        if kind in LIMESURVEY_MULTIPLE:
            columns = []
            for _, title, sub_qid in subs:
                english, welsh = label(question_text.get(sub_qid, {}))
                columns.append((f"{code}[{title}]", Answer(title, english or title, welsh)))
            structure.questions[code] = StructureQuestion(code, text, (), tuple(columns))
            continue
        structure.questions[code] = StructureQuestion(code, text, own)
        for _, title, sub_qid in subs:  # an array's rows share the question's answers
            sub_text, _ = label(question_text.get(sub_qid, {}))
            structure.questions[f"{code}[{title}]"] = StructureQuestion(f"{code}[{title}]", sub_text or text, own)
    return structure


def _order(value: str | None) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


# --- Qualtrics ----------------------------------------------------------------------


def _qualtrics(path: str, text: str) -> Structure:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise StructureError(f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    elements = document.get("SurveyElements") if isinstance(document, dict) else None
    if not isinstance(elements, list):
        raise StructureError("expected a Qualtrics survey file (.qsf): a JSON object with SurveyElements")
    structure = Structure(path, "Qualtrics")
    for element in elements:
        if not isinstance(element, dict) or element.get("Element") != "SQ" or not isinstance(element.get("Payload"), dict):
            continue
        payload = element["Payload"]
        tag = str(payload.get("DataExportTag") or payload.get("QuestionID") or "").strip()
        if not tag:
            continue
        text = _clean(payload.get("QuestionText") or payload.get("QuestionDescription"))
        recodes = payload.get("RecodeValues") if isinstance(payload.get("RecodeValues"), dict) else {}
        kind, selector = payload.get("QuestionType"), payload.get("Selector")
        choices = _ordered(payload.get("Choices"), payload.get("ChoiceOrder"))
        if kind == "MC":
            options = tuple(Answer(str(recodes.get(key, key)), display or str(key)) for key, display in choices)
            if selector in QUALTRICS_MULTIPLE:
                structure.questions[tag] = StructureQuestion(tag, text, (), tuple((f"{tag}_{o.code}", o) for o in options))
            else:
                structure.questions[tag] = StructureQuestion(tag, text, options)
        elif kind == "Matrix" and payload.get("SubSelector") != "MultipleAnswer":
            # a matrix's recodes are its answers' (the scale's) codes; its rows are columns tag_row
            scale = tuple(Answer(str(recodes.get(key, key)), display or str(key))
                          for key, display in _ordered(payload.get("Answers"), payload.get("AnswerOrder")))
            row_tags = payload.get("ChoiceDataExportTags") if isinstance(payload.get("ChoiceDataExportTags"), dict) else {}
            structure.questions[tag] = StructureQuestion(tag, text, scale)
            for key, display in choices:
                column = str(row_tags.get(key) or f"{tag}_{key}")
                structure.questions[column] = StructureQuestion(column, f"{text} - {display}" if display else text, scale)
    return structure


def _ordered(items: Any, order: Any) -> list[tuple[str, str]]:
    """(key, display text) in the question's own order."""
    if not isinstance(items, dict):
        return []
    keys = [str(k) for k in order] if isinstance(order, list) else list(items)
    keys += [k for k in items if k not in keys]
    found = []
    for key in keys:
        item = items.get(key)
        if isinstance(item, dict):
            found.append((key, _clean(item.get("Display"))))
    return found
