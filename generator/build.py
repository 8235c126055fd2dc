"""The build, stage by stage: load -> validate -> compute -> render -> MkDocs -> publish.

Everything is gathered and checked before anything is written, and the
sites are built in a staging folder that replaces the old ``site/`` in one
step at the end. A failure at any stage leaves the previous site as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from rich.console import Console

from . import __version__
from .charts.cache import ChartRegistry, copy_charts, draw_missing
from .content.loader import Study
from .errors import ContentError, Problem, UserError
from .exports.docx import WordReport, word_path, write_reports
from .fingerprint import inputs_fingerprint, remember, settings_digest, unchanged
from .progress import BuildProgress
from . import reuse
from .slim import share_theme_files, slim_site
from .leaks import find_leaks, foreign_names, leak_matcher, names_digest
from .output import check_target
from .content.records import DocumentRecords
from .pipeline import load_and_validate
from .publish import publish, staging_dir
from .render.landing import render_landing
from .render.environment import TEMPLATES
from .render.pages import Page, render_site
from .render.recorded import SiteInputs, record_path
from .site import SiteSpec, build_site, make_nav, write_docs
from .report import build_report
from .resolve import resolve_site
from .view import CROSS_CASE, INTERNAL, PUBLIC, SiteView
from .workers import forked_map, ignore_interrupts



@dataclass
class Timings:
    """Seconds spent in each stage, for the benchmark."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


@dataclass
class PlannedSite:
    key: str  # CROSS_CASE or an LA id
    name: str
    out: str  # folder inside the output, "" for a standalone LA build
    pages: list[Page]
    charts: ChartRegistry = field(default_factory=ChartRegistry)
    language: str = "en"
    alternates: list[dict[str, str]] = field(default_factory=list)  # Material's language switcher
    reused_pages: int = 0  # pages taken unchanged from the last build's record (render.recorded)

    @property
    def work_key(self) -> str:
        return self.key if self.language == "en" else f"{self.key}-{self.language}"


def base_config(content: Path) -> Path:
    """Return the mkdocs.yml every generated site inherits: the project's own, else ours."""
    own = content.resolve().parent / "mkdocs.yml"
    return own if own.is_file() else TEMPLATES / "mkdocs.yml"


@dataclass
class ResolvedSite:
    """One site to build, resolved for its audience: the compute stage's output, the render stage's input."""

    view: SiteView
    name: str
    out: str  # folder inside the output, "" for a standalone LA build


SHARD_MANIFEST = "shard.json"


def _nested_in(site: PlannedSite, planned: list[PlannedSite], folder: Path) -> list[Path]:
    """The folders, under ``folder``, of the sites nested in ``site``'s (an LA's Welsh site at la/x/cy)."""
    return [folder / other.out[len(site.out):].lstrip("/") for other in planned
            if other is not site and other.key == site.key and (not site.out or other.out.startswith(site.out + "/"))]


def _kept_sites(study: Study, units: list[str], inputs: dict[str, str],
                previous: dict[str, Any], target: Path) -> list[PlannedSite]:
    """The sites of each unit whose inputs and published folder are as the last build left them, from its records."""
    kept = []
    for unit in units:
        if unit == CROSS_CASE:
            keys = [CROSS_CASE]
        else:
            authority = next(d for d in study.local_authorities if d.model.id == unit)
            keys = [unit if language == "en" else f"{unit}-{language}" for language in dict.fromkeys(authority.model.languages)]
        records = [previous.get(key) for key in keys]
        if not all(isinstance(r, dict) and r.get("inputs") == inputs[unit] for r in records):
            continue
        sites = [PlannedSite(unit, r["name"], r["out"], [Page(path, title, "") for path, title in r["pages"]],
                             ChartRegistry(dict.fromkeys(r["charts"])), r["language"], r["alternates"])  # type: ignore[arg-type]
                 for r in records]  # type: ignore[index]
        if all((target / site.out if site.out else target).is_dir() and reuse.folder_digest(
                target / site.out if site.out else target,
                _nested_in(site, sites, target / site.out if site.out else target), r) == r["files"]  # type: ignore[index]
               for site, r in zip(sites, records)):
            kept += sites
    return kept


