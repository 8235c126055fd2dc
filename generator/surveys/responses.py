"""Read one survey wave's responses CSV, as online survey tools export it.

A wave is read against its question definitions (:class:`QuestionSpec`): which
column holds each question, and which options it may take. The reader takes
exports as the tools write them:

* a UTF-8 byte-order mark, CRLF line endings, quoted fields with newlines, and
  the blank record LimeSurvey leaves at the end of the file;
* Qualtrics' extra header rows: row 2 repeats the question text and row 3 holds
  ``{"ImportId": ...}`` (JSON, or a Python dict with single quotes in the 2016
  format). They are recognised, skipped and counted;
* LimeSurvey's "question code & question text" headings
  (``C1[SQ001]. How satisfied ... [Supervision]``): a question's column may be
  named by its code alone;
* answers as option codes (``1``, ``A2``) or as answer text, in any case and
  spacing, with curly or straight apostrophes, in English or Welsh.

Every problem is reported at once as ``path:row [column]: message``, with the
row as a spreadsheet numbers it (header = row 1). Columns that no question uses
(exports carry many metadata and timing columns) are not problems; they are
listed once on the table as :attr:`ResponseTable.extra_columns`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Union

from ..errors import Problem, SourceLocation, did_you_mean, one_of
from ..intake import MAX_CSV_BYTES, UTF8, read_csv
MAX_PROBLEMS_PER_COLUMN = 10
MAX_EXTRA_HEADER_ROWS = 3  # Qualtrics writes two; allow one more before giving up

# Columns that identify a respondent, in the order they are tried when the
# caller names none: Qualtrics (current and 2016 formats), LimeSurvey.
KNOWN_ID_COLUMNS = ("ResponseId", "ResponseID", "Response ID", "id")

Answer = Union[str, frozenset[str], None]
"""One respondent's answer: an option code, a set of codes (multiple choice),
the text (open question), or None when the respondent gave no answer."""


class QuestionKind(str, Enum):
    LIKERT = "likert"
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"
    OPEN = "open"


class Direction(str, Enum):
    """Which end of a Likert scale is the good one, in the order the options are listed."""

    POSITIVE_HIGH = "positive_high"  # the last option is the most positive
    POSITIVE_LOW = "positive_low"  # the first option is the most positive


_QUOTES = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
})


def normalise(text: str) -> str:
    """The form answers are compared in: case, spacing and apostrophe style ignored."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Option:
    """One answer a closed question allows: its code, English label and Welsh label.

    ``column`` is only for multiple-choice questions exported one column per option.
    """

    code: str
    label: str
    welsh: str | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        code = str(self.code).strip()
        if not code:
            raise ValueError(f"option {self.label!r} has no code")
        if not str(self.label).strip():
            raise ValueError(f"option {code!r} has no label")
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "label", str(self.label).strip())
        if self.welsh is not None:
            object.__setattr__(self, "welsh", str(self.welsh).strip() or None)

    def keys(self) -> tuple[str, ...]:
        """Every normalised text that selects this option."""
        texts = [self.code, self.label] + ([self.welsh] if self.welsh else [])
        return tuple(dict.fromkeys(normalise(text) for text in texts))

    def describe(self) -> str:
        return self.code if normalise(self.code) == normalise(self.label) else f"{self.code} ({self.label})"


YES_NO_OPTIONS = (Option("Y", "Yes", welsh="Ie"), Option("N", "No", welsh="Na"))


def _option(value: Any) -> Option:
    if isinstance(value, Option):
        return value
    if isinstance(value, Mapping):
        return Option(**value)
    raise TypeError(f"expected an Option, got {value!r}")


