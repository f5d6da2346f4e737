"""The lead funnel: stage counts and conversion (lead, MQL, SQL, opportunity, customer), time in stage, velocity.

A contact has reached a stage when its lifecycle stage is that one or later, or when the milestone date of
that stage or a later one is filled. Cohorts are the month the contact was created in; ``channel`` is the
contact's source channel.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validate import Notes, as_keys, check_keys, checked, choice, finish, missing_keys
from ..data import table_spec
from ..i18n import _
from ._common import CONTACT_DATES, add_rates, exclude_outside, label_missing, month_of, parsed, require_columns

__all__ = ["STAGES", "funnel", "funnel_stages", "lead_velocity", "reached", "reached_stages", "time_in_stage"]

# the stages counted, the milestone column that dates each, and the column name of its count
STAGES: tuple[tuple[str, str, str], ...] = (
    ("lead", "created_at", "leads"),
    ("mql", "mql_at", "mqls"),
    ("sql", "sql_at", "sqls"),
    ("opportunity", "opportunity_at", "opportunities"),
    ("customer", "customer_at", "customers"),
)
CONVERSIONS = {
    "lead_to_mql": ("mqls", "leads"),
    "mql_to_sql": ("sqls", "mqls"),
    "sql_to_opportunity": ("opportunities", "sqls"),
    "opportunity_to_customer": ("customers", "opportunities"),
    "lead_to_customer": ("customers", "leads"),
}


def _lifecycle_order() -> list[str]:
    return list(table_spec("contacts").columns["lifecycle_stage"].values)


def reached(contacts: pd.DataFrame) -> pd.DataFrame:
    """Return one True/False column per stage, saying whether each contact reached it.

    A contact has reached a stage when its lifecycle stage is that one or later (labels are read in any case,
    ``"MQL"`` as ``mql``), or when the milestone date of that stage or a later one is filled. A milestone that
    is not a date is refused with its row; a lifecycle stage the kit does not know counts by its dates only.

    >>> df = pd.DataFrame({"lifecycle_stage": ["subscriber", "mql", "lead"], "mql_at": [None, "2026-01-02", None],
    ...                    "sql_at": [None] * 3, "opportunity_at": [None] * 3, "customer_at": [None] * 3})
    >>> reached(df).sum().tolist()
    [2, 1, 0, 0, 0]
    """
    frame = parsed(contacts, function="reached", table="contacts", date_columns=CONTACT_DATES)
    return reached_stages(frame, function="reached", notes=Notes())


def reached_stages(contacts: pd.DataFrame, *, function: str, notes: Notes) -> pd.DataFrame:
    """:func:`reached` on contacts whose dates are parsed already; unknown lifecycle stages go to the notes."""
    require_columns(
        contacts, ["lifecycle_stage", *(col for _s, col, _n in STAGES[1:])], table="contacts", function=function
    )
    order = _lifecycle_order()
    label = contacts["lifecycle_stage"].astype(object)
    tidy = label.map(lambda v: "_".join(str(v).strip().lower().replace("-", " ").split()) if isinstance(v, str) else v)
    rank = tidy.map({stage: i for i, stage in enumerate(order)}).astype("float64")
    unknown = rank.isna() & ~missing_keys(label)
    blank = missing_keys(label)
    if unknown.any():
        counts = label[unknown].astype(str).value_counts()
        listed = ", ".join(f"'{v}' ({n})" for v, n in counts.head(10).items())
        notes.add(
            _(
                "{n} contact(s) have a lifecycle stage the kit does not know: {listed}. They count as contacts and "
                "reach a stage only by its date; map them to one of {valid}."
            ).format(n=int(unknown.sum()), listed=listed, valid=", ".join(order))
        )
        notes.quality["unknown_lifecycle_stages"] = {str(k): int(v) for k, v in counts.items()}
    if blank.any():
        notes.add(
            _("{n} contact(s) have no lifecycle stage; they reach a stage only by its date.").format(n=int(blank.sum()))
        )
    rank = rank.fillna(-1)
    result = pd.DataFrame(index=contacts.index)
    later = pd.Series(False, index=contacts.index)
    for stage, column, name in reversed(STAGES):
        if stage != "lead":
            later = later | contacts[column].notna()
        result[name] = (rank >= order.index(stage)) | later
    return result[[name for _s, _c, name in STAGES]]


def _cohort_frame(contacts: pd.DataFrame, start: Any, end: Any, *, function: str, notes: Notes) -> pd.DataFrame:
    require_columns(contacts, ["created_at", "source_channel"], table="contacts", function=function)
    notes.rows("contacts", len(contacts))
    frame = parsed(contacts, function=function, table="contacts", date_columns=CONTACT_DATES)
    frame["cohort_month"] = month_of(frame["created_at"])
    frame = label_missing(
        frame.assign(channel=frame["source_channel"]),
        "channel",
        table="contacts",
        notes=notes,
        sentence=_("Contacts with no source channel, counted under '{label}': {n}."),
    )
    return exclude_outside(
        frame,
        frame["created_at"].rename("creation date"),
        start=start,
        end=end,
        function=function,
        table="contacts",
        notes=notes,
        what=_("Contacts"),
    )


@checked
def funnel(
    contacts: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> pd.DataFrame:
    """Count the contacts reaching each stage and the conversion from stage to stage, per group.

    Args:
        contacts: the ``contacts`` table.
        by: ``"cohort_month"`` (month the contact was created), ``"channel"`` (its source channel), any other
            column of the table, or a list of them; None for one row.
        start: first day of the cohorts (contacts created on or after it).
        end: last day of the cohorts (inclusive).

    Returns:
        The ``by`` columns, then contacts, leads, mqls, sqls, opportunities, customers and the conversion rates
        in percent: lead_to_mql, mql_to_sql, sql_to_opportunity, opportunity_to_customer, lead_to_customer.

    >>> from mopskit.data import load
    >>> f = funnel(load("contacts"))
    >>> bool(f.loc[0, "leads"] >= f.loc[0, "mqls"] >= f.loc[0, "customers"])
    True

    """
    keys = as_keys(by)
    notes = Notes()
    check_keys(
        keys, ["cohort_month", "channel", *[c for c in contacts.columns if c != "source_channel"]], function="funnel"
    )
    frame = _cohort_frame(contacts, start, end, function="funnel", notes=notes)
    flags = reached_stages(frame, function="funnel", notes=notes)
    counted = pd.concat([frame[keys], flags.astype("int64")], axis=1)
    counted["contacts"] = 1
    columns = ["contacts", *flags.columns]
    if keys:
        result = counted.groupby(keys, dropna=False, sort=True)[columns].sum().reset_index()
    else:
        result = counted[columns].sum().to_frame().T.astype("int64")
    result = add_rates(result, CONVERSIONS, keys, notes=notes)
    return finish(result, notes=notes)


@checked
def funnel_stages(
    contacts: pd.DataFrame,
    *,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    channel: str | None = None,
) -> pd.DataFrame:
    """Return the funnel as one row per stage, for drop-off plots.

    Returns:
        stage, contacts (reaching it), from_previous (% of the previous stage), from_first (% of leads) and
        lost (contacts of the previous stage that went no further).

    >>> from mopskit.data import load
    >>> funnel_stages(load("contacts"))["stage"].tolist()
    ['lead', 'mql', 'sql', 'opportunity', 'customer']

    """
    notes = Notes()
    frame = _cohort_frame(contacts, start, end, function="funnel_stages", notes=notes)
    if channel is not None:
        known = set(table_spec("contacts").columns["source_channel"].values) | set(frame["channel"].astype(str))
        channel = choice(channel, "channel", sorted(known), function="funnel_stages")
        other = frame["channel"] != channel
        notes.exclude("contacts", other, _("Contacts of other channels, left out: {n}."), reason="other channels")
        frame = frame[~other]
    counts = reached_stages(frame, function="funnel_stages", notes=notes).sum().astype("int64").to_numpy()
    previous = np.r_[counts[0], counts[:-1]]
    result = pd.DataFrame({"stage": [s for s, _c, _n in STAGES], "contacts": counts, "previous": previous})
    result["first"] = counts[0]
    result = add_rates(
        result, {"from_previous": ("contacts", "previous"), "from_first": ("contacts", "first")}, ["stage"], notes=notes
    )
    result["lost"] = result["previous"] - result["contacts"]
    return finish(result[["stage", "contacts", "from_previous", "from_first", "lost"]], notes=notes)


@checked
def time_in_stage(contacts: pd.DataFrame, *, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Days spent between consecutive stages, over the contacts that reached both.

    Time from creation counts as time as a lead. Pairs of dates in the wrong order (the later stage dated
    earlier) are left out and reported in the notes.

    Returns:
        The ``by`` columns, then from_stage, to_stage, contacts, median_days, mean_days.

    >>> df = pd.DataFrame({"created_at": ["2026-01-01", "2026-01-01"], "mql_at": ["2026-01-11", "2026-01-21"],
    ...                    "sql_at": [None] * 2, "opportunity_at": [None] * 2, "customer_at": [None] * 2})
    >>> row = time_in_stage(df).iloc[0]
    >>> int(row.contacts), float(row.median_days)
    (2, 15.0)

    """
    function = "time_in_stage"
    keys = as_keys(by)
    require_columns(contacts, [col for _s, col, _n in STAGES], table="contacts", function=function)
    check_keys(keys, [*map(str, contacts.columns), "cohort_month"], function=function)
    frame = parsed(contacts, function=function, table="contacts", date_columns=CONTACT_DATES)
    if "cohort_month" in keys:
        frame["cohort_month"] = month_of(frame["created_at"])
    notes = Notes()
    notes.rows("contacts", len(frame))
    rows = []
    for (stage, column, _n), (next_stage, next_column, _m) in itertools.pairwise(STAGES):
        days = (frame[next_column] - frame[column]).dt.total_seconds() / 86_400
        backwards = days < 0
        if backwards.any():
            notes.add(
                _("{n} contacts reached {to} before {frm} (dates out of order); left out of that step.").format(
                    n=int(backwards.sum()), to=next_stage, frm=stage
                )
            )
        valid = frame.assign(days=days)[days.notna() & ~backwards]
        groups = valid.groupby(keys, dropna=False, sort=True)["days"] if keys else None
        if groups is None:
            stats = pd.DataFrame(
                [{"contacts": len(valid), "median_days": valid["days"].median(), "mean_days": valid["days"].mean()}]
            )
        else:
            stats = groups.agg(contacts="size", median_days="median", mean_days="mean").reset_index()
        stats.insert(len(keys), "from_stage", stage)
        stats.insert(len(keys) + 1, "to_stage", next_stage)
        rows.append(stats)
    result = pd.concat(rows, ignore_index=True)
    result["contacts"] = result["contacts"].astype("int64")
    empty = result[result["contacts"] == 0]
    for _i, row in empty.iterrows():
        notes.add(
            _("No contact went from {frm} to {to}, so its time in stage is left empty.").format(
                frm=row["from_stage"], to=row["to_stage"]
            )
        )
    return finish(result, notes=notes)


