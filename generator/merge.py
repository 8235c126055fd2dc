"""`generator merge CONTENT SHARD... --out SITE`: shards built apart (CI matrix runners) put together as one build.

Each ``build --shard I/N`` builds some of the sites, checks them (the leak
scan included) and writes ``shard.json``: which sites, their pages and charts,
and the fingerprint of what it read. The merge checks that the shards come
from the same content and tool and cover every site exactly once, puts their
files side by side, writes what only a whole build has (the landing page and
the build report), stores identical theme files once, and publishes in one
step, as a build does.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UserError


@dataclass
class _Site:
    """A built site as the landing page and the build report read it."""

    key: str
    name: str
    out: str
    language: str
    pages: list[None]
    charts: Any = field(default=None)


class _Charts:
    def __init__(self, names: list[str]) -> None:
        self.charts = dict.fromkeys(names)


def merge(content: Path, shards: list[Path], target: Path) -> int:
    from . import __version__
    from .build import CROSS_CASE, SHARD_MANIFEST, shard_units
    from .fingerprint import inputs_fingerprint
    from .output import check_target
    from .pipeline import load_and_validate
    from .publish import publish, staging_dir
    from .render.landing import render_landing
    from .report import build_report
    from .reuse import link_site
    from .slim import share_theme_files

    manifests = []
    for folder in shards:
        try:
            manifests.append(json.loads((folder / SHARD_MANIFEST).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            raise UserError(f"{folder}: not a shard (no readable {SHARD_MANIFEST}); build it with --shard I/N") from None
    study, _ = load_and_validate(content)
    check_target(target, content, study.project and content.resolve().parent / study.project.model.identifier_register)
    audiences = {m["audience"] for m in manifests}
    counts = {m["shard"][1] for m in manifests}
    if len(audiences) != 1 or len(counts) != 1:
        raise UserError("the shards were built for different audiences or shard counts; build them alike")
    audience, count = audiences.pop(), counts.pop()
    wanted = inputs_fingerprint(content, {"la": None, "audience": audience, "strict": False, "shard": None})
    for folder, manifest in zip(shards, manifests):
        if manifest["inputs"] != wanted:
            raise UserError(f"{folder}: built from other content (or another version of the tool) than {content}")
    numbers = sorted(m["shard"][0] for m in manifests)
    if numbers != list(range(1, count + 1)):
        raise UserError(f"shards {numbers} given; all of 1 to {count} are needed, each once")
    order = [CROSS_CASE, *sorted(d.model.id for d in study.local_authorities)]
    for number in range(1, count + 1):
        expected = shard_units(study, (number, count))
        found = next(m for m in manifests if m["shard"][0] == number)
        if {s["key"] for s in found["sites"]} != expected:
            raise UserError(f"shard {number}/{count} does not hold the sites it should; build it again")
    planned = sorted((_Site(s["key"], s["name"], s["out"], s["language"], [None] * s["pages"], _Charts(s["charts"]))
                      for m in manifests for s in m["sites"]),
                     key=lambda s: (order.index(s.key), s.out))
    staging = staging_dir(target)
    try:
        for folder in shards:
            link_site(folder, staging, [], leave_out=(SHARD_MANIFEST, "build-report.json"))
        (staging / "build-report.json").write_text(build_report(study, planned, audience), encoding="utf-8")
        (staging / "index.html").write_text(render_landing(study, planned, __version__), encoding="utf-8")  # type: ignore[arg-type]
        share_theme_files(staging)
        publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print(f"Merged {len(shards)} shards: {len(planned)} sites into {target}/")
    return 0
