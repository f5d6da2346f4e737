"""The role catalog explorer and the task matcher, driven without a kernel (callbacks fire synchronously)."""

import html

import pytest

from mopskit.roles import archetype, role, roles
from mopskit.ui.roles import role_card_html, role_explorer, task_matcher


def test_the_card_shows_remit_tasks_tools_archetype_and_source():
    r = role("lead_rotation")
    card = role_card_html(r)
    for part in (r.name, r.remit, *r.tasks, archetype(r.archetype).name, "Named in"):
        assert html.escape(part) in card
    assert role_card_html("Lead rotation") == card


def test_picking_a_role_shows_its_card():
    explorer = role_explorer()
    assert explorer.picker.value == roles()[0].id
    explorer.picker.value = "crm_admin"
    assert "CRM administrator" in explorer.card.value and html.escape(role("crm_admin").remit) in explorer.card.value
    assert role_explorer(start="Marketing data analyst").picker.value == "data_analyst"


def test_the_archetype_filter_narrows_the_picker_and_keeps_a_role_that_still_fits():
    explorer = role_explorer(start="systems_analysis")
    explorer.filter.value = "Makers"
    assert [value for _, value in explorer.picker.options] == [r.id for r in roles(archetype="maker")]
    assert explorer.picker.value == "systems_analysis", "the chosen role survives a filter it fits"
    explorer.filter.value = "Managers"
    assert explorer.picker.value == "mops_manager" and "Marketing operations manager" in explorer.card.value
    explorer.filter.value = "All"
    assert len(explorer.picker.options) == len(roles())


def test_the_task_matcher_ranks_roles_with_reasons_and_advises_on_no_match():
    matcher = task_matcher()
    matcher.input.value = "Route new leads to the sales rep"
    assert matcher.result.value.index("Lead rotation") < matcher.result.value.index("</li>")
    assert "the task mentions" in matcher.result.value
    matcher.input.value = "zebra quantum"
    assert "No role" in matcher.result.value
    matcher.input.value = "  "
    assert matcher.result.value == ""
    limited = task_matcher(roles=["crm_admin", "email_operations"], top=1)
    limited.input.value = "Send the newsletter"
    assert limited.result.value.count("<li>") == 1 and "Email operations" in limited.result.value


def test_setup_notebook_shows_whole_sentences_in_tables():
    import pandas as pd

    from mopskit import setup_notebook

    try:
        setup_notebook()
        assert pd.get_option("display.max_colwidth") == 200
        setup_notebook(max_colwidth=None)
        assert pd.get_option("display.max_colwidth") is None
    finally:
        pd.reset_option("display.max_colwidth")
        pd.reset_option("display.max_rows")
        pd.reset_option("display.float_format")


def test_the_raci_grid_answer_feeds_the_gap_checks_with_partial_credit_per_row():
    from mopskit.assess import check, start_lesson
    from mopskit.roles import RACI_OPTIONS, raci_matrix, raci_row_checks, raci_scenario
    from mopskit.ui import grid

    start_lesson("ui_roles")
    scenario = raci_scenario()
    w = grid("q6", scenario.tasks, scenario.role_names, RACI_OPTIONS)

    @w.exercise.check(points=3, hint="One A per task.")
    def one_accountable_per_task(answer):
        return raci_row_checks(raci_matrix(answer, tasks=scenario.tasks, roles=scenario.role_names))[
            "one_accountable"
        ].mean()

    w.fill(scenario.suggestion())
    assert check("q6").status == "correct"
    first, second = scenario.tasks[:2]
    w.leaves[(first, "Marketing operations manager")].value = "—"  # no A left on the first row
    w.leaves[(second, "Email operations")].value = "A"  # two A's on the second
    verdict = check("q6")
    assert verdict.status == "partial" and verdict.earned == pytest.approx(3 * 4 / 6)
    assert raci_matrix(w.value).loc[first, "Marketing operations manager"] == ""


def test_the_matching_widget_scores_each_row():
    from mopskit.assess import check, start_lesson
    from mopskit.roles import assign_owners, matching_drill, matching_score
    from mopskit.ui import match

    start_lesson("ui_roles")
    drill = matching_drill()
    pool = [r.id for r in drill.roles]
    w = match("q4", drill.tasks, drill.role_names)

    @w.exercise.check(points=5, hint="Look for the thing worked on.")
    def tasks_matched_right(answer):
        return matching_score(answer, roles=pool)

    owners = assign_owners(drill.tasks, roles=pool)
    for task in drill.tasks[:3]:
        w.leaves[(task,)].value = owners[task]
    assert check("q4").earned == pytest.approx(5 * 3 / 10)
