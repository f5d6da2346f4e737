"""Email metrics from event-level data: sent, delivered, opens, clicks, unsubscribes and their rates.

Computed in two steps. First one row per send (campaign): counts, distinct recipients per event type and
the day of its first event; on a DataFrame in pandas, on a path in DuckDB (the file is never loaded into
pandas). Then both paths share the second step: join the campaign list, filter the period and channels,
sum over the groups asked for, and divide. Unique counts are distinct (campaign, contact) pairs, so summing
them over campaigns stays exact, and a group's month is the month of its campaign's first event, so all
events of a send fall in one month and a rate never mixes months.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .._validate import Notes, as_keys, check_keys, checked, dates, finish, rows
from ..data import normalize_name, table_spec
from ..errors import DataError, ParameterError
from ..i18n import _
from ._common import add_rates, check_period, require_columns

__all__ = ["EMAIL_RATES", "KNOWN_EVENT_TYPES", "email_metrics", "per_campaign"]

KNOWN_EVENT_TYPES: tuple[str, ...] = table_spec("email_events").columns["event_type"].values
UNIQUE_TYPES = {"opened": "unique_opens", "clicked": "unique_clicks", "unsubscribed": "unsubscribes"}
TOTAL_TYPES = {"sent": "sent", "bounced": "bounced", "opened": "total_opens", "clicked": "total_clicks"}
COUNTS = ["events", "sent", "bounced", "total_opens", "total_clicks", "unique_opens", "unique_clicks", "unsubscribes"]
EMAIL_RATES: dict[str, tuple[str, str]] = {
    "delivery_rate": ("delivered", "sent"),
    "bounce_rate": ("bounced", "sent"),
    "open_rate": ("unique_opens", "delivered"),
    "click_through_rate": ("unique_clicks", "delivered"),
    "click_to_open_rate": ("unique_clicks", "unique_opens"),
    "unsubscribe_rate": ("unsubscribes", "delivered"),
}
COLUMNS = [
    "campaigns",
    "sent",
    "delivered",
    "bounced",
    "delivery_rate",
    "bounce_rate",
    "total_opens",
    "unique_opens",
    "open_rate",
    "total_clicks",
    "unique_clicks",
    "click_through_rate",
    "click_to_open_rate",
    "unsubscribes",
    "unsubscribe_rate",
]
NO_CAMPAIGN_ID = "(no campaign id)"
EVENTS = "events"
MISSING_SENDS = "campaign with missing sent events"
UNKNOWN_CAMPAIGN = "(unknown campaign)"


@checked
def email_metrics(
    events: pd.DataFrame | str | os.PathLike[str],
    *,
    by: str | Sequence[str] | None = None,
    campaigns: pd.DataFrame | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    channels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Compute the email metrics, one row per group; rates in percent.

    Args:
        events: the ``email_events`` table, or the path of a CSV or Parquet file (or a folder of Parquet
            files) holding it, computed in DuckDB without loading it into pandas.
        by: group by ``"campaign_id"``, ``"month"`` (of the send) or, with ``campaigns``, any column of the
            campaign list (``"channel"``, ``"objective"``, ``"owner"``...); a list for several; None: one row.
        campaigns: the ``campaigns`` table; events of campaigns missing from it are counted under
            ``(unknown campaign)`` and reported in the notes.
        start: first day (``YYYY-MM-DD``) of the period: sends whose first event is on or after it.
        end: last day of the period (inclusive).
        channels: keep only campaigns of these channels (needs ``campaigns``).

    Returns:
        One row per group: the ``by`` columns, then campaigns, sent, delivered, bounced, delivery_rate,
        bounce_rate, total_opens, unique_opens, open_rate, total_clicks, unique_clicks, click_through_rate,
        click_to_open_rate, unsubscribes, unsubscribe_rate. A rate whose denominator is 0 is NaN, and
        :func:`mopskit.metrics.notes` explains it, as it reports unknown event types and campaigns. A campaign
        whose events cannot all be true (more bounces than sends, or more people opening, clicking or
        unsubscribing than were delivered to: its sent events are missing) is left out of every metric and
        named in the notes; ``data_quality(result)["rows"]["events"]`` accounts for every event.

    Raises:
        DataError: a table with no rows (a header only, from a file or a DataFrame alike), a missing column,
            or a time that is not ISO 8601, with its row.

    >>> events = pd.DataFrame({
    ...     "campaign_id": ["A"] * 9,
    ...     "contact_id": ["c1", "c2", "c3", "c3", "c1", "c1", "c2", "c1", "c1"],
    ...     "event_type": ["sent", "sent", "sent", "bounced", "opened", "opened", "opened", "clicked", "clicked"],
    ...     "occurred_at": ["2026-01-05T09:00:00"] * 9})
    >>> row = email_metrics(events).iloc[0]
    >>> int(row.delivered), float(row.open_rate), int(row.total_clicks), float(row.click_through_rate)
    (2, 100.0, 2, 50.0)

    """
    keys = as_keys(by)
    need_first = "month" in keys or start is not None or end is not None
    if isinstance(events, str | os.PathLike):
        per, types = _per_campaign_duckdb(events, need_first=need_first, function="email_metrics")
    elif isinstance(events, pd.DataFrame):
        per, types = _per_campaign_pandas(events, need_first=need_first, function="email_metrics")
    else:
        raise ParameterError(
            "email_metrics: 'events' must be a DataFrame or the path of a CSV/Parquet file "
            f"(got {type(events).__name__})"
        )
    return _summarize(per, types, keys=keys, campaigns=campaigns, start=start, end=end, channels=channels)


