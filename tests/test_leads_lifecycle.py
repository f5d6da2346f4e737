"""Lifecycle order, funnel leakage, stage ageing and recycling on hand-worked tables and on the sample data."""

import pandas as pd
import pytest

from mopskit.data import load
from mopskit.errors import ParameterError
from mopskit.leads.leakage import funnel_leakage, recycling, stage_ageing
from mopskit.leads.lifecycle import check_path, lifecycle_problems, stage_of


@pytest.mark.parametrize(
    ("path", "problems"),
    [
        (["subscriber", "lead", "mql", "sql", "opportunity", "customer"], []),
        (["lead", "mql", "lead", "mql", "sql"], []),
        (["lead", "mql", "sql", "lead"], []),
        (["lead", "opportunity"], ["lead -> opportunity skips mql, sql"]),
        (["mql", "mql"], ["mql -> mql repeats a stage"]),
        (["opportunity", "mql"], ["opportunity -> mql goes backwards"]),
        (
            ["lead", "prospect"],
            ["'prospect' is not a stage; stages: subscriber, lead, mql, sql, opportunity, customer"],
        ),
    ],
)
def test_allowed_paths(path, problems):
    assert check_path(path) == problems


def test_lifecycle_problems_by_hand():
    people = pd.DataFrame(
        {
            "contact_id": ["ok", "back", "skip", "behind", "ahead"],
            "lifecycle_stage": ["sql", "sql", "customer", "mql", "customer"],
            "mql_at": ["2026-01-01", "2026-02-01", "2026-01-01", "2026-01-01", "2026-01-01"],
            "sql_at": ["2026-01-05", "2026-01-20", None, "2026-01-09", None],
            "opportunity_at": [None, None, "2026-02-01", "2026-01-20", None],
            "customer_at": [None, None, "2026-03-01", None, None],
        }
    )
    found = lifecycle_problems(people)
    assert found[["contact_id", "problem"]].values.tolist() == [
        ["back", "backwards"],
        ["skip", "skipped"],
        ["behind", "stage behind dates"],
        ["ahead", "stage ahead of dates"],
    ]
    assert found.iloc[0]["detail"] == "sql_at 2026-01-20 is before mql_at 2026-02-01"
    assert stage_of(people).tolist() == ["sql", "sql", "customer", "opportunity", "mql"]


def test_the_raw_contacts_have_backwards_and_skipped_stages_the_clean_ones_none():
    raw = lifecycle_problems(load("contacts_raw"))
    assert {"backwards", "skipped"} <= set(raw["problem"])
    assert lifecycle_problems(load("contacts")).empty


PEOPLE = pd.DataFrame(
    {
        "contact_id": ["a", "b", "c", "d", "e", "f"],
        "lifecycle_stage": ["mql", "mql", "sql", "lead", "mql", "subscriber"],
        "created_at": ["2026-01-01"] * 6,
        "mql_at": ["2026-01-02", "2026-03-25", "2026-01-02", None, "2026-01-02", None],
        "sql_at": [None, None, "2026-01-12", None, None, None],
        "opportunity_at": [None] * 6,
        "customer_at": [None] * 6,
        "lead_status": ["working", "new", "converted", "nurture", "recycled", "nurture"],
        "status_reason": [None, None, None, None, "no_response", None],
        "status_at": [None, None, None, None, "2026-01-20", None],
    }
)


def test_leakage_by_hand():
    leak = funnel_leakage(PEOPLE, as_of="2026-04-01").set_index("step")
    mql = leak.loc["mql -> sql"]
    # a: working since January (stalled), b: new for a week (waiting), c: became an SQL, e: recycled (lost)
    assert mql[["reached", "advanced", "lost", "stalled", "waiting"]].tolist() == [4, 1, 1, 1, 1]
    assert mql["leak_pct"] == 50.0 and mql["median_days_to_advance"] == 10.0
    lead = leak.loc["lead -> mql"]
    assert lead[["reached", "advanced", "waiting"]].tolist() == [5, 4, 1], "subscribers are not leads"
    sql = leak.loc["sql -> opportunity"]
    assert sql[["reached", "stalled"]].tolist() == [1, 1]


def test_ageing_by_hand():
    ageing = stage_ageing(PEOPLE, as_of="2026-04-01", stalled_after={"mql": 30}).set_index("stage")
    assert ageing.loc["mql", "in_stage"] == 2 and ageing.loc["mql", "stalled"] == 1
    assert ageing.loc["mql", "oldest_days"] == 89.0
    assert ageing.loc["sql", "in_stage"] == 1 and ageing.loc["sql", "stalled_after_days"] == 30.0
    with pytest.raises(
        ParameterError,
        match=r"stage_ageing: 'stalled_after' must be one of lead, mql, sql, opportunity \(got 'mqls'\)",
    ):
        stage_ageing(PEOPLE, stalled_after={"mqls": 10})
    with pytest.raises(
        ParameterError, match=r"stage_ageing: 'stalled_after\['mql'\]' must be a number, more than 0 \(got 0\)"
    ):
        stage_ageing(PEOPLE, stalled_after={"mql": 0})


def test_recycling_by_hand():
    acts = pd.DataFrame(
        {
            "contact_id": ["e", "e", "a"],
            "activity_type": ["page_view", "pricing_page_view", "demo_request"],
            "occurred_at": ["2026-02-01", "2026-02-03", "2026-02-03"],
        }
    )
    table = recycling(PEOPLE, acts)
    assert table[["status", "reason", "leads", "median_days", "came_back"]].values.tolist() == [
        ["recycled", "no_response", 1, 18.0, 1]
    ]
    only_views = recycling(PEOPLE, acts.iloc[:1])
    assert only_views.loc[0, "came_back"] == 0, "a page view alone is not interest"
    assert pd.isna(recycling(PEOPLE).loc[0, "came_back"])


def test_the_sample_data_leaks_where_the_lesson_says():
    contacts = load("contacts")
    leak = funnel_leakage(contacts).set_index("step")
    assert (leak["advanced"] + leak["lost"] + leak["stalled"] + leak["waiting"] == leak["reached"]).all()
    assert leak.loc["mql -> sql", "leak_pct"] == leak["leak_pct"].max(), "the MQL handover leaks most"
    ageing = stage_ageing(contacts).set_index("stage")
    assert ageing.loc["mql", "stalled"] >= 30
    table = recycling(contacts, load("activities"))
    recycled = table[table["status"] == "recycled"]
    ruled_out = table[table["status"] == "disqualified"]
    assert (
        recycled["came_back"].sum() / recycled["leads"].sum() > ruled_out["came_back"].sum() / ruled_out["leads"].sum()
    )
