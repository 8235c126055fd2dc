"""What a chart's SVG says about its text: the sizes it is drawn at and the words drawn.

Charts draw text as glyph paths (``svg.fonttype: path``): each piece of text
is a group ``<g transform="translate(x y) scale(s -s)">`` of glyphs drawn
100 units to the em, so its size in SVG units (points) is ``100 * s``, and
matplotlib puts the text itself in a comment before it.
"""

from __future__ import annotations

import re

_VIEWBOX = re.compile(rb'<svg [^>]*viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
_GLYPHS = re.compile(rb"scale\(([0-9.]+) -([0-9.]+)\)")
_TEXT = re.compile(rb'<g id="text_\d+">\s*<!-- (.*?) -->', re.S)


def viewbox_width(svg: bytes) -> float:
    found = _VIEWBOX.search(svg)
    assert found, "an SVG with a viewBox"
    return float(found.group(1))


def text_sizes(svg: bytes) -> list[float]:
    """The size of every piece of text drawn, in SVG units."""
    sizes = [float(x) * 100 for x, y in _GLYPHS.findall(svg) if x == y]
    assert sizes, "a chart with text drawn as glyphs"
    return sizes


def drawn_words(svg: bytes) -> list[str]:
    """The words of every piece of text drawn (XML-escaped as matplotlib writes them)."""
    return [m.decode() for m in _TEXT.findall(svg)]


def smallest_rendered(svg: bytes, rendered_width: float) -> float:
    """The smallest text's size in CSS px when the image is shown ``rendered_width`` CSS px wide."""
    return min(text_sizes(svg)) * rendered_width / viewbox_width(svg)
