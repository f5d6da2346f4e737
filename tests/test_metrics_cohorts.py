"""Cohort metrics on a tiny purchase log worked out by hand."""

import math

import pandas as pd
import pytest

from mopskit.errors import DataError
from mopskit.metrics import (
    acquisition_cohorts,
    cohort_revenue,
    data_quality,
    notes,
    repeat_purchase_rate,
    retention_curve,
    retention_matrix,
)


@pytest.fixture
def log():
    # a: Jan, Jan (same day), Mar; b: Jan, Feb; c: Feb; d: Mar
    rows = [
        ("a", "1997-01-03", 10.0),
        ("a", "1997-01-03", 5.0),
        ("a", "1997-03-09", 20.0),
        ("b", "1997-01-20", 8.0),
        ("b", "1997-02-02", 12.0),
        ("c", "1997-02-14", 30.0),
        ("d", "1997-03-30", 7.0),
    ]
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


def test_repeat_purchase_rate_counts_later_days_only(log):
    assert repeat_purchase_rate(log) == 50.0  # a and b bought again; a's two January rows are one day


def test_acquisition_cohorts(log):
    table = acquisition_cohorts(log).set_index("cohort_month")
    assert table["customers"].tolist() == [2, 1, 1]
    assert table.loc["1997-01", ["repeat_customers", "repeat_purchase_rate"]].tolist() == [2, 100.0]
    assert table.loc["1997-01", ["first_month_revenue", "revenue", "revenue_per_customer"]].tolist() == [
        23.0,
        55.0,
        27.5,
    ]


def test_cohort_revenue(log):
    table = cohort_revenue(log)
    assert table.loc["1997-01"].tolist() == [23.0, 12.0, 20.0]
    assert table.loc["1997-02"].tolist() == [0.0, 30.0, 0.0]


def test_retention_matrix_leaves_months_beyond_the_log_empty(log):
    matrix = retention_matrix(log)
    assert matrix.loc["1997-01"].tolist() == [100.0, 50.0, 50.0]
    assert matrix.loc["1997-02", 1] == 0.0 and math.isnan(matrix.loc["1997-02", 2])


def test_retention_curve_counts_only_customers_observable_that_month(log):
    curve = retention_curve(log)
    assert curve["customers"].tolist() == [4, 3, 2]
    assert curve["active"].tolist() == [4, 1, 1]
    assert curve["retention_rate"].tolist() == pytest.approx([100.0, 100 / 3, 50.0])


def test_a_log_without_the_columns_says_which_it_has(log):
    with pytest.raises(
        DataError, match=r"'customer_id' must be a column of the purchase log \(got columns cust, date, amount\)"
    ):
        repeat_purchase_rate(log.rename(columns={"customer_id": "cust"}))
    assert repeat_purchase_rate(log.rename(columns={"customer_id": "cust"}), customer="cust") == 50.0


# --- bad input the way exports deliver it (each case failed before the validation layer) ------------------


@pytest.fixture
def gappy(log):
    extra = pd.DataFrame(
        [(None, "1997-01-05", 4.0), ("e", None, 9.0), (" ", "1997-02-01", 1.0)],
        columns=["customer_id", "date", "amount"],
    )
    return pd.concat([log, extra], ignore_index=True)


@pytest.mark.parametrize("function", [acquisition_cohorts, cohort_revenue, retention_matrix, retention_curve])
def test_rows_without_customer_or_date_are_left_out_and_counted(gappy, log, function):
    result = function(gappy)
    pd.testing.assert_frame_equal(result, function(log), check_like=True)
    assert data_quality(result)["rows"]["purchases"] == {
        "in": 10,
        "excluded": {"no customer": 2, "no date": 1},
    }
    said = " ".join(notes(result))
    assert "no customer, left out: 2" in said and "no date, left out: 1" in said


def test_repeat_purchase_rate_refuses_rows_it_would_drop(gappy):
    with pytest.raises(
        DataError, match=r"^repeat_purchase_rate: 'customer_id' must be filled in .* in row 9 of the purchase log"
    ):
        repeat_purchase_rate(gappy)


def test_negative_amounts_are_refunds_only_when_said_so(log):
    refund = pd.concat([log, pd.DataFrame([("c", "1997-03-01", -30.0)], columns=log.columns)], ignore_index=True)
    with pytest.raises(DataError, match=r"'amount' must be an amount of money, 0 or more.*pass refunds=True"):
        acquisition_cohorts(refund)
    table = acquisition_cohorts(refund, refunds=True).set_index("cohort_month")
    assert table.loc["1997-02", "revenue"] == 0.0  # c bought for 30, then 30 was refunded
    assert table.loc["1997-02", "repeat_customers"] == 0  # a refund is not a repeat purchase
    assert any("refund" in n for n in notes(acquisition_cohorts(refund, refunds=True)))
    assert cohort_revenue(refund, refunds=True).loc["1997-02", "1997-03"] == -30.0


@pytest.mark.parametrize(("text", "value"), [("$7", 7.0), ("1,000.00", 1000.0)])
def test_money_text_is_read(log, text, value):
    log = log.astype({"amount": object})
    log.loc[6, "amount"] = text
    assert acquisition_cohorts(log).set_index("cohort_month").loc["1997-03", "revenue"] == value


@pytest.mark.parametrize("function", [acquisition_cohorts, cohort_revenue])
def test_text_that_is_not_money_is_refused(log, function):
    log = log.astype({"amount": object})
    log.loc[2, "amount"] = "abc"
    with pytest.raises(DataError, match=r"'amount' must be .* \(got 'abc'\) in row 4 of the purchase log"):
        function(log)


@pytest.mark.parametrize(
    "function", [acquisition_cohorts, cohort_revenue, retention_matrix, retention_curve, repeat_purchase_rate]
)
def test_a_day_first_date_is_refused_not_guessed(log, function):
    log = log.copy()
    log.loc[0, "date"] = "13/02/1997"
    with pytest.raises(DataError, match=r"'date' must be a date .*day-first \(13 February 1997\): write 1997-02-13"):
        function(log)
