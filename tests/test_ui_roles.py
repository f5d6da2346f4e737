"""The role catalog explorer and the task matcher, driven without a kernel (callbacks fire synchronously)."""

import html

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
