"""Attribution models against credits worked out by hand on tests/files/metrics/ (K4 has three touches before
its deal and one after; K6 one touch)."""

import pandas as pd
import pytest

from mopskit.data import read
from mopskit.errors import DataError, ParameterError
from mopskit.metrics import attribute, compare_models, notes, touch_credits

# K4 (10,000): email 2026-01-08, webinar 01-12, seo 02-12, deal 02-19 (events 02-20 comes after, so it earns nothing)
# K6 (6,000): email 2026-02-02
EXPECTED = {
    "first_touch": {"email": 16000.0},
    "last_touch": {"email": 6000.0, "seo": 10000.0},
    "linear": {"email": 6000 + 10000 / 3, "seo": 10000 / 3, "webinar": 10000 / 3},
    "position_based": {"email": 10000.0, "seo": 4000.0, "webinar": 2000.0},
}


@pytest.fixture
def tables(files):
    folder = files / "metrics"
    return {name: read(folder / f"{name}.csv", table=name) for name in ("campaigns", "contacts", "touchpoints")}


@pytest.mark.parametrize("model", sorted(EXPECTED))
def test_models_share_each_deal_as_their_rule_says(tables, model):
    credit = attribute(tables["touchpoints"], tables["contacts"], model=model).set_index("channel")["revenue"]
    assert credit[credit > 0].to_dict() == pytest.approx(EXPECTED[model])


def test_time_decay_halves_a_touchs_weight_every_half_life(tables):
    weights = [0.5 ** (42 / 7), 0.5 ** (38 / 7), 0.5 ** (7 / 7)]  # touches 42, 38 and 7 days before the deal
    expected = {"email": 6000 + 10000 * weights[0] / sum(weights), "webinar": 10000 * weights[1] / sum(weights)}
    expected["seo"] = 10000 * weights[2] / sum(weights)
    credit = attribute(tables["touchpoints"], tables["contacts"], model="time_decay").set_index("channel")
    assert credit["revenue"].to_dict() == pytest.approx(expected)
    slower = attribute(tables["touchpoints"], tables["contacts"], model="time_decay", half_life_days=30)
    assert slower.set_index("channel").loc["webinar", "revenue"] > expected["webinar"]


@pytest.mark.parametrize(("touches", "shares"), [(1, [1.0]), (2, [0.5, 0.5]), (4, [0.4, 0.1, 0.1, 0.4])])
def test_position_based_rule_for_one_two_and_more_touches(tables, touches, shares):
    touchpoints = tables["touchpoints"][tables["touchpoints"]["contact_id"] == "K4"].iloc[:0]
    rows = [{"contact_id": "K4", "occurred_at": f"2026-01-1{i}T00:00:00", "channel": "seo"} for i in range(touches)]
    import pandas as pd

    touchpoints = pd.DataFrame(rows)
    credits = touch_credits(touchpoints, tables["contacts"], model="position_based")
    assert credits.loc[credits["contact_id"] == "K4", "weight"].tolist() == pytest.approx(shares)


def test_customers_without_touches_keep_their_revenue_under_no_touchpoint(tables):
    only_k4 = tables["touchpoints"][tables["touchpoints"]["contact_id"] == "K4"]
    credit = attribute(only_k4, tables["contacts"], model="linear").set_index("channel")
    assert credit.loc["(no touchpoint)", "revenue"] == 6000.0
    assert credit["revenue"].sum() == pytest.approx(16000.0)
    assert "1 customers had no touchpoint" in notes(credit)[0]


def test_period_keeps_deals_won_in_it(tables):
    credit = attribute(tables["touchpoints"], tables["contacts"], model="first_touch", start="2026-03-01")
    assert credit["revenue"].sum() == 6000.0


def test_compare_models_side_by_side(tables):
    table = compare_models(tables["touchpoints"], tables["contacts"], tables["campaigns"]).set_index("channel")
    assert table.loc["email", "spend"] == 1500.0
    assert table.loc["email", "romi_first_touch"] == pytest.approx((16000 - 1500) / 15)
    assert table.loc["email", "romi_last_touch"] == pytest.approx(300.0)
    assert table.loc["webinar", "romi_first_touch"] == -100.0
    assert table.loc["email", "rank_first_touch"] == 1
    assert "channel=seo: romi_first_touch" in " ".join(notes(table))


def test_unknown_model_lists_the_valid_ones(tables):
    with pytest.raises(
        ParameterError,
        match=r"'model' must be one of first_touch, last_touch, linear, time_decay, position_based \(got 'u_shape'\)",
    ):
        attribute(tables["touchpoints"], tables["contacts"], model="u_shape")
    with pytest.raises(ParameterError, match="'half_life_days' must be a number, more than 0"):
        attribute(tables["touchpoints"], tables["contacts"], model="time_decay", half_life_days=0)


