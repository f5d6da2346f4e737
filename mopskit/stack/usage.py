"""Checks of how the stack is used: seats and logins, owners, tools doing the same job, and the stack's size."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .checks import Finding, Thresholds, _day, _days, _missing, _true, money, whole_stack
from .taxonomy import categories, category, size_benchmark

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["owner_findings", "redundancy_findings", "redundant_groups", "size_finding", "usage_findings", "utilization"]


# ---------------------------------------------------------------- seats and logins


def utilization(frame: pd.DataFrame, limits: Thresholds, *, has_seats: bool, has_logins: bool) -> pd.DataFrame:
    """Seats, active users, utilization and cost per active user, one row per live tool.

    Zero seats or zero active users give an empty (NaN) ratio and a note that explains it, never infinity.
    """
    import numpy as np
    import pandas as pd

    table = frame[["tool", "category", "annual_cost", "seats", "active_users", "last_login"]].copy()
    seats = table["seats"].astype("Float64")
    active = table["active_users"].astype("Float64")
    table["idle_seats"] = (seats - active).astype("Float64")
    table["utilization_pct"] = (100 * active / seats.where(seats > 0)).round(1).astype(float)
    table["cost_per_active_user"] = (table["annual_cost"] / active.where(active > 0)).round(2).astype(float)
    table["days_since_login"] = [np.nan if _missing(d) else float(_days(limits.today, d)) for d in table["last_login"]]
    notes = []
    for row in table.itertuples():
        if not has_seats:
            notes.append(_("no seats or active-user columns in the inventory"))
        elif _missing(row.seats) or row.seats == 0:
            notes.append(_("no seats recorded (free or unlimited plan): utilization cannot be computed"))
        elif row.active_users == 0:
            notes.append(
                _("no active users: cost per active user is undefined, the whole cost buys nothing in use")
                if row.annual_cost > 0
                else _("no active users")
            )
        else:
            notes.append("")
    table["note"] = notes
    if not has_logins:
        table["days_since_login"] = pd.Series(np.nan, index=table.index)
    return table.reset_index(drop=True)


def usage_findings(table: pd.DataFrame, limits: Thresholds, *, has_seats: bool, has_logins: bool) -> list[Finding]:
    """Unused tools (nobody active), stale ones (no login for long) and idle seats."""
    findings = []
    for row in table.itertuples():
        paid = row.annual_cost > 0
        if has_seats and not _missing(row.seats) and row.seats > 0 and row.active_users == 0:
            findings.append(
                Finding(
                    row.tool,
                    "unused",
                    _("Nobody used {tool} in the last 30 days.").format(tool=row.tool),
                    "high" if paid else "low",
                    _("0 of {seats} seats active; {cost} a year; last login {login}").format(
                        seats=int(row.seats), cost=money(row.annual_cost), login=_day(row.last_login)
                    ),
                    "sunset",
                )
            )
            continue
        if has_logins and not _missing(row.days_since_login) and row.days_since_login > limits.stale_after_days:
            findings.append(
                Finding(
                    row.tool,
                    "stale",
                    _("Nobody logged into {tool} for {days} days.").format(
                        tool=row.tool, days=int(row.days_since_login)
                    ),
                    "high" if paid else "low",
                    _("last login {login}, {days} days before {today} (limit {limit} days); {cost} a year").format(
                        login=_day(row.last_login),
                        days=int(row.days_since_login),
                        today=limits.today.isoformat(),
                        limit=limits.stale_after_days,
                        cost=money(row.annual_cost),
                    ),
                    "sunset",
                )
            )
        if has_seats and not math.isnan(row.utilization_pct) and row.utilization_pct < limits.low_utilization_pct:
            findings.append(
                Finding(
                    row.tool,
                    "utilization",
                    _("Most seats of {tool} sit idle.").format(tool=row.tool),
                    "medium" if paid else "low",
                    _(
                        "{active} of {seats} seats active ({pct:g}%, below {limit:g}%); {idle} idle seats; "
                        "{cost} a year, {per} per active user"
                    ).format(
                        active=int(row.active_users),
                        seats=int(row.seats),
                        pct=row.utilization_pct,
                        limit=limits.low_utilization_pct,
                        idle=int(row.idle_seats),
                        cost=money(row.annual_cost),
                        per=money(row.cost_per_active_user),
                    ),
                    "renegotiate" if paid else "review",
                )
            )
    return findings


# ---------------------------------------------------------------- owners


def owner_findings(frame: pd.DataFrame) -> list[Finding]:
    """Live tools nobody is accountable for."""
    findings = []
    for row in frame.itertuples():
        if _missing(row.owner) or not str(row.owner).strip():
            extra = _(", holds personal data") if _true(row.holds_personal_data) else ""
            findings.append(
                Finding(
                    row.tool,
                    "owner",
                    _("Nobody owns {tool}: no one renews, trains, or answers for it.").format(tool=row.tool),
                    "medium",
                    _("owner is empty; {cost} a year{extra}").format(cost=money(row.annual_cost), extra=extra),
                    "review",
                )
            )
    return findings


# ---------------------------------------------------------------- overlaps


def redundant_groups(frame: pd.DataFrame, *, connections: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Groups of live tools that do the same job: same category, or a category that covers another's job.

    Ad networks are never grouped (each sells its own audience); a marketing automation platform is grouped
    with email tools because it sends email too. In each group the tool with the most active users (then the
    most integrations, then the highest cost) is the one to keep.

    Returns:
        One dict per group: ``job`` (category id), ``tools`` (keeper first) and ``keeper``.

    >>> import pandas as pd
    >>> stack = pd.DataFrame({"tool": ["HubSpot", "Mailchimp", "Google Ads", "LinkedIn Ads"],
    ...     "category": ["marketing_automation", "email", "ads", "ads"], "active_users": [7, 1, 3, 2],
    ...     "annual_cost": [43200.0, 4200.0, 0.0, 0.0]})
    >>> redundant_groups(stack)
    [{'job': 'email', 'tools': ['HubSpot', 'Mailchimp'], 'keeper': 'HubSpot'}]

    """
    connections = connections or {}
    groups: list[dict[str, Any]] = []
    seen: set[frozenset[str]] = set()
    known = {c.id for c in categories()}
    for job in categories():
        if not job.one_is_enough:
            continue
        members = frame[[c == job.id or (c in known and job.id in category(c).covers) for c in frame["category"]]]
        if len(members) < 2 or frozenset(members["tool"]) in seen:
            continue
        seen.add(frozenset(members["tool"]))

        def rank(row: Any) -> tuple[float, int, float, str]:
            users = -1.0 if _missing(row["active_users"]) else float(row["active_users"])
            return (users, connections.get(row["tool"], 0), float(row["annual_cost"]), row["tool"])

        ordered = sorted((row for _, row in members.iterrows()), key=rank, reverse=True)
        groups.append({"job": job.id, "tools": [r["tool"] for r in ordered], "keeper": ordered[0]["tool"]})
    return groups


