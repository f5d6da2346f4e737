"""A switching plan: migrate the data, run both tools side by side, cut over when the current contract ends.

The current contract comes from the stack inventory (``contract_renewal``, ``notice_period_days``): to leave at a
renewal, notice must be given by the **notice deadline** (renewal minus notice period), and the new tool must be
live by the renewal. The plan works back from that renewal: the cut-over is the renewal day, the parallel run
and a buffer come before it, the migration steps (one after another) before those, and the kick-off (new
contract signed, new licence running) at the start. If there is not enough time before the next renewal whose
notice deadline has not passed, the plan moves to the renewal after it (and says what the extra year costs).
Training sessions run during the parallel run, one role a week in turn; documentation is due before it starts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import checked
from .._validate import count as v_count
from .._validate import day as v_day
from .._validate import number as v_number
from ..errors import ParameterError
from ..i18n import _
from ..present import for_people
from ._common import money as _money

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Contract", "SwitchPlan", "contract_of", "notice_deadline", "switch_plan", "training_sessions"]


@dataclass(frozen=True)
class Contract:
    """The current tool's contract and use, as the stack inventory records them.

    Attributes:
        tool: the tool.
        annual_cost: what it costs a year.
        renewal: the next renewal date, or ``None`` if not recorded.
        notice_days: days of notice needed to cancel before a renewal (0 if not recorded).
        seats: licensed seats, or ``None``.
        active_users: seats used in the last 30 days, or ``None``.
        integrates_with: the tools it exchanges data with (each an integration to rebuild).
        holds_personal_data: whether it stores contacts' personal data (a migration with privacy duties).

    """

    tool: str
    annual_cost: float
    renewal: dt.date | None = None
    notice_days: int = 0
    seats: int | None = None
    active_users: int | None = None
    integrates_with: tuple[str, ...] = ()
    holds_personal_data: bool = False


@checked
def contract_of(inventory: str | Path | pd.DataFrame, tool: str) -> Contract:
    """The contract of one tool of a stack inventory (file or DataFrame, a team's own column names welcome).

    Raises:
        ParameterError: the tool is not in the inventory (the message lists the tools).
        DataError: the inventory does not read.

    >>> from mopskit.data import load
    >>> contract = contract_of(load("martech_stack"), "Event Hub")
    >>> contract.renewal, contract.notice_days, contract.annual_cost
    (datetime.date(2027, 6, 30), 90, 24000.0)

    """
    import pandas as pd

    from ..stack import load_inventory

    frame = load_inventory(inventory).frame.set_index("tool")
    if tool not in frame.index:
        raise ParameterError(
            _("there is no tool '{tool}' in the inventory; tools: {tools}").format(
                tool=tool, tools=", ".join(frame.index)
            )
        )
    row = frame.loc[tool]

    def whole(value: Any) -> int | None:
        return None if pd.isna(value) else int(value)

    links = row["integrates_with"]
    return Contract(
        tool=tool,
        annual_cost=float(row["annual_cost"]),
        renewal=None if pd.isna(row["contract_renewal"]) else row["contract_renewal"].date(),
        notice_days=whole(row["notice_period_days"]) or 0,
        seats=whole(row["seats"]),
        active_users=whole(row["active_users"]),
        integrates_with=tuple(t.strip() for t in str(links).split(";") if t.strip()) if isinstance(links, str) else (),
        holds_personal_data=bool(row["holds_personal_data"]) if not pd.isna(row["holds_personal_data"]) else False,
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    target = dt.date(day.year + year, month + 1, 1)
    last = (dt.date(target.year + (target.month == 12), target.month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return target.replace(day=min(day.day, last))


@checked
def notice_deadline(renewal: dt.date, notice_days: int) -> dt.date:
    """The last day to give notice: the renewal date minus the notice period.

    >>> notice_deadline(dt.date(2027, 6, 30), 90)
    datetime.date(2027, 4, 1)
    """
    return renewal - dt.timedelta(days=int(notice_days))


@checked
def training_sessions(training: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """How many sessions each role needs: people ÷ people per session, rounded up.

    Each item: ``role``, ``people``, ``hours`` (each person's training time) and ``class_size`` (people per
    session, default 8).

    >>> table = training_sessions([{"role": "Booth staff", "people": 14, "hours": 1, "class_size": 6}])
    >>> table[["role", "sessions", "person_hours"]].to_dict("records")
    [{'role': 'Booth staff', 'sessions': 3, 'person_hours': 14.0}]
    """
    import pandas as pd

    rows = []
    for item in training:
        role = str(item.get("role", "")).strip()
        if not role:
            raise ParameterError(_("every training item needs a 'role' (got {item!r})").format(item=dict(item)))
        where = _("training for '{role}'").format(role=role)
        people = v_count(item.get("people"), "people", function=where, minimum=1)
        size = v_count(item.get("class_size", 8), "class_size", function=where, minimum=1)
        hours = v_number(item.get("hours", 1), "hours", function=where, above=0)
        rows.append(
            {
                "role": role,
                "people": people,
                "class_size": size,
                "sessions": math.ceil(people / size),
                "hours_per_session": float(hours),
                "person_hours": float(people * hours),
            }
        )
    columns = ["role", "people", "class_size", "sessions", "hours_per_session", "person_hours"]
    return for_people(pd.DataFrame(rows, columns=columns), _training_headers())


def _training_headers() -> dict[str, str]:
    """How the training and documentation tables head their columns, in the trainee's language."""
    return {
        "role": _("role"),
        "people": _("people"),
        "hours": _("hours each"),
        "class_size": _("people per session"),
        "sessions": _("sessions"),
        "hours_per_session": _("hours per session"),
        "person_hours": _("person-hours"),
        "dates": _("dates"),
        "document": _("document"),
        "for": _("for whom"),
        "due": _("due"),
    }


@dataclass(frozen=True)
class SwitchPlan:
    """A switch from the current tool to a new one, dated.

    Attributes:
        current: the current contract.
        new_tool: what it is replaced by.
        start: the day planning starts (nothing is scheduled before it).
        renewal: the renewal the switch leaves at (the cut-over day), or ``None`` if none is recorded.
        notice_deadline: the last day to give notice for that renewal.
        cut_over: the day the new tool takes over and the old one stops.
        kick_off: the day the migration starts (the new contract signed).
        timeline: one row per step: ``step``, ``kind`` (contract, migration, parallel run, training,
            documentation, cut-over), ``start``, ``end``, ``owner``.
        training: the sessions by role (see :func:`training_sessions`), with their dates.
        documentation: each document, its audience and due date.
        warnings: what the plan could not fit, in sentences.
        skipped_renewals: renewals passed over for lack of time (each costs another term of the current tool).

    """

    current: Contract
    new_tool: str
    start: dt.date
    renewal: dt.date | None
    notice_deadline: dt.date | None
    cut_over: dt.date
    kick_off: dt.date
    timeline: pd.DataFrame
    training: pd.DataFrame
    documentation: pd.DataFrame
    warnings: tuple[str, ...] = field(default=())
    skipped_renewals: tuple[dt.date, ...] = field(default=())

    @property
    def overlap_months(self) -> float:
        """Months in which both tools are paid: from the kick-off to the cut-over."""
        return round((self.cut_over - self.kick_off).days / 30.4375, 2)

    @property
    def weeks_needed(self) -> float:
        """Weeks from the kick-off to the cut-over."""
        return round((self.cut_over - self.kick_off).days / 7, 1)

    def summary(self) -> str:
        """The plan in a few sentences."""
        parts = []
        if self.renewal is not None and self.notice_deadline is not None:
            parts.append(
                _("{tool} renews on {renewal}; to leave then, give notice by {deadline} ({days} days before).").format(
                    tool=self.current.tool,
                    renewal=self.renewal.isoformat(),
                    deadline=self.notice_deadline.isoformat(),
                    days=self.current.notice_days,
                )
            )
        parts.append(
            _(
                "Start the migration on {kick_off} and cut over to {new} on {cut_over}, after a parallel run: "
                "{weeks:g} weeks in all, with both tools paid for {months:g} month(s)."
            ).format(
                kick_off=self.kick_off.isoformat(),
                new=self.new_tool,
                cut_over=self.cut_over.isoformat(),
                weeks=self.weeks_needed,
                months=self.overlap_months,
            )
        )
        sessions = int(self.training["sessions"].sum()) if len(self.training) else 0
        if sessions:
            parts.append(
                _("{n} training session(s) for {roles} role(s) run during the parallel run.").format(
                    n=sessions, roles=len(self.training)
                )
            )
        return " ".join(parts + list(self.warnings))

    def _repr_html_(self) -> str:
        import html

        shown = self.timeline.copy()
        for column in ("start", "end"):
            shown[column] = shown[column].map(lambda d: d.isoformat())
        return f"<p>{html.escape(self.summary())}</p>" + shown.to_html(index=False)


def _weeks(value: Any, name: str) -> float:
    return v_number(value, name, function="switch_plan", minimum=0, rule=_("a number of weeks, 0 or more"))


@checked
def switch_plan(
    current: Contract,
    *,
    new_tool: str,
    start: str | dt.date,
    migration: Sequence[Mapping[str, Any]],
    parallel_run_weeks: float = 4,
    buffer_weeks: float = 1,
    training: Sequence[Mapping[str, Any]] = (),
    documentation: Sequence[Mapping[str, Any]] = (),
    term_months: int = 12,
) -> SwitchPlan:
    """Plan the switch from the current tool to a new one, against the current contract's notice period.

    Args:
        current: the current contract (see :func:`contract_of`).
        new_tool: the tool switched to.
        start: the first day anything can happen (the decision), ``YYYY-MM-DD``.
        migration: the data migration steps, done one after another: ``step``, ``weeks``, optional ``owner``.
        parallel_run_weeks: weeks both tools run side by side before the cut-over.
        buffer_weeks: slack between the end of the migration and the parallel run.
        training: by role: ``role``, ``people``, ``hours``, ``class_size`` (see :func:`training_sessions`).
        documentation: ``title`` and ``for`` (the role it serves), due when the parallel run starts.
        term_months: the length of the current contract's term, to find the renewals after the recorded one.

    Raises:
        ParameterError: a bad date, a negative number of weeks, an empty migration, a bad training item.

    >>> contract = Contract("Event Hub", 24000, renewal=dt.date(2027, 6, 30), notice_days=90)
    >>> plan = switch_plan(contract, new_tool="Lanternhall", start="2026-11-02",
    ...                    migration=[{"step": "Export", "weeks": 2}, {"step": "Rebuild", "weeks": 4}],
    ...                    parallel_run_weeks=4, buffer_weeks=2)
    >>> plan.notice_deadline, plan.kick_off, plan.cut_over
    (datetime.date(2027, 4, 1), datetime.date(2027, 4, 7), datetime.date(2027, 6, 30))

    """
    import pandas as pd

    begin = v_day(start, "start", function="switch_plan")
    if not migration:
        raise ParameterError(_("'migration' needs at least one step, e.g. {{'step': 'Export the data', 'weeks': 1}}"))
    steps = []
    for number, item in enumerate(migration, 1):
        name = str(item.get("step", "")).strip()
        if not name:
            raise ParameterError(_("migration step {n} has no 'step' text (got {item!r})").format(n=number, item=item))
        steps.append((name, _weeks(item.get("weeks"), f"weeks of '{name}'"), str(item.get("owner", "") or "")))
    parallel = _weeks(parallel_run_weeks, "parallel_run_weeks")
    buffer = _weeks(buffer_weeks, "buffer_weeks")
    term_months = v_count(term_months, "term_months", function="switch_plan", minimum=1)
    sessions = training_sessions(training)
    total = dt.timedelta(weeks=sum(w for _n, w, _o in steps) + buffer + parallel)

    warnings, skipped = [], []
    renewal = current.renewal
    if renewal is None:
        cut_over = begin + total
        deadline = None
        warnings.append(
            _(
                "The inventory records no renewal date for {tool}: check the contract before choosing the cut-over day."
            ).format(tool=current.tool)
        )
    else:
        while renewal < begin or notice_deadline(renewal, current.notice_days) < begin or renewal - total < begin:
            if renewal >= begin:
                skipped.append(renewal)
            renewal = _add_months(renewal, term_months)
        cut_over, deadline = renewal, notice_deadline(renewal, current.notice_days)
        if skipped:
            first = skipped[0]
            why = (
                _("its notice deadline, {deadline}, comes before the plan starts").format(
                    deadline=notice_deadline(first, current.notice_days).isoformat()
                )
                if notice_deadline(first, current.notice_days) < begin
                else _("the switch takes {weeks:g} weeks and only {left} days are left").format(
                    weeks=total.days / 7, left=(first - begin).days
                )
            )
            warnings.append(
                _(
                    "There is not enough time to leave at the renewal on {renewal} ({why}): {tool} renews for another "
                    "term, costing about {cost} more, unless the vendor agrees to a short extension."
                ).format(
                    renewal=first.isoformat(),
                    why=why,
                    tool=current.tool,
                    cost=_money(current.annual_cost * len(skipped) * term_months / 12),
                )
            )
    kick_off = cut_over - total
    rows = [
        {
            "step": _("Sign with {new}; new licence starts").format(new=new_tool),
            "kind": "contract",
            "start": kick_off,
            "end": kick_off,
            "owner": "",
        }
    ]
    day = kick_off
    for name, weeks, owner in steps:
        end = day + dt.timedelta(weeks=weeks)
        rows.append({"step": name, "kind": "migration", "start": day, "end": end, "owner": owner})
        day = end
    parallel_start = day + dt.timedelta(weeks=buffer)
    if buffer:
        rows.append(
            {
                "step": _("Buffer for what the migration turns up"),
                "kind": "buffer",
                "start": day,
                "end": parallel_start,
                "owner": "",
            }
        )
    if deadline is not None:
        rows.append(
            {
                "step": _("Give notice to {tool}").format(tool=current.tool),
                "kind": "contract",
                "start": deadline,
                "end": deadline,
                "owner": "",
            }
        )
    rows.append(
        {
            "step": _("Parallel run: {old} and {new} side by side").format(old=current.tool, new=new_tool),
            "kind": "parallel run",
            "start": parallel_start,
            "end": cut_over,
            "owner": "",
        }
    )
    count = int(sessions["sessions"].sum()) if len(sessions) else 0
    span = (cut_over - parallel_start).days
    if count and span <= 0:
        warnings.append(_("There is no parallel run: hold the training before the cut-over day."))
    dates, number = [], 0
    for role in sessions.itertuples():
        mine = []
        for _i in range(role.sessions):  # spread over the parallel run, one role after another
            when = parallel_start + dt.timedelta(days=number * span // count) if span > 0 else cut_over
            mine.append(when)
            rows.append(
                {
                    "step": _("Training: {role}").format(role=role.role),
                    "kind": "training",
                    "start": when,
                    "end": when,
                    "owner": "",
                }
            )
            number += 1
        dates.append(", ".join(d.isoformat() for d in mine))
    sessions["dates"] = dates
    docs = pd.DataFrame(
        [
            {"document": str(d.get("title", "")), "for": str(d.get("for", "")), "due": parallel_start}
            for d in documentation
        ],
        columns=["document", "for", "due"],
    )
    for_people(docs, _training_headers())
    for d in docs.itertuples():
        rows.append(
            {
                "step": _("Documentation: {title}").format(title=d.document),
                "kind": "documentation",
                "start": d.due,
                "end": d.due,
                "owner": "",
            }
        )
    rows.append(
        {
            "step": _("Cut over to {new}; {old} stops").format(new=new_tool, old=current.tool),
            "kind": "cut-over",
            "start": cut_over,
            "end": cut_over,
            "owner": "",
        }
    )
    timeline = pd.DataFrame(rows).sort_values(["start", "end"], kind="stable").reset_index(drop=True)
    if current.holds_personal_data:
        warnings.append(
            _(
                "{tool} holds personal data: have the new vendor's DPA signed before the export, and ask the old "
                "vendor to confirm deletion after the cut-over."
            ).format(tool=current.tool)
        )
    return SwitchPlan(
        current=current,
        new_tool=new_tool,
        start=begin,
        renewal=renewal,
        notice_deadline=deadline,
        cut_over=cut_over,
        kick_off=kick_off,
        timeline=timeline,
        training=sessions,
        documentation=docs,
        warnings=tuple(warnings),
        skipped_renewals=tuple(skipped),
    )
