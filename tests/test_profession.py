import pytest

from mopskit.content import load_yaml
from mopskit.errors import MopskitError
from mopskit.profession import (
    figure,
    figures,
    figures_table,
    format_number,
    functions,
    goals,
    problems,
    problems_table,
    responsibilities,
)

SOURCES = set(load_yaml("sources"))


@pytest.mark.parametrize("f", figures(), ids=lambda f: f.id)
def test_every_figure_has_a_number_a_sentence_a_year_and_a_source(f):
    assert isinstance(f.value, int | float)
    assert "{" not in f.sentence and format_number(f.value, f.unit) in f.sentence
    assert f.source in SOURCES and f.cited_in
    assert 1920 <= f.year <= 2026  # the 1920s: where some trace MOps back to
    assert f.qualifier in {"exactly", "about", "almost", "over", "under", "at least", "up to"}


def test_figures_quote_the_articles():
    assert figure("b2b_marketers_mops_critical").label == "93%"
    assert figure("martech_apps_2011").label == "150 apps"
    assert figure("modern_era_start").label == "2005"
    assert "15% to 25%" in figure("effectiveness_gain_min").sentence, "a statement can quote another figure"
    assert figure("effectiveness_gain_min").cited_in.startswith("McKinsey")
    assert "What is marketing operations and who are MOps professionals?" in figure("solo_mops_share").cited_in


def test_unknown_figure_lists_the_valid_ones():
    with pytest.raises(MopskitError, match=r"unknown figure 'nope'; valid: b2b_marketers_mops_critical, "):
        figure("nope")


def test_a_statement_naming_an_unknown_figure_is_refused(monkeypatch):
    from mopskit import profession

    real = profession.load_yaml

    def broken(name):
        data = real(name)
        data["solo_mops_share"]["statement"] = "{value}% and {nope}"
        return data

    profession._figures.cache_clear()
    monkeypatch.setattr(profession, "load_yaml", broken)
    try:
        with pytest.raises(MopskitError, match=r"'solo_mops_share': the statement names unknown figures \['nope'\]"):
            figure("solo_mops_share")
    finally:
        profession._figures.cache_clear()


def test_figures_table_keeps_the_order_asked():
    table = figures_table(["solo_mops_share", "martech_apps_2020"])
    assert table["figure"].tolist() == ["25%", "8,000 apps"]
    assert table.columns.tolist() == ["fact", "figure", "year", "source"]
    assert len(figures_table()) == len(figures())


def test_responsibilities_goals_functions_and_problems():
    assert len(responsibilities()) == 7
    assert len(goals()) == 6
    assert len(functions()) == 9
    assert "Customer, market and competitive intelligence" in [f.name for f in functions()]
    assert [p.id for p in problems()] == ["martech_not_delivering", "reporting_is_hard", "execution_is_slow"]
    for item in (*responsibilities(), *goals(), *functions(), *problems()):
        assert item.source in SOURCES
    assert problems_table().shape == (3, 2)
