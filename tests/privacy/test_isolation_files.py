"""LA isolation through file paths: a document may read only files its own LA may publish."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline import load_and_validate

DATASET = """---
type: dataset
id: {id}
title: Staff
file: {file}
{la}columns:
  - {{name: year, type: string, role: year}}
  - {{name: social_workers, type: integer, unit: FTE, role: count}}
provenance: Fixture figures.
licence: CC0 1.0
---
"""


def errors(mini: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_and_validate(mini)
    return [str(p) for p in error.value.problems]


def write(mini: Path, where: str, file: str, la: str | None) -> Path:
    path = mini / where
    path.write_text(DATASET.format(id="borrowed", file=file, la=f"la: {la}\n" if la else ""))
    return path


@pytest.mark.parametrize("file", [
    "../south/sw-staff.csv",
    '"..\\x2Fsouth\\x2Fsw-staff.csv"',  # a YAML escape for the slash
    '"..\\u002Fsouth\\u002Fsw-staff.csv"',
    "./../south/./sw-staff.csv",
    "../../las/south/sw-staff.csv",
])
def test_an_la_dataset_may_not_read_another_las_csv(mini: Path, file: str) -> None:
    write(mini, "las/north/borrowed.md", file, "north")
    found = [e for e in errors(mini) if e.startswith("content/las/north/borrowed.md:")]
    assert any("lies in the folder of local authority 'south'" in e for e in found), found


def test_an_absolute_path_to_another_las_csv_is_refused(mini: Path) -> None:
    target = (mini / "las/south/sw-staff.csv").resolve()
    write(mini, "las/north/borrowed.md", str(target), "north")
    assert any("borrowed.md" in e and "south" in e for e in errors(mini))


def test_a_symlink_into_another_las_folder_is_refused(mini: Path) -> None:
    os.symlink(mini / "las/south/sw-staff.csv", mini / "las/north/linked.csv")
    write(mini, "las/north/borrowed.md", "linked.csv", "north")
    assert any("borrowed.md" in e and "local authority 'south'" in e for e in errors(mini))


def test_a_shared_dataset_may_not_read_an_las_csv(mini: Path) -> None:
    write(mini, "borrowed.md", "las/south/sw-staff.csv", None)
    found = [e for e in errors(mini) if e.startswith("content/borrowed.md:")]
    assert found and "a shared document" in found[0]


def test_an_la_reads_its_own_files(mini: Path) -> None:
    (mini / "las/north/more").mkdir()
    (mini / "las/north/more/copy.csv").write_bytes((mini / "las/north/nb-staff.csv").read_bytes())
    write(mini, "las/north/borrowed.md", "more/copy.csv", "north")
    study, _ = load_and_validate(mini)
    assert next(d for d in study.datasets if d.model.id == "borrowed").table is not None
