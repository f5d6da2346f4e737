"""Cohort metrics on a tiny purchase log worked out by hand."""

import math

import pandas as pd
import pytest

from mopskit.errors import DataError
from mopskit.metrics import (
    acquisition_cohorts,
    cohort_revenue,
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
    with pytest.raises(DataError, match="no column 'customer_id'; it has: cust, date, amount"):
        repeat_purchase_rate(log.rename(columns={"customer_id": "cust"}))
    assert repeat_purchase_rate(log.rename(columns={"customer_id": "cust"}), customer="cust") == 50.0
