"""Hostile input: random and malicious content gives a clear error or a safe page, never a crash or a hang.

Named cases elsewhere: YAML tags and alias bombs (tests/content/test_frontmatter.py), non-UTF-8 files,
paths and symlinks out of content/ and duplicate ids across folders (tests/content/test_loader.py),
template syntax in bodies and script in titles (tests/test_build.py).
"""

from __future__ import annotations

import re
import shutil
import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.errors import ContentError
from generator.pipeline import load_and_validate

from ..conftest import FIXTURES, run_cli

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = ["project", "local_authority", "site", "code", "source", "code_document", "dataset", "meta_inference", "nonsense"]
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% raw %}", "</div></table>",
           "javascript:alert(1)", "&#60;script&#62;", "\u202e", "\x00", "---", ":::", "```computed"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.sampled_from(HOSTILE))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                      max_leaves=12)


def _load(content: Path) -> None:
    try:
        load_and_validate(content)
    except ContentError as error:
        assert error.problems and all(str(p) for p in error.problems)


def _mini_copy() -> tuple[tempfile.TemporaryDirectory, Path]:
    holder = tempfile.TemporaryDirectory()
    content = Path(holder.name) / "content"
    shutil.copytree(FIXTURES / "mini", content)
    return holder, content


@SETTINGS
@given(kind=st.sampled_from(KINDS), fields=st.dictionaries(st.text(string.ascii_lowercase + "_", min_size=1, max_size=12), values, max_size=8),
       body=st.text(max_size=300))
def test_random_front_matter_gives_problems_not_crashes(kind: str, fields: dict, body: str) -> None:
    holder, content = _mini_copy()
    with holder:
        front = yaml.safe_dump({"type": kind, **fields}, allow_unicode=True)
        (content / "random.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        _load(content)


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_a_content_file(raw: bytes) -> None:
    holder, content = _mini_copy()
    with holder:
        (content / "random.md").write_bytes(raw)
        _load(content)


@SETTINGS
@given(rows=st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(HOSTILE), st.integers().map(str)), min_size=1, max_size=4),
                     max_size=6))
def test_random_csv_for_a_dataset(rows: list[list[str]]) -> None:
    holder, content = _mini_copy()
    with holder:
        text = "year,social_workers\n" + "\n".join(",".join(r) for r in rows)
        (content / "las/north/nb-staff.csv").write_text(text, encoding="utf-8")
        _load(content)


@SETTINGS
@given(body=st.text(alphabet=string.printable + "\u00e9\u2019\u202e", max_size=500))
def test_random_extract_markup_in_a_source(body: str) -> None:
    holder, content = _mini_copy()
    with holder:
        source = content / "las/north/nb-int-01.md"
        source.write_text(source.read_text() + "\n::: extract id=x codes=S1\n" + body + "\n:::\n" + body)
        _load(content)


def test_script_and_html_in_every_text_field_make_safe_pages(mini: Path, tmp_path: Path) -> None:
    attack = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    for path in mini.rglob("*.md"):
        text = path.read_text()
        for key in ("title", "name", "label", "description", "role", "pseudonym", "provenance", "licence", "statement"):
            text = re.sub(rf"^(\s*-?\s*{key}:) (.+)$", lambda m: f'{m.group(1)} "{m.group(2).strip(chr(34))} {attack}"',
                          text, flags=re.MULTILINE)
        if "type: source" in text:  # the labels the pseudonyms had (every transcript paragraph has a speaker)
            text = text.replace("**Alex:**", "**tm:**").replace("**Sam:**", "**sw:**") + "\n**Researcher:**"
        path.write_text(text + f"\n{attack}\n")
    csv = mini / "las/north/nb-staff.csv"
    csv.write_text("year,social_workers\n\"2014-15 <script>alert(2)</script>\",41\n2015-16,38\n")
    assert build(mini, out=tmp_path / "site", quiet=True) == 0
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text()
        # the words may appear, escaped, as text or inside a quoted attribute; never as live markup
        assert "<script>alert" not in text, page
        assert "<img src=x" not in text, page


def test_a_50_megabyte_file_is_refused_quickly(mini: Path) -> None:
    big = mini / "codes" / "huge.md"
    with big.open("wb") as handle:
        handle.write(b"---\ntype: code\n---\n")
        handle.truncate(50 * 1024 * 1024)
    status, _, stderr = run_cli("check", str(mini))
    assert status == 1
    assert "content/codes/huge.md: file is 52.4 MB; a content document may be at most 2 MB" in stderr


def test_an_empty_repository_and_a_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    status, _, stderr = run_cli("build", str(tmp_path / "content"), "--out", str(tmp_path / "site"))
    assert status == 1 and "no project document" in stderr and "Traceback" not in stderr
    status, _, stderr = run_cli("check", str(tmp_path / "nowhere"))
    assert status == 1 and "content folder not found" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "site").exists()
