"""Seed 000's Figure 2: spending by category over time, panelled by deprivation third."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..content.blocks import PanelChart
from ..content.loader import Study
from ..compute.spending import spending_values
from ..compute.missing import BLANK, Missing, footnotes, left_out
from ..render.i18n import N_, translate
from .common import THIRD_NAMES, ChartData, abbreviations_of, change_words, dataset, source_line, thirds_of
from ..compute.labels import words as words_of
from .style import THIRD_STYLE

THIRDS = ("high", "middle", "low")


def _shared(study: Study, spec: PanelChart) -> tuple[list[str], dict[str, str], list[dict[str, Any]]]:
    """What every LA's panel chart of one specification shares, computed once per build: the years, each LA's
    third, and per category every LA's line, the missing figures' reasons and each third's average."""
    general = spec.model_copy(update={"la": None, "title": None}).model_dump_json()
    key = ("panel", general)
    if key in study.shared:
        return study.shared[key]  # type: ignore[no-any-return]
    values = spending_values(study, spec, spec.show)
    thirds = thirds_of(study, spec.deprivation, spec.score_column, spec.la_column)
    values = values[values["la"].isin(thirds)]
    years = sorted(values["year"].astype(str).unique())
    categories = []
    for category in spec.categories or sorted(values["category"].unique()):
        part = values[values["category"] == category]
        # one row per LA and year; a missing figure stays NaN (a gap), never a sum of nothing (0)
        wide = part.pivot_table(index="la", columns="year", values="value", aggfunc="first",
                                dropna=False).reindex(columns=years)
        lines = {str(la): [None if v != v else round(float(v), 4) for v in row]
                 for la, row in zip(wide.index, wide.to_numpy(dtype=float).tolist())}
        means: dict[str, list[float | None]] = {}
        gaps = 0
        for third in THIRDS:
            members = [m for m in wide.index if thirds.get(m) == third]
            block = wide.loc[members] if members else None
            means[third] = []
            for y in years:
                column = block[y] if block is not None else None
                if column is None or column.isna().all():
                    means[third].append(None)
                    continue
                gaps += int(column.isna().sum())  # LAs without a figure are left out of the average
                means[third].append(round(float(column.mean()), 4))
        categories.append({"category": category, "lines": lines,
                           "why": {(r.la, r.year): r.why for r in part.itertuples() if r.why is not None},
                           "members": {t: [str(m) for m in wide.index if thirds.get(m) == t] for t in THIRDS},
                           "means": means, "gaps": gaps})
    study.shared[key] = (years, thirds, categories)
    return study.shared[key]  # type: ignore[no-any-return]


