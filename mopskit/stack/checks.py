"""What every check shares: findings, severities, actions, thresholds, and how one action is chosen per tool.

The checks themselves live by theme (:mod:`~mopskit.stack.usage`: seats, logins, owners, overlaps, size;
:mod:`~mopskit.stack.contracts`: renewals, personal data, retired tools; :mod:`~mopskit.stack.integrations`).
Each takes the prepared inventory (:func:`mopskit.stack.audit.load_inventory`) and the thresholds, and returns
plain DataFrames and :class:`Finding` rows; :func:`mopskit.stack.audit` puts them together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .._validate import checked, count, percent
from .._validate import day as valid_day
from ..errors import ParameterError
from ..i18n import _
from .taxonomy import categories, size_benchmark, statuses

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACTIONS",
    "CHECKS",
    "SEVERITIES",
    "Finding",
    "Thresholds",
    "checked_thresholds",
    "findings_frame",
    "label_findings",
    "money",
    "resolve_actions",
    "thresholds",
    "whole_stack",
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


@checked
def thresholds(
    *,
    today: str | dt.date | None = None,
    renewal_window_days: int = Thresholds.renewal_window_days,
    low_utilization_pct: float = Thresholds.low_utilization_pct,
    stale_after_days: int = Thresholds.stale_after_days,
    review_max_age_days: int = Thresholds.review_max_age_days,
    company_size: str = Thresholds.company_size,
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
    return checked_thresholds(
        "thresholds",
        today=today,
        renewal_window_days=renewal_window_days,
        low_utilization_pct=low_utilization_pct,
        stale_after_days=stale_after_days,
        review_max_age_days=review_max_age_days,
        company_size=company_size,
    )


def checked_thresholds(
    function: str,
    *,
    today: Any,
    renewal_window_days: Any,
    low_utilization_pct: Any,
    stale_after_days: Any,
    review_max_age_days: Any,
    company_size: Any,
) -> Thresholds:
    """:func:`thresholds` for the public ``function`` that was called, so its messages name that function."""
    problems = []
    day = dt.date.today()
    days: dict[str, int] = {}
    pct = 0.0
    if today is not None and str(today).strip():
        try:
            day = valid_day(today, "today", function=function)
        except ParameterError as exc:
            problems.append(str(exc))
    for name, value in (
        ("renewal_window_days", renewal_window_days),
        ("stale_after_days", stale_after_days),
        ("review_max_age_days", review_max_age_days),
    ):
        try:
            days[name] = count(value, name, function=function)
        except ParameterError as exc:
            problems.append(str(exc))
    try:
        pct = percent(low_utilization_pct, "low_utilization_pct", function=function)
    except ParameterError as exc:
        problems.append(str(exc))
    try:
        size_benchmark(company_size)
    except ParameterError as exc:
        problems.append(str(exc))
    if problems:
        raise ParameterError("\n".join(problems))
    return Thresholds(
        day,
        days["renewal_window_days"],
        pct,
        days["stale_after_days"],
        days["review_max_age_days"],
        company_size,
    )


@checked
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


# ---------------------------------------------------------------- actions


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
