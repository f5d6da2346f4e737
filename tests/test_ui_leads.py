"""The lead-management widgets: every control recomputes through mopskit.leads and shows the result."""

import pytest

from mopskit.data import load
from mopskit.leads import model_outcome, scoring_model, sla_compliance, sla_status
from mopskit.ui.leads import leakage_explorer, scoring_builder, sla_explorer


@pytest.fixture(scope="module")
def tables():
    return load("contacts"), load("activities"), load("sales_team")


def test_the_scoring_builder_follows_its_sliders_and_goes_back(tables):
    contacts, activities, _team = tables
    builder = scoring_builder(contacts, activities, as_of="2026-10-31")
    start = builder.outcome
    assert start == model_outcome(contacts, activities, as_of="2026-10-31")
    builder.points["page_view"].value = 0
    builder.points["demo_request"].value = 55
    changed = scoring_model().with_changes(behaviour={"page_view": 0, "demo_request": 55})
    assert builder.outcome == model_outcome(contacts, activities, model=changed, as_of="2026-10-31")
    assert f"{builder.outcome.today:,}" in builder.result.value
    builder.min_fit.value = 30
    builder.threshold.value = 75
    assert builder.outcome.min_fit == 30 and builder.outcome.threshold == 75
    assert builder.outcome.acceptance > start.acceptance, "a higher bar gives sales better leads"
    builder.back_to_base()
    assert builder.outcome == start


def test_the_sla_explorer_regroups_and_remeasures(tables):
    contacts, _activities, team = tables
    explorer = sla_explorer(contacts, team)
    assert list(explorer.table.columns[:1]) == ["territory"]
    explorer.by.value = "owner"
    assert explorer.table.equals(sla_compliance(sla_status(contacts, team, sla_hours=8), by="owner"))
    explorer.hours.value = 24
    assert explorer.table.equals(sla_compliance(sla_status(contacts, team, sla_hours=24), by="owner"))
    assert "Sara Lind" in explorer.html.value and bytes(explorer.chart.value).startswith(b"\x89PNG")


def test_the_leakage_explorer_shows_one_step_at_a_time(tables):
    contacts = tables[0]
    explorer = leakage_explorer(contacts)
    assert explorer.table["step"].tolist() == ["lead -> mql"]
    explorer.step.value = "mql -> sql"
    row = explorer.table.iloc[0]
    assert row["advanced"] + row["lost"] + row["stalled"] + row["waiting"] == row["reached"]
    assert "mql -&gt; sql" in explorer.html.value or "mql -> sql" in explorer.html.value
