"""Words on generated pages: counts agree with their number, previews are prose."""

from __future__ import annotations

from pathlib import Path

from generator.content.models import Method
from generator.pipeline import load_and_validate
from generator.render.pages import METHOD_COUNTS, count_of, render_site_pages
from generator.resolve import resolve_site


def test_every_method_has_a_singular_and_a_plural() -> None:
    assert set(METHOD_COUNTS) == set(Method)
    assert count_of(Method.FOCUS_GROUP, 2) == "2 focus groups"
    assert count_of(Method.FIELD_NOTES, 1) == "1 set of field notes"
    assert count_of(Method.INTERVIEW, 1) == "1 interview"
    assert count_of(Method.INTERVIEW, 1200) == "1,200 interviews"


def test_an_la_overview_counts_its_sources_by_method(mini: Path) -> None:
    extra = mini / "las/north/nb-fg-01.md"
    extra.write_text((mini / "las/north/nb-int-01.md").read_text().replace("id: nb-int-01", "id: nb-fg-01")
                     .replace("method: interview", "method: focus_group"))
    second = mini / "las/north/nb-fg-02.md"
    second.write_text(extra.read_text().replace("id: nb-fg-01", "id: nb-fg-02"))
    study, _ = load_and_validate(mini)
    page = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}["index.md"]
    assert "<dd>3 sources: 2 focus groups, 1 interview</dd>" in page


def test_a_matrix_preview_is_the_summary_never_a_computed_block(mini: Path) -> None:
    from generator.compute.matrix import compute_matrix

    document = mini / "las/north/oakfield-S1.md"
    head, _, body = document.read_text().partition("\n---\n")
    block = "```computed\ntable: values\ndataset: nb-staff\ncolumns: [social_workers]\n```\n\n"
    document.write_text(f"{head}\n---\n\n{block}{body.strip()}\n")
    study, _ = load_and_validate(mini)
    matrix = compute_matrix(resolve_site(study, "north"))
    cell = next(c for row in matrix.rows for c in row.cells if c.document is not None)
    assert cell.preview == "Caseloads are high in Oakfield."
