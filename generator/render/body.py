"""Render a document's body: the author's Markdown, with computed tables and charts filled in."""

from __future__ import annotations

import posixpath
from functools import partial
from typing import Any

from markupsafe import Markup

from ..charts.dispatch import prepare_chart
from ..compute.tables import ComputedTable, compute_block
from ..content.blocks import CHART_MODELS, split_body
from ..content.loader import Loaded, owner_la
from ..view import SiteView
from .environment import make_environment
from .i18n import translate
from .markdown import render_markdown


def render_table(table: ComputedTable) -> Markup:
    return Markup(make_environment().get_template("_computed.html.j2").render(table=table))


def render_chart(spec: Any, document: Loaded[Any], view: SiteView, current: str) -> Markup:
    """Prepare a chart about the document's LA (or the site's), for this site."""
    study = view._study
    assert study is not None
    la = spec.la or (None if view.is_cross_case else view.key) or owner_la(document, {s.model.id: s for s in study.sites})
    return chart_figure(spec, view, la, current)


def chart_figure(spec: Any, view: SiteView, la: str | None, current: str) -> Markup:
    """Register a chart for drawing and return its figure, data table and download link."""
    return figure_for(prepare_chart(spec, view, la), view, current)


def figure_for(data: Any, view: SiteView, current: str) -> Markup:
    """Register prepared chart data for drawing and return its figure, data table and download link."""
    name = view.charts.add(data)
    base = posixpath.relpath("assets/charts", posixpath.dirname(current) or ".")
    return Markup(make_environment().get_template("_chart.html.j2").render(
        chart=data, image=f"{base}/{name}", csv=f"{base}/{name.rsplit('.', 1)[0]}.csv",
        t=partial(translate, language=view.language),
    ))


def render_body(document: Loaded[Any], view: SiteView, current: str = "index.md") -> Markup:
    """Return the HTML of a document's body, computing each declared table and chart for this site."""
    if not document.blocks:
        return render_markdown(document.body)
    study = view._study
    assert study is not None and study.project is not None
    blocks = {b.line: b for b in document.blocks}
    scope = None if view.is_cross_case else view.key
    html = []
    for text, line in split_body(document.body, document.body_line):
        if line is None:
            if text.strip():
                html.append(render_markdown(text))
        elif line in blocks:
            spec = blocks[line].spec
            if type(spec) in CHART_MODELS.values():
                html.append(render_chart(spec, document, view, current))
            else:
                html.append(render_table(compute_block(blocks[line], study, scope, study.project.model.base_year, view.audience)))
    return Markup("\n").join(html)
