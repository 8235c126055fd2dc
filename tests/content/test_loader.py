"""Each kind of content error, with its exact message and line."""

from __future__ import annotations

import os
from pathlib import Path


from generator.pipeline import load_and_validate
from ..conftest import problems_of


def test_the_fixture_is_clean(mini: Path) -> None:
    study, warnings = load_and_validate(mini)
    assert warnings == []
    assert len(study.sources) == 2
    assert [e.id for e in study.sources[0].extracts] == ["caseloads", "money"]


def test_schema_errors_name_field_line_expected_and_found(mini: Path) -> None:
    path = mini / "las/north/nb-int-01.md"
    text = path.read_text()
    text = text.replace("method: interview", "method: interveiw").replace("date: 2016-02-09", "date: 9/2/2016")
    text = text.replace("site: oakfield\n", "site: oakfield\ncolour: blue\n")
    path.write_text(text)
    assert problems_of(mini) == [
        "content/las/north/nb-int-01.md:6: unknown field 'colour'; allowed here: date, hide, hours, id, method, participants, search, site, tags, title, type, vignette",
        "content/las/north/nb-int-01.md:7: method: expected 'interview', 'focus_group', 'field_notes', 'observation', 'document', 'case_narrative', 'flowchart' or 'web_research', got 'interveiw' (did you mean 'interview'?)",
        "content/las/north/nb-int-01.md:8: date: expected a date as YYYY-MM-DD, got '9/2/2016'",
    ]


def test_missing_field_and_nested_errors(mini: Path) -> None:
    path = mini / "las/north/site.md"
    path.write_text(path.read_text().replace("population: 3000", "population: lots").replace("name: Oakfield\n", ""))
    assert problems_of(mini) == [
        "content/las/north/site.md:1: missing required field 'name' (The name the team uses for the site)",
        "content/las/north/site.md:8: small_areas[1].population: expected a whole number, got 'lots'",
    ]


def test_unknown_references_suggest_close_matches(mini: Path) -> None:
    path = mini / "las/north/nb-int-01.md"
    path.write_text(path.read_text().replace("site: oakfield", "site: oakfeld").replace("codes=P1,S1 by=sw", "codes=P1,S2 by=sw,xx"))
    doc = mini / "las/north/oakfield-S1.md"
    doc.write_text(doc.read_text().replace("nb-int-01#caseloads", "nb-int-01#caseload").replace("[nb-staff]", "[nb-stuff]"))
    assert problems_of(mini) == [
        "content/las/north/nb-int-01.md:5: site: unknown site 'oakfeld' (did you mean 'oakfield'?)",
        "content/las/north/nb-int-01.md:25: by: 'xx' is not a participant of this source (participants: sw, tm)",
        "content/las/north/nb-int-01.md:25: codes: unknown code 'S2'; known codes: P1, S1",
        "content/las/north/oakfield-S1.md:6: extracts: source 'nb-int-01' has no extract 'caseload' (did you mean 'caseloads'?)",
        "content/las/north/oakfield-S1.md:7: warning: extracts: 'nb-int-01#money' is coded P1, S2, not S1; "
        "add S1 to its codes= if it belongs in this cell",
        "content/las/north/oakfield-S1.md:8: datasets: unknown dataset 'nb-stuff' (did you mean 'nb-staff'?)",
    ]


def test_duplicate_ids_across_folders(mini: Path) -> None:
    (mini / "codes/extra").mkdir()
    (mini / "codes/extra/P1-again.md").write_text((mini / "codes/P1.md").read_text())
    assert problems_of(mini) == [
        "content/codes/extra/P1-again.md:3: duplicate code id 'P1': also used by content/codes/P1.md:3",
    ]


def test_broken_yaml_and_unknown_code_reported_together(mini: Path) -> None:
    (mini / "codes/S1.md").write_text("---\ntype: code\nid: S1\n  label: [oops\n---\n")
    path = mini / "las/south/sw-int-01.md"
    path.write_text(path.read_text().replace("codes=S1 by=tm", "codes=Q7 by=tm"))
    problems = problems_of(mini)
    assert "content/codes/S1.md:4: front-matter is not valid YAML (mapping values are not allowed here); check indentation, colons and quotes" in problems
    assert any(p.startswith("content/las/south/sw-int-01.md:21: codes: unknown code 'Q7'") for p in problems)


