"""Reports as Word documents: what the page carries, as Word structures (tables, images with alt text, footnotes)."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import DEMO


def _docx_xml(path: Path, member: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8") if member in archive.namelist() else ""


def _article(page: Path) -> str:
    found = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page.read_text("utf-8"), re.S)
    assert found
    return found.group(1)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{4,}", html.unescape(text).casefold())}


def _reports(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.with_suffix(".docx").is_file())


def test_every_report_offers_its_word_document(demo_site: Path) -> None:
    pages = sorted(demo_site.rglob("case-report*.html")) + sorted((demo_site / "cross-case" / "case-reports").glob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        link = re.search(r'<a href="([^"]+\.docx)" download>', page.read_text(encoding="utf-8"))
        assert link and (page.parent / link.group(1)).is_file(), page


def test_word_structures_match_the_page(demo_site: Path) -> None:
    checked = 0
    for page in _reports(demo_site):
        article = _article(page)
        document = _docx_xml(page.with_suffix(".docx"))
        notes = _docx_xml(page.with_suffix(".docx"), "word/footnotes.xml")
        # tables: every table of the page but the charts' data tables (the chart and its alt text carry those)
        data_tables = len(re.findall(r'<details class="gen-chart-data">', article))
        assert document.count("<w:tbl>") == article.count("<table") - data_tables, page
        # charts: each an image whose description is the page's alt text
        alts = [html.unescape(a) for a in re.findall(r'<img src="[^"]*assets/charts/[^"]+" alt="([^"]*)"', article)]
        described = [html.unescape(d) for d in re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', document)]
        assert described == alts, page
        # sources: each source line a footnote
        sources = len(re.findall(r'class="gen-source-line"', article))
        assert len(re.findall(r'<w:footnote w:id="(?!-1|0")', notes)) == sources, page
        # nothing points into the site or at this machine
        rels = _docx_xml(page.with_suffix(".docx"), "word/_rels/document.xml.rels")
        for target in re.findall(r'TargetMode="External"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*TargetMode="External"', rels):
            url = target[0] or target[1]
            assert url.startswith(("https://", "http://", "mailto:")), (page, url)
        assert "/work/" not in document and str(Path.home()) not in document and "/tmp/" not in document
        checked += 1
    assert checked >= 8


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public-word") / "site"
    assert build(DEMO, out=out, quiet=True, audience="public") == 0
    return out


def test_public_word_documents_carry_only_the_public_page(public_site: Path) -> None:
    checked = 0
    for page in _reports(public_site):
        page_words = _words(re.sub(r"<[^>]+>", " ", _article(page)))
        document = _docx_xml(page.with_suffix(".docx")) + _docx_xml(page.with_suffix(".docx"), "word/footnotes.xml")
        text = re.sub(r"<[^>]+>", "", re.sub(r"</w:p>|<w:tab\s*/>|<w:br\s*/>", " ", document))
        extra = _words(text) - page_words - {"fictional", "demonstration", "content"}
        assert not extra, (page, sorted(extra)[:10])
        checked += 1
    assert checked >= 8


def test_leak_scan_reads_word_documents_even_across_runs(tmp_path: Path) -> None:
    from generator.exports.docx import _pandoc
    from generator.leaks import Identifying, find_leaks

    (tmp_path / "r.docx").write_bytes(b"")
    _pandoc("--from=markdown", "--to=docx", f"--output={tmp_path / 'r.docx'}",
            given="The Harrow**mere** team said so.\n".encode())
    names = {"Harrowmere": Identifying("Harrowmere", "harrowmere", "local authority")}
    problems = find_leaks(tmp_path, names, "site")
    assert len(problems) == 1 and "r.docx" in str(problems[0].location)


def test_word_documents_are_the_same_bytes_on_a_rebuild(mini: Path, tmp_path: Path) -> None:
    import shutil

    assert build(mini, out=tmp_path / "a", quiet=True) == 0
    shutil.rmtree(mini.parent / ".cache")  # converted afresh, not copied from the cache
    assert build(mini, out=tmp_path / "b", quiet=True) == 0
    first = sorted((tmp_path / "a").rglob("*.docx"))
    assert first
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()
