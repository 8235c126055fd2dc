"""No quoting around consent: a participant's words in another document must be a cited extract.

Every run of ``quote_words`` words (8 unless `project.md` says otherwise) of
a participant's transcript turn is put in a hash set; every other document
(code documents, meta-inferences, case studies, report cards, LAs, sites,
surveys, datasets, the project: every body and every text field) is read as
runs of the same length and looked up, so the check is linear in the size of
the content. Words are compared after folding case, width, curly quotes,
invisible characters, punctuation and Markdown or HTML markup, so reformatting
a quotation does not hide it. The researcher's own turns are left out: the
rule protects participants' words, and the vignette questions recur in every
transcript. Field notes and other sources count too where a passage names a
participant who withdrew: their quoted speech there has no marker.

A run found in a document is allowed only when the document cites an extract
holding it (`extracts:` of a code document, `qualitative:` of a
meta-inference) and its speaker consented to publication, because these
documents' text is published in public builds. Messages name both places and
show only the first three words.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator

from .content.loader import Loaded, LoadedSource, Study
from .content.models import ConsentUse, Participant
from .content.turns import Speakers, is_transcript, mentioned, parse_turns
from .errors import Problem, SourceLocation

# Neither crosses a line (nor _LINE, which stands for line ends while a whole text is read at once).
_TAG = re.compile(r"<[^<>\n\x00]{0,200}>")  # no '<' inside: a body of "<" must not cost 200 steps a character
_LINK_TARGET = re.compile(r"\]\([^)\n\x00]{0,500}\)")  # bounded: a body of "[x](" must not cost its length squared
_LINE = "\x00"  # no reference decodes to it (html.unescape makes &#0; U+FFFD), nor does NFKC
_MARKUP = re.compile(r"[*_`~\\]")
_APOSTROPHE = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
_WORD = re.compile(f"[^\\W_]+|{_LINE}")


@lru_cache(maxsize=1)
def _invisible() -> dict[int, None]:
    """A str.translate table deleting format characters (category Cf: planes 0, 1 and 14 hold them all)."""
    planes = (range(0x20000), range(0xE0000, 0xF0000))
    return dict.fromkeys(c for plane in planes for c in plane if unicodedata.category(chr(c)) == "Cf")

# front-matter keys whose values are references or codes, never prose
REFERENCE_KEYS = {"type", "id", "site", "la", "las", "code", "codes", "extracts", "qualitative", "quantitative",
                  "datasets", "file", "column", "consent", "breakdowns", "replication"}


def words(text: str) -> list[str]:
    """The words of ``text``, folded: no markup, entities, case, width, apostrophes or invisible characters."""
    return _words(text.replace(_LINE, " "))


def _words(text: str) -> list[str]:
    text = text.translate(_invisible())
    text = _MARKUP.sub("", _LINK_TARGET.sub("] ", html.unescape(_TAG.sub(" ", text))))
    text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(_APOSTROPHE.sub("", text.casefold()))


def _lines_words(text: str, first_line: int) -> list[tuple[str, int]]:
    """Each line's words with its line number: the whole text read at once, each line end kept as _LINE."""
    lines = " ".join(_words(text.replace(_LINE, " ").replace("\n", f" {_LINE} "))).split(_LINE)
    return [(w, first_line + n) for n, line in enumerate(lines) for w in line.split()]


@dataclass(frozen=True)
class Said:
    """Where a run of words was said: the source, its line, and the speaker."""

    source: LoadedSource
    line: int
    speaker: Participant


