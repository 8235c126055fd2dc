"""Render an author's Markdown to HTML safely.

Content is data, never code. Every piece of HTML made from content goes
through one sanitiser (nh3, the binding to the Ammonia library) with an
allowlist of the tags and attributes our pages need, and one address
filter: links stay inside the site (external web links only when the
project allows them), images are never fetched from another host, and
nothing can climb above the site's root. Raw HTML in a body is shown as
text, and Jinja syntax is left alone because bodies are never run through
a template engine.

The HTML goes into generated pages that MkDocs reads as Markdown again, so
characters Markdown would act on (attribute lists `{: ...}`, links,
emphasis) are written as character references: MkDocs can form nothing new
from them.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as etree
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .linear import bound_paragraphs, restore, tame_nesting

# The tags and attributes our pages need, and nothing else.
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td", "a", "img", "em", "strong", "code", "pre",
    "blockquote", "hr", "br", "sup", "span", "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
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
_FOOTNOTE_ID = re.compile(r"^fn(ref)?(\d+)?:[\w-]+$")
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


def _is_external(value: str) -> bool:
    return bool(urlsplit(_folded_address(value)).scheme)


def sanitise_html(fragment: str, *, page: str = "index.md", external_links: bool = False) -> str:
    """The one sanitiser for HTML made from content: allowlisted tags and attributes, safe addresses."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in {"href", "src"}:
            return safe_address(value, page=page, external_links=external_links, image=tag == "img")
        if attribute == "class":
            return value if _CLASS.match(value) else None
        if attribute == "id":
            return value if _FOOTNOTE_ID.match(value) else None
        return value

    return nh3.clean(
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


# Characters MkDocs' Markdown would act on, written as character references.
_MARKDOWN_ACTIVE = re.compile(r"[\\`*_{}\[\]()!|~+]|(?<!&)#")


def inert_for_markdown(fragment: str) -> str:
    """HTML that a second Markdown pass (MkDocs) reads back unchanged."""
    return _MARKDOWN_ACTIVE.sub(lambda m: f"&#{ord(m.group(0))};", fragment)


_TEXT_ACTIVE = re.compile(r"[\\`*_{}\[\]()!|~]")


def inert_text(escaped: str) -> str:
    """Escaped text that Markdown reads back as the same characters (attribute lists, links and emphasis can't form)."""
    return _TEXT_ACTIVE.sub(lambda m: f"&#{ord(m.group(0))};", escaped)


class _LinkPolicy(Treeprocessor):
    """Drop addresses a page may not use, and mark external links as such."""

    page = "index.md"
    external_links = False

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is None:
                    continue
                safe = safe_address(value, page=self.page, external_links=self.external_links, image=element.tag == "img")
                if safe is None:
                    del element.attrib[attribute]
                elif element.tag == "a" and _is_external(safe):
                    element.set("rel", _REL)


class _SafeMarkdown(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_LinkPolicy(md), "link_policy", 0)


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[_SafeMarkdown(), "tables", "fenced_code", "sane_lists", "smarty", "footnotes"],
        output_format="html",
    )


_CONVERTER: markdown.Markdown | None = None


def _link_policy(converter: markdown.Markdown) -> Any:
    return converter.treeprocessors["link_policy"]


def render_markdown(text: str, page: str = "index.md", external_links: bool = False) -> Markup:
    """Return the sanitised HTML for an author's Markdown on the page ``page`` (a path under the site root)."""
    global _CONVERTER
    if _CONVERTER is None:  # building the converter costs more than converting a page
        _CONVERTER = _converter()
    policy = _link_policy(_CONVERTER)
    policy.page, policy.external_links = page, external_links
    html = _CONVERTER.reset().convert(tame_nesting(bound_paragraphs(text)))
    return Markup(restore(inert_for_markdown(sanitise_html(html, page=page, external_links=external_links))))


def plain_text(text: str) -> str:
    """Return Markdown reduced to plain text (for matrix previews and alt text)."""
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_]{1,3}([^*_]+)[*_]{1,3}", r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    return " ".join(text.split())


def preview(text: str, limit: int = 140) -> str:
    """Return the opening of a summary: its first sentence, cut at a word within ``limit``."""
    flat = plain_text(text)
    match = re.match(r"(.+?[.!?])(\s|$)", flat)
    first = match.group(1) if match else flat
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
