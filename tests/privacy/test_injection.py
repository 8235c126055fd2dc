"""Injection: content is data, never code, in every field, page and output of a built site.

Every attack payload goes into every text field of a case study, a report card, a code
document's body, a site and an LA of a small study, all in one build per audience; the
built HTML and the search index are then read with an HTML parser, not by matching text.
"""

from __future__ import annotations

import json
import re
import shutil
import string
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.site import set_bodies_aside
from generator.render.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, safe_address
from generator.view import INTERNAL, PUBLIC

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "![x](https://evil.example/a.png)",
    "![x](//evil.example/a.png)",
    "[x](../../../../etc/passwd)",
    "{{ 7*7 }}",
    "{% include 'x' %}",
]
ATTRIBUTE_LIST = '{: onmouseover="alert(1)"}'
ONE_LINE = " ".join(PAYLOADS + [ATTRIBUTE_LIST])
# prose fields: the attribute list once after a paragraph and once after a heading
PROSE = "\n\n".join(PAYLOADS) + f"\n\nA paragraph.\n{ATTRIBUTE_LIST}\n\n# A heading\n{ATTRIBUTE_LIST}\n"


def _front(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def _write(path: Path, data: dict, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n" + body, encoding="utf-8")


def _case_study() -> dict:
    return {
        "type": "outcome_case_study", "id": "nb-case", "title": ONE_LINE, "la": "north", "service": ONE_LINE,
        "subject": ONE_LINE, "engaged_from": "2016-03-07", "overall": "as_hoped",
        "background": PROSE, "reasons_for_contact": PROSE, "support": PROSE,
        "other_agencies": [ONE_LINE], "feedback": [{"who": ONE_LINE, "said": PROSE}],
        "impacts": [{"outcome": ONE_LINE, "area": ONE_LINE, "target": ONE_LINE, "measured_by": ONE_LINE,
                     "actual": ONE_LINE, "achieved": "partly", "comments": ONE_LINE}],
        "lessons": PROSE,
    }


def _report_card() -> dict:
    return {
        "type": "report_card", "id": "nb-card", "title": ONE_LINE, "la": "north", "customers": PROSE,
        "measures": [{"id": "m1", "name": ONE_LINE, "group": "how_well", "unit": ONE_LINE,
                      "history": [{"period": "2015-16", "value": 60}, {"period": "2016-17", "value": 62}]}],
        "story": PROSE, "partners": [ONE_LINE], "what_works": PROSE,
        "action_plan": [{"action": ONE_LINE, "who": ONE_LINE, "when": ONE_LINE}],
    }


def _poison(root: Path) -> None:
    north = root / "las" / "north"
    _write(north / "nb-case.md", _case_study(), PROSE)
    _write(north / "nb-card.md", _report_card(), PROSE)
    for name in ("la.md", "site.md"):
        data, body = _front(north / name)
        data["name"] = data["name"] + " " + ONE_LINE
        _write(north / name, data, body + "\n" + PROSE)
    data, body = _front(north / "oakfield-S1.md")
    _write(north / "oakfield-S1.md", data, body + "\n" + PROSE)
    # the study's own design: theme labels, the site-selection prose, abbreviations in labels
    data, body = _front(root / "project.md")
    data |= {"themes": [{"id": "poverty", "label": ONE_LINE}, {"id": "supply", "label": "Supply " + ONE_LINE}],
             "site_selection": PROSE, "abbreviations": [ONE_LINE],
             # glossary meanings become abbreviation titles (MkDocs' abbr and our own <abbr>) and a glossary page
             "glossary": [{"term": "FTE", "meaning": ONE_LINE}, {"term": "Social workers", "meaning": ONE_LINE},
                          {"term": "S1", "meaning": ONE_LINE, "meaning_cy": ONE_LINE}]}
    _write(root / "project.md", data, body)
    # a dataset cited as a meta-inference's quantitative strand: its title printed as evidence
    data, body = _front(north / "nb-staff.md")
    # a column's label: table headings, chart axes and the glossary's <abbr> marks around its words
    columns = [c | {"label": ONE_LINE + " FTE"} if c.get("role") == "amount" else c for c in data["columns"]]
    _write(north / "nb-staff.md", data | {"title": ONE_LINE, "columns": columns}, body)
    _write(north / "nb-meta.md", {
        "type": "meta_inference", "id": "nb-meta", "title": ONE_LINE, "statement": PROSE, "fit": "confirmatory",
        "codes": ["S1"], "las": ["north"], "quantitative": ["nb-staff"], "qualitative": ["nb-int-01#caseloads"]}, PROSE)


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
        if tag == "script":
            self._in_script = True
            self.scripts.append(dict(attrs).get("src") or "inline")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if not self._in_script:
            self.text.append(data)


def _scan_site(site: Path) -> dict[str, _Scan]:
    scans = {}
    for page in sorted(site.rglob("*.html")):
        scan = _Scan()
        scan.feed(page.read_text(encoding="utf-8"))
        scans[str(page.relative_to(site))] = scan
    for index in sorted(site.rglob("search_index.json")):
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            scan = _Scan()
            scan.feed(doc["text"] + doc.get("title", ""))
            scans[f"{index.relative_to(site)}#{doc['location']}"] = scan
    return scans


_ADDRESSES = {"href", "src", "action", "formaction", "srcset", "poster", "xlink:href", "data", "style"}


def _hosts(scan: _Scan) -> set[str]:
    return {urlsplit(unescape(v).strip()).netloc.lower() for _, name, v in scan.attributes
            if name in {"href", "src", "action", "formaction", "srcset", "poster"} and urlsplit(unescape(v).strip()).netloc}


@pytest.mark.filterwarnings("ignore:Tight layout not applied")  # a 250-character chart title is not the point here
@pytest.mark.parametrize("audience", [INTERNAL, PUBLIC])
def test_every_payload_in_every_field_builds_a_safe_site(mini: Path, tmp_path: Path, audience: str) -> None:
    clean_root = tmp_path / "clean"
    shutil.copytree(mini, clean_root)
    _write(clean_root / "las/north/nb-case.md", {**_case_study(), **{k: "Plain words." for k in ("title", "service", "subject")}}, "Plain.")
    assert build(clean_root, out=tmp_path / "clean-site", quiet=True, audience=audience) == 0
    _poison(mini)
    assert build(mini, out=tmp_path / "site", quiet=True, audience=audience) == 0
    clean = _scan_site(tmp_path / "clean-site")
    attacked = _scan_site(tmp_path / "site")
    theme_scripts = {s for scan in clean.values() for s in scan.scripts}
    theme_hosts = {h for scan in clean.values() for h in _hosts(scan)}
    pages = [p for p in attacked if p.endswith(".html")]
    assert any("nb-case" in p for p in pages) and any("nb-card" in p for p in pages)
    # the new fields reached their pages, as text: theme labels, the selection prose, a cited dataset's title
    for page in ("la/north/coding-frame.html", "cross-case/site-selection.html", "la/north/meta-inferences/nb-meta.html",
                 "la/north/glossary.html"):
        assert "<img src=x onerror=alert(1)>" in "".join(attacked[page].text), page
    titles = [v for scan in attacked.values() for tag, name, v in scan.attributes if tag == "abbr" and name == "title"]
    assert titles.count(ONE_LINE) >= 2  # the terms were marked, with the payload as a title's text
    shown = "".join(t for scan in attacked.values() for t in scan.text)
    assert "{{ 7*7 }}" in shown and "{% include 'x' %}" in shown  # the payload is there, as text
    assert "<script>alert(1)</script>" in shown  # raw HTML in a body is text a reader sees
    assert "generatorbody" not in shown  # every body set aside from MkDocs came back
    for where, scan in attacked.items():
        for tag, name, value in scan.attributes:
            assert not name.lower().startswith("on"), (where, tag, name, value)
            if name not in _ADDRESSES:
                continue  # text in a title or aria-label is shown, never run
            folded = re.sub(r"[\s\x00-\x1f]", "", unescape(value)).lower()
            assert not folded.startswith(("javascript:", "vbscript:", "data:")), (where, tag, name, value)
            if name in {"href", "src"}:
                assert "etc/passwd" not in folded, (where, tag, value)
        assert _hosts(scan) <= theme_hosts, (where, _hosts(scan) - theme_hosts)
        assert "evil.example" not in " ".join(v for _, n, v in scan.attributes if n in _ADDRESSES), where
        assert set(scan.scripts) <= theme_scripts, (where, set(scan.scripts) - theme_scripts)
        text = "".join(scan.text)
        counterpart = clean.get(where)
        assert text.count("49") <= ("".join(counterpart.text).count("49") if counterpart else 0), where


# --- render_markdown on any text -----------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


_PIECES = st.sampled_from([
    "[", "]", "(", ")", "![", "](", "{:", "}", " onmouseover=", "javascript:", "JaVa\tScRiPt:", "&#x09;", "&#106;",
    "//evil.example/", "https://evil.example/a.png", "../", "data:text/html,", "<", ">", "<script>", "<img src=x ",
    "\"", "'", "`", "*", "_", "#", "\n", "\n\n", "    ", "> ", "- ", "1. ", "|", "---", "[^1]", "[^1]: ", "\\",
    "<a href=", "=", "x", " ", "\u200b", "\u00ad", "%6A", "vbscript:", "<svg onload=", "&", ";",
]) | st.text(alphabet=string.printable, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.sampled_from(["index.md", "sources/a.md", "code-documents/s/c.md"]))
def test_any_text_renders_to_allowlisted_tags_and_safe_addresses(text: str, page: str) -> None:
    html = str(render_markdown(text, page=page))
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.seen:
        assert tag in ALLOWED_TAGS, (text, tag)
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set()), (text, tag, name)
            if name in {"href", "src"}:
                assert value is not None and safe_address(value, page=page, image=tag == "img") is not None, (text, value)
                assert not urlsplit(unescape(value)).netloc, (text, value)
    bodies: dict[str, str] = {}
    assert set_bodies_aside(html, "tok", bodies) == "tok0x", text  # MkDocs' Markdown pass sees none of it


@pytest.mark.parametrize("address", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "java&#x09;script:alert(1)",
    " javascript:alert(1)", "java\u200bscript:alert(1)", "jav&#97;script:x", "%6Aavascript:x", "vbscript:x",
    "data:text/html,<script>", "DATA:image/png;base64,AAAA", "//evil.example/x.png", "\\\\evil.example\\x",
    "/\\evil.example", "https://evil.example/", "http:evil.example", "mailto:a@b.example", "/etc/passwd",
    "../../../../etc/passwd", "sub/../../../x.html", "file:///etc/passwd", "ｊａｖａｓｃｒｉｐｔ:alert(1)",
])
def test_addresses_leaving_the_site_are_refused(address: str) -> None:
    assert safe_address(address, page="sources/a.md") is None
    assert safe_address(address, page="sources/a.md", external_links=True, image=True) is None


