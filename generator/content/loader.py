"""Load every document of a content folder into a :class:`Study`.

The loader knows files and lines, so it reports *where* each problem is;
cross-references between documents are checked later, in ``validate``.
Nothing is written here and nothing in the content is executed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, SourceLocation, did_you_mean, one_of
from .blocks import BlockSpec, parse_blocks
from .datasets import line_of_byte, read_table
from .documents import Loaded, LoadedDataset, LoadedSource, LoadedSurvey
from .extracts import Segment, parse_extracts
from .frontmatter import FrontMatterError, parse_document
from .kinds import BY_NAME, KINDS, function, kind_of, owner_la
from .records import MISSING, DocumentRecords
from .models import (
    Code,
    CodeDocument,
    LocalAuthority,
    MetaInference,
    OutcomeCaseStudy,
    Project,
    ReportCard,
    Site,
    Source,
)
from .schema_errors import describe

__all__ = ["Loaded", "LoadedDataset", "LoadedSource", "LoadedSurvey", "Study", "load_study", "owner_la",
           "resolve_inside"]

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
SKIPPED_NAMES = {"README.md", "readme.md"}

@dataclass
class Study:
    """Everything in a content folder, by kind, in file order."""

    root: Path
    project: Loaded[Project] | None = None
    local_authorities: list[Loaded[LocalAuthority]] = field(default_factory=list)
    sites: list[Loaded[Site]] = field(default_factory=list)
    codes: list[Loaded[Code]] = field(default_factory=list)
    sources: list[LoadedSource] = field(default_factory=list)
    code_documents: list[Loaded[CodeDocument]] = field(default_factory=list)
    datasets: list[LoadedDataset] = field(default_factory=list)
    meta_inferences: list[Loaded[MetaInference]] = field(default_factory=list)
    surveys: list[LoadedSurvey] = field(default_factory=list)
    case_studies: list[Loaded[OutcomeCaseStudy]] = field(default_factory=list)
    report_cards: list[Loaded[ReportCard]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    # ids of documents that failed their schema check, by type: references to
    # them are not reported again as unknown
    broken: dict[str, set[str]] = field(default_factory=dict)
    # What the compute stage works out once for every site of a build (spending series, growth fits, the
    # other LAs' lines of a chart), keyed by what it depends on. It lives and dies with this study, so a
    # study loaded again (the next rebuild) never sees figures computed from the last one.
    shared: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def documents_of(self, kind: str) -> list[Loaded[Any]]:
        held = getattr(self, BY_NAME[kind].collection)
        return held if isinstance(held, list) else [held] if held is not None else []

    def all_documents(self) -> list[Loaded[Any]]:
        return [document for kind in KINDS for document in self.documents_of(kind.name)]

    def la_folders(self) -> dict[Path, str]:
        """{folder: LA id} for each LA whose local-authority document has a folder of its own."""
        root = self.root.resolve()
        folders: dict[Path, list[str]] = {}
        for la in self.local_authorities:
            folder = (root / Path(la.path).relative_to(self.root.name)).parent.resolve()
            if folder != root:
                folders.setdefault(folder, []).append(la.model.id)
        return {folder: ids[0] for folder, ids in folders.items() if len(ids) == 1}

    def block(self, block_id: str) -> tuple[Loaded[Any], BlockSpec] | None:
        """Return the document and the computed block with this id."""
        for document in self.all_documents():
            for block in document.blocks:
                if block.spec.id == block_id:
                    return document, block
        return None


def _display_path(path: Path, root: Path) -> str:
    try:
        return (root.name / path.relative_to(root)).as_posix()
    except ValueError:
        return path.as_posix()


def _content_files(root: Path, problems: list[Problem]) -> list[Path]:
    """Return the Markdown files under root, sorted, refusing links that lead outside it."""
    real_root = root.resolve()
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        here = Path(folder)
        for name in list(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                problems.append(Problem(
                    SourceLocation(_display_path(here / name, root)),
                    "folder is a symbolic link; content must be real files inside the content folder",
                ))
        for name in sorted(files):
            if not name.endswith(".md") or name in SKIPPED_NAMES or name.startswith("."):
                continue
            path = here / name
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.append(Problem(SourceLocation(_display_path(path, root)), "cannot be read (a broken link?)"))
                continue
            if real_root not in real.parents:
                problems.append(Problem(
                    SourceLocation(_display_path(path, root)),
                    "links to a file outside the content folder; content must stay inside it",
                ))
                continue
            found.append(path)
    return found


def load_study(root: Path, records: DocumentRecords | None = None) -> tuple[Study, list[Problem]]:
    """Load and schema-check every document under ``root``; return the study and all problems.

    With ``records``, a document whose bytes and path are those of an earlier load is taken from its record.
    """
    records = records or DocumentRecords(None)
    problems: list[Problem] = []
    study = Study(root=root)
    if not root.is_dir():
        problems.append(Problem(SourceLocation(root.as_posix()), "content folder not found"))
        return study, problems
    for path in _content_files(root, problems):
        study.files.append(path)
        shown = _display_path(path, root)
        loaded = _load_recorded(path, shown, problems, study.broken, records)
        if loaded is not None:
            _file_document(study, loaded, problems)
    la_folders = study.la_folders()
    for kind in KINDS:
        if kind.reads is not None:
            for document in study.documents_of(kind.name):
                function(kind.reads)(study, document, problems, la_folders)
    if study.project is None and not any(p.location.path.endswith("project.md") for p in problems):
        problems.append(Problem(
            SourceLocation(root.name),
            "no project document; add project.md with 'type: project' and the study's title",
        ))
    return study, problems


def _load_recorded(path: Path, shown: str, problems: list[Problem], broken: dict[str, set[str]],
                   records: DocumentRecords) -> Loaded[Any] | None:
    """The document at ``path``, from the record of an earlier load of the same bytes when there is one."""
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        problems.append(Problem(SourceLocation(shown), (
            f"file is {size / 1e6:.1f} MB; a content document may be at most "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB (split long transcripts into parts)"
        )))
        return None
    data = path.read_bytes()
    key = records.key("load", shown, data)
    record = records.get(key, tuple)
    if record is MISSING:
        found: list[Problem] = []
        failed: dict[str, set[str]] = {}
        loaded = _load_document(data, shown, found, failed)
        if loaded is not None:
            loaded.digest = key
        record = (loaded, found, failed)
        records.put(key, record)
    loaded, found, failed = record
    problems.extend(found)
    for kind, ids in failed.items():
        broken.setdefault(kind, set()).update(ids)
    return loaded  # type: ignore[no-any-return]


def _load_document(
    data: bytes, shown: str, problems: list[Problem], broken: dict[str, set[str]]
) -> Loaded[Any] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(Problem(
            SourceLocation(shown, line_of_byte(data, error.start)),
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
        ))
        return None
    if "\x00" in text:
        problems.append(Problem(SourceLocation(shown, text[: text.index("\x00")].count("\n") + 1),
                                "contains a NUL character; is this a binary file?"))
        return None
    try:
        parsed = parse_document(text)
    except FrontMatterError as error:
        problems.append(Problem(SourceLocation(shown, error.line), error.message))
        return None
    if parsed is None:
        problems.append(Problem(SourceLocation(shown, 1), (
            "no front-matter; a content file starts with a '---' line, then 'type: ...' "
            f"({one_of(BY_NAME)}) and its fields, then '---'"
        )))
        return None
    for line, key, first in parsed.duplicate_keys:
        problems.append(Problem(SourceLocation(shown, line), f"key '{key}' is given twice (first at line {first})"))
    kind = parsed.data.get("type")
    if kind is None:
        problems.append(Problem(SourceLocation(shown, 2), f"missing 'type'; expected {one_of(BY_NAME)}"))
        return None
    if not isinstance(kind, str) or kind not in BY_NAME:
        problems.append(Problem(
            SourceLocation(shown, parsed.line_of(("type",))),
            f"type: expected {one_of(BY_NAME)}, got {kind!r}{did_you_mean(str(kind), BY_NAME)}",
        ))
        return None
    model_class = BY_NAME[kind].model
    segments: list[Segment] = []
    if model_class is Source:  # extract syntax is checked even when the front-matter is wrong
        segments, extract_problems = parse_extracts(parsed.body, parsed.body_line)
        problems.extend(Problem(SourceLocation(shown, p.line), p.message) for p in extract_problems)
    blocks, block_problems = parse_blocks(parsed.body, parsed.body_line)
    problems.extend(Problem(SourceLocation(shown, p.line), p.message) for p in block_problems)
    try:
        model = model_class.model_validate(parsed.data)
    except ValidationError as exc:
        for loc, message in describe(model_class, exc):
            problems.append(Problem(SourceLocation(shown, parsed.line_of(loc)), message))
        broken.setdefault(kind, set()).add(BY_NAME[kind].identity(parsed.data))
        return None
    loaded = BY_NAME[kind].loaded(model=model, path=shown, parsed=parsed, blocks=blocks)
    if isinstance(loaded, LoadedSource):
        from .turns import with_speakers

        loaded.segments = with_speakers(segments, model)
    return loaded


def _file_document(study: Study, loaded: Loaded[Any], problems: list[Problem]) -> None:
    kind = kind_of(loaded)
    if not kind.single:
        getattr(study, kind.collection).append(loaded)
    elif (first := getattr(study, kind.collection)) is not None:
        problems.append(Problem(loaded.at("type"), f"a second {kind.label} document; the first is {first.path}"))
    else:
        setattr(study, kind.collection, loaded)


def resolve_inside(root: Path, document: Loaded[Any], name: str, where: SourceLocation,
                   problems: list[Problem], la_folders: dict[Path, str] | None = None) -> Path | None:
    """Return the file ``name`` (relative to the document) if it exists inside the content folder, else report why not.

    A file inside an LA's folder belongs to that LA: another LA's document, or a shared one, may not
    read it (its rows would be published on a site they do not belong to).
    """
    target = root / Path(document.path).relative_to(root.name)
    target = target.parent / name
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        problems.append(Problem(where, f"file: '{name}' not found (looked for {_display_path(target, root)})"))
        return None
    if root.resolve() not in real.parents:
        problems.append(Problem(where, f"file: '{name}' leads outside the content folder; keep the CSV inside it"))
        return None
    if not real.is_file():
        problems.append(Problem(where, f"file: '{name}' is not a file"))
        return None
    owner = getattr(document.model, "la", None)
    for folder in real.parents:  # each LA folder it lies in, the nearest first
        la = (la_folders or {}).get(folder)
        if la is not None and la != owner:
            whose = f"local authority '{owner}'" if owner else "a shared document (no 'la')"
            problems.append(Problem(where, (
                f"file: '{name}' lies in the folder of local authority '{la}', but this is {whose}; "
                f"an LA's files may only be read by that LA's own documents")))
            return None
    return real


def read_dataset_table(study: Study, dataset: LoadedDataset, problems: list[Problem],
                       la_folders: dict[Path, str]) -> None:
    """Read a dataset's CSV (inside the content folder, and its LA's folder if it has one)."""
    root = study.root.resolve()
    real = resolve_inside(study.root, dataset, dataset.model.file, dataset.at("file"), problems, la_folders)
    if real is None:
        return
    dataset.csv_path = study.root.name + "/" + real.relative_to(root).as_posix()
    table, cell_problems = read_table(dataset.model, real)
    for cell in cell_problems:
        if cell.row == 0 and not cell.column:  # about the table as a whole: point at its keys
            problems.append(Problem(dataset.at("keys"), f"{dataset.csv_path}: {cell.message}"))
        else:
            problems.append(Problem(SourceLocation(dataset.csv_path, cell.row, cell.column), cell.message))
    dataset.table = table