# --- bad input the way exports deliver it (each case failed before the validation layer) ------------------


def _won(**amounts):
    return pd.DataFrame(
        {
            "contact_id": list(amounts),
            "customer_at": ["2026-01-10T12:00:00"] * len(amounts),
            "deal_amount": list(amounts.values()),
        }
    )


def test_a_touch_without_a_channel_keeps_its_revenue_under_a_label():
    touches = pd.DataFrame(
        {"contact_id": ["a", "b"], "channel": ["seo", None], "occurred_at": ["2026-01-01", "2026-01-02"]}
    )
    credit = attribute(touches, _won(a=50.0, b=100.0))
    assert credit["revenue"].sum() == 150.0
    assert credit.set_index("channel").loc["(no channel)", "revenue"] == 100.0
    assert any("no channel" in n for n in notes(credit))


def test_time_decay_does_not_lose_revenue_to_underflow():
    touches = pd.DataFrame(
        {"contact_id": ["c", "c"], "channel": ["email", "seo"], "occurred_at": ["2024-06-01", "2024-06-03"]}
    )
    credit = attribute(touches, _won(c=100.0), model="time_decay", half_life_days=0.5)
    assert credit["revenue"].sum() == pytest.approx(100.0)
    # 588 days old and 0.5-day half-life: 0.5 ** 1176 is 0 in floating point, yet the touches are 2 days apart,
    # so seo (the newer) weighs 1 and email 0.5 ** 4: 100 / 1.0625 = 94.12 and 5.88
    assert credit.set_index("channel")["revenue"].to_dict() == pytest.approx({"email": 5.882353, "seo": 94.117647})


def test_a_same_day_touch_counts_when_the_deal_has_no_time():
    touches = pd.DataFrame({"contact_id": ["a"], "channel": ["seo"], "occurred_at": ["2026-01-10T15:00:00"]})
    won = pd.DataFrame({"contact_id": ["a"], "customer_at": ["2026-01-10"], "deal_amount": [50.0]})
    credit = attribute(touches, won)
    assert credit["channel"].tolist() == ["seo"]
    decayed = touch_credits(touches, won, model="time_decay")
    assert decayed["weight"].tolist() == [1.0]


@pytest.mark.parametrize("amount", ["abc", "(7)", True])
def test_bad_deal_amounts_are_refused_with_their_row(amount):
    won = _won(a=10.0, b=20.0).astype(object)
    won.loc[1, "deal_amount"] = amount
    touches = pd.DataFrame({"contact_id": ["a"], "channel": ["seo"], "occurred_at": ["2026-01-01"]})
    with pytest.raises(
        DataError, match=r"^attribute: 'deal_amount' must be an amount of money.* in row 3 of the contacts table"
    ):
        attribute(touches, won)


def test_money_text_in_deal_amounts_is_read():
    won = _won(a="$7", b="1,000.00")
    touches = pd.DataFrame({"contact_id": ["a", "b"], "channel": ["seo", "seo"], "occurred_at": ["2026-01-01"] * 2})
    assert attribute(touches, won)["revenue"].sum() == 1007.0


def test_a_day_first_deal_date_is_explained():
    won = _won(a=10.0)
    won.loc[0, "customer_at"] = "13/02/2026"
    touches = pd.DataFrame({"contact_id": ["a"], "channel": ["seo"], "occurred_at": ["2026-01-01"]})
    with pytest.raises(DataError, match=r"'customer_at' must be a date .* day-first \(13 February 2026\)"):
        attribute(touches, won)


def test_compare_models_without_start_date_names_the_column(tables):
    touchpoints, contacts, campaigns = (tables[t] for t in ("touchpoints", "contacts", "campaigns"))
    with pytest.raises(
        DataError,
        match=r"^compare_models: 'start_date' must be a column of the campaigns table \(got columns campaign_id, name",
    ):
        compare_models(touchpoints, contacts, campaigns.drop(columns="start_date"))


def test_negative_spend_is_refused_before_it_ranks_first(tables):
    touchpoints, contacts, campaigns = (tables[t] for t in ("touchpoints", "contacts", "campaigns"))
    campaigns = campaigns.copy()
    campaigns.loc[0, "spend"] = -1000.0
    with pytest.raises(DataError, match=r"^compare_models: 'spend' must be an amount of money, 0 or more"):
        compare_models(touchpoints, contacts, campaigns)
