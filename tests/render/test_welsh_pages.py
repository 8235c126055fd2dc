"""Welsh sites hold no English the generator wrote: every generated string comes through the catalogue.

What counts as English:
- every message id of the catalogue as a whole phrase (its literal pieces of two or more words, between
  placeholders), and every word of four or more letters that the English messages use and no Welsh
  translation does (so "CSV", "Word" or "Wilson", which the Welsh keeps, do not count);
- a short list of English words every generated English page is made of ("the", "and", "of", "more",
  "codes", "show", ...) and the months' names, which the catalogue need not hold as words of their own.

What is scanned, on every page of a Welsh site: the article, the navigation and the page title; the alt,
title, aria-label and placeholder attributes in them, and the data-msg-* attributes that carry the words
the pages' scripts write; the search index; the CSV downloads of charts and computed tables (headers,
footnotes) and the workbooks' own words. Skipped: open survey answers, quoted as respondents wrote them, and
the author's own English, which the templates mark with lang="en" (an author writes Welsh only where the
content model has a `_cy` field); the test checks that every word inside those marks does come from the
author's files, so a generated word cannot hide there. Author text printed unmarked (a page title in the
navigation, a code's label in an attribute) is taken out by its exact words before the scan.

Two Welsh sites are built: the demo's own Welsh LA (surveys, case studies, a report card), and a copy of the
demo in which an LA with a case-study site also publishes in Welsh, so that every page kind an LA's site can
have (matrix, coding frame, code documents, sources, datasets, meta-inferences, case report, computed tables
and charts) is read in Welsh too.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from generator.render.i18n import catalogue_path, extract

from ..conftest import DEMO

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%|\{\w+\}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
# English words every generated English page is made of, and the months; none is a Welsh word
FUNCTION_WORDS = {
    "the", "and", "of", "to", "for", "with", "from", "by", "in", "more", "than", "this", "these", "that", "which",
    "not", "yes", "show", "hide", "codes", "code", "sources", "source", "sites", "site", "theme", "themes", "rows",
    "row", "columns", "extracts", "extract", "people", "days", "hours", "rose", "fell", "stayed", "written",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december",
}
# an LA of the demo with a case-study site, published in Welsh too in a copy of the demo
FRAMEWORK_LA = "harrowmere"


class _Text(HTMLParser):
    """The text of a page's article, navigation and title, with and without the parts marked lang="en"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, scanned region, author's English)
        self.generated: list[str] = []
        self.author: list[str] = []
        self.scripts: list[str] = []  # the words the page's scripts write (data-msg-*)

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        scanned, english = self._state()
        scanned = scanned or tag in ("article", "title") or (tag == "nav" and "md-nav--primary" in (a.get("class") or ""))
        # the author's English, and open answers quoted as the respondents wrote them (in either language)
        if a.get("lang"):
            english = a.get("lang") == "en"
        english = english or "gen-open-answer" in (a.get("class") or "").split()
        if scanned:
            for name in ATTRIBUTES:
                if a.get(name) and a.get("class") != "headerlink":  # Material's own "Permanent link"
                    (self.author if english else self.generated).append(a[name] or "")
            for name, value in a.items():
                if name.startswith("data-msg-") and value:
                    decoded = json.loads(value) if value[:1] in '["' else value
                    self.scripts.extend(decoded if isinstance(decoded, list) else [decoded])
        if tag not in VOID:
            self.stack.append((tag, scanned, english))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        scanned, english = self._state()
        if scanned and self.stack[-1][0] not in ("script", "style"):
            (self.author if english else self.generated).append(data)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"'))


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(_normal(text))}  # the typographer curls apostrophes


def _strings(value: Any) -> list[str]:
    """Every string in a content model's dump."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _without(text: str, author: list[str]) -> str:
    """``text`` with every author string taken out (longest first), so that what is left is the generator's."""
    text = _normal(text)
    for string in author:
        text = text.replace(string, " ")
    return text


