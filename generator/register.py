"""The register of identifiers: real names and other details that must never appear in content.

The register lives outside the content folder and outside git (by default
``private/identifiers.txt`` in the project folder). Every file under the
content folder is searched for every entry, whatever its extension (hidden
files too; only ``.git`` is skipped), and so is every file and folder name.
A file that is not UTF-8 text (an image, a spreadsheet) has only its name
checked. Matching goes through `generator.normalise`, so other spellings of
an entry (invisible characters, fullwidth or look-alike letters, entities,
Markdown inside the word, line breaks) are found too; YAML values (front
matter and .yml files) and JSON strings are also matched after parsing, so
escapes such as ``\\x53`` are decoded first. Entries match as whole words.
A hit is reported with its file and line but never with the identifier
itself, so the message is safe to paste anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

from .content.loader import Study
from .content.frontmatter import FrontMatterError, ParsedDocument, parse_document, parse_yaml_block
from .errors import Problem, Severity, SourceLocation
from .normalise import Lines, Matcher, file_name_readings, strings_in

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
    """Return a problem for every line of content (and every file name) that holds a registered identifier."""
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
    matcher = Matcher((entry, index) for index, entry in enumerate(entries, start=1) if len(entry) >= MIN_LENGTH)
    if matcher.empty:
        return problems
    found: dict[tuple[str, int, int], None] = {}
    named: dict[Path, list[int]] = {}  # path -> entries its own name holds
    loaded = {document.path: document.parsed for document in study.all_documents()}  # parsed once already
    for item in content_paths(study.root):
        named[item] = sorted({hit.value for name in file_name_readings(item.name) for hit in matcher.find(name)})
        for index in named[item]:
            found[(_shown(study.root, item.parent, named), -1, index)] = None
        if item.is_file():
            plain = (study.root.name / item.relative_to(study.root)).as_posix()
            for line, index in _hits_in_file(item, matcher, loaded.get(plain)):
                found[(_shown(study.root, item, named), line, index)] = None
    for (shown, line, index) in sorted(found):
        where = "the name of a file or folder in this folder holds" if line == -1 else "holds"
        problems.append(Problem(SourceLocation(shown, max(line, 0)), (
            f"{where} an identifier from the register (entry {index}: {masked(entries[index - 1])}); "
            + ("rename it" if line == -1 else "replace it with a pseudonym or a role")
        )))
    return problems


def content_paths(root: Path) -> list[Path]:
    """Every file and folder under ``root``, hidden ones included, except version-control folders."""
    found = []
    for item in sorted(root.rglob("*")):
        if ".git" in item.relative_to(root).parts:
            continue
        found.append(item)
    return found


def _shown(root: Path, item: Path, named: dict[Path, list[int]]) -> str:
    """The path as shown in messages, each name that holds an identifier replaced by its entry number."""
    parts = [root.name]
    walked = root
    for part in item.relative_to(root).parts:
        walked = walked / part
        held = named.get(walked)
        parts.append(f"[entry {', '.join(map(str, held))}]" if held else part)
    return "/".join(parts)


def _hits_in_file(file: Path, matcher: Matcher[int], parsed: ParsedDocument | None = None) -> set[tuple[int, int]]:
    """Return (line, entry number) for each entry in the file: its raw text, then its parsed values."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return set()  # not text: only its name is checked
    except OSError:
        return set()  # reported by the loader
    lines = Lines(text)
    hits = {(lines.of(hit.start), hit.value) for hit in matcher.find(text)}
    if parsed is None or parsed.text != text:
        parsed = _parsed(file, text)
    if isinstance(parsed, ParsedDocument):
        for key_path, value in strings_in(parsed.data):
            hits |= {(parsed.line_of(key_path), hit.value) for hit in matcher.find(value)}
    elif parsed is not None:
        hits |= {(1, hit.value) for _, value in strings_in(parsed) for hit in matcher.find(value)}
    return hits


def _parsed(file: Path, text: str) -> ParsedDocument | object | None:
    """Parse front-matter, YAML or JSON so escaped characters are decoded; None if it is none of these."""
    try:
        if file.suffix.lower() in (".yml", ".yaml"):
            return parse_yaml_block(text if text.endswith("\n") else text + "\n", 1)
        if file.suffix.lower() == ".json":
            return json.loads(text, strict=False)  # control characters inside strings still decoded
        return parse_document(text)
    except (FrontMatterError, ValueError, RecursionError):
        return None  # the raw text was still searched; the loader reports the syntax
