"""Funnel metrics against counts and days worked out by hand on tests/files/metrics/contacts.csv."""

import math

import pandas as pd
import pytest

from mopskit.data import read
from mopskit.errors import DataError, ParameterError
from mopskit.metrics import funnel, funnel_stages, lead_velocity, notes, time_in_stage

STAGE_COUNTS = ["contacts", "leads", "mqls", "sqls", "opportunities", "customers"]


@pytest.fixture
def contacts(files):
    return read(files / "metrics" / "contacts.csv", table="contacts")


def test_overall_funnel(contacts):
    [row] = funnel(contacts).to_dict(orient="records")
    assert [row[c] for c in STAGE_COUNTS] == [7, 6, 5, 4, 3, 2]
    expected = {"lead_to_mql": 500 / 6, "mql_to_sql": 80.0, "sql_to_opportunity": 75.0}
    expected |= {"opportunity_to_customer": 200 / 3, "lead_to_customer": 100 / 3}
    assert {k: row[k] for k in expected} == pytest.approx(expected)


@pytest.mark.parametrize(
    ("by", "group", "counts"),
    [
        ("channel", "seo", [3, 2, 1, 0, 0, 0]),
        ("channel", "email", [3, 3, 3, 3, 3, 2]),
        ("channel", "referral", [1, 1, 1, 1, 0, 0]),
        ("cohort_month", "2026-01", [4, 3, 2, 1, 1, 1]),
        ("cohort_month", "2026-02", [3, 3, 3, 3, 2, 1]),
    ],
)
def test_funnel_by_channel_and_cohort_month(contacts, by, group, counts):
    result = funnel(contacts, by=by).set_index(by)
    assert result.loc[group, STAGE_COUNTS].tolist() == counts


def test_a_stage_nobody_reached_leaves_its_conversion_empty_and_says_why(contacts):
    result = funnel(contacts, by="channel").set_index("channel")
    assert result.loc["seo", "mql_to_sql"] == 0.0
    assert math.isnan(result.loc["seo", "sql_to_opportunity"])
    assert "channel=seo: sql_to_opportunity left empty because sqls is 0" in " ".join(notes(result))


def test_cohort_period(contacts):
    assert funnel(contacts, start="2026-02-01", end="2026-02-28")["contacts"].iloc[0] == 3
    with pytest.raises(ParameterError, match="'end' must be a date"):
        funnel(contacts, end="28/02/2026")


def test_funnel_stages_for_drop_off_plots(contacts):
    stages = funnel_stages(contacts)
    assert stages["contacts"].tolist() == [6, 5, 4, 3, 2]
    assert stages["lost"].tolist() == [0, 1, 1, 1, 1]
    assert stages["from_first"].iloc[-1] == pytest.approx(100 / 3)
    assert funnel_stages(contacts, channel="email")["contacts"].tolist() == [3, 3, 3, 3, 2]


def test_time_in_stage(contacts):
    result = time_in_stage(contacts).set_index("from_stage")
    assert result["contacts"].tolist() == [5, 4, 3, 2]
    assert result["median_days"].tolist() == pytest.approx([4.0, 3.0, 6.0, 30.0])
    assert result["mean_days"].tolist() == pytest.approx([5.4, 4.25, 7.0, 30.0])


def test_time_in_stage_leaves_out_dates_in_the_wrong_order(contacts):
    contacts.loc[contacts["contact_id"] == "K7", "sql_at"] = pd.Timestamp("2026-02-01")
    result = time_in_stage(contacts)
    assert result.loc[1, "contacts"] == 3
    assert "1 contacts reached sql before mql" in notes(result)[0]


def test_lead_velocity(contacts):
    result = lead_velocity(contacts)
    assert result[["month", "count"]].values.tolist() == [["2026-01", 2], ["2026-02", 3]]
    assert math.isnan(result["velocity_rate"].iloc[0]) and result["velocity_rate"].iloc[1] == 50.0
    assert "first month has no previous month" in notes(result)[0]


def test_lead_velocity_by_channel_lists_empty_months_as_zero(contacts):
    result = lead_velocity(contacts, stage="customer", by="channel")
    assert result[["channel", "month", "count"]].values.tolist() == [["email", "2026-02", 1], ["email", "2026-03", 1]]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: funnel(c, by="colour"), r"cannot group by 'colour'; valid: cohort_month, channel"),
        (
            lambda c: lead_velocity(c, stage="won"),
            r"lead_velocity: 'stage' must be one of lead, mql, sql, opportunity, customer \(got 'won'\)",
        ),
    ],
)
def test_bad_options_list_the_valid_ones(contacts, call, message):
    with pytest.raises(ParameterError, match=message):
        call(contacts)


# --- bad input the way exports deliver it (each case failed before the validation layer) ------------------


def test_a_milestone_that_is_not_a_date_is_refused_not_counted(contacts):
    contacts = contacts.astype({"mql_at": object})
    contacts.loc[0, "mql_at"] = "not a date"
    with pytest.raises(
        DataError, match=r"^funnel: 'mql_at' must be a date written YYYY-MM-DD.*in row 2 of the contacts"
    ):
        funnel(contacts)


def test_an_unknown_lifecycle_stage_is_not_counted_as_a_lead_and_is_noted(contacts):
    contacts = contacts.copy()
    contacts.loc[1, "lifecycle_stage"] = "banana"  # K2, a lead with no milestone
    [row] = funnel(contacts).to_dict(orient="records")
    assert [row[c] for c in STAGE_COUNTS] == [7, 5, 5, 4, 3, 2]
    said = " ".join(notes(funnel(contacts)))
    assert "'banana'" in said


def test_lifecycle_labels_in_other_cases_are_read(contacts):
    contacts = contacts.copy()
    contacts["lifecycle_stage"] = contacts["lifecycle_stage"].str.upper()
    assert funnel(contacts)[STAGE_COUNTS].values.tolist() == [[7, 6, 5, 4, 3, 2]]


def test_contacts_left_out_of_a_period_are_counted_in_the_notes(contacts):
    contacts = contacts.copy()
    contacts.loc[0, "created_at"] = pd.NaT
    result = funnel(contacts, start="2026-01-01")
    assert result["contacts"].sum() == 6
    rows = result.attrs["data_quality"]["rows"]["contacts"]
    assert rows["in"] == 7 and sum(rows["excluded"].values()) == 1
    assert any("no creation date" in n for n in notes(result))
