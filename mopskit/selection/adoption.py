"""Adoption after a switch: active users against seats over time, from the inventory's usage fields.

A switch is done when people use the new tool, not when the contract is signed. Each month's inventory export
records a tool's ``seats`` and ``active_users`` (seats used in the last 30 days); lined up in time (table
``tool_usage``, or one inventory per date) they show whether adoption reaches its target, and where the seats
paid for sit idle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import checked
from .._validate import day as v_day
from .._validate import money as v_money
from .._validate import percent as v_percent
from ..errors import DataError, ParameterError
from ..i18n import _
from ._common import money as _money
from ._common import read_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Adoption", "adoption"]

TABLE = "tool_usage"


@dataclass(frozen=True)
class Adoption:
    """How one tool's use grew after a switch.

    Attributes:
        tool: the tool.
        target_pct: the share of seats that should be active.
        table: one row per export: ``as_of``, ``seats``, ``active_users``, ``utilization_pct``, ``idle_seats`` and
            ``on_target``.
        reached_on: the first export on target, or ``None``.
        seat_price: the yearly price of a seat, if given (to price the idle seats).

    """

    tool: str
    target_pct: float
    table: pd.DataFrame
    reached_on: dt.date | None
    seat_price: float | None = None

    @property
    def latest_pct(self) -> float:
        """Utilization in the latest export."""
        return float(self.table["utilization_pct"].iloc[-1])

    @property
    def trend_pct_per_month(self) -> float:
        """How fast utilization moved over the last three exports, in points a month (0 with one export)."""
        recent = self.table.tail(3)
        if len(recent) < 2:
            return 0.0
        days = (recent["as_of"].iloc[-1] - recent["as_of"].iloc[0]).days
        if days <= 0:
            return 0.0
        change = recent["utilization_pct"].iloc[-1] - recent["utilization_pct"].iloc[0]
        return round(float(change) / days * 30.4375, 1)

    def actions(self) -> list[str]:
        """What to do next, from the latest export."""
        last = self.table.iloc[-1]
        idle = int(last["idle_seats"])
        if self.latest_pct >= self.target_pct:
            steps = [_("Adoption is on target: keep the office hours going and check the usage each month.")]
        else:
            steps = [
                _(
                    "Adoption is below target: ask the inactive users what stops them, and run a refresher session "
                    "for their role."
                )
            ]
            if self.trend_pct_per_month <= 0:
                steps.append(_("It has stopped growing: the training plan did not reach everyone; plan it again."))
        if idle:
            cost = _(" ({cost} a year)").format(cost=_money(idle * self.seat_price)) if self.seat_price else ""
            steps.append(
                _("{n} seat(s) sit idle{cost}: reassign them, or pay for fewer at the next renewal.").format(
                    n=idle, cost=cost
                )
            )
        return steps

    def summary(self) -> str:
        """Adoption in a few sentences."""
        last = self.table.iloc[-1]
        text = _("On {day}, {active} of {seats} seats of {tool} were active ({pct:g}%; target {target:g}%).").format(
            day=last["as_of"].strftime("%Y-%m-%d"),
            active=int(last["active_users"]),
            seats=int(last["seats"]),
            tool=self.tool,
            pct=self.latest_pct,
            target=self.target_pct,
        )
        if self.reached_on is not None:
            text += " " + _("It first reached the target on {day}.").format(day=self.reached_on.isoformat())
        return text + " " + " ".join(self.actions())

    def _repr_html_(self) -> str:
        import html

        shown = self.table.assign(as_of=self.table["as_of"].dt.strftime("%Y-%m-%d"))
        return f"<p>{html.escape(self.summary())}</p>" + shown.to_html(index=False)


def _usage_frame(usage: Any) -> pd.DataFrame:
    """A tool_usage table from a file, a DataFrame, or ``{date: inventory}`` (each inventory's usage fields)."""
    import pandas as pd

    if not isinstance(usage, Mapping):
        return read_table(usage, TABLE, columns=None, label=None, what=_("usage"))[0]
    from ..stack import load_inventory

    parts = []
    for day, inventory in usage.items():
        frame = load_inventory(inventory).frame
        if frame["seats"].isna().all():
            raise DataError(
                _("the inventory of {day} has no seats or active-user columns: adoption cannot be measured").format(
                    day=day
                )
            )
        parts.append(
            frame[["tool", "seats", "active_users"]].assign(
                as_of=pd.Timestamp(v_day(day, "as_of", function="adoption"))
            )
        )
    if not parts:
        raise DataError(_("no inventories given: pass at least one {{date: inventory}}"))
    return pd.concat(parts, ignore_index=True)[["as_of", "tool", "seats", "active_users"]]


@checked
def adoption(
    usage: str | Path | pd.DataFrame | Mapping[Any, Any],
    tool: str,
    *,
    target_pct: float = 80.0,
    seat_price: float | None = None,
) -> Adoption:
    """Follow one tool's adoption: active users against seats at each inventory export.

    Args:
        usage: a ``tool_usage`` file or DataFrame (``as_of``, ``tool``, ``seats``, ``active_users``), or
            ``{date: inventory}`` with one stack inventory (file or DataFrame) per export date.
        tool: the tool to follow.
        target_pct: the share of seats that should be active.
        seat_price: the yearly price of a seat, to price the idle seats.

    Raises:
        ParameterError: an unknown tool (the message lists the tools), a target outside 0-100.
        DataError: the usage does not read, each problem with its row and column.

    >>> from mopskit.data import load
    >>> result = adoption(load("tool_usage"), "Mailvane", target_pct=75)
    >>> result.reached_on, result.latest_pct
    (datetime.date(2027, 5, 1), 87.5)

    """
    target_pct = v_percent(target_pct, "target_pct", function="adoption")
    if seat_price is not None:
        seat_price = v_money(seat_price, "seat_price", function="adoption")
    frame = _usage_frame(usage)
    mine = frame[frame["tool"] == tool].sort_values("as_of").reset_index(drop=True)
    if mine.empty:
        raise ParameterError(
            _("there is no tool '{tool}' in the usage data; tools: {tools}").format(
                tool=tool, tools=", ".join(sorted(frame["tool"].astype(str).unique()))
            )
        )
    if mine["seats"].isna().any() or mine["active_users"].isna().any():
        days = mine.loc[mine["seats"].isna() | mine["active_users"].isna(), "as_of"].dt.strftime("%Y-%m-%d")
        raise DataError(
            _("{tool} has no seats or active users recorded on {days}: fill them in").format(
                tool=tool, days=", ".join(days)
            )
        )
    table = mine[["as_of", "seats", "active_users"]].astype({"seats": int, "active_users": int})
    seats = table["seats"].where(table["seats"] > 0)
    table["utilization_pct"] = (100 * table["active_users"] / seats).round(1).fillna(0.0)
    table["idle_seats"] = table["seats"] - table["active_users"]
    table["on_target"] = table["utilization_pct"] >= target_pct
    reached = table.loc[table["on_target"], "as_of"]
    return Adoption(
        tool,
        float(target_pct),
        table,
        reached.iloc[0].date() if len(reached) else None,
        None if seat_price is None else float(seat_price),
    )