def index_turns(study: Study, size: int) -> dict[tuple[str, ...], Said]:
    """Every run of ``size`` words of every participant's transcript turn."""
    researchers = study.project.model.researchers if study.project else []
    found: dict[tuple[str, ...], Said] = {}
    for source in study.sources:
        model = source.model
        transcript = is_transcript(model.method)
        withdrawn = [p for p in model.participants if p.consent.withdrawn]
        if not transcript and not withdrawn:
            continue
        people = {p.id: p for p in model.participants}
        body = source.body
        turns, _ = parse_turns(body, source.body_line, Speakers.of(model.participants, researchers), transcript)
        for turn in turns:
            speaker = people.get(turn.speaker or "")
            if not transcript:
                # field notes and documents: only what names a withdrawn participant, whose words it may hold
                named = mentioned(body[turn.start:turn.end], withdrawn)
                speaker = speaker if speaker in withdrawn else (people[min(named)] if named else None)
            if speaker is None:
                continue
            tokens = _lines_words(body[turn.words_at:turn.end], body.count("\n", 0, turn.words_at) + source.body_line)
            for i in range(len(tokens) - size + 1):
                run = tuple(w for w, _ in tokens[i:i + size])
                found.setdefault(run, Said(source, tokens[i][1], speaker))
    return found


def _texts(document: Loaded[Any]) -> Iterator[tuple[str, int]]:
    """Every piece of prose of a document, with its first line: front-matter strings, then the body."""
    parsed = document.parsed

    def walk(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[str, int]]:
        if isinstance(value, str):
            yield value, parsed.line_of(path)
        elif isinstance(value, dict):
            for key, inner in value.items():
                if not (len(path) == 0 and key in REFERENCE_KEYS):
                    yield from walk(inner, (*path, key))
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                yield from walk(inner, (*path, index))

    yield from walk(parsed.data, ())
    yield document.body, document.body_line


def _cited(document: Loaded[Any], sources: dict[str, LoadedSource]) -> list[str]:
    refs = list(getattr(document.model, "extracts", []) or []) + list(getattr(document.model, "qualitative", []) or [])
    texts = []
    for ref in refs:
        source_id, _, extract_id = ref.partition("#")
        source = sources.get(source_id)
        for extract in source.extracts if source else []:
            if extract.id == extract_id:
                texts.append(extract.text)
    return texts


def _runs(tokens: list[tuple[str, int]], size: int) -> Iterable[tuple[int, tuple[str, ...]]]:
    """Each run of ``size`` words in a row, with the index of its first."""
    words = [word for word, _ in tokens]
    return enumerate(zip(*(words[start:] for start in range(size))))


def check_quoting(study: Study) -> list[Problem]:
    """Every uncited (or unpublishable) run of a participant's words in another document, once per run."""
    size = study.project.model.quote_words if study.project else 8
    said = index_turns(study, size)
    if not said:
        return []
    sources = {s.model.id: s for s in study.sources}
    problems: list[Problem] = []
    for document in study.all_documents():
        if isinstance(document, LoadedSource):
            continue
        allowed = {run for text in _cited(document, sources) for _, run in _runs(_lines_words(text, 0), size)}
        for text, first_line in _texts(document):
            tokens = _lines_words(text, first_line)
            last = -2
            for i, run in _runs(tokens, size):
                where = said.get(run)
                if where is None:
                    continue
                problem = _why(where, run in allowed)
                if problem is not None and i > last + 1:  # one message per quotation, at its first line
                    problems.append(Problem(SourceLocation(document.path, tokens[i][1]), (
                        f"quotes “{' '.join(run[:3])} …” ({size}+ words in a row) from "
                        f"{where.source.path}:{where.line}, words of a participant {problem}")))
                if problem is not None:
                    last = i
    return problems


def _why(where: Said, cited: bool) -> str | None:
    consent = where.speaker.consent
    if consent.withdrawn:
        return "who withdrew consent; take the words out"
    if ConsentUse.PUBLICATION not in consent.uses:
        return ("who did not consent to publication, and this text is published in public builds; "
                "cite the extract (source#extract) instead of pasting its words")
    if not cited:
        return ("that this document does not cite; cite the extract holding them (as source#extract) "
                "or put it in your own words")
    return None
