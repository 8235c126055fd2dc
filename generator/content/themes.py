"""The coding frame's themes: declared by the study, or named by its codes.

A study may list its themes in `project.md` (`themes:`, in the order the
matrix shows them, each with an optional colour). A code names its theme by
the theme's id or label. A study that declares none gets one theme per name
its codes use, in the order of the codes' ids, each with a colour from the
Okabe-Ito palette (safe for colour-blind readers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .models import Code, Project

# Okabe & Ito (2008), "Color universal design": eight colours told apart by colour-blind readers
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#CC79A7", "#D55E00", "#F0E442", "#000000")


@dataclass(frozen=True)
class Theme:
    """A theme of the coding frame as pages show it."""

    id: str
    label: str
    colour: str
    order: int


@dataclass(frozen=True)
class Themes:
    """Every theme in order, the theme of each code, and the codes whose theme is not declared."""

    all: tuple[Theme, ...]
    of: dict[str, Theme]
    unknown: tuple[Code, ...]


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def resolve_themes(project: Project | None, codes: Iterable[Code]) -> Themes:
    codes = sorted(codes, key=lambda code: code.id)
    declared = list(project.themes) if project is not None else []
    themes: list[Theme] = []
    by_name: dict[str, Theme] = {}
    for index, entry in enumerate(declared):
        theme = Theme(entry.id, entry.label, entry.colour or PALETTE[index % len(PALETTE)], index)
        themes.append(theme)
        by_name.setdefault(_key(entry.id), theme)
        by_name.setdefault(_key(entry.label), theme)
    unknown: list[Code] = []
    of: dict[str, Theme] = {}
    for code in codes:
        theme = by_name.get(_key(code.group))
        if theme is None and declared:
            unknown.append(code)
            continue
        if theme is None:  # no themes declared: the name makes one
            index = len(themes)
            theme = Theme(_slug(code.group) or f"theme-{index + 1}", " ".join(code.group.split()),
                          PALETTE[index % len(PALETTE)], index)
            themes.append(theme)
            by_name[_key(code.group)] = theme
        of[code.id] = theme
    return Themes(tuple(themes), of, tuple(unknown))


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())
