"""Where the funnel leaks: leads that stall in a stage, leads sales sends back (recycled) or rules out.

For each step of the funnel (lead to MQL, MQL to SQL, SQL to opportunity, opportunity to customer),
:func:`funnel_leakage` counts the contacts that reached the first stage and sorts them into advanced, lost
(recycled or disqualified by sales, MQL stage only), waiting (still there, within the stage's time limit) and
stalled (still there, past it). :func:`stage_ageing` says how long the contacts still in each stage have been
there; :func:`recycling` follows the leads sales sent back: why, after how long, and whether they came back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validate import checked
from ..i18n import _
from ._frames import finish, frame_columns, moment, to_utc

__all__ = ["STALLED_AFTER_DAYS", "funnel_leakage", "recycling", "stage_ageing"]

# How long a contact may sit in a stage before it counts as stalled (days): the kit's defaults.
STALLED_AFTER_DAYS: dict[str, float] = {"lead": 180, "mql": 14, "sql": 30, "opportunity": 90}
# Activities that show a lead is interested again (a page view or an email click alone does not).
SIGNALS = ("pricing_page_view", "demo_request", "webinar_attended", "content_download", "form_fill")
STEPS = (
    ("lead", "created_at", "mql", "mql_at"),
    ("mql", "mql_at", "sql", "sql_at"),
    ("sql", "sql_at", "opportunity", "opportunity_at"),
    ("opportunity", "opportunity_at", "customer", "customer_at"),
)
LOST = ("recycled", "disqualified")


def _frame(contacts: pd.DataFrame, as_of: Any, function: str) -> tuple[pd.DataFrame, pd.Timestamp]:
    columns = [c for _a, c, _b, _d in STEPS] + ["customer_at"]
    frame = frame_columns(
        contacts,
        table="contacts",
        needed=["contact_id", *dict.fromkeys(columns)],
        optional=["lifecycle_stage", "lead_status", "status_reason", "status_at", "source_channel", "owner"],
    ).copy()
    for column in dict.fromkeys([*columns, "status_at"]):
        if column in frame.columns:
            frame[column] = to_utc(frame[column], column=column, function=function)
    latest = frame[list(dict.fromkeys(columns))].max().max()
    cut = moment(as_of, name="as_of", function=function) if as_of is not None else latest
    if pd.isna(cut):
        cut = pd.Timestamp.now().floor("s")
    return frame, cut


def _limits(stalled_after: Mapping[str, float] | None, function: str) -> dict[str, float]:
    from .._validate import choice, number

    limits = dict(STALLED_AFTER_DAYS)
    for stage, days in dict(stalled_after or {}).items():
        name = choice(stage, "stalled_after", list(STALLED_AFTER_DAYS), function=function)
        limits[name] = number(days, f"stalled_after['{name}']", function=function, above=0)
    return limits


def _open_in(frame: pd.DataFrame, stage: str, entered: str, next_column: str) -> pd.Series:
    """Contacts that reached a stage, went no further and were not ruled out there."""
    here = frame[entered].notna() & frame[next_column].isna()
    if stage == "lead" and "lifecycle_stage" in frame.columns:
        here &= frame["lifecycle_stage"].astype("string").str.lower().ne("subscriber").fillna(True)
    if "lead_status" in frame.columns and stage in ("mql", "sql"):
        here &= ~frame["lead_status"].astype("string").str.lower().isin(LOST).fillna(False)
    return here


@checked
def stage_ageing(
    contacts: pd.DataFrame, *, as_of: Any = None, stalled_after: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """How long the contacts still in each stage have been there, and how many are stalled.

    Args:
        contacts: the ``contacts`` table.
        as_of: the moment ages are counted to (default: the latest milestone in the data).
        stalled_after: days per stage before a contact counts as stalled (defaults: ``STALLED_AFTER_DAYS``).

    Returns:
        One row per stage (lead, mql, sql, opportunity): in_stage, median_days, p90_days, oldest_days,
        stalled_after_days, stalled and stalled_pct (percent of those in the stage).

    >>> from mopskit.data import load
    >>> ageing = stage_ageing(load("contacts"))
    >>> ageing["stage"].tolist()
    ['lead', 'mql', 'sql', 'opportunity']

    """
    frame, cut = _frame(contacts, as_of, "stage_ageing")
    limits = _limits(stalled_after, "stage_ageing")
    rows = []
    for stage, entered, _next, next_column in STEPS:
        here = _open_in(frame, stage, entered, next_column) & (frame[entered] <= cut)
        days = (cut - frame.loc[here, entered]).dt.total_seconds() / 86_400
        stalled = int((days > limits[stage]).sum())
        rows.append(
            {
                "stage": stage,
                "in_stage": int(here.sum()),
                "median_days": days.median(),
                "p90_days": days.quantile(0.9) if len(days) else np.nan,
                "oldest_days": days.max(),
                "stalled_after_days": float(limits[stage]),
                "stalled": stalled,
                "stalled_pct": 100.0 * stalled / len(days) if len(days) else np.nan,
            }
        )
    return finish(pd.DataFrame(rows), notes=[_("Ages are counted to {cut:%Y-%m-%d %H:%M}.").format(cut=cut)])


@checked
def funnel_leakage(
    contacts: pd.DataFrame, *, as_of: Any = None, stalled_after: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Where leads leave the funnel at each step: advanced, lost, waiting or stalled.

    Returns:
        One row per step: step (``mql -> sql``...), reached (the first stage), advanced, lost (recycled or
        disqualified there), stalled, waiting, advanced_pct, leak_pct ((lost + stalled) as a percent of reached)
        and median_days_to_advance. The four counts add up to reached.

    >>> from mopskit.data import load
    >>> leak = funnel_leakage(load("contacts"))
    >>> bool((leak["advanced"] + leak["lost"] + leak["stalled"] + leak["waiting"] == leak["reached"]).all())
    True

    """
    frame, cut = _frame(contacts, as_of, "funnel_leakage")
    limits = _limits(stalled_after, "funnel_leakage")
    status = frame["lead_status"].astype("string").str.lower() if "lead_status" in frame.columns else None
    rows = []
    for stage, entered, next_stage, next_column in STEPS:
        reached = frame[entered].notna() & (frame[entered] <= cut)
        if stage == "lead" and "lifecycle_stage" in frame.columns:
            reached &= (
                frame["lifecycle_stage"].astype("string").str.lower().ne("subscriber").fillna(True)
                | frame["mql_at"].notna()
            )
        advanced = reached & frame[next_column].notna() & (frame[next_column] <= cut)
        lost = reached & ~advanced
        if status is not None and stage in ("mql", "sql"):
            lost &= status.isin(LOST).fillna(False)
        else:
            lost &= False
        still = reached & ~advanced & ~lost
        age = (cut - frame[entered]).dt.total_seconds() / 86_400
        stalled = still & (age > limits[stage])
        took = (frame.loc[advanced, next_column] - frame.loc[advanced, entered]).dt.total_seconds() / 86_400
        n = int(reached.sum())
        rows.append(
            {
                "step": f"{stage} -> {next_stage}",
                "reached": n,
                "advanced": int(advanced.sum()),
                "lost": int(lost.sum()),
                "stalled": int(stalled.sum()),
                "waiting": int((still & ~stalled).sum()),
                "advanced_pct": 100.0 * advanced.sum() / n if n else np.nan,
                "leak_pct": 100.0 * (lost.sum() + stalled.sum()) / n if n else np.nan,
                "median_days_to_advance": took.median(),
            }
        )
    return finish(pd.DataFrame(rows), notes=[_("Counted as of {cut:%Y-%m-%d %H:%M}.").format(cut=cut)])


