"""Case reports and the cross-case report as Word documents, made by pandoc from the built pages.

A report's Word document is converted from the page MkDocs built (its
article only), so it carries exactly what that site's page carries, for that
audience, and nothing else; the build's leak scan then reads it like any
other file. Pandoc reads the HTML into its document tree, and this module
changes the tree before pandoc writes .docx:

* each "Source: ..." line of a table or chart becomes a footnote on it;
* charts are drawn again as PNG (Word cannot show SVG alone), with their alt text;
* links to other pages of the site keep their words but lose the link, which
  would point nowhere outside the site; links to other hosts stay;
* screen-reader-only words, heading anchors, chart data tables and download
  links are left out: the document has its own structure.

Documents are cached by their input (the page, the images, pandoc's version),
so a rebuild converts only the reports that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..charts.cache import ChartRegistry, draw_missing

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_DROP_BLOCKS = {"gen-chart-data", "gen-downloads"}
_DROP_INLINES = {"gen-sr-only", "headerlink"}
_NOTE = "gen-source-line"
EPOCH = "946684800"  # 2000-01-01: pandoc stamps documents with SOURCE_DATE_EPOCH, so equal input gives equal bytes


@dataclass(frozen=True)
class WordReport:
    """One report page to convert: its built HTML and where its .docx goes."""

    html: Path
    docx: Path
    title: str


def word_path(page_path: str) -> str:
    """Where a page's Word document sits, beside the page: case-reports/x.md -> case-reports/x.docx."""
    return page_path[:-3] + ".docx"


def pandoc_version() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_version())


def write_reports(reports: list[WordReport], charts: ChartRegistry, cache: Path, workers: int | None = None) -> int:
    """Write every report's .docx; return how many were converted (the rest came from the cache)."""
    if not reports:
        return 0
    pngs = ChartRegistry()
    for name, data in charts.charts.items():
        pngs.charts[name] = replace(data, fmt="png")
    wanted = {name for report in reports for name in _chart_names(report.html.read_text(encoding="utf-8"))}
    needed = ChartRegistry({pngs.add(pngs.charts[name]): pngs.charts[name] for name in wanted if name in pngs.charts})
    images = cache / "charts"
    draw_missing(needed, images, workers)
    png_of = {name: pngs.add(pngs.charts[name]) for name in wanted if name in pngs.charts}
    word_cache = cache / "word"
    word_cache.mkdir(parents=True, exist_ok=True)
    # the converter's own code is part of the input: a fix here converts every report again
    version = pandoc_version() + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

    def one(report: WordReport) -> bool:
        html = report.html.read_text(encoding="utf-8")
        found = _ARTICLE.search(html)
        article = found.group(1) if found else html
        used = sorted(n for n in _chart_names(article) if n in png_of)
        key = hashlib.sha256(json.dumps([version, report.title, article, [png_of[n] for n in used]]).encode())
        cached = word_cache / f"{key.hexdigest()[:24]}.docx"
        converted = False
        if not cached.is_file():
            _convert(article, report.title, {n: images / png_of[n] for n in used}, report.html.parent, cached)
            converted = True
        shutil.copyfile(cached, report.docx)
        return converted

    with ThreadPoolExecutor(max_workers=max(1, min(len(reports), workers or os.cpu_count() or 1))) as pool:
        return sum(pool.map(one, reports))


def _chart_names(html: str) -> set[str]:
    return set(re.findall(r'src="[^"]*assets/charts/([0-9a-f]+\.svg)"', html))


def _prepare(article: str) -> str:
    """Our own markup made plain for pandoc's reader: the elements it would flatten become divisions."""
    article = re.sub(r'<details class="gen-chart-data">', '<div class="gen-chart-data">', article)
    article = article.replace("</details>", "</div>")
    article = re.sub(r'<p class="(gen-source-line|gen-downloads)">(.*?)</p>', r'<div class="\1">\2</div>', article,
                     flags=re.S)
    return article


