"""`generator export qdpx`: round trips through the importer, and only what the audience may see goes out."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.content.turns import PLACEHOLDER
from generator.exports.qdpx import GAP, REMOVED
from generator.importers.qdpx import unescape
from generator.importers.refi import read_refi
from generator.pipeline import load_and_validate
from tests.conftest import DEMO
from tests.importers.test_qdpx import MAPPING, QC, fill_placeholders, refi_file


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    try:
        status = main([str(a) for a in args])
    except SystemExit as stop:
        status = int(stop.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def documents(root: Path) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
    """Every code and source document by (type, id): front matter without consent, and body."""
    found = {}
    for path in root.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        _, front, body = text.split("---\n", 2)
        data = yaml.safe_load(front)
        if isinstance(data, dict) and data.get("type") in ("code", "source"):
            for person in data.get("participants", []):
                person.pop("consent")
            found[(data["type"], data["id"])] = (data, body)
    return found


def test_demo_round_trip_gives_back_the_same_study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "export", "qdpx", DEMO, "--out", tmp_path / "demo.qdpx")
    assert status == 0, err
    assert run(capsys, "import", "qdpx", tmp_path / "demo.qdpx", "--out", tmp_path / "back")[0] == 0
    before, after = documents(DEMO), documents(tmp_path / "back")
    assert set(before) == set(after) and len([k for k in before if k[0] == "code"]) >= 10
    study, _ = load_and_validate(DEMO)
    withdrawn = {s.model.id for s in study.sources if any(p.consent.withdrawn for p in s.model.participants)}
    assert withdrawn  # the demo has a participant who withdrew
    for key, (data, body) in before.items():
        assert after[key][0] == data, key  # ids, labels, parents, groups, order, site, method, date, roles
        if key[1] in withdrawn:
            assert after[key][1] != body and (REMOVED in after[key][1] or PLACEHOLDER in after[key][1])
        else:
            assert after[key][1] == body, key
    # consent is never carried: the imported study waits for it
    with_people = [s.model.id for s in study.sources if s.model.participants]
    assert with_people
    for source_id in with_people:
        assert "uses: []" in next((tmp_path / "back").rglob(f"{source_id}.md")).read_text(encoding="utf-8")


def test_real_project_round_trip_is_exact(shared_data: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run(capsys, "import", "qdpx", refi_file(shared_data, QC), "--out", first, "--map", mapping)[0] == 0
    fill_placeholders(first)
    assert run(capsys, "export", "qdpx", first, "--out", tmp_path / "qc.qdpx")[0] == 0
    assert run(capsys, "import", "qdpx", tmp_path / "qc.qdpx", "--out", second, "--map", mapping)[0] == 0
    assert documents(first) == documents(second)
    assert len(documents(first)) == 264
    themes = [yaml.safe_load((f / "project.md").read_text("utf-8").split("---\n")[1])["themes"] for f in (first, second)]
    assert themes[0] == themes[1]


def test_selections_select_the_extract_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "export", "qdpx", DEMO, "--out", tmp_path / "demo.qdpx")[0] == 0
    project = read_refi(tmp_path / "demo.qdpx")
    study, _ = load_and_validate(DEMO)
    extracts = {(s.model.title, e.id): e for s in study.sources for e in s.extracts}
    label = {c.model.id: c.model.label for c in study.codes}
    names = {c.guid: c.name for c in project.codes}
    checked = 0
    for source in project.sources:
        assert source.text is not None
        for selection in source.selections:
            extract = extracts[(source.name, selection.name)]
            assert source.text[selection.start:selection.end].rstrip("\n") == unescape(extract.text)
            assert [names[g] for g in selection.codes] == [label[c] for c in extract.codes]
            checked += 1
    assert checked == len(extracts) - 1  # all but the withdrawn participant's


def test_exports_are_byte_for_byte_repeatable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a", "b"):
        assert run(capsys, "export", "qdpx", DEMO, "--out", tmp_path / f"{name}.qdpx")[0] == 0
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def _all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_withdrawn_words_never_leave(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study, _ = load_and_validate(DEMO)
    gone = [e.text for s in study.sources for e in s.extracts
            if any(p.consent.withdrawn for p in s.model.participants if p.id in (*e.speakers, *e.by))]
    assert gone
    for audience in ("internal", "public"):
        assert run(capsys, "export", "qdpx", DEMO, "--out", tmp_path / f"{audience}.qdpx",
                   "--audience", audience)[0] == 0
        text = _all_text(tmp_path / f"{audience}.qdpx")
        for words in gone:
            sentence = unescape(words).split(". ")[1][:60]
            assert sentence not in text, audience


def test_public_export_carries_only_publishable_extracts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.view import PUBLIC, extract_view

    status, out, _ = run(capsys, "export", "qdpx", DEMO, "--out", tmp_path / "p.qdpx", "--audience", "public")
    assert status == 0 and "(public)" in out
    project = read_refi(tmp_path / "p.qdpx")
    study, _ = load_and_validate(DEMO)
    allowed = {(s.model.title, e.id) for s in study.sources for e in s.extracts
               if not extract_view(s, e, PUBLIC).removed}
    refused = [(s, e) for s in study.sources for e in s.extracts if extract_view(s, e, PUBLIC).removed]
    assert refused and allowed
    shipped = {(s.name, sel.name) for s in project.sources for sel in s.selections}
    assert shipped == allowed
    text = _all_text(tmp_path / "p.qdpx")
    for source, extract in refused:
        assert unescape(extract.text)[:80] not in text, extract.id
    # no full transcripts: a public source holds its publishable extracts and nothing between them
    for source in project.sources:
        assert source.text is not None
        covered = sum(sel.end - sel.start for sel in source.selections)
        assert len(source.text) - covered == source.text.count(GAP + "\n") * len(GAP + "\n")
    assert '"participants"' not in text and "pseudonym" not in text


def test_one_la_export_holds_only_that_la(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study, _ = load_and_validate(DEMO)
    la = sorted(d.model.id for d in study.local_authorities)[0]
    own_sites = {s.model.id for s in study.sites if s.model.la == la}
    assert run(capsys, "export", "qdpx", DEMO, "--out", tmp_path / "la.qdpx", "--la", la)[0] == 0
    project = read_refi(tmp_path / "la.qdpx")
    mine = {s.model.title for s in study.sources if s.model.site in own_sites}
    assert {s.name for s in project.sources} == mine and mine
    text = _all_text(tmp_path / "la.qdpx")
    for other in study.local_authorities:
        if other.model.id != la:
            assert other.model.name not in text
            for site in study.sites:
                if site.model.la == other.model.id:
                    assert f'"site": "{site.model.id}"' not in text
    status, _, err = run(capsys, "export", "qdpx", DEMO, "--out", tmp_path / "x.qdpx", "--la", "nowhere")
    assert status == 2 and "no such local authority" in err


def test_output_safety(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    precious = tmp_path / "notes.qdpx"
    precious.write_text("my own notes, not a zip", encoding="utf-8")
    (tmp_path / "private").mkdir()
    (tmp_path / "link").symlink_to(content)
    cases = [(content / "study.qdpx", "inside the content folder"), (precious, "is not a file this export writes"),
             (tmp_path / "missing" / "x.qdpx", "no such folder"), (tmp_path, "expected a file name ending .qdpx"),
             (tmp_path / "private" / "x.qdpx", "inside the private folder"),
             (tmp_path / "link" / "x.qdpx", "inside the content folder")]
    for target, message in cases:
        status, _, err = run(capsys, "export", "qdpx", content, "--out", target)
        assert status in (1, 2) and message in err and "Traceback" not in err, (target, err)
    assert precious.read_text(encoding="utf-8") == "my own notes, not a zip"
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".*.partial"))
    # an earlier export is replaced
    target = tmp_path / "study.qdpx"
    assert run(capsys, "export", "qdpx", content, "--out", target)[0] == 0
    assert run(capsys, "export", "qdpx", content, "--out", target)[0] == 0


def test_content_that_fails_check_is_not_exported(mini: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    source = mini / "las" / "north" / "nb-int-01.md"
    source.write_text(source.read_text(encoding="utf-8").replace("codes=", "codes=NOSUCHCODE,", 1), "utf-8")
    status, _, err = run(capsys, "export", "qdpx", mini, "--out", tmp_path / "m.qdpx")
    assert status == 1 and "NOSUCHCODE" in err
    assert not (tmp_path / "m.qdpx").exists()


def test_one_la_export_naming_another_la_is_refused(demo_copy: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from dataclasses import replace

    from generator.content.models import Method
    from generator.errors import ContentError
    from generator.exports.cli import _scan_for_other_las
    from generator.exports.qdpx import plan_export
    from generator.view import select_material

    study, _ = load_and_validate(demo_copy)
    la, other = sorted(study.local_authorities, key=lambda d: d.model.id)[:2]
    source = next(s for s in study.sources if s.model.method is Method.INTERVIEW
                  and study.sites[[x.model.id for x in study.sites].index(s.model.site)].model.la == la.model.id)
    path = next(demo_copy.rglob(f"{source.model.id}.md"))
    path.write_text(path.read_text(encoding="utf-8") + f"\n*Compare the {other.model.name} team.*\n", "utf-8")
    status, _, err = run(capsys, "export", "qdpx", demo_copy, "--out", tmp_path / "la.qdpx", "--la", la.model.id)
    assert status == 1 and f"mentions '{other.model.name}'" in err  # check, the front door
    assert not (tmp_path / "la.qdpx").exists()
    # and behind it, the scan of what would be written
    exported = plan_export(select_material(study, la.model.id))
    first = exported.project.sources[0]
    exported.project.sources[0] = replace(first, text=f"{first.text}{other.model.name.upper()} said so\n")
    with pytest.raises(ContentError) as refused:
        _scan_for_other_las(study, la.model.id, exported.project, tmp_path / "la.qdpx")
    assert other.model.name in str(refused.value.problems[0].message)
    _scan_for_other_las(study, la.model.id, plan_export(select_material(study, la.model.id)).project,
                        tmp_path / "la.qdpx")  # the LA's own material passes
