"""The landing page at the top of the output: one self-contained HTML file listing the sites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.loader import Study
from .environment import make_environment

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}  # each language named in itself

if TYPE_CHECKING:
    from ..build import PlannedSite


def render_landing(study: Study, planned: list[PlannedSite], version: str) -> str:
    assert study.project is not None
    by_id = {d.model.id: d.model for d in study.local_authorities}
    sites: list[dict] = []
    cards: dict[str, dict] = {}
    for site in planned:
        la = by_id.get(site.key)
        link = {"code": site.language, "language": LANGUAGE_NAMES.get(site.language, site.language),
                "href": f"{site.out}/index.html"}
        if site.key in cards:  # the same LA's site in another language: one card, a link per language
            cards[site.key]["languages"].append(link)
            continue
        cards[site.key] = {
            "href": link["href"],
            "la": la,
            "name": (la.name_cy or la.name) if la is not None and site.language == "cy" else (la.name if la else ""),
            "languages": [link],
            "sites": [s.model.name for s in study.sites if la is not None and s.model.la == la.id],
            "pages": len(site.pages),
        }
        sites.append(cards[site.key])
    return make_environment().get_template("landing.html.j2").render(
        project=study.project.model, cross_case=sites[0], las=sites[1:], version=version,
    )
