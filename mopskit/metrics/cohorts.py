"""Customer cohorts from a purchase log: acquisition cohorts, repeat purchases, revenue and retention.

A customer's cohort is the month of their first purchase. Works on any log with a customer, a date and an
amount column, such as the real CDNOW log (:func:`mopskit.data.realdata.load_cdnow`).
"""

from __future__ import annotations

import pandas as pd

from .._validate import Notes, amounts, checked, columns, dates, finish, missing_keys, problem, row_label
from ..errors import DataError
from ..i18n import _
from ._common import percent

__all__ = ["acquisition_cohorts", "cohort_revenue", "repeat_purchase_rate", "retention_curve", "retention_matrix"]

LOG = "the purchase log"
PURCHASES = "purchases"


def _prepared(
    log: pd.DataFrame,
    customer: str,
    date: str,
    amount: str | None,
    *,
    function: str,
    notes: Notes,
    refunds: bool = False,
) -> pd.DataFrame:
    """The purchases read one way: rows with no customer or no date left out (and counted), refunds apart.

    Returns customer, date, amount, refund (True for a negative amount, allowed with ``refunds``), then the
    cohort month, the month, months since the cohort month and whether the day is a later one than the first.
    Refunds count in revenue only: they never make a customer, a cohort or a repeat purchase.
    """
    columns(log, [customer, date] + ([amount] if amount else []), function=function, table=LOG)
    notes.rows(PURCHASES, len(log))
    when = dates(log[date], function=function, table=LOG, name=date).dt.normalize()
    paid = (
        amounts(
            log[amount],
            function=function,
            table=LOG,
            name=amount,
            negative=refunds,
            negative_fix=_("a negative amount is a refund: pass refunds=True to net refunds against revenue"),
        )
        if amount
        else pd.Series(0.0, index=log.index)
    )
    no_customer = missing_keys(log[customer])
    no_date = when.isna() & ~no_customer
    notes.exclude(PURCHASES, no_customer, _("Purchases with no customer, left out: {n}."), reason="no customer")
    notes.exclude(PURCHASES, no_date, _("Purchases with no date, left out: {n}."), reason="no date")
    frame = pd.DataFrame({"customer": log[customer], "date": when, "amount": paid})[~no_customer & ~no_date]
    frame["refund"] = frame["amount"] < 0
    if amount and frame["amount"].isna().any():
        notes.add(
            _("{n} purchases have no amount; they count as purchases, their revenue as 0.").format(
                n=int(frame["amount"].isna().sum())
            )
        )
        frame["amount"] = frame["amount"].fillna(0.0)
    if frame["refund"].any():
        notes.add(
            _(
                "{n} refunds (negative amounts, {total:,.2f} in all) are netted against revenue; they do not count "
                "as purchases."
            ).format(n=int(frame["refund"].sum()), total=float(frame.loc[frame["refund"], "amount"].sum()))
        )
    first_day = frame["date"].where(~frame["refund"]).groupby(frame["customer"]).transform("min")
    orphans = first_day.isna()
    notes.exclude(
        PURCHASES,
        orphans,
        _("Refunds of customers with no purchase in the log, left out: {n}."),
        reason="refund without a purchase",
    )
    frame, first_day = frame[~orphans], first_day[~orphans]
    frame["cohort_month"] = first_day.dt.to_period("M")
    frame["month"] = frame["date"].dt.to_period("M")
    frame["months_since"] = (_month_number(frame["month"]) - _month_number(frame["cohort_month"])).astype("int64")
    frame["repeat_day"] = (frame["date"] > first_day) & ~frame["refund"]
    return frame


def _month_number(months: pd.Series) -> pd.Series:
    """Months counted from year 0 (a Series of monthly periods), so that two of them subtract as whole numbers.

    Subtracting periods directly builds one offset object per row, which is slow on a real log.

    >>> _month_number(pd.Series(pd.PeriodIndex(["2026-01", "2027-03"], freq="M"))).tolist()
    [24312, 24326]
    """
    return months.dt.year * 12 + months.dt.month - 1


def _refuse_dropped(log: pd.DataFrame, customer: str, date: str, *, function: str) -> None:
    """Refuse a log with rows a bare number would lose silently: no customer, or no date."""
    for column in (customer, date):
        empty = missing_keys(log[column]).to_numpy()
        if empty.any():
            position = int(empty.nonzero()[0][0])
            lines = [
                problem(
                    function,
                    column,
                    _("filled in"),
                    log[column].iloc[position],
                    where=row_label(position, log.index[position], LOG),
                    shown=_("an empty cell"),
                    fix=_(
                        "leave such rows out first ({n} in all), or use acquisition_cohorts, whose notes count them"
                    ).format(n=int(empty.sum())),
                )
            ]
            raise DataError(lines[0], problems=lines, source=LOG)


