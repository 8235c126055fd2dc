"""How build time grows with the number of LAs: the demo expanded to a synthetic national study.

    .venv/bin/python benchmarks/national.py [--las 18,43,93,197] [--baseline] [--charts DIR]

Each added LA is a copy of one demo LA's folder (its site, sources, code
documents and blocks), renamed to one of the demo panel's comparator
authorities, which every demo dataset already has rows for; names are made up
so that no copy names another. For each size it prints, from one run each:
the cold build (chart cache warm, as after a first build), a rebuild with
nothing changed, and a rebuild after one source is edited, as ratios to the
cold build, with the share of time per stage, peak memory and the size of an
LA's site. Then the ratio of the tool's cold build to plain MkDocs with
Material building the same pages. Machines are shared and noisy: read the
ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEMPLATE_LA = "brackenford"
SYLLABLES = ["ash", "bel", "cor", "dun", "el", "fen", "gar", "hol", "ister", "jor", "kel", "lan", "mor", "nor", "ost",
             "pel", "quen", "ros", "sel", "tor", "ul", "ven", "wes", "yar"]


def made_up_names() -> itertools.chain[str]:
    """Place names no demo text holds: two syllables and an ending, each used once."""
    endings = ["by", "ford", "ham", "ley", "mouth", "wick"]
    return (f"{a}{b}{e}".capitalize() for a, b, e in itertools.product(SYLLABLES, SYLLABLES, endings) if a != b)


def comparators(content: Path) -> list[tuple[str, str]]:
    with open(content / "data" / "england-las.csv", encoding="utf-8") as handle:
        return [(row["la"], row["name"]) for row in csv.DictReader(handle) if row["la"].startswith("cmp-")]


ENGLAND = ("england-las.csv", "england-children.csv", "england-spending.csv")  # every file with a row per LA


def more_comparators(content: Path, wanted: int) -> None:
    """Add comparator LAs to the copy's English datasets until there are ``wanted``: each a copy of an
    existing comparator's rows under a new id, its deprivation score moved a little so thirds still differ."""
    have = comparators(content)
    extra = wanted - len(have)
    if extra <= 0:
        return
    for name in ENGLAND:
        path = content / "data" / name
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        header = list(rows[0])
        by_la: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            by_la.setdefault(row["la"], []).append(row)
        added = []
        for number in range(extra):
            original = have[number % len(have)][0]
            for row in by_la[original]:
                copy = {**row, "la": f"cmp-s{number + 1:03d}"}
                if "name" in copy:
                    copy["name"] = f"Comparator S{number + 1:03d}"
                if "imd_score" in copy:
                    copy["imd_score"] = f"{float(copy['imd_score']) + 0.01 * (number + 1):.2f}"
                added.append(copy)
        with open(path, "a", encoding="utf-8", newline="") as handle:
            csv.DictWriter(handle, header, lineterminator="\n").writerows(added)


def expand(demo: Path, target: Path, count: int) -> Path:
    """A copy of the demo with ``count`` more LAs; returns the content folder."""
    content = target / "content"
    shutil.copytree(demo, content)
    more_comparators(content, count)
    template = content / "local-authorities" / TEMPLATE_LA
    text = (template / "sites" / "millbank.md").read_text(encoding="utf-8")
    site_name = re.search(r"^name: (.+)$", text, re.M).group(1)  # type: ignore[union-attr]
    names = made_up_names()
    for number, (la_id, la_name) in enumerate(comparators(content)[:count], 1):
        place, site = next(names), next(names)
        prefix = f"x{number:03d}-"
        folder = content / "local-authorities" / la_id
        for path in template.rglob("*"):
            relative = path.relative_to(template).as_posix()
            relative = relative.replace("millbank", f"site{number:03d}").replace("bf-", prefix)
            out = folder / relative
            if path.is_dir():
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix not in (".md", ".csv"):
                shutil.copyfile(path, out)
                continue
            words = path.read_text(encoding="utf-8")
            words = re.sub(r"\bbf-", prefix, words)
            words = words.replace(TEMPLATE_LA, la_id).replace("Brackenford", place)
            words = words.replace("millbank", f"site{number:03d}").replace(site_name, site)
            words = re.sub(r"^name: .+$", f"name: {place}", words, count=1, flags=re.M) if relative == "local-authority.md" else words
            words = re.sub(r"E0299\d{4}", lambda m: f"E02{number:03d}{m.group(0)[-3:]}", words)
            if relative == "local-authority.md":  # its own rank is in the datasets; the copy's declared one is not
                words = re.sub(r"^deprivation:\n(?:  .*\n)+", "", words, flags=re.M)
            out.write_text(words, encoding="utf-8")
    return content


def timed_build(content: Path, out: Path) -> tuple[float, dict[str, float]]:
    from generator.build import Timings, build

    timings = Timings()
    start = time.perf_counter()
    status = build(content, out=out, quiet=True, timings=timings)
    if status != 0:
        raise SystemExit(f"build of {content} failed")
    return time.perf_counter() - start, dict(timings.stages)


