"""Lighter sites: nothing a page loads is missing, theme files are stored once, each site still stands alone."""

from __future__ import annotations

import re
from pathlib import Path

from generator.build import build


def local_references(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    found = set(re.findall(r'(?:src|href)="([^"#?]+)', text))
    return {ref for ref in found if not re.match(r"^[a-z]+:|^//", ref)}


def test_every_local_reference_of_every_page_exists(demo_site: Path) -> None:
    missing = []
    for page in (p for p in demo_site.rglob("*.html") if p.name != "404.html"):  # 404 is served from the root
        for ref in local_references(page):
            target = (page.parent / ref).resolve()
            if not target.exists():
                missing.append(f"{page.relative_to(demo_site)} -> {ref}")
    assert missing == []


def test_no_source_maps_or_unused_stemmers(demo_site: Path) -> None:
    assert list(demo_site.rglob("*.js.map")) == [] and list(demo_site.rglob("*.css.map")) == []
    # every demo site searches in English, lunr's own language: no stemmer file is loaded
    assert [p for p in demo_site.rglob("lunr/min/*") if p.is_file()] == []


def test_theme_files_are_stored_once_across_the_sites(demo_site: Path) -> None:
    bundles = sorted(demo_site.rglob("assets/javascripts/bundle.*.min.js"))
    assert len(bundles) >= 3
    assert len({p.stat().st_ino for p in bundles}) == 1  # one file on disk, linked from every site


def test_one_la_site_built_alone_is_whole(tmp_path: Path) -> None:
    from tests.conftest import DEMO

    out = tmp_path / "handover"
    assert build(DEMO, out=out, la="harrowmere", quiet=True) == 0
    assert not [p for p in out.rglob("*") if p.is_symlink()]
    for page in (p for p in out.rglob("*.html") if p.name != "404.html"):
        for ref in local_references(page):
            assert (page.parent / ref).resolve().is_relative_to(out.resolve()), (page, ref)
            assert (page.parent / ref).resolve().exists(), (page, ref)
