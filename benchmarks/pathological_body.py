"""Render time of pathological Markdown bodies, as a ratio to a plain prose body of the same size.

One run each, ratios only (absolute times depend on the machine). The promise: every
ratio at most 2. Usage: python benchmarks/pathological_body.py [size in bytes, default 2 MB]
"""

from __future__ import annotations

import sys
import time

from generator.render.markdown import render_markdown

PROSE = "The team met the family twice a week and wrote down what changed. "
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
    "[[x]] repeated": "[[x]]",
    "links in one paragraph": "[a](b.html) ",
    "emphasis in one paragraph": "*a* ",
}


def body(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def seconds(text: str) -> float:
    start = time.perf_counter()
    render_markdown(text)
    return time.perf_counter() - start


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    prose = body(PROSE, size)
    render_markdown("warm up")
    plain = seconds(prose)
    print(f"body size {size:,} bytes; ratio of render time to plain prose")
    for name, unit in UNITS.items():
        print(f"{name:28} {seconds(body(unit, size)) / plain:6.2f}")


if __name__ == "__main__":
    main()
