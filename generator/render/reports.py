"""Integration pages: joint displays, the meta-inference index, case reports and the cross-case report."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..compute.integration import fit_counts, replication, tracker, vignette_comparison
from ..content.kinds import page_writer
from ..content.loader import Loaded
from ..content.models import LocalAuthority, MetaInference
from ..view import SiteView, group_codes
from .body import render_evidence
from .i18n import N_, localised, translate
from .pages import Page, _render, code_document_path, la_path, source_path

FIT_WORDS = {  # message ids: the pages translate them
    "confirmatory": N_("the two strands agree"),
    "expansionary": N_("one strand adds to the other"),
    "discordant": N_("the strands disagree; see how the team handled it"),
}


def meta_path(meta_id: str) -> str:
    return f"meta-inferences/{meta_id}.md"


def case_report_path(view: SiteView, la_id: str) -> str:
    return f"case-reports/{la_id}.md" if view.is_cross_case else "case-report.md"


def quantitative_evidence(view: SiteView, meta: MetaInference, current: str) -> tuple[list[Markup], int]:
    """The tables and charts a meta-inference cites that this site may show, and how many were withheld."""
    items, withheld = view.evidence.get(meta.id, ([], 0))
    return [render_evidence(item, view, current, narrow_only=True) for item in items], withheld  # a half-width column


def qualitative_evidence(view: SiteView, meta: MetaInference) -> tuple[list[Any], int]:
    """Return the extracts this site may quote (own LA only, consent respected) and how many were left out."""
    shown, left = [], 0
    for reference in meta.qualitative:
        extract = view.extract(reference)
        if extract is None or extract.removed:
            left += 1
            continue
        shown.append(extract)
    return shown, left


def render_meta_inference(view: SiteView, meta: Loaded[MetaInference]) -> Page:
    model = meta.model
    path = meta_path(model.id)
    charts, withheld = quantitative_evidence(view, model, path)
    extracts, left = qualitative_evidence(view, model)
    codes = [view.code_by_id[c].model for c in model.codes if c in view.code_by_id]
    las = [view.la_by_id[la].model for la in model.las if la in view.la_by_id]
    return Page(path=path, title=model.title, section=(translate(N_("Meta-inferences"), view.language),), markdown=_render(
        "meta_inference.md.j2", path, view=view, meta=model, meta_doc=meta, charts=charts, withheld=withheld,
        extracts=extracts, left=left, codes=codes, las=las, fit_words=FIT_WORDS, source_path=source_path,
        la_path=lambda la_id: la_path(view, la_id),
    ))


def render_meta_index(view: SiteView) -> Page:
    path = "meta-inferences/index.md"
    return Page(path=path, title=translate(N_("All meta-inferences"), view.language), section=(translate(N_("Meta-inferences"), view.language),), markdown=_render(
        "meta_index.md.j2", path, view=view, metas=[m.model for m in view.meta_inferences],
        counts=fit_counts([m.model for m in view.meta_inferences]), meta_path=meta_path, fit_words=FIT_WORDS,
    ))


def render_case_report(view: SiteView, la: Loaded[LocalAuthority]) -> Page:
    """Yin's case report for one LA, by theme: code-document summaries, key figures and meta-inferences."""
    path = case_report_path(view, la.model.id)
    sites = [s.model for s in view.sites_of(la.model.id)]
    themes = []
    metas = [m.model for m in view.meta_inferences if la.model.id in m.model.las]
    for group, codes in group_codes(view.codes, view.themes):
        cells = []
        for code in codes:
            for site in sites:
                document = view.cell_by_key.get((site.id, code.model.id))
                cells.append({"code": code.model, "site": site, "document": document})
        themes.append({
            "group": group,
            "cells": cells,
            "metas": [m for m in metas if any(view.theme_of(view.code_by_id[c].model) == group for c in m.codes if c in view.code_by_id)],
        })
    project = view.project
    return Page(path=path, title=translate(N_("Case report: %(name)s"), view.language) % {"name": localised(la.model, "name", view.language)} if view.is_cross_case
                else translate(N_("Case report"), view.language),
                section=(translate(N_("Case reports"), view.language),) if view.is_cross_case else (), word=True, markdown=_render(
        "case_report.md.j2", path, view=view, la=la.model, la_doc=la, sites=sites, themes=themes,
        tracker=[t for t in tracker(view, project.minimum_data) if t[0].la == la.model.id],
        document_path=code_document_path, meta_path=meta_path, fit_words=FIT_WORDS,
    ))


def render_cross_case_report(view: SiteView) -> Page:
    """Replication across cases, counts by fit, and the vignette comparison."""
    path = "cross-case-report.md"
    project = view.project
    order = {"high": 0, "middle": 1, "low": 2}
    las = sorted((d.model for d in view.local_authorities),
                 key=lambda la: (order[la.deprivation.third.value] if la.deprivation else 3, la.name))
    metas = [m.model for m in view.meta_inferences]
    return Page(path=path, title=translate(N_("Cross-case report"), view.language), word=True, markdown=_render(
        "cross_case_report.md.j2", path, view=view, las=las, table=replication(metas, [la.id for la in las]),
        counts=fit_counts(metas), questions=vignette_comparison(view, project.vignette_questions),
        tracker=tracker(view, project.minimum_data), meta_path=meta_path, fit_words=FIT_WORDS,
        la_path=lambda la_id: la_path(view, la_id),
    ))


def render_report_pages(view: SiteView) -> list[Page]:
    """Every integration page of one site."""
    pages = []
    if view.meta_inferences:
        pages.append(render_meta_index(view))
        pages.extend(page_writer("meta_inference")(view, meta) for meta in view.meta_inferences)
    if view.is_cross_case:
        pages.append(render_cross_case_report(view))
    pages.extend(page_writer("local_authority")(view, la) for la in view.local_authorities)
    return pages
