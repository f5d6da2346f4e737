"""Money metrics against values worked out by hand on the fixtures in tests/files/metrics/."""

import math

import pandas as pd
import pytest

from mopskit.data import read
from mopskit.errors import DataError, ParameterError
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
    with pytest.raises(
        ParameterError, match="budget_variance: 'tolerance_pct' must be a number, 0 or more \\(got -1\\)"
    ):
        budget_variance(tables["budget"], tolerance_pct=-1)
    with pytest.raises(ParameterError, match="'start' must be on or before 'end'"):
        channel_economics(tables["campaigns"], tables["contacts"], start="2026-03-01", end="2026-01-01")


# --- bad input the way exports deliver it (each case failed before the validation layer) ------------------


def test_negative_spend_is_refused_with_its_row(tables):
    campaigns = tables["campaigns"].copy()
    campaigns.loc[1, "spend"] = -600.0
    with pytest.raises(DataError) as info:
        channel_economics(campaigns, tables["contacts"])
    assert str(info.value).startswith(
        "channel_economics: 'spend' must be an amount of money, 0 or more, like 1200.50 (got -600.0) in row 3 of "
        "the campaigns table"
    )


def test_missing_spend_is_not_called_organic(tables):
    campaigns = tables["campaigns"].copy()
    campaigns.loc[1, "spend"] = float("nan")
    result = channel_economics(campaigns, tables["contacts"]).set_index("channel")
    email = result.loc["email"]
    assert math.isnan(email.spend) and math.isnan(email.cost_per_lead) and math.isnan(email.romi)
    said = " ".join(notes(result))
    assert "email" not in said.split("no campaign spend")[0].split(".")[-1]
    assert "spend is empty" in said and "B" in said


@pytest.mark.parametrize(("text", "value"), [("$7", 7.0), ("1,000.00", 1000.0)])
def test_money_written_as_text_is_read(tables, text, value):
    campaigns = tables["campaigns"].astype({"spend": object})
    campaigns.loc[2, "spend"] = text
    result = channel_economics(campaigns, tables["contacts"]).set_index("channel")
    assert result.loc["webinar", "spend"] == value


def test_text_that_is_not_money_is_refused(tables):
    campaigns = tables["campaigns"].astype({"spend": object})
    campaigns.loc[2, "spend"] = "abc"
    with pytest.raises(DataError, match=r"'spend' must be .* \(got 'abc'\) in row 4 of the campaigns table; write"):
        channel_economics(campaigns, tables["contacts"])
    contacts = tables["contacts"].astype({"deal_amount": object})
    contacts.loc[contacts["deal_amount"].notna().idxmax(), "deal_amount"] = "1.000,00"
    with pytest.raises(DataError, match=r"'deal_amount' must be an amount"):
        channel_economics(tables["campaigns"], contacts)


def test_a_contact_without_a_source_channel_is_counted_under_a_label(tables):
    contacts = tables["contacts"].copy()
    contacts.loc[1, "source_channel"] = None  # K2, a lead
    result = channel_economics(tables["campaigns"], contacts)
    assert "(no channel)" in result["channel"].tolist()
    assert result["leads"].sum() == channel_economics(tables["campaigns"], tables["contacts"])["leads"].sum()
    assert any("no source channel" in n for n in notes(result))


@pytest.mark.parametrize("bad", ["abc", "$7x", True])
def test_budget_cells_that_are_not_money_are_refused(tables, bad):
    budget = tables["budget"].astype({"actual": object})
    budget.loc[0, "actual"] = bad
    with pytest.raises(DataError, match=r"^budget_variance: 'actual' must be .* in row 2 of the budget table"):
        budget_variance(budget)


def test_budget_money_text_is_read(tables):
    budget = tables["budget"].astype({"actual": object, "planned": object})
    budget.loc[0, "actual"] = "$1,200.00"
    budget.loc[0, "planned"] = "1,000"
    row = budget_variance(budget).iloc[0]
    assert (row.actual, row.planned, row.variance) == (1200.0, 1000.0, 200.0)


def test_budget_bad_month_is_refused(tables):
    budget = tables["budget"].astype({"month": object})
    budget.loc[1, "month"] = "13/2026"
    with pytest.raises(DataError, match=r"'month' must be a month written YYYY-MM.* in row 3 of the budget table"):
        budget_variance(budget)


@pytest.mark.parametrize(
    ("revenue", "spend", "message"),
    [
        ("100", 5, r"romi: 'revenue' must be a number \(got '100'\); pass a number, not text"),
        (float("nan"), 50, r"romi: 'revenue' must be an amount of money.*\(got nan\)"),
        (100, -5, r"romi: 'spend' must be an amount of money, 0 or more"),
        (True, 5, r"romi: 'revenue' .*True/False"),
    ],
)
def test_romi_refuses_what_is_not_money(revenue, spend, message):
    with pytest.raises(ParameterError, match=message):
        romi(revenue, spend)
