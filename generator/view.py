"""What one built site may contain: the whole study, or one LA's own material.

An LA's site is rendered from a :class:`SiteView` that never holds another
LA's documents, so no template can leak them. The selection is made here;
``generator.resolve`` then decides consent once and computes every table
and chart, and the render stage sees nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .charts.cache import ChartRegistry
from .content.extracts import Extract
from .content.loader import Loaded, LoadedDataset, LoadedSource, Study
from .content.themes import Theme, Themes, resolve_themes
from .render.i18n import N_
from .content.models import (
    Code,
    CodeDocument,
    ConsentUse,
    DeprivationThird,
    LocalAuthority,
    MetaInference,
    Method,
    Participant,
    Project,
    Site,
)

CROSS_CASE = "cross-case"
INTERNAL, PUBLIC = "internal", "public"
# why an extract may not be quoted: message ids (the pages translate them)
WITHDRAWN = N_("consent withdrawn")
NO_QUOTATION = N_("no consent to quotation")
NO_PUBLICATION = N_("no consent to publication")
FIELD_NOTES_PRIVATE = N_("field notes are not published")


@dataclass(frozen=True)
class DatasetEvidence:
    """A dataset a meta-inference cites as its quantitative strand, as this site may show it."""

    id: str
    title: str
    rows: int


@dataclass(frozen=True)
class ExtractView:
    """An extract with its source and the people speaking in it."""

    source: LoadedSource
    extract: Extract
    speakers: tuple[Participant, ...]
    reason: str | None = None  # why it may not be quoted in this build, if it may not

    @property
    def removed(self) -> bool:
        return self.reason is not None

    @property
    def withdrawn(self) -> bool:
        return self.reason == WITHDRAWN

    @property
    def ref(self) -> str:
        return f"{self.source.model.id}#{self.extract.id}"


@dataclass
class SiteView:
    """The material of one built site, with lookups by id."""

    key: str  # CROSS_CASE or an LA id
    project: Project
    audience: str
    local_authorities: list[Loaded[LocalAuthority]]
    sites: list[Loaded[Site]]
    codes: list[Loaded[Code]]
    sources: list[LoadedSource]
    code_documents: list[Loaded[CodeDocument]]
    datasets: list[LoadedDataset]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    language: str = "en"
    meta_inferences: list[Loaded[MetaInference]] = field(default_factory=list)
    surveys: list[Any] = field(default_factory=list)
    case_studies: list[Any] = field(default_factory=list)
    report_cards: list[Any] = field(default_factory=list)
    themes: Themes = field(default_factory=lambda: Themes((), {}, ()))
    cache: Path | None = None  # where the build keeps files made from the model (workbooks), by their hash
    # Filled by the compute stage (generator.resolve): the project document, every extract with
    # its consent decided for this audience (and, without its words, which source it is from and
    # whether it may be quoted: for counting), each computed block by (document path, line), each
    # meta-inference's quantitative evidence with the count withheld, and the build report.
    project_doc: Loaded[Project] | None = None
    extracts_by_ref: dict[str, ExtractView] = field(default_factory=dict)
    extract_counts: dict[str, tuple[str, bool]] = field(default_factory=dict)  # ref -> (source id, quotable)
    blocks: dict[tuple[str, int], Any] = field(default_factory=dict)
    evidence: dict[str, tuple[list[Any], int]] = field(default_factory=dict)
    report: dict[str, Any] | None = None
    # Filled by the render stage: the charts its pages show, and the files their tables offer (docs path -> bytes).
    charts: ChartRegistry = field(default_factory=ChartRegistry, repr=False)
    downloads: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def is_cross_case(self) -> bool:
        return self.key == CROSS_CASE

    @property
    def la(self) -> LocalAuthority | None:
        return None if self.is_cross_case else self.local_authorities[0].model

    def __post_init__(self) -> None:
        self.la_by_id = {d.model.id: d for d in self.local_authorities}
        self.site_by_id = {d.model.id: d for d in self.sites}
        self.code_by_id = {d.model.id: d for d in self.codes}
        self.source_by_id = {d.model.id: d for d in self.sources}
        self.dataset_by_id = {d.model.id: d for d in self.datasets}
        self.cell_by_key = {(d.model.site, d.model.code): d for d in self.code_documents}
        self.meta_by_id = {d.model.id: d for d in self.meta_inferences}

    def theme_of(self, code: Code) -> Theme:
        """The theme a code belongs to (every code of a checked study has one)."""
        return self.themes.of[code.id]

    def metas_for_cell(self, site_id: str, code: str) -> list[MetaInference]:
        """Meta-inferences that draw on a matrix cell: they concern its code and its site's LA."""
        la = self.site_by_id[site_id].model.la
        return [m.model for m in self.meta_inferences if code in m.model.codes and la in m.model.las]

    def extract(self, ref: str) -> ExtractView | None:
        """The extract ``source-id#extract-id`` of this site's sources, with its consent decided; None if not here."""
        return self.extracts_by_ref.get(ref)

    def sites_of(self, la_id: str) -> list[Loaded[Site]]:
        return [s for s in self.sites if s.model.la == la_id]

    def sources_of(self, site_id: str) -> list[LoadedSource]:
        return [s for s in self.sources if s.model.site == site_id]

    def la_of_site(self, site_id: str) -> LocalAuthority:
        return self.la_by_id[self.site_by_id[site_id].model.la].model

    def cited_in(self, source_id: str, extract_id: str) -> list[Loaded[CodeDocument]]:
        ref = f"{source_id}#{extract_id}"
        return [d for d in self.code_documents if ref in d.model.extracts]


