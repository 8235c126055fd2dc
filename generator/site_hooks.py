"""MkDocs hook: put each page's rendered bodies back after MkDocs' Markdown pass.

generator/site.py wrote every body (an author's Markdown, already rendered and
sanitised) to a file beside the docs and left a plain word in its place. Here,
once MkDocs has made the page's HTML and before search indexes it, each word
becomes its body again. A paragraph holding only the word was the body's own
block, so the paragraph goes with it.

Search reads each body without the tags its index drops anyway (emphasis,
links, table cells...): Material's search parser handles every tag in Python,
and a body of half a million emphasised words would otherwise cost it more than
the rest of the build. A '<' in a body is read as render.linear's stand-in
for it rather than as a reference, which the parser would decode in Python one
by one, and the index's entries for the page get it back as '&lt;'. The index
it writes is the same; the page keeps the whole body.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from mkdocs.plugins import CombinedEvent, event_priority

from generator.render.linear import LESS_THAN  # (MkDocs loads this file by its path, not as part of the package)
from generator.site import THEME_BYTECODE

# tags Material's search parser drops while keeping their text (it keeps p, pre, code, lists, sub and sup,
# makes sections of headings with ids, and skips script, style and object), and void tags it ignores
_DROPPED_BY_SEARCH = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|blockquote|br|cite|del|dfn|div|em|hr|i|img|ins|kbd|mark|q|s|samp|section|small|span|"
    r"strong|table|tbody|td|tfoot|th|thead|tr|u|var|wbr)\b[^<>]*>")


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple[int, int]) -> tuple[str, dict[str, dict[str, str]]]:
    table = json.loads(path.read_text(encoding="utf-8"))
    return table["token"], table["pages"]


def words(token: str) -> re.Pattern[str]:
    """The words standing for bodies: alone in a paragraph (the body's own block) or inline."""
    return re.compile(f"<p>({token}\\d+x)</p>|({token}\\d+x)")


def put_back(html: str, pattern: re.Pattern[str], own: dict[str, str]) -> str:
    """The page's HTML with each of its own words replaced by its body; any other word stays a word."""
    return pattern.sub(lambda m: own.get(m.group(1) or m.group(2), m.group(0)), html)


def _bodies(docs_dir: str) -> tuple[str, dict[str, dict[str, str]]]:
    path = Path(docs_dir)
    path = path.parent / f"{path.name}.bodies.json"
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "", {}
    return _read(path, (stat.st_mtime_ns, stat.st_size))  # a new build's file is read afresh


def for_search(body: str) -> str:
    """The body as Material's search index reads it: no tags the index drops, '<' as a plain character."""
    return _DROPPED_BY_SEARCH.sub("", body).replace("&#60;", LESS_THAN).replace("&lt;", LESS_THAN)


def _search_entries(config: Any) -> list[dict[str, Any]] | None:
    for plugin in (config.get("plugins") or {}).values():
        index = getattr(plugin, "search_index", None)
        if isinstance(getattr(index, "entries", None), list):
            return index.entries
    return None


_INDEXED_BEFORE: dict[str, int] = {}  # page -> how many search entries there were before it was indexed


def _marked(token: str) -> re.Pattern[str]:
    """A body between two comments naming its word, as on_page_content leaves it for search."""
    return re.compile(f"<!--({token}\\d+x)-->.*?<!--\\1-->", re.DOTALL)


_KEPT: dict[str, list[Any]] = {}  # site folder -> its documentation files, while a dirty build runs


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.bytecode_cache = THEME_BYTECODE  # the theme compiled once per process, not once per site
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    if any(page.markdown is None for page in pages):  # a dirty build (reuse.py) kept these pages as they were
        for page in pages:
            if page.markdown is None:
                page.read_source(config)  # their titles and front-matter, for the navigation of the pages built
        _KEPT[str(config["site_dir"])] = pages
    return env


@event_priority(100)  # before search writes its index
def on_post_build(config: Any) -> None:
    """In a dirty build, the search entries of the pages kept, from the index they were published with,
    put in the place a full build gives them (page order), among the new entries of the pages built."""
    pages = _KEPT.pop(str(config["site_dir"]), None)
    entries = _search_entries(config)
    if pages is None or entries is None:
        return
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    published: dict[str, list[Any]] = {}
    for entry in json.loads(index.read_text(encoding="utf-8"))["docs"]:
        published.setdefault(entry["location"].split("#")[0], []).append(entry)
    built: dict[str, list[Any]] = {}
    for entry in entries:
        built.setdefault(entry["location"].split("#")[0], []).append(entry)
    entries[:] = [entry for page in pages
                  for entry in (built if page.content is not None else published).get(page.url, [])]


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    token, pages = _bodies(str(config["docs_dir"]))
    own = pages.get(page.file.src_uri)
    if not token or not own:
        return html
    return put_back(html, words(token), {word: f"<!--{word}-->{body}<!--{word}-->" for word, body in own.items()})


def _swap(page: Any, config: Any, body: Any) -> None:
    token, pages = _bodies(str(config["docs_dir"]))
    own = pages.get(page.file.src_uri)
    if token and own:
        page.content = _marked(token).sub(lambda m: body(m.group(1), own[m.group(1)]) if m.group(1) in own
                                          else m.group(0), page.content)


@event_priority(100)  # before search indexes the page
def _bodies_for_search(context: Any, page: Any, config: Any, nav: Any) -> Any:
    entries = _search_entries(config)
    if entries is not None:
        _INDEXED_BEFORE[page.file.src_uri] = len(entries)
    _swap(page, config, lambda word, body: f"<!--{word}-->{for_search(body)}<!--{word}-->")
    return context


@event_priority(-100)  # after search has indexed it, before the page is written: whole bodies, no comments
def _whole_bodies(context: Any, page: Any, config: Any, nav: Any) -> Any:
    _swap(page, config, lambda word, body: body)
    entries, before = _search_entries(config), _INDEXED_BEFORE.pop(page.file.src_uri, None)
    for entry in (entries or [])[before:] if before is not None else []:
        for key in ("title", "text"):
            if isinstance(entry.get(key), str):
                entry[key] = entry[key].replace(LESS_THAN, "&lt;")
    return context


on_page_context = CombinedEvent(_bodies_for_search, _whole_bodies)