def _site_count(study: Study, la: str | None) -> int:
    """How many sites a build makes: the cross-case site and each LA's in each of its languages, or one LA's."""
    authorities = [d for d in study.local_authorities if la is None or d.model.id == la]
    return (0 if la else 1) + sum(len(dict.fromkeys(d.model.languages)) for d in authorities)


def shard_units(study: Study, shard: tuple[int, int]) -> set[str]:
    """The sites shard I of N builds: the cross-case site and the LAs (each with all its languages), dealt in turn."""
    number, count = shard
    units = [CROSS_CASE, *sorted(d.model.id for d in study.local_authorities)]
    return {unit for index, unit in enumerate(units) if index % count == number - 1}


def resolve_sites(study: Study, la: str | None, audience: str = INTERNAL,
                  on_site: Callable[[int], None] | None = None, only: set[str] | None = None) -> list[ResolvedSite]:
    """Resolve every site to build (the cross-case site and each LA's, or one LA's): nothing rendered yet."""
    return _resolve(_for_audience(study, audience), la, audience, on_site, only)


def _for_audience(study: Study, audience: str) -> Study:
    if audience == PUBLIC:  # disclosure control once, on the data: every page, chart and CSV reads these tables
        from .compute.disclosure import protect_study

        return protect_study(study)
    return study


def _resolve(study: Study, la: str | None, audience: str, on_site: Callable[[int], None] | None = None,
             only: set[str] | None = None) -> list[ResolvedSite]:
    assert study.project is not None
    title = study.project.model.title
    if la is not None:
        known = {d.model.id for d in study.local_authorities}
        if la not in known:
            raise UserError(f"--la {la}: no such local authority; known: {', '.join(sorted(known))}")
        authority = next(d for d in study.local_authorities if d.model.id == la)
        return _la_sites(study, authority, "", title, audience, on_site)
    resolved = []
    if only is None or CROSS_CASE in only:
        resolved.append(ResolvedSite(resolve_site(study, None, audience), f"Cross-case — {title}",
                                     CROSS_CASE))
        if on_site:
            on_site(1)
    for authority in sorted(study.local_authorities, key=lambda d: d.model.id):
        if only is None or authority.model.id in only:
            resolved += _la_sites(study, authority, f"la/{authority.model.id}", title, audience, on_site)
    return resolved


def _la_sites(study: Study, authority: Any, out: str, title: str, audience: str,
              on_site: Callable[[int], None] | None = None) -> list[ResolvedSite]:
    """An LA's site in each of its languages; with both, English at ``out`` and Welsh at ``out``/cy."""
    languages = list(dict.fromkeys(authority.model.languages))
    sites = []
    for language in languages:
        model = authority.model
        name = (model.name_cy or model.name) if language == "cy" else model.name
        own = (model.site_title_cy or model.site_title) if language == "cy" else model.site_title
        where = out if language == languages[0] else f"{out}/{language}".lstrip("/")
        sites.append(ResolvedSite(resolve_site(study, model.id, audience, language), own or f"{name} — {title}",
                                  where))
        if on_site:
            on_site(1)
    return sites


def plan_sites(study: Study, la: str | None, audience: str, units: list[str], workers: int | None = None,
               on_site: Callable[[int], None] | None = None, inputs: dict[str, SiteInputs] | None = None,
               cache: Path | None = None) -> list[PlannedSite]:
    """Resolve and render the sites of each unit (the cross-case site, or an LA in all its languages).

    Each unit is an independent task, run in worker processes that inherit the loaded study; sites come
    back in ``units`` order. The cross-case site, the largest, is first so it does not finish last alone.
    With each unit's ``inputs`` and a ``cache`` folder, pages whose inputs are unchanged since the last build
    are taken from its records (render.recorded), and tables and charts only they show are not computed.
    """
    study = _for_audience(study, audience)

    def done(sites: list[PlannedSite]) -> None:
        if on_site:
            on_site(len(sites))

    if len(units) <= 2:  # an edit's rebuild (an LA and the cross-case site): the cross-case site alone is most
        workers = 1      # of the work, and sending its result back from a worker costs more than the LA's share
    planned = forked_map(_plan_unit, units, (study, la, audience, inputs or {}, cache), workers, done)
    return [site for sites in planned for site in sites]


