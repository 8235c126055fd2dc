"""What tables and charts call a dataset's columns: the words its author declared, never a raw column name.

A column's ``label`` (or ``label_cy`` on a Welsh site) comes first, then a
short ``description``. Only a column with neither is named from its header
turned into words, with the study's abbreviations and glossary terms kept in
their own spelling, and ``check`` warns about it.
"""

from __future__ import annotations

from typing import Any, Iterable

# a description longer than this reads as a sentence, not as a heading or an axis label
LABEL_FROM_DESCRIPTION = 60
FIGURE_ROLES = {"count", "total", "rate", "share", "mean", "amount", "score"}


def terms_of(project: Any) -> list[str]:
    """The spellings pages keep when they turn a name into words: abbreviations and glossary terms."""
    if project is None:
        return []
    return [*project.abbreviations, *(entry.term for entry in project.glossary)]


def words(name: str, terms: Iterable[str] = ()) -> str:
    """A column or value name as words: 'cp_plans_started' with the term 'CP' -> 'CP plans started'."""
    written = {t.casefold(): t for t in terms}
    parts = [written.get(w.casefold(), w) for w in name.replace("_", " ").split()]
    if parts and parts[0] == parts[0].lower() and parts[0].casefold() not in written:  # 's47' stays 's47'
        parts[0] = parts[0].capitalize()
    return " ".join(parts)


def declared_label(column: Any, language: str = "en") -> str | None:
    """The column's own words for itself, if its dataset gives any."""
    if column is None:
        return None
    if language == "cy" and column.label_cy:
        return str(column.label_cy)
    if column.label:
        return str(column.label)
    if column.description and len(column.description) <= LABEL_FROM_DESCRIPTION:
        return str(column.description)
    return None


def column_label(dataset: Any, name: str, terms: Iterable[str] = (), language: str = "en") -> str:
    """What a table or chart calls the column ``name`` of ``dataset`` (a Dataset model)."""
    column = next((c for c in dataset.columns if c.name == name), None)
    return declared_label(column, language) or words(name, terms)


def unlabelled(dataset: Any) -> list[Any]:
    """The figures columns of a dataset that would be named from their header."""
    return [c for c in dataset.columns
            if (c.role is not None and c.role.value in FIGURE_ROLES) and declared_label(c) is None]


def check_labels(study: Any) -> list[Any]:
    """Warn for each figures column that tables and charts would have to name from its header."""
    from ..errors import Problem, Severity

    terms = terms_of(study.project.model if study.project else None)
    problems = []
    for dataset in study.datasets:
        for column in unlabelled(dataset.model):
            index = dataset.model.columns.index(column)
            problems.append(Problem(dataset.at("columns", index), (
                f"column '{column.name}' has no label: tables and charts will call it '{words(column.name, terms)}', "
                f"made from its name; give it label: (a few words) or a description of up to "
                f"{LABEL_FROM_DESCRIPTION} characters"), Severity.WARNING))
    return problems


def la_names(study: Any, language: str = "en") -> dict[str, str]:
    """{LA id: its name in ``language``}, made once per study and language (every chart and table asks)."""
    from ..render.i18n import localised

    key = ("la names", language)
    if key not in study.shared:
        study.shared[key] = {d.model.id: localised(d.model, "name", language) for d in study.local_authorities}
    return study.shared[key]  # type: ignore[no-any-return]
