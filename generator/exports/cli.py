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
        sub.set_defaults(func=cmd_export)


def _refuse_target(target: Path, content: Path) -> None:
    from ..errors import OutputError

    resolved, root = target.resolve(), content.resolve()
    if resolved == root or root in resolved.parents:
        raise OutputError(f"{target}: inside the content folder {content}; write exports outside it")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name ending .qdpx")
    if target.exists():  # only a REFI-QDA project may be replaced: never a file the tool did not make
        try:
            with zipfile.ZipFile(target) as archive:
                ours = any(n.lower() == "project.qde" for n in archive.namelist())
        except (zipfile.BadZipFile, OSError):
            ours = False
        if not ours:
            raise OutputError(f"{target}: exists and is not a REFI-QDA project; choose another name")
    if not target.parent.is_dir():
        raise OutputError(f"{target.parent}: no such folder")


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
    from .qdpx import plan_export, write_qdpx

    content, target = Path(args.content), Path(args.out)
    if not content.is_dir():
        raise UserError(f"{content}: content folder not found")
    if target.suffix.lower() != ".qdpx":
        raise UserError(f"{target}: expected a file name ending .qdpx")
    _refuse_target(target, content)
    study, _ = load_and_validate(content)
    if args.la is not None and args.la not in {d.model.id for d in study.local_authorities}:
        known = ", ".join(sorted(d.model.id for d in study.local_authorities))
        raise UserError(f"--la {args.la}: no such local authority (the study has {known})")
    exported = plan_export(select_material(study, args.la, args.audience))
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
