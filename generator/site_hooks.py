"""MkDocs hook: put each page's rendered bodies back after MkDocs' Markdown pass.

generator/site.py wrote every body (an author's Markdown, already rendered and
sanitised) to a file beside the docs and left a plain word in its place. Here,
once MkDocs has made the page's HTML and before search indexes it, each word
becomes its body again. A paragraph holding only the word was the body's own
block, so the paragraph goes with it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple[int, int]) -> tuple[re.Pattern[str] | None, dict[str, dict[str, str]]]:
    table = json.loads(path.read_text(encoding="utf-8"))
    return words(table["token"]), table["pages"]


def words(token: str) -> re.Pattern[str]:
    """The words standing for bodies: alone in a paragraph (the body's own block) or inline."""
    return re.compile(f"<p>({token}\\d+x)</p>|({token}\\d+x)")


def put_back(html: str, pattern: re.Pattern[str], own: dict[str, str]) -> str:
    """The page's HTML with each of its own words replaced by its body; any other word stays a word."""
    return pattern.sub(lambda m: own.get(m.group(1) or m.group(2), m.group(0)), html)


def _bodies(docs_dir: str) -> tuple[re.Pattern[str] | None, dict[str, dict[str, str]]]:
    path = Path(docs_dir)
    path = path.parent / f"{path.name}.bodies.json"
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None, {}
    return _read(path, (stat.st_mtime_ns, stat.st_size))  # a new build's file is read afresh


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    pattern, pages = _bodies(str(config["docs_dir"]))
    own = pages.get(page.file.src_uri)
    if pattern is None or not own:
        return html
    return put_back(html, pattern, own)
