"""Coded extracts inside a source's Markdown body.

An extract is a fenced passage that reads as plain text in any editor and
diffs line by line:

```markdown
::: extract id=waiting-list codes=S2,I2 by=tm
**Team manager:** The early help waiting list is ...
:::
```

`id` is the extract's stable anchor, written by the analyst, so editing the
text around it never moves it (code documents cite it as
`source-id#extract-id`); `codes` lists code ids, separated by commas;
`by` lists the ids of the participants speaking; in a transcript it may be
left out, because who speaks is read from the passage's speaker turns (see
below), and `check` fails when `by` leaves out anyone who speaks. Every
speaker's consent decides where the passage may appear.
Extracts cannot nest; text outside extracts is shown but not coded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"^:::\s*extract\b(?P<attrs>.*)$")
_CLOSE = re.compile(r"^:::\s*$")
_ATTR = re.compile(r"(?P<key>[a-z_]+)=(?P<value>\"[^\"]*\"|'[^']*'|\S+)")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KNOWN_ATTRS = ("id", "codes", "by")


@dataclass(frozen=True)
class Extract:
    """A coded passage of a source."""

    id: str
    codes: tuple[str, ...]
    by: tuple[str, ...]
    text: str
    line: int  # line of the opening ::: in the file
    end_line: int
    speakers: tuple[str, ...] = ()  # participant ids computed from the passage's turns (see turns.py)


@dataclass(frozen=True)
class Segment:
    """A run of the body: plain Markdown (extract is None) or one extract."""

    text: str
    extract: Extract | None


@dataclass(frozen=True)
class ExtractProblem:
    line: int
    message: str


def _split_list(value: str) -> tuple[str, ...]:
    value = value.strip("\"'")
    return tuple(part for part in re.split(r"[,\s]+", value) if part)


def parse_extracts(body: str, first_line: int) -> tuple[list[Segment], list[ExtractProblem]]:
    """Split a source body into plain and extract segments, with any syntax problems."""
    segments: list[Segment] = []
    problems: list[ExtractProblem] = []
    plain: list[str] = []
    current: dict | None = None
    lines = body.splitlines()
    for offset, raw in enumerate(lines):
        number = first_line + offset
        line = raw.rstrip()
        opening = _OPEN.match(line)
        if opening:
            if current is not None:
                problems.append(ExtractProblem(
                    number,
                    f"extract opened inside the extract started at line {current['line']}; "
                    "close that one with ':::' first (extracts cannot nest)",
                ))
                continue
            if plain:
                segments.append(Segment("\n".join(plain), None))
                plain = []
            current = {"line": number, "attrs": opening.group("attrs"), "text": []}
            continue
        if current is not None and _CLOSE.match(line):
            extract, found = _make_extract(current, number)
            problems.extend(found)
            if extract is not None:
                segments.append(Segment(extract.text, extract))
            current = None
            continue
        if current is not None:
            current["text"].append(raw)
        else:
            plain.append(raw)
    if current is not None:
        problems.append(ExtractProblem(
            current["line"], "extract is never closed; add a line with ':::' after the passage"
        ))
    if plain:
        segments.append(Segment("\n".join(plain), None))
    return segments, problems


def _make_extract(current: dict, end_line: int) -> tuple[Extract | None, list[ExtractProblem]]:
    line = current["line"]
    attrs_text: str = current["attrs"]
    problems: list[ExtractProblem] = []
    attrs: dict[str, str] = {}
    leftover = _ATTR.sub("", attrs_text).strip()
    if leftover:
        problems.append(ExtractProblem(
            line, f"cannot read '{leftover}' in the extract line; write key=value pairs: "
            "id=ID codes=CODE,CODE by=PARTICIPANT"
        ))
    for match in _ATTR.finditer(attrs_text):
        key = match.group("key")
        if key not in KNOWN_ATTRS:
            problems.append(ExtractProblem(
                line, f"unknown extract attribute '{key}'; expected one of {', '.join(KNOWN_ATTRS)}"
            ))
            continue
        attrs[key] = match.group("value")
    extract_id = attrs.get("id", "").strip("\"'")
    if not extract_id:
        problems.append(ExtractProblem(line, "extract has no id; add id=a-short-name (the stable anchor)"))
    elif not _ID.match(extract_id):
        problems.append(ExtractProblem(
            line, f"extract id '{extract_id}' must be lower-case letters, digits and hyphens"
        ))
    codes = _split_list(attrs.get("codes", ""))
    if not codes:
        problems.append(ExtractProblem(line, "extract has no codes; add codes=CODE,CODE (e.g. codes=S1,I2)"))
    text = "\n".join(current["text"]).strip("\n")
    if not text.strip():
        problems.append(ExtractProblem(line, "extract is empty; put the passage between the ':::' lines"))
    if problems:
        return None, problems
    return Extract(
        id=extract_id,
        codes=codes,
        by=_split_list(attrs.get("by", "")),
        text=text,
        line=line,
        end_line=end_line,
    ), []
