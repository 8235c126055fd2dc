"""`generator import qdpx PROJECT.qdpx --out content/`: a REFI-QDA project becomes a study.

Its text sources become source documents with each coded selection an
extract at its place in the text, its code tree the coding frame, and the
sites and LAs come from a small mapping file. REFI-QDA records neither who
speaks nor what anyone consented to, so every speaker found in a text is
written as a participant whose consent is still to record: ``check`` fails
on it until someone records it, and nothing is published before then.
Everything the tool cannot carry is listed in the import report
(``_import/report.md`` in the output folder, which the loader skips).

The model of extracts decides two things here. An extract is a run of whole
lines, so a selection that starts or ends inside a line gets a line break
there (the text is unchanged; the report counts them). Extracts do not
overlap, so selections that overlap are merged into one extract carrying all
their codes, and the report names each one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..content.turns import RESEARCHER_LABELS
from .refi import RefiCode, RefiProject, RefiSelection, RefiSource, read_refi

UNMAPPED_SITE = "unmapped"
DATE_PLACEHOLDER = "to record (YYYY-MM-DD)"
UNGROUPED = ("ungrouped", "Ungrouped codes")
_CODE_ID = re.compile(r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$")
# "Speaker 1:", "Max:", "admin-1:" at the start of a line: a turn as transcription software writes it
_SPEAKER = re.compile(r"^([^\s:\[\]*_#>][^:\n]{0,38}?):[ \t]", re.MULTILINE)
_CARRIED = re.compile(r"(?:^|\n)\[generator: (\{.*\})\]\s*$")
_FENCE_LIKE = re.compile(r"^(\s*)(:::)", re.MULTILINE)


class ImportRefused(Exception):
    """The project cannot be imported, or importing it would overwrite files: nothing was written."""


@dataclass
class Imported:
    """The study files an import would write (path inside the output folder -> text) and its report."""

    files: dict[str, str] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    extracts: int = 0


@dataclass(frozen=True)
class Mapping:
    local_authorities: list[dict[str, Any]]
    sites: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]  # source name or guid -> {site, method, date}
    default_site: str | None


def split_carried(description: str) -> tuple[str, dict[str, Any]]:
    """A description without the ``[generator: {...}]`` line this tool's export adds, and that line's values."""
    import json

    found = _CARRIED.search(description or "")
    if not found:
        return description or "", {}
    try:
        values = json.loads(found.group(1))
    except ValueError:
        return description, {}
    return description[:found.start()].rstrip(), values if isinstance(values, dict) else {}


def _slug(text: str, pattern: str = "[^a-z0-9]+", lower: bool = True) -> str:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.lower() if lower else folded
    return re.sub(pattern, "-", folded).strip("-._")[:64].strip("-._")


def code_id(label: str) -> str:
    """A code id from a program's code name, case kept: letters and digits with `.`, `-` or `_` between."""
    folded = _slug(label, r"[^A-Za-z0-9._-]+", lower=False)
    folded = re.sub(r"[._-]{2,}", "-", folded)
    return folded if _CODE_ID.match(folded) else "code"


def _unique(wanted: str, taken: set[str], prefix: str | None = None) -> str:
    candidate = wanted if wanted not in taken or prefix is None else f"{prefix}.{wanted}"[:64]
    number = 2
    base = candidate
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _front_matter(data: dict[str, Any], comments: list[str] = ()) -> str:  # type: ignore[assignment]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    notes = "".join(f"# {c}\n" for c in comments)
    return f"---\n{notes}{text}---\n"


def read_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping([], [], {}, None)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise ImportRefused(f"{path}: cannot read the mapping file ({error})") from None
    if not isinstance(data, dict):
        raise ImportRefused(f"{path}: expected a mapping with local_authorities, sites and sources")
    unknown = set(data) - {"local_authorities", "sites", "sources", "default_site"}
    if unknown:
        raise ImportRefused(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; "
                        "expected local_authorities, sites, sources, default_site")
    problems = []
    for key, needed in (("local_authorities", ("id",)), ("sites", ("id", "la"))):
        entries = data.get(key) or []
        if not isinstance(entries, list):
            problems.append(f"{key}: expected a list")
            continue
        for number, entry in enumerate(entries):
            missing = [k for k in needed if not isinstance(entry, dict) or not entry.get(k)]
            if missing:
                problems.append(f"{key}[{number}]: expected {' and '.join(missing)}")
            elif not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(entry["id"])):
                problems.append(f"{key}[{number}].id: expected lower-case letters, digits and hyphens, "
                                f"got {entry['id']!r}")
    if not isinstance(data.get("sources") or {}, dict):
        problems.append("sources: expected source name: site (or source name: {site, method, date})")
    if problems:
        raise ImportRefused(f"{path}: " + "; ".join(problems))
    sources = {str(k): (v if isinstance(v, dict) else {"site": v}) for k, v in (data.get("sources") or {}).items()}
    return Mapping(list(data.get("local_authorities") or []), list(data.get("sites") or []), sources,
                   data.get("default_site"))


