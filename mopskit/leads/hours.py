"""Business hours: elapsed working time between two moments, in a time zone, skipping nights, weekends, holidays.

An SLA such as "sales touches every MQL within 8 business hours" counts only working time: an MQL that
arrives on Friday at 16:00 and is called on Monday at 10:00 waited 2 business hours, not 66 clock hours, and
the clock is read in the time zone of whoever must act. The arithmetic lives in :mod:`mopskit._hours` (the data
generator uses it too); this is its public home.
"""

from __future__ import annotations

from .._hours import (
    BusinessHours,
    add_business_hours,
    business_hours_between,
    business_seconds_sql,
    check_time_zone,
    parse_business_hours,
)

__all__ = [
    "BusinessHours",
    "add_business_hours",
    "business_hours_between",
    "business_seconds_sql",
    "check_time_zone",
    "parse_business_hours",
]
