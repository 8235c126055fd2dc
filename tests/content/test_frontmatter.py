from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.frontmatter import FrontMatterError, parse_document


def test_keys_keep_their_file_lines() -> None:
    text = "---\ntype: site\nid: x\nsmall_areas:\n  - code: A\n    population: 3\n  - code: B\n---\nBody\n"
    parsed = parse_document(text)
    assert parsed is not None
    assert parsed.lines[("type",)] == 2
    assert parsed.lines[("small_areas",)] == 4
    assert parsed.lines[("small_areas", 1)] == 7
    assert parsed.lines[("small_areas", 1, "code")] == 7
    assert parsed.line_of(("small_areas", 0, "population")) == 6
    assert parsed.line_of(("small_areas", 0, "missing")) == 5
    assert parsed.body == "Body\n"
    assert parsed.body_line == 9


def test_no_front_matter_is_none() -> None:
    assert parse_document("# Just a heading\n") is None


def test_unclosed_front_matter() -> None:
    with pytest.raises(FrontMatterError) as error:
        parse_document("---\ntype: site\n")
    assert error.value.line == 1
    assert "never closed" in error.value.message


def test_syntax_error_reports_the_file_line() -> None:
    with pytest.raises(FrontMatterError) as error:
        parse_document("---\ntype: code\nid: P9\n  label: [oops\n---\n")
    assert error.value.line == 4
    assert "not valid YAML" in error.value.message


def test_python_tags_are_refused_without_running(tmp_path) -> None:
    marker = tmp_path / "ran"
    text = f'---\ntype: code\nid: !!python/object/apply:os.system ["touch {marker}"]\n---\n'
    with pytest.raises(FrontMatterError) as error:
        parse_document(text)
    assert error.value.line == 3
    assert "!!python/object/apply:os.system is not allowed" in error.value.message
    assert not marker.exists()


def test_aliases_are_refused() -> None:
    bomb = "---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\n"
    with pytest.raises(FrontMatterError) as error:
        parse_document(bomb)
    assert error.value.line == 3
    assert "anchors and aliases" in error.value.message


def test_dates_stay_text_for_the_schema() -> None:
    parsed = parse_document("---\ndate: 2016-13-01\n---\n")
    assert parsed is not None and parsed.data["date"] == "2016-13-01"


def test_duplicate_keys_are_recorded() -> None:
    parsed = parse_document("---\nid: a\ntitle: x\nid: b\n---\n")
    assert parsed is not None and parsed.duplicate_keys == [(4, "id", 2)]


def test_libyaml_and_the_checking_loader_read_every_demo_file_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    # Front-matter with no '!', '&' or '*' is read by libyaml; everything else by the loader that refuses
    # tags and aliases. The two must give the same data, the same line for every key and the same duplicates.
    import re

    from generator.content import frontmatter

    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "content").rglob("*.md")) + sorted((root / "tests/fixtures").rglob("*.md"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    fast = [frontmatter.parse_document(text) for text in texts]
    monkeypatch.setattr(frontmatter, "_MAY_MARK", re.compile(""))  # matches every text: the checking loader
    slow = [frontmatter.parse_document(text) for text in texts]
    assert len(files) > 150
    for path, one, other in zip(files, fast, slow):
        assert (one is None) == (other is None), path
        if one is not None and other is not None:
            assert (one.data, one.lines, one.duplicate_keys, one.body_line) == \
                   (other.data, other.lines, other.duplicate_keys, other.body_line), path