@pytest.mark.parametrize("address", ["#fn:1", "x.html", "../datasets/d.html#t", "img/a.png", "./x.html"])
def test_addresses_inside_the_site_are_kept(address: str) -> None:
    assert safe_address(address, page="sources/a.md") == address


def test_external_links_need_the_project_setting_and_open_without_referrer() -> None:
    assert 'href="https' not in unescape(render_markdown("[a](https://ok.example/)"))
    allowed = unescape(render_markdown("[a](https://ok.example/) ![i](https://ok.example/i.png)", external_links=True))
    assert '<a href="https://ok.example/" rel="noopener noreferrer">' in allowed
    assert "ok.example/i.png" not in allowed  # never an image from another host


# --- YAML tags --------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "shown"), [
    ("!!binary aGk=", "!!binary"),
    ("!!str Oakfield", "!!str"),
    ("!!python/object:os.system {}", "!!python/object:os.system"),
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!custom Oakfield", "!custom"),
    ("!!timestamp 2020-01-01", "!!timestamp"),
    ("!<tag:yaml.org,2002:str> Oakfield", "!!str"),
    ("! Oakfield", "!"),
    ("[!!int 3]", "!!int"),
])
def test_every_yaml_tag_is_refused_with_file_and_line(mini: Path, value: str, shown: str) -> None:
    from tests.conftest import run_cli

    site = mini / "las/north/site.md"
    lines = site.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("name:"))
    lines[number] = f"name: {value}"
    site.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, _, stderr = run_cli("check", str(mini))
    assert status == 1
    assert f"site.md:{number + 1}" in stderr and f"YAML tag {shown} is not allowed" in stderr
    assert "Traceback" not in stderr