def prepare(study: Study, spec: PanelChart, la: str, la_name: str, language: str = "en") -> ChartData:
    """The plotted numbers: a missing figure is a gap in its line and its symbol in the table, CSV and alt text."""
    _ = partial(translate, language=language)
    years, thirds, shared = _shared(study, spec)
    unit = "%" if spec.show == "share" else "£"
    own_third = thirds.get(la, "")
    payload: dict[str, Any] = {"years": years, "unit": unit, "la_label": la_name, "categories": [],
                               "axis": _(_axis_label(spec)),
                               "panel_titles": {t: _(THIRD_TITLES[t]) for t in THIRDS},
                               "third_labels": {t: _(THIRD_STYLE[t]["label"]) for t in THIRDS},
                               "others_label": _("Other LAs (one line each)")}
    csv_rows: list[dict[str, Any]] = []
    table_rows: list[list[Any]] = []
    sentences = []
    gaps = 0
    def label(name: str) -> str:
        return words_of(name, abbreviations_of(study))

    for part in shared:
        category, lines, why = part["category"], part["lines"], part["why"]
        name = label(category)
        gaps += part["gaps"]
        entry: dict[str, Any] = {"name": name, "panels": {}, "la": lines.get(la, [None] * len(years))}
        own_shown = [v if v is not None else why.get((la, y), BLANK) for y, v in zip(years, entry["la"])]
        for third in THIRDS:
            others = sorted((lines[m] for m in part["members"][third] if m != la), key=_order)
            mean = part["means"][third]
            entry["panels"][third] = {"others": others, "mean": mean}
            for number, series in enumerate(others, start=1):
                csv_rows += [{"category": name, "panel": _(THIRD_PANELS[third]),
                              "series": _("other LA %(number)s") % {"number": number}, "year": y, "value": v}
                             for y, v in zip(years, series)]
            csv_rows += [{"category": name, "panel": _(THIRD_PANELS[third]), "series": _(THIRD_AVERAGES[third]),
                          "year": y, "value": _or_none_in_third(v)} for y, v in zip(years, mean)]
        csv_rows += [{"category": name, "panel": _("all"), "series": la_name, "year": y, "value": v}
                     for y, v in zip(years, own_shown)]
        for index, year in enumerate(years):
            table_rows.append([name, year, own_shown[index]]
                              + [_or_none_in_third(entry["panels"][t]["mean"][index]) for t in THIRDS])
        payload["categories"].append(entry)
        own = [v for v in entry["la"] if v is not None]
        avg = [v for v in entry["panels"].get(own_third, {"mean": []})["mean"] if v is not None]
        if len(own) >= 2 and len(avg) >= 2:
            sentences.append(_("%(name)s: %(la)s %(change)s; the %(third)s average %(third_change)s.") % {
                "name": name, "la": la_name, "change": change_words(own[0], own[-1], unit, unit == "%", language),
                "third": _(THIRD_NAMES[own_third]),
                "third_change": change_words(avg[0], avg[-1], unit, unit == "%", language)})
        lacking = [f"{y} ({v.symbol}: {v.says(language)})" for y, v in zip(years, own_shown) if isinstance(v, Missing)]
        if lacking and la in lines:
            sentences.append(_("%(name)s: no figure for %(la)s in %(years)s; the line has a gap there.") % {
                "name": name, "la": la_name, "years": ", ".join(lacking)})
    if not shared:  # no category with a figure for any LA in a third: the chart says so rather than stopping the build
        payload["empty"] = _("no figure")
    base_year = study.project.model.base_year  # type: ignore[union-attr]
    # no year with a figure at all (every cell missing): the chart says so rather than stopping the build
    span = {"first": years[0] if years else "–", "last": years[-1] if years else "–", "base_year": base_year}
    if spec.show == "share":
        title = spec.title or _("Share of each LA's spending on all service categories by service category, "
                                "%(first)s to %(last)s") % span
        what = _("share of each LA's spending on all service categories")
    else:
        title = spec.title or _("Spending per child at %(base_year)s prices by service category, %(first)s to %(last)s") % span
        what = _("spending per child at %(base_year)s prices") % span
    third_words = _("a %(third)s LA") % {"third": _(THIRD_NAMES[own_third])} if own_third else _("an LA")
    alt = (_("Panel chart of the %(what)s by service category from %(first)s to %(last)s, one panel per deprivation "
             "third: %(la)s (%(which)s) in bold black, each third's average in colour and every other LA as a thin "
             "grey line.") % {**span, "what": what, "la": la_name, "which": third_words} + " " + " ".join(sentences))
    sources = [dataset(study, spec.dataset), dataset(study, spec.deflator), dataset(study, spec.deprivation)]
    header = [_("Category"), _("Year"), la_name] + [_(THIRD_STYLE[t]["label"]) for t in THIRDS]
    notes = []
    if spec.show == "share":
        notes.append(_("Shares are of each LA's spending that year on all service categories of the dataset; no share "
                       "is computed for a year in which any category's figure is missing."))
    notes += footnotes((v for row in table_rows for v in row), language)
    if gaps:
        notes.append(_("Lines have a gap where a figure is missing.") + " " + left_out(gaps, "third averages", language))
    return ChartData("panel", title, source_line(*sources, language=language), alt, header, table_rows, csv_rows,
                     payload, spec.format, notes, language)


THIRD_TITLES = {"high": N_("High deprivation"), "middle": N_("Middle deprivation"), "low": N_("Low deprivation")}
THIRD_PANELS = {"high": N_("high"), "middle": N_("middle"), "low": N_("low")}  # the CSV's panel column
THIRD_AVERAGES = {"high": N_("high average"), "middle": N_("middle average"), "low": N_("low average")}


def _axis_label(spec: PanelChart) -> str:
    return N_("% of all categories") if spec.show == "share" else N_("£ per child")


def _or_none_in_third(value: float | None) -> Any:
    return NO_FIGURE if value is None else value


NO_FIGURE = Missing("–", N_("no LA in this third has a figure for this year"))


def _order(series: list[float | None]) -> tuple[Any, ...]:
    """Sort key for a line: by its values, missing ones last, so the drawing order never depends on input order."""
    return tuple((v is None, v or 0.0) for v in series)


