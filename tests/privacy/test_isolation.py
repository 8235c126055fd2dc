"""LA isolation, attacked: another LA's names spelled so that a plain text search misses them.

Two guards: `check` (validate._other_la_mentions) on the content, and the
scan of every built file (leaks.find_leaks) before an LA site is published.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from generator.content.loader import load_study
from generator.leaks import find_leaks, foreign_names
from generator.validate import validate_study
from tests.conftest import FIXTURES

CODE_DOCUMENT = "las/north/oakfield-S1.md"  # belongs to north
WELSH = "Deheuwig"  # the fictional Welsh name given to the south LA below
PSEUDONYM = "Priyanka"  # a participant of the south LA only


def _prepare(root: Path) -> None:
    """Give the south LA a Welsh name and a participant only it has."""
    la = root / "las/south/la.md"
    la.write_text(la.read_text().replace("name: Southwick\n", f"name: Southwick\nname_cy: {WELSH}\n"))
    source = root / "las/south/sw-int-01.md"
    text = source.read_text().replace("participants:\n", (
        "participants:\n  - id: fw\n    role: Family worker\n    pseudonym: " + PSEUDONYM
        + "\n    consent: {uses: [analysis]}\n"), 1)
    source.write_text(text)


def _mentions(root: Path) -> list[str]:
    study, problems = load_study(root)
    assert not [p for p in problems if p.severity.name == "ERROR"], [str(p) for p in problems]
    return [str(p) for p in validate_study(study) if "mentions" in p.message]


def _spelled(name: str, how: str) -> str:
    first, rest = name[0], name[1:]
    return {
        "plain": name,
        "zero-width space": first + "\u200b" + rest,
        "word joiner": name[:3] + "\u2060" + name[3:],
        "soft hyphen": name[:4] + "\u00ad" + name[4:],
        "fullwidth": "".join(chr(ord(c) + 0xFEE0) for c in name),
        "cyrillic look-alike": name.replace("o", "\u043e").replace("e", "\u0435").replace("a", "\u0430"),
        "decimal entity": f"&#{ord(first)};{rest}",
        "bold inside": name[:3] + "**" + name[3:] + "**",
        "tag inside": name[:3] + "<em>" + name[3:] + "</em>",
        "link splits it": "[" + name[:3] + "](x.md)" + name[3:],
        "upper case": name.upper(),
        "decomposed": unicodedata.normalize("NFD", name),
        "bidi isolate": "\u2066" + name + "\u2069",
    }[how]


SPELLINGS = ["plain", "zero-width space", "word joiner", "soft hyphen", "fullwidth", "cyrillic look-alike", "decimal entity",
             "bold inside", "tag inside", "link splits it", "upper case", "decomposed", "bidi isolate"]
NAMES = {"LA name": "Southwick", "Welsh name": WELSH, "site name": "Elmstead", "LA id": "south", "source id": "sw-int-01"}


@pytest.mark.parametrize("how", SPELLINGS)
@pytest.mark.parametrize("what", sorted(NAMES))
def test_another_las_name_in_an_la_document_is_a_check_error(mini: Path, what: str, how: str) -> None:
    _prepare(mini)
    document = mini / CODE_DOCUMENT
    lines = document.read_text().splitlines()
    lines.append(f"We compared this with {_spelled(NAMES[what], how)} last year.")
    document.write_text("\n".join(lines) + "\n")
    mentions = _mentions(mini)
    assert any(m.startswith(f"content/{CODE_DOCUMENT}:{len(lines)}: mentions '{NAMES[what]}'") for m in mentions), mentions


def test_a_welsh_name_split_across_a_line_break_is_caught(mini: Path) -> None:
    _prepare(mini)
    la = mini / "las/south/la.md"
    la.write_text(la.read_text().replace(f"name_cy: {WELSH}", "name_cy: Bro Deheuwig"))
    document = mini / CODE_DOCUMENT
    document.write_text(document.read_text() + "Unlike Bro\u00a0\nDeheuwig, we\n")
    assert any("mentions 'Bro Deheuwig'" in m for m in _mentions(mini))


def test_a_yaml_escape_in_a_field_is_decoded_before_matching(mini: Path) -> None:
    _prepare(mini)
    la = mini / "las/north/la.md"
    la.write_text(la.read_text().replace("name: Northby\n", 'name: Northby\nsite_title: "Northby and \\x53outhwick"\n'))
    mentions = _mentions(mini)
    assert any(m.startswith("content/las/north/la.md:5: mentions 'Southwick'") for m in mentions), mentions


def test_the_clean_fixture_names_nobody_and_an_la_may_name_itself(mini: Path) -> None:
    _prepare(mini)
    assert _mentions(mini) == []
    document = mini / CODE_DOCUMENT
    document.write_text(document.read_text() + "Northby and N\u200borthby, Oakfield and north; Southwicks is not a name.\n")
    assert _mentions(mini) == []


# --- the built site, tampered after the build -----------------------------------------------


@pytest.fixture(scope="module")
def north_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from generator.build import build

    root = tmp_path_factory.mktemp("isolation") / "content"
    shutil.copytree(FIXTURES / "mini", root)
    _prepare(root)
    out = root.parent / "site"
    build(root, out=out, la="north", quiet=True, audience="public")
    study, _ = load_study(root)
    return out, foreign_names(study, "north")


def test_the_untampered_build_has_no_leak(north_site: tuple[Path, dict[str, str]]) -> None:
    site, names = north_site
    assert {"Southwick", WELSH, "Elmstead", "south", "sw-int-01", PSEUDONYM} <= set(names)
    assert "Alex" not in names and "Sam" not in names  # both LAs have an Alex and a Sam
    assert find_leaks(site, names, "site") == []


def _tampered(site: Path, relative: str, content: str | bytes, names: dict[str, str]) -> list[str]:
    path = site / relative
    original = path.read_bytes() if path.exists() else None
    made = not path.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        return [str(p) for p in find_leaks(site, names, "site")]
    finally:
        if original is not None:
            path.write_bytes(original)
        else:
            path.unlink()
            if made:
                path.parent.rmdir()


LEAKED = {"LA name": "Southwick", "Welsh name": WELSH, "site name": "Elmstead", "pseudonym": PSEUDONYM, "source id": "sw-int-01"}


@pytest.mark.parametrize("how", [s for s in SPELLINGS if s not in ("bold inside", "link splits it")])
@pytest.mark.parametrize("what", sorted(LEAKED))
def test_a_tampered_page_is_caught(north_site: tuple[Path, dict[str, str]], what: str, how: str) -> None:
    site, names = north_site
    html = f"<html><body><p>Seen in {_spelled(LEAKED[what], how)} too.</p></body></html>"
    found = _tampered(site, "tampered/index.html", html, names)
    assert any(f.startswith("site/tampered/index.html: names") and f"'{LEAKED[what]}'" in f for f in found), found


@pytest.mark.parametrize("what", sorted(LEAKED))
def test_a_search_index_with_json_escapes_is_caught(north_site: tuple[Path, dict[str, str]], what: str) -> None:
    site, names = north_site
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    escaped = "".join(f"\\u{ord(c):04x}" for c in LEAKED[what])
    raw = json.dumps(index)[:-2] + ', {"location": "x/", "title": "x", "text": "met ' + escaped + '"}]}'
    json.loads(raw)  # still a valid index
    found = _tampered(site, "search/search_index.json", raw, names)
    assert any(f.startswith("site/search/search_index.json: names") and f"'{LEAKED[what]}'" in f for f in found), found


@pytest.mark.parametrize("relative, content", [
    ("datasets/extra.csv", "area,count\n\"Elm\u200bstead\",12\n"),
    ("charts/extra.svg", '<svg xmlns="http://www.w3.org/2000/svg"><text>&#69;lmstead</text><desc>x</desc></svg>'),
    ("charts/alt.svg", '<svg xmlns="http://www.w3.org/2000/svg"><title>Ｅｌｍｓｔｅａｄ</title></svg>'),
    ("downloads/notes.txt", "Elmst\u0435ad"),
    ("elmstead/index.html", "<p>nothing</p>"),
    ("pages/Elmstead-report.html", "<p>nothing</p>"),
    ("img/photo.png", b"\x89PNG\r\n\x1a\n\xffElmstead"),
], ids=["csv zwsp", "svg entity", "svg fullwidth", "txt cyrillic", "folder name", "file name", "binary: content not read"])
def test_other_files_and_file_names_are_caught(north_site: tuple[Path, dict[str, str]], relative: str, content: str | bytes) -> None:
    site, names = north_site
    found = _tampered(site, relative, content, names)
    if relative.endswith(".png"):
        assert found == []  # binary content is not text; its name is still read
    else:
        assert any(f.startswith(f"site/{relative}: names 'Elmstead'") for f in found), found
