"""How the quoting check reads words (the consent attacks on it are in tests/privacy/test_consent.py)."""

from __future__ import annotations

import sys
import unicodedata

from generator.quoting import _invisible, words


def test_every_format_character_is_deleted() -> None:
    # the table scans only the planes that hold format characters today; a new Unicode version must not add one elsewhere
    everywhere = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert set(_invisible()) == everywhere


def test_words_survive_invisible_characters_tags_and_stray_angle_brackets() -> None:
    assert words("Sa\u200brah\u00ad <b>said</b> it") == ["sarah", "said", "it"]
    assert words("<<<<b>we</b> <<< went") == ["we", "went"]
    assert words("[home](https://example.org/a) &amp; Back") == ["home", "back"]