@checked
def repeat_purchase_rate(log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date") -> float:
    """Percent of customers who bought again on a later day than their first purchase.

    A bare number cannot carry notes, so rows with no customer or no date are refused (with their row)
    rather than left out; :func:`acquisition_cohorts` leaves them out and counts them in its notes.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
    ...                     "date": ["2026-01-01", "2026-01-01", "2026-01-02", "2026-01-03", "2026-02-01"]})
    >>> round(repeat_purchase_rate(log), 2)
    33.33
    """
    function = "repeat_purchase_rate"
    notes = Notes()
    frame = _prepared(log, customer, date, None, function=function, notes=notes)
    _refuse_dropped(log, customer, date, function=function)
    customers = frame["customer"].nunique()
    if not customers:
        return float("nan")
    return 100.0 * frame.loc[frame["repeat_day"], "customer"].nunique() / customers


@checked
def acquisition_cohorts(
    log: pd.DataFrame,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    refunds: bool = False,
) -> pd.DataFrame:
    """One row per acquisition month: new customers, their repeat-purchase rate and the revenue they brought.

    Args:
        log: a purchase log, one row per purchase.
        customer: the column naming the customer.
        date: the column dating the purchase (``YYYY-MM-DD``; a bad date is refused with its row).
        amount: the column of amounts (numbers, or text such as ``"$7"`` or ``"1,000.00"``).
        refunds: whether negative amounts are refunds, netted against revenue (they never count as
            purchases). Without it a negative amount is refused with its row.

    Rows with no customer or no date are left out and counted in the notes.

    Returns:
        cohort_month (``YYYY-MM``), customers, repeat_customers, repeat_purchase_rate (percent),
        first_month_revenue, revenue (all their purchases), revenue_per_customer.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-01", "2026-03-01", "2026-02-02"],
    ...                     "amount": [10.0, 5.0, 20.0]})
    >>> acquisition_cohorts(log)[["cohort_month", "customers", "revenue"]].values.tolist()
    [['2026-01', 1, 15.0], ['2026-02', 1, 20.0]]

    """
    notes = Notes()
    frame = _prepared(log, customer, date, amount, function="acquisition_cohorts", notes=notes, refunds=refunds)
    groups = frame.groupby("cohort_month")
    result = pd.DataFrame(
        {
            "customers": frame[~frame["refund"]].groupby("cohort_month")["customer"].nunique(),
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
    return finish(result[[*columns, "revenue", "revenue_per_customer"]], notes=notes)


@checked
def cohort_revenue(
    log: pd.DataFrame,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    refunds: bool = False,
) -> pd.DataFrame:
    """Revenue of each acquisition cohort in each calendar month: rows are cohorts, columns months (``YYYY-MM``).

    Reads the log as :func:`acquisition_cohorts` does (``refunds`` likewise); the notes count the rows left out.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-01", "2026-02-01", "2026-02-02"],
    ...                     "amount": [10.0, 5.0, 20.0]})
    >>> cohort_revenue(log).loc["2026-01"].tolist()
    [10.0, 5.0]
    """
    notes = Notes()
    frame = _prepared(log, customer, date, amount, function="cohort_revenue", notes=notes, refunds=refunds)
    table = frame.pivot_table(index="cohort_month", columns="month", values="amount", aggfunc="sum", fill_value=0.0)
    table.index = table.index.astype(str)
    table.columns = table.columns.astype(str)
    return notes.attach(table.rename_axis(index="cohort_month", columns="month"), keep_index=True)


@checked
def retention_matrix(log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date") -> pd.DataFrame:
    """Percent of each acquisition cohort buying N months after its first month (rows cohorts, columns N).

    Month 0 is the acquisition month itself, so it is 100%. Cells that lie beyond the end of the log are empty.

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-01", "2026-02-01", "2026-01-05"]})
    >>> retention_matrix(log).loc["2026-01"].tolist()
    [100.0, 50.0]
    """
    notes = Notes()
    frame = _prepared(log, customer, date, None, function="retention_matrix", notes=notes)
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
    return notes.attach(matrix.rename_axis(index="cohort_month", columns="months_since"), keep_index=True)


@checked
def retention_curve(log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date") -> pd.DataFrame:
    """The retention curve: percent of customers buying N months after their first month, over all cohorts.

    Only customers whose N-th month lies inside the log count towards month N.

    Returns:
        months_since, customers (observable that month), active, retention_rate (percent).

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-01", "2026-02-01", "2026-01-05"]})
    >>> retention_curve(log)["retention_rate"].tolist()
    [100.0, 50.0]

    """
    notes = Notes()
    frame = _prepared(log, customer, date, None, function="retention_curve", notes=notes)
    last = frame["month"].max()
    cohorts = frame.drop_duplicates("customer")[["customer", "cohort_month"]]
    horizon = (last.year * 12 + last.month - 1) - _month_number(cohorts["cohort_month"])
    months = range(int(horizon.max()) + 1 if len(horizon) else 0)
    observable = [int((horizon >= m).sum()) for m in months]
    active = frame.drop_duplicates(["customer", "months_since"]).groupby("months_since")["customer"].count()
    result = pd.DataFrame({"months_since": list(months), "customers": observable})
    result["active"] = result["months_since"].map(active).fillna(0).astype("int64")
    result["retention_rate"] = percent(result["active"], result["customers"])
    return finish(result, notes=notes)
