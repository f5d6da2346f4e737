"""When a goal is due: dates, quarters, durations and vague time words, read from tokens relative to a day."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from ._text import Token, read_digits, read_number_words, small_int

DAYS_PER = {"day": 1.0, "week": 7.0, "fortnight": 14.0, "month": 365 / 12, "quarter": 365 / 4, "year": 365.0}
_UNIT_STEMS = {"day": "day", "week": "week", "fortnight": "fortnight", "month": "month", "quarter": "quarter"}
_UNIT_STEMS |= {"year": "year", "yr": "year", "mo": "month", "wk": "week"}
_LEAD_IN = frozenset(
    "by before until till within in over during for through throughout at on inside the end of than later no eo "
    "next coming following first".split()
)
_LEVEL_WORDS = frozenset("to from at than below above under".split())
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
_ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})
_RECURRING_WORDS = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "annually": "year",
    "yearly": "year",
    "annual": "year",
}
_VAGUE_WORDS = frozenset(
    "soon eventually someday asap shortly later ongoing continuously continually quickly gradually "
    "sometime over-time long-term short-term".split()
)
_VAGUE_PHRASES = (
    ("over", "time"),
    ("as", "soon", "as", "possible"),
    ("in", "the", "future"),
    ("going", "forward"),
    ("in", "due", "course"),
    ("at", "some", "point"),
    ("in", "the", "long", "run"),
    ("long", "term"),
    ("short", "term"),
    ("over", "the", "coming", "month"),
    ("next", "few"),
    ("coming", "month"),
    ("coming", "week"),
    ("coming", "year"),
    ("one", "day"),
    ("some", "day"),
    ("this", "time", "next", "year"),
)


@dataclass(frozen=True)
class TimeHit:
    """What one time phrase says: a deadline, a horizon, a vague word, or how often."""

    start: int
    stop: int
    deadline: date | None = None
    horizon_days: int | None = None
    vague: str | None = None
    recurring: str | None = None
    ambiguous: str | None = None
    year_in_past: bool = False


def month_end(year: int, month: int) -> date:
    """The last day of a month.

    >>> month_end(2028, 2)
    datetime.date(2028, 2, 29)
    """
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a calendar quarter.

    >>> quarter_end(2027, 2)
    datetime.date(2027, 6, 30)
    """
    return month_end(year, quarter * 3)


def horizon_for(count: float, unit: str) -> int:
    """Days in ``count`` units: a month is 365/12 days, so 6 months are 182 days and 12 months 365.

    >>> horizon_for(6, "month"), horizon_for(1, "quarter"), horizon_for(1, "year"), horizon_for(90, "day")
    (182, 91, 365, 90)
    """
    return int(count * DAYS_PER[unit] + 1e-9)


def _unit_at(words: list[str], stems: list[str], index: int) -> str | None:
    if index >= len(words):
        return None
    return _UNIT_STEMS.get(stems[index])


def _year_at(tokens: list[Token], index: int) -> int | None:
    if index < len(tokens) and len(tokens[index].text) == 4 and (value := small_int(tokens[index].text)):
        if 1900 <= value <= 2200:
            return value
    if index + 1 < len(tokens) and tokens[index].low == "fy" and tokens[index + 1].is_number:
        text = tokens[index + 1].text
        if len(text) in (2, 4) and (value := small_int(text)) is not None:
            return value + (2000 if len(text) == 2 else 0)
    return None


def _year_after(tokens: list[Token], index: int) -> tuple[int | None, int]:
    """The year written at ``index`` ("2027", "FY 27", "of 2027", ", 2027") and how many tokens it takes."""
    if index < len(tokens) and tokens[index].low in ("of", ",", "-", "'"):
        year = _year_at(tokens, index + 1)
        if year is None:
            return None, 0
        return year, 3 if tokens[index + 1].low == "fy" else 2
    year = _year_at(tokens, index)
    if year is None:
        return None, 0
    return year, 2 if tokens[index].low == "fy" else 1


def _next_year_for(end: date, today: date) -> int:
    return end.year if end >= today else end.year + 1


