"""Check a built LA site for any trace of another local authority.

The LA's pages are rendered from a view that holds only its own material,
so this should never find anything; it runs anyway, on every file of the
built site (pages, search index, data, images' text, file names), as the
last guard before publishing. Names are matched through
`generator.normalise`, so invisible characters, entities, look-alike letters
or JSON escapes (the search index) do not hide them.

What identifies an LA: its name in English and Welsh, its id, its sites'
names (and Welsh names), its sources' ids and its participants' pseudonyms,
and every LA named in a dataset's ``la_names`` columns (official releases
cover every English, Scottish or Welsh authority, not only the study's). A
name shorter than three characters is skipped, and so is any name that also
belongs to the LA whose site is checked (two LAs may both have a participant
called Kerry).

An authority named only in a dataset counts where it is written as a name,
with its capital: some are ordinary words too (Reading, Bury, Highland).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .content.kinds import owner_la
from .content.loader import Study
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
    la: str  # the study's LA id, or for an LA outside the study its name as the dataset gives it
    kind: str  # "local authority", "site", "source", "participant", "dataset"
    dataset: str = ""  # for kind "dataset": the dataset that names it
    outside: bool = False  # an authority outside the study, known only from a dataset

    @property
    def as_name_only(self) -> bool:
        """True if only a capitalised spelling counts (an authority known from a dataset)."""
        return self.kind == "dataset"

    def describe(self) -> str:
        """Whose name this is, for a message: the study's LA id, or the dataset naming an outside authority."""
        return f"a local authority in dataset '{self.dataset}'" if self.outside else f"local authority '{self.la}'"


def written_as_name(text: str, start: int, end: int) -> bool:
    """True if the first letter of ``text[start:end + 1]`` is not lower case (the name as a proper noun)."""
    import html

    first = next((c for c in html.unescape(text[start:end + 1]) if c.isalpha()), "")
    return not first.islower()


def counts(name: Identifying, text: str, start: int, end: int) -> bool:
    """True if a hit of ``name`` at ``text[start:end + 1]`` is a mention of it."""
    return not name.as_name_only or written_as_name(text, start, end)


def dataset_names(study: Study) -> Iterator[Identifying]:
    """Every LA a dataset's ``la_names`` columns name, with the study LA it is (if any) or its own name.

    A row belongs to a study LA when its ``la_column`` says so, or when one of
    its names is that LA's name or id; the codes on the same row go with it.
    """
    own = {normalise_name(name): la.model.id for la in study.local_authorities
           for name in (la.model.name, la.model.name_cy, la.model.id) if name}
    seen: set[tuple[str, str]] = set()
    for dataset in study.datasets:
        model, table = dataset.model, dataset.table
        if not model.la_names or table is None:
            continue
        columns = [table[c].astype("string").fillna("").tolist() for c in model.la_names if c in table.columns]
        la_values = (table[model.la_column].astype("string").fillna("").tolist()
                     if model.la_column and model.la_column in table.columns else None)
        for position, group in enumerate(zip(*columns)):
            values = [v.strip() for v in group if v.strip()]
            if not values:
                continue
            owner = la_values[position] if la_values is not None and la_values[position] in own.values() else ""
            owner = owner or next((own[key] for key in map(normalise_name, values) if key in own), "")
            for value in values:
                if (value, owner or values[0]) in seen or value.isdigit():
                    continue  # a DfE 3-digit code is a number in any text, not a name
                seen.add((value, owner or values[0]))
                yield Identifying(value, owner or values[0], "dataset", model.id, outside=not owner)


def identifying_names(study: Study, pseudonyms: bool = True) -> list[Identifying]:
    """Every name or id that points at one LA (its own words for itself, its places, its people, its data)."""
    names: list[Identifying] = []
    for la in study.local_authorities:
        for name in (la.model.name, la.model.name_cy, la.model.id):
            if name:
                names.append(Identifying(name, la.model.id, "local authority"))
    names.extend(dataset_names(study))
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


def foreign_names(study: Study, la_id: str, pseudonyms: bool = True) -> dict[str, Identifying]:
    """Return {name or id: whose it is} for every other LA, minus any name that is also this LA's.

    A pseudonym is a first name, and another LA's first name may be an
    ordinary word or a different person in this LA's own material (a family
    member in a case narrative, Welsh 'Beth'): such a pseudonym counts only if
    this LA's own documents never use it.
    """
    names, keys, own, used = _name_index(study, pseudonyms)
    mine, said = own.get(la_id, set()), used.get(la_id, set())
    found: dict[str, Identifying] = {}
    for n, key in zip(names, keys):
        if n.la == la_id or key in mine or (n.kind == "participant" and n.name in said):
            continue
        # the study's own LAs first, so a name both in the study and in a dataset reads as the former
        if n.name not in found or found[n.name].kind == "dataset":
            found[n.name] = n
    return found


