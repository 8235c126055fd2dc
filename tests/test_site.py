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


def test_a_second_site_in_the_same_process_reuses_the_compiled_theme_and_is_the_same(tmp_path, monkeypatch) -> None:
    import jinja2

    from generator.render.environment import TEMPLATES
    from generator.site import SiteSpec, build_site, write_docs
    from generator.render.pages import Page

    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(name or "")
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    from generator.site import THEME_BYTECODE

    # as a new process starts on a machine that never built a site: nothing in memory, nothing on disk
    monkeypatch.setattr(THEME_BYTECODE, "_code", {})
    monkeypatch.setattr(THEME_BYTECODE, "disk", None)

    def one(key: str) -> tuple[int, str]:
        docs = tmp_path / key / "docs"
        write_docs([Page("index.md", "Home", "# Home\n\nSome words.\n")], docs)
        before = len(compiled)
        build_site(SiteSpec(key=key, name="A site", base_config=TEMPLATES / "mkdocs.yml", docs_dir=docs,
                            site_dir=tmp_path / key / "site", nav=[{"Home": "index.md"}]))
        return len(compiled) - before, (tmp_path / key / "site" / "index.html").read_text(encoding="utf-8")

    first, first_page = one("a")
    second, second_page = one("b")
    assert first > 20  # Material's templates, compiled once
    # only what Material compiles outside the theme's environment (its search plugin reads its language
    # partial through a Jinja environment of its own)
    assert second <= first // 5
    assert first_page == second_page


def test_an_edited_template_is_compiled_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import jinja2

    from generator.render.bytecode import CompiledTemplates

    sources = {"page.html": "one {{ 1 + 1 }}"}
    for disk in (None, jinja2.FileSystemBytecodeCache(str(tmp_path))):
        sources["page.html"] = "one {{ 1 + 1 }}"
        for expected in ("one 2", "two 3"):
            cache = CompiledTemplates(disk)  # a new process each time: only the disk is shared
            env = jinja2.Environment(loader=jinja2.FunctionLoader(lambda name: sources[name]), bytecode_cache=cache)
            assert env.get_template("page.html").render() == expected
            sources["page.html"] = "two {{ 1 + 2 }}"


def test_a_new_process_reads_the_compiled_templates_from_the_per_user_folder(tmp_path) -> None:
    import jinja2

    from generator.render.bytecode import CompiledTemplates

    compiled: list[str] = []

    class Counting(jinja2.Environment):
        def _compile(self, source, filename):  # type: ignore[no-untyped-def]
            compiled.append(filename)
            return super()._compile(source, filename)

    disk = jinja2.FileSystemBytecodeCache(str(tmp_path))
    for _ in range(2):
        env = Counting(loader=jinja2.DictLoader({"page.html": "{{ 6 * 7 }}"}), bytecode_cache=CompiledTemplates(disk))
        assert env.get_template("page.html").render() == "42"
    assert len(compiled) == 1 and len(list(tmp_path.iterdir())) == 1


def test_the_colour_scheme_toggle_speaks_the_sites_language(tmp_path) -> None:
    from generator.render.environment import TEMPLATES
    from generator.site import _palette_in

    assert _palette_in(TEMPLATES / "mkdocs.yml", "en") is None  # English: the file's own words
    names = [scheme["toggle"]["name"] for scheme in _palette_in(TEMPLATES / "mkdocs.yml", "cy") or []]
    assert names == ["Newid i'r modd tywyll", "Newid i'r modd golau"]
    own = tmp_path / "mkdocs.yml"
    own.write_text("INHERIT: other.yml\n", encoding="utf-8")
    assert _palette_in(own, "cy") is None  # a project's own file without a palette is left alone
