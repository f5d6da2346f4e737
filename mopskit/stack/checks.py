"""The audit's checks, one function each: a table for people to read and the findings it raises.

Every check takes the prepared inventory (see :func:`mopskit.stack.audit.load_inventory`) and the thresholds,
and returns plain DataFrames and :class:`Finding` rows; :func:`mopskit.stack.audit` puts them together.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ParameterError
from ..i18n import _
from .taxonomy import categories, category, size_benchmark, statuses

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACTIONS",
    "CHECKS",
    "SEVERITIES",
    "Finding",
    "Thresholds",
    "money",
    "thresholds",
]

SEVERITIES = ("info", "low", "medium", "high")
ACTIONS = ("keep", "consolidate", "sunset", "renegotiate", "review")
# When one tool has several findings of the same severity, the action of the first in this order wins.
ACTION_PRIORITY = ("sunset", "consolidate", "review", "renegotiate", "keep")


def _checks() -> dict[str, str]:
    return {
        "category_label": _("category not in the taxonomy"),
        "status_label": _("status not in the vocabulary"),
        "unused": _("no active users"),
        "stale": _("no recent login"),
        "utilization": _("idle seats"),
        "redundancy": _("overlapping tools"),
        "owner": _("no owner"),
        "no_hub": _("no CRM or marketing automation platform"),
        "integration": _("not connected to the CRM or marketing automation"),
        "integration_target": _("integration with a tool not in the inventory"),
        "renewal": _("notice deadline"),
        "privacy_dpa": _("personal data without a DPA"),
        "privacy_review": _("privacy or security review overdue"),
        "retired": _("retired tool still on the books"),
        "size": _("stack size against the benchmark"),
    }


CHECKS = _checks()
"""Every check the audit runs, by id, with a few words on what it looks for."""


@dataclass(frozen=True)
class Finding:
    """One thing the audit found about one tool (or about the whole stack).

    Attributes:
        tool: the tool, or ``(whole stack)``.
        check: the check that raised it (a key of :data:`CHECKS`).
        finding: what is wrong, in a sentence.
        severity: ``info``, ``low``, ``medium`` or ``high``.
        evidence: the numbers that triggered it.
        action: the recommended action: ``keep``, ``consolidate``, ``sunset``, ``renegotiate`` or ``review``.

    """

    tool: str
    check: str
    finding: str
    severity: str
    evidence: str
    action: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES or self.action not in ACTIONS or self.check not in CHECKS:
            raise ValueError(f"bad finding: {self}")


def whole_stack() -> str:
    """The ``tool`` of findings about the stack as a whole."""
    return _("(whole stack)")


@dataclass(frozen=True)
class Thresholds:
    """The limits the checks use; build them with :func:`thresholds`, which checks every value."""

    today: dt.date
    renewal_window_days: int = 90
    low_utilization_pct: float = 50.0
    stale_after_days: int = 90
    review_max_age_days: int = 365
    company_size: str = "smb"

    def as_dict(self) -> dict[str, Any]:
        """The thresholds by name, dates as text."""
        values = asdict(self)
        values["today"] = self.today.isoformat()
        return values


def parse_date(value: Any, name: str) -> dt.date:
    """Read a date given as ``YYYY-MM-DD`` text, a date or a timestamp, or say what is wrong.

    >>> parse_date("2026-10-31", "today")
    datetime.date(2026, 10, 31)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(
            _("'{name}' must be a date written YYYY-MM-DD, like 2026-10-31 (got '{value}')").format(
                name=name, value=value
            )
        ) from None


def thresholds(
    *,
    today: str | dt.date | None = None,
    renewal_window_days: int = 90,
    low_utilization_pct: float = 50.0,
    stale_after_days: int = 90,
    review_max_age_days: int = 365,
    company_size: str = "smb",
) -> Thresholds:
    """Check the audit's thresholds and return them; every bad value is named in one error.

    Args:
        today: the audit date (``YYYY-MM-DD``); ``None`` means today.
        renewal_window_days: notice deadlines within this many days from ``today`` are flagged.
        low_utilization_pct: seat use below this percentage is flagged as idle seats.
        stale_after_days: a tool nobody logged into for more days than this is flagged.
        review_max_age_days: privacy and security reviews older than this are overdue.
        company_size: the size band for the stack-size benchmark (``smb`` or ``enterprise``).

    Raises:
        ParameterError: naming each bad value, the rule, and what was given.

    >>> thresholds(today="2026-10-31", renewal_window_days=30).renewal_window_days
    30

    """
    problems = []
    day = dt.date.today()
    if today is not None and str(today).strip():
        try:
            day = parse_date(today, "today")
        except ParameterError as exc:
            problems.append(str(exc))
    for name, value in (
        ("renewal_window_days", renewal_window_days),
        ("stale_after_days", stale_after_days),
        ("review_max_age_days", review_max_age_days),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(
                _("'{name}' must be a whole number of days, 0 or more (got {value!r})").format(name=name, value=value)
            )
    if (
        isinstance(low_utilization_pct, bool)
        or not isinstance(low_utilization_pct, int | float)
        or not (0 <= low_utilization_pct <= 100)
    ):
        problems.append(
            _("'low_utilization_pct' must be a percentage from 0 to 100 (got {value!r})").format(
                value=low_utilization_pct
            )
        )
    try:
        size_benchmark(company_size)
    except ParameterError as exc:
        problems.append(str(exc))
    if problems:
        raise ParameterError("; ".join(problems))
    return Thresholds(
        day, renewal_window_days, float(low_utilization_pct), stale_after_days, review_max_age_days, company_size
    )


def money(amount: float) -> str:
    """An amount as people read it, in the data's currency.

    >>> money(54000), money(1234.5)
    ('$54,000', '$1,234.50')
    """
    from ..data import currency

    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    code = currency()
    return f"${text}" if code == "USD" else f"{text} {code}"


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _true(value: Any) -> bool:
    return not _missing(value) and bool(value)


def _day(value: Any) -> str:
    return "?" if _missing(value) else value.strftime("%Y-%m-%d")


def _days(later: Any, earlier: Any) -> int:
    return (later.date() if hasattr(later, "date") else later).toordinal() - (
        earlier.date() if hasattr(earlier, "date") else earlier
    ).toordinal()


# ---------------------------------------------------------------- labels


def label_findings(frame: pd.DataFrame) -> list[Finding]:
    """Categories and statuses the kit does not know: kept as written, reported so a person can map them."""
    known_categories = [c.id for c in categories()]
    known_statuses = [s.id for s in statuses()]
    findings = []
    for row in frame.itertuples():
        if row.category not in known_categories:
            findings.append(
                Finding(
                    row.tool,
                    "category_label",
                    _("The category '{label}' is not in the taxonomy, so overlap checks skip {tool}.").format(
                        label=row.category, tool=row.tool
                    ),
                    "low",
                    _("category as written: '{label}'; known: {n} categories (mopskit.stack.categories())").format(
                        label=row.category, n=len(known_categories)
                    ),
                    "review",
                )
            )
        if not _missing(row.status) and row.status not in known_statuses:
            findings.append(
                Finding(
                    row.tool,
                    "status_label",
                    _("The status '{label}' is not a known status; the audit counts {tool} as live.").format(
                        label=row.status, tool=row.tool
                    ),
                    "low",
                    _("status as written: '{label}'; known: {known}").format(
                        label=row.status, known=", ".join(known_statuses)
                    ),
                    "review",
                )
            )
    return findings


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


# ---------------------------------------------------------------- privacy


def privacy(frame: pd.DataFrame, limits: Thresholds) -> pd.DataFrame:
    """The live tools holding personal data: DPA, review dates and ages, and what is missing."""
    table = frame.loc[frame["holds_personal_data"].eq(True).fillna(False).astype(bool)]
    table = table[["tool", "owner", "dpa_signed", "last_privacy_review", "last_security_review"]].copy()
    for kind in ("privacy", "security"):
        table[f"{kind}_review_age_days"] = [
            float("nan") if _missing(d) else float(_days(limits.today, d)) for d in table[f"last_{kind}_review"]
        ]
    problems = []
    for row in table.itertuples():
        found = []
        if not _true(row.dpa_signed):
            found.append(_("DPA status unknown") if _missing(row.dpa_signed) else _("no signed DPA"))
        for kind, age in (("privacy", row.privacy_review_age_days), ("security", row.security_review_age_days)):
            if math.isnan(age):
                found.append(_("no {kind} review on record").format(kind=kind))
            elif age > limits.review_max_age_days:
                found.append(_("{kind} review {days} days old").format(kind=kind, days=int(age)))
        problems.append("; ".join(found))
    table["problems"] = problems
    return table.reset_index(drop=True)


def privacy_findings(table: pd.DataFrame, limits: Thresholds) -> list[Finding]:
    """Personal data without a signed DPA (high), and reviews missing or older than the limit (medium)."""
    findings = []
    for row in table.itertuples():
        if not _true(row.dpa_signed):
            findings.append(
                Finding(
                    row.tool,
                    "privacy_dpa",
                    _("{tool} holds personal data without a signed data processing agreement (DPA).").format(
                        tool=row.tool
                    ),
                    "high",
                    _("holds_personal_data = yes, dpa_signed = {dpa}").format(
                        dpa=_("unknown") if _missing(row.dpa_signed) else _("no")
                    ),
                    "review",
                )
            )
        late = [
            (kind, age)
            for kind, age in (("privacy", row.privacy_review_age_days), ("security", row.security_review_age_days))
            if math.isnan(age) or age > limits.review_max_age_days
        ]
        if late:
            dates = {"privacy": row.last_privacy_review, "security": row.last_security_review}
            evidence = "; ".join(
                _("no {kind} review on record").format(kind=kind)
                if math.isnan(age)
                else _("last {kind} review {date} ({days} days ago)").format(
                    kind=kind, date=_day(dates[kind]), days=int(age)
                )
                for kind, age in late
            )
            findings.append(
                Finding(
                    row.tool,
                    "privacy_review",
                    (
                        _("{tool} holds personal data and its {kind} review is overdue.").format(
                            tool=row.tool, kind=late[0][0]
                        )
                        if len(late) == 1
                        else _("{tool} holds personal data and its privacy and security reviews are overdue.").format(
                            tool=row.tool
                        )
                    ),
                    "medium",
                    evidence + _("; limit {limit} days").format(limit=limits.review_max_age_days),
                    "review",
                )
            )
    return findings


# ---------------------------------------------------------------- retired tools


def retired_findings(frame: pd.DataFrame, limits: Thresholds) -> list[Finding]:
    """Retired tools that still cost money, still renew, or may still hold contacts' personal data."""
    findings = []
    for row in frame.itertuples():
        if row.annual_cost > 0 or (not _missing(row.contract_renewal) and row.contract_renewal.date() >= limits.today):
            findings.append(
                Finding(
                    row.tool,
                    "retired",
                    _("{tool} is retired but its contract is still running.").format(tool=row.tool),
                    "medium",
                    _("status retired; {cost} a year; renewal {renewal}").format(
                        cost=money(row.annual_cost), renewal=_day(row.contract_renewal)
                    ),
                    "review",
                )
            )
        if _true(row.holds_personal_data):
            findings.append(
                Finding(
                    row.tool,
                    "retired",
                    _("{tool} is retired: confirm the vendor deleted or returned the personal data it held.").format(
                        tool=row.tool
                    ),
                    "low",
                    _("status retired; holds_personal_data = yes"),
                    "review",
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


# ---------------------------------------------------------------- actions and renewals


def _rank(finding: Finding) -> tuple[int, int]:
    return (SEVERITIES.index(finding.severity), -ACTION_PRIORITY.index(finding.action))


def resolve_actions(tools: Iterable[str], findings: list[Finding]) -> dict[str, tuple[str, Finding | None]]:
    """One action per tool: that of its most severe finding above ``info`` (ties: sunset first), else keep."""
    best: dict[str, Finding] = {}
    for finding in findings:
        if finding.severity == "info":
            continue
        current = best.get(finding.tool)
        if current is None or _rank(finding) > _rank(current):
            best[finding.tool] = finding
    return {tool: (best[tool].action, best[tool]) if tool in best else ("keep", None) for tool in tools}


def renewals(frame: pd.DataFrame, limits: Thresholds, actions: dict[str, str]) -> pd.DataFrame:
    """Contracts with a renewal date: notice deadline (renewal minus notice period), days left, and the window.

    A missing notice period counts as 0 days, so the deadline is the renewal date itself.
    """
    import pandas as pd

    table = frame.loc[frame["contract_renewal"].notna(), ["tool", "annual_cost", "contract_renewal"]].copy()
    notice = frame.loc[table.index, "notice_period_days"].astype("Float64").fillna(0)
    table["notice_period_days"] = notice.astype(int)
    table["notice_deadline"] = table["contract_renewal"] - pd.to_timedelta(table["notice_period_days"], unit="D")
    table["days_to_deadline"] = [_days(d, limits.today) for d in table["notice_deadline"]]
    table["days_to_renewal"] = [_days(d, limits.today) for d in table["contract_renewal"]]
    table["in_window"] = table["days_to_deadline"].between(0, limits.renewal_window_days)
    table["deadline_passed"] = (table["days_to_deadline"] < 0) & (table["days_to_renewal"] >= 0)
    table["action"] = [actions.get(t, "keep") for t in table["tool"]]
    return table.sort_values(["notice_deadline", "tool"]).reset_index(drop=True)


def renewal_findings(table: pd.DataFrame, limits: Thresholds) -> list[Finding]:
    """Notice deadlines in the window or just passed; the more there is to change, the more urgent."""
    findings = []
    for row in table.itertuples():
        terms = _("renewal {renewal}, {notice} days' notice, {cost} a year").format(
            renewal=_day(row.contract_renewal), notice=row.notice_period_days, cost=money(row.annual_cost)
        )
        change = row.action in ("sunset", "consolidate", "renegotiate")
        if row.days_to_renewal < 0:
            findings.append(
                Finding(
                    row.tool,
                    "renewal",
                    _("The renewal date of {tool} is in the past: update the inventory.").format(tool=row.tool),
                    "low",
                    _("renewal {renewal}, {days} days before {today}").format(
                        renewal=_day(row.contract_renewal), days=-row.days_to_renewal, today=limits.today.isoformat()
                    ),
                    "review",
                )
            )
        elif row.in_window:
            severity = "high" if change else "medium" if row.action == "review" else "info"
            findings.append(
                Finding(
                    row.tool,
                    "renewal",
                    (
                        _("Decide on {tool} by {deadline}: after that it renews as it is.")
                        if row.action != "keep"
                        else _("{tool} can be renewed as planned; its notice deadline is {deadline}.")
                    ).format(tool=row.tool, deadline=_day(row.notice_deadline)),
                    severity,
                    _("notice deadline {deadline}, {days} day(s) from {today}; {terms}").format(
                        deadline=_day(row.notice_deadline),
                        days=row.days_to_deadline,
                        today=limits.today.isoformat(),
                        terms=terms,
                    ),
                    row.action,
                )
            )
        elif row.deadline_passed and row.action != "keep":
            findings.append(
                Finding(
                    row.tool,
                    "renewal",
                    _(
                        "The notice deadline of {tool} has passed: it renews on {renewal} unless the vendor agrees."
                    ).format(tool=row.tool, renewal=_day(row.contract_renewal)),
                    "high" if change else "medium",
                    _("notice deadline {deadline}, {days} day(s) before {today}; {terms}").format(
                        deadline=_day(row.notice_deadline),
                        days=-row.days_to_deadline,
                        today=limits.today.isoformat(),
                        terms=terms,
                    ),
                    row.action,
                )
            )
    return findings


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """The findings as a table, most severe first (then by tool and check)."""
    import pandas as pd

    columns = ["tool", "check", "finding", "severity", "evidence", "action"]
    table = pd.DataFrame([asdict(f) for f in findings], columns=columns)
    if table.empty:
        return table.astype(str)
    table["_rank"] = table["severity"].map(SEVERITIES.index)
    table = table.sort_values(["_rank", "tool", "check"], ascending=[False, True, True], kind="stable")
    return table.drop(columns="_rank").reset_index(drop=True)
