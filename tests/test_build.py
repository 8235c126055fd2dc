"""End to end: the demo builds into every site, and bad content leaves the last good site alone."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.content.loader import load_study
from generator.errors import ContentError

from .conftest import DEMO, run_cli


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_demo_builds_every_site_with_a_search_index(demo_site: Path) -> None:
    study, _ = load_study(DEMO)
    assert (demo_site / "index.html").is_file()
    assert len(study.local_authorities) == 7
    with_sites = {s.model.la for s in study.sites}
    assert len(with_sites) == 6  # the Welsh LA publishes surveys and case studies, not framework pages
    for key in ["cross-case"] + [f"la/{la.model.id}" for la in study.local_authorities]:
        index = demo_site / key / "search" / "search_index.json"
        assert index.is_file(), key
        docs = json.loads(index.read_text())["docs"]
        assert len(docs) > 5
        has_matrix = key == "cross-case" or key.removeprefix("la/") in with_sites
        assert (demo_site / key / "matrix.html").is_file() == has_matrix, key
    landing = (demo_site / "index.html").read_text()
    for la in study.local_authorities:
        assert f'href="la/{la.model.id}/index.html"' in landing
        # one card per LA, however many languages its site is in, with a link to each
        assert landing.count(f"<strong>{la.model.name}</strong>") == 1, la.model.id
    welsh = next(la.model for la in study.local_authorities if "cy" in la.model.languages and "en" in la.model.languages)
    assert (f'<a href="la/{welsh.id}/index.html" hreflang="en" lang="en">English</a> · '
            f'<a href="la/{welsh.id}/cy/index.html" hreflang="cy" lang="cy">Cymraeg</a>') in landing


def test_no_file_of_an_la_site_names_another_la(demo_site: Path) -> None:
    study, _ = load_study(DEMO)
    for la in study.local_authorities:
        others = [o.model.name for o in study.local_authorities if o.model.id != la.model.id]
        others += [s.model.name for s in study.sites if s.model.la != la.model.id]
        pattern = re.compile("|".join(re.escape(n) for n in others), re.IGNORECASE)
        for path in (demo_site / "la" / la.model.id).rglob("*"):
            if path.suffix in {".html", ".json", ".xml", ".js"}:
                match = pattern.search(path.read_text(errors="replace"))
                assert match is None, f"{path} names {match.group(0) if match else ''}"


def test_demo_matrix_shows_filled_and_empty_cells(demo_site: Path) -> None:
    html = (demo_site / "cross-case" / "matrix.html").read_text()
    sites_view = html.split('data-view="sites"', 1)[1].split('data-view="codes"', 1)[0]
    codes_view = html.split('data-view="codes"', 1)[1].split('data-view="list"', 1)[0]
    filled = sites_view.count("gen-cell-filled")
    empty = sites_view.count("gen-cell-empty")
    assert filled + empty == 6 * 15
    assert filled >= 45 and empty > 0
    # Turned round, the matrix holds the same cells.
    assert (codes_view.count("gen-cell-filled"), codes_view.count("gen-cell-empty")) == (filled, empty)


def test_demo_withdrawn_participant_is_absent(demo_site: Path) -> None:
    source = DEMO / "local-authorities/brackenford/sources/bf-fg-01.md"
    text = source.read_text()
    match = re.search(r"^::: extract id=(\S+) .*by=sw4\s*$\n(.+?)\n:::", text, re.MULTILINE | re.DOTALL)
    assert match, "the demo keeps one extract by the withdrawn participant sw4"
    words = re.sub(r"\*\*[^*]+\*\*", "", match.group(2)).split()
    phrase = " ".join(words[2:8])
    for site in ("cross-case", "la/brackenford"):
        for path in (demo_site / site).rglob("*.html"):
            assert phrase not in path.read_text(), path
        assert phrase not in (demo_site / site / "search/search_index.json").read_text()


def test_hostile_text_is_shown_literally(demo_copy: Path, tmp_path: Path) -> None:
    source = demo_copy / "local-authorities/harrowmere/sources/hm-int-01.md"
    text = source.read_text()
    text = re.sub(r"^title: .*$", "title: <script>alert('t')</script> Interview", text, count=1, flags=re.MULTILINE)
    source.write_text(text + "\n**Researcher:** A line with {{ 7*7 }} and {% raw %} and <script>alert(2)</script>.\n")
    out = tmp_path / "site"
    assert build(demo_copy, out=out, la="harrowmere", quiet=True) == 0
    raw = (out / "sources/hm-int-01.html").read_text()
    assert "<script>alert" not in raw
    page = html.unescape(raw)  # Markdown-active characters are written as character references
    assert "{{ 7*7 }}" in page and "49" not in re.findall(r"\{\{ 7\*7 \}\}|49", page)
    assert "<script>alert('t')</script> Interview" in page and "<script>alert(2)</script>" in page


def test_bad_content_reports_everything_and_keeps_the_last_site(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(demo_copy, out=out, la="lindhurst", quiet=True) == 0
    before = tree_digest(out)
    code = demo_copy / "coding-frame/P3.md"
    code.write_text(code.read_text().replace("label:", "  label: [broken"))
    source = demo_copy / "local-authorities/lindhurst/sources/lh-int-01.md"
    text = source.read_text()
    text, count = re.subn(r"(::: extract id=\S+ codes=)(\S+)", r"\1ZZ9", text, count=1)
    assert count == 1
    source.write_text(text)
    line = text[: text.index("codes=ZZ9")].count("\n") + 1
    status, _, stderr = run_cli("build", str(demo_copy), "--la", "lindhurst", "--out", str(out))
    assert status == 1
    assert "Traceback" not in stderr
    assert re.search(r"content/coding-frame/P3\.md:\d+: front-matter is not valid YAML", stderr)
    assert f"content/local-authorities/lindhurst/sources/lh-int-01.md:{line}: codes: unknown code 'ZZ9'" in stderr
    assert tree_digest(out) == before


def test_python_tag_is_refused_without_running(demo_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    code = demo_copy / "coding-frame/C1.md"
    code.write_text(code.read_text().replace("id: C1", f'id: !!python/object/apply:os.system ["touch {marker}"]'))
    status, _, stderr = run_cli("check", str(demo_copy))
    assert status == 1
    assert "content/coding-frame/C1.md:3: YAML tag !!python/object/apply:os.system is not allowed" in stderr
    assert not marker.exists()


def test_sites_planned_in_worker_processes_are_the_sites_planned_in_one(mini: Path, tmp_path: Path) -> None:
    # each unit (the cross-case site, each LA) is resolved and rendered in a forked worker: same files
    assert build(mini, out=tmp_path / "serial", quiet=True, workers=1) == 0
    assert build(mini, out=tmp_path / "parallel", quiet=True, workers=3) == 0
    assert tree_digest(tmp_path / "serial") == tree_digest(tmp_path / "parallel")


def test_a_problem_found_in_a_planning_worker_stops_the_build_whole(mini: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.build as build_module
    from generator.errors import Problem, SourceLocation

    resolve = build_module.resolve_site

    def refuse_south(study, la, *args, **kwargs):  # type: ignore[no-untyped-def]
        if la == "south":
            raise ContentError([Problem(SourceLocation("las/south/local-authority.md", 3), "refused for the test"),
                                Problem(SourceLocation("las/south/local-authority.md", 1), "and this")])
        return resolve(study, la, *args, **kwargs)

    monkeypatch.setattr(build_module, "resolve_site", refuse_south)  # the forked workers inherit it
    out = tmp_path / "site"
    with pytest.raises(ContentError) as error:
        build(mini, out=out, quiet=True, workers=3)
    assert [str(p) for p in error.value.problems] == ["las/south/local-authority.md:1: and this",
                                                      "las/south/local-authority.md:3: refused for the test"]
    assert not out.exists()


def test_leak_guard_stops_a_build(demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Bypass the content check to prove the last guard on built files works on its own.
    import generator.build as build_module

    monkeypatch.setattr(build_module, "load_and_validate", _without_mention_check)
    document = demo_copy / "local-authorities/lindhurst/code-documents/fernlea-S1.md"
    document.write_text(document.read_text() + "\nCompare Harrowmere.\n")
    out = tmp_path / "site"
    with pytest.raises(ContentError) as error:
        build(demo_copy, out=out, la="lindhurst", quiet=True)
    assert any("names 'Harrowmere' (local authority 'harrowmere')" in str(p) for p in error.value.problems)
    assert not out.exists()


def test_leak_guard_scans_a_welsh_site_nested_in_its_english_one_once(demo_copy: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.build as build_module

    monkeypatch.setattr(build_module, "load_and_validate", _without_mention_check)
    authority = demo_copy / "local-authorities/cwm-derwen/local-authority.md"
    text = authority.read_text(encoding="utf-8")
    authority.write_text(text.replace('site_title_cy: "', 'site_title_cy: "Harrowmere: '), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build(demo_copy, out=tmp_path / "site", la="cwm-derwen", quiet=True, workers=2)
    welsh = [str(p) for p in error.value.problems if "/cy/" in str(p)]
    assert welsh and all("names 'Harrowmere'" in p for p in welsh)
    assert len(welsh) == len(set(welsh))  # the Welsh folder is scanned as its own site, not again as the English one's
    assert not (tmp_path / "site").exists()


def _without_mention_check(root: Path, strict: bool = False, records=None):  # type: ignore[no-untyped-def]
    from generator.content.loader import load_study as load

    study, _ = load(root, records)
    return study, []


def test_bad_panel_data_are_row_and_column_errors(demo_copy: Path) -> None:
    path = demo_copy / "data/england-spending.csv"
    lines = path.read_text().splitlines()
    assert lines[1].startswith("brackenford,2010-11,looked_after_children,")
    lines[1] = lines[1].rsplit(",", 1)[0] + ",n/a"                  # a non-numeric cell
    lines[2] = lines[2].replace("safeguarding", "safe-guarding")     # an unknown service category
    removed = lines.pop(7)                                           # a missing year for one category
    path.write_text("\n".join(lines) + "\n")
    status, _, stderr = run_cli("check", str(demo_copy))
    assert status == 1
    assert "content/data/england-spending.csv:2 [spend]: expected a whole number, got 'n/a'" in stderr
    assert ("content/data/england-spending.csv:3 [category]: expected one of looked_after_children, safeguarding, "
            "family_support, young_people, sure_start_under_5s, youth_justice, got 'safe-guarding' (did you mean 'safeguarding'?)") in stderr
    la, year, category, _ = removed.split(",")
    assert re.search(rf"content/data/england-spending\.md:\d+: content/data/england-spending\.csv: no row for la={la}, year={year}, category={category}", stderr)
