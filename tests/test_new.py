"""`generator new`: a starter study that checks and builds, and never overwrites a folder."""

from __future__ import annotations

from pathlib import Path

from generator.build import build
from generator.pipeline import load_and_validate

from .conftest import run_cli


def test_a_new_study_checks_builds_and_keeps_private_material_out_of_git(tmp_path: Path) -> None:
    status, stdout, stderr = run_cli("new", str(tmp_path / "study"))
    assert status == 0, stderr
    study = tmp_path / "study"
    assert "generator check content" in stdout
    ignored = (study / ".gitignore").read_text().splitlines()
    assert "/private/" in ignored and "/site/" in ignored
    assert (study / "private" / "identifiers.txt").is_file()
    workflow = (study / ".github" / "workflows" / "sites.yml").read_text()
    assert "generator check content --format github" in workflow and "--audience public" in workflow
    loaded, warnings = load_and_validate(study / "content")
    assert warnings == []
    assert len(loaded.local_authorities) == len(loaded.sites) == len(loaded.code_documents) == 1
    assert {c.model.parent for c in loaded.codes} == {None, "access"}  # a code tree, two themes
    assert len({c.model.group for c in loaded.codes}) == 2 and sum(len(s.extracts) for s in loaded.sources) == 2
    for audience in ("internal", "public"):
        assert build(study / "content", out=study / f"site-{audience}", quiet=True, audience=audience) == 0
    assert "Robin" in (study / "site-internal" / "la" / "my-la" / "sources" / "interview-01.html").read_text()


def test_new_refuses_a_folder_that_holds_anything_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    status, _, stderr = run_cli("new", str(tmp_path / "busy"))
    assert status == 2 and "already exists and is not an empty folder" in stderr and "Traceback" not in stderr
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]  # no half-written folder beside it


def test_new_example_copies_the_demo(tmp_path: Path) -> None:
    status, _, stderr = run_cli("new", str(tmp_path / "demo"), "--example")
    assert status == 0, stderr
    demo = Path(__file__).resolve().parents[1] / "content"
    copied = sorted(p.relative_to(tmp_path / "demo" / "content") for p in (tmp_path / "demo" / "content").rglob("*"))
    assert copied == sorted(p.relative_to(demo) for p in demo.rglob("*"))
