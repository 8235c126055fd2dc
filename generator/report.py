"""The build report: what was left out and why, what went in (with content hashes), and with which tools.

It is written as JSON beside the built sites and shown as a page on the
internal cross-case site: the provenance a reviewer or an ethics committee
asks for. It names extracts by id only, never by their words.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .content.loader import Study

DEPENDENCIES = ("mkdocs", "mkdocs-material", "pandas", "scipy", "statsmodels", "matplotlib", "jinja2", "pyyaml",
                "pydantic", "markdown", "python-frontmatter", "openpyxl")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def versions() -> dict[str, str]:
    found = {}
    for name in DEPENDENCIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def collect(study: Study, audience: str, la: str | None = None) -> dict[str, Any]:
    """Return the report's contents (sorted, so the same content gives the same report).

    With ``la``, only that LA's material and shared documents are listed: the
    report then travels inside the LA's own site.
    """
    from .content.kinds import owner_la
    from .view import extract_view

    sites = {s.model.id: s for s in study.sites}

    def mine(document: Any) -> bool:
        return la is None or owner_la(document, sites) in (None, la)

    excluded = []
    for source in sorted((s for s in study.sources if mine(s)), key=lambda s: s.model.id):
        for extract in source.extracts:
            view = extract_view(source, extract, audience)
            if view.reason:
                excluded.append({"extract": f"{source.model.id}#{extract.id}", "reason": view.reason})
    root = study.root.resolve()
    documents = []
    for document in sorted(study.all_documents(), key=lambda d: d.path):
        kind = getattr(document.model, "type", "")
        if kind not in ("source", "dataset") or not mine(document):
            continue
        entry = {"kind": kind, "id": document.model.id, "path": document.path,
                 "sha256": _sha256(root.parent / document.path)}
        if kind == "dataset" and getattr(document, "csv_path", ""):
            entry["csv"] = document.csv_path
            entry["csv_sha256"] = _sha256(root.parent / document.csv_path)
        documents.append(entry)
    return {
        "tool": {"name": "generator", "version": __version__},
        "python": platform.python_version(),
        "dependencies": versions(),
        "audience": audience,
        "excluded_extracts": excluded,
        "excluded_by_reason": dict(sorted(Counter(e["reason"] for e in excluded).items())),
        "documents": documents,
    }


def build_report(study: Study, planned: list[Any], audience: str, la: str | None = None) -> str:
    report = collect(study, audience, la)
    report["sites"] = [{"site": site.key, "folder": site.out or ".", "pages": len(site.pages),
                        "charts": len(site.charts.charts)} for site in planned]
    return json.dumps(report, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
