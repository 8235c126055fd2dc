"""The one place the Jinja environment is built.

Autoescaping is on for every template (generated pages are Markdown with
HTML blocks, and every value from content is data), undefined names fail
the build, and filters are registered here only. The environment is
sandboxed and immutable: a template can read the site's resolved model but
cannot reach private attributes or change what it is given.
"""

from __future__ import annotations

import datetime as dt
import html
import numbers
import posixpath
import re
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .bytecode import COMPILED
from .markdown import BODY_END, BODY_START, inert_text, render_markdown

TEMPLATES = Path(__file__).resolve().parents[1] / "site_templates"  # shipped inside the package

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md_text(value: object) -> Markup:
    """Escape a value for a Markdown line such as a heading: HTML first, then Markdown."""
    # quotes stay as they are: the heading is text, and the table of contents escapes it again
    escaped = html.escape(str(value), quote=False).replace(BODY_START, "\ufffd").replace(BODY_END, "\ufffd")
    return Markup(_MD_SPECIAL.sub(r"\\\1", escaped))


def number(value: object, places: int = 0, language: str = "en") -> str:
    """Format a number with thousands separators; a missing figure shows its symbol (blank: an en dash)."""
    from ..compute.missing import Missing, is_missing
    from .i18n import translate

    if isinstance(value, Missing):
        return value.symbol
    if is_missing(value):  # None, NaN or pandas NA (whose truth value raises)
        return "–"
    if isinstance(value, bool):
        return translate("yes", language) if value else translate("no", language)
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if places == 0 and float(value).is_integer():  # type: ignore[arg-type]
        return f"{int(value):,}"  # type: ignore[call-overload]
    return f"{float(value):,.{places or 1}f}"  # type: ignore[arg-type]


def long_date(value: dt.date | None, language: str = "en") -> str:
    """'5 March 2017', '5 Mawrth 2017': the day, the month's name and the year, with the month named as CLDR
    (through Babel) names it in ``language``; English as ``f"{day} {value:%B %Y}"`` writes it."""
    if value is None:
        return ""
    from babel.dates import format_date

    return format_date(value, "d MMMM y", locale=language)


def page_url(current: str, target: str, anchor: str | None = None) -> str:
    """Return the relative URL from the page ``current`` to the page ``target`` (both .md paths)."""
    html = target[:-3] + ".html" if target.endswith(".md") else target
    here = posixpath.dirname(current)
    link = posixpath.relpath(html, here or ".")
    return link + (f"#{anchor}" if anchor else "")


def finalize(value: object) -> object:
    """Every plain value a template prints is data: HTML-escaped and inert for MkDocs' Markdown pass.

    Markup (from `|md`, `|markdown`, macros) is already safe and left as it is.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(inert_text(html.escape(value, quote=True)))
    return value


def mark_terms(text: object, glossary: dict[str, str]) -> Markup:
    """Plain text, escaped and inert like any printed value, with each glossary term as an ``<abbr>``
    whose title is its meaning (Material shows it when a reader points at or focuses the term)."""
    done = finalize(str(text)) if not isinstance(text, Markup) else text
    if not glossary:
        return Markup(done)
    escaped = {finalize(term): finalize(meaning) for term, meaning in glossary.items()}
    pattern = re.compile(r"(?<![\w&#;])(" + "|".join(re.escape(t) for t in sorted(escaped, key=len, reverse=True))
                         + r")(?![\w])")
    return Markup(pattern.sub(lambda m: f'<abbr title="{escaped[m.group(1)]}">{m.group(1)}</abbr>', str(done)))


def terms_for(view: Any) -> Any:
    """``terms(text)`` for a site's templates: its project's glossary, in the site's language."""
    from functools import partial

    from .i18n import localised

    project = getattr(view, "project_doc", None)
    entries = project.model.glossary if project is not None else []
    return partial(mark_terms, glossary={e.term: localised(e, "meaning", view.language) for e in entries})


@pass_context
def markdown_filter(context: Any, text: str) -> Markup:
    """Render content Markdown through the one sanitiser, for the page being rendered."""
    view = context.get("view")
    external = bool(getattr(getattr(view, "project", None), "external_links", False))
    return render_markdown(text, page=context.get("current") or "index.md", external_links=external)


@lru_cache(maxsize=None)
def make_environment(templates: Path = TEMPLATES, language: str = "en") -> ImmutableSandboxedEnvironment:
    """The environment for pages in ``language``: ``_``, ``gettext`` and ``ngettext`` read its catalogue.

    The translations are installed old-style: a translated string is plain text, so it is escaped and made
    inert like every other printed value (a catalogue cannot add markup), and a template fills in its
    placeholders with ``|format`` (``ngettext("%(num)s source", "%(num)s sources", n)|format(num=n|number)``).
    """
    from .i18n import plural_n, translations

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates)),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        bytecode_cache=COMPILED,
    )
    env.install_gettext_translations(translations(language), newstyle=False)  # type: ignore[attr-defined]
    env.globals["plural_n"] = plural_n
    env.filters["md"] = md_text
    env.filters["number"] = partial(number, language=language)
    env.filters["long_date"] = partial(long_date, language=language)
    env.filters["markdown"] = markdown_filter
    from ..compute.missing import Missing, footnotes, is_missing

    env.tests["missing_reason"] = lambda value: isinstance(value, Missing)
    env.tests["missing"] = is_missing
    env.globals["missing_notes"] = lambda rows, language="en": footnotes((v for row in rows for v in row), language)
    env.filters["meaning"] = lambda value: value.says(language) if isinstance(value, Missing) else value
    return env
