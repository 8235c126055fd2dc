"""The registry of document kinds drives the loader, the checks, the pages, the guide and the schema."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Literal

import pytest

from generator import docs, schema
from generator.content import kinds, loader
from generator.content.kinds import BY_NAME, KINDS, Kind, function
from generator.content.models import Document

from ..conftest import problems_of


def test_every_declared_function_exists() -> None:
    for kind in KINDS:
        for reference in (*kind.checks, kind.reads, kind.page):
            if reference is not None:
                assert callable(function(reference)), (kind.name, reference)


def test_each_kind_has_a_collection_on_the_study() -> None:
    fields = {f.name for f in dataclasses.fields(loader.Study)}
    assert {kind.collection for kind in KINDS} <= fields
    assert len({kind.collection for kind in KINDS}) == len(KINDS)
    assert len(BY_NAME) == len(KINDS)


def test_the_guide_and_the_schema_list_every_kind_in_registry_order() -> None:
    guide = docs.authoring_guide()
    positions = [guide.index(f"## `type: {kind.name}`") for kind in KINDS]
    assert positions == sorted(positions)
    assert schema.document_schema()["properties"]["type"]["enum"] == [kind.name for kind in KINDS]
    for kind in KINDS:
        assert f"type: {kind.name}" in guide.split("```text")[1].split("```")[0]  # the layout block


class Memo(Document):
    """A team memo (declared only by the test's registry entry)."""

    type: Literal["memo"]
    id: str
    la: str


def _check_memos(study: loader.Study, references: object, problems: list) -> None:
    from generator.errors import Problem

    for memo in study.memos:  # type: ignore[attr-defined]
        if memo.model.la not in references.las:  # type: ignore[attr-defined]
            problems.append(Problem(memo.at("la"), f"la: no local authority '{memo.model.la}'"))


@pytest.fixture
def with_memos(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new kind added as a contributor would: one registry entry and a field on Study."""
    memo = Kind("memo", Memo, "memo", "memos", "memos/<memo>.md", owner=lambda model, sites: model.la,
                checks=(f"{__name__}:_check_memos",))
    registry = (*KINDS, memo)
    monkeypatch.setattr(kinds, "KINDS", registry)
    monkeypatch.setattr(kinds, "BY_NAME", {k.name: k for k in registry})
    monkeypatch.setattr(kinds, "BY_MODEL", {k.model: k for k in registry})
    for module in (loader, docs, schema):
        for name in ("KINDS", "BY_NAME"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, getattr(kinds, name))
    import generator.validate as validate

    monkeypatch.setattr(validate, "KINDS", registry)
    monkeypatch.setattr(loader.Study, "memos", None, raising=False)
    original_init = loader.Study.__init__

    def init(self: loader.Study, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]
        self.memos = []  # type: ignore[attr-defined]

    monkeypatch.setattr(loader.Study, "__init__", init)


def test_a_new_kind_is_loaded_checked_documented_and_given_a_schema(with_memos: None, mini: Path) -> None:
    (mini / "memos").mkdir()
    (mini / "memos/m1.md").write_text("---\ntype: memo\nid: m1\nla: north\n---\nA memo.\n")
    (mini / "memos/m2.md").write_text("---\ntype: memo\nid: m1\nla: nowhere\n---\nAnother.\n")
    study, _ = loader.load_study(mini)
    assert [m.model.id for m in study.memos] == ["m1", "m1"]  # type: ignore[attr-defined]
    assert kinds.owner_la(study.memos[0], {}) == "north"  # type: ignore[attr-defined]
    assert problems_of(mini) == [
        "content/memos/m2.md:3: duplicate memo id 'm1': also used by content/memos/m1.md:3",
        "content/memos/m2.md:4: la: no local authority 'nowhere'",
    ]
    assert "## `type: memo`\n\nA team memo" in docs.authoring_guide()
    assert "memo" in schema.document_schema()["properties"]["type"]["enum"]


def test_ids_are_unique_for_every_kind_that_has_them(mini: Path, tmp_path: Path) -> None:
    # two documents of a kind with one id would share one page
    shutil.copy(mini / "las/north/nb-int-01.md", mini / "las/north/copy.md")
    assert problems_of(mini)[0] == ("content/las/north/nb-int-01.md:3: duplicate source id 'nb-int-01': "
                                    "also used by content/las/north/copy.md:3")
    for kind in KINDS:
        assert kind.unique_id or kind.single or kind.name == "code_document"


def test_a_second_project_is_refused_by_its_declaration(mini: Path) -> None:
    shutil.copy(mini / "project.md", mini / "again.md")
    assert any("a second project document; the first is content/" in p for p in problems_of(mini))


def test_surveys_with_one_id_are_refused(demo_copy: Path) -> None:
    surveys = sorted(demo_copy.rglob("surveys/*.md"))
    assert surveys, "the demo has a survey"
    first = surveys[0]
    twin = first.with_name("twin.md")
    twin.write_text(first.read_text())  # it reads the same wave files, so only its id is wrong
    messages = problems_of(demo_copy)
    assert any("twin.md" in m and "duplicate survey id" in m for m in messages), messages
