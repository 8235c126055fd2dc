"""Search in a built LA site, in a real browser: its own words are found, other LAs' are not."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator.content.loader import load_study

from ..conftest import DEMO

pytestmark = pytest.mark.browser

WORD = re.compile(r"[a-z]{8,}")


def _words(paths: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in paths:
        counts.update(WORD.findall(path.read_text(encoding="utf-8").lower()))
    return counts


def distinctive_words(la_id: str) -> tuple[str, str]:
    """Return a word found only in this LA's extracts, and one found only in another LA's sources."""
    study, _ = load_study(DEMO)
    own_extracts = " ".join(e.text for s in study.sources if s.model.id.startswith("hm-") for e in s.extracts).lower()
    own = _words(list((DEMO / "local-authorities" / la_id).rglob("*.md")))
    others = _words([p for p in (DEMO / "local-authorities").rglob("*.md") if la_id not in p.parts])
    shared = _words([p for p in DEMO.glob("*.md")] + list((DEMO / "coding-frame").glob("*.md")))
    mine = sorted(w for w in own if w not in others and w not in shared and w in WORD.findall(own_extracts))
    theirs = sorted(w for w in others if w not in own and w not in shared and others[w] >= 2)
    return mine[len(mine) // 2], theirs[len(theirs) // 2]


def search(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.press_sequentially(query, delay=40)
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta'); return m && /\\d|No matching/.test(m.textContent); }",
        timeout=15000,
    )
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_la_search_finds_its_own_source_and_nothing_from_another_la(browser, served_demo: str) -> None:  # type: ignore[no-untyped-def]
    own_word, foreign_word = distinctive_words("harrowmere")
    page = browser.new_page()
    page.goto(f"{served_demo}/la/harrowmere/index.html")
    links = search(page, own_word)
    assert any("sources/hm-" in link for link in links), (own_word, links)
    page.goto(f"{served_demo}/la/harrowmere/index.html")
    assert search(page, foreign_word) == [], foreign_word
    assert "No matching" in page.locator(".md-search-result__meta").text_content()
    page.close()
