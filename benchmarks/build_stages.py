"""Where build time goes: the share of one demo build spent in each stage.

Run with `make benchmark` (or `.venv/bin/python benchmarks/build_stages.py [CONTENT]`).
Machines are shared and noisy, so read the shares and ratios, not the seconds.
MkDocs runs one site at a time here so its share is comparable between runs,
and charts are drawn into an empty cache (as on a first build), one process.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.build import base_config  # noqa: E402
from generator.charts.cache import ChartRegistry, draw_missing  # noqa: E402
from generator.compute.matrix import compute_matrix  # noqa: E402
from generator.content.loader import load_study  # noqa: E402
from generator.render.pages import render_site_pages  # noqa: E402
from generator.site import SiteSpec, build_site, make_nav, write_docs  # noqa: E402
from generator.validate import validate_study  # noqa: E402
from generator.resolve import resolve_site  # noqa: E402


def main() -> int:
    content = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
    stages: dict[str, float] = {}

    def timed(name, func, *args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = func(*args)
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - start
        return result

    study, problems = timed("load", load_study, content)
    problems += timed("validate", validate_study, study)
    keys = [None] + sorted(d.model.id for d in study.local_authorities)
    views = [timed("compute", resolve_site, study, key) for key in keys]
    for view in views:
        timed("compute", compute_matrix, view)
    pages = [timed("render", render_site_pages, view) for view in views]
    with tempfile.TemporaryDirectory() as work:
        everything = ChartRegistry()
        for view in views:
            everything.charts.update(view.charts.charts)
        timed("charts", draw_missing, everything, Path(work) / "cache", 1)
        for view, site_pages in zip(views, pages):
            docs = Path(work) / view.key / "docs"
            timed("render", write_docs, site_pages, docs)
            spec = SiteSpec(view.key, view.key, base_config(content), docs, Path(work) / "out" / view.key, make_nav(site_pages))
            timed("mkdocs", build_site, spec)
    total = sum(stages.values())
    page_count = sum(len(p) for p in pages)
    print(f"{content}: {len(study.all_documents())} documents, {len(views)} sites, {page_count} pages, "
          f"{len(everything.charts)} charts")
    print(f"{'stage':<10} {'share':>7}")
    for name, seconds in stages.items():
        print(f"{name:<10} {seconds / total:>7.1%}")
    print(f"mkdocs / everything else: {stages['mkdocs'] / (total - stages['mkdocs']):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
