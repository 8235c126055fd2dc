"""Check a built LA site for any trace of another local authority.

The LA's pages are rendered from a view that holds only its own material,
so this should never find anything; it runs anyway, on every file of the
built site (pages, search index, data, images' text, file names), as the
last guard before publishing. Names are matched through
`generator.normalise`, so invisible characters, entities, look-alike letters
or JSON escapes (the search index) do not hide them.

What identifies an LA: its name in English and Welsh, its id, its sites'
names (and Welsh names), its sources' ids and its participants' pseudonyms.
A name shorter than three characters is skipped, and so is any name that
also belongs to the LA whose site is checked (two LAs may both have a
participant called Kerry).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content.loader import Study, owner_la
from .errors import Problem, SourceLocation
from .render.environment import TEMPLATES
from .normalise import Matcher, file_name_readings, normalise_name, strings_in

MIN_LENGTH = 3
# An id inside a longer slug (north in north-east-team) is a different word.
JOINERS = "-"


@dataclass(frozen=True)
class Identifying:
    """One name or id that identifies a local authority, and what kind of thing it names."""

    name: str
    la: str
    kind: str  # "local authority", "site", "source", "participant"


def identifying_names(study: Study, pseudonyms: bool = True) -> list[Identifying]:
    """Every name or id that points at one LA (its own words for itself, its places, its people)."""
    names: list[Identifying] = []
    for la in study.local_authorities:
        for name in (la.model.name, la.model.name_cy, la.model.id):
            if name:
                names.append(Identifying(name, la.model.id, "local authority"))
    site_la = {}
    for site in study.sites:
        site_la[site.model.id] = site.model.la
        for name in (site.model.name, getattr(site.model, "name_cy", None)):
            if name:
                names.append(Identifying(name, site.model.la, "site"))
    for source in study.sources:
        owner = site_la.get(source.model.site)
        if owner is None:
            continue
        names.append(Identifying(source.model.id, owner, "source"))
        if pseudonyms:
            for person in source.model.participants:
                if person.pseudonym:
                    names.append(Identifying(person.pseudonym, owner, "participant"))
    return [n for n in names if len(n.name) >= MIN_LENGTH]


def foreign_names(study: Study, la_id: str, pseudonyms: bool = True) -> dict[str, str]:
    """Return {name or id: owning LA id} for every other LA, minus any name that is also this LA's.

    A pseudonym is a first name, and another LA's first name may be an
    ordinary word or a different person in this LA's own material (a family
    member in a case narrative, Welsh 'Beth'): such a pseudonym counts only if
    this LA's own documents never use it.
    """
    names = identifying_names(study, pseudonyms)
    own = {normalise_name(n.name) for n in names if n.la == la_id}
    foreign = [n for n in names if n.la != la_id and normalise_name(n.name) not in own]
    people = [n for n in foreign if n.kind == "participant"]
    if people:
        matcher = Matcher(((n.name, n.name) for n in people), joiners=JOINERS)
        sites = {site.model.id: site for site in study.sites}
        used = {hit.value for document in study.all_documents() if owner_la(document, sites) == la_id
                for hit in matcher.find(document.parsed.text)}
        foreign = [n for n in foreign if n.kind != "participant" or n.name not in used]
    return {n.name: n.la for n in foreign}


def _readings(path: Path) -> list[str]:
    """The texts a reader or a search engine gets from one built file (its name first)."""
    texts = file_name_readings(path.name)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (UnicodeDecodeError, OSError):
        return texts  # an image or other binary: its name only
    if path.suffix.lower() in (".json", ".map", ".webmanifest") or text.lstrip()[:1] in ("{", "["):
        try:
            data: Any = json.loads(text, strict=False)
        except ValueError:
            pass
        else:  # the strings as decoded (\u escapes), each one apart so two cannot join into a name
            return [*texts, "\n".join(value for _, value in strings_in(data))]
    return [*texts, text]


def _shipped_roots() -> list[Path]:
    roots = [TEMPLATES]
    try:
        import material

        roots.append(Path(material.__file__).parent / "templates")
    except ImportError:  # pragma: no cover - the theme is a dependency
        pass
    return roots


def _shipped_unchanged(path: Path, relative: Path) -> bool:
    """True for a file copied byte for byte from the theme or the project's own assets: not made from content."""
    parts = relative.parts
    if "assets" not in parts:
        return False
    tail = parts[parts.index("assets"):]
    for root in _shipped_roots():
        shipped = root.joinpath(*tail)
        if shipped.is_file() and shipped.stat().st_size == path.stat().st_size and shipped.read_bytes() == path.read_bytes():
            return True
    return False


def find_leaks(site_dir: Path, names: dict[str, str], shown_root: str) -> list[Problem]:
    """Return a problem for each file of ``site_dir`` whose name or text mentions one of ``names``."""
    if not names:
        return []
    matcher = Matcher(((name, (name, owner)) for name, owner in names.items()), joiners=JOINERS)
    problems = []
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir)
        if not path.is_file():
            continue
        if _shipped_unchanged(path, relative):
            continue
        found: dict[str, str] = {}
        for part in relative.parts[:-1]:
            for hit in (hit for reading in file_name_readings(part) for hit in matcher.find(reading)):
                found.setdefault(hit.value[0], hit.value[1])
        for text in _readings(path):
            for hit in matcher.find(text):
                found.setdefault(hit.value[0], hit.value[1])
        if found:
            listed = ", ".join(f"'{name}' (local authority '{owner}')" for name, owner in sorted(found.items()))
            problems.append(Problem(
                SourceLocation(f"{shown_root}/{relative.as_posix()}"),
                f"names {listed}; an LA's site may not mention another LA. Check the content this page is built from",
            ))
    return problems
