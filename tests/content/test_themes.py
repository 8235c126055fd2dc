"""The coding frame's themes and code tree: declared by the study, never the demo's."""

from __future__ import annotations

from pathlib import Path


from generator.content.themes import PALETTE, resolve_themes
from generator.pipeline import load_and_validate
from generator.resolve import resolve_site
from generator.render.pages import render_site_pages
from ..conftest import problems_of


def declare(mini: Path, themes: str) -> None:
    project = mini / "project.md"
    project.write_text(project.read_text().replace("fictional: true\n", f"fictional: true\nthemes:\n{themes}"))


def test_declared_themes_keep_their_order_and_colours_and_codes_name_them_by_id_or_label(mini: Path) -> None:
    declare(mini, "  - {id: money, label: Money troubles, colour: '#123456'}\n  - {id: staff, label: Staffing}\n")
    for code, theme in (("P1", "Money TROUBLES"), ("S1", "staff")):
        path = mini / "codes" / f"{code}.md"
        path.write_text("\n".join(f"group: {theme}" if line.startswith("group:") else line
                                  for line in path.read_text().splitlines()) + "\n")
    study, _ = load_and_validate(mini)
    themes = resolve_themes(study.project.model, [c.model for c in study.codes])
    assert [(t.id, t.label, t.colour) for t in themes.all] == [("money", "Money troubles", "#123456"),
                                                              ("staff", "Staffing", PALETTE[1])]
    assert {code: theme.id for code, theme in themes.of.items()} == {"P1": "money", "S1": "staff"}
    pages = {p.path: p.markdown for p in render_site_pages(resolve_site(study, "north"))}
    assert "## Money troubles" in pages["coding-frame.md"] and "## Staffing" in pages["coding-frame.md"]
    assert 'style="--gen-colour: #123456">Money troubles</th>' in pages["matrix.md"]
    for demo_theme in ("Poverty", "Supply"):  # the codes' old theme names are gone (their labels stay)
        assert f"## {demo_theme}" not in pages["coding-frame.md"] and f">{demo_theme}</th>" not in pages["matrix.md"]


def test_without_declared_themes_each_name_a_code_uses_is_a_theme(mini: Path) -> None:
    study, _ = load_and_validate(mini)
    themes = resolve_themes(study.project.model, [c.model for c in study.codes])
    assert [(t.id, t.label) for t in themes.all] == [("poverty", "Poverty"), ("supply", "Supply")]


def test_a_theme_the_project_does_not_declare_is_an_error_with_a_hint(mini: Path) -> None:
    declare(mini, "  - {id: poverty, label: Poverty}\n  - {id: supplies, label: Supplies}\n")
    assert problems_of(mini) == [
        "content/codes/S1.md:4: group: unknown theme 'Supply' (did you mean 'Supplies'?) "
        "(themes are declared under `themes:` in project.md)",
    ]


def test_code_ids_are_slugs_as_researchers_write_them_and_may_form_a_tree(mini: Path) -> None:
    (mini / "codes" / "barriers.md").write_text(
        "---\ntype: code\nid: barriers\ngroup: Context\nlabel: Barriers\ndescription: What stands in the way.\n---\n")
    (mini / "codes" / "barriers.transport.md").write_text(
        "---\ntype: code\nid: barriers.transport\nparent: barriers\ngroup: Context\nlabel: Transport\n"
        "description: Getting to the service.\n---\n")
    study, _ = load_and_validate(mini)
    assert {c.model.id: c.model.parent for c in study.codes} == {
        "P1": None, "S1": None, "barriers": None, "barriers.transport": "barriers"}


def test_an_unknown_parent_a_loop_and_a_bad_id_are_errors(mini: Path) -> None:
    for code, parent in (("a", "b"), ("b", "a"), ("c", "nowhere")):
        (mini / "codes" / f"{code}.md").write_text(
            f"---\ntype: code\nid: {code}\nparent: {parent}\ngroup: Context\nlabel: {code}\ndescription: d.\n---\n")
    (mini / "codes" / "bad.md").write_text(
        "---\ntype: code\nid: bad id!\ngroup: Context\nlabel: Bad\ndescription: d.\n---\n")
    problems = problems_of(mini)
    assert any(p.startswith("content/codes/bad.md:3: id:") for p in problems), problems
    assert "content/codes/a.md:4: parent: the code tree loops back to this code (a → b → a); " \
           "a code cannot be its own ancestor" in problems
    assert any(p.startswith("content/codes/c.md:4: parent: unknown code 'nowhere'") for p in problems), problems


def test_without_declared_themes_a_name_one_code_uses_near_another_is_a_warning(mini: Path) -> None:
    (mini / "codes" / "P2.md").write_text(
        "---\ntype: code\nid: P2\ngroup: Povrty\nlabel: Debt\ndescription: Debt comes up.\n---\n")
    _, warnings = load_and_validate(mini)
    assert [str(w) for w in warnings] == [
        "content/codes/P2.md:4: warning: group: theme 'Povrty' is used by this code only (did you mean 'Poverty'?) "
        "(declare the themes under `themes:` in project.md to have each name checked)"]
