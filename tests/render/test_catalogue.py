"""The message catalogues: every message the code and templates use is translated in every language,
the template (.pot) is current, and the plural forms are the ones CLDR gives each language."""

from __future__ import annotations

import re
import warnings

import pytest
from babel import Locale
from babel.plural import to_gettext
from babel.messages.pofile import read_po

from generator.render.i18n import (LOCALE_DIR, MissingTranslation, catalogue_path, extract, languages, ntranslate,
                                   translate, translations)

TRANSLATED = [language for language in languages() if language != "en"]


@pytest.fixture(scope="module")
def used():  # type: ignore[no-untyped-def]
    return {m.id: m for m in extract() if m.id}


def _read(path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def test_welsh_has_a_catalogue() -> None:
    assert "cy" in TRANSLATED


def test_the_extraction_finds_python_and_template_messages(used) -> None:  # type: ignore[no-untyped-def]
    files = {location[0].split("/")[1] for m in used.values() for location in m.locations}
    assert {"charts", "render", "site_templates"} <= files
    assert ("%(num)s focus group", "%(num)s focus groups") in used  # Nn_ in pages.py
    assert "Fieldwork" in used and "Wales" in used  # a template literal; a content enum marked with N_


def test_the_template_is_current(used) -> None:  # type: ignore[no-untyped-def]
    template = {m.id for m in _read(LOCALE_DIR / "generator.pot") if m.id}
    assert template == set(used), "run `make i18n-extract` (docs/translating.md)"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str, used) -> None:  # type: ignore[no-untyped-def]
    catalog = _read(catalogue_path(language))
    entries = {m.id: m for m in catalog if m.id}
    missing = [m for m in used if m not in entries]
    fuzzy = [m for m, entry in entries.items() if entry.fuzzy]
    empty = [m for m, entry in entries.items()
             if not all(entry.string if isinstance(entry.string, tuple) else (entry.string,))]
    unused = [m for m in entries if m not in used]
    assert not missing, f"{len(missing)} messages not in {catalogue_path(language)}: {missing[:5]} (make i18n-update)"
    assert not fuzzy, f"fuzzy entries to check and unflag: {fuzzy[:5]}"
    assert not empty, f"untranslated entries: {empty[:5]}"
    assert not unused, f"entries no longer used (make i18n-update drops them): {unused[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_are_cldr_and_every_form_is_given(language: str) -> None:
    catalog = _read(catalogue_path(language))
    expected = int(to_gettext(Locale.parse(language).plural_form).split(";")[0].split("=")[1])
    assert catalog.num_plurals == expected
    for message in catalog:
        if message.id and isinstance(message.id, tuple):
            assert len(message.string) == expected, message.id


PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_match(language: str) -> None:
    """Each translation fills in the same %(name)s and {name} as its message (a plural form may say the number
    in words instead: Welsh "mewn un don" for 1 wave)."""
    for message in _read(catalogue_path(language)):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for form in (message.string if isinstance(message.string, tuple) else (message.string,)):
            got = set(PLACEHOLDER.findall(form))
            counted = {"%(num)s", "{count}"} if len(ids) == 2 else set()
            assert got <= wanted and wanted - got <= counted, (message.id, form)


def test_welsh_plurals_follow_the_six_forms() -> None:
    forms = {n: ntranslate("%(num)s source", "%(num)s sources", n, "cy") for n in (0, 1, 2, 3, 6, 11)}
    assert forms[1] == "1 ffynhonnell" and forms[11] == "11 o ffynonellau" and forms[0] == "0 o ffynonellau"
    assert ntranslate("%(num)s focus group", "%(num)s focus groups", 2, "en") == "2 focus groups"
    assert ntranslate("%(num)s focus group", "%(num)s focus groups", 1, "en") == "1 focus group"
    assert ntranslate("%(num)s source", "%(num)s sources", 1234, "en") == "1,234 sources"


def test_a_missing_message_is_not_silent() -> None:
    with pytest.warns(MissingTranslation, match="no cy translation of 'Not a message of the catalogue'"):
        assert translate("Not a message of the catalogue", "cy") == "Not a message of the catalogue"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert translate("Not a message of the catalogue", "en") == "Not a message of the catalogue"


def test_a_language_without_a_catalogue_is_refused() -> None:
    with pytest.raises(ValueError, match="no message catalogue for language 'xx'"):
        translations("xx")
