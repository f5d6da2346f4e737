"""The SLA with sales: is every MQL touched within the agreed business hours? Which owner, which source breach it.

The clock starts when a lead becomes an MQL and stops at the first sales touch (a call, an email, a meeting).
It counts business hours on the owner's own clock (their time zone, from the ``sales_team`` table), so an MQL
that arrives on Friday evening and is called on Monday morning is on time. Each MQL ends up:

- **met**: touched within the target;
- **late**: touched, after the target;
- **never touched**: not touched, and the target has passed (as of the data's last moment);
- **waiting**: not touched yet, but still within the target (left out of the compliance rate).

Compliance is met ÷ (met + late + never touched) × 100, between 0 and 100. :func:`sla_report` gives it for
the whole team, by owner and by source, with every breach listed; on a file it computes in DuckDB.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validate import checked
from ..i18n import _
from ._frames import Table, finish, frame_columns, is_path, moment, none_for_missing, to_utc
from .hours import BusinessHours, business_hours_between, check_time_zone

__all__ = ["SlaReport", "sla_breaches", "sla_compliance", "sla_report", "sla_status"]

STATUSES = ("met", "late", "never touched", "waiting")
GROUPS = ("owner", "source_channel", "territory", "month")


def _check_target(sla_hours: float, function: str) -> float:
    from .._validate import number

    return number(
        sla_hours, "sla_hours", function=function, above=0, rule=_("a number of business hours above 0, like 8")
    )


def _zones(
    owners: pd.Series, team: Table | None, time_zone: str, default_time_zone: str
) -> tuple[pd.Series, list[str]]:
    """The clock each lead is measured on: its owner's time zone, or one zone for all."""
    if time_zone != "owner":
        return pd.Series(check_time_zone(time_zone, function="sla_status"), index=owners.index), []
    check_time_zone(default_time_zone, function="sla_status", argument="default_time_zone")
    if team is None:
        return pd.Series(default_time_zone, index=owners.index), []
    from .routing import _team

    members = _team(team)
    if "time_zone" not in members.columns:
        return pd.Series(default_time_zone, index=owners.index), [
            _("The sales team has no time_zone column: every owner is measured on {zone}.").format(
                zone=default_time_zone
            )
        ]
    zones = dict(zip(members["owner"], members["time_zone"].astype(str).str.strip(), strict=True))
    for zone in set(zones.values()):
        check_time_zone(zone, function="sla_status", argument="sales_team.time_zone")
    mapped = owners.astype("string").str.strip().map(zones)
    unknown = sorted(set(owners[mapped.isna() & owners.notna()].astype(str)))
    return mapped.fillna(default_time_zone).astype(str), _unknown_owners_note(unknown, default_time_zone)


