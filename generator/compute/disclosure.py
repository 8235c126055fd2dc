"""Disclosure control for public builds, applied once, on the data.

Every count a public build publishes comes from the tables this module
returns, so no page, chart, CSV or alt text can show a figure the data
hid, and no two published figures can be subtracted to give one back.

Suppression (the default): primary suppression hides every count from 1 to
the threshold (``small_counts``, 4 by default; zero is not hidden). Then
every published sum -- a row or column total, a grand total, a `total`
column or 'Total' row of a dataset, the totals another dataset publishes
(``totals_of``, or found because its counts add up exactly), the number
answering a survey question -- is a linear equation over the cells, and
secondary suppression hides the next-smallest non-zero cell of any equation
left with a single hidden cell (or, where there is none, the total itself)
until no hidden cell is determined by all the equations together (checked
exactly, by the null space of the equations over the hidden cells). Rates,
shares and means in a row with a hidden count are hidden too.

Averages over LAs are computed from published values only (a hidden value
counts as missing), so an average never carries a hidden count.

Rounding (``disclosure: round``): every count and every total is rounded
on its own to the nearest ``rounding_base`` (5: 1 and 2 become 0, 3 and 4
become 5, halves round up), so no count from 1 to 4 remains; rates and
shares computed from rounded counts are flagged as such.
"""

from __future__ import annotations

import copy
import re
import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Hashable, Iterable, Mapping, Sequence

from ..render.i18n import N_

if TYPE_CHECKING:
    import pandas as pd

    from ..content.loader import LoadedDataset, Study
    from ..content.models import Column, Dataset

MARKER = "c"
NOTE = N_("c: suppressed to protect privacy (a count from 1 to {threshold}, or a figure that would reveal one).")
ROUNDED_NOTE = N_("Counts and totals are each rounded to the nearest {base} to protect privacy, so totals may not add up; rates and shares are from rounded counts.")
AVERAGE_NOTE = N_("Averages are of the published figures only: a hidden figure is left out, not guessed.")
TOTAL_LABELS = {"total", "all", "all ages", "all las", "all categories"}


def is_small(value: float | None, threshold: int) -> bool:
    return value is not None and value == value and 1 <= value <= threshold


def round_to(value: float, base: int) -> int:
    """Nearest multiple of ``base``, halves up (official-statistics style)."""
    return int(math.floor(value / base + 0.5) * base)


# --- roles ---------------------------------------------------------------------


def column_role(column: "Column", values: Iterable[Any] = ()) -> str:
    """The column's declared role; undeclared, a whole-number column is a count (the safe guess)."""
    from ..content.models import ColumnType

    if column.role is not None:
        return column.role.value
    if column.type is ColumnType.INTEGER:
        return "count"
    if column.type is ColumnType.NUMBER:
        import pandas as pd

        present = [float(v) for v in values if not pd.isna(v)]
        return "count" if present and all(v.is_integer() for v in present) else "number"
    return "label"


COUNT_ROLES = {"count", "total"}
DERIVED_ROLES = {"rate", "share", "mean"}


def undeclared_numeric(dataset: "Dataset") -> list[str]:
    """Numeric columns with no declared role (``check`` warns about them)."""
    from ..content.models import ColumnType

    return [c.name for c in dataset.columns if c.role is None and c.type in (ColumnType.INTEGER, ColumnType.NUMBER)]


def check_roles(study: "Study") -> list[Any]:
    """Warn for numeric columns with no role (public builds treat whole numbers as counts); refuse unknown ``totals_of``."""
    from ..errors import Problem, Severity

    problems = []
    known = {d.model.id for d in study.datasets}
    for dataset in study.datasets:
        for index, column in enumerate(dataset.model.columns):
            if column.name in undeclared_numeric(dataset.model):
                values = dataset.table[column.name] if dataset.table is not None else ()
                problems.append(Problem(dataset.at("columns", index), (
                    f"column '{column.name}' has no role; public builds treat it as "
                    + ("a count (small values hidden)" if column_role(column, values) == "count" else "a figure that is not a count")
                    + ": declare role: count, total, rate, share, mean, amount, score, identifier, label or year"),
                    Severity.WARNING))
        other = dataset.model.totals_of
        if other is not None and other not in known:
            problems.append(Problem(dataset.at("totals_of"), f"totals_of: unknown dataset '{other}'"))
    return problems


