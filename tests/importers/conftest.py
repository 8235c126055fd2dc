"""Helpers for the importer tests: run `generator import` in process, load what it wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from generator.cli import main

PROJECT = "---\ntype: project\ntitle: T\n---\n"

Importer = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_import(capsys: pytest.CaptureFixture[str]) -> Importer:
    """Return a function running `generator import ARGS`, giving (status, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        try:
            status = main(["import", *map(str, args)])
        except SystemExit as stop:  # argparse usage errors
            status = int(stop.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def make_content(folder: Path) -> Path:
    """Turn ``folder`` into a content folder: add the minimal project.md."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "project.md").write_text(PROJECT, encoding="utf-8")
    return folder


def load_datasets(content: Path) -> dict[str, object]:
    """Load and validate a content folder; fail on any problem; return its datasets by id."""
    from generator.pipeline import load_and_validate

    study, warnings = load_and_validate(content)
    assert [f"{w.location}: {w.message}" for w in warnings] == []  # importers declare every column's role
    return {dataset.model.id: dataset for dataset in study.datasets}


def reasons(table: object) -> dict[str, dict[int, str]]:
    """Return the missing-value reasons the loader kept, by column and row position."""
    return table.attrs["missing_codes"]  # type: ignore[attr-defined,no-any-return]
