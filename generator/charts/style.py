"""One look for every chart: colour-blind-safe colours backed by line styles and markers.

Colours are Okabe & Ito's palette; every series also differs in line style
and marker so charts still read in greyscale print. Text is drawn as paths
with the DejaVu Sans font matplotlib ships, so no font is ever downloaded
and the SVG looks the same everywhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Layout:
    """The size of a chart and of its words, for one kind of screen.

    ``wide`` is shown where a page's column is at least 686 CSS px wide (screens
    from 720 px, print, Word); ``narrow`` on phones and in the joint display's
    half-width column. A chart's file is drawn ``width`` inches wide (72 SVG
    units an inch), so text of ``small`` points is shown at ``small`` x
    (column width / about ``72 * width + 12``) CSS px: at least 9 px in a
    686 px column (wide) and in the 358 px column of a 390 px phone (narrow).
    """

    name: str
    width: float  # inches
    small: float  # points: the smallest text, on ticks, legends, bars and notes
    text: float  # points: axis labels and panel titles
    heading: float  # points: the heading of a row of panels

    def rc(self) -> dict[str, Any]:
        return {**RC, "font.size": self.small, "axes.titlesize": self.text, "axes.labelsize": self.text,
                "xtick.labelsize": self.small, "ytick.labelsize": self.small, "legend.fontsize": self.small,
                "figure.titlesize": self.heading}

    def chars(self, inches: float, size: float | None = None) -> int:
        """About how many characters of text of ``size`` points fit in ``inches``."""
        return max(8, int(inches * 72 / (0.55 * (size or self.small))))


LAYOUTS = {
    "wide": Layout("wide", width=7.6, small=8.0, text=8.8, heading=9.2),
    "narrow": Layout("narrow", width=4.0, small=9.0, text=9.5, heading=10.0),
}


def layout_of(data: Any) -> Layout:
    return LAYOUTS[getattr(data, "variant", "wide")]


def new_figure(layout: Layout, height: float, rows: int = 1, cols: int = 1, **kwargs: Any):  # type: ignore[no-untyped-def]
    """A figure ``layout.width`` inches wide whose axes, labels and legends are placed by constrained layout."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(layout.rc())
    fig = plt.figure(figsize=(layout.width, height), layout="constrained")
    fig.get_layout_engine().set(w_pad=0.04, h_pad=0.04, wspace=0.03, hspace=0.03)
    if rows == 0:
        return fig, None
    return fig, fig.subplots(rows, cols, squeeze=False, **kwargs)


def year_ticks(ax: Any, labels: list[str], layout: Layout, inches: float) -> None:
    """Label the x axis with ``labels`` (one per position) so they fit ``inches`` of axis at ``layout.small``.

    All labels level if they fit; on a wide chart all of them at 45 degrees if that fits; else every
    k-th label level, always the first and the last.
    """
    count = len(labels)
    if not count:
        return
    each = max(len(label) for label in labels) * 0.6 * layout.small / 72 + 0.12
    positions = list(range(count))
    if count * each <= inches:
        ax.set_xticks(positions, labels)
        return
    if layout.name == "wide" and count * layout.small * 1.6 / 72 <= inches:
        ax.set_xticks(positions, labels, rotation=45, ha="right", rotation_mode="anchor")
        return
    step = -(-count // max(2, int(inches // each)))
    shown = list(range(0, count, step))
    if shown[-1] != count - 1:
        if count - 1 - shown[-1] < step and len(shown) > 1:
            shown[-1] = count - 1
        else:
            shown.append(count - 1)
    ax.set_xticks(shown, [labels[i] for i in shown])
    ax.set_xticks(positions, minor=True)  # a mark at every position, labelled or not


def legend_columns(layout: Layout, labels: list[str], most: int = 3, handle: float = 2.0) -> int:
    """How many columns of legend entries fit across the figure (each entry: a handle and its longest line)."""
    longest = max((len(line) for label in labels for line in str(label).split("\n")), default=1)
    entry = (longest * 0.6 + handle + 1.5) * layout.small / 72  # text, the handle and the gaps, in inches
    return max(1, min(most, len(labels), int((layout.width - 0.1) // entry)))


def wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def save(fig: Any, data: Any) -> bytes:
    """Return the figure's bytes with no date or software stamp, so the same data give the same file.

    The chart's title and source are not drawn (the page's caption gives them);
    the file carries them for a reader who opens it alone: an SVG as its
    ``<title>`` and ``<desc>`` (with the alt text and notes), a PNG as text chunks.
    """
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    description = " ".join([data.alt, *data.notes, data.source]).strip()
    if data.fmt == "svg":
        metadata: dict[str, Any] = {"Date": None, "Creator": None}
    else:
        metadata = {"Software": None, "Title": data.title, "Description": description}
    fig.savefig(buffer, format=data.fmt, metadata=metadata, bbox_inches="tight", pad_inches=0.08)
    plt.close(fig)
    image = buffer.getvalue()
    if data.fmt != "svg":
        return image
    from xml.sax.saxutils import escape

    head, _, rest = image.partition(b"<svg ")
    opening, _, body = rest.partition(b">")
    named = f"\n <title>{escape(data.title)}</title>\n <desc>{escape(description)}</desc>".encode()
    return head + b"<svg " + opening + b">" + named + body
