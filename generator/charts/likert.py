"""A survey question's answers on its scale, wave by wave, as a diverging stacked bar chart.

Each bar is one wave. Its segments are the shares of the substantive answers
(the base of every share) given to each option of the scale: the unfavourable
options left of zero, the favourable ones right, and the middle option of an
odd scale split half each side so it sits centred on zero. Answers kept apart
from the scale ("Don't know", "Prefer not to say") are not shares of it: they
are given as counts beside the bars, in the table and in the alt text.

Colours are Okabe & Ito's (vermillion and orange against blue and sky blue,
grey in the middle), and the two sides are hatched in opposite directions so
they still read apart in greyscale print.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..compute.surveys import QuestionResult, positive_codes
from ..render.i18n import N_, translate
from .common import ChartData

WORDS = {  # the chart's words, as message ids of the catalogue (generator/locale)
    "axis": N_("Share of substantive answers (%)"),
    "wave": N_("Wave"),
    "no_answers": N_("no substantive answers"),
    "answered": N_("Answered"),
    "positive": N_("Positive (%)"),
    "subtitle": N_("Left of zero: unfavourable answers; right: favourable"),
    "neutral": N_("; the middle answer is split either side of zero"),
    "apart": N_("Not on the scale (counts)"),
    'alt_intro': N_('Diverging bar chart of the answers to "{text}" on a {points}-point scale ({labels}), one bar per wave, unfavourable answers left of zero and favourable ones right.'),
    "alt_none": N_("{wave}: no substantive answers."),
    "alt_answered": N_("{wave}: {answered} substantive answers"),
    "alt_positive": N_(", {share}% positive"),
    "alt_apart": N_("; not on the scale: {counts}"),
    "alt_change": N_("From the first to the last wave the positive share {verb}{size} (95% confidence interval {lower} to {upper} points): {verdict}."),
    "rose": N_("rose"),
    "fell": N_("fell"),
    "unchanged": N_("did not change"),
    "by_points": N_(" by {points} points"),
    "improved": N_("improved"),
    "deteriorated": N_("deteriorated"),
    "no clear change": N_("no clear change"),
    "note_shares": N_("Shares are of the substantive answers in each wave; {apart} are counted apart."),
    "note_shares_none": N_("Shares are of the substantive answers in each wave; no other answers are counted apart."),
    "note_positive": N_("Positive answers: {labels}."),
}

VERDICTS = ("improved", "deteriorated", "no clear change")  # keys of WORDS: the verdicts in each language

LABEL_MIN = 6.0  # percent: smaller segments carry no label


def words(language: str) -> dict[str, str]:
    return {key: translate(message, language) for key, message in WORDS.items()}


def option_label(option: Any, language: str) -> str:
    """The option's Welsh label on a Welsh chart when it has one, else its English label."""
    if language == "cy" and getattr(option, "label_cy", None):
        return str(option.label_cy)
    return str(option.label)


def rounded_shares(counts: list[int]) -> list[float]:
    """Percentages to one decimal place that add up to exactly 100 (largest remainders get the spare tenths)."""
    total = sum(counts)
    if not total:
        return [0.0 for _ in counts]
    exact = [c * 1000 / total for c in counts]
    tenths = [int(e) for e in exact]
    spare = 1000 - sum(tenths)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - tenths[i]), i))
    for i in order[:spare]:
        tenths[i] += 1
    return [t / 10 for t in tenths]


def _scale(question: Any) -> tuple[list[Any], int | None]:
    """The options from the most unfavourable to the most favourable, and the neutral one's position (odd scales)."""
    options = list(question.options)
    if question.direction == "positive_low":
        options.reverse()
    middle = len(options) // 2 if len(options) % 2 else None
    return options, middle