def _plan_unit(context: tuple[Study, str | None, str, dict[str, SiteInputs], Path | None], unit: str) -> list[PlannedSite]:
    study, la, audience, inputs, cache = context
    resolved = _resolve(study, la, audience, None, {unit})
    records = {id(r): record_path(cache, audience, r.view.key, r.view.language)
               for r in resolved if cache is not None and unit in inputs}
    return render_sites(resolved, inputs=inputs.get(unit), records=records)


def render_sites(resolved: list[ResolvedSite], on_site: Callable[[int], None] | None = None,
                 inputs: SiteInputs | None = None, records: dict[int, Path] | None = None) -> list[PlannedSite]:
    """Render the pages of every resolved site, in memory; each LA's languages link to one another.

    With ``inputs`` and a record for a site (by ``id`` of its ResolvedSite), pages are reused from it.
    """
    planned = []
    for r in resolved:
        record = (records or {}).get(id(r))
        pages, reused = render_site(r.view, inputs if record else None, record)
        planned.append(PlannedSite(r.view.key, r.name, r.out, pages, r.view.charts, r.view.language, reused_pages=reused))
        if on_site:
            on_site(1)
    labels = {"en": "English", "cy": "Cymraeg"}
    for key in dict.fromkeys(site.key for site in planned):
        sites = [site for site in planned if site.key == key]
        if len(sites) < 2:
            continue
        for site in sites:
            up = "../" if site is not sites[0] else ""
            site.alternates = [{"name": labels[other.language], "lang": other.language,
                                "link": (up + ("" if other is sites[0] else f"{other.language}/")) + "index.html"}
                               for other in sites]
    return planned


def build(
    content: Path,
    out: Path | None = None,
    la: str | None = None,
    strict: bool = False,
    quiet: bool = False,
    timings: Timings | None = None,
    workers: int | None = None,
    audience: str = INTERNAL,
    scheduler: str | None = None,
    shard: tuple[int, int] | None = None,
) -> int:
    """Build every site (or one LA's) from ``content`` into ``out``; return the exit status.

    Charts are cached in ``.cache/charts`` beside the content folder.
    """
    # lines are never wrapped: a path:line message must stay whole for editors and CI logs
    console = Console(stderr=True, highlight=False, quiet=quiet, soft_wrap=True)
    summary = Console(stderr=True, highlight=False, soft_wrap=True)  # the one line --quiet still prints
    timings = timings or Timings()
    started = time.perf_counter()
    target = out or (Path("site") / "la" / la if la else Path("site"))

    # 0. Nothing changed since the last build into this folder, and the folder is as it was published: done.
    cache_root = content.resolve().parent / ".cache"
    options = {"la": la, "audience": audience, "strict": strict, "shard": shard}
    fingerprint = inputs_fingerprint(content, options) if content.is_dir() else ""
    same = unchanged(cache_root, target, fingerprint) if fingerprint else None
    if same is not None:
        for line in same:
            console.print(line, markup=False)
        summary.print(f"[bold green]Nothing changed[/] since the last build of {target}/: left as it was"
                      + (f" ({len(same)} warnings)" if same else ""))
        return 0

    remote = _dask_executor(scheduler) if scheduler else None  # reached first: an unreachable one stops here
    try:
        return _build(content, target, la, strict, audience, workers, console, summary, timings, started,
                      cache_root, options, fingerprint, remote, shard)
    finally:
        if remote is not None:
            remote.shutdown()


