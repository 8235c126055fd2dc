"""Check the references between documents: ids, sites, codes, extracts, datasets.

Every check adds to one list of problems; nothing stops at the first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from .compute.disclosure import check_roles
from .content.kinds import KINDS, function, owner_la as _owner_la
from .content.loader import Loaded, LoadedSource, Study
from .content.themes import resolve_themes
from .errors import Problem, Severity, did_you_mean
from .leaks import JOINERS, Identifying, counts, identifying_names
from .normalise import Lines, Matcher, strings_in
from .output import value_digest
from .content.records import MISSING, DocumentRecords


def _unique(kind: str, documents: Iterable[Loaded[Any]], key: str, problems: list[Problem]) -> dict[str, Loaded[Any]]:
    first: dict[str, Loaded[Any]] = {}
    for document in documents:
        value = getattr(document.model, key)
        if value in first:
            other = first[value]
            problems.append(Problem(
                document.at(key if key != "id" else "id"),
                f"duplicate {kind} id '{value}': also used by {other.path}:{other.at(key).line}",
            ))
        else:
            first[value] = document
    return first


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    known = sorted(known)
    hint = did_you_mean(value, known)
    if not hint and known:
        listing = ", ".join(known[:10]) + (" …" if len(known) > 10 else "")
        hint = f"; known {kind}s: {listing}"
    return f"unknown {kind} '{value}'{hint}"


def check_code_tree(study: Study, references: References, problems: list[Problem]) -> None:
    """Each code's theme is declared (when the project declares themes) and its parent exists, with no loop."""
    codes = references.codes
    project = study.project.model if study.project else None
    themes = resolve_themes(project, [c.model for c in study.codes])
    names = [name for theme in themes.all for name in (theme.id, theme.label)]
    for code in themes.unknown:
        loaded = codes[code.id]
        problems.append(Problem(loaded.at("group"), "group: " + _unknown("theme", code.group, names)
                                + " (themes are declared under `themes:` in project.md)"))
    if project is None or not project.themes:  # themes named by codes: a name only one code uses may be a typo
        used = defaultdict(list)
        for code in study.codes:
            used[themes.of[code.model.id].label].append(code)
        order = {theme.label: theme.order for theme in themes.all}
        for label, alone in used.items():
            # a likelier spelling: used by more codes, or as often and named first
            likelier = [other for other in used if (len(used[other]), -order[other]) > (len(alone), -order[label])]
            hint = did_you_mean(label, likelier) if len(alone) == 1 else ""
            if hint:
                problems.append(Problem(alone[0].at("group"), f"group: theme '{label}' is used by this code only{hint} "
                                        "(declare the themes under `themes:` in project.md to have each name checked)",
                                        Severity.WARNING))
    for code in study.codes:
        parent = code.model.parent
        if parent is None:
            continue
        if parent not in codes:
            problems.append(Problem(code.at("parent"), "parent: " + _unknown("code", parent, codes)))
            continue
        seen = [code.model.id]
        while parent is not None and parent in codes and parent not in seen:
            seen.append(parent)
            parent = codes[parent].model.parent
        if parent == code.model.id:
            problems.append(Problem(code.at("parent"), "parent: the code tree loops back to this code ("
                                    + " → ".join([*seen, parent]) + "); a code cannot be its own ancestor"))


_KIND_OF_LABEL = {kind.label: kind.name for kind in KINDS}
_UNKNOWN = re.compile("unknown (" + "|".join(sorted(map(re.escape, _KIND_OF_LABEL), key=len, reverse=True)) + ") '([^']*)'")