def redundancy_findings(
    frame: pd.DataFrame, groups: list[dict[str, Any]], connections: dict[str, int]
) -> list[Finding]:
    """A finding for every tool of a group but the one to keep."""
    by_tool = frame.set_index("tool")
    findings = []
    for group in groups:
        parts = []
        for tool in group["tools"]:
            row = by_tool.loc[tool]
            seats = (
                ""
                if _missing(row["seats"])
                else _("{a}/{s} seats active, ").format(a=int(row["active_users"]), s=int(row["seats"]))
            )
            parts.append(
                _("{tool} ({seats}{n} connection(s), {cost})").format(
                    tool=tool, seats=seats, n=connections.get(tool, 0), cost=money(row["annual_cost"])
                )
            )
        name = category(group["job"]).name
        evidence = _("{job}: {tools}; keep {keeper}").format(
            job=name.lower(), tools="; ".join(parts), keeper=group["keeper"]
        )
        for tool in group["tools"][1:]:
            retiring = by_tool.loc[tool, "status"] == "retiring"
            others = ", ".join(t for t in group["tools"] if t != tool)
            findings.append(
                Finding(
                    tool,
                    "redundancy",
                    (
                        _("{tool} is already retiring; finish moving its work to {keeper}.")
                        if retiring
                        else _("{tool} does the same job ({job}) as {others}.")
                    ).format(tool=tool, keeper=group["keeper"], job=name.lower(), others=others),
                    "info" if retiring else "medium",
                    evidence,
                    "sunset" if retiring else "consolidate",
                )
            )
    return findings


# ---------------------------------------------------------------- stack size


def size_finding(tools: int, limits: Thresholds) -> tuple[dict[str, Any], Finding]:
    """The number of live tools against the articles' benchmark for the company's size band."""
    from .. import content

    band = size_benchmark(limits.company_size)
    if tools < band.min_apps:
        verdict, severity = _("fewer than usual"), "info"
    elif band.max_apps is not None and tools > band.max_apps:
        verdict, severity = _("more than usual: look for tools to consolidate"), "low"
    else:
        verdict, severity = _("within the usual range"), "info"
    source = content.source_title(band.source)
    row = {
        "tools": tools,
        "company_size": band.size,
        "benchmark": band.describe(),
        "verdict": verdict,
        "source": source,
    }
    finding = Finding(
        whole_stack(),
        "size",
        _("The stack has {n} live tools, {verdict} for {label}.").format(n=tools, verdict=verdict, label=band.label),
        severity,
        _("{n} live tools; {label} commonly run {range} ({source})").format(
            n=tools, label=band.label, range=band.describe(), source=source
        ),
        "review" if severity != "info" else "keep",
    )
    return row, finding
