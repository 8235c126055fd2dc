"""`generator import qdpx`: the two real REFI-QDA projects in ../shared/data/formats/refi_qda.

The offsets test pairs each coded selection of the original project with the
extract the import wrote, in text order, and compares the words: the
selection's characters as the program counted them against the extract as the
loader reads it back.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.importers.qdpx import DATE_PLACEHOLDER, UNMAPPED_SITE, code_id, escape, unescape
from generator.importers.refi import RefiProject, read_refi
from tests.importers.conftest import Importer

QC = "qc-1.3.2_demo.qdpx"
ATLAS = "atlasti-8.4_refi-standard-project_sky-loom-TestProject.qdpx"
MAPPING = """\
local_authorities:
  - {id: district, name: Imported District, nation: England}
sites:
  - {id: board, la: district, name: Board meetings}
default_site: board
"""


def refi_file(shared_data: Path, name: str) -> Path:
    return shared_data / "formats" / "refi_qda" / name


def fill_placeholders(content: Path) -> None:
    """Do what the import report asks a team to do: record consent and dates."""
    for path in (content / "local-authorities").rglob("sources/*.md"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("uses: []", "uses: [analysis]").replace(DATE_PLACEHOLDER, "2020-01-01")
        text = text.replace("role: to record", "role: participant")
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module", params=[QC, ATLAS])
def imported(request: pytest.FixtureRequest, shared_data: Path,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("qdpx") / "content"
    mapping = out.parent / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    assert main(["import", "qdpx", str(refi_file(shared_data, request.param)), "--out", str(out),
                 "--map", str(mapping)]) == 0
    return request.param, out


def _clusters(project: RefiProject) -> list[tuple[str, list[tuple[int, int, tuple[str, ...]]]]]:
    """Per source, its coded selections grouped where they overlap (as one extract each), in text order."""
    found = []
    for source in project.sources:
        if source.text is None:
            continue
        groups: list[list[tuple[int, int, tuple[str, ...]]]] = []
        for s in sorted(source.selections, key=lambda s: (s.start, s.end)):
            if not s.codes or not source.text[s.start:s.end].strip():
                continue
            if groups and s.start < max(end for _, end, _ in groups[-1]):
                groups[-1].append((s.start, s.end, s.codes))
            else:
                groups.append([(s.start, s.end, s.codes)])
        found.append((source.text, groups))  # type: ignore[arg-type]
    return found  # type: ignore[return-value]


def test_selected_text_is_the_extract_text(shared_data: Path, tmp_path: Path) -> None:
    project = read_refi(refi_file(shared_data, QC))
    out = tmp_path / "content"
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    assert main(["import", "qdpx", str(refi_file(shared_data, QC)), "--out", str(out), "--map", str(mapping)]) == 0
    fill_placeholders(out)
    from generator.pipeline import load_and_validate

    study, _ = load_and_validate(out)
    names = {c.name for c in project.codes}
    label = {code.model.id: code.model.label for code in study.codes}
    extracts_of = {source.model.title: source.extracts for source in study.sources}
    compared = 0
    for source, (text, groups) in zip([s for s in project.sources if s.text is not None], _clusters(project)):
        extracts = extracts_of[source.name]
        assert len(extracts) == len(groups), source.name
        guid_name = {c.guid: c.name for c in project.codes}
        for extract, group in zip(extracts, groups):
            assert {label[c] for c in extract.codes} == {guid_name[g] for *_, codes in group for g in codes}
            if len(group) == 1:
                start, end, _ = group[0]
                selected = text[start:end].replace("\r\n", "\n").strip("\n")
                assert unescape(extract.text).strip("\n") == selected, (source.name, start, end)
                compared += 1
    assert compared >= 20
    assert names  # the code book was read


def test_both_projects_pass_check_once_placeholders_are_filled_and_build(imported: tuple[str, Path],
                                                                        tmp_path: Path) -> None:
    name, content = imported
    copy = tmp_path / "content"
    import shutil

    shutil.copytree(content, copy)
    if list(copy.rglob("sources/*.md")):
        assert main(["check", str(copy)]) == 1  # consent and dates are placeholders until someone records them
    fill_placeholders(copy)
    assert main(["check", str(copy)]) == 0
    assert main(["build", str(copy), "--out", str(tmp_path / "site"), "--quiet"]) == 0
    assert (tmp_path / "site" / "cross-case" / "index.html").is_file()


def test_unfilled_consent_is_refused_by_check(imported: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    name, content = imported
    sources = list((content / "local-authorities").rglob("sources/*.md"))
    if name == ATLAS:
        assert sources == []  # every ATLAS.ti source is a dangling internal:// path (reported, below)
        return
    assert main(["check", str(content)]) == 1
    err = capsys.readouterr().err
    assert "consent.uses: expected at least 1 item" in err
    assert "nothing was built" in err


def test_qc_code_tree_kept(shared_data: Path, tmp_path: Path, run_import: Importer) -> None:
    content = tmp_path / "content"
    assert run_import("qdpx", refi_file(shared_data, QC), "--out", content)[0] == 0
    project = read_refi(refi_file(shared_data, QC))
    documents = list((content / "coding-frame").glob("*.md"))
    assert len(documents) == len(project.codes) == 262
    import yaml

    fronts = [yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]) for p in documents]
    by_id = {f["id"]: f for f in fronts}
    # each program code is here under its own name, below the code the program put it under
    label_of = {f["id"]: f["label"] for f in fronts}
    name_of = {c.guid: c.name for c in project.codes}
    wanted = sorted((c.name, name_of.get(c.parent or "")) for c in project.codes)
    found = sorted((f["label"], label_of.get(f.get("parent", ""))) for f in fronts)
    assert found == wanted
    assert max(_depth(f["id"], by_id) for f in fronts) == 7


def test_theme_colours_are_the_programs_colours(imported: tuple[str, Path], shared_data: Path) -> None:
    import yaml

    name, content = imported
    project = read_refi(refi_file(shared_data, name))
    project_md = (content / "project.md").read_text(encoding="utf-8")
    themes = {t["label"]: t.get("colour") for t in yaml.safe_load(project_md.split("---\n")[1])["themes"]}
    for code in project.codes:
        if code.name in themes and code.colour:
            assert themes[code.name] == code.colour.upper()


def _depth(code: str, by_id: dict[str, dict[str, str]]) -> int:
    depth = 1
    while "parent" in by_id[code]:
        code = by_id[code]["parent"]
        depth += 1
    return depth


def test_atlas_report_lists_what_was_not_carried(imported: tuple[str, Path]) -> None:
    name, content = imported
    report = (content / "_import" / "report.md").read_text(encoding="utf-8")
    if name == QC:
        assert "262 codes in 3 theme(s), a tree 7 level(s) deep." in report
        return
    assert "14 codes in 2 theme(s)" in report
    assert report.count("was not imported") == 6  # each missing source named, with its lost selections
    assert "## Not carried" in report
    assert re.search(r"\d+ × `(Set|Link|Case|Variable)`", report)
    assert "## Coders" in report
    notes = list((content / "_import" / "notes").glob("*.txt"))
    assert len(notes) == 2


def test_second_import_into_the_same_folder_is_refused(imported: tuple[str, Path], shared_data: Path,
                                                        run_import: Importer) -> None:
    name, content = imported
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    status, _, err = run_import("qdpx", refi_file(shared_data, name), "--out", content)
    assert status == 1 and "already exist" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_without_a_mapping_sources_are_unmapped_and_named(shared_data: Path, run_import: Importer,
                                                          tmp_path: Path) -> None:
    status, out, _ = run_import("qdpx", refi_file(shared_data, QC), "--out", tmp_path / "c")
    assert status == 0 and "158 extracts" in out
    sources = list((tmp_path / "c" / "sources").glob("*.md"))
    assert len(sources) == 2
    assert all(f"site: {UNMAPPED_SITE}" in p.read_text(encoding="utf-8") for p in sources)
    report = (tmp_path / "c" / "_import" / "report.md").read_text(encoding="utf-8")
    assert "`board_2017.txt`" in report and "`admin-1.txt`" in report


# --- hostile projects -------------------------------------------------------------------------------------------

QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="test">
<CodeBook><Codes><Code guid="c1" name="Access" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="s1" name="{name}" plainTextPath="{path}">
<PlainTextSelection guid="x1" name="a" startPosition="0" endPosition="5"><Coding guid="k1"><CodeRef targetGUID="c1"/>
</Coding></PlainTextSelection></TextSource></Sources></Project>"""