@checked
def per_campaign(events: pd.DataFrame | str | os.PathLike[str]) -> pd.DataFrame:
    """Return the first step alone: one row per campaign with its raw counts and the day of its first event.

    >>> events = pd.DataFrame({"campaign_id": ["A", "A"], "contact_id": ["c1", "c1"],
    ...                        "event_type": ["sent", "opened"], "occurred_at": ["2026-01-05T09:00:00"] * 2})
    >>> per_campaign(events)[["campaign_id", "sent", "unique_opens", "first_day"]].values.tolist()
    [['A', 1, 1, '2026-01-05']]
    """
    if isinstance(events, str | os.PathLike):
        return _per_campaign_duckdb(events, need_first=True, function="per_campaign")[0]
    if not isinstance(events, pd.DataFrame):
        raise ParameterError(
            _("per_campaign: 'events' must be a DataFrame or the path of a CSV/Parquet file (got {kind})").format(
                kind=type(events).__name__
            )
        )
    return _per_campaign_pandas(events, need_first=True, function="per_campaign")[0]


def _frame_columns(events: pd.DataFrame, needed: list[str], *, function: str) -> pd.DataFrame:
    """Rename a DataFrame's columns to the schema's names (aliases accepted) and check the needed ones exist."""
    spec = table_spec("email_events")
    mapping: dict[str, str] = {}
    for column in events.columns:
        target = spec.aliases.get(normalize_name(str(column)))
        if target in needed and target not in mapping.values():
            mapping[column] = target
    renamed = events[list(mapping)].rename(columns=mapping)
    if len(mapping) < len(needed):
        require_columns(events.rename(columns=mapping), needed, table="email_events", function=function)
    return renamed