# --- CSV downloads ------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "\t=1+2", "-1+cmd|' /C calc'!A0"]


def test_every_csv_download_neutralises_formula_cells(mini: Path, tmp_path: Path) -> None:
    import csv
    import io

    north = mini / "las" / "north"
    rows = "".join(f'"{f.replace(chr(34), chr(34) * 2)}",{n}\n' for f, n in zip(FORMULAS, [41, -3, 38, 40, 39]))
    (north / "nb-staff.csv").write_text("year,social_workers\n" + rows, encoding="utf-8")
    card = _report_card()
    card.update(title="Staffing", customers="People.", story="Story.", what_works="Works.", partners=[], action_plan=[])
    card["measures"] = [{"id": "m1", "name": "Measure", "group": "how_well", "unit": "people",
                         "history": [{"period": f, "value": v} for f, v in zip(FORMULAS, [5, -3, 7, 2, 1])]}]
    _write(north / "nb-card.md", card, "")
    assert build(mini, out=tmp_path / "site", quiet=True, audience=INTERNAL) == 0
    downloads = sorted((tmp_path / "site").rglob("*.csv"))
    cells = {}
    for path in downloads:
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                cells.setdefault(cell, path)
    assert any(p.parent.name == "datasets" for p in downloads) and any(p.parent.name == "charts" for p in downloads)
    for cell, path in cells.items():
        if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}:
            assert re.fullmatch(r"-\d+(\.\d+)?", cell), (path, cell)  # only real negative numbers
    for formula in FORMULAS:  # a leading tab may be trimmed on reading; what is left is still neutralised
        assert "'" + formula in cells or "'" + formula.strip() in cells, formula
    assert "-3" in cells or "-3.0" in cells