class _Scanner:
    def __init__(self, tokens: list[Token], free: list[bool], today: date) -> None:
        self.tokens = tokens
        self.words = [t.low for t in tokens]
        self.stems = [t.stem for t in tokens]
        self.free = free
        self.today = today

    def _lead_in(self, start: int) -> int:
        index = start
        while index > max(0, start - 6) and self.free[index - 1] and self.words[index - 1] in _LEAD_IN:
            index -= 1  # "by the end of the" is five words: six is enough, and keeps long texts linear
        return index

    def _count_at(self, index: int) -> tuple[int, float] | None:
        words = self.words
        if index >= len(words):
            return None
        if self.tokens[index].is_number:
            value = read_digits(self.tokens[index].text)
            return None if value is None else (1, value)
        if words[index] in ("a", "an", "one") and index + 1 < len(words):
            if words[index + 1] == "half" and index + 2 < len(words) and words[index + 2] in ("a", "an"):
                return 3, 0.5  # "a half a year" is rare; "half a year" is handled below
            return 1, 1.0
        if words[index] == "half" and index + 1 < len(words) and words[index + 1] in ("a", "an"):
            return 2, 0.5
        if words[index] in ("several", "few", "couple"):
            return None
        return read_number_words(words, index)

    def duration(self, i: int) -> TimeHit | None:
        if self.words[i] in ("next", "coming", "following", "first") and i + 1 < len(self.words):
            inner = self._duration(i + 1)
            return None if inner is None else TimeHit(i, inner.stop, horizon_days=inner.horizon_days)
        return self._duration(i)

    def _duration(self, i: int) -> TimeHit | None:
        words = self.words
        hyphen = words[i].split("-")
        if len(hyphen) == 2 and (hyphen[1] in _UNIT_STEMS or hyphen[1].rstrip("s") in _UNIT_STEMS):
            unit = _UNIT_STEMS.get(hyphen[1].rstrip("s")) or _UNIT_STEMS.get(hyphen[1])
            counted = read_number_words([hyphen[0]], 0)
            if counted and unit:
                return self._finish_duration(i, i + 1, counted[1], unit)
        counted = self._count_at(i)
        if counted is None:
            return None
        used, count = counted
        j = i + used
        if j < len(words) and words[j] == "-":
            j += 1
        unit = _unit_at(words, self.stems, j)
        if unit is None or count <= 0:
            return None
        if words[i] in ("a", "an", "one") and self._lead_in(i) == i:
            return None  # "25% a year" is a rate per year, read by recurring()
        if words[i] in ("a", "an") and unit == "quarter" and i > 0 and words[i - 1] in ("by", "of"):
            return None  # "cut costs by a quarter" is 25%, not three months
        if i > 0 and words[i - 1] in _LEVEL_WORDS:
            return None  # "from 20 to 12 days" is a level of a metric counted in days
        return self._finish_duration(i, j + 1, count, unit)

    def _finish_duration(self, start: int, stop: int, count: float, unit: str) -> TimeHit:
        words = self.words
        if stop + 1 < len(words) and words[stop] == "from" and words[stop + 1] in ("now", "today"):
            stop += 2
        elif stop < len(words) and words[stop] in ("time", "period", "window", "horizon"):
            stop += 1
        return TimeHit(start, stop, horizon_days=horizon_for(count, unit))

    def recurring(self, i: int) -> TimeHit | None:
        words = self.words
        if words[i] in _RECURRING_WORDS:
            return TimeHit(i, i + 1, recurring=_RECURRING_WORDS[words[i]])
        if (
            words[i] in ("a", "an")
            and i > 0
            and words[i - 1] in ("by", "of")
            and self.stems[i + 1 : i + 2] == ["quarter"]
        ):
            return None
        if words[i] in ("per", "each", "every", "a", "an") and (unit := _unit_at(words, self.stems, i + 1)):
            return TimeHit(i, i + 2, recurring=unit)
        for first in ("year", "month", "quarter", "week"):
            if words[i] in (f"{first}-over-{first}", f"{first}-on-{first}"):
                return TimeHit(i, i + 1, recurring=first)
            if words[i : i + 3] in ([first, "over", first], [first, "on", first]):
                return TimeHit(i, i + 3, recurring=first)
        if words[i] in ("yoy", "mom", "qoq"):
            return TimeHit(i, i + 1, recurring={"yoy": "year", "mom": "month", "qoq": "quarter"}[words[i]])
        return None

    def vague(self, i: int) -> TimeHit | None:
        words, stems = self.words, self.stems
        if words[i] in _VAGUE_WORDS:
            return TimeHit(i, i + 1, vague=self.tokens[i].text.lower())
        for phrase in _VAGUE_PHRASES:
            n = len(phrase)
            if tuple(stems[i : i + n]) == phrase or tuple(words[i : i + n]) == phrase:
                return TimeHit(i, i + n, vague=" ".join(t.text.lower() for t in self.tokens[i : i + n]))
        return None

    def period(self, i: int) -> TimeHit | None:
        words, today = self.words, self.today
        unit = _unit_at(words, self.stems, i + 1) if i + 1 < len(words) else None
        if words[i] in ("this", "current", "the", "next", "coming") and unit in ("month", "quarter", "year"):
            shift = 1 if words[i] in ("next", "coming") else 0
            stop = i + 2
            if words[i] == "the" and i > 0 and words[i - 1] == "of" and self._lead_in(i) == i:
                return None
            return TimeHit(i, stop, deadline=_period_end(today, unit, shift))
        then = words[i + 1] if i + 1 < len(words) else ""
        if words[i] in ("year-end", "yearend", "eoy") or (words[i] == "year" and then == "end"):
            stop = i + (1 if words[i] != "year" else 2)
            return TimeHit(i, stop, deadline=date(today.year, 12, 31))
        if words[i] in ("eoq", "quarter-end") or (words[i] == "quarter" and then == "end"):
            stop = i + (1 if words[i] != "quarter" else 2)
            return TimeHit(i, stop, deadline=_period_end(today, "quarter", 0))
        if words[i] in ("end", "eo") and i + 1 < len(words) and words[i + 1] == "of" and unit is None:
            after = _unit_at(words, self.stems, i + 2)
            if after in ("month", "quarter", "year"):
                return TimeHit(i, i + 3, deadline=_period_end(today, after, 0))
        return None

    def quarter(self, i: int) -> TimeHit | None:
        words, tokens = self.words, self.tokens
        number, stop, half = None, i, False
        if words[i] in ("q", "h") and i + 1 < len(words) and tokens[i + 1].text in ("1", "2", "3", "4"):
            number, stop, half = int(tokens[i + 1].text), i + 2, words[i] == "h"
            if half and number > 2:
                return None
        elif words[i] in ("q1", "q2", "q3", "q4"):
            number, stop = int(words[i][1]), i + 1
        elif words[i] in _ORDINALS and i + 1 < len(words) and self.stems[i + 1] in ("quarter", "half"):
            half = self.stems[i + 1] == "half"
            number, stop = _ORDINALS[words[i]], i + 2
            if half:
                number = 2 if words[i] in ("second", "last") else 1
        elif words[i] == "quarter" and i + 1 < len(words) and tokens[i + 1].text in ("1", "2", "3", "4"):
            number, stop = int(tokens[i + 1].text), i + 2
        if number is None:
            return None
        year, size = _year_after(self.tokens, stop)
        end = month_end(year or self.today.year, number * (6 if half else 3))
        if year is None:
            end = month_end(_next_year_for(end, self.today), number * (6 if half else 3))
        return TimeHit(i, stop + size, deadline=end)

    def month_date(self, i: int) -> TimeHit | None:
        tokens, words = self.tokens, self.words
        day: int | None = None
        start = i
        j = i
        if 1 <= (small_int(tokens[j].text, digits=2) or 0) <= 31:
            day = small_int(tokens[j].text, digits=2)
            j += 1
            if j < len(words) and words[j] in _ORDINAL_SUFFIX:
                j += 1
            if j < len(words) and words[j] == "of":
                j += 1
        if j >= len(words) or words[j] not in _MONTHS:
            return None
        month = _MONTHS[words[j]]
        j += 1
        if j < len(words) and words[j] == ".":
            j += 1
        if day is None and j < len(words) and 1 <= (small_int(tokens[j].text, digits=2) or 0) <= 31:
            day = small_int(tokens[j].text, digits=2)
            j += 1
            if j < len(words) and words[j] in _ORDINAL_SUFFIX:
                j += 1
        if j < len(words) and words[j] == "," and _year_at(tokens, j + 1):
            j += 1
        year, size = _year_after(self.tokens, j)
        j += size
        if day is None and year is None and self._lead_in(start) == start:
            return None  # a bare month name ("may", "march") is a word unless dated or led in
        last = calendar.monthrange(year or self.today.year, month)[1]
        if day is not None and day > last:
            return TimeHit(start, j, ambiguous=" ".join(t.text for t in tokens[start:j]))
        end = date(year or self.today.year, month, day or last)
        if year is None:
            year = _next_year_for(end, self.today)
            last = calendar.monthrange(year, month)[1]
            if day is not None and day > last:
                day = last
            end = date(year, month, day or last)
        return TimeHit(start, j, deadline=end)

    def numeric_date(self, i: int) -> TimeHit | None:
        tokens = self.tokens
        if i + 4 >= len(tokens) or small_int(tokens[i].text) is None:
            return None
        sep = tokens[i + 1].text
        if sep not in ("-", "/", ".") or tokens[i + 3].text != sep:
            return None
        parts = [tokens[i].text, tokens[i + 2].text, tokens[i + 4].text]
        if any(small_int(p) is None for p in parts):
            return None
        hit = TimeHit(i, i + 5, ambiguous=sep.join(parts))
        if len(parts[0]) == 4:
            year, month, day = (int(p) for p in parts)
        elif len(parts[2]) == 4 and (int(parts[0]) > 12) != (int(parts[1]) > 12):
            year = int(parts[2])
            day, month = (int(parts[0]), int(parts[1])) if int(parts[0]) > 12 else (int(parts[1]), int(parts[0]))
        else:
            return hit  # 03/04/2027: 3 April or March 4? Ask for an unambiguous date
        try:
            return TimeHit(i, i + 5, deadline=date(year, month, day))
        except ValueError:
            return hit

    def year_only(self, i: int) -> TimeHit | None:
        year = _year_at(self.tokens, i)
        if year is None or self._lead_in(i) == i:
            return None
        following = self.words[i + 1] if i + 1 < len(self.words) else ""
        if following in ("%", "percent", "pct"):
            return None
        return TimeHit(i, i + 1, deadline=date(year, 12, 31))