def _pandoc(*args: str, given: bytes) -> bytes:
    import subprocess

    import pypandoc

    result = subprocess.run([pypandoc.get_pandoc_path(), *args], input=given, capture_output=True, timeout=300,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pandoc failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def _convert(article: str, title: str, pngs: dict[str, Path], page_dir: Path, target: Path) -> None:
    tree = json.loads(_pandoc("--from=html", "--to=json", given=_prepare(article).encode("utf-8")))
    tree["blocks"], heading = _without_first_heading(_blocks(tree["blocks"], {n: Path(_plain_name(n)) for n in pngs}))
    tree.setdefault("meta", {})["title"] = {"t": "MetaInlines", "c": heading or [{"t": "Str", "c": title}]}
    with tempfile.TemporaryDirectory() as folder:
        partial = Path(folder) / "report.docx"
        # pandoc records an image's path in the document: give it a plain name, never a path on this machine
        for name, png in pngs.items():
            shutil.copyfile(png, Path(folder) / _plain_name(name))
        _pandoc("--from=json", "--to=docx", f"--output={partial}", f"--resource-path={folder}:{page_dir}",
                given=json.dumps(tree).encode("utf-8"))
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{id(tree)}")
        shutil.copyfile(partial, temporary)
        os.replace(temporary, target)  # never a half-written document in the cache


def _plain_name(svg_name: str) -> str:
    return "chart-" + svg_name.rsplit(".", 1)[0][:12] + ".png"


def _without_first_heading(blocks: list[Any]) -> tuple[list[Any], list[Any]]:
    """The blocks without the page's h1, and its words: the document's title (pandoc writes it as Title), not twice."""
    for index, block in enumerate(blocks):
        if block["t"] == "Header" and block["c"][0] == 1:
            return blocks[:index] + blocks[index + 1:], block["c"][2]
    return blocks, []


def _classes(node: dict[str, Any]) -> list[str]:
    if node["t"] == "Header":
        return list(node["c"][1][1])
    return list(node["c"][0][1]) if node["t"] in ("Div", "Span", "Link", "Figure", "Table", "Image") else []


def _blocks(blocks: list[Any], pngs: dict[str, Path]) -> list[Any]:
    out: list[Any] = []
    for block in blocks:
        kind = block["t"]
        classes = _classes(block)
        if kind == "Div" and _DROP_BLOCKS & set(classes):
            continue
        if kind == "Div" and _NOTE in classes:
            note = {"t": "Note", "c": [{"t": "Para", "c": _inlines(_flatten(block["c"][1]), pngs)}]}
            if not _attach(out, note):
                out.append({"t": "Para", "c": [note]})
            continue
        if kind == "Div":
            out.extend(_blocks(block["c"][1], pngs))  # the division itself means nothing in Word
            continue
        out.append(_walk_block(block, pngs))
    return out


def _attach(out: list[Any], note: dict[str, Any]) -> bool:
    """Put a source footnote on the table, figure or paragraph just before it."""
    if not out:
        return False
    last = out[-1]
    if last["t"] in ("Para", "Plain"):
        last["c"].append(note)
        return True
    if last["t"] in ("Table", "Figure"):
        caption = last["c"][1]  # [short caption, blocks]
        if caption[1] and caption[1][-1]["t"] in ("Para", "Plain"):
            caption[1][-1]["c"].append(note)
        else:
            caption[1].append({"t": "Plain", "c": [note]})
        return True
    return False


def _flatten(blocks: list[Any]) -> list[Any]:
    inlines: list[Any] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            if inlines:
                inlines.append({"t": "Space"})
            inlines.extend(block["c"])
    return inlines


def _walk_block(block: dict[str, Any], pngs: dict[str, Path]) -> dict[str, Any]:
    kind = block["t"]
    if kind in ("Para", "Plain"):
        return {"t": kind, "c": _inlines(block["c"], pngs)}
    if kind == "Header":
        level, attr, inlines = block["c"]
        return {"t": kind, "c": [level, attr, _inlines(inlines, pngs)]}
    if kind in ("BulletList",):
        return {"t": kind, "c": [_blocks(item, pngs) for item in block["c"]]}
    if kind == "OrderedList":
        return {"t": kind, "c": [block["c"][0], [_blocks(item, pngs) for item in block["c"][1]]]}
    if kind == "BlockQuote":
        return {"t": kind, "c": _blocks(block["c"], pngs)}
    if kind == "Figure":
        attr, caption, content = block["c"]
        content = _blocks(content, pngs)
        caption = [caption[0], _caption_blocks(caption[1], pngs)]
        return {"t": kind, "c": [attr, caption, content]}
    if kind == "Table":
        attr, caption, specs, head, bodies, foot = block["c"]
        caption = [caption[0], _caption_blocks(caption[1], pngs)]
        return {"t": kind, "c": [attr, caption, specs, _rows_part(head, pngs),
                                 [_body(b, pngs) for b in bodies], _rows_part(foot, pngs)]}
    if kind == "DefinitionList":
        return {"t": kind, "c": [[_inlines(term, pngs), [_blocks(d, pngs) for d in defs]] for term, defs in block["c"]]}
    return block


def _caption_blocks(blocks: list[Any], pngs: dict[str, Path]) -> list[Any]:
    """A caption's blocks, with a source line inside it turned into a footnote on the caption."""
    walked: list[Any] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            walked.append({"t": block["t"], "c": _inlines(block["c"], pngs)})
        else:
            walked.append(block)
    return walked


def _rows_part(part: list[Any], pngs: dict[str, Path]) -> list[Any]:
    attr, rows = part
    return [attr, [_row(row, pngs) for row in rows]]


def _body(body: list[Any], pngs: dict[str, Path]) -> list[Any]:
    attr, heads, head_rows, rows = body
    return [attr, heads, [_row(r, pngs) for r in head_rows], [_row(r, pngs) for r in rows]]


def _row(row: list[Any], pngs: dict[str, Path]) -> list[Any]:
    attr, cells = row
    return [attr, [[c[0], c[1], c[2], c[3], _blocks(c[4], pngs)] for c in cells]]


def _inlines(inlines: list[Any], pngs: dict[str, Path]) -> list[Any]:
    out: list[Any] = []
    for inline in inlines:
        kind = inline["t"]
        classes = _classes(inline)
        if _DROP_INLINES & set(classes):
            continue
        if kind == "Span" and _NOTE in classes:
            out.append({"t": "Note", "c": [{"t": "Para", "c": _inlines(inline["c"][1], pngs)}]})
            continue
        if kind == "Span":
            out.extend(_inlines(inline["c"][1], pngs))
            continue
        if kind == "Link":
            attr, words, (url, title) = inline["c"]
            words = _inlines(words, pngs)
            if url.startswith(("https://", "http://", "mailto:")):
                out.append({"t": "Link", "c": [attr, words, [url, title]]})
            else:
                out.extend(words)  # a page of the site: nowhere to go from a Word document
            continue
        if kind == "Image":
            attr, alt, (src, title) = inline["c"]
            name = src.rsplit("/", 1)[-1]
            if name in pngs:
                src = str(pngs[name])
            elif not src.startswith(("http://", "https://")) and "://" not in src:
                pass  # an image of the site, found beside the page (--resource-path)
            else:
                continue  # another host's image: a document fetches nothing
            out.append({"t": "Image", "c": [attr, alt, [src, title]]})
            continue
        if kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append({"t": kind, "c": _inlines(inline["c"], pngs)})
            continue
        if kind == "Quoted":
            out.append({"t": kind, "c": [inline["c"][0], _inlines(inline["c"][1], pngs)]})
            continue
        out.append(inline)
    return out
