"""Check a built LA site for any trace of another local authority.

The LA's pages are rendered from a view that holds only its own material,
so this should never find anything; it runs anyway, on every file of the
built site (pages, search index, data), as the last guard before publishing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from .content.loader import Study
from .errors import Problem, SourceLocation

TEXT_SUFFIXES = {".html", ".json", ".js", ".xml", ".txt", ".csv", ".svg", ".md", ".css"}


def name_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Return a case-insensitive pattern matching any of ``names`` as whole words."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])", re.IGNORECASE)


def foreign_names(study: Study, la_id: str) -> dict[str, str]:
    """Return {name or id: owning LA id} for every other LA and its sites."""
    names: dict[str, str] = {}
    for la in study.local_authorities:
        if la.model.id != la_id:
            names[la.model.name] = la.model.id
            names[la.model.id] = la.model.id
    for site in study.sites:
        if site.model.la != la_id:
            names[site.model.name] = site.model.la
    own = {la.model.name.lower() for la in study.local_authorities if la.model.id == la_id}
    own |= {s.model.name.lower() for s in study.sites if s.model.la == la_id}
    return {name: owner for name, owner in names.items() if name.lower() not in own and len(name) >= 3}


def find_leaks(site_dir: Path, names: dict[str, str], shown_root: str) -> list[Problem]:
    """Return a problem for each file of ``site_dir`` that mentions one of ``names``."""
    if not names:
        return []
    pattern = name_pattern(names)
    problems = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        match = pattern.search(text)
        if match:
            owner = names.get(match.group(1)) or next(v for k, v in names.items() if k.lower() == match.group(1).lower())
            problems.append(Problem(
                SourceLocation(f"{shown_root}/{path.relative_to(site_dir).as_posix()}"),
                f"names '{match.group(1)}' (local authority '{owner}'); an LA's site may not mention another LA. "
                "Check the content this page is built from",
            ))
    return problems
