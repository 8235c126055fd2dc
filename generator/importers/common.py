"""What every importer shares: the imported table, writing it out, thirds, LA maps.

An importer is a declaration (:class:`generator.intake.Declaration`: which
columns under which headers, their roles and units, which rows are kept,
which symbols stand for a missing figure) that :func:`take_file` runs on the
one intake, for a CSV or a workbook's sheet alike, followed by what only
that publisher's file needs (DfE's financial years, IMD's thirds, s251's sums
by category, SIMD's SPSS decimals). It returns an :class:`ImportedDataset`:
the cells exactly as they will be written (text, with missing-value codes such
as DfE's ``c`` left in place) and a description of every column. Nothing is
written until the whole file has been read and checked; :func:`write_dataset`
then checks the result with the project's own dataset reader before it puts
the CSV and its Markdown document in place.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import Problem, SourceLocation, UserError
from ..intake import Column, Declaration, Taken
from ..intake import clean_number as clean_number  # importers read numbers as the intake does

OGL = "Open Government Licence v3.0"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_INTEGER = re.compile(r"^[+-]?\d+$")


class ImportProblems(Exception):
    """The source file cannot be imported; carries every problem found, each with file, row and column."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the source file")


def problem(path: Path, message: str, row: int = 0, column: str = "") -> Problem:
    """Return a problem at a row (spreadsheet numbering, header = 1) and column of a source file."""
    return Problem(SourceLocation(path.as_posix(), row, column), message)


@dataclass
class ColumnSpec:
    """One output column: its declaration in the dataset document."""

    name: str
    type: str  # integer | number | string | date | boolean
    unit: str | None = None
    description: str | None = None
    required: bool = False
    missing_codes: dict[str, str] = field(default_factory=dict)
    role: str | None = None  # count | total | rate | share | mean | amount | score | identifier | label | year
    label: str | None = None  # what tables and charts call it, when the publisher names it

    def front_matter(self) -> dict[str, Any]:
        from ..compute.labels import FIGURE_ROLES, LABEL_FROM_DESCRIPTION, words

        entry: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.role:
            entry["role"] = self.role
        if self.unit:
            entry["unit"] = self.unit
        description = _short(self.description) if self.description else None
        label = self.label
        if label is None and self.role in FIGURE_ROLES and not (description and len(description) <= LABEL_FROM_DESCRIPTION):
            label = words(self.name)  # written out, so the author sees what charts will say and can change it
        if label:
            entry["label"] = _short(label)
        if description:
            entry["description"] = description
        if self.required:
            entry["required"] = True
        if self.missing_codes:
            entry["missing_codes"] = {code: self.missing_codes[code] for code in sorted(self.missing_codes)}
        return entry


@dataclass
class ImportedDataset:
    """An imported table and its description, ready to be written."""

    id: str
    title: str
    source: Path
    columns: list[ColumnSpec]
    rows: list[list[str]]  # cells as written, in column order, already sorted
    provenance: str
    body: str
    licence: str = OGL
    la_keys: tuple[str, ...] = ()  # columns whose values an --la-map may name (codes, names)
    la_names: tuple[str, ...] = ()  # columns naming or coding LAs, for the leak guard (3-digit codes left out)
    la_column: str | None = None
    notes: list[str] = field(default_factory=list)  # printed as warnings, not errors

    def missing_by_code(self) -> Counter[str]:
        """Count the missing cells, by code ('blank' for an empty cell)."""
        counts: Counter[str] = Counter()
        for index, column in enumerate(self.columns):
            if column.name == self.la_column:
                continue  # rows outside the study have no project LA: not a missing figure
            for row in self.rows:
                cell = row[index]
                if cell == "":
                    counts["blank"] += 1
                elif cell in column.missing_codes:
                    counts[cell] += 1
        return counts

    def front_matter(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "dataset",
            "id": self.id,
            "title": _short(self.title),
            "file": f"{self.id}.csv",
        }
        if self.la_column:
            data["la_column"] = self.la_column
        if self.la_names:
            data["la_names"] = list(self.la_names)
        data["columns"] = [column.front_matter() for column in self.columns]
        data["provenance"] = self.provenance
        data["licence"] = self.licence
        return data


def with_source_url(provenance: str, url: str | None, notes: str = "the publisher's notes") -> str:
    """Return the provenance with the link to the release (its notes are linked, never copied)."""
    if not url:
        return provenance
    return f"{provenance} Source and {notes}: {url}"


def check_url(url: str) -> str:
    """Return ``url`` if it is a web address (http or https), else raise a UserError saying what was expected."""
    if not re.fullmatch(r"https?://[^\s<>\"']+", url):
        raise UserError(f"--source-url '{url}': expected a web address starting with https:// (the release's page)")
    return url


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- identifiers, years, numbers -------------------------------------------------


