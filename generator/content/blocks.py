"""Computed tables declared in Markdown bodies: data, never code.

An author asks for a table with a fenced block whose YAML says what to
compute; the build fills it in from the datasets::

    ```computed
    table: rates
    dataset: demo-children
    counts: [cpp_starts, cla_starts]
    population: child_population
    ```

The YAML is parsed safely and checked against the models below, so a bad
block is a `path:line:` error naming the valid choices.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .frontmatter import FrontMatterError, ParsedDocument, parse_yaml_block
from .schema_errors import describe_validation_error

_FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*computed\s*$")

Name = Annotated[str, Field(min_length=1, max_length=120)]


class Join(BaseModel):
    """Where a block's denominator comes from when it is not in the counts' own dataset (e.g. DfE counts and ONS population): another dataset, matched row by row on key columns."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    dataset: Name
    """Id of the dataset holding the denominator column."""
    keys: Annotated[list[Name], Field(min_length=1)] | Annotated[dict[Name, Name], Field(min_length=1)]
    """Key columns that match a row of counts to its denominator: a list of names both datasets share, e.g. `[new_la_code, year]`, or a map from the counts' column to the denominator's, e.g. `{la: la_id, year: year}`. Every row of counts the block uses must match exactly one row (`check` names each one that does not)."""

    def pairs(self) -> list[tuple[str, str]]:
        """(counts column, denominator column) for each key."""
        return list(self.keys.items()) if isinstance(self.keys, dict) else [(name, name) for name in self.keys]


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = None
    """An id, so a meta-inference can cite this table as quantitative evidence."""
    caption: str | None = None
    """Caption shown above the table (a sensible one is written if left out)."""
    la: str | None = None
    """Keep only this LA's rows (an LA id). In an LA's own site only its rows are ever shown."""
    years: list[str] = []
    """Keep only these years, e.g. `[2013-14, 2015-16]` (all years if left out)."""
    year_column: Name = "year"
    """Column holding the year."""
    la_column: Name = "la"
    """Column holding LA ids."""


class ValuesBlock(_Block):
    """A plain table of a dataset's columns."""

    table: Literal["values"]
    dataset: Name
    """Id of the dataset."""
    columns: list[Name] = []
    """Columns to show, in order (all if left out)."""
    totals: bool = False
    """Add a total for each row and each column of counts."""


class RatesBlock(_Block):
    """Counts as rates per 10,000 children, by year."""

    table: Literal["rates"]
    dataset: Name
    """Id of the dataset holding the counts and the child population."""
    counts: list[Name] = Field(min_length=1)
    """Columns of counts (e.g. `cpp_starts`, `cla_starts`)."""
    population: Name
    """Column with the number of children (the denominator), in this dataset or in `population_from`'s."""
    population_from: Join | None = None
    """Take the `population` column from another dataset, matched on keys (the counts' own dataset is used if left out)."""


class ConversionBlock(_Block):
    """The referral pathway: the number at each step and the share carried to the next."""

    table: Literal["conversion"]
    dataset: Name
    """Id of the dataset."""
    steps: list[Name] = Field(min_length=2)
    """Columns in pathway order, e.g. `[contacts, referrals, assessments, cp_plans_started]`."""


class SpendingBlock(_Block):
    """Spending by service category over the years, at constant prices."""

    table: Literal["spending"]
    dataset: Name
    """Id of the spending dataset (long format: LA, year, category, spend)."""
    deflator: Name
    """Id of the deflator dataset (year and price index)."""
    show: Literal["real", "per_child", "share"] = "per_child"
    """`real` (constant prices), `per_child` (constant prices per child) or `share` (of the LA's total)."""
    population: Name | None = None
    """Id of the dataset with the child population by LA and year (for `per_child`)."""
    population_column: Name = "child_population"
    """Column of that dataset with the number of children."""
    category_column: Name = "category"
    """Column holding the service category."""
    spend_column: Name = "spend"
    """Column holding cash spending."""
    index_column: Name = "index"
    """Column of the deflator dataset holding the price index."""


class DeprivationBlock(_Block):
    """An LA's deprivation score, rank and third among the LAs of the dataset."""

    table: Literal["deprivation"]
    dataset: Name
    """Id of the dataset of LA scores."""
    score_column: Name = "imd_score"
    """Column holding the LA's population-weighted score."""