def _period_end(today: date, unit: str, shift: int) -> date:
    if unit == "month":
        month = today.month - 1 + shift
        return month_end(today.year + month // 12, month % 12 + 1)
    if unit == "quarter":
        quarter = (today.month - 1) // 3 + shift
        return quarter_end(today.year + quarter // 4, quarter % 4 + 1)
    return date(today.year + shift, 12, 31)


def scan_time(tokens: list[Token], free: list[bool], today: date) -> list[TimeHit]:
    """Find every time phrase among the free tokens, mark them used, and return what each says.

    >>> from ._text import tokenize
    >>> tokens = tokenize("by end of Q2 2027, then within 6 months")
    >>> [(h.deadline, h.horizon_days) for h in scan_time(tokens, [True] * len(tokens), date(2026, 11, 1))]
    [(datetime.date(2027, 6, 30), None), (None, 182)]
    """
    scanner = _Scanner(tokens, free, today)
    hits: list[TimeHit] = []
    matchers = (
        scanner.vague,
        scanner.numeric_date,
        scanner.month_date,
        scanner.quarter,
        scanner.period,
        scanner.duration,
        scanner.recurring,
        scanner.year_only,
    )
    i = 0
    while i < len(tokens):
        if not free[i]:
            i += 1
            continue
        hit = None
        for matcher in matchers:
            hit = matcher(i)
            if hit is not None and all(free[hit.start : hit.stop]):
                break
            hit = None
        if hit is None:
            i += 1
            continue
        start = hit.start if hit.vague else scanner._lead_in(hit.start)
        if hit.deadline is not None and hit.deadline < today:
            hit = TimeHit(hit.start, hit.stop, deadline=hit.deadline, year_in_past=True)
        for k in range(start, hit.stop):
            free[k] = False
        hits.append(TimeHit(start, hit.stop, **{k: v for k, v in vars(hit).items() if k not in ("start", "stop")}))
        i = hit.stop
    return hits


def add_days(day: date, days: int) -> date:
    """``day`` plus ``days`` days, clamped to the calendar's range."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
