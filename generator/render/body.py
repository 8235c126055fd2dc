"""Render a document's body: the author's Markdown, with computed tables filled in."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..compute.tables import ComputedTable, compute_block
from ..content.blocks import split_body
from ..content.loader import Loaded
from ..view import SiteView
from .environment import make_environment
from .markdown import render_markdown


def render_table(table: ComputedTable) -> Markup:
    return Markup(make_environment().get_template("_computed.html.j2").render(table=table))


def render_body(document: Loaded[Any], view: SiteView) -> Markup:
    """Return the HTML of a document's body, computing each declared table for this site."""
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
            html.append(render_table(compute_block(blocks[line], study, scope, study.project.model.base_year)))
    return Markup("\n").join(html)
