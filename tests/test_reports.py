"""The integration pages agree with the content, counted here independently of the generator."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from .conftest import DEMO

OUTCOME_WORDS = {"child_protection_plan": "child protection plan", "child_in_need": "child in need plan",
                 "early_help": "early help", "strategy_discussion": "strategy discussion"}


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].lstrip("-\n")) or {}


def metas() -> list[dict]:
    return [front_matter(p) for p in sorted((DEMO / "meta-inferences").glob("*.md"))]


def focus_groups() -> list[dict]:
    found = [front_matter(p) for p in sorted(DEMO.glob("local-authorities/*/sources/*.md"))]
    return [f for f in found if f.get("method") == "focus_group"]


def test_demo_has_the_material_the_reports_need() -> None:
    fits = Counter(m["fit"] for m in metas())
    assert len(metas()) >= 6 and set(fits) == {"confirmatory", "expansionary", "discordant"}
    assert sum(1 for f in focus_groups() if f.get("vignette")) >= 12


def test_a_joint_display_per_meta_inference(demo_site: Path) -> None:
    for meta in metas():
        page = html.unescape((demo_site / "cross-case" / "meta-inferences" / f"{meta['id']}.html").read_text())
        assert " ".join(meta["statement"].split())[:80] in " ".join(page.split())
        assert f'gen-fit gen-fit-{meta["fit"]}' in page and meta["fit"].capitalize() in page
        assert "assets/charts/" in page or "gen-computed" in page, meta["id"]
        assert 'class="gen-extract"' in page, meta["id"]


def _table_rows(page: str, table_class: str) -> list[list[str]]:
    table = re.search(rf'<table class="gen-table {table_class}">(.*?)</table>', page, re.DOTALL)
    assert table, table_class
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.DOTALL)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
            for row in rows]


def test_replication_table_agrees_with_the_content(demo_site: Path) -> None:
    page = (demo_site / "cross-case" / "cross-case-report.html").read_text()
    rows = _table_rows(page, "gen-replication")
    header, body = rows[0], rows[1:]
    las = {front_matter(p)["name"]: front_matter(p)["id"] for p in DEMO.glob("local-authorities/*/local-authority.md")}
    columns = [las[re.sub(r"\s*(high|middle|low) deprivation$", "", h).strip()] for h in header[1:]]
    by_title = {m["title"]: m for m in metas()}
    assert len(body) == len(by_title)
    for row in body:
        title = re.sub(r"\s*[✓+≠]\s*(Confirmatory|Expansionary|Discordant)$", "", html.unescape(row[0])).strip()
        meta = by_title[title]
        expected = [{"supports": "✓ supports", "contradicts": "✗ contradicts"}.get(meta.get("replication", {}).get(la), "no data")
                    for la in columns]
        assert [html.unescape(c) for c in row[1:]] == expected, title


def test_vignette_comparison_agrees_with_the_content(demo_site: Path) -> None:
    page = html.unescape((demo_site / "cross-case" / "cross-case-report.html").read_text())
    answered = [f["vignette"] for f in focus_groups() if f.get("vignette")]
    likely = Counter(v["likely_outcome"] for v in answered)
    outcome, n = likely.most_common(1)[0]
    assert outcome == "child_protection_plan"
    assert f"{n} of {len(answered)} groups: {OUTCOME_WORDS[outcome]}" in re.sub(r"<[^>]+>", "", page)
    factors = Counter(f for v in answered for f in {x.lower() for x in v["outcome_factors"]})
    top, k = sorted(factors.items(), key=lambda item: (-item[1], item[0]))[0]
    assert f"{k} of {len(answered)} groups: {top}" in re.sub(r"<[^>]+>", "", page)


def test_a_dataset_can_be_the_quantitative_strand_of_a_meta_inference(mini: Path) -> None:
    from generator.errors import ContentError
    from generator.pipeline import load_and_validate
    from generator.render.pages import render_site_pages
    from generator.resolve import resolve_site

    meta = mini / "las" / "north" / "staffing.md"
    meta.write_text("---\ntype: meta_inference\nid: staffing\ntitle: Staffing *shapes* caseloads\n"
                    "statement: Fewer social workers, higher caseloads.\nfit: confirmatory\ncodes: [S1]\nlas: [north]\n"
                    "quantitative: [nb-staff]\nqualitative: [nb-int-01#caseloads]\n---\n")
    study, _ = load_and_validate(mini)
    for site in ("north", None):  # its LA's site and the cross-case site
        pages = {p.path: p.markdown for p in render_site_pages(resolve_site(study, site))}
        page = pages["meta-inferences/staffing.md"]
        assert 'Dataset: <a href="../datasets/nb-staff.html">Social workers in post</a> (2 rows)' in page
    assert "meta-inferences/staffing.md" not in {p.path for p in render_site_pages(resolve_site(study, "south"))}
    meta.write_text(meta.read_text().replace("quantitative: [nb-staff]", "quantitative: [nb-staf]"))
    with pytest.raises(ContentError) as error:
        load_and_validate(mini)
    assert any("no computed table, chart or dataset has id 'nb-staf' (did you mean 'nb-staff'?)" in str(p)
               for p in error.value.problems)


def test_vignette_outcomes_are_the_projects_own(mini: Path) -> None:
    from generator.errors import ContentError
    from generator.pipeline import load_and_validate
    from generator.render.pages import render_site_pages
    from generator.resolve import resolve_site

    project = mini / "project.md"
    project.write_text(project.read_text().replace("fictional: true\n", (
        "fictional: true\nvignette_questions: [q one, q two, q three, q four]\n"
        "vignette_outcomes: [{id: self_care, label: left to manage alone}, {id: help, label: offered help}]\n")))
    source = mini / "las/north/nb-int-01.md"
    source.write_text(source.read_text().replace("method: interview", (
        "method: focus_group\nvignette: {preferred_response_factors: [x], initial_outcome: help, "
        "likely_outcome: self_care, outcome_factors: [y]}")))
    study, _ = load_and_validate(mini)
    report = {p.path: p.markdown for p in render_site_pages(resolve_site(study, None))}["cross-case-report.md"]
    assert "offered help" in report and "left to manage alone" in report
    source.write_text(source.read_text().replace("likely_outcome: self_care", "likely_outcome: self-care"))
    with pytest.raises(ContentError) as error:
        load_and_validate(mini)
    assert [str(p) for p in error.value.problems] == [
        "content/las/north/nb-int-01.md:7: vignette: likely_outcome: unknown vignette outcome 'self-care' "
        "(did you mean 'self_care'?) (declared under `vignette_outcomes:` in project.md)"]


def test_another_las_dataset_cited_as_evidence_is_withheld_on_an_la_site(mini: Path) -> None:
    from generator.pipeline import load_and_validate
    from generator.render.pages import render_site_pages
    from generator.resolve import resolve_site

    (mini / "las" / "north" / "staffing.md").write_text(
        "---\ntype: meta_inference\nid: staffing\ntitle: Staffing across the two\nstatement: Both lose staff.\n"
        "fit: confirmatory\ncodes: [S1]\nlas: [north, south]\nquantitative: [nb-staff, sw-staff]\n"
        "qualitative: [nb-int-01#caseloads]\n---\n")
    study, _ = load_and_validate(mini)
    cross = {p.path: p.markdown for p in render_site_pages(resolve_site(study, None))}["meta-inferences/staffing.md"]
    assert "datasets/sw-staff.html" in cross and "datasets/nb-staff.html" in cross
    for la in ("north", "south"):  # a multi-LA finding lives on the cross-case site only
        assert "meta-inferences/staffing.md" not in {p.path for p in render_site_pages(resolve_site(study, la))}
    # a finding about north alone that cites south's dataset: north's site withholds it, and says so
    (mini / "las" / "north" / "staffing.md").write_text(
        "---\ntype: meta_inference\nid: staffing\ntitle: Staffing\nstatement: Few staff.\nfit: confirmatory\n"
        "codes: [S1]\nlas: [north]\nquantitative: [sw-staff]\nqualitative: [nb-int-01#caseloads]\n---\n")
    study, _ = load_and_validate(mini)
    assert resolve_site(study, "north").evidence["staffing"] == ([], 1)
    north = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}["meta-inferences/staffing.md"]
    assert "sw-staff" not in north and "1 further figure concerns other local authorities" in north
    assert [e.id for e in resolve_site(study, None).evidence["staffing"][0]] == ["sw-staff"]
