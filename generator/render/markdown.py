"""Render an author's Markdown to HTML safely.

Content is data, never code. Every piece of HTML made from content goes
through one sanitiser (nh3, the binding to the Ammonia library) with an
allowlist of the tags and attributes our pages need, and one address
filter: links stay inside the site (external web links only when the
project allows them), images are never fetched from another host, and
nothing can climb above the site's root. Raw HTML in a body is shown as
text, and Jinja syntax is left alone because bodies are never run through
a template engine.

The HTML is marked as a rendered body: the site stage keeps it out of
MkDocs' own Markdown pass, so MkDocs can form nothing new in it. Plain
values that templates print (titles, fields) do go through that pass, so
the characters Markdown would act on in them are written as character
references (``inert_text``).
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
import unicodedata
from urllib.parse import unquote, urlsplit

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

from .linear import make_inert, restore

# A rendered body is marked so that the site stage can keep it out of MkDocs' own Markdown pass
# (generator/site.py): MkDocs then never reads an author's HTML, so nothing can form in it, and
# its HTML parser (slow per character reference) never sees it.
BODY_START, BODY_END = "\ue00e", "\ue00f"

# The tags and attributes our pages need, and nothing else.
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td", "a", "img", "em", "strong", "code", "pre",
    "blockquote", "hr", "br", "sup", "span", "div", "section",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id", "aria-label"},
    "section": {"class"},
    "img": {"src", "alt", "title"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "sup": {"id"},
    "li": {"id"},
    "th": {"style"},
    "td": {"style"},
}
_REL = "noopener noreferrer"
_CLASS = re.compile(r"^[A-Za-z][\w-]*( [A-Za-z][\w-]*)*$")
_FOOTNOTE_ID = re.compile(r"^fn(ref)?-[\w-]+$")  # cmark-gfm's footnote ids: fn-1, fnref-1
_DANGEROUS_SCHEMES = ("javascript", "vbscript", "data", "file")


def _folded_address(value: str) -> str:
    """The address as a browser would read it: references decoded, invisible and space characters dropped."""
    text = html_lib.unescape(value)
    for _ in range(3):  # percent-encoding hides a scheme only once a browser decodes it, but decode a few layers
        text = unquote(text)
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zs"})).lower()


def safe_address(value: str, *, page: str = "index.md", external_links: bool = False, image: bool = False) -> str | None:
    """Return the address if a page may use it, else None.

    Allowed: fragments, and relative addresses that stay inside the site from
    ``page`` (a path under the site's root); external https/http/mailto links only
    when the project allows them, never for images.
    """
    folded = _folded_address(value)
    if not folded:
        return None
    if any(folded.startswith(scheme + ":") for scheme in _DANGEROUS_SCHEMES):
        return None
    if folded.startswith(("//", "\\\\", "/\\", "\\/")) or "\\" in folded:
        return None  # protocol-relative: another host
    parts = urlsplit(folded)
    if parts.scheme or parts.netloc or ":" in folded.split("/", 1)[0].split("#", 1)[0].split("?", 1)[0]:
        if image or not external_links:
            return None
        if parts.scheme not in {"https", "http", "mailto"} or (parts.scheme != "mailto" and not parts.netloc):
            return None
        return value.strip()
    if folded.startswith("#"):
        return value.strip()
    if folded.startswith("/"):
        return None  # from the root of a shared drive, not of the site
    here = posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(here or ".", parts.path)) if parts.path else "."
    if target == ".." or target.startswith("../") or target.startswith("/"):
        return None
    return value.strip()


_AMPERSAND = "\ue003"


def sanitise_html(fragment: str, *, page: str = "index.md", external_links: bool = False) -> str:
    """The one sanitiser for HTML made from content: allowlisted tags and attributes, safe addresses."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in {"href", "src"}:  # checked as the browser will read it, with its '&' back
            kept = safe_address(value.replace(_AMPERSAND, "&"), page=page, external_links=external_links,
                                image=tag == "img")
            return None if kept is None else kept.replace("&", _AMPERSAND)
        if attribute == "class":
            return value if _CLASS.match(value) else None
        if attribute == "id":
            return value if _FOOTNOTE_ID.match(value) else None
        return value

    # nh3 0.3.8 takes time in the square of the number of '&' in a text: each '&amp;' goes through it as a
    # private-use character that no rendered text holds (render.linear replaces an author's) and comes back.
    aside = _AMPERSAND not in fragment
    if aside:
        fragment = fragment.replace("&amp;", _AMPERSAND)
    clean = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values={"a": {"rel": {_REL}}},
        attribute_filter=keep,
        link_rel=None,
        url_schemes={"https", "http", "mailto"},
        filter_style_properties={"text-align"},
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
    return clean.replace(_AMPERSAND, "&amp;") if aside else clean


# Characters MkDocs' Markdown would act on, written as character references
# (a table of characters, not a pattern: one pass in C however many there are).
_TEXT_ACTIVE = str.maketrans({**{char: f"&#{ord(char)};" for char in "\\`*_{}[]()!|~"},
                               BODY_START: "\ufffd", BODY_END: "\ufffd"})  # text can't pose as a rendered body


def inert_text(escaped: str) -> str:
    """Escaped text that Markdown reads back as the same characters (attribute lists, links and emphasis can't form)."""
    return escaped.translate(_TEXT_ACTIVE)


# GitHub's fork of cmark (cmarkgfm, as PyPI's own README renderer uses): CommonMark with tables and footnotes,
# parsed in time linear in the input, whatever it holds; its tests include the pathological inputs.
_OPTIONS = Options.CMARK_OPT_SMART | Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
_EXTENSIONS = ["table"]
_EXTERNAL_LINK = re.compile(r'<a href="(?:https?:|mailto:)[^"]*"')


def _to_html(text: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(make_inert(text), options=_OPTIONS, extensions=_EXTENSIONS)


def render_markdown(text: str, page: str = "index.md", external_links: bool = False) -> Markup:
    """Return the sanitised HTML for an author's Markdown on the page ``page`` (a path under the site root)."""
    html = sanitise_html(_to_html(text), page=page, external_links=external_links)
    if external_links:  # nh3 writes attributes in a fixed form, so external links are found by their start
        html = _EXTERNAL_LINK.sub(lambda m: f'{m.group(0)} rel="{_REL}"', html)
    return Markup(BODY_START + restore(html.strip()) + BODY_END)


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")  # the sanitiser writes headings bare (no attribute is allowed on them)


def fit_headings(html: str, under: int) -> str:
    """Return a rendered body with its headings fitted under a heading of level ``under`` (0: the page has none).

    An author writes a body once and the pages place it at different depths (an LA's description under the
    overview's title and under a section of the case report). Its heading levels keep their order but are
    renumbered from ``under`` + 1 with no level skipped, so a page's outline never jumps (h1 then h3) or puts
    a second h1 in the body; levels beyond 6 stay 6. A heading in a code block is text and is left alone.
    """
    tags = _HEADING_TAG.findall(html)
    if sorted(level for close, level in tags if close) != sorted(level for close, level in tags if not close):
        return html  # a heading written with attributes (not an author's): its tags can't be renumbered in pairs
    levels = sorted({int(level) for _, level in tags})
    fitted = {level: min(6, under + 1 + rank) for rank, level in enumerate(levels)}
    if all(fitted[level] == level for level in levels):
        return html
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{fitted[int(m.group(2))]}>", html)


def plain_text(text: str) -> str:
    """Return Markdown reduced to plain text (for matrix previews and alt text): what a reader sees, no markup."""
    html = nh3.clean(_to_html(text).replace("&amp;", _AMPERSAND), tags=set(), clean_content_tags={"script", "style"})
    html = html.replace(_AMPERSAND, "&amp;")
    return " ".join(html_lib.unescape(restore(html)).split())


def preview(text: str, limit: int = 140) -> str:
    """Return the opening of a summary: its first sentence, cut at a word within ``limit``."""
    flat = plain_text(text)
    match = re.match(r"(.+?[.!?])(\s|$)", flat)
    first = match.group(1) if match else flat
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
