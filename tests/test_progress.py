"""The build's progress: live bars on a terminal, plain stage lines in a log."""

from __future__ import annotations

import io

from rich.console import Console

from generator.progress import BuildProgress


def run(console: Console) -> str:
    with BuildProgress(console) as progress:
        with progress.stage("Computing", 3) as step:
            for _ in range(3):
                step(1)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_a_log_gets_one_line_per_stage_and_no_bars() -> None:
    out = run(Console(file=io.StringIO(), force_terminal=False, width=100))
    assert out == "  ✓ Computing: 3 sites in 0.0 s\n"


def test_a_terminal_gets_a_live_bar_with_counts_and_an_estimate() -> None:
    out = run(Console(file=io.StringIO(), force_terminal=True, width=120, highlight=False))
    assert "Computing" in out and "3/3" in out and "left" in out
    assert "✓" in out and "3 sites" in out


def test_quiet_prints_nothing() -> None:
    assert run(Console(file=io.StringIO(), force_terminal=True, quiet=True)) == ""
