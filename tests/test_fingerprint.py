"""A rebuild with nothing changed does nothing; any change to what a build reads builds again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cli import main


def build(content: Path, out: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["build", str(content), "--out", str(out), "--quiet", *args]) == 0
    return capsys.readouterr().err


def stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_nothing_changed_nothing_rebuilt(mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    first = build(mini, out, capsys)
    assert first.startswith("Built ") and len(first.strip().splitlines()) == 1  # --quiet: the summary line only
    before = stamps(out)
    again = build(mini, out, capsys)
    assert again.startswith("Nothing changed since the last build")
    assert stamps(out) == before  # not one file written


@pytest.mark.parametrize("change", ["source", "new file", "register", "mkdocs.yml", "audience", "site edited",
                                    "site file removed"])
def test_any_change_builds_again(change: str, mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    build(mini, out, capsys)
    args: list[str] = []
    page = out / "cross-case" / "code-documents" / "oakfield" / "S1.html"
    if change == "source":
        summary = mini / "las/north/oakfield-S1.md"
        summary.write_text(summary.read_text().replace("Caseloads are high", "Caseloads are very high"))
    elif change == "new file":
        (mini / "notes.txt").write_text("a file the loader may warn about", encoding="utf-8")
    elif change == "register":
        register = mini.parent / "private" / "identifiers.txt"
        register.parent.mkdir(exist_ok=True)
        register.write_text("Zorblatt Quimby\n", encoding="utf-8")
    elif change == "mkdocs.yml":
        (mini.parent / "mkdocs.yml").write_text("INHERIT: x\n", encoding="utf-8")
    elif change == "audience":
        args = ["--audience", "public"]
    elif change == "site edited":
        page.write_text(page.read_text(encoding="utf-8") + "<!-- edited by hand -->", encoding="utf-8")
    elif change == "site file removed":
        page.unlink()
    status = main(["build", str(mini), "--out", str(out), "--quiet", *args])
    err = capsys.readouterr().err
    assert "Nothing changed" not in err, change
    if change == "mkdocs.yml":  # read, and refused with a message naming it
        assert status == 1 and "mkdocs.yml: MkDocs cannot use this configuration" in err and "Traceback" not in err
        return
    assert status == 0, err
    if change == "source":
        assert "very high" in page.read_text(encoding="utf-8")
    if change in ("site edited", "site file removed"):
        assert "edited by hand" not in page.read_text(encoding="utf-8")


def test_warnings_are_repeated_when_nothing_is_rebuilt(mini: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["build", str(mini), "--out", str(out)]) == 0
    first = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning") or ": warning" in line]
    assert main(["build", str(mini), "--out", str(out)]) == 0
    again = capsys.readouterr().err
    assert "Nothing changed" in again
    for line in first:
        assert line in again


def test_one_edit_rebuilds_only_the_sites_that_show_it(demo_copy: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["build", str(demo_copy), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    before = {p.relative_to(out).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    source = next(demo_copy.glob("local-authorities/brackenford/sources/*-int-01.md"))
    source.write_text(source.read_text(encoding="utf-8") + "\n*Zorblatt note added for the test.*\n", "utf-8")
    assert main(["build", str(demo_copy), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Building with MkDocs: 2 sites" in err and "unchanged site(s) reused" in err
    after = {p.relative_to(out).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    assert set(after) == set(before)
    changed = {name for name in after if after[name][1] != before[name][1]}
    assert any(name.startswith("la/brackenford/") for name in changed)
    assert any(name.startswith("cross-case/") for name in changed)
    assert not any(name.startswith("la/") and not name.startswith("la/brackenford/") for name in changed)
    # another LA's site, its Welsh site nested inside it included, is the very files that were published
    assert after["la/cwm-derwen/cy/index.html"][0] == before["la/cwm-derwen/cy/index.html"][0]
    assert after["la/harrowmere/index.html"][0] == before["la/harrowmere/index.html"][0]
    assert "Zorblatt note" in (out / "la/brackenford/sources" / source.with_suffix(".html").name).read_text("utf-8")


def spy_on_digest_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files reuse.folder_digest reads from now on (other reads are not counted)."""
    from generator import reuse

    read: list[Path] = []
    digest, original = reuse.folder_digest, reuse.Path.read_bytes

    def reading(self: Path) -> bytes:
        read.append(self)
        return original(self)

    def spied(*args, **kwargs):  # type: ignore[no-untyped-def]
        with monkeypatch.context() as inside:
            inside.setattr(reuse.Path, "read_bytes", reading)
            return digest(*args, **kwargs)

    monkeypatch.setattr(reuse, "folder_digest", spied)
    return read


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def cold_build(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Path]:
    """The same content built from nothing: another folder, no records, no chart cache."""
    import shutil

    copy = tmp_path / "cold" / "content"
    shutil.copytree(content, copy)
    status = main(["build", str(copy), "--out", str(tmp_path / "cold" / "site"), "--quiet"])
    return status, capsys.readouterr().err.replace(str(copy.parent), "<root>"), tmp_path / "cold" / "site"


