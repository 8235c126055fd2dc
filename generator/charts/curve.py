"""The Results-Based Accountability "turn the curve" chart of one performance measure.

The baseline so far is drawn solid with markers; the forecast (where the
measure is heading if nothing changes) dashed, continuing from the last actual
value; the target as a dotted horizontal line with its value; and the subtitle
says which way is good ("a rise is good" / "a fall is good").
"""

from __future__ import annotations

from typing import Any

from ..content.models import PerformanceMeasure
from ..render.i18n import N_, translate
from .common import ChartData

WORDS = {  # the chart's words, as message ids of the catalogue (generator/locale)
    "period": N_("Period"),
    "actual": N_("Baseline (actual)"),
    "forecast": N_("Forecast if nothing changes"),
    "target": N_("Target"),
    "rise": N_("↑ A rise is good"),
    "fall": N_("↓ A fall is good"),
    "actual_col": N_("Actual"),
    "forecast_col": N_("Forecast"),
    "alt_intro": N_("Turn-the-curve chart of {name} ({unit}) from {first} to {last}; {good}."),
    "rise_good": N_("a rise is good"),
    "fall_good": N_("a fall is good"),
    "unchanged_since": N_("unchanged since {period}"),
    "up_from": N_("up from {value} in {period}"),
    "down_from": N_("down from {value} in {period}"),
    "right_way": N_(", the right way"),
    "wrong_way": N_(", the wrong way"),
    "alt_latest": N_("Latest value {value} in {period}, {trend}{way}."),
    "alt_forecast": N_("If nothing changes the forecast is {value} by {period}."),
    "on_target": N_("on target"),
    "gap_points": N_("{gap} points"),
    "short_of": N_("{size} short of it"),
    "better_than": N_("{size} better than it"),
    "alt_target": N_("Target {value}: the latest value is {where}."),
    "note": N_("The forecast continues from the last actual value: where the measure is heading if nothing changes."),
}


def words(language: str) -> dict[str, str]:
    return {key: translate(message, language) for key, message in WORDS.items()}


def value_text(value: float, unit: str, decimals: int) -> str:
    """'62%', '£1,250', '1,204 people', '3.5 days'."""
    number = f"{value:,.{decimals}f}"
    if unit == "%":
        return f"{number}%"
    if unit == "£":
        return f"£{number}"
    return f"{number} {unit}"


def prepare(measure: PerformanceMeasure, title: str | None, source: str, language: str = "en",
            fmt: str = "svg") -> ChartData:
    """The actual values, the forecast (joined to the last actual), the target and which way is good."""
    w = words(language)
    name = (measure.name_cy or measure.name) if language == "cy" else measure.name
    history = [{"period": p.period, "value": float(p.value)} for p in measure.history]
    forecast = [{"period": p.period, "value": float(p.value)} for p in measure.forecast]
    if forecast and forecast[0]["period"] == history[-1]["period"]:
        forecast = forecast[1:]  # a forecast that repeats the last actual period starts from it anyway
    periods = list(dict.fromkeys([p["period"] for p in history] + [p["period"] for p in forecast]))
    target = None if measure.target is None else float(measure.target)
    values = [p["value"] for p in history + forecast] + ([target] if target is not None else [])
    decimals = 0 if all(float(v).is_integer() for v in values) else 1
    unit = (measure.unit_cy or measure.unit) if language == "cy" else measure.unit  # "%" and "£" are symbols
    payload = {
        "periods": periods, "history": history, "forecast": forecast, "target": target, "unit": unit,
        "higher_is_better": measure.higher_is_better, "decimals": decimals,
        "ylabel": unit, "xlabel": w["period"], "direction": w["rise" if measure.higher_is_better else "fall"],
        "labels": {"actual": w["actual"], "forecast": w["forecast"], "target": w["target"]},
    }
    actual_by = {p["period"]: p["value"] for p in history}
    forecast_by = {p["period"]: p["value"] for p in forecast}
    header = [w["period"], f"{w['actual_col']} ({unit})", f"{w['forecast_col']} ({unit})", f"{w['target']} ({unit})"]
    rows = [[period, actual_by.get(period), forecast_by.get(period), target] for period in periods]
    csv_rows = [{"period": r[0], "actual": r[1], "forecast": r[2], "target": r[3]} for r in rows]
    notes = [w["note"]]
    return ChartData("curve", title or name, source, _alt(measure, history, forecast, target, decimals, w, name, unit),
                     header, rows, csv_rows, payload, fmt, notes, language)


