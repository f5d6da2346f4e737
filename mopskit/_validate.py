"""One way to check what a user hands the kit, and one shape for saying what is wrong.

Every domain function (metrics, stack, goals, roles, strategy, data, and the packages built on them) checks
its arguments and the cells it computes with here, so a bad value gets the same message everywhere::

    <function>: '<name>' must be <rule> (got <value>)[ in row N of <table>][; <fix>]

for example ``ab_test: 'conversions_a' must be a whole number (got True); True/False stand for yes/no, not for a
whole number``.
An argument that is wrong raises :class:`~mopskit.errors.ParameterError`; a cell of a table that is wrong
raises :class:`~mopskit.errors.DataError`, naming the first bad rows and listing every one in ``problems``.
Rows are counted as in a spreadsheet (the header is row 1, the table's first row is row 2), as
:func:`mopskit.data.read` and :func:`mopskit.data.validate` count them; the DataFrame's index is added
when it differs.

How to use it, in a domain function::

    from .._validate import Notes, amounts, checked, choice, count, dates, percent

    @checked  # an argument of the wrong kind (by its annotation), or an unknown one: a ParameterError
    def my_metric(log: pd.DataFrame, *, model: str = "linear", confidence: float = 95.0) -> pd.DataFrame:
        model = choice(model, "model", MODELS, function="my_metric")
        confidence = percent(confidence, "confidence", function="my_metric", low=50, high=99.9)
        when = dates(log["date"], function="my_metric", table="the purchase log")
        paid = amounts(log["amount"], function="my_metric", table="the purchase log")
        notes = Notes()
        notes.rows("purchases", len(log))
        notes.exclude("purchases", when.isna(), "Purchases with no date, left out: {n}.", reason="no date")
        ...
        return notes.attach(result)   # result.attrs["notes"] and result.attrs["data_quality"]["rows"]

A public function that returns a bare number cannot carry notes, so it refuses rows it would have to leave out
(see :func:`mopskit.metrics.repeat_purchase_rate`). ``tests/test_validate_api.py`` feeds every public
function bad frames and arguments, and fails on one that is not decorated or not covered.

The rules, decided once:

- **Dates**: ISO 8601 only (``2026-03-31``, ``2026-03-31T14:05:00``, with or without a UTC offset; times
  are read as UTC and returned without a time zone). Date and timestamp objects pass through. Anything else
  is refused with its row, and ``13/02/2026`` is explained (day first, month first, or either).
- **Money**: numbers, or text that is a number once a currency sign or code (``$ € £ ¥``, ``USD`` ...) and
  comma thousands separators are taken away (``'$7'`` is 7, ``'1,000.00'`` is 1000). Decimal commas
  (``'1,5'``), ``'abc'`` and True/False are refused with the fix. Negative amounts are refused unless the
  column allows them (refunds).
- **Counts**: whole numbers, 0 or more (5.0 is 5); never True/False, NaN or text.
- **Months**: ``YYYY-MM``, or a date in the month.
- **Percents**: 0 to 100. A value between 0 and 1 where a percent is expected reads as a fraction and is
  refused ("0.04 looks like a fraction; write 4 for 4%"); text with a percent sign (``'0.5%'``) says it
  really is under 1%.
- **Choices**: one of a list, which the message names, with the closest spelling suggested.
- **Keys** (channel, customer, campaign): a row without one is never dropped silently; the caller files it
  under a label (``(no channel)``) or leaves it out, and :class:`Notes` counts it; where neither can be
  said, :func:`filled` refuses it with its rows.
- **Kinds of arguments** (:func:`checked`): text, a number, a table... as each public function's annotations
  say; a whole-number argument given as 5.0 is passed on as 5.

>>> count(5, "visitors_a", function="ab_test")
5
>>> money("$1,200.50", "spend", function="romi")
1200.5
>>> percent(0.04, "baseline_rate", function="sample_size")
Traceback (most recent call last):
...
mopskit.errors.ParameterError: sample_size: 'baseline_rate' must be a percent from 0 to 100 (got 0.04); 0.04 looks \
like a fraction: write 4 for 4% (or '0.04%' if the rate really is under 1%)
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import inspect
import math
import numbers
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import DataError, ParameterError
from .i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATE_RULE",
    "MONEY_RULE",
    "MONTH_RULE",
    "Notes",
    "amounts",
    "as_keys",
    "axes",
    "check_keys",
    "checked",
    "choice",
    "columns",
    "count",
    "date_fix",
    "dates",
    "day",
    "describe_value",
    "filled",
    "finish",
    "is_missing",
    "missing_keys",
    "money",
    "month",
    "months",
    "notes_of",
    "number",
    "parse_amount",
    "percent",
    "percents",
    "period",
    "problem",
    "row_label",
    "rows",
]

DATE_RULE = "a date written YYYY-MM-DD, like 2026-03-31"
MONEY_RULE = "an amount of money, 0 or more, like 1200.50"
MONTH_RULE = "a month written YYYY-MM, like 2026-03"
SHOWN_ROWS = 5

_CURRENCY = r"(?:[$€£¥₹]|USD|EUR|GBP|JPY|CHF|CAD|AUD|RON|THB|TWD)"
_MONEY_TEXT = re.compile(
    rf"^(?P<sign1>[-−]?)\s*{_CURRENCY}?\s*(?P<sign2>[-−]?)\s*"
    r"(?P<number>\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\.\d+)"
    rf"\s*{_CURRENCY}?$",
    re.IGNORECASE,
)
_DECIMAL_COMMA = re.compile(r"^[-−]?\s*\D{0,3}\s*\d+,\d{1,2}\s*\D{0,3}$")
_SLASHED = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T].*)?$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# --- the message shape ------------------------------------------------------------------------------------


def describe_value(value: Any) -> str:
    """Show a value as a message quotes it: text in quotes, numbers and True/False as Python writes them.

    >>> describe_value("13/02/2026"), describe_value(True), describe_value(float("nan")), describe_value(4.0)
    ("'13/02/2026'", 'True', 'nan', '4.0')
    """
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, dt.date):
        try:
            value = item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, dt.datetime | dt.date):
        return repr(value.isoformat())
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problem(
    function: str, name: str, rule: str, got: Any, *, where: str = "", fix: str = "", shown: str | None = None
) -> str:
    """Write one problem in the kit's message shape.

    Args:
        function: the public function that was called, e.g. ``"ab_test"``.
        name: the argument or column at fault.
        rule: what a good value is, e.g. ``"a whole number, 0 or more"``.
        got: the value received (shown with :func:`describe_value`).
        where: the row and table, e.g. ``"row 3 of the purchase log"`` (empty for an argument).
        fix: what to do about it, a short imperative.
        shown: what to write after "got" instead of the value (for a summary such as "a header only").

    >>> problem("romi", "spend", "a number", "abc", fix="pass the amount as a number, like 1200.5")
    "romi: 'spend' must be a number (got 'abc'); pass the amount as a number, like 1200.5"

    """
    text = _("{function}: '{name}' must be {rule} (got {got})").format(
        function=function, name=name, rule=rule, got=describe_value(got) if shown is None else shown
    )
    if where:
        text += " " + _("in {where}").format(where=where)
    if fix:
        text += "; " + fix
    return text


def row_label(position: int, index: Any, table: str) -> str:
    """Name a row of a table as a spreadsheet numbers it (header row 1), with its index when that differs.

    >>> row_label(0, 0, "the purchase log"), row_label(1, "b", "the contacts table")
    ('row 2 of the purchase log', "row 3 (index 'b') of the contacts table")
    """
    number = position + 2
    same = isinstance(index, numbers.Integral) and not isinstance(index, bool) and int(index) == position
    if same:
        return _("row {n} of {table}").format(n=number, table=table)
    return _("row {n} (index {index}) of {table}").format(n=number, index=describe_value(index), table=table)


def _raise_cells(function: str, name: str, table: str, bad: list[tuple[int, Any, Any, str, str]], *, rule: str) -> None:
    """Raise one DataError for the bad cells of a column: (position, index, value, rule, fix) each."""
    lines = [
        problem(
            function,
            name,
            cell_rule or rule,
            value,
            where=row_label(pos, index, table),
            fix=fix,
            shown=_("an empty cell") if is_missing(value) else None,
        )
        for pos, index, value, cell_rule, fix in bad
    ]
    message = lines[0]
    if len(lines) > 1:
        others = ", ".join(str(pos + 2) for pos, *_rest in bad[1:SHOWN_ROWS])
        more = len(lines) - SHOWN_ROWS
        message += "\n" + _("{n} more rows have the same problem (rows {rows}{more}).").format(
            n=len(lines) - 1, rows=others, more=_(" and {k} more").format(k=more) if more > 0 else ""
        )
    raise DataError(message, problems=lines, source=table)


# --- missing values -----------------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    """Whether a cell is empty: None, NaN, NaT, pandas' NA, or text with nothing but spaces.

    >>> [is_missing(v) for v in (None, float("nan"), "  ", "x", 0)]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(value != value)  # NaN and NaT differ from themselves
    except (TypeError, ValueError):
        return False


