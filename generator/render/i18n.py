"""The words the generator writes, in each site language, through a gettext message catalogue.

Welsh public bodies publish in Welsh and English. Authors write the Welsh
of their own content (`title_cy`, `text_cy`, `label_cy`, ...); the words the
generated pages add (headings, labels, table headers, chart axes, alt text,
counts) are English message ids in the code and templates, translated by
the catalogue ``generator/locale/<language>/LC_MESSAGES/generator.po``.

The ``.po`` file is the only source: it ships inside the package and is
compiled (with Babel's ``write_mo``) in memory the first time a site in that
language is rendered, so a clean clone, an editable install and a wheel all
read the same text and no compiled file can go stale.

A message missing from a catalogue (or only fuzzy, or empty) is shown in
English, never silently: a :class:`MissingTranslation` warning names it, and
``tests/render/test_catalogue.py`` fails until every message the code and
templates use is translated. ``docs/translating.md`` is the translator's guide.
"""

from __future__ import annotations

import gettext
import warnings
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

DOMAIN = "generator"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"  # shipped inside the package
SOURCE_LANGUAGE = "en"  # the language of the message ids


class MissingTranslation(UserWarning):
    """A generated string has no (finished) entry in the site language's catalogue."""


def N_(message: str) -> str:
    """Mark a string for the catalogue where it is defined; it is translated later, where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for the catalogue (translated later with ``ngettext``)."""
    return singular, plural


class _Missing(gettext.NullTranslations):
    """The fallback of a catalogue: English, with a warning naming the message."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def _warn(self, message: str) -> None:
        warnings.warn(MissingTranslation(
            f"no {self.language} translation of {message!r} in {catalogue_path(self.language)}; "
            f"see docs/translating.md"), stacklevel=4)

    def gettext(self, message: str) -> str:
        self._warn(message)
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self._warn(msgid1)
        return msgid1 if n == 1 else msgid2


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """The site languages: the source language and every language with a catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LANGUAGE, *(language for language in found if language != SOURCE_LANGUAGE)]


@lru_cache(maxsize=None)
def translations(language: str = SOURCE_LANGUAGE) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English: the message ids themselves, with English plurals)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    path = catalogue_path(language)
    if not path.is_file():
        raise ValueError(f"no message catalogue for language {language!r} (expected {path}); see docs/translating.md")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # fuzzy and empty entries are left out: they reach _Missing
    compiled.seek(0)
    result = Translations(compiled, domain=DOMAIN)
    result.add_fallback(_Missing(language))
    return result


def translate(text: str, language: str = SOURCE_LANGUAGE) -> str:
    """``text`` (a message id) in ``language``."""
    return translations(language).gettext(text)


def ntranslate(singular: str, plural: str, n: int, language: str = SOURCE_LANGUAGE, **values: object) -> str:
    """The form of a counted message for ``n`` in ``language``, with ``%(num)s`` filled in as ``n`` is printed
    (and any other placeholder from ``values``)."""
    return translations(language).ngettext(singular, plural, n) % {"num": f"{n:,}", **values}


def localised(obj: object, name: str, language: str = "en") -> str:
    """An author's field in the site's language: ``name_cy`` on a Welsh site when given, else ``name``."""
    if language == "cy":
        welsh = getattr(obj, f"{name}_cy", None)
        if welsh:
            return str(welsh)
    return str(getattr(obj, name))


# Words a template translates from a value of the content (an enum's value), not from a literal in the
# template: marked here so that they are in the catalogue.
CONTENT_WORDS = (
    # how a survey was collected (SurveyMode)
    N_("online"), N_("postal"), N_("telephone"), N_("face to face"),
    # a case study's overall verdict and each impact's (Achieved)
    N_("achieved"), N_("partly"), N_("not achieved"),
    N_("better than hoped"), N_("as hoped"), N_("worse than hoped"),
    # a survey question's change between waves
    N_("Improved"), N_("Deteriorated"), N_("No clear change"),
    # the group of answers a breakdown adds
    N_("Not stated"),
    # nations (Nation)
    N_("England"), N_("Wales"), N_("Scotland"), N_("Northern Ireland"),
    # what a participant consented to (ConsentUse, its value with spaces for underscores)
    N_("analysis"), N_("internal quotation"), N_("publication"), N_("archiving"),
    # a dataset column's type (ColumnType)
    N_("integer"), N_("number"), N_("string"), N_("date"), N_("boolean"),
)


# What marks a message in the code, for Babel's extraction (the templates use Jinja's _, gettext and
# ngettext, which Babel knows): the same as `pybabel extract -k N_ -k Nn_:1,2 -k translate -k ntranslate:1,2`.
KEYWORDS = {"N_": None, "Nn_": (1, 2), "translate": None, "ntranslate": (1, 2)}
MAPPING = LOCALE_DIR / "babel.cfg"  # which files are Python and which are templates


def extract() -> Catalog:
    """Every message the code and templates use, as a catalogue template (what ``generator.pot`` holds)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = LOCALE_DIR.parents[1]  # the folder holding the generator package
    with MAPPING.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords={**DEFAULT_KEYWORDS, **KEYWORDS}, strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def plural_n(n: float) -> int:
    """The whole number a plural form is chosen by: a fraction (1.5 hours) takes the form of 'other' numbers,
    as CLDR has it for English and Welsh (gettext's plural rules take whole numbers only)."""
    return int(n) if float(n).is_integer() else 100