def draw(data: ChartData) -> bytes:
    """A row of three panels (one per deprivation third) per category, each row headed by its category and unit.

    Both layouts draw the same panels; the narrow one (phones) is shorter per row, with
    fewer ticks and larger type.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.ticker import MaxNLocator

    from .style import LA_STYLE, OTHER_STYLE, THIRD_STYLE, layout_of, legend_columns, new_figure, save, wrap

    layout = layout_of(data)
    narrow = layout.name == "narrow"
    payload = data.payload
    years = payload["years"]
    rows = len(payload["categories"])
    row_height = 1.2 if narrow else 1.45
    titles = payload.get("panel_titles") or {}  # in the site's language (prepare)
    headings = [titles.get(third) or f"{third.capitalize()} deprivation" for third in THIRDS]
    if max(map(len, headings)) > layout.chars(layout.width / 3 - 0.15, layout.text):
        headings = [h.replace(" ", "\n", 1) for h in headings]  # all on two lines, so the panels stay level
    header = (headings[0].count("\n") + 1) * layout.text * 1.3 / 72  # the first row also carries the thirds' names
    legend = -(-5 // legend_columns(layout, ["Middle-deprivation average"] * 5)) * layout.small * 1.5 / 72
    if not rows:
        fig, axes = new_figure(layout, 2.0)
        axes[0][0].axis("off")
        axes[0][0].text(0.5, 0.5, payload.get("empty", ""), ha="center", va="center")
        return save(fig, data)
    fig, _ = new_figure(layout, row_height * rows + header + legend + 0.3, rows=0)
    x = list(range(len(years)))
    rows_of = fig.subfigures(rows, 1, squeeze=False, height_ratios=[row_height + header] + [row_height] * (rows - 1))[:, 0]
    for row, (entry, part) in enumerate(zip(payload["categories"], rows_of)):
        part.suptitle(wrap(f"{entry['name']} ({payload['axis']})", layout.chars(layout.width, layout.heading)),
                      x=0.01, ha="left", fontweight="bold")
        axes = part.subplots(1, 3, sharey=True)
        for col, third in enumerate(THIRDS):
            ax = axes[col]
            panel = entry["panels"][third]
            # every other LA as one collection of lines: one artist, not one per LA (a national study has
            # hundreds), each run of years with figures its own line so a missing figure is a gap
            ax.add_collection(LineCollection([run for series in panel["others"] for run in _runs(x, series)],
                                             colors=OTHER_STYLE["color"], linewidths=OTHER_STYLE["linewidth"],
                                             alpha=OTHER_STYLE["alpha"], zorder=OTHER_STYLE["zorder"]))
            style = THIRD_STYLE[third]
            ax.plot(x, _nan(panel["mean"]), color=style["color"], linestyle=style["linestyle"], marker=style["marker"],
                    markersize=3.5, linewidth=2.2, zorder=4)
            ax.plot(x, _nan(entry["la"]), **LA_STYLE)
            if row == 0:
                ax.set_title(headings[col])
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3 if narrow else 4))
            ax.set_xticks([0, len(x) - 1])
            if row == rows - 1 and not narrow and years:
                labels = ax.set_xticklabels([years[0], years[-1]])
                for text, align in zip(labels, ("left", "right")):
                    text.set_horizontalalignment(align)
            else:
                ax.set_xticklabels([])  # a narrow panel has no room for two years: the figure says them once
            ax.set_xlim(-0.3, len(x) - 0.7)
    if narrow:
        fig.supxlabel(f"{years[0]} to {years[-1]}" if years else "", fontsize=layout.small)
    handles = [
        _handle(**{k: v for k, v in LA_STYLE.items() if k != "zorder"}, label=payload["la_label"]),
        *[_handle(color=s["color"], linestyle=s["linestyle"], marker=s["marker"], linewidth=2.2,
                  label=payload.get("third_labels", {}).get(t) or s["label"]) for t, s in THIRD_STYLE.items()],
        _handle(color=OTHER_STYLE["color"], linewidth=1, label=payload.get("others_label") or "Other LAs (one line each)"),
    ]
    fig.legend(handles=handles, loc="outside upper center", ncol=legend_columns(layout, [h.get_label() for h in handles]))
    return save(fig, data)


def _runs(x: list[int], series: list[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of a line between missing figures, each as its points (a lone point is no line)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for position, value in zip(x, series):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((position, value))
    return [run for run in runs if len(run) > 1]


def _nan(series: list[float | None]) -> list[float]:
    return [float("nan") if v is None else v for v in series]


def _handle(**style: Any) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], **style)
