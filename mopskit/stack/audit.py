"""Audit a stack inventory: every check at once, one result with findings, tables, a health score and a summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import checked
from ..data import read, table_spec, validate
from ..errors import DataError, ParameterError
from ..i18n import _
from ..present import for_people
from . import checks as ck
from . import contracts, usage
from .health import HEALTH_PARTS, Health, health
from .integrations import IntegrationMap, integration_findings, integration_map
from .taxonomy import category, size_benchmark, statuses

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Inventory", "StackAudit", "audit", "load_inventory"]

TABLE = "martech_stack"
# Which checks need which optional columns: a check whose columns are missing is skipped and named.
_NEEDS = {
    "seat utilization and cost per active user": ("seats", "active_users"),
    "logins": ("last_login",),
    "ownership": ("owner",),
    "integrations": ("integrates_with",),
    "renewals": ("contract_renewal",),
    "privacy": ("holds_personal_data",),
}


@dataclass(frozen=True)
class Inventory:
    """A validated inventory: every column of the ``martech_stack`` table present (missing ones empty).

    Attributes:
        frame: the tools, plus ``live`` (counted as part of the running stack).
        label: where it came from.
        missing: optional columns the inventory did not have.

    """

    frame: pd.DataFrame
    label: str
    missing: tuple[str, ...] = ()

    def skipped(self) -> dict[str, str]:
        """The checks that could not run, each with the reason."""
        return {
            name: _("no {columns} column in the inventory").format(columns=" / ".join(cols))
            for name, cols in _NEEDS.items()
            if any(c in self.missing for c in cols)
        }


@checked
def load_inventory(inventory: str | Path | pd.DataFrame, *, label: str | None = None) -> Inventory:
    """Read an inventory from a CSV or Parquet file (Excel CSVs welcome) or take a DataFrame, and validate it.

    Column names and labels may be a team's own (``Tool Name``, ``Licenses``, ``MAP``, ``Active``); see the
    ``martech_stack`` table in ``datasets/README.md``.

    Raises:
        DataError: listing every problem with its row and column.

    """
    import pandas as pd

    if isinstance(inventory, pd.DataFrame):
        name = label or _("the inventory DataFrame")
        frame = validate(inventory, table=TABLE, label=name)
    elif isinstance(inventory, str | Path):
        name = label or Path(inventory).name
        frame = read(inventory, table=TABLE)
    else:
        raise DataError(
            _("an inventory must be a file path or a DataFrame (got {kind})").format(kind=type(inventory).__name__)
        )
    spec = table_spec(TABLE)
    missing = tuple(c for c in spec.columns if c not in frame.columns)
    for column in missing:
        frame[column] = {"seats": pd.NA, "active_users": pd.NA}.get(column, None)
    if "status" in missing:
        frame["status"] = "in_use"
    for column in ("seats", "active_users", "notice_period_days"):
        frame[column] = frame[column].astype("Int64")
    for column in ("last_login", "contract_renewal", "last_privacy_review", "last_security_review"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("holds_personal_data", "dpa_signed"):
        frame[column] = frame[column].astype("boolean")
    frame["annual_cost"] = frame["annual_cost"].astype(float)
    dead = {s.id for s in statuses() if not s.live}
    frame["live"] = ~frame["status"].isin(dead)
    return Inventory(frame.reset_index(drop=True), name, missing)


@dataclass(frozen=True)
class StackAudit:
    """Everything :func:`audit` found. Each table is a DataFrame a person can read, or a plot can draw.

    Attributes:
        inventory: the validated inventory (all tools, ``live`` marks those in the running stack).
        limits: the thresholds used.
        findings: ``tool``, ``check``, ``finding``, ``severity`` (info/low/medium/high), ``evidence`` (the
            numbers that triggered it) and ``action`` (keep/consolidate/sunset/renegotiate/review), most severe
            first.
        actions: one row per live tool: its recommended ``action``, ``severity`` and ``reason``.
        cost_by_category / cost_by_owner: ``tools``, ``annual_cost`` and ``share_pct`` per category / owner.
        utilization: seats, active users, ``utilization_pct``, ``cost_per_active_user`` (NaN when nobody is
            active, explained in ``note``), days since the last login.
        redundant: groups of tools doing the same job (``job``, ``tools`` keeper first, ``keeper``).
        integrations: the integration graph.
        renewals: contracts with their notice deadline, days left, and whether it falls in the window.
        privacy: tools holding personal data, their DPA and review ages, and what is missing.
        size_benchmark: the stack's size against the articles' benchmark.
        health: the health score and its parts.
        labels: each category or status label the file wrote that differs from the value read or is unknown: ``column``,
            ``as_written``, ``read_as``, ``known`` (False: not in the vocabulary, kept as written) and ``tools``.
        skipped: checks that could not run, with the reason.

    """

    inventory: Inventory
    limits: ck.Thresholds
    findings: pd.DataFrame
    actions: pd.DataFrame
    cost_by_category: pd.DataFrame
    cost_by_owner: pd.DataFrame
    utilization: pd.DataFrame
    redundant: list[dict[str, Any]]
    integrations: IntegrationMap
    renewals: pd.DataFrame
    privacy: pd.DataFrame
    size_benchmark: dict[str, Any]
    health: Health
    labels: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)

    def by_severity(self, severity: str) -> pd.DataFrame:
        """The findings of one severity (``info``, ``low``, ``medium`` or ``high``)."""
        if severity not in ck.SEVERITIES:
            raise ParameterError(
                _("unknown severity '{s}'; valid: {valid}").format(s=severity, valid=", ".join(ck.SEVERITIES))
            )
        return self.findings[self.findings["severity"] == severity].reset_index(drop=True)

    def action_costs(self) -> pd.DataFrame:
        """Each live tool's yearly cost with its recommended action: ``tool``, ``annual_cost``, ``action``.

        >>> from mopskit.data import load
        >>> from mopskit.stack import as_of
        >>> costs = audit(load("martech_stack"), today=as_of()).action_costs()
        >>> costs.columns.tolist()
        ['tool', 'annual_cost', 'action']
        """
        costs = self.inventory.frame[["tool", "annual_cost"]].merge(self.actions[["tool", "action"]], on="tool")
        return for_people(costs, _headers())

    def action_of(self, tool: str) -> str:
        """The recommended action for one tool; an unknown tool lists the valid ones."""
        table = self.actions.set_index("tool")
        if tool not in table.index:
            raise ParameterError(
                _("there is no tool '{tool}' in the inventory; tools: {tools}").format(
                    tool=tool, tools=", ".join(table.index)
                )
            )
        return str(table.loc[tool, "action"])

    def summary(self) -> str:
        """The audit in a few sentences, for a manager who will not read the tables."""
        return _summary(self)

    def _repr_html_(self) -> str:
        import html

        return "<p>" + html.escape(self.summary()) + "</p>" + self.findings.to_html(index=False)


def _costs(frame: pd.DataFrame, by: str, label_of: Any) -> pd.DataFrame:
    import pandas as pd

    keys = frame[by].map(label_of)
    table = (
        pd.DataFrame({by: keys, "annual_cost": frame["annual_cost"]})
        .groupby(by, sort=False)
        .agg(tools=("annual_cost", "size"), annual_cost=("annual_cost", "sum"))
        .reset_index()
    )
    total = table["annual_cost"].sum()
    table["share_pct"] = (100 * table["annual_cost"] / total).round(1) if total > 0 else 0.0
    return table.sort_values(["annual_cost", by], ascending=[False, True]).reset_index(drop=True)


def _owner_label(*, recorded: bool) -> Any:
    def label(owner: Any) -> str:
        if isinstance(owner, str) and owner.strip():
            return owner
        return _("(no owner)") if recorded else _("(owners not recorded)")

    return label


def _category_name(value: str) -> str:
    try:
        return category(value).name
    except ParameterError:
        return value


def _labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Each label the file used that differs from the value read, or is unknown, with the tools that carry it."""
    import pandas as pd

    rows: dict[tuple[str, str, str], list[str]] = {}
    for column in ("category", "status"):
        label = f"{column}_label"
        if label not in frame.columns:
            continue
        for tool, written, read_as in zip(frame["tool"], frame[label], frame[column], strict=True):
            if isinstance(written, str) and (written != read_as or read_as not in _known(column)):
                rows.setdefault((column, written, read_as), []).append(tool)
    return pd.DataFrame(
        [
            {"column": c, "as_written": w, "read_as": r, "known": r in _known(c), "tools": ", ".join(t)}
            for (c, w, r), t in rows.items()
        ],
        columns=["column", "as_written", "read_as", "known", "tools"],
    )


