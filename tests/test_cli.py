from __future__ import annotations

from pathlib import Path

from generator.cli import main

from .conftest import FIXTURES, run_cli


def test_check_passes_on_the_demo() -> None:
    status, stdout, stderr = run_cli("check", "content", cwd=Path(__file__).parents[1])
    assert status == 0, stderr
    assert "no errors" in stdout


def test_check_fails_with_sorted_messages_and_no_traceback(mini: Path) -> None:
    (mini / "codes/P1.md").write_text("---\ntype: code\nid: P1\ngroup: Povrty\nlabel: x\ndescription: y\n---\n")
    (mini / "codes/A0.md").write_text("---\ntype: cod\n---\n")
    status, _, stderr = run_cli("check", str(mini))
    assert status == 1
    lines = stderr.strip().splitlines()
    assert lines[0].startswith("content/codes/A0.md:2: type: expected one of")
    assert lines[1].startswith("content/codes/P1.md:4: group: expected 'Poverty'")
    assert lines[-1] == "2 errors; nothing was built or changed"
    assert "Traceback" not in stderr


def test_console_script_and_module_share_main(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", str(FIXTURES / "mini")]) == 0
    assert "no errors" in capsys.readouterr().out


def test_unknown_la_is_a_usage_error(tmp_path: Path) -> None:
    status, _, stderr = run_cli("build", str(FIXTURES / "mini"), "--la", "nowhere", "--out", str(tmp_path / "o"))
    assert status == 2
    assert "no such local authority; known: north, south" in stderr


def test_authoring_guide_is_current() -> None:
    from generator.docs import authoring_guide

    guide = Path(__file__).parents[1] / "docs" / "authoring.md"
    assert guide.read_text(encoding="utf-8") == authoring_guide(), "run `make docs` and commit docs/authoring.md"
