"""The command line: check, build, serve, docs."""

from __future__ import annotations

import argparse
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import ContentError, OutputError, Problem, SettingsError, Severity, UserError, os_error_message


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _summary(problems: Sequence[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import load_and_validate

    if args.format != "text":
        return _check_for_a_program(args)
    study, warnings = load_and_validate(Path(args.content), strict=args.strict)
    _print_problems(warnings)
    documents = len(study.all_documents())
    extracts = sum(len(s.extracts) for s in study.sources)
    tail = f" ({_summary(warnings)})" if warnings else ""
    print(f"{args.content}: {documents} documents, {extracts} coded extracts, no errors{tail}")
    return 0


def _check_for_a_program(args: argparse.Namespace) -> int:
    """`check --format json|github`: every problem on standard output, exit 1 if any is an error."""
    from .pipeline import load_and_validate
    from .problem_formats import as_github, as_json

    summary: dict[str, object] = {"content": args.content}
    try:
        study, problems = load_and_validate(Path(args.content), strict=args.strict)
        summary |= {"ok": True, "documents": len(study.all_documents()),
                    "extracts": sum(len(s.extracts) for s in study.sources)}
    except ContentError as error:
        problems, summary["ok"] = error.problems, False
    text = as_json(problems, summary) if args.format == "json" else as_github(problems)
    if text:
        print(text)
    return 0 if summary["ok"] else 1


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    return build(
        content=Path(args.content),
        out=Path(args.out) if args.out else None,
        la=args.la,
        strict=args.strict,
        quiet=args.quiet,
        audience=args.audience,
        workers=args.workers,
        scheduler=args.scheduler,
        shard=_shard(args.shard) if args.shard else None,
    )


def _shard(value: str) -> tuple[int, int]:
    import re

    found = re.fullmatch(r"(\d+)/(\d+)", value.strip())
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise UserError(f"--shard {value}: expected I/N with 1 <= I <= N, e.g. 2/4")
    return int(found.group(1)), int(found.group(2))


def cmd_merge(args: argparse.Namespace) -> int:
    from .merge import merge

    return merge(Path(args.content), [Path(s) for s in args.shards], Path(args.out))


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import PortError, serve, serve_content

    folder = Path(args.folder)
    try:
        if (folder / "project.md").is_file():
            return serve_content(folder, Path(args.out), host=args.host, port=args.port, la=args.la,
                                 audience=args.audience)
        return serve(folder, host=args.host, port=args.port)
    except PortError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def cmd_new(args: argparse.Namespace) -> int:
    from .new import new_study

    target = Path(args.folder)
    files = new_study(target, example=args.example)
    print(f"wrote a new study in {target}: {len(files)} files. Next: cd {target}, then "
          "`generator check content` and `generator build content --out site`; README.md says more")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    files = write_schemas(Path(args.out))
    print(f"wrote {len(files)} JSON Schemas in {args.out} (document.schema.json takes any document)")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from .docs import write_authoring_guide

    path = write_authoring_guide(Path(args.out))
    print(f"wrote {path}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="generator",
        description="Validate case-study content and build one searchable site per local authority.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate the content and report every problem")
    check.add_argument("content", nargs="?", default="content", help="content folder (default: content)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=["text", "json", "github"], default="text",
                       help="text (default) for people; json for programs and editors; github for annotations "
                            "on the files of a pull request in GitHub Actions")
    check.set_defaults(func=cmd_check)

    build = commands.add_parser("build", help="build the sites (landing page, cross-case, one per LA)")
    build.add_argument("content", nargs="?", default="content", help="content folder (default: content)")
    build.add_argument("--out", help="output folder (default: site, or site/la/ID with --la)")
    build.add_argument("--la", metavar="ID", help="build only this local authority's site")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--quiet", action="store_true", help="print only the summary line")
    build.add_argument("--audience", choices=["internal", "public"], default="internal",
                       help="internal (default): the team's sites; public: only extracts consented for publication, "
                            "no transcripts or field notes, small numbers suppressed")
    build.add_argument("--shard", metavar="I/N",
                       help="build only shard I of N (the cross-case site and the LAs dealt in turn), for CI "
                            "runners in parallel; put them together with `generator merge`")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="build each site on a Dask cluster (tcp://host:8786); its workers must share this "
                            "machine's file system (pip install 'generator[dask]')")
    build.add_argument("--workers", type=int, metavar="N",
                       help="processes for charts and MkDocs (default: one per core)")
    build.set_defaults(func=cmd_build)

    merge = commands.add_parser("merge", help="put shards built with --shard together as one build",
                                description="Check that the shards were built from CONTENT with this tool and "
                                            "cover every site once, then publish them as one build into --out.")
    merge.add_argument("content", help="the content folder the shards were built from")
    merge.add_argument("shards", nargs="+", metavar="SHARD", help="the shards' output folders")
    merge.add_argument("--out", default="site", help="output folder (default: site)")
    merge.set_defaults(func=cmd_merge)

    serve = commands.add_parser(
        "serve", help="preview on localhost: a content folder rebuilt and reloaded as you edit, or a built site",
        description="Given a content folder (one with project.md), build it into --out, serve it, rebuild after "
                    "every change and reload the open pages; a failed build shows its problems in the browser. "
                    "Given a built site folder, serve it as it is.")
    serve.add_argument("folder", nargs="?", default="site", help="content folder, or built site folder (default: site)")
    serve.add_argument("--out", default="site", help="where a content folder is built (default: site)")
    serve.add_argument("--la", metavar="ID", help="build and preview only this local authority's site")
    serve.add_argument("--audience", choices=["internal", "public"], default="internal")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    from .stats_cli import register as register_stats
    from .importers.cli import register as register_import
    from .exports.cli import register as register_export

    register_stats(commands)
    register_import(commands)
    register_export(commands)

    new = commands.add_parser("new", help="start a study: a small example that checks and builds, with README, "
                                          ".gitignore and a CI workflow")
    new.add_argument("folder", help="the new study's folder (must not exist yet, or be empty)")
    new.add_argument("--example", action="store_true", help="put the full demo study in content/ instead")
    new.set_defaults(func=cmd_new)

    schema = commands.add_parser("schema", help="write a JSON Schema per document type, for editors and other tools")
    schema.add_argument("--out", default="schemas", help="folder to write them in (default: schemas)")
    schema.set_defaults(func=cmd_schema)

    docs = commands.add_parser("docs", help="write the authoring guide from the content model")
    docs.add_argument("--out", default="docs/authoring.md", help="where to write it (default: docs/authoring.md)")
    docs.set_defaults(func=cmd_docs)
    return parser


def _keep_going_past_file_size_limits() -> None:
    """Turn a file-size limit into an OSError (EFBIG) the command can report, instead of a silent death."""
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "build" and args.workers is not None and args.workers < 1:
        make_parser().error("--workers: expected a whole number of 1 or more")
    if args.command == "build" and args.shard and args.la:
        make_parser().error("--shard and --la: a one-LA build is one site; give one or the other")
    _keep_going_past_file_size_limits()
    try:
        return int(args.func(args))
    except ContentError as error:
        _print_problems(error.problems)
        print(f"{_summary(error.problems)}; nothing was built or changed", file=sys.stderr)
        return 1
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OutputError, SettingsError) as error:
        print(f"error: {error}; nothing was built or changed", file=sys.stderr)
        return 1
    except OSError as error:
        tail = "; the previous site was left as it was" if args.command == "build" else ""
        print(f"error: {os_error_message(error)}{tail}", file=sys.stderr)
        return 1
    except BrokenProcessPool:
        print("error: a worker process died (out of memory, or killed); the previous site was left as it was; "
              "try again with --workers 1", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous site was left as it was", file=sys.stderr)
        return 130
