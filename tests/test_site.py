"""The site stage: bodies set aside from MkDocs' Markdown pass and put back after it."""

from __future__ import annotations

import re
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
    page.content = site_hooks.on_page_content(html, page, config, None)
    for handler in site_hooks.on_page_context.methods:  # before search, then after it
        handler({}, page=page, config=config, nav=None)
    assert page.content == "<h1>T</h1>\n<p>A</p>\n<td>B</td> tok9x"
    assert site_hooks.on_page_content(html, other, config, None) == html  # another page's words stay words


BODIES = [
    "Some *emphasis*, **strong**, ~~struck~~ and `code`, a [link](a.html) and an ![image](i.png).",
    "| a | b |\n|---|---|\n| *one* | two |\n| three | [four](f.html) |",
    "> quoted *words*\n>\n> > deeper\n\n- a *list*\n- of\n\n  two paragraphs\n\n1. and `numbers`",
    "```\npre  *formatted* <b>\n   text\n```\n\nA line  \nbreak, H~2~O, a footnote[^1].\n\n[^1]: The *note*.",
    "## A heading with *emphasis* <x>\n\nText <inaudible> & more, `a<b`\n\n---\n\n*a* " * 3,
    "<" * 50 + ">" * 50 + "\n\n" + ">" * 20 + " deep",
]


def test_search_indexes_the_same_text_from_a_body_without_its_dropped_tags(tmp_path) -> None:
    # The same entries, titles and words; only runs of spaces may differ (search splits words on them,
    # and a results list shows a run as one space).
    import json

    from material.plugins.search.plugin import SearchIndex

    def entries(index: SearchIndex) -> list[dict[str, str]]:
        return [{key: re.sub(r"\s+", " ", value) for key, value in entry.items()} for entry in index.entries]

    docs = tmp_path / "docs"
    docs.mkdir()
    bodies = {f"tok{n}x": str(render_markdown(body))[1:-1] for n, body in enumerate(BODIES)}  # without body marks
    bodies_file(docs).write_text(json.dumps({"token": "tok", "pages": {"a.md": bodies}}))
    for word, body in bodies.items():
        html = f"<h1 id=\"p\">P</h1>\n<p>{word}</p>\n<h2 id=\"next\">Next</h2>\n<p>after &lt;this&gt;</p>"
        page = SimpleNamespace(file=SimpleNamespace(src_uri="a.md"), meta={}, toc=[], url="p/", title="P")
        searched = SearchIndex()
        config = {"docs_dir": str(docs), "plugins": {"search": SimpleNamespace(search_index=searched)}}
        page.content = site_hooks.on_page_content(html, page, config, None)
        before, after = site_hooks.on_page_context.methods
        before({}, page=page, config=config, nav=None)
        assert site_hooks.for_search(body) in page.content
        searched.add_entry_from_context(page)
        after({}, page=page, config=config, nav=None)

        whole = SearchIndex()
        page.content = html.replace(f"<p>{word}</p>", body)
        whole.add_entry_from_context(page)
        assert entries(searched) == entries(whole), body