def missing_keys(values: pd.Series) -> pd.Series:
    """True where a key column (channel, customer, campaign ...) is empty: missing or blank text.

    >>> import pandas as pd
    >>> missing_keys(pd.Series(["email", None, " ", "seo"])).tolist()
    [False, True, True, False]
    """
    import pandas as pd

    if values.dtype == object or isinstance(values.dtype, pd.CategoricalDtype):  # anything in a cell: one by one
        return values.astype(object).map(is_missing).astype(bool)
    if pd.api.types.is_string_dtype(values.dtype):  # text only
        return (values.isna() | values.str.strip().eq("")).fillna(True).astype(bool)
    return values.isna()  # numbers, dates: only a missing value is empty


def columns(frame: pd.DataFrame, needed: Sequence[str], *, function: str, table: str, fix: str = "") -> None:
    """Check that a table has the columns a function needs; the message lists the ones it has.

    >>> import pandas as pd
    >>> columns(pd.DataFrame({"a": [1]}), ["a", "b"], function="funnel", table="the contacts table")
    Traceback (most recent call last):
    ...
    mopskit.errors.DataError: funnel: 'b' must be a column of the contacts table (got columns a); add it or \
rename one to 'b'
    """
    missing = [str(c) for c in needed if c not in frame.columns]
    if missing:
        present = ", ".join(map(str, frame.columns)) or _("none")
        lines = [
            problem(
                function,
                name,
                _("a column of {table}").format(table=table),
                None,
                shown=_("columns {present}").format(present=present),
                fix=fix or _("add it or rename one to {name}").format(name=describe_value(name)),
            )
            for name in missing
        ]
        raise DataError("\n".join(lines), problems=lines, source=table)


