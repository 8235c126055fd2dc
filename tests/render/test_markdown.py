from __future__ import annotations

from html import unescape

from generator.render.environment import md_text, number, page_url
from generator.render.markdown import fit_headings, preview, render_markdown


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown('<script>alert("x")</script>\n\nA <img src=x onerror=alert(1)> b')
    assert "<script>" not in html and "<img" not in html
    shown = unescape(html)  # Markdown-active characters are written as character references
    assert "<script>alert" in shown and "<img src=x onerror=alert(1)>" in shown


def test_template_syntax_stays_literal() -> None:
    html = render_markdown("Value: {{ 7*7 }} {% if x %}")
    assert "{{ 7*7 }}" in html and "{% if x %}" in html  # shown as written, never run


def test_unsafe_link_schemes_are_dropped() -> None:
    text = "[a](javascript:alert(1)) [b](data:text/html,x) [c](https://example.org) [d](../x.html#y)"
    html = unescape(render_markdown(text, page="sources/p.md"))
    assert "javascript:" not in html and "data:" not in html and "example.org" not in html
    assert 'href="../x.html#y"' in html
    allowed = unescape(render_markdown(text, page="sources/p.md", external_links=True))
    assert '<a href="https://example.org" rel="noopener noreferrer">' in allowed


def test_preview_is_the_first_sentence_cut_at_a_word() -> None:
    assert preview("**Caseloads** rose. Then fell.") == "Caseloads rose."
    long = "word " * 60
    cut = preview(long, limit=30)
    assert cut.endswith("…") and len(cut) <= 31 and " wor…" not in cut


def test_headings_escape_html_and_markdown() -> None:
    assert md_text("<script>*x*</script>") == "&lt;script&gt;\\*x\\*&lt;/script&gt;"


def test_number_formatting() -> None:
    import numpy as np

    assert number(14900) == "14,900"
    assert number(np.int64(14900), 2) == "14,900"
    assert number(3.14159, 2) == "3.14"
    assert number(None) == "–"


def test_relative_urls_between_pages() -> None:
    assert page_url("code-documents/a/S1.md", "sources/x.md", "ext") == "../../sources/x.html#ext"
    assert page_url("index.md", "matrix.md") == "matrix.html"


def _levels(html: str) -> list[int]:
    import re

    return [int(n) for n in re.findall(r"<h([1-6])>", html)]


def test_body_headings_are_fitted_under_the_page_heading() -> None:
    body = str(render_markdown("### Key figures\n\ntext\n\n##### Detail\n\n### Next\n"))
    assert _levels(body) == [3, 5, 3]
    assert _levels(fit_headings(body, 1)) == [2, 3, 2]  # under the page's h1: no h1 -> h3 jump, no gap
    assert _levels(fit_headings(body, 2)) == [3, 4, 3]  # under a section's h2
    assert _levels(fit_headings(str(render_markdown("# Title\n\n## Part\n")), 1)) == [2, 3]  # never a second h1
    assert _levels(fit_headings(str(render_markdown("# a\n\n## b\n\n### c\n")), 4)) == [5, 6, 6]  # capped at h6
    assert fit_headings(body, 2).count("</h4>") == 1 and "<h5>" not in fit_headings(body, 2)  # closing tags follow
    odd = body + '<h3 class="x">ours</h3>'  # a heading with attributes is not renumbered, so neither is the body
    assert fit_headings(odd, 1) == odd


def test_a_heading_in_code_is_left_as_text() -> None:
    body = str(render_markdown("## Real\n\n```\n<h2>not a heading</h2>\n```\n\n`<h3>` inline\n"))
    fitted = fit_headings(body, 2)
    assert _levels(fitted) == [3]
    assert "not a heading&#60;/h2&gt;" in fitted and "<code>&#60;h3&gt;</code>" in fitted
