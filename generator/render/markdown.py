"""Render an author's Markdown to HTML safely.

Content is data, never code: raw HTML in a body is shown as text, links
may only use web, mail or relative addresses, and Jinja syntax is left
alone because bodies are never run through a template engine. The HTML
goes into generated pages as a block MkDocs passes through unchanged.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

_SAFE_URL = re.compile(r"^(https?:|mailto:|#|/|\.{0,2}/|[\w\-./]+(#[\w\-]*)?$)", re.IGNORECASE)


class _SafeLinks(Treeprocessor):
    """Drop link and image addresses with schemes such as javascript: or data:."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not _SAFE_URL.match(value.strip()):
                    element.set(attribute, "#")


class _NoRawHtml(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[_NoRawHtml(), "tables", "fenced_code", "sane_lists", "smarty", "footnotes"],
        output_format="html",
    )


_CONVERTER: markdown.Markdown | None = None


def render_markdown(text: str) -> Markup:
    """Return the HTML for an author's Markdown, with raw HTML escaped."""
    global _CONVERTER
    if _CONVERTER is None:  # building the converter costs more than converting a page
        _CONVERTER = _converter()
    html = _CONVERTER.reset().convert(text)
    return Markup(html)


def plain_text(text: str) -> str:
    """Return Markdown reduced to plain text (for matrix previews and alt text)."""
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_]{1,3}([^*_]+)[*_]{1,3}", r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    return " ".join(text.split())


def preview(text: str, limit: int = 140) -> str:
    """Return the opening of a summary: its first sentence, cut at a word within ``limit``."""
    flat = plain_text(text)
    match = re.match(r"(.+?[.!?])(\s|$)", flat)
    first = match.group(1) if match else flat
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