def slugify(text: str) -> str:
    """Return a dataset id made from a file name: lower case, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:64].rstrip("-") or "dataset"


def check_id(dataset_id: str) -> str:
    if not SLUG.match(dataset_id) or len(dataset_id) > 64:
        raise UserError(
            f"--id '{dataset_id}': expected lower-case letters, digits and hyphens, "
            f"starting with a letter or digit (e.g. {slugify(dataset_id)})"
        )
    return dataset_id


def financial_year(time_period: str) -> str | None:
    """Return '2021-22' for DfE's time_period 2022 (or 202122); None if it is neither form."""
    text = time_period.strip()
    if re.fullmatch(r"\d{4}", text):
        end = int(text)
        return f"{end - 1}-{end % 100:02d}"
    if re.fullmatch(r"\d{6}", text) and (int(text[:4]) + 1) % 100 == int(text[4:]):
        return f"{text[:4]}-{text[4:]}"
    return None


def is_integer_text(text: str) -> bool:
    return bool(_INTEGER.match(text))


def format_number(value: float | int, decimals: int | None = None) -> str:
    """Write a number without exponent or float noise; ``decimals`` rounds first."""
    import numpy as np

    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a boolean is not a number")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if decimals is not None:
        value = round(float(value), decimals)
    if float(value).is_integer():
        return str(int(value))
    return np.format_float_positional(float(value), trim="-")


def infer_type(cells: Iterable[str], missing_codes: Iterable[str] = ()) -> str:
    """Return 'integer', 'number' or 'string' for a column's cells, ignoring blanks and missing codes."""
    codes = set(missing_codes)
    kind = "integer"
    seen = False
    for cell in cells:
        if cell == "" or cell in codes:
            continue
        seen = True
        if kind == "integer" and is_integer_text(cell):
            continue
        if clean_number(cell) is not None:
            kind = "number"
            continue
        return "string"
    return kind if seen else "string"


# --- reading through the intake ---------------------------------------------------


def take_file(source: Path, declaration: Declaration, sheet: str | None = None,
              notes: list[str] | None = None) -> Taken:
    """Read ``source`` (a CSV, or one ``sheet`` of an .xlsx workbook) through the intake and its declaration.

    Every problem - an unreadable file, a missing column, a bad cell - is
    raised at once as :class:`ImportProblems`, each at its row and column.
    A CSV may be UTF-8 (BOM allowed) or Windows-1252; its title and footnote
    rows are not data: each is added to ``notes`` (printed as a warning) so
    the user knows what was left out.
    """
    from ..intake import UTF8_OR_WINDOWS, read_csv, read_sheet, take

    shown = source.as_posix()
    if sheet is None:
        file, problems = read_csv(source, shown=shown, expected=declaration.expected, encodings=UTF8_OR_WINDOWS)
    else:
        file, problems = read_sheet(source, sheet, shown=shown, expected=declaration.expected)
    if file is None or problems:
        raise ImportProblems(problems)
    taken, problems = take(file, declaration)
    if taken is None or problems:
        raise ImportProblems(problems)
    if notes is not None:
        for record in file.notes:
            text = " ".join(cell.strip() for cell in record.cells if cell.strip())
            cut = text if len(text) <= 60 else text[:57] + "..."
            notes.append(f"{source.name}:{record.row}: '{cut}' is a title or footnote row, not data: left out")
        if file.encoding == "cp1252":
            notes.append(f"{source.name}: read as Windows-1252 (not UTF-8); the dataset is written as UTF-8")
    return taken


def column_spec(column: Column, kind: str | None = None, required: bool | None = None, **changes: Any) -> ColumnSpec:
    """Return the dataset document's declaration of a taken column: its field's words, the codes found in it."""
    spec = column.field
    written = kind or {"text": "string"}.get(column.kind, column.kind)
    return ColumnSpec(
        name=changes.pop("name", spec.name), type=written,
        unit=changes.pop("unit", spec.unit), description=changes.pop("description", spec.description),
        required=(column.blanks == 0 and not column.codes) if required is None else required,
        missing_codes=changes.pop("missing_codes", dict(column.codes)), role=changes.pop("role", spec.role),
    )


# --- LA maps ---------------------------------------------------------------------

LA_COLUMN = "la"


