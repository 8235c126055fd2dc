"""A check-all question (``kind: multiple``) as horizontal bars: the share of respondents choosing each option.

The base of every share is respondents - those who answered the question -
not the ticks, so the bars of one wave can add up to more than 100%. Each
option gets one bar per wave (waves in a fixed order of colours and hatches,
so they still read apart in greyscale print). The counts are the ones the
page's table shows after disclosure control: an option hidden there ("c") has
no bar and no share here either, and is named as hidden in the data table,
the CSV and the alt text. Options counted apart ("Prefer not to say") are not
shares of the base; they are given as counts.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..compute.surveys import QuestionResult
from .common import ChartData, words_in
from .likert import option_label

WORDS = {
    "en": {
        "axis": "Share of respondents who answered (%)",
        "wave": "Wave",
        "option": "Answer",
        "chose": "Respondents choosing",
        "share": "Share of respondents (%)",
        "base": "Respondents who answered (the base)",
        "apart": "{label} (counted apart)",
        "subtitle": "Respondents could choose more than one answer: the shares can add up to more than 100%",
        "alt_intro": "Horizontal bar chart of the share of respondents choosing each answer to \"{text}\", "
                     "a question where respondents could choose more than one answer, {waves}.",
        "alt_waves": "one bar per answer and wave",
        "alt_one_wave": "in one wave",
        "alt_wave": "{wave} ({base} respondents answered): {shares}",
        "alt_none": "{wave}: nobody answered",
        "alt_apart": "; counted apart: {counts}",
        "note_base": "Each share is of the respondents who answered the question, not of the answers ticked; "
                     "respondents could choose more than one answer, so the shares can add up to more than 100%.",
        "note_apart": "{labels}: counted apart, not in the base.",
        "nobody": "nobody answered",
    },
    "cy": {
        "axis": "Cyfran o'r ymatebwyr a atebodd (%)",
        "wave": "Ton",
        "option": "Ateb",
        "chose": "Ymatebwyr a ddewisodd",
        "share": "Cyfran o'r ymatebwyr (%)",
        "base": "Ymatebwyr a atebodd (y sylfaen)",
        "apart": "{label} (wedi'i gyfrif ar wahân)",
        "subtitle": "Gallai ymatebwyr ddewis mwy nag un ateb: gall y cyfrannau adio i fwy na 100%",
        "alt_intro": "Siart bar llorweddol o gyfran yr ymatebwyr a ddewisodd bob ateb i \"{text}\", "
                     "cwestiwn lle gallai ymatebwyr ddewis mwy nag un ateb, {waves}.",
        "alt_waves": "un bar i bob ateb a thon",
        "alt_one_wave": "mewn un don",
        "alt_wave": "{wave} ({base} o ymatebwyr wedi ateb): {shares}",
        "alt_none": "{wave}: neb wedi ateb",
        "alt_apart": "; wedi'u cyfrif ar wahân: {counts}",
        "note_base": "Mae pob cyfran o'r ymatebwyr a atebodd y cwestiwn, nid o'r atebion a diciwyd; gallai "
                     "ymatebwyr ddewis mwy nag un ateb, felly gall y cyfrannau adio i fwy na 100%.",
        "note_apart": "{labels}: wedi'u cyfrif ar wahân, nid yn y sylfaen.",
        "nobody": "neb wedi ateb",
    },
}

HIDDEN = "c"
# Okabe & Ito's blue, orange, bluish green, vermillion, sky blue, reddish purple: one per wave, in order.
WAVE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7")
WAVE_HATCHES = (None, "////", "....", "\\\\\\\\", "xxx", "---")


def words(language: str) -> dict[str, str]:
    return words_in(WORDS, language)


def prepare(question_result: QuestionResult, title: str | None, source: str, language: str = "en",
            fmt: str = "svg", notes: list[str] | None = None) -> ChartData:
    """Each option's count and share of respondents per wave, as the page's table publishes them.

    ``notes`` are the page's own notes on disclosure control (what ``c`` means, rounding), added to the
    chart's so the download carries them.
    """
    question = question_result.question
    w = words(language)
    options = [{"code": o.code, "label": option_label(o, language)} for o in question.options]
    apart_options = [{"code": o.code, "label": option_label(o, language)} for o in question.non_substantive]
    waves = []
    for wave in question_result.waves:
        base = wave.answered
        bars = []
        for option in options:
            count = wave.counts.get(option["code"], 0)
            if base is None or count is None:
                bars.append({"code": option["code"], "count": HIDDEN, "share": HIDDEN})
            else:
                bars.append({"code": option["code"], "count": int(count),
                             "share": round(count / base * 100, 1) if base else None})
        apart = [{"code": o["code"], "label": o["label"],
                  "count": HIDDEN if wave.apart.get(o["code"], 0) is None else int(wave.apart.get(o["code"], 0) or 0)}
                 for o in apart_options]
        waves.append({"wave": wave.wave, "label": wave.label, "base": HIDDEN if base is None else int(base),
                      "bars": bars, "apart": apart})
    text = question.text_cy if language == "cy" and question.text_cy else question.text
    payload = {"options": options, "waves": waves, "axis": w["axis"], "subtitle": w["subtitle"],
               "nobody": w["nobody"]}
    header = [w["wave"], w["option"], w["chose"], w["share"]]
    rows: list[list[Any]] = []
    csv_rows: list[dict[str, Any]] = []
    for wave in waves:
        rows.append([wave["label"], w["base"], wave["base"], ""])
        for option, bar in zip(options, wave["bars"]):
            rows.append([wave["label"], option["label"], bar["count"], "" if bar["share"] is None else bar["share"]])
            csv_rows.append({"wave": wave["label"], "answer": option["label"], "code": option["code"],
                             "counted_apart": "no", "respondents_choosing": bar["count"],
                             "respondents_answering": wave["base"],
                             "percent_of_respondents": "" if bar["share"] is None else bar["share"]})
        for apart in wave["apart"]:
            rows.append([wave["label"], w["apart"].format(label=apart["label"]), apart["count"], ""])
            csv_rows.append({"wave": wave["label"], "answer": apart["label"], "code": apart["code"],
                             "counted_apart": "yes", "respondents_choosing": apart["count"],
                             "respondents_answering": "", "percent_of_respondents": ""})
    chart_notes = [w["note_base"]]
    if apart_options:
        chart_notes.append(w["note_apart"].format(labels=", ".join(o["label"] for o in apart_options)))
    chart_notes += list(notes or [])
    return ChartData("choices", title or text, source, _alt(text, options, waves, w), header, rows, csv_rows,
                     payload, fmt, chart_notes, language)


def _alt(text: str, options: list[dict[str, Any]], waves: list[dict[str, Any]], w: dict[str, str]) -> str:
    parts = [w["alt_intro"].format(text=text, waves=w["alt_waves"] if len(waves) > 1 else w["alt_one_wave"])]
    for wave in waves:
        if wave["base"] == 0:
            parts.append(w["alt_none"].format(wave=wave["label"]) + ".")
            continue
        shares = ", ".join(f"{o['label']} " + (HIDDEN if bar["share"] == HIDDEN else f"{bar['share']:.1f}%")
                           for o, bar in zip(options, wave["bars"]))
        base = wave["base"] if isinstance(wave["base"], str) else f"{wave['base']:,}"
        sentence = w["alt_wave"].format(wave=wave["label"], base=base, shares=shares)
        apart = [f"{a['label']} {a['count'] if isinstance(a['count'], str) else format(a['count'], ',')}"
                 for a in wave["apart"] if a["count"]]
        if apart:
            sentence += w["alt_apart"].format(counts=", ".join(apart))
        parts.append(sentence + ".")
    return " ".join(parts)


# --- drawing -------------------------------------------------------------------


def draw(data: ChartData) -> bytes:
    """A group of bars per answer (one bar per wave). Wide: the answer named left of its group. Narrow: on a
    line of its own above the group, so the bars take the whole width."""
    import math

    from .style import layout_of, legend_columns, new_figure, save, wrap

    layout = layout_of(data)
    narrow = layout.name == "narrow"
    payload = data.payload
    options, waves = payload["options"], payload["waves"]
    count = max(len(waves), 1)
    bar = 0.22 if narrow else 0.2  # inches per bar
    if narrow:
        labels = [wrap(o["label"], layout.chars(layout.width - 0.2)) for o in options]
        heads = [0.08 + layout.small * 1.3 / 72 * (label.count("\n") + 1) for label in labels]
    else:
        labels = [textwrap.fill(o["label"], 28) for o in options]
        heads = [0.0] * len(options)
    blocks = [head + max(bar * count + 0.14, 0.0 if narrow else layout.small * 1.3 / 72 * (label.count("\n") + 1) + 0.1)
              for head, label in zip(heads, labels)]
    subtitle = wrap(payload["subtitle"], layout.chars(layout.width - 0.3))
    legend = 0.3 * math.ceil(len(waves) / legend_columns(layout, [w["label"] for w in waves], most=4)) if len(waves) > 1 else 0.0
    fig, axes = new_figure(layout, sum(blocks) + 0.55 + legend + 0.18 * (subtitle.count("\n") + 1))
    ax = axes[0][0]
    shares = [b["share"] for wave in waves for b in wave["bars"] if isinstance(b["share"], (int, float))]
    limit = min(100.0, max(25.0, math.ceil((max(shares, default=0) + (14 if narrow else 8)) / 25) * 25))
    top = 0.0
    centres = []
    for position, (label, head, block) in enumerate(zip(labels, heads, blocks)):
        first = top - head - 0.07 - bar / 2  # the first wave's bar, in inches from the top
        centres.append(first - (count - 1) * bar / 2)
        if narrow:
            ax.text(0, top - 0.06, label, ha="left", va="top", color="#000000")
        for index, wave in enumerate(waves):
            item = wave["bars"][position]
            y = first - index * bar
            share = item["share"]
            if share == HIDDEN or share is None:
                ax.text(0.5, y, HIDDEN if share == HIDDEN else "–", ha="left", va="center", color="#333333",
                        style="italic")
                continue
            ax.barh(y, share, height=bar * 0.9, color=WAVE_COLOURS[index % len(WAVE_COLOURS)], edgecolor="white",
                    linewidth=0.5, hatch=WAVE_HATCHES[index % len(WAVE_HATCHES)], zorder=3,
                    label=wave["label"] if position == 0 else None)
            ax.text(share + 0.8, y, f"{share:.0f}%", ha="left", va="center", color="#000000")
        top -= block
    ax.set_xlim(0, limit)
    ax.set_ylim(top, 0)
    if narrow:
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
    else:
        ax.set_yticks(centres, labels)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(wrap(payload["axis"], layout.chars(layout.width - 0.3, layout.text)))
    ax.set_title(subtitle, loc="left", fontsize=layout.small, color="#333333")
    if len(waves) > 1:
        handles, names = ax.get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=legend_columns(layout, names, most=4))
    return save(fig, data)