# --- the solver: cells, published sums, and what to hide --------------------------


@dataclass(frozen=True)
class Line:
    """A published linear equation: sum(coefficient * cell) = total."""

    terms: tuple[tuple[Hashable, float], ...]
    total: float
    key: Hashable = None  # the published total's name; None for an identity that needs no figure (parts - total = 0)
    fixed: bool = False  # the total cannot be hidden (an identity, or a figure shown elsewhere)


@dataclass
class Protection:
    hidden: set[Hashable] = field(default_factory=set)
    hidden_lines: set[Hashable] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.hidden or self.hidden_lines)


def determined(hidden: set[Hashable], lines: Sequence[Line], hidden_lines: set[Hashable]) -> set[Hashable]:
    """Hidden cells whose value follows exactly from the published equations (a reader could solve for them)."""
    import numpy as np
    from scipy.linalg import null_space

    published = [line for line in lines if line.key not in hidden_lines or line.key is None]
    unknowns = sorted({k for line in published for k, _ in line.terms if k in hidden}, key=repr)
    if not unknowns:
        return set()
    index = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for line in published:
        row = np.zeros(len(unknowns))
        for k, coefficient in line.terms:
            if k in index:
                row[index[k]] += coefficient
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    basis = null_space(np.array(rows))
    if basis.size == 0:
        return set(unknowns)
    return {k for k in unknowns if np.abs(basis[index[k]]).max() < 1e-9}


def protect(values: Mapping[Hashable, float | None], lines: Sequence[Line], threshold: int,
            unpublished: Iterable[Hashable] = (), primary: Iterable[Hashable] | None = None) -> Protection:
    """Which cells and totals to hide so no count from 1 to ``threshold`` is shown or can be worked out.

    ``values`` are the count cells; ``unpublished`` cells are never shown (unknown to a reader) but take part
    in the equations; ``primary`` limits which cells primary suppression looks at (default: all).
    """
    hidden = {k for k in (values if primary is None else primary) if is_small(values.get(k), threshold)}
    hidden |= set(unpublished)
    hidden_lines = {line.key for line in lines if line.key is not None and not line.fixed and is_small(line.total, threshold)}

    def value(k: Hashable) -> float:
        v = values.get(k)
        return 0.0 if v is None or v != v else float(v)

    def widen(line: Line) -> bool:
        candidates = [k for k, _ in line.terms if k not in hidden and value(k) > 0]
        if candidates:
            hidden.add(min(candidates, key=lambda k: (value(k), repr(k))))
            return True
        if line.key is not None and not line.fixed and line.key not in hidden_lines:
            hidden_lines.add(line.key)
            return True
        return False

    for _ in range(10_000):
        changed = False
        for line in lines:
            if line.key in hidden_lines and line.key is not None:
                continue
            if sum(k in hidden for k, _ in line.terms) == 1:
                changed |= widen(line)
        if changed:
            continue
        for k in sorted(determined(hidden, lines, hidden_lines), key=repr):
            around = [line for line in lines if any(t == k for t, _ in line.terms)
                      and (line.key is None or line.key not in hidden_lines)]
            if any(widen(line) for line in around):
                changed = True
                break
        if not changed:
            break
    return Protection(hidden - set(unpublished), hidden_lines)


# Kept for callers that protect one small table of their own.
@dataclass
class Suppressed:
    """Which cells (row, column), row totals and column totals are hidden."""

    cells: set[tuple[int, int]] = field(default_factory=set)
    row_totals: set[int] = field(default_factory=set)
    column_totals: set[int] = field(default_factory=set)
    grand_total: bool = False

    def __bool__(self) -> bool:
        return bool(self.cells or self.row_totals or self.column_totals or self.grand_total)


def grid_lines(values: Sequence[Sequence[float | None]], columns: Sequence[int], row_totals: bool,
               column_totals: bool) -> list[Line]:
    """The sums a table with row, column and grand totals publishes."""
    def v(i: int, j: int) -> float:
        x = values[i][j]
        return 0.0 if x is None or x != x else float(x)

    rows = range(len(values))
    lines = []
    if row_totals:
        lines += [Line(tuple(((i, j), 1.0) for j in columns), sum(v(i, j) for j in columns), ("row", i)) for i in rows]
    if column_totals:
        lines += [Line(tuple(((i, j), 1.0) for i in rows), sum(v(i, j) for i in rows), ("column", j)) for j in columns]
    if row_totals or column_totals:
        lines.append(Line(tuple(((i, j), 1.0) for i in rows for j in columns),
                          sum(v(i, j) for i in rows for j in columns), ("grand",)))
    return lines


