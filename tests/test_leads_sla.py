"""The SLA with sales, worked by hand: business hours on each owner's clock, statuses, compliance by group."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mopskit.data import load
from mopskit.errors import DataError, ParameterError
from mopskit.leads.hours import BusinessHours
from mopskit.leads.sla import sla_breaches, sla_compliance, sla_report, sla_status

TEAM = pd.DataFrame(
    {
        "owner": ["Ana", "Cy"],
        "territory": ["emea", "amer"],
        "time_zone": ["Europe/Bucharest", "America/Chicago"],
    }
)
LEADS = pd.DataFrame(
    {
        "contact_id": ["a", "b", "c", "d", "e", "f"],
        "owner": ["Ana", "Ana", "Cy", "Cy", "Ana", "Zed"],
        "source_channel": ["events", "seo", "seo", "events", "seo", "seo"],
        # Friday 13:00 UTC is 15:00 in Bucharest and 08:00 in Chicago (before opening)
        "mql_at": ["2026-03-13T13:00:00"] * 4 + ["2026-03-20T13:00:00", "2026-03-16T09:00:00"],
        "first_sales_touch_at": [
            "2026-03-16T08:00:00",  # Ana: Friday 15-17 + Monday 9-10 (08:00 UTC = 10:00 EET) = 3 h
            "2026-03-17T14:00:00",  # Ana: 2 + 8 (Monday) + 7 (Tuesday 09-16) = 17 h
            "2026-03-13T20:00:00",  # Cy: Friday 09:00 to 15:00 Chicago = 6 h
            None,  # Cy: never touched
            None,  # Ana: not touched yet, as_of Friday 14:00 UTC = 16:00 there: 1 h so far, waiting
            "2026-03-16T10:00:00",  # Zed: not in the team, measured in UTC: 1 h
        ],
    }
)


def test_business_hours_per_owner_clock_and_statuses_by_hand():
    status = sla_status(LEADS, TEAM, sla_hours=8, as_of="2026-03-20T14:00:00").set_index("contact_id")
    assert status["business_hours"].to_dict() == pytest.approx(
        {"a": 3.0, "b": 17.0, "c": 6.0, "d": 40.0, "e": 1.0, "f": 1.0}
    )
    assert status["status"].to_dict() == {
        "a": "met",
        "b": "late",
        "c": "met",
        "d": "never touched",
        "e": "waiting",
        "f": "met",
    }
    assert status.loc["a", "time_zone"] == "Europe/Bucharest" and status.loc["f", "time_zone"] == "UTC"
    assert status.loc["c", "territory"] == "amer"
    assert "Owners not in the sales team, measured on UTC: Zed." in status.attrs["notes"]


def test_one_clock_for_everyone_and_other_working_weeks():
    utc = sla_status(LEADS, TEAM, time_zone="UTC", as_of="2026-03-20T14:00:00").set_index("contact_id")
    assert utc.loc["a", "business_hours"] == 4.0  # Friday 13-17 UTC, Monday before 09:00 UTC: 4 h
    long_days = BusinessHours("08:00", "18:00")
    status = sla_status(LEADS, TEAM, hours=long_days, as_of="2026-03-20T14:00:00").set_index("contact_id")
    assert status.loc["b", "business_hours"] == 3 + 10 + 8  # Friday 15-18, Monday 8-18, Tuesday 8-16


def test_compliance_by_owner_and_source():
    status = sla_status(LEADS, TEAM, sla_hours=8, as_of="2026-03-20T14:00:00")
    by_owner = sla_compliance(status, by="owner").set_index("owner")
    assert by_owner.loc["Ana", ["mqls", "met", "late", "never_touched", "waiting"]].tolist() == [3, 1, 1, 0, 1]
    assert by_owner.loc["Ana", "compliance"] == 50.0 and by_owner.loc["Cy", "compliance"] == 50.0
    assert by_owner.loc["Ana", "median_hours"] == 10.0
    by_source = sla_compliance(status, by="source_channel")
    assert by_source.iloc[0]["source_channel"] == "events", "worst first"
    assert by_source.set_index("source_channel").loc["events", "compliance"] == 50.0
    overall = sla_compliance(status, by=None)
    assert overall.loc[0, "compliance"] == pytest.approx(100 * 3 / 5)
    assert sla_breaches(status)["contact_id"].tolist() == ["d", "b"]
    with pytest.raises(ParameterError, match="sla_compliance: cannot group by 'colour'; valid: owner"):
        sla_compliance(status, by="colour")


def test_the_report_reads_as_sentences():
    report = sla_report(LEADS, TEAM, sla_hours=8, as_of="2026-03-20T14:00:00")
    assert report.compliance == pytest.approx(60.0)
    assert report.summary().startswith(
        "3 of 5 MQLs due were touched within 8 business hours (09:00-17:00, Mon-Fri): 60.0% compliance."
    )
    assert "1 were touched late and 1 never" in str(report)
    assert report.worst("owner") is None, "fewer than 5 MQLs due: no owner is named worst"


def test_the_sample_data_has_a_slow_owner_and_a_slow_source():
    report = sla_report(load("contacts"), load("sales_team"), sla_hours=8)
    people = report.by_owner[report.by_owner["owner"] != "Lead queue"]
    assert people.iloc[0]["owner"] == "Sara Lind"
    assert report.by_source.iloc[0]["source_channel"] == "events"
    assert 40 < report.compliance < 85
    wider = sla_report(load("contacts"), load("sales_team"), sla_hours=24)
    assert wider.compliance > report.compliance


@settings(max_examples=40, deadline=None)
@given(
    delays=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=300)), min_size=1, max_size=25),
    target=st.floats(min_value=0.5, max_value=72),
    zone=st.sampled_from(["owner", "UTC", "Asia/Taipei"]),
)
def test_compliance_is_always_between_0_and_100(delays, target, zone):
    start = pd.Timestamp("2026-03-02T07:00:00")
    leads = pd.DataFrame(
        {
            "contact_id": [f"c{i}" for i in range(len(delays))],
            "owner": ["Ana" if i % 2 else "Cy" for i in range(len(delays))],
            "mql_at": [start + pd.Timedelta(hours=7 * i) for i in range(len(delays))],
            "first_sales_touch_at": [
                None if d is None else start + pd.Timedelta(hours=7 * i + d) for i, d in enumerate(delays)
            ],
        }
    )
    status = sla_status(leads, TEAM, sla_hours=target, time_zone=zone, as_of="2026-06-01")
    for by in (None, "owner"):
        rates = sla_compliance(status, by=by)["compliance"].dropna()
        assert ((rates >= 0) & (rates <= 100)).all()
    assert set(status["status"]) <= {"met", "late", "never touched", "waiting"}


def test_duckdb_measures_the_same_as_pandas(tmp_path):
    from mopskit._resources import datasets_dir

    contacts, team = load("contacts"), load("sales_team")
    for kwargs in ({}, {"time_zone": "Asia/Taipei", "sla_hours": 24, "start": "2026-03-01", "end": "2026-06-30"}):
        expected = sla_status(contacts, team, **kwargs)
        got = sla_status(str(datasets_dir() / "contacts.csv"), team, **kwargs)
        pd.testing.assert_frame_equal(got[list(expected.columns)], expected, check_dtype=False)
    path = tmp_path / "leads.parquet"
    LEADS.to_parquet(path)
    pd.testing.assert_frame_equal(
        sla_status(str(path), TEAM, as_of="2026-03-20T14:00:00"),
        sla_status(LEADS, TEAM, as_of="2026-03-20T14:00:00"),
        check_dtype=False,
    )
    assert sla_status(str(path), TEAM).attrs["notes"] == sla_status(LEADS, TEAM).attrs["notes"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"sla_hours": 0},
            ParameterError,
            r"sla_status: 'sla_hours' must be a number of business hours above 0, like 8 \(got 0\)",
        ),
        ({"sla_hours": "a day"}, ParameterError, r"sla_status: 'sla_hours' must be .* \(got 'a day'\)"),
        (
            {"time_zone": "CET+1"},
            ParameterError,
            r"sla_status: 'time_zone' must be an IANA time zone name.* \(got 'CET\+1'\)",
        ),
        (
            {"start": "2026-04-01", "end": "2026-03-01"},
            ParameterError,
            r"sla_status: 'start' must be on or before 'end' \(2026-03-01\)",
        ),
        ({"as_of": "tomorrow"}, ParameterError, r"sla_status: 'as_of' must be a date"),
    ],
)
def test_bad_parameters_are_refused_with_the_fix(kwargs, error, message):
    with pytest.raises(error, match=message):
        sla_status(LEADS, TEAM, **kwargs)


def test_a_team_with_a_wrong_time_zone_or_leads_without_dates(tmp_path):
    with pytest.raises(
        ParameterError,
        match=r"sla_status: 'sales_team.time_zone' must be an IANA time zone name.* \(got 'Europe/Bucarest'\)",
    ):
        sla_status(LEADS, TEAM.assign(time_zone=["Europe/Bucarest", "UTC"]))
    with pytest.raises(DataError, match="the contacts table has no column 'first_sales_touch_at'"):
        sla_status(LEADS.drop(columns="first_sales_touch_at"), TEAM)
    path = tmp_path / "contacts.csv"
    path.write_text("contact_id,mql_at\nc1,2026-01-01\n")
    with pytest.raises(DataError, match="column 'first_sales_touch_at' is missing"):
        sla_status(str(path), TEAM)
