"""axe-core on one page of every page kind of the demo, in both languages and at both screen sizes.

axe-core comes from npm (package.json and package-lock.json at the repository root; `npm ci` installs it,
as .ci/run does). Without it these tests are skipped with that command, except under CI=true, where a
missing axe fails the run, as a missing Chromium does (conftest.py).

Besides each page as it loads, the audit opens what a reader opens (search with its results, the language
list, the phone's navigation drawer, the matrix's other views) and reads the pages in the dark colour scheme
too. The counts of violating elements per page kind, language, size and impact are printed in the terminal
summary (and written to accessibility.json in the test's temporary directory) so the CI log shows them even
when all pass; the test fails on any critical or serious violation.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ..conftest import REPORTS, ROOT, unavailable
from .conftest import serve

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
IMPACTS = ("critical", "serious", "moderate", "minor")
FAILING = ("critical", "serious")

CROSS = "cross-case"
HM = "la/harrowmere"
CD = "la/cwm-derwen"

# (page kind, language, path in the built demo). One page of each kind the generator writes (generator/render/
# pages.py and reports.py: one template each, TEMPLATES below), in every language the demo has it in: the Welsh
# LA's site (cwm-derwen, an improvement team's) has no framework pages, so those kinds are English only.
PAGES: list[tuple[str, str, str]] = [
    ("landing", "en", "index.html"),
    ("study overview", "en", f"{CROSS}/index.html"),
    ("matrix", "en", f"{CROSS}/matrix.html"),
    ("site selection", "en", f"{CROSS}/site-selection.html"),
    ("coding frame", "en", f"{CROSS}/coding-frame.html"),
    ("LA overview (cross-case)", "en", f"{CROSS}/local-authorities/harrowmere.html"),
    ("code document", "en", f"{CROSS}/code-documents/eastgate/C1.html"),
    ("meta-inference index", "en", f"{CROSS}/meta-inferences/index.html"),
    ("meta-inference (joint display)", "en", f"{CROSS}/meta-inferences/harrowmere-demand-outruns-capacity.html"),
    ("meta-inference, 4 LAs", "en", f"{CROSS}/meta-inferences/low-deprivation-label-hides-site-need.html"),
    ("case report", "en", f"{CROSS}/case-reports/harrowmere.html"),
    ("cross-case report", "en", f"{CROSS}/cross-case-report.html"),
    ("sources index", "en", f"{CROSS}/sources/index.html"),
    ("source", "en", f"{CROSS}/sources/hm-fg-01.html"),
    ("dataset", "en", f"{CROSS}/datasets/england-las.html"),
    ("build report", "en", f"{CROSS}/build-report.html"),
    ("not found", "en", f"{CROSS}/404.html"),
    ("LA overview", "en", f"{HM}/index.html"),
    ("LA matrix", "en", f"{HM}/matrix.html"),
    ("LA case report", "en", f"{HM}/case-report.html"),
    ("LA overview", "en", f"{CD}/index.html"),
    ("LA overview", "cy", f"{CD}/cy/index.html"),
    ("survey", "en", f"{CD}/surveys/cd-wellbeing.html"),
    ("survey", "cy", f"{CD}/cy/surveys/cd-wellbeing.html"),
    ("case study index", "en", f"{CD}/case-studies/index.html"),
    ("case study index", "cy", f"{CD}/cy/case-studies/index.html"),
    ("case study", "en", f"{CD}/case-studies/cd-carers-mr-t.html"),
    ("case study", "cy", f"{CD}/cy/case-studies/cd-carers-mr-t.html"),
    ("report card", "en", f"{CD}/report-cards/cd-reablement.html"),
    ("report card", "cy", f"{CD}/cy/report-cards/cd-reablement.html"),
    ("not found", "cy", f"{CD}/cy/404.html"),
    ("glossary", "en", f"{HM}/glossary.html"),
    ("glossary", "cy", f"{CD}/cy/glossary.html"),
]

# Each page template of generator/site_templates and the kind above that renders it.
TEMPLATES = {
    "landing.html.j2": "landing", "study_overview.md.j2": "study overview", "matrix.md.j2": "matrix",
    "site_selection.md.j2": "site selection", "coding_frame.md.j2": "coding frame", "la_overview.md.j2": "LA overview",
    "code_document.md.j2": "code document", "meta_index.md.j2": "meta-inference index",
    "meta_inference.md.j2": "meta-inference (joint display)", "case_report.md.j2": "case report",
    "cross_case_report.md.j2": "cross-case report", "sources_index.md.j2": "sources index", "source.md.j2": "source",
    "dataset.md.j2": "dataset", "build_report.md.j2": "build report", "survey.md.j2": "survey",
    "case_study_index.md.j2": "case study index", "case_study.md.j2": "case study",
    "report_card.md.j2": "report card", "glossary.md.j2": "glossary",
}


def _open_search(page: Any) -> None:
    page.focus("input.md-search__input")  # Material opens its search dialog when the box takes the focus
    page.keyboard.type("caseload")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__link').length > 0", timeout=15000)


def _open_languages(page: Any) -> None:
    page.focus(".md-header__option .md-select button")  # the list shows while the selector has the focus


CHECK = "s => { const t = document.querySelector(s); t.checked = true; t.dispatchEvent(new Event('change', {bubbles: true})); }"


def _open_drawer(page: Any) -> None:
    page.evaluate(CHECK, "#__drawer")  # what Material's menu label does (the keyboard's way: test_keyboard.py)


def _open_drawer_section(page: Any) -> None:
    _open_drawer(page)
    page.evaluate(CHECK, ".md-sidebar--primary input.md-nav__toggle[id^=__nav_]")


def _matrix_view(value: str) -> Callable[[Any], None]:
    def choose(page: Any) -> None:
        page.check(f"input[name=gen-matrix-view][value={value}]")
    return choose


# What a reader opens, audited once open: (kind, language, path, sizes, how to open it)
STATES: list[tuple[str, str, str, tuple[str, ...], Callable[[Any], None]]] = [
    ("search with results", "en", f"{HM}/index.html", ("desktop", "phone"), _open_search),
    ("language list open", "cy", f"{CD}/cy/surveys/cd-wellbeing.html", ("desktop", "phone"), _open_languages),
    ("navigation drawer open", "cy", f"{CD}/cy/index.html", ("phone",), _open_drawer),
    ("drawer section open", "en", f"{HM}/index.html", ("phone",), _open_drawer_section),
    ("matrix, codes as rows", "en", f"{CROSS}/matrix.html", ("desktop", "phone"), _matrix_view("codes")),
    ("matrix, list per site", "en", f"{CROSS}/matrix.html", ("desktop",), _matrix_view("list")),
    ("matrix, sites as rows", "en", f"{CROSS}/matrix.html", ("phone",), _matrix_view("sites")),
]

RUN_AXE = "async () => await axe.run(document, {resultTypes: ['violations']})"
SETTLED = "() => document.getAnimations().every(a => a.playState !== 'running')"  # transitions over: final colours


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        unavailable(f"axe-core not installed ({AXE.relative_to(ROOT)} missing): run `npm ci` in {ROOT} (needs Node.js and npm)")
    return AXE.read_text(encoding="utf-8")


def _check(page: Any, axe_source: str, record: dict[str, Any]) -> dict[str, Any]:
    page.wait_for_function(SETTLED, timeout=5000)
    page.add_script_tag(content=axe_source)
    result = page.evaluate(RUN_AXE)
    record["lang_attr"] = page.evaluate("document.documentElement.lang")
    record["violations"] = [{
        "id": v["id"], "impact": v["impact"], "help": v["help"],
        "nodes": [", ".join(map(str, n["target"])) for n in v["nodes"]],
    } for v in result["violations"]]
    return record


def _goto(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")


def audit(browser: Any, site: Path, base: str, axe_source: str, pages: list[tuple[str, str, str]] = PAGES,
          states: list[tuple[str, str, str, tuple[str, ...], Callable[[Any], None]]] = STATES,
          dark: bool = True) -> list[dict[str, Any]]:
    """Run axe-core on each page at each size, on each opened state, and (``dark``) on each page in the dark
    scheme at the desktop size; return one record per run with its violations.

    A 404 page is served from its own site's root, as MkDocs writes it (its addresses start at the server's
    root: on a server, it answers for any missing address).
    """
    runs = [(size, "light") for size in SIZES] + ([("desktop", "dark")] if dark else [])
    records: list[dict[str, Any]] = []
    for size, scheme in runs:
        width, height = SIZES[size]
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        page = context.new_page()
        label = size if scheme == "light" else f"{size}, {scheme}"
        try:
            for kind, language, path in pages:
                record = {"kind": kind, "language": language, "path": path, "size": label}
                if path.endswith("404.html"):
                    with serve(site / path.rsplit("/", 1)[0]) as root:
                        _goto(page, f"{root}/404.html")
                        records.append(_check(page, axe_source, record))
                    continue
                _goto(page, f"{base}/{path}")
                records.append(_check(page, axe_source, record))
            for kind, language, path, sizes, action in states if scheme == "light" else []:
                if size in sizes:
                    _goto(page, f"{base}/{path}")
                    action(page)
                    records.append(_check(page, axe_source, {"kind": kind, "language": language, "path": path, "size": label}))
        finally:
            context.close()
    return records


def table(records: list[dict[str, Any]]) -> str:
    """The counts of violating elements per page kind x language x size x impact, and the rules behind them."""
    head = f"{'page kind':<32} {'lang':<4} {'size':<13} " + " ".join(f"{i:>8}" for i in IMPACTS) + "  rules"
    lines = [head, "-" * len(head)]
    totals: Counter[str] = Counter()
    for record in records:
        counts: Counter[str] = Counter()
        rules: Counter[str] = Counter()
        for violation in record["violations"]:
            counts[violation["impact"]] += len(violation["nodes"])
            rules[violation["id"]] += len(violation["nodes"])
        totals.update(counts)
        lines.append(f"{record['kind']:<32} {record['language']:<4} {record['size']:<13} "
                     + " ".join(f"{counts[i]:>8}" for i in IMPACTS)
                     + "  " + ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items())))
    lines.append("-" * len(head))
    lines.append(f"{f'total ({len(records)} runs)':<51} " + " ".join(f"{totals[i]:>8}" for i in IMPACTS))
    return "\n".join(lines)


def axe_version() -> str:
    return str(json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"])


def test_every_page_template_is_audited() -> None:
    templates = {p.name for p in (ROOT / "generator" / "site_templates").glob("*.j2") if not p.name.startswith("_")}
    assert templates == set(TEMPLATES), "a page template was added or removed: list a page of its kind in PAGES"
    kinds = {kind for kind, _, _ in PAGES}
    assert set(TEMPLATES.values()) <= kinds
    assert {language for _, language, _ in PAGES} == {"en", "cy"}


def test_no_critical_or_serious_violation(axe_source: str, browser, served_demo: str, demo_site: Path,  # type: ignore[no-untyped-def]
                                          tmp_path: Path, request: pytest.FixtureRequest) -> None:
    # (axe_source first: without axe-core the test skips before the demo is built)
    missing = [path for _, _, path in PAGES + [s[:3] for s in STATES] if not (demo_site / path).is_file()]
    assert missing == [], "pages listed here that the demo no longer has"
    records = audit(browser, demo_site, served_demo, axe_source)
    assert [r["lang_attr"] for r in records] == [r["language"] for r in records]
    summary = table(records)
    (tmp_path / "accessibility.json").write_text(json.dumps(records, indent=1), encoding="utf-8")
    request.config.stash.setdefault(REPORTS, []).append(
        f"axe-core {axe_version()} on the demo: elements in violation, per page kind, language, size and impact\n{summary}")
    print("\n" + summary)
    failing = [f"{r['kind']} ({r['language']}, {r['size']}) {r['path']}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes'][:5]}"
               for r in records for v in r["violations"] if v["impact"] in FAILING]
    assert failing == [], "\n".join(failing)
