"""One function per page kind: each returns the Markdown of a generated page.

Pages are computed from a :class:`SiteView` only, so an LA's site can hold
nothing but that LA's material. Links are relative ``.html`` addresses
because sites are often opened from a shared drive (``file://``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any, Callable

from ..charts import choices, curve, likert, waves as wave_chart
from ..charts.common import THIRD_NAMES
from ..compute.matrix import Matrix, compute_matrix
from ..compute.surveys import breakdowns, open_answers, positive_codes, summarise
from ..content.kinds import page_writer
from ..content.loader import Loaded, LoadedDataset, LoadedSource
from ..content.turns import redact_withdrawn
from ..content.models import Code, CodeDocument, ColumnType, LocalAuthority, Method, Site
from ..view import PUBLIC, SiteView, group_codes
from ..csv_download import csv_bytes
from .body import figure_for, render_body
from .recorded import CONTEXT, REPORT, PageTask, SiteInputs, prose_of, render_tasks
from .environment import make_environment, page_url, terms_for
from ..compute.labels import column_label, terms_of
from .i18n import N_, Nn_, localised, ntranslate, translate

METHOD_LABELS = {
    Method.INTERVIEW: N_("Interview"),
    Method.FOCUS_GROUP: N_("Focus group"),
    Method.FIELD_NOTES: N_("Field notes"),
    Method.OBSERVATION: N_("Observation"),
    Method.DOCUMENT: N_("Document"),
    Method.CASE_NARRATIVE: N_("Family case narrative"),
    Method.FLOWCHART: N_("Decision-making flowchart"),
    Method.WEB_RESEARCH: N_("Web research"),
}
# how many of each, as a sentence counts them ("2 focus groups", "1 set of field notes"): translated with
# ngettext, so each language has its own plural forms (Welsh has six)
METHOD_COUNTS = {
    Method.INTERVIEW: Nn_("%(num)s interview", "%(num)s interviews"),
    Method.FOCUS_GROUP: Nn_("%(num)s focus group", "%(num)s focus groups"),
    Method.FIELD_NOTES: Nn_("%(num)s set of field notes", "%(num)s sets of field notes"),
    Method.OBSERVATION: Nn_("%(num)s observation record", "%(num)s observation records"),
    Method.DOCUMENT: Nn_("%(num)s document", "%(num)s documents"),
    Method.CASE_NARRATIVE: Nn_("%(num)s family case narrative", "%(num)s family case narratives"),
    Method.FLOWCHART: Nn_("%(num)s decision-making flowchart", "%(num)s decision-making flowcharts"),
    Method.WEB_RESEARCH: Nn_("%(num)s web research record", "%(num)s web research records"),
}
# an LA's deprivation third: as the LA's facts name it, and inline after a site or LA
THIRD_WORDS = {
    "high": (N_("High deprivation third"), N_("high deprivation")),
    "middle": (N_("Middle deprivation third"), N_("middle deprivation")),
    "low": (N_("Low deprivation third"), N_("low deprivation")),
}


def count_of(method: Method, n: int, language: str = "en") -> str:
    """'1 interview', '2 focus groups' (in the site's language)."""
    return ntranslate(*METHOD_COUNTS[method], n, language=language)


def third_words(third: Any, inline: bool = False) -> str:
    """The message id naming a deprivation third (``third`` an enum or its value); templates translate it."""
    return THIRD_WORDS[getattr(third, "value", third)][1 if inline else 0]


@dataclass
class Page:
    """A generated Markdown page and where it sits in the navigation."""

    path: str  # relative to docs_dir, e.g. "sources/hm-int-01.md"
    title: str
    markdown: str
    section: tuple[str, ...] = ()  # nav sections above the page
    nav: bool = True
    meta: dict[str, Any] = field(default_factory=dict)  # extra front-matter for MkDocs / Material
    files: dict[str, bytes] = field(default_factory=dict)  # other files the page links to, by docs path
    word: bool = False  # offered as a Word document too, converted from the built page (exports.docx)


@dataclass
class SitePages:
    view: SiteView
    pages: list[Page] = field(default_factory=list)


def _render(template: str, path: str, **context: Any) -> str:
    view: SiteView = context["view"]
    env = make_environment(language=view.language)
    return env.get_template(template).render(
        url=partial(page_url, path),
        md=partial(render_body, view=view, current=path),
        loc=partial(localised, language=view.language),
        lang=view.language,
        current=path,
        method_label=lambda m: translate(METHOD_LABELS[m], view.language),
        third_words=third_words,
        terms=terms_for(view),
        third_hyphened=THIRD_NAMES,
        **context,
    )


def code_document_path(document: CodeDocument) -> str:
    return f"code-documents/{document.site}/{document.code}.md"


def source_path(source_id: str) -> str:
    return f"sources/{source_id}.md"


def dataset_path(dataset_id: str) -> str:
    return f"datasets/{dataset_id}.md"


def la_path(view: SiteView, la_id: str) -> str:
    return "index.md" if not view.is_cross_case else f"local-authorities/{la_id}.md"


def table_rows(view: SiteView, dataset: LoadedDataset) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """Return the header cells (name, unit, numeric) and the rows of a dataset's table."""
    table = view.tables.get(dataset.model.id)
    columns = {c.name: c for c in dataset.model.columns}
    if table is None:
        return [], []
    header = []
    for name in table.columns:
        column = columns[name]
        header.append({
            "name": name,
            "label": column_label(dataset.model, name, terms_of(view.project), view.language),
            "label_in_language": view.language == "en" or bool(column.label_cy),  # else the author's English
            "unit": column.unit,
            "numeric": column.type in (ColumnType.INTEGER, ColumnType.NUMBER),
            "description": column.description,
        })
    from ..compute.missing import column_values_or_reasons

    columns_read = [column_values_or_reasons(table, name, dataset.model) for name in table.columns]
    rows = [list(row) for row in zip(*columns_read)] if columns_read else [[] for _ in range(len(table))]
    if view.audience == PUBLIC:  # the table was protected on the data (compute.disclosure); mark its hidden cells
        from ..compute.disclosure import MARKER, hidden_cells

        mask = hidden_cells(table, dataset.model, (dataset.table.attrs if dataset.table is not None else {}).get("hidden"))
        rows = [[MARKER if mask[i][j] else v for j, v in enumerate(row)] for i, row in enumerate(rows)]
    return header, rows


def render_la_overview(view: SiteView, la: Loaded[LocalAuthority], matrix: Matrix) -> Page:
    path = la_path(view, la.model.id)
    sites = view.sites_of(la.model.id)
    rows = [r for r in matrix.rows if r.la.id == la.model.id]
    sources = [s for site in sites for s in view.sources_of(site.model.id)]
    by_method: dict[Method, int] = {}
    for source in sources:
        by_method[source.model.method] = by_method.get(source.model.method, 0) + 1
    hours = sum(s.model.hours or 0 for s in sources)
    return Page(
        path=path,
        title=la.model.name if view.is_cross_case else translate(N_("Overview"), view.language),
        section=(translate(N_("Local authorities"), view.language),) if view.is_cross_case else (),
        markdown=_render(
            "la_overview.md.j2", path,
            view=view, la=la.model, la_doc=la, sites=sites, rows=rows,
            sources=sources, by_method=[count_of(m, n, view.language) for m, n in sorted(by_method.items(), key=lambda i: METHOD_LABELS[i[0]])],
            hours=hours,
            site_summaries=[_site_summary(s.model) for s in sites],
            codes_total=len(matrix.codes),
            tracker=[t for t in _tracker(view) if t[0].la == la.model.id],
            case_report=("case-reports/" + la.model.id + ".md") if view.is_cross_case else "case-report.md",
        ),
    )


def _tracker(view: SiteView) -> list[Any]:
    from ..compute.integration import tracker

    return tracker(view, view.project.minimum_data)


def _site_summary(site: Site) -> dict[str, Any]:
    population = sum(a.population for a in site.small_areas)
    scored = [a for a in site.small_areas if a.imd_score is not None]
    weighted = None
    if scored and sum(a.population for a in scored) > 0:
        weighted = sum(a.imd_score * a.population for a in scored) / sum(a.population for a in scored)  # type: ignore[operator]
    return {"population": population, "weighted_imd": weighted}


def render_study_overview(view: SiteView, matrix: Matrix) -> Page:
    path = "index.md"
    rows = []
    for la in view.local_authorities:
        sites = view.sites_of(la.model.id)
        site_rows = [r for r in matrix.rows if r.la.id == la.model.id]
        rows.append({
            "la": la.model,
            "sites": [s.model for s in sites],
            "sources": sum(len(view.sources_of(s.model.id)) for s in sites),
            "filled": sum(r.filled for r in site_rows),
            "cells": len(site_rows) * len(matrix.codes),
        })
    return Page(path=path, title=translate(N_("Overview"), view.language), markdown=_render(
        "study_overview.md.j2", path, view=view, project_doc=view.project_doc, rows=rows, matrix=matrix,
        selection=_selected_by_design(view),
        tracker=_tracker(view),
    ))


def _selected_by_design(view: SiteView) -> bool:
    """Whether the study chose its LAs by deprivation or its sites from small areas (the selection page's content)."""
    return any(la.model.deprivation for la in view.local_authorities) or any(s.model.small_areas for s in view.sites)


def render_site_selection(view: SiteView) -> Page:
    """The two layers of site selection: LAs by deprivation third, then comparable sites."""
    from statistics import median

    from ..compute.comparability import TEST_KEYS, ComparabilityError, compare_defined, format_apa, reading
    from ..compute.measures import weighted_mean

    path = "site-selection.md"
    thirds: dict[str, list[LocalAuthority]] = {}
    for la in view.local_authorities:
        if la.model.deprivation is not None:
            thirds.setdefault(la.model.deprivation.third.value, []).append(la.model)
    sites = []
    groups: dict[str, list[float]] = {}
    for site in view.sites:
        areas = site.model.small_areas
        scores = [a.imd_score for a in areas if a.imd_score is not None]
        sites.append({
            "site": site.model, "la": view.la_of_site(site.model.id), "areas": len(areas),
            "population": sum(a.population for a in areas),
            "mean": weighted_mean([a.imd_score if a.imd_score is not None else float("nan") for a in areas],
                                  [a.population for a in areas]),
            "median": median(scores) if scores else None,
            "low": min(scores) if scores else None, "high": max(scores) if scores else None,
        })
        if scores:
            groups[site.model.name] = scores
    tests, sentence, problem = [], "", ""
    try:
        comparison = compare_defined(groups)
        names = {"anova": "One-way ANOVA", "welch": "Welch's test", "brown_forsythe": "Brown-Forsythe test",
                 "kruskal": "Kruskal-Wallis test"}
        results = comparison.results
        tests = [(names[key], format_apa(results[key]) if key in results
                  else f"not defined: {comparison.not_defined[key]}") for key in TEST_KEYS]
        sentence = reading(results)
    except ComparabilityError as error:
        problem = str(error)
    from ..charts import comparability
    from ..content.blocks import ComparabilityChart

    chart = figure_for(comparability.prepare(view, ComparabilityChart(chart="comparability")), view, path) if groups else ""
    return Page(path=path, title=translate(N_("Site selection"), view.language), markdown=_render(
        "site_selection.md.j2", path, view=view, thirds=[(t, thirds.get(t, [])) for t in ("high", "middle", "low")],
        sites=sites, tests=tests, sentence=sentence, problem=problem, chart=chart,
        la_path=lambda la_id: la_path(view, la_id),
    ))


def render_matrix(view: SiteView, matrix: Matrix) -> Page:
    path = "matrix.md"
    from .reports import FIT_WORDS, meta_path

    from ..exports.xlsx import matrix_workbook

    workbook = "framework-matrix.xlsx"
    return Page(path=path, title=translate(N_("Framework matrix"), view.language), meta={"hide": ["navigation", "toc"]},
                files={workbook: matrix_workbook(view, matrix, here=workbook)}, markdown=_render(
        "matrix.md.j2", path, view=view, matrix=matrix, document_path=code_document_path,
        meta_path=meta_path, fit_words=FIT_WORDS, workbook=page_url(path, workbook),
        site_path=lambda site: la_path(view, site.la), more=_beyond_the_edge(matrix, view.language),
    ))


def _beyond_the_edge(matrix: Matrix, language: str) -> dict[str, Any]:
    """The words of the line the matrix script writes under its tools ("3 more codes to the right, 2 to the left:
    scroll ..."), in the page's language. The plural forms are chosen here, one message for each count the page can
    have (0 to the number of codes or sites), so the script only picks the n-th; ``%(where)s`` it fills in itself."""
    return {
        "right_codes": [ntranslate("%(num)s more code to the right", "%(num)s more codes to the right", n, language)
                        for n in range(len(matrix.codes) + 1)],
        "right_sites": [ntranslate("%(num)s more site to the right", "%(num)s more sites to the right", n, language)
                        for n in range(len(matrix.rows) + 1)],
        "left": [translate("%(num)s to the left", language) % {"num": f"{n:,}"}
                 for n in range(max(len(matrix.codes), len(matrix.rows)) + 1)],
        "scroll": translate("%(where)s: scroll the matrix sideways (or select it and use the arrow keys).", language),
    }


def render_coding_frame(view: SiteView) -> Page:
    path = "coding-frame.md"
    return Page(path=path, title=translate(N_("Coding frame"), view.language), markdown=_render(
        "coding_frame.md.j2", path, view=view, groups=group_codes(view.codes, view.themes),
    ))


def render_code_document(view: SiteView, document: Loaded[CodeDocument]) -> Page:
    model = document.model
    path = code_document_path(model)
    site = view.site_by_id[model.site].model
    code: Code = view.code_by_id[model.code].model
    extracts = [e for e in (view.extract(r) for r in model.extracts) if e is not None]
    shown = [e for e in extracts if not e.removed]
    reasons = sorted({translate(e.reason, view.language) for e in extracts if e.reason})
    datasets = [view.dataset_by_id[d] for d in model.datasets if d in view.dataset_by_id]
    return Page(
        path=path,
        title=f"{code.id} · {code.label}",
        section=(translate(N_("Code documents"), view.language), site.name),
        markdown=_render(
            "code_document.md.j2", path,
            view=view, document=model, document_doc=document, site=site, code=code,
            la=view.la_of_site(model.site), extracts=shown, removed=len(extracts) - len(shown), reasons=reasons,
            sources=len({e.source.model.id for e in shown}),
            datasets=[(d, *table_rows(view, d)) for d in datasets],
            source_path=source_path, dataset_path=dataset_path,
            la_path=lambda la_id: la_path(view, la_id),
        ),
    )


def render_source(view: SiteView, source: LoadedSource) -> Page:
    model = source.model
    path = source_path(model.id)
    site = view.site_by_id[model.site].model
    segments = []
    for segment in source.segments:
        if segment.extract is None:
            text = redact_withdrawn(segment.text, model.participants, model.method, view.project.researchers)
            segments.append({"kind": "text", "text": text})
            continue
        extract = view.extracts_by_ref[f"{model.id}#{segment.extract.id}"]
        segments.append({
            "kind": "removed" if extract.withdrawn else "extract",
            "extract": extract,
            "cited_in": [d.model for d in view.cited_in(model.id, segment.extract.id)],
        })
    return Page(
        path=path,
        title=model.title,
        section=(translate(N_("Sources"), view.language), site.name),
        markdown=_render(
            "source.md.j2", path,
            view=view, source=model, site=site, la=view.la_of_site(model.site), segments=segments,
            document_path=code_document_path, la_path=lambda la_id: la_path(view, la_id),
            extracts=len(source.extracts),
        ),
    )


def render_survey(view: SiteView, survey: Any) -> Page:
    """A survey's waves and response rates; per question the answers, charts and change between waves;
    breakdowns with small groups hidden; and the open answers their writers agreed to have quoted."""
    path = f"surveys/{survey.model.id}.md"
    language = view.language
    waves, questions = summarise(survey, language)
    title = survey.model.title_cy if language == "cy" and survey.model.title_cy else survey.model.title
    source = translate(N_("Source: %(title)s, %(waves)s."), language) % {
        "title": title, "waves": ", ".join(w.label for w in waves)}
    charts, notes = {}, {}
    for result in questions:
        notes[result.question.id] = _disclosure_notes(result, view)
        shown = []
        if result.question.kind == "likert" and any(w.answered for w in result.waves):
            shown.append(figure_for(likert.prepare(result, None, source, language), view, path))
        if result.question.kind == "multiple" and any(w.answered for w in result.waves):
            shown.append(figure_for(choices.prepare(result, None, source, language,
                                                    notes=notes[result.question.id]), view, path))
        if sum(w.positive is not None for w in result.waves) >= 2:
            shown.append(figure_for(wave_chart.prepare(result, translate(N_("Answering positively, by wave"), language),
                                                       source, language), view, path))
        charts[result.question.id] = shown
    return Page(path=path, title=title, section=(translate(N_("Surveys"), view.language),), markdown=_render(
        "survey.md.j2", path, view=view, survey=survey.model, waves=waves, questions=questions,
        positive_codes=positive_codes, la=view.la_by_id[survey.model.la].model, charts=charts, disclosure_notes=notes,
        breakdowns=breakdowns(survey, language), open_answers=open_answers(survey, language),
    ))


def _disclosure_notes(result: Any, view: SiteView) -> list[str]:
    """A question's notes on disclosure control, in the page's words: printed under its table and carried by
    the charts drawn from it (their captions and CSV downloads), so the two never differ."""
    language = view.language
    notes = []
    if any(w.suppressed for w in result.waves):
        notes.append(translate("c: hidden to protect privacy (a count from 1 to {n}, or a figure that would reveal "
                               "one).", language).format(n=view.project.small_counts))
    if any(w.rounded for w in result.waves):
        notes.append(translate("Counts are rounded to the nearest {base} to protect privacy; shares are of the "
                               "rounded counts.", language).format(base=view.project.rounding_base))
    return notes


def render_case_study(view: SiteView, study_doc: Any) -> Page:
    path = f"case-studies/{study_doc.model.id}.md"
    return Page(path=path, title=localised(study_doc.model, "title", view.language), section=(translate(N_("Outcome case studies"), view.language),), markdown=_render(
        "case_study.md.j2", path, view=view, cs=study_doc.model, doc=study_doc,
    ))


def render_case_study_index(view: SiteView) -> Page:
    """Outcomes achieved across case studies and services."""
    path = "case-studies/index.md"
    rows = []
    for study_doc in view.case_studies:
        achieved = [i.achieved.value for i in study_doc.model.impacts]
        rows.append({"cs": study_doc.model, "path": f"case-studies/{study_doc.model.id}.md",
                     "achieved": achieved.count("achieved"), "partly": achieved.count("partly"),
                     "not_achieved": achieved.count("not_achieved")})
    return Page(path=path, title=translate(N_("All case studies"), view.language), section=(translate(N_("Outcome case studies"), view.language),), markdown=_render(
        "case_study_index.md.j2", path, view=view, rows=rows,
    ))


def render_report_card(view: SiteView, card: Any) -> Page:
    """A Results-Based Accountability report card, with a turn-the-curve chart per measure."""
    path = f"report-cards/{card.model.id}.md"
    charts = {m.id: _curve(view, card, m, path) for m in card.model.measures}
    # whole numbers stay whole; a measure with any fraction shows one decimal throughout
    places = {m.id: 0 if all(float(v).is_integer() for v in [p.value for p in m.history + m.forecast]
                             + ([m.target] if m.target is not None else [])) else 1
              for m in card.model.measures}
    groups = [("how_much", N_("How much did we do?")), ("how_well", N_("How well did we do it?")),
              ("better_off", N_("Is anyone better off?"))]
    return Page(path=path, title=localised(card.model, "title", view.language), section=(translate(N_("Report cards"), view.language),), markdown=_render(
        "report_card.md.j2", path, view=view, card=card.model, groups=groups, charts=charts, places=places,
    ))


def _curve(view: SiteView, card: Any, measure: Any, path: str) -> Any:
    source = translate(N_("Source: %(title)s report card."), view.language) % {
        "title": localised(card.model, "title", view.language)}
    data = curve.prepare(measure, None, source, view.language)
    return figure_for(data, view, path)


def render_sources_index(view: SiteView) -> Page:
    path = "sources/index.md"
    return Page(path=path, title=translate(N_("All sources"), view.language), section=(translate(N_("Sources"), view.language),), markdown=_render(
        "sources_index.md.j2", path, view=view, source_path=source_path,
    ))


MAX_ROWS_SHOWN = 200


def render_dataset(view: SiteView, dataset: LoadedDataset) -> Page:
    """The dataset's description and table; long tables show their first rows and offer the CSV."""
    path = dataset_path(dataset.model.id)
    header, rows = table_rows(view, dataset)
    users = [d.model for d in view.code_documents if dataset.model.id in d.model.datasets]
    files = {}
    table = view.tables.get(dataset.model.id)
    csv_name = f"datasets/{dataset.model.id}.csv"
    if table is not None:  # this site's rows only: an LA's site never offers other LAs' rows
        # every row with its symbols (and a note on each): a missing figure keeps its reason ([x]),
        # a hidden one its c
        files[csv_name] = csv_bytes(list(table.columns), rows, language=view.language)
    return Page(path=path, title=dataset.model.title, section=(translate(N_("Datasets"), view.language),), files=files, markdown=_render(
        "dataset.md.j2", path, view=view, dataset=dataset.model, dataset_doc=dataset,
        header=header, rows=rows[:MAX_ROWS_SHOWN], total_rows=len(rows), users=users, document_path=code_document_path,
        csv_href=page_url(path, csv_name),
    ))


def render_site_pages(view: SiteView) -> list[Page]:
    """Return every page of one site, in navigation order."""
    return render_site(view)[0]


def render_site(view: SiteView, inputs: SiteInputs | None = None, record: Path | None = None) -> tuple[list[Page], int]:
    """Return every page of one site, in navigation order, and how many were taken from ``record`` unchanged."""
    pages, reused = render_tasks(view, page_tasks(view), inputs, record)
    glossary = sorted(view.project_doc.model.glossary if view.project_doc else [], key=lambda e: e.term.casefold())
    if glossary:
        # MkDocs' abbreviations: each term in a page's generated text shows its meaning (bodies are set aside)
        definitions = "".join(f"\n*[{entry.term}]: {localised(entry, 'meaning', view.language)}" for entry in glossary)
        for page in pages:
            page.markdown = page.markdown.rstrip("\n") + "\n" + definitions + "\n"
    if view.downloads:  # the files the pages' tables offer, written with the pages
        pages[0].files.update(view.downloads)
    return pages, reused


def page_tasks(view: SiteView) -> list[PageTask]:
    """The site's pages in navigation order, as tasks, each with what it reads (render.recorded).

    An LA with no case-study site (an improvement team publishing surveys,
    case studies and report cards) gets no framework pages.
    """
    matrix = cache(lambda: compute_matrix(view))
    framework = view.is_cross_case or bool(view.sites)
    tasks: list[PageTask] = []

    def page(make: Callable[..., Page], *args: Any, reads: str = CONTEXT) -> None:
        tasks.append(PageTask(reads, lambda: [make(view, *args)]))

    def matrix_page(make: Callable[..., Page], *args: Any) -> None:
        tasks.append(PageTask(CONTEXT, lambda: [make(view, *args, matrix())]))

    if view.is_cross_case:
        matrix_page(render_study_overview)
    else:
        matrix_page(render_la_overview, view.local_authorities[0])
    if framework:
        matrix_page(render_matrix)
        if view.is_cross_case and _selected_by_design(view):
            page(render_site_selection)
        page(render_coding_frame)
    if view.is_cross_case:
        for la in view.local_authorities:
            matrix_page(render_la_overview, la)
    # pages of single documents come from each kind's declared page writer (generator.content.kinds)
    for site in view.sites:
        for code in view.codes:
            document = view.cell_by_key.get((site.model.id, code.model.id))
            if document is not None:
                page(page_writer("code_document"), document)
    if framework:
        from .reports import render_report_pages

        tasks.append(PageTask(CONTEXT, lambda: render_report_pages(view)))
    for survey in view.surveys:
        page(page_writer("survey"), survey)
    if view.case_studies:
        page(render_case_study_index)
        for case in view.case_studies:
            page(page_writer("outcome_case_study"), case)
    for card in view.report_cards:
        page(page_writer("report_card"), card)
    if view.audience != PUBLIC and view.sources:  # a public build carries no full transcripts or field notes
        page(render_sources_index)
        for site in view.sites:
            for source in view.sources_of(site.model.id):
                page(page_writer("source"), source, reads=prose_of(source.model.id))
    for dataset in view.datasets:
        page(page_writer("dataset"), dataset)
    if view.is_cross_case and view.audience != PUBLIC:
        page(render_build_report, reads=REPORT)
    glossary = sorted(view.project_doc.model.glossary if view.project_doc else [], key=lambda e: e.term.casefold())
    if glossary:
        tasks.append(PageTask(CONTEXT, lambda: [render_glossary(view, glossary)]))
    return tasks


def render_glossary(view: SiteView, entries: list[Any]) -> Page:
    path = "glossary.md"
    return Page(path=path, title=translate(N_("Glossary"), view.language), markdown=_render(
        "glossary.md.j2", path, view=view, entries=entries,
    ))


def render_build_report(view: SiteView) -> Page:
    path = "build-report.md"
    return Page(path=path, title=translate(N_("Build report"), view.language), markdown=_render(
        "build_report.md.j2", path, view=view, report=view.report,
    ))