def decide_extracts(view: SiteView) -> None:
    """Fill the view's table of extracts, each with its consent decided for the view's audience, and the
    words-free record of them that counts read."""
    view.extracts_by_ref = {
        f"{source.model.id}#{extract.id}": extract_view(source, extract, view.audience)
        for source in view.sources for extract in source.extracts
    }
    view.extract_counts = {ref: (e.source.model.id, not e.removed) for ref, e in view.extracts_by_ref.items()}


def extract_view(source: LoadedSource, extract: Extract, audience: str = INTERNAL) -> ExtractView:
    """Return an extract with the reason it may not be quoted in a build for ``audience``, if any.

    Withdrawn consent removes a participant's words from every build. Quoting
    needs every speaker's consent to quotation (internal builds) or to
    publication (public builds); public builds also leave out field notes.
    """
    people = {p.id: p for p in source.model.participants}
    # who speaks is computed from the passage's turns; by= can only add to it, never hide anyone
    speakers = tuple(people[p] for p in dict.fromkeys((*extract.speakers, *extract.by)) if p in people)
    reason = None
    if any(p.consent.withdrawn for p in speakers):
        reason = WITHDRAWN
    elif audience == PUBLIC and source.model.method in (Method.FIELD_NOTES, Method.OBSERVATION):
        reason = FIELD_NOTES_PRIVATE
    elif audience == PUBLIC and any(ConsentUse.PUBLICATION not in p.consent.uses for p in speakers):
        reason = NO_PUBLICATION
    elif any(not ({ConsentUse.INTERNAL_QUOTATION, ConsentUse.PUBLICATION} & set(p.consent.uses)) for p in speakers):
        reason = NO_QUOTATION
    return ExtractView(source=source, extract=extract, speakers=speakers, reason=reason)


def _code_sort_key(themes: Themes) -> Any:
    def key(code: Loaded[Code]) -> tuple[int, int, str]:
        theme = themes.of.get(code.model.id)
        return (theme.order if theme else len(themes.all), code.model.order, code.model.id)
    return key


def select_material(study: Study, la_id: str | None = None, audience: str = INTERNAL, language: str = "en") -> SiteView:
    """Return the material for the cross-case site (``la_id`` None) or one LA's site, for an audience.

    A meta-inference about several LAs is a cross-case conclusion: its statement and evidence
    draw on other LAs' material, so it appears on the cross-case site only.
    """
    assert study.project is not None
    themes = resolve_themes(study.project.model, [c.model for c in study.codes])
    las = sorted(study.local_authorities, key=lambda d: d.model.name.lower())
    if la_id is not None:
        las = [d for d in las if d.model.id == la_id]
    la_ids = {d.model.id for d in las}
    thirds = {d.model.id: list(DeprivationThird).index(d.model.deprivation.third) if d.model.deprivation else 3
              for d in las}
    names = {d.model.id: d.model.name.lower() for d in las}
    # Rows run from high to low deprivation, as the study compares them.
    sites = sorted(
        (s for s in study.sites if s.model.la in la_ids),
        key=lambda s: (thirds[s.model.la], names[s.model.la], s.model.name.lower()),
    )
    site_ids = {s.model.id for s in sites}
    sources = sorted((s for s in study.sources if s.model.site in site_ids), key=lambda s: s.model.id)
    cells = [d for d in study.code_documents if d.model.site in site_ids]
    wanted = {ref for d in cells for ref in d.model.datasets}
    datasets: list[LoadedDataset] = []
    tables: dict[str, pd.DataFrame] = {}
    for dataset in sorted(study.datasets, key=lambda d: d.model.id):
        model = dataset.model
        if model.la is not None and model.la not in la_ids:
            continue
        if la_id is not None and model.la is None and model.la_column is None and model.id not in wanted:
            continue  # a shared table nobody in this LA cites: leave it to the cross-case site
        table = dataset.table
        if table is not None and la_id is not None and model.la_column is not None:
            from .compute.missing import take

            table = take(table, [i for i, v in enumerate(table[model.la_column].astype(str)) if v == la_id])
            if table.empty:
                continue  # a panel this LA is not part of
        datasets.append(dataset)
        if table is not None:
            tables[model.id] = table
    return SiteView(
        key=la_id or CROSS_CASE,
        project=study.project.model,
        audience=audience,
        language=language,
        local_authorities=las,
        sites=sites,
        codes=sorted(study.codes, key=_code_sort_key(themes)),
        themes=themes,
        sources=sources,
        code_documents=cells,
        datasets=datasets,
        tables=tables,
        meta_inferences=sorted((m for m in study.meta_inferences if la_id is None or list(m.model.las) == [la_id]),
                               key=lambda m: (m.model.fit.value, m.model.id)),
        surveys=sorted((s for s in study.surveys if s.model.la in la_ids), key=lambda s: s.model.id),
        case_studies=sorted((s for s in study.case_studies if s.model.la in la_ids), key=lambda s: s.model.id),
        report_cards=sorted((s for s in study.report_cards if s.model.la in la_ids), key=lambda s: s.model.id),
    )


def group_codes(codes: list[Loaded[Code]], themes: Themes) -> list[tuple[Theme, list[Loaded[Code]]]]:
    """Return the codes grouped by theme, in the coding frame's order."""
    groups: list[tuple[Theme, list[Loaded[Code]]]] = []
    for code in codes:
        theme = themes.of[code.model.id]
        if not groups or groups[-1][0] != theme:
            groups.append((theme, []))
        groups[-1][1].append(code)
    return groups


