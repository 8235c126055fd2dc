"""The share answering a survey question positively in each wave, with its 95% Wilson interval.

One point per wave, on a 0-100% axis, with error bars from the Wilson score
interval computed in ``compute.surveys``. The subtitle and alt text carry the
test of the change from the first to the last wave and its verdict
("improved", "deteriorated" or "no clear change").
"""

from __future__ import annotations

from typing import Any

from ..compute.surveys import QuestionResult, positive_codes
from ..render.i18n import N_, Nn_, translate, translations
from .common import ChartData
from .likert import option_label

WORDS = {  # the chart's words, as message ids of the catalogue (generator/locale)
    "axis": N_("Share answering positively (%)"),
    "wave": N_("Wave"),
    "positive": N_("Positive"),
    "lower": N_("95% CI lower (%)"),
    "upper": N_("95% CI upper (%)"),
    "answered": N_("Answered"),
    "count": N_("Positive answers"),
    "counted": N_("Positive answers: {labels}. Bars: 95% confidence intervals (Wilson)"),
    "change": N_("Change from first to last wave: {points} points (95% CI {lower} to {upper}): {verdict}"),
    "one_wave": N_("Only one wave so far: no change to test"),
    "improved": N_("improved"),
    "deteriorated": N_("deteriorated"),
    "no clear change": N_("no clear change"),
    "alt_or": N_(" or "),
    "alt_declared": N_("as declared"),
    "alt_point": N_("{wave}: {share}% ({k} of {n}; 95% CI {lower}% to {upper}%)."),
    "alt_change": N_("From the first to the last wave it {verb}{size} (95% CI {lower} to {upper} points, {p}): {verdict}."),
    "rose": N_("rose"),
    "fell": N_("fell"),
    "unchanged": N_("did not change"),
    "by_points": N_(" by {points} points"),
    "alt_one_wave": N_("There is only one wave, so no change is tested."),
    "note": N_("Intervals are 95% Wilson score intervals; the change is a two-proportion z test of the last wave against the first (p < 0.05 to count as a change)."),
}


# the alt text's opening, counted (ngettext: each language its own plural forms)
ALT_INTRO = Nn_('Chart of the share answering "{text}" positively ({labels}) in {count} wave, with its 95% '
                'confidence interval.',
                'Chart of the share answering "{text}" positively ({labels}) in each of {count} waves, with 95% '
                'confidence intervals.')


def words(language: str) -> dict[str, str]:
    return {key: translate(message, language) for key, message in WORDS.items()}


def prepare(question_result: QuestionResult, title: str | None, source: str, language: str = "en",
            fmt: str = "svg") -> ChartData:
    """Each wave's positive share and interval (in percent, one decimal), the change and its verdict."""
    question = question_result.question
    w = words(language)
    points = [{"wave": wave.wave, "label": wave.label, "k": wave.positive.k, "n": wave.positive.n,
               "share": round(wave.positive.share * 100, 1), "lower": round(wave.positive.lower * 100, 1),
               "upper": round(wave.positive.upper * 100, 1)}
              for wave in question_result.waves if wave.positive is not None]
    labels = {o.code: option_label(o, language) for o in question.options}
    positive_labels = [labels.get(c, c) for c in positive_codes(question)]
    change = question_result.change
    subtitle_lines = [w["counted"].format(labels=", ".join(positive_labels))]
    if change is not None and question_result.verdict:
        subtitle_lines.append(w["change"].format(
            points=f"{change.difference * 100:+.1f}", lower=f"{change.lower * 100:+.1f}",
            upper=f"{change.upper * 100:+.1f}", verdict=w.get(question_result.verdict, question_result.verdict)))
    elif len(points) < 2:
        subtitle_lines.append(w["one_wave"])
    text = question.text_cy if language == "cy" and question.text_cy else question.text
    title = title or text
    payload = {"points": points, "subtitle": subtitle_lines, "axis": w["axis"], "wave": w["wave"]}
    header = [w["wave"], w["count"], w["answered"], f"{w['positive']} (%)", w["lower"], w["upper"]]
    rows = [[p["label"], p["k"], p["n"], p["share"], p["lower"], p["upper"]] for p in points]
    csv_rows = [{"wave": p["label"], "positive": p["k"], "answered": p["n"], "positive_percent": p["share"],
                 "lower_95_percent": p["lower"], "upper_95_percent": p["upper"]} for p in points]
    alt = _alt(question_result, text, points, positive_labels, w, language)
    notes = [w["note"]]
    return ChartData("waves", title, source, alt, header, rows, csv_rows, payload, fmt, notes, language)


