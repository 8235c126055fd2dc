"""`generator stats ...`: statistics from the terminal, on any CSV.

Four commands:

* ``stats compare FILE --group COL --value COL``: are the groups (sites)
  comparable on a measure? One-way ANOVA, Welch's F, Brown-Forsythe F* and
  Kruskal-Wallis H, in APA style with a one-sentence reading
  (:mod:`generator.compute.comparability`).
* ``stats growth FILE --unit COL --time COL --value COL``: a growth model of
  the value over time with random intercepts and slopes
  (:mod:`generator.compute.growth`).
* ``stats proportion K N``: a share with its Wilson interval
  (:mod:`generator.compute.proportions`).
* ``stats crosstab FILE --row COL --col COL``: a table of counts with Pearson's
  chi-squared test of independence (:mod:`generator.compute.proportions`).

Exit status: 0 on success; 1 when the data cannot be analysed (too few groups
or units, no test of a comparison defined, no numbers where numbers are needed), with the
message on stderr and no traceback; 2 when the command is called wrongly (a
missing file, an unknown column, a count or option out of range), through
:class:`generator.errors.UserError`.
pandas, scipy and statsmodels are imported inside the commands so that the
rest of the CLI starts fast.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UserError, did_you_mean

if TYPE_CHECKING:
    import pandas as pd

    from .compute.comparability import TestResult
    from .compute.growth import GrowthModel
    from .compute.proportions import CrosstabTest

EXIT_STATUS = """\
exit status:
  0  the statistics were printed
  1  the data cannot be analysed (e.g. fewer than two groups, no comparison
     test defined, too few units), or the growth model did not converge (its estimates are
     still printed, marked as such); the reason is printed on stderr
  2  the command was called wrongly (missing file, unknown column, a count or
     option out of range, --yates on a table that is not 2 x 2)
