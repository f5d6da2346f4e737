"""Business hours: elapsed working time between two moments, in a time zone, skipping nights, weekends, holidays.

An SLA such as "sales touches every MQL within 8 business hours" counts only working time: an MQL that
arrives on Friday at 16:00 and is called on Monday at 10:00 waited 2 business hours (Friday 16-17, Monday
9-10), not 66 clock hours. The clock is read in the time zone of whoever must act (the lead's owner), so the
same pair of UTC timestamps can be 1 business hour for a rep in Bucharest and 0 for one in New York.

The arithmetic is one function, ``F(t)`` = business seconds from a fixed Monday to the local time ``t``; the
business time between two moments is ``F(end) - F(start)``. ``F`` is closed-form (whole weeks, the weekday
within the week, holidays counted by a sorted search), so it vectorizes in numpy and writes as plain SQL for
DuckDB (:func:`business_seconds_sql`): both engines give the same numbers, for a million rows at once.

It is a leaf of the kit, like ``_validate``: the data generator times its sales touches with it, and
:mod:`mopskit.leads.hours` is its public home.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._validate import DATE_RULE, checked, date_fix, problem
from .errors import ParameterError
from .i18n import _

__all__ = [
    "BusinessHours",
    "add_business_hours",
    "business_hours_between",
    "business_seconds_sql",
    "check_time_zone",
    "parse_business_hours",
]

_EPOCH_MONDAY = 4  # 1970-01-01 was a Thursday; day 4 (1970-01-05) is the Monday weeks are counted from
_DAY = 86_400
_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock(text: str, name: str, function: str = "BusinessHours") -> int:
    """Seconds after midnight of ``HH:MM``."""
    try:
        hours, minutes = (int(part) for part in str(text).strip().split(":"))
        if not (0 <= hours <= 24 and 0 <= minutes < 60) or hours * 60 + minutes > 24 * 60:
            raise ValueError(text)
    except ValueError:
        raise ParameterError(problem(function, name, _("a time of day written HH:MM, like 09:00"), text)) from None
    return hours * 3600 + minutes * 60


@dataclass(frozen=True)
class BusinessHours:
    """The working week: opening and closing time, working weekdays and holidays (dates the office is shut).

    Attributes:
        start: opening time, ``HH:MM``.
        end: closing time, ``HH:MM`` (after ``start``; the working day does not cross midnight).
        weekdays: working days, 0 = Monday ... 6 = Sunday.
        holidays: dates (``YYYY-MM-DD``) with no working hours.

    >>> BusinessHours().hours_per_day
    8.0
    >>> BusinessHours("08:30", "17:00", weekdays=(0, 1, 2, 3)).describe()
    '08:30-17:00, Mon-Thu'

    """

    start: str = "09:00"
    end: str = "17:00"
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    holidays: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.start_seconds >= self.end_seconds:
            raise ParameterError(
                problem("BusinessHours", "end", _("after 'start' ({start})").format(start=self.start), self.end)
            )
        days = tuple(sorted({int(d) for d in self.weekdays}))
        if not days or any(not 0 <= d <= 6 for d in days):
            raise ParameterError(
                problem(
                    "BusinessHours", "weekdays", _("working days from 0 (Monday) to 6 (Sunday)"), list(self.weekdays)
                )
            )
        object.__setattr__(self, "weekdays", days)
        object.__setattr__(self, "holidays", tuple(sorted({_day_text(h) for h in self.holidays})))

    @property
    def start_seconds(self) -> int:
        """Opening time in seconds after midnight."""
        return _clock(self.start, "start")

    @property
    def end_seconds(self) -> int:
        """Closing time in seconds after midnight."""
        return _clock(self.end, "end")

    @property
    def day_seconds(self) -> int:
        """Working seconds in one working day."""
        return self.end_seconds - self.start_seconds

    @property
    def hours_per_day(self) -> float:
        """Working hours in one working day."""
        return self.day_seconds / 3600

    def describe(self) -> str:
        """Say the schedule in a few words, e.g. ``09:00-17:00, Mon-Fri``."""
        days = self.weekdays
        if list(days) == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            span = f"{_WEEKDAY_NAMES[days[0]].title()}-{_WEEKDAY_NAMES[days[-1]].title()}"
        else:
            span = ", ".join(_WEEKDAY_NAMES[d].title() for d in days)
        extra = f", {len(self.holidays)} holidays" if self.holidays else ""
        return f"{self.start}-{self.end}, {span}{extra}"

    def _holiday_days(self) -> np.ndarray:
        """Holidays that fall on working weekdays, as day numbers from the epoch Monday, sorted."""
        if not self.holidays:
            return np.array([], dtype=np.int64)
        days = np.array(self.holidays, dtype="datetime64[D]").astype(np.int64) - _EPOCH_MONDAY
        return days[np.isin(days % 7, self.weekdays)]

    def _before(self) -> np.ndarray:
        """For r = 0..7: how many working weekdays a week has before weekday r."""
        return np.array([sum(d < r for d in self.weekdays) for r in range(8)], dtype=np.int64)


def _day_text(value: object) -> str:
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise ParameterError(problem("BusinessHours", "holidays", DATE_RULE, value, fix=date_fix(value))) from None


@checked
def parse_business_hours(text: str, *, holidays: Iterable[str] = ()) -> BusinessHours:
    """Read a schedule written ``HH:MM-HH:MM`` with optional days: ``"09:00-17:00"``, ``"08:00-16:00 mon-thu"``.

    >>> parse_business_hours("08:00-16:30 mon-thu").describe()
    '08:00-16:30, Mon-Thu'
    >>> parse_business_hours("9:00-17:00").start
    '9:00'
    """
    parts = str(text).strip().lower().split()
    if not parts or parts[0].count("-") != 1 or len(parts) > 2:
        rule = _("written HH:MM-HH:MM with optional days, like '09:00-17:00 mon-fri'")
        raise ParameterError(problem("parse_business_hours", "business_hours", rule, text))
    start, end = parts[0].split("-")
    for clock in (start, end):
        _clock(clock, "business_hours", "parse_business_hours")
    weekdays: Sequence[int] = (0, 1, 2, 3, 4)
    if len(parts) == 2:
        first, _dash, last = parts[1].partition("-")
        try:
            lo, hi = _WEEKDAY_NAMES.index(first[:3]), _WEEKDAY_NAMES.index((last or first)[:3])
        except ValueError:
            rule = _("days written like mon-fri")
            raise ParameterError(problem("parse_business_hours", "business_hours", rule, text)) from None
        weekdays = list(range(lo, hi + 1)) if lo <= hi else [*range(lo, 7), *range(hi + 1)]
    return BusinessHours(start, end, weekdays=tuple(weekdays), holidays=tuple(holidays))


def check_time_zone(name: str, *, function: str = "check_time_zone", argument: str = "time_zone") -> str:
    """Return an IANA time zone name unchanged, or raise a :class:`ParameterError` saying how to write one.

    >>> check_time_zone("Europe/Bucharest")
    'Europe/Bucharest'
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        rule = _("an IANA time zone name, like Europe/London, America/New_York or UTC")
        raise ParameterError(problem(function, argument, rule, name)) from None
    return str(name)


