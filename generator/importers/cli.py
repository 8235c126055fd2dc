"""`generator import KIND SOURCE --out FOLDER`: official data in, dataset documents out.

Each kind reads one published file and writes ``FOLDER/<id>.csv`` and
``FOLDER/<id>.md`` (a dataset document the rest of the tool loads like any
other). Problems with the file are printed as ``path:row [column]: message``
and the command exits 1 having written nothing; mistakes in the command
itself are usage errors (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

KINDS: dict[str, tuple[str, str]] = {
    "dfe": ("DfE 'Explore education statistics' LA-level CSV (CIN, CPP, CLA, population)",
            "generator.importers.dfe:import_dfe"),
    "imd": ("English Indices of Deprivation upper-tier LA summary workbook (.xlsx, sheet IMD)",
            "generator.importers.imd:import_imd"),
    "s251": ("section 251 outturn workbook (.xlsx, sheet 'Table A1'): spending by LA and service category",
             "generator.importers.s251:import_s251"),
    "simd": ("Scottish Index of Multiple Deprivation data-zone indicators (CSV)",
             "generator.importers.simd:import_simd"),
}


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "import", help="import official data into dataset documents",
        description="Turn an official data release into a dataset document (FOLDER/ID.csv and FOLDER/ID.md).",
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, (help_text, _) in KINDS.items():
        sub = kinds.add_parser(kind, help=help_text, description=f"Import a {help_text}.")
        sub.add_argument("source", metavar="SOURCE", help="the file as published")
        sub.add_argument("--out", required=True, metavar="FOLDER", help="folder for ID.csv and ID.md (created if needed)")
        sub.add_argument("--id", dest="dataset_id", metavar="ID", help="dataset id (default: made from the file name)")
        sub.add_argument("--la-map", metavar="FILE",
                         help="CSV with columns code,la (or YAML code: la) giving the project's LA id for official "
                              "LA codes or names; adds an 'la' column so each LA's site shows its own rows")
        sub.add_argument("--retrieved", metavar="DATE", help="when the file was downloaded, for the provenance")
        sub.add_argument("--source-url", metavar="URL",
                         help="the release's web page: the dataset links the publisher's notes there instead of copying them")
        if kind == "s251":
            sub.add_argument("--year", help="financial year, e.g. 2017-18 (default: from a file name like S251ye2018)")
        sub.set_defaults(func=cmd_import)
    qdpx = kinds.add_parser(
        "qdpx", help="REFI-QDA project (.qdpx) from NVivo, MAXQDA, ATLAS.ti or QualCoder, into a study",
        description="Turn a REFI-QDA project into study files: its text sources become source documents with "
                    "each coded selection an extract, its code tree the coding frame. Consent, speakers' roles "
                    "and dates are not in REFI-QDA: they are written as placeholders that `check` asks for. "
                    "Everything not carried is listed in OUT/_import/report.md.")
    qdpx.add_argument("source", metavar="PROJECT", help="the .qdpx file")
    qdpx.add_argument("--out", required=True, metavar="FOLDER",
                      help="folder for the study files (new or empty: nothing is overwritten)")
    qdpx.add_argument("--map", dest="mapping", metavar="FILE",
                      help="YAML mapping: local_authorities, sites, sources (name: {site, method, date}), "
                           "default_site")
    qdpx.set_defaults(func=cmd_import_qdpx)


def cmd_import_qdpx(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from .qdpx import ImportRefused, by_folder, import_qdpx

    source = Path(args.source)
    if not source.is_file():
        raise UserError(f"{source}: file not found")
    mapping = Path(args.mapping) if args.mapping else None
    if mapping is not None and not mapping.is_file():
        raise UserError(f"{mapping}: mapping file not found")
    out = Path(args.out)
    try:
        imported = import_qdpx(source, out, mapping)
    except ImportRefused as error:
        print(f"error: {error}; nothing was imported", file=sys.stderr)
        return 1
    folders = ", ".join(f"{count} in {name}/" if name.count(".") == 0 else name
                        for name, count in sorted(by_folder(imported.files).items()))
    print(f"imported {source.name}: {imported.extracts} extracts; {len(imported.files)} files ({folders})")
    print(f"read {out / '_import' / 'report.md'}: what was not carried, and what to record before `check` passes")
    return 0


def _importer(kind: str) -> Callable[..., Any]:
    from importlib import import_module

    module, _, name = KINDS[kind][1].partition(":")
    return getattr(import_module(module), name)  # type: ignore[no-any-return]


def cmd_import(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from .common import (ImportProblems, apply_la_map, check_id, check_url, load_la_map, summary_line,
                         with_source_url, write_dataset)

    source = Path(args.source)
    if not source.is_file():
        raise UserError(f"{source}: file not found")
    dataset_id = check_id(args.dataset_id) if args.dataset_id else None
    la_map = load_la_map(Path(args.la_map)) if args.la_map else None
    url = check_url(args.source_url) if args.source_url else None
    options: dict[str, Any] = {"dataset_id": dataset_id, "retrieved": args.retrieved}
    if getattr(args, "year", None):
        options["year"] = args.year
    try:
        dataset = _importer(args.kind)(source, **options)
    except ImportProblems as error:
        for found in error.problems:
            print(found, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''}; nothing was imported", file=sys.stderr)
        return 1
    dataset.provenance = with_source_url(dataset.provenance, url)
    if la_map is not None:
        apply_la_map(dataset, la_map)
    csv_path, _ = write_dataset(dataset, Path(args.out))
    for note in dataset.notes:
        print(f"warning: {note}", file=sys.stderr)
    print(summary_line(dataset, csv_path))
    return 0
