"""What tables and charts call a dataset's columns: the author's words first, the header only as a last resort."""

from __future__ import annotations

from types import SimpleNamespace

from generator.compute.labels import column_label, terms_of, unlabelled, words
from generator.content.models import Column, ColumnRole, ColumnType


def dataset(*columns: Column) -> SimpleNamespace:
    return SimpleNamespace(columns=list(columns))


def column(**fields: object) -> Column:
    return Column(**{"name": "cp_plans_started", "type": ColumnType.INTEGER, "role": ColumnRole.COUNT, **fields})


def test_names_become_words_with_the_studys_own_spellings() -> None:
    assert words("cp_plans_started") == "Cp plans started"  # no vocabulary of any one study in the tool
    assert words("cp_plans_started", ["CP"]) == "CP plans started"
    assert words("cin_cpp_cla_starts", ["CIN", "CPP", "CLA"]) == "CIN CPP CLA starts"
    assert words("s47_enquiries", ["s47"]) == "s47 enquiries"  # a term keeps its own case, lower too
    assert words("waiting_weeks", ["CP"]) == "Waiting weeks"


def test_a_declared_label_comes_first_then_a_short_description_then_the_name() -> None:
    assert column_label(dataset(column(label="Child protection plans", description="Plans started")),
                        "cp_plans_started") == "Child protection plans"
    assert column_label(dataset(column(description="Plans started")), "cp_plans_started") == "Plans started"
    long = "Children who became the subject of a child protection plan during the year, by the date it started"
    assert column_label(dataset(column(description=long)), "cp_plans_started", ["CP"]) == "CP plans started"
    assert column_label(dataset(), "cp_plans_started", ["CP"]) == "CP plans started"


def test_a_welsh_site_takes_the_welsh_label_and_falls_back_to_the_english() -> None:
    both = dataset(column(label="CP plans started", label_cy="Cynlluniau amddiffyn plant a ddechreuwyd"))
    assert column_label(both, "cp_plans_started", language="cy") == "Cynlluniau amddiffyn plant a ddechreuwyd"
    assert column_label(both, "cp_plans_started", language="en") == "CP plans started"
    assert column_label(dataset(column(label="CP plans started")), "cp_plans_started", language="cy") == "CP plans started"


def test_figures_columns_without_words_of_their_own_are_found() -> None:
    named = column(name="a", label="Referrals")
    bare = column(name="b")
    year = column(name="year", type=ColumnType.STRING, role=ColumnRole.YEAR)
    assert [c.name for c in unlabelled(dataset(named, bare, year))] == ["b"]


def test_glossary_terms_are_kept_as_written() -> None:
    project = SimpleNamespace(abbreviations=["LA"], glossary=[SimpleNamespace(term="CIN"), SimpleNamespace(term="s47")])
    assert terms_of(project) == ["LA", "CIN", "s47"]
    assert terms_of(None) == []