@checked
def lead_velocity(contacts: pd.DataFrame, *, stage: str = "mql", by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Month-on-month growth of contacts reaching a stage (lead velocity rate), in percent.

    Args:
        contacts: the ``contacts`` table.
        stage: the stage counted, by the month of its milestone: lead (month created), mql, sql, opportunity or
            customer.
        by: extra grouping, e.g. ``"channel"``; the rate compares each group with its own previous month.

    Returns:
        The ``by`` columns, month, count, previous (last month's count) and velocity_rate; every calendar month
        between the first and last is listed, months with none count 0.

    >>> df = pd.DataFrame({"mql_at": ["2026-01-03", "2026-02-01", "2026-02-09", "2026-03-30"]})
    >>> lead_velocity(df)[["month", "count", "velocity_rate"]].values.tolist()
    [['2026-01', 1, nan], ['2026-02', 2, 100.0], ['2026-03', 1, -50.0]]

    """
    function = "lead_velocity"
    columns = {s: col for s, col, _n in STAGES}
    stage = choice(stage, "stage", list(columns), function=function)
    keys = as_keys(by)
    frame = contacts.rename(columns={"source_channel": "channel"}) if "channel" in keys else contacts
    require_columns(frame, [columns[stage], *keys], table="contacts", function=function)
    frame = parsed(frame, function=function, table="contacts", date_columns=[columns[stage]])
    month = month_of(frame[columns[stage]])
    dated = frame.assign(month=month)[month.notna()]
    if dated.empty:
        return finish(
            pd.DataFrame(columns=[*keys, "month", "count", "previous", "velocity_rate"]),
            notes=[_("No contact reached {stage}, so there is no velocity to show.").format(stage=stage)],
        )
    months = pd.period_range(dated["month"].min(), dated["month"].max(), freq="M").strftime("%Y-%m").tolist()
    counts = dated.groupby([*keys, "month"], dropna=False).size()
    groups = sorted(set(counts.index.droplevel("month"))) if keys else [()]
    index = (
        pd.MultiIndex.from_tuples(
            [(*(g if isinstance(g, tuple) else (g,)), m) for g in groups for m in months], names=[*keys, "month"]
        )
        if keys
        else pd.Index(months, name="month")
    )
    result = counts.reindex(index, fill_value=0).rename("count").reset_index()
    result["previous"] = result.groupby(keys)["count"].shift(1) if keys else result["count"].shift(1)
    first = result["previous"].isna()
    result["previous"] = result["previous"].fillna(0).astype("int64")
    notes = Notes([_("The first month has no previous month to compare with, so its velocity is empty.")])
    growth = (result["count"] - result["previous"]).astype("float64")
    den = result["previous"].astype("float64")
    result["velocity_rate"] = (100.0 * growth / den.where(den != 0)).where(~first)
    zero = (~first) & (result["previous"] == 0)
    if zero.any():
        notes.add(
            _("{n} month(s) follow a month with no {stage}; growth from 0 has no rate and is left empty.").format(
                n=int(zero.sum()), stage=stage
            )
        )
    return finish(result[[*keys, "month", "count", "previous", "velocity_rate"]], notes=notes)