def _alt(measure: PerformanceMeasure, history: list[dict[str, Any]], forecast: list[dict[str, Any]],
         target: float | None, decimals: int, w: dict[str, str] | None = None, name: str | None = None,
         unit: str | None = None) -> str:
    w = w or words("en")
    unit = unit or measure.unit

    def show(value: float) -> str:
        return value_text(value, unit, decimals)

    first, last = history[0], history[-1]
    good = w["rise_good"] if measure.higher_is_better else w["fall_good"]
    parts = [w["alt_intro"].format(name=name or measure.name, unit=unit, first=first["period"],
                                   last=(forecast or history)[-1]["period"], good=good)]
    if last["value"] == first["value"]:
        trend = w["unchanged_since"].format(period=first["period"])
        way = ""
    else:
        went_up = last["value"] > first["value"]
        trend = w["up_from" if went_up else "down_from"].format(value=show(first["value"]), period=first["period"])
        way = w["right_way"] if went_up == measure.higher_is_better else w["wrong_way"]
    parts.append(w["alt_latest"].format(value=show(last["value"]), period=last["period"], trend=trend, way=way))
    if forecast:
        end = forecast[-1]
        parts.append(w["alt_forecast"].format(value=show(end["value"]), period=end["period"]))
    if target is not None:
        if last["value"] == target:
            where = w["on_target"]
        else:
            short = (last["value"] < target) == measure.higher_is_better
            gap = abs(target - last["value"])
            size = w["gap_points"].format(gap=f"{gap:,.{decimals}f}") if measure.unit == "%" else show(gap)
            where = w["short_of" if short else "better_than"].format(size=size)
        parts.append(w["alt_target"].format(value=show(target), where=where))
    return " ".join(parts)


def draw(data: ChartData) -> bytes:
    from matplotlib.ticker import FuncFormatter

    from .style import ACCENT, layout_of, legend_columns, new_figure, save, wrap, year_ticks

    layout = layout_of(data)
    payload = data.payload
    periods, history, forecast = payload["periods"], payload["history"], payload["forecast"]
    position = {period: i for i, period in enumerate(periods)}
    labels = payload["labels"]
    names = [labels[k] for k in ("actual", "forecast", "target") if k != "forecast" or forecast]
    legend_rows = -(-len(names) // legend_columns(layout, names, handle=3.2))
    fig, axes = new_figure(layout, 3.0 + 0.3 + 0.45 + legend_rows * layout.small * 1.5 / 72)
    ax = axes[0][0]
    hx = [position[p["period"]] for p in history]
    hy = [p["value"] for p in history]
    if forecast:
        fx = [hx[-1]] + [position[p["period"]] for p in forecast]
        fy = [hy[-1]] + [p["value"] for p in forecast]
        ax.axvspan(hx[-1], fx[-1] + 0.4, color="#F2F2F2", zorder=0, linewidth=0)
        ax.plot(fx, fy, color="#D55E00", linestyle=(0, (5, 3)), linewidth=2.0, marker="s", markersize=5,
                markerfacecolor="white", markevery=list(range(1, len(fx))), label=labels["forecast"], zorder=3)
    ax.plot(hx, hy, color=ACCENT, linestyle="-", linewidth=2.4, marker="o", markersize=5.5, label=labels["actual"],
            zorder=4)
    decimals, unit = payload["decimals"], payload["unit"]
    ax.annotate(_short(hy[-1], unit, decimals), xy=(hx[-1], hy[-1]), xytext=(0, 9), textcoords="offset points",
                ha="center", va="bottom", fontweight="bold", color=ACCENT, zorder=5)
    if forecast:
        ax.annotate(_short(fy[-1], unit, decimals), xy=(fx[-1], fy[-1]), xytext=(0, 9), textcoords="offset points",
                    ha="center", va="bottom", color="#A04400", zorder=5)
    values = hy + [p["value"] for p in forecast]
    target = payload["target"]
    if target is not None:
        values.append(target)
        ax.axhline(target, color="#009E73", linestyle=":", linewidth=2.0, label=labels["target"], zorder=2)
        # labelled in the right margin, where no data point can sit under it
        ax.annotate(f"{labels['target']}:\n{_short(target, unit, decimals)}", xy=(1, target),
                    xycoords=("axes fraction", "data"), xytext=(4, 0), textcoords="offset points", ha="left",
                    va="center", color="#006B4F", fontweight="bold", annotation_clip=False)
    low, high = min(values), max(values)
    pad = (high - low) * 0.18 or max(abs(high) * 0.1, 1.0)
    bottom, top = low - pad, high + pad * 1.3
    if unit == "%":
        bottom, top = max(bottom, 0.0), min(top, 100.0 + pad * 0.3)
    elif low >= 0:
        bottom = max(bottom, 0.0)
    ax.set_ylim(bottom, top)
    ax.set_xlim(-0.4, len(periods) - 0.6)
    year_ticks(ax, periods, layout, layout.width - 1.8)
    ax.grid(axis="x", visible=False)
    if unit in ("%", "£"):  # the ticks carry the unit: "60%", "£1,200"
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _short(value, unit, _places(value))))
    else:
        ax.set_ylabel(wrap(payload["ylabel"], 30))
    ax.set_xlabel(payload["xlabel"])
    ax.set_title(payload["direction"], loc="left", fontsize=layout.text, color="#333333", fontweight="bold")
    handles, found = ax.get_legend_handles_labels()
    order = [n for n in names if n in found]
    fig.legend([handles[found.index(n)] for n in order], order, loc="outside lower center",
               ncol=legend_columns(layout, order, handle=3.2), handlelength=3.2)
    return save(fig, data)


def _places(value: float) -> int:
    """Decimal places a tick's value needs (0, 1 or 2): 60 -> 0, 62.5 -> 1, 0.25 -> 2."""
    return next((places for places in (0, 1) if abs(value * 10 ** places - round(value * 10 ** places)) < 1e-9), 2)


def _short(value: float, unit: str, decimals: int) -> str:
    if unit == "%":
        return f"{value:,.{decimals}f}%"
    if unit == "£":
        return f"£{value:,.{decimals}f}"
    return f"{value:,.{decimals}f}"
