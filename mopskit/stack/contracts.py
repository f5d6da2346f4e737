"""Checks of contracts and data: notice deadlines, personal data without a DPA or recent reviews, retired tools."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..i18n import _
from .checks import Finding, Thresholds, _day, _days, _missing, _true, money

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["privacy", "privacy_findings", "renewal_findings", "renewals", "retired_findings"]


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


# ---------------------------------------------------------------- renewals


def renewals(frame: pd.DataFrame, limits: Thresholds, actions: dict[str, str]) -> pd.DataFrame:
    """Contracts with a renewal date: notice deadline (renewal minus notice period), days left, and the window.

    A missing notice period counts as 0 days, so the deadline is the renewal date itself.

    >>> import pandas as pd
    >>> from mopskit.stack import thresholds
    >>> stack = pd.DataFrame({"tool": ["Mailer"], "annual_cost": [4200.0],
    ...     "contract_renewal": [pd.Timestamp("2026-12-01")], "notice_period_days": [30]})
    >>> due = renewals(stack, thresholds(today="2026-10-31"), {"Mailer": "consolidate"})
    >>> row = due.iloc[0]
    >>> f"{row['notice_deadline']:%Y-%m-%d}", int(row["days_to_deadline"]), bool(row["in_window"])
    ('2026-11-01', 1, True)
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