@pytest.fixture(scope="module")
def english() -> tuple[list[str], set[str]]:
    """The catalogue's English phrases and the words only English uses."""
    with catalogue_path("cy").open("rb") as handle:
        welsh = read_po(handle)
    welsh_words: set[str] = set()
    for message in welsh:
        if not message.id:
            continue  # the header
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
    assert not FUNCTION_WORDS & welsh_words, "a word of the list is Welsh too"
    return sorted(phrases, key=len, reverse=True), (words - welsh_words) | FUNCTION_WORDS


def _build(content: Path, out: Path, la: str) -> Path:
    from generator.build import build

    assert build(content, out=out / la, la=la, quiet=True) == 0
    return out / la / "cy"


@pytest.fixture(scope="module")
def welsh_site(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path]]:
    """(content folder, Welsh site) for the demo's Welsh LA, and for an LA with case-study sites made bilingual."""
    from generator.content.loader import load_study

    study, _ = load_study(DEMO)
    welsh = [la.model.id for la in study.local_authorities if "cy" in la.model.languages]
    assert welsh, "the demo has a bilingual LA"
    assert FRAMEWORK_LA not in welsh and any(s.model.la == FRAMEWORK_LA for s in study.sites)
    out = tmp_path_factory.mktemp("welsh")
    sites = [(DEMO, _build(DEMO, out, la)) for la in welsh]
    content = out / "content"
    shutil.copytree(DEMO, content)
    la_file = content / "local-authorities" / FRAMEWORK_LA / "local-authority.md"
    text = la_file.read_text(encoding="utf-8")
    la_file.write_text(re.sub(r"^nation: .*$", r"\g<0>\nlanguages: [en, cy]", text, count=1, flags=re.M), encoding="utf-8")
    sites.append((content, _build(content, out, FRAMEWORK_LA)))
    return sites


def _author(content: Path) -> tuple[set[str], list[str]]:
    """The words of the author's files, and every string the author wrote that pages print as it is or as a
    label: the content models' fields, the blocks' settings, extract ids, matrix previews, the datasets' column
    names and text values as words."""
    from generator.compute.labels import terms_of, words as label
    from generator.compute.matrix import prose_of
    from generator.content.loader import load_study
    from generator.render.markdown import preview

    text = " ".join(p.read_text(encoding="utf-8") for p in content.rglob("*") if p.suffix in (".md", ".csv"))
    study, _ = load_study(content)
    abbreviations = terms_of(study.project.model if study.project else None)
    strings = {s for d in study.all_documents() for s in _strings(d.model.model_dump(mode="json"))}
    strings |= {s for d in study.all_documents() for b in d.blocks for s in _strings(b.spec.model_dump(mode="json"))}
    strings |= {preview(prose_of(d.body)) for d in study.code_documents}
    strings |= {e.id for s in study.sources for e in s.extracts}
    for dataset in study.datasets:
        names = [c.name for c in dataset.model.columns]
        if dataset.table is not None:
            names += [str(v) for c in dataset.table.columns if not pd.api.types.is_numeric_dtype(dataset.table[c])
                      for v in dataset.table[c].dropna().unique()]
        for name in names:
            words = name.replace("_", " ")
            strings |= {name, words, words.capitalize(), label(name, abbreviations), words[:1].lower() + words[1:]}
    cleaned = {_normal(s).strip() for s in strings}
    return _words(text), sorted((s for s in cleaned if len(s) >= 3), key=len, reverse=True)


def _hits(text: str, phrases: list[str], words: set[str]) -> list[tuple[str, str]]:
    found = [("phrase", p) for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text, re.IGNORECASE)]
    return found + [("word", w) for w in sorted(_words(text) & words)]


