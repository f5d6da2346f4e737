"""Money metrics: cost per lead, customer acquisition cost, ROMI, pipeline generated, budget variance.

Spend comes from the campaign list (dated by the campaign's start), leads and customers from the contacts
(dated by creation and by the customer milestone), so each figure of a period is dated the way finance and
the CRM date it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .._validate import (
    Notes,
    amounts,
    as_keys,
    check_keys,
    checked,
    dates,
    finish,
    money,
    month,
    months,
    number,
    problem,
)
from ..errors import ParameterError
from ..i18n import _
from ._common import (
    CONTACT_DATES,
    add_rates,
    exclude_outside,
    in_period,
    label_missing,
    month_of,
    parsed,
    rate,
    require_columns,
    table_label,
)
from .funnel import reached_stages

__all__ = ["budget_variance", "campaign_spend", "channel_economics", "romi"]


@checked
def romi(revenue: float, spend: float) -> float:
    """Return on marketing investment in percent: (revenue - spend) / spend × 100; NaN when nothing was spent.

    Both amounts are money (0 or more); text such as ``"$1,200"`` is read, ``"abc"``, NaN and True/False are
    refused with a :class:`~mopskit.errors.ParameterError`.

    >>> romi(15_000, 10_000)
    50.0
    >>> romi(5_000, 0)
    nan
    """
    revenue = money(revenue, "revenue", function="romi")
    spend = money(spend, "spend", function="romi")
    return rate(revenue - spend, spend)


def campaign_spend(campaigns: pd.DataFrame, *, start: Any, end: Any, function: str, notes: Notes) -> pd.DataFrame:
    """The campaigns' spend read one way: channel, month (of the start date), spend, and whether it is unknown.

    Spend must be money, 0 or more. A campaign with no channel is counted under ``(no channel)``; one whose
    spend is empty keeps its place but makes its group's spend unknown (never 0, which would read as organic);
    one with no start date, or starting outside the period, is left out. The notes count each.
    """
    require_columns(campaigns, ["channel", "start_date", "spend"], table="campaigns", function=function)
    notes.rows("campaigns", len(campaigns))
    label = table_label("campaigns")
    frame = pd.DataFrame(
        {
            "campaign_id": campaigns["campaign_id"] if "campaign_id" in campaigns.columns else campaigns.index,
            "channel": campaigns["channel"],
            "start_date": dates(campaigns["start_date"], function=function, table=label),
            "spend": amounts(campaigns["spend"], function=function, table=label),
        }
    )
    frame = label_missing(
        frame,
        "channel",
        table="campaigns",
        notes=notes,
        sentence=_("Campaigns with no channel, counted under '{label}': {n}."),
    )
    frame = exclude_outside(
        frame,
        frame["start_date"],
        start=start,
        end=end,
        function=function,
        table="campaigns",
        notes=notes,
        what=_("Campaigns"),
    )
    unknown = frame["spend"].isna()
    if unknown.any():
        listed = ", ".join(
            f"{c} ({ch})" for c, ch in frame.loc[unknown, ["campaign_id", "channel"]].head(10).itertuples(index=False)
        )
        notes.add(
            _(
                "The spend is empty for {n} campaign(s): {listed}. Their channel's spend, cost per lead, CAC and "
                "ROMI are left empty rather than counted as 0; fill in the spend (0 for a free campaign)."
            ).format(n=int(unknown.sum()), listed=listed)
        )
        notes.quality["campaigns_without_spend"] = [str(c) for c in frame.loc[unknown, "campaign_id"]]
    return pd.DataFrame(
        {
            "channel": frame["channel"],
            "month": month_of(frame["start_date"]),
            "spend": frame["spend"].fillna(0.0),
            "spend_unknown": unknown.astype("int64"),
        }
    )


@checked
def channel_economics(
    campaigns: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "channel",
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
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
    function = "channel_economics"
    keys = as_keys(by)
    check_keys(keys, ["channel", "month"], function=function)
    require_columns(
        contacts,
        ["source_channel", "created_at", "opportunity_at", "customer_at", "deal_amount"],
        table="contacts",
        function=function,
    )
    notes = Notes()
    parts = [campaign_spend(campaigns, start=start, end=end, function=function, notes=notes)]
    people = parsed(contacts, function=function, table="contacts", date_columns=CONTACT_DATES, money=["deal_amount"])
    notes.rows("contacts", len(people))
    people = label_missing(
        people,
        "source_channel",
        table="contacts",
        notes=notes,
        sentence=_("Contacts with no source channel, counted under '{label}': {n}."),
    )
    flags = reached_stages(people, function=function, notes=notes)
    if start not in (None, "") or end not in (None, ""):
        notes.exclude(
            "contacts",
            people["created_at"].isna(),
            _("Contacts with no created_at date, not counted as leads of the period: {n}."),
            reason="no created_at",
        )
    for column, date, mask in (
        ("leads", "created_at", flags["leads"]),
        ("pipeline_generated", "opportunity_at", flags["opportunities"]),
        ("customers", "customer_at", flags["customers"]),
    ):
        chosen = people[mask]
        if start not in (None, "") or end not in (None, ""):
            dated = chosen[date].notna()
            chosen = chosen[dated & in_period(chosen[date], start, end, function=function)]
        parts.append(pd.DataFrame({"channel": chosen["source_channel"], "month": month_of(chosen[date]), column: 1}))
        if column == "customers":
            no_value = chosen["deal_amount"].isna()
            if no_value.any():
                notes.add(
                    _("{n} customers have no deal amount; they count as customers, their revenue as 0.").format(
                        n=int(no_value.sum())
                    )
                )
            parts.append(
                pd.DataFrame(
                    {
                        "channel": chosen["source_channel"],
                        "month": month_of(chosen[date]),
                        "won_revenue": chosen["deal_amount"].fillna(0.0),
                    }
                )
            )
    stacked = pd.concat(parts, ignore_index=True)
    measures = ["spend", "leads", "pipeline_generated", "customers", "won_revenue", "spend_unknown"]
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
    result["spend"] = result["spend"].where(result["spend_unknown"] == 0)
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
        notes.add(
            _(
                "{channels}: no campaign spend (organic or unpaid channels), so their cost per lead and CAC are 0."
            ).format(channels=", ".join(sorted(set(free["channel"].astype(str)))))
        )
    return finish(result.drop(columns=["net_return", "spend_unknown"]), notes=notes)


@checked
def budget_variance(
    budget: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = ("month", "channel"),
    tolerance_pct: float = 5.0,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
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
        over_plan, over_forecast and flag: ``overspend``, ``underspend``, ``on plan``, ``open`` (no actual
        yet) or ``no plan`` (spend against a plan that is empty or 0). Money cells may be numbers or text such
        as ``"$1,200.00"``; anything else, or a negative amount, is refused with its row. Rows with no month, or
        outside ``start``..``end``, are left out and counted in the notes; rows with no channel are counted
        under ``(no channel)``.

    >>> b = pd.DataFrame({"month": ["2026-01", "2026-02"], "channel": ["seo", "seo"],
    ...                   "planned": [100.0, 100.0], "forecast": [110.0, 100.0], "actual": [120.0, None]})
    >>> budget_variance(b)[["variance_pct", "over_forecast", "flag"]].values.tolist()
    [[20.0, True, 'overspend'], [nan, False, 'open']]

    """
    function = "budget_variance"
    tolerance_pct = number(tolerance_pct, "tolerance_pct", function=function, minimum=0)
    keys = as_keys(by)
    check_keys(keys, ["month", "channel"], function=function)
    require_columns(budget, ["month", "channel", "planned", "forecast", "actual"], table="budget", function=function)
    first = month(start, "start", function=function) if start not in (None, "") else None
    last = month(end, "end", function=function) if end not in (None, "") else None
    if first and last and first > last:
        raise ParameterError(
            problem(function, "start", _("on or before 'end' ({end})").format(end=last), first, fix=_("swap them"))
        )
    notes = Notes()
    notes.rows("budget", len(budget))
    label = table_label("budget")
    frame = budget.copy()
    frame["month"] = months(frame["month"], function=function, table=label)
    for column in ("planned", "forecast", "actual"):
        frame[column] = amounts(frame[column], function=function, table=label)
    frame = label_missing(
        frame,
        "channel",
        table="budget",
        notes=notes,
        sentence=_("Budget rows with no channel, counted under '{label}': {n}."),
    )
    undated = frame["month"].isna()
    notes.exclude("budget", undated, _("Budget rows with no month, left out: {n}."), reason="no month")
    frame = frame[~undated]
    inside = pd.Series(True, index=frame.index)
    if first:
        inside &= frame["month"] >= first
    if last:
        inside &= frame["month"] <= last
    notes.exclude(
        "budget", ~inside, _("Budget rows outside the months chosen, left out: {n}."), reason="outside the period"
    )
    frame = frame[inside]
    no_plan = frame["planned"].isna()
    if no_plan.any():
        notes.add(
            _("{n} budget row(s) have no planned amount; their variance against plan is left empty.").format(
                n=int(no_plan.sum())
            )
        )
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
    for column in ("planned", "forecast", "actual"):
        result[column] = result[column].astype("float64")
    result["variance"] = result["actual"] - result["planned"]
    result["forecast_variance"] = result["actual"] - result["forecast"]
    closed_rows = result[result["months"] > 0]
    result = add_rates(result, {"variance_pct": ("variance", "planned")}, keys, notes=notes)
    result = add_rates(result, {"forecast_variance_pct": ("forecast_variance", "forecast")}, keys, notes=notes)
    result["over_plan"] = (result["variance"] > 0).fillna(False).astype(bool)
    result["over_forecast"] = (result["forecast_variance"] > 0).fillna(False).astype(bool)
    flag = pd.Series("on plan", index=result.index, dtype=object)
    flag[result["variance_pct"] > tolerance_pct] = "overspend"
    flag[result["variance_pct"] < -tolerance_pct] = "underspend"
    flag[result["variance_pct"].isna() & (result["months"] > 0)] = "no plan"
    flag[result["months"] == 0] = "open"
    result["flag"] = flag
    open_total = int(frame["open_months"].sum())
    if open_total and not per_row:
        notes.add(
            _(
                "{n} month-channel rows have no actual spend yet (open months); totals compare closed months only."
            ).format(n=open_total)
        )
    if closed_rows.empty:
        notes.add(_("No month in the period is closed yet, so there is no actual spend to compare."))
    columns = [*keys, "months", "open_months", "planned", "forecast", "actual", "variance", "variance_pct"]
    columns += ["forecast_variance", "forecast_variance_pct", "over_plan", "over_forecast", "flag"]
    return finish(result[columns], notes=notes)
