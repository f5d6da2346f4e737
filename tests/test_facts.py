"""The facts registry (content/facts.yaml) and the competencies (content/competencies.yaml)."""

from __future__ import annotations

import re

import pytest

from mopskit import content
from mopskit.errors import ExerciseError, MopskitError
from mopskit.facts import (
    case_package,
    competencies,
    competency,
    fact,
    facts,
    facts_table,
    leaf_competencies,
    number_forms,
    select,
    shows,
)
from mopskit.profession import figures, figures_table, problems_table

# The facts issue 20 found missing from the lessons, and the ones taught but never assessed: each has an id.
NAMED_IN_THE_ISSUE = [
    "linkedin_profiles",
    "mops_open_positions",
    "mops_job_titles",
    "mops_reports_to",
    "mops_modern_era",
    "mops_early_roots",
    "build_as_many_as_buy",
    "automation_top_tool_share",
    "spreadsheet_hours_per_week",
    "project_tool_heavy_share",
    "mckinsey_effectiveness",
    "romi_tracked",
    "mops_functions",
    "tool_hopping_time_share",
    "archetype_managers",
    "martech_landscape_growth",
    "stack_size_by_company",
    "dedicated_mops_share",
    "solo_mops_share",
]


def test_every_fact_resolves_with_a_source_a_language_and_a_section():
    sources = content.load_yaml("sources")
    assert len(facts()) > 50
    for f in facts():
        assert f.text and f.section and f.source in sources, f.id
        assert f.lang in str(sources[f.source]["language"]) or sources[f.source].get("via"), f.id
        assert f.evidence or f.numbers, f"{f.id}: a lesson could show it without any check that it did"


@pytest.mark.parametrize("fact_id", NAMED_IN_THE_ISSUE)
def test_the_facts_the_issue_names_have_an_id(fact_id):
    assert fact(fact_id).text


def test_every_figure_belongs_to_a_fact():
    in_facts = {r.partition(":")[2] for f in facts() for r in f.refs if r.startswith("figures:")}
    assert {f.id for f in figures()} <= in_facts


def test_no_fact_is_typed_twice():
    texts = [f.text for f in facts()]
    assert len(texts) == len(set(texts))
    # a fact held by the registry itself states no figure of figures.yaml (those live there, once)
    registry = content.load_yaml("facts")
    for key, entry in registry.items():
        if "text" in entry:
            for fig in figures():
                if fig.value >= 10 and fig.unit != "year":
                    assert not any(form in entry["text"] for form in number_forms(fig.value)), (key, fig.id)


@pytest.mark.parametrize("fact_id", [f.id for f in facts()])
def test_facts_table_shows_each_fact(fact_id):
    table = facts_table(fact_id)
    assert shows(" ".join(table.astype(str).to_numpy().ravel()), fact(fact_id)) == []
    assert table.loc[0, "source"] == fact(fact_id).cited_in


def test_the_problems_table_shows_the_problem_facts():
    text = " ".join(problems_table().astype(str).to_numpy().ravel())
    for fact_id in select("problem_*"):
        assert shows(text, fact(fact_id)) == []


def test_figures_table_shows_the_figure_facts():
    for f in facts():
        ids = [r.partition(":")[2] for r in f.refs if r.startswith("figures:")]
        if ids and len(ids) == len(f.refs):
            text = " ".join(figures_table(ids).astype(str).to_numpy().ravel())
            assert [m for m in shows(text, f) if m not in f.evidence] == [], f.id  # words: the lesson's text


def test_corrected_history_is_hedged_and_not_the_first():
    era = fact("mops_modern_era")
    assert "probably" in era.text and "first marketing operations symposium" not in era.text
    assert "Gary Katz" in era.text and 70 in era.numbers and 2005 in era.numbers
    assert "1920s" in fact("mops_early_roots").text and "disputed" in fact("mops_early_roots").text


