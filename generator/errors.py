"""Problems found in content, and the one exception the command line prints.

Validators say *what* is wrong; the loader, which knows the file and line,
says *where*. A problem is only ever printed through :func:`format_problem`,
so every message has the same compiler-like shape that editors can jump to.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where a problem is: a file, and a line (text) or a row and column (CSV)."""

    path: str
    line: int = 0
    column: str = ""

    def __str__(self) -> str:
        if self.column:
            return f"{self.path}:{self.line} [{self.column}]"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, with where it is and what was expected."""

    location: SourceLocation
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __str__(self) -> str:
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{self.location}: {prefix}{self.message}"


class ContentError(Exception):
    """The content cannot be built; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=_sort_key)
        super().__init__(f"{len(self.problems)} problem(s) in the content")

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:  # raised in a worker, re-raised whole in the build
        return (ContentError, (self.problems,))


class UserError(Exception):
    """A mistake in how the tool was called (a bad option, a missing folder)."""


class SettingsError(Exception):
    """A settings file the build reads (a project's own mkdocs.yml) is one its tools refuse; one line, exit 1."""


class OutputError(Exception):
    """The build may not write where it was asked to (the content, or files the tool did not make)."""


# What to do about the operating-system errors a build can meet, by errno name.
_OS_ADVICE = {
    "ENOSPC": "free some disk space and run it again",
    "EDQUOT": "free some space within your disk quota and run it again",
    "EFBIG": "a file-size limit stopped the write (see 'ulimit -f'); raise it and run it again",
    "EACCES": "check who owns the folder and its permissions, or choose another --out",
    "EPERM": "check who owns the folder and its permissions, or choose another --out",
    "EROFS": "the disk is mounted read-only; choose an --out on a writable disk",
    "ENAMETOOLONG": "choose a shorter --out (or shorter file names)",
    "ENOTDIR": "a part of the path is a file, not a folder; choose another path",
    "EISDIR": "a folder stands where a file was expected; move it aside",
    "ENOENT": "check the path",
    "EMFILE": "raise the open-files limit ('ulimit -n') and run it again",
    "EIO": "check the disk, then run it again",
    "EADDRINUSE": "another program uses this port; choose another with --port",
}


def os_error_message(error: OSError) -> str:
    """One line naming the path and what to do, for an OSError met anywhere in a command."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    where = " -> ".join(str(f) for f in (error.filename, error.filename2) if f is not None)
    reason = error.strerror or str(error) or type(error).__name__
    advice = _OS_ADVICE.get(name, "")
    return f"{where or 'file system'}: {reason}" + (f"; {advice}" if advice else "")


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    loc = problem.location
    return (loc.path, loc.line, loc.column, problem.message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=_sort_key)


def relative(path: Path, root: Path) -> str:
    """Return ``path`` as the user typed it relative to the project, for messages."""
    try:
        return path.resolve().relative_to(root.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' when a choice is close to ``word``, else ''."""
    close = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices: Iterable[str]) -> str:
    """Return 'one of a, b, c' for an error message."""
    items = list(choices)
    if len(items) > 12:
        return "one of " + ", ".join(items[:12]) + f", … ({len(items)} in all)"
    return "one of " + ", ".join(items)