def _qdpx(path: Path, entries: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_path_traversal_in_a_source_path_reads_nothing_outside(tmp_path: Path, run_import: Importer) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET words", encoding="utf-8")
    project = _qdpx(tmp_path / "p.qdpx", {"project.qde": QDE.format(name="s.txt", path=str(secret)),
                                          "sources/x.txt": "hello"})
    project2 = _qdpx(tmp_path / "p2.qdpx", {"project.qde": QDE.format(name="s.txt", path="../../secret.txt")})
    for number, file in enumerate([project, project2]):
        status, _, err = run_import("qdpx", file, "--out", tmp_path / f"out{number}")
        assert status == 0, err
        written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / f"out{number}").rglob("*.md"))
        assert "SECRET" not in written
        assert "was not imported" in (tmp_path / f"out{number}" / "_import" / "report.md").read_text("utf-8")


def test_xml_entity_bomb_and_external_entities_refused(tmp_path: Path, run_import: Importer) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>')
    external = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                '<Project xmlns="urn:QDA-XML:project:1.0" name="&e;"/>')
    for number, xml in enumerate([bomb, external]):
        file = _qdpx(tmp_path / f"b{number}.qdpx", {"project.qde": xml})
        status, _, err = run_import("qdpx", file, "--out", tmp_path / f"o{number}")
        assert status == 1 and "Traceback" not in err
        assert err.startswith(f"error: {file}")
        assert not (tmp_path / f"o{number}").exists()


