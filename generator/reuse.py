"""Reusing a built site whose inputs or pages did not change: an edit rebuilds only the sites it reaches.

Two levels. Before anything is computed, each site's inputs are hashed: the
files it may read. An LA's site may read every file except the narrative
documents (sources, code documents, case-study sites, outcome case studies,
report cards) of other LAs, which isolation keeps out of it; it also depends
on the names the leak scan looks for in it. When those inputs equal the ones
recorded at the last build into the same folder and its published folder is
as published, the site is not computed, rendered, built or scanned again: its
files are linked into the new build. The cross-case site reads everything.

Otherwise, after rendering, each site is a list of pages, files and charts. Their digest
(with the tool's own digest, the MkDocs configuration and the site's name,
language and navigation) says everything MkDocs would be given. When it
equals the digest recorded for the same site at the last build into the same
folder, and that site's published folder is still byte for byte what was
published, the published files are hard-linked into the new build instead of
built again. Later stages never write into a reused folder in place (they
replace files, or skip reused sites), so the live site cannot change under a
reader. The leak scan reads every site built or reused at this level; a site kept
before computing was scanned for the same names when it was published.

Third, a site whose frame (everything but its pages' text: configuration,
navigation, titles, the names of every page, file and chart) equals the last
build's, published as it was, is built by MkDocs over a private copy of its
published folder, and only the pages whose text changed are built again
(MkDocs' dirty build; site_hooks.py reads the other pages' titles and puts
their search entries back in place). With the frame unchanged, the pages kept
are what a full build would write: every page's HTML depends only on its own
text and the frame.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from collections.abc import Set as AbstractSet
from typing import Any

from .fingerprint import record_path, tool_digest
from .output import write_file_atomically
from .render.recorded import SiteInputs, prose_free_digest


NARRATIVE = ("sources", "code_documents", "sites", "case_studies", "report_cards")  # what isolation keeps in its LA


def unit_inputs(study: Any, content: Path, units: list[str], common: str, names: dict[str, str]) -> dict[str, str]:
    """{unit: digest of what its sites read}: the cross-case site (CROSS_CASE) or an LA (by id), each with
    ``names[unit]``, the digest of the names its site may not hold. Each file is read and hashed once."""
    return unit_digests(study, content, units, common, names)[0]


def unit_digests(study: Any, content: Path, units: list[str], common: str,
                 names: dict[str, str]) -> tuple[dict[str, str], dict[str, SiteInputs]]:
    """``unit_inputs``, and what each unit's pages read (render.recorded): the same digest with every source's
    prose left out, and each source's own file."""
    files = {path.relative_to(content).as_posix(): hashlib.sha256(path.read_bytes()).digest()
             for path in sorted(content.rglob("*")) if path.is_file()}
    sources = {Path(s.path).relative_to(study.root.name).as_posix(): s for s in study.sources}
    prose_free = {**files, **{name: prose_free_digest(s) for name, s in sources.items() if name in files}}
    every = _by_unit(study, files, units, common, names)
    contexts = _by_unit(study, prose_free, units, common + "\0context", names)
    source_files = {s.model.id: files[name].hex() for name, s in sources.items() if name in files}
    return every, {unit: SiteInputs(contexts[unit], every[unit], source_files) for unit in units}


def _by_unit(study: Any, files: dict[str, bytes], units: list[str], common: str, names: dict[str, str]) -> dict[str, str]:
    from .content.kinds import owner_la
    from .view import CROSS_CASE

    sites = {site.model.id: site for site in study.sites}
    owners = {}
    for collection in NARRATIVE:
        for document in getattr(study, collection):
            owner = owner_la(document, sites)
            if owner is not None:
                owners[Path(document.path).relative_to(study.root.name).as_posix()] = owner
    every = hashlib.sha256()  # every file: what the cross-case site reads
    by_owner: dict[str | None, Any] = {}  # None: files no LA owns, which every LA's site may read
    for name, file_digest in files.items():
        data = name.encode() + b"\0" + file_digest
        every.update(data)
        by_owner.setdefault(owners.get(name), hashlib.sha256()).update(data)
    shared = by_owner.get(None, hashlib.sha256()).hexdigest()
    digests = {}
    for unit in units:
        digest = hashlib.sha256(common.encode())
        digest.update(unit.encode() + b"\0")
        if unit == CROSS_CASE:
            digest.update(every.digest())
        else:
            digest.update(shared.encode() + b"\0" + by_owner.get(unit, hashlib.sha256()).hexdigest().encode())
        digest.update((names.get(unit) or "").encode())
        digests[unit] = digest.hexdigest()
    return digests


def site_digest(site: Any, base_config: Path, nav: Any) -> str:
    """Everything MkDocs is given for the site: its frame and every page."""
    digest = hashlib.sha256(frame_digest(site, base_config, nav).encode())
    for path, page in sorted(page_digests(site).items()):
        digest.update(path.encode() + b"\0" + page.encode())
    return digest.hexdigest()


def frame_digest(site: Any, base_config: Path, nav: Any) -> str:
    """What every page of a site's MkDocs output depends on besides its own text: the tool, the configuration,
    the site's name, language and navigation, every page's title and place, and the names of every file."""
    digest = hashlib.sha256(tool_digest().encode())
    digest.update(base_config.read_bytes())
    digest.update(json.dumps([site.work_key, site.name, site.out, site.language, site.alternates, nav],
                             sort_keys=True, default=str).encode())
    for page in site.pages:
        digest.update(json.dumps([page.path, page.title, page.section, page.nav, page.meta, page.word,
                                  sorted(page.files)], sort_keys=True, default=str).encode())
    digest.update(json.dumps(sorted(site.charts.charts)).encode())  # a chart's name is the hash of its files
    return digest.hexdigest()


