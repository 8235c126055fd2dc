"""The demo's public build (and for withdrawn words its internal build too), read file by file as an outsider would: pages, search indexes, CSV, SVG, JSON.

Nothing a withdrawn participant said may appear anywhere, and no LA's site may
hold another LA's names, places or source ids. (Small counts are checked in
test_disclosure.py.)
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import pytest

from generator.build import build
from generator.content.loader import Study
from generator.content.turns import Speakers, is_transcript, parse_turns
from generator.pipeline import load_and_validate

from ..conftest import DEMO

TEXT = {".html", ".json", ".csv", ".svg", ".xml", ".js", ".txt", ".md", ".xlsx", ".docx", ".qdpx"}
ZIPPED = {".xlsx", ".docx", ".qdpx"}


def readable(path: Path) -> str:
    """The file's text as a reader or a search engine would see it: JSON decoded, entities and tags gone;
    a workbook or document unzipped, every member read."""
    if path.suffix in ZIPPED:
        import zipfile

        with zipfile.ZipFile(path) as archive:
            text = "\n".join(archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist())
    else:
        text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    text = html.unescape(re.sub(r"<[^>]+>", " ", html.unescape(text)))
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.casefold().replace("’", "'").split())


def files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): readable(p)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in TEXT}


@pytest.fixture(scope="module")
def study() -> Study:
    return load_and_validate(DEMO)[0]


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-public") / "site"
    assert build(DEMO, out=out, quiet=True, audience="public") == 0
    return out


def withdrawn_phrases(study: Study) -> list[tuple[str, str]]:
    """(source id, six-word run) for every run of plain words a withdrawn participant said in the demo."""
    phrases = []
    for source in study.sources:
        model = source.model
        gone = {p.id for p in model.participants if p.consent.withdrawn}
        if not gone or not is_transcript(model.method):
            continue
        turns, _ = parse_turns(source.body, source.body_line, Speakers.of(model.participants), True)
        for turn in turns:
            if turn.speaker in gone:
                words = [w.casefold() for w in re.findall(r"[A-Za-z]+", source.body[turn.words_at:turn.end])]
                phrases += [(model.id, " ".join(words[i:i + 6])) for i in range(0, max(len(words) - 5, 0), 3)]
    return phrases


def test_the_demo_has_a_withdrawn_participant_to_protect(study: Study) -> None:
    assert len(withdrawn_phrases(study)) >= 10


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_no_withdrawn_words_anywhere_in_a_build(study: Study, public: Path, demo_site: Path, audience: str) -> None:
    phrases = withdrawn_phrases(study)
    texts = files(public if audience == "public" else demo_site)
    assert len(texts) > 100
    words = {name: " ".join(re.findall(r"[a-z]+", text)) for name, text in texts.items()}
    found = [(source, phrase, name) for source, phrase in phrases for name, text in words.items() if phrase in text]
    assert found == []


def test_no_la_site_holds_another_las_names_or_source_ids(study: Study, public: Path) -> None:
    checked = 0
    for la in study.local_authorities:
        own = {la.model.name.casefold(), (la.model.name_cy or "").casefold()}
        own |= {s.model.name.casefold() for s in study.sites if s.model.la == la.model.id}
        foreign = set()
        for other in study.local_authorities:
            if other.model.id != la.model.id:
                foreign |= {other.model.name, other.model.name_cy or "", other.model.id}
        foreign |= {s.model.name for s in study.sites if s.model.la != la.model.id}
        foreign |= {s.model.id for s in study.sources
                    if next(x for x in study.sites if x.model.id == s.model.site).model.la != la.model.id}
        foreign = {f.casefold() for f in foreign if len(f) >= 3} - own
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(foreign, key=len, reverse=True))) + r")(?![\w-])")
        for name, text in files(public / "la" / la.model.id).items():
            match = pattern.search(text)
            assert match is None, (la.model.id, name, match and match.group(0))
            checked += 1
    assert checked > 100