def _build(content: Path, target: Path, la: str | None, strict: bool, audience: str, workers: int | None,
           console: Console, summary: Console, timings: Timings, started: float, cache_root: Path,
           options: dict[str, Any], fingerprint: str, remote: Any, shard: tuple[int, int] | None = None) -> int:
    # 1. Load every document and 2. check every reference; stop here on any error.
    with timings.stage("load+validate"):
        records = DocumentRecords(cache_root / "documents")
        study, warnings = load_and_validate(content, strict=strict, records=records)
    for warning in warnings:
        console.print(str(warning), markup=False)
    console.print(f"  [green]✓[/] checked {len(study.all_documents())} documents in "
                  f"{time.perf_counter() - started:.1f} s" + (f", {len(warnings)} warnings" if warnings else ""))
    # Before anything is written: never the content, never files the tool did not make.
    check_target(target, content, study.project and content.resolve().parent / study.project.model.identifier_register)
    records.save()

    with BuildProgress(console) as progress:
        # 3. Resolve each site for its audience (isolation, consent, every table and chart computed),
        # then 4. render its pages in memory from that model alone.
        if audience not in (INTERNAL, PUBLIC):
            raise UserError(f"--audience {audience}: expected internal or public")
        only = shard_units(study, shard) if shard else None
        known = {d.model.id for d in study.local_authorities}
        if la is not None and la not in known:
            raise UserError(f"--la {la}: no such local authority; known: {', '.join(sorted(known))}")
        units = [la] if la else [u for u in [CROSS_CASE, *sorted(d.model.id for d in study.local_authorities)]
                                 if only is None or u in only]
        # 2b. Sites whose inputs are what the last build into this folder read, published as they were: kept.
        with timings.stage("keep"):
            previous = reuse.load(cache_root, target)
            inputs, reads = reuse.unit_digests(study, content, units, settings_digest(content, options),
                                               {unit: names_digest(study, unit) for unit in units if unit != CROSS_CASE})
            kept = _kept_sites(study, units, inputs, previous, target)
        kept_ids = {id(site) for site in kept}
        todo = [unit for unit in units if unit not in {site.key for site in kept}]
        sites = sum(1 if unit == CROSS_CASE else _site_count(study, unit) for unit in todo)
        with timings.stage("compute+render"), progress.stage("Computing and rendering", sites) as step:
            planned = plan_sites(study, la, audience, todo, workers, on_site=step, inputs=reads,
                                 cache=cache_root) if todo else []
        if sum(site.reused_pages for site in planned):
            console.print(f"  [green]✓[/] {sum(site.reused_pages for site in planned)} page(s) whose inputs did not "
                          "change reused as rendered")
        order = {unit: index for index, unit in enumerate(units)}
        planned = sorted(planned + kept, key=lambda site: order[site.key])  # stable: each LA's languages in order
        if kept:
            console.print(f"  [green]✓[/] {len(kept)} site(s) whose inputs did not change kept as published")

        # 5. Draw the charts no earlier build has drawn, in parallel.
        with timings.stage("charts"):
            everything = ChartRegistry()
            for site in planned:
                if id(site) not in kept_ids:
                    everything.charts.update(site.charts.charts)
            cache = content.resolve().parent / ".cache" / "charts"
            drawn, reused = draw_missing(everything, cache, workers)
            if everything.charts:
                console.print(f"  [green]✓[/] charts: {drawn} drawn, {reused} unchanged (cached)")

        # 6. Build each site with MkDocs in a staging folder beside the target.
        staging = staging_dir(target)
        work = Path(tempfile.mkdtemp(prefix="generator-docs-"))
        try:
            with timings.stage("mkdocs"):
                specs = []
                nested = []
                digests: dict[str, str] = {}
                frames: dict[str, str] = {}
                pages_of: dict[str, dict[str, str]] = {}
                kept_pages = 0
                verified: dict[str, dict[str, list[Any]]] = {}
                reused: list[tuple[PlannedSite, Path, list[Path]]] = []
                for site in planned:
                    published = target / site.out if site.out else target
                    inner = _nested_in(site, planned, published)
                    if id(site) in kept_ids:
                        for name, value in (("digest", digests), ("frame", frames), ("page_digests", pages_of)):
                            value[site.work_key] = previous[site.work_key].get(name)
                        reused.append((site, published, inner))
                        continue
                    nav = make_nav(site.pages)
                    frames[site.work_key] = reuse.frame_digest(site, base_config(content), nav)
                    pages_of[site.work_key] = reuse.page_digests(site)
                    digests[site.work_key] = reuse.site_digest(site, base_config(content), nav)
                    record = previous.get(site.work_key) or {}
                    as_published = (record.get("frame") == frames[site.work_key] and published.is_dir()
                                    and reuse.folder_digest(published, inner, record) == record.get("files"))
                    if as_published:  # its files are what the record says: their digests, for the next record
                        verified[site.work_key] = record.get("each") or {}
                    if as_published and record.get("digest") == digests[site.work_key]:
                        reused.append((site, published, inner))  # its pages are what was published: not built again
                        continue
                    docs = work / site.work_key / "docs"
                    write_docs(site.pages, docs)
                    copy_charts(set(site.charts.charts), cache, docs / "assets")
                    site_dir = staging / site.out if site.out else staging
                    inside_another = any(o is not site and o.key == site.key and (not o.out or site.out.startswith(o.out + "/"))
                                         for o in planned)
                    if inside_another:
                        # MkDocs empties its output folder, so a site inside another is built aside and moved in after
                        nested.append((staging / f".{site.work_key}", site_dir))
                        site_dir = nested[-1][0]
                    if as_published:  # only some pages' text changed: MkDocs builds those over the published site
                        same = {path for path, digest in pages_of[site.work_key].items()
                                if (record.get("page_digests") or {}).get(path) == digest}
                        for path in same:
                            os.utime(docs / path, (0, 0))  # older than its page: MkDocs keeps the page
                        for chart in (docs / "assets" / "charts").iterdir():
                            if (published / "assets" / "charts" / chart.name).is_file():
                                os.utime(chart, (0, 0))  # named by its data: the published copy is the same
                        kept_pages += len(same)
                    specs.append(SiteSpec(
                        key=site.work_key, name=site.name, base_config=base_config(content), docs_dir=docs,
                        site_dir=site_dir, nav=nav, language=site.language, alternates=site.alternates,
                        published=published if as_published else None, inner=inner,
                    ))
                with progress.stage("Building with MkDocs", len(specs)) as step:
                    _run_mkdocs(specs, planned, console, workers, on_site=step, remote=remote)
                if kept_pages:
                    console.print(f"  [green]✓[/] {kept_pages} page(s) whose text did not change kept as published")
                for site, published, inner in reused:  # after MkDocs, which empties the folders it builds into
                    reuse.link_site(published, staging / site.out if site.out else staging, inner)
                if reused:
                    console.print(f"  [green]✓[/] {len(reused)} unchanged site(s) reused as published")
                for built, final in nested:
                    os.replace(built, final)
                saved = sum(slim_site((staging / site.out) if site.out else staging) for site in planned)
                saved += share_theme_files(staging)
                console.print(f"  [green]✓[/] theme files: {saved / 1e6:.1f} MB not written twice or never loaded")

            # 6b. Reports as Word documents, converted from the pages just built (so they carry what the page carries).
            with timings.stage("word"):
                reports = [WordReport(html=(staging / site.out if site.out else staging) / (page.path[:-3] + ".html"),
                                      docx=(staging / site.out if site.out else staging) / word_path(page.path),
                                      title=page.title)
                           for site in planned for page in site.pages
                           if page.word and all(site is not r[0] for r in reused)]
                converted = write_reports(reports, everything, content.resolve().parent / ".cache", workers)
                if reports:
                    console.print(f"  [green]✓[/] Word reports: {converted} converted, {len(reports) - converted} unchanged")

            # 7. The build report beside the site, then a guard: no LA site may mention another LA, anywhere.
            with timings.stage("check"):
                (staging / "build-report.json").write_text(build_report(study, planned, audience, la), encoding="utf-8")
                scanned = [site for site in planned if site.key != CROSS_CASE and id(site) not in kept_ids]  # kept: scanned
                scans = [(site.key, staging / site.out if site.out else staging,
                          f"{target.as_posix()}/{site.out}".rstrip("/"),
                          _nested_in(site, scanned, staging / site.out if site.out else staging))  # scanned on their own
                         for site in scanned]
                names = {site.key: foreign_names(study, site.key) for site in scanned}
                found = forked_map(_scan_site, scans, (names, leak_matcher(names.values())), workers)
                leaks = [problem for problems in found for problem in problems]
                if leaks:
                    raise ContentError(leaks)
                if shard is not None:  # what `generator merge` needs to put the shards together as one build
                    (staging / SHARD_MANIFEST).write_text(json.dumps({
                        "shard": list(shard), "inputs": inputs_fingerprint(content, {**options, "shard": None}),
                        "audience": audience,
                        "sites": [{"key": p.key, "name": p.name, "out": p.out, "language": p.language,
                                   "pages": len(p.pages), "charts": sorted(p.charts.charts)} for p in planned],
                    }), encoding="utf-8")
                elif la is None:
                    (staging / "index.html").write_text(render_landing(study, planned, __version__), encoding="utf-8")

            # 8. Publish: swap the new site into place in one step.
            with timings.stage("publish"):
                publish(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)

    if inputs_fingerprint(content, options) == fingerprint:  # not edited while it was being built
        remember(cache_root, target, fingerprint, [str(w) for w in warnings])
        records = {}
        for site in planned:
            published = target / site.out if site.out else target
            inner = _nested_in(site, planned, published)
            # a site reused whole was checked against its record before it was linked in (linking changes
            # its files' change time, not their bytes): its digests are the record's
            kept_as_it_was = previous.get(site.work_key) if any(site is r[0] for r in reused) else None
            if kept_as_it_was and kept_as_it_was.get("files") and isinstance(kept_as_it_was.get("each"), dict):
                files, each = kept_as_it_was["files"], kept_as_it_was["each"]
            else:  # built: files linked from the publication checked at the start are not read again
                each = {}
                files = reuse.folder_digest(published, inner, each=each, trusted=verified.get(site.work_key))
            records[site.work_key] = {
                "digest": digests[site.work_key], "frame": frames.get(site.work_key),
                "page_digests": pages_of.get(site.work_key), "stats": reuse.folder_stats(published, inner),
                "files": files, "each": each,
                "inputs": inputs[site.key], "name": site.name, "out": site.out, "language": site.language,
                "alternates": site.alternates, "pages": [[page.path, page.title] for page in site.pages],
                "charts": sorted(site.charts.charts)}
        reuse.save(cache_root, target, records)
    pages = sum(len(site.pages) for site in planned)
    seconds = time.perf_counter() - started
    what = ("1 LA site" if la else f"{len(planned)} sites (cross-case + {len(planned) - 1} LAs)") + f", {audience}"
    summary.print(f"[bold green]Built[/] {what}, {pages} pages, into {target}/ in {seconds:.1f} s"
                  + (f" ({len(warnings)} warnings)" if warnings else ""))
    return 0