def test_mentioning_another_la_is_an_error(mini: Path) -> None:
    path = mini / "las/north/oakfield-S1.md"
    path.write_text(path.read_text() + "\nUnlike Southwick, where caseloads fell.\n")
    assert problems_of(mini) == [
        "content/las/north/oakfield-S1.md:13: mentions 'Southwick', which belongs to local authority 'south'; "
        "this document belongs to 'north', whose site must not name other LAs (write 'another LA' or 'a low-deprivation LA' instead)",
    ]


def test_citing_another_las_extract_is_an_error(mini: Path) -> None:
    doc = mini / "las/north/oakfield-S1.md"
    doc.write_text(doc.read_text().replace("nb-int-01#money", "sw-int-01#money"))
    found = problems_of(mini)
    assert found[0] == (
        "content/las/north/oakfield-S1.md:7: extracts: 'sw-int-01#money' comes from a source in another local authority (south); "
        "a code document may cite only its own LA's sources")
    # the isolation check also sees the other LA's source id written in this document, on the same line
    assert all(p.startswith("content/las/north/oakfield-S1.md:7: ") for p in found)


def test_csv_problems_name_row_and_column(mini: Path) -> None:
    (mini / "las/north/nb-staff.csv").write_text("year,social_workers,extra\n2014-15,41,1\n2015-16,n/a,2\n")
    assert problems_of(mini) == [
        "content/las/north/nb-staff.csv:1 [extra]: column is not declared in the dataset's front-matter; declare it under columns: or remove it",
    ]
    (mini / "las/north/nb-staff.csv").write_text("year,social_workers\n2014-15,41\n2015-16,n/a\n2016-17\n")
    assert problems_of(mini) == [
        "content/las/north/nb-staff.csv:3 [social_workers]: expected a whole number, got 'n/a'",
        "content/las/north/nb-staff.csv:4: expected 2 cells as in the header, found 1",
    ]


def test_dataset_path_must_stay_inside_content(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text("year,social_workers\n2014-15,1\n")
    path = mini / "las/north/nb-staff.md"
    path.write_text(path.read_text().replace("file: nb-staff.csv", "file: ../../../secret.csv"))
    assert problems_of(mini) == [
        "content/las/north/nb-staff.md:5: file: '../../../secret.csv' leads outside the content folder; keep the CSV inside it",
    ]


def test_symlink_out_of_content_is_refused(mini: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntype: code\nid: X1\ngroup: Poverty\nlabel: x\ndescription: y\n---\n")
    os.symlink(secret, mini / "codes/X1.md")
    assert problems_of(mini) == [
        "content/codes/X1.md: links to a file outside the content folder; content must stay inside it",
    ]


def test_not_utf8_and_no_front_matter(mini: Path) -> None:
    (mini / "codes/latin1.md").write_bytes(b"---\ntype: code\nlabel: caf\xe9\n---\n")
    (mini / "codes/notes.md").write_text("# Notes to self\n")
    assert problems_of(mini) == [
        "content/codes/latin1.md:3: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        "content/codes/notes.md:1: no front-matter; a content file starts with a '---' line, then 'type: ...' "
        "(one of project, local_authority, site, code, source, code_document, dataset, meta_inference, survey, outcome_case_study, report_card) and its fields, then '---'",
    ]


def test_unknown_type_suggests_the_right_one(mini: Path) -> None:
    (mini / "codes/x.md").write_text("---\ntype: code-document\n---\n")
    assert problems_of(mini) == [
        "content/codes/x.md:2: type: expected one of project, local_authority, site, code, source, code_document, dataset, meta_inference, survey, outcome_case_study, report_card, "
        "got 'code-document' (did you mean 'code_document'?)",
    ]


def test_empty_content_folder(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    assert problems_of(tmp_path / "content") == [
        "content: no project document; add project.md with 'type: project' and the study's title",
    ]