"""


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``stats`` command and its sub-commands to the CLI's subparsers."""
    stats = commands.add_parser(
        "stats",
        help="statistics on any CSV (compare groups, growth models, shares, crosstabs)",
        description=(
            "Statistics on any CSV file: compare groups, fit a growth model over time, give a share "
            "with its confidence interval, or test a table of counts."
        ),
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = stats.add_subparsers(dest="stats_command", required=True, metavar="STATISTIC")

    compare = sub.add_parser(
        "compare",
        help="do groups differ? ANOVA, Welch, Brown-Forsythe, Kruskal-Wallis",
        description=(
            "Compare a numeric column across groups with four tests: one-way ANOVA F, Welch's F, "
            "the Brown-Forsythe F* test of equal means, and Kruskal-Wallis H (tie-corrected). "
            "A test the data do not allow (Welch's F with a group of equal values, for one) is listed "
            "as not defined, with the reason; the others are still reported. "
            "Rows with a missing or non-numeric value or group are dropped and counted on stderr."
        ),
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("file", metavar="FILE.csv", help="CSV file with a header row (UTF-8, BOM allowed)")
    compare.add_argument("--group", required=True, metavar="COL", help="column naming the groups (e.g. site)")
    compare.add_argument("--value", required=True, metavar="COL", help="numeric column to compare (e.g. imd_score)")
    compare.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    compare.set_defaults(func=cmd_compare)

    growth = sub.add_parser(
        "growth",
        help="growth model over time with random intercepts and slopes per unit",
        description=(
            "Fit a growth model of VALUE over TIME: an average curve (intercept = the first period, "
            "slope, fixed curvature) and each unit's own intercept and slope. A predictor, centred at "
            "its mean, shifts both the intercept and the slope. Linear mixed model, REML by default. "
            "Rows with a missing or non-numeric value are dropped and counted on stderr."
        ),
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    growth.add_argument("file", metavar="FILE.csv", help="CSV file, one row per unit and period")
    growth.add_argument("--unit", required=True, metavar="COL", help="column naming units (e.g. la_code)")
    growth.add_argument("--time", required=True, metavar="COL", help="numeric time column (e.g. year)")
    growth.add_argument("--value", required=True, metavar="COL", help="numeric outcome (e.g. spend_per_child)")
    growth.add_argument("--predictor", metavar="COL", help="numeric unit-level predictor (e.g. imd_score)")
    growth.add_argument("--linear", action="store_true", help="straight lines only (no curvature term)")
    growth.add_argument("--ml", action="store_true", help="maximum likelihood instead of REML")
    growth.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    growth.set_defaults(func=cmd_growth)

    proportion = sub.add_parser(
        "proportion",
        help="a share K of N with its Wilson confidence interval",
        description=(
            "Print the share K of N with its Wilson score interval (R: prop.test(K, N, correct = FALSE)), "
            "which behaves well for small N and for shares near 0% or 100%."
        ),
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    proportion.add_argument("k", metavar="K", type=_whole_number, help="how many had the characteristic (e.g. 81)")
    proportion.add_argument("n", metavar="N", type=_whole_number, help="how many were asked (e.g. 263)")
    proportion.add_argument(
        "--confidence", type=float, default=0.95, metavar="LEVEL", help="confidence level (default: 0.95)"
    )
    proportion.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    proportion.set_defaults(func=cmd_proportion)

    crosstab = sub.add_parser(
        "crosstab",
        help="table of counts of two columns with Pearson's chi-squared test",
        description=(
            "Count the rows of FILE by two columns and test whether they are independent with Pearson's "
            "chi-squared (R: chisq.test(correct = FALSE)). Rows with a missing value in either column "
            "are dropped and counted on stderr; the text notes expected counts below 5."
        ),
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    crosstab.add_argument("file", metavar="FILE.csv", help="CSV file, one row per person or case (UTF-8, BOM allowed)")
    crosstab.add_argument("--row", required=True, metavar="COL", help="column whose categories are the rows")
    crosstab.add_argument("--col", required=True, metavar="COL", help="column whose categories are the columns")
    crosstab.add_argument(
        "--yates", action="store_true", help="apply Yates' continuity correction (2 x 2 tables only)"
    )
    crosstab.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    crosstab.set_defaults(func=cmd_crosstab)


# --- Reading the CSV --------------------------------------------------------


# Cells pandas' read_csv reads as missing, kept so `stats` reads the files it always read the same way.
NOT_A_VALUE = {"", "#n/a", "#n/a n/a", "#na", "<na>", "n/a", "na", "nan", "-nan", "null", "none"}


def read_table(path: str) -> pd.DataFrame:
    """Return the CSV as a DataFrame, read through the one CSV intake.

    A column is numeric when every cell holds a number (thousands separators
    allowed), is blank, or holds a missing-value mark (NA, or a publisher's
    symbol such as c or [x]); those cells are missing. Other columns are text.
    A file the intake cannot read, or rows of the wrong length, stop the
    command with every problem (exit 1).
    """
    import pandas as pd

    from .errors import ContentError
    from .intake import UTF8_OR_WINDOWS, is_symbol, parse_number, read_csv

    file = Path(path)
    if not file.is_file():
        raise UserError(f"{path}: no such file")
    table, problems = read_csv(file, shown=path, expected="a header row naming the columns", encodings=UTF8_OR_WINDOWS)
    if table is None or problems:
        raise ContentError(problems)
    if not table.records:
        raise ContentError([table.problem(table.header_row + 1, "", "no rows after the header; expected one row per case")])
    problems = table.duplicate_headers()
    if problems:
        raise ContentError(problems)
    columns: dict[str, list[Any]] = {}
    for index, name in enumerate(table.header):
        cells = [record.cells[index].strip() for record in table.records]
        missing = [cell.lower() in NOT_A_VALUE or is_symbol(cell) for cell in cells]
        numbers = [None if gone else parse_number(cell) for cell, gone in zip(cells, missing)]
        if all(gone or number is not None for gone, number in zip(missing, numbers)) and not all(missing):
            whole = not any(missing) and all(float(n).is_integer() for n in numbers if n is not None)
            columns[name] = pd.Series(numbers, dtype="int64" if whole else "float64")
        else:
            columns[name] = pd.Series([None if cell.lower() in NOT_A_VALUE else cell for cell in cells], dtype=object)
    return pd.DataFrame(columns)


def require_columns(frame: pd.DataFrame, path: str, **columns: str | None) -> None:
    """Raise a UserError naming the first unknown column, with the known ones and a close match."""
    known = list(frame.columns)
    for option, column in columns.items():
        if column is not None and column not in known:
            # A difference of case alone ('cu' for 'Cu') is too short for difflib's cutoff.
            same_but_case = [name for name in known if name.casefold() == column.casefold()]
            hint = f" (did you mean '{same_but_case[0]}'?)" if same_but_case else did_you_mean(column, known)
            raise UserError(f"{path}: --{option}: no column '{column}'{hint}; columns: {', '.join(known)}")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _number(value: float | None) -> float | None:
    """Return a JSON-safe number (None for NaN or infinity)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


# --- stats compare ----------------------------------------------------------


def collect_groups(frame: pd.DataFrame, group: str, value: str) -> tuple[dict[str, list[float]], int]:
    """Return the values by group (sorted by group) and how many rows were dropped."""
    import pandas as pd

    values = pd.to_numeric(frame[value], errors="coerce")
    usable = values.notna() & values.map(math.isfinite) & frame[group].notna()
    kept = pd.DataFrame({"group": frame[group][usable], "value": values[usable].astype(float)})
    groups = {_label(name): rows["value"].tolist() for name, rows in kept.groupby("group", sort=True)}
    return groups, int((~usable).sum())


def _label(name: Any) -> str:
    """Return a group's name; 5.0 reads as '5' (pandas makes integer columns float when one is blank)."""
    if isinstance(name, float) and name.is_integer():
        return str(int(name))
    return str(name)


def _test_json(result: TestResult) -> dict[str, Any]:
    if result.df2 is None:
        return {"statistic": _number(result.statistic), "df": _number(result.df1), "p": _number(result.p)}
    return {
        "statistic": _number(result.statistic),
        "df1": _number(result.df1),
        "df2": _number(result.df2),
        "p": _number(result.p),
    }


def cmd_compare(args: argparse.Namespace) -> int:
    """Print every test of a difference between groups that the data allow, and why any other is not defined."""
    from .compute.comparability import TEST_KEYS, ComparabilityError, compare_defined, format_apa, reading

    frame = read_table(args.file)
    require_columns(frame, args.file, group=args.group, value=args.value)
    groups, dropped = collect_groups(frame, args.group, args.value)
    if dropped:
        print(
            f"note: dropped {dropped} row{'s' if dropped != 1 else ''} with a missing or non-numeric "
            f"'{args.value}' or a missing '{args.group}'",
            file=sys.stderr,
        )
    emptied = sorted({_label(name) for name in frame[args.group].dropna().unique()} - set(groups))
    for name in emptied:
        print(f"note: group '{name}' has no numeric '{args.value}' and is left out", file=sys.stderr)
    try:
        comparison = compare_defined(groups)
    except ComparabilityError as error:
        return _fail(f"{args.file}: {error}")
    results = comparison.results

    if args.json:
        # an undefined test is null, with its reason under not_defined, so every key is always there
        payload: dict[str, Any] = {key: _test_json(results[key]) if key in results else None for key in TEST_KEYS}
        payload["not_defined"] = dict(comparison.not_defined)
        payload["n_dropped"] = dropped
        payload["groups"] = {name: len(values) for name, values in groups.items()}
        print(json.dumps(payload, indent=2))
        return 0

    n = sum(len(values) for values in groups.values())
    sizes = ", ".join(f"{name}: {len(values)}" for name, values in groups.items())
    print(f"'{args.value}' across {len(groups)} groups of '{args.group}' (n = {n}; {sizes})")
    labels = {
        "anova": "one-way ANOVA",
        "welch": "Welch",
        "brown_forsythe": "Brown-Forsythe",
        "kruskal": "Kruskal-Wallis",
    }
    for key in TEST_KEYS:
        line = format_apa(results[key]) if key in results else f"not defined: {comparison.not_defined[key]}"
        print(f"  {labels[key]:<16} {line}")
    print()
    print(reading(results, groups="groups", measure=f"'{args.value}'"))
    return 0


# --- stats growth -----------------------------------------------------------


def growth_json(model: GrowthModel) -> dict[str, Any]:
    """Return the fitted model as a JSON-ready dictionary."""
    effects = model.random_effects
    return {
        "method": model.method,
        "n_units": model.n_units,
        "n_obs": model.n_obs,
        "n_dropped": model.n_dropped,
        "converged": model.converged,
        "singular": model.singular,
        "optimiser": model.optimiser,
        "time_origin": _number(model.time_origin),
        "predictor": model.predictor,
        "predictor_centre": _number(model.predictor_centre),
        "fixed_effects": {
            effect.name: {
                "estimate": _number(effect.estimate),
                "se": _number(effect.se),
                "ci_low": _number(effect.ci_low),
                "ci_high": _number(effect.ci_high),
                "p": _number(effect.p),
            }
            for effect in model.fixed_effects
        },
        "random_effects": {
            "intercept_variance": _number(effects.intercept_variance),
            "slope_variance": _number(effects.slope_variance),
            "covariance": _number(effects.covariance),
            "correlation": _number(effects.correlation),
        },
        "residual_variance": _number(model.residual_variance),
        "log_likelihood": _number(model.log_likelihood),
        "notes": list(model.notes),
    }


def _format_p(p: float) -> str:
    if not math.isfinite(p):
        return "—"
    return "<.001" if p < 0.001 else f"{p:.3f}".lstrip("0")


def print_growth(model: GrowthModel) -> None:
    """Print the fitted model as a short text report."""
    curve = "straight line" if not model.quadratic else "curve with fixed curvature"
    print(
        f"Growth model of '{model.value}' over '{model.time}' ({curve}), {model.n_units} units of "
        f"'{model.unit}', {model.n_obs} observations, {model.method}"
        + ("" if model.converged else " — DID NOT CONVERGE")
        + (" — boundary (singular) fit" if model.singular else "")
    )
    print(f"time is counted from {model.time_origin:g}, so the intercept is the expected value then")
    if model.predictor is not None:
        print(f"'{model.predictor}' is centred at its mean, {model.predictor_centre:.6g}")
    print()
    print("Fixed effects           estimate          SE      95% CI                      p")
    for effect in model.fixed_effects:
        ci = f"[{effect.ci_low:.6g}, {effect.ci_high:.6g}]"
        print(f"  {effect.name:<20} {effect.estimate:>11.6g} {effect.se:>11.6g}  {ci:<27} {_format_p(effect.p)}")
    effects = model.random_effects
    print()
    print("Random effects (variation between units)")
    print(f"  intercept variance   {effects.intercept_variance:.6g} (SD {effects.intercept_sd:.6g})")
    print(f"  slope variance       {effects.slope_variance:.6g} (SD {effects.slope_sd:.6g})")
    print(f"  covariance           {effects.covariance:.6g} (correlation {effects.correlation:.3f})")
    print(f"  residual variance    {model.residual_variance:.6g} (SD {math.sqrt(model.residual_variance):.6g})")
    print()
    label = "restricted log-likelihood (REML)" if model.method == "REML" else "log-likelihood (ML)"
    print(f"{label}: {model.log_likelihood:.4f}")
    print("standard errors as lme4's vcov: sigma^2 (X'V^-1X)^-1 at the optimum")


def cmd_growth(args: argparse.Namespace) -> int:
    """Fit and print a growth model, as text or JSON."""
    from .compute.growth import GrowthError, fit_growth

    frame = read_table(args.file)
    require_columns(frame, args.file, unit=args.unit, time=args.time, value=args.value, predictor=args.predictor)
    try:
        model = fit_growth(
            frame,
            args.unit,
            args.time,
            args.value,
            args.predictor,
            quadratic=not args.linear,
            reml=not args.ml,
        )
    except GrowthError as error:
        return _fail(f"{args.file}: {error}")
    if model.n_dropped:
        print(
            f"note: dropped {model.n_dropped} row{'s' if model.n_dropped != 1 else ''} with a missing or "
            "non-numeric value in a model column",
            file=sys.stderr,
        )
    for note in model.notes:
        print(f"warning: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(growth_json(model), indent=2))
    else:
        print_growth(model)
    return 0 if model.converged else 1


# --- stats proportion -------------------------------------------------------


def _whole_number(text: str) -> int:
    """Return a command-line count as an int (argparse type); range checks come later."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None


def cmd_proportion(args: argparse.Namespace) -> int:
    """Print a share with its Wilson interval, as text or JSON."""
    from .compute.proportions import ProportionsError, format_share, wilson_interval

    try:
        interval = wilson_interval(args.k, args.n, args.confidence)
    except ProportionsError as error:
        # K, N and the level are arguments, so a bad one is a usage error (exit 2).
        raise UserError(str(error)) from None
    if args.json:
        payload = {
            "k": interval.k,
            "n": interval.n,
            "share": interval.share,
            "lower": interval.lower,
            "upper": interval.upper,
            "confidence": interval.confidence,
            "method": interval.method,
        }
        print(json.dumps(payload, indent=2))
    else:
        print(format_share(interval))
    return 0


# --- stats crosstab ---------------------------------------------------------


def _categories(column: pd.Series) -> pd.Series:
    """Return a column with text stripped of surrounding spaces and blank cells as missing."""
    stripped = column.map(lambda value: value.strip() if isinstance(value, str) else value)
    stripped = stripped.mask(stripped.map(lambda value: isinstance(value, str) and value == ""))
    return stripped


def count_table(frame: pd.DataFrame, row: str, col: str) -> tuple[pd.DataFrame, int]:
    """Return the counts of ``row`` by ``col`` (categories sorted, labelled) and how many rows were dropped."""
    import pandas as pd

    rows, cols = _categories(frame[row]), _categories(frame[col])
    usable = rows.notna() & cols.notna()
    counts = pd.crosstab(rows[usable], cols[usable])
    counts.index = [_label(name) for name in counts.index]
    counts.columns = [_label(name) for name in counts.columns]
    return counts.astype(int), int((~usable).sum())


def crosstab_json(counts: pd.DataFrame, result: CrosstabTest, dropped: int) -> dict[str, Any]:
    """Return the table and its test as a JSON-ready dictionary."""
    labels = list(counts.columns)
    return {
        "table": {name: {label: int(counts.at[name, label]) for label in labels} for name in counts.index},
        "chi_squared": _number(result.chi_squared),
        "df": result.df,
        "p": _number(result.p),
        "yates": result.yates,
        "n": int(result.n),
        "n_dropped": dropped,
        "small_expected": result.small_expected,
        "expected": {
            name: {label: _number(value) for label, value in zip(labels, expected)}
            for name, expected in zip(counts.index, result.expected)
        },
    }


def print_crosstab(counts: pd.DataFrame, result: CrosstabTest, row: str, col: str) -> None:
    """Print the counts with totals, the test in APA style, and a note on small expected counts."""
    from .compute.proportions import SMALL_EXPECTED, format_chi_squared

    labels = [str(label) for label in counts.columns]
    names = [str(name) for name in counts.index]
    body = [[int(v) for v in values] for values in counts.to_numpy()]
    column_totals = [int(v) for v in counts.sum(axis=0)]
    lines = [[name, *values, sum(values)] for name, values in zip(names, body)]
    lines.append(["Total", *column_totals, sum(column_totals)])
    header = [row, *labels, "Total"]
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]

    def render(cells: list[Any]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(cell).rjust(width) for cell, width in zip(cells[1:], widths[1:])]
        return "  " + "  ".join([first, *rest])

    print(f"'{row}' (rows) by '{col}' (columns), n = {int(result.n)}")
    print()
    for cells in [header, *lines]:
        print(render(cells).rstrip())
    print()
    correction = " with Yates' continuity correction" if result.yates else ""
    print(f"Pearson's {format_chi_squared(result)}{correction}")
    if result.small_expected:
        cells = len(names) * len(labels)
        print(
            f"Note: {result.n_small_expected} of {cells} expected counts are below {SMALL_EXPECTED:g} "
            f"(smallest {result.min_expected:.2f}), so the chi-squared p-value may be inaccurate; "
            "merge small categories or use an exact test."
        )


def cmd_crosstab(args: argparse.Namespace) -> int:
    """Print a table of counts with Pearson's chi-squared test, as text or JSON."""
    from .compute.proportions import ProportionsError, crosstab_chi_squared

    frame = read_table(args.file)
    require_columns(frame, args.file, row=args.row, col=args.col)
    if args.row == args.col:
        raise UserError(f"{args.file}: --row and --col both name '{args.row}'; cross two different columns")
    counts, dropped = count_table(frame, args.row, args.col)
    if dropped:
        print(
            f"note: dropped {dropped} row{'s' if dropped != 1 else ''} with a missing "
            f"'{args.row}' or '{args.col}'",
            file=sys.stderr,
        )
    for option, column, found in (("row", args.row, list(counts.index)), ("col", args.col, list(counts.columns))):
        if len(found) < 2:
            listed = ", ".join(f"'{name}'" for name in found) or "none"
            return _fail(
                f"{args.file}: --{option} '{column}' needs at least two categories to test; "
                f"found {len(found)} ({listed})"
            )
    if args.yates and counts.shape != (2, 2):
        rows, cols = counts.shape
        raise UserError(
            f"{args.file}: --yates applies only to a 2 x 2 table; '{args.row}' by '{args.col}' is {rows} x {cols}"
        )
    try:
        result = crosstab_chi_squared(counts.to_numpy(), yates=args.yates)
    except ProportionsError as error:
        return _fail(f"{args.file}: {error}")
    if args.json:
        print(json.dumps(crosstab_json(counts, result, dropped), indent=2))
    else:
        print_crosstab(counts, result, args.row, args.col)
    return 0