def _dask_executor(scheduler: str) -> Any:
    """A concurrent.futures executor on the workers of the Dask cluster at ``scheduler``."""
    try:
        from distributed import Client
    except ImportError:
        raise UserError("--scheduler needs Dask's distributed scheduler: pip install 'generator[dask]'") from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise UserError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({error})") from None
    executor = client.get_executor(pure=False)
    close = executor.shutdown

    def shutdown(wait: bool = True, **_: Any) -> None:  # the client goes with its executor
        close(wait=wait)
        client.close()

    executor.shutdown = shutdown
    return executor


def _scan_site(context: tuple[dict[str, Any], Any], scan: tuple[str, Path, str, list[Path]]) -> list[Problem]:
    names, matcher = context
    key, site_dir, shown, inner = scan
    return find_leaks(site_dir, names[key], shown, matcher, skip=inner)


def _run_mkdocs(specs: list[SiteSpec], planned: list[PlannedSite], console: Console, workers: int | None,
                on_site: Callable[[int], None] | None = None, remote: Any = None) -> None:
    """Build each site with MkDocs: an independent task per site. With a Dask scheduler, its workers must see
    this machine's work folder and staging folder (a shared file system), as on a cluster's shared disk."""
    workers = workers or min(len(specs), os.cpu_count() or 1)
    pages = {site.work_key: len(site.pages) for site in planned}
    started = time.perf_counter()
    if workers <= 1 and remote is None:
        results = ((spec, build_site(spec)) for spec in specs)
        _report(results, pages, started, console, on_site)
        return
    if remote is not None:  # a Dask cluster's executor, opened (and closed) by the build
        futures = [(spec, remote.submit(build_site, spec)) for spec in specs]
        _report(((spec, future.result()) for spec, future in futures), pages, started, console, on_site)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=ignore_interrupts) as pool:
        futures = [(spec, pool.submit(build_site, spec)) for spec in specs]
        _report(((spec, future.result()) for spec, future in futures), pages, started,
                console, on_site)


def _report(results, pages: dict[str, int], started: float, console: Console,  # type: ignore[no-untyped-def]
            on_site: Callable[[int], None] | None = None) -> None:
    for spec, messages in results:
        if on_site:
            on_site(1)
        label = "cross-case site" if spec.key == CROSS_CASE else f"LA site {spec.key}"
        console.print(f"  [green]✓[/] {label:<28} {pages[spec.key]:>4} pages  {time.perf_counter() - started:5.1f} s")
        for message in messages:
            console.print(f"    mkdocs warning: {message}", markup=False)