def plain_mkdocs(content: Path, work: Path) -> float:
    """Seconds for MkDocs with Material alone to build the same pages (our Markdown, Material's defaults),
    as many sites at a time as there are cores, as the tool builds them."""
    import yaml

    from generator.build import CROSS_CASE, plan_sites
    from generator.pipeline import load_and_validate
    from generator.site import make_nav, write_docs

    study, _ = load_and_validate(content)
    units = [CROSS_CASE, *sorted(d.model.id for d in study.local_authorities)]
    planned = plan_sites(study, None, "internal", units)
    configs = []
    for site in planned:
        docs = work / site.work_key / "docs"
        write_docs(site.pages, docs)
        config = work / site.work_key / "mkdocs.yml"
        config.write_text(yaml.safe_dump({"site_name": site.name, "docs_dir": str(docs),
                                          "site_dir": str(work / site.work_key / "site"),
                                          "theme": {"name": "material"}, "nav": make_nav(site.pages),
                                          "use_directory_urls": False}), encoding="utf-8")
        configs.append(config)
    from concurrent.futures import ThreadPoolExecutor

    def one(config: Path) -> None:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], check=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})  # Material's end-of-life banner, per site

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # as many sites at a time as the tool builds
        list(pool.map(one, configs))
    return time.perf_counter() - start


def site_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--las", default="18,43,93,197",
                        help="numbers of LAs added to the demo's 7, comma-separated (default: 25, 50, 100 and 204 LAs)")
    parser.add_argument("--baseline", action="store_true", help="also time plain MkDocs on the largest study")
    parser.add_argument("--charts", type=Path, help="a chart cache folder to use (and fill) for every size, "
                        "for example one an earlier run of this benchmark left; by default a new one")
    args = parser.parse_args()
    sizes = [int(n) for n in args.las.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="generator-national-") as folder:
        for count in sizes:  # first every study and its charts, so the timed builds below run one after another
            target = Path(folder) / f"n{count}"
            content = expand(ROOT / "content", target, count)
            # one chart cache for every size: an LA's charts are the same at every size, so each is drawn once
            (target / ".cache").mkdir(parents=True)
            charts = args.charts.resolve() if args.charts else Path(folder) / "charts"
            charts.mkdir(exist_ok=True)
            (target / ".cache" / "charts").symlink_to(charts, target_is_directory=True)
            started = time.perf_counter()
            timed_build(content, target / "site")  # draws the charts: the timed builds start with a warm chart cache
            print(f"{7 + count} LAs: study made and charts drawn in {time.perf_counter() - started:.0f} s", flush=True)
            shutil.rmtree(target / "site")
            for kept in ("builds", "pages"):  # the cold build below starts with no record of this one
                shutil.rmtree(content.parent / ".cache" / kept, ignore_errors=True)
        for count in sizes:
            target = Path(folder) / f"n{count}"
            content, out = target / "content", target / "site"
            cold, stages = timed_build(content, out)
            same, _ = timed_build(content, out)
            las = content / "local-authorities"  # an added LA's interview, or the demo's own
            source = min(las.glob("cmp-*/sources/*-int-01.md"), default=las / TEMPLATE_LA / "sources" / "bf-int-01.md")
            text = source.read_text(encoding="utf-8")
            source.write_text(text + "\n*An edit for the benchmark.*\n", "utf-8")  # prose, outside any extract
            edit, edit_stages = timed_build(content, out)
            lines = text.splitlines(keepends=True)
            inside = next(i for i, line in enumerate(lines) if line.startswith("::: extract")) + 1
            lines[inside] = lines[inside].rstrip("\n") + " An edit for the benchmark.\n"  # a coded extract's words
            source.write_text("".join(lines), "utf-8")
            quoted, quoted_stages = timed_build(content, out)
            la_site = next((out / "la").glob("cmp-*")) if count else out / "la" / TEMPLATE_LA
            rows.append((count, cold, same, edit, stages, site_size(la_site)))
            print(f"{7 + count} LAs: cold {cold:.1f} s; nothing changed {same / cold:.1%} of cold; one source's prose "
                  f"edited {edit / cold:.0%} of cold ({edit:.1f} s), an extract's words {quoted / cold:.0%} "
                  f"({quoted:.1f} s); an LA site {site_size(la_site) / 1e6:.1f} MB", flush=True)
            shares = ", ".join(f"{name} {seconds / cold:.0%}" for name, seconds in stages.items() if seconds >= 0.05)
            print(f"    stages: {shares}", flush=True)
            for what, seconds_, parts in (("prose", edit, edit_stages), ("extract", quoted, quoted_stages)):
                shares = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in parts.items() if seconds >= 0.05)
                print(f"    one {what} edit, {seconds_:.1f} s: {shares}", flush=True)
        if args.baseline:
            count = sizes[-1]
            plain = plain_mkdocs(Path(folder) / f"n{count}" / "content", Path(folder) / "plain")
            print(f"{7 + count} LAs: the tool's cold build is {rows[-1][1] / plain:.2f}x plain MkDocs with Material "
                  f"on the same pages, {os.cpu_count()} sites at a time")
    first = rows[0]
    for count, cold, *_ in rows[1:]:
        print(f"from {7 + first[0]} to {7 + count} LAs ({(7 + count) / (7 + first[0]):.1f}x): cold build "
              f"{cold / first[1]:.1f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB in the build's own process, {workers:.0f} MB in the largest worker")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