def test_an_edit_in_one_la_keeps_the_others_and_builds_what_a_cold_build_does(
        mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    build(mini, out, capsys)
    source = mini / "las/north/nb-int-01.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n*A note added after the interview.*\n", "utf-8")
    assert main(["build", str(mini), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Computing and rendering: 2 sites" in err and "1 site(s) whose inputs did not change kept as published" in err
    assert "page(s) whose text did not change kept as published" in err  # MkDocs built only the pages edited
    status, _, cold = cold_build(mini, tmp_path, capsys)
    assert status == 0
    assert files_of(out) == files_of(cold)


def kept_pages(err: str) -> int:
    import re

    found = re.search(r"(\d+) page\(s\) whose text did not change kept as published", err)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("edit", ["new heading", "title", "hand-edited page", "nav"])
def test_pages_kept_by_mkdocs_are_what_a_full_build_writes(edit: str, mini: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # The pages MkDocs does not build again, and their search entries, must be byte for byte what a build
    # from nothing writes: after an edit that adds search entries, one that changes a title every page's
    # navigation shows, a published page edited by hand, and a new page in the navigation.
    out = tmp_path / "site"
    build(mini, out, capsys)
    source = mini / "las/north/nb-int-01.md"
    if edit == "new heading":
        source.write_text(source.read_text(encoding="utf-8") + "\n**Researcher:** Zorblatt follow-up question?\n",
                          "utf-8")
        summary = mini / "las/north/oakfield-S1.md"
        summary.write_text(summary.read_text(encoding="utf-8") + "\n## Zorblatt heading\n\nA new section.\n", "utf-8")
    elif edit == "title":
        site = mini / "las/north/site.md"
        site.write_text(site.read_text(encoding="utf-8").replace("name: Oakfield", "name: Oakfield Zorblatt"), "utf-8")
    elif edit == "hand-edited page":
        page = out / "cross-case" / "coding-frame.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>Zorblatt by hand</p></body>"), "utf-8")
        source.write_text(source.read_text(encoding="utf-8") + "\n*Zorblatt note.*\n", "utf-8")
    elif edit == "nav":
        (mini / "las/north/nb-int-02.md").write_text(
            source.read_text(encoding="utf-8").replace("id: nb-int-01", "id: nb-int-02"), "utf-8")
    status = main(["build", str(mini), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 0, err
    if edit == "new heading":
        assert kept_pages(err) > 0
    if edit in ("title", "nav"):  # every page's navigation changed: all built again
        assert kept_pages(err) == 0
    status, _, cold = cold_build(mini, tmp_path, capsys)
    assert status == 0
    built, expected = files_of(out), files_of(cold)
    assert set(built) == set(expected)
    assert [name for name in built if built[name] != expected[name]] == []
    if edit == "new heading":
        index = (out / "cross-case/search/search_index.json").read_text(encoding="utf-8")
        assert "Zorblatt heading" in index and "Zorblatt follow-up" in index


@pytest.mark.parametrize("configuration", ["ours", "a project's own, with a plugin we do not know"])
def test_an_edit_never_writes_into_the_published_files_it_links(configuration: str, mini: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # MkDocs builds an edit over the published site with its kept pages hard-linked, not copied. A write
    # through one of those links would change the live site while a reader has it open: every file of the
    # last publication must keep its bytes, read through links of our own taken before the rebuild.
    from generator.render.environment import TEMPLATES

    if configuration != "ours":  # a plugin that may write anywhere: nothing is linked
        (mini.parent / "mkdocs.yml").write_text(
            f"INHERIT: {TEMPLATES / 'mkdocs.yml'}\nplugins:\n  - search\n  - offline\n  - tags\n", encoding="utf-8")
    out = tmp_path / "site"
    build(mini, out, capsys)
    held = tmp_path / "held"
    before = {}
    for path in out.rglob("*"):  # every site's files, the landing page and the build reports
        if path.is_file():
            name = path.relative_to(out).as_posix()
            (held / name).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, held / name)
            before[name] = path.read_bytes()
    source = mini / "las/north/nb-int-01.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n*A Zorblatt note.*\n", "utf-8")
    summary = mini / "las/north/oakfield-S1.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n## Zorblatt heading\n\nA new section.\n", "utf-8")
    build(mini, out, capsys)
    assert {name: (held / name).read_bytes() for name in before} == before
    pages = [name for name in before if name.endswith(".html") and name.startswith("cross-case/")]  # built over
    shared = [name for name in pages if (out / name).is_file() and os.path.samefile(out / name, held / name)]
    if configuration == "ours":
        assert len(shared) > len(pages) // 2  # the kept pages are the published files, not copies of them
        assert "nb-int-01" not in " ".join(shared)  # the edited page is a new file
    else:
        assert shared == []
    assert "Zorblatt heading" in (out / "cross-case/search/search_index.json").read_text(encoding="utf-8")
    status, _, cold = cold_build(mini, tmp_path, capsys) if configuration == "ours" else (0, "", None)
    assert status == 0
    if cold is not None:
        built, expected = files_of(out), files_of(cold)
        assert [name for name in set(built) | set(expected) if built.get(name) != expected.get(name)] == []


def test_an_edits_record_reads_only_the_files_mkdocs_wrote_and_a_tampered_kept_page_is_still_seen(
        mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # After an edit, the record's digest of the cross-case site takes each page MkDocs kept (a link to a
    # file checked at the start) from the last record; a kept page tampered with before the next edit, its
    # time put back, is still found (its change time is new) and built again.
    import time

    from generator import reuse

    monkeypatch.setattr(reuse, "RACY_NS", 0)
    out = tmp_path / "site"
    build(mini, out, capsys)
    time.sleep(0.05)
    source = mini / "las/north/nb-int-01.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n*One more note.*\n", "utf-8")
    build(mini, out, capsys)  # the first record with every file's digest
    read = spy_on_digest_reads(monkeypatch)
    source.write_text(source.read_text(encoding="utf-8") + "\n*And another.*\n", "utf-8")
    build(mini, out, capsys)
    monkeypatch.undo()
    monkeypatch.setattr(reuse, "RACY_NS", 0)
    pages = [p for p in (out / "cross-case").rglob("*.html")]
    read_pages = [p for p in read if p.suffix == ".html" and (out / "cross-case") in p.parents]
    assert read_pages and len(read_pages) < len(pages) // 2, (len(read_pages), len(pages))
    assert out / "cross-case/sources/nb-int-01.html" in read_pages  # built again, so read

    page = out / "cross-case" / "coding-frame.html"
    assert page not in read_pages
    stat = page.stat()
    text = page.read_text(encoding="utf-8")
    with open(page, "r+", encoding="utf-8") as handle:
        handle.write(text.replace("e", "Z", 1))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    source.write_text(source.read_text(encoding="utf-8") + "\n*A third.*\n", "utf-8")
    build(mini, out, capsys)
    assert page.read_text(encoding="utf-8") == text
    status, _, cold = cold_build(mini, tmp_path, capsys)
    assert status == 0 and files_of(out) == files_of(cold)


def test_a_name_new_in_another_la_has_a_kept_site_scanned_again(mini: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # South's site takes the name of a code north's pages show: only south's own file changes, but the
    # names north's site must not hold are new, so north is built and scanned again, as a cold build would.
    out = tmp_path / "site"
    build(mini, out, capsys)
    site = mini / "las/south/site.md"
    site.write_text(site.read_text(encoding="utf-8").replace("name: Elmstead", "name: Poverty raised unprompted"), "utf-8")
    status = main(["build", str(mini), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err.replace(str(mini.parent), "<root>")
    cold_status, cold_err, _ = cold_build(mini, tmp_path, capsys)
    assert (status, status) == (cold_status, 1)
    found = sorted(line for line in err.splitlines() if "Poverty raised unprompted" in line)
    assert found and found == sorted(line for line in cold_err.splitlines() if "Poverty raised unprompted" in line)


@pytest.mark.parametrize("tamper", ["edited in place", "replaced, time put back"])
def test_a_kept_site_trusted_by_its_files_stat_is_still_built_again_when_tampered_with(
        tamper: str, mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # A kept site's digest is taken from the last record when every file has the size, time and inode it
    # had (no reading); an edit in place gets a new time, a replaced file a new inode: either is rebuilt.
    import os
    import time

    from generator import reuse

    out = tmp_path / "site"
    build(mini, out, capsys)
    time.sleep(reuse.RACY_NS / 1e9 + 0.1)  # the files are now old enough for their stat to be recorded
    source = mini / "las/north/nb-int-01.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n*One more note.*\n", "utf-8")
    build(mini, out, capsys)  # south kept: its record now carries the stat of its files
    records = reuse.load(mini.parent / ".cache", out)
    assert records["south"]["stats"], "south's files were old enough: their stat is recorded"
    read = spy_on_digest_reads(monkeypatch)  # files folder_digest reads
    source.write_text(source.read_text(encoding="utf-8") + "\n*And another.*\n", "utf-8")
    build(mini, out, capsys)
    assert read and not [p for p in read if (out / "la" / "south") in p.parents]  # south trusted by stat, not read
    monkeypatch.undo()

    page = out / "la" / "south" / "index.html"
    text = page.read_text(encoding="utf-8")
    tampered = text.replace("e", "Z", 1)
    assert len(tampered) == len(text)  # the same size: only the time or the inode can tell
    stat = page.stat()
    if tamper == "edited in place":
        with open(page, "r+", encoding="utf-8") as handle:
            handle.write(tampered)
    else:
        spare = page.with_suffix(".tmp")
        spare.write_text(tampered, encoding="utf-8")
        os.replace(spare, page)
        os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    source.write_text(source.read_text(encoding="utf-8") + "\n*A third.*\n", "utf-8")
    build(mini, out, capsys)
    assert page.read_text(encoding="utf-8") == text  # built again, the tampering gone
    status, _, cold = cold_build(mini, tmp_path, capsys)
    assert status == 0 and files_of(out) == files_of(cold)


@pytest.mark.parametrize("tamper", ["none", "page edited in place", "page replaced, time put back",
                                    "build report edited, time put back"])
def test_nothing_changed_is_told_by_the_outputs_stat_and_a_tampered_output_is_built_again(
        tamper: str, mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The record of a build tells its output by every file's size, time and inode (the build reports by
    # their bytes), so a rebuild with nothing changed reads no output file; any of these edits is seen.
    import os

    from generator import fingerprint, reuse

    monkeypatch.setattr(reuse, "RACY_NS", 0)  # every file old enough for its stat to be trusted
    out = tmp_path / "site"
    build(mini, out, capsys)
    read: list[str] = []
    monkeypatch.setattr(fingerprint, "output_digest", lambda folder: read.append(str(folder)) or "")
    page = out / "la" / "south" / "index.html"
    target = out / "build-report.json" if tamper.startswith("build report") else page
    stat = target.stat()
    text = target.read_text(encoding="utf-8")
    tampered = text.replace('"python": "3', '"python": "4', 1) if target.suffix == ".json" else text.replace("e", "Z", 1)
    assert tampered != text and len(tampered) == len(text)  # the same size: only the time, inode or bytes tell
    if tamper.endswith("in place") or tamper.startswith("build report"):
        with open(target, "r+", encoding="utf-8") as handle:
            handle.write(tampered)
    elif tamper.startswith("page replaced"):
        target.unlink()
        target.write_text(tampered, encoding="utf-8")
    if tamper != "none" and not tamper.endswith("in place"):
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = build(mini, out, capsys)
    assert read == []  # told by stat alone
    if tamper == "none":
        assert again.startswith("Nothing changed")
    else:
        assert again.startswith("Built ")
        assert target.read_text(encoding="utf-8") != tampered
