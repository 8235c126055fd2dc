"""`build --shard I/N` on separate runners, then `generator merge`: the same site as one build, file for file."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_two_shards_merged_equal_one_build(demo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(demo_copy), "--out", str(tmp_path / "whole"), "--quiet"]) == 0
    for number in (1, 2):
        assert main(["build", str(demo_copy), "--out", str(tmp_path / f"shard{number}"), "--quiet",
                     "--shard", f"{number}/2"]) == 0
    first, second = files(tmp_path / "shard1"), files(tmp_path / "shard2")
    assert any(n.startswith("cross-case/") for n in first) and not any(n.startswith("cross-case/") for n in second)
    assert main(["merge", str(demo_copy), str(tmp_path / "shard1"), str(tmp_path / "shard2"),
                 "--out", str(tmp_path / "merged")]) == 0
    whole, merged = files(tmp_path / "whole"), files(tmp_path / "merged")
    assert sorted(merged) == sorted(whole)
    different = [name for name in whole if whole[name] != merged[name]]
    assert different == []


def test_merge_refuses_missing_or_foreign_shards(mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for number in (1, 2):
        assert main(["build", str(mini), "--out", str(tmp_path / f"s{number}"), "--quiet", "--shard", f"{number}/2"]) == 0
    capsys.readouterr()
    assert main(["merge", str(mini), str(tmp_path / "s1"), "--out", str(tmp_path / "m")]) == 2
    assert "all of 1 to 2 are needed" in capsys.readouterr().err
    summary = mini / "las/north/oakfield-S1.md"
    summary.write_text(summary.read_text() + "\nEdited after the shards were built.\n")
    assert main(["merge", str(mini), str(tmp_path / "s1"), str(tmp_path / "s2"), "--out", str(tmp_path / "m")]) == 2
    assert "built from other content" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()
    assert main(["build", str(mini), "--shard", "3/2"]) == 2