def suppress(values: Sequence[Sequence[float | None]], count_columns: set[int], threshold: int,
             row_totals: bool = False, column_totals: bool = False) -> Suppressed:
    """Return the cells to hide in a table of counts with the totals it shows (grand total included)."""
    columns = sorted(count_columns)
    cells = {(i, j): values[i][j] for i in range(len(values)) for j in columns}
    found = protect(cells, grid_lines(values, columns, row_totals, column_totals), threshold)
    return Suppressed(cells={c for c in found.hidden if isinstance(c, tuple) and len(c) == 2},  # type: ignore[misc]
                      row_totals={k[1] for k in found.hidden_lines if k[0] == "row"},
                      column_totals={k[1] for k in found.hidden_lines if k[0] == "column"},
                      grand_total=("grand",) in found.hidden_lines)


# --- the study's tables ---------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    method: str  # "suppress" or "round"
    threshold: int
    base: int = 5

    @property
    def rounding(self) -> bool:
        return self.method == "round"


def settings_of(study: "Study") -> Settings:
    project = study.project.model if study.project else None
    if project is None:
        return Settings("suppress", 4)
    return Settings(project.disclosure.value, project.small_counts, project.rounding_base)


def row_keys(frame: "pd.DataFrame", dataset: "Dataset") -> list[tuple[Any, ...]]:
    """A key per row that survives filtering: the declared keys, else every non-count column (plus a tally)."""
    keys = list(dataset.keys) or [c.name for c in dataset.columns
                                  if column_role(c, frame[c.name] if c.name in frame else ()) not in COUNT_ROLES | DERIVED_ROLES
                                  and c.name in frame.columns]
    seen: dict[tuple[Any, ...], int] = {}
    out = []
    for values in zip(*(frame[k].astype(str) for k in keys)) if keys else ((),) * len(frame):
        tally = seen.get(values, 0)
        seen[values] = tally + 1
        out.append(values if dataset.keys else (*values, tally))
    return out


@dataclass
class _Table:
    dataset: "LoadedDataset"
    frame: "pd.DataFrame"
    counts: list[str]
    derived: list[str]
    keys: list[tuple[Any, ...]]

    @property
    def id(self) -> str:
        return self.dataset.model.id


def _cell_value(frame: "pd.DataFrame", i: int, column: str) -> float | None:
    import pandas as pd

    v = frame[column].iloc[i]
    return None if pd.isna(v) else float(v)


def _tables(study: "Study") -> list[_Table]:
    tables = []
    for d in study.datasets:
        if d.table is None:
            continue
        roles = {c.name: column_role(c, d.table[c.name]) for c in d.model.columns if c.name in d.table.columns}
        tables.append(_Table(d, d.table, [n for n, r in roles.items() if r in COUNT_ROLES],
                             [n for n, r in roles.items() if r in DERIVED_ROLES], row_keys(d.table, d.model)))
    return tables


def _identity_lines(table: _Table) -> list[Line]:
    """Sums inside one dataset: a `total` column, and rows labelled Total or All."""
    lines = []
    frame, model = table.frame, table.dataset.model
    roles = {c.name: column_role(c) for c in model.columns}
    totals = [n for n in table.counts if roles.get(n) == "total"]
    parts = [n for n in table.counts if roles.get(n) != "total"]
    for total in totals:
        for i in range(len(frame)):
            lines.append(Line(tuple(((table.id, i, p), 1.0) for p in parts) + (((table.id, i, total), -1.0),), 0.0))
    labels = [c.name for c in model.columns if c.name in frame.columns and roles.get(c.name) not in COUNT_ROLES | DERIVED_ROLES]
    for label in labels:
        text = frame[label].astype(str).str.strip().str.lower()
        is_total = text.isin(TOTAL_LABELS)
        if not is_total.any() or is_total.all():
            continue
        others = [k for k in (model.keys or labels) if k != label]
        group = frame[others].astype(str).agg("\x1f".join, axis=1) if others else frame[label].map(lambda _: "")
        for i in [i for i in range(len(frame)) if is_total.iloc[i]]:
            members = [r for r in range(len(frame)) if not is_total.iloc[r] and group.iloc[r] == group.iloc[i]]
            for column in parts:
                lines.append(Line(tuple(((table.id, r, column), 1.0) for r in members) + (((table.id, i, column), -1.0),), 0.0))
    return lines