def _moments(moments: pd.Series, *, function: str, name: str) -> pd.Series:
    """Moments as timestamps; a cell that is no ISO 8601 moment is refused, naming the argument and the cell."""
    if pd.api.types.is_datetime64_any_dtype(moments):
        return moments
    try:
        return pd.to_datetime(moments, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        bad: object = None
        for value in moments:
            try:
                pd.to_datetime(pd.Series([value]), format="ISO8601")
            except (ValueError, TypeError, OverflowError):
                bad = value
                break
        rule = _("moments written YYYY-MM-DDTHH:MM:SS (UTC, or with an offset like +02:00)")
        raise ParameterError(problem(function, name, rule, bad)) from None


def _local_seconds(
    moments: pd.Series, time_zone: str | pd.Series, *, function: str = "business_hours", name: str = "start"
) -> np.ndarray:
    """Local wall-clock time, in seconds since 1970-01-01 00:00 local, of UTC moments (naive = UTC)."""
    stamps = _moments(moments, function=function, name=name)
    stamps = pd.Series(stamps).reset_index(drop=True)
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize("UTC")
    zones = (
        pd.Series(time_zone, index=stamps.index)
        if isinstance(time_zone, str)
        else pd.Series(time_zone).reset_index(drop=True)
    )
    out = np.full(len(stamps), np.iinfo(np.int64).min, dtype=np.int64)
    for zone in zones.dropna().unique():
        rows = (zones == zone).to_numpy()
        local = stamps[rows].dt.tz_convert(check_time_zone(str(zone))).dt.tz_localize(None)
        out[rows] = local.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT")).astype(np.int64)
    return out


def _business_seconds(local: np.ndarray, hours: BusinessHours) -> np.ndarray:
    """F(t): business seconds from the epoch Monday to each local time (int64 seconds since 1970, local)."""
    day = np.floor_divide(local, _DAY)
    n = day - _EPOCH_MONDAY
    weekday = np.mod(n, 7)
    holidays = hours._holiday_days()
    before = np.floor_divide(n, 7) * len(hours.weekdays) + hours._before()[weekday]
    before -= np.searchsorted(holidays, n, side="left")
    working = np.isin(weekday, hours.weekdays) & ~np.isin(n, holidays)
    within = np.clip(local - day * _DAY - hours.start_seconds, 0, hours.day_seconds)
    return before * hours.day_seconds + np.where(working, within, 0)


@checked
def business_hours_between(
    start: pd.Series,
    end: pd.Series,
    *,
    time_zone: str | pd.Series = "UTC",
    hours: BusinessHours | None = None,
) -> pd.Series:
    """Business hours from each ``start`` to its ``end``, on the clock of a time zone (one for all, or per row).

    Args:
        start: moments (UTC: naive timestamps or ISO text are read as UTC).
        end: moments, same length; an empty end gives an empty result.
        time_zone: an IANA name, or one per row (e.g. each lead's owner's zone).
        hours: the working week; default 09:00-17:00, Monday to Friday.

    Returns:
        Hours as floats (negative when ``end`` is before ``start``), NaN where either side is empty.

    >>> friday_4pm, monday_10am = pd.Series(["2026-03-06T16:00:00"]), pd.Series(["2026-03-09T10:00:00"])
    >>> business_hours_between(friday_4pm, monday_10am).tolist()
    [2.0]
    >>> business_hours_between(friday_4pm, monday_10am, time_zone="America/New_York").tolist()  # 11:00 to 05:00
    [6.0]

    """
    hours = hours or BusinessHours()
    first, last = pd.Series(start).reset_index(drop=True), pd.Series(end).reset_index(drop=True)
    if len(first) != len(last):
        rule = _("as long as 'start' ({n} moments)").format(n=len(first))
        raise ParameterError(problem("business_hours_between", "end", rule, None, shown=str(len(last))))
    a = _local_seconds(first, time_zone, function="business_hours_between", name="start")
    b = _local_seconds(last, time_zone, function="business_hours_between", name="end")
    missing = (a == np.iinfo(np.int64).min) | (b == np.iinfo(np.int64).min)
    a, b = np.where(missing, 0, a), np.where(missing, 0, b)
    seconds = _business_seconds(b, hours) - _business_seconds(a, hours)
    result = pd.Series(seconds / 3600.0, index=pd.Series(start).index, dtype="float64")
    return result.where(~missing)


@checked
def add_business_hours(
    start: pd.Series,
    hours_to_add: Sequence[float] | np.ndarray | pd.Series,
    *,
    time_zone: str | pd.Series = "UTC",
    hours: BusinessHours | None = None,
) -> pd.Series:
    """The moment ``hours_to_add`` business hours after each start, as naive UTC timestamps.

    A start outside working time counts from the next opening; a result that lands on a closing time is given
    as the next opening (the same business moment).

    >>> add_business_hours(pd.Series(["2026-03-06T16:00:00"]), [2]).dt.strftime("%a %H:%M").tolist()
    ['Mon 10:00']
    """
    hours = hours or BusinessHours()
    first = pd.Series(start).reset_index(drop=True)
    local = _local_seconds(first, time_zone, function="add_business_hours", name="start")
    try:
        extra = np.asarray(hours_to_add, dtype="float64").reshape(-1)
    except (ValueError, TypeError):
        raise ParameterError(
            problem("add_business_hours", "hours_to_add", _("numbers of business hours, 0 or more"), hours_to_add)
        ) from None
    if len(extra) != len(first):
        rule = _("one number per start ({n})").format(n=len(first))
        raise ParameterError(problem("add_business_hours", "hours_to_add", rule, None, shown=str(len(extra))))
    wrong = (extra < 0) | np.isinf(extra)
    if wrong.any():
        bad = float(extra[wrong][0])
        raise ParameterError(
            problem("add_business_hours", "hours_to_add", _("numbers of business hours, 0 or more"), bad)
        )
    missing = (local == np.iinfo(np.int64).min) | np.isnan(extra)  # no start or no hours: no result
    extra = np.where(np.isnan(extra), 0.0, extra)
    target = _business_seconds(np.where(missing, 0, local), hours) + np.round(extra * 3600).astype(np.int64)
    k, within = np.divmod(target, hours.day_seconds)
    n = _nth_working_day(k, hours)
    naive = (n + _EPOCH_MONDAY) * _DAY + hours.start_seconds + within
    stamps = pd.Series(naive.astype("datetime64[s]"))
    zones = (
        pd.Series(time_zone, index=stamps.index)
        if isinstance(time_zone, str)
        else pd.Series(time_zone).reset_index(drop=True)
    )
    out = pd.Series(pd.NaT, index=stamps.index, dtype="datetime64[s]")
    for zone in zones.dropna().unique():
        rows = (zones == zone).to_numpy()
        utc = (
            stamps[rows]
            .dt.tz_localize(str(zone), ambiguous=False, nonexistent="shift_forward")
            .dt.tz_convert("UTC")
            .dt.tz_localize(None)
        )
        out[rows] = utc.astype("datetime64[s]")
    out[missing] = pd.NaT
    out.index = pd.Series(start).index
    return out


def _nth_working_day(k: np.ndarray, hours: BusinessHours) -> np.ndarray:
    """The day number (from the epoch Monday) of the working day with ``k`` working days before it."""
    per_week = len(hours.weekdays)
    days = np.array(hours.weekdays, dtype=np.int64)
    holidays = hours._holiday_days()

    def plain(j: np.ndarray) -> np.ndarray:  # ignoring holidays
        weeks, r = np.divmod(j, per_week)
        return weeks * 7 + days[r]

    n = plain(k)
    for _step in range(len(holidays) + 1):  # each pass moves past the holidays found so far
        skipped = np.searchsorted(holidays, n, side="right")
        moved = plain(k + skipped)
        if np.array_equal(moved, n):
            break
        n = moved
    return n


def business_seconds_sql(local_epoch: str, hours: BusinessHours, *, day: str | None = None) -> str:
    """The SQL (DuckDB) for F(t): business seconds from the epoch Monday, given local epoch seconds (BIGINT).

    Write the local time first, e.g. ``epoch(CAST(ts AS TIMESTAMP) AT TIME ZONE 'UTC' AT TIME ZONE tz)``;
    the difference of two of these, divided by 3600, is the business hours between them, as in
    :func:`business_hours_between`. ``day`` names a column already holding ``floor(local_epoch / 86400)``, so
    a query that computes it once in a subquery saves the work (the expression repeats it several times).
    """
    start, span = hours.start_seconds, hours.day_seconds
    per_week = len(hours.weekdays)
    before = "[" + ", ".join(str(int(v)) for v in hours._before()) + "]"
    working = "[" + ", ".join(str(d) for d in hours.weekdays) + "]"
    holidays = [int(d) for d in hours._holiday_days()]
    day = day or f"floor(({local_epoch}) / {_DAY})::BIGINT"
    n = f"({day} - {_EPOCH_MONDAY})"
    weekday = f"(({n} % 7 + 7) % 7)"
    holiday_count = " + ".join(f"CASE WHEN {n} > {h} THEN 1 ELSE 0 END" for h in holidays) or "0"
    is_holiday = f"{n} IN ({', '.join(map(str, holidays))})" if holidays else "false"
    within = f"least(greatest(({local_epoch}) - {day} * {_DAY} - {start}, 0), {span})"
    return (
        f"((floor({n} / 7)::BIGINT * {per_week} + {before}[{weekday} + 1] - ({holiday_count})) * {span} + "
        f"CASE WHEN list_contains({working}, {weekday}) AND NOT {is_holiday} THEN {within} ELSE 0 END)"
    )