@pytest.mark.parametrize(("cell", "written"), [
    ("\t=1+2", "'\t=1+2"), ("\r=1+2", "'\r=1+2"), ("=1", "'=1"), ("+44 20", "'+44 20"), ("@x", "'@x"),
    ("-x", "'-x"), ("-3", "-3"), (-3, -3), (-3.5, -3.5), ("2014-15", "2014-15"), ("a=b", "a=b"),
])
def test_a_formula_cell_is_written_as_text_and_a_number_as_a_number(cell: object, written: object) -> None:
    from generator.csv_download import safe_cell

    assert safe_cell(cell) == written


# --- pathological bodies ----------------------------------------------------------------------

@pytest.mark.parametrize("unit", ["[", "(", "![", "[x](", "*", "_", "`", "<", ">", "[[x]]", "[a](b.html) ", "*a* ",
                                  "[x](javascript:alert(1))", "{: onmouseover=x}\n"])
def test_a_200_kb_pathological_body_renders_and_stays_safe(unit: str) -> None:
    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    html = str(render_markdown(text, page="sources/a.md"))
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.seen:
        assert tag in ALLOWED_TAGS and set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, attrs)
        assert "javascript" not in unescape(str(attrs.get("href", ""))).lower()
    assert "<blockquote>" * 5 not in html.replace("\n", "")
    bodies: dict[str, str] = {}
    assert set_bodies_aside(html, "tok", bodies) == "tok0x" and len(bodies) == 1  # all of it kept from MkDocs' pass


def test_a_body_reaches_the_built_page_as_written_and_mkdocs_forms_nothing_in_it(mini: Path, tmp_path: Path) -> None:
    # MkDocs' own Markdown (attribute lists, admonitions, md_in_html) never reads a body: it is set aside
    body = ("Said <inaudible> then <laughs>.\n\n!!! danger\n    indented\n\n"
            "<div markdown=1>*inside*</div>\n\nA paragraph.\n{: onclick=x .gen-fictional}\n")
    data, _ = _front(mini / "las/north/oakfield-S1.md")
    _write(mini / "las/north/oakfield-S1.md", data, body)
    assert build(mini, out=tmp_path / "site", quiet=True, audience=INTERNAL) == 0
    page = _scan_site(tmp_path / "site" / "la" / "north")["code-documents/oakfield/S1.html"]
    text = "".join(page.text)
    assert "Said <inaudible> then <laughs>." in text and "<div markdown=1>" in text and "!!! danger" in text
    assert "{: onclick=x .gen-fictional}" in text
    assert not any(tag == "div" and "admonition" in value for tag, name, value in page.attributes)
    assert not any(name == "onclick" for _, name, _ in page.attributes)


@pytest.mark.parametrize("mark", ["\ue00e", "\ue00f", "\ue00e<b>x</b>\ue00f"])
def test_text_holding_the_body_marks_cannot_pose_as_a_body(mark: str) -> None:
    from generator.render.environment import finalize, md_text
    from generator.site import set_bodies_aside

    for made in (finalize(f"a {mark} b"), md_text(f"a {mark} b"), render_markdown(f"a {mark} b")):
        bodies: dict[str, str] = {}
        page = set_bodies_aside(str(made), "tok", bodies)
        assert "<b>" not in "".join(bodies.values()) and "\ue00e" not in page and "\ue00f" not in page


def test_ordinary_links_and_quotes_survive_the_depth_limits() -> None:
    html = unescape(render_markdown("> > quoted [a [b] c](x.html) and (an (aside))", page="index.md"))
    assert '<a href="x.html">a [b] c</a>' in html and "(an (aside))" in html and html.count("<blockquote>") == 2
