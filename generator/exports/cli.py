"""`generator export FORMAT CONTENT --out FILE`: the study in another program's format.

The content is checked first, exactly as a build checks it; what goes out is
what a site for the chosen audience (and LA, with ``--la``) may show.
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

FORMATS = {
    "qdpx": "REFI-QDA project for NVivo, MAXQDA, ATLAS.ti or QualCoder (sources, extracts, coding frame)",
    "xlsx": "Excel workbook of the framework matrix: summaries linked to their pages, the coding frame, "
            "and a sheet of extracts per code",
}


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("export", help="write the study in another program's format",
                                 description="Write the study, as the chosen audience may see it, in another "
                                             "program's format.")
    formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
    for name, help_text in FORMATS.items():
        sub = formats.add_parser(name, help=help_text, description=f"Write a {help_text}.")
        sub.add_argument("content", nargs="?", default="content", help="content folder (default: content)")
        sub.add_argument("--out", required=True, metavar="FILE", help=f"the .{name} file to write")
        sub.add_argument("--la", metavar="ID", help="only this local authority's material")
        sub.add_argument("--audience", choices=["internal", "public"], default="internal",
                         help="internal (default): each source's text as its internal page shows it; "
                              "public: only extracts that may be published, no participants")
        if name == "xlsx":
            sub.add_argument("--site-url", metavar="URL",
                             help="the built site's address (the cross-case or LA site): links become absolute, "
                                  "so the workbook works on its own; without it they are relative to the site "
                                  "folder the workbook is put in")
        sub.set_defaults(func=cmd_export)


def _refuse_target(target: Path, content: Path, register: Path | None) -> None:
    from ..errors import OutputError
    from ..output import check_file_target

    check_file_target(target, content, register)
    if target.exists():  # only a file this export writes may be replaced: never someone's own file
        try:
            with zipfile.ZipFile(target) as archive:
                names = {n.lower() for n in archive.namelist()}
                ours = "project.qde" in names if target.suffix.lower() == ".qdpx" else "xl/workbook.xml" in names
        except (zipfile.BadZipFile, OSError):
            ours = False
        if not ours:
            raise OutputError(f"--out {target.as_posix()}: exists and is not a file this export writes; "
                              "choose another name")


def _scan_for_other_las(study: object, la: str, project: object, target: Path) -> None:
    """The scan every LA site gets, on what the export would write: no other LA may be named in it."""
    import tempfile

    from ..errors import ContentError
    from ..leaks import find_leaks, foreign_names
    from .qdpx import project_xml

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sources").mkdir()
        (root / "project.qde").write_bytes(project_xml(project))  # type: ignore[arg-type]
        for source in project.sources:  # type: ignore[attr-defined]
            (root / "sources" / f"{source.guid}.txt").write_text(source.text or "", encoding="utf-8")
        problems = find_leaks(root, foreign_names(study, la), target.name)  # type: ignore[arg-type]
    if problems:
        raise ContentError(problems)


def cmd_export(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..pipeline import load_and_validate
    from ..view import select_material

    content, target = Path(args.content), Path(args.out)
    if not content.is_dir():
        raise UserError(f"{content}: content folder not found")
    if target.suffix.lower() != f".{args.format}":
        raise UserError(f"{target}: expected a file name ending .{args.format}")
    study, _ = load_and_validate(content)
    register = study.project.model.identifier_register if study.project else None
    _refuse_target(target, content, content.parent / register if register else None)
    if args.la is not None and args.la not in {d.model.id for d in study.local_authorities}:
        known = ", ".join(sorted(d.model.id for d in study.local_authorities))
        raise UserError(f"--la {args.la}: no such local authority (the study has {known})")
    view = select_material(study, args.la, args.audience)
    if args.format == "xlsx":
        return _export_xlsx(view, target, args.site_url)
    from .qdpx import plan_export, write_qdpx

    exported = plan_export(view)
    if args.la is not None:
        _scan_for_other_las(study, args.la, exported.project, target)
    write_qdpx(exported.project, target)
    selections = sum(len(s.selections) for s in exported.project.sources)
    codable = sum(c.codable for c in exported.project.codes)
    print(f"wrote {target}: {len(exported.project.sources)} sources, {selections} coded selections, "
          f"{codable} codes ({args.audience}); {exported.withheld} extracts not for this audience left out"
          + (f", {exported.removed_turns} passages with a withdrawn participant's words replaced"
             if exported.removed_turns else ""))
    return 0


def _export_xlsx(view: object, target: Path, site_url: str | None) -> int:
    from ..compute.matrix import compute_matrix
    from ..errors import UserError
    from ..output import write_file_atomically
    from ..view import decide_extracts
    from .xlsx import matrix_workbook

    if site_url is not None and not site_url.startswith(("https://", "http://")):
        raise UserError(f"--site-url {site_url}: expected an address starting https:// (or http://)")
    decide_extracts(view)  # type: ignore[arg-type]
    matrix = compute_matrix(view)  # type: ignore[arg-type]
    write_file_atomically(target, matrix_workbook(view, matrix, here=target.name, base=site_url or ""))  # type: ignore[arg-type]
    print(f"wrote {target}: {len(matrix.rows)} sites x {len(matrix.codes)} codes, {matrix.filled} code documents "
          f"({view.audience})")  # type: ignore[attr-defined]
    return 0
