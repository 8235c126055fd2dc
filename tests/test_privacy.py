"""Public builds: consent, no transcripts, disclosure control; and the register of identifiers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.content.loader import load_study

from .conftest import DEMO, run_cli


@pytest.fixture(scope="module")
def public_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public")
    for la in ("brackenford", "westmoor-vale", "harrowmere"):
        assert build(DEMO, out=out / la, la=la, quiet=True, audience="public") == 0
    return out


def _phrase(source: str, participant: str) -> str:
    """Return a few words of the first extract spoken by ``participant`` in a demo source."""
    study, _ = load_study(DEMO)
    loaded = next(s for s in study.sources if s.model.id == source)
    extract = next(e for e in loaded.extracts if participant in e.by)
    words = re.sub(r"\*\*[^*]+\*\*|\[[^\]]*\]", "", extract.text).split()
    # five plain words in a row: no apostrophes or dashes, which the pages typeset differently
    for start in range(len(words) - 5):
        run = words[start : start + 5]
        if all(re.fullmatch(r"[A-Za-z]+", w) for w in run):
            return " ".join(run)
    raise AssertionError(f"no plain phrase in {source}#{extract.id}")


def _site_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.suffix in (".html", ".json", ".js", ".csv"))


def test_withdrawn_and_unpublishable_words_are_absent_from_public_builds(public_sites: Path, demo_site: Path) -> None:
    withdrawn = _phrase("bf-fg-01", "sw4")
    unpublished = _phrase("wv-int-01", "sm")  # the manager consented to internal quotation, not publication
    assert withdrawn not in _site_text(public_sites / "brackenford")
    assert unpublished not in _site_text(public_sites / "westmoor-vale")
    assert withdrawn not in (public_sites / "brackenford" / "search" / "search_index.json").read_text()
    # internally the unpublishable words are quoted, the withdrawn ones never
    internal = _site_text(demo_site / "la" / "westmoor-vale")
    assert unpublished in internal
    assert withdrawn not in _site_text(demo_site / "la" / "brackenford")
    assert withdrawn not in (demo_site / "cross-case" / "search" / "search_index.json").read_text()


def test_public_builds_carry_no_transcripts_or_field_notes(public_sites: Path) -> None:
    site = public_sites / "harrowmere"
    assert not (site / "sources").exists()
    assert "Field notes from" not in (site / "code-documents" / "eastgate" / "S1.html").read_text()


def test_a_count_of_three_is_suppressed_and_cannot_be_worked_out(public_sites: Path) -> None:
    page = (public_sites / "harrowmere" / "index.html").read_text()
    table = page[page.index("Children starting to be looked after, by age"):]
    table = table[: table.index("</table>")]
    rows = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.DOTALL)]
            for r in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)]
    body = [r for r in rows[1:] if r[0] != "Total"]
    assert body[0][0] == "2013-14" and body[0][5] == "c"  # the 3 young people aged 16 and over
    # no row or column with a shown total has exactly one hidden cell
    for row in body:
        assert row[1:6].count("c") != 1 or row[6] == "c", row
    totals = next(r for r in rows if r[0] == "Total")
    for j in range(1, 6):
        column = [row[j] for row in body]
        assert column.count("c") != 1 or totals[j] == "c", j
    assert "3" not in [cell for row in body for cell in row]
    # the dataset's CSV download shows the marker too
    data = (public_sites / "harrowmere" / "datasets" / "hm-care-ages.csv").read_text()
    first = next(r for r in csv.DictReader(io.StringIO(data)) if r["year"] == "2013-14")
    assert first["age_16_plus"] == "c"

