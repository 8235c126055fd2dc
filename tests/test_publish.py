"""The previous site survives a failed build, and the swap itself is all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.publish import publish, recover, staging_dir

from .test_build import tree_digest


def test_swap_replaces_the_whole_folder(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging = staging_dir(target)
    (staging / "new.html").write_text("new")
    publish(staging, target)
    assert sorted(p.name for p in target.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_recover_puts_back_a_site_left_half_swapped(tmp_path: Path) -> None:
    old = tmp_path / ".site.old"
    old.mkdir()
    (old / "index.html").write_text("previous")
    recover(tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text() == "previous"


def test_failure_during_mkdocs_leaves_the_previous_site(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert build(mini, out=out, quiet=True, workers=1) == 0
    before = tree_digest(out)
    summary = mini / "las/north/oakfield-S1.md"  # a change, so the second build builds (an unchanged one would not)
    summary.write_text(summary.read_text().replace("Caseloads are high", "Caseloads are very high"))

    def explode(spec):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # as if the user pressed Ctrl+C mid-build

    monkeypatch.setattr("generator.build.build_site", explode)
    with pytest.raises(KeyboardInterrupt):
        build(mini, out=out, quiet=True, workers=1)
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == []
