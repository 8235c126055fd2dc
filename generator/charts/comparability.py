"""Small-area deprivation scores of each case-study site: a box per site with its areas as points."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..content.blocks import ComparabilityChart
from ..render.i18n import N_, ntranslate, translate
from .common import ChartData


def prepare(view: Any, spec: ComparabilityChart) -> ChartData:
    language = view.language
    _ = partial(translate, language=language)
    sites = []
    for site in view.sites:
        scores = [a.imd_score for a in site.model.small_areas if a.imd_score is not None]
        if scores:
            sites.append({"name": site.model.name, "scores": scores, "third": _third(view.la_of_site(site.model.id))})
    title = spec.title or _("Small-area deprivation scores of the case-study sites")
    lows = min(sites, key=lambda s: min(s["scores"])) if sites else None
    highs = max(sites, key=lambda s: max(s["scores"])) if sites else None
    alt = ntranslate("Box plot with points of the small-area deprivation scores of %(num)s case-study site.",
                     "Box plot with points of the small-area deprivation scores of %(num)s case-study sites.",
                     len(sites), language)
    if sites:
        alt += " " + _("Scores run from %(low)s (%(low_site)s) to %(high)s (%(high_site)s); site medians lie between "
                       "%(low_median)s and %(high_median)s.") % {
            "low": f"{min(lows['scores']):.1f}", "low_site": lows["name"],
            "high": f"{max(highs['scores']):.1f}", "high_site": highs["name"],
            "low_median": f"{min(_median(s['scores']) for s in sites):.1f}",
            "high_median": f"{max(_median(s['scores']) for s in sites):.1f}"}
    rows = [[s["name"], len(s["scores"]), _median(s["scores"]), min(s["scores"]), max(s["scores"])] for s in sites]
    csv_rows = [{"site": s["name"], "area": i + 1, "score": v} for s in sites for i, v in enumerate(s["scores"])]
    words = {"axis": _("Deprivation score (higher = more deprived)"),
             "legend": {k: _(LEGEND[k]) for k in LEGEND}}
    return ChartData("comparability", title, _("Source: small-area scores in the sites' own documents."), alt,
                     [_("Site"), _("Small areas"), _("Median score"), _("Lowest"), _("Highest")], rows, csv_rows,
                     {"sites": sites, "words": words}, spec.format, language=language)


LEGEND = {"high": N_("Site in a high-deprivation LA"), "middle": N_("Site in a middle-deprivation LA"),
          "low": N_("Site in a low-deprivation LA")}


_UNGROUPED = {"color": "#777777", "marker": "o"}  # a site whose LA declares no deprivation third


def _third(la: Any) -> str | None:
    return la.deprivation.third.value if la is not None and la.deprivation is not None else None


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def draw(data: ChartData) -> bytes:
    """A box per site with its small areas as points: upright side by side when wide, lying one under another
    when narrow (so the sites' names read across)."""
    from matplotlib.lines import Line2D

    from .style import THIRD_STYLE, layout_of, legend_columns, new_figure, save, wrap

    layout = layout_of(data)
    across = layout.name == "narrow"
    sites = data.payload["sites"]
    fig, axes = new_figure(layout, (0.42 * len(sites) + 1.5) if across else 3.6)
    ax = axes[0][0]
    positions = list(range(1, len(sites) + 1))
    if across:
        positions.reverse()  # the first site at the top
    boxes = [(place, site["scores"]) for place, site in zip(positions, sites) if site["scores"]]  # no box without scores
    if boxes:
        ax.boxplot([scores for _, scores in boxes], positions=[place for place, _ in boxes], widths=0.5, showfliers=False,
                   orientation="horizontal" if across else "vertical",
                   medianprops={"color": "#000000", "linewidth": 1.6}, boxprops={"color": "#444444"},
                   whiskerprops={"color": "#444444"}, capprops={"color": "#444444"})
    for place, site in zip(positions, sites):
        style = THIRD_STYLE.get(site["third"], _UNGROUPED)
        count = len(site["scores"])
        # spread the points evenly across the box (no randomness, so the same data draw the same file)
        offsets = [place + (-0.12 + 0.24 * i / max(count - 1, 1)) for i in range(count)]
        points = (site["scores"], offsets) if across else (offsets, site["scores"])
        ax.scatter(*points, color=style["color"], marker=style["marker"], s=22, zorder=3, edgecolors="#000000",
                   linewidths=0.4)
    words = data.payload.get("words") or {"axis": "Deprivation score (higher = more deprived)", "legend": LEGEND}
    label = words["axis"]
    names = [s["name"] for s in sites]
    if across:
        ax.set_yticks(positions, names)
        ax.set_xlabel(wrap(label, layout.chars(layout.width - 1.2, layout.text)))
        ax.grid(axis="y", visible=False)
    else:
        ax.set_xticks(positions, [wrap(n, layout.chars(layout.width / max(len(sites), 1) - 0.1)) for n in names])
        ax.set_ylabel(label)
        ax.grid(axis="x", visible=False)
    handles = [Line2D([], [], color=s["color"], marker=s["marker"], linestyle="", markeredgecolor="#000000",
                      label=words["legend"][k]) for k, s in THIRD_STYLE.items() if any(x["third"] == k for x in sites)]
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=legend_columns(layout, [h.get_label() for h in handles], handle=1.0))
    return save(fig, data)
