"""Problems written for a person (text), a program (JSON) or a CI run (GitHub annotations)."""

from __future__ import annotations

import json
from typing import Sequence

from .errors import Problem, Severity

FORMATS = ("text", "json", "github")


def as_json(problems: Sequence[Problem], summary: dict[str, object]) -> str:
    """One JSON document: the summary's fields, and every problem with its file, line, column and severity."""
    return json.dumps({
        **summary,
        "errors": sum(p.severity is Severity.ERROR for p in problems),
        "warnings": sum(p.severity is not Severity.ERROR for p in problems),
        "problems": [{
            "file": p.location.path,
            "line": p.location.line or None,
            "column": p.location.column or None,
            "severity": "error" if p.severity is Severity.ERROR else "warning",
            "message": p.message,
        } for p in problems],
    }, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands: each problem an annotation on its file and line.

    A CSV problem's column is a column name, not a character position, so it goes in the message.
    """
    lines = []
    for problem in problems:
        level = "error" if problem.severity is Severity.ERROR else "warning"
        where = [f"file={_escape_property(problem.location.path)}"]
        if problem.location.line:
            where.append(f"line={problem.location.line}")
        message = f"[{problem.location.column}] {problem.message}" if problem.location.column else problem.message
        lines.append(f"::{level} {','.join(where)},title=generator check::{_escape_data(message)}")
    return "\n".join(lines)