def rows(frame: pd.DataFrame, *, function: str, name: str, table: str, fix: str = "") -> None:
    """Refuse a table with no rows (a header only), as :func:`mopskit.data.read` refuses such a file.

    >>> import pandas as pd
    >>> rows(pd.DataFrame({"a": []}), function="email_metrics", name="events", table="the events table")
    Traceback (most recent call last):
    ...
    mopskit.errors.DataError: email_metrics: 'events' must be a table with at least one row (got a header only) in \
the events table; export it again with its data, or check the filter that made it
    """
    if len(frame) == 0:
        text = problem(
            function,
            name,
            _("a table with at least one row"),
            None,
            shown=_("a header only"),
            where=table,
            fix=fix or _("export it again with its data, or check the filter that made it"),
        )
        raise DataError(text, problems=[text], source=table)


def filled(values: pd.Series, *, function: str, table: str, name: str | None = None, fix: str = "") -> None:
    """Refuse a key column with empty cells (where a note cannot stand in), naming every such row.

    >>> import pandas as pd
    >>> filled(pd.Series(["CRM", None], name="tool"), function="integration_map", table="the inventory")
    Traceback (most recent call last):
    ...
    mopskit.errors.DataError: integration_map: 'tool' must be filled in (got an empty cell) in row 3 of the \
inventory; fill it in, or leave the row out
    """
    empty = missing_keys(values).to_numpy()
    if empty.any():
        objects = values.astype(object)
        bad = [
            (pos, values.index[pos], objects.iloc[pos], "", fix or _("fill it in, or leave the row out"))
            for pos in empty.nonzero()[0]
        ]
        _raise_cells(function, str(values.name) if name is None else name, table, bad, rule=_("filled in"))


# --- arguments --------------------------------------------------------------------------------------------


