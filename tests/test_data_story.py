"""The sample data tells one coherent story, so each lesson's point is visible in it (mopskit.data.generate).

Budget: a few channels over plan, not most. Email: every campaign sends, every month of the year has its
sends, up to the data's last weeks. Leads: consent follows unsubscribes, every click is logged as behaviour,
and the planted lead-management problems are there (MQLs never touched, touches after the SLA, leads routed to
someone who had left, leads stuck in a stage).
"""

import numpy as np
import pandas as pd
import pytest

from mopskit.data import load, read
from mopskit.data.generate import END, START, generate
from mopskit.leads.hours import business_hours_between
from mopskit.metrics import budget_variance, email_metrics


@pytest.fixture(scope="module")
def tables():
    return {
        name: load(name) for name in ("campaigns", "budget", "email_events", "contacts", "activities", "sales_team")
    }


def test_only_a_few_channels_are_over_budget(tables):
    by_channel = budget_variance(tables["budget"], by="channel")["flag"].value_counts()
    assert 1 <= by_channel.get("overspend", 0) <= 3, by_channel.to_dict()
    assert by_channel.get("on plan", 0) >= len(tables["budget"]["channel"].unique()) / 2, by_channel.to_dict()
    monthly = budget_variance(tables["budget"])
    closed = monthly[monthly["flag"] != "open"]
    assert (closed["flag"] == "overspend").mean() < 0.4, "most channel-months are on plan"


def test_the_budget_holds_the_campaigns_spend(tables):
    campaigns, budget = tables["campaigns"], tables["budget"]
    spent = campaigns.groupby([campaigns["start_date"].dt.strftime("%Y-%m"), "channel"])["spend"].sum()
    closed = budget.dropna(subset=["actual"])
    actual = closed.set_index([closed["month"].dt.strftime("%Y-%m"), "channel"])["actual"]
    shared = spent.index.intersection(actual.index)
    assert len(shared) > 20
    assert (actual[shared] >= spent[shared]).all(), "a month's actual spend includes its campaigns' spend"


def test_every_email_campaign_has_its_events(tables):
    campaigns = tables["campaigns"]
    email = set(campaigns.loc[campaigns["channel"] == "email", "campaign_id"])
    sent = email_metrics(tables["email_events"], by="campaign_id").set_index("campaign_id")["sent"]
    assert email <= set(sent.index), f"no events for {sorted(email - set(sent.index))}"
    assert (sent[sorted(email)] >= 50).all()


def test_every_month_has_its_sends_to_the_end_of_the_data(tables):
    events = tables["email_events"]
    sends = events[events["event_type"] == "sent"]
    per_month = sends.groupby(sends["occurred_at"].dt.to_period("M")).size()
    months = pd.period_range(START, END, freq="M")
    assert list(per_month.index) == list(months), "every month of the year has email sends"
    assert per_month.min() >= per_month.median() / 2, per_month.to_dict()
    assert END - sends["occurred_at"].max() < pd.Timedelta(days=14), "sends go on into the data's last weeks"
    contacts = tables["contacts"]
    created = contacts[contacts["created_at"] >= START].groupby(contacts["created_at"].dt.to_period("M")).size()
    mqls = contacts.groupby(contacts["mql_at"].dt.to_period("M")).size()
    assert list(created.index) == list(months) and list(mqls.index) == list(months)


def test_consent_follows_the_email_history(tables):
    events, contacts = tables["email_events"], tables["contacts"].set_index("contact_id")
    unsub = events[events["event_type"] == "unsubscribed"].groupby("contact_id")["occurred_at"].min()
    assert len(unsub) > 10
    assert (contacts.loc[unsub.index, "consent"] == "unsubscribed").all()
    assert (contacts.loc[unsub.index, "consent_at"] == unsub).all()
    sent = events[events["event_type"] == "sent"].merge(unsub.rename("gone"), left_on="contact_id", right_index=True)
    assert not (sent["occurred_at"] > sent["gone"] + pd.Timedelta(days=3)).any(), (
        "nobody is emailed after unsubscribing"
    )
    never = contacts.index[contacts["consent"] == "not_given"]
    assert len(never) and not events["contact_id"].isin(never).any(), "no email without consent"