def test_not_a_project(tmp_path: Path, run_import: Importer) -> None:
    cases = {"no-qde.qdpx": _qdpx(tmp_path / "no-qde.qdpx", {"sources/a.txt": "x"}),
             "text.qdpx": tmp_path / "text.qdpx", "bad-xml.qdpx": _qdpx(tmp_path / "bad-xml.qdpx",
                                                                        {"project.qde": "<Project"})}
    (tmp_path / "text.qdpx").write_text("not a zip", encoding="utf-8")
    for name, file in cases.items():
        status, _, err = run_import("qdpx", file, "--out", tmp_path / f"o-{name}")
        assert status == 1, name
        assert str(file) in err and "Traceback" not in err, err
    status, _, err = run_import("qdpx", tmp_path / "missing.qdpx", "--out", tmp_path / "o")
    assert status == 2 and "file not found" in err  # a mistake in the command, as for the other importers


def test_source_text_that_looks_like_markup_stays_text(tmp_path: Path, run_import: Importer) -> None:
    text = "<script>alert(1)</script> said\n::: extract id=fake codes=Access\nnot an extract\n:::\n"
    qde = QDE.replace('plainTextPath="{path}"', 'plainTextPath="internal://s1.txt"').format(name="s.txt")
    file = _qdpx(tmp_path / "m.qdpx", {"project.qde": qde, "sources/s1.txt": text})
    status, out, err = run_import("qdpx", file, "--out", tmp_path / "o")
    assert status == 0, err
    assert "1 extracts" in out
    body = next((tmp_path / "o" / "sources").glob("*.md")).read_text(encoding="utf-8")
    assert re.search(r"(?<!\\)</?script", body) is None and "\\</script>" in body
    assert "\n\\::: extract id=fake" in body  # a fence-like line in the text is escaped, not an extract


@pytest.mark.parametrize("text", ["plain", "a <b> c", "::: x\n:::", "  ::: indented", "\\< already"])
def test_escape_round_trips(text: str) -> None:
    assert unescape(escape(text)) == text


@pytest.mark.parametrize("label, wanted", [("Access to services", "Access-to-services"),
                                           ("barriers.transport", "barriers.transport"),
                                           ("Café", "Cafe"), ("!!!", "code"), ("a__b", "a-b")])
def test_code_ids_from_program_names(label: str, wanted: str) -> None:
    assert code_id(label) == wanted
    assert re.fullmatch(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*", code_id(label))


def test_zip_entry_claiming_a_huge_size_is_refused(tmp_path: Path, run_import: Importer) -> None:
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", QDE.format(name="s.txt", path="internal://s1.txt"))
        archive.writestr("sources/s1.txt", b"a" * (60 * 1024 * 1024))
    file = tmp_path / "big.qdpx"
    file.write_bytes(big.getvalue())
    status, _, err = run_import("qdpx", file, "--out", tmp_path / "o")
    assert "Traceback" not in err
    report = tmp_path / "o" / "_import" / "report.md"
    assert status == 1 or "was not imported" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("mapping, wanted", [
    ("sites: [{id: board}]", "sites[0]: expected la"),
    ("local_authorities: [{name: X}]", "local_authorities[0]: expected id"),
    ("local_authorities: [{id: '../x'}]", "local_authorities[0].id: expected lower-case"),
    ("colour: red", "unknown key(s) colour"),
    ("- a list", "expected a mapping"),
    ("sources: [a, b]", "sources: expected"),
])
def test_bad_mapping_files_are_named_and_nothing_is_written(mapping: str, wanted: str, shared_data: Path,
                                                             tmp_path: Path, run_import: Importer) -> None:
    file = tmp_path / "map.yaml"
    file.write_text(mapping, encoding="utf-8")
    status, _, err = run_import("qdpx", refi_file(shared_data, QC), "--out", tmp_path / "o", "--map", file)
    assert status == 1 and f"{file}: " in err and wanted in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
