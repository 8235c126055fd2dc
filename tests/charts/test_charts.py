"""Charts: anonymous outside their own LA, described in words, deterministic and drawn once."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.charts import funnel, panel
from generator.content.blocks import FunnelChart, PanelChart
from generator.content.loader import load_study
from generator.pipeline import load_and_validate

from ..conftest import DEMO

OTHER_NAMES = ["Brackenford", "Westmoor Vale", "Lindhurst", "Glenrannoch", "Inverkellan", "Millbank", "Tollbridge", "Fernlea"]


@pytest.fixture(scope="module")
def study():  # type: ignore[no-untyped-def]
    loaded, _ = load_and_validate(DEMO)
    return loaded


def test_panel_data_keep_other_las_anonymous(study) -> None:  # type: ignore[no-untyped-def]
    spec = PanelChart(chart="panel", dataset="england-spending", deflator="deflator", deprivation="england-las")
    data = panel.prepare(study, spec, "harrowmere", "Harrowmere")
    words = " ".join([data.alt, data.title, str(data.table_header), data.csv_bytes().decode()])
    assert "Harrowmere" in data.alt
    for name in OTHER_NAMES + ["cmp-0", "brackenford"]:
        assert name.lower() not in words.lower()
    series = {row["series"] for row in data.csv_rows}
    assert {"Harrowmere", "high average", "middle average", "low average"} <= series
    assert all(s.startswith("other LA ") for s in series - {"Harrowmere", "high average", "middle average", "low average"})
    # 154 LAs in the panel: the 153 others each appear once per category and panel
    assert len({r["series"] for r in data.csv_rows if r["series"].startswith("other") and r["category"] == "Youth justice"}) <= 153


def test_alt_text_says_what_changed_from_the_data(study) -> None:  # type: ignore[no-untyped-def]
    spec = FunnelChart(chart="funnel", dataset="hm-pathway",
                       steps=["contacts", "referrals", "assessments", "section_47_enquiries", "cp_plans_started"])
    data = funnel.prepare(study, spec, "harrowmere", "Harrowmere")
    # hm-pathway.csv, 2015-16: 18,650 contacts, 4,720 referrals (4,720 / 18,650 = 25%), 512 plans of 1,415 enquiries (36%)
    assert "Contacts 18,650" in data.alt
    assert "referrals 4,720 (25% of the step before)" in data.alt
    assert "CP plans started 512 (36% of the step before)" in data.alt
    assert [r["number"] for r in data.csv_rows] == [18650, 4720, 4540, 1415, 512]


def test_the_same_data_draw_the_same_bytes(study) -> None:  # type: ignore[no-untyped-def]
    spec = FunnelChart(chart="funnel", dataset="hm-pathway", steps=["contacts", "referrals", "assessments"])
    first = funnel.draw(funnel.prepare(study, spec, "harrowmere", "Harrowmere"))
    second = funnel.draw(funnel.prepare(study, spec, "harrowmere", "Harrowmere"))
    assert first == second
    assert first.startswith(b"<?xml") and b"<dc:date>" not in first and b"Matplotlib v" not in first


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


def test_every_chart_has_alt_text_and_every_kind_appears(demo_site: Path) -> None:
    kinds_seen = set()
    charts = 0
    for page in demo_site.rglob("*.html"):
        parser = _Images()
        parser.feed(page.read_text())
        for image in parser.images:
            src = image.get("src") or ""
            if "assets/charts/" in src:
                charts += 1
                assert (image.get("alt") or "").strip(), f"{page}: {src} has no alt text"
                assert (page.parent / src).resolve().is_file(), src
        for kind in ("Panel chart", "Line chart of rates", "Funnel chart", "Box plot", "Line chart of fitted spending"):
            if f'alt="{kind}' in page.read_text():
                kinds_seen.add(kind)
    assert charts > 10
    assert len(kinds_seen) == 5, kinds_seen


def test_no_chart_file_of_an_la_site_names_another_la(demo_site: Path) -> None:
    study, _ = load_study(DEMO)
    for la in study.local_authorities:
        others = [o.model.name for o in study.local_authorities if o.model.id != la.model.id]
        others += [s.model.name for s in study.sites if s.model.la != la.model.id]
        pattern = re.compile("|".join(re.escape(n) for n in others), re.IGNORECASE)
        for path in (demo_site / "la" / la.model.id / "assets" / "charts").glob("*"):
            assert not pattern.search(path.read_text(errors="replace")), path
            assert not pattern.search(path.name)


def test_second_build_draws_nothing_and_files_are_identical(demo_copy: Path, tmp_path: Path) -> None:
    assert build(demo_copy, out=tmp_path / "one", la="harrowmere", quiet=True) == 0
    cache = demo_copy.parent / ".cache" / "charts"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.svg")}
    assert len(stamps) >= 4
    assert build(demo_copy, out=tmp_path / "two", la="harrowmere", quiet=True) == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.svg")} == stamps  # nothing redrawn
    one = sorted((tmp_path / "one" / "assets" / "charts").iterdir())
    two = sorted((tmp_path / "two" / "assets" / "charts").iterdir())
    assert [p.name for p in one] == [p.name for p in two]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(one, two))



def test_a_charts_name_follows_its_values_not_how_they_are_held() -> None:
    # The name is the chart's cache key: equal numbers held as shared or as separate objects name the same
    # chart; a different CSV cell (a missing figure's reason, which the image does not show) another one.
    from generator.charts.cache import versions
    from generator.charts.common import ChartData
    from generator.compute.missing import code_missing

    line = [1.5, None, 2.25]
    shared = {"lines": [line, line]}
    separate = {"lines": [[1.5, None, 2.25], [1.5, None, 2.25]]}

    def chart(payload: dict, cell: object) -> ChartData:
        return ChartData("panel", "T", "S", "A", [], [], [{"year": "2020", "value": cell}], payload)

    suppressed, unknown = code_missing("c", "suppressed"), code_missing("x", "not available")
    assert chart(shared, suppressed).key(versions()) == chart(separate, suppressed).key(versions())
    assert chart(shared, suppressed).key(versions()) != chart(shared, unknown).key(versions())
    assert chart(shared, suppressed).key(versions()) != chart({"lines": [line, [1.5, None, 2.5]]}, suppressed).key(versions())


def test_a_panel_chart_with_no_category_to_show_says_so_instead_of_stopping_the_build() -> None:
    # found by the missing-values property test: no LA with a deprivation third has any spending row
    from generator.charts.common import ChartData
    from generator.charts.panel import draw

    payload = {"years": [], "unit": "£", "la_label": "An LA", "categories": [], "axis": "£ per child",
               "panel_titles": {}, "third_labels": {}, "others_label": "", "empty": "no figure"}
    data = ChartData("panel", "Spending", "Source", "Panel chart", ["Category"], [], [], payload, "svg", [], "en")
    svg = draw(data).decode()
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "no figure" in svg
