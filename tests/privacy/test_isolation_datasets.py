"""LA isolation knows every authority a dataset names, not only the study's own (issue 12, item 5).

A real DfE release covers all 152 English LAs; its data guidance names
Hackney. The study here has two fictional LAs mapped onto two real ones
(Camden = north, Hackney = south): north's site may name Camden, never
Hackney nor any of the other 150, and both guards (`check` and the final
scan of the built site) must know them all.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.content.loader import load_study
from generator.leaks import find_leaks, foreign_names
from generator.validate import validate_study
from tests.conftest import FIXTURES

D1 = "dfe_official/d1_child_protection_plans_2013_to_2022.csv"
SIMD = "scotland/SIMD2020v2_indicators.csv"
GUIDANCE_NOTE = ("Data for the years ending 31 March 2021 and 2022 is not available for Hackney local authority, "
                 "therefore 2020 data for Hackney has been included in 2021 and 2022 national totals.")


def _import(content: Path, shared_data: Path) -> None:
    la_map = content.parent / "la-map.csv"
    la_map.write_text("code,la\nE09000007,north\nE09000012,south\n", encoding="utf-8")
    # the guidance sits beside the file: copy both into a scratch folder (never into the project)
    release = content.parent / "release"
    release.mkdir()
    for name in (D1, "dfe_official/cin_2022_data-guidance.txt"):
        shutil.copy(shared_data / name, release)
    assert main(["import", "dfe", str(release / Path(D1).name), "--out", str(content / "data"), "--id", "cpp",
                 "--la-map", str(la_map), "--source-url",
                 "https://explore-education-statistics.service.gov.uk/find-statistics/characteristics-of-children-in-need"]) == 0
    assert main(["import", "simd", str(shared_data / SIMD), "--out", str(content / "data"), "--id", "simd"]) == 0


@pytest.fixture(scope="module")
def study_root(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    root = tmp_path_factory.mktemp("datasets") / "content"
    shutil.copytree(FIXTURES / "mini", root)
    _import(root, shared_data)
    return root


def _la_names(shared_data: Path) -> set[str]:
    """Every English LA name in the DfE file and every Scottish council area in SIMD, read with the csv module."""
    with (shared_data / D1).open(encoding="utf-8-sig", newline="") as stream:
        english = {r["la_name"] for r in csv.DictReader(stream) if r["geographic_level"] == "Local authority"}
    with (shared_data / SIMD).open(encoding="utf-8-sig", newline="") as stream:
        scottish = {r["Council_area"] for r in csv.DictReader(stream)}
    return english | scottish


def test_the_importer_links_the_guidance_and_names_no_authority_in_prose(study_root: Path) -> None:
    document = (study_root / "data/cpp.md").read_text(encoding="utf-8")
    assert "Hackney" not in document
    assert "la_names:\n- la_name\n- new_la_code\n" in document
    assert "https://explore-education-statistics.service.gov.uk/find-statistics/characteristics-of-children-in-need" in document
    assert "cin_2022_data-guidance.txt" in document  # where DfE's notes are


def test_every_authority_in_the_datasets_is_foreign_to_north(study_root: Path, shared_data: Path) -> None:
    study, problems = load_study(study_root)
    assert not [p for p in problems if p.severity.name == "ERROR"], [str(p) for p in problems]
    names = _la_names(shared_data)
    # 155 English names over 2013-2022 (152 a year, with boundary changes: BCP, the Northamptonshires) and 32 councils
    assert len(names) == 155 + 32
    foreign = foreign_names(study, "north")
    assert names - {"Camden"} <= set(foreign)
    assert "Camden" not in foreign and "E09000007" not in foreign  # north's own, through the LA map
    assert foreign["Hackney"].la == "south"  # a study LA, known by its real name through the map
    assert foreign["E09000012"].la == "south"
    assert foreign["Glasgow City"].describe() == "a local authority in dataset 'simd'"
    assert not any(name.isdigit() for name in foreign)  # DfE's 3-digit codes are numbers in any text


def test_the_clean_study_checks_and_builds(study_root: Path, tmp_path: Path) -> None:
    study, _ = load_study(study_root)
    assert [str(p) for p in validate_study(study) if "mentions" in p.message] == []
    assert build(study_root, out=tmp_path / "site", la="north", quiet=True) == 0


def test_guidance_prose_pasted_into_a_shared_dataset_is_a_check_error(
        study_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(study_root, root)
    document = root / "data/cpp.md"
    document.write_text(document.read_text(encoding="utf-8") + f"\nDfE's notes:\n\n- {GUIDANCE_NOTE}\n", encoding="utf-8")
    study, _ = load_study(root)
    mentions = [str(p) for p in validate_study(study) if "mentions" in p.message]
    line = document.read_text(encoding="utf-8").splitlines().index(f"- {GUIDANCE_NOTE}") + 1
    assert any(m.startswith(f"content/data/cpp.md:{line}: mentions 'Hackney', which belongs to local authority 'south'")
               and "link to the publisher's notes" in m for m in mentions), mentions


@pytest.fixture(scope="module")
def north_site(study_root: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("north") / "site"
    assert build(study_root, out=out, la="north", quiet=True) == 0
    study, _ = load_study(study_root)
    return out, foreign_names(study, "north")  # type: ignore[return-value]


@pytest.mark.parametrize("text, found", [
    ("Compared with Hackney last year.", "'Hackney' (local authority 'south')"),
    ("Compared with Kingston upon Hull, City of.", "'Kingston upon Hull, City of' (a local authority in dataset 'cpp')"),
    ("Compared with E08000012.", "'E08000012' (a local authority in dataset 'cpp')"),  # Liverpool's ONS code
    ("Compared with Na h-Eileanan an Iar.", "'Na h-Eileanan an Iar' (a local authority in dataset 'simd')"),
    ("Compared with ＲＥＡＤＩＮＧ.", "'Reading' (a local authority in dataset 'cpp')"),
    ("Compared with R\u200beading.", "'Reading' (a local authority in dataset 'cpp')"),
    ("Reading the files, we saw reading and bury in highland fields.", "'Reading'"),
    ("After reading, we bury the highland notes in Camden.", None),
])
def test_the_final_scan_finds_any_authority_of_the_datasets(
        north_site: tuple[Path, dict[str, object]], text: str, found: str | None) -> None:
    site, names = north_site
    page = site / "tampered.html"
    page.write_text(f"<p>{text}</p>", encoding="utf-8")
    try:
        problems = [str(p) for p in find_leaks(site, names, "site")]  # type: ignore[arg-type]
    finally:
        page.unlink()
    if found is None:
        assert problems == []  # lower-case words, and north's own authority
    else:
        assert len(problems) == 1 and problems[0].startswith("site/tampered.html: names ") and found in problems[0], problems
