"""Money metrics against values worked out by hand on the fixtures in tests/files/metrics/."""

import math

import pandas as pd
import pytest

from mopskit.data import read
from mopskit.errors import ParameterError
from mopskit.metrics import budget_variance, channel_economics, notes, romi


@pytest.fixture
def tables(files):
    folder = files / "metrics"
    return {name: read(folder / f"{name}.csv", table=name) for name in ("campaigns", "contacts", "budget")}


def test_channel_economics(tables):
    result = channel_economics(tables["campaigns"], tables["contacts"]).set_index("channel")
    email = result.loc["email"]
    assert (email.spend, email.leads, email.pipeline_generated, email.customers, email.won_revenue) == (
        1500.0,
        3,
        3,
        2,
        16000.0,
    )
    assert (email.cost_per_lead, email.customer_acquisition_cost) == (500.0, 750.0)
    assert email.romi == pytest.approx(14500 / 15)
    assert result.loc["webinar", "romi"] == -100.0
    assert math.isnan(result.loc["webinar", "cost_per_lead"])
    assert result.loc["seo", "cost_per_lead"] == 0.0 and math.isnan(result.loc["seo", "romi"])
    said = " ".join(notes(result))
    assert "channel=webinar: cost_per_lead left empty because leads is 0" in said
    assert "channel=webinar: customer_acquisition_cost left empty because customers is 0" in said
    assert "referral, seo: no campaign spend" in said


def test_channel_economics_in_a_period_dates_each_figure_its_own_way(tables):
    result = channel_economics(tables["campaigns"], tables["contacts"], start="2026-02-01", end="2026-02-28")
    email = result.set_index("channel").loc["email"]
    assert (email.spend, email.leads, email.pipeline_generated, email.customers, email.won_revenue) == (
        600.0,
        2,
        2,
        1,
        10000.0,
    )


def test_romi_is_a_percent_and_empty_without_spend():
    assert romi(16000, 1500) == pytest.approx(966.6666, rel=1e-5)
    assert math.isnan(romi(100, 0))


def test_budget_variance_per_month_and_channel(tables):
    result = budget_variance(tables["budget"]).set_index(["month", "channel"])
    jan_email = result.loc[("2026-01", "email")]
    assert (jan_email.variance, jan_email.variance_pct, jan_email.flag) == (200.0, 20.0, "overspend")
    assert jan_email.forecast_variance_pct == pytest.approx(100 / 11)
    assert result.loc[("2026-01", "webinar"), "flag"] == "underspend"
    feb_email = result.loc[("2026-02", "email")]
    assert (feb_email.flag, bool(feb_email.over_plan), bool(feb_email.over_forecast)) == ("on plan", True, True)
    assert result.loc[("2026-02", "webinar"), "flag"] == "open"
    assert math.isnan(result.loc[("2026-02", "webinar"), "variance"])


def test_budget_totals_compare_closed_months_only(tables):
    result = budget_variance(tables["budget"], by="channel").set_index("channel")
    assert result.loc["email", ["months", "planned", "actual"]].tolist() == [2, 2000.0, 2220.0]
    assert result.loc["webinar", ["months", "open_months", "planned", "actual"]].tolist() == [1, 1, 2000.0, 1500.0]
    assert result.loc["webinar", "flag"] == "underspend"
    assert "1 month-channel rows have no actual spend yet" in notes(result)[0]


@pytest.mark.parametrize(("tolerance", "flag"), [(1.0, "overspend"), (5.0, "on plan")])
def test_tolerance_decides_what_counts_as_overspend(tables, tolerance, flag):
    result = budget_variance(tables["budget"], tolerance_pct=tolerance, start="2026-02", end="2026-02")
    assert result.set_index("channel").loc["email", "flag"] == flag


def test_zero_plan_gives_an_empty_variance_with_a_note():
    budget = pd.DataFrame(
        {"month": ["2026-01"], "channel": ["seo"], "planned": [0.0], "forecast": [0.0], "actual": [50.0]}
    )
    result = budget_variance(budget)
    assert math.isnan(result["variance_pct"].iloc[0]) and result["variance"].iloc[0] == 50.0
    assert "variance_pct left empty because planned is 0" in notes(result)[0]


def test_bad_options(tables):
    with pytest.raises(ParameterError, match="cannot group by 'week'"):
        budget_variance(tables["budget"], by="week")
    with pytest.raises(ParameterError, match="'tolerance_pct' must be 0 or more"):
        budget_variance(tables["budget"], tolerance_pct=-1)
    with pytest.raises(ParameterError, match="'start' must be on or before 'end'"):
        channel_economics(tables["campaigns"], tables["contacts"], start="2026-03-01", end="2026-01-01")