@dataclass
class References:
    """Each kind's documents by id (the first of any duplicates), for the checks to resolve references."""

    by_kind: dict[str, dict[str, Loaded[Any]]]

    @property
    def las(self) -> dict[str, Loaded[Any]]:
        return self.by_kind["local_authority"]

    @property
    def sites(self) -> dict[str, Loaded[Any]]:
        return self.by_kind["site"]

    @property
    def codes(self) -> dict[str, Loaded[Any]]:
        return self.by_kind["code"]

    @property
    def sources(self) -> dict[str, LoadedSource]:
        return self.by_kind["source"]  # type: ignore[return-value]

    @property
    def datasets(self) -> dict[str, Loaded[Any]]:
        return self.by_kind["dataset"]

    def la_of_site(self, site_id: str) -> str | None:
        site = self.sites.get(site_id)
        return site.model.la if site else None


def validate_study(study: Study, records: DocumentRecords | None = None) -> list[Problem]:
    """Return every cross-reference problem in the study.

    Each kind's checks are named by its declaration in generator.content.kinds;
    the checks that read across kinds (consent, other LAs' names, computed
    blocks, disclosure roles, deprivation) follow. A reference to a document
    that exists but failed its own schema check is not reported again: the
    user fixes that document first. With ``records``, the checks that read one document alone take an
    unchanged document's findings from the last build's record.
    """
    records = records or DocumentRecords(None)
    found: list[Problem] = []
    problems = _Filtered(found, study.broken)
    references = References({kind.name: _unique(kind.label, study.documents_of(kind.name), "id", problems)
                             if kind.unique_id else {} for kind in KINDS})
    for kind in KINDS:
        for check in kind.checks:
            function(check)(study, references, problems)
    problems += _other_la_mentions(study, references.sites, records)
    problems += _consent_checks(study, records)
    from .compute.tables import check_blocks

    base_year = study.project.model.base_year if study.project else "2015-16"
    problems += check_blocks(study, base_year)
    problems += check_roles(study)
    from .compute.disclosure import check_written_tables

    problems += check_written_tables(study)
    from .compute.labels import check_labels

    problems += check_labels(study)
    from .validate_deprivation import check_deprivation

    problems += check_deprivation(study)
    return found


def check_project(study: Study, references: References, problems: list[Problem]) -> None:
    """Vignette answers in sources use the questions and outcomes the project declares."""
    if study.project is None:
        return
    outcomes = [option.id for option in study.project.model.vignette_outcomes]
    for source in study.sources:
        answers = source.model.vignette
        if answers is None:
            continue
        if not study.project.model.vignette_questions:
            problems.append(Problem(source.at("vignette"), "vignette: answers need the vignette's four questions; "
                                    "list them under `vignette_questions:` in project.md"))
            continue
        for field in ("initial_outcome", "likely_outcome"):
            value = getattr(answers, field)
            if value not in outcomes:
                problems.append(Problem(source.at("vignette", field), f"vignette: {field}: "
                                        + _unknown("vignette outcome", value, outcomes)
                                        + " (declared under `vignette_outcomes:` in project.md)"))


def check_sites(study: Study, references: References, problems: list[Problem]) -> None:
    for site in study.sites:
        if site.model.la not in references.las:
            problems.append(Problem(site.at("la"), "la: " + _unknown("local authority", site.model.la, references.las)))


def check_local_authorities(study: Study, references: References, problems: list[Problem]) -> None:
    """An LA with nothing to show is worth a warning."""
    with_sites = {site.model.la for site in study.sites}
    # An improvement team may publish only surveys, case studies and report cards.
    other_material = {d.model.la for d in [*study.surveys, *study.case_studies, *study.report_cards]}
    for la in study.local_authorities:
        if la.model.id not in with_sites and la.model.id not in other_material:
            problems.append(Problem(la.at("id"), f"local authority '{la.model.id}' has no case-study site yet", Severity.WARNING))


def check_named_la(study: Study, references: References, problems: list[Problem]) -> None:
    """Documents that name their LA in `la:` (surveys, case studies, report cards) name a declared one."""
    for document in [*study.surveys, *study.case_studies, *study.report_cards]:
        if document.model.la not in references.las:
            problems.append(Problem(document.at("la"), "la: " + _unknown("local authority", document.model.la, references.las)))


