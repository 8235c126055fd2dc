"""`generator schema` against a standard validator (jsonschema, draft 2020-12): the demo passes, errors fail."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.content.frontmatter import parse_document
from generator.content.kinds import BY_NAME
from generator.schema import write_schemas

from .conftest import run_cli

DEMO = Path(__file__).resolve().parents[1] / "content"


def as_editor_reads(value: Any) -> Any:
    """Front-matter as a YAML language server sees it: dates are strings."""
    if isinstance(value, dict):
        return {key: as_editor_reads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editor_reads(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator(tmp_path_factory: pytest.TempPathFactory) -> Draft202012Validator:
    out = tmp_path_factory.mktemp("schemas")
    status, _, stderr = run_cli("schema", "--out", str(out))
    assert status == 0, stderr
    schemas = {path.name: json.loads(path.read_text()) for path in out.glob("*.json")}
    assert set(schemas) == {f"{kind}.schema.json" for kind in BY_NAME} | {"document.schema.json"}
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in schemas.items())
    return Draft202012Validator(schemas["document.schema.json"], registry=registry)


def demo_documents() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(DEMO.rglob("*.md")):
        parsed = parse_document(path.read_text(encoding="utf-8"))
        assert parsed is not None, path
        found.append((path, as_editor_reads(parsed.data)))
    return found


def test_every_demo_document_passes(validator: Draft202012Validator) -> None:
    documents = demo_documents()
    assert len(documents) > 100 and {d["type"] for _, d in documents} >= {"project", "source", "code", "survey"}
    failures = [(path.relative_to(DEMO).as_posix(), error.message)
                for path, data in documents for error in validator.iter_errors(data)]
    assert failures == []


@pytest.mark.parametrize("change, expected", [
    (lambda d: d | {"type": "cod"}, "is not one of"),
    (lambda d: d | {"colour": "blue"}, "Additional properties are not allowed"),
    (lambda d: d | {"id": "bad id!"}, "does not match"),
    (lambda d: {k: v for k, v in d.items() if k != "label"}, "'label' is a required property"),
])
def test_a_wrong_document_fails(validator: Draft202012Validator, change: Any, expected: str) -> None:
    code = next(data for _, data in demo_documents() if data["type"] == "code")
    assert not list(validator.iter_errors(code))
    errors = [error.message for error in validator.iter_errors(change(code))]
    assert any(expected in message for message in errors), errors
