from __future__ import annotations

from generator.content.extracts import parse_extracts


def test_extracts_and_plain_text_alternate() -> None:
    body = "Intro\n\n::: extract id=one codes=P1,S1 by=tm\nSaid *this*.\n:::\n\nOutro\n"
    segments, problems = parse_extracts(body, first_line=10)
    assert problems == []
    assert [s.extract is None for s in segments] == [True, False, True]
    extract = segments[1].extract
    assert extract is not None
    assert (extract.id, extract.codes, extract.by, extract.text, extract.line, extract.end_line) == (
        "one", ("P1", "S1"), ("tm",), "Said *this*.", 12, 14
    )


def test_syntax_problems_name_their_lines() -> None:
    body = "::: extract codes=P1\ntext\n:::\n::: extract id=Bad_Id codes=P1 colour=red\nx\n:::\n::: extract id=open codes=P1\nnever closed\n"
    _, problems = parse_extracts(body, first_line=5)
    messages = [(p.line, p.message.split(";")[0]) for p in problems]
    assert (5, "extract has no id") in messages
    assert (8, "unknown extract attribute 'colour'") in messages
    assert (8, "extract id 'Bad_Id' must be lower-case letters, digits and hyphens") in messages
    assert (11, "extract is never closed") in messages


def test_nested_extract_is_an_error() -> None:
    body = "::: extract id=a codes=P1\n::: extract id=b codes=P1\nx\n:::\n"
    _, problems = parse_extracts(body, first_line=1)
    assert problems[0].line == 2
    assert "cannot nest" in problems[0].message