def check_datasets(study: Study, references: References, problems: list[Problem]) -> None:
    for dataset in study.datasets:
        if dataset.model.la is not None and dataset.model.la not in references.las:
            problems.append(Problem(dataset.at("la"), "la: " + _unknown("local authority", dataset.model.la, references.las)))


def check_sources(study: Study, references: References, problems: list[Problem]) -> None:
    """Each source's site exists; its extracts have unique ids, known codes and listed speakers."""
    codes = references.codes
    for source in study.sources:
        model = source.model
        if model.site not in references.sites:
            problems.append(Problem(source.at("site"), "site: " + _unknown("site", model.site, references.sites)))
        participants = {p.id for p in model.participants}
        seen: dict[str, int] = {}
        for extract in source.extracts:
            if extract.id in seen:
                problems.append(Problem(
                    source.at_line(extract.line),
                    f"duplicate extract id '{extract.id}' in this source (first at line {seen[extract.id]})",
                ))
            seen.setdefault(extract.id, extract.line)
            for code in extract.codes:
                if code not in codes:
                    problems.append(Problem(source.at_line(extract.line), "codes: " + _unknown("code", code, codes)))
            for person in extract.by:
                if person not in participants:
                    listed = ", ".join(sorted(participants)) or "none listed"
                    problems.append(Problem(
                        source.at_line(extract.line),
                        f"by: '{person}' is not a participant of this source (participants: {listed})",
                    ))


def check_code_documents(study: Study, references: References, problems: list[Problem]) -> None:
    """One code document per matrix cell, citing its own LA's extracts and datasets."""
    sites, codes, sources, datasets = references.sites, references.codes, references.sources, references.datasets
    cells: dict[tuple[str, str], Loaded[Any]] = {}
    for document in study.code_documents:
        model = document.model
        if model.site not in sites:
            problems.append(Problem(document.at("site"), "site: " + _unknown("site", model.site, sites)))
        if model.code not in codes:
            problems.append(Problem(document.at("code"), "code: " + _unknown("code", model.code, codes)))
        key = (model.site, model.code)
        if key in cells:
            other = cells[key]
            problems.append(Problem(
                document.at("code"),
                f"a second code document for site '{model.site}' and code '{model.code}': "
                f"the first is {other.path} (one matrix cell has one code document)",
            ))
        cells.setdefault(key, document)
        own_la = references.la_of_site(model.site)
        for index, reference in enumerate(model.extracts):
            where = document.at("extracts", index)
            source_id, _, extract_id = reference.partition("#")
            source = sources.get(source_id)
            if source is None:
                problems.append(Problem(where, "extracts: " + _unknown("source", source_id, sources)))
                continue
            extracts = {e.id: e for e in source.extracts}
            if extract_id not in extracts:
                problems.append(Problem(
                    where, f"extracts: source '{source_id}' has no extract '{extract_id}'"
                    + (did_you_mean(extract_id, extracts) or f"; its extracts: {', '.join(sorted(extracts)) or 'none'}"),
                ))
                continue
            source_la = references.la_of_site(source.model.site)
            if own_la and source_la and source_la != own_la:
                problems.append(Problem(where, (
                    f"extracts: '{reference}' comes from a source in another local authority ({source_la}); "
                    "a code document may cite only its own LA's sources"
                )))
            if model.code not in extracts[extract_id].codes:
                problems.append(Problem(where, (
                    f"extracts: '{reference}' is coded {', '.join(extracts[extract_id].codes)}, not {model.code}; "
                    f"add {model.code} to its codes= if it belongs in this cell"
                ), Severity.WARNING))
        for index, dataset_id in enumerate(model.datasets):
            where = document.at("datasets", index)
            dataset = datasets.get(dataset_id)
            if dataset is None:
                problems.append(Problem(where, "datasets: " + _unknown("dataset", dataset_id, datasets)))
                continue
            if dataset.model.la is not None and own_la and dataset.model.la != own_la:
                problems.append(Problem(where, (
                    f"datasets: '{dataset_id}' belongs to another local authority ({dataset.model.la}); "
                    "a code document may use only its own LA's datasets or shared ones"
                )))


