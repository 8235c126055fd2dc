"""The compute stage: one resolved model per site and audience, made from the whole study.

Everything a site's pages, search entries, charts, downloads and alt text
are made from is decided here, once: which documents belong to the site
(isolation), which extracts may be quoted (consent), and the value of every
computed table and chart (which need the whole study: ranks, thirds, the
grey lines of comparison charts). The render stage receives only the
resulting :class:`SiteView`; it holds no handle to the study, so no page can
reach material this site may not show.
"""

from __future__ import annotations

from typing import Any

from .charts.common import ChartData
from .charts.dispatch import prepare_chart
from .compute.tables import ComputedTable, compute_block
from .content.blocks import CHART_MODELS
from .content.kinds import owner_la
from .content.loader import Loaded, Study
from .view import INTERNAL, DatasetEvidence, SiteView, extract_view, select_material

Evidence = ComputedTable | ChartData | DatasetEvidence


def resolve_site(study: Study, la_id: str | None = None, audience: str = INTERNAL, language: str = "en",
                 evaluate: bool = True) -> SiteView:
    """Return the resolved model of the cross-case site (``la_id`` None) or of one LA's site.

    With ``evaluate`` False its computed tables and charts are left out (``evaluate_site`` adds them): a
    rebuild that reuses every page showing them (render.recorded) need not compute them again. Reading them
    before then is an error, never an empty table.
    """
    assert study.project is not None
    view = select_material(study, la_id, audience, language)
    view.project_doc = study.project
    view.cache = study.root.resolve().parent / ".cache" / "workbooks"
    view.extracts_by_ref = {
        f"{source.model.id}#{extract.id}": extract_view(source, extract, audience)
        for source in view.sources for extract in source.extracts
    }
    if view.is_cross_case and audience == INTERNAL:
        from .report import collect

        view.report = collect(study, audience)
    if evaluate:
        evaluate_site(study, view)
    else:
        view.blocks = view.evidence = NOT_EVALUATED  # type: ignore[assignment]
    return view


class _NotEvaluated(dict):  # type: ignore[type-arg]
    """What a view's tables and charts are before ``evaluate_site``: any reading of them is a bug."""

    def _refuse(self, *_: Any) -> Any:
        raise RuntimeError("the site's tables and charts were read before they were computed")

    __getitem__ = __contains__ = __iter__ = __len__ = get = items = keys = values = _refuse  # type: ignore[assignment]


NOT_EVALUATED = _NotEvaluated()


def evaluate_site(study: Study, view: SiteView) -> None:
    """Compute every table and chart block the site's documents hold, and each meta-inference's evidence."""
    view.blocks, view.evidence = {}, {}
    sites = {s.model.id: s for s in study.sites}
    for document in _documents(view):
        for block in document.blocks:
            view.blocks[(document.path, block.line)] = _evaluate(study, view, document, block, sites)
    for meta in view.meta_inferences:
        shown: list[Evidence] = []
        withheld = 0
        for block_id in meta.model.quantitative:
            found = study.block(block_id)
            if found is None:
                dataset = view.dataset_by_id.get(block_id)
                if dataset is not None:  # a dataset this site shows (its own rows only)
                    table = view.tables.get(block_id)
                    shown.append(DatasetEvidence(block_id, dataset.model.title, 0 if table is None else len(table)))
                elif any(d.model.id == block_id for d in study.datasets):
                    withheld += 1  # another LA's dataset: only the cross-case site shows it
                continue
            document, block = found
            owner = owner_la(document, sites)
            if not view.is_cross_case and owner not in (None, view.key):
                withheld += 1  # about another LA: only the cross-case site shows it
                continue
            shown.append(_evaluate(study, view, document, block, sites))
        view.evidence[meta.model.id] = (shown, withheld)


def _documents(view: SiteView) -> list[Loaded[Any]]:
    """Every document of the site whose body may hold computed blocks."""
    groups: list[list[Any]] = [
        [view.project_doc], view.local_authorities, view.sites, view.codes, view.code_documents, view.datasets,
        view.meta_inferences, view.surveys, view.case_studies, view.report_cards,
    ]
    return [d for group in groups for d in group if d is not None and getattr(d, "blocks", None)]


def _evaluate(study: Study, view: SiteView, document: Loaded[Any], block: Any, sites: dict[str, Any]) -> Evidence:
    """Compute one table or chart block for this site: an LA's site sees its own rows, or its own line."""
    assert study.project is not None
    spec = block.spec
    if type(spec) in CHART_MODELS.values():
        la = spec.la or (None if view.is_cross_case else view.key) or owner_la(document, sites)
        return prepare_chart(spec, study, view, la)
    scope = None if view.is_cross_case else view.key
    return compute_block(block, study, scope, study.project.model.base_year, view.audience, view.language)
