"""Survey structure files (LimeSurvey .lss, Qualtrics .qsf) and the labels an export's own headings carry.

The .lss and .qsf fixtures in tests/fixtures/surveys/structure/ hold only the
tables and fields the reader uses, retyped: the .qsf after the survey file that
sits beside the real Qualtrics export in ctesta01/QualtricsTools (data/Sample
Surveys/No Basis for Evaluation/No_Basis_for_Evaluation.qsf), the 2021 .lss
with the codes of N2-Survey/SurveyFramework's data/survey_structure_2021.xml
(the codes tests/surveys/test_responses.py already uses), in LimeSurvey 3's
layout; the bilingual one in LimeSurvey 5's (texts in *_l10ns tables).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.surveys.responses import read_headings
from generator.surveys.structure import StructureError, read_structure

STRUCTURE = Path(__file__).resolve().parents[1] / "fixtures" / "surveys" / "structure"
QUALTRICS = "qualtrics_2016-insights_3row_likert_QualtricsTools-NoBasisForEvaluation.csv"
LIME_TEXT = "limesurvey_codeandtext_answertext_N2-dummy2020.csv"
LIME_CODES = "limesurvey_codeonly_answercodes_N2-dummy2021.csv"
REFUSAL = "I don't want to answer this question"


def test_qualtrics_qsf_gives_recodes_labels_and_check_all_columns() -> None:
    structure = read_structure(STRUCTURE / "no_basis_for_evaluation.qsf")
    assert structure.tool == "Qualtrics"
    q1 = structure.get("Q1")
    assert q1 is not None and [(a.code, a.label) for a in q1.answers] == [
        ("1", "Great"), ("2", "In the middle"), ("3", "Awful"), ("-1", "No opinion")]
    # a matrix row is its own column (Q3_1) with the matrix's scale, coded by RecodeValues
    q3 = structure.get("Q3_1")
    assert q3 is not None and [(a.code, a.label) for a in q3.answers] == [
        ("1", "Like"), ("2", "Neither like nor dislike"), ("3", "Dislike"), ("-1", "No Opinion")]
    assert [a.code for a in structure.questions["Q4_2"].answers] == ["1", "2", "3", "-1", "-2"]
    # check-all: one column per choice, named by recode value as the export names them (Q2_-1)
    q2 = structure.get("Q2")
    assert q2 is not None and q2.text == "Check all statements you agree with"  # HTML dropped
    assert [(column, a.code, a.label) for column, a in q2.columns] == [
        ("Q2_1", "1", "Squash are great"), ("Q2_2", "2", "Squash are tolerable"),
        ("Q2_3", "3", "Squash cause me anguish"), ("Q2_-1", "-1", "No basis for evaluation"),
        ("Q2_-2", "-2", "I've never had squash")]


def test_limesurvey_3_lss_gives_array_rows_lists_and_multiple_choice() -> None:
    structure = read_structure(STRUCTURE / "n2_2021_part.lss")
    assert structure.tool == "LimeSurvey"
    c1 = structure.get("C1[SQ001]")
    assert c1 is not None and c1.text == "Supervision"
    assert [a.code for a in c1.answers] == ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]
    assert c1.answers[6].label == REFUSAL
    assert [(a.code, a.label) for a in structure.questions["B7"].answers] == [("A1", "Yes"), ("A2", "No"), ("A3", REFUSAL)]
    b8 = structure.questions["B8"]
    assert [column for column, _ in b8.columns] == [f"B8[SQ00{i}]" for i in range(1, 9)]
    assert b8.columns[4][1].label == "State - Kindergeld"


def test_limesurvey_5_lss_reads_l10n_tables_and_welsh() -> None:
    structure = read_structure(STRUCTURE / "limesurvey5_bilingual.lss")
    q1 = structure.questions["Q1"]
    assert [(a.code, a.label, a.welsh) for a in q1.answers] == [
        ("A1", "Dissatisfied", "Anfodlon"), ("A2", "Neither", "Niwtral"), ("A3", "Satisfied", "Bodlon")]
    # subquestions in question_order, not file order
    assert [(c, a.label, a.welsh) for c, a in structure.questions["Q2"].columns] == [
        ("Q2[SQ001]", "Advice", "Cyngor"), ("Q2[SQ002]", "Home visits", "Ymweliadau cartref"),
        ("Q2[SQ003]", "Prefer not to say", "Gwell gennyf beidio â dweud")]


@pytest.mark.parametrize(("text", "message"), [
    ("", "expected a LimeSurvey survey structure (.lss, XML) or a Qualtrics survey file (.qsf, JSON)"),
    ("<document><LimeSurveyDocType>Question</LimeSurveyDocType></document>", "of type 'Question'"),
    ("<document>\n<answers>\n</document>", "not well-formed XML at line 3"),
    ('<!DOCTYPE d [<!ENTITY a "aaaa">]><document/>', "declares a DOCTYPE or entities"),
    ('{"SurveyEntry": {}}', "a JSON object with SurveyElements"),
    ('{"SurveyElements": [', "not valid JSON at line 1"),
])
def test_a_file_that_is_not_a_structure_file_says_what_was_expected(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "survey.lss"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StructureError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_structure(path)


# --- labels carried by the export itself ---------------------------------------------------


def test_export_headings_give_check_all_labels(shared_data: Path) -> None:
    exports = shared_data / "formats" / "survey_exports"
    # Qualtrics' second row, "question text-choice", less the text the question's columns share
    records = list(csv.reader(io.StringIO((exports / QUALTRICS).read_text(encoding="utf-8"))))
    second = dict(zip(records[0], records[1]))
    codes, labels = read_headings(exports / QUALTRICS)
    assert codes == records[0]
    prefix = "Check all statements you agree with-"
    for column in ("Q2_1", "Q2_2", "Q2_3", "Q2_-1", "Q2_-2"):
        assert second[column].startswith(prefix) and labels[column] == second[column][len(prefix):]
    assert labels["Q2_-2"] == "I've never had squash"
    # LimeSurvey "code and text": the label closing the heading, "A8[SQ001]. Which ... describes you? [...]"
    text = (exports / LIME_TEXT).read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    codes, labels = read_headings(exports / LIME_TEXT)
    a8 = [h for h in header if h.startswith("A8[SQ")]
    assert len(a8) == 10
    for heading in a8:
        assert labels[heading.split(". ", 1)[0]] == heading[heading.rindex("[") + 1:-1]
    assert labels["A8[SQ010]"] == REFUSAL
    # a code-only export carries no labels
    codes, labels = read_headings(exports / LIME_CODES)
    assert labels == {} and "B8[SQ001]" in codes
