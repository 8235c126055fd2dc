"""`generator schema`: a JSON Schema (draft 2020-12) for the front-matter of each document type.

The schemas come from the same declarations as validation and the authoring
guide (generator.content.kinds and .models), so they cannot drift from what `check`
accepts; `check` still does more (cross-references, consent, the register).
`document.schema.json` takes any document and picks the type's schema by its
`type` field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .content.kinds import BY_NAME

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def type_schema(kind: str) -> dict[str, Any]:
    """The schema of one document type's front-matter."""
    schema = BY_NAME[kind].model.model_json_schema(mode="validation")
    return {"$schema": DIALECT, "$id": f"{kind}.schema.json", **schema}


def document_schema() -> dict[str, Any]:
    """One schema for any document: its `type` chooses which type's schema applies."""
    return {
        "$schema": DIALECT,
        "$id": "document.schema.json",
        "title": "Front-matter of a content document",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(BY_NAME)}},
        "allOf": [{"if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                   "then": {"$ref": f"{kind}.schema.json"}} for kind in BY_NAME],
    }


def write_schemas(out: Path) -> list[Path]:
    """Write every type's schema and the document schema into ``out``; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in [*((f"{kind}.schema.json", type_schema(kind)) for kind in BY_NAME),
                         ("document.schema.json", document_schema())]:
        path = out / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
