"""Properties that hold for any data: rates stay in 0-100, credit sums to revenue, both engines agree."""

import math
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mopskit.errors import DataError
from mopskit.metrics import EMAIL_RATES, MODELS, attribute, email_metrics, funnel, touch_credits

recipient = st.tuples(
    st.booleans(),  # bounced
    st.integers(0, 3),  # opens
    st.integers(0, 3),  # clicks (only counted for openers)
    st.booleans(),  # unsubscribed
)
campaign_logs = st.lists(st.lists(recipient, min_size=0, max_size=8), min_size=1, max_size=4)


def _events(campaigns):
    """A consistent event log: only delivered emails are opened, only openers click."""
    rows = []
    for number, recipients in enumerate(campaigns):
        day = f"2026-{number % 12 + 1:02d}-0{number % 9 + 1}"
        for who, (bounced, opens, clicks, unsub) in enumerate(recipients):
            contact = f"c{who}"
            kinds = ["sent", "bounced" if bounced else "delivered"]
            if not bounced:
                kinds += ["opened"] * opens + (["clicked"] * clicks if opens else [])
                kinds += ["unsubscribed"] if unsub else []
            rows += [(f"K{number}", contact, kind, f"{day}T09:00:00") for kind in kinds]
    return pd.DataFrame(rows, columns=["campaign_id", "contact_id", "event_type", "occurred_at"])


@settings(max_examples=60, deadline=None)
@given(campaign_logs, st.sampled_from([None, "campaign_id", "month"]))
def test_email_rates_stay_between_0_and_100(campaigns, by):
    events = _events(campaigns)
    if events.empty:  # a header only is refused, as a header-only file is
        with pytest.raises(DataError, match="at least one row"):
            email_metrics(events, by=by)
        return
    result = email_metrics(events, by=by)
    for name in EMAIL_RATES:
        values = result[name].dropna()
        assert ((values >= 0) & (values <= 100)).all(), (name, values.tolist())
    assert (result["unique_clicks"] <= result["total_clicks"]).all()
    assert (result["delivered"] == result["sent"] - result["bounced"]).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(campaign_logs)
def test_duckdb_and_pandas_agree_on_any_log(campaigns):
    events = _events(campaigns)
    if events.empty:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.parquet"
        events.to_parquet(path)
        for by in ("campaign_id", "month"):
            pd.testing.assert_frame_equal(email_metrics(path, by=by), email_metrics(events, by=by))


touch = st.tuples(st.integers(0, 4), st.sampled_from(["email", "seo", "webinar", "events"]), st.integers(0, 59))
customer = st.tuples(st.lists(touch, min_size=0, max_size=6), st.floats(0, 50_000, allow_nan=False), st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(customer, min_size=1, max_size=6), st.sampled_from(MODELS), st.floats(0.5, 30))
def test_attribution_credit_sums_to_the_revenue_of_every_deal(customers, model, half_life):
    touches, contacts = [], []
    for number, (their_touches, amount, won) in enumerate(customers):
        contact = f"c{number}"
        contacts.append((contact, "2026-03-01T00:00:00" if won else None, amount if won else None))
        touches += [
            (contact, channel, f"2026-01-{day % 28 + 1:02d}T00:00:{sec:02d}") for day, channel, sec in their_touches
        ]
    touchpoints = pd.DataFrame(touches, columns=["contact_id", "channel", "occurred_at"])
    frame = pd.DataFrame(contacts, columns=["contact_id", "customer_at", "deal_amount"])
    revenue = frame["deal_amount"].fillna(0).sum()
    credits = touch_credits(touchpoints, frame, model=model, half_life_days=half_life)
    per_deal = credits.groupby("contact_id")["weight"].sum()
    assert all(math.isclose(w, 1.0, rel_tol=1e-9) for w in per_deal), per_deal
    assert attribute(touchpoints, frame, model=model, half_life_days=half_life)["revenue"].sum() == pytest.approx(
        revenue, abs=1e-6
    )


stage_dates = st.lists(st.integers(0, 4), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(stage_dates)
def test_funnel_conversions_stay_between_0_and_100(furthest):
    stages = ["subscriber", "lead", "mql", "sql", "opportunity", "customer"]
    rows = []
    for number, reached in enumerate(furthest):
        dates = [f"2026-0{i + 2}-01T00:00:00" if i < reached else None for i in range(4)]
        rows.append((f"c{number}", "2026-01-01T00:00:00", "seo", stages[reached + 1], *dates))
    columns = ["contact_id", "created_at", "source_channel", "lifecycle_stage", "mql_at", "sql_at"]
    contacts = pd.DataFrame(rows, columns=[*columns, "opportunity_at", "customer_at"])
    result = funnel(contacts)
    for name in ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_customer", "lead_to_customer"):
        value = result[name].iloc[0]
        assert math.isnan(value) or 0 <= value <= 100