def plan_import(project: RefiProject, mapping: Mapping, origin_file: str) -> Imported:
    """Decide every file of the imported study, and what the report says."""
    out = Imported()
    report = out.report
    report += [f"# Import of {origin_file}", "",
               f"Project '{project.name}', written by {project.origin or 'an unnamed program'}.", ""]
    ids, themes = _coding_frame(project, out)
    _project_document(project, themes, out)
    for la in mapping.local_authorities:
        out.files[f"local-authorities/{la['id']}/local-authority.md"] = _front_matter(
            {"type": "local_authority", **la}) + "\nImported study: describe the local authority here.\n"
    site_la = {}
    for site in mapping.sites:
        site_la[site["id"]] = site.get("la")
        out.files[f"local-authorities/{site.get('la')}/sites/{site['id']}.md"] = _front_matter(
            {"type": "site", **site}) + "\nImported study: describe the site here.\n"
    taken: set[str] = set()
    unmapped = []
    for source in project.sources:
        if source.text is None:
            report.append(f"- Source '{source.name}' was not imported: {source.missing} "
                          f"({len(source.selections)} coded selection(s) lost with it).")
            continue
        memo, values = split_carried(source.memo)
        source = replace(source, memo=memo)
        mapped = {**values, **(mapping.sources.get(source.name) or mapping.sources.get(source.guid) or {})}
        site = mapped.get("site") or mapping.default_site
        if site is None:
            unmapped.append(source.name)
        wanted = str(values.get("id") or "")
        wanted = wanted if re.fullmatch(r"[a-z0-9][a-z0-9-]*", wanted) else _slug(Path(source.name).stem)
        source_id = _unique(wanted or "source", taken)
        folder = f"local-authorities/{site_la.get(site)}/sources" if site in site_la else "sources"
        out.files[f"{folder}/{source_id}.md"] = _source_document(source, source_id, site or UNMAPPED_SITE, mapped,
                                                                 ids, out)
    if unmapped:
        report += ["", "## Sources not yet mapped to a site", "",
                   "Each is written with `site: unmapped`, which `check` refuses. Add a mapping file "
                   "(`--map`) with a line for each under `sources:` (or a `default_site:`), or edit the `site:` "
                   "of each source document:", ""]
        report += [f"- `{name}`" for name in unmapped]
    _users_and_notes(project, out)
    if project.unsupported:
        report += ["", "## Not carried (no place for them in this tool)", ""]
        report += [f"- {count} × `{tag}`" for tag, count in sorted(project.unsupported.items())]
    report += ["", "## Still to do before `check` passes", "",
               "- Record each participant's consent (`consent: uses:`), role and pseudonym in every source: "
               "REFI-QDA does not carry them. The speaker labels found in the text are kept as written; "
               "if one is a real name, replace it in the text and give a pseudonym.",
               "- Give each source its `method` (imported as `document`) and `date` where the project gave none.",
               "- Map sources to sites, and describe the local authorities and sites."]
    return out


