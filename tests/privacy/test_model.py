"""The resolved site model: pages are made from one per-site, per-audience value and nothing else.

These tests attack the construction rather than the output: the model must hold
no handle to the whole study, templates must not be able to reach past what
they are given, and material shared between LAs (a meta-inference about
several) must not carry one LA's words into another's site.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from jinja2.exceptions import SecurityError, UndefinedError
from pydantic import BaseModel

from generator.build import build, resolve_sites
from generator.content.loader import Loaded, Study, owner_la
from generator.pipeline import load_and_validate
from generator.render.environment import make_environment
from generator.resolve import resolve_site

from ..conftest import DEMO


def _values(value: Any, seen: set[int]) -> Iterator[Any]:
    """Every object reachable from ``value`` through fields, lists, dicts and tuples."""
    if id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None))):
        return
    seen.add(id(value))
    yield value
    if isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif isinstance(value, BaseModel):
        children = [getattr(value, name) for name in type(value).model_fields]
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif hasattr(value, "__dict__") and type(value).__module__.startswith("generator"):
        children = list(vars(value).values())
    else:
        children = []
    for child in children:
        yield from _values(child, seen)


@pytest.fixture(scope="module")
def demo_study() -> Study:
    study, _ = load_and_validate(DEMO)
    return study


def test_no_resolved_site_reaches_the_study(demo_study: Study) -> None:
    for resolved in resolve_sites(demo_study, None, "public"):
        found = [type(v).__name__ for v in _values(resolved.view, set()) if isinstance(v, Study)]
        assert found == [], resolved.view.key


def test_an_la_model_holds_only_its_own_documents(demo_study: Study) -> None:
    sites = {s.model.id: s for s in demo_study.sites}
    for la in demo_study.local_authorities:
        view = resolve_site(demo_study, la.model.id, "internal")
        owners = {owner_la(v, sites) for v in _values(view, set()) if isinstance(v, Loaded)}
        assert owners <= {None, la.model.id}, (la.model.id, owners)


def test_consent_is_decided_in_the_model_for_every_extract(demo_study: Study) -> None:
    for audience in ("internal", "public"):
        for resolved in resolve_sites(demo_study, None, audience):
            view = resolved.view
            expected = {f"{s.model.id}#{e.id}" for s in view.sources for e in s.extracts}
            assert set(view.extracts_by_ref) == expected


@pytest.mark.parametrize("template", [
    "{{ view._study }}",
    "{{ view.__class__.__mro__ }}",
    "{{ ''.__class__.__subclasses__() }}",
    "{{ view.sources.append(1) }}",
    "{{ view.__dict__ }}",
])
def test_templates_cannot_reach_past_the_model(demo_study: Study, template: str) -> None:
    view = resolve_site(demo_study, "harrowmere")
    with pytest.raises((SecurityError, UndefinedError)):
        make_environment().from_string(template).render(view=view)


META = """---
type: meta_inference
id: both-las
title: Staffing in both authorities
statement: Caseloads are twenty-south in one of them.
fit: confirmatory
codes: [S1]
las: [north, south]
quantitative: [north-staff, south-staff]
qualitative: [nb-int-01#caseloads, sw-int-01#caseloads]
replication: {north: supports, south: supports}
---

Both interviews agree: caseloads are twenty-north and twenty-south.
"""


def _add_blocks(mini: Path) -> None:
    for la, site, key in (("north", "oakfield", "nb"), ("south", "elmstead", "sw")):
        doc = mini / f"las/{la}/{site}-S1.md"
        doc.write_text(doc.read_text() + f"\n```computed\nid: {la}-staff\ntable: values\ndataset: {key}-staff\n```\n")


def _files_text(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".svg", ".xml", ".js", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".json":
                text = json.dumps(json.loads(text), ensure_ascii=False)
            parts.append(path.relative_to(folder).as_posix() + "\n" + text)
    return "\n".join(parts)


def test_a_meta_inference_about_two_las_stays_on_the_cross_case_site(mini: Path, tmp_path: Path) -> None:
    _add_blocks(mini)
    (mini / "both.md").write_text(META)
    out = tmp_path / "site"
    assert build(mini, out=out, quiet=True) == 0
    cross = _files_text(out / "cross-case")
    assert "meta-inferences/both-las.html" in cross
    north = _files_text(out / "la" / "north")
    for foreign in ("twenty-south", "sw-int-01", "Staffing in both authorities"):
        assert foreign not in north, foreign
    south = _files_text(out / "la" / "south")
    for foreign in ("twenty-north", "nb-int-01", "Staffing in both authorities"):
        assert foreign not in south, foreign
