"""The register of identifiers: real names and other details that must never appear in content.

The register lives outside the content folder and outside git (by default
``private/identifiers.txt`` in the project folder). Every content file is
searched for every entry; a hit is reported with its file and line but
never with the identifier itself, so the message is safe to paste anywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from .content.loader import Study
from .errors import Problem, Severity, SourceLocation

MIN_LENGTH = 3


def read_register(path: Path) -> list[str]:
    """Return the register's entries (blank lines and '#' comments skipped)."""
    entries = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return entries


def masked(entry: str) -> str:
    """Return a hint that names no one: the first letter and the length."""
    return f"{entry[0]}… ({len(entry)} characters)"


def check_register(study: Study) -> list[Problem]:
    """Return a problem for every line of content that holds a registered identifier."""
    if study.project is None:
        return []
    project_root = study.root.resolve().parent
    path = (project_root / study.project.model.identifier_register).resolve()
    if not path.is_file():
        return []
    problems: list[Problem] = []
    if path == study.root.resolve() or study.root.resolve() in path.parents:
        problems.append(Problem(study.project.at("identifier_register"), (
            "identifier_register: the register of identifiers is inside the content folder, where it would be published; "
            "move it outside (the default is private/identifiers.txt, kept out of git)"
        )))
    entries = read_register(path)
    short = [e for e in entries if len(e) < MIN_LENGTH]
    if short:
        problems.append(Problem(SourceLocation(study.project.path), (
            f"{len(short)} register entr{'y' if len(short) == 1 else 'ies'} shorter than {MIN_LENGTH} characters "
            "ignored (they would match inside ordinary words)"), Severity.WARNING))
    patterns = [(index, entry, re.compile(rf"(?<!\w){re.escape(entry)}(?!\w)", re.IGNORECASE))
                for index, entry in enumerate(entries, start=1) if len(entry) >= MIN_LENGTH]
    if not patterns:
        return problems
    files = sorted(p for p in study.root.rglob("*") if p.is_file() and p.suffix in (".md", ".csv", ".yml", ".yaml", ".txt"))
    for file in files:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (UnicodeDecodeError, OSError):
            continue  # reported by the loader
        shown = (study.root.name / file.relative_to(study.root)).as_posix()
        for number, line in enumerate(text.splitlines(), start=1):
            for index, entry, pattern in patterns:
                if pattern.search(line):
                    problems.append(Problem(SourceLocation(shown, number), (
                        f"holds an identifier from the register (entry {index}: {masked(entry)}); "
                        "replace it with a pseudonym or a role"
                    )))
    return problems
