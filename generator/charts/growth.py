"""Fitted growth curves of spending per child: each deprivation third's average, the LA's own in bold."""

from __future__ import annotations

from functools import partial

from ..content.blocks import GrowthChart
from ..content.loader import Study
from ..compute.spending import growth_fit
from ..render.i18n import N_, translate
from .common import THIRD_NAMES, ChartData, change_words, dataset, source_line, thirds_of
from .style import THIRD_STYLE

CURVES = {"high": N_("High-deprivation curve"), "middle": N_("Middle-deprivation curve"), "low": N_("Low-deprivation curve")}


def prepare(study: Study, spec: GrowthChart, la: str, la_name: str, language: str = "en") -> ChartData:
    import numpy as np

    from ..compute.growth import GrowthError

    _ = partial(translate, language=language)
    sources = [dataset(study, spec.dataset), dataset(study, spec.deflator), dataset(study, spec.deprivation)]
    base_year = study.project.model.base_year  # type: ignore[union-attr]
    title = spec.title or _("Growth model of spending per child at %(base_year)s prices") % {"base_year": base_year}
    source = source_line(*sources, language=language)
    try:
        model, frame = growth_fit(study, spec)
    except (GrowthError, np.linalg.LinAlgError) as error:  # too few LAs or years with figures: say so, draw nothing
        note = _("The growth model could not be fitted to these figures: %(error)s.") % {"error": error}
        return ChartData("growth", title, source, _("No chart: %(note)s") % {"note": note}, [_("Year")], [], [],
                         {"years": [], "thirds": {}, "la": [], "observed": [], "la_label": la_name, "empty": note},
                         spec.format, [note], language)
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
    payload = {"years": years, "thirds": means, "la": own_fit, "observed": own_obs, "la_label": la_name,
               "curve_labels": {t: _(CURVES[t]) for t in CURVES}, "axis": _("£ per child"),
               "fitted": _("%(la)s (fitted)") % {"la": la_name}, "observed_label": _("%(la)s (observed)") % {"la": la_name}}
    slope = model.fixed_effect(model.fixed_effects[1].name)
    alt = (_("Line chart of fitted spending per child from %(first)s to %(last)s (a growth model with each LA's own "
             "intercept and slope, deprivation as predictor).") % {"first": years[0], "last": years[-1]}
           + "".join(" " + _("The %(third)s average curve %(change)s.") % {
               "third": _(THIRD_NAMES[t]), "change": change_words(k[0], k[-1], "£", language=language)}
               for t, v in means.items() if len(k := [x for x in v if x is not None]) >= 2)
           + (" " + _("%(la)s's fitted curve %(change)s.") % {"la": la_name, "change": change_words(f[0], f[-1], "£", language=language)}
              if len(f := [x for x in own_fit if x is not None]) >= 2 else "")
           + (" " + _("No figure for %(la)s in %(years)s (left out of the fit).") % {
               "la": la_name, "years": ", ".join(y for y, v in zip(years, own_obs) if v is None)}
              if own_obs and None in own_obs else "")
           + " " + _("Average yearly change at the start: %(change)s per child.") % {
               "change": f"{'-' if slope.estimate < 0 else '+'}£{abs(slope.estimate):,.1f}"})
    rows = [[y, own_obs[i] if i < len(own_obs) else None, own_fit[i] if i < len(own_fit) else None]
            + [means[t][i] for t in ("high", "middle", "low")] for i, y in enumerate(years)]
    csv_rows = [dict(zip(["year", "observed", "fitted", "high_average", "middle_average", "low_average"], r)) for r in rows]
    header = [_("Year"), _("%(la)s observed") % {"la": la_name}, _("%(la)s fitted") % {"la": la_name},
              *(_(CURVES[t]) for t in ("high", "middle", "low"))]
    from ..compute.missing import Missing

    no_figure = Missing("–", N_("no figure for this LA and year (left out of the fit)"))
    rows = [[r[0], no_figure if r[1] is None and own_obs else r[1], *r[2:]] for r in rows]
    csv_rows = [{**row, "observed": "–" if row["observed"] is None and own_obs else row["observed"]} for row in csv_rows]
    notes = [*([f"–: {no_figure.says(language)}."] if any(r[1] is no_figure for r in rows) else []),
             _("Linear mixed model (%(method)s), %(units)s LAs, %(observations)s LA-years; random intercepts and slopes.")
             % {"method": model.method, "units": model.n_units, "observations": model.n_obs},
             *(_capital(_(note)) for note in model.notes)]
    return ChartData("growth", title, source, alt, header, rows, csv_rows, payload, spec.format, notes, language)


def _capital(note: str) -> str:
    """A note of the model as a sentence: a capital first and a full stop last."""
    return note[0].upper() + note[1:] + ("" if note.endswith(".") else ".")


def draw(data: ChartData) -> bytes:
    from .style import LA_STYLE, layout_of, legend_columns, new_figure, save, wrap, year_ticks

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
                linewidth=2.2, label=payload.get("curve_labels", {}).get(third) or style["label"].replace("average", "curve"))
    if payload["la"]:
        ax.plot(x, nan(payload["la"]), label=payload.get("fitted") or f"{payload['la_label']} (fitted)", **LA_STYLE)
        ax.scatter(x, nan(payload["observed"]), color="#000000", marker="o", s=14, facecolors="none",
                   label=payload.get("observed_label") or f"{payload['la_label']} (observed)", zorder=6)
    ax.set_ylabel(payload.get("axis") or "£ per child")
    year_ticks(ax, payload["years"], layout, layout.width - 0.7)
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=legend_columns(layout, names))
    return save(fig, data)
