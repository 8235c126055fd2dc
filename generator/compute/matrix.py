"""The framework matrix: sites as rows, codes (grouped by theme) as columns."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.loader import Loaded
from ..content.models import Code, CodeDocument, LocalAuthority, Site
from ..content.themes import Theme
from ..content.blocks import split_body
from ..render.markdown import preview
from ..view import SiteView, group_codes


def prose_of(body: str) -> str:
    """The body's own words: its computed tables and charts left out (a preview shows the summary, never a block)."""
    return "\n\n".join(text for text, line in split_body(body, 1) if line is None and text.strip())


@dataclass(frozen=True)
class MatrixCell:
    """One cell: a site and a code, with its code document if there is one."""

    site: Site
    code: Code
    document: Loaded[CodeDocument] | None
    extracts: int
    sources: int
    preview: str

    @property
    def filled(self) -> bool:
        return self.document is not None


@dataclass(frozen=True)
class MatrixRow:
    site: Site
    la: LocalAuthority
    cells: tuple[MatrixCell, ...]

    @property
    def filled(self) -> int:
        return sum(cell.filled for cell in self.cells)


@dataclass(frozen=True)
class Matrix:
    groups: tuple[tuple[Theme, tuple[Code, ...]], ...]
    rows: tuple[MatrixRow, ...]

    @property
    def codes(self) -> list[Code]:
        return [code for _, codes in self.groups for code in codes]

    @property
    def filled(self) -> int:
        return sum(row.filled for row in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows) * len(self.codes)

    def filled_of(self, code: Code) -> int:
        """How many sites have a code document for this code (0: a column no site has written yet)."""
        return sum(cell.filled for row in self.rows for cell in row.cells if cell.code.id == code.id)


def compute_matrix(view: SiteView) -> Matrix:
    """Return the matrix of the view's sites against the whole coding frame."""
    groups = tuple((group, tuple(c.model for c in codes)) for group, codes in group_codes(view.codes, view.themes))
    rows = []
    for site in view.sites:
        cells = []
        for _, codes in groups:
            for code in codes:
                document = view.cell_by_key.get((site.model.id, code.id))
                extracts = []  # counted without their words (an edit to them changes no count)
                if document is not None:
                    extracts = [found for found in map(view.extract_counts.get, document.model.extracts)
                                if found is not None and found[1]]  # (source id, quotable)
                cells.append(MatrixCell(
                    site=site.model,
                    code=code,
                    document=document,
                    extracts=len(extracts),
                    sources=len({source for source, _ in extracts}),
                    preview=preview(prose_of(document.body)) if document is not None else "",
                ))
        rows.append(MatrixRow(site=site.model, la=view.la_of_site(site.model.id), cells=tuple(cells)))
    return Matrix(groups=groups, rows=tuple(rows))