@dataclass(frozen=True)
class QuestionSpec:
    """A question of the wave: where its answers are and which answers it allows.

    * ``likert``: ``options`` in scale order, a ``direction``, and any
      ``non_substantive`` options ("Don't know", "Prefer not to say") kept off the scale;
    * ``single``: one option from ``options`` (or ``non_substantive``);
    * ``yes_no``: two options, Yes (``Y``) and No (``N``) unless given;
    * ``multiple``: either one ``column`` holding codes or labels joined by
      ``separator``, or no ``column`` and a ``column`` on every option (ticked
      cells hold ``1``, ``Y``, ``Yes`` or the option itself);
    * ``open``: free text, no options.
    """

    id: str
    kind: QuestionKind
    column: str | None = None
    options: tuple[Option, ...] = ()
    non_substantive: tuple[Option, ...] = ()
    direction: Direction | None = None
    separator: str | None = None
    _lookup: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kind = QuestionKind(self.kind)
        options = tuple(_option(o) for o in self.options)
        extra = tuple(_option(o) for o in self.non_substantive)
        if kind is QuestionKind.YES_NO and not options:
            options = YES_NO_OPTIONS
        direction = Direction(self.direction) if self.direction is not None else None
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "non_substantive", extra)
        object.__setattr__(self, "direction", direction)
        self._check()
        lookup: dict[str, str] = {}
        for option in options + extra:
            for key in option.keys():
                other = lookup.setdefault(key, option.code)
                if other != option.code:
                    raise ValueError(f"question {self.id}: '{key}' would match both option {other} and option {option.code}")
        object.__setattr__(self, "_lookup", lookup)

    def _check(self) -> None:
        name = f"question {self.id}"
        if not str(self.id).strip():
            raise ValueError("a question needs an id")
        every = self.options + self.non_substantive
        codes = [o.code for o in every]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"{name}: option code(s) {', '.join(repeated)} given twice")
        if self.kind is QuestionKind.OPEN:
            if every:
                raise ValueError(f"{name}: an open question has no options")
        elif not self.options:
            raise ValueError(f"{name}: a {self.kind.value} question needs options")
        if self.kind is QuestionKind.LIKERT:
            if len(self.options) < 2:
                raise ValueError(f"{name}: a likert scale needs at least two options")
            if self.direction is None:
                raise ValueError(f"{name}: a likert question needs a direction (positive_high or positive_low)")
        elif self.direction is not None:
            raise ValueError(f"{name}: only likert questions have a direction")
        if self.kind is QuestionKind.YES_NO and len(self.options) != 2:
            raise ValueError(f"{name}: a yes_no question has exactly two options (yes, no)")
        with_columns = [o for o in every if o.column]
        if self.kind is QuestionKind.MULTIPLE and self.separator is None:
            if self.column is not None or len(with_columns) != len(every):
                raise ValueError(f"{name}: give a column on every option, or one column and a separator")
        else:
            if with_columns:
                raise ValueError(f"{name}: only multiple-choice options exported one per column have a column")
            if not self.column:
                raise ValueError(f"{name}: no column given")
            if self.separator is not None and self.kind is not QuestionKind.MULTIPLE:
                raise ValueError(f"{name}: only multiple-choice questions have a separator")

    @property
    def all_options(self) -> tuple[Option, ...]:
        """Scale (or substantive) options first, then the non-substantive ones."""
        return self.options + self.non_substantive

    @property
    def columns(self) -> tuple[str, ...]:
        if self.column:
            return (self.column,)
        return tuple(o.column for o in self.all_options if o.column)

    def match(self, text: str) -> str | None:
        """The code of the option ``text`` names (by code, English or Welsh label), or None."""
        return self._lookup.get(normalise(text))

    def is_substantive(self, code: str) -> bool:
        return any(o.code == code for o in self.options)

    def unexpected(self, text: str) -> str:
        """The message for an answer that matches no option."""
        shown = text if len(text) <= 40 else text[:37] + "..."
        candidates = [o.code for o in self.all_options] + [o.label for o in self.all_options]
        candidates += [o.welsh for o in self.all_options if o.welsh]
        choices = one_of(o.describe() for o in self.all_options)
        return f"question {self.id}: expected {choices}, got '{shown}'{did_you_mean(text, candidates)}"