def _assemble(
    totals: pd.DataFrame, uniques: pd.DataFrame, firsts: pd.Series | None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Build the per-campaign table from long counts, the same way for both engines.

    Args:
        totals: campaign_id, t (event type as written), n (events).
        uniques: campaign_id, t (tidy event type), n (distinct contacts).
        firsts: the first event's day (``YYYY-MM-DD``) per campaign, or None when not needed.

    """
    totals = totals.assign(t=totals["t"].fillna("").astype(str).str.strip().str.lower())
    types = {str(t): int(n) for t, n in totals.groupby("t")["n"].sum().items()}
    counts = totals.groupby(["campaign_id", "t"], dropna=False)["n"].sum().unstack("t")
    per = pd.DataFrame({"events": counts.sum(axis=1)}, index=counts.index)
    unknown = [t for t in counts.columns if t not in KNOWN_EVENT_TYPES]
    per["unknown_events"] = counts[unknown].sum(axis=1).astype("int64") if unknown else 0
    distinct = uniques.groupby(["campaign_id", "t"], dropna=False)["n"].sum().unstack("t") if len(uniques) else None
    for table, names in ((counts, TOTAL_TYPES), (distinct, UNIQUE_TYPES)):
        for kind_name, column in names.items():
            values = table[kind_name] if table is not None and kind_name in table.columns else None
            per[column] = 0 if values is None else values.reindex(per.index)
            per[column] = per[column].fillna(0).astype("int64")
    per["events"] = per["events"].astype("int64")
    columns = ["campaign_id", *COUNTS, "unknown_events"]
    if firsts is not None:
        per["first_day"] = firsts.reindex(per.index).astype(object)
        columns.append("first_day")
    per = per.rename_axis("campaign_id").reset_index()
    per["campaign_id"] = per["campaign_id"].astype(object).where(per["campaign_id"].notna(), None)
    order = per["campaign_id"].isna().to_numpy()  # campaigns in id order, events without an id last
    per = pd.concat([per[~order].sort_values("campaign_id"), per[order]], ignore_index=True)
    return per[columns], types


def _per_campaign_pandas(
    events: pd.DataFrame, *, need_first: bool, function: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    needed = ["campaign_id", "contact_id", "event_type"] + (["occurred_at"] if need_first else [])
    frame = _frame_columns(events, needed, function=function)
    rows(frame, function=function, name="events", table=_("the events table"))
    campaign = frame["campaign_id"].astype("string").astype(object)
    raw = frame["event_type"].astype("string").astype(object)
    totals = pd.DataFrame({"campaign_id": campaign, "t": raw}).groupby(["campaign_id", "t"], dropna=False).size()
    kind = raw.fillna("").str.strip().str.lower()
    work = pd.DataFrame({"campaign_id": campaign, "t": kind, "contact_id": frame["contact_id"]})
    chosen = work[work["t"].isin(list(UNIQUE_TYPES)) & work["contact_id"].notna()].drop_duplicates()
    uniques = chosen.groupby(["campaign_id", "t"], dropna=False).size()
    firsts = None
    if need_first:
        stamps = dates(frame["occurred_at"], function=function, table=_("the events table"))
        first = stamps.groupby(campaign, dropna=False).min()
        firsts = first.dt.strftime("%Y-%m-%d").where(first.notna(), None)
    return _assemble(totals.reset_index(name="n"), uniques.reset_index(name="n"), firsts)


def _per_campaign_duckdb(
    path: str | os.PathLike[str], *, need_first: bool, function: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Two scans: counts per (campaign, event type), then distinct contacts per (campaign, type) for unique counts.

    Counting distinct (campaign, type, contact) triples in a subquery is about twice as fast in DuckDB as three
    ``count(DISTINCT ...) FILTER`` aggregates. A CSV that turns out not to be UTF-8 past its first 64 KB is read
    again as latin-1 (Excel's Windows encoding).
    """
    import duckdb

    from ..data.engine import connect, query_error, scan_sql

    scan, label = scan_sql(path)
    try:
        return _duckdb_counts(connect(), scan, label, need_first=need_first, function=function)
    except duckdb.InvalidInputException as exc:
        if "utf-8" not in str(exc).lower() or "encoding=" in scan:
            raise query_error(exc, label) from None
        retry, _label = scan_sql(path, encoding="latin-1")
        try:
            return _duckdb_counts(connect(), retry, label, need_first=need_first, function=function)
        except duckdb.Error as again:
            raise query_error(again, label) from None
    except duckdb.Error as exc:
        raise query_error(exc, label) from None


def _duckdb_counts(
    con: Any, scan: str, label: str, *, need_first: bool, function: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    from ..data.engine import resolve_columns

    try:
        needed = ["campaign_id", "contact_id", "event_type"] + (["occurred_at"] if need_first else [])
        col = resolve_columns(con, scan, label, table="email_events", needed=needed)
        campaign = f"CAST({col['campaign_id']} AS VARCHAR)"
        first = ""
        if need_first:
            when = col["occurred_at"]
            undated = f"{when} IS NOT NULL AND TRY_CAST({when} AS TIMESTAMP) IS NULL"
            first = f", CAST(min({when}) AS VARCHAR) AS f, count(*) FILTER (WHERE {undated}) AS bad"
        totals = con.sql(
            f"SELECT {campaign} AS campaign_id, {col['event_type']} AS t, count(*) AS n{first} FROM {scan} GROUP BY ALL"
        ).df()
        rows(totals, function=function, name="events", table=label)
        if need_first and totals["bad"].sum():
            examples = [r[0] for r in con.sql(f"SELECT {when} FROM {scan} WHERE {undated} LIMIT 5").fetchall()]
            _bad_times(examples, int(totals["bad"].sum()), label=label, function=function)
        raw_types = totals["t"].dropna().astype(str)
        tidy = bool((raw_types == raw_types.str.strip().str.lower()).all())
        kind = col["event_type"] if tidy else f"lower(trim({col['event_type']}))"
        wanted = ", ".join(f"'{k}'" for k in UNIQUE_TYPES)
        uniques = con.sql(
            f"SELECT campaign_id, t, count(*) AS n FROM (SELECT DISTINCT {campaign} AS campaign_id, {kind} AS t, "
            f"{col['contact_id']} FROM {scan} WHERE {kind} IN ({wanted}) AND {col['contact_id']} IS NOT NULL) "
            "GROUP BY ALL"
        ).df()
    finally:
        con.close()
    for frame in (totals, uniques):
        frame["campaign_id"] = frame["campaign_id"].astype(object).where(frame["campaign_id"].notna(), None)
        frame["n"] = frame["n"].astype("int64")
    firsts = None
    if need_first:
        firsts = totals.groupby("campaign_id", dropna=False)["f"].min().str[:10]
        firsts = firsts.where(firsts.notna(), None)
    return _assemble(totals[["campaign_id", "t", "n"]], uniques, firsts)


def _bad_times(examples: list[Any], total: int, *, label: str, function: str) -> None:
    """Refuse a file whose event times are not ISO 8601, as the DataFrame path refuses them (rows unknown here)."""
    from .._validate import DATE_RULE, date_fix, problem

    lines = [problem(function, "occurred_at", DATE_RULE, v, where=label, fix=date_fix(v)) for v in examples]
    message = lines[0]
    if total > 1:
        message += "\n" + _("{n} more events have the same problem.").format(n=total - 1)
    raise DataError(message, problems=lines, source=label)


def _summarize(
    per: pd.DataFrame,
    types: dict[str, int],
    *,
    keys: list[str],
    campaigns: pd.DataFrame | None,
    start: str | dt.date | None,
    end: str | dt.date | None,
    channels: Sequence[str] | None,
) -> pd.DataFrame:
    notes = Notes()
    quality = notes.quality
    notes.rows(EVENTS, int(per["events"].sum()))
    extra = "" if campaigns is not None else _(" (other campaign columns such as channel need campaigns=...)")
    campaign_columns = [] if campaigns is None else [str(c) for c in campaigns.columns if c != "campaign_id"]
    check_keys(keys, ["campaign_id", "month", *campaign_columns], function="email_metrics", extra=extra)
    first_start, last_end = check_period(start, end, function="email_metrics")
    unknown_types = {t: n for t, n in types.items() if t not in KNOWN_EVENT_TYPES}
    if unknown_types:
        quality["unknown_event_types"] = unknown_types
        total = sum(unknown_types.values())
        listed = ", ".join(f"'{t or '(empty)'}' ({n})" for t, n in sorted(unknown_types.items()))
        notes.exclude(
            EVENTS,
            total,
            (
                _("{n} event of a type the kit does not know was counted here and left out of every metric: {types}.")
                if total == 1
                else _(
                    "{n} events of types the kit does not know were counted here and left out of every metric: {types}."
                )
            ).replace("{types}", listed),
            reason="unknown event type",
        )
    per = per.copy()
    per["known_events"] = per["events"] - per["unknown_events"]
    if per["campaign_id"].isna().any():
        count = int(per.loc[per["campaign_id"].isna(), "events"].sum())
        quality["events_without_campaign_id"] = count
        notes.add(
            _("{n} events have no campaign id; they are counted under '{label}'.").format(n=count, label=NO_CAMPAIGN_ID)
        )
        per["campaign_id"] = per["campaign_id"].fillna(NO_CAMPAIGN_ID)
    per = _drop_impossible(per, notes)
    if campaigns is not None:
        per = _join_campaigns(per, campaigns, campaign_columns, notes, quality)
    if first_start or last_end:
        undated = per["first_day"].isna()
        inside = ~undated
        if first_start:
            inside &= per["first_day"] >= first_start
        if last_end:
            inside &= per["first_day"] <= last_end
        notes.exclude(
            EVENTS,
            int(per.loc[undated, "known_events"].sum()),
            _("Events of campaigns with no event time, left out of the period: {n}."),
            reason="no occurred_at",
        )
        notes.exclude(
            EVENTS,
            int(per.loc[~inside & ~undated, "known_events"].sum()),
            _("Events of sends outside the period, left out: {n}."),
            reason="outside the period",
        )
        per = per[inside]
    if channels:
        chosen = _filter_channels(per, campaigns, channels)
        notes.exclude(
            EVENTS,
            int(per["known_events"].sum() - chosen["known_events"].sum()),
            _("Events of campaigns in other channels, left out: {n}."),
            reason="other channels",
        )
        per = chosen
    if "month" in keys:
        per["month"] = per["first_day"].str[:7]
    per["campaigns"] = 1
    summed = ["campaigns", *COUNTS[1:]]
    if keys:
        result = per.groupby(keys, dropna=False, sort=True)[summed].sum().reset_index()
    else:
        result = per[summed].sum().to_frame().T.astype("int64")
    if result.empty:
        notes.add(_("No email send falls in the period and channels chosen, so the table is empty."))
    result["delivered"] = result["sent"] - result["bounced"]
    result = add_rates(result, EMAIL_RATES, keys, notes=notes)
    return finish(result[keys + COLUMNS], notes=notes)


def _drop_impossible(per: pd.DataFrame, notes: Notes) -> pd.DataFrame:
    """Leave out campaigns whose counts cannot all be true: their sent events are missing from the export."""
    delivered = per["sent"] - per["bounced"]
    impossible = (delivered < 0) | (per[["unique_opens", "unique_clicks", "unsubscribes"]].max(axis=1) > delivered)
    if not impossible.any():
        return per
    bad = per[impossible]
    shown = ", ".join(
        _("{c} ({sent} sent, {bounced} bounced, {opens} opened)").format(
            c=r.campaign_id, sent=r.sent, bounced=r.bounced, opens=r.unique_opens
        )
        for r in bad.head(10).itertuples()
    )
    more = _(" and {k} more").format(k=len(bad) - 10) if len(bad) > 10 else ""
    notes.quality["campaigns_missing_sent_events"] = [str(c) for c in bad["campaign_id"]]
    notes.exclude(
        EVENTS,
        int(bad["known_events"].sum()),
        _(
            "{k} campaign(s) have more bounces than sends, or more people opening, clicking or unsubscribing than "
            "were delivered to: {shown}{more}. Their sent events are missing from the export, so their {{n}} events "
            "are left out of every metric; export the campaigns again with every event type."
        ).format(k=len(bad), shown=shown, more=more),
        reason=MISSING_SENDS,
    )
    return per[~impossible]


def _join_campaigns(
    per: pd.DataFrame, campaigns: pd.DataFrame, columns: list[str], notes: Notes, quality: dict[str, Any]
) -> pd.DataFrame:
    require_columns(campaigns, ["campaign_id"], table="campaigns", function="email_metrics")
    listed = campaigns.assign(campaign_id=campaigns["campaign_id"].astype(str)).drop_duplicates("campaign_id")
    known = per["campaign_id"].isin(set(listed["campaign_id"]))
    if (~known).any():
        missing = per.loc[~known, ["campaign_id", "events"]]
        quality["unknown_campaigns"] = {str(c): int(n) for c, n in missing.itertuples(index=False)}
        shown = ", ".join(f"{c} ({n})" for c, n in list(quality["unknown_campaigns"].items())[:10])
        more = len(missing) - 10
        notes.add(
            _(
                "{n} events belong to {k} campaign(s) missing from the campaign list: {shown}{more}. They are counted "
                "under '{label}' in the campaign columns."
            ).format(
                n=int(missing["events"].sum()),
                k=len(missing),
                shown=shown,
                more=_(" and {n} more").format(n=more) if more > 0 else "",
                label=UNKNOWN_CAMPAIGN,
            )
        )
    joined = per.merge(listed[["campaign_id", *columns]], on="campaign_id", how="left")
    for column in columns:
        joined[column] = joined[column].astype(object).where(known.to_numpy(), UNKNOWN_CAMPAIGN)
    return joined


def _filter_channels(per: pd.DataFrame, campaigns: pd.DataFrame | None, channels: Sequence[str]) -> pd.DataFrame:
    if campaigns is None or "channel" not in per.columns:
        raise ParameterError(
            "email_metrics: 'channels' needs the campaign list, to know each campaign's channel: "
            "pass campaigns=load('campaigns')"
        )
    valid = sorted(set(table_spec("campaigns").columns["channel"].values) | set(per["channel"].dropna().astype(str)))
    unknown = [c for c in channels if c not in valid]
    if unknown:
        raise ParameterError(
            _("unknown channel(s) {unknown}; valid: {valid}").format(
                unknown=", ".join(map(repr, unknown)), valid=", ".join(valid)
            )
        )
    return per[per["channel"].isin(list(channels))]