@checked
def sla_status(
    contacts: Table,
    team: Table | None = None,
    *,
    sla_hours: float = 8.0,
    hours: BusinessHours | None = None,
    time_zone: str = "owner",
    default_time_zone: str = "UTC",
    as_of: Any = None,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Measure every MQL against the SLA: business hours from MQL to first sales touch, and its status.

    Args:
        contacts: the ``contacts`` table (or its path); needs ``contact_id``, ``mql_at``,
            ``first_sales_touch_at``; uses ``owner`` and ``source_channel``.
        team: the ``sales_team`` table, for each owner's time zone and territory.
        sla_hours: the target, in business hours (8 = one working day of 09:00-17:00).
        hours: the working week (default 09:00-17:00, Monday to Friday).
        time_zone: ``"owner"`` (each owner's own zone) or one IANA zone for everyone.
        default_time_zone: the zone of owners the team does not list (and of leads with no owner).
        as_of: the moment untouched leads are judged at (default: the latest MQL or touch in the whole table).
        start: first day of the MQLs measured (``YYYY-MM-DD``).
        end: last day (inclusive).

    Returns:
        One row per MQL: contact_id, owner, source_channel, territory, month (of the MQL), mql_at,
        first_sales_touch_at, time_zone, business_hours (to the touch, or so far) and status (met, late,
        never touched, waiting).

    >>> leads = pd.DataFrame({"contact_id": ["a", "b", "c"], "owner": ["x", "x", "x"],
    ...     "mql_at": ["2026-03-06T16:00:00", "2026-03-02T09:00:00", "2026-03-02T09:00:00"],
    ...     "first_sales_touch_at": ["2026-03-09T10:00:00", "2026-03-03T12:00:00", None]})
    >>> sla_status(leads, sla_hours=8, as_of="2026-03-10")[["business_hours", "status"]].values.tolist()
    [[2.0, 'met'], [11.0, 'late'], [48.0, 'never touched']]

    """
    target = _check_target(sla_hours, "sla_status")
    hours = hours or BusinessHours()
    if is_path(contacts):
        from ._duckdb import sla_sql

        members = _team_or_none(team)
        measured = sla_sql(
            contacts,
            members,
            target=target,
            hours=hours,
            time_zone=time_zone,
            default_time_zone=default_time_zone,
            as_of=as_of,
            start=start,
            end=end,
        )
        known = set(members["owner"]) if members is not None else set()
        unknown = (
            sorted({o for o in measured["owner"].dropna().unique() if o not in known})
            if time_zone == "owner" and members is not None
            else []
        )
        return _with_status(measured, target, _unknown_owners_note(unknown, default_time_zone))
    frame = frame_columns(
        contacts,
        table="contacts",
        needed=["contact_id", "mql_at", "first_sales_touch_at"],
        optional=["owner", "source_channel"],
    )
    mql = to_utc(frame["mql_at"], column="mql_at", function="sla_status")
    touch = to_utc(frame["first_sales_touch_at"], column="first_sales_touch_at", function="sla_status")
    cut = moment(as_of, name="as_of", function="sla_status") if as_of is not None else _latest(mql, touch)
    keep = mql.notna() & _in_period(mql, start, end)
    frame, mql, touch = frame[keep], mql[keep], touch[keep]
    owners = frame["owner"] if "owner" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    zones, notes = _zones(owners, team, time_zone, default_time_zone)
    until = touch.where(touch.notna(), cut)
    elapsed = business_hours_between(mql, until, time_zone=zones, hours=hours)
    result = pd.DataFrame(
        {
            "contact_id": frame["contact_id"].astype(str).to_numpy(),
            "owner": owners.to_numpy(dtype=object),
            "source_channel": frame["source_channel"].to_numpy(dtype=object)
            if "source_channel" in frame.columns
            else None,
            "territory": _territories(owners, team),
            "month": mql.dt.strftime("%Y-%m").to_numpy(dtype=object),
            "mql_at": mql.to_numpy(),
            "first_sales_touch_at": touch.to_numpy(),
            "time_zone": zones.to_numpy(dtype=object),
            "business_hours": elapsed.round(6).to_numpy(),
        }
    )
    none_for_missing(result, ["owner", "source_channel", "territory"])
    return _with_status(result, target, notes)


def _with_status(measured: pd.DataFrame, target: float, notes: list[str]) -> pd.DataFrame:
    """Add each MQL's status to the measured hours (the same step for both engines)."""
    measured["status"] = _statuses(
        measured["first_sales_touch_at"].notna().to_numpy(), measured["business_hours"].to_numpy(), target
    )
    measured.attrs["target_hours"] = target
    return finish(measured, notes=notes)


def _unknown_owners_note(unknown: list[str], zone: str) -> list[str]:
    if not unknown:
        return []
    return [_("Owners not in the sales team, measured on {zone}: {names}.").format(zone=zone, names=", ".join(unknown))]


def _team_or_none(team: Table | None) -> pd.DataFrame | None:
    from .routing import _team

    return None if team is None else _team(team)


def _statuses(touched: np.ndarray, elapsed: np.ndarray, target: float) -> np.ndarray:
    within = np.nan_to_num(elapsed, nan=np.inf) <= target + 1e-9
    return np.select(
        [touched & within, touched, ~within],
        ["met", "late", "never touched"],
        "waiting",
    ).astype(object)


def _latest(*moments: pd.Series) -> pd.Timestamp:
    stamps = [m.max() for m in moments if len(m) and pd.notna(m.max())]
    return max(stamps) if stamps else pd.Timestamp.now().floor("s")


def _in_period(stamps: pd.Series, start: str | None, end: str | None) -> pd.Series:
    from .._validate import period

    first, last = period(start, end, function="sla_status")
    keep = pd.Series(True, index=stamps.index)
    if first:
        keep &= stamps >= pd.Timestamp(first)
    if last:
        keep &= stamps < pd.Timestamp(last) + pd.Timedelta(days=1)
    return keep


def _territories(owners: pd.Series, team: Table | None) -> np.ndarray:
    if team is None:
        return np.full(len(owners), None, dtype=object)
    from .routing import _team

    members = _team(team)
    if "territory" not in members.columns:
        return np.full(len(owners), None, dtype=object)
    return (
        owners.astype("string")
        .str.strip()
        .map(dict(zip(members["owner"], members["territory"], strict=True)))
        .to_numpy(dtype=object)
    )


@checked
def sla_compliance(status: pd.DataFrame, *, by: str | Sequence[str] | None = "owner") -> pd.DataFrame:
    """Compliance per group from :func:`sla_status`: counts by status, the rate and the median time to touch.

    Args:
        status: the result of :func:`sla_status`.
        by: ``"owner"``, ``"source_channel"``, ``"territory"``, ``"month"``, a list of them, or None for one row.

    Returns:
        The ``by`` columns, then mqls, met, late, never_touched, waiting, compliance (percent of the MQLs that
        are due, between 0 and 100; empty when none is due) and median_hours (business hours to the touch,
        touched MQLs only). Worst compliance first.

    >>> status = pd.DataFrame({"owner": ["x", "x", "y"], "status": ["met", "late", "waiting"],
    ...                        "business_hours": [2.0, 11.0, 1.0]})
    >>> sla_compliance(status)[["owner", "compliance"]].values.tolist()
    [['x', 50.0], ['y', nan]]

    """
    from .._validate import as_keys, check_keys

    keys = as_keys(by)
    check_keys(keys, [g for g in GROUPS if g in status.columns], function="sla_compliance")
    frame = status.assign(
        met=(status["status"] == "met").astype("int64"),
        late=(status["status"] == "late").astype("int64"),
        never_touched=(status["status"] == "never touched").astype("int64"),
        waiting=(status["status"] == "waiting").astype("int64"),
        touched_hours=status["business_hours"].where(status["status"].isin(["met", "late"])),
        mqls=1,
    )
    counts = ["mqls", "met", "late", "never_touched", "waiting"]
    if keys:
        frame[keys] = frame[keys].astype(object).where(frame[keys].notna(), _("(none)"))
        grouped = frame.groupby(keys, sort=True)
        result = grouped[counts].sum().join(grouped["touched_hours"].median().rename("median_hours")).reset_index()
    else:
        result = frame[counts].sum().to_frame().T.astype("int64")
        result["median_hours"] = frame["touched_hours"].median()
    due = result["met"] + result["late"] + result["never_touched"]
    result["compliance"] = (100.0 * result["met"] / due.where(due > 0)).astype("float64")
    result = result.sort_values(["compliance", *keys], na_position="last", kind="stable")
    columns = [*keys, *counts, "compliance", "median_hours"]
    return finish(result[columns], notes=[])


@checked
def sla_breaches(status: pd.DataFrame) -> pd.DataFrame:
    """The MQLs that broke the SLA (late or never touched), longest wait first.

    >>> status = pd.DataFrame({"contact_id": ["a", "b"], "status": ["late", "met"], "business_hours": [11.0, 2.0]})
    >>> sla_breaches(status)["contact_id"].tolist()
    ['a']
    """
    breached = status[status["status"].isin(["late", "never touched"])]
    return finish(breached.sort_values("business_hours", ascending=False, kind="stable"), notes=[])


@dataclass(frozen=True)
class SlaReport:
    """The SLA as a sales leader reads it: overall, by owner, by source, and every breach.

    Attributes:
        target_hours: the SLA, in business hours.
        hours: the working week it was measured in.
        time_zone: ``"owner"`` or the one zone used.
        overall: one row (see :func:`sla_compliance`).
        by_owner: one row per owner, worst first.
        by_source: one row per source channel, worst first.
        breaches: the late and never-touched MQLs, longest wait first.
        leads: every MQL measured (:func:`sla_status`).
        queues: owners that are team queues, not people (left out when naming the worst owner).

    """

    target_hours: float
    hours: BusinessHours
    time_zone: str
    overall: pd.DataFrame
    by_owner: pd.DataFrame
    by_source: pd.DataFrame
    breaches: pd.DataFrame
    leads: pd.DataFrame
    queues: tuple[str, ...] = ()

    @property
    def compliance(self) -> float:
        """The team's compliance, in percent (NaN when no MQL is due yet)."""
        return float(self.overall["compliance"].iloc[0]) if len(self.overall) else float("nan")

    def worst(self, part: str = "owner", *, exclude: Sequence[str] | None = None) -> str | None:
        """The owner (or source) with the lowest compliance among those with at least 5 MQLs due.

        Args:
            part: ``"owner"`` or ``"source"``.
            exclude: names to leave out (default: the team's queues, which are not people).

        """
        exclude = self.queues if exclude is None else exclude
        table = self.by_owner if part == "owner" else self.by_source
        key = "owner" if part == "owner" else "source_channel"
        due = table["met"] + table["late"] + table["never_touched"]
        ranked = table[(due >= 5) & ~table[key].isin(list(exclude))].dropna(subset=["compliance"])
        return None if ranked.empty else str(ranked.iloc[0][key])

    def summary(self) -> str:
        """The SLA in three sentences."""
        row = self.overall.iloc[0]
        text = _(
            "{met} of {due} MQLs due were touched within {target:g} business hours ({hours}): {rate:.1f}% compliance."
        ).format(
            met=int(row["met"]),
            due=int(row["met"] + row["late"] + row["never_touched"]),
            target=self.target_hours,
            hours=self.hours.describe(),
            rate=self.compliance,
        )
        text += " " + _("{late} were touched late and {never} never.").format(
            late=int(row["late"]), never=int(row["never_touched"])
        )
        owner, source = self.worst("owner"), self.worst("source")
        if owner and source:
            text += " " + _("Worst owner: {owner}; worst source: {source}.").format(owner=owner, source=source)
        return text

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.summary())}</p>"

    def __str__(self) -> str:
        return self.summary()