class Counts(Mapping[str, int]):
    """How many respondents chose each option of a question.

    As a mapping: substantive option code -> count, in scale order, zeros
    included. Non-substantive options, blanks and unreadable answers are kept
    apart. For a multiple-choice question a respondent counts once under each
    option ticked; ``answered`` counts respondents.
    """

    def __init__(self, scale: dict[str, int], non_substantive: dict[str, int],
                 blank: int, invalid: int, respondents: int):
        self.scale = dict(scale)
        self.non_substantive = dict(non_substantive)
        self.blank = blank
        self.invalid = invalid
        self.respondents = respondents

    @property
    def answered(self) -> int:
        """Respondents who gave a readable answer (non-substantive ones included)."""
        return self.respondents - self.blank - self.invalid

    def __getitem__(self, code: str) -> int:
        return self.scale[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.scale)

    def __len__(self) -> int:
        return len(self.scale)

    def __repr__(self) -> str:
        return (f"Counts({self.scale}, non_substantive={self.non_substantive}, "
                f"blank={self.blank}, invalid={self.invalid}, respondents={self.respondents})")


@dataclass(frozen=True)
class ResponseTable:
    """The answers of one wave: per question, one answer per respondent, in file order."""

    path: str
    questions: tuple[QuestionSpec, ...]
    answers: Mapping[str, tuple[Answer, ...]]
    respondent_ids: tuple[str | None, ...] = ()
    rows: tuple[int, ...] = ()  # each respondent's row, as a spreadsheet numbers it
    header_rows_skipped: int = 0
    id_column: str | None = None
    extra_columns: tuple[str, ...] = ()  # informational: columns no question uses
    missing_questions: tuple[str, ...] = ()  # questions whose column is not in the file
    invalid: Mapping[str, frozenset[int]] = field(default_factory=dict)  # positions with a bad answer

    @property
    def n_respondents(self) -> int:
        return len(self.rows)

    def question(self, question_id: str) -> QuestionSpec:
        for question in self.questions:
            if question.id == question_id:
                return question
        known = [q.id for q in self.questions]
        raise KeyError(f"no question {question_id!r}; {one_of(known)}{did_you_mean(question_id, known)}")

    def counts(self, question_id: str) -> Counts:
        question = self.question(question_id)
        if question_id not in self.answers:
            raise KeyError(f"question {question_id} was not read: its column is missing from {self.path}")
        invalid = self.invalid.get(question_id, frozenset())
        scale = {o.code: 0 for o in question.options}
        extra = {o.code: 0 for o in question.non_substantive}
        blank = 0
        for position, answer in enumerate(self.answers[question_id]):
            if position in invalid:
                continue
            if answer is None:
                blank += 1
                continue
            if question.kind is QuestionKind.OPEN:
                continue
            for code in (answer if isinstance(answer, frozenset) else (answer,)):
                (scale if code in scale else extra)[code] += 1
        return Counts(scale, extra, blank, len(invalid), self.n_respondents)


# --- reading ------------------------------------------------------------------

_IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:""")
# LimeSurvey "question code & question text" headings: "C1[SQ001]. How satisfied ..."
_CODE_HEADING = re.compile(r"^([A-Za-z_][\w#]*(?:\[[^\]]*\])?)\.\s")

_TICKED = {"1", "y", "yes", "true", "x", "checked", "selected", "ie"}
_UNTICKED = {"0", "n", "no", "false", "not selected", "na"}
_NOT_SHOWN = {"", "n/a"}  # LimeSurvey writes N/A for a box on a page never shown


class _Header:
    def __init__(self, cells: list[str]):
        self.names = [cell.strip() for cell in cells]
        self.codes = [_heading_code(name) for name in self.names]

    def find(self, name: str) -> list[int]:
        """Positions of the column ``name``: the whole heading, or its LimeSurvey code."""
        for matches in (
            [i for i, heading in enumerate(self.names) if heading == name],
            [i for i, code in enumerate(self.codes) if code == name],
            [i for i, code in enumerate(self.codes) if normalise(code) == normalise(name)],
        ):
            if matches:
                return matches
        return []

    def listing(self, name: str) -> str:
        shown = [code for code in self.codes if code]
        text = ", ".join(shown[:12]) + (f", … ({len(shown)} in all)" if len(shown) > 12 else "")
        return text + did_you_mean(name, shown)


def _heading_code(heading: str) -> str:
    match = _CODE_HEADING.match(heading)
    return match.group(1) if match else heading


def _squash(text: str) -> str:
    return re.sub(r"[\s_]+", "", normalise(text))


def _is_import_id_row(row: list[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return bool(cells) and 2 * sum(bool(_IMPORT_ID.match(cell)) for cell in cells) >= len(cells)


def _is_label_row(row: list[str], header: _Header, id_index: int | None) -> bool:
    """A second header row: the id column names itself, a cell reads "Response ID"
    (Qualtrics' legacy export, whose first row is V1, V2, ...), or most cells
    repeat their heading."""
    if id_index is not None and id_index < len(row):
        cell = _squash(row[id_index])
        if cell and cell in {_squash(header.names[id_index])} | {_squash(n) for n in KNOWN_ID_COLUMNS}:
            return True
    if any(_squash(cell) == "responseid" for cell in row):
        return True
    pairs = [(cell, name) for cell, name in zip(row, header.names) if cell.strip()]
    same = sum(_squash(cell) == _squash(name) for cell, name in pairs)
    return bool(pairs) and 2 * same >= len(pairs)


def _count_extra_header_rows(records: list[list[str]], header: _Header, id_index: int | None) -> int:
    skipped = 0
    while skipped < MAX_EXTRA_HEADER_ROWS and 1 + skipped < len(records):
        window = records[1 + skipped: 1 + MAX_EXTRA_HEADER_ROWS]
        import_at = next((k for k, row in enumerate(window) if _is_import_id_row(row)), None)
        if import_at is not None:
            skipped += import_at + 1  # the ImportId row and the label rows above it
        elif _is_label_row(records[1 + skipped], header, id_index):
            skipped += 1
        else:
            break
    return skipped


def _empty(path: str, questions: Sequence[QuestionSpec]) -> ResponseTable:
    return ResponseTable(path, tuple(questions), {}, missing_questions=tuple(q.id for q in questions))


def read_headings(path: Path | str) -> tuple[list[str], dict[str, str]]:
    """Every column's code, and the label the export itself gives a column, where it gives one.

    LimeSurvey's "question code & question text" headings end a subquestion's heading with its label
    (``A8[SQ001]. Which ... describes you? [Caucasian/European]``); Qualtrics' second header row reads
    ``question text-choice`` (``Check all statements you agree with-Squash are great``), and the choice is
    what is left once the text all the question's columns share is cut off. A file that cannot be read
    gives nothing here: :func:`read_responses` reports why.
    """
    file, _ = read_csv(path)
    if file is None or not file.header:
        return [], {}
    records = [file.header] + [record.cells for record in file.records[:MAX_EXTRA_HEADER_ROWS + 1]]
    header = _Header(records[0])
    labels: dict[str, str] = {}
    for name, code in zip(header.names, header.codes):
        if code != name and "[" in code:
            found = re.search(r"\[([^\]]*)\]\s*$", name[len(code):])
            if found and found.group(1).strip():
                labels[code] = found.group(1).strip()
    if _count_extra_header_rows(records, header, None) and len(records) > 1:
        second = {code: cell.strip() for code, cell in zip(header.codes, records[1])
                  if cell.strip() and _squash(cell) != _squash(code)}
        groups: dict[str, list[str]] = {}
        for code in second:
            if "_" in code:
                groups.setdefault(code.rsplit("_", 1)[0], []).append(code)
        for members in groups.values():
            texts = [second[code] for code in members]
            shared = _common_prefix(texts) if len(texts) > 1 else texts[0]
            cut = shared.rfind("-")
            for code, cell in zip(members, texts):
                label = cell[cut + 1:].strip() if cut >= 0 else ""
                if label:
                    labels.setdefault(code, label)
    return header.codes, labels


def _common_prefix(texts: list[str]) -> str:
    first, last = min(texts), max(texts)
    length = next((i for i, (a, b) in enumerate(zip(first, last)) if a != b), min(len(first), len(last)))
    return first[:length]


def read_responses(
    path: Path | str, questions: Sequence[QuestionSpec], id_column: str | None = None
) -> tuple[ResponseTable, list[Problem]]:
    """Read a wave's responses CSV against its questions; return the table and every problem.

    ``id_column`` names the respondent id column; when None, the first of
    :data:`KNOWN_ID_COLUMNS` present is used (or none: respondents are then
    told apart only by row). A duplicate id is a problem.
    """
    path = Path(path)
    where = str(path)
    ids = [q.id for q in questions]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"question id(s) {', '.join(repeated)} given twice")

    def problem(row: int, column: str, message: str) -> Problem:
        return Problem(SourceLocation(where, row, column), message)

    file, problems = read_csv(path, shown=where, expected="a header row naming the question columns",
                              encodings=UTF8, max_bytes=MAX_CSV_BYTES)
    if file is None:
        return _empty(where, questions), problems
    header = _Header(file.header)

    def resolve(name: str, label: str) -> int | None:
        found = header.find(name)
        if not found:
            problems.append(problem(1, name, f"{label}: column '{name}' not found; columns: {header.listing(name)}"))
            return None
        if len(found) > 1:
            places = ", ".join(str(i + 1) for i in found)
            problems.append(problem(1, name, f"{label}: column '{name}' appears {len(found)} times in the header (columns {places})"))
            return None
        return found[0]

    # Where each question's answers are: one index, or one per option.
    located: dict[str, list[int]] = {}
    missing: list[str] = []
    for question in questions:
        indexes = [resolve(column, f"question {question.id}") for column in question.columns]
        if any(index is None for index in indexes):
            missing.append(question.id)
        else:
            located[question.id] = [index for index in indexes if index is not None]
    used = {index for indexes in located.values() for index in indexes}

    id_index: int | None = None
    if id_column is not None:
        id_index = resolve(id_column, "respondent id")
    else:
        for name in KNOWN_ID_COLUMNS:
            found = header.find(name)
            if len(found) == 1 and found[0] not in used:
                id_index, id_column = found[0], header.names[found[0]]
                break
    if id_index is not None:
        used.add(id_index)

    records = [file.header] + [record.cells for record in file.records]
    skipped = _count_extra_header_rows(records, header, id_index)
    answers: dict[str, list[Answer]] = {qid: [] for qid in located}
    invalid: dict[str, set[int]] = {qid: set() for qid in located}
    per_column: dict[str, int] = {}
    first_row_of: dict[str, int] = {}
    respondent_ids: list[str | None] = []
    rows: list[int] = []

    def cell_problem(row: int, column: str, message: str) -> None:
        per_column[column] = per_column.get(column, 0) + 1
        if per_column[column] <= MAX_PROBLEMS_PER_COLUMN:
            problems.append(problem(row, column, message))

    for row in file.records[skipped:]:
        number, record = row.row, row.cells
        position = len(rows)
        rows.append(number)
        respondent: str | None = None
        if id_index is not None:
            respondent = record[id_index].strip()
            id_name = header.codes[id_index]  # "id", not "id. Response ID"
            if not respondent:
                problems.append(problem(number, id_name, "respondent id is blank"))
            elif respondent in first_row_of:
                problems.append(problem(number, id_name, f"a second response with id '{respondent}' (first at row {first_row_of[respondent]})"))
            else:
                first_row_of[respondent] = number
        respondent_ids.append(respondent)
        for question in questions:
            if question.id not in located:
                continue
            answer, bad = _parse(question, [record[i] for i in located[question.id]])
            for option_index, message in bad:
                column = header.codes[located[question.id][option_index]]
                cell_problem(number, column, message)
            if bad:
                invalid[question.id].add(position)
            answers[question.id].append(None if bad else answer)

    for column, count in per_column.items():
        if count > MAX_PROBLEMS_PER_COLUMN:
            problems.append(problem(0, column, f"{count - MAX_PROBLEMS_PER_COLUMN} more unexpected answer(s) in this column not shown"))

    extra = tuple(name for i, name in enumerate(header.names) if name and i not in used)
    table = ResponseTable(
        path=where,
        questions=tuple(questions),
        answers={qid: tuple(values) for qid, values in answers.items()},
        respondent_ids=tuple(respondent_ids),
        rows=tuple(rows),
        header_rows_skipped=skipped,
        id_column=id_column if id_index is not None else None,
        extra_columns=extra,
        missing_questions=tuple(missing),
        invalid={qid: frozenset(positions) for qid, positions in invalid.items() if positions},
    )
    return table, problems


def _parse(question: QuestionSpec, cells: list[str]) -> tuple[Answer, list[tuple[int, str]]]:
    """One respondent's answer to one question, and (cell index, message) for each bad cell."""
    if question.kind is QuestionKind.OPEN:
        return cells[0].strip() or None, []
    if question.kind is QuestionKind.MULTIPLE and question.separator is None:
        return _parse_ticks(question, cells)
    text = cells[0].strip()
    if not text:
        return None, []
    if question.kind is QuestionKind.MULTIPLE:
        return _parse_joined(question, text)
    code = question.match(text)
    if code is None:
        return None, [(0, question.unexpected(text))]
    return code, []


def _parse_ticks(question: QuestionSpec, cells: list[str]) -> tuple[Answer, list[tuple[int, str]]]:
    """Multiple choice exported one column per option: a tick, an explicit no, or nothing."""
    ticked: set[str] = set()
    shown = False
    bad: list[tuple[int, str]] = []
    for index, (option, cell) in enumerate(zip(question.all_options, cells)):
        key = normalise(cell)
        if key in _NOT_SHOWN:
            continue
        shown = True
        if key in option.keys() or key in _TICKED:
            ticked.add(option.code)
        elif key not in _UNTICKED:
            value = cell.strip() if len(cell.strip()) <= 40 else cell.strip()[:37] + "..."
            bad.append((index, f"question {question.id}: expected a tick for option {option.code} "
                               f"(1, Y, Yes or '{option.label}') or a blank, got '{value}'"))
    if bad:
        return None, bad
    return (frozenset(ticked) if shown else None), []


def _parse_joined(question: QuestionSpec, text: str) -> tuple[Answer, list[tuple[int, str]]]:
    """Multiple choice in one column: options joined by the separator (labels may contain it)."""
    separator = question.separator or ","
    parts = text.split(separator)  # unstripped, so a label's own "a, b" rejoins exactly
    codes: set[str] = set()
    bad: list[tuple[int, str]] = []
    start = 0
    while start < len(parts):
        if not parts[start].strip():
            start += 1
            continue
        for end in range(len(parts), start, -1):  # longest run of parts naming one option
            code = question.match(separator.join(parts[start:end]))
            if code is not None:
                codes.add(code)
                start = end
                break
        else:
            bad.append((0, question.unexpected(parts[start].strip())))
            start += 1
    if bad:
        return None, bad
    return frozenset(codes), []
