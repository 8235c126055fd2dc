"""One look for every chart: colour-blind-safe colours backed by line styles and markers.

Colours are Okabe & Ito's palette; every series also differs in line style
and marker so charts still read in greyscale print. Text is drawn as paths
with the DejaVu Sans font matplotlib ships, so no font is ever downloaded
and the SVG looks the same everywhere.
"""

from __future__ import annotations

import io
from typing import Any

from ..render.i18n import N_

THIRD_STYLE = {  # labels: message ids (a chart's prepare translates them into its payload)
    "high": {"color": "#D55E00", "linestyle": "-", "marker": "o", "label": N_("High-deprivation average")},
    "middle": {"color": "#0072B2", "linestyle": "--", "marker": "s", "label": N_("Middle-deprivation average")},
    "low": {"color": "#009E73", "linestyle": "-.", "marker": "^", "label": N_("Low-deprivation average")},
}
LA_STYLE = {"color": "#000000", "linestyle": "-", "marker": "D", "linewidth": 2.6, "markersize": 4.5, "zorder": 5}
NATIONAL_STYLE = {"color": "#555555", "linestyle": ":", "marker": "x", "linewidth": 1.8, "label": N_("All LAs (average)")}
OTHER_STYLE = {"color": "#BBBBBB", "linewidth": 0.6, "alpha": 0.8, "zorder": 1}
ACCENT = "#0072B2"

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "svg.fonttype": "path",
    "svg.hashsalt": "generator",  # fixed ids inside the SVG, so equal data give equal bytes
    "figure.dpi": 100,
    "savefig.dpi": 150,
}


def new_figure(width: float, height: float, rows: int = 1, cols: int = 1, **kwargs: Any):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(RC)
    return plt.subplots(rows, cols, figsize=(width, height), squeeze=False, **kwargs)


def finish(fig: Any, title: str, source: str) -> None:
    """Add the title and the source line (dataset and provenance) to a figure."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=10.5, fontweight="bold")
    import textwrap

    fig.text(0.01, 0.003, textwrap.fill(source, 150), ha="left", va="bottom", fontsize=6.5, color="#444444")


def save(fig: Any, fmt: str) -> bytes:
    """Return the figure's bytes with no date or software stamp, so the same data give the same file."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, metadata=metadata, bbox_inches="tight", pad_inches=0.08)
    plt.close(fig)
    return buffer.getvalue()
