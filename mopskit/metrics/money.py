"""Money metrics: cost per lead, customer acquisition cost, ROMI, pipeline generated, budget variance.

Spend comes from the campaign list (dated by the campaign's start), leads and customers from the contacts
(dated by creation and by the customer milestone), so each figure of a period is dated the way finance and
the CRM date it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import ParameterError
from ..i18n import _
from ._common import (
    add_rates,
    as_keys,
    check_keys,
    check_period,
    finish,
    month_of,
    rate,
    require_columns,
    to_datetime,
)
from .funnel import reached

__all__ = ["budget_variance", "channel_economics", "romi"]


def romi(revenue: float, spend: float) -> float:
    """Return on marketing investment in percent: (revenue - spend) / spend × 100; NaN when nothing was spent.

    >>> romi(15_000, 10_000)
    50.0
    >>> romi(5_000, 0)
    nan
    """
    return rate(revenue - spend, spend)


def _in_period(dates: pd.Series, start: str | None, end: str | None, *, function: str) -> pd.Series:
    start, end = check_period(start, end, function=function)
    stamps = to_datetime(dates)
    keep = stamps.notna()
    if start:
        keep &= stamps >= pd.Timestamp(start)
    if end:
        keep &= stamps < pd.Timestamp(end) + pd.Timedelta(days=1)
    return keep


def channel_economics(
    campaigns: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "channel",
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Spend, leads, pipeline, customers and won revenue per channel, with CPL, CAC and (source-channel) ROMI.

    Args:
        campaigns: the ``campaigns`` table (spend, dated by ``start_date``).
        contacts: the ``contacts`` table (leads dated by ``created_at``, opportunities by ``opportunity_at``,
            customers and revenue by ``customer_at``; the channel is ``source_channel``).
        by: ``"channel"``, ``"month"``, both, or None for one row.
        start: first day of the period.
        end: last day of the period (inclusive).

    Returns:
        The ``by`` columns, then spend, leads, pipeline_generated (new opportunities), customers, won_revenue,
        cost_per_lead, customer_acquisition_cost (money) and romi (percent, revenue credited to the contact's
        source channel; see :mod:`mopskit.metrics.attribution` for other models).

    >>> from mopskit.data import load
    >>> table = channel_economics(load("campaigns"), load("contacts"))
    >>> float(table.set_index("channel").loc["referral", "spend"])
    0.0

    """
    keys = as_keys(by)
    check_keys(keys, ["channel", "month"], function="channel_economics")
    require_columns(campaigns, table="campaigns", columns=["channel", "start_date", "spend"])
    require_columns(
        contacts,
        table="contacts",
        columns=["source_channel", "created_at", "opportunity_at", "customer_at", "deal_amount"],
    )
    parts = []
    spent = campaigns[_in_period(campaigns["start_date"], start, end, function="channel_economics")]
    parts.append(
        pd.DataFrame({"channel": spent["channel"], "month": month_of(spent["start_date"]), "spend": spent["spend"]})
    )
    flags = reached(contacts)
    for column, date, mask in (
        ("leads", "created_at", flags["leads"]),
        ("pipeline_generated", "opportunity_at", flags["opportunities"]),
        ("customers", "customer_at", flags["customers"]),
    ):
        chosen = contacts[mask & _in_period(contacts[date], start, end, function="channel_economics")]
        parts.append(pd.DataFrame({"channel": chosen["source_channel"], "month": month_of(chosen[date]), column: 1}))
        if column == "customers":
            revenue = chosen["deal_amount"].astype("float64")
            parts.append(
                pd.DataFrame(
                    {"channel": chosen["source_channel"], "month": month_of(chosen[date]), "won_revenue": revenue}
                )
            )
    stacked = pd.concat(parts, ignore_index=True)
    measures = ["spend", "leads", "pipeline_generated", "customers", "won_revenue"]
    for column in measures:
        if column not in stacked.columns:
            stacked[column] = 0
    stacked[measures] = stacked[measures].fillna(0)
    if keys:
        result = stacked.groupby(keys, dropna=False, sort=True)[measures].sum().reset_index()
    else:
        result = stacked[measures].sum().to_frame().T
    for column in ("leads", "pipeline_generated", "customers"):
        result[column] = result[column].astype("int64")
    for column in ("spend", "won_revenue"):
        result[column] = result[column].astype("float64").round(2)
    notes: list[str] = []
    result = add_rates(
        result,
        {"cost_per_lead": ("spend", "leads"), "customer_acquisition_cost": ("spend", "customers")},
        keys,
        notes=notes,
        scale=1.0,
    )
    result["net_return"] = result["won_revenue"] - result["spend"]
    result = add_rates(result, {"romi": ("net_return", "spend")}, keys, notes=notes)
    free = result[(result["spend"] == 0) & (result["leads"] > 0)]
    if len(free) and "channel" in keys:
        notes.append(
            _(
                "{channels}: no campaign spend (organic or unpaid channels), so their cost per lead and CAC are 0."
            ).format(channels=", ".join(sorted(set(free["channel"].astype(str)))))
        )
    return finish(result.drop(columns="net_return"), notes=notes)


