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
    return re.compile(f"<p>({table['token']}\\d+x)</p>|({table['token']}\\d+x)"), table["pages"]


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
    # a word that isn't this page's own (copied by hand, say) stays a word: nothing else is put in
    return pattern.sub(lambda m: own.get(m.group(1) or m.group(2), m.group(0)), html)