def test_number_forms_and_shows():
    assert "250,000" in number_forms(250000) and "250 000" in number_forms(250000)
    assert number_forms(6.4) == ["6.4", "6,4"]
    roots = fact("mops_early_roots")
    assert shows("It began in the 1920s.", roots) == []
    assert shows("It began in 19205.", roots) == ["1,920"]
    assert shows("Almost 13.8% are directors", fact("mops_job_titles")) == ["75", "30", "6.4"]
    assert shows("a 2013.8 value", fact("mops_job_titles"))[:4] == ["75", "30", "13.8", "6.4"]


def test_select_reads_patterns_and_refuses_unknown_ids():
    assert select(["goal_romi", "goal_*"])[0] == "goal_romi"
    assert len(select("responsibility_*")) == 7
    with pytest.raises(MopskitError, match="names no fact"):
        select("no_such_fact")
    with pytest.raises(MopskitError, match="unknown fact 'nope'"):
        fact("nope")


def test_competencies_form_one_tree_shaped_like_case():
    items = competencies()
    roots = [c for c in items if c.parent is None]
    assert [r.id for r in roots] == ["mops"]
    codes = [c.code for c in items]
    assert len(codes) == len(set(codes))
    sources = content.load_yaml("sources")
    for c in items:
        assert c.title and c.description and c.source in sources
        if c.parent:
            assert c.code.startswith(competency(c.parent).code + "."), c.id
    leaves = {c.id for c in leaf_competencies()}
    assert {"stack.rationalize", "metrics.email", "leads.qualify", "selection.evaluate"} <= leaves
    assert "stack" not in leaves
    with pytest.raises(MopskitError, match="unknown competency"):
        competency("juggling")


def test_case_package_links_every_item_to_its_parent():
    package = case_package()
    ids = {item["identifier"] for item in package["CFItems"]}
    assert len(ids) == len(competencies())
    assert len(package["CFAssociations"]) == len(competencies()) - 1
    for link in package["CFAssociations"]:
        assert link["originNodeURI"]["identifier"] in ids and link["destinationNodeURI"]["identifier"] in ids
    assert case_package() == package  # stable identifiers


def test_an_exercise_declares_facts_and_competencies():
    from mopskit.assess import exercise

    ex = exercise("q1", title="Who works alone", facts=["solo_mops_share"], competency="foundations.profession")
    assert ex.facts == ("solo_mops_share",) and ex.competencies == ("foundations.profession",)
    exercise("q1", facts=["dedicated_mops_share"], competency=["roles.team"])
    assert ex.facts == ("solo_mops_share", "dedicated_mops_share")
    with pytest.raises(ExerciseError, match="exercise 'q2': unknown fact 'solo'"):
        exercise("q2", facts=["solo"])
    with pytest.raises(ExerciseError, match="unknown competency 'typing'"):
        exercise("q2", competency="typing")


def test_the_pit_crew_comparison_is_attributed_to_the_practitioner_who_made_it():
    assert "Darrell Alfonso" in fact("pit_crew").text and "Amazon Web Services" in fact("pit_crew").text


# Wordings the sources contradict (issue 20's list): no lesson may say them again.
CONTRADICTED = [
    "spend their time on",  # the survey counts the share of respondents who do each task, not time spent
    "first marketing operations symposium",  # the article does not say it was the first
    "clicks in a month ÷ unique recipients in a month",  # the 2022 CTR divides by unique recipient impressions
    "without a dedicated team or person",  # a share the source never gives
]


@pytest.mark.parametrize("wording", CONTRADICTED)
def test_no_lesson_repeats_a_wording_the_sources_contradict(wording):
    from pathlib import Path

    import nbformat

    for path in sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        text = " ".join(c.source for c in nbformat.read(str(path), as_version=4).cells)
        assert wording not in text, f"{path.name} says {wording!r}"


@pytest.mark.parametrize(
    "fact_id", ["strategy_six_steps", "sla_example_outcomes", "strategy_communicate", "smart_goal_example"]
)
def test_a_fact_built_from_the_example_plan_reads_in_the_language_in_use(fact_id):
    from mopskit.i18n import language

    with language("th"):
        text = fact(fact_id).text
    assert re.search(r"[\u0e00-\u0e7f]", text), text
    assert not re.search(r"(?<![\w.])[a-z][a-z']+(?:[ ,;:()-]+[a-z][a-z']+){2,}", text), text  # no English prose
