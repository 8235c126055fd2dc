"""Reading survey responses: the real Qualtrics and LimeSurvey exports, and small fixtures.

Expected numbers on the real files are computed here with the csv module
alone, never with the reader under test.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from generator.surveys import Counts, Direction, Option, QuestionKind, QuestionSpec, read_responses

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "surveys"
QUALTRICS = "qualtrics_2016-insights_3row_likert_QualtricsTools-NoBasisForEvaluation.csv"
LIME_TEXT = "limesurvey_codeandtext_answertext_N2-dummy2020.csv"
LIME_CODES = "limesurvey_codeonly_answercodes_N2-dummy2021.csv"


def exports(shared_data: Path) -> Path:
    return shared_data / "formats" / "survey_exports"


def raw_records(path: Path) -> list[list[str]]:
    """All CSV records with the csv module alone, the trailing blank record dropped."""
    text = path.read_bytes().decode("utf-8-sig")
    return [record for record in csv.reader(io.StringIO(text, newline="")) if record]


def column(records: list[list[str]], heading_code: str, first_data: int = 1) -> list[str]:
    """A column's cells, found by exact heading or by LimeSurvey's 'CODE. text' heading."""
    codes = [h.split(". ", 1)[0] for h in records[0]]
    index = codes.index(heading_code)
    return [record[index] for record in records[first_data:]]


# --- Qualtrics, 2016 "Insights" format: three header rows, numeric recodes ------------------

VEGETABLE = (Option("1", "Like"), Option("2", "Neither like nor dislike"), Option("3", "Dislike"))
NO_OPINION = Option("-1", "No Opinion")


def qualtrics_questions() -> list[QuestionSpec]:
    # Recodes from PROVENANCE.md (taken from the survey's .qsf): 1 = Like ... 3 = Dislike,
    # -1 = No Opinion; Q4 adds -2 = Never tried it. Q1's "No opinion" is -1 as well.
    return [
        QuestionSpec("squash", QuestionKind.LIKERT, "Q1", VEGETABLE, (NO_OPINION,), Direction.POSITIVE_LOW),
        QuestionSpec("squash_matrix", "likert", "Q3_1", VEGETABLE, (NO_OPINION,), "positive_low"),
        QuestionSpec("cucumbers", "likert", "Q4_2", VEGETABLE,
                     (NO_OPINION, Option("-2", "Never tried it")), "positive_low"),
        QuestionSpec("agree", "multiple", options=(
            Option("1", "Squash are great", column="Q2_1"),
            Option("2", "Squash are tolerable", column="Q2_2"),
            Option("3", "Squash cause me anguish", column="Q2_3"),
        ), non_substantive=(
            Option("-1", "No basis for evaluation", column="Q2_-1"),
            Option("-2", "I've never had squash", column="Q2_-2"),
        )),
    ]


def test_qualtrics_three_header_rows_are_skipped(shared_data: Path) -> None:
    path = exports(shared_data) / QUALTRICS
    records = raw_records(path)
    # The file as PROVENANCE describes it: labels on row 2, Python-dict ImportIds on row 3.
    assert records[1][records[0].index("Q1")] == "Indicate how you feel about squash"
    assert records[2][0] == "{'ImportId': 'responseId'}"

    table, problems = read_responses(path, qualtrics_questions())

    assert problems == []  # row 2's question text would otherwise be 'unexpected answers'
    assert table.header_rows_skipped == 2
    assert table.n_respondents == 15 == len(records) - 3
    assert table.rows[0] == 4 and table.rows[-1] == 18
    assert table.id_column == "ResponseID"
    assert list(table.respondent_ids) == column(records, "ResponseID", first_data=3)
    assert "LocationLatitude" in table.extra_columns and "Q5_1_-1" in table.extra_columns
    assert "Q1" not in table.extra_columns and "ResponseID" not in table.extra_columns


@pytest.mark.parametrize("question_id, heading", [("squash", "Q1"), ("squash_matrix", "Q3_1"), ("cucumbers", "Q4_2")])
def test_qualtrics_likert_counts(shared_data: Path, question_id: str, heading: str) -> None:
    path = exports(shared_data) / QUALTRICS
    expected = Counter(column(raw_records(path), heading, first_data=3))
    table, _ = read_responses(path, qualtrics_questions())
    counts = table.counts(question_id)
    question = table.question(question_id)

    assert dict(counts) == {o.code: expected[o.code] for o in question.options}
    assert counts.non_substantive == {o.code: expected[o.code] for o in question.non_substantive}
    assert counts.blank == expected[""] == 0
    assert sum(counts.values()) + sum(counts.non_substantive.values()) == 15


def test_qualtrics_counts_known_values(shared_data: Path) -> None:
    table, _ = read_responses(exports(shared_data) / QUALTRICS, qualtrics_questions())
    assert table.counts("squash") == {"1": 3, "2": 3, "3": 7}
    assert table.counts("squash").non_substantive == {"-1": 2}
    assert table.counts("cucumbers").non_substantive == {"-1": 2, "-2": 5}


def test_qualtrics_check_all_one_column_per_option(shared_data: Path) -> None:
    path = exports(shared_data) / QUALTRICS
    records = raw_records(path)
    table, _ = read_responses(path, qualtrics_questions())
    counts = table.counts("agree")
    for option in table.question("agree").all_options:
        ticked = column(records, option.column or "", first_data=3).count("1")
        assert (counts.scale | counts.non_substantive)[option.code] == ticked
    assert table.answers["agree"][0] == frozenset({"2", "3", "-1"})  # R_ebopwASnJ6p0KSp
    assert counts.blank == 0 and counts.answered == 15


# --- LimeSurvey: one question spec, read from answer text (2020) and answer codes (2021) ------

def satisfaction(heading: str) -> QuestionSpec:
    """C1 in both N2 surveys. Codes A1-A7 as in N2-Survey/SurveyFramework's
    data/survey_structure_2021.xml; the refusal is written here with a straight apostrophe."""
    return QuestionSpec(
        f"satisfaction_{heading}", "likert", heading,
        options=(Option("A1", "Very satisfied"), Option("A2", "Satisfied"), Option("A3", "Neither/nor"),
                 Option("A4", "Dissatisfied"), Option("A5", "Very dissatisfied")),
        non_substantive=(Option("A6", "Does not apply"), Option("A7", "I don't want to answer this question")),
        direction="positive_low",
    )


# The 2020 export's answer texts, spelled exactly as in the file (curly apostrophe included).
C1_TEXT_TO_CODE = {
    "Very satisfied": "A1", "Satisfied": "A2", "Neither/nor": "A3", "Dissatisfied": "A4",
    "Very dissatisfied": "A5", "Does not apply": "A6", "I don\u2019t want to answer this question": "A7",
}
REFUSAL = "I don't want to answer this question"


def lime_text_questions(records: list[list[str]]) -> list[QuestionSpec]:
    c1 = [code for code in (h.split(". ", 1)[0] for h in records[0]) if code.startswith("C1[")]
    ethnicity = [(h.split(". ", 1)[0], h.rsplit("[", 1)[1].rstrip("]")) for h in records[0] if h.startswith("A8[SQ")]
    return [satisfaction(code) for code in c1] + [
        QuestionSpec("children", "yes_no", "A9", non_substantive=(Option("DWA", REFUSAL),)),
        QuestionSpec("ethnicity", "multiple", options=tuple(
            Option(code, label, column=code) for code, label in ethnicity if label != REFUSAL
        ), non_substantive=tuple(
            Option(code, label, column=code) for code, label in ethnicity if label == REFUSAL
        )),
        QuestionSpec("comments_a", "open", "A14"),
    ]


def test_limesurvey_text_export_bom_crlf_and_trailing_blank_record(shared_data: Path) -> None:
    path = exports(shared_data) / LIME_TEXT
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\"id. Response ID\"") and data.endswith(b"\r\n\r\n")
    records = raw_records(path)
    table, problems = read_responses(path, lime_text_questions(records))

    assert problems == []
    assert table.header_rows_skipped == 0
    # 12 data records (PROVENANCE.md says 13: it counts the blank record at the end).
    assert table.n_respondents == 12 == len(records) - 1
    assert table.id_column == "id. Response ID"  # found by its LimeSurvey code, 'id'
    assert list(table.respondent_ids) == column(records, "id")
    assert table.rows == tuple(range(2, 14))
    assert "interviewtime. Total time" in table.extra_columns
    assert not any(name.startswith(("C1[", "A9.", "A8[SQ")) for name in table.extra_columns)


def test_limesurvey_text_answers_match_by_label(shared_data: Path) -> None:
    path = exports(shared_data) / LIME_TEXT
    records = raw_records(path)
    table, _ = read_responses(path, lime_text_questions(records))
    for heading in ("C1[SQ001]", "C1[SQ015]", "C1[SQ014]"):
        cells = column(records, heading)
        expected = Counter(C1_TEXT_TO_CODE[cell] for cell in cells if cell)
        counts = table.counts(f"satisfaction_{heading}")
        assert dict(counts) == {code: expected[code] for code in ("A1", "A2", "A3", "A4", "A5")}
        assert counts.non_substantive == {code: expected[code] for code in ("A6", "A7")}
        assert counts.blank == cells.count("")
    # The curly-apostrophe refusal in C1[SQ015] matched the straight one in the spec.
    assert "I don\u2019t want to answer this question" in column(records, "C1[SQ015]")
    assert table.counts("satisfaction_C1[SQ015]").non_substantive["A7"] == 1

    children = column(records, "A9")
    counts = table.counts("children")
    assert counts == {"Y": children.count("Yes"), "N": children.count("No")} == {"Y": 3, "N": 7}
    assert counts.non_substantive == {"DWA": children.count(REFUSAL)} == {"DWA": 1}
    assert counts.blank == children.count("") == 1

    comments = column(records, "A14")
    assert table.counts("comments_a").answered == sum(1 for c in comments if c.strip()) == 2


def test_limesurvey_yes_no_na_multiple_choice(shared_data: Path) -> None:
    path = exports(shared_data) / LIME_TEXT
    records = raw_records(path)
    table, _ = read_responses(path, lime_text_questions(records))
    question = table.question("ethnicity")
    counts = table.counts("ethnicity")
    for option in question.all_options:
        assert (counts.scale | counts.non_substantive)[option.code] == column(records, option.column or "").count("Yes")
    cells_by_row = list(zip(*(column(records, o.column or "") for o in question.all_options)))
    not_shown = sum(1 for cells in cells_by_row if all(c in ("", "N/A") for c in cells))
    assert counts.blank == not_shown
    assert counts.answered == 12 - not_shown


def lime_code_questions() -> list[QuestionSpec]:
    # B7 and B8 from data/survey_structure_2021.xml in N2-Survey/SurveyFramework.
    return [
        satisfaction("C1[SQ001]"),
        QuestionSpec("dependants", "yes_no", "B7", options=(Option("A1", "Yes"), Option("A2", "No")),
                     non_substantive=(Option("A3", REFUSAL),)),
        QuestionSpec("support", "multiple", options=(
            Option("SQ001", "I took up a loan for my time as a doctoral researcher", column="B8[SQ001]"),
            Option("SQ002", "Parents", column="B8[SQ002]"),
            Option("SQ003", "Other relatives", column="B8[SQ003]"),
            Option("SQ004", "Partner(s)", column="B8[SQ004]"),
            Option("SQ005", "State - Kindergeld", column="B8[SQ005]"),
            Option("SQ006", "Other job", column="B8[SQ006]"),
            Option("SQ007", "No, I do not get external financial support", column="B8[SQ007]"),
        ), non_substantive=(Option("SQ008", REFUSAL, column="B8[SQ008]"),)),
        QuestionSpec("mental_health", "open", "D7"),
    ]


def test_limesurvey_code_export(shared_data: Path) -> None:
    path = exports(shared_data) / LIME_CODES
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\"id\",") and data.endswith(b"\r\n\r\n")
    records = raw_records(path)
    table, problems = read_responses(path, lime_code_questions())

    assert problems == []
    # 36 data records (PROVENANCE.md says 37). One field holds bare line feeds inside this
    # CRLF file, so physical lines and rows differ; rows are records, as a spreadsheet shows them.
    assert table.n_respondents == 36 == len(records) - 1
    assert data.count(b"\n") == 36 + 1 + 1 + 2
    assert table.rows[-1] == 37
    assert table.id_column == "id" and len(set(table.respondent_ids)) == 36
    (comment,) = [a for a in table.answers["mental_health"] if a]
    # The field ends in two bare line feeds; the open answer is kept without them.
    assert comment.startswith("My centre has no mental health resource.") and comment.endswith("not the case.")

    expected = Counter(column(records, "C1[SQ001]"))
    counts = table.counts("satisfaction_C1[SQ001]")
    assert dict(counts) == {code: expected[code] for code in ("A1", "A2", "A3", "A4", "A5")}
    assert counts.non_substantive == {"A6": expected["A6"], "A7": expected["A7"]}
    assert counts.blank == expected[""]

    b7 = Counter(column(records, "B7"))
    assert table.counts("dependants") == {"A1": b7["A1"], "A2": b7["A2"]} == {"A1": 4, "A2": 26}
    assert table.counts("dependants").blank == b7[""] == 6

    support = table.counts("support")
    for option in table.question("support").all_options:
        assert (support.scale | support.non_substantive)[option.code] == column(records, option.column or "").count("Y")
    assert support["SQ007"] == 22


def test_limesurvey_text_and_code_answers_give_the_same_counts(shared_data: Path, tmp_path: Path) -> None:
    """The same responses as answer text and as answer codes count the same.

    The two LimeSurvey files are *different* surveys (PhDnet 2020, 12 responses;
    N2 2021, 36 responses), so their counts cannot be compared with each other.
    Instead the real 2020 text export is recoded to codes here, cell by cell,
    and both versions are read with the same question specs.
    """
    path = exports(shared_data) / LIME_TEXT
    records = raw_records(path)
    c1 = [i for i, h in enumerate(records[0]) if h.startswith("C1[")]
    recoded = [records[0]] + [
        [C1_TEXT_TO_CODE[cell] if i in c1 and cell else cell for i, cell in enumerate(record)]
        for record in records[1:]
    ]
    coded_path = tmp_path / "coded.csv"
    with coded_path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(recoded)

    questions = [q for q in lime_text_questions(records) if q.id.startswith("satisfaction_")]
    assert len(questions) == 20 and all("[SQ" in (q.column or "") for q in questions)
    as_text, text_problems = read_responses(path, questions)
    as_codes, code_problems = read_responses(coded_path, questions)
    assert text_problems == [] and code_problems == []
    for question in questions:
        text_counts, code_counts = as_text.counts(question.id), as_codes.counts(question.id)
        assert dict(text_counts) == dict(code_counts)
        assert text_counts.non_substantive == code_counts.non_substantive
        assert text_counts.blank == code_counts.blank
    assert as_text.answers == as_codes.answers


# --- small fixtures ---------------------------------------------------------------------

SATISFIED = QuestionSpec(
    "q1", "likert", "Q1",
    options=(Option("1", "Very dissatisfied", welsh="Anfodlon iawn"), Option("2", "Dissatisfied", welsh="Anfodlon"),
             Option("3", "Neither satisfied nor dissatisfied", welsh="Ddim yn fodlon nac yn anfodlon"),
             Option("4", "Satisfied", welsh="Bodlon"), Option("5", "Very satisfied", welsh="Bodlon iawn")),
    non_substantive=(Option("8", "Don't know", welsh="Ddim yn gwybod"),
                     Option("9", "Prefer not to say", welsh="Gwell gennyf beidio â dweud")),
    direction="positive_high",
)
WELSH = QuestionSpec("q2", "yes_no", "Q2", non_substantive=(Option("DK", "Don't know", welsh="Ddim yn gwybod"),))
SERVICE = QuestionSpec("q3", "single", "Q3", options=(
    Option("A1", "Social worker", welsh="Gweithiwr cymdeithasol"),
    Option("A2", "Family support worker", welsh="Gweithiwr cymorth i deuluoedd"),
    Option("A3", "Other", welsh="Arall"),
))
COMMENTS = QuestionSpec("q4", "open", "Q4")
WAVE = [SATISFIED, WELSH, SERVICE, COMMENTS]


@pytest.mark.parametrize("name", ["wave_codes.csv", "wave_text.csv"])
def test_blank_answers_are_counted_apart(name: str) -> None:
    table, problems = read_responses(FIXTURES / name, WAVE)
    assert problems == []
    assert table.n_respondents == 6
    q1 = table.counts("q1")
    assert isinstance(q1, Counts)
    assert q1 == {"1": 0, "2": 1, "3": 0, "4": 2, "5": 1}
    assert list(q1) == ["1", "2", "3", "4", "5"]  # scale order
    assert q1.non_substantive == {"8": 0, "9": 1}
    assert (q1.blank, q1.invalid, q1.answered) == (1, 0, 5)
    assert table.answers["q1"][2] is None
    q2 = table.counts("q2")
    assert (dict(q2), q2.non_substantive, q2.blank) == ({"Y": 3, "N": 1}, {"DK": 1}, 1)
    q3 = table.counts("q3")
    assert (dict(q3), q3.blank) == ({"A1": 2, "A2": 2, "A3": 1}, 1)
    q4 = table.counts("q4")
    assert (len(q4), q4.answered, q4.blank) == (0, 2, 4)
    assert table.answers["q4"] == ("Helpful", None, None, "Too slow", None, None)


def test_text_answers_give_the_same_answers_as_codes() -> None:
    """Case, spacing, curly apostrophes, Welsh labels and decomposed accents all match."""
    codes, _ = read_responses(FIXTURES / "wave_codes.csv", WAVE)
    text, _ = read_responses(FIXTURES / "wave_text.csv", WAVE)
    assert text.answers == codes.answers
    assert text.respondent_ids == codes.respondent_ids == ("R1", "R2", "R3", "R4", "R5", "R6")


def test_unknown_answer_text_is_reported_with_row_and_column() -> None:
    path = FIXTURES / "unknown_answer.csv"
    table, problems = read_responses(path, [SATISFIED, WELSH])
    assert [str(p) for p in problems] == [
        f"{path}:3 [Q1]: question q1: expected one of 1 (Very dissatisfied), 2 (Dissatisfied), "
        "3 (Neither satisfied nor dissatisfied), 4 (Satisfied), 5 (Very satisfied), 8 (Don't know), "
        "9 (Prefer not to say), got 'Satisfed' (did you mean 'Satisfied'?)",
        f"{path}:4 [Q2]: question q2: expected one of Y (Yes), N (No), DK (Don't know), got 'Maybe'",
    ]
    assert problems[0].location.line == 3 and problems[0].location.column == "Q1"
    # Every problem at once; the bad answers are kept out of the counts, not taken as blanks.
    q1 = table.counts("q1")
    assert (q1["4"], q1.blank, q1.invalid, q1.answered) == (2, 0, 1, 2)


def test_missing_question_column() -> None:
    path = FIXTURES / "missing_column.csv"
    table, problems = read_responses(path, WAVE)
    assert [str(p) for p in problems] == [
        f"{path}:1 [Q3]: question q3: column 'Q3' not found; columns: ResponseId, Q1, Q2, Comments",
        f"{path}:1 [Q4]: question q4: column 'Q4' not found; columns: ResponseId, Q1, Q2, Comments",
    ]
    assert table.missing_questions == ("q3", "q4")
    assert table.counts("q1") == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    assert table.extra_columns == ("Comments",)
    with pytest.raises(KeyError, match="column is missing"):
        table.counts("q3")


def test_duplicate_respondent_id() -> None:
    path = FIXTURES / "duplicate_id.csv"
    table, problems = read_responses(path, [SATISFIED, WELSH])
    assert [str(p) for p in problems] == [
        f"{path}:4 [ResponseId]: a second response with id 'R1' (first at row 2)",
    ]
    assert table.n_respondents == 3


def test_explicit_id_column_that_is_missing() -> None:
    path = FIXTURES / "duplicate_id.csv"
    table, problems = read_responses(path, [SATISFIED], id_column="RespondentID")
    assert [str(p) for p in problems] == [
        f"{path}:1 [RespondentID]: respondent id: column 'RespondentID' not found; "
        "columns: ResponseId, Q1, Q2 (did you mean 'ResponseId'?)",
    ]
    assert table.id_column is None and table.n_respondents == 3


def test_current_qualtrics_layout_with_json_import_ids_and_joined_choices() -> None:
    help_kinds = QuestionSpec("q5", "multiple", "Q5", separator=",", options=(
        Option("1", "Advice, information"), Option("2", "Home visits"),
        Option("3", "Counselling"), Option("4", "Other"),
    ))
    overall = QuestionSpec("q1", "likert", "Q1", SATISFIED.options, SATISFIED.non_substantive, "positive_high")
    table, problems = read_responses(FIXTURES / "qualtrics_modern.csv", [overall, help_kinds])
    assert problems == []
    assert table.header_rows_skipped == 2
    assert table.rows == (4, 5, 6)
    assert table.id_column == "ResponseId" and table.respondent_ids == ("R_1", "R_2", "R_3")
    assert table.answers["q5"] == (frozenset({"1", "2"}), frozenset({"4"}), None)
    assert table.counts("q5") == {"1": 1, "2": 1, "3": 0, "4": 1}
    assert table.counts("q1") == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert table.extra_columns == ("StartDate", "EndDate", "Status", "Finished", "Q5_4_TEXT")


@pytest.mark.parametrize("kwargs, message", [
    ({"id": "x", "kind": "likert", "column": "X", "options": (Option("1", "a"), Option("2", "b"))}, "needs a direction"),
    ({"id": "x", "kind": "single", "column": "X", "options": (Option("1", "Yes"), Option("2", "yes"))}, "would match both"),
    ({"id": "x", "kind": "single", "column": "X", "options": (Option("1", "a"), Option("1", "b"))}, "given twice"),
    ({"id": "x", "kind": "multiple", "options": (Option("1", "a", column="A"), Option("2", "b"))}, "column on every option"),
    ({"id": "x", "kind": "open", "column": "X", "options": (Option("1", "a"),)}, "no options"),
    ({"id": "x", "kind": "yes_no", "column": "X", "options": (Option("1", "a"),)}, "exactly two"),
])
def test_question_spec_is_checked(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=message):
        QuestionSpec(**kwargs)


def test_legacy_qualtrics_layout_label_row_without_import_ids() -> None:
    """The pre-2016 'Legacy' export: V1... headings, labels on row 2, trailing comma."""
    squash = QuestionSpec("squash", "likert", "Q1", VEGETABLE, (NO_OPINION,), "positive_low")
    table, problems = read_responses(FIXTURES / "qualtrics_legacy.csv", [squash], id_column="V1")
    assert problems == []
    assert table.header_rows_skipped == 1
    assert table.rows == (3, 4) and table.respondent_ids == ("R_a", "R_b")
    assert table.answers["squash"] == ("1", "-1")
    assert table.extra_columns == ("V2", "V3")