def _coding_frame(project: RefiProject, out: Imported) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Write the coding frame; return {guid: code id} and the project's themes.

    A code with children that sits at the top of the tree becomes a theme (and
    stays a code unless the program marks it not codable, as folders are);
    top-level codes without children share one theme. ATLAS.ti's
    ``Parent::child`` names become a tree.
    """
    codes = list(project.codes)
    by_guid = {c.guid: c for c in codes}
    by_name = {c.name: c for c in codes if c.parent is None}
    parent_of = {c.guid: c.parent for c in codes}
    label_of = {c.guid: c.name for c in codes}
    for code in list(codes):
        if "::" in code.name and code.parent is None:
            head, _, tail = code.name.rpartition("::")
            parent = by_name.get(head)
            if parent is None:  # the parent is named only in its children's names
                parent = RefiCode(guid=f"made:{head}", name=head, colour=code.colour, description="",
                                  codable=False, parent=None, order=code.order)
                codes.append(parent)
                by_guid[parent.guid] = parent
                by_name[head] = parent
                label_of[parent.guid] = head
                parent_of[parent.guid] = None
                out.report.append(f"- Code group '{head}' exists only in its codes' names (`{head}::…`); "
                                  "it becomes a theme.")
            parent_of[code.guid] = parent.guid
            label_of[code.guid] = tail.strip() or code.name
    children = Counter(p for p in parent_of.values() if p is not None)

    def root(guid: str) -> str:
        seen = set()
        while parent_of.get(guid) is not None and guid not in seen:
            seen.add(guid)
            guid = parent_of[guid]  # type: ignore[assignment]
        return guid

    theme_ids: dict[str, str] = {}
    themes: list[dict[str, Any]] = []
    taken_themes: set[str] = set()
    carried = {c.guid: split_carried(c.description) for c in codes}
    for code in sorted(codes, key=lambda c: c.order):
        if parent_of[code.guid] is None and children[code.guid]:
            wanted = str(carried[code.guid][1].get("theme") or "")
            wanted = wanted if re.fullmatch(r"[a-z0-9][a-z0-9-]*", wanted) else _slug(label_of[code.guid])
            theme_id = _unique(wanted or "theme", taken_themes)
            theme_ids[code.guid] = theme_id
            values = carried[code.guid][1]
            colour = values["colour"] if "colour" in values else code.colour  # None: the study chose none
            themes.append({"id": theme_id, "label": label_of[code.guid],
                           **({"colour": colour.upper()} if _colour(colour) else {})})
    if any(parent_of[c.guid] is None and not children[c.guid] for c in codes):
        themes.append({"id": UNGROUPED[0], "label": UNGROUPED[1]})
        taken_themes.add(UNGROUPED[0])
    ids: dict[str, str] = {}
    taken: set[str] = set()
    ordered = sorted(codes, key=lambda c: (c.order, c.guid))
    for code in ordered:
        if not code.codable and code.guid in theme_ids:
            continue  # a folder: a theme, not a code
        parent = parent_of[code.guid]
        wanted = str(carried[code.guid][1].get("id") or "")
        if _CODE_ID.match(wanted) and wanted not in taken:
            taken.add(wanted)
            ids[code.guid] = wanted
            continue
        ids[code.guid] = _unique(code_id(label_of[code.guid]), taken,
                                 prefix=ids.get(parent) if parent else None)
    for position, code in enumerate(ordered):
        if code.guid not in ids:
            continue
        top = root(code.guid)
        parent = parent_of[code.guid]
        description, values = carried[code.guid]
        group = values.get("group") if isinstance(values.get("group"), str) else None
        data: dict[str, Any] = {"type": "code", "id": ids[code.guid], "label": label_of[code.guid][:120],
                                "group": group or theme_ids.get(top, UNGROUPED[0])}
        if parent is not None and parent in ids:
            data["parent"] = ids[parent]
        data["description"] = description or "No description was given in the imported project."
        if values.get("inductive") is True:
            data["inductive"] = True
        data["order"] = values["order"] if isinstance(values.get("order"), int) else position
        guidance = values.get("guidance") if isinstance(values.get("guidance"), str) else ""
        out.files[f"coding-frame/{ids[code.guid]}.md"] = (
            _front_matter(data) + ("\n" + guidance + "\n" if guidance else ""))
        if not code.codable:
            out.report.append(f"- Code '{code.name}' was not codable in the source program; here it is a code.")
        if label_of[code.guid] != code.name and "::" not in code.name or len(label_of[code.guid]) > 120:
            out.report.append(f"- Code '{code.name}' is labelled '{data['label']}'.")
    depth = max((_depth(c.guid, parent_of) for c in codes), default=0)
    out.report.insert(4, f"{len(ids)} codes in {len(themes)} theme(s), a tree {depth} level(s) deep.\n")
    return ids, themes


def _depth(guid: str, parent_of: dict[str, str | None]) -> int:
    depth = 1
    while parent_of.get(guid) is not None and depth < 100:
        guid = parent_of[guid]  # type: ignore[assignment]
        depth += 1
    return depth


def _colour(value: str | None) -> bool:
    return bool(value and re.fullmatch(r"#[0-9A-Fa-f]{6}", value))


def _project_document(project: RefiProject, themes: list[dict[str, Any]], out: Imported) -> None:
    data = {"type": "project", "title": project.name[:120], "themes": themes}
    out.files["project.md"] = _front_matter(data) + (
        f"\nImported from a REFI-QDA project written by {project.origin or 'another program'}.\n")


def _clusters(selections: tuple[RefiSelection, ...], length: int, out: Imported,
              source: RefiSource) -> list[tuple[int, int, list[RefiSelection]]]:
    """Selections grouped into runs that do not overlap: one extract each."""
    clusters: list[tuple[int, int, list[RefiSelection]]] = []
    for selection in sorted(selections, key=lambda s: (s.start, s.end)):
        start, end = max(0, selection.start), min(length, selection.end)
        if end <= start:
            out.report.append(f"- Source '{source.name}': selection '{selection.name}' ({selection.start}-"
                              f"{selection.end}) is empty or outside the text; not imported.")
            continue
        if not selection.codes:
            continue  # a memo without codes: kept as a note (see _source_document)
        if clusters and start < clusters[-1][1]:
            first, last, members = clusters[-1]
            clusters[-1] = (first, max(last, end), [*members, selection])
        else:
            clusters.append((start, end, [selection]))
    for start, end, members in clusters:
        spans = {(m.start, m.end) for m in members}
        if len(spans) > 1:
            names = ", ".join(f"'{m.name}'" for m in members)
            out.report.append(f"- Source '{source.name}': overlapping selections {names} became one extract "
                              f"(characters {start}-{end}) with all their codes.")
    return clusters


def _extract_id(names: list[str], taken: set[str], number: int) -> str:
    wanted = _slug(names[0]) if len(names) == 1 else ""
    if len(names) == 1 and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", names[0]):
        wanted = names[0]  # already an extract id (this tool's export names selections so)
    elif len(wanted) > 32:
        wanted = ""
    if not wanted or wanted in taken:
        wanted = f"sel-{number}"
    return _unique(wanted, taken)


def escape(text: str) -> str:
    """Plain text as Markdown that reads back as the same words: tags and fence-like lines are escaped."""
    return _FENCE_LIKE.sub(r"\1\\\2", text.replace("<", "\\<"))


def unescape(text: str) -> str:
    return re.sub(r"^(\s*)\\(:::)", r"\1\2", text, flags=re.MULTILINE).replace("\\<", "<")


def _source_document(source: RefiSource, source_id: str, site: str, mapped: dict[str, Any],
                     ids: dict[str, str], out: Imported) -> str:
    text = source.text or ""
    clusters = _clusters(source.selections, len(text), out, source)
    body: list[str] = []
    cursor = 0
    taken: set[str] = set()
    broken_lines = 0
    unknown_codes: Counter[str] = Counter()
    for number, (start, end, members) in enumerate(clusters, 1):
        before = text[cursor:start]
        if before and not before.endswith("\n"):
            before += "\n"
            broken_lines += 1
        body.append(escape(before))
        codes: list[str] = []
        for member in members:
            for guid in member.codes:
                if guid in ids and ids[guid] not in codes:
                    codes.append(ids[guid])
                elif guid not in ids:
                    unknown_codes[guid] += 1
        inner = text[start:end]
        if not codes or not inner.strip():
            body.append(escape(inner))
            cursor = end
            continue
        extract = _extract_id([m.name for m in members], taken, number)
        closing = "" if inner.endswith("\n") else "\n"
        if end < len(text) and text[end - 1] != "\n" and text[end] != "\n":
            broken_lines += 1
        by: list[str] = []
        memos = []
        for member in members:
            memo, values = split_carried(member.memo)
            by += [p for p in values.get("by") or [] if isinstance(p, str) and _CODE_ID.match(p) and p not in by]
            if memo:
                memos.append(memo)
        speakers = f" by={','.join(by)}" if by else ""
        body.append(f"::: extract id={extract} codes={','.join(codes)}{speakers}\n{escape(inner)}{closing}:::\n")
        body.extend(f"\n[Memo on this passage, imported: {escape(' '.join(memo.split()))}]\n\n" for memo in memos)
        out.extracts += 1
        cursor = end
    body.append(escape(text[cursor:]))
    for selection in source.selections:
        if not selection.codes and selection.memo:
            out.report.append(f"- Source '{source.name}': selection '{selection.name}' has a memo but no code; "
                              "its memo is kept in the report only: " + " ".join(selection.memo.split()))
    if broken_lines:
        out.report.append(f"- Source '{source.name}': {broken_lines} selection edge(s) fell inside a line; "
                          "the line was broken there (extracts are whole lines).")
    for guid, count in unknown_codes.items():
        out.report.append(f"- Source '{source.name}': {count} coding(s) refer to code {guid}, which is not in "
                          "the code book; left out.")
    # the research team's own labels (Moderator, Interviewer 2) name no participant
    speakers = [label for label in dict.fromkeys(m.group(1).strip() for m in _SPEAKER.finditer(text))
                if label.lower().rstrip(" 0123456789") not in RESEARCHER_LABELS]
    participants = [{"id": _slug(label) or f"p{n}", "role": "to record", "pseudonym": label}
                    for n, label in enumerate(speakers, 1)]
    if isinstance(mapped.get("participants"), list):  # written by this tool's export: ids, roles, pseudonyms
        participants = [{k: v for k, v in p.items() if k in ("id", "role", "pseudonym")}
                        for p in mapped["participants"] if isinstance(p, dict)]
    seen_ids: set[str] = set()
    for participant in participants:
        participant["id"] = _unique(str(participant.get("id") or "p"), seen_ids)
        participant.setdefault("role", "to record")
        participant["consent"] = {"uses": []}  # never read from a project file: recorded by the team
    date = mapped.get("date") or source.created or DATE_PLACEHOLDER
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            pass  # a placeholder, or a mistake in the mapping: `check` names it
    data = {"type": "source", "id": source_id, "title": source.name[:120], "site": site,
            "method": mapped.get("method", "document"), "date": date}
    for key in ("hours", "vignette"):
        if key in mapped:
            data[key] = mapped[key]
    if participants:
        data["participants"] = participants
    comments = ["Imported from a REFI-QDA project. Before this source is used, record for each participant",
                "what they consented to (consent: uses:), their role, and a pseudonym if the label is a real name."]
    lead = f"[Memo on this source, imported: {escape(' '.join(source.memo.split()))}]\n\n" if source.memo else ""
    return _front_matter(data, comments) + "\n" + lead + "".join(body).replace("\r\n", "\n").rstrip("\n") + "\n"


def _users_and_notes(project: RefiProject, out: Imported) -> None:
    coded_by: Counter[str] = Counter(s.coder or "" for source in project.sources for s in source.selections)
    if project.users:
        out.report += ["", "## Coders", "",
                       "Extracts here do not record who coded them; the project's users, with the selections "
                       "each created:", ""]
        out.report += [f"- {name or guid}: {coded_by.get(guid, 0)}" for guid, name in project.users.items()]
    if project.notes:
        out.report += ["", "## Project notes (memos)", "",
                       "Kept in `_import/notes/`, outside the built sites:", ""]
        taken: set[str] = set()
        for note in project.notes:
            name = _unique(_slug(note.name) or "note", taken)
            out.files[f"_import/notes/{name}.txt"] = f"{note.name}\n\n{note.text}\n"
            out.report.append(f"- {note.name}")


def import_qdpx(path: Path, out: Path, mapping_path: Path | None = None) -> Imported:
    """Read, plan and write an import; refuse to overwrite anything."""
    from .refi import RefiError

    try:
        project = read_refi(path)
    except RefiError as error:
        raise ImportRefused(f"{path}: {error}") from None
    except OSError as error:
        raise ImportRefused(f"{path}: cannot be read ({error.strerror})") from None
    imported = plan_import(project, read_mapping(mapping_path), path.name)
    imported.files["_import/report.md"] = "\n".join(imported.report).rstrip() + "\n"
    clashes = sorted(name for name in imported.files if (out / name).exists())
    if clashes:
        listing = ", ".join(clashes[:5]) + (" …" if len(clashes) > 5 else "")
        raise ImportRefused(f"{out}: {len(clashes)} file(s) already exist ({listing}); import into an empty folder")
    for name, text in sorted(imported.files.items()):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return imported


def by_folder(files: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for name in files:
        counts[name.split("/")[0]] += 1
    return dict(counts)