def _downloads(site: Path) -> dict[str, str]:
    """The generator's own words in the site's chart and table downloads (a dataset's CSV is the author's data)."""
    texts = {}
    for path in sorted((site / "assets").rglob("*")):
        if path.suffix == ".csv":
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
                names = [n for n in book.namelist() if n.startswith("xl/") and n.endswith(".xml")]
                texts[path.name] = " ".join(re.sub(r"<[^>]+>", " ", book.read(n).decode("utf-8")) for n in names)
    matrix = site / "framework-matrix.xlsx"
    if matrix.exists():
        with zipfile.ZipFile(matrix) as book:
            texts[matrix.name] = " ".join(re.sub(r"<[^>]+>", " ", book.read(n).decode("utf-8"))
                                          for n in book.namelist() if n.startswith("xl/") and n.endswith(".xml"))
    return texts


def test_welsh_pages_hold_no_english_the_generator_wrote(welsh_site, english) -> None:  # type: ignore[no-untyped-def]
    phrases, words = english
    assert len(words) > 100 and {"fieldwork", "sources", "the", "march"} <= words  # the rule has something to find
    hits = []
    kinds = set()
    for content, site in welsh_site:
        author_words, author = _author(content)
        pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
        assert len(pages) >= 5
        for page in pages:
            kinds.add(page.relative_to(site).parts[0] if len(page.relative_to(site).parts) > 1 else page.stem)
            parser = _Text()
            parser.feed(page.read_text(encoding="utf-8"))
            text = _without(" ".join(parser.generated), author)
            hits += [(page.relative_to(site.parent.parent).as_posix(), *hit) for hit in _hits(text, phrases, words)]
            scripts = PLACEHOLDER.sub(" ", " ".join(parser.scripts))  # the script fills in %(where)s
            hits += [(page.relative_to(site.parent.parent).as_posix(), "script", *hit)
                     for hit in _hits(scripts, phrases, words)]
            hidden = _words(" ".join(parser.author)) - author_words
            assert not hidden, f"{page}: words marked as the author's English that no content file has: {sorted(hidden)[:10]}"
        # the search index has no lang marks: the author's words are left out of it by the words of their files
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        searched = " ".join(re.sub(r"<[^>]+>", " ", d["title"] + " " + d["text"]) for d in index["docs"])
        hits += [(f"{site.parent.name}/search_index.json", *hit) for hit in _hits(_without(searched, author), [], words)
                 if hit[1] not in author_words]
        for name, text in _downloads(site).items():
            hits += [(f"{site.parent.name}/{name}", *hit) for hit in _hits(_without(text, author), [], words)
                     if hit[1] not in author_words]
    assert {"matrix", "coding-frame", "code-documents", "sources", "datasets", "meta-inferences", "case-report",
            "surveys", "case-studies", "report-cards", "index"} <= kinds
    assert not hits, f"{len(hits)} English words on Welsh pages: {hits[:30]}"


def test_the_scan_finds_english_where_there_is_some(english) -> None:  # type: ignore[no-untyped-def]
    """The scan's rules catch an untranslated label, a count and a month, and leave the author's marked English."""
    phrases, words = english
    parser = _Text()
    parser.feed('<article><p>Cod: 3 more codes to the right</p><p lang="en">The author wrote this in March</p>'
                '<p>Dyddiad: 5 March 2017</p><p data-msg-left=\'["2 to the left"]\'></p></article>')
    found = _hits(" ".join(parser.generated), phrases, words) + _hits(" ".join(parser.scripts), phrases, words)
    assert ("word", "codes") in found and ("word", "march") in found and ("word", "left") in found
    assert "author" not in {hit[1] for hit in found}


def test_welsh_overview_lists_each_kind_under_its_own_heading(welsh_site) -> None:  # type: ignore[no-untyped-def]
    for _content, site in welsh_site:
        html = (site / "index.html").read_text(encoding="utf-8")
        sections = re.split(r"<h2 ", html)[1:]
        by_heading = {re.search(r'id="([^"]+)"', s).group(1): re.findall(r'href="([^"#]+\.html)"', s) for s in sections}
        for heading, links in by_heading.items():
            kinds = {link.split("/")[0] for link in links if "/" in link}
            assert len(kinds) <= 1, (site, heading, links)  # surveys under Arolygon, report cards under their own