def _alt(result: QuestionResult, text: str, points: list[dict[str, Any]], positive: list[str],
         w: dict[str, str] | None = None, language: str = "en") -> str:
    w = w or words(language)
    intro = translations(language).ngettext(*ALT_INTRO, len(points))
    parts = [intro.format(text=text, labels=w["alt_or"].join(positive) or w["alt_declared"], count=len(points))]
    parts.extend(w["alt_point"].format(wave=p["label"], share=f"{p['share']:.1f}", k=f"{p['k']:,}", n=f"{p['n']:,}",
                                       lower=f"{p['lower']:.1f}", upper=f"{p['upper']:.1f}") for p in points)
    change = result.change
    if change is not None and result.verdict:
        points_change = change.difference * 100
        verb = w["rose"] if points_change > 0 else w["fell"] if points_change < 0 else w["unchanged"]
        size = w["by_points"].format(points=f"{abs(points_change):.1f}") if points_change else ""
        p_value = "p < 0.001" if change.p < 0.001 else f"p = {change.p:.3f}"
        parts.append(w["alt_change"].format(verb=verb, size=size, lower=f"{change.lower * 100:+.1f}",
                                            upper=f"{change.upper * 100:+.1f}", p=p_value,
                                            verdict=w.get(result.verdict, result.verdict)))
    elif len(points) < 2:
        parts.append(w["alt_one_wave"])
    return " ".join(parts)


def draw(data: ChartData) -> bytes:
    from matplotlib.ticker import MultipleLocator

    from .style import ACCENT, layout_of, new_figure, save, wrap

    layout = layout_of(data)
    payload = data.payload
    points = payload["points"]
    subtitle = "\n".join(wrap(line, layout.chars(layout.width - 0.3)) for line in payload["subtitle"])
    per_point = (layout.width - 0.9) / max(len(points), 1)
    ticks = [wrap(p["label"], layout.chars(per_point - 0.1)) for p in points]
    tick_lines = max((t.count("\n") + 1 for t in ticks), default=1)
    fig, axes = new_figure(layout, 2.6 + 0.18 * (subtitle.count("\n") + 1) + 0.16 * tick_lines + 0.4)
    ax = axes[0][0]
    x = list(range(len(points)))
    shares = [p["share"] for p in points]
    below = [p["share"] - p["lower"] for p in points]
    above = [p["upper"] - p["share"] for p in points]
    ax.errorbar(x, shares, yerr=[below, above], fmt="o", color=ACCENT, ecolor="#333333", elinewidth=1.2, capsize=4,
                markersize=6.5, markeredgecolor="#003f63", zorder=3)
    for i, p in enumerate(points):
        ax.annotate(f"{p['share']:.0f}%", xy=(i, p["share"]), xytext=(9, 0), textcoords="offset points",
                    ha="left", va="center", fontweight="bold", color="#000000")
    ax.set_ylim(0, 100)
    ax.set_xlim(-0.6, len(points) - 0.4)
    ax.yaxis.set_major_locator(MultipleLocator(20 if layout.name == "wide" else 25))
    ax.set_xticks(x, ticks)
    ax.grid(axis="x", visible=False)
    ax.set_ylabel(wrap(payload["axis"], 30))
    ax.set_xlabel(payload["wave"])
    ax.set_title(subtitle, loc="left", fontsize=layout.small, color="#333333")
    return save(fig, data)
