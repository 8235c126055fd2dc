"""Transcripts as speaker turns: who says each passage of a source body.

A transcript (an interview or a focus group) is a run of turns, each opened
by a speaker marker: a label and a colon, in any of the usual spellings —
``**Label:**``, ``**Label**:``, ``*Label:*``, ``_Label:_``, ``__Label:__`` or a
plain ``Label:`` at the start of a paragraph or line. The label is a
participant's pseudonym, id or role, optionally followed by ``(role)``, or a
researcher label (Researcher, Interviewer, Facilitator, Moderator, or a name
listed under ``researchers`` in ``project.md``). Labels are compared after
folding case, width, invisible characters, spaces and emphasis, so ``**Sam:**``,
``_sam_:`` and ``SAM:`` name one speaker. A label that could name two people
(a role two participants share) is an error: use the pseudonym. A marker
anywhere in a paragraph (at the start of a line, after a sentence, even
mid-sentence as in `… and Sam: …`) starts a new turn, so two speakers may
share a paragraph; inside a turn, write "I told Sam that …" rather than
"I told Sam: …", or the words after the colon count as Sam's.

The researcher's notes — a paragraph wholly in ``*...*``, ``_..._`` or ``[...]`` —
need no marker; every other paragraph of a transcript must start with one, or
``check`` fails naming the file and line. Sources that are not transcripts
(field notes, observation, documents, web research, flowcharts, family case
narratives) need no markers, but a participant named in a passage counts as
speaking in it.

A participant who withdraws consent disappears from every build: each of
their turns is replaced by the line ``[Words of a participant who withdrew
consent removed.]``, an extract in which they speak is left out, and in field
notes (and the researcher's notes) every paragraph that names them goes too.

Nothing here reads files or knows the study: the loader and ``check`` call in.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable, Sequence

from .extracts import Segment
from .models import Method, Participant, Source

RESEARCHER = "researcher"  # the research team's own turns
NOTE = "note"  # the researcher's notes about the setting (a paragraph in italics or brackets)
PLACEHOLDER = "[Words of a participant who withdrew consent removed.]"
TRANSCRIPT_METHODS = frozenset({Method.INTERVIEW, Method.FOCUS_GROUP})
RESEARCHER_LABELS = ("researcher", "interviewer", "facilitator", "moderator")

MAX_LABEL = 80  # characters; longer text before a colon is a sentence, not a label
_FENCE = re.compile(r"^\s*:::")
_LEAD = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:(?:[-+]|\d{1,3}[.)])[ \t]+)?")  # blockquote and list markers
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*[ \t\u00a0]+")
_EMPHASIS_OPEN = re.compile(r"(?<![\w*_\\])(?:\*{1,2}|_{1,2})(?=[^\s*_])")
# any word followed within a label's length by a colon: "fine. sam: ..." with no bold or full stop
_WORD_START = re.compile(r"(?<=\s)(?=[^\s:][^:\n]{0,%d}:)" % MAX_LABEL)
_TAG = re.compile(r"<[^>\n]{0,200}>")
_MARKUP = re.compile(r"[*_`\\~]")
_RESEARCHER_NUMBERED = re.compile(rf"(?:{'|'.join(RESEARCHER_LABELS)})\s*\d{{0,2}}")
_WITH_ROLE = re.compile(r"(.+?)\s*\((.+)\)")


def fold(text: str) -> str:
    """Fold a label for comparison: NFKC, no format characters, case folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.casefold().split())


@lru_cache(maxsize=8192)  # labels repeat in every turn
def plain(text: str) -> str:
    """Text without Markdown emphasis, HTML tags or entities, folded."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")  # first, so "&\u200b#97;" is an entity too
    return fold(_MARKUP.sub("", html.unescape(_TAG.sub("", text))))


def is_transcript(method: Method) -> bool:
    return method in TRANSCRIPT_METHODS


@dataclass
class Speakers:
    """The labels that name each speaker of one source."""

    labels: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, participants: Iterable[Participant], researchers: Iterable[str] = ()) -> Speakers:
        speakers = cls()
        for person in participants:
            names = [person.id, person.role] + ([person.pseudonym] if person.pseudonym else [])
            if person.pseudonym:
                names.append(f"{person.pseudonym} ({person.role})")
            for name in names:
                speakers.labels.setdefault(fold(name), set()).add(person.id)
        for name in (*RESEARCHER_LABELS, *researchers):
            speakers.labels.setdefault(fold(name), set()).add(RESEARCHER)
        return speakers

    def resolve(self, label: str) -> set[str]:
        """Return who a (raw) label may name: one speaker, several (ambiguous) or none."""
        key = plain(label).strip("[] ")
        if not key:
            return set()
        if key in self.labels:
            return set(self.labels[key])
        if _RESEARCHER_NUMBERED.fullmatch(key):
            return {RESEARCHER}
        parts = _WITH_ROLE.fullmatch(key)
        if parts:
            first = self.resolve(parts.group(1))
            second = self.labels.get(parts.group(2).strip(), set())
            if not first:
                return set()  # "(role)" alone names nobody: "they said (social worker)" is not a label
            if first & second:
                return first & second
            if len(first) == 1 and len(second) != 1:
                return first  # "(role)" describes rather than names, as in "Martin (social worker, agency)"
            return first | second  # naming two different people: ambiguous on purpose
        return set()


@dataclass(frozen=True)
class Turn:
    """One speaker's passage: ``text[start:end]`` of the parsed text, words from ``words_at``."""

    speaker: str | None  # a participant id, RESEARCHER, NOTE, or None when it can't be told
    line: int
    start: int
    words_at: int
    end: int
    paragraph_start: bool  # the turn opens its paragraph


