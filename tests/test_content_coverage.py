"""Coverage of the facts registry by the lessons: taught (shown) and assessed (declared by an exercise)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from mopskit.assess.coverage import exercise_tags, fact_coverage, facts_assessed, facts_taught
from mopskit.facts import facts, leaf_competencies

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

CHECKS = """# CHECKS q1
from mopskit.assess import exercise
from mopskit.facts import facts_table

facts_table(["pit_crew"])  # in a checks cell: not shown to anyone as teaching


exercise("q1", title="Alone", facts=["solo_mops_share", "mops_reports_to"], competency="foundations.profession")


@exercise("q1").check()
def is_a_quarter(answer):
    return answer == 25
"""


RENDER_FACTS = 'from mopskit.facts import facts_table\n\nfacts_table(["mops_reports_to", "goal_*"])'
RENDER_FIGURES = 'from mopskit.profession import figures_table\n\nfigures_table(["effectiveness_gain_min"])'


def _lesson(path: Path, cells: list) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nbformat.write(nb, str(path))
    return path


def _md(text: str, *ids: str):
    cell = nbformat.v4.new_markdown_cell(text)
    if ids:
        cell.metadata["mopskit"] = {"facts": list(ids)}
    return cell


@pytest.fixture
def lesson(tmp_path):
    return _lesson(
        tmp_path / "90_fixture.ipynb",
        [
            nbformat.v4.new_code_cell(
                'from mopskit.facts import facts_table\nfacts_table(["mops_reports_to", "goal_*"])'
            ),
            nbformat.v4.new_code_cell(
                "from mopskit.profession import figures_table\nfigures_table(['effectiveness_gain_min'])"
            ),
            _md("A quarter of MOps people (25 %) are the only member of their team.", "solo_mops_share"),
            _md("Most MOps people work where there is a dedicated team.", "dedicated_mops_share"),
            _md("Over 15,000 positions were open.", "no_such_fact"),
            _md("About 8,000 apps by 2020, up from 150 in 2011."),  # the figures, but not named: not counted
            nbformat.v4.new_code_cell("answer = 25  # SOLUTION\nfacts_table(['pit_crew'])"),
            nbformat.v4.new_code_cell(CHECKS),
        ],
    )


def test_facts_shown_by_a_kit_function_or_tagged_text_that_shows_them_are_taught(lesson):
    taught, problems = facts_taught(lesson)
    assert set(taught) == {
        "mops_reports_to",
        "goal_romi",
        "goal_effectiveness",
        "goal_data_quality",
        "goal_automation",
        "goal_mql_mqa",
        "goal_business_alignment",
        "mckinsey_effectiveness",
        "solo_mops_share",
    }
    assert taught["solo_mops_share"] == ["90_fixture, cell 2"]
    assert problems == [
        "90_fixture, cell 3 names 'dedicated_mops_share' but does not show '65'",
        "90_fixture, cell 4 names an unknown fact 'no_such_fact'",
    ]


def test_coverage_counts_what_is_taught_and_assessed(lesson):
    coverage = fact_coverage([lesson])
    total = len(facts())
    assert coverage.assessed == {"solo_mops_share": ["90_fixture:q1"], "mops_reports_to": ["90_fixture:q1"]}
    assert coverage.assessed_share == pytest.approx(2 / total)
    assert coverage.taught_share == pytest.approx(9 / total)
    assert "pit_crew" in coverage.untaught and "linkedin_profiles" in coverage.unassessed
    assert coverage.without_competency == []
    assert "foundations.profession" not in coverage.unassessed_competencies
    assert len(coverage.unassessed_competencies) == len(leaf_competencies()) - 1
    report = str(coverage)
    assert f"facts taught: 9 of {total}" in report and "problem: 90_fixture, cell 3" in report


def test_an_exercise_without_a_competency_is_reported(tmp_path):
    untagged = CHECKS.replace(', competency="foundations.profession"', "")
    assert "competency" not in untagged
    lesson = _lesson(tmp_path / "91_fixture.ipynb", [nbformat.v4.new_code_cell(untagged)])
    assert fact_coverage([lesson]).without_competency == ["91_fixture:q1"]


def _tags(found):
    return sorted((t.exercise, t.facts, t.competencies) for t in found)


def test_tags_read_without_running_the_checks_agree_with_the_checks_run(lesson, tmp_path):
    assert (
        _tags(exercise_tags(lesson))
        == _tags(facts_assessed(lesson))
        == [("q1", ("solo_mops_share", "mops_reports_to"), ("foundations.profession",))]
    )
    from mopskit.assess import lessons_dir

    for source in LESSONS:  # the sources and the released copies a workspace holds declare the same
        assert _tags(exercise_tags(source)) == _tags(facts_assessed(source)), source.stem
        assert _tags(exercise_tags(lessons_dir() / source.name)) == _tags(exercise_tags(source)), source.stem


def test_the_lessons_teach_every_fact_and_assess_nine_in_ten():
    coverage = fact_coverage(LESSONS)
    print(coverage)
    assert coverage.problems == []
    assert coverage.untaught == [], str(coverage)
    assert coverage.assessed_share >= 0.9, str(coverage)
    assert coverage.without_competency == [], str(coverage)


def test_the_capstone_assesses_something_from_every_lesson():
    capstone = fact_coverage([ROOT / "notebooks" / "10_final_assessment.ipynb"])
    named = {c for e in capstone.exercises for c in e.competencies}
    areas = {c.split(".")[0] for c in named}
    # 00-02: foundations and roles; 03 stack; 04 goals; 05 metrics and data; 06 strategy (08 and 09 to come)
    assert {"foundations", "roles", "stack", "goals", "metrics", "strategy"} <= areas, sorted(areas)


def test_every_competency_is_assessed_by_an_exercise():
    coverage = fact_coverage(LESSONS)
    assert coverage.unassessed_competencies == [], str(coverage)
