"""Split a Markdown file into YAML front-matter and body, keeping line numbers.

PyYAML reports lines relative to the front-matter block and mapping values
lose their position once constructed, so we split the file ourselves and
compose the YAML node tree first: that gives the line of every key and list
item, which schema errors then point at. Loading is safe: only plain YAML
types are built, every explicit tag (``!!str``, ``!!binary``, ``!!python/object``,
``!custom``...) is refused before anything is constructed, and anchors
and aliases are refused too (they are never needed in front-matter and are
the way into an alias bomb).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[str | int, ...]

_BOUNDARY = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


class FrontMatterError(Exception):
    """A front-matter problem at a line of the file (1-based)."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


@dataclass
class ParsedDocument:
    """The front-matter data, where each key sits, and the Markdown body."""

    data: dict[str, Any]
    lines: dict[Path_, int]
    body: str
    body_line: int  # line of the file where the body starts
    first_line: int = 1
    text: str = ""  # the whole file, for checks that scan every line
    duplicate_keys: list[tuple[int, str, int]] = field(default_factory=list)

    def line_of(self, path: Path_) -> int:
        """Return the line of the deepest known key on ``path`` (or the opening ---)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and every explicit tag."""

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        tag = getattr(event, "tag", None) if isinstance(event, (ScalarEvent, CollectionStartEvent)) else None
        if tag is not None and tag != "!":
            raise FrontMatterError(
                event.start_mark.line + 1,
                f"YAML tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: front-matter holds plain data "
                "only (text, numbers, dates, lists and key: value maps); remove the tag and, if the value "
                "must stay text, put it in quotes",
            )
        if tag == "!":
            raise FrontMatterError(
                event.start_mark.line + 1,
                "YAML tag ! is not allowed: front-matter holds plain data only; remove the '!'",
            )
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise FrontMatterError(
                event.start_mark.line + 1,
                "YAML anchors and aliases (&name, *name) are not allowed in front-matter; "
                "write the value out in full",
            )
        return super().compose_node(parent, index)


# Dates stay text until the schema parses them, so a bad date is a field
# error with a message, not a crash inside PyYAML's timestamp constructor.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser (when PyYAML has it) with the same resolvers, for front-matter in which no tag,
    anchor or alias can be written: no '!', '&' or '*' anywhere in it. Several times faster than
    _Loader; anything it cannot read is read again by _Loader, whose messages the user sees."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_MAY_MARK = re.compile(r"[!&*]")  # where a tag, an anchor or an alias could start


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (yaml text, body, body start line) or None if the file has no front-matter."""
    lines = text.splitlines(keepends=True)
    if not lines or not _BOUNDARY.match(lines[0].rstrip("\r\n")):
        return None
    for number, line in enumerate(lines[1:], start=1):
        if _END.match(line.rstrip("\r\n")):
            return "".join(lines[1:number]), "".join(lines[number + 1 :]), number + 2
    raise FrontMatterError(1, "front-matter opened with '---' is never closed; add a '---' line after it")


def parse_yaml_block(text: str, first_line: int) -> ParsedDocument:
    """Parse a YAML mapping that starts at ``first_line`` of a file (e.g. a fenced block's body)."""
    parsed = parse_document(f"---\n{text}---\n")
    assert parsed is not None
    shift = first_line - 2  # parse_document counts the added '---' as line 1
    parsed.lines = {key: line + shift for key, line in parsed.lines.items()}
    parsed.first_line = first_line
    return parsed


def parse_document(text: str) -> ParsedDocument | None:
    """Parse a Markdown file's front-matter safely; None if it has none."""
    parts = split_front_matter(text)
    if parts is None:
        return None
    yaml_text, body, body_line = parts
    offset = 1  # the opening --- is line 1; YAML line 0 is file line 2
    if not _MAY_MARK.search(yaml_text):
        fast = _FastLoader(yaml_text)
        try:
            node = fast.get_single_node()
            if isinstance(node, MappingNode):
                lines: dict[Path_, int] = {}
                duplicates: list[tuple[int, str, int]] = []
                _record_lines(node, (), lines, duplicates, offset)
                data = fast.construct_document(node)
                if isinstance(data, dict):
                    return ParsedDocument(data=data, lines=lines, body=body, body_line=body_line,
                                          duplicate_keys=duplicates, text=text)
        except (yaml.YAMLError, ValueError, TypeError, RecursionError):
            pass  # read again below, for the message
        finally:
            fast.dispose()
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _Empty
        lines: dict[Path_, int] = {}
        duplicates: list[tuple[int, str, int]] = []
        _record_lines(node, (), lines, duplicates, offset)
        data = loader.construct_document(node)
    except _Empty:
        raise FrontMatterError(1, "front-matter is empty; it needs at least a 'type'") from None
    except FrontMatterError as error:  # raised by _Loader with a YAML-relative line
        raise FrontMatterError(error.line + offset, error.message) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 + offset) if mark else 1
        raise FrontMatterError(line, _describe_yaml_error(error)) from None
    except (ValueError, TypeError, RecursionError) as error:
        raise FrontMatterError(1, f"front-matter could not be read: {error}") from None
    except yaml.YAMLError as error:
        raise FrontMatterError(1, f"front-matter is not valid YAML: {error}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise FrontMatterError(2, f"front-matter must be a set of 'key: value' lines, got a {type(data).__name__}")
    return ParsedDocument(
        data=data, lines=lines, body=body, body_line=body_line, duplicate_keys=duplicates, text=text
    )


class _Empty(Exception):
    pass


def _record_lines(
    node: Node,
    path: Path_,
    lines: dict[Path_, int],
    duplicates: list[tuple[int, str, int]],
    offset: int,
) -> None:
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.tag)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                duplicates.append((line, key, seen[key]))
            seen[key] = line
            lines[path + (key,)] = line
            _record_lines(value_node, path + (key,), lines, duplicates, offset)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1 + offset
            _record_lines(item, path + (index,), lines, duplicates, offset)


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    if isinstance(error, yaml.constructor.ConstructorError) and "tag" in problem:
        tag = problem.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
        return (
            f"YAML tag {tag} is not allowed: front-matter holds plain data only "
            "(text, numbers, dates, lists and key: value maps)"
        )
    context = (error.context or "").strip()
    detail = f"{context}: {problem}" if context and problem else problem or context
    return f"front-matter is not valid YAML ({detail}); check indentation, colons and quotes"
