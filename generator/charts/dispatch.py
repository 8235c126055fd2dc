"""Prepare the data of a chart block for one site."""

from __future__ import annotations

from typing import Any

from ..content.blocks import ComparabilityChart, FunnelChart, GrowthChart, PanelChart, RatesChart
from ..render.i18n import localised, translate
from .common import ChartData


def prepare_chart(spec: Any, study: Any, view: Any, la: str | None) -> ChartData:
    """Return the chart's data for the site ``view``, about LA ``la``; ``study`` supplies the comparisons."""
    from . import comparability, funnel, growth, panel, rates

    language = view.language
    names = {d.model.id: localised(d.model, "name", language) for d in study.local_authorities}
    la_name = names.get(la or "", translate("This LA", language))
    limit = study.project.model.small_counts if view.audience == "public" else 0
    if isinstance(spec, PanelChart):
        return panel.prepare(study, spec, la or "", la_name, language)
    if isinstance(spec, RatesChart):
        return rates.prepare(study, spec, la or "", la_name, limit, language)
    if isinstance(spec, FunnelChart):
        return funnel.prepare(study, spec, la, la_name, limit, language)
    if isinstance(spec, GrowthChart):
        return growth.prepare(study, spec, la or "", la_name, language)
    assert isinstance(spec, ComparabilityChart)
    return comparability.prepare(view, spec)
