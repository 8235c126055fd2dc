"""Sites load nothing from another host, and search works opened straight from disk (file://)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from .test_search import distinctive_words, search

pytestmark = pytest.mark.browser


def test_no_request_leaves_localhost_on_any_page(browser, served_demo: str, demo_site: Path) -> None:  # type: ignore[no-untyped-def]
    site = demo_site / "la" / "harrowmere"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 15
    requests: list[str] = []
    page = browser.new_page()
    page.on("request", lambda request: requests.append(request.url))
    for name in pages:
        page.goto(f"{served_demo}/la/harrowmere/{name}")
        page.wait_for_load_state("networkidle")
    search(page, "caseload")  # the search worker and its index load too
    page.close()
    outside = [url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")
               and urlparse(url).hostname not in ("127.0.0.1", "localhost")]
    assert requests and outside == []


def test_search_works_from_the_file_system(browser, demo_site: Path) -> None:  # type: ignore[no-untyped-def]
    own_word, foreign_word = distinctive_words("harrowmere")
    page = browser.new_page()
    page.goto((demo_site / "la" / "harrowmere" / "index.html").as_uri())
    links = search(page, own_word)
    assert any("sources/hm-" in link for link in links), (own_word, links)
    page.goto((demo_site / "la" / "harrowmere" / "index.html").as_uri())
    assert search(page, foreign_word) == []
    page.close()
