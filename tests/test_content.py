import pytest

from mopskit import content
from mopskit.data import load
from mopskit.errors import MopskitError


@pytest.mark.parametrize("name", content.names())
def test_every_content_file_loads(name):
    try:
        data = content.load_yaml(name)
    except MopskitError:
        data = content.load_table(name)
    assert len(data) > 0


def test_the_survey_table_is_the_content_file():
    survey = load("mops_tasks_survey")
    facts = content.load_table("survey_tasks")
    assert survey["task"].tolist() == facts["task"].tolist()
    assert survey["share_pct"].tolist() == facts["share_pct"].tolist()
    assert len(facts) == 22
    assert set(survey["source"]) == {content.source_title("mops_survey_2020")}


def _entries(name):
    """The fact entries of one YAML content file: each should name its source."""
    data = content.load_yaml(name)
    if name == "responsibilities":
        return [*data["responsibilities"], *data["goals"], *data["functions"], data["hubspot_team_owns"]]
    if name == "scenarios":
        return [data["matching_drill"], *data["company_sketches"], *data["raci"].values()]
    return list(data.values()) if isinstance(data, dict) else data


# Not lists of cited facts: the kit's own vocabularies and sample data, and stack_benchmarks, which names figures
# by id (checked below).
NOT_FACT_LISTS = {
    "sources",
    "sample_company",
    "sample_stack",
    "practice_stack",
    "capstone_stack",
    "survey_tasks",
    "matching",
    "stack_categories",
    "stack_statuses",
    "stack_benchmarks",
    "goal_words",
    "strategy_plans",
    "requirement_priorities",
    "selection_email_requirements",
    "selection_email_vendors",
    "selection_email_usage",
    "selection_event_requirements",
    "selection_event_vendors",
    "capstone_routing_requirements",
    "capstone_routing_vendors",
    "selection_switch_template",
    "onboarding",  # the kit's own rules: mastery levels, schedules
    "facts",  # the registry: its facts point to entries that name their sources (tests/test_facts.py)
}
# The kit's own models and rules, each one document with one source (checked below).
MODEL_FILES = {"lead_scoring", "mql_criteria", "lead_routing", "lead_scenarios"}
FACT_FILES = [n for n in content.names() if n not in NOT_FACT_LISTS | MODEL_FILES]


@pytest.mark.parametrize("name", sorted(MODEL_FILES))
def test_models_and_rules_name_their_source(name):
    assert content.load_yaml(name)["source"] in content.load_yaml("sources")


def test_stack_benchmarks_name_figures_and_type_no_number_again():
    from mopskit.profession import figure

    bench = content.load_yaml("stack_benchmarks")
    ids = [*bench["landscape"], bench["tool_hopping"]]
    ids += [v for band in bench["stack_size"].values() for k, v in band.items() if k != "label"]
    assert all(figure(i).value for i in ids)


@pytest.mark.parametrize("name", FACT_FILES)
def test_every_fact_names_a_known_source(name):
    sources = content.load_yaml("sources")
    entries = _entries(name)
    assert entries
    for entry in entries:
        assert entry.get("source") in sources, f"{name}.yaml: {entry} names no known source"
        assert None not in entry.values(), f"{name}.yaml: {entry} has an empty field (an unquoted comma or colon?)"


def test_every_source_has_a_title_and_reports_through_a_known_article():
    sources = content.load_yaml("sources")
    for key, source in sources.items():
        assert source["title"] and source["year"], key
        if "via" in source:
            assert source["via"] in sources and "via" not in sources[source["via"]], key


def test_the_readme_lists_every_content_file():
    from importlib import resources

    readme = (resources.files("mopskit.content") / "README.md").read_text(encoding="utf-8")
    for name in content.names():
        assert f"`{name}." in readme, f"content/README.md does not list {name}"


def test_the_sample_stack_is_the_content_file():
    stack = load("martech_stack")
    assert stack["tool"].tolist() == content.load_table("sample_stack")["tool"].tolist()


def test_yaml_copies_are_independent():
    content.load_yaml("sample_company")["owners"].clear()
    assert content.load_yaml("sample_company")["owners"]


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(MopskitError, match=r"valid: .*sources"):
        content.load_yaml("nope")
    with pytest.raises(MopskitError, match="unknown source 'x'; valid: "):
        content.source_title("x")