def page_digests(site: Any) -> dict[str, str]:
    """{page path: digest of its text and of the files it carries}."""
    digests = {}
    for page in site.pages:
        digest = hashlib.sha256(page.markdown.encode("utf-8"))
        for name, data in sorted(page.files.items()):
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        digests[page.path] = digest.hexdigest()
    return digests


def stage_site(published: Path, staging: Path, inner: list[Path], linked: AbstractSet[str] = frozenset()) -> None:
    """The published site as a dirty build's starting point, its times kept, so MkDocs can tell the pages it
    must build again from those it may keep: the files named in ``linked`` (relative paths, the ones MkDocs
    will not write) as hard links, every other file a private copy, since MkDocs writes into the files it
    builds over and a link would carry the write into the published site."""
    for path in sorted(published.rglob("*")):
        if any(path.is_relative_to(i) for i in inner):
            continue
        target = staging / path.relative_to(published)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file() and path.name != "build-report.json":
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.relative_to(published).as_posix() in linked:
                try:
                    os.link(path, target)
                    continue
                except OSError:  # a file system without hard links
                    pass
            shutil.copy2(path, target)


def own_copy(path: Path) -> None:
    """Replace a hard link by a private copy of its bytes and times (a file a later write may change)."""
    temporary = path.with_name(f".{path.name}.copy")
    shutil.copy2(path, temporary)
    os.replace(temporary, path)


def folder_digest(folder: Path, inner: list[Path], known: dict[str, Any] | None = None,
                  each: dict[str, list[Any]] | None = None, trusted: dict[str, list[Any]] | None = None) -> str:
    """Every file of a site's folder, leaving out the folders of sites nested in it (a Welsh site under la/x/cy).

    With ``known``, the last build's record of the folder: when it lists the same files with the same size,
    modification time and inode (:func:`folder_stats`), its digest is taken without reading them again, as
    git's index and make trust a file's stat; a file edited or replaced since has a new time or inode.
    ``each`` is filled with every file's [inode, size, time, digest]; ``trusted`` holds such entries of a
    folder checked against its record earlier in this build: a file with the same inode, size and time (a
    link to it) is not read again.
    """
    files = _site_files(folder, inner)
    if known and known.get("files") and known.get("stats") and known["stats"] == _stats(folder, files):
        return str(known["files"])
    digest = hashlib.sha256()
    for path in files:
        name = path.relative_to(folder).as_posix()
        stat = path.stat()
        seen = [stat.st_ino, stat.st_size, stat.st_mtime_ns]
        entry = (trusted or {}).get(name)
        if isinstance(entry, list) and len(entry) == 4 and entry[:3] == seen:
            own = bytes.fromhex(entry[3])
        else:
            own = hashlib.sha256(path.read_bytes()).digest()
        if each is not None:
            each[name] = [*seen, own.hex()]
        digest.update(name.encode() + b"\0" + own)
    return digest.hexdigest()


def folder_stats(folder: Path, inner: list[Path]) -> str:
    """A digest of every file's name, size, modification and change times and inode in a site's folder (what
    :func:`folder_digest` compares with the last build's record before reading anything); "" when a file
    was written so recently that an edit made now could keep its time (a coarse file clock, git's "racy" case)."""
    return _stats(folder, _site_files(folder, inner), time.time_ns() - RACY_NS)


# Files written less than this long before their stat is recorded are read again next time: the kernel
# stamps files from a clock that ticks every few milliseconds
RACY_NS = 500_000_000


def _site_files(folder: Path, inner: list[Path]) -> list[Path]:
    return [path for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(path.is_relative_to(i) for i in inner) and path.name != "build-report.json"]


def _stats(folder: Path, files: list[Path], before: int | None = None) -> str:
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        if before is not None and stat.st_mtime_ns >= before:
            return ""
        # the change time too: a file replaced may get the freed inode back, and its time can be put back
        digest.update(f"{path.relative_to(folder).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\0"
                      f"{stat.st_ctime_ns}\0".encode())
    return digest.hexdigest()


def link_site(published: Path, staging: Path, inner: list[Path],
              leave_out: tuple[str, ...] = ("build-report.json",)) -> None:
    """Put the published site's files into the new build as hard links (copies where links cannot be made),
    and its folders, empty ones too: the new tree is the published tree."""
    for path in sorted(published.rglob("*")):
        if any(path.is_relative_to(i) for i in inner):
            continue
        if path.is_dir():
            (staging / path.relative_to(published)).mkdir(parents=True, exist_ok=True)
            continue
        if not path.is_file() or path.relative_to(published).as_posix() in leave_out:
            continue
        target = staging / path.relative_to(published)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)


def _records(cache: Path, target: Path) -> Path:
    return record_path(cache, target).with_suffix(".sites.json")


def load(cache: Path, target: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(_records(cache, target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(cache: Path, target: Path, records: dict[str, dict[str, Any]]) -> None:
    path = _records(cache, target)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomically(path, json.dumps(records).encode("utf-8"))
