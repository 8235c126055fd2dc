"""Load and validate: the first two stages every command shares."""

from __future__ import annotations

from pathlib import Path

from .content.loader import Study, load_study
from .content.records import DocumentRecords
from .errors import ContentError, Problem, Severity, sort_problems
from .register import check_register
from .validate import validate_study


def load_and_validate(root: Path, strict: bool = False,
                      records: DocumentRecords | None = None) -> tuple[Study, list[Problem]]:
    """Return the study and its warnings; raise ContentError listing every error.

    With ``strict``, warnings count as errors. With ``records`` (content.records), each unchanged
    document's load and single-document checks come from the last build's records; the caller saves them.
    """
    study, problems = load_study(root, records)
    problems += validate_study(study, records)
    problems += check_register(study)
    errors = [p for p in problems if p.severity is Severity.ERROR or strict]
    warnings = [p for p in problems if p.severity is Severity.WARNING and not strict]
    if errors:
        raise ContentError(problems if strict else errors + warnings)
    return study, sort_problems(warnings)
