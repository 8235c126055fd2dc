"""Checks that an LA's deprivation third is the one the figures give. Called from ``validate.validate_study``.

A third declared in an LA's document must agree with its own rank (``rank``
of ``of``) and with every deprivation dataset a chart or table sets the
thirds from; otherwise a page would show the LA in one third in words and
in another in a chart. An LA a deprivation dataset lacks drops out of the
thirds and their averages, so each one is a warning.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .compute import measures
from .content.loader import LoadedDataset, Study
from .errors import Problem, Severity, SourceLocation

NAMES = {"high": "high", "middle": "middle", "low": "low"}


def third_of_rank(rank: int, of: int) -> str:
    """The third a rank falls in, cut as ``measures.deprivation_thirds`` cuts (larger groups first)."""
    base, extra = divmod(of, 3)
    sizes = [base + (1 if group < extra else 0) for group in range(3)]
    if rank <= sizes[0]:
        return "high"
    return "middle" if rank <= sizes[0] + sizes[1] else "low"


def _bounds(of: int) -> str:
    base, extra = divmod(of, 3)
    first, second = base + (extra > 0), base + (extra > 1)
    return f"ranks 1-{first} high, {first + 1}-{first + second} middle, {first + second + 1}-{of} low"


def check_deprivation(study: Study) -> list[Problem]:
    """A third that disagrees with the LA's rank or with a deprivation dataset in use is an error; an LA missing
    from such a dataset is a warning."""
    problems: list[Problem] = []
    for la in study.local_authorities:
        d = la.model.deprivation
        if d is not None and d.rank is not None and d.of is not None and third_of_rank(d.rank, d.of) != d.third.value:
            problems.append(Problem(la.at("deprivation", "third"), (
                f"deprivation: third: declared '{d.third.value}', but rank {d.rank} of {d.of} is in the "
                f"{third_of_rank(d.rank, d.of)} third ({_bounds(d.of)}); correct the third or the rank")))
    datasets = {d.model.id: d for d in study.datasets}
    for use in _deprivation_uses(study):
        document, block, dataset_id, score_column, la_column = use
        dataset = datasets.get(dataset_id)
        if dataset is None or dataset.table is None or score_column not in dataset.table or la_column not in dataset.table:
            continue  # the block check reports the unknown dataset or column
        thirds, ranks, total = _thirds(dataset, score_column, la_column)
        where = f"dataset '{dataset_id}' (used at {document.path}:{block.line})"
        concerned = _las_of(document, block.spec, study)
        for la in study.local_authorities:
            if concerned is not None and la.model.id not in concerned:
                continue
            declared = la.model.deprivation.third.value if la.model.deprivation else None
            if la.model.id not in thirds:
                problems.append(Problem(SourceLocation(document.path, block.line), (
                    f"local authority '{la.model.id}' has no {score_column} in {where}: it is left out of the "
                    f"deprivation thirds and their averages"), Severity.WARNING))
            elif declared is not None and thirds[la.model.id] != declared:
                problems.append(Problem(la.at("deprivation", "third"), (
                    f"deprivation: third: declared '{declared}', but {where} puts '{la.model.id}' in the "
                    f"{thirds[la.model.id]} third (rank {ranks[la.model.id]} of {total} by {score_column})")))
    return sorted(set(problems))


def _thirds(dataset: LoadedDataset, score_column: str, la_column: str) -> tuple[dict[str, str], dict[str, int], int]:
    table = dataset.table
    assert table is not None
    scores = pd.to_numeric(table[score_column], errors="coerce").astype("float64")
    scores.index = table[la_column].astype(str)
    scores = scores[(scores.index != "") & (scores.index != "<NA>")]
    thirds = {la: t for la, t in measures.deprivation_thirds(scores).items() if isinstance(t, str)}
    ranks = {la: int(r) for la, r in measures.deprivation_ranks(scores).items() if not pd.isna(r)}
    return thirds, ranks, int(scores.notna().sum())


def _las_of(document: Any, spec: Any, study: Study) -> set[str] | None:
    """The LAs a block is drawn for: its `la:`, or the LA whose document holds it (None: every LA)."""
    if getattr(spec, "la", None):
        return {spec.la}
    model = document.model
    if getattr(model, "type", "") == "local_authority":
        return {model.id}
    site = getattr(model, "site", None)
    if isinstance(site, str):
        return {s.model.la for s in study.sites if s.model.id == site}
    la = getattr(model, "la", None)
    return {la} if isinstance(la, str) else None


def _deprivation_uses(study: Study) -> list[tuple[Any, Any, str, str, str]]:
    """(document, block, deprivation dataset, score column, LA column) for every block that sets thirds."""
    uses = []
    seen = set()
    for document in study.all_documents():
        for block in document.blocks:
            spec = block.spec
            dataset_id = getattr(spec, "deprivation", None)
            if isinstance(dataset_id, str) and (document.path, dataset_id, spec.score_column, spec.la_column) not in seen:
                seen.add((document.path, dataset_id, spec.score_column, spec.la_column))
                uses.append((document, block, dataset_id, spec.score_column, spec.la_column))
    return uses
