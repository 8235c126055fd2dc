"""Read a REFI-QDA project (.qdpx) into plain values.

A .qdpx is a zip holding ``project.qde`` (the XML of the QDA-XML standard,
namespace ``urn:QDA-XML:project:1.0``) and the text of its sources under
``sources/``. Programs write it in their own ways: QualCoder-like writers give
a bare ``plainTextPath``, ATLAS.ti names the entry ``Project.qde`` and may leave
every ``internal://`` source out. This module only reads; what becomes of the
values is decided in ``generator.importers.qdpx``. Nothing is extracted to
disk, and the XML is parsed with entity expansion and DTDs refused.

Positions are counted in Unicode characters (code points) from the start of
the source's plain text, as the standard says.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from defusedxml import DefusedXmlException, ElementTree

NS = "{urn:QDA-XML:project:1.0}"
MAX_ENTRY_BYTES = 50 * 1024 * 1024  # a zip entry may claim any size; read no more than this
# Elements this tool has no place for: counted and reported, never dropped silently.
UNSUPPORTED = ("PictureSource", "PDFSource", "AudioSource", "VideoSource", "PictureSelection", "PDFSelection",
               "AudioSelection", "VideoSelection", "Transcript", "Set", "Link", "Graph", "Case", "Variable",
               "VariableValue", "NoteRef")


class RefiError(Exception):
    """The file is not a REFI-QDA project this reader can read."""


@dataclass(frozen=True)
class RefiCode:
    guid: str
    name: str
    colour: str | None
    description: str
    codable: bool
    parent: str | None  # the enclosing code's guid
    order: int


@dataclass(frozen=True)
class RefiSelection:
    guid: str
    name: str
    start: int
    end: int
    codes: tuple[str, ...]  # guids, in the file's order
    memo: str  # the selection's Description
    coder: str | None  # the creating user's guid


@dataclass(frozen=True)
class RefiSource:
    guid: str
    name: str
    text: str | None  # None when the text is not in the file
    missing: str  # why the text is missing, when it is
    selections: tuple[RefiSelection, ...]
    memo: str
    created: dt.date | None


@dataclass(frozen=True)
class RefiNote:
    guid: str
    name: str
    text: str


@dataclass
class RefiProject:
    name: str
    origin: str
    users: dict[str, str]  # guid -> name
    codes: list[RefiCode]
    sources: list[RefiSource]
    notes: list[RefiNote]
    unsupported: Counter[str] = field(default_factory=Counter)


def _text(element: Any, tag: str) -> str:
    child = element.find(NS + tag)
    return (child.text or "").strip() if child is not None else ""


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _entry(archive: zipfile.ZipFile, wanted: str) -> zipfile.ZipInfo | None:
    """The zip entry named ``wanted``, compared without case (writers differ: Project.qde, Sources/)."""
    for info in archive.infolist():
        if info.filename.lower() == wanted.lower() and not info.is_dir():
            return info
    return None


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise RefiError(f"{info.filename} is larger than {MAX_ENTRY_BYTES // (1024 * 1024)} MB")
    return data


def _source_text(archive: zipfile.ZipFile, element: Any) -> tuple[str | None, str]:
    embedded = element.find(NS + "PlainTextContent")
    if embedded is not None and embedded.text is not None:
        return embedded.text, ""
    path = element.get("plainTextPath")
    if not path:
        return None, "no plain text (plainTextPath) is given"
    if path.startswith("internal://"):
        name = path[len("internal://"):]
    elif "://" in path:
        return None, f"its text is outside the project file ({path})"
    else:
        name = path  # a bare file name, as some writers give it
    parts = PurePosixPath(name).parts
    if ".." in parts or PurePosixPath(name).is_absolute():
        return None, f"its text path leaves the project file ({path})"
    info = _entry(archive, f"sources/{name}") or _entry(archive, name)
    if info is None:
        return None, f"its text ({path}) is not in the project file"
    try:
        data = _read(archive, info)
    except RefiError as error:
        return None, str(error)
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return None, f"its text ({path}) is not UTF-8"


def read_refi(path: Path) -> RefiProject:
    """Read a .qdpx file (or a bare .qde XML file) into a :class:`RefiProject`."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                info = _entry(archive, "project.qde")
                if info is None:
                    raise RefiError("no project.qde inside; is this a REFI-QDA project (.qdpx)?")
                root = ElementTree.fromstring(_read(archive, info))
                return _project(root, archive)
        root = ElementTree.fromstring(path.read_bytes())
        return _project(root, None)
    except ElementTree.ParseError as error:
        raise RefiError(f"the project XML cannot be read: {error}") from None
    except DefusedXmlException as error:
        raise RefiError(f"the project XML is refused (entities and DTDs are not read): {error}") from None
    except ValueError as error:
        raise RefiError(f"the project XML has a value this reader cannot use: {error}") from None
    except zipfile.BadZipFile as error:
        raise RefiError(f"the zip file is damaged: {error}") from None


def _project(root: Any, archive: zipfile.ZipFile | None) -> RefiProject:
    if root.tag != NS + "Project":
        raise RefiError(f"the XML's root is <{root.tag.split('}')[-1]}>, not a QDA-XML <Project>")
    users = {u.get("guid", ""): u.get("name", "") for u in root.iter(NS + "User")}
    codes: list[RefiCode] = []

    def walk(parent: Any, parent_guid: str | None) -> None:
        for element in parent.findall(NS + "Code"):
            codes.append(RefiCode(
                guid=element.get("guid", ""), name=element.get("name", "").strip(), colour=element.get("color"),
                description=_text(element, "Description"), codable=element.get("isCodable", "true") == "true",
                parent=parent_guid, order=len(codes)))
            walk(element, element.get("guid", ""))

    book = root.find(f"{NS}CodeBook/{NS}Codes")
    if book is not None:
        walk(book, None)
    sources = []
    for element in root.iter(NS + "TextSource"):
        text, missing = _source_text(archive, element) if archive is not None else (None, "a bare .qde holds no texts")
        selections = []
        for selection in element.findall(NS + "PlainTextSelection"):
            selections.append(RefiSelection(
                guid=selection.get("guid", ""), name=selection.get("name", ""),
                start=int(selection.get("startPosition", "0")), end=int(selection.get("endPosition", "0")),
                codes=tuple(ref.get("targetGUID", "") for ref in selection.iter(NS + "CodeRef")),
                memo=_text(selection, "Description"), coder=selection.get("creatingUser")))
        sources.append(RefiSource(
            guid=element.get("guid", ""), name=element.get("name", "") or element.get("plainTextPath", ""),
            text=text, missing=missing, selections=tuple(selections), memo=_text(element, "Description"),
            created=_date(element.get("creationDateTime"))))
    notes = [RefiNote(n.get("guid", ""), n.get("name", ""), _text(n, "PlainTextContent") or _text(n, "Description"))
             for n in root.iter(NS + "Note")]
    unsupported = Counter(e.tag[len(NS):] for e in root.iter() if e.tag[len(NS):] in UNSUPPORTED)
    return RefiProject(name=root.get("name", "") or "Imported project", origin=root.get("origin", ""),
                       users=users, codes=codes, sources=sources, notes=notes, unsupported=unsupported)