def _known(column: str) -> set[str]:
    from .taxonomy import categories

    return {c.id for c in categories()} if column == "category" else {s.id for s in statuses()}


def _actions(
    tools: pd.Series,
    findings: list[ck.Finding],
    provisional: dict[str, tuple[str, ck.Finding | None]],
    renewals: pd.DataFrame,
) -> pd.DataFrame:
    """One row per tool: its action, its most severe finding's severity, the reason, and a deadline if one is near."""
    import pandas as pd

    final = ck.resolve_actions(tools, findings)
    urgent = renewals[renewals["in_window"] | renewals["deadline_passed"]].set_index("tool")["notice_deadline"]
    rows = []
    for tool in tools:
        action, decisive = final[tool]
        cause = provisional[tool][1] or decisive  # why: the problem itself, not the deadline that makes it urgent
        severities = [f.severity for f in findings if f.tool == tool] or ["info"]
        rows.append(
            {
                "tool": tool,
                "action": action,
                "severity": max(severities, key=ck.SEVERITIES.index),
                "reason": cause.finding if cause else _("no finding above info"),
                "notice_deadline": urgent.get(tool, pd.NaT) if action != "keep" else pd.NaT,
            }
        )
    return pd.DataFrame(rows)


@checked
def audit(
    inventory: str | Path | pd.DataFrame,
    *,
    today: str | dt.date | None = None,
    renewal_window_days: int = ck.Thresholds.renewal_window_days,
    low_utilization_pct: float = ck.Thresholds.low_utilization_pct,
    stale_after_days: int = ck.Thresholds.stale_after_days,
    review_max_age_days: int = ck.Thresholds.review_max_age_days,
    company_size: str = ck.Thresholds.company_size,
    health_weights: Mapping[str, float] | None = None,
) -> StackAudit:
    """Audit a martech stack inventory the way a MOps lead would.

    Checks, on the live tools (status other than retired): labels the taxonomy does not know; seat
    utilization, unused and stale tools; tools doing the same job; tools nobody owns; integration gaps (tools
    not reaching the CRM or marketing automation, isolated groups, integrations naming unknown tools); notice
    deadlines (renewal minus notice period) in the window or passed; personal data without a signed DPA or a
    recent privacy or security review; retired tools still costing money; stack size against the articles'
    benchmark. Each finding carries the numbers that triggered it and a recommended action; each tool gets one
    action (that of its most severe finding, ``keep`` if it has none above ``info``).

    Args:
        inventory: a CSV or Parquet file (Excel CSVs and a team's own column names and labels welcome) or a
            DataFrame; see the ``martech_stack`` table in ``datasets/README.md``.
        today: the audit date, ``YYYY-MM-DD``; default: today. Audit the bundled inventories as of
            :func:`mopskit.stack.as_of` to get the lessons' results.
        renewal_window_days: notice deadlines within this many days from ``today`` are flagged (default 90).
        low_utilization_pct: seat use below this percentage is flagged as idle seats (default 50).
        stale_after_days: no login for more than this many days is flagged (default 90).
        review_max_age_days: privacy and security reviews older than this are overdue (default 365).
        company_size: ``smb`` or ``enterprise``, for the stack-size benchmark (default ``smb``).
        health_weights: weight of each health part (default 1 each); parts: utilization, ownership,
            integration, privacy, focus.

    Returns:
        A :class:`StackAudit`.

    Raises:
        DataError: the inventory cannot be read, each problem with its row and column.
        ParameterError: a threshold is out of range, naming it.

    >>> from mopskit.data import load
    >>> from mopskit.stack import as_of
    >>> result = audit(load("martech_stack"), today=as_of())
    >>> result.by_severity("high")["tool"].iloc[0]
    'Adobe Analytics'

    """
    limits = ck.checked_thresholds(
        "audit",
        today=today,
        renewal_window_days=renewal_window_days,
        low_utilization_pct=low_utilization_pct,
        stale_after_days=stale_after_days,
        review_max_age_days=review_max_age_days,
        company_size=company_size,
    )
    weights = dict(health_weights or {})
    unknown = sorted(set(weights) - set(HEALTH_PARTS))
    if unknown:
        raise ParameterError(
            _("unknown health part(s) {parts} in 'health_weights'; valid: {valid}").format(
                parts=", ".join(unknown), valid=", ".join(HEALTH_PARTS)
            )
        )
    inv = load_inventory(inventory)
    skipped = inv.skipped()
    frame = inv.frame
    live = frame[frame["live"]].reset_index(drop=True)
    gone = frame[~frame["live"]].reset_index(drop=True)
    has_seats = "seat utilization and cost per active user" not in skipped
    has_logins = "logins" not in skipped

    findings = ck.label_findings(frame)
    seats = usage.utilization(live, limits, has_seats=has_seats, has_logins=has_logins)
    findings += usage.usage_findings(seats, limits, has_seats=has_seats, has_logins=has_logins)
    if "ownership" not in skipped:
        findings += usage.owner_findings(live)
    graph = integration_map(live, others=gone["tool"].tolist())
    if "integrations" not in skipped:
        findings += integration_findings(graph)
    groups = usage.redundant_groups(live, connections=graph.connections())
    findings += usage.redundancy_findings(live, groups, graph.connections())
    private = contracts.privacy(live, limits)
    if "privacy" not in skipped:
        findings += contracts.privacy_findings(private, limits)
    findings += contracts.retired_findings(gone, limits)
    size_row, size_finding = usage.size_finding(len(live), limits)
    findings.append(size_finding)

    provisional = ck.resolve_actions(live["tool"], findings)
    renewal_table = contracts.renewals(live, limits, {tool: action for tool, (action, _f) in provisional.items()})
    if "renewals" not in skipped:
        findings += contracts.renewal_findings(renewal_table, limits)
    actions = _actions(live["tool"], findings, provisional, renewal_table)
    renewal_table["action"] = renewal_table["tool"].map(actions.set_index("tool")["action"])
    scores = health(live, graph=graph, privacy=private, findings=findings, skipped=skipped, weights=weights)
    headers = _headers()
    for table in (actions, seats, private, scores.parts):
        for_people(table, headers)
    return StackAudit(
        inventory=inv,
        limits=limits,
        findings=for_people(ck.findings_frame(findings), headers),
        actions=actions,
        cost_by_category=_costs(live, "category", _category_name),
        cost_by_owner=_costs(live, "owner", _owner_label(recorded="ownership" not in skipped)),
        utilization=seats,
        redundant=groups,
        integrations=graph,
        renewals=renewal_table,
        privacy=private,
        size_benchmark=size_row,
        health=scores,
        labels=_labels(frame),
        skipped=skipped,
    )