def _consent_checks(study: Study, records: DocumentRecords) -> list[Problem]:
    """Speaker turns, extracts' speakers, quoting around consent, and survey consent answers."""
    from .quoting import check_quoting
    from .validate_consent import check_survey_consent, check_turns

    return check_turns(study, records) + check_quoting(study) + check_survey_consent(study)


class _Filtered(list):  # type: ignore[type-arg]
    """A problem list that drops 'unknown X' for ids whose own document is broken."""

    def __init__(self, target: list[Problem], broken: dict[str, set[str]]):
        super().__init__()
        self.target = target
        self.broken = broken

    def append(self, problem: Problem) -> None:  # type: ignore[override]
        match = _UNKNOWN.search(problem.message)
        if match and match.group(2) in self.broken.get(_KIND_OF_LABEL[match.group(1)], set()):
            return
        if "has no case-study site yet" in problem.message and self.broken.get("site"):
            return
        self.target.append(problem)

    def __iadd__(self, problems):  # type: ignore[no-untyped-def,override]
        for problem in problems:
            self.append(problem)
        return self


def check_meta_inferences(study: Study, references: References, problems: list[Problem]) -> None:
    """Block ids are unique; a meta-inference's codes, LAs, evidence and extracts exist."""
    las, codes, sources = references.las, references.codes, references.sources
    block_ids: dict[str, str] = {}
    for document in study.all_documents():
        for block in document.blocks:
            if block.spec.id is not None:
                if block.spec.id in block_ids:
                    problems.append(Problem(document.at_line(block.line_of("id")),
                                            f"duplicate computed block id '{block.spec.id}': also used in {block_ids[block.spec.id]}"))
                block_ids.setdefault(block.spec.id, f"{document.path}:{block.line_of('id')}")
    for meta in study.meta_inferences:
        model = meta.model
        for index, code in enumerate(model.codes):
            if code not in codes:
                problems.append(Problem(meta.at("codes", index), "codes: " + _unknown("code", code, codes)))
        for index, la in enumerate(model.las):
            if la not in las:
                problems.append(Problem(meta.at("las", index), "las: " + _unknown("local authority", la, las)))
        for la in model.replication:
            if la not in las:
                problems.append(Problem(meta.at("replication", la), "replication: " + _unknown("local authority", la, las)))
        dataset_ids = {d.model.id for d in study.datasets}
        for index, block_id in enumerate(model.quantitative):
            if block_id not in block_ids and block_id not in dataset_ids:
                known = [*block_ids, *dataset_ids]
                problems.append(Problem(meta.at("quantitative", index), (
                    f"quantitative: no computed table, chart or dataset has id '{block_id}'{did_you_mean(block_id, known)}; "
                    "give the block an 'id:' line" + ("" if did_you_mean(block_id, known) else
                                                       f" (ids in use: {', '.join(sorted(known)) or 'none'})")
                )))
        for index, reference in enumerate(model.qualitative):
            source_id, _, extract_id = reference.partition("#")
            source = sources.get(source_id)
            where = meta.at("qualitative", index)
            if source is None:
                problems.append(Problem(where, "qualitative: " + _unknown("source", source_id, sources)))
                continue
            extracts = {e.id for e in source.extracts}
            if extract_id not in extracts:
                problems.append(Problem(where, f"qualitative: source '{source_id}' has no extract '{extract_id}'"
                                        + (did_you_mean(extract_id, extracts) or f"; its extracts: {', '.join(sorted(extracts))}")))


_KIND_NOTE = {"site": " (one of its sites)", "source": " (the id of one of its sources)"}


