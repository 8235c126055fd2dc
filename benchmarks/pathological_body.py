"""Time to turn pathological Markdown bodies into a page, as a ratio to plain prose of the same size.

Two stages, each timed once per body and reported as a ratio (absolute times
depend on the machine):

- render: our renderer (cmark-gfm, then the sanitiser), body to HTML;
- page: the site stage's share, setting the body aside from MkDocs'
  Markdown pass, that pass over what is left, and the hook putting it back;
- build: `generator build` of one LA's site from a small study (the test
  fixture) whose code document has that body, end to end in a new process
  (check, compute, render, MkDocs, leak scan, publish).

The plain body is prose in paragraphs, as a transcript is written. The
promise: every pathological body's build at most 2 times the plain one's.
Each build is run ``repeat`` times and the fastest kept (as timeit does), so
that other work on the machine does not pass for a cost of the body.
Usage: python benchmarks/pathological_body.py [size in bytes, default 2 MB] [repeat, default 3]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import markdown

from generator import site_hooks
from generator.render.markdown import render_markdown
from generator.site import set_bodies_aside

SENTENCE = "The team met the family twice a week and wrote down what changed. "
UNITS = {
    "nested [": "[",
    "nested (": "(",
    "unclosed ![": "![",
    "[x]( repeated": "[x](",
    "nested *": "*",
    "nested _": "_",
    "backticks": "`",
    "nested <": "<",
    "nested >": ">",
    "ampersands": "&",
    "straight quotes": '"',
    "table rows": "|x|y|\n",
    "[[x]] repeated": "[[x]]",
    "links in one paragraph": "[a](b.html) ",
    "emphasis in one paragraph": "*a* ",
    "one 2 MB paragraph of prose": SENTENCE,
}
ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "mini"
MKDOCS_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]


HEADS = {"|x|y|\n": "|a|b|\n|-|-|\n"}  # rows need a table's head


def body(unit: str, size: int) -> str:
    head = HEADS.get(unit, "")
    return head + (unit * (size // len(unit) + 1))[:size - len(head)]


def prose(size: int) -> str:
    paragraph = SENTENCE * 6 + "\n\n"
    return body(paragraph, size)


def timed(text: str) -> tuple[float, float, int]:
    """Seconds to render the body and for the page stage, and the rendered HTML's length."""
    start = time.perf_counter()
    html = render_markdown(text, page="sources/s.md")
    rendered = time.perf_counter()
    bodies: dict[str, str] = {}
    page = markdown.markdown(set_bodies_aside(f"# A source\n\n{html}\n", "token", bodies), extensions=MKDOCS_EXTENSIONS)
    site_hooks.put_back(page, site_hooks.words("token"), bodies)
    return rendered - start, time.perf_counter() - rendered, len(html)


def build_seconds(text: str, work: Path, repeat: int) -> float:
    """Fastest of ``repeat`` whole builds of one LA's site whose code document S1 has this body."""
    return min(_build_once(text, work) for _ in range(repeat))


def _build_once(text: str, work: Path) -> float:
    content = work / "content"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(FIXTURE, content)
    document = content / "codes" / "S1.md"
    head, _, _ = document.read_text(encoding="utf-8").partition("\n---\n")
    document.write_text(head + "\n---\n\n" + text + "\n", encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "build", str(content), "--la", "north",
                           "--out", str(work / "site"), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout}{done.stderr}")
    return seconds


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    timed("warm up")
    work = Path(tempfile.mkdtemp(prefix="pathological-"))
    plain = prose(size)
    plain_render, plain_mkdocs, plain_html = timed(plain)
    plain_build = build_seconds(plain, work, repeat)
    print(f"body size {size:,} bytes; time as a ratio to plain prose in paragraphs "
          f"(plain: render {plain_render:.2f} s, page {plain_mkdocs:.3f} s, build {plain_build:.1f} s; "
          f"builds: fastest of {repeat})")
    # html: the rendered body's length; a body that renders to more HTML (a table's rows) costs more in
    # every stage after the parse (sanitiser, MkDocs, leak scan), in proportion to that length
    print(f"{'body':30} {'render':>7} {'page':>7} {'build':>7} {'html':>7}")
    over = []
    for name, unit in UNITS.items():
        text = body(unit, size)
        render, mkdocs, html = timed(text)
        build = build_seconds(text, work, repeat) / plain_build
        if build > 2:
            over.append(f"{name} ({build:.2f}, its HTML {html / plain_html:.1f} times the plain body's)")
        print(f"{name:30} {render / plain_render:7.2f} {mkdocs / plain_mkdocs:7.2f} {build:7.2f} "
              f"{html / plain_html:7.2f}")
    shutil.rmtree(work, ignore_errors=True)
    print("promise: every build at most 2 times the plain body's; over it: " + ("; ".join(over) or "none"))


if __name__ == "__main__":
    main()
