from __future__ import annotations

from pathlib import Path

from generator.cli import main

from .conftest import FIXTURES, run_cli


def test_check_passes_on_the_demo() -> None:
    status, stdout, stderr = run_cli("check", "content", cwd=Path(__file__).parents[1])
    assert status == 0, stderr
    assert "no errors" in stdout


def test_check_fails_with_sorted_messages_and_no_traceback(mini: Path) -> None:
    project = mini / "project.md"
    project.write_text(project.read_text().replace("fictional: true\n", "fictional: true\nthemes:\n"
                                                   "  - {id: poverty, label: Poverty}\n  - {id: supply, label: Supply}\n"))
    (mini / "codes/P1.md").write_text("---\ntype: code\nid: P1\ngroup: Povrty\nlabel: x\ndescription: y\n---\n")
    (mini / "codes/A0.md").write_text("---\ntype: cod\n---\n")
    status, _, stderr = run_cli("check", str(mini))
    assert status == 1
    lines = stderr.strip().splitlines()
    assert lines[0].startswith("content/codes/A0.md:2: type: expected one of")
    assert lines[1].startswith("content/codes/P1.md:4: group: unknown theme 'Povrty' (did you mean 'Poverty'?)")
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


def test_check_formats_for_programs_and_for_github_annotations(mini: Path) -> None:
    import json

    status, stdout, _ = run_cli("check", str(mini), "--format", "json")
    assert status == 0 and json.loads(stdout)["ok"] is True and json.loads(stdout)["problems"] == []
    source = mini / "las/north/nb-int-01.md"
    source.write_text(source.read_text().replace("method: interview", "method: interveiw"))
    staff = mini / "las/north/nb-staff.csv"
    lines = staff.read_text().splitlines()
    staff.write_text("\n".join([lines[0], lines[1].rsplit(",", 1)[0] + ",many", *lines[2:]]) + "\n")
    status, stdout, _ = run_cli("check", str(mini), "--format", "json")
    report = json.loads(stdout)
    assert status == 1 and report["ok"] is False and report["errors"] == len(report["problems"]) >= 2
    first = report["problems"][0]
    assert (first["file"], first["severity"]) == ("content/las/north/nb-int-01.md", "error")
    assert any(p["column"] for p in report["problems"]), report  # the CSV cell keeps its column
    status, stdout, _ = run_cli("check", str(mini), "--format", "github")
    annotations = stdout.strip().splitlines()
    assert status == 1 and len(annotations) == len(report["problems"])
    assert annotations[0].startswith("::error file=content/las/north/nb-int-01.md,line=6,title=generator check::method:")
    csv_line = next(a for a in annotations if "nb-staff.csv" in a)
    assert csv_line.startswith("::error file=content/las/north/nb-staff.csv,line=2,title=generator check::[social_workers] ")
    assert all(a.startswith(("::error ", "::warning ")) for a in annotations)  # one line each
