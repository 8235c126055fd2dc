"""An LA overview lists surveys, case studies and report cards each under its own heading, in each language."""

from __future__ import annotations

import re

from generator.pipeline import load_and_validate
from generator.render.pages import render_site_pages
from generator.resolve import resolve_site

from ..conftest import DEMO


def test_each_kind_of_material_has_its_own_heading() -> None:
    study, _ = load_and_validate(DEMO)
    la = next(d for d in study.local_authorities if d.model.id == "cwm-derwen")
    assert study.surveys and study.case_studies and study.report_cards  # the demo holds all three here
    for language, headings in (("en", ["Surveys", "Outcome case studies", "Report cards"]),
                               ("cy", ["Arolygon", "Astudiaethau achos canlyniadau", "Cardiau adroddiad"])):
        page = {p.path: p.markdown for p in render_site_pages(resolve_site(study, la.model.id, language=language))}["index.md"]
        found = re.findall(r"^## (.+)$", page, re.MULTILINE)
        assert [h for h in found if h in headings] == headings, (language, found)
        surveys = page.split(f"## {headings[0]}", 1)[1].split("## ", 1)[0]
        assert "report-cards/" not in surveys and "case-studies/" not in surveys
