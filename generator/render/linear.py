"""Make an author's Markdown safe to parse: raw HTML can't form, and the output stays proportionate.

The parser (cmark-gfm) runs in time linear in its input. Two things are
still settled before it runs:

- Raw HTML. A transcript writes ``<inaudible>`` or ``<laughs>``; CommonMark
  would read those as HTML tags, and a safe renderer drops them, losing the
  words. Every ``<`` that does not open an autolink (``<https://...>``,
  ``<name@example.org>``) or a link destination (``](<...>)``) is replaced by a
  private-use stand-in the parser reads as a plain character; after
  conversion it is written back as a character reference, so the reader sees
  ``<inaudible>`` as text and no tag can form. (A ``>`` is written back as
  itself: in text it opens nothing, and it costs no reader a reference to decode.)
- Quote nesting. Each ``>`` at the start of a line opens one more blockquote;
  a line of thousands makes thousands of nested elements for the sanitiser
  and the browser. Markers beyond ``MAX_DEPTH`` become text.
"""

from __future__ import annotations

import re

MAX_DEPTH = 4

_STAND_INS = {"<": "\ue000", ">": "\ue001"}
LESS_THAN = _STAND_INS["<"]  # no text holds it after make_inert, so the site's search hook may use it too
_OWN = re.compile("[\ue000-\ue00f]")  # ours: these stand-ins, and the body marks of render.markdown
# CommonMark autolinks (a scheme of 2-32 characters, or an e-mail address) and `](<` destinations keep their `<`
_OPENER = re.compile(
    r"<(?![A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>)"
    r"(?![A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*>)"
)
_DESTINATION = re.compile(r"\]\(<")
_DEEP_QUOTE = re.compile(r"^((?:[ \t]*>){%d})((?:[ \t]*>)+)" % MAX_DEPTH, re.MULTILINE)


def make_inert(text: str) -> str:
    """The text with raw-HTML openers and quote markers deeper than MAX_DEPTH made plain characters."""
    text = _OWN.sub("\ufffd", text)  # an author's own private-use characters can't pose as stand-ins
    text = _DEEP_QUOTE.sub(lambda m: m.group(1) + m.group(2).replace(">", _STAND_INS[">"]), text)
    text = _DESTINATION.sub("](\ue002", text)  # shield `](<` from the opener rule for a moment
    text = _OPENER.sub(_STAND_INS["<"], text)
    return text.replace("\ue002", "<")


def restore(html: str) -> str:
    """Write the stand-ins back as the characters they stood for ('<' as a reference)."""
    return html.replace(_STAND_INS["<"], "&#60;").replace(_STAND_INS[">"], ">")