def test_every_email_click_is_in_the_behaviour_log(tables):
    events, activities = tables["email_events"], tables["activities"]
    clicks = events[events["event_type"] == "clicked"]
    logged = activities[activities["activity_type"] == "email_click"]
    assert len(logged) == len(clicks)
    assert set(logged["campaign_id"]) == set(clicks["campaign_id"])
    assert activities["contact_id"].isin(set(tables["contacts"]["contact_id"])).all()
    assert events["contact_id"].isin(set(tables["contacts"]["contact_id"])).all()


def test_the_planted_lead_problems_are_there(tables):
    contacts, team = tables["contacts"], tables["sales_team"]
    mqls = contacts[contacts["mql_at"].notna()]
    never = mqls[mqls["first_sales_touch_at"].isna() & (mqls["mql_at"] < END - pd.Timedelta(days=14))]
    assert len(never) >= 20, "MQLs never touched"
    zones = mqls["owner"].map(team.set_index("owner")["time_zone"])
    waited = business_hours_between(mqls["mql_at"], mqls["first_sales_touch_at"], time_zone=zones)
    assert (waited > 8).sum() >= 30 and (waited <= 8).mean() > 0.5, "most touches in time, some long after"
    left = mqls["owner"].map(team.set_index("owner")["left_on"])
    gone = mqls[left.notna() & (mqls["routed_at"] > left)]
    assert len(gone) >= 5 and gone["first_sales_touch_at"].isna().all(), "leads routed to someone who left"
    stuck = mqls[(mqls["lead_status"] == "working") & (mqls["first_sales_touch_at"] < END - pd.Timedelta(days=45))]
    assert len(stuck) >= 10, "leads stuck in working"
    assert {"recycled", "disqualified"} <= set(mqls["lead_status"])
    assert mqls.loc[mqls["lead_status"].isin(["recycled", "disqualified"]), "status_reason"].notna().all()
    assert (mqls["owner"] == "Lead queue").any(), "the fallback queue gets some"


def test_fit_drives_the_funnel(tables):
    contacts = tables["contacts"]
    leads = contacts[contacts["lifecycle_stage"] != "subscriber"]
    senior = leads["seniority"].isin(["director", "vp", "c_level"])
    mql = leads["mql_at"].notna()
    assert mql[senior].mean() > mql[~senior].mean()
    accepted = leads.loc[mql, "sql_at"].notna()
    assert accepted[senior[mql]].mean() > accepted[~senior[mql]].mean()


@pytest.mark.slow
def test_a_smaller_scale_keeps_the_story_and_every_table_valid(tmp_path):
    written = generate(scale=0.25, out_dir=tmp_path)
    names = {p.stem for p in written}
    assert {"contacts", "activities", "sales_team", "email_events"} <= names
    contacts = read(tmp_path / "contacts.csv", table="contacts")
    assert len(contacts) == 900
    events = read(tmp_path / "email_events.csv", table="email_events")
    assert events["contact_id"].isin(set(contacts["contact_id"])).all()
    activities = read(tmp_path / "activities.csv", table="activities")
    assert activities["contact_id"].isin(set(contacts["contact_id"])).all()
    campaigns = read(tmp_path / "campaigns.csv", table="campaigns")
    assert campaigns.equals(load("campaigns")), "the campaign calendar is the same at every scale"


def test_leaving_a_table_out_changes_no_other(tmp_path):
    generate(scale=0.1, out_dir=tmp_path / "all")
    only = generate(scale=0.1, out_dir=tmp_path / "some", tables=["contacts", "activities", "sales_team"])
    assert sorted(p.name for p in only) == ["activities.csv", "contacts.csv", "sales_team.csv"]
    for path in only:
        assert path.read_bytes() == (tmp_path / "all" / path.name).read_bytes(), path.name


def test_parquet_copies_of_the_big_tables(tmp_path):
    written = generate(scale=0.05, out_dir=tmp_path, parquet=True, tables=["contacts", "activities", "email_events"])
    for name in ("contacts", "activities", "email_events"):
        frame = pd.read_parquet(tmp_path / f"{name}.parquet")
        csv = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        assert len(frame) == len(csv) and list(frame.columns) == list(csv.columns), name
    assert tmp_path / "activities.parquet" in written


def test_unknown_tables_are_refused(tmp_path):
    from mopskit.errors import ParameterError

    with pytest.raises(ParameterError, match=r"unknown table\(s\) leads; valid: .*activities"):
        generate(out_dir=tmp_path, tables=["leads"])
    assert not np.any([p.exists() for p in tmp_path.glob("*.csv")])
