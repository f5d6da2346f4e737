"""Customer cohorts from a purchase log: acquisition cohorts, repeat purchases, revenue and retention.

A customer's cohort is the month of their first purchase. Works on any log with a customer, a date and an
amount column, such as the real CDNOW log (:func:`mopskit.data.realdata.load_cdnow`).
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from ..i18n import _
from ._common import finish, percent

__all__ = ["acquisition_cohorts", "cohort_revenue", "repeat_purchase_rate", "retention_curve", "retention_matrix"]


def _prepared(log: pd.DataFrame, customer: str, date: str, amount: str | None) -> pd.DataFrame:
    needed = [customer, date] + ([amount] if amount else [])
    missing = [c for c in needed if c not in log.columns]
    if missing:
        raise DataError(
            _("the purchase log has no column {missing}; it has: {present}").format(
                missing=", ".join(map(repr, missing)), present=", ".join(map(str, log.columns))
            ),
            source="purchases",
        )
    frame = pd.DataFrame(
        {
            "customer": log[customer],
            "date": pd.to_datetime(log[date]).dt.normalize(),
            "amount": log[amount].astype("float64") if amount else 0.0,
        }
    ).dropna(subset=["customer", "date"])
    first = frame.groupby("customer")["date"].transform("min")
    frame["cohort_month"] = first.dt.to_period("M")
    frame["month"] = frame["date"].dt.to_period("M")
    frame["months_since"] = (frame["month"] - frame["cohort_month"]).apply(lambda offset: offset.n).astype("int64")
    frame["repeat_day"] = frame["date"] > first
    return frame


def repeat_purchase_rate(log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date") -> float:
    """Percent of customers who bought again on a later day than their first purchase.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
    ...                     "date": ["2026-01-01", "2026-01-01", "2026-01-02", "2026-01-03", "2026-02-01"]})
    >>> round(repeat_purchase_rate(log), 2)
    33.33
    """
    frame = _prepared(log, customer, date, None)
    customers = frame["customer"].nunique()
    if not customers:
        return float("nan")
    return 100.0 * frame.loc[frame["repeat_day"], "customer"].nunique() / customers


def acquisition_cohorts(
    log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date", amount: str = "amount"
) -> pd.DataFrame:
    """One row per acquisition month: new customers, their repeat-purchase rate and the revenue they brought.

    Returns:
        cohort_month (``YYYY-MM``), customers, repeat_customers, repeat_purchase_rate (percent),
        first_month_revenue, revenue (all their purchases), revenue_per_customer.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-01", "2026-03-01", "2026-02-02"],
    ...                     "amount": [10.0, 5.0, 20.0]})
    >>> acquisition_cohorts(log)[["cohort_month", "customers", "revenue"]].values.tolist()
    [['2026-01', 1, 15.0], ['2026-02', 1, 20.0]]

    """
    frame = _prepared(log, customer, date, amount)
    groups = frame.groupby("cohort_month")
    result = pd.DataFrame(
        {
            "customers": groups["customer"].nunique(),
            "repeat_customers": frame[frame["repeat_day"]].groupby("cohort_month")["customer"].nunique(),
            "first_month_revenue": frame[frame["months_since"] == 0].groupby("cohort_month")["amount"].sum(),
            "revenue": groups["amount"].sum(),
        }
    ).fillna({"repeat_customers": 0, "first_month_revenue": 0.0})
    result["repeat_customers"] = result["repeat_customers"].astype("int64")
    result["repeat_purchase_rate"] = percent(result["repeat_customers"], result["customers"])
    result["revenue_per_customer"] = percent(result["revenue"], result["customers"], scale=1.0)
    result.index = result.index.astype(str)
    result = result.rename_axis("cohort_month").reset_index()
    columns = ["cohort_month", "customers", "repeat_customers", "repeat_purchase_rate", "first_month_revenue"]
    return finish(result[[*columns, "revenue", "revenue_per_customer"]], notes=[])


def cohort_revenue(
    log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date", amount: str = "amount"
) -> pd.DataFrame:
    """Revenue of each acquisition cohort in each calendar month: rows are cohorts, columns months (``YYYY-MM``).

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-01", "2026-02-01", "2026-02-02"],
    ...                     "amount": [10.0, 5.0, 20.0]})
    >>> cohort_revenue(log).loc["2026-01"].tolist()
    [10.0, 5.0]
    """
    frame = _prepared(log, customer, date, amount)
    table = frame.pivot_table(index="cohort_month", columns="month", values="amount", aggfunc="sum", fill_value=0.0)
    table.index = table.index.astype(str)
    table.columns = table.columns.astype(str)
    return table.rename_axis(index="cohort_month", columns="month")


def retention_matrix(log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date") -> pd.DataFrame:
    """Percent of each acquisition cohort buying N months after its first month (rows cohorts, columns N).

    Month 0 is the acquisition month itself, so it is 100%. Cells that lie beyond the end of the log are empty.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-01", "2026-02-01", "2026-01-05"]})
    >>> retention_matrix(log).loc["2026-01"].tolist()
    [100.0, 50.0]
    """
    frame = _prepared(log, customer, date, None)
    active = frame.drop_duplicates(["customer", "months_since"]).pivot_table(
        index="cohort_month", columns="months_since", values="customer", aggfunc="count", fill_value=0
    )
    sizes = frame.groupby("cohort_month")["customer"].nunique()
    matrix = active.div(sizes, axis=0) * 100.0
    last = frame["month"].max()
    for cohort in matrix.index:
        observable = (last - cohort).n
        matrix.loc[cohort, [c for c in matrix.columns if c > observable]] = float("nan")
    matrix.index = matrix.index.astype(str)
    return matrix.rename_axis(index="cohort_month", columns="months_since")


def retention_curve(log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date") -> pd.DataFrame:
    """The retention curve: percent of customers buying N months after their first month, over all cohorts.

    Only customers whose N-th month lies inside the log count towards month N.

    Returns:
        months_since, customers (observable that month), active, retention_rate (percent).

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-01", "2026-02-01", "2026-01-05"]})
    >>> retention_curve(log)["retention_rate"].tolist()
    [100.0, 50.0]

    """
    frame = _prepared(log, customer, date, None)
    last = frame["month"].max()
    cohorts = frame.drop_duplicates("customer")[["customer", "cohort_month"]]
    horizon = cohorts["cohort_month"].apply(lambda c: (last - c).n)
    months = range(int(horizon.max()) + 1 if len(horizon) else 0)
    observable = [int((horizon >= m).sum()) for m in months]
    active = frame.drop_duplicates(["customer", "months_since"]).groupby("months_since")["customer"].count()
    result = pd.DataFrame({"months_since": list(months), "customers": observable})
    result["active"] = result["months_since"].map(active).fillna(0).astype("int64")
    result["retention_rate"] = percent(result["active"], result["customers"])
    return finish(result, notes=[])
