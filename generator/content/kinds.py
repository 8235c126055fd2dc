"""The registry of document kinds: each kind is declared here once.

A kind's declaration names its front-matter model, the class its loaded
documents take, the files it reads beside itself, how it is told apart from
others of its kind, which LA it belongs to, its cross-reference checks, the
page each document gets, and where the demo keeps it. The loader, the
validator, the page writer, the authoring guide and the JSON Schema all read
this table, so a new kind is one entry here, a list for it on ``Study``, and
the functions it names.

Checks, readers and page writers are named as ``"module:function"`` and
imported when first used: they live in later pipeline stages (validate,
render) that import this module, not the other way round.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from .documents import Loaded, LoadedDataset, LoadedSource, LoadedSurvey
from .models import (
    Code,
    CodeDocument,
    Dataset,
    Document,
    LocalAuthority,
    MetaInference,
    OutcomeCaseStudy,
    Project,
    ReportCard,
    Site,
    Source,
    Survey,
)

Owner = Callable[[Any, dict[str, Any]], "str | None"]


def _own_id(model: Any, sites: dict[str, Any]) -> str | None:
    return str(model.id)


def _named_la(model: Any, sites: dict[str, Any]) -> str | None:
    return model.la  # type: ignore[no-any-return]


def _site_la(model: Any, sites: dict[str, Any]) -> str | None:
    site = sites.get(model.site)
    return site.model.la if site else None


def _single_la(model: Any, sites: dict[str, Any]) -> str | None:
    return model.las[0] if len(model.las) == 1 else None  # several LAs: a cross-case finding


def _no_la(model: Any, sites: dict[str, Any]) -> str | None:
    return None


def _by_id(data: dict[str, Any]) -> str:
    return str(data.get("id"))


def _by_cell(data: dict[str, Any]) -> str:
    return f"{data.get('site')}-{data.get('code')}"


@dataclass(frozen=True)
class Kind:
    """One kind of content document."""

    name: str  # its `type:` value
    model: type[Document]
    label: str  # how messages name one, e.g. "local authority"
    collection: str  # the Study attribute that holds them, in file order
    layout: str  # where the demo keeps one (shown in the authoring guide)
    loaded: type[Loaded[Any]] = Loaded
    owner: Owner = _no_la  # the LA a document belongs to, if one
    identity: Callable[[dict[str, Any]], str] = _by_id  # its name even when its front-matter is broken
    unique_id: bool = True  # ids must differ across the study
    single: bool = False  # at most one per study
    reads: str | None = None  # reads files beside itself: f(study, document, problems, la_folders)
    checks: tuple[str, ...] = ()  # cross-reference checks: f(study, references, problems)
    page: str | None = None  # the page of one document: f(view, document) -> Page


KINDS: tuple[Kind, ...] = (
    Kind("project", Project, "project", "project", "project.md", single=True, unique_id=False,
         checks=("generator.validate:check_project",)),
    Kind("local_authority", LocalAuthority, "local authority", "local_authorities",
         "local-authorities/<la>/local-authority.md", owner=_own_id,
         checks=("generator.validate:check_local_authorities",),
         page="generator.render.reports:render_case_report"),
    Kind("site", Site, "site", "sites", "local-authorities/<la>/sites/<site>.md", owner=_named_la,
         checks=("generator.validate:check_sites",)),
    Kind("code", Code, "code", "codes", "coding-frame/<code>.md",
         checks=("generator.validate:check_code_tree",)),
    Kind("source", Source, "source", "sources",
         "local-authorities/<la>/sources/<source>.md (transcripts, field notes)", loaded=LoadedSource,
         owner=_site_la, checks=("generator.validate:check_sources",),
         page="generator.render.pages:render_source"),
    Kind("code_document", CodeDocument, "code document", "code_documents",
         "local-authorities/<la>/code-documents/<site>-<code>.md (one matrix cell)", owner=_site_la,
         identity=_by_cell, unique_id=False, checks=("generator.validate:check_code_documents",),
         page="generator.render.pages:render_code_document"),
    Kind("dataset", Dataset, "dataset", "datasets", "local-authorities/<la>/datasets/<dataset>.md (its CSV beside it)",
         loaded=LoadedDataset, owner=_named_la, reads="generator.content.loader:read_dataset_table",
         checks=("generator.validate:check_datasets",), page="generator.render.pages:render_dataset"),
    Kind("meta_inference", MetaInference, "meta-inference", "meta_inferences", "meta-inferences/<finding>.md",
         owner=_single_la, checks=("generator.validate:check_meta_inferences",),
         page="generator.render.reports:render_meta_inference"),
    Kind("survey", Survey, "survey", "surveys", "local-authorities/<la>/surveys/<survey>.md (one CSV per wave beside it)",
         loaded=LoadedSurvey, owner=_named_la, reads="generator.surveys.load:read_survey_waves",
         checks=("generator.validate:check_named_la",), page="generator.render.pages:render_survey"),
    Kind("outcome_case_study", OutcomeCaseStudy, "outcome case study", "case_studies",
         "local-authorities/<la>/case-studies/<case>.md", owner=_named_la,
         checks=("generator.validate:check_named_la",), page="generator.render.pages:render_case_study"),
    Kind("report_card", ReportCard, "report card", "report_cards",
         "local-authorities/<la>/report-cards/<card>.md", owner=_named_la,
         checks=("generator.validate:check_named_la",), page="generator.render.pages:render_report_card"),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_MODEL: dict[type[Document], Kind] = {kind.model: kind for kind in KINDS}


def kind_of(document: Loaded[Any]) -> Kind:
    return BY_MODEL[type(document.model)]


def owner_la(document: Loaded[Any], sites: dict[str, Any]) -> str | None:
    """Return the id of the LA a document belongs to, if it belongs to one."""
    return kind_of(document).owner(document.model, sites)


_resolved: dict[str, Any] = {}


def function(reference: str) -> Any:
    """Import a ``"module:function"`` named by a declaration."""
    if reference not in _resolved:
        module, _, name = reference.partition(":")
        _resolved[reference] = getattr(importlib.import_module(module), name)
    return _resolved[reference]


def page_writer(kind: str) -> Any:
    reference = BY_NAME[kind].page
    assert reference is not None, f"kind {kind} has no page of its own"
    return function(reference)
