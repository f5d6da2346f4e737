"""Email metrics from event-level data: sent, delivered, opens, clicks, unsubscribes and their rates.

Computed in two steps. First one row per send (campaign): counts, distinct recipients per event type and
the day of its first event; on a DataFrame in pandas, on a path in DuckDB (the file is never loaded into
pandas). Then both paths share the second step: join the campaign list, filter the period and channels,
sum over the groups asked for, and divide. Unique counts are distinct (campaign, contact) pairs, so summing
them over campaigns stays exact, and a group's month is the month of its campaign's first event, so all
events of a send fall in one month and a rate never mixes months.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..data import table_spec
from ..data._schema import normalize_name
from ..errors import DataError, ParameterError
from ..i18n import _
from ._common import add_rates, as_keys, check_keys, check_period, finish

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
UNKNOWN_CAMPAIGN = "(unknown campaign)"


def email_metrics(
    events: pd.DataFrame | str | os.PathLike[str],
    *,
    by: str | Sequence[str] | None = None,
    campaigns: pd.DataFrame | None = None,
    start: str | None = None,
    end: str | None = None,
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
        :func:`mopskit.metrics.notes` explains it, as it reports unknown event types and campaigns.

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
        per, types = _per_campaign_duckdb(events, need_first=need_first)
    elif isinstance(events, pd.DataFrame):
        per, types = _per_campaign_pandas(events, need_first=need_first)
    else:
        raise ParameterError(
            "email_metrics: 'events' must be a DataFrame or the path of a CSV/Parquet file "
            f"(got {type(events).__name__})"
        )
    return _summarize(per, types, keys=keys, campaigns=campaigns, start=start, end=end, channels=channels)


def per_campaign(events: pd.DataFrame | str | os.PathLike[str]) -> pd.DataFrame:
    """Return the first step alone: one row per campaign with its raw counts and the day of its first event.

    >>> events = pd.DataFrame({"campaign_id": ["A", "A"], "contact_id": ["c1", "c1"],
    ...                        "event_type": ["sent", "opened"], "occurred_at": ["2026-01-05T09:00:00"] * 2})
    >>> per_campaign(events)[["campaign_id", "sent", "unique_opens", "first_day"]].values.tolist()
    [['A', 1, 1, '2026-01-05']]
    """
    if isinstance(events, str | os.PathLike):
        return _per_campaign_duckdb(events, need_first=True)[0]
    return _per_campaign_pandas(events, need_first=True)[0]


def _frame_columns(events: pd.DataFrame, needed: list[str]) -> pd.DataFrame:
    """Rename a DataFrame's columns to the schema's names (aliases accepted) and check the needed ones exist."""
    spec = table_spec("email_events")
    mapping: dict[str, str] = {}
    for column in events.columns:
        target = spec.aliases.get(normalize_name(str(column)))
        if target in needed and target not in mapping.values():
            mapping[column] = target
    missing = [c for c in needed if c not in mapping.values()]
    if missing:
        raise DataError(
            _("the events table has no column {missing}; it has: {present}. Load it with load('email_events').").format(
                missing=", ".join(repr(m) for m in missing), present=", ".join(map(str, events.columns))
            ),
            problems=[f"column '{m}' is missing" for m in missing],
            source="events",
        )
    return events[list(mapping)].rename(columns=mapping)


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
    distinct = uniques.groupby(["campaign_id", "t"], dropna=False)["n"].sum().unstack("t") if len(uniques) else None
    for table, names in ((counts, TOTAL_TYPES), (distinct, UNIQUE_TYPES)):
        for kind_name, column in names.items():
            values = table[kind_name] if table is not None and kind_name in table.columns else None
            per[column] = 0 if values is None else values.reindex(per.index)
            per[column] = per[column].fillna(0).astype("int64")
    per["events"] = per["events"].astype("int64")
    columns = ["campaign_id", *COUNTS]
    if firsts is not None:
        per["first_day"] = firsts.reindex(per.index).astype(object)
        columns.append("first_day")
    per = per.rename_axis("campaign_id").reset_index()
    per["campaign_id"] = per["campaign_id"].astype(object).where(per["campaign_id"].notna(), None)
    order = per["campaign_id"].isna().to_numpy()  # campaigns in id order, events without an id last
    per = pd.concat([per[~order].sort_values("campaign_id"), per[order]], ignore_index=True)
    return per[columns], types


def _per_campaign_pandas(events: pd.DataFrame, *, need_first: bool) -> tuple[pd.DataFrame, dict[str, int]]:
    from ._common import to_datetime

    needed = ["campaign_id", "contact_id", "event_type"] + (["occurred_at"] if need_first else [])
    frame = _frame_columns(events, needed)
    campaign = frame["campaign_id"].astype("string").astype(object)
    raw = frame["event_type"].astype("string").astype(object)
    totals = pd.DataFrame({"campaign_id": campaign, "t": raw}).groupby(["campaign_id", "t"], dropna=False).size()
    kind = raw.fillna("").str.strip().str.lower()
    work = pd.DataFrame({"campaign_id": campaign, "t": kind, "contact_id": frame["contact_id"]})
    chosen = work[work["t"].isin(list(UNIQUE_TYPES)) & work["contact_id"].notna()].drop_duplicates()
    uniques = chosen.groupby(["campaign_id", "t"], dropna=False).size()
    firsts = None
    if need_first:
        first = to_datetime(frame["occurred_at"]).groupby(campaign, dropna=False).min()
        firsts = first.dt.strftime("%Y-%m-%d").where(first.notna(), None)
    return _assemble(totals.reset_index(name="n"), uniques.reset_index(name="n"), firsts)


def _per_campaign_duckdb(path: str | os.PathLike[str], *, need_first: bool) -> tuple[pd.DataFrame, dict[str, int]]:
    """Two scans: counts per (campaign, event type), then distinct contacts per (campaign, type) for unique counts.

    Counting distinct (campaign, type, contact) triples in a subquery is about twice as fast in DuckDB as three
    ``count(DISTINCT ...) FILTER`` aggregates. A CSV that turns out not to be UTF-8 past its first 64 KB is read
    again as latin-1 (Excel's Windows encoding).
    """
    import duckdb

    from ._engine import connect, query_error, scan_sql

    scan, label = scan_sql(path)
    try:
        return _duckdb_counts(connect(), scan, label, need_first=need_first)
    except duckdb.InvalidInputException as exc:
        if "utf-8" not in str(exc).lower() or "encoding=" in scan:
            raise query_error(exc, label) from None
        retry, _label = scan_sql(path, encoding="latin-1")
        try:
            return _duckdb_counts(connect(), retry, label, need_first=need_first)
        except duckdb.Error as again:
            raise query_error(again, label) from None
    except duckdb.Error as exc:
        raise query_error(exc, label) from None


def _duckdb_counts(con: Any, scan: str, label: str, *, need_first: bool) -> tuple[pd.DataFrame, dict[str, int]]:
    from ._engine import resolve_columns

    try:
        needed = ["campaign_id", "contact_id", "event_type"] + (["occurred_at"] if need_first else [])
        col = resolve_columns(con, scan, label, table="email_events", needed=needed)
        campaign = f"CAST({col['campaign_id']} AS VARCHAR)"
        first = f", CAST(min({col['occurred_at']}) AS VARCHAR) AS f" if need_first else ""
        totals = con.sql(
            f"SELECT {campaign} AS campaign_id, {col['event_type']} AS t, count(*) AS n{first} FROM {scan} GROUP BY ALL"
        ).df()
        if totals.empty:
            raise DataError(
                f"{label}: the file has a header but no rows; export it again with its data",
                problems=["no rows"],
                source=label,
            )
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


def _summarize(
    per: pd.DataFrame,
    types: dict[str, int],
    *,
    keys: list[str],
    campaigns: pd.DataFrame | None,
    start: str | None,
    end: str | None,
    channels: Sequence[str] | None,
) -> pd.DataFrame:
    notes: list[str] = []
    quality: dict[str, Any] = {}
    extra = "" if campaigns is not None else _(" (other campaign columns such as channel need campaigns=...)")
    campaign_columns = [] if campaigns is None else [str(c) for c in campaigns.columns if c != "campaign_id"]
    check_keys(keys, ["campaign_id", "month", *campaign_columns], function="email_metrics", extra=extra)
    unknown_types = {t: n for t, n in types.items() if t not in KNOWN_EVENT_TYPES}
    if unknown_types:
        quality["unknown_event_types"] = unknown_types
        total = sum(unknown_types.values())
        listed = ", ".join(f"'{t or '(empty)'}' ({n})" for t, n in sorted(unknown_types.items()))
        notes.append(
            (
                _("{n} event of a type the kit does not know was counted here and left out of every metric: {types}.")
                if total == 1
                else _(
                    "{n} events of types the kit does not know were counted here and left out of every metric: {types}."
                )
            ).format(n=total, types=listed)
        )
    per = per.copy()
    if per["campaign_id"].isna().any():
        count = int(per.loc[per["campaign_id"].isna(), "events"].sum())
        quality["events_without_campaign_id"] = count
        notes.append(
            _("{n} events have no campaign id; they are counted under '{label}'.").format(n=count, label=NO_CAMPAIGN_ID)
        )
        per["campaign_id"] = per["campaign_id"].fillna(NO_CAMPAIGN_ID)
    if campaigns is not None:
        per = _join_campaigns(per, campaigns, campaign_columns, notes, quality)
    first_start, last_end = check_period(start, end, function="email_metrics")
    if first_start:
        per = per[per["first_day"].notna() & (per["first_day"] >= first_start)]
    if last_end:
        per = per[per["first_day"].notna() & (per["first_day"] <= last_end)]
    if channels:
        per = _filter_channels(per, campaigns, channels)
    if "month" in keys:
        per["month"] = per["first_day"].str[:7]
    per["campaigns"] = 1
    summed = ["campaigns", *COUNTS[1:]]
    if keys:
        result = per.groupby(keys, dropna=False, sort=True)[summed].sum().reset_index()
    else:
        result = per[summed].sum().to_frame().T.astype("int64")
    if result.empty:
        notes.append(_("No email send falls in the period and channels chosen, so the table is empty."))
    result["delivered"] = result["sent"] - result["bounced"]
    result = add_rates(result, EMAIL_RATES, keys, notes=notes)
    return finish(result[keys + COLUMNS], notes=notes, quality=quality)


def _join_campaigns(
    per: pd.DataFrame, campaigns: pd.DataFrame, columns: list[str], notes: list[str], quality: dict[str, Any]
) -> pd.DataFrame:
    if "campaign_id" not in campaigns.columns:
        raise DataError(
            _("the campaigns table has no 'campaign_id' column; it has: {present}").format(
                present=", ".join(map(str, campaigns.columns))
            ),
            source="campaigns",
        )
    listed = campaigns.assign(campaign_id=campaigns["campaign_id"].astype(str)).drop_duplicates("campaign_id")
    known = per["campaign_id"].isin(set(listed["campaign_id"]))
    if (~known).any():
        missing = per.loc[~known, ["campaign_id", "events"]]
        quality["unknown_campaigns"] = {str(c): int(n) for c, n in missing.itertuples(index=False)}
        shown = ", ".join(f"{c} ({n})" for c, n in list(quality["unknown_campaigns"].items())[:10])
        more = len(missing) - 10
        notes.append(
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
