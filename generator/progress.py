"""What a build shows while it runs: a live bar per stage on a terminal, one line per stage in a log.

On a terminal (and without ``--quiet``) rich.progress draws each stage with
the sites done, the time taken and an estimate of the time left; the bars
vanish when the build ends, leaving the stage lines. Elsewhere (CI logs, a
pipe) only the lines are printed, one per finished stage, so a log reads the
same on every run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)


class BuildProgress:
    def __init__(self, console: Console) -> None:
        self.console = console
        live = console.is_terminal and not console.quiet
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description:<24}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                 console=console, transient=True, disable=not live)

    def __enter__(self) -> BuildProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    @contextmanager
    def stage(self, description: str, total: int, unit: str = "sites") -> Iterator[Callable[[int], None]]:
        """A stage of ``total`` steps; yields the function that marks steps done. Prints its line when it ends."""
        task = self.progress.add_task(description, total=max(total, 1))
        started = time.perf_counter()
        done = 0

        def advance(steps: int = 1) -> None:
            nonlocal done
            done += steps
            self.progress.advance(task, steps)
            self.progress.refresh()  # steps are sites: few enough to show each one

        try:
            yield advance
        finally:
            self.progress.remove_task(task)
        if total:
            self.console.print(f"  [green]✓[/] {description}: {total} {unit} in {time.perf_counter() - started:.1f} s")
