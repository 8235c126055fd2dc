"""Each LA's case report prints to A4 PDF in Chromium with no table, chart or extract split across pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.content.loader import load_study

from ..conftest import DEMO

pytestmark = pytest.mark.browser

# A4 is 297 mm tall; the print stylesheet sets 16 mm margins top and bottom. CSS px are 1/96 inch.
PRINTABLE_HEIGHT_PX = (297 - 2 * 16) / 25.4 * 96

KEEP_WHOLE = "table, figure, .gen-extract, .gen-meta-statement, .gen-table-wrap"


def test_case_reports_print_without_cutting_tables_or_charts(browser, served_demo: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    study, _ = load_study(DEMO)
    with_sites = {s.model.la for s in study.sites}  # an LA publishing only surveys and case studies has no case report
    page = browser.new_page()
    for la in [la for la in study.local_authorities if la.model.id in with_sites]:
        page.goto(f"{served_demo}/la/{la.model.id}/case-report.html")
        page.emulate_media(media="print")
        page.wait_for_load_state("load")
        blocks = page.eval_on_selector_all(
            KEEP_WHOLE,
            """els => els.map(e => ({tag: e.tagName + '.' + e.className, height: e.getBoundingClientRect().height,
                                    breakInside: getComputedStyle(e).breakInside}))""",
        )
        assert blocks, la.model.id
        for block in blocks:
            assert block["breakInside"] == "avoid", (la.model.id, block)
            assert block["height"] <= PRINTABLE_HEIGHT_PX, (la.model.id, block)
        hidden = page.eval_on_selector(".md-sidebar--primary", "e => getComputedStyle(e).display")
        assert hidden == "none"
        pdf = tmp_path / f"{la.model.id}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        assert pages >= 7, (la.model.id, pages)  # the intro, then a page per theme at least
    page.close()


def _pages(pdf: Path) -> list[tuple[str, float]]:
    """Each printed page's text and the share of its height that holds anything (rows of pixels not white)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    pages = []
    for page in document:
        text = page.get_textpage().get_text_range()
        image = page.render(scale=0.5).to_pil().convert("L")
        width, height = image.size
        pixels = image.load()
        inked = [y for y in range(height) if any(pixels[x, y] < 235 for x in range(0, width, 2))]
        pages.append((text, (inked[-1] - inked[0]) / height if inked else 0.0))
    return pages


def test_case_reports_read_page_by_page(browser, served_demo: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The first page holds the introduction and the first section, not one table and white space; no page
    # is blank; no page starts with a table's source line or downloads cut off from their table.
    study, _ = load_study(DEMO)
    with_sites = {s.model.la for s in study.sites}
    page = browser.new_page()
    for la in [la for la in study.local_authorities if la.model.id in with_sites]:
        page.goto(f"{served_demo}/la/{la.model.id}/case-report.html")
        page.emulate_media(media="print")
        page.wait_for_load_state("load")
        # every chart and font in place first (lazy images loaded now, as printing does): on a busy machine
        # an image still loading moved the page breaks
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(image => image.loading = 'eager')")
        page.wait_for_function("document.fonts.status === 'loaded' && "
                               "Array.from(document.images).every(image => image.complete)")
        pdf = tmp_path / f"{la.model.id}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
        printed = _pages(pdf)
        # the page less its margins is 0.89 of it; with the section moved to page 2 the first page was about 0.35 full
        assert printed[0][1] >= 0.45, (la.model.id, "first page", printed[0][1])
        for number, (text, filled) in enumerate(printed, 1):
            # the last page may hold a line or two; any other page is at least a twentieth full
            assert text.strip() and (filled > 0.05 or number == len(printed)), (la.model.id, number, filled)
            first_line = text.strip().splitlines()[0]
            assert not first_line.startswith(("Source:", "Download this table")), (la.model.id, number, first_line)
    page.close()


@pytest.mark.parametrize("path", [
    "la/cwm-derwen/report-cards/cd-reablement.html",
    "la/cwm-derwen/cy/report-cards/cd-reablement.html",
    "la/cwm-derwen/surveys/cd-wellbeing.html",
    "la/cwm-derwen/case-studies/cd-reablement-mrs-g.html",
])
def test_report_cards_surveys_and_case_studies_print_whole_blocks(browser, served_demo: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    try:
        response = page.goto(f"{served_demo}/{path}")
        assert response is not None and response.ok, path
        page.emulate_media(media="print")
        blocks = page.eval_on_selector_all(
            "table, figure, .gen-table-wrap",
            "els => els.map(e => ({tag: e.tagName + '.' + e.className, height: e.getBoundingClientRect().height,"
            " breakInside: getComputedStyle(e).breakInside}))",
        )
        assert len(blocks) >= 3, path
        for block in blocks:
            assert block["breakInside"] == "avoid", (path, block)
            assert block["height"] <= PRINTABLE_HEIGHT_PX, (path, block)
    finally:
        page.close()