def _across_lines(tables: list[_Table]) -> list[Line]:
    """Sums across datasets: B's counts are A's summed over A's extra keys (declared by ``totals_of``, or exact)."""
    lines = []
    for b in tables:
        for a in tables:
            if a is b or not a.dataset.model.keys or not b.dataset.model.keys:
                continue
            declared = b.dataset.model.totals_of == a.id
            common = [c for c in b.counts if c in a.counts]
            keys_b = list(b.dataset.model.keys)
            if not common or not (set(keys_b) < set(a.dataset.model.keys)):
                continue
            group_a = a.frame[keys_b].astype(str).agg("\x1f".join, axis=1)
            group_b = b.frame[keys_b].astype(str).agg("\x1f".join, axis=1)
            members: dict[str, list[int]] = {}
            for r, g in enumerate(group_a):
                members.setdefault(g, []).append(r)
            found = []
            exact = True
            for i, g in enumerate(group_b):
                rows = members.get(g, [])
                for column in common:
                    parts = [_cell_value(a.frame, r, column) for r in rows]
                    whole = _cell_value(b.frame, i, column)
                    if not rows or whole is None or any(p is None for p in parts) or sum(parts) != whole:  # type: ignore[arg-type]
                        exact = False
                    found.append(Line(tuple(((a.id, r, column), 1.0) for r in rows) + (((b.id, i, column), -1.0),), 0.0))
            if declared or exact:
                lines += found
    return lines


def _block_lines(study: "Study", tables: list[_Table]) -> list[Line]:
    """The totals that computed tables with ``totals: true`` publish, for every site that could show them."""
    from ..content.blocks import ValuesBlock
    from .tables import selected_rows

    by_id = {t.id: t for t in tables}
    scopes: list[str | None] = [None, *(d.model.id for d in study.local_authorities)]
    lines = []
    for document in study.all_documents():
        for block in document.blocks:
            spec = block.spec
            if not isinstance(spec, ValuesBlock) or not spec.totals or spec.dataset not in by_id:
                continue
            table = by_id[spec.dataset]
            columns = [c for c in (spec.columns or list(table.frame.columns)) if c in table.counts]
            for scope in scopes:
                rows = selected_rows(table.frame, spec, scope)
                if not rows or not columns:
                    continue
                cell = lambda r, c: (table.id, r, c)  # noqa: E731
                v = lambda r, c: _cell_value(table.frame, r, c) or 0.0  # noqa: E731
                for r in rows:
                    lines.append(Line(tuple((cell(r, c), 1.0) for c in columns), sum(v(r, c) for c in columns),
                                      (table.id, "sum", frozenset((r, c) for c in columns))))
                for c in columns:
                    lines.append(Line(tuple((cell(r, c), 1.0) for r in rows), sum(v(r, c) for r in rows),
                                      (table.id, "sum", frozenset((r, c) for r in rows))))
                everything = frozenset((r, c) for r in rows for c in columns)
                lines.append(Line(tuple((cell(r, c), 1.0) for r, c in everything), sum(v(r, c) for r, c in everything),
                                  (table.id, "sum", everything)))
    return lines


