"""The normaliser's fast path (no offsets) reads text exactly as its mapped path does.

`Matcher.find` asks the fast path first and maps offsets only when it finds a
name, so a text the two read differently could hide a name. The fast path
swaps common character references for stand-in characters before its markup
pass; these tests try references beside every kind of markup, escapes before
references, and text that already holds the stand-ins.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.normalise import JOINED, SPACED, VIEWS, Matcher, normalise, normalised_text

PIECES = ["&#60;", "&lt;", "&#62;", "&gt;", "&amp;", "&#38;", "&quot;", "&#34;", "&#39;", "&#x27;", "&nbsp;",
          "&LT;", "&#060;", "&#983040;", "&#983041;", "&#983042;", "&#1114106;", "&amp;lt;", "&#97;", "&eacute;", "<", ">", "<b>", "</em>", "<img alt=\"", "](", ")",
          "[", "]", "![", "\"", "*", "_", "\\", "&", ";", "#", " ", "\n", "Sarah", "a", "\u00a0", "\u200b",
          "\U000F0000", "\U000FFFFD", "\U0010FFFA", "\U0010FFFB", "\U0010FFFC", "\u00e9", "\u0430", "\u201c", "%", "M"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.sampled_from(VIEWS))
@example("\\&#60;Sarah", JOINED)
@example("](x &quot;t&quot;)Sarah", JOINED)
@example("\U000F0000&#60;Sarah", JOINED)
@example("\\&#60;Sarah", SPACED)
@example("a\\\U0010FFFD>\U0010FFFC", SPACED)
@example("&#983042;&lt;&#983041; Sarah", JOINED)  # references that decode to stand-ins
def test_fast_path_reads_as_the_mapped_path(text: str, view: str) -> None:
    assert normalised_text(text, view) == normalise(text, view).text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["Sa", "rah", "Mia", "-", "Sarah-Mia"]), max_size=30).map("".join))
@example("Sa<em>rah</em> and M&#105;a")
@example("Sarah-Mia")  # a joiner: neither name is a whole word
def test_the_names_in_a_text_are_what_find_yields(text: str) -> None:
    # names_digest reads which names a document holds without working out where: the same set
    matcher = Matcher([("Sarah", "p1"), ("Mia", "p2"), ("Sarah Mia", "p3")], joiners="-")
    assert matcher.values_in(text) == {hit.value for hit in matcher.find(text)}


@pytest.mark.parametrize("text", [
    "&#60;" * 1000 + " S&#97;rah " + "&#60;" * 1000,
    "&gt;" * 500 + "Sa<em>rah</em>" + "&gt;" * 500,
    "\U000F0000" + "&#60;" * 100 + " Sarah",  # a stand-in already in the text: read reference by reference
    "".join(f"&#{n};" for n in range(1000, 1200)) + " S&#97;rah",  # more references than one str.replace each
])
def test_a_name_among_many_references_is_found(text: str) -> None:
    hits = list(Matcher([("Sarah", "p1")]).find(text))
    assert [hit.value for hit in hits] == ["p1"]
    assert "rah" in text[hits[0].start:hits[0].end + 4]


def test_many_distinct_references_read_as_the_mapped_path() -> None:
    text = "".join(f"&#{n};<b>*x*</b>" for n in range(40, 400)) + " \\&#60;Sa<em>rah</em>"
    for view in VIEWS:
        assert normalised_text(text, view) == normalise(text, view).text
