"""Keyboard only, in a real browser: search, the language switch and the meta-inference filter work with Tab,
Enter, the arrow keys, Escape and typing, and every element the keyboard lands on shows that it has the focus.

No mouse event is sent: the page is driven through ``page.keyboard`` alone. At each Tab stop the focused element
must be on screen and draw a focus indicator (an outline or a box-shadow, on itself or, for a visually hidden
checkbox or radio, on its label).
"""

from __future__ import annotations

from typing import Any

import pytest

from .test_search import distinctive_words

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# What the focused element is, and whether a reader can see that it has the focus.
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return {what: 'body', visible: false, ring: false};
  const drawn = (e) => {
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !/rgba\\(.*, 0\\)$/.test(s.outlineColor);
    return outline || (s.boxShadow && s.boxShadow !== 'none');
  };
  const onScreen = (e) => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth
      && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0;
  };
  // a visually hidden checkbox or radio shows its focus on a label: its own, or the one after it (Material's
  // palette toggle: each radio's neighbour label switches to the next scheme)
  const next = element.nextElementSibling;
  const labels = [...(element.labels || []), ...(next && next.tagName === 'LABEL' ? [next] : [])].filter(onScreen);
  const shown = onScreen(element) ? [element] : labels;
  const text = (element.getAttribute('aria-label') || element.textContent || element.value || '').trim().replace(/\\s+/g, ' ');
  return {
    what: `${element.tagName.toLowerCase()}.${String(element.className.baseVal ?? element.className).split(' ')[0]} "${text.slice(0, 40)}"`,
    visible: shown.length > 0,
    ring: shown.some(drawn) || (shown === labels && labels.some(drawn)),
  };
}"""


def focus(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUS)


def assert_focus_shown(page: Any, step: str) -> dict[str, Any]:
    """The focused element is on screen and draws its focus (waiting out a transition, as Material's skip link slides in)."""
    try:
        page.wait_for_function(f"() => {{ const s = ({FOCUS})(); return s.visible && s.ring; }}", timeout=2000)
    except Exception:  # noqa: BLE001 (Playwright's TimeoutError: the state is reported below)
        pass
    state = focus(page)
    assert state["visible"], f"{step}: the focused element is off screen or hidden: {state['what']}"
    assert state["ring"], f"{step}: the focused element draws no outline or box-shadow: {state['what']}"
    return state


def tab_to(page: Any, selector: str, step: str, limit: int = 60, key: str = "Tab") -> None:
    """Press Tab until the element matching ``selector`` has the focus, checking the focus is shown at every stop."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            assert_focus_shown(page, step)
            return
        assert_focus_shown(page, f"{step} (on the way)")
    raise AssertionError(f"{step}: {selector} not reached in {limit} presses of {key}")


def settled(page: Any, quiet_ms: int = 600, timeout_ms: int = 15000) -> None:
    """Wait until the search results stop changing: Material answers each typed letter, and on a busy machine
    the last answers arrive after the first results show; a list drawn again takes the focus with it."""
    page.evaluate("""([quiet, timeout]) => new Promise((done, fail) => {
        const list = document.querySelector('.md-search-result__list');
        let timer = setTimeout(finish, quiet);
        const stop = setTimeout(() => { observer.disconnect(); fail(new Error('results kept changing')); }, timeout);
        const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, quiet); });
        function finish() { observer.disconnect(); clearTimeout(stop); done(); }
        observer.observe(list, {childList: true, subtree: true});
    })""", [quiet_ms, timeout_ms])


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    page = browser.new_page(viewport=viewport)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_search_by_keyboard(browser, served_demo: str, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    word, _ = distinctive_words("harrowmere")
    page = open_page(browser, f"{served_demo}/la/harrowmere/index.html", viewport)
    try:
        tab_to(page, "input.md-search__input", "open search")
        page.keyboard.type(word, delay=30)
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__link').length > 0", timeout=15000)
        settled(page)
        assert page.evaluate("document.getElementById('__search').checked")  # the search dialog is open
        tab_to(page, "a.md-search-result__link", "reach a result", limit=5, key="ArrowDown")
        target = page.evaluate("document.activeElement.href")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == target.split("#")[0] or page.url == target
        assert "/sources/hm-" in page.url or "/code-documents/" in page.url or "/meta-inferences/" in page.url, page.url
        assert word in page.locator("article").inner_text().lower()
    finally:
        page.close()


def test_escape_closes_search_and_gives_the_focus_back(browser, served_demo: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{served_demo}/la/harrowmere/index.html", DESKTOP)
    try:
        tab_to(page, "input.md-search__input", "open search")
        page.keyboard.type("caseload", delay=30)
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__link').length > 0", timeout=15000)
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.getElementById('__search').checked")
        page.keyboard.press("Tab")  # the reader carries on from the header, not from the top of the page
        assert_focus_shown(page, "after Escape")
    finally:
        page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_language_switch_by_keyboard(browser, served_demo: str, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    welsh = f"{served_demo}/la/cwm-derwen/cy/surveys/cd-wellbeing.html"
    english = f"{served_demo}/la/cwm-derwen/surveys/cd-wellbeing.html"
    page = open_page(browser, welsh, viewport)
    try:
        for language, url in (("en", english), ("cy", welsh)):
            tab_to(page, "button.md-header__button[aria-label]:is([aria-label='Select language'], [aria-label='Dewiswch iaith'])",
                   f"find the language selector ({language})")
            tab_to(page, f"a.md-select__link[hreflang={language}]", f"choose {language}", limit=3)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            page.wait_for_load_state("networkidle")
            assert page.url == url
            assert page.evaluate("document.documentElement.lang") == language
    finally:
        page.close()


def test_meta_inference_filter_by_keyboard(browser, served_demo: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{served_demo}/cross-case/meta-inferences/index.html", DESKTOP)
    shown = "() => Array.from(document.querySelectorAll('#gen-meta-table tbody tr')).filter(r => !r.hidden).length"
    try:
        total = page.evaluate(shown)
        assert total > 3
        tab_to(page, "select[data-filter=fit]", "reach the fit filter", limit=120)
        page.keyboard.press("ArrowDown")  # the first fit after "all"
        chosen = page.evaluate("document.activeElement.value")
        assert chosen
        fewer = page.evaluate(shown)
        assert 0 < fewer < total
        assert page.evaluate("document.querySelector('.gen-filter-count').textContent").startswith(f"{fewer} ")
        rows = page.evaluate("() => Array.from(document.querySelectorAll('#gen-meta-table tbody tr')).filter(r => !r.hidden).map(r => r.dataset.fit)")
        assert set(rows) == {chosen}
        tab_to(page, "select[data-filter=las]", "reach the LA filter", limit=3)
        page.keyboard.press("ArrowDown")
        assert page.evaluate(shown) <= fewer
        # back to every row: each filter's first option ("all")
        tab_to(page, "select[data-filter=fit]", "back to the fit filter", limit=3, key="Shift+Tab")
        page.keyboard.press("Home")
        tab_to(page, "select[data-filter=las]", "back to the LA filter", limit=3)
        page.keyboard.press("Home")
        assert page.evaluate(shown) == total
        tab_to(page, "#gen-meta-table a", "reach the first meta-inference", limit=5)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/meta-inferences/" in page.url and not page.url.endswith("index.html")
    finally:
        page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_tab_stop_to_the_article_is_seen(browser, served_demo: str, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """From the top of a page to its first link in the text, no Tab stop is hidden (a phone's closed menu included)."""
    page = open_page(browser, f"{served_demo}/la/harrowmere/index.html", viewport)
    try:
        tab_to(page, "article a[href]:not(.headerlink)", "into the article", limit=80)
    finally:
        page.close()


def test_phone_menu_by_keyboard(browser, served_demo: str) -> None:  # type: ignore[no-untyped-def]
    """On a phone the navigation drawer opens with Enter on its button and takes the focus; a section's panel opens
    with Enter on the section; a page in it opens with Enter; Escape shuts the drawer and gives the focus back."""
    page = open_page(browser, f"{served_demo}/la/cwm-derwen/cy/index.html", PHONE)
    try:
        tab_to(page, "button.gen-drawer-button", "reach the menu button", limit=5)
        assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
        page.keyboard.press("Enter")
        assert page.evaluate("document.getElementById('__drawer').checked")
        assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")  # the focus went in
        assert_focus_shown(page, "in the open menu")
        section = "label.md-nav__link[tabindex='0']:has(+ nav a[href$='case-studies/cd-carers-mr-t.html'])"
        tab_to(page, section, "reach the case studies section", limit=10)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.matches('label.md-nav__title')")  # the panel's way back
        assert_focus_shown(page, "in the section's panel")
        tab_to(page, "a[href$='case-studies/cd-carers-mr-t.html']", "reach a page in the section", limit=5)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/la/cwm-derwen/cy/case-studies/cd-carers-mr-t.html")

        tab_to(page, "button.gen-drawer-button", "reach the menu button again", limit=5)
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert_focus_shown(page, "in the open menu")
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__drawer').checked")
        assert page.evaluate("document.activeElement.matches('button.gen-drawer-button')")
        assert_focus_shown(page, "back on the menu button")
    finally:
        page.close()