def _headers() -> dict[str, str]:
    """How the audit's tables head the columns it adds, in the trainee's language.

    The inventory's own fields (``tool``, ``seats``, ``utilization_pct``...) keep the names code reads them by.
    """
    return {
        "check": _("check"),
        "finding": _("finding"),
        "severity": _("severity"),
        "evidence": _("evidence"),
        "action": _("action"),
        "reason": _("reason"),
        "note": _("note"),
        "problems": _("problems"),
        "part": _("part"),
        "score": _("score"),
        "weight": _("weight"),
        "explanation": _("explanation"),
    }


def _summary(result: StackAudit) -> str:
    live = result.inventory.frame[result.inventory.frame["live"]]
    counts = result.findings["severity"].value_counts()
    sentences = [
        _("The stack holds {n} live tools costing {cost} a year; {label} commonly run {range}.").format(
            n=len(live),
            cost=ck.money(live["annual_cost"].sum()),
            label=size_benchmark(result.limits.company_size).label,
            range=result.size_benchmark["benchmark"],
        )
    ]
    if result.health.score == result.health.score:  # not NaN
        weakest = result.health.weakest()
        part = result.health.parts.set_index("part").loc[weakest]
        sentences.append(
            _("Its health score is {score:g}/100; the weakest part is {part} ({explanation}).").format(
                score=result.health.score, part=weakest, explanation=part["explanation"]
            )
        )
    serious = [s for s in ("high", "medium", "low") if counts.get(s, 0)]
    if serious:
        sentences.append(
            _("The audit raised {counts}.").format(
                counts=", ".join(_("{n} {severity}").format(n=counts[s], severity=s) for s in serious)
                + _(" finding(s)")
            )
        )
    else:
        sentences.append(_("The audit found nothing that needs action."))
    actions = result.actions[result.actions["action"] != "keep"]
    if not actions.empty:
        cost = live.set_index("tool")["annual_cost"]
        parts = []
        for action in ("sunset", "consolidate", "renegotiate", "review"):
            tools = actions.loc[actions["action"] == action, "tool"].tolist()
            if tools:
                parts.append(
                    _("{action} {tools} ({cost} a year)").format(
                        action=action, tools=", ".join(tools), cost=ck.money(cost[tools].sum())
                    )
                )
        sentences.append(_("Recommended: {parts}.").format(parts="; ".join(parts)))
    due = result.renewals[result.renewals["in_window"]]
    if not due.empty:
        first = due.iloc[0]
        sentences.append(
            _("{n} notice deadline(s) fall in the next {days} days, the first on {date} ({tool}).").format(
                n=len(due),
                days=result.limits.renewal_window_days,
                date=first["notice_deadline"].strftime("%Y-%m-%d"),
                tool=first["tool"],
            )
        )
    if result.skipped:
        sentences.append(
            _("Not checked, for lack of columns: {checks}.").format(
                checks=", ".join(sorted(_(name) for name in result.skipped))
            )
        )
    return " ".join(sentences)
