"""Why a figure is missing, from the CSV cell to the page.

The loader keeps the reason for every missing cell in
``frame.attrs["missing_codes"]`` ({column: {row position: code}}), the code
being one the dataset declares under ``missing_codes`` (DfE's c, x, z, u).
Every table, chart, data table, CSV download and alt text shows a missing
figure by its symbol, with a footnote saying what the symbol means; every
computation leaves it out and says so.

A source's own code is shown in square brackets (``[c]``, ``[x]``), as the
Government Statistical Service advises for symbols in tables ("Symbols,
suppression and rounding", GSS 2021). A figure the public build hides for
privacy keeps the plain ``c`` of ``disclosure.MARKER``: the two stay apart,
and neither carries a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import pandas as pd

from ..render.i18n import N_, Nn_, ntranslate, translate

if TYPE_CHECKING:
    from ..content.models import Dataset

BLANK_SYMBOL = "–"
BLANK_MEANING = N_("no figure: the cell is blank in the source")
ZERO_DENOMINATOR = N_("not applicable: the denominator is 0")
PRIVACY = N_("suppressed to protect privacy")


@dataclass(frozen=True, order=True)
class Missing:
    """A figure that is not there, with the symbol shown in its place and what the symbol means.

    ``meaning`` is the generator's message id, translated where it is shown (:meth:`says`), with ``about``
    filling its ``%(about)s``; or, ``declared``, the dataset's own words for one of its codes, shown as written.
    """

    symbol: str
    meaning: str
    about: str = ""
    declared: bool = False

    def __str__(self) -> str:
        return self.symbol

    def says(self, language: str = "en") -> str:
        """What the symbol means, in ``language``."""
        if self.declared:
            return self.meaning
        text = translate(self.meaning, language)
        return text % {"about": self.about} if "%(about)s" in self.meaning else text


BLANK = Missing(BLANK_SYMBOL, BLANK_MEANING)


def is_missing(value: Any) -> bool:
    """Whether a cell holds no figure (None, NaN, pandas NA or a Missing)."""
    if value is None or isinstance(value, Missing):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def code_missing(code: str, meaning: str | None) -> Missing:
    """The source's own code, shown in brackets, with the meaning the dataset declares for it (if it does)."""
    if meaning is None:
        return Missing(f"[{code}]", N_("a missing figure (code declared in the dataset)"))
    return Missing(f"[{code}]", meaning, declared=True)


def reason(frame: pd.DataFrame, position: int, column: str, dataset: Dataset | None) -> Missing:
    """Why the cell at ``position`` (in ``frame``) of ``column`` is missing: its declared code, else blank."""
    code = (frame.attrs.get("missing_codes") or {}).get(column, {}).get(position)
    if code is None:
        return BLANK
    meanings = next((c.missing_codes for c in dataset.columns if c.name == column), {}) if dataset is not None else {}
    return code_missing(code, meanings.get(code))


def value_or_reason(frame: pd.DataFrame, position: int, column: str, dataset: Dataset | None) -> Any:
    """The cell's value, or the :class:`Missing` that stands for it."""
    value = frame[column].iloc[position]
    return reason(frame, position, column, dataset) if is_missing(value) else value


def column_values_or_reasons(frame: pd.DataFrame, column: str, dataset: Dataset | None) -> list[Any]:
    """Every cell of ``column`` as :func:`value_or_reason` gives it, read in one pass (not one lookup per cell)."""
    series = frame[column]
    # the same objects iloc gives: numpy scalars from a numpy column, the array's own from an extension dtype
    cells = series.array if isinstance(series.dtype, pd.api.extensions.ExtensionDtype) else series.to_numpy()
    return [reason(frame, i, column, dataset) if is_missing(value) else value for i, value in enumerate(cells)]


def first_reason(*values: Any) -> Missing | None:
    """The reason of the first missing operand (a rate is missing for its count's reason)."""
    return next((v if isinstance(v, Missing) else BLANK for v in values if is_missing(v)), None)


def take(frame: pd.DataFrame, positions: Sequence[int]) -> pd.DataFrame:
    """The rows at ``positions``, renumbered from 0, with the missing-value reasons renumbered too."""
    result = frame.iloc[list(positions)].reset_index(drop=True)
    codes = frame.attrs.get("missing_codes") or {}
    new = {old: new for new, old in enumerate(positions)}
    result.attrs = {**frame.attrs, "missing_codes": {
        column: {new[p]: code for p, code in cells.items() if p in new} for column, cells in codes.items()}}
    return result


def footnotes(values: Iterable[Any], language: str = "en") -> list[str]:
    """One footnote per symbol among ``values``, e.g. '[x]: not available.'; meanings of one symbol are joined."""
    meanings: dict[str, list[str]] = {}
    for value in values:
        if isinstance(value, Missing):
            listed = meanings.setdefault(value.symbol, [])
            if value.says(language) not in listed:
                listed.append(value.says(language))
    return [f"{symbol}: {'; '.join(meanings[symbol])}." for symbol in sorted(meanings)]


# what a computation left missing figures out of (left_out's ``what``), each counted in every language's plurals
LEFT_OUT = {
    "average": Nn_("%(num)s missing figure left out of the average (not counted as zero).",
                   "%(num)s missing figures left out of the average (not counted as zero)."),
    "averages": Nn_("%(num)s missing figure left out of the averages (not counted as zero).",
                    "%(num)s missing figures left out of the averages (not counted as zero)."),
    "third averages": Nn_("%(num)s missing figure left out of the third averages (not counted as zero).",
                          "%(num)s missing figures left out of the third averages (not counted as zero)."),
    "totals": Nn_("%(num)s missing figure left out of the totals (not counted as zero).",
                  "%(num)s missing figures left out of the totals (not counted as zero)."),
    "sums": Nn_("%(num)s missing figure left out of the sums (not counted as zero).",
                "%(num)s missing figures left out of the sums (not counted as zero)."),
}


def left_out(count: int, what: str = "average", language: str = "en") -> str:
    """The sentence saying how many missing figures a computation left out (``what``: a key of LEFT_OUT)."""
    return ntranslate(*LEFT_OUT[what], count, language)


def shown(value: Any) -> Any:
    """A value for a CSV download: a Missing becomes its symbol, anything else is unchanged."""
    return value.symbol if isinstance(value, Missing) else value