@checked
def recycling(
    contacts: pd.DataFrame,
    activities: pd.DataFrame | None = None,
    *,
    as_of: Any = None,
    signals: tuple[str, ...] = SIGNALS,
) -> pd.DataFrame:
    """The leads sales sent back or ruled out: by status and reason, how fast, and who came back interested.

    Args:
        contacts: the ``contacts`` table (``lead_status``, ``status_reason``, ``status_at``, ``mql_at``).
        activities: the ``activities`` table; with it, ``came_back`` counts the leads that showed interest
            again after the decision (one of ``signals``): the recycled leads worth scoring again.
        as_of: ignore decisions after this moment.
        signals: the activity types that count as interest (default: pricing visits, demo requests, webinars,
            downloads and forms; page views and email clicks alone do not).

    Returns:
        One row per (status, reason): leads, median_days (from MQL to the decision), came_back and came_back_pct.

    >>> from mopskit.data import load
    >>> table = recycling(load("contacts"), load("activities"))
    >>> sorted(set(table["status"]))
    ['disqualified', 'recycled']

    """
    frame = frame_columns(
        contacts,
        table="contacts",
        needed=["contact_id", "lead_status", "mql_at", "status_at"],
        optional=["status_reason"],
    ).copy()
    frame["status_at"] = to_utc(frame["status_at"], column="status_at", function="recycling")
    frame["mql_at"] = to_utc(frame["mql_at"], column="mql_at", function="recycling")
    frame["lead_status"] = frame["lead_status"].astype("string").str.lower()
    chosen = frame[frame["lead_status"].isin(LOST).fillna(False)].copy()
    if as_of is not None:
        chosen = chosen[chosen["status_at"] <= moment(as_of, name="as_of", function="recycling")]
    if "status_reason" not in chosen.columns:
        chosen["status_reason"] = None
    chosen["status_reason"] = (
        chosen["status_reason"].astype(object).where(chosen["status_reason"].notna(), _("(no reason)"))
    )
    chosen["days"] = (chosen["status_at"] - chosen["mql_at"]).dt.total_seconds() / 86_400
    chosen["came_back"] = False
    if activities is not None:
        acts = frame_columns(activities, table="activities", needed=["contact_id", "activity_type", "occurred_at"])
        acts = acts[acts["activity_type"].astype("string").str.strip().str.lower().isin(signals).fillna(False)]
        when = to_utc(acts["occurred_at"], column="occurred_at", function="recycling", table="the activities table")
        last = when.groupby(acts["contact_id"].astype(str)).max()
        latest = last.astype("datetime64[ns]").reindex(chosen["contact_id"].astype(str)).to_numpy()
        chosen["came_back"] = latest > chosen["status_at"].to_numpy()
    grouped = chosen.groupby(["lead_status", "status_reason"], sort=True)
    result = grouped.agg(leads=("contact_id", "size"), median_days=("days", "median"), came_back=("came_back", "sum"))
    result = result.reset_index().rename(columns={"lead_status": "status", "status_reason": "reason"})
    result["came_back"] = result["came_back"].astype("int64")
    result["came_back_pct"] = 100.0 * result["came_back"] / result["leads"]
    if activities is None:
        result[["came_back", "came_back_pct"]] = np.nan
    result = result.sort_values(["status", "leads"], ascending=[False, False], kind="stable")
    return finish(result.reset_index(drop=True), notes=[])
