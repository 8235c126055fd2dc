"""Pages reused from the last build's record: only while what they read is unchanged, and never what they may not read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import load_and_validate
from generator.render.pages import page_tasks
from generator.render.recorded import CONTEXT, REPORT, _Screen, prose_of
from generator.resolve import resolve_site

SOURCE = "las/north/nb-int-01.md"


def build(content: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["build", str(content), "--out", str(out)]) == 0
    return capsys.readouterr().err


def reused(err: str) -> int:
    found = re.search(r"(\d+) page\(s\) whose inputs did not change reused as rendered", err)
    return int(found.group(1)) if found else 0


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def cold(content: Path, tmp_path: Path) -> Path:
    """The same content built from nothing: another folder, no records, no caches."""
    import shutil

    copy = tmp_path / "cold" / "content"
    shutil.copytree(content, copy)
    assert main(["build", str(copy), "--out", str(tmp_path / "cold" / "site"), "--quiet"]) == 0
    return tmp_path / "cold" / "site"


def edit(content: Path, old: str, new: str) -> None:
    path = content / SOURCE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_to_a_sources_prose_renders_its_page_and_the_build_report_only(
        mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    first = build(mini, out, capsys)
    assert reused(first) == 0
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    edit(mini, "**Researcher:** Tell me about the team.", "**Researcher:** Tell me about the team, please.")
    err = build(mini, out, capsys)
    # north's site and the cross-case site are built again; in each only the source's page (and the
    # cross-case build report) is rendered
    shown = [p for p in pages if p.startswith(("cross-case/", "la/north/")) and not p.endswith("404.html")]
    rendered = {"cross-case/sources/nb-int-01.html", "cross-case/build-report.html", "la/north/sources/nb-int-01.html"}
    assert rendered < set(shown)
    assert reused(err) == len(shown) - len(rendered)
    assert "Tell me about the team, please." in (out / "la/north/sources/nb-int-01.html").read_text("utf-8")
    assert files_of(out) == files_of(cold(mini, tmp_path))


@pytest.mark.parametrize("table", [False, True], ids=["prose", "quoting page with a table"])
def test_an_edit_to_an_extracts_words_renders_the_pages_that_quote_it(
        table: bool, mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if table:  # the quoting page shows a computed table too: computed before it renders (the rest are reused)
        document = mini / "las/north/oakfield-S1.md"
        document.write_text(document.read_text("utf-8") + "\n```computed\ntable: values\ndataset: nb-staff\n```\n",
                            encoding="utf-8")
    out = tmp_path / "site"
    build(mini, out, capsys)
    if table:
        assert "<table" in (out / "la/north/code-documents/oakfield/S1.html").read_text("utf-8")
    edit(mini, "Caseloads in Oakfield are around twenty-north each.", "Caseloads in Oakfield are around thirty-north each.")
    err = build(mini, out, capsys)
    built = files_of(out)
    quoting = {name for name, data in built.items() if b"thirty-north" in data and name.endswith(".html")}
    assert "la/north/code-documents/oakfield/S1.html" in quoting and "cross-case/sources/nb-int-01.html" in quoting
    assert 0 < reused(err)
    assert built == files_of(cold(mini, tmp_path))


@pytest.mark.parametrize("change", [
    ("consent: {uses: [analysis, internal_quotation, publication]}", "consent: {uses: [analysis], withdrawn: true}"),
    ("::: extract id=caseloads codes=S1 by=tm", "::: extract id=caseloads codes=S1,P1 by=tm"),
    ("**Researcher:** Tell me about the team.\n",
     "**Researcher:** Tell me about the team.\n\n::: extract id=team codes=P1 by=tm\n**Alex:** New words.\n:::\n"),
    ("title: Interview with the team manager", "title: Interview with the manager"),
], ids=["consent withdrawn", "recoded", "new extract", "front matter"])
def test_any_other_edit_to_a_source_renders_every_page_again(change: tuple[str, str], mini: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    build(mini, out, capsys)
    edit(mini, *change)
    err = build(mini, out, capsys)
    assert reused(err) == 0  # south's site is kept whole, the two others rendered whole
    built = files_of(out)
    assert built == files_of(cold(mini, tmp_path))
    if "withdrawn" in change[1]:
        assert not any(b"twenty-north" in data for data in built.values())  # withdrawn everywhere at once


def test_a_record_that_cannot_be_read_is_rendered_again(mini: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    build(mini, out, capsys)
    records = sorted((mini.parent / ".cache" / "pages").iterdir())
    assert records
    for record in records:
        record.write_bytes(record.read_bytes()[:40])  # cut short, as a full disk would leave it
    edit(mini, "**Researcher:** Tell me about the team.", "**Researcher:** Tell me about the teams.")
    assert reused(build(mini, out, capsys)) == 0
    assert files_of(out) == files_of(cold(mini, tmp_path))


def test_a_page_sees_no_prose_but_its_own_sources_and_extracts_only_through_the_noting_table(mini: Path) -> None:
    study, _ = load_and_validate(mini)
    view = resolve_site(study, None)
    source, other = view.sources
    prose, table = source.body, view.extracts_by_ref
    ref = f"{source.model.id}#caseloads"
    assert "Tell me about the team" in prose
    with _Screen(view) as screen:
        taken = screen.show(CONTEXT)
        assert source.body == "" and other.body == "" and source.parsed.text == ""
        assert all(s.extract is not None and s.text == "" == s.extract.text for s in source.segments)
        assert [e.id for e in source.extracts] == ["caseloads", "money"]  # which extracts there are: context
        assert taken == set()
        assert "twenty-north" in view.extract(ref).extract.text  # quoting is allowed, and noted
        assert "twenty-north" not in "".join(e.text for e in view.extract(ref).source.extracts)
        assert taken == {ref}
        assert ref in view.extracts_by_ref and taken == {ref}  # whether it exists is context
        for copy in (lambda t: list(t.values()), dict, lambda t: {**t}, lambda t: dict(t.items()), lambda t: t.copy()):
            taken.clear()
            copy(view.extracts_by_ref)
            assert taken == set(table)  # every extract's words
        with pytest.raises(RuntimeError):
            view.report["documents"]  # type: ignore[index]
        with pytest.raises(RuntimeError):
            bool(view.report)
        taken = screen.show(prose_of(source.model.id))
        assert source.body == prose and other.body == "" and taken == set()
        assert "twenty-north" in "".join(e.text for e in source.extracts)
        with pytest.raises(RuntimeError):
            view.report["documents"]  # type: ignore[index]
        screen.show(REPORT)
        assert source.body == "" and view.report["documents"]  # type: ignore[index]
    assert source.body == prose and other.body and view.extracts_by_ref is table  # as it was after
    assert "twenty-north" in "".join(e.text for e in source.extracts)


def test_a_page_writer_that_reaches_for_prose_finds_none(mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # An attacker's page writer (or a careless template) copying every source's text into a page that is reused
    # while sources change: the prose is not there to copy, on a cold build as on a rebuild.
    import generator.render.pages as pages

    writer = pages.render_coding_frame

    def greedy(view):  # type: ignore[no-untyped-def]
        page = writer(view)
        page.markdown += "\n".join(s.body + "".join(seg.text + (seg.extract.text if seg.extract else "")
                                                     for seg in s.segments) for s in view.sources)
        return page

    monkeypatch.setattr(pages, "render_coding_frame", greedy)
    out = tmp_path / "site"
    build(mini, out, capsys)
    frame = (out / "cross-case/coding-frame.html").read_text("utf-8")
    assert "Tell me about the team" not in frame and "twenty-north" not in frame


TABLE = "\n```computed\ntable: values\ndataset: nb-staff\n```\n"


def counting(monkeypatch: pytest.MonkeyPatch, tally: Path) -> None:
    """Count every table or chart computed, in this process or a forked worker (one line each in ``tally``)."""
    import generator.resolve as resolve

    compute = resolve._evaluate

    def counted(study, view, document, block, sites):  # type: ignore[no-untyped-def]
        with tally.open("a", encoding="utf-8") as handle:
            handle.write(f"{view.key} {Path(document.path).name}\n")
        return compute(study, view, document, block, sites)

    monkeypatch.setattr(resolve, "_evaluate", counted)


def test_a_table_is_computed_once_and_only_when_a_page_reads_it(mini: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    document = mini / "las/north/oakfield-S1.md"
    document.write_text(document.read_text("utf-8") + TABLE, encoding="utf-8")
    tally = tmp_path / "tally"
    counting(monkeypatch, tally)
    study, _ = load_and_validate(mini)
    view = resolve_site(study, "north")
    (key,) = view.blocks
    assert key in view.blocks and len(view.blocks) == 1 and not tally.exists()  # resolving computes nothing
    table = view.blocks[key]
    assert view.blocks[key] is table and view.blocks.get(key) is table
    assert tally.read_text("utf-8").splitlines() == ["north oakfield-S1.md"]
    with pytest.raises(KeyError):
        view.blocks[("elsewhere.md", 1)]


def test_an_extract_edit_computes_only_the_tables_on_the_pages_that_quote_it(
        mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("las/north/oakfield-S1.md", "las/north/la.md"):  # a quoting page and one that quotes nothing
        document = mini / name
        document.write_text(document.read_text("utf-8") + TABLE, encoding="utf-8")
    out = tmp_path / "site"
    build(mini, out, capsys)
    tally = tmp_path / "tally"
    counting(monkeypatch, tally)
    edit(mini, "Caseloads in Oakfield are around twenty-north each.", "Caseloads in Oakfield are around forty-north each.")
    build(mini, out, capsys)
    # the code document's page is rendered again on north's site and the cross-case site; the LA's is reused
    assert sorted(tally.read_text("utf-8").splitlines()) == ["cross-case oakfield-S1.md", "north oakfield-S1.md"]
    assert files_of(out) == files_of(cold(mini, tmp_path))


def test_extracts_a_computation_takes_are_noted_for_every_page_that_reads_it(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No table reads extracts' words today; if one did, a page showing it must be rendered again when they
    # change, even when an earlier page computed it.
    import generator.resolve as resolve

    def quoting(study, view, document, block, sites):  # type: ignore[no-untyped-def]
        return view.extract("nb-int-01#caseloads").extract.text

    monkeypatch.setattr(resolve, "_evaluate", quoting)
    document = mini / "las/north/oakfield-S1.md"
    document.write_text(document.read_text("utf-8") + TABLE, encoding="utf-8")
    study, _ = load_and_validate(mini)
    view = resolve_site(study, "north")
    (key,) = view.blocks
    with _Screen(view) as screen:
        for _ in range(2):
            taken = screen.show(CONTEXT)
            assert "twenty-north" in view.blocks[key]
            assert taken == {"nb-int-01#caseloads"}
        taken = screen.show(CONTEXT)
        assert taken == set()  # a page that does not read it


def test_only_pages_that_read_the_context_show_tables_and_charts() -> None:
    # A source's page and the build report are rendered again on every edit to its prose: they show no
    # computed table or chart, so such an edit computes none (every demo site, Welsh ones included, and the
    # cross-case site, which shows every LA's pages).
    from tests.conftest import DEMO

    study, _ = load_and_validate(DEMO)
    views = [resolve_site(study, None)]
    for authority in study.local_authorities:
        views += [resolve_site(study, authority.model.id, language=language)
                  for language in dict.fromkeys(authority.model.languages)]
    checked = 0
    for view in views:
        with _Screen(view) as screen:
            for task in page_tasks(view):
                if task.reads != CONTEXT:
                    screen.show(task.reads)
                    assert task.render()
                    checked += 1
        assert not view.blocks._values and not view.evidence._values  # type: ignore[attr-defined]
    assert checked > len(views)  # each site has source pages, the cross-case site its build report too
