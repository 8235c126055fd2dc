"""Draw each chart once: files are named by a hash of their inputs and kept between builds.

The hash covers the chart kind, the plotted numbers, the words on the
chart, the format and the versions of matplotlib and of this tool, so a
change to any of them draws afresh and nothing else does. Missing charts
are drawn in parallel, one process per core.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..output import write_file_atomically
from ..workers import ignore_interrupts
from .common import ChartData


@functools.cache
def versions() -> str:
    """What else decides a chart's image and CSV: the library, and the code and words that draw and write them."""
    import hashlib

    import matplotlib

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted([*package.glob("charts/*.py"), package / "csv_download.py", *package.glob("locale/*/*/*.po")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    python = sys.version.split()[0]  # the chart's key pickles its numbers: another Python may write other bytes
    return f"generator {__version__}; matplotlib {matplotlib.__version__}; Python {python}; code {digest.hexdigest()[:16]}"


@dataclass
class ChartRegistry:
    """The charts one build needs, by file name."""

    charts: dict[str, ChartData] = field(default_factory=dict)

    def add(self, data: ChartData) -> str:
        """Register a chart; return its file name (hash and format, nothing else)."""
        name = f"{data.key(versions())}.{data.fmt}"
        self.charts.setdefault(name, data)
        return name


def _draw(data: ChartData) -> bytes:
    from . import choices, comparability, curve, funnel, growth, likert, panel, rates, waves

    module = {"panel": panel, "rates": rates, "funnel": funnel, "comparability": comparability, "growth": growth,
              "likert": likert, "choices": choices, "waves": waves, "curve": curve}[data.kind]
    import warnings

    with warnings.catch_warnings():
        # matplotlib falls back to a plain layout when labels leave no room (an author's 250-character title):
        # the chart is still drawn and saved, so that is no reason to stop, nor to print a warning per chart
        warnings.filterwarnings("ignore", message="(constrained_layout|Tight layout) not applied", category=UserWarning)
        return module.draw(data)


def draw_missing(registry: ChartRegistry, cache: Path, workers: int | None = None) -> tuple[int, int]:
    """Draw every registered chart not yet in ``cache``; return (drawn, reused)."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = [(name, data) for name, data in sorted(registry.charts.items()) if not (cache / name).is_file()]
    for name, data in registry.charts.items():
        csv = (cache / name).with_suffix(".csv")
        if not csv.is_file():  # its name is a hash of all that decides it, as the image's is
            write_file_atomically(csv, data.csv_bytes())
    workers = min(len(missing), workers or os.cpu_count() or 1)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=ignore_interrupts) as pool:
            images = list(pool.map(_draw, [data for _, data in missing]))
    else:
        images = [_draw(data) for _, data in missing]
    for (name, _), image in zip(missing, images):
        temporary = cache / f".{name}.{os.getpid()}"
        temporary.write_bytes(image)
        os.replace(temporary, cache / name)  # never a half-written chart in the cache
    return len(missing), len(registry.charts) - len(missing)


def copy_charts(names: set[str], cache: Path, docs_assets: Path) -> None:
    """Put the charts a site uses (image and CSV) from the cache into its docs folder: hard links, as MkDocs
    only reads its docs (copies where links cannot be made, as across file systems)."""
    target = docs_assets / "charts"
    target.mkdir(parents=True, exist_ok=True)
    for name in sorted(names):
        for file in (name, Path(name).with_suffix(".csv").name):
            try:
                os.link(cache / file, target / file)
            except OSError:
                shutil.copyfile(cache / file, target / file)