class _Chart(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = None
    """An id, so a meta-inference can cite this chart as quantitative evidence."""
    title: str | None = None
    """Title drawn above the chart (a sensible one is written if left out)."""
    la: str | None = None
    """The LA the chart is about (its line is drawn bold black). In an LA's site it defaults to that LA."""
    format: Literal["svg", "png"] = "svg"
    """`svg` (sharp at any size, the default) or `png`."""
    years: list[str] = []
    """Only these years (all if left out)."""
    year_column: Name = "year"
    """Column holding the year."""
    la_column: Name = "la"
    """Column holding LA ids."""


class PanelChart(_Chart):
    """Seed 000's Figure 2: each service category over time, one panel per deprivation third, the LA in bold black, each third's average in colour, every other LA a thin grey line."""

    chart: Literal["panel"]
    dataset: Name
    """Id of the spending dataset (long format: LA, year, category, spend)."""
    deflator: Name
    """Id of the deflator dataset (year and price index)."""
    deprivation: Name
    """Id of the dataset of LA deprivation scores that sets the thirds."""
    score_column: Name = "imd_score"
    """Column of the deprivation dataset holding the score."""
    show: Literal["share", "per_child"] = "share"
    """`share` of the LA's spending, or `per_child` at constant prices."""
    population: Name | None = None
    """Id of the dataset with children by LA and year (for `per_child`)."""
    population_column: Name = "child_population"
    """Column of that dataset with the number of children."""
    categories: list[Name] = []
    """Service categories to draw, one row of panels each (all if left out)."""
    category_column: Name = "category"
    """Column holding the service category."""
    spend_column: Name = "spend"
    """Column holding cash spending."""
    index_column: Name = "index"
    """Column of the deflator dataset holding the price index."""


class RatesChart(_Chart):
    """Rates per 10,000 children over time: the LA against its third's average and the national average."""

    chart: Literal["rates"]
    dataset: Name
    """Id of the dataset with counts and the child population by LA and year."""
    counts: list[Name] = Field(min_length=1)
    """Columns of counts, one panel each (e.g. `cpp_starts`, `cla_starts`)."""
    population: Name
    """Column with the number of children, in this dataset or in `population_from`'s."""
    population_from: Join | None = None
    """Take the `population` column from another dataset, matched on keys (the counts' own dataset is used if left out)."""
    deprivation: Name
    """Id of the dataset of LA deprivation scores that sets the thirds."""
    score_column: Name = "imd_score"
    """Column of the deprivation dataset holding the score."""


class FunnelChart(_Chart):
    """The referral pathway as a funnel: the number at each step with the share carried forward."""

    chart: Literal["funnel"]
    dataset: Name
    """Id of the pathway dataset."""
    steps: list[Name] = Field(min_length=2)
    """Columns in pathway order."""
    year: str | None = None
    """The year to draw (the latest if left out)."""


class ComparabilityChart(_Chart):
    """Small-area deprivation scores of each case-study site (box plus points)."""

    chart: Literal["comparability"]
    dataset: None = None


class _GrowthFields(BaseModel):
    dataset: Name
    """Id of the spending dataset."""
    deflator: Name
    """Id of the deflator dataset."""
    population: Name
    """Id of the dataset with children by LA and year."""
    population_column: Name = "child_population"
    """Column of that dataset with the number of children."""
    deprivation: Name
    """Id of the dataset of LA deprivation scores (the predictor, and the thirds)."""
    score_column: Name = "imd_score"
    """Column of the deprivation dataset holding the score."""
    categories: list[Name] = []
    """Service categories summed into the spending modelled (all if left out)."""
    category_column: Name = "category"
    """Column holding the service category."""
    spend_column: Name = "spend"
    """Column holding cash spending."""
    index_column: Name = "index"
    """Column of the deflator dataset holding the price index."""


class GrowthChart(_Chart, _GrowthFields):
    """Fitted growth curves of spending per child: each deprivation third's average curve, the LA's own highlighted."""

    chart: Literal["growth"]


class GrowthBlock(_Block, _GrowthFields):
    """The growth model of spending per child: fixed effects with 95% confidence intervals, and how LAs vary."""

    table: Literal["growth"]


ComputedBlock = Annotated[
    Union[ValuesBlock, RatesBlock, ConversionBlock, SpendingBlock, DeprivationBlock, GrowthBlock],
    Field(discriminator="table"),
]
ChartBlock = Annotated[
    Union[PanelChart, RatesChart, FunnelChart, ComparabilityChart, GrowthChart],
    Field(discriminator="chart"),
]


def _by_kind(block: Any, key: str) -> dict[str, type[BaseModel]]:
    """{kind: model} from a block union above, the one place each block kind is declared."""
    members = typing.get_args(typing.get_args(block)[0])
    return {typing.get_args(m.model_fields[key].annotation)[0]: m for m in members}


TABLE_MODELS = _by_kind(ComputedBlock, "table")
CHART_MODELS = _by_kind(ChartBlock, "chart")
TABLE_KINDS = tuple(TABLE_MODELS)
CHART_KINDS = tuple(CHART_MODELS)
_ADAPTER: TypeAdapter[ComputedBlock] = TypeAdapter(ComputedBlock)
_CHART_ADAPTER: TypeAdapter[ChartBlock] = TypeAdapter(ChartBlock)


@dataclass(frozen=True)
class BlockSpec:
    """A parsed block and where it sits in its file."""

    spec: ComputedBlock | ChartBlock
    parsed: ParsedDocument
    line: int  # the opening fence
    end_line: int

    def line_of(self, *keys: str | int) -> int:
        return self.parsed.line_of(tuple(keys)) if keys else self.line


@dataclass(frozen=True)
class BlockProblem:
    line: int
    message: str


def find_blocks(body: str, first_line: int) -> tuple[list[tuple[int, int, str]], list[BlockProblem]]:
    """Return (open line, close line, YAML text) for each computed fence in a body."""
    found: list[tuple[int, int, str]] = []
    problems: list[BlockProblem] = []
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE_OPEN.match(lines[index].strip())
        if not match:
            index += 1
            continue
        fence = match.group("fence")
        start = index
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            index += 1
        if index >= len(lines):
            problems.append(BlockProblem(first_line + start, f"computed block is never closed; add a line with {fence}"))
            break
        found.append((first_line + start, first_line + index, "\n".join(lines[start + 1 : index]) + "\n"))
        index += 1
    return found, problems


def parse_blocks(body: str, first_line: int) -> tuple[list[BlockSpec], list[BlockProblem]]:
    """Parse and schema-check every computed block of a body."""
    specs: list[BlockSpec] = []
    found, problems = find_blocks(body, first_line)
    for open_line, close_line, text in found:
        try:
            parsed = parse_yaml_block(text, open_line + 1)
        except FrontMatterError as error:
            problems.append(BlockProblem(error.line + open_line - 1, error.message.replace("front-matter", "computed block")))
            continue
        is_chart = "chart" in parsed.data
        key, kinds = ("chart", CHART_KINDS) if is_chart else ("table", TABLE_KINDS)
        kind = parsed.data.get(key)
        if kind not in kinds:
            problems.append(BlockProblem(
                parsed.line_of((key,)) if key in parsed.data else open_line,
                f"{key}: expected one of {', '.join(kinds)}, got {kind!r}"
                + ("" if key in parsed.data else " (a computed block starts with 'table:' or 'chart:')"),
            ))
            continue
        try:
            spec = (_CHART_ADAPTER if is_chart else _ADAPTER).validate_python(parsed.data)
        except ValidationError as exc:
            model = (CHART_MODELS if is_chart else TABLE_MODELS)[kind]
            for error in exc.errors(include_url=False):
                loc, message = describe_validation_error(model, {**error, "loc": tuple(error["loc"])[1:]})
                problems.append(BlockProblem(parsed.line_of(loc), message))
            continue
        specs.append(BlockSpec(spec=spec, parsed=parsed, line=open_line, end_line=close_line))
    return specs, problems


def split_body(body: str, first_line: int) -> list[tuple[str, int | None]]:
    """Split a body into Markdown runs and computed blocks: (text, None) or ('', open line)."""
    found, _ = find_blocks(body, first_line)
    parts: list[tuple[str, int | None]] = []
    lines = body.splitlines()
    cursor = 0
    for open_line, close_line, _text in found:
        start, end = open_line - first_line, close_line - first_line
        parts.append(("\n".join(lines[cursor:start]), None))
        parts.append(("", open_line))
        cursor = end + 1
    parts.append(("\n".join(lines[cursor:]), None))
    return parts
