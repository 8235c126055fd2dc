"""Lighter built sites: leave out what no reader's browser loads, and store the theme's files once.

MkDocs copies all of Material's assets into every site: source maps (for
debugging the theme itself) and lunr's stemmers for some thirty languages.
A site keeps the stemmers its own search index asks for. Then the files
that are byte for byte the same in several sites of one build (the theme's
JavaScript and CSS) become hard links to one copy: each site is still a
complete folder that works alone (zip it, copy it, hand it over), the disk
holds the theme once.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

# Material's search worker loads these for any language but English (lunr's own)
_LUNR_ALWAYS = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"}
_LUNR_EXTRA = {"ja": {"tinyseg.js"}, "th": {"wordcut.js"}}


def _languages(site: Path) -> set[str] | None:
    """The languages the site's search index is built for; None if it cannot tell (then nothing is removed)."""
    try:
        config = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
        return {str(lang) for lang in config["lang"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def slim_site(site: Path) -> int:
    """Remove the theme's source maps and unused stemmers from one built site; return the bytes saved."""
    saved = 0
    assets = site / "assets"
    for folder in (assets / "javascripts", assets / "stylesheets"):
        for path in folder.rglob("*.map") if folder.is_dir() else ():
            saved += path.stat().st_size
            path.unlink()
    languages = _languages(site)
    lunr = assets / "javascripts" / "lunr"
    if languages is not None and lunr.is_dir():
        keep = set() if languages <= {"en"} else set(_LUNR_ALWAYS)
        for lang in languages - {"en"}:
            keep |= {f"lunr.{lang}.min.js", *_LUNR_EXTRA.get(lang, set())}
        for path in lunr.rglob("*"):
            if path.is_file() and path.name not in keep:
                saved += path.stat().st_size
                path.unlink()
        # no empty folders left behind: a site reused as published (links to its files) must be the same tree
        for folder in sorted((p for p in lunr.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        if not any(lunr.iterdir()):
            lunr.rmdir()
    return saved


def share_theme_files(output: Path) -> int:
    """Hard-link identical theme files (JavaScript, CSS, fonts, icons) across the sites under ``output``.

    Each set of identical files is linked to the one already linked most (then the oldest), so a site kept
    from the last build keeps its files (their time and inode, which the next build's check of it reads)
    and new sites take them.
    """
    groups: dict[tuple[int, str], list[tuple[tuple[int, int], Path]]] = {}
    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.is_symlink() or "assets" not in path.parts:
            continue
        if not {"javascripts", "stylesheets", "images", "fonts"} & set(path.parts):
            continue
        stat = path.stat()
        key = (stat.st_size, hashlib.sha256(path.read_bytes()).hexdigest())
        groups.setdefault(key, []).append(((-stat.st_nlink, stat.st_mtime_ns), path))
    shared = 0
    for (size, _), paths in groups.items():
        original = min(paths, key=lambda entry: entry[0])[1]  # ties: the first by path
        for _, path in paths:
            if path == original or os.path.samefile(original, path):
                continue
            temporary = path.with_name(f".{path.name}.link")
            try:
                os.link(original, temporary)
            except OSError:
                return shared  # a file system without hard links: keep the copies
            os.replace(temporary, path)
            shared += size
    return shared
