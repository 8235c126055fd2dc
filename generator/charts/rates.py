"""Rates per 10,000 children over time: the LA, its third's average and all LAs' average."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd

from ..compute import measures
from ..content.blocks import RatesChart
from ..content.loader import Study
from ..compute.labels import column_label
from ..compute.missing import PRIVACY
from ..render.i18n import N_, translate
from .common import THIRD_NAMES, ChartData, abbreviations_of, change_words, dataset, source_line, thirds_of
from .style import NATIONAL_STYLE, THIRD_STYLE


def prepare(study: Study, spec: RatesChart, la: str, la_name: str, limit: int = 0, language: str = "en") -> ChartData:
    """The LA's rates against its third's and all LAs' averages; in a public build, rates from small counts are hidden."""
    from ..compute.disclosure import AVERAGE_NOTE, is_small

    from ..compute.missing import BLANK, Missing, footnotes, left_out

    _ = partial(translate, language=language)

    data = dataset(study, spec.dataset)
    frame = data.table.copy()  # type: ignore[union-attr]
    frame["__position__"] = range(len(frame))
    population = spec.population
    if spec.population_from is not None:  # the denominator from another dataset, matched on the declared keys
        from ..compute.joins import joined_column

        joined = dataset(study, spec.population_from.dataset)
        matched = joined_column(frame, range(len(frame)), spec.population_from, joined.table, spec.population)  # type: ignore[arg-type]
        population = "__population__"
        frame[population] = pd.array([v for _, v in matched], dtype="Float64")
    frame["la"] = frame[spec.la_column].astype(str)
    frame["year"] = frame[spec.year_column].astype(str)
    if spec.years:
        frame = frame[frame["year"].isin(spec.years)]
    thirds = thirds_of(study, spec.deprivation, spec.score_column, spec.la_column)
    own_third = thirds.get(la, "")
    frame["third"] = frame["la"].map(thirds)
    years = sorted(frame["year"].unique())
    payload: dict[str, Any] = {"years": years, "la_label": la_name, "third": own_third, "panels": [],
                               "third_label": _(THIRD_STYLE.get(own_third, THIRD_STYLE["middle"])["label"]),
                               "national_label": _(NATIONAL_STYLE["label"]), "axis": _("per 10,000 children")}
    table_rows, csv_rows, sentences = [], [], []
    gaps = 0
    from ..compute.disclosure import row_keys

    keys = row_keys(data.table, data.model)  # type: ignore[arg-type]
    # the rows of each year, of this LA's each year and of its third's: selected once, not once per measure
    frame = frame.reset_index(drop=True)  # labels unique, so each selection is exactly its rows
    in_year = {y: frame.index[frame.year == y] for y in years}
    mine = {y: frame.index[(frame.la == la) & (frame.year == y)] for y in years}
    in_third = {y: frame.index[(frame.third == own_third) & (frame.year == y)] for y in years}
    for count in spec.counts:
        name = column_label(data.model, count, abbreviations_of(study), language)
        frame["rate"] = measures.rate_per_10000(frame[count], frame[population])
        own = [_value(frame.loc[mine[y], "rate"]) for y in years]
        why = [_why(frame.loc[mine[y]], count, population, data, spec, keys) for y in years]
        gaps += sum(int(frame.loc[in_year[y], "rate"].isna().sum()) for y in years)
        if limit:
            counts = [_value(frame.loc[mine[y], count]) for y in years]
            own = [None if is_small(c, limit) else v for v, c in zip(own, counts)]
        third = [_value(frame.loc[in_third[y], "rate"], mean=True) for y in years]
        national = [_value(frame.loc[in_year[y], "rate"], mean=True) for y in years]
        payload["panels"].append({"name": name, "la": own, "third": third, "national": national})
        shown_own = [v if v is not None else (Missing("c", PRIVACY) if w is None else w)
                     for v, w in zip(own, why)]
        shown_own = [BLANK if v is None else v for v in shown_own]
        for i, y in enumerate(years):
            table_rows.append([name, y, shown_own[i], third[i], national[i]])
            csv_rows.append({"measure": count, "year": y, "la": shown_own[i], f"{own_third}_average": third[i], "all_las_average": national[i]})
        lacking = [f"{y} ({v.symbol}: {v.says(language)})" for y, v in zip(years, shown_own) if isinstance(v, Missing)]
        if lacking and (frame.la == la).any():
            sentences.append(_("%(name)s: no rate for %(la)s in %(years)s; the line has a gap there.") % {
                "name": name, "la": la_name, "years": ", ".join(lacking)})
        first_last = [v for v in own if v is not None]
        if len(first_last) >= 2:
            sentences.append(_("%(name)s per 10,000 children: %(la)s %(change)s, against %(third_figure)s on average in "
                               "%(third)s LAs and %(national_figure)s across all LAs in %(year)s.") % {
                "name": name, "la": la_name, "change": change_words(first_last[0], first_last[-1], "", language=language),
                "third_figure": _figure(third[-1], language),
                "third": _(THIRD_NAMES[own_third]) if own_third in THIRD_NAMES else _("its"),
                "national_figure": _figure(national[-1], language), "year": years[-1]})
    span = {"first": years[0] if years else "–", "last": years[-1] if years else "–"}  # no year with a figure
    title = spec.title or _("Rates per 10,000 children, %(first)s to %(last)s") % span
    alt = _("Line chart of rates per 10,000 children from %(first)s to %(last)s, %(la)s against the %(third)s average "
            "and the average of all LAs.") % {**span, "la": la_name,
                                              "third": _(THIRD_NAMES[own_third]) if own_third in THIRD_NAMES else ""} \
        + " " + " ".join(sentences)
    # Averages are means of the rates that are published: a hidden count (missing on the protected data) is
    # left out rather than carried into an average that would give it back.
    hidden = bool(frame.attrs.get("hidden")) or any(frame[c].isna().any() for c in spec.counts)
    notes = [_(AVERAGE_NOTE)] if limit and hidden else []
    notes += footnotes((v for row in table_rows for v in row), language)
    if gaps:
        notes.append(_("Lines have a gap where a rate is missing.") + " " + left_out(gaps, "averages", language))
    header = [_("Measure"), _("Year"), la_name, _(THIRD_STYLE[own_third]["label"]) if own_third in THIRD_STYLE else _("Average"),
              _("All LAs average")]
    return ChartData("rates", title, source_line(data, dataset(study, spec.deprivation), language=language), alt, header,
                     table_rows, csv_rows, payload, spec.format, notes, language)


