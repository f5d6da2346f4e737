"""Writing a well-formed goal sentence from its parts (the sentence :func:`parse_goal` reads back the same)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from .._validate import checked, day
from ..errors import ParameterError
from ..i18n import _, date_text
from ..present import parse_number
from ._time import horizon_for
from ._vocab import MetricInfo, metric_info, scopes

__all__ = ["build_goal", "format_date", "format_horizon", "goal_from_fields"]

DIRECTIONS = ("increase", "decrease", "maintain")


def _number(value: float) -> str:
    """A number as a goal writes it: thousands separated, no needless decimals.

    >>> _number(5000), _number(2.5), _number(25.0), _number(0.125)
    ('5,000', '2.5', '25', '0.125')
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


@checked
def format_date(day: date) -> str:
    """A date as a goal writes it.

    >>> format_date(date(2027, 3, 31))
    '31 March 2027'
    """
    return date_text(day, "en")  # the goal parser reads English


@checked
def format_horizon(days: int) -> str:
    """A horizon in words that :func:`parse_goal` reads back as the same number of days.

    >>> [format_horizon(d) for d in (365, 182, 91, 30)]
    ['within a year', 'within 6 months', 'within 3 months', 'within a month']
    >>> [format_horizon(d) for d in (14, 90, 730)]
    ['within 2 weeks', 'within 90 days', 'within 2 years']
    """
    if days > 0 and days % 365 == 0:
        years = days // 365
        return "within a year" if years == 1 else f"within {years} years"
    for months in range(1, 60):
        if horizon_for(months, "month") == days and months % 12:
            return "within a month" if months == 1 else f"within {months} months"
    if days % 7 == 0 and days <= 12 * 7:
        weeks = days // 7
        return "within a week" if weeks == 1 else f"within {weeks} weeks"
    return "within a day" if days == 1 else f"within {days} days"


@checked
def build_goal(
    *,
    metric: str,
    direction: str = "increase",
    amount: float | None = None,
    unit: str | None = "%",
    baseline: float | None = None,
    target: float | None = None,
    deadline: date | datetime | str | None = None,
    horizon_days: int | None = None,
    scope: str | Sequence[str] = (),
    owner: str | None = None,
    today: date | datetime | str | None = None,
) -> str:
    """Write a goal sentence from its parts; :func:`parse_goal` reads the same parts back.

    Args:
        metric: the metric, by label, key or synonym ("email clicks", "CTR", "mqls").
        direction: ``"increase"``, ``"decrease"`` or ``"maintain"``.
        amount: the size of the change (positive), in ``unit``.
        unit: ``"%"`` for a change relative to today's level, ``"pp"`` for percentage points of a rate, or
            ``None``/the metric's unit for a change in the metric's own unit ("by 500 MQLs").
        baseline: the starting level, for "from X to Y" (give ``target`` too).
        target: the level to reach ("to 5,000", "to 3%" for a rate).
        deadline: the day it is due (a date or ``YYYY-MM-DD``); or give ``horizon_days``.
        horizon_days: days from today, written as "within a year", "within 6 months", "within 90 days".
        scope: where it applies: channels, regions, segments or programs the kit knows.
        owner: who delivers it ("Ana Pop", "the email team"); default "We".
        today: unused for the sentence; accepted so a form can pass every field of a :class:`Goal`.

    Raises:
        ParameterError: an unknown metric, direction, unit or scope, no amount or target, or no time frame.

    >>> build_goal(metric="email clicks", amount=25, horizon_days=365)
    'We will increase email clicks by 25% within a year.'
    >>> build_goal(metric="CTR", baseline=2, target=3, deadline="2027-03-31", owner="Ana Pop")
    'Ana Pop will increase email click-through rate from 2% to 3% by 31 March 2027.'
    >>> build_goal(metric="mqls", direction="increase", target=500, scope="webinar", horizon_days=91)
    'We will increase MQLs from the webinar channel to 500 within 3 months.'

    """
    info = metric_info(metric)
    if direction not in DIRECTIONS:
        raise ParameterError(
            _("unknown direction '{direction}'; valid: {valid}").format(
                direction=direction, valid=", ".join(DIRECTIONS)
            )
        )
    if amount is None and target is None:
        raise ParameterError(_("give 'amount' (the change, e.g. 25 with unit='%') or 'target' (the level to reach)"))
    if baseline is not None and target is None:
        raise ParameterError(_("'baseline' needs a 'target' too: the goal reads 'from <baseline> to <target>'"))
    if amount is not None and (amount != amount or amount <= 0):
        raise ParameterError(_("'amount' must be a positive number (got {amount!r})").format(amount=amount))
    units = ("%", "pp", info.unit, None)
    if unit not in units:
        raise ParameterError(
            _("unknown unit {unit!r} for {metric}; valid: %, pp, {own}, None").format(
                unit=unit, metric=info.label, own=info.unit
            )
        )
    if unit == "pp" and info.kind not in ("rate", "ratio"):
        raise ParameterError(
            _("'pp' (percentage points) fits rates only; {metric} is a {kind}").format(
                metric=info.label, kind=info.kind
            )
        )
    named = [scope] if isinstance(scope, str) else list(scope)
    known = scopes()
    unknown = [s for s in named if s not in known]
    if unknown:
        raise ParameterError(
            _("unknown scope '{scope}'; valid: {valid}").format(
                scope=unknown[0], valid=", ".join(sorted(known, key=str.lower))
            )
        )
    if deadline is None and horizon_days is None:
        raise ParameterError(_("give 'deadline' (YYYY-MM-DD) or 'horizon_days' (e.g. 365): a goal needs a time frame"))
    if horizon_days is not None and (not isinstance(horizon_days, int) or horizon_days <= 0):
        raise ParameterError(
            _("'horizon_days' must be a whole number of days above 0 (got {days!r})").format(days=horizon_days)
        )

    subject = owner.strip() if owner and owner.strip() else "We"
    words = [subject, "will", direction, info.label]
    words += [known[s].phrase for s in named if s != info.scope]
    if baseline is not None and target is not None:
        words.append(f"from {_level(info, baseline)} to {_level(info, target)}")
    elif target is not None:
        words.append(("at " if direction == "maintain" else "to ") + _level(info, target))
    if amount is not None and not (baseline is not None and target is not None):
        if unit == "%":
            words.append(f"by {_number(amount)}%")
        elif unit == "pp":
            words.append(f"by {_number(amount)} percentage {'point' if amount == 1 else 'points'}")
        else:
            words.append(f"by {_level(info, amount)}")
    if deadline is not None:
        words.append("by " + format_date(day(deadline, "deadline", function="build_goal")))
    else:
        assert horizon_days is not None
        words.append(format_horizon(horizon_days))
    return " ".join(words) + "."


