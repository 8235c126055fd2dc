"""The referral pathway drawn as a funnel, with the share carried from step to step."""

from __future__ import annotations

from functools import partial

import pandas as pd

from ..compute import measures
from ..content.blocks import FunnelChart
from ..content.loader import Study
from ..compute.labels import words as label
from ..render.i18n import translate
from .common import ChartData, abbreviations_of, dataset, source_line


def prepare(study: Study, spec: FunnelChart, la: str | None, la_name: str, limit: int = 0,
            language: str = "en") -> ChartData:
    """The numbers at each step; in a public build (``limit`` > 0) small ones, and shares from them, are hidden."""
    from ..compute.disclosure import is_small

    _ = partial(translate, language=language)

    from ..compute.missing import BLANK, footnotes, reason

    data = dataset(study, spec.dataset)
    frame = data.table.assign(__position__=range(len(data.table)))  # type: ignore[union-attr]
    if data.model.la is None and spec.la_column in frame.columns and la:
        frame = frame[frame[spec.la_column].astype(str) == la]
    years = sorted(frame[spec.year_column].astype(str).unique())
    year = spec.year or (years[-1] if years else "")
    frame = frame[frame[spec.year_column].astype(str) == year]
    result = measures.conversion(frame, spec.steps)
    steps = [{"name": label(r.step, abbreviations_of(study)), "number": None if pd.isna(r.number) else float(r.number),
              "carried": None if pd.isna(r.carried) else round(float(r.carried) * 100, 2)} for r in result.itertuples()]
    # why a step has no number: hidden here for privacy, or missing in the source (the first cell's reason)
    from ..compute.disclosure import row_keys

    keys = row_keys(data.table, data.model)  # type: ignore[arg-type]
    hidden_cells = data.table.attrs.get("hidden") or set()  # type: ignore[union-attr]
    why: list = []
    for step in spec.steps:
        positions = [int(p) for p, v in zip(frame["__position__"], frame[step]) if pd.isna(v)]
        if any((keys[p], step) in hidden_cells for p in positions):
            why.append(None)
        else:
            why.append(reason(data.table, positions[0], step, data.model) if positions else BLANK)  # type: ignore[arg-type]
    gone = [i for i, s in enumerate(steps) if s["number"] is None and why[i] is not None]
    hidden = False
    for index, step in enumerate(steps):
        if index in gone:
            continue
        if limit and (step["number"] is None or is_small(step["number"], limit)):  # None: hidden on the data
            hidden = True
            step["number"] = step["carried"] = None
            if index + 1 < len(steps):
                steps[index + 1]["carried"] = None
    title = spec.title or _("From contact to plan: %(la)s, %(year)s") % {"la": la_name, "year": year}
    parts = []
    for index, s in enumerate(steps):
        name = s["name"] if index == 0 else _lower(s["name"])
        if index in gone:
            parts.append(f"{name} {why[index].symbol} ({why[index].says(language)})")
        elif s["number"] is None:
            parts.append(_("%(step)s suppressed (a small number)") % {"step": name})
        elif s["carried"] is None:
            parts.append(f"{name} {s['number']:,.0f}")
        else:
            parts.append(_("%(step)s %(number)s (%(share)s%% of the step before)") % {
                "step": name, "number": f"{s['number']:,.0f}", "share": f"{s['carried']:.0f}"})
    alt = _("Funnel chart of the pathway in %(la)s in %(year)s: %(steps)s.") % {
        "la": la_name, "year": year, "steps": "; ".join(parts)}
    rows = [[s["name"], s["number"], s["carried"]] for s in steps]
    csv_rows = [{"step": s["name"], "number": "c" if hidden and s["number"] is None and i not in gone else s["number"],
                 "carried_percent": s["carried"]} for i, s in enumerate(steps)]
    rows = [[r[0], "c" if hidden and r[1] is None and i not in gone else r[1], r[2]] for i, r in enumerate(rows)]
    for index in gone:
        rows[index][1] = why[index]
        csv_rows[index]["number"] = why[index]
        if index + 1 < len(rows) and rows[index + 1][2] is None:
            rows[index + 1][2] = why[index]
            csv_rows[index + 1]["carried_percent"] = why[index]
    for index in gone:
        steps[index]["missing"] = why[index].symbol  # drawn in place of the number
    header = [_("Step"), _("Number"), _("% of the step before")]
    notes = [_("c: suppressed to protect privacy (a small number).")] if hidden else []
    notes += footnotes((v for row in rows for v in row), language)
    words = {"no_figure": _("%(symbol)s (no figure)"), "suppressed": _("c (suppressed)"),
             "carried": _("(%(share)s%% of the step before)")}
    return ChartData("funnel", title, source_line(data, language=language), alt, header, rows, csv_rows,
                     {"steps": steps, "words": words}, spec.format, notes, language)


def _lower(name: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ('CP plans')."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() and len(first) > 1 else name[:1].lower() + name[1:]


def draw(data: ChartData) -> bytes:
    """A bar per step, centred, narrowing as the pathway does.

    Wide: the step's name left of its bar and its number right. Narrow: the name and
    number on a line of their own above the bar, so the bar can use the whole width.
    """
    from .style import ACCENT, layout_of, new_figure, save, wrap

    layout = layout_of(data)
    narrow = layout.name == "narrow"
    steps = data.payload["steps"]
    widest = max((s["number"] or 0) for s in steps) or 1
    say = data.payload.get("words") or {"no_figure": "%(symbol)s (no figure)", "suppressed": "c (suppressed)",
                                        "carried": "(%(share)s%% of the step before)"}
    words = []
    for step in steps:
        text = (f"{step['number']:,.0f}" if step["number"] is not None
                else say["no_figure"] % {"symbol": step["missing"]} if step.get("missing") else say["suppressed"])
        if step["carried"] is not None:
            text += " " + say["carried"] % {"share": f"{step['carried']:.0f}"}
        words.append(text)
    if narrow:
        lines = [wrap(f"{s['name']}: {w}", layout.chars(layout.width - 0.2)) for s, w in zip(steps, words)]
        per_step = [0.12 + 0.17 * (line.count("\n") + 1) + 0.33 for line in lines]  # gap, text, bar
    else:
        lines, per_step = words, [0.48] * len(steps)
    fig, axes = new_figure(layout, sum(per_step) + 0.2)
    ax = axes[0][0]
    y = 0.0
    for row, (step, line, height) in enumerate(zip(steps, lines, per_step)):
        width = max((step["number"] or 0) / widest, 0.004)
        bar = y - height + 0.17 if narrow else y - height / 2  # the bar's centre, in inches from the top
        # darker as the pathway narrows; alternate hatching keeps steps apart in greyscale
        ax.barh(bar, width, left=(1 - width) / 2, color=ACCENT, alpha=0.35 + 0.65 * row / max(len(steps) - 1, 1),
                edgecolor="#003f63", height=0.26 if narrow else 0.34, hatch="///" if row % 2 else None)
        if narrow:
            ax.text(0, y - 0.12, line, va="top", ha="left")
        else:
            ax.text(1.03, bar, line, va="center", ha="left")
            ax.text(-0.03, bar, step["name"], va="center", ha="right", fontsize=layout.text)
        y -= height
    ax.set_xlim(*((0, 1) if narrow else (-0.55, 1.75)))
    ax.set_ylim(y, 0)
    ax.axis("off")
    return save(fig, data)
