"""The framework matrix in a real browser, at a laptop's width and a phone's: the header row and the site
column stay in view while the matrix scrolls, the reader is told how many codes lie beyond the edge, can
choose themes and sites, turn the matrix round, and gets a list per site on a phone (with or without
JavaScript)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MATRIX = "cross-case/matrix.html"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture()
def open_matrix(browser, served_demo):  # type: ignore[no-untyped-def]
    pages = []

    def open_(viewport: dict[str, int], javascript: bool = True):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        page = context.new_page()
        page.goto(f"{served_demo}/{MATRIX}")
        if javascript:
            page.wait_for_selector(".gen-matrix-box[data-ready]", state="attached")
        pages.append(context)
        return page

    yield open_
    for context in pages:
        context.close()


def _visible(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return page.locator(selector).first.is_visible()


def _codes_beyond_right_edge(page) -> int:  # type: ignore[no-untyped-def]
    """Counted from the layout itself, independently of the page's script."""
    return page.evaluate("""() => {
        const wrap = document.querySelector('.gen-matrix-wrap[data-view=sites]');
        const edge = wrap.getBoundingClientRect().right;
        return [...wrap.querySelectorAll('thead .gen-matrix-code')]
            .filter(th => th.offsetParent && th.getBoundingClientRect().left + th.offsetWidth / 2 > edge).length;
    }""")


def test_laptop_says_how_many_codes_lie_beyond_the_edge_until_scrolled(open_matrix) -> None:  # type: ignore[no-untyped-def]
    page = open_matrix(LAPTOP)
    beyond = _codes_beyond_right_edge(page)
    assert beyond > 0, "the demo's 15 codes should not fit 1366 px"
    assert page.locator(".gen-matrix-more").inner_text().startswith(f"{beyond} more codes to the right")
    page.evaluate("document.querySelector('.gen-matrix-wrap[data-view=sites]').scrollLeft = 1e6")
    page.wait_for_timeout(100)
    assert _codes_beyond_right_edge(page) == 0
    assert "to the right" not in page.locator(".gen-matrix-more").inner_text()
    assert "to the left" in page.locator(".gen-matrix-more").inner_text()


def test_header_row_and_site_column_stay_in_view_while_the_matrix_scrolls(open_matrix) -> None:  # type: ignore[no-untyped-def]
    page = open_matrix(LAPTOP)
    wrap = ".gen-matrix-wrap[data-view=sites]"
    page.evaluate(f"document.querySelector('{wrap}').scrollIntoView()")
    before = page.evaluate(f"""() => {{
        const w = document.querySelector('{wrap}');
        return {{wrap: w.getBoundingClientRect().toJSON(),
                 code: w.querySelector('thead .gen-matrix-code').getBoundingClientRect().toJSON(),
                 site: w.querySelector('tbody .gen-matrix-site').getBoundingClientRect().toJSON()}};
    }}""")
    page.evaluate(f"() => {{ const w = document.querySelector('{wrap}'); w.scrollTop = 400; w.scrollLeft = 600; }}")
    page.wait_for_timeout(100)
    after = page.evaluate(f"""() => {{
        const w = document.querySelector('{wrap}');
        return {{top: w.scrollTop, left: w.scrollLeft,
                 code: w.querySelector('thead .gen-matrix-code').getBoundingClientRect().toJSON(),
                 corner: w.querySelector('thead .gen-matrix-corner').getBoundingClientRect().toJSON(),
                 site: w.querySelector('tbody .gen-matrix-site').getBoundingClientRect().toJSON()}};
    }}""")
    assert after["top"] > 0 and after["left"] > 0, "the matrix should scroll inside its own box"
    # The code headings scrolled sideways but not up; the site names scrolled up but not sideways.
    assert abs(after["code"]["top"] - before["code"]["top"]) < 1
    assert after["code"]["left"] < before["code"]["left"] - 100
    assert abs(after["site"]["left"] - before["site"]["left"]) < 1
    assert after["site"]["top"] < before["site"]["top"] - 100
    assert abs(after["corner"]["left"] - before["wrap"]["left"]) < 2


def test_a_theme_left_out_hides_its_heading_and_every_cell(open_matrix) -> None:  # type: ignore[no-untyped-def]
    page = open_matrix(LAPTOP)
    theme = page.locator("input[data-choose=theme]").first.get_attribute("value")
    shown = page.locator(f".gen-matrix-wrap[data-view=sites] td[data-theme='{theme}']:visible").count()
    assert shown > 0
    page.click("details.gen-matrix-choose summary")
    page.locator(f"input[data-choose=theme][value='{theme}']").uncheck()
    assert page.locator(f".gen-matrix-wrap[data-view=sites] [data-theme='{theme}']:visible").count() == 0
    site = page.locator("input[data-choose=site]").first.get_attribute("value")
    page.locator(f"input[data-choose=site][value='{site}']").uncheck()
    assert not page.locator(f"tr[data-site='{site}']").is_visible()
    # The other themes' headings still span exactly their codes.
    spans = page.evaluate("""() => [...document.querySelectorAll('.gen-matrix-group[data-span]')].filter(th => !th.hidden)
        .map(th => [th.colSpan, document.querySelectorAll(`thead .gen-matrix-code[data-theme="${th.dataset.theme}"]:not([hidden])`).length])""")
    assert spans and all(span == codes for span, codes in spans)


def test_codes_as_rows_turns_the_matrix_round(open_matrix) -> None:  # type: ignore[no-untyped-def]
    page = open_matrix(LAPTOP)
    sites = page.locator(".gen-matrix-wrap[data-view=sites] tbody tr").count()
    codes = page.locator(".gen-matrix-wrap[data-view=sites] thead .gen-matrix-code").count()
    page.check("input[name=gen-matrix-view][value=codes]")
    assert not _visible(page, ".gen-matrix-wrap[data-view=sites]")
    assert _visible(page, ".gen-matrix-wrap[data-view=codes]")
    assert page.locator(".gen-matrix-wrap[data-view=codes] thead .gen-matrix-site-head").count() == sites
    assert page.locator(".gen-matrix-wrap[data-view=codes] tbody tr:not(.gen-matrix-theme-row)").count() == codes


def test_phone_gets_a_list_per_site_by_default(open_matrix) -> None:  # type: ignore[no-untyped-def]
    page = open_matrix(PHONE)
    assert _visible(page, ".gen-matrix-list")
    assert not _visible(page, ".gen-matrix-wrap")
    assert page.locator("input[name=gen-matrix-view][value=list]").is_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"


@pytest.mark.parametrize("viewport, shown, hidden", [(LAPTOP, ".gen-matrix-wrap[data-view=sites]", ".gen-matrix-list"),
                                                     (PHONE, ".gen-matrix-list", ".gen-matrix-wrap[data-view=sites]")])
def test_without_javascript_each_width_still_gets_a_whole_matrix(open_matrix, viewport, shown, hidden) -> None:  # type: ignore[no-untyped-def]
    page = open_matrix(viewport, javascript=False)
    assert _visible(page, shown)
    assert not _visible(page, hidden)
    assert not _visible(page, ".gen-matrix-tools")
    assert not _visible(page, ".gen-matrix-wrap[data-view=codes]")