@checked
def goal_from_fields(fields: Mapping[str, Any], *, today: date | None = None) -> str:
    """Write the goal sentence from a goal builder's fields, as typed (the widget's answer).

    The fields are ``metric``, ``direction``, ``amount`` (a number, or text as people type it: ``"15"``,
    ``"12,5"``), ``deadline`` (a date, ``"2027-03-31"``, or a time frame, ``"within 6 months"``, ``"next
    quarter"``), ``owner`` and ``scope``; empty ones are left out.

    Raises:
        ParameterError: a field cannot be read (the deadline is not a date or time frame, the amount not a
            number) or the parts do not make a goal; the message says which and how to write it.

    >>> goal_from_fields({"metric": "MQLs", "amount": "15", "deadline": "2027-03-31"}, today=date(2026, 11, 1))
    'We will increase MQLs by 15% by 31 March 2027.'
    >>> goal_from_fields({"metric": "MQLs", "amount": "12,5", "deadline": "within 6 months"})
    'We will increase MQLs by 12.5% within 6 months.'

    """
    from ._parse import parse_goal

    when = str(fields.get("deadline") or "").strip()
    timing: dict[str, Any] = {}
    if when:
        read = parse_goal("by " + when if when[:1].isdigit() else when, today=today)
        if read.horizon_days is None or read.deadline is None:
            raise ParameterError(
                _("'{text}' is not a date or time frame; try 2027-03-31 or 'within 6 months'.").format(text=when)
            )
        if read.recurring or "within" in when.lower() or when.lower().startswith(("in ", "next")):
            timing["horizon_days"] = read.horizon_days
        else:
            timing["deadline"] = read.deadline
    amount = fields.get("amount")
    if isinstance(amount, str):
        try:
            amount = parse_number(amount)
        except ValueError:
            raise ParameterError(
                _("'{text}' is not a number; write the change as a number, like 15 or 12.5").format(text=amount)
            ) from None
    scope = fields.get("scope")
    return build_goal(
        metric=fields.get("metric") or "",
        direction=fields.get("direction") or "increase",
        amount=amount,
        scope=[scope] if scope else [],
        owner=fields.get("owner") or None,
        **timing,
    )


def _level(info: MetricInfo, value: float) -> str:
    if info.kind in ("rate", "ratio"):
        return f"{_number(value)}%"
    if info.kind == "money":
        return f"{_number(value)} {info.unit}"
    return _number(value)
