"""The landing page at the top of the output: one self-contained HTML file listing the sites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.loader import Study
from .environment import make_environment

if TYPE_CHECKING:
    from ..build import PlannedSite


def render_landing(study: Study, planned: list[PlannedSite], version: str) -> str:
    assert study.project is not None
    by_id = {d.model.id: d.model for d in study.local_authorities}
    sites = []
    for site in planned:
        la = by_id.get(site.key)
        sites.append({
            "href": f"{site.out}/index.html",
            "la": la,
            "sites": [s.model.name for s in study.sites if la is not None and s.model.la == la.id],
            "pages": len(site.pages),
        })
    return make_environment().get_template("landing.html.j2").render(
        project=study.project.model, cross_case=sites[0], las=sites[1:], version=version,
    )
