"""The demo's Welsh sites, built as `make site` builds them, hold no English word of the catalogue.

What counts as English: every message id of the catalogue as a whole phrase (its literal pieces of two or
more words, between placeholders), and every word of four or more letters that occurs in the English
messages but in no Welsh translation (so "CSV", "Word" or "Wilson", which the Welsh keeps, do not count).
What is scanned: each Welsh page's article, navigation, page title and the alt, title and aria-label
attributes in them. Skipped: open answers quoted as respondents wrote them, and the author's own English, which the templates mark with lang="en" (an author
writes Welsh only where the content model has a `_cy` field); the test checks that every word inside those
marks does come from the author's files, so a generated word cannot hide there.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from generator.render.i18n import catalogue_path, extract

from ..conftest import DEMO

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%|\{\w+\}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """The text of a page's article, navigation and title, with and without the parts marked lang="en"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, scanned region, author's English)
        self.generated: list[str] = []
        self.author: list[str] = []

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        scanned, english = self._state()
        scanned = scanned or tag in ("article", "title") or (tag == "nav" and "md-nav--primary" in (a.get("class") or ""))
        # the author's English, and open answers quoted as the respondents wrote them (in either language)
        english = english or a.get("lang") == "en" or "gen-open-answer" in (a.get("class") or "").split()
        if scanned:
            for name in ("alt", "title", "aria-label"):
                if a.get(name) and a.get("class") != "headerlink":  # Material's own "Permanent link"
                    (self.author if english else self.generated).append(a[name] or "")
        if tag not in VOID:
            self.stack.append((tag, scanned, english))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        scanned, english = self._state()
        if scanned:
            (self.author if english else self.generated).append(data)


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text.replace("’", "'"))}  # the typographer curls apostrophes


@pytest.fixture(scope="module")
def english() -> tuple[list[str], set[str]]:
    """The catalogue's English phrases and the words only English uses."""
    with catalogue_path("cy").open("rb") as handle:
        welsh = read_po(handle)
    welsh_words: set[str] = set()
    for message in welsh:
        for form in (message.string if isinstance(message.string, tuple) else (message.string,)):
            welsh_words |= _words(PLACEHOLDER.sub(" ", form or ""))
    phrases: set[str] = set()
    words: set[str] = set()
    for message in extract():
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            if not msgid:
                continue
            for piece in PLACEHOLDER.split(msgid):
                piece = piece.strip(" ,.;:()“”\"")
                if len(WORD.findall(piece)) >= 2 and not _words(piece) <= welsh_words:
                    phrases.add(piece)
                words |= {w for w in _words(piece) if len(w) >= 4}
    return sorted(phrases, key=len, reverse=True), words - welsh_words


@pytest.fixture(scope="module")
def welsh_site(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The Welsh site of every demo LA that publishes in Welsh."""
    from generator.build import build
    from generator.content.loader import load_study

    study, _ = load_study(DEMO)
    welsh = [la.model.id for la in study.local_authorities if "cy" in la.model.languages]
    assert welsh, "the demo has a bilingual LA"
    out = tmp_path_factory.mktemp("welsh")
    sites = []
    for la in welsh:
        assert build(DEMO, out=out / la, la=la, quiet=True) == 0
        sites.append(out / la / "cy")
    return sites


def test_welsh_pages_hold_no_english_word_of_the_catalogue(welsh_site, english) -> None:  # type: ignore[no-untyped-def]
    phrases, words = english
    assert len(words) > 100 and "fieldwork" in words and "sources" in words  # the rule has something to find
    author_text = " ".join(p.read_text(encoding="utf-8") for p in DEMO.rglob("*") if p.suffix in (".md", ".csv"))
    author_words = _words(author_text)
    hits = []
    pages = sorted(p for site in welsh_site for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) >= 5
    for page in pages:
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join(parser.generated)
        for phrase in phrases:
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE):
                hits.append((page.name, "phrase", phrase))
        for word in sorted(_words(text) & words):
            hits.append((page.name, "word", word))
        hidden = _words(" ".join(parser.author)) - author_words
        assert not hidden, f"{page}: words marked as the author's English that no content file has: {sorted(hidden)[:10]}"
    assert not hits, f"{len(hits)} English words on Welsh pages: {hits[:20]}"


def test_welsh_overview_lists_each_kind_under_its_own_heading(welsh_site) -> None:  # type: ignore[no-untyped-def]
    for site in welsh_site:
        html = (site / "index.html").read_text(encoding="utf-8")
        sections = re.split(r"<h2 ", html)[1:]
        by_heading = {re.search(r'id="([^"]+)"', s).group(1): re.findall(r'href="([^"#]+\.html)"', s) for s in sections}
        for heading, links in by_heading.items():
            kinds = {link.split("/")[0] for link in links if "/" in link}
            assert len(kinds) <= 1, (site, heading, links)  # surveys under Arolygon, report cards under their own
