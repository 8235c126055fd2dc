"""An unchanged document's load and single-document checks come from the last build's record; a record
never hides a problem that loading the content afresh would find."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from generator.content import loader
from generator.content.records import DocumentRecords
from generator.errors import ContentError
from generator.pipeline import load_and_validate


def load(content: Path, cache: Path | None) -> Any:
    records = DocumentRecords(cache / "documents" if cache is not None else None)
    try:
        return load_and_validate(content, records=records)
    finally:
        records.save()


def problems(content: Path, cache: Path | None) -> list[str]:
    try:
        load(content, cache)
    except ContentError as error:
        return [str(p) for p in error.problems]
    return []


def forbid_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if any document is parsed or checked on its own again."""
    import generator.validate as validate
    import generator.validate_consent as consent

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("worked out again, though nothing changed")

    monkeypatch.setattr(loader, "_load_document", refuse)
    monkeypatch.setattr(validate, "_mentions_in", refuse)
    monkeypatch.setattr(consent, "_turn_problems", refuse)


def test_a_second_load_takes_every_document_from_its_record(mini: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    path = mini / "las/north/oakfield-S1.md"
    path.write_text(path.read_text() + "\nUnlike Southwick, where caseloads fell.\n")
    first = problems(mini, cache)
    assert first == problems(mini, None) and any("mentions 'Southwick'" in p for p in first)
    forbid_work(monkeypatch)
    assert problems(mini, cache) == first


def test_documents_from_records_are_the_documents_loaded_afresh(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(mini, cache)
    recorded, _ = load(mini, cache)
    fresh, _ = load_and_validate(mini)
    def plain(study: Any) -> list[Any]:  # every field but the CSV table (compared below) and the record key
        return [(type(d), *(getattr(d, f.name) for f in fields(d) if f.name not in ("table", "digest"))) for d in study.all_documents()]

    assert plain(recorded) == plain(fresh)  # models, paths, parsed text, blocks, extracts and their speakers
    assert [d.table.equals(f.table) for d, f in zip(recorded.datasets, fresh.datasets)] == [True] * len(fresh.datasets)


def test_an_unchanged_document_is_checked_again_when_another_las_names_change(mini: Path, tmp_path: Path) -> None:
    # north's document is the same bytes, but south's site is now called by a word it uses: a leak
    cache = tmp_path / "cache"
    assert problems(mini, cache) == []
    site = mini / "las/south/site.md"
    site.write_text(site.read_text().replace("name: Elmstead", "name: Caseloads"))
    found = problems(mini, cache)
    assert found == problems(mini, None)
    assert any(p.startswith("content/las/north/oakfield-S1.md:11: mentions 'Caseloads'") for p in found), found


def test_an_edited_document_is_read_again_and_its_old_record_forgotten(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert problems(mini, cache) == []
    kept = sorted(p.name for p in (cache / "documents").iterdir())
    source = mini / "las/north/nb-int-01.md"
    original = source.read_text()
    source.write_text(original + "\nA paragraph nobody says.\n")
    found = problems(mini, cache)
    assert found == problems(mini, None) and any("cannot tell who is speaking" in p for p in found), found
    assert len(list((cache / "documents").iterdir())) == len(kept)  # the old version's records went
    source.write_text(original)
    assert problems(mini, cache) == []


def test_a_damaged_or_foreign_record_is_worked_out_again(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = mini / "las/north/oakfield-S1.md"
    path.write_text(path.read_text() + "\nUnlike Southwick, where caseloads fell.\n")
    expected = problems(mini, cache)
    for record in (cache / "documents").iterdir():
        record.write_bytes(b"not a pickle" if record.name < "8" else b"\x80\x05N.")  # garbage, or a None
    assert problems(mini, cache) == expected


def test_an_unchanged_transcript_is_checked_again_when_the_projects_researchers_change(mini: Path,
                                                                                       tmp_path: Path) -> None:
    # Whose turn a paragraph is decides whose consent covers it: a turn by a name the project no longer
    # lists as a researcher must be an error again, though the transcript's bytes are the same.
    cache = tmp_path / "cache"
    source = mini / "las/north/nb-int-01.md"
    source.write_text(source.read_text() + "\n**Morgan:** A question from a second researcher?\n")
    unknown = problems(mini, cache)
    assert unknown == problems(mini, None) and any("nb-int-01.md" in p for p in unknown), unknown
    project = mini / "project.md"
    plain = project.read_text()
    project.write_text(plain.replace("fictional: true\n", "fictional: true\nresearchers: [Morgan]\n"))
    assert problems(mini, cache) == problems(mini, None) == []
    project.write_text(plain)
    assert problems(mini, cache) == unknown
