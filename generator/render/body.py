"""Render a document's body: the author's Markdown, with its computed tables and charts filled in."""

from __future__ import annotations

import posixpath
from dataclasses import replace
from typing import Any

from markupsafe import Markup, escape

from ..charts.common import ChartData
from ..compute.tables import ComputedTable
from ..content.blocks import split_body
from ..content.loader import Loaded
from ..view import DatasetEvidence, SiteView
from .environment import make_environment, page_url, terms_for
from .i18n import SOURCE_LANGUAGE, ntranslate, translate
from .markdown import fit_headings, inert_text, render_markdown


def render_table(table: ComputedTable, view: SiteView, current: str) -> Markup:
    """A computed table, with its CSV and Excel downloads (named by their content, so shared tables share files)."""
    import hashlib

    from ..csv_download import csv_bytes
    from ..exports.xlsx import table_values, table_workbook

    csv = csv_bytes(*table_values(table), table.notes, table.source, table.language)
    name = f"assets/tables/{hashlib.sha256(csv + table.caption.encode()).hexdigest()[:16]}"
    view.downloads.setdefault(f"{name}.csv", csv)
    if f"{name}.xlsx" not in view.downloads:
        view.downloads[f"{name}.xlsx"] = table_workbook(table, view.cache)
    return Markup(make_environment(language=view.language).get_template("_computed.html.j2").render(
        table=table, csv=page_url(current, f"{name}.csv"), xlsx=page_url(current, f"{name}.xlsx"), terms=terms_for(view)))


# Where a page's column is narrower than the wide drawing's 686 px (Material's tablet-portrait breakpoint and below)
NARROW_SCREENS = "screen and (max-width: 44.9375em)"


def figure_for(data: ChartData, view: SiteView, current: str, narrow_only: bool = False) -> Markup:
    """Register prepared chart data for drawing (wide and narrow) and return its figure, data table and download link.

    The page shows the narrow drawing on narrow screens (``<picture>``), or always
    with ``narrow_only`` (a half-width column, as in the joint display).
    """
    name = view.charts.add(data)
    narrow = view.charts.add(replace(data, variant="narrow"))
    base = posixpath.relpath("assets/charts", posixpath.dirname(current) or ".")
    return Markup(make_environment(language=view.language).get_template("_chart.html.j2").render(
        chart=data, image=f"{base}/{name}", narrow=f"{base}/{narrow}", narrow_only=narrow_only,
        narrow_screens=NARROW_SCREENS, csv=f"{base}/{name.rsplit('.', 1)[0]}.csv", terms=terms_for(view),
    ))


def render_evidence(item: ComputedTable | ChartData | DatasetEvidence, view: SiteView, current: str,
                    narrow_only: bool = False) -> Markup:
    """A computed table, a prepared chart or a cited dataset, as the page shows it (``narrow_only``: charts in
    their narrow drawing)."""
    if isinstance(item, DatasetEvidence):
        rows = ntranslate("%(num)s row", "%(num)s rows", item.rows, view.language)
        title = Markup(inert_text(str(escape(item.title))))  # as every printed field: no Markdown can act on it
        return Markup('<p class="gen-dataset-evidence">{}: <a href="{}">{}</a> ({})</p>').format(
            translate("Dataset", view.language), page_url(current, f"datasets/{item.id}.md"), title, rows)
    if isinstance(item, ComputedTable):
        return render_table(item, view, current)
    return figure_for(item, view, current, narrow_only)


def render_body(document: Loaded[Any], view: SiteView, current: str = "index.md", under: int = 1) -> Markup:
    """Return the HTML of a document's body, with the tables and charts the compute stage resolved for this site.

    ``under``: the level of the page's heading the body sits under; the body's own headings follow from it
    (markdown.fit_headings).
    """
    external = view.project.external_links
    if not document.blocks:
        return Markup(fit_headings(render_markdown(document.body, page=current, external_links=external), under))
    html = []
    for text, line in split_body(document.body, document.body_line):
        if line is None:
            if text.strip():
                html.append(render_markdown(text, page=current, external_links=external))
        elif (document.path, line) in view.blocks:
            evidence = render_evidence(view.blocks[(document.path, line)], view, current)
            if view.language != SOURCE_LANGUAGE:  # in the author's English body, a table or chart in the site's language
                evidence = Markup('<div lang="{}">{}</div>').format(view.language, evidence)
            html.append(evidence)
    return Markup(fit_headings(Markup("\n").join(html), under))
