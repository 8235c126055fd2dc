"""The register of identifiers, attacked: other spellings, other fields, other files, file names.

Whole-word rule: an entry is found where the letters and digits either side
of it (after normalising) are not letters or digits. "Sarah's" holds "Sarah";
"Sarahs" and "Sarahville" do not (a register entry would otherwise match
inside ordinary words).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.loader import load_study
from generator.errors import Problem
from generator.register import check_register
from tests.conftest import FIXTURES, run_cli

ENTRIES = ["Josephine Abernethy", "Siobhan O'Brien", "Zoë Castellano"]
WORDS = {w.casefold() for e in ENTRIES for w in e.replace("'", " ").split() if len(w) >= 3} | {"zoe"}
SOURCE = "las/north/nb-int-01.md"


def _with_register(root: Path, entries: list[str] = ENTRIES) -> None:
    private = root.parent / "private"
    private.mkdir(exist_ok=True)
    (private / "identifiers.txt").write_text("# real names, never committed\n" + "\n".join(entries) + "\n", encoding="utf-8")


def _problems(root: Path) -> list[Problem]:
    study, _ = load_study(root)
    return [p for p in check_register(study) if "register" in p.message and "shorter" not in p.message]


def _assert_safe(problems: list[Problem]) -> None:
    """No message or location repeats any word of any entry."""
    for problem in problems:
        shown = unicodedata.normalize("NFKD", str(problem)).casefold()
        for word in WORDS:
            assert word not in shown, f"message echoes a registered word: {problem}"


# --- spelling variants -------------------------------------------------------------------------

CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "s": "ѕ", "j": "ј",
            "A": "А", "B": "В", "E": "Е", "H": "Н", "O": "О", "C": "С", "T": "Т", "S": "Ѕ", "J": "Ј"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u2060", "\u200e", "\u202a", "\u2066"]


@dataclass
class Spelling:
    """A name as a list of units, each one visible character or the markup around it."""

    units: list[str]
    yaml_escapes: bool = False  # units may be \\x or \\u escapes (only inside double-quoted YAML / JSON)
    used: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.units)


def _letters(s: Spelling) -> list[int]:
    return [i for i, u in enumerate(s.units) if len(u) == 1 and u.isalpha()]


def _spaces(s: Spelling) -> list[int]:
    return [i for i, u in enumerate(s.units) if u == " "]


def t_fullwidth(s: Spelling, r: random.Random) -> None:
    for i in r.sample(_letters(s), k=max(1, len(_letters(s)) // 2)):
        s.units[i] = chr(ord(s.units[i]) + 0xFEE0) if s.units[i].isascii() else s.units[i]


def t_cyrillic(s: Spelling, r: random.Random) -> None:
    for i in _letters(s):
        if s.units[i] in CYRILLIC and r.random() < 0.6:
            s.units[i] = CYRILLIC[s.units[i]]


def t_case(s: Spelling, r: random.Random) -> None:
    s.units = [u.upper() if r.random() < 0.5 else u.lower() for u in s.units]


def t_nfd(s: Spelling, r: random.Random) -> None:
    s.units = [unicodedata.normalize("NFD", u) for u in s.units]


def t_curly(s: Spelling, r: random.Random) -> None:
    s.units = [r.choice(["\u2019", "\u02bc", "\u2018"]) if u == "'" else u for u in s.units]


def t_nbsp(s: Spelling, r: random.Random) -> None:
    for i in _spaces(s):
        s.units[i] = r.choice(["\u00a0", "\u202f", "  ", "\t", " \t ", "\u3000", "\u2009"])


def t_newline(s: Spelling, r: random.Random) -> None:
    for i in _spaces(s):
        s.units[i] = r.choice(["\n", " \n", "\r\n", "\n\n"[:1]])


def t_invisible(s: Spelling, r: random.Random) -> None:
    for _ in range(r.randint(1, 3)):
        s.units.insert(r.randint(1, len(s.units) - 1), r.choice(INVISIBLE))


def t_entity(s: Spelling, r: random.Random) -> None:
    i = r.choice(_letters(s) or [0])
    c = s.units[i]
    s.units[i] = r.choice([f"&#{ord(c)};", f"&#x{ord(c):x};"])


def t_emphasis(s: Spelling, r: random.Random) -> None:
    start = r.randint(1, len(s.units) - 2)
    end = r.randint(start + 1, len(s.units))
    marker = r.choice(["**", "_", "*", "~~", "`", "<b>", "<em>", "<span class='x'>"])
    closing = "</" + marker[1:].split()[0].rstrip(">") + ">" if marker.startswith("<") else marker
    s.units[end:end] = [closing]
    s.units[start:start] = [marker]


def t_link(s: Spelling, r: random.Random) -> None:
    cut = r.randint(1, len(s.units) - 1)
    s.units[cut:cut] = ["](x.md)"]
    s.units.insert(0, "[")


def t_escape(s: Spelling, r: random.Random) -> None:
    for i in r.sample(_letters(s), k=max(1, len(_letters(s)) // 3)):
        c = s.units[i]
        s.units[i] = f"\\x{ord(c):02x}" if ord(c) < 256 and r.random() < 0.5 else f"\\u{ord(c):04x}"


def t_json_escape(s: Spelling, r: random.Random) -> None:
    for i in r.sample(_letters(s), k=max(1, len(_letters(s)) // 3)):
        s.units[i] = f"\\u{ord(s.units[i]):04x}"


MARKUP = [t_entity, t_emphasis, t_link]
CHARACTERS = [t_fullwidth, t_cyrillic, t_case, t_nfd, t_curly]
GAPS = [t_nbsp, t_invisible]


@dataclass(frozen=True)
class Place:
    """Where the name goes, which transformations make sense there, and the line it should be reported at."""

    name: str
    allowed: tuple[Callable[[Spelling, random.Random], None], ...]
    plant: Callable[[Path, str], tuple[str, int]]  # (content-relative path shown, line)


def _in_body(root: Path, name: str) -> tuple[str, int]:
    path = root / SOURCE
    lines = path.read_text().splitlines()
    lines.insert(20, f"The team talked about {name} at length.")
    path.write_text("\n".join(lines) + "\n")
    return f"content/{SOURCE}", 21


def _in_yaml_title(root: Path, name: str) -> tuple[str, int]:
    path = root / SOURCE
    text = path.read_text().replace("title: Interview with the team manager", f'title: "Interview with {name}"')
    path.write_text(text)
    return f"content/{SOURCE}", 4


def _in_participant(root: Path, name: str) -> tuple[str, int]:
    path = root / SOURCE
    text = path.read_text().replace("    role: Social worker", f'    role: "Social worker for {name}"')
    path.write_text(text)
    return f"content/{SOURCE}", 14


def _in_csv(root: Path, name: str) -> tuple[str, int]:
    path = root / "las/north/nb-staff.csv"
    text = path.read_text()
    path.write_text(text + f'2016-17,"{name}"\n')
    return "content/las/north/nb-staff.csv", len(text.splitlines()) + 1


def _in_yml(root: Path, name: str) -> tuple[str, int]:
    (root / "las/north/notes.yml").write_text(f'kind: notes\nabout: "{name}"\n')
    return "content/las/north/notes.yml", 2


def _in_json(root: Path, name: str) -> tuple[str, int]:
    (root / "las/north/extra.json").write_text('{"who": "' + name + '"}\n')
    return "content/las/north/extra.json", 1


def _in_other_extension(root: Path, name: str) -> tuple[str, int]:
    (root / "las/north/draft.rtf").write_text("{\\rtf1 notes\n" + f"met {name} today}}\n")
    return "content/las/north/draft.rtf", 2


def _in_hidden_file(root: Path, name: str) -> tuple[str, int]:
    (root / "las/south/.scratch").write_text(f"to do\n\nphone {name}\n")
    return "content/las/south/.scratch", 3


def _in_file_name(root: Path, name: str) -> tuple[str, int]:
    (root / "las/north" / f"notes on {name}.md").write_text("nothing here\n")
    return "content/las/north", 0


PLACES = [
    Place("body", (*CHARACTERS, *GAPS, t_newline, *MARKUP), _in_body),
    Place("yaml title", (*CHARACTERS, *GAPS, *MARKUP, t_escape), _in_yaml_title),
    Place("participant role", (*CHARACTERS, *GAPS, *MARKUP, t_escape), _in_participant),
    Place("csv cell", (*CHARACTERS, *GAPS, t_newline, *MARKUP), _in_csv),
    Place("yml file", (*CHARACTERS, *GAPS, t_escape), _in_yml),
    Place("json file", (*CHARACTERS, *GAPS, t_json_escape), _in_json),
    Place("rtf file", (*CHARACTERS, *GAPS, t_newline, *MARKUP), _in_other_extension),
    Place("hidden file", (*CHARACTERS, *GAPS, t_newline, *MARKUP), _in_hidden_file),
    Place("file name", (*CHARACTERS, *GAPS), _in_file_name),
]
ORDER = [*CHARACTERS, t_escape, t_json_escape, t_entity, t_nbsp, t_newline, t_invisible, t_emphasis, t_link]


def spell(entry: str, transforms: list[Callable[[Spelling, random.Random], None]], r: random.Random) -> str:
    """Apply ``transforms`` in a fixed order (character changes first, then gaps and markup)."""
    s = Spelling(list(entry))
    for transform in sorted(set(transforms), key=ORDER.index):
        transform(s, r)
    return s.text()


def _located(problems: list[Problem], shown: str, line: int, entry: int) -> bool:
    return any(p.location.path == shown and p.location.line == line and f"(entry {entry}:" in p.message for p in problems)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entry=st.integers(min_value=1, max_value=len(ENTRIES)),
    place=st.sampled_from(PLACES),
    picks=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=5),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_any_spelling_of_a_registered_name_in_any_place_fails_check(entry: int, place: Place, picks: list[int], seed: int) -> None:
    r = random.Random(seed)
    transforms = [place.allowed[p % len(place.allowed)] for p in picks]
    name = spell(ENTRIES[entry - 1], transforms, r)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(FIXTURES / "mini", root)
        _with_register(root)
        shown, line = place.plant(root, name)
        problems = _problems(root)
    assert _located(problems, shown, line, entry), (
        f"{place.name}: {name!r} ({[t.__name__ for t in transforms]}) not reported at {shown}:{line}; got {[str(p) for p in problems]}")
    _assert_safe(problems)


# --- one test per transformation (explicit, readable failures) ---------------------------------

EXPLICIT = {
    "no-break space": ("body", "Josephine\u00a0Abernethy", 1),
    "doubled space": ("body", "Josephine  Abernethy", 1),
    "tab": ("body", "Josephine\tAbernethy", 1),
    "line break": ("body", "Josephine\nAbernethy", 1),
    "fullwidth": ("body", "Ｊｏｓｅｐｈｉｎｅ Ａｂｅｒｎｅｔｈｙ", 1),
    "decomposed accent": ("body", unicodedata.normalize("NFD", "Zoë Castellano"), 3),
    "accent dropped": ("body", "Zoe Castellano", 3),
    "curly apostrophe": ("body", "Siobhan O\u2019Brien", 2),
    "modifier apostrophe": ("body", "Siobhan O\u02bcBrien", 2),
    "cyrillic a and o": ("body", "Jоsephine Аbernethy", 1),
    "greek omicron": ("body", "Siobhan \u039f'Brien", 2),
    "upper case": ("body", "JOSEPHINE ABERNETHY", 1),
    "yaml \\x escape": ("yaml title", "\\x4aosephine Abernethy", 1),
    "yaml \\u escape": ("participant role", "Josephine \\u0041bernethy", 1),
    "decimal entity": ("body", "&#74;osephine Abernethy", 1),
    "hex entity": ("body", "Josephine &#x41;bernethy", 1),
    "named entity space": ("body", "Josephine&nbsp;Abernethy", 1),
    "bold inside": ("body", "Jose**phine** Abernethy", 1),
    "underscore inside": ("body", "J_osephine_ Abernethy", 1),
    "html tag inside": ("body", "Jose<b>phine</b> Abernethy", 1),
    "link splits name": ("body", "[Josep](x.md)hine Abernethy", 1),
    "zero-width space": ("body", "Jose\u200bphine Abernethy", 1),
    "zero-width joiner": ("body", "Josephine Aber\u200dnethy", 1),
    "soft hyphen": ("body", "Jose\u00adphine Aber\u00adnethy", 1),
    "soft hyphen entity": ("body", "Jose&shy;phine Abernethy", 1),
    "bidi override": ("body", "\u202eJosephine Abernethy\u202c", 1),
    "byte order mark": ("body", "Josephine\ufeff Abernethy", 1),
    "underscores as spaces": ("csv cell", "josephine_abernethy", 1),
    "json \\u escape": ("json file", "\\u004aosephine Abernethy", 1),
    "other extension": ("rtf file", "Josephine Abernethy", 1),
    "hidden file": ("hidden file", "Josephine Abernethy", 1),
    "file name": ("file name", "Josephine Abernethy", 1),
    "file name with look-alikes": ("file name", "Jоsephine\u00a0Abernethy", 1),
}


@pytest.mark.parametrize("case", sorted(EXPLICIT), ids=sorted(EXPLICIT))
def test_each_transformation_alone_is_caught(mini: Path, case: str) -> None:
    place_name, name, entry = EXPLICIT[case]
    place = next(p for p in PLACES if p.name == place_name)
    _with_register(mini)
    shown, line = place.plant(mini, name)
    problems = _problems(mini)
    assert _located(problems, shown, line, entry), [str(p) for p in problems]
    _assert_safe(problems)


def test_a_folder_named_after_a_person_is_reported_and_its_files_do_not_echo_it(mini: Path) -> None:
    _with_register(mini)
    folder = mini / "las/north/Josephine Abernethy"
    folder.mkdir()
    (folder / "notes.txt").write_text("Siobhan O'Brien rang.\n")
    problems = _problems(mini)
    assert _located(problems, "content/las/north", 0, 1)
    assert _located(problems, "content/las/north/[entry 1]/notes.txt", 1, 2)
    _assert_safe(problems)


def test_a_binary_file_is_checked_by_name_only(mini: Path) -> None:
    _with_register(mini)
    (mini / "las/north/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe Josephine Abernethy")
    assert _problems(mini) == []
    (mini / "las/north/photo.png").rename(mini / "las/north/josephine-abernethy.png")
    assert _located(_problems(mini), "content/las/north", 0, 1)


def test_the_clean_fixture_and_ordinary_words_are_not_flagged(mini: Path) -> None:
    _with_register(mini, ["Northb", "Oakfiel", "Alexa", "Sarah", "Team managers"])
    source = mini / SOURCE
    source.write_text(source.read_text() + "\nSarahs and Sarahville are other words; so are teammanagers.\n")
    assert _problems(mini) == []
    source.write_text(source.read_text() + "Sarah's notes.\n")
    assert [p.location.line for p in _problems(mini)] == [len(source.read_text().splitlines())]


def test_every_problem_is_listed_at_once(mini: Path) -> None:
    _with_register(mini)
    _in_body(mini, "Josephine Abernethy")
    _in_csv(mini, "Siobhan O\u2019Brien")
    _in_file_name(mini, "Zoe Castellano")
    problems = _problems(mini)
    assert {(p.location.path, p.location.line) for p in problems} >= {
        (f"content/{SOURCE}", 21), ("content/las/north/nb-staff.csv", 4), ("content/las/north", 0)}


def test_the_clean_demo_passes_check_with_a_register(demo_copy: Path) -> None:
    # names that are not in the demo, and entries that are only parts of demo words
    _with_register(demo_copy, [*ENTRIES, "Kerr", "Lind", "Harrow"])
    status, stdout, stderr = run_cli("check", str(demo_copy))
    assert status == 0, stderr
    assert "register" not in stderr


@pytest.mark.parametrize("written", ["Josephine Abernethy", "J\u200bosephine\u00a0&#65;bernethy"])
def test_check_command_fails_without_echoing_a_name(demo_copy: Path, written: str) -> None:
    _with_register(demo_copy)
    source = demo_copy / "local-authorities/lindhurst/sources/lh-int-01.md"
    lines = source.read_text().splitlines()
    lines.insert(20, f"{written} came up in supervision.")
    source.write_text("\n".join(lines) + "\n")
    status, _, stderr = run_cli("check", str(demo_copy))
    assert status == 1
    assert "content/local-authorities/lindhurst/sources/lh-int-01.md:21: holds an identifier from the register (entry 1" in stderr
    assert "Josephine" not in stderr and "bernethy" not in stderr and "Traceback" not in stderr