def protect_study(study: "Study") -> "Study":
    """A copy of the study whose tables (and surveys) carry the public build's disclosure control.

    Hidden cells become missing (pandas NA); ``table.attrs['hidden']`` names them by row key and column,
    ``table.attrs['totals']`` holds the published value (None: hidden) of every total a computed table shows.
    """
    import pandas as pd

    settings = settings_of(study)
    tables = _tables(study)
    lines = [line for t in tables for line in _identity_lines(t)] + _across_lines(tables) + _block_lines(study, tables)
    values = {(t.id, i, c): _cell_value(t.frame, i, c) for t in tables for i in range(len(t.frame)) for c in t.counts}
    if settings.rounding:
        found = Protection()
    else:
        found = protect(values, lines, settings.threshold)
    protected = copy.copy(study)
    protected.datasets = []
    by_id = {t.id: t for t in tables}
    for d in study.datasets:
        table = by_id.get(d.model.id)
        if table is None:
            protected.datasets.append(d)
            continue
        frame = table.frame.copy()
        hidden: set[tuple[tuple[Any, ...], str]] = set()
        for column in table.counts:
            if settings.rounding:
                frame[column] = frame[column].map(lambda v: pd.NA if pd.isna(v)
                                                  else round_to(float(v), settings.base)).astype(frame[column].dtype)
                continue
            rows = [i for i in range(len(frame)) if (table.id, i, column) in found.hidden]
            if rows:
                frame.loc[frame.index[rows], column] = pd.NA
                hidden |= {(table.keys[i], column) for i in rows}
                for derived in table.derived:  # a rate or share in the same row would give the count back
                    frame.loc[frame.index[rows], derived] = pd.NA
                    hidden |= {(table.keys[i], derived) for i in rows}
        totals: dict[frozenset[tuple[int, str]], float | None] = {}
        for line in lines:
            if isinstance(line.key, tuple) and line.key[:2] == (table.id, "sum"):
                totals[line.key[2]] = (round_to(line.total, settings.base) if settings.rounding
                                       else None if line.key in found.hidden_lines else line.total)
        frame.attrs = {**table.frame.attrs, "hidden": hidden, "totals": totals, "disclosure": settings}
        protected.datasets.append(replace(d, table=frame))
    protected.surveys = []
    for survey in study.surveys:
        twin = copy.copy(survey)
        twin.disclosure = settings  # type: ignore[attr-defined]
        protected.surveys.append(twin)
    return protected


def hidden_cells(frame: "pd.DataFrame", dataset: "Dataset", hidden: set[Any] | None = None) -> list[list[bool]]:
    """For each row and column of a (possibly filtered) protected table: is this cell hidden?"""
    hidden = hidden if hidden is not None else frame.attrs.get("hidden") or set()
    keys = row_keys(frame, dataset)
    return [[(key, name) in hidden for name in frame.columns] for key in keys]


def published_total(frame: "pd.DataFrame", rows: Sequence[int], columns: Sequence[str]) -> float | None:
    """The published total of these cells of a protected table (None: hidden)."""
    cells = frozenset((r, c) for r in rows for c in columns)
    totals = frame.attrs.get("totals")
    if totals is not None and cells in totals:
        return totals[cells]
    import pandas as pd

    values = [frame[c].iloc[r] for r, c in cells]
    if any(pd.isna(v) for v in values):
        return None
    return float(sum(values))


_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_WHOLE_NUMBER = re.compile(r"[*_]{0,2}(\d{1,3})[*_]{0,2}")


def check_written_tables(study: "Study") -> list[Any]:
    """Warn for each table written by hand in a page a public build may show (not transcripts or field notes,
    which public builds never show) that holds a whole number from 1 to ``small_counts``: disclosure control
    works on datasets and computed tables, whose columns say what they count; a written table's cells are
    published as written."""
    from ..errors import Problem, Severity

    if study.project is None or study.project.model.small_counts < 1:
        return []
    limit = study.project.model.small_counts
    sources = {id(source) for source in study.sources}
    problems = []
    for document in study.all_documents():
        if id(document) in sources or not document.body:
            continue
        lines = document.body.split("\n")
        for start, line in enumerate(lines):
            if start == 0 or not _DELIMITER_ROW.match(line) or "|" not in lines[start - 1]:
                continue
            for offset, row in enumerate(lines[start + 1:], start + 1):
                if "|" not in row or not row.strip():
                    break
                small = [int(m.group(1)) for cell in row.strip().strip("|").split("|")
                         if (m := _WHOLE_NUMBER.fullmatch(cell.strip())) and 1 <= int(m.group(1)) <= limit]
                if small:
                    problems.append(Problem(document.at_line(document.body_line + offset), (
                        f"a table written in the page holds {small[0]}: if it counts people or events, a public "
                        f"build shows it as written (small counts, 1 to {limit}, are hidden only in datasets and "
                        "computed tables); put the figures in a dataset and show them with a computed table"),
                        Severity.WARNING))
                    break
    return problems