def _why(rows: pd.DataFrame, count: str, population: str, data: Any, spec: RatesChart, keys: list[Any]) -> Any:
    """Why the LA's rate is missing that year: hidden, its count's reason, else its population's (None: not missing)."""
    from ..compute.missing import BLANK, Missing, ZERO_DENOMINATOR, reason

    if rows.empty:
        return BLANK
    row = rows.iloc[0]
    position = int(row["__position__"])
    hidden = data.table.attrs.get("hidden") or set()
    if (keys[position], count) in hidden or (keys[position], population) in hidden:
        return Missing("c", PRIVACY)
    if pd.isna(row[count]):
        return reason(data.table, position, count, data.model)
    if pd.isna(row[population]):
        if population == spec.population:
            return reason(data.table, position, population, data.model)
        return Missing("–", N_("no matching row in the population dataset, or no figure there"))
    if float(row[population]) <= 0:
        return Missing("[z]", ZERO_DENOMINATOR)
    return None


def _figure(value: float | None, language: str = "en") -> str:
    return translate("no figure", language) if value is None else f"{value:,.1f}"


def _value(values: pd.Series, mean: bool = False) -> float | None:
    values = values.dropna()
    if values.empty:
        return None
    return round(float(values.mean() if mean else values.iloc[0]), 3)


def draw(data: ChartData) -> bytes:
    """One panel per measure: side by side (up to three a row) when wide, one above the other when narrow."""
    from .style import LA_STYLE, NATIONAL_STYLE, THIRD_STYLE, layout_of, legend_columns, new_figure, save, wrap, year_ticks

    layout = layout_of(data)
    payload = data.payload
    panels = payload["panels"]
    cols = 1 if layout.name == "narrow" else min(len(panels), 3)
    rows = -(-len(panels) // cols)
    panel_height = 2.3 if layout.name == "narrow" else 2.6
    fig, axes = new_figure(layout, panel_height * rows + 0.55, rows, cols)
    x = list(range(len(payload["years"])))
    third = THIRD_STYLE.get(payload["third"], THIRD_STYLE["middle"])
    inches = (layout.width - 0.55 * cols) / cols  # the axis of one panel, less its y labels
    flat = [ax for row in axes for ax in row]
    for ax, panel in zip(flat, panels):
        nan = lambda s: [float("nan") if v is None else v for v in s]  # noqa: E731
        ax.plot(x, nan(panel["national"]), **{**NATIONAL_STYLE, "label": payload.get("national_label") or NATIONAL_STYLE["label"]})
        ax.plot(x, nan(panel["third"]), color=third["color"], linestyle=third["linestyle"], marker=third["marker"],
                linewidth=2.2, markersize=4, label=payload.get("third_label") or third["label"])
        ax.plot(x, nan(panel["la"]), label=payload["la_label"], **LA_STYLE)
        ax.set_title(wrap(panel["name"], layout.chars(inches + 0.3, layout.text)))
        ax.set_ylabel(payload.get("axis") or "per 10,000 children")
        ax.set_ylim(bottom=0)
        year_ticks(ax, payload["years"], layout, inches)
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    handles, names = flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=legend_columns(layout, names))
    return save(fig, data)