def prepare(question_result: QuestionResult, title: str | None, source: str, language: str = "en",
            fmt: str = "svg") -> ChartData:
    """The shares of each option per wave (placed either side of zero), the counts kept apart, and the words."""
    question = question_result.question
    w = words(language)
    options, middle = _scale(question)
    half = len(options) // 2
    scale = [{"code": o.code, "label": option_label(o, language),
              "side": "neutral" if i == middle else ("negative" if i < half else "positive"),
              "rank": (half - i) if i < half else (i - (len(options) - 1 - half))}
             for i, o in enumerate(options)]  # rank: 1 next to zero, growing outwards
    apart_options = [{"code": o.code, "label": option_label(o, language)} for o in question.non_substantive]
    waves = []
    for wave in question_result.waves:
        # A hidden count (None, public builds) has no share and no place on the bar: the bar is laid out from the
        # published segments only, so its ends do not give a hidden count away either.
        counts = [wave.counts.get(o["code"], 0) for o in scale]
        answered = wave.answered
        if answered is None or any(c is None for c in counts):
            shares: list[float | None] = [None if c is None or answered is None else round(c / answered * 100, 1)
                                          for c in counts]
        else:
            shares = list(rounded_shares([int(c) for c in counts]))  # type: ignore[arg-type]
        known = [s or 0.0 for s in shares]
        neutral = known[middle] if middle is not None else 0.0
        left_total = round(sum(known[:half]) + neutral / 2, 2)
        right_total = round(sum(known[len(options) - half:]) + neutral / 2, 2)
        start = -left_total
        segments = []
        for option, count, share in zip(scale, counts, shares):
            segments.append({"code": option["code"], "count": "c" if count is None else int(count),
                             "share": "c" if share is None else share, "start": round(start, 2)})
            start += share or 0.0
        apart = [{"code": o["code"], "label": o["label"],
                  "count": "c" if wave.apart.get(o["code"], 0) is None else int(wave.apart.get(o["code"], 0) or 0)}
                 for o in apart_options]
        positive = None if wave.positive is None else round(wave.positive.share * 100, 1)
        waves.append({"wave": wave.wave, "label": wave.label, "answered": "c" if answered is None else int(answered),
                      "segments": segments, "left_total": left_total, "right_total": right_total, "apart": apart,
                      "positive": positive})
    text = question.text_cy if language == "cy" and question.text_cy else question.text
    title = title or text
    subtitle = w["subtitle"] + (w["neutral"] if middle is not None else "")
    payload = {"scale": scale, "waves": waves, "language": language, "subtitle": subtitle, "axis": w["axis"],
               "no_answers": w["no_answers"]}
    header = [w["wave"]] + [f"{o['label']} (%)" for o in scale] + [w["answered"]] + \
        [o["label"] for o in apart_options] + [w["positive"]]
    rows = [[wave["label"]] + [s["share"] for s in wave["segments"]] + [wave["answered"]]
            + [a["count"] for a in wave["apart"]] + [wave["positive"]] for wave in waves]
    csv_rows: list[dict[str, Any]] = []
    for wave in waves:
        for option, segment in zip(scale, wave["segments"]):
            csv_rows.append({"wave": wave["label"], "answer": option["label"], "code": option["code"], "on_scale": "yes",
                             "side": option["side"], "count": segment["count"], "percent_of_answered": segment["share"],
                             "from_percent": "" if segment["share"] == "c" else segment["start"],
                             "to_percent": "" if segment["share"] == "c" else round(segment["start"] + segment["share"], 2)})
        for apart in wave["apart"]:
            csv_rows.append({"wave": wave["label"], "answer": apart["label"], "code": apart["code"], "on_scale": "no",
                             "side": "", "count": apart["count"], "percent_of_answered": "", "from_percent": "",
                             "to_percent": ""})
    alt = _alt(question_result, text, scale, waves, w)
    apart_labels = ", ".join(o["label"] for o in apart_options)
    notes = [w["note_shares"].format(apart=apart_labels) if apart_labels else w["note_shares_none"]]
    positive = positive_codes(question)
    if positive:
        labels = {o.code: option_label(o, language) for o in question.options}
        notes.append(w["note_positive"].format(labels=", ".join(labels.get(c, c) for c in positive)))
    return ChartData("likert", title, source, alt, header, rows, csv_rows, payload, fmt, notes, language)


