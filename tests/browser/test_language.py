"""The Welsh demo LA's site in a real browser: the language selector keeps the reader on the same page, and
Material's interface, our generated headings and the survey's own labels all follow the chosen language."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SURVEY = "la/cwm-derwen/surveys/cd-wellbeing.html"
WELSH_SURVEY = "la/cwm-derwen/cy/surveys/cd-wellbeing.html"

# (what we look for, in English, in Welsh): Material's interface, our headings, the survey's own words
ENGLISH = {"search": "Search", "heading": "Waves and response rates", "question": "I can do the things that matter to me.",
           "answer": "Strongly agree", "wave": "Wave 1 (autumn 2016)", "verdict": "Improved"}
WELSH = {"search": "Chwilio", "heading": "Tonnau a chyfraddau ymateb", "question": "Rwy'n gallu gwneud y pethau sy'n bwysig i mi.",
         "answer": "Cytuno'n gryf", "wave": "Ton 1 (hydref 2016)", "verdict": "Wedi gwella"}


def _read(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "lang": page.evaluate("document.documentElement.lang"),
        "search": page.locator("input.md-search__input").get_attribute("placeholder") or "",
        "text": page.locator("article").inner_text(),
        "nav": page.locator("nav.md-nav--primary").inner_text(),
    }


def _switch(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.locator(f"a.md-select__link[hreflang={language}]").click()


def _assert_in(seen: dict[str, str], words: dict[str, str], absent: dict[str, str], keys: tuple[str, ...]) -> None:
    assert seen["search"] == words["search"]
    for key in ("heading", "question", "answer", "wave", "verdict"):
        assert words[key] in seen["text"], (key, words[key])
    for key in keys:
        assert absent[key] not in seen["text"], (key, absent[key])


def test_language_selector_keeps_the_page_and_switches_every_label(browser, served_demo: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{served_demo}/{SURVEY}")
        english = _read(page)
        assert english["lang"] == "en"
        _assert_in(english, ENGLISH, WELSH, ("heading", "wave", "verdict"))  # the English page also gives the Welsh question
        assert "Surveys" in english["nav"]
        page.screenshot(path=str(tmp_path / "survey-en.png"))

        _switch(page, "cy")
        assert page.url == f"{served_demo}/{WELSH_SURVEY}"
        welsh = _read(page)
        assert welsh["lang"] == "cy"
        _assert_in(welsh, WELSH, ENGLISH, ("heading", "question", "answer", "wave", "verdict"))
        assert "Arolygon" in welsh["nav"] and "Surveys" not in welsh["nav"]
        page.screenshot(path=str(tmp_path / "survey-cy.png"))

        _switch(page, "en")  # and back again
        assert page.url == f"{served_demo}/{SURVEY}"
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        page.close()


def test_every_welsh_page_has_its_english_twin(demo_site: Path) -> None:
    english = demo_site / "la/cwm-derwen"
    welsh = english / "cy"
    pages = {p.relative_to(welsh) for p in welsh.rglob("*.html")}
    assert len(pages) > 5
    missing = [str(p) for p in pages if not (english / p).is_file()]
    assert missing == []