def _other_la_mentions(study: Study, sites: dict[str, Loaded[Any]], records: DocumentRecords) -> list[Problem]:
    """Flag a document of one LA that names another LA, its sites, sources or people: it would leak into the LA's site.

    Names are matched through the shared normaliser (other spellings count) in
    the file's text and in its parsed front-matter values (YAML escapes decoded).
    Each document's findings are kept (content.records) while it and the names are unchanged.
    """
    # pseudonyms are first names another LA may use for a different person: the built-site scan checks those
    names = identifying_names(study, pseudonyms=False)
    if len({n.la for n in names}) < 2:
        return []
    names_key = value_digest(sorted(names, key=repr))
    matcher: Matcher | None = None  # made when a document is not on record
    problems = []
    for document in study.all_documents():
        owner = _owner_la(document, sites)
        # ids under these keys are references, checked for their LA where they are resolved
        skipped: tuple[str, ...] = ("extracts", "datasets")
        if getattr(document.model, "type", "") == "meta_inference":
            # one about several LAs is shown on the cross-case site only, where every LA is named
            skipped = ("las", "replication", "qualitative", "quantitative")
        elif getattr(document.model, "type", "") == "dataset" and owner is None:
            owner = ""  # a shared table: its description is published on every LA site that shows it
            skipped = ("la_names", "la_column", "keys")
        if owner is None:
            continue
        key = records.key("mentions", document.digest, owner, *skipped, names_key) if document.digest else ""
        found_here = records.get(key, list)
        if found_here is MISSING:
            matcher = matcher or Matcher(((n.name, n) for n in names), joiners=JOINERS)
            found_here = _mentions_in(document, owner, skipped, matcher)
            records.put(key, found_here)
        problems += found_here
    return problems


def _mentions_in(document: Loaded[Any], owner: str, skipped: tuple[str, ...], matcher: Matcher) -> list[Problem]:
    """The other LAs' names one document holds, outside its references (``skipped``), for its LA ``owner``."""
    problems = []
    references = {line for path, line in document.parsed.lines.items() if path[0] in skipped}
    lines = Lines(document.parsed.text)
    found: dict[tuple[int, str], list[Identifying]] = {}

    def foreign(values: list[Identifying], owner: str = owner) -> bool:  # a name this LA does not share
        return not any(n.la == owner for n in values)

    for hit in matcher.find(document.parsed.text, foreign):
        if counts(hit.value, document.parsed.text, hit.start, hit.end):
            found.setdefault((lines.of(hit.start), str(hit.start)), []).append(hit.value)
    for key_path, value in strings_in(document.parsed.data):
        if key_path and key_path[0] in skipped:
            continue
        for hit in matcher.find(value, foreign):
            if not counts(hit.value, value, hit.start, hit.end):
                continue
            found.setdefault((document.parsed.line_of(key_path), f"{key_path}:{hit.start}"), []).append(hit.value)
    reported: set[tuple[int, str]] = set()
    for (number, _), owners in sorted(found.items()):
        if number in references or any(n.la == owner for n in owners):
            continue  # a reference, or a name this LA shares (two LAs may both have a Kerry)
        other = owners[0]
        if (number, other.name) in reported:
            continue
        reported.add((number, other.name))
        if owner:
            whose = f"this document belongs to '{owner}', whose site must not name other LAs"
            fix = "(write 'another LA' or 'a low-deprivation LA' instead)"
        else:  # only a shared dataset is checked without an owner
            whose = "this dataset belongs to no one LA and its description appears on each LA site that shows it"
            fix = "(link to the publisher's notes instead of copying them, or write 'another LA')"
        which = (other.describe() if other.outside
                 else f"which belongs to local authority '{other.la}'{_KIND_NOTE.get(other.kind, '')}")
        problems.append(Problem(document.at_line(number), f"mentions '{other.name}', {which}; {whose} {fix}"))
    return problems