def _alt(result: QuestionResult, text: str, scale: list[dict[str, Any]], waves: list[dict[str, Any]],
         w: dict[str, str] | None = None) -> str:
    w = w or words("en")
    labels = " / ".join(o["label"] for o in scale)
    parts = [w["alt_intro"].format(text=text, points=len(scale), labels=labels)]
    for wave in waves:
        if not wave["answered"]:
            parts.append(w["alt_none"].format(wave=wave["label"]))
            continue
        sentence = w["alt_answered"].format(wave=wave["label"], answered=_n(wave["answered"]))
        if wave["positive"] is not None:
            sentence += w["alt_positive"].format(share=f"{wave['positive']:.1f}")
        sentence += " (" + ", ".join(f"{o['label']} " + ("c" if s["share"] == "c" else f"{s['share']:.1f}%")
                                     for o, s in zip(scale, wave["segments"])) + ")"
        apart = [f"{a['label']} {_n(a['count'])}" for a in wave["apart"] if a["count"]]
        if apart:
            sentence += w["alt_apart"].format(counts=", ".join(apart))
        parts.append(sentence + ".")
    parts.append(_change_sentence(result, w))
    return " ".join(p for p in parts if p)


def _n(count: Any) -> str:
    """A count as shown: with thousands separators, or the marker of a hidden one."""
    return count if isinstance(count, str) else f"{count:,}"


def _change_sentence(result: QuestionResult, w: dict[str, str] | None = None) -> str:
    """'From the first to the last wave the positive share rose by 8.0 points (95% CI ...): improved.'"""
    w = w or words("en")
    change = result.change
    if change is None:
        return ""
    points = change.difference * 100
    verb = w["rose"] if points > 0 else w["fell"] if points < 0 else w["unchanged"]
    size = w["by_points"].format(points=f"{abs(points):.1f}") if points else ""
    verdict = w[result.verdict] if result.verdict in VERDICTS else result.verdict
    return w["alt_change"].format(verb=verb, size=size, lower=f"{change.lower * 100:+.1f}",
                                  upper=f"{change.upper * 100:+.1f}", verdict=verdict)


# --- drawing -------------------------------------------------------------------

NEGATIVE = ("#E69F00", "#D55E00")  # next to zero, outermost: orange, vermillion
POSITIVE = ("#56B4E9", "#0072B2")  # sky blue, blue
NEUTRAL = "#BBBBBB"


