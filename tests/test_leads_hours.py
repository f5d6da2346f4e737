"""Business-hours arithmetic, worked by hand: weekends, nights, holidays, time zones and clock changes."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mopskit.errors import ParameterError
from mopskit.leads.hours import (
    BusinessHours,
    add_business_hours,
    business_hours_between,
    business_seconds_sql,
    check_time_zone,
    parse_business_hours,
)


def _between(start, end, **kwargs):
    return business_hours_between(pd.Series([start]), pd.Series([end]), **kwargs).iloc[0]


@pytest.mark.parametrize(
    ("start", "end", "hours", "why"),
    [
        ("2026-03-02T10:00:00", "2026-03-02T12:30:00", 2.5, "same working day"),
        ("2026-03-02T07:00:00", "2026-03-02T10:00:00", 1.0, "before opening counts from 09:00"),
        ("2026-03-02T16:00:00", "2026-03-03T10:00:00", 2.0, "overnight: 16-17 then 9-10"),
        ("2026-03-06T16:00:00", "2026-03-09T10:00:00", 2.0, "Friday to Monday skips the weekend"),
        ("2026-03-07T12:00:00", "2026-03-08T18:00:00", 0.0, "all weekend"),
        ("2026-03-06T18:00:00", "2026-03-09T08:59:00", 0.0, "Friday evening to Monday before opening"),
        ("2026-03-02T09:00:00", "2026-03-09T09:00:00", 40.0, "a whole week"),
        ("2026-03-02T12:00:00", "2026-03-02T10:00:00", -2.0, "end before start is negative"),
    ],
)
def test_business_hours_in_utc(start, end, hours, why):
    assert _between(start, end) == pytest.approx(hours), why


def test_time_zones_read_the_same_moments_on_different_clocks():
    # Friday 16:00 UTC to Monday 10:00 UTC, in March 2026 (before Europe's and after America's clock change)
    start, end = "2026-03-13T16:00:00", "2026-03-16T10:00:00"
    assert _between(start, end, time_zone="UTC") == 2.0
    assert _between(start, end, time_zone="Europe/Bucharest") == 3.0  # 18:00 Friday (closed), 12:00 Monday
    assert _between(start, end, time_zone="America/New_York") == 5.0  # 12:00-17:00 Friday, 06:00 Monday
    assert _between(start, end, time_zone="Asia/Taipei") == 8.0  # Saturday 00:00 to Monday 18:00: all of Monday
    per_row = business_hours_between(
        pd.Series([start, start]), pd.Series([end, end]), time_zone=pd.Series(["UTC", "Europe/Bucharest"])
    )
    assert per_row.tolist() == [2.0, 3.0]


def test_the_clock_change_is_respected():
    # Europe moves to summer time on Sunday 29 March 2026: Friday 07:00 UTC is 08:00 in Berlin (before opening),
    # Monday 08:00 UTC is 10:00 there (it would be 09:00 without the change)
    start, end = "2026-03-27T07:00:00", "2026-03-30T08:00:00"
    assert _between(start, end, time_zone="Europe/Berlin") == 9.0
    assert _between(start, end, time_zone="UTC") == 8.0


def test_holidays_and_other_working_weeks():
    christmas = BusinessHours(holidays=("2026-12-25",))
    assert _between("2026-12-24T16:00:00", "2026-12-28T10:00:00", hours=christmas) == 2.0
    assert _between("2026-12-24T16:00:00", "2026-12-28T10:00:00") == 10.0
    assert _between("2026-12-25T10:00:00", "2026-12-25T12:00:00", hours=christmas) == 0.0
    four_days = parse_business_hours("08:00-16:00 mon-thu")
    assert _between("2026-03-05T15:00:00", "2026-03-09T09:00:00", hours=four_days) == 2.0  # Thu 15-16, Mon 8-9
    weekend_shop = parse_business_hours("10:00-18:00 sat-sun")
    assert weekend_shop.weekdays == (5, 6)
    assert _between("2026-03-06T12:00:00", "2026-03-09T12:00:00", hours=weekend_shop) == 16.0


def test_empty_moments_give_empty_hours():
    result = business_hours_between(pd.Series(["2026-03-02T10:00:00", None]), pd.Series([None, "2026-03-02T12:00:00"]))
    assert result.isna().all()


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("2026-03-06T16:00:00", 2, "2026-03-09T10:00:00"),
        ("2026-03-07T11:00:00", 1, "2026-03-09T10:00:00"),
        ("2026-03-02T09:00:00", 8, "2026-03-03T09:00:00"),
        ("2026-03-02T09:00:00", 0, "2026-03-02T09:00:00"),
    ],
)
def test_adding_business_hours(start, hours, expected):
    assert add_business_hours(pd.Series([start]), [hours]).iloc[0] == pd.Timestamp(expected)


def test_adding_in_a_time_zone_returns_utc():
    # 8 business hours from Friday 11:00 New York (16:00 UTC): 6 on Friday, 2 on Monday -> 11:00 EDT = 15:00 UTC
    result = add_business_hours(pd.Series(["2026-03-06T16:00:00"]), [8], time_zone="America/New_York")
    assert result.iloc[0] == pd.Timestamp("2026-03-09T15:00:00")


moments = st.datetimes(
    min_value=pd.Timestamp("2025-01-01").to_pydatetime(), max_value=pd.Timestamp("2027-12-31").to_pydatetime()
)


@settings(max_examples=60, deadline=None)
@given(
    start=moments,
    added=st.floats(min_value=0, max_value=400),
    zone=st.sampled_from(["UTC", "Asia/Taipei", "America/Chicago"]),
)
def test_adding_then_measuring_gives_the_hours_back(start, added, zone):
    hours = BusinessHours(holidays=("2026-01-01", "2026-12-25", "2027-01-01"))
    later = add_business_hours(pd.Series([start]), [added], time_zone=zone, hours=hours)
    back = business_hours_between(pd.Series([start]), later, time_zone=zone, hours=hours).iloc[0]
    assert back == pytest.approx(round(added * 3600) / 3600, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(a=moments, b=moments, c=moments)
def test_business_hours_add_up_and_never_exceed_clock_hours(a, b, c):
    first, middle, last = sorted([a, b, c])
    whole = _between(first, last)
    assert whole == pytest.approx(_between(first, middle) + _between(middle, last))
    assert 0 <= whole <= (last - first).total_seconds() / 3600 + 1e-9


def test_the_sql_gives_the_same_hours_as_numpy():
    import duckdb

    hours = BusinessHours("08:30", "17:00", holidays=("2026-04-03", "2026-04-06"))
    starts = pd.Series(pd.date_range("2026-03-25", periods=200, freq="7h13min"))
    ends = starts + pd.to_timedelta(range(0, 200 * 5000, 5000), unit="min")
    expected = business_hours_between(starts, ends, time_zone="Europe/London", hours=hours)
    local = "epoch(CAST(CAST({} AS TIMESTAMP) AT TIME ZONE 'UTC' AS TIMESTAMPTZ) AT TIME ZONE 'Europe/London')"
    frame = pd.DataFrame({"s": starts, "e": ends})
    sql = (
        f"SELECT ({business_seconds_sql(local.format('e'), hours)} - {business_seconds_sql(local.format('s'), hours)})"
        " / 3600.0 AS h FROM frame"
    )
    con = duckdb.connect()
    con.register("frame", frame)
    got = con.sql(sql).df()["h"]
    assert got.round(9).tolist() == expected.round(9).tolist()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: BusinessHours("17:00", "09:00"),
            r"BusinessHours: 'end' must be after 'start' \(17:00\) \(got '09:00'\)",
        ),
        (
            lambda: BusinessHours("9am", "17:00"),
            r"BusinessHours: 'start' must be a time of day written HH:MM, like 09:00 \(got '9am'\)",
        ),
        (
            lambda: BusinessHours(weekdays=(7,)),
            r"BusinessHours: 'weekdays' must be working days from 0 \(Monday\) to 6 \(Sunday\) \(got \[7\]\)",
        ),
        (
            lambda: BusinessHours(holidays=("25/12/2026",)),
            r"BusinessHours: 'holidays' must be a date .* \(got '25/12/2026'\); it looks day-first",
        ),
        (
            lambda: parse_business_hours("nine to five"),
            r"parse_business_hours: 'business_hours' must be written HH:MM-HH:MM with optional days",
        ),
        (
            lambda: parse_business_hours("09:00-17:00 weekdays"),
            r"'business_hours' must be days written like mon-fri \(got '09:00-17:00 weekdays'\)",
        ),
        (
            lambda: check_time_zone("Mars/Olympus"),
            r"check_time_zone: 'time_zone' must be an IANA time zone name, like Europe/London.* \(got 'Mars/Olympus'\)",
        ),
    ],
)
def test_bad_schedules_are_refused_with_the_fix(make, message):
    with pytest.raises(ParameterError, match=message):
        make()
