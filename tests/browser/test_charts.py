"""Charts and the joint display as a reader sees them, on a phone (390x844) and a laptop (1366x768).

Every chart of the demo's cross-case and LA sites is measured where it is
shown: the drawing the browser chose (``currentSrc``), the width it is shown
at, and the smallest text in that SVG, so the rendered size of the smallest
text is ``size in the SVG x shown width / viewBox width`` (CSS px).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from ..charts.svg_text import smallest_rendered

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SMALLEST_PX = 9.0
JOINT = "cross-case/meta-inferences/vignette-practice-converges.html"  # four charts and two wide tables

_SHOWN = """async () => {
    const out = [];
    for (const image of document.querySelectorAll('figure.gen-chart img')) {
        image.loading = 'eager';
        image.scrollIntoView();
        if (!image.complete) await new Promise(done => { image.onload = done; image.onerror = done; });
        out.push({src: image.currentSrc, width: image.getBoundingClientRect().width,
                  narrow: image.closest('picture')?.querySelector('source')?.srcset ?? null});
    }
    return out;
}"""


def _chart_pages(site: Path) -> list[str]:
    pages = [p for p in sorted(site.rglob("*.html")) if 'class="gen-chart"' in p.read_text(encoding="utf-8")]
    return [p.relative_to(site).as_posix() for p in pages]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_charts_smallest_text_is_at_least_9_css_px(browser, served_demo: str, demo_site: Path,  # type: ignore[no-untyped-def]
                                                         viewport: dict[str, int]) -> None:
    pages = _chart_pages(demo_site)
    assert {p.split("/")[0] for p in pages} == {"cross-case", "la"}
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    measured, too_small = 0, []
    try:
        for path in pages:
            page.goto(f"{served_demo}/{path}", wait_until="domcontentloaded")
            for shown in page.evaluate(_SHOWN):
                file = demo_site / urlparse(shown["src"]).path.lstrip("/")
                assert file.is_file(), (path, shown)
                if viewport is PHONE and shown["narrow"]:  # a phone is given the narrow drawing
                    assert shown["src"].endswith(shown["narrow"].rsplit("/", 1)[-1]), (path, shown)
                assert shown["width"] <= viewport["width"], (path, shown)  # never wider than the screen
                size = smallest_rendered(file.read_bytes(), shown["width"])
                measured += 1
                if size < SMALLEST_PX:
                    too_small.append((path, file.name, round(size, 2)))
    finally:
        context.close()
    assert measured > 100
    assert not too_small, too_small


def _boxes(page, selector: str) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(selector, """els => els.map(e => { const r = e.getBoundingClientRect();
        return {top: r.top + scrollY, left: r.left, right: r.right, width: r.width,
                scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, overflow: getComputedStyle(e).overflowX}; })""")


def _open(browser, served_demo: str, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{served_demo}/{JOINT}")
    page.eval_on_selector_all("img", "els => els.forEach(e => e.loading = 'eager')")
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_joint_display_leads_with_the_statement(browser, served_demo: str, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    context, page = _open(browser, served_demo, viewport)
    try:
        statement = _boxes(page, ".gen-meta-statement")[0]
        quant, qual = _boxes(page, ".gen-joint > section")
        assert statement["top"] < min(quant["top"], qual["top"])
        assert page.evaluate("document.querySelector('.gen-meta-statement').compareDocumentPosition("
                             "document.querySelector('.gen-joint')) & Node.DOCUMENT_POSITION_FOLLOWING")
    finally:
        context.close()


def test_joint_display_stacks_on_a_phone_and_nothing_is_cut(browser, served_demo: str) -> None:  # type: ignore[no-untyped-def]
    context, page = _open(browser, served_demo, PHONE)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page never scrolls sideways
        quant, qual = _boxes(page, ".gen-joint > section")
        assert qual["top"] > quant["top"] and abs(qual["left"] - quant["left"]) < 1  # one above the other
        assert quant["width"] > PHONE["width"] * 0.85  # each the page's whole column
        tables = _boxes(page, ".gen-joint .gen-table-wrap")
        assert tables
        for box in tables:
            assert box["right"] <= PHONE["width"]
            if box["scrollWidth"] > box["clientWidth"] + 1:  # wider than the column: it scrolls in its own box
                assert box["overflow"] == "auto"
        wide = [b for b in tables if b["scrollWidth"] > b["clientWidth"] + 1]
        assert wide, "the demo's pathway tables are wider than a phone"
        # a scrolled table keeps its caption (wrapped to the box) and its row headings in view
        page.eval_on_selector_all(".gen-joint .gen-table-wrap", "els => els.forEach(e => e.scrollLeft = 1e6)")
        kept = page.eval_on_selector_all(".gen-joint .gen-computed", """els => els.map(w => {
            const box = w.getBoundingClientRect(), caption = w.querySelector('caption').getBoundingClientRect(),
                  heading = w.querySelector('tbody th').getBoundingClientRect();
            return caption.left >= box.left - 1 && caption.right <= box.right + 1
                && heading.left >= box.left - 1 && heading.right <= box.right + 1; })""")
        assert kept and all(kept)
    finally:
        context.close()


def test_joint_display_puts_the_strands_side_by_side_on_a_laptop(browser, served_demo: str) -> None:  # type: ignore[no-untyped-def]
    context, page = _open(browser, served_demo, LAPTOP)
    try:
        quant, qual = _boxes(page, ".gen-joint > section")
        assert abs(quant["top"] - qual["top"]) < 2 and quant["right"] <= qual["left"]
        for box in _boxes(page, ".gen-joint-quant .gen-table-wrap, .gen-joint-quant figure"):
            assert quant["left"] - 1 <= box["left"] and box["right"] <= quant["right"] + 1  # inside its column
    finally:
        context.close()
