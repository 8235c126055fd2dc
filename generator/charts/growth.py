"""Fitted growth curves of spending per child: each deprivation third's average, the LA's own in bold."""

from __future__ import annotations

from ..content.blocks import GrowthChart
from ..content.loader import Study
from ..compute.spending import growth_fit
from .common import THIRD_NAMES, ChartData, change_words, dataset, source_line, thirds_of

def prepare(study: Study, spec: GrowthChart, la: str, la_name: str) -> ChartData:
    import numpy as np

    from ..compute.growth import GrowthError

    sources = [dataset(study, spec.dataset), dataset(study, spec.deflator), dataset(study, spec.deprivation)]
    title = spec.title or f"Growth model of spending per child at {study.project.model.base_year} prices"  # type: ignore[union-attr]
    try:
        model, frame = growth_fit(study, spec)
    except (GrowthError, np.linalg.LinAlgError) as error:  # too few LAs or years with figures: say so, draw nothing
        note = f"The growth model could not be fitted to these figures: {error}."
        return ChartData("growth", title, source_line(*sources), f"No chart: {note}", ["Year"], [], [],
                         {"years": [], "thirds": {}, "la": [], "observed": [], "la_label": la_name, "empty": note},
                         spec.format, [note])
    curves = model.fitted_curves()
    thirds = thirds_of(study, spec.deprivation, spec.score_column, spec.la_column)
    curves["third"] = curves["unit"].astype(str).map(thirds)
    times = sorted(curves["time"].unique())
    labels = {int(t): y for t, y in zip(frame["time"], frame["year"])}
    years = [labels[int(t)] for t in times]
    means = {third: [round(float(curves[(curves.third == third) & (curves.time == t)]["fitted"].mean()), 2) for t in times]
             for third in ("high", "middle", "low")}
    own = curves[curves["unit"].astype(str) == la].sort_values("time")
    fitted_at = {int(t): round(float(v), 2) for t, v in zip(own["time"], own["fitted"])}
    observed = frame[frame["la"] == la].sort_values("time")
    observed_at = {int(t): round(float(v), 2) for t, v in zip(observed["time"], observed["value"])}
    # one place per year, None where the LA has no figure, so a missing year is a gap and not a shift
    own_fit = [fitted_at.get(int(t)) for t in times] if fitted_at else []
    own_obs = [observed_at.get(int(t)) for t in times] if observed_at else []
    means = {third: [None if v != v else v for v in values] for third, values in means.items()}
    payload = {"years": years, "thirds": means, "la": own_fit, "observed": own_obs, "la_label": la_name}
    slope = model.fixed_effect(model.fixed_effects[1].name)
    title = spec.title or f"Growth model of spending per child at {study.project.model.base_year} prices"  # type: ignore[union-attr]
    alt = (f"Line chart of fitted spending per child from {years[0]} to {years[-1]} (a growth model with each LA's own "
           f"intercept and slope, deprivation as predictor). "
           + " ".join(f"The {THIRD_NAMES[t]} average curve {change_words(k[0], k[-1], '£')}." for t, v in means.items()
                      if len(k := [x for x in v if x is not None]) >= 2)
           + (f" {la_name}'s fitted curve {change_words(f[0], f[-1], '£')}." if len(f := [x for x in own_fit if x is not None]) >= 2 else "")
           + (f" No figure for {la_name} in {', '.join(y for y, v in zip(years, own_obs) if v is None)} (left out of the fit)."
              if own_obs and None in own_obs else "")
           + f" Average yearly change at the start: {'-' if slope.estimate < 0 else '+'}£{abs(slope.estimate):,.1f} per child.")
    rows = [[y, own_obs[i] if i < len(own_obs) else None, own_fit[i] if i < len(own_fit) else None]
            + [means[t][i] for t in ("high", "middle", "low")] for i, y in enumerate(years)]
    csv_rows = [dict(zip(["year", "observed", "fitted", "high_average", "middle_average", "low_average"], r)) for r in rows]
    header = ["Year", f"{la_name} observed", f"{la_name} fitted", "High-deprivation curve", "Middle-deprivation curve", "Low-deprivation curve"]
    from ..compute.missing import Missing

    no_figure = Missing("–", "no figure for this LA and year (left out of the fit)")
    rows = [[r[0], no_figure if r[1] is None and own_obs else r[1], *r[2:]] for r in rows]
    csv_rows = [{**row, "observed": "–" if row["observed"] is None and own_obs else row["observed"]} for row in csv_rows]
    notes = [*([f"–: {no_figure.meaning}."] if any(r[1] is no_figure for r in rows) else []),
             f"Linear mixed model ({model.method}), {model.n_units} LAs, {model.n_obs} LA-years; random intercepts and slopes.",
             *(note[0].upper() + note[1:] + ("" if note.endswith(".") else ".") for note in model.notes)]
    return ChartData("growth", title, source_line(*sources), alt, header, rows, csv_rows, payload, spec.format, notes)


def draw(data: ChartData) -> bytes:
    from .style import LA_STYLE, THIRD_STYLE, layout_of, legend_columns, new_figure, save, wrap, year_ticks

    layout = layout_of(data)
    payload = data.payload
    fig, axes = new_figure(layout, 3.6 if layout.name == "wide" else 4.4)
    ax = axes[0][0]
    x = list(range(len(payload["years"])))
    if payload.get("empty"):
        ax.axis("off")
        ax.text(0.5, 0.5, wrap(payload["empty"], layout.chars(layout.width - 0.4)), ha="center", va="center")
        return save(fig, data)
    nan = lambda s: [float("nan") if v is None else v for v in s]  # noqa: E731  (a gap, not a joined line)
    for third, values in payload["thirds"].items():
        style = THIRD_STYLE[third]
        ax.plot(x, nan(values), color=style["color"], linestyle=style["linestyle"], marker=style["marker"], markersize=3.5,
                linewidth=2.2, label=style["label"].replace("average", "curve"))
    if payload["la"]:
        ax.plot(x, nan(payload["la"]), label=f"{payload['la_label']} (fitted)", **LA_STYLE)
        ax.scatter(x, nan(payload["observed"]), color="#000000", marker="o", s=14, facecolors="none",
                   label=f"{payload['la_label']} (observed)", zorder=6)
    ax.set_ylabel("£ per child")
    year_ticks(ax, payload["years"], layout, layout.width - 0.7)
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=legend_columns(layout, names))
    return save(fig, data)
