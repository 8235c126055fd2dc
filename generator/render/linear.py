"""Keep Markdown parsing linear on pathological input.

Python-Markdown finds the end of a link's text by scanning forward from every
`[` (``LinkInlineProcessor.getText``) and the end of its address from every
`](` (``getLink``), each time to the end of the paragraph when nothing closes
it: a body of nested or unclosed `[` or `(` costs time growing with the square
of its length (30 KB of `[` took 28 s). Before conversion, brackets and
parentheses opened deeper than ``MAX_DEPTH`` within a paragraph are replaced by
private-use stand-ins Markdown never reads; after conversion the stand-ins are
written back as character references. So at most ``MAX_DEPTH`` scans can cover
any character, whatever the input, and ordinary links (nested two or three
deep at most) are untouched.

Python-Markdown also does work growing with the square of the number of
inline elements in one paragraph (emphasis, links). So a paragraph longer
than ``MAX_PARAGRAPH`` characters is broken into paragraphs of at most that
length, at a space where there is one: the cost per paragraph is then
bounded and the whole body's cost grows linearly. Ordinary paragraphs are
far shorter and untouched.
"""

from __future__ import annotations

import re

MAX_DEPTH = 4
MAX_PARAGRAPH = 2_000

_STAND_INS = {"[": "\ue000", "]": "\ue001", "(": "\ue002", ")": "\ue003", ">": "\ue004"}
_BACK = {stand_in: f"&#{ord(char)};" for char, stand_in in _STAND_INS.items()}
_TOKENS = re.compile(r"[\[\]()]|\n[ \t]*\n")
_OWN = re.compile("[\ue000-\ue004]")
_RESTORE = re.compile("[\ue000-\ue004]")
# quote markers at the start of a line beyond MAX_DEPTH: each level re-parses the rest of the paragraph
_DEEP_QUOTE = re.compile(r"^((?:[ \t]*>){%d})((?:[ \t]*>)+)" % MAX_DEPTH, re.MULTILINE)


def tame_nesting(text: str) -> str:
    """The text with brackets and parentheses nested deeper than MAX_DEPTH made inert for Markdown."""
    text = _OWN.sub("\ufffd", text)  # an author's own private-use characters can't pose as stand-ins
    text = _DEEP_QUOTE.sub(lambda m: m.group(1) + m.group(2).replace(">", _STAND_INS[">"]), text)
    pieces: list[str] = []
    depth = {"[": 0, "(": 0}
    inert_open = {"[": [], "(": []}  # per open bracket, whether it was made inert (to match its close)
    start = 0
    for match in _TOKENS.finditer(text):
        token = match.group(0)
        if token[0] == "\n":  # a blank line ends the paragraph: nothing stays open across it
            depth = {"[": 0, "(": 0}
            inert_open = {"[": [], "(": []}
            continue
        kind = "[" if token in "[]" else "("
        if token in "[(":
            inert = depth[kind] >= MAX_DEPTH
            depth[kind] += 1
            inert_open[kind].append(inert)
        else:
            inert = inert_open[kind].pop() if inert_open[kind] else False
            depth[kind] = max(0, depth[kind] - 1)
        if inert:
            pieces.append(text[start:match.start()])
            pieces.append(_STAND_INS[token])
            start = match.end()
    pieces.append(text[start:])
    return "".join(pieces)


_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def bound_paragraphs(text: str) -> str:
    """The text with every paragraph longer than MAX_PARAGRAPH broken (at spaces where possible)."""
    if len(text) <= MAX_PARAGRAPH:
        return text
    out: list[str] = []
    start = 0
    for match in [*_PARAGRAPHS.finditer(text), None]:
        end = match.start() if match else len(text)
        out.append(_break(text[start:end]))
        if match:
            out.append(match.group(0))
            start = match.end()
    return "".join(out)


def _break(paragraph: str) -> str:
    if len(paragraph) <= MAX_PARAGRAPH:
        return paragraph
    pieces = []
    start = 0
    while len(paragraph) - start > MAX_PARAGRAPH:
        window_end = start + MAX_PARAGRAPH
        cut = max(paragraph.rfind("\n", start + MAX_PARAGRAPH // 2, window_end),
                  paragraph.rfind(" ", start + MAX_PARAGRAPH // 2, window_end))
        cut = cut + 1 if cut > start else window_end
        pieces.append(paragraph[start:cut].rstrip())
        start = cut
    pieces.append(paragraph[start:])
    return "\n\n".join(pieces)


def restore(html: str) -> str:
    """Write the stand-ins back as the characters they stood for (as references)."""
    return _RESTORE.sub(lambda m: _BACK[m.group(0)], html)