@dataclass(frozen=True)
class TurnProblem:
    line: int
    message: str


@dataclass(frozen=True)
class _Marker:
    at: int
    words_at: int
    label: str
    found: frozenset[str]
    emphasised: bool


def _marker_at(text: str, at: int, line_end: int, speakers: Speakers) -> _Marker | None:
    colon = text.find(":", at, min(line_end, at + MAX_LABEL + 8))
    if colon <= at:
        return None
    label = text[at:colon]
    if "\n" in label or not plain(label).strip("[] "):
        return None
    after = colon + 1
    while after < line_end and text[after] in "*_":
        after += 1
    while after < line_end and text[after] in " \t\u00a0":
        after += 1
    return _Marker(at, after, label, frozenset(speakers.resolve(label)), label.lstrip()[:1] in ("*", "_"))


_LABEL_LIKE = re.compile(r"[^\W\d][\w .'\u2019-]*(?:\([^()]*\))?\s*\d{0,2}")


def _looks_like_label(label: str) -> bool:
    """A few words (and a role in brackets): no times, places with commas or sentences."""
    key = plain(label).strip("[] ")
    return len(key.split()) <= 6 and len(key) <= 60 and bool(_LABEL_LIKE.fullmatch(key))


def _is_note(paragraph: str) -> bool:
    body = paragraph.strip()
    if not body:
        return True
    for opening, closing in (("*", "*"), ("_", "_"), ("[", "]")):
        if len(body) > 2 * len(opening) and body.startswith(opening) and body.endswith(closing):
            return True
    return False


def _paragraphs(text: str) -> Iterable[tuple[int, int, int]]:
    """Yield (start, end, first line offset) of each paragraph; blank lines and ::: fences separate them."""
    start = None
    first = 0
    position = 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        blank = not line.strip() or bool(_FENCE.match(line))
        if blank:
            if start is not None:
                yield start, position, first
                start = None
        elif start is None:
            start, first = position, number
        position += len(line)
    if start is not None:
        yield start, position, first