def _is_bool(value: Any) -> bool:
    """True/False, Python's or NumPy's."""
    return isinstance(value, bool) or (type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_"))


def _real(value: Any) -> float | None:
    """A real number as a float, or None for True/False, text and other types."""
    if _is_bool(value):
        return None
    if isinstance(value, numbers.Real | Decimal):
        return float(value)
    return None


def number(
    value: Any,
    name: str,
    *,
    function: str,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    rule: str | None = None,
    fix: str = "",
) -> float:
    """Check an argument that is a plain number (a threshold, a half-life, a tolerance) and return it as float.

    ``minimum``/``maximum`` are inclusive bounds, ``above`` an exclusive lower bound. NaN, infinity,
    True/False and text are refused.

    >>> number(7, "half_life_days", function="attribute", above=0)
    7.0
    """
    bounds = []
    if above is not None:
        bounds.append(_("more than {x:g}").format(x=above))
    if minimum is not None:
        bounds.append(_("{x:g} or more").format(x=minimum))
    if maximum is not None:
        bounds.append(_("at most {x:g}").format(x=maximum))
    text = rule or (_("a number") + (", " + _(" and ").join(bounds) if bounds else ""))
    got = _real(value)
    if got is None or not math.isfinite(got):
        hint = fix or (
            _("pass a number, not text (write {v} without quotes)").format(v=value.strip())
            if isinstance(value, str)
            else ""
        )
        raise ParameterError(problem(function, name, text, value, fix=hint))
    if (
        (above is not None and not got > above)
        or (minimum is not None and got < minimum)
        or (maximum is not None and got > maximum)
    ):
        raise ParameterError(problem(function, name, text, value, fix=fix))
    return got


def count(value: Any, name: str, *, function: str, minimum: int = 0, fix: str = "") -> int:
    """Check an argument that counts things (visitors, conversions, seats): a whole number, ``minimum`` or more.

    5.0 is accepted as 5; True/False, NaN, 2.5 and text are refused.

    >>> count(5.0, "visitors_a", function="ab_test")
    5
    >>> count(True, "conversions_a", function="ab_test")
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: ab_test: 'conversions_a' must be a whole number, 0 or more (got True); pass a \
count, like 5 (True/False are not counts)
    """
    rule = _("a whole number, 0 or more") if minimum == 0 else _("a whole number, {m} or more").format(m=minimum)
    got = _real(value)
    if got is None or not math.isfinite(got) or got != int(got):
        if _is_bool(value):
            hint = _("pass a count, like 5 (True/False are not counts)")
        elif isinstance(value, str):
            hint = _("pass a number, not text (write {v} without quotes)").format(v=value.strip())
        elif got is not None and math.isnan(got):
            hint = _("the count is missing (NaN): count it, or leave the row out")
        else:
            hint = fix or _("pass a count, like 5")
        raise ParameterError(problem(function, name, rule, value, fix=hint))
    if got < minimum:
        raise ParameterError(problem(function, name, rule, value, fix=fix))
    return int(got)


def money(value: Any, name: str, *, function: str, negative: bool = False) -> float:
    """Check an amount of money given as an argument; see :func:`parse_amount` for what text is read.

    >>> money("1,000.00", "revenue", function="romi"), money(-5, "revenue", function="romi", negative=True)
    (1000.0, -5.0)
    """
    amount, fix = parse_amount(value)
    rule = MONEY_RULE if not negative else _("an amount of money, like 1200.50")
    if amount is None or math.isnan(amount) or not math.isfinite(amount):
        missing = amount is not None and math.isnan(amount)
        fix = _("the amount is missing (NaN or empty): pass a number, 0 if nothing") if missing else fix
        raise ParameterError(problem(function, name, rule, value, fix=fix or _("pass the amount as a number")))
    if amount < 0 and not negative:
        raise ParameterError(
            problem(function, name, rule, value, fix=_("an amount spent or earned cannot be negative"))
        )
    return amount


def percent(
    value: Any,
    name: str,
    *,
    function: str,
    low: float = 0.0,
    high: float = 100.0,
    inclusive: bool = True,
    fractions: bool = False,
) -> float:
    """Check an argument in percent (4 means 4%) and return it as float.

    A number strictly between 0 and 1 is refused as a likely fraction unless ``fractions`` is true (or the
    low bound is 1 or more, where the range check already refuses it with the same fix). Text with a percent
    sign, like ``'0.5%'``, is read as written, so a rate under 1% can still be given.

    >>> percent(95, "confidence", function="ab_test", low=50, high=99.9), percent("0.5%", "baseline_rate",
    ...     function="sample_size")
    (95.0, 0.5)
    """
    explicit = isinstance(value, str) and value.strip().endswith("%")
    got = _real(value)
    if explicit:
        try:
            got = float(value.strip()[:-1].strip())
        except ValueError:
            got = None
    if inclusive:
        rule = _("a percent from {low:g} to {high:g}").format(low=low, high=high)
    else:
        rule = _("a percent between {low:g} and {high:g}").format(low=low, high=high)
    if got is None or not math.isfinite(got):
        fix = (
            _("pass a number, like 4 for 4%")
            if not isinstance(value, str)
            else _("pass a number, not text: 4 for 4%, or '0.5%' with its percent sign")
        )
        raise ParameterError(problem(function, name, rule, value, fix=fix))
    inside = (low <= got <= high) if inclusive else (low < got < high)
    if 0 < got < 1 and not explicit and not fractions:
        shown = describe_value(value)
        whole = got * 100
        raise ParameterError(
            problem(
                function,
                name,
                rule,
                value,
                fix=_("{v} looks like a fraction: write {p:g} for {p:g}%").format(v=shown, p=whole)
                + (_(" (or '{v}%' if the rate really is under 1%)").format(v=shown) if low < 1 else ""),
            )
        )
    if not inside:
        raise ParameterError(problem(function, name, rule, value))
    return got


def choice(value: Any, name: str, valid: Sequence[str], *, function: str) -> str:
    """Check that an argument is one of ``valid``; the message lists them and suggests the nearest.

    >>> choice("linear", "model", ["linear", "first_touch"], function="attribute")
    'linear'
    >>> choice("linera", "model", ["linear", "first_touch"], function="attribute")
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: attribute: 'model' must be one of linear, first_touch (got 'linera'); did \
you mean 'linear'?
    """
    valid = [str(v) for v in valid]
    if isinstance(value, str) and value in valid:
        return value
    rule = _("one of {valid}").format(valid=", ".join(valid))
    fix = ""
    if isinstance(value, str):
        near = difflib.get_close_matches(value.strip().lower(), valid, n=1, cutoff=0.6)
        if near:
            fix = _("did you mean {near}?").format(near=describe_value(near[0]))
    raise ParameterError(problem(function, name, rule, value, fix=fix))


# --- dates ---------------------------------------------------------------------------------------------


def date_fix(value: Any) -> str:
    """What to do about a date that could not be read, explaining day-first and month-first dates."""
    if _is_bool(value):
        return _("a date, not True/False")
    if _real(value) is not None:
        return _(
            "a number is not a date (a spreadsheet's day number?): format the column as a date, YYYY-MM-DD, "
            "before exporting"
        )
    text = str(value).strip()
    slashed = _SLASHED.match(text)
    if slashed:
        first, second, year = int(slashed[1]), int(slashed[2]), slashed[3]
        year = year if len(year) == 4 else "20" + year
        if first > 12 and 1 <= second <= 12:
            return _("it looks day-first ({d} {m} {y}): write {iso}").format(
                d=first, m=_(_MONTHS[second - 1]), y=year, iso=f"{year}-{second:02d}-{first:02d}"
            )
        if second > 12 and 1 <= first <= 12:
            return _("it looks month-first ({m} {d}, {y}): write {iso}").format(
                d=second, m=_(_MONTHS[first - 1]), y=year, iso=f"{year}-{first:02d}-{second:02d}"
            )
        if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
            return _(
                "it could be {d1} {m1} or {d2} {m2} {y}: write it YYYY-MM-DD ({a} or {b}) so it reads one way"
            ).format(
                d1=first,
                m1=_(_MONTHS[second - 1]),
                d2=second,
                m2=_(_MONTHS[first - 1]),
                y=year,
                a=f"{year}-{second:02d}-{first:02d}",
                b=f"{year}-{first:02d}-{second:02d}",
            )
        if first == second and 1 <= first <= 12:
            return _("write {iso}").format(iso=f"{year}-{first:02d}-{second:02d}")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", text):
        return _("no such day in the calendar, or a time that cannot be read: check it")
    return _("write dates as YYYY-MM-DD (times as YYYY-MM-DDTHH:MM:SS)")


def day(value: Any, name: str, *, function: str) -> dt.date:
    """Check an argument that is a day (a period bound, ``today``, a deadline) and return it as a date.

    Accepts a date, a datetime or Timestamp (its day), or text ``YYYY-MM-DD`` (a time after it is ignored).

    >>> day("2026-03-31", "end", function="funnel")
    datetime.date(2026, 3, 31)
    >>> day("13/02/2026", "start", function="funnel")
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: funnel: 'start' must be a date written YYYY-MM-DD, like 2026-03-31 (got \
'13/02/2026'); it looks day-first (13 February 2026): write 2026-02-13
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if type(value).__name__ == "datetime64":
        import pandas as pd

        stamp = pd.Timestamp(value)
        if not pd.isna(stamp):
            return stamp.date()
    if isinstance(value, str) and _ISO_DAY.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ParameterError(problem(function, name, DATE_RULE, value, fix=date_fix(value)))


def period(start: Any, end: Any, *, function: str) -> tuple[dt.date | None, dt.date | None]:
    """Check both bounds of a period (None or empty text means open) and that the start is not after the end.

    >>> period("2026-01-01", None, function="funnel")
    (datetime.date(2026, 1, 1), None)
    """
    first = (
        None
        if start is None or (isinstance(start, str) and not start.strip())
        else day(start, "start", function=function)
    )
    last = None if end is None or (isinstance(end, str) and not end.strip()) else day(end, "end", function=function)
    if first and last and first > last:
        raise ParameterError(
            problem(
                function,
                "start",
                _("on or before 'end' ({end})").format(end=last.isoformat()),
                first,
                fix=_("swap the two dates"),
            )
        )
    return first, last


def dates(values: pd.Series, *, function: str, table: str, name: str | None = None) -> pd.Series:
    """Parse a column of dates the one way the kit reads dates; empty cells become NaT.

    Returns a ``datetime64`` Series without time zone (times with an offset are converted to UTC). Raises
    :class:`~mopskit.errors.DataError` naming every cell that is not a date, with its row.

    >>> import pandas as pd
    >>> dates(pd.Series(["2026-03-01", None, "2026-03-02T10:00:00Z"]), function="f", table="t").dt.day.tolist()
    [1.0, nan, 2.0]
    >>> dates(pd.Series(["2026-03-01", "13/02/2026"], name="date"), function="cohort_revenue",
    ...       table="the purchase log")
    Traceback (most recent call last):
    ...
    mopskit.errors.DataError: cohort_revenue: 'date' must be a date written YYYY-MM-DD, like 2026-03-31 (got \
'13/02/2026') in row 3 of the purchase log; it looks day-first (13 February 2026): write 2026-02-13
    """
    import pandas as pd

    column = str(values.name) if name is None else name
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    objects = values.astype(object)
    missing = objects.map(is_missing).astype(bool)
    prepared = objects.map(
        lambda v: pd.Timestamp(v) if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else v
    ).where(~missing, None)
    text_or_stamp = prepared.map(lambda v: v is None or isinstance(v, str | dt.datetime))
    trimmed = prepared.map(lambda v: v.strip() if isinstance(v, str) else v)
    iso = trimmed.map(lambda v: not isinstance(v, str) or bool(_ISO_DAY.match(v)))
    candidates = trimmed.where(text_or_stamp & iso, None)
    parsed = pd.to_datetime(candidates, format="ISO8601", errors="coerce", utc=True)
    parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    failed = (~missing & parsed.isna()).to_numpy()
    if failed.any():
        bad = [
            (pos, values.index[pos], objects.iloc[pos], "", date_fix(objects.iloc[pos])) for pos in failed.nonzero()[0]
        ]
        _raise_cells(function, column, table, bad, rule=DATE_RULE)
    return pd.Series(parsed.to_numpy(), index=values.index, name=values.name)


_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{1,2})$")


def _month_of(value: Any) -> str | None:
    """``YYYY-MM`` of a month written so, of a date (text or object), or None when it is neither."""
    if isinstance(value, str):
        text = value.strip()
        match = _MONTH_TEXT.match(text)
        if match:
            number = int(match[2])
            return f"{match[1]}-{number:02d}" if 1 <= number <= 12 else None
        if _ISO_DAY.match(text):
            try:
                return dt.date.fromisoformat(text[:10]).strftime("%Y-%m")
            except ValueError:
                return None
        return None
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    if type(value).__name__ in ("Period",) and getattr(value, "freqstr", "") in ("M", "ME"):
        return str(value)
    return None


def month(value: Any, name: str, *, function: str) -> str:
    """Check an argument that names a month (``YYYY-MM``, or a day in it) and return it as ``YYYY-MM``.

    >>> month("2026-03", "start", function="budget_variance"), month("2026-03-31", "end", function="budget_variance")
    ('2026-03', '2026-03')
    """
    found = _month_of(value)
    if found is None:
        raise ParameterError(problem(function, name, MONTH_RULE, value, fix=date_fix(value)))
    return found


def months(values: pd.Series, *, function: str, table: str, name: str | None = None) -> pd.Series:
    """Read a column of months (``YYYY-MM``, or dates in them) as ``YYYY-MM`` text; empty cells stay empty.

    >>> import pandas as pd
    >>> months(pd.Series(["2026-03", "2026-04-15", None]), function="f", table="t").tolist()
    ['2026-03', '2026-04', None]
    """
    import pandas as pd

    column = str(values.name) if name is None else name
    objects = list(values.astype(object))
    found = [None if is_missing(v) else _month_of(v) for v in objects]
    bad = [
        (pos, values.index[pos], value, "", date_fix(value))
        for pos, (value, got) in enumerate(zip(objects, found, strict=True))
        if got is None and not is_missing(value)
    ]
    if bad:
        _raise_cells(function, column, table, bad, rule=MONTH_RULE)
    return pd.Series(found, index=values.index, name=values.name, dtype=object)


# --- amounts --------------------------------------------------------------------------------------------


def parse_amount(value: Any) -> tuple[float | None, str]:
    """Read one amount of money: a float (NaN when empty), or None and the fix when it cannot be read.

    >>> [parse_amount(v)[0] for v in (7, "$7", "1,000.00", " 12.5 EUR ", "-$3", None)]
    [7.0, 7.0, 1000.0, 12.5, -3.0, nan]
    >>> parse_amount("1,5")
    (None, 'a decimal comma: write 1.5 (a point for decimals), or read the file with mopskit.data.read')
    """
    if is_missing(value):
        return float("nan"), ""
    if _is_bool(value):
        return None, _("an amount, not True/False")
    got = _real(value)
    if got is not None:
        return (got, "") if not math.isinf(got) else (None, _("an amount must be finite"))
    if not isinstance(value, str):
        return None, _("pass the amount as a number")
    text = value.strip()
    match = _MONEY_TEXT.match(text)
    if match:
        negative = bool(match["sign1"] or match["sign2"])
        amount = float(match["number"].replace(",", ""))
        return (-amount if negative else amount), ""
    if _DECIMAL_COMMA.match(text):
        fixed = re.sub(r"[^\d,\-]", "", text).replace(",", ".")
        return None, _(
            "a decimal comma: write {v} (a point for decimals), or read the file with mopskit.data.read"
        ).format(v=fixed)
    if re.fullmatch(r"\(\s*[$€£]?\s*[\d,.]+\s*\)", text):
        return None, _("an accountant's negative in brackets: write it with a minus sign, if it is a refund")
    return None, _("write the amount as a number, like 1200.50 (a currency sign and 1,000 separators are fine)")


def amounts(
    values: pd.Series,
    *,
    function: str,
    table: str,
    name: str | None = None,
    negative: bool = False,
    negative_fix: str = "",
) -> pd.Series:
    """Read a column of money the one way the kit reads money; empty cells stay NaN (the caller decides).

    Raises :class:`~mopskit.errors.DataError` naming every cell that is not an amount, and every negative
    amount unless ``negative`` is true (a column that holds refunds); ``negative_fix`` is the advice given
    for a negative amount.

    >>> import pandas as pd
    >>> amounts(pd.Series(["$7", "1,000.00", None, 3]), function="f", table="t").tolist()
    [7.0, 1000.0, nan, 3.0]
    >>> amounts(pd.Series([10.0, -5.0], name="spend"), function="channel_economics", table="the campaigns table")
    Traceback (most recent call last):
    ...
    mopskit.errors.DataError: channel_economics: 'spend' must be an amount of money, 0 or more, like 1200.50 \
(got -5.0) in row 3 of the campaigns table; money here cannot be negative: correct the cell
    """
    import numpy as np
    import pandas as pd

    column = str(values.name) if name is None else name
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        parsed = values.astype("float64")
        bad = [
            (pos, values.index[pos], values.iloc[pos], "", _("an amount must be finite"))
            for pos in np.isinf(parsed.to_numpy()).nonzero()[0]
        ]
    else:
        results = [parse_amount(v) for v in values.astype(object)]
        parsed = pd.Series(
            [np.nan if r[0] is None else r[0] for r in results], index=values.index, name=values.name, dtype="float64"
        )
        bad = [(pos, values.index[pos], values.iloc[pos], "", r[1]) for pos, r in enumerate(results) if r[0] is None]
    if not negative:
        below = (parsed < 0).to_numpy()
        bad += [
            (
                pos,
                values.index[pos],
                values.iloc[pos],
                "",
                negative_fix or _("money here cannot be negative: correct the cell"),
            )
            for pos in below.nonzero()[0]
        ]
        bad.sort(key=lambda b: b[0])
    if bad:
        rule = MONEY_RULE if not negative else _("an amount of money, like 1200.50")
        _raise_cells(function, column, table, bad, rule=rule)
    return parsed


def percents(
    values: pd.Series, *, function: str, table: str, name: str | None = None, low: float = 0.0, high: float = 100.0
) -> pd.Series:
    """Read a column of percents (57.7 for 57.7%): numbers, or text that is one; empty cells stay NaN.

    >>> import pandas as pd
    >>> percents(pd.Series(["57.7", 12, None]), function="f", table="t").tolist()
    [57.7, 12.0, nan]
    """
    import pandas as pd

    column = str(values.name) if name is None else name
    rule = _("a percent from {low:g} to {high:g}").format(low=low, high=high)
    found: list[float] = []
    bad = []
    for pos, value in enumerate(values.astype(object)):
        if is_missing(value):
            found.append(float("nan"))
            continue
        got = _real(value)
        if got is None and isinstance(value, str) and _real_text(value.strip().rstrip("%")):
            got = float(value.strip().rstrip("%"))
        if got is None or not math.isfinite(got) or not low <= got <= high:
            fix = _type_fix(value, rule) if got is None else ""
            bad.append((pos, values.index[pos], value, "", fix))
            found.append(float("nan"))
        else:
            found.append(got)
    if bad:
        _raise_cells(function, column, table, bad, rule=rule)
    return pd.Series(found, index=values.index, name=values.name, dtype="float64")


# --- notes ----------------------------------------------------------------------------------------------


class Notes:
    """What a result tells its reader: sentences, counts, and every input row accounted for.

    A DataFrame result carries them in ``attrs["notes"]`` (the sentences) and ``attrs["data_quality"]``
    (the counts, with ``"rows"``: for each input table, the rows received and the rows left out, by
    reason); a result object carries them in its ``notes`` attribute. :func:`notes_of` reads either.

    >>> import pandas as pd
    >>> notes = Notes()
    >>> notes.rows("purchases", 3)
    >>> left_out = notes.exclude("purchases", pd.Series([True, False, False]),
    ...                          "Purchases with no date, left out: {n}.", reason="no date")
    >>> result = notes.attach(pd.DataFrame({"x": [1]}))
    >>> result.attrs["notes"], result.attrs["data_quality"]["rows"]
    (['Purchases with no date, left out: 1.'], {'purchases': {'in': 3, 'excluded': {'no date': 1}}})
    """

    def __init__(self, sentences: Iterable[str] = (), quality: dict[str, Any] | None = None) -> None:
        self.sentences: list[str] = list(sentences)
        self.quality: dict[str, Any] = dict(quality or {})
        self.tables: dict[str, dict[str, Any]] = {}

    def add(self, sentence: str) -> None:
        """Add a sentence, once."""
        if sentence and sentence not in self.sentences:
            self.sentences.append(sentence)

    def extend(self, sentences: Iterable[str]) -> None:
        """Add several sentences, each once."""
        for sentence in sentences:
            self.add(sentence)

    def rows(self, table: str, received: int) -> None:
        """Record how many rows an input table had."""
        self.tables.setdefault(table, {"in": int(received), "excluded": {}})

    def exclude(self, table: str, mask: Any, sentence: str, *, reason: str) -> int:
        """Count the rows of ``table`` left out for one reason (``mask`` true, or a number) and say so.

        ``sentence`` is formatted with ``n``, the number of rows (``1,234``); nothing is said when it is 0.
        """
        n = int(mask) if isinstance(mask, numbers.Integral) else int(getattr(mask, "sum", lambda: sum(mask))())
        if n:
            excluded = self.tables.setdefault(table, {"in": 0, "excluded": {}})["excluded"]
            excluded[reason] = excluded.get(reason, 0) + n
            self.add(sentence.format(n=f"{n:,}"))
        return n

    def merge(self, other: Notes | pd.DataFrame | Any) -> None:
        """Take in the sentences and row counts of another result (a sub-computation)."""
        sentences = notes_of(other)
        self.extend(sentences)
        quality = other.quality if isinstance(other, Notes) else getattr(other, "attrs", {}).get("data_quality", {})
        tables = other.tables if isinstance(other, Notes) else dict(quality.get("rows", {}))
        for table, counts in tables.items():
            mine = self.tables.setdefault(table, {"in": counts["in"], "excluded": {}})
            for reason, n in counts["excluded"].items():
                mine["excluded"].setdefault(reason, n)

    def attach(self, frame: pd.DataFrame, *, keep_index: bool = False) -> pd.DataFrame:
        """Attach the sentences and counts to a DataFrame result (with a clean 0..n-1 index unless kept)."""
        frame = frame.copy() if keep_index else frame.reset_index(drop=True)
        frame.attrs["notes"] = list(self.sentences)
        quality = dict(self.quality)
        if self.tables:
            quality["rows"] = {t: {"in": c["in"], "excluded": dict(c["excluded"])} for t, c in self.tables.items()}
        frame.attrs["data_quality"] = quality
        return frame


def notes_of(result: Any) -> list[str]:
    """The notes of any result: a DataFrame's ``attrs["notes"]``, an object's ``notes``, or a Notes.

    >>> notes_of(Notes(["a"])), notes_of(object())
    (['a'], [])
    """
    if isinstance(result, Notes):
        return list(result.sentences)
    attrs = getattr(result, "attrs", None)
    if isinstance(attrs, dict):
        return [str(n) for n in attrs.get("notes", [])]
    found = getattr(result, "notes", None)
    if isinstance(found, list | tuple):
        return [str(n) for n in found]
    return []


def axes(value: Any, *, function: str) -> None:
    """Check an ``ax=`` argument: a matplotlib Axes to draw on, or None for a new chart."""
    if value is not None and not (hasattr(value, "plot") and hasattr(value, "figure")):
        raise ParameterError(
            problem(function, "ax", _("a matplotlib Axes, or None for a new chart"), value, fix=_("leave it out"))
        )


# --- the guard on every public function ---------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


def _split_union(annotation: str) -> list[str]:
    """``"str | Sequence[str] | None"`` -> ``["str", "Sequence[str]", "None"]`` (brackets kept whole)."""
    parts, depth, current = [], 0, ""
    for char in annotation:
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def _is_integral(value: Any) -> bool:
    got = _real(value)
    return got is not None and math.isfinite(got) and got == int(got)


def _kind(name: str, namespace: Mapping[str, Any]) -> tuple[str, Callable[[Any], bool]] | None:
    """What one part of an annotation accepts: (its words for a message, a test); None when anything goes."""
    import pandas as pd

    base = name.split("[", 1)[0].strip().rsplit(".", 1)[-1]
    kinds: dict[str, tuple[str, Callable[[Any], bool]]] = {
        "None": (_("None"), lambda v: v is None),
        "str": (_("text"), lambda v: isinstance(v, str)),
        "int": (_("a whole number"), _is_integral),
        "float": (_("a number"), lambda v: _real(v) is not None),
        "bool": (_("True or False"), _is_bool),
        "DataFrame": (_("a table (a pandas DataFrame)"), lambda v: isinstance(v, pd.DataFrame)),
        "Series": (_("a column (a pandas Series)"), lambda v: isinstance(v, pd.Series)),
        "Path": (_("a file path"), lambda v: isinstance(v, os.PathLike)),
        "PathLike": (_("a file path"), lambda v: isinstance(v, os.PathLike)),
        "date": (_("a date"), lambda v: isinstance(v, dt.date)),
        "datetime": (_("a date and time"), lambda v: isinstance(v, dt.datetime)),
        "Mapping": (_("a dict"), lambda v: isinstance(v, Mapping)),
        "dict": (_("a dict"), lambda v: isinstance(v, Mapping)),
    }
    listing = (
        _("a list"),
        lambda v: isinstance(v, list | tuple | pd.Series | pd.Index) or type(v).__name__ == "ndarray",
    )
    kinds |= {"Sequence": listing, "list": listing, "tuple": listing}
    kinds["Iterable"] = (
        _("a list"),
        lambda v: isinstance(v, Iterable) and not isinstance(v, str | bytes | pd.DataFrame),
    )
    if base in ("Any", "object"):
        return None
    if base in kinds:
        return kinds[base]
    found = namespace.get(base)
    if inspect.isclass(found):
        article = "an" if base[:1].lower() in "aeiou" else "a"
        return f"{article} {base}", lambda v: isinstance(v, found)
    return None


def _any_of(tests: list[Callable[[Any], bool]], value: Any) -> bool:
    return any(test(value) for test in tests)


def _checks_of(function: Callable[..., Any]) -> dict[str, tuple[str, Callable[[Any], bool], bool]]:
    """For each annotated parameter, the words and the test its annotation stands for (when it says)."""
    found: dict[str, tuple[str, Callable[[Any], bool], bool]] = {}
    for name, param in inspect.signature(function).parameters.items():
        annotation = param.annotation
        if annotation is inspect.Parameter.empty or not isinstance(annotation, str):
            continue
        namespace = getattr(inspect.unwrap(function), "__globals__", {})
        kinds = [_kind(part, namespace) for part in _split_union(annotation)]
        if any(k is None for k in kinds):
            continue
        words = [k[0] for k in kinds if k is not None]
        tests = [k[1] for k in kinds if k is not None]
        rule = _(" or ").join(dict.fromkeys(words))
        parts = [p.split("[", 1)[0].strip() for p in _split_union(annotation)]
        whole = "int" in parts and "float" not in parts
        found[name] = (rule, functools.partial(_any_of, tests), whole)
    return found


def _type_fix(value: Any, rule: str) -> str:
    if _is_bool(value):
        return _("True/False stand for yes/no, not for {rule}").format(rule=rule)
    if isinstance(value, str) and _real_text(value):
        return _("pass a number, not text (write {v} without quotes)").format(v=value.strip())
    if isinstance(value, float) and math.isnan(value):
        return _("the value is missing (NaN)")
    return ""


def _real_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def checked(function: F) -> F:
    """Guard a public function: each argument must be of the kind its annotation says.

    A wrong kind raises a ParameterError in the kit's message shape, and an unknown or missing argument is
    named with the ones the function takes. Only the kind is checked here (text, a number, a table...);
    each function checks the values itself.

    >>> @checked
    ... def share(part: int, whole: int, *, label: str | None = None) -> float:
    ...     return part / whole
    >>> share(1, 4)
    0.25
    >>> share("1", 4)
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: share: 'part' must be a whole number (got '1'); pass a number, not text \
(write 1 without quotes)
    >>> share(1, 4, lable="x")
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: share: unknown argument 'lable'; did you mean 'label'? It takes: part, whole, label
    """
    signature = inspect.signature(function)
    name = function.__name__
    cache: dict[str, dict[str, tuple[str, Callable[[Any], bool], bool]]] = {}

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if "checks" not in cache:
            cache["checks"] = _checks_of(function)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise ParameterError(_binding_message(name, signature, args, kwargs, exc)) from None
        for param, value in bound.arguments.items():
            check = cache["checks"].get(param)
            if check is None:
                continue
            if not check[1](value):
                raise ParameterError(problem(name, param, check[0], value, fix=_type_fix(value, check[0])))
            if check[2] and isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
                bound.arguments[param] = int(float(value))  # 5.0 where a whole number goes is passed on as 5
        return function(*bound.args, **bound.kwargs)

    return guarded  # type: ignore[return-value]


def _binding_message(
    name: str, signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any], exc: TypeError
) -> str:
    params = list(signature.parameters)
    unknown = [k for k in kwargs if k not in signature.parameters]
    takes = _("It takes: {names}").format(names=", ".join(params) or _("no arguments"))
    if unknown:
        near = difflib.get_close_matches(unknown[0], params, n=1)
        hint = _("did you mean {near}? ").format(near=describe_value(near[0])) if near else ""
        return _("{function}: unknown argument {arg}; {hint}{takes}").format(
            function=name, arg=describe_value(unknown[0]), hint=hint, takes=takes
        )
    missing = [
        p.name
        for p in signature.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and p.name not in kwargs
    ][len(args) :]
    if missing:
        return _("{function}: {arg} is missing; {takes}").format(
            function=name, arg=", ".join(describe_value(m) for m in missing), takes=takes
        )
    return _("{function}: {problem}; {takes}").format(function=name, problem=str(exc), takes=takes)


def as_keys(by: str | Sequence[str] | None) -> list[str]:
    """Turn a ``by=`` argument into a list of column names.

    >>> as_keys("channel"), as_keys(["channel", "month"]), as_keys(None)
    (['channel'], ['channel', 'month'], [])
    """
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    keys = [str(k) for k in by]
    if len(set(keys)) != len(keys):
        raise ParameterError(_("'by' names a column twice (got {keys})").format(keys=keys))
    return keys


def check_keys(keys: Iterable[str], valid: Sequence[str], *, function: str, extra: str = "") -> None:
    """Raise a :class:`ParameterError` naming the valid choices for any key not in ``valid``."""
    unknown = [k for k in keys if k not in valid]
    if unknown:
        raise ParameterError(
            _("{function}: cannot group by {keys}; valid: {valid}{extra}").format(
                function=function, keys=", ".join(repr(k) for k in unknown), valid=", ".join(valid), extra=extra
            )
        )


def finish(
    frame: pd.DataFrame, *, notes: Notes | Sequence[str], quality: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Attach notes and data-quality counts to a result and give it a clean 0..n-1 index.

    The result is also marked with how its columns are headed for people (:func:`mopskit.present.result_headers`),
    unless it is marked already.
    """
    from .present import with_result_headers

    if not isinstance(notes, Notes):
        notes = Notes(notes)
    notes.quality.update(quality or {})
    return with_result_headers(notes.attach(frame))
