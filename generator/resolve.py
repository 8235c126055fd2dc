"""The compute stage: one resolved model per site and audience, made from the whole study.

Everything a site's pages, search entries, charts, downloads and alt text
are made from is decided here, once: which documents belong to the site
(isolation), which extracts may be quoted (consent), and how every computed
table and chart is computed for it (they need the whole study: ranks,
thirds, the grey lines of comparison charts), each the first time a page
reads it. The render stage receives only the resulting :class:`SiteView`
and reads values by key; the computations behind them keep the study, but
no page calls them, so no page can reach material this site may not show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from .charts.common import ChartData
from .charts.dispatch import prepare_chart
from .compute.tables import ComputedTable, compute_block
from .content.blocks import CHART_MODELS
from .content.kinds import owner_la
from .content.loader import Loaded, Study
from .view import INTERNAL, DatasetEvidence, SiteView, decide_extracts, select_material

Evidence = ComputedTable | ChartData | DatasetEvidence


def resolve_site(study: Study, la_id: str | None = None, audience: str = INTERNAL, language: str = "en") -> SiteView:
    """Return the resolved model of the cross-case site (``la_id`` None) or of one LA's site.

    Its computed tables and charts, and each meta-inference's evidence, are computed the first time a page
    reads them (:class:`OnFirstRead`): a rebuild that reuses the pages showing them (render.recorded) never
    computes them.
    """
    assert study.project is not None
    view = select_material(study, la_id, audience, language)
    view.project_doc = study.project
    view.cache = study.root.resolve().parent / ".cache" / "workbooks"
    decide_extracts(view)
    if view.is_cross_case and audience == INTERNAL:
        from .report import collect

        view.report = collect(study, audience)
    sites = {s.model.id: s for s in study.sites}
    view.blocks = OnFirstRead({(document.path, block.line): partial(_evaluate, study, view, document, block, sites)
                               for document in _documents(view) for block in document.blocks})
    view.evidence = OnFirstRead({meta.model.id: partial(_evidence, study, view, meta, sites)
                                 for meta in view.meta_inferences})
    return view


class OnFirstRead(Mapping[Any, Any]):
    """Values by key, each computed the first time it is read and kept: a page reads values, never the
    computations (which hold the study)."""

    def __init__(self, computations: dict[Any, Callable[[], Any]]) -> None:
        self._computations = computations
        self._values: dict[Any, Any] = {}

    def __getitem__(self, key: Any) -> Any:
        if key not in self._values:
            self._values[key] = self._computations[key]()  # KeyError for a key the site has not
        return self._values[key]

    def __contains__(self, key: object) -> bool:
        return key in self._computations

    def __iter__(self) -> Iterator[Any]:
        return iter(self._computations)

    def __len__(self) -> int:
        return len(self._computations)


def _evidence(study: Study, view: SiteView, meta: Any, sites: dict[str, Any]) -> tuple[list[Evidence], int]:
    """A meta-inference's quantitative evidence this site may show, and how many items it withholds."""
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
    return shown, withheld


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
