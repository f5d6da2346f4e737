"""Attribution: share each won deal among the channels that touched the customer before it, by a rule.

Models (each deal's credit sums to its value):

- ``first_touch``: all to the first touch.
- ``last_touch``: all to the last touch before the deal.
- ``linear``: equal shares.
- ``time_decay``: a touch ``d`` days before the deal weighs ``0.5 ** (d / half_life_days)`` (7 days by default).
- ``position_based`` (U-shaped): 40% first, 40% last, 20% shared by the touches between; one touch gets 100%,
  two touches 50% each.

Only touches on or before the deal's date count. A customer with none is reported under ``(no touchpoint)``
so the credit still sums to the revenue attributed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validate import Notes, checked, choice, finish, missing_keys, number
from ..i18n import _
from ._common import add_rates, in_period, label_missing, parsed, require_columns

__all__ = ["MODELS", "attribute", "compare_models", "touch_credits"]

MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
NO_TOUCH = "(no touchpoint)"


def _conversions(contacts: pd.DataFrame, start: Any, end: Any, *, function: str, notes: Notes) -> pd.DataFrame:
    """One row per won deal in the period: deal (a number), contact_id, converted_at, revenue, day_only."""
    require_columns(contacts, ["contact_id", "customer_at", "deal_amount"], table="contacts", function=function)
    notes.rows("contacts", len(contacts))
    people = parsed(contacts, function=function, table="contacts", date_columns=["customer_at"], money=["deal_amount"])
    won = people[people["customer_at"].notna()]
    if start not in (None, "") or end not in (None, ""):
        inside = in_period(won["customer_at"], start, end, function=function)
        notes.exclude(
            "contacts", ~inside, _("Deals won outside the period, left out: {n}."), reason="outside the period"
        )
        won = won[inside]
    no_value = won["deal_amount"].isna()
    if no_value.any():
        notes.add(
            _("{n} customers have no deal amount; they count as conversions worth 0.").format(n=int(no_value.sum()))
        )
    no_id = missing_keys(won["contact_id"])
    if no_id.any():
        notes.add(
            _(
                "{n} customers have no contact id, so no touch can be matched; their revenue is shown as '{label}'."
            ).format(n=int(no_id.sum()), label=NO_TOUCH)
        )
    converted = won["customer_at"]
    return pd.DataFrame(
        {
            "deal": np.arange(len(won)),
            "contact_id": won["contact_id"].astype(object).where(~no_id, None),
            "converted_at": converted,
            "revenue": won["deal_amount"].fillna(0.0).astype("float64"),
            "day_only": (converted == converted.dt.normalize()).to_numpy(),
        }
    )


def _touches(touchpoints: pd.DataFrame, *, function: str, notes: Notes) -> pd.DataFrame:
    require_columns(touchpoints, ["contact_id", "occurred_at", "channel"], table="touchpoints", function=function)
    notes.rows("touchpoints", len(touchpoints))
    touches = parsed(
        touchpoints[["contact_id", "occurred_at", "channel"]],
        function=function,
        table="touchpoints",
        date_columns=["occurred_at"],
    )
    touches = label_missing(
        touches,
        "channel",
        table="touchpoints",
        notes=notes,
        sentence=_("Touches with no channel, credited under '{label}': {n}."),
    )
    no_id = missing_keys(touches["contact_id"])
    notes.exclude(
        "touchpoints",
        no_id,
        _("Touches with no contact id, left out (no deal to credit): {n}."),
        reason="no contact_id",
    )
    undated = touches["occurred_at"].isna() & ~no_id
    notes.exclude(
        "touchpoints",
        undated,
        _("Touches with no date, left out (their order is unknown): {n}."),
        reason="no occurred_at",
    )
    return touches[~no_id & ~undated]


@checked
def touch_credits(
    touchpoints: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    model: str = "linear",
    half_life_days: float = 7.0,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> pd.DataFrame:
    """Return one row per touch that counts, with its weight and the credit (share of revenue) it earns.

    Args:
        touchpoints: the ``touchpoints`` table (contact_id, occurred_at, channel).
        contacts: the ``contacts`` table (customers are those with ``customer_at``; value ``deal_amount``).
        model: one of first_touch, last_touch, linear, time_decay, position_based.
        half_life_days: for time_decay, the age in days at which a touch weighs half as much.
        start: first day of the period (deals won on or after it).
        end: last day of the period (inclusive).

    A touch counts when it happened on or before the deal; when the deal's date has no time (midnight), any
    touch on that day counts. Weights are shares of each deal, so the credits of a deal sum to its value
    whatever the ages (time decay is computed relative to the deal's newest touch, so it never underflows).
    Touches with no channel are credited under ``(no channel)``; touches with no contact id or no date, and
    deals outside the period, are left out and counted in the notes.

    >>> touches = pd.DataFrame({"contact_id": ["c"] * 3, "channel": ["seo", "email", "webinar"],
    ...                         "occurred_at": ["2026-01-01", "2026-01-05", "2026-01-09"]})
    >>> won = pd.DataFrame({"contact_id": ["c"], "customer_at": ["2026-01-10"], "deal_amount": [1000.0]})
    >>> touch_credits(touches, won, model="position_based")["credit"].tolist()
    [400.0, 200.0, 400.0]

    """
    return _credits(touchpoints, contacts, model, half_life_days, start, end, function="touch_credits")


def _credits(
    touchpoints: pd.DataFrame,
    contacts: pd.DataFrame,
    model: Any,
    half_life_days: Any,
    start: Any,
    end: Any,
    *,
    function: str,
) -> pd.DataFrame:
    model = choice(model, "model", MODELS, function=function)
    half_life_days = number(half_life_days, "half_life_days", function=function, above=0)
    notes = Notes()
    won = _conversions(contacts, start, end, function=function, notes=notes)
    touches = _touches(touchpoints, function=function, notes=notes)
    joined = won.merge(touches, on="contact_id", how="inner")
    counts = (joined["occurred_at"] <= joined["converted_at"]) | (
        joined["day_only"] & (joined["occurred_at"].dt.normalize() <= joined["converted_at"])
    )
    kept = joined[counts].sort_values(["deal", "occurred_at"], kind="stable")
    untouched = won[~won["deal"].isin(set(kept["deal"]))]
    if len(untouched):
        notes.add(
            _("{n} customers had no touchpoint on or before their deal; their revenue is shown as '{label}'.").format(
                n=len(untouched), label=NO_TOUCH
            )
        )
        kept = pd.concat(
            [kept, untouched.assign(occurred_at=untouched["converted_at"], channel=NO_TOUCH)], ignore_index=True
        )
    kept = kept.reset_index(drop=True)
    group = kept.groupby("deal", sort=False)
    position = group.cumcount().to_numpy()
    n = group["deal"].transform("size").to_numpy()
    if model == "first_touch":
        weight = (position == 0).astype(float)
    elif model == "last_touch":
        weight = (position == n - 1).astype(float)
    elif model == "linear":
        weight = 1.0 / n
    elif model == "time_decay":
        age = ((kept["converted_at"] - kept["occurred_at"]).dt.total_seconds() / 86_400).clip(lower=0)
        newest = age.groupby(kept["deal"]).transform("min")
        raw = 0.5 ** ((age - newest) / half_life_days)  # the newest touch weighs 1, so the sum never underflows
        weight = (raw / raw.groupby(kept["deal"]).transform("sum")).to_numpy()
    else:
        ends = (position == 0) | (position == n - 1)
        middle_share = np.where(n > 2, 0.2 / np.maximum(n - 2, 1), 0.0)
        weight = np.select([n == 1, n == 2, ends], [1.0, 0.5, 0.4], default=middle_share)
    result = kept.assign(weight=weight, credit=weight * kept["revenue"].to_numpy())
    result = result[["contact_id", "occurred_at", "channel", "converted_at", "revenue", "weight", "credit"]]
    notes.quality["revenue"] = float(won["revenue"].sum())
    return finish(result, notes=notes)


@checked
def attribute(
    touchpoints: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    model: str = "linear",
    half_life_days: float = 7.0,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> pd.DataFrame:
    """Credit won revenue to channels under one attribution model.

    Takes the same arguments as :func:`touch_credits`, and reads the tables the same way.

    Returns:
        channel, conversions (fractional: a deal shared by two channels gives each 0.5) and revenue (credit).
        Its revenue column sums to the revenue of the deals won in the period; touches with no channel are
        credited under ``(no channel)``, deals with no touch before them under ``(no touchpoint)``.

    >>> from mopskit.data import load
    >>> credit = attribute(load("touchpoints"), load("contacts"), model="last_touch")
    >>> round(credit["revenue"].sum()) == round(load("contacts")["deal_amount"].sum())
    True

    """
    credits = _credits(touchpoints, contacts, model, half_life_days, start, end, function="attribute")
    return _by_channel(credits)


def _by_channel(credits: pd.DataFrame) -> pd.DataFrame:
    result = (
        credits.groupby("channel", sort=True)
        .agg(conversions=("weight", "sum"), revenue=("credit", "sum"))
        .reset_index()
    )
    notes = Notes()
    notes.merge(credits)
    notes.quality.update({k: v for k, v in credits.attrs.get("data_quality", {}).items() if k != "rows"})
    return finish(result, notes=notes)


@checked
def compare_models(
    touchpoints: pd.DataFrame,
    contacts: pd.DataFrame,
    campaigns: pd.DataFrame,
    *,
    models: Sequence[str] = MODELS,
    half_life_days: float = 7.0,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> pd.DataFrame:
    """Revenue and ROMI per channel under several attribution models, side by side.

    Args:
        touchpoints: the ``touchpoints`` table.
        contacts: the ``contacts`` table.
        campaigns: the ``campaigns`` table, for each channel's spend (campaigns starting in the period); spend
            is read as :func:`mopskit.metrics.channel_economics` reads it (never negative; empty is unknown).
        models: the models to compare.
        half_life_days: for time_decay.
        start: first day of the period.
        end: last day of the period (inclusive).

    Returns:
        channel, spend, then ``revenue_<model>`` for each model, then ``romi_<model>`` (percent) for each, then
        ``rank_<model>`` (1 = best ROMI). ROMI is empty for channels with no spend or an unknown one, and the
        notes say so.

    >>> from mopskit.data import load
    >>> table = compare_models(load("touchpoints"), load("contacts"), load("campaigns"))
    >>> [c for c in table.columns if c.startswith("romi_")][:2]
    ['romi_first_touch', 'romi_last_touch']

    """
    from .money import campaign_spend

    function = "compare_models"
    if isinstance(models, str):
        models = [models]
    models = [choice(m, "models", MODELS, function=function) for m in models]
    notes = Notes()
    spent = campaign_spend(campaigns, start=start, end=end, function=function, notes=notes)
    grouped = spent.groupby("channel")[["spend", "spend_unknown"]].sum()
    table = grouped["spend"].where(grouped["spend_unknown"] == 0).rename("spend").to_frame()
    for model in models:
        credits = _credits(touchpoints, contacts, model, half_life_days, start, end, function=function)
        credit = _by_channel(credits)
        table = table.join(credit.set_index("channel")["revenue"].rename(f"revenue_{model}"), how="outer")
        notes.merge(credit)
    table = table.fillna({c: 0.0 for c in table.columns if c != "spend"})
    table.loc[~table.index.isin(grouped.index), "spend"] = 0.0  # channels with no campaign: unpaid
    table = table.rename_axis("channel").reset_index().sort_values("channel").reset_index(drop=True)
    for model in models:
        table[f"net_{model}"] = table[f"revenue_{model}"] - table["spend"]
    table = add_rates(table, {f"romi_{m}": (f"net_{m}", "spend") for m in models}, ["channel"], notes=notes)
    for model in models:
        table[f"rank_{model}"] = table[f"romi_{model}"].rank(ascending=False, method="min").astype("Int64")
    table = table.drop(columns=[f"net_{m}" for m in models])
    return finish(table, notes=notes)
