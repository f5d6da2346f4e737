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
