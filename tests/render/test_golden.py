"""Generated pages compared with reviewed golden files (rewrite with --update-golden)."""

from __future__ import annotations

import html

from pathlib import Path

import pytest

from generator.pipeline import load_and_validate
from generator.render.pages import render_site_pages
from generator.resolve import resolve_site

FIXTURE = Path(__file__).parents[1] / "fixtures" / "mini"
GOLDEN = Path(__file__).parents[1] / "golden"

CASES = [
    ("north", "matrix.md"),
    ("north", "code-documents/oakfield/S1.md"),
    ("north", "sources/nb-int-01.md"),
    ("north", "index.md"),
    ("cross-case", "matrix.md"),
]


@pytest.mark.parametrize(("site", "page"), CASES)
def test_page_matches_golden(site: str, page: str, update_golden: bool) -> None:
    study, _ = load_and_validate(FIXTURE)
    view = resolve_site(study, None if site == "cross-case" else site)
    pages = {p.path: p.markdown for p in render_site_pages(view)}
    golden = GOLDEN / site / page
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[page], encoding="utf-8")
    assert pages[page] == golden.read_text(encoding="utf-8"), f"rerun with --update-golden and review {golden}"


def test_la_view_holds_only_its_own_material() -> None:
    study, _ = load_and_validate(FIXTURE)
    view = resolve_site(study, "north")
    assert [d.model.id for d in view.local_authorities] == ["north"]
    assert [s.model.id for s in view.sites] == ["oakfield"]
    assert [s.model.id for s in view.sources] == ["nb-int-01"]
    assert [d.model.id for d in view.datasets] == ["nb-staff"]
    text = "".join(p.markdown for p in render_site_pages(view))
    assert "Southwick" not in text and "Elmstead" not in text and "sw-int-01" not in text


def test_withdrawn_participants_words_never_appear() -> None:
    study, _ = load_and_validate(FIXTURE)
    for key in (None, "north"):
        text = "".join(p.markdown for p in render_site_pages(resolve_site(study, key)))
        assert "withdrawnword" not in text
        assert "Passage removed: a participant withdrew consent." in text


def test_a_withdrawn_participants_uncoded_turns_are_removed_too(mini: Path) -> None:
    source = mini / "las/north/nb-int-01.md"
    source.write_text(source.read_text() + "\n**Sam:** An uncoded turn with the word zanzibarish in it.\n\n**Alex:** A reply that stays.\n")
    study, _ = load_and_validate(mini)
    pages = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}
    page = html.unescape(pages["sources/nb-int-01.md"])  # the sanitiser writes brackets as character references
    assert "zanzibarish" not in page
    assert "A reply that stays." in page and "[Words of a participant who withdrew consent removed.]" in page
