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


def test_a_whole_text_is_read_line_by_line_as_each_line_alone() -> None:
    from generator.quoting import _lines_words

    text = ("Sa\u200brah said <b>it\n</b> was *fine*\n\n<a\nhref> don'\nt &am\np; [link](x.html\n) \x00 end\n"
            "\u00b4\u0301 caf\u00e9 \uff33\uff41\uff52\uff41\uff48 [a](b) <i>tag</i>")
    expected = [(word, 10 + n) for n, line in enumerate(text.split("\n")) for word in words(line)]
    assert _lines_words(text, 10) == expected
    assert [line for word, line in expected if word == "sarah"] == [10, 18]  # fullwidth on the last line
