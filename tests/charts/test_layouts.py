"""Each chart drawn twice, wide and narrow, with no title or source in the image and type large enough for its
layout; the page shows the narrow drawing on narrow screens. (What the reader sees, measured in a browser:
tests/browser/test_charts.py.)"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest

from generator.charts import cache
from generator.charts.style import LAYOUTS

from .svg_text import drawn_words, text_sizes, viewbox_width

_FIGURE = re.compile(r'<figure class="gen-chart">(.*?)</figure>', re.S)


def _figures(site: Path) -> list[tuple[Path, str, str, str, str]]:
    """Every chart of every page: (page, narrow drawing's src, wide drawing's src or "", caption's title and source)."""
    found = []
    for page in sorted(site.rglob("*.html")):
        for figure in _FIGURE.findall(page.read_text(encoding="utf-8")):
            source = re.search(r'<source media="[^"]+" srcset="([^"]+)">', figure)
            image = re.search(r'<img (?:class="([^"]+)" )?src="([^"]+)"', figure)
            title = re.search(r"<figcaption><strong>(.*?)</strong>", figure, re.S)
            said = re.search(r'<span class="gen-source-line">(.*?)</span></figcaption>', figure, re.S)
            assert image and title and said, (page, figure[:200])
            # the caption's text, without the glossary's <abbr> marks around its terms
            words = tuple(html.unescape(re.sub(r"</?abbr[^>]*>", "", m.group(1))) for m in (title, said))
            if image.group(1) == "gen-chart-narrow":
                found.append((page, image.group(2), "", *words))
            else:
                assert source, (page, "a page-wide chart offers its narrow drawing")
                found.append((page, source.group(1), image.group(2), *words))
    return found


def test_every_chart_comes_wide_and_narrow_with_type_for_its_layout(demo_site: Path) -> None:
    figures = _figures(demo_site)
    assert len(figures) > 100
    for page, narrow, wide, title, source in figures:
        for src, layout in ((narrow, LAYOUTS["narrow"]), (wide, LAYOUTS["wide"])):
            if not src:
                continue
            svg = (page.parent / src).read_bytes()
            # drawn at the layout's width (constrained layout keeps everything inside the figure)...
            assert viewbox_width(svg) <= layout.width * 72 + 12, (page, src)
            # ...with no text smaller than the layout's smallest size
            assert min(text_sizes(svg)) >= layout.small - 1e-6, (page, src, min(text_sizes(svg)))
            # the title and the source are the caption's, not the image's: the file carries them as metadata
            words = " ".join(drawn_words(svg))
            assert html.escape(title, quote=False) not in words and html.escape(source, quote=False) not in words
            assert f"<title>{html.escape(title, quote=False)}</title>".encode() in svg, (page, src)
            desc = html.unescape(svg.split(b"<desc>", 1)[1].split(b"</desc>", 1)[0].decode())
            assert desc.endswith(source), (page, src)
    assert {p.relative_to(demo_site).parts[0] for p, *_ in figures} == {"cross-case", "la"}
    assert any("/cy/" in p.as_posix() for p, *_ in figures)  # Welsh charts too


def test_the_joint_display_shows_only_narrow_drawings_and_other_pages_choose_by_width(demo_site: Path) -> None:
    joint = [f for f in _figures(demo_site) if "meta-inferences" in f[0].parts]
    others = [f for f in _figures(demo_site) if "meta-inferences" not in f[0].parts]
    assert joint and others
    assert all(not wide for _, _, wide, *_ in joint)  # a half-width column, at any screen width
    assert all(wide and narrow != wide for _, narrow, wide, *_ in others)
    text = html.unescape((demo_site / "cross-case" / "site-selection.html").read_text(encoding="utf-8"))
    assert '<source media="screen and (max-width: 44.9375em)"' in text  # print and wide screens: the wide drawing


def test_a_check_all_chart_in_both_layouts() -> None:
    from generator.charts import choices

    from .test_survey_charts import SOURCE, check_all

    data = choices.prepare(check_all([({"A": 30, "B": 12, "C": 25}, 40, {"PNS": 3}),
                                      ({"A": 18, "B": 9, "C": 20}, 30, {"PNS": 0})]), None, SOURCE)
    drawings = {}
    for name, layout in LAYOUTS.items():
        svg = cache._draw(replace(data, variant=name))
        assert min(text_sizes(svg)) >= layout.small
        assert viewbox_width(svg) <= layout.width * 72 + 12
        assert data.title not in " ".join(drawn_words(svg))
        assert "Someone to talk to" in " ".join(drawn_words(svg))
        drawings[name] = svg
    assert drawings["wide"] != drawings["narrow"]


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_a_drawing_alone_says_what_it_shows(fmt: str) -> None:
    from generator.charts import choices

    from .test_survey_charts import SOURCE, check_all

    data = choices.prepare(check_all([({"A": 3, "B": 1, "C": 2}, 4, {})]), "Help & support", SOURCE, fmt=fmt)
    image = cache._draw(data)
    if fmt == "svg":
        assert b"<title>Help &amp; support</title>" in image
        assert image.index(b"<title>") < image.index(b"<metadata>")  # the first thing inside <svg>
        desc = html.unescape(image.split(b"<desc>", 1)[1].split(b"</desc>", 1)[0].decode())
        assert desc.startswith(data.alt) and desc.endswith(SOURCE)
    else:
        from io import BytesIO

        from PIL import Image

        text = Image.open(BytesIO(image)).text  # type: ignore[attr-defined]
        assert text["Title"] == "Help & support" and SOURCE in text["Description"]


def test_the_narrow_drawing_is_its_own_file_in_the_cache() -> None:
    from generator.charts import choices

    from .test_survey_charts import SOURCE, check_all

    data = choices.prepare(check_all([({"A": 3, "B": 1, "C": 2}, 4, {})]), None, SOURCE)
    registry = cache.ChartRegistry()
    wide, narrow = registry.add(data), registry.add(replace(data, variant="narrow"))
    assert wide != narrow and registry.add(data) == wide