@checked
def sla_report(
    contacts: Table,
    team: Table | None = None,
    *,
    sla_hours: float = 8.0,
    hours: BusinessHours | None = None,
    time_zone: str = "owner",
    default_time_zone: str = "UTC",
    as_of: Any = None,
    start: str | None = None,
    end: str | None = None,
) -> SlaReport:
    """Measure the SLA and summarize it overall, by owner and by source, with the breaches.

    Takes the arguments of :func:`sla_status`.

    >>> from mopskit.data import load
    >>> report = sla_report(load("contacts"), load("sales_team"))
    >>> 0 <= report.compliance <= 100
    True
    """
    hours = hours or BusinessHours()
    team = _team_or_none(team)  # read once: a file is validated once, then passed on as a table
    status = sla_status(
        contacts,
        team,
        sla_hours=sla_hours,
        hours=hours,
        time_zone=time_zone,
        default_time_zone=default_time_zone,
        as_of=as_of,
        start=start,
        end=end,
    )
    return SlaReport(
        target_hours=float(sla_hours),
        hours=hours,
        time_zone=time_zone,
        overall=sla_compliance(status, by=None),
        by_owner=sla_compliance(status, by="owner"),
        by_source=sla_compliance(status, by="source_channel"),
        breaches=sla_breaches(status),
        leads=status,
        queues=_queues(team),
    )


def _queues(team: Table | None) -> tuple[str, ...]:
    """The owners of a team that are queues (role ``queue``), not people."""
    if team is None:
        return ()
    from .routing import _team

    members = _team(team)
    if "role" not in members.columns:
        return ()
    return tuple(members.loc[members["role"].astype(str).str.strip().str.lower() == "queue", "owner"])
