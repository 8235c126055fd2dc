"""`generator export qdpx`: the study as a REFI-QDA project, for the audience chosen.

The study is planned into the same :class:`~generator.importers.refi.RefiProject`
value the importer reads, then written as a .qdpx zip. What goes out is what a
site for that audience shows: in an internal export each source's text with
every withdrawn participant's words replaced (as its page shows it); a public
site carries no transcripts, so a public export carries only the extracts that
may be published, each on its own, and no participants.

Themes become top-level codes that cannot be coded (folders, as NVivo and
QualCoder show them) holding their codes. What REFI-QDA has no place for (a
code's id, group and order; a source's id, site, method, date and
participants' roles and pseudonyms) is carried as one JSON line at the end of
the element's description, ``[generator: {...}]``, which the importer reads
back; other programs show it as text. Consent is never carried: whoever
imports the project records it again.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .. import __version__
from ..content.turns import redact_withdrawn
from ..importers.qdpx import split_carried, unescape
from ..importers.refi import NS, RefiCode, RefiNote, RefiProject, RefiSelection, RefiSource
from ..view import PUBLIC, SiteView, extract_view

ORIGIN = f"generator {__version__}"
CARRIED = "[generator: {}]"
_GUIDS = uuid.UUID("6f0f8e55-2b1a-4c3e-9d77-4a0c5e1f2b10")  # fixed, so that one study always gets the same guids
REMOVED = "[Passage removed: a participant withdrew consent.]"
GAP = "[…]"
_PASSAGE_MEMO = re.compile(r"^\n\[Memo on this passage, imported: (.*)\]\n")
_SOURCE_MEMO = re.compile(r"^\n*\[Memo on this source, imported: (.*)\]\n\n?")


@dataclass(frozen=True)
class Exported:
    project: RefiProject
    withheld: int  # extracts this audience may not see
    removed_turns: int  # plain passages replaced because a participant withdrew


def guid(kind: str, name: str) -> str:
    return str(uuid.uuid5(_GUIDS, f"{kind}:{name}"))


def carry(text: str, values: dict[str, Any]) -> str:
    """A description with the values REFI-QDA has no place for on its last line."""
    line = CARRIED.format(json.dumps(values, ensure_ascii=False, sort_keys=True, default=str))
    return f"{text}\n\n{line}" if text else line


def plan_export(view: SiteView) -> Exported:
    """The study of one view (cross-case: every LA; or one LA) as a REFI-QDA project."""
    codes = _codebook(view)
    sources = []
    withheld = removed = 0
    for source in view.sources:
        planned, hidden, gone = _source(view, source)
        sources.append(planned)
        withheld += hidden
        removed += gone
    user = guid("user", ORIGIN)
    project = RefiProject(name=view.project.title, origin=ORIGIN, users={user: view.project.team or ORIGIN},
                          codes=codes, sources=sources, notes=[])
    return Exported(project, withheld, removed)


def _codebook(view: SiteView) -> list[RefiCode]:
    codes: list[RefiCode] = []
    in_view = {c.model.id for c in view.codes}
    declared = {t.id: t.colour for t in view.project.themes}
    for theme in view.themes.all:
        members = [c for c in view.codes if view.themes.of.get(c.model.id) == theme]
        if not members:
            continue
        codes.append(RefiCode(guid=guid("theme", theme.id), name=theme.label, colour=theme.colour,
                              description=carry("", {"theme": theme.id, "colour": declared.get(theme.id)}), codable=False, parent=None,
                              order=len(codes)))
        for code in members:
            model = code.model
            parent = model.parent if model.parent in in_view else None
            values: dict[str, Any] = {"id": model.id, "group": model.group, "order": model.order}
            if model.inductive:
                values["inductive"] = True
            if code.body.strip():
                values["guidance"] = code.body.strip()
            codes.append(RefiCode(
                guid=guid("code", model.id), name=model.label, colour=theme.colour,
                description=carry(model.description.strip(), values), codable=True,
                parent=guid("code", parent) if parent else guid("theme", theme.id), order=len(codes)))
    return codes


def _source(view: SiteView, source: Any) -> tuple[RefiSource, int, int]:
    model = source.model
    public = view.audience == PUBLIC
    parts: list[str] = []
    selections: list[RefiSelection] = []
    length = 0
    withheld = removed = 0
    memo = ""
    pending: RefiSelection | None = None  # the last selection, until its memo (if any) is read

    def add(text: str) -> None:
        nonlocal length
        parts.append(text)
        length += len(text)

    for number, segment in enumerate(source.segments):
        if segment.extract is None:
            if public:
                continue
            text, stripped = segment.text, False
            if number == 0:  # the blank line after the front matter is the file's, not the text's
                text = text.lstrip("\n")
            if number == 0 and (found := _SOURCE_MEMO.match(text)):
                memo, text, stripped = found.group(1), text[found.end():], True
            while pending is not None and (found := _PASSAGE_MEMO.match(text)):
                pending = _with_memo(pending, found.group(1))
                selections[-1] = pending
                text, stripped = text[found.end():], True
                text = text[1:] if text.startswith("\n") else text
            if stripped and not text:
                continue  # the segment held only memos
            redacted = redact_withdrawn(text, model.participants, model.method, view.project.researchers)
            removed += redacted != text
            add(unescape(redacted) + "\n")
            pending = None
            continue
        extract = segment.extract
        seen = extract_view(source, extract, view.audience)
        if seen.withdrawn or (public and seen.removed):
            withheld += 1
            if not public:
                add(REMOVED + "\n")
            pending = None
            continue
        if public and parts:
            add(GAP + "\n")
        words = unescape(extract.text) + "\n"
        pending = RefiSelection(guid=guid("extract", f"{model.id}#{extract.id}"), name=extract.id, start=length,
                                end=length + len(words),
                                codes=tuple(guid("code", c) for c in extract.codes),
                                memo=carry("", {"by": list(extract.by)}) if extract.by and not public else "",
                                coder=None)
        selections.append(pending)
        add(words)
    values = model.model_dump(mode="json", exclude_none=True, exclude={"type", "title"})
    values.setdefault("participants", [])
    for person in values["participants"]:
        person.pop("consent", None)  # consent is recorded by whoever imports, never carried
    if public:
        values = {k: values[k] for k in ("id", "site", "method", "date") if k in values}
    return (RefiSource(guid=guid("source", model.id), name=model.title, text="".join(parts), missing="",
                       selections=tuple(selections), memo=carry(memo, values), created=None),
            withheld, removed)


def _with_memo(selection: RefiSelection, memo: str) -> RefiSelection:
    from dataclasses import replace

    text, values = split_carried(selection.memo)
    text = f"{text} {memo}".strip()
    return replace(selection, memo=carry(text, values) if values else text)


# --- writing ------------------------------------------------------------------------------------------------------

def _element(parent: ElementTree.Element, tag: str, **attributes: str) -> ElementTree.Element:
    return ElementTree.SubElement(parent, NS + tag, {k: v for k, v in attributes.items() if v})


def _description(parent: ElementTree.Element, text: str) -> None:
    if text:
        _element(parent, "Description").text = text


def project_xml(project: RefiProject) -> bytes:
    """The project.qde of a project whose sources' texts are written beside it as sources/GUID.txt."""
    ElementTree.register_namespace("", NS[1:-1])
    root = ElementTree.Element(NS + "Project", {"name": project.name, "origin": project.origin})
    users = _element(root, "Users")
    for user, name in project.users.items():
        _element(users, "User", guid=user, name=name)
    user = next(iter(project.users), "")
    book = _element(_element(root, "CodeBook"), "Codes")
    placed: dict[str, ElementTree.Element] = {}
    for code in sorted(project.codes, key=lambda c: c.order):
        parent = placed.get(code.parent or "", book)
        element = _element(parent, "Code", guid=code.guid, name=code.name,
                           isCodable="true" if code.codable else "false", color=code.colour or "")
        _description(element, code.description)
        placed[code.guid] = element
    sources = _element(root, "Sources")
    for source in project.sources:
        element = _element(sources, "TextSource", guid=source.guid, name=source.name,
                           plainTextPath=f"internal://{source.guid}.txt", creatingUser=user)
        _description(element, source.memo)
        for selection in source.selections:
            chosen = _element(element, "PlainTextSelection", guid=selection.guid, name=selection.name,
                              startPosition=str(selection.start), endPosition=str(selection.end), creatingUser=user)
            _description(chosen, selection.memo)
            for code in selection.codes:
                coding = _element(chosen, "Coding", guid=guid("coding", f"{selection.guid}:{code}"),
                                  creatingUser=user)
                _element(coding, "CodeRef", targetGUID=code)
    if project.notes:
        notes = _element(root, "Notes")
        for note in project.notes:
            element = _element(notes, "Note", guid=note.guid, name=note.name, creatingUser=user)
            _element(element, "PlainTextContent").text = note.text
    ElementTree.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="utf-8")


def qdpx_bytes(project: RefiProject) -> bytes:
    """The .qdpx zip: project.qde and each source's text; fixed timestamps, so the same study gives the same bytes."""
    stamp = (2000, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", stamp), project_xml(project), zipfile.ZIP_DEFLATED)
        for source in project.sources:
            archive.writestr(zipfile.ZipInfo(f"sources/{source.guid}.txt", stamp),
                             (source.text or "").encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_qdpx(project: RefiProject, path: Path) -> None:
    from ..output import write_file_atomically

    write_file_atomically(path, qdpx_bytes(project))


__all__ = ["Exported", "RefiNote", "carry", "guid", "plan_export", "project_xml", "write_qdpx"]
