"""A study of another design builds with nothing of the demo's design on any page.

tests/fixtures/other is a fictional evaluation of a falls-prevention service
in three localities of one LA: no deprivation data or small areas, two themes
of its own (one with its own colour), hierarchical codes such as
`barriers.transport`, one interview and one survey, no tracker minimums and
no vignette.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from generator.build import build

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "other"
# Words of the demo's design and of the seed study's instruments (its vignette, its Table 1 minimums,
# its sampling by deprivation), its themes and its LAs.
DEMO_PHRASES = [
    "deprivation", "IMD", "small area", "MSOA", "third", "vignette", "focus group", "minimum", "seed",
    "Table 1", "40 hours", "site selection", "theoretical replication", "Poverty", "Demand", "Supply",
    "Intervention", "Looked after", "child protection", "social work", "Harrowmere", "Brackenford",
    "Glenrannoch", "Lindhurst", "Westmoor", "Inverkellan", "Cwm Derwen", "What matters most to you",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("other") / "site"
    assert build(FIXTURE, out=out, quiet=True) == 0
    return out


def texts(site: Path) -> dict[str, str]:
    """Every page and search index as a reader gets it: tags dropped, references decoded."""
    found = {}
    for path in [*site.rglob("*.html"), *site.rglob("search_index.json")]:
        found[path.relative_to(site).as_posix()] = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text("utf-8")))
    return found


def test_no_page_holds_the_demo_design(built: Path) -> None:
    pages = texts(built)
    assert len(pages) > 15
    found = [(name, phrase) for name, text in pages.items() for phrase in DEMO_PHRASES
             if re.search(r"\b" + re.escape(phrase), text, re.IGNORECASE)]
    assert found == []


def test_pages_the_design_does_not_need_are_left_out(built: Path) -> None:
    assert not (built / "cross-case" / "site-selection.html").exists()  # no deprivation data, no small areas
    overview = (built / "la" / "ashby" / "index.html").read_text("utf-8")
    assert "Data collected" not in overview  # no minimums declared, so no tracker


def test_the_study_own_frame_is_shown(built: Path) -> None:
    frame = (built / "la" / "ashby" / "coding-frame.html").read_text("utf-8")
    assert "Getting to the service" in frame and "Experience of care" in frame
    assert 'id="code-barriers.transport"' in frame and 'href="#code-barriers"' in frame  # the tree: within barriers
    matrix = (built / "la" / "ashby" / "matrix.html").read_text("utf-8")
    assert 'style="--gen-colour: #7B3294"' in matrix  # the colour the project gave its theme
    document = built / "la" / "ashby" / "code-documents" / "north" / "barriers.transport.html"
    assert "The bus only comes twice a day" in document.read_text("utf-8")
    assert (built / "la" / "ashby" / "surveys" / "falls-survey.html").is_file()
