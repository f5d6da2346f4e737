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

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import _
from ._common import add_rates, check_period, finish, require_columns, to_datetime

__all__ = ["MODELS", "attribute", "compare_models", "touch_credits"]

MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
NO_TOUCH = "(no touchpoint)"


def _conversions(
    contacts: pd.DataFrame, start: str | None, end: str | None, *, function: str
) -> tuple[pd.DataFrame, list[str]]:
    require_columns(contacts, ["contact_id", "customer_at", "deal_amount"], table="contacts")
    start, end = check_period(start, end, function=function)
    won = contacts.assign(converted_at=to_datetime(contacts["customer_at"]))
    won = won[won["converted_at"].notna()]
    if start:
        won = won[won["converted_at"] >= pd.Timestamp(start)]
    if end:
        won = won[won["converted_at"] < pd.Timestamp(end) + pd.Timedelta(days=1)]
    notes = []
    no_value = won["deal_amount"].isna()
    if no_value.any():
        notes.append(
            _("{n} customers have no deal amount; they count as conversions worth 0.").format(n=int(no_value.sum()))
        )
    won = won.assign(revenue=won["deal_amount"].astype("float64").fillna(0.0))
    return won[["contact_id", "converted_at", "revenue"]], notes


def touch_credits(
    touchpoints: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    model: str = "linear",
    half_life_days: float = 7.0,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Return one row per touch that counts, with its weight and the credit (share of revenue) it earns.

    Args:
        touchpoints: the ``touchpoints`` table (contact_id, occurred_at, channel).
        contacts: the ``contacts`` table (customers are those with ``customer_at``; value ``deal_amount``).
        model: one of first_touch, last_touch, linear, time_decay, position_based.
        half_life_days: for time_decay, the age in days at which a touch weighs half as much.
        start: first day of the period (deals won on or after it).
        end: last day of the period (inclusive).

    >>> touches = pd.DataFrame({"contact_id": ["c"] * 3, "channel": ["seo", "email", "webinar"],
    ...                         "occurred_at": ["2026-01-01", "2026-01-05", "2026-01-09"]})
    >>> won = pd.DataFrame({"contact_id": ["c"], "customer_at": ["2026-01-10"], "deal_amount": [1000.0]})
    >>> touch_credits(touches, won, model="position_based")["credit"].tolist()
    [400.0, 200.0, 400.0]

    """
    if model not in MODELS:
        raise ParameterError(
            _("unknown attribution model '{model}'; valid: {valid}").format(model=model, valid=", ".join(MODELS))
        )
    if not half_life_days > 0:
        raise ParameterError(
            _("'half_life_days' must be more than 0 (got {half_life_days})").format(half_life_days=half_life_days)
        )
    require_columns(touchpoints, ["contact_id", "occurred_at", "channel"], table="touchpoints")
    won, notes = _conversions(contacts, start, end, function="touch_credits")
    touches = touchpoints[["contact_id", "occurred_at", "channel"]].assign(
        occurred_at=to_datetime(touchpoints["occurred_at"])
    )
    joined = won.merge(touches, on="contact_id", how="left")
    counts = joined["occurred_at"].notna() & (joined["occurred_at"] <= joined["converted_at"])
    kept = joined[counts].sort_values(["contact_id", "occurred_at"], kind="stable")
    untouched = won[~won["contact_id"].isin(set(kept["contact_id"]))]
    if len(untouched):
        notes.append(
            _("{n} customers had no touchpoint on or before their deal; their revenue is shown as '{label}'.").format(
                n=len(untouched), label=NO_TOUCH
            )
        )
        kept = pd.concat(
            [kept, untouched.assign(occurred_at=untouched["converted_at"], channel=NO_TOUCH)], ignore_index=True
        )
    group = kept.groupby("contact_id", sort=False)
    position = group.cumcount().to_numpy()
    n = group["contact_id"].transform("size").to_numpy()
    if model == "first_touch":
        weight = (position == 0).astype(float)
    elif model == "last_touch":
        weight = (position == n - 1).astype(float)
    elif model == "linear":
        weight = 1.0 / n
    elif model == "time_decay":
        age = (kept["converted_at"] - kept["occurred_at"]).dt.total_seconds().to_numpy() / 86_400
        raw = pd.Series(0.5 ** (age / half_life_days), index=kept.index)
        weight = (raw / raw.groupby(kept["contact_id"]).transform("sum")).to_numpy()
    else:
        ends = (position == 0) | (position == n - 1)
        middle_share = np.where(n > 2, 0.2 / np.maximum(n - 2, 1), 0.0)
        weight = np.select([n == 1, n == 2, ends], [1.0, 0.5, 0.4], default=middle_share)
    result = kept.assign(weight=weight, credit=weight * kept["revenue"].to_numpy())
    result = result[["contact_id", "occurred_at", "channel", "converted_at", "revenue", "weight", "credit"]]
    return finish(result, notes=notes)


def attribute(
    touchpoints: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    model: str = "linear",
    half_life_days: float = 7.0,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Credit won revenue to channels under one attribution model.

    Returns:
        channel, conversions (fractional: a deal shared by two channels gives each 0.5) and revenue (credit).
        Its revenue column sums to the revenue of the deals won in the period.

    >>> from mopskit.data import load
    >>> credit = attribute(load("touchpoints"), load("contacts"), model="last_touch")
    >>> round(credit["revenue"].sum()) == round(load("contacts")["deal_amount"].sum())
    True

    """
    credits = touch_credits(touchpoints, contacts, model=model, half_life_days=half_life_days, start=start, end=end)
    result = (
        credits.groupby("channel", sort=True)
        .agg(conversions=("weight", "sum"), revenue=("credit", "sum"))
        .reset_index()
    )
    return finish(result, notes=credits.attrs.get("notes", []))


def compare_models(
    touchpoints: pd.DataFrame,
    contacts: pd.DataFrame,
    campaigns: pd.DataFrame,
    *,
    models: Sequence[str] = MODELS,
    half_life_days: float = 7.0,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Revenue and ROMI per channel under several attribution models, side by side.

    Args:
        touchpoints: the ``touchpoints`` table.
        contacts: the ``contacts`` table.
        campaigns: the ``campaigns`` table, for each channel's spend (campaigns starting in the period).
        models: the models to compare.
        half_life_days: for time_decay.
        start: first day of the period.
        end: last day of the period (inclusive).

    Returns:
        channel, spend, then ``revenue_<model>`` for each model, then ``romi_<model>`` (percent) for each, then
        ``rank_<model>`` (1 = best ROMI). ROMI is empty for channels with no spend, and the notes say so.

    >>> from mopskit.data import load
    >>> table = compare_models(load("touchpoints"), load("contacts"), load("campaigns"))
    >>> [c for c in table.columns if c.startswith("romi_")][:2]
    ['romi_first_touch', 'romi_last_touch']

    """
    from .money import _in_period

    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ParameterError(
            f"unknown attribution model(s) {', '.join(map(repr, unknown))}; valid: {', '.join(MODELS)}"
        )
    spent = campaigns[_in_period(campaigns["start_date"], start, end, function="compare_models")]
    table = spent.groupby("channel")["spend"].sum().rename("spend").to_frame()
    notes: list[str] = []
    for model in models:
        credit = attribute(touchpoints, contacts, model=model, half_life_days=half_life_days, start=start, end=end)
        table = table.join(credit.set_index("channel")["revenue"].rename(f"revenue_{model}"), how="outer")
        notes += [n for n in credit.attrs.get("notes", []) if n not in notes]
    table = table.fillna(0.0).reset_index().rename(columns={"index": "channel"}).sort_values("channel")
    table = table.reset_index(drop=True)
    for model in models:
        table[f"net_{model}"] = table[f"revenue_{model}"] - table["spend"]
    table = add_rates(table, {f"romi_{m}": (f"net_{m}", "spend") for m in models}, ["channel"], notes=notes)
    for model in models:
        table[f"rank_{model}"] = table[f"romi_{model}"].rank(ascending=False, method="min").astype("Int64")
    table = table.drop(columns=[f"net_{m}" for m in models])
    return finish(table, notes=notes)