def parse_turns(text: str, first_line: int, speakers: Speakers, transcript: bool = True
                ) -> tuple[list[Turn], list[TurnProblem]]:
    """Split ``text`` (a body or an extract's passage) into turns, with the problems found.

    In a transcript, a paragraph whose speaker can't be told, a marker naming
    nobody and a label naming more than one speaker are problems.
    """
    turns: list[Turn] = []
    problems: list[TurnProblem] = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        from bisect import bisect_right

        return first_line + bisect_right(line_starts, offset) - 1

    for start, end, _ in _paragraphs(text):
        paragraph = text[start:end]
        candidates: dict[int, bool] = {}  # offset -> opens a line
        for match in re.finditer(r"^", paragraph, re.MULTILINE):
            lead = _LEAD.match(paragraph, match.start())
            candidates[start + (lead.end() if lead else match.start())] = True
        for pattern in (_SENTENCE_END, _EMPHASIS_OPEN, _WORD_START):
            for match in pattern.finditer(paragraph):
                offset = start + (match.end() if pattern is _SENTENCE_END else match.start())
                candidates.setdefault(offset, False)
        markers: list[_Marker] = []
        opening = min(candidates)
        for offset in sorted(candidates):
            if markers and offset < markers[-1].words_at:
                continue
            line_end = text.find("\n", offset)
            line_end = end if line_end == -1 or line_end > end else line_end
            marker = _marker_at(text, offset, line_end, speakers)
            if marker is None:
                continue
            if marker.found:
                if len(marker.found) > 1:
                    who = ", ".join(sorted(marker.found))
                    problems.append(TurnProblem(line_of(offset), (
                        f"speaker label '{plain(marker.label)}' could name more than one speaker ({who}); "
                        "label the turn by pseudonym or id")))
                markers.append(marker)
            elif transcript and (offset == opening or marker.emphasised) and _looks_like_label(marker.label):
                problems.append(TurnProblem(line_of(offset), (
                    f"speaker label '{plain(marker.label)}' names no participant of this source and no researcher; "
                    "use a participant's pseudonym, id or role, or Researcher/Interviewer/Facilitator")))
                # not a marker: a known speaker's marker inside it still counts
        if not markers or markers[0].at != opening:
            upto = markers[0].at if markers else end
            if _is_note(paragraph if not markers else text[start:upto]):
                speaker: str | None = NOTE
            elif transcript:
                speaker = None
                if not problems or problems[-1].line != line_of(opening):  # one message per line
                    problems.append(TurnProblem(line_of(opening), (
                        "cannot tell who is speaking: a transcript paragraph starts with a speaker marker such as "
                        "'**Pseudonym:**' or 'Researcher:' (a note about the setting goes wholly in *italics* or [brackets])")))
            else:
                speaker = NOTE
            turns.append(Turn(speaker, line_of(start), start, start, upto, True))
        for index, marker in enumerate(markers):
            upto = markers[index + 1].at if index + 1 < len(markers) else end
            speaker = next(iter(marker.found)) if len(marker.found) == 1 else None
            turns.append(Turn(speaker, line_of(marker.at), marker.at, marker.words_at, upto, marker.at == opening))
    return turns, problems


def mentioned(text: str, participants: Sequence[Participant]) -> set[str]:
    """Ids of the participants whose pseudonym appears in ``text`` (folded, markup removed)."""
    folded = plain(text)
    found = set()
    for person in participants:
        if person.pseudonym and re.search(rf"(?<!\w){re.escape(fold(person.pseudonym))}(?!\w)", folded):
            found.add(person.id)
    return found


def speakers_of(text: str, participants: Sequence[Participant], method: Method,
                researchers: Iterable[str] = ()) -> tuple[str, ...]:
    """The participants speaking in ``text`` (an extract), computed from its turns, never from ``by=``.

    Outside transcripts, everyone named in the passage counts as speaking in it.
    """
    people = Speakers.of(participants, researchers)
    turns, _ = parse_turns(text, 1, people, is_transcript(method))
    ids = [p.id for p in participants]
    found = {t.speaker for t in turns if t.speaker in ids}
    if not is_transcript(method):
        found |= mentioned(text, participants)
    return tuple(i for i in ids if i in found)


def with_speakers(segments: list[Segment], source: Source) -> list[Segment]:
    """The segments with each extract's ``speakers`` computed from its turns."""
    return [Segment(s.text, replace(s.extract, speakers=speakers_of(s.extract.text, source.participants, source.method)))
            if s.extract is not None else s for s in segments]


def redact_turns(text: str, participants: Sequence[Participant], method: Method,
                 researchers: Iterable[str] = ()) -> tuple[str, int]:
    """Return ``text`` with every turn of a withdrawn speaker (or of no known speaker) replaced by a
    one-line placeholder, and how many were replaced.

    Outside transcripts, and in the researcher's notes, a paragraph naming a
    withdrawn participant goes too: quoted speech in field notes has no marker.
    """
    withdrawn = [p for p in participants if p.consent.withdrawn]
    if not withdrawn and not is_transcript(method):
        return text, 0
    turns, _ = parse_turns(text, 1, Speakers.of(participants, researchers), is_transcript(method))
    gone = {p.id for p in withdrawn}
    transcript = is_transcript(method)
    out: list[str] = []
    position = 0
    dropped = 0
    for turn in turns:
        span = text[turn.start:turn.end]
        drop = turn.speaker is None or turn.speaker in gone
        if not drop and (not transcript or turn.speaker == NOTE) and mentioned(span, withdrawn):
            drop = True
        out.append(text[position:turn.start])
        if drop:
            dropped += 1
            tail = "\n" if span.endswith("\n") else ""
            out.append(PLACEHOLDER + (" " if not tail and turn.end < len(text) and not text[turn.end].isspace() else "") + tail)
        else:
            out.append(span)
        position = turn.end
    out.append(text[position:])
    return "".join(out), dropped


def redact_withdrawn(body: str, participants: Sequence[Participant], method: Method,
                     researchers: Iterable[str] = ()) -> str:
    """The body with every withdrawn speaker's turn replaced by :data:`PLACEHOLDER` (no name given)."""
    return redact_turns(body, participants, method, researchers)[0]