def budget_variance(
    budget: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = ("month", "channel"),
    tolerance_pct: float = 5.0,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Actual spend against plan and forecast, with overspend flags.

    Args:
        budget: the ``budget`` table (month, channel, planned, forecast, actual; actual empty while a month is
            open).
        by: ``"month"``, ``"channel"``, both (the default) or None. Totals count closed months only, so a plan
            is compared with spend of the same months.
        tolerance_pct: a variance within ± this percent of plan counts as on plan.
        start: first month (``YYYY-MM``, or a date in it).
        end: last month (inclusive).

    Returns:
        The ``by`` columns, then months (closed ones counted), open_months, planned, forecast, actual, variance
        (actual - planned), variance_pct, forecast_variance (actual - forecast), forecast_variance_pct,
        over_plan, over_forecast and flag: ``overspend``, ``underspend``, ``on plan`` or ``open`` (no actual
        yet).

    >>> b = pd.DataFrame({"month": ["2026-01", "2026-02"], "channel": ["seo", "seo"],
    ...                   "planned": [100.0, 100.0], "forecast": [110.0, 100.0], "actual": [120.0, None]})
    >>> budget_variance(b)[["variance_pct", "over_forecast", "flag"]].values.tolist()
    [[20.0, True, 'overspend'], [nan, False, 'open']]

    """
    if tolerance_pct < 0:
        raise ParameterError(
            _("'tolerance_pct' must be 0 or more (got {tolerance_pct})").format(tolerance_pct=tolerance_pct)
        )
    keys = as_keys(by)
    check_keys(keys, ["month", "channel"], function="budget_variance")
    require_columns(budget, table="budget", columns=["month", "channel", "planned", "forecast", "actual"])
    frame = budget.copy()
    frame["month"] = month_of(frame["month"]) if not _is_month_text(frame["month"]) else frame["month"].astype(str)
    if start:
        frame = frame[frame["month"] >= str(start)[:7]]
    if end:
        frame = frame[frame["month"] <= str(end)[:7]]
    closed = frame["actual"].notna()
    frame["months"] = closed.astype("int64")
    frame["open_months"] = (~closed).astype("int64")
    per_row = set(keys) == {"month", "channel"}
    if not per_row:  # totals: compare the plan of closed months with their spend
        for column in ("planned", "forecast"):
            frame[column] = frame[column].astype("float64").where(closed, 0.0)
    measures = ["months", "open_months", "planned", "forecast", "actual"]
    if keys:
        result = frame.groupby(keys, sort=True)[measures].sum(min_count=1).reset_index()
    else:
        result = frame[measures].sum(min_count=1).to_frame().T
    result["actual"] = result["actual"].where(result["months"] > 0)
    if not per_row:
        result[["planned", "forecast"]] = result[["planned", "forecast"]].where(result["months"] > 0)
    for column in ("months", "open_months"):
        result[column] = result[column].fillna(0).astype("int64")
    result["variance"] = result["actual"] - result["planned"]
    result["forecast_variance"] = result["actual"] - result["forecast"]
    notes: list[str] = []
    closed_rows = result[result["months"] > 0]
    result = add_rates(result, {"variance_pct": ("variance", "planned")}, keys, notes=notes)
    result = add_rates(result, {"forecast_variance_pct": ("forecast_variance", "forecast")}, keys, notes=notes)
    result["over_plan"] = (result["variance"] > 0).fillna(False).astype(bool)
    result["over_forecast"] = (result["forecast_variance"] > 0).fillna(False).astype(bool)
    flag = pd.Series("on plan", index=result.index, dtype=object)
    flag[result["variance_pct"] > tolerance_pct] = "overspend"
    flag[result["variance_pct"] < -tolerance_pct] = "underspend"
    flag[result["months"] == 0] = "open"
    result["flag"] = flag
    open_total = int(frame["open_months"].sum())
    if open_total and not per_row:
        notes.append(
            _(
                "{n} month-channel rows have no actual spend yet (open months); totals compare closed months only."
            ).format(n=open_total)
        )
    if closed_rows.empty:
        notes.append(_("No month in the period is closed yet, so there is no actual spend to compare."))
    columns = [*keys, "months", "open_months", "planned", "forecast", "actual", "variance", "variance_pct"]
    columns += ["forecast_variance", "forecast_variance_pct", "over_plan", "over_forecast", "flag"]
    return finish(result[columns], notes=notes)


def _is_month_text(values: pd.Series) -> bool:
    return bool(values.dropna().astype(str).str.fullmatch(r"\d{4}-\d{2}").all())
