"""Check-all questions and labels from the tools' own files, on the real exports as they are.

Each test copies a real export from ../shared/data (never into the project:
into a temporary copy of the mini fixture study), declares a survey on it with
as little typed by hand as the tool's files allow, and checks the page against
numbers counted here with the csv module alone.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from generator.compute.surveys import protected_check_all
from generator.errors import ContentError
from generator.pipeline import load_and_validate
from generator.render.pages import render_site_pages
from generator.resolve import resolve_site

STRUCTURE = Path(__file__).resolve().parents[1] / "fixtures" / "surveys" / "structure"
QUALTRICS = "qualtrics_2016-insights_3row_likert_QualtricsTools-NoBasisForEvaluation.csv"
LIME_TEXT = "limesurvey_codeandtext_answertext_N2-dummy2020.csv"
LIME_CODES = "limesurvey_codeonly_answercodes_N2-dummy2021.csv"


def records(path: Path, first_data: int) -> tuple[list[str], list[list[str]]]:
    """Heading codes and data records, with the csv module alone."""
    rows = [r for r in csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")) if r]
    return [h.split(". ", 1)[0] for h in rows[0]], rows[first_data:]


def survey_page(content: Path, text: str, *files: tuple[Path, str]) -> str:
    folder = content / "las/north"
    for source, name in files:
        shutil.copyfile(source, folder / name)
    (folder / "survey.md").write_text(text, encoding="utf-8")
    study, _ = load_and_validate(content)
    pages = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}
    return pages["surveys/s.md"]


def section(page: str, heading: str) -> str:
    start = page.index(f"## {heading}")
    return page[start:page.index("</table>", start)]


def headers(table: str) -> list[str]:
    """The column headings' first lines (an option's label, before its unit)."""
    head = table[table.index("<thead>"):table.index("</thead>")]
    return [html.unescape(re.split(r"<br>", c)[0]).strip() for c in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", head, re.S)]


def cells(table: str) -> list[list[str]]:
    """Each body row's cells as text (first cell the wave)."""
    body = table[table.index("<tbody>"):]
    return [[re.sub(r"<[^>]+>", " ", c).split()[0] if re.sub(r"<[^>]+>", "", c).strip() else ""
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


HEAD = """---
type: survey
id: s
title: Test survey
la: north
collection: [online]
"""


def test_qualtrics_check_all_and_scales_from_the_qsf(shared_data: Path, mini: Path) -> None:
    export = shared_data / "formats" / "survey_exports" / QUALTRICS
    text = HEAD + """structure: survey.qsf
questions:
  - id: squash
    kind: likert
    column: Q1
    text: Indicate how you feel about squash
    direction: positive_low
    non_substantive: [{code: "-1"}]
  - id: agree
    kind: multiple
    column: Q2
    text: Check all statements you agree with
    non_substantive: [{code: "-1"}, {code: "-2"}]
waves:
  - {id: w1, label: Wave 1, file: wave.csv, population: 20}
---
"""
    page = survey_page(mini, text, (export, "wave.csv"), (STRUCTURE / "no_basis_for_evaluation.qsf", "survey.qsf"))
    header, rows = records(export, first_data=3)
    column = {h: [r[header.index(h)] for r in rows] for h in header}

    # Q1: labels and order from the .qsf; on this 3-point scale with positive_low only "Great" (1) is positive
    squash = section(page, "Indicate how you feel about squash")
    assert re.search(r">Great<br><span class=\"gen-unit\">positive</span>", squash)
    assert "In the middle<br><span class=\"gen-unit\">positive" not in squash
    assert "No opinion<br><span class=\"gen-unit\">not on the scale" in squash
    counts = Counter(column["Q1"])
    answered = counts["1"] + counts["2"] + counts["3"]
    assert answered == 13
    row = cells(squash)[0]
    assert row[1] == f"{counts['1'] / answered * 100:.1f}%"  # the positive share: 3 of 13
    assert row[2] == str(answered)

    # Q2, check all: options, columns and labels from the .qsf; the base is respondents, not ticks
    agree = section(page, "Check all statements you agree with")
    assert headers(agree)[2:] == ["Squash are great", "Squash are tolerable", "Squash cause me anguish",
                                  "No basis for evaluation", "I've never had squash"]
    ticks = {code: column[f"Q2_{code}"] for code in ("1", "2", "3", "-1", "-2")}
    base = sum(1 for i in range(len(rows)) if any(ticks[c][i] == "1" for c in ("1", "2", "3")))
    only_apart = {c: sum(1 for i in range(len(rows)) if ticks[c][i] == "1"
                         and not any(ticks[s][i] == "1" for s in ("1", "2", "3"))) for c in ("-1", "-2")}
    row = cells(agree)[0]
    assert row[1] == str(base)
    assert row[2:5] == [f"{ticks[c].count('1') / base * 100:.1f}%" for c in ("1", "2", "3")]
    assert row[5:7] == [str(only_apart["-1"]), str(only_apart["-2"])]
    assert sum(ticks[c].count("1") for c in ("1", "2", "3")) > base  # several ticks each: shares exceed 100% together
    assert "shares can add up to more than 100%" in page[page.index("## Check all"):]

    # ... and its chart: a bar per option, the share of respondents, with the same base as the table
    start = page.index("## Check all")
    figure = page[page.index('<figure class="gen-chart">', start):]
    alt = html.unescape(re.search(r'alt="([^"]*)"', figure).group(1))  # type: ignore[union-attr]
    assert alt.startswith("Horizontal bar chart of the share of respondents choosing each answer to "
                          "\"Check all statements you agree with\"")
    assert f"Wave 1 ({base} respondents answered): Squash are great {ticks['1'].count('1') / base * 100:.1f}%" in alt
    data = figure[figure.index("Data table for"):figure.index("</table>")]
    rows = cells(data)
    assert rows[0][:3] == ["Wave", "Respondents", str(base)]
    assert [row[-1] for row in rows[1:4]] == [f"{ticks[c].count('1') / base * 100:.1f}" for c in ("1", "2", "3")]


def test_qualtrics_check_all_labels_from_the_export_alone(shared_data: Path, mini: Path) -> None:
    export = shared_data / "formats" / "survey_exports" / QUALTRICS
    text = HEAD + """questions:
  - id: agree
    kind: multiple
    column: Q2
    text: Check all statements you agree with
    non_substantive: [{code: "-1"}, {code: "-2"}]
waves:
  - {id: w1, label: Wave 1, file: wave.csv, population: 20}
---
"""
    page = survey_page(mini, text, (export, "wave.csv"))
    agree = section(page, "Check all statements you agree with")
    # no options typed and no structure file: the columns Q2_* and their labels from row 2 of the export
    assert headers(agree)[1:] == ["Answered", "Squash are great", "Squash are tolerable", "Squash cause me anguish",
                                  "No basis for evaluation", "I've never had squash"]


def test_limesurvey_code_and_text_check_all_labels_from_the_headings(shared_data: Path, mini: Path) -> None:
    export = shared_data / "formats" / "survey_exports" / LIME_TEXT
    text = HEAD + """questions:
  - id: ethnicity
    kind: multiple
    column: A8
    text: Which of the following best describes you?
    non_substantive: [{code: SQ010}]
waves:
  - {id: w1, label: Wave 1, file: wave.csv, population: 20}
---
"""
    page = survey_page(mini, text, (export, "wave.csv"))
    header, rows = records(export, first_data=1)
    heading = {h.split(". ", 1)[0]: h for h in next(csv.reader(io.StringIO(export.read_bytes().decode("utf-8-sig"))))}
    codes = [f"A8[SQ{i:03d}]" for i in range(1, 10)]
    table = section(page, "Which of the following best describes you?")
    # each label as the heading ends it, "[Caucasian/European]"
    assert headers(table)[2:] == [heading[c][heading[c].rindex("[") + 1:-1] for c in codes + ["A8[SQ010]"]]
    assert headers(table)[-1] == "I don't want to answer this question"
    values = {c: [r[header.index(c)] for r in rows] for c in codes + ["A8[SQ010]"]}
    # respondents shown the question (not N/A or blank everywhere) who chose a substantive option or said No to all
    base = 0
    for i in range(len(rows)):
        substantive = [values[c][i] for c in codes]
        if all(v in ("", "N/A") for v in substantive + [values["A8[SQ010]"][i]]):
            continue
        if "Yes" in substantive or values["A8[SQ010]"][i] != "Yes":
            base += 1
    assert base == 11
    row = cells(table)[0]
    assert row[1] == str(base)
    assert row[2:11] == [f"{values[c].count('Yes') / base * 100:.1f}%" for c in codes]


LIME_2021 = HEAD + """structure: structure.lss
questions:
  - id: supervision
    kind: likert
    column: C1[SQ001]
    text: How satisfied are you with your supervision?
    direction: positive_low
    non_substantive: [{code: A6}, {code: A7}]
  - id: dependants
    kind: yes_no
    column: B7
    text: Do you have dependants?
    non_substantive: [{code: A3}]
  - id: support
    kind: multiple
    column: B8
    text: Do you receive external financial support?
    non_substantive: [{code: SQ008}]
waves:
  - {id: w1, label: Wave 1, file: wave.csv, population: 40}
---
"""


def test_limesurvey_code_export_decoded_by_the_structure_file(shared_data: Path, mini: Path) -> None:
    export = shared_data / "formats" / "survey_exports" / LIME_CODES
    page = survey_page(mini, LIME_2021, (export, "wave.csv"), (STRUCTURE / "n2_2021_part.lss", "structure.lss"))
    header, rows = records(export, first_data=1)
    column = {h: [r[header.index(h)] for r in rows] for h in header}

    supervision = section(page, "How satisfied are you with your supervision?")
    assert headers(supervision)[3:] == ["Very satisfied", "Satisfied", "Neither/nor", "Dissatisfied",
                                        "Very dissatisfied", "Does not apply", "I don't want to answer this question"]
    c1 = Counter(column["C1[SQ001]"])
    answered = sum(c1[f"A{i}"] for i in range(1, 6))
    assert answered == 26
    # 5 points, positive_low: the two best, Very satisfied and Satisfied: (7 + 11) of 26
    assert cells(supervision)[0][1] == f"{(c1['A1'] + c1['A2']) / answered * 100:.1f}%" == "69.2%"

    dependants = section(page, "Do you have dependants?")
    assert ">Yes<br><span class=\"gen-unit\">positive" in dependants
    b7 = Counter(column["B7"])
    assert cells(dependants)[0][1] == f"{b7['A1'] / (b7['A1'] + b7['A2']) * 100:.1f}%" == "13.3%"  # 4 of 30

    support = section(page, "Do you receive external financial support?")
    assert headers(support)[2:] == ["I took up a loan for my time as a doctoral researcher", "Parents", "Other relatives",
                                    "Partner(s)", "State - Kindergeld", "Other job",
                                    "No, I do not get external financial support", "I don't want to answer this question"]
    substantive = [f"B8[SQ00{i}]" for i in range(1, 8)]
    base = sum(1 for i in range(len(rows)) if any(column[c][i] == "Y" for c in substantive))
    row = cells(support)[0]
    assert row[1] == str(base) == "28"
    assert row[2:9] == [f"{column[c].count('Y') / base * 100:.1f}%" for c in substantive]


def test_limesurvey_code_export_without_labels_says_where_to_get_them(shared_data: Path, mini: Path) -> None:
    export = shared_data / "formats" / "survey_exports" / LIME_CODES
    text = LIME_2021.replace("structure: structure.lss\n", "")
    with pytest.raises(ContentError) as error:
        survey_page(mini, text, (export, "wave.csv"))
    # (the survey's own checks are placed at the document's first line, as for every survey-level check today)
    assert [str(p) for p in error.value.problems] == [
        "content/las/north/survey.md:1: question supervision: a likert question needs options (or a `structure` "
        "file on the survey to read them from)"]


def test_labels_typed_in_the_survey_win_over_the_structure_file(shared_data: Path, mini: Path) -> None:
    export = shared_data / "formats" / "survey_exports" / LIME_CODES
    text = LIME_2021.replace("    non_substantive: [{code: SQ008}]",
                             "    options: [{code: SQ007, label: No outside support}, {code: SQ005}]\n"
                             "    non_substantive: [{code: SQ008, label: Would rather not say}]")
    page = survey_page(mini, text, (export, "wave.csv"), (STRUCTURE / "n2_2021_part.lss", "structure.lss"))
    support = section(page, "Do you receive external financial support?")
    # typed labels kept, the untyped one from the .lss, in the order the survey gives them
    assert headers(support)[2:] == ["No outside support", "State - Kindergeld", "Would rather not say"]


def test_options_by_code_alone_need_labels_from_somewhere(shared_data: Path, mini: Path) -> None:
    export = shared_data / "formats" / "survey_exports" / LIME_CODES
    text = HEAD + """questions:
  - id: support
    kind: multiple
    column: B8
    text: Do you receive external financial support?
    non_substantive: [{code: SQ008}]
waves:
  - {id: w1, label: Wave 1, file: wave.csv, population: 40}
---
"""
    with pytest.raises(ContentError) as error:
        survey_page(mini, text, (export, "wave.csv"))
    assert [str(p) for p in error.value.problems] == [
        "content/las/north/survey.md:8: question support: no label for options SQ001, SQ002, SQ003, SQ004, SQ005, "
        "SQ006, SQ007, SQ008; give `label`, or declare the survey's `structure` file (LimeSurvey .lss, Qualtrics .qsf)"]
    # typed labels win, and a structure file that lacks the question is named
    structure = text.replace("questions:", "structure: structure.lss\nquestions:").replace("column: B8", "column: B88")
    with pytest.raises(ContentError) as error:
        survey_page(mini, structure, (STRUCTURE / "n2_2021_part.lss", "structure.lss"))
    assert any("question support: column 'B88' is not a question of the structure file structure.lss "
               "(did you mean 'B8'?)" in str(p) for p in error.value.problems), [str(p) for p in error.value.problems]


# --- disclosure control -------------------------------------------------------------------


class Settings:
    def __init__(self, rounding: bool = False) -> None:
        self.rounding, self.base, self.threshold = rounding, 5, 4


def test_check_all_counts_from_1_to_4_are_never_published() -> None:
    # 20 answered: 3 chose a (small), 17 chose b (so 3 did not: small by subtraction), 10 chose c
    wave = protected_check_all("w1", "W1", {"a": 3, "b": 17, "c": 10, "d": 0}, {"pnts": 2, "dk": 6}, 20, 1, Settings())
    assert wave.answered == 20
    assert wave.counts == {"a": None, "b": None, "c": 10, "d": 0}
    assert wave.apart == {"pnts": None, "dk": 6}
    assert wave.suppressed
    # a base of 1 to 4 hides the base and every option (a share with it would give the counts back)
    wave = protected_check_all("w1", "W1", {"a": 3, "b": 1}, {}, 4, 0, Settings())
    assert wave.answered is None and wave.counts == {"a": None, "b": None}
    # rounding: every count and the base each to the nearest 5
    wave = protected_check_all("w1", "W1", {"a": 3, "b": 17, "c": 12}, {"pnts": 2}, 22, 0, Settings(rounding=True))
    assert (wave.answered, wave.counts, wave.apart, wave.rounded) == (20, {"a": 5, "b": 15, "c": 10}, {"pnts": 0}, True)


def test_public_page_of_a_real_check_all_question_shows_no_small_count(shared_data: Path, mini: Path) -> None:
    from generator.compute.disclosure import protect_study

    export = shared_data / "formats" / "survey_exports" / LIME_CODES
    folder = mini / "las/north"
    shutil.copyfile(export, folder / "wave.csv")
    shutil.copyfile(STRUCTURE / "n2_2021_part.lss", folder / "structure.lss")
    (folder / "survey.md").write_text(LIME_2021, encoding="utf-8")
    study, _ = load_and_validate(mini)
    public = protect_study(study)
    page = {p.path: p.markdown for p in render_site_pages(resolve_site(public, "north", audience="public"))}["surveys/s.md"]
    support = section(page, "Do you receive external financial support?")
    row = cells(support)[0]
    header, rows = records(export, first_data=1)
    ticks = [[r[header.index(f"B8[SQ00{i}]")] for r in rows].count("Y") for i in range(1, 8)]
    assert ticks == [0, 0, 2, 0, 3, 1, 22]
    # base 28: options chosen by 2, 3 and 1 are hidden; 22 (6 did not choose it) and the zeros are shown
    assert row[1] == "28"
    assert row[2:9] == ["0.0%", "0.0%", "c", "0.0%", "c", "c", f"{22 / 28 * 100:.1f}%"]
    assert row[9] == "c"  # 2 chose only "I don't want to answer"
    assert "c: hidden to protect privacy" in page[page.index("## Do you receive external"):]