def load_la_map(path: Path) -> dict[str, str]:
    """Read an LA map: which project LA id each official LA code or name stands for.

    A CSV with a header row and the columns ``code`` and ``la`` (``code`` may
    be an ONS code such as E09000012, a DfE 3-digit code such as 204, or the
    LA or council-area name as the file spells it), or a YAML mapping
    ``code: la-id``.
    """
    if not path.is_file():
        raise UserError(f"--la-map {path}: file not found")
    text = path.read_text(encoding="utf-8-sig")
    pairs: list[tuple[str, str, int]] = []
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise UserError(f"--la-map {path}: not valid YAML ({error})")
        if not isinstance(data, dict):
            raise UserError(f"--la-map {path}: expected a mapping of LA codes to project LA ids, e.g. 'E09000012: hackney'")
        pairs = [(str(code).strip(), str(la).strip(), 0) for code, la in data.items()]
    else:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = [cell.strip().lower() for cell in rows[0]] if rows else []
        if "code" not in header or "la" not in header:
            raise UserError(f"--la-map {path}: expected a CSV with the header 'code,la' (found: {','.join(header) or 'nothing'})")
        code_at, la_at = header.index("code"), header.index("la")
        pairs = [(row[code_at].strip(), row[la_at].strip(), line)
                 for line, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    mapping: dict[str, str] = {}
    for code, la, line in pairs:
        where = f"{path}:{line}" if line else str(path)
        if not SLUG.match(la):
            raise UserError(f"{where}: la '{la}' is not a project LA id (lower-case letters, digits and hyphens)")
        if code in mapping and mapping[code] != la:
            raise UserError(f"{where}: code '{code}' is mapped twice ({mapping[code]}, {la})")
        mapping[code] = la
    if not mapping:
        raise UserError(f"--la-map {path}: no entries")
    return mapping


def apply_la_map(dataset: ImportedDataset, mapping: dict[str, str]) -> None:
    """Add the project's LA id to every row the map names, and make it the dataset's ``la_column``."""
    if not dataset.la_keys:
        raise UserError(f"--la-map cannot be used with this kind of file ({dataset.source.name} has no LA column)")
    names = [c.name for c in dataset.columns]
    if LA_COLUMN in names:
        raise UserError(f"--la-map: {dataset.source.name} already has a column '{LA_COLUMN}'")
    key_indexes = [names.index(key) for key in dataset.la_keys]
    used: set[str] = set()
    for row in dataset.rows:
        found = ""
        for index in key_indexes:
            if row[index] in mapping:
                found = mapping[row[index]]
                used.add(row[index])
                break
        row.append(found)
    dataset.columns.append(ColumnSpec(
        LA_COLUMN, "string", role="identifier",
        description="The project's id for the LA (from the LA map); blank for LAs outside the study",
    ))
    dataset.la_column = LA_COLUMN
    for code in sorted(set(mapping) - used):
        dataset.notes.append(f"--la-map: '{code}' matches no row's {' or '.join(dataset.la_keys)}")


# --- writing ---------------------------------------------------------------------


def dataset_markdown(dataset: ImportedDataset) -> str:
    import yaml

    front = yaml.safe_dump(dataset.front_matter(), sort_keys=False, allow_unicode=True, width=110)
    return f"---\n{front}---\n\n{dataset.body.strip()}\n"


def dataset_csv(dataset: ImportedDataset) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in dataset.columns])
    writer.writerows(dataset.rows)
    return buffer.getvalue()


def write_dataset(dataset: ImportedDataset, out: Path) -> tuple[Path, Path]:
    """Write FOLDER/<id>.csv and FOLDER/<id>.md after checking them with the project's loader.

    Both files are written beside their final names and renamed into place,
    so an import that fails its check leaves an earlier import untouched.
    """
    from ..content.datasets import read_table
    from ..content.models import Dataset

    # Checking the declaration with the content model catches an importer bug
    # (an over-long description, a bad type) before any file exists.
    model = Dataset.model_validate(dataset.front_matter())
    out.mkdir(parents=True, exist_ok=True)
    targets = (out / f"{dataset.id}.csv", out / f"{dataset.id}.md")
    staged: list[Path] = []
    try:
        for target, text in zip(targets, (dataset_csv(dataset), dataset_markdown(dataset))):
            # Beside the target, so the rename is atomic; a plain open keeps the user's umask.
            name = out / f".{target.name}.{os.getpid()}.tmp"
            with open(name, "w", encoding="utf-8", newline="") as stream:
                staged.append(name)
                stream.write(text)
        table, problems = read_table(model, staged[0])
        if table is None:
            shown = "; ".join(f"row {p.row} [{p.column}]: {p.message}" for p in problems[:5])
            raise AssertionError(f"the imported table does not pass the project's own check: {shown}")
        for name, target in zip(staged, targets):
            os.replace(name, target)
        staged = []
    finally:
        for name in staged:
            name.unlink(missing_ok=True)
    return targets


def summary_line(dataset: ImportedDataset, csv_path: Path) -> str:
    """Return the one-line report of an import: rows, columns, missing values by code."""
    missing = dataset.missing_by_code()
    total = sum(missing.values())
    if total:
        by_code = ", ".join(f"{code} {count}" for code, count in sorted(missing.items()))
        missing_text = f"{total} missing ({by_code})"
    else:
        missing_text = "no missing values"
    return (f"{dataset.source.name} -> {csv_path}: {len(dataset.rows)} rows, "
            f"{len(dataset.columns)} columns, {missing_text}")