def _blend(a: str, b: str, t: float) -> str:
    ra, ga, ba = (int(a[i:i + 2], 16) for i in (1, 3, 5))
    rb, gb, bb = (int(b[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(round(x + (y - x) * t) for x, y in ((ra, rb), (ga, gb), (ba, bb))))


def colour(side: str, rank: int, ranks: int) -> str:
    """Colour of an option: 1 next to zero is the lightest of its side, the outermost the darkest."""
    if side == "neutral":
        return NEUTRAL
    inner, outer = NEGATIVE if side == "negative" else POSITIVE
    if ranks <= 1:
        return outer
    return _blend(inner, outer, (rank - 1) / (ranks - 1))


def hatch(side: str, rank: int) -> str | None:
    """Backslashes on the unfavourable side, slashes on the favourable; denser further from zero."""
    if side == "neutral":
        return None
    return ("\\" if side == "negative" else "/") * min(rank + 1, 5)


def draw(data: ChartData) -> bytes:
    """A bar per wave, either side of zero. Wide: the waves named left of their bars and the counts kept apart
    right of them. Narrow: both on a line above each bar, so the bars take the whole width."""
    import math

    from matplotlib.ticker import FuncFormatter, MultipleLocator

    from .style import layout_of, legend_columns, new_figure, save, wrap

    layout = layout_of(data)
    narrow = layout.name == "narrow"
    payload = data.payload
    scale, waves = payload["scale"], payload["waves"]
    ranks = max((o["rank"] for o in scale if o["side"] != "neutral"), default=1)
    legend_labels = [textwrap.fill(o["label"], 16) for o in scale]
    ncol = legend_columns(layout, legend_labels, most=len(scale), handle=1.8)
    legend_rows = math.ceil(len(scale) / ncol)
    legend_height = legend_rows * (layout.small * 1.3 / 72 * max(label.count("\n") + 1 for label in legend_labels) + 0.1)
    notes = [[f"n = {_n(wave['answered'])}"] + [f"{a['label']}: {_n(a['count'])}" for a in wave["apart"]] for wave in waves]
    if narrow:  # the wave and its counts on a line (or more) above its bar
        heads = [wrap(" · ".join([wave["label"], *note]), layout.chars(layout.width - 0.2)) for wave, note in zip(waves, notes)]
        blocks = [0.1 + layout.small * 1.3 / 72 * (head.count("\n") + 1) + 0.36 for head in heads]
    else:
        heads, blocks = [], [0.62] * len(waves)
    subtitle = wrap(payload["subtitle"], layout.chars(layout.width - 0.4))
    fig, axes = new_figure(layout, sum(blocks) + 0.25 + legend_height + 0.5 + 0.18 * (subtitle.count("\n") + 1))
    ax = axes[0][0]
    reach = max([max(w["left_total"], w["right_total"]) for w in waves] + [50.0])
    limit = min(100.0, math.ceil(reach / 25) * 25)
    # the smallest segment whose share fits its label ("40%") inside it
    bar_inches = layout.width - (0.4 if narrow else 3.1)
    label_min = max(LABEL_MIN, (3 * 0.6 * layout.small + 4) / (bar_inches * 72 / (2 * limit)))
    top = 0.0
    centres = []
    for row, wave in enumerate(waves):
        y = top - blocks[row] + (0.2 if narrow else blocks[row] / 2)  # the bar's centre, in inches from the top
        centres.append(y)
        if narrow:
            ax.text(-limit, top - 0.1, heads[row], ha="left", va="top", color="#222222", zorder=5,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
            ax.vlines(0, y - 0.22, y + 0.22, color="#333333", linewidth=0.9, zorder=4)
        if not wave["answered"]:
            ax.text(0, y, payload["no_answers"], ha="center", va="center", color="#444444", style="italic")
        for option, segment in zip(scale, wave["segments"]):
            if not segment["share"] or segment["share"] == "c":
                continue
            fill = colour(option["side"], option["rank"], ranks)
            ax.barh(y, segment["share"], left=segment["start"], height=0.32 if narrow else 0.4, color=fill,
                    edgecolor="white", linewidth=0.6, hatch=hatch(option["side"], option["rank"]),
                    hatchcolor=_hatch_colour(fill), zorder=3)
            if segment["share"] >= label_min:
                ax.text(segment["start"] + segment["share"] / 2, y, f"{segment['share']:.0f}%", ha="center",
                        va="center", color="#000000", zorder=4,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})
        if not narrow:
            ax.annotate("\n".join(_wrap_each(notes[row], 30)), xy=(1.01, y), xycoords=("axes fraction", "data"),
                        ha="left", va="center", color="#333333", annotation_clip=False)
        top -= blocks[row]
    if not narrow:
        ax.axvline(0, color="#333333", linewidth=0.9, zorder=4)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(top, 0)
    ax.xaxis.set_major_locator(MultipleLocator(25 if limit <= 50 or not narrow else 50))
    ax.xaxis.set_minor_locator(MultipleLocator(25))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{abs(value):.0f}"))
    if narrow:
        ax.set_yticks([])
    else:
        ax.set_yticks(centres, [textwrap.fill(w["label"], 22) for w in waves])
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(wrap(payload["axis"], layout.chars(layout.width - 0.4, layout.text)))
    ax.set_title(subtitle, loc="left", fontsize=layout.small, color="#333333")
    ax.spines["left"].set_visible(False)
    handles = [_legend_patch(o, ranks, label) for o, label in zip(scale, legend_labels)]
    # a legend fills column by column: reorder so it reads along each row in scale order
    handles = [handles[r * ncol + c] for c in range(ncol) for r in range(legend_rows) if r * ncol + c < len(handles)]
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, handlelength=1.8, handleheight=1.1,
               columnspacing=1.2)
    return save(fig, data)


def _hatch_colour(fill: str) -> str:
    """White lines on a dark fill, dark grey lines on a light one."""
    red, green, blue = (int(fill[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "#FFFFFF" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.5 else "#333333"


def _legend_patch(option: dict[str, Any], ranks: int, label: str) -> Any:
    from matplotlib.patches import Patch

    fill = colour(option["side"], option["rank"], ranks)
    return Patch(facecolor=fill, edgecolor="white", hatch=hatch(option["side"], option["rank"]),
                 hatchcolor=_hatch_colour(fill), label=label)


def _wrap_each(lines: list[str], width: int) -> list[str]:
    return [textwrap.fill(line, width) for line in lines]