def names_digest(study: Study, la_id: str, pseudonyms: bool = True) -> str:
    """A digest that changes whenever ``foreign_names(study, la_id)`` may: of every name in the study, with
    whose it is, and of which of them this LA's own material holds. Worked out without making that dict."""
    import hashlib
    import json

    names, keys, own, used = _name_index(study, pseudonyms)
    key = ("identifying names digest", pseudonyms)
    if key not in study.shared:
        every = sorted((n.name, n.la, n.kind, n.dataset, n.outside, normal) for n, normal in zip(names, keys))
        study.shared[key] = hashlib.sha256(json.dumps(every).encode()).hexdigest()
    mine = [la_id, study.shared[key], sorted(own.get(la_id, ())), sorted(used.get(la_id, ()))]
    return hashlib.sha256(json.dumps(mine).encode()).hexdigest()


def _name_index(study: Study, pseudonyms: bool) -> tuple[list[Identifying], list[str], dict[str, set[str]],
                                                           dict[str, set[str]]]:
    """What foreign_names reads for every LA, worked out once per study: each name, its normalised form,
    each LA's own normalised names, and the participants' pseudonyms each LA's own documents use."""
    key = ("identifying names", pseudonyms)
    if key not in study.shared:
        names = identifying_names(study, pseudonyms)
        keys = [normalise_name(n.name) for n in names]
        own: dict[str, set[str]] = {}
        for n, normal in zip(names, keys):
            own.setdefault(n.la, set()).add(normal)
        used: dict[str, set[str]] = {}
        people = {n.name for n in names if n.kind == "participant"}
        if people:  # one automaton for every LA's pseudonyms, each document read once
            matcher = Matcher(((name, name) for name in sorted(people)), joiners=JOINERS)
            sites = {site.model.id: site for site in study.sites}
            for document in study.all_documents():
                owner = owner_la(document, sites)
                if owner is not None:
                    used.setdefault(owner, set()).update(matcher.values_in(document.parsed.text))
        study.shared[key] = (names, keys, own, used)
    return study.shared[key]  # type: ignore[no-any-return]


def _readings(path: Path) -> list[str]:
    """The texts a reader or a search engine gets from one built file (its name first)."""
    texts = file_name_readings(path.name)
    if path.suffix.lower() in ZIPPED:
        return [*texts, *_zipped_texts(path)]
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


ZIPPED = (".xlsx", ".docx", ".qdpx", ".zip")  # downloads whose text is inside a zip
_MAX_MEMBER = 64 * 1024 * 1024


def _zipped_texts(path: Path) -> list[str]:
    """The text of every member of a zipped download (a workbook's cells, a document's words), XML decoded."""
    import html
    import re
    import zipfile

    texts = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                texts += file_name_readings(info.filename.rsplit("/", 1)[-1])
                with archive.open(info) as handle:
                    data = handle.read(_MAX_MEMBER)
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    continue  # an image inside a document
                if info.filename.endswith((".xml", ".rels", ".qde")):
                    # cells apart, as a reader sees them; and runs together, as Word may split one word in runs
                    texts.append(html.unescape(re.sub(r"<[^>]+>", "", text)))
                    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
                texts.append(text)
    except (zipfile.BadZipFile, OSError):
        return []
    return texts


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


def leak_matcher(name_sets: Iterable[Mapping[str, Any]]) -> Matcher[str]:
    """One automaton for every name any site of a build must not hold, made once for all the sites
    (each site's scan keeps only the hits on its own list): a build of N LAs does not make N automata
    of N LAs' names each."""
    every = dict.fromkeys(name for names in name_sets for name in names)
    return Matcher(((name, name) for name in every), joiners=JOINERS)


def find_leaks(site_dir: Path, names: Mapping[str, Identifying], shown_root: str,
               matcher: Matcher[str] | None = None, skip: Iterable[Path] = ()) -> list[Problem]:
    """Return a problem for each file of ``site_dir`` whose name or text mentions one of ``names``
    (through ``matcher`` when given: one made by :func:`leak_matcher` from lists including this one),
    except in the folders ``skip`` (sites nested in this one, scanned on their own)."""
    skip = tuple(skip)
    if not names:
        return []
    matcher = matcher or leak_matcher([names])

    def wanted(values: list[str]) -> bool:
        return any(value in names for value in values)

    problems = []
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir)
        if not path.is_file() or any(path.is_relative_to(folder) for folder in skip):
            continue
        if _shipped_unchanged(path, relative):
            continue
        found: dict[str, Identifying] = {}
        readings = [reading for part in relative.parts[:-1] for reading in file_name_readings(part)]
        for text in readings + _readings(path):
            for hit in matcher.find(text, wanted):
                if hit.value in names and counts(names[hit.value], text, hit.start, hit.end):
                    found.setdefault(hit.value, names[hit.value])
        if found:
            listed = ", ".join(f"'{name}' ({whose.describe()})" for name, whose in sorted(found.items()))
            problems.append(Problem(
                SourceLocation(f"{shown_root}/{relative.as_posix()}"),
                f"names {listed}; an LA's site may not mention another LA. Check the content this page is built from",
            ))
    return problems
