"""The site stage: bodies set aside from MkDocs' Markdown pass and put back after it."""

from __future__ import annotations

from types import SimpleNamespace

from generator import site_hooks
from generator.render.markdown import render_markdown
from generator.site import bodies_file, set_bodies_aside


def test_each_body_is_replaced_by_a_word_and_kept() -> None:
    first, second = render_markdown("*one*"), render_markdown("two [a](b.html)")
    bodies: dict[str, str] = {}
    page = set_bodies_aside(f"# Title\n\n{first}\n\n| {second} |\n", "tok", bodies)
    assert page == "# Title\n\ntok0x\n\n| tok1x |\n"
    assert bodies == {"tok0x": "<p><em>one</em></p>", "tok1x": '<p>two <a href="b.html">a</a></p>'}


def test_the_hook_puts_bodies_back_in_place_of_their_paragraph_or_word(tmp_path) -> None:
    import json

    docs = tmp_path / "docs"
    docs.mkdir()
    bodies_file(docs).write_text(json.dumps({"token": "tok", "pages": {"a.md": {"tok0x": "<p>A</p>", "tok1x": "B"}}}))
    config = {"docs_dir": str(docs)}
    page = SimpleNamespace(file=SimpleNamespace(src_uri="a.md"))
    other = SimpleNamespace(file=SimpleNamespace(src_uri="b.md"))
    html = "<h1>T</h1>\n<p>tok0x</p>\n<td>tok1x</td> tok9x"
    assert site_hooks.on_page_content(html, page, config, None) == "<h1>T</h1>\n<p>A</p>\n<td>B</td> tok9x"
    assert site_hooks.on_page_content(html, other, config, None) == html  # another page's words stay words
