"""Meta-inferences: references checked like every other, with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline import load_and_validate

META = """---
type: meta_inference
id: caseloads-rise
title: Caseloads rise where staffing falls
statement: Caseloads rose as posts went unfilled.
fit: {fit}
codes: [S1]
las: [north]
quantitative: [{block}]
qualitative: [{extract}]
replication: {{north: supports}}
---

Discussion.
"""


def write(mini: Path, fit: str = "confirmatory", block: str = "staff-table", extract: str = "nb-int-01#caseloads") -> None:
    doc = mini / "las/north/oakfield-S1.md"
    doc.write_text(doc.read_text() + "\n```computed\nid: staff-table\ntable: values\ndataset: nb-staff\n```\n")
    (mini / "meta.md").write_text(META.format(fit=fit, block=block, extract=extract))


def errors(mini: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_and_validate(mini)
    return [str(p) for p in error.value.problems]


def test_a_valid_meta_inference_loads(mini: Path) -> None:
    write(mini)
    study, warnings = load_and_validate(mini)
    assert [m.model.id for m in study.meta_inferences] == ["caseloads-rise"]
    assert warnings == []


def test_missing_extract_and_chart_are_path_line_errors(mini: Path) -> None:
    write(mini, block="staff-tabel", extract="nb-int-01#caseload")
    assert errors(mini) == [
        "content/meta.md:9: quantitative: no computed table, chart or dataset has id 'staff-tabel' (did you mean 'staff-table'?); give the block an 'id:' line",
        "content/meta.md:10: qualitative: source 'nb-int-01' has no extract 'caseload' (did you mean 'caseloads'?)",
    ]


def test_discordant_needs_a_note_on_how_it_was_handled(mini: Path) -> None:
    write(mini, fit="discordant")
    assert errors(mini) == [
        "content/meta.md:1: a discordant meta-inference needs 'discordance': how the team handled the disagreement",
    ]


def test_a_meta_inference_about_several_las_may_name_them_and_reaches_only_the_cross_case_site(mini: Path) -> None:
    from generator.resolve import resolve_site

    write(mini)
    meta = mini / "meta.md"
    meta.write_text(meta.read_text().replace("las: [north, south]", "las: [north]").replace("las: [north]", "las: [north, south]")
                    .replace("Discussion.", "Unlike Northby and Southwick."))
    study, _ = load_and_validate(mini)  # no error
    assert [m.model.id for m in resolve_site(study, None).meta_inferences] == ["caseloads-rise"]
    assert resolve_site(study, "north").meta_inferences == [] and resolve_site(study, "south").meta_inferences == []


def test_a_meta_inference_about_one_la_may_not_name_another(mini: Path) -> None:
    write(mini)
    meta = mini / "meta.md"
    meta.write_text(meta.read_text().replace("Discussion.", "Unlike Southwick."))
    assert [e for e in errors(mini) if "Southwick" in e] == [
        "content/meta.md:14: mentions 'Southwick', which belongs to local authority 'south'; this document belongs to "
        "'north', whose site must not name other LAs (write 'another LA' or 'a low-deprivation LA' instead)",
    ]
