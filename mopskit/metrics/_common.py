"""What every metric family shares: rates with safe denominators, grouping keys, tables read one way, notes.

A result is a plain DataFrame. What a reader must know about it (a rate left empty because its denominator
was 0, events of a type nobody knows, rows left out because a date or a key is missing) is kept in its
``attrs["notes"]`` as sentences, and in ``attrs["data_quality"]`` as counts, with ``"rows"`` accounting for
every input row (see :class:`mopskit._validate.Notes`); :func:`notes` and :func:`data_quality` read them back.
Dates, amounts and keys are read through :mod:`mopskit._validate`, so a bad cell is named with its row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validate import Notes, amounts, as_keys, checked, columns, dates, missing_keys, period
from ..i18n import _

__all__ = ["as_keys", "data_quality", "notes", "percent", "rate"]

NO_CHANNEL = "(no channel)"
CONTACT_DATES = ("created_at", "mql_at", "sql_at", "opportunity_at", "customer_at")


@checked
def rate(numerator: float, denominator: float) -> float:
    """Return ``numerator / denominator`` in percent, or NaN when the denominator is 0 (never an error or inf).

    >>> rate(25, 200)
    12.5
    >>> rate(3, 0)
    nan
    """
    if denominator == 0 or pd.isna(denominator) or pd.isna(numerator):
        return float("nan")
    return 100.0 * float(numerator) / float(denominator)


@checked
def percent(numerator: pd.Series, denominator: pd.Series, *, scale: float = 100.0) -> pd.Series:
    """Divide two columns in percent (or by another ``scale``); a 0 denominator gives NaN, not inf.

    >>> percent(pd.Series([1, 2]), pd.Series([4, 0])).tolist()
    [25.0, nan]
    """
    num = numerator.astype("float64")
    den = denominator.astype("float64")
    return (scale * num / den.where(den != 0)).astype("float64")


def table_label(table: str) -> str:
    """How messages name one of the kit's tables: ``the campaigns table``."""
    return _("the {table} table").format(table=table)


def require_columns(frame: pd.DataFrame, needed: Sequence[str], *, table: str, function: str) -> None:
    """Raise a :class:`~mopskit.errors.DataError` naming the missing columns and the ones the table has.

    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], table="campaigns", function="channel_economics")
    Traceback (most recent call last):
    ...
    mopskit.errors.DataError: channel_economics: 'b' must be a column of the campaigns table (got columns a); add \
it or rename one to 'b', or load the table with load('campaigns')
    """
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        fix = _("add it or rename one to '{name}', or load the table with load('{table}')").format(
            name=missing[0], table=table
        )
        columns(frame, needed, function=function, table=table_label(table), fix=fix)


def parsed(
    frame: pd.DataFrame, *, function: str, table: str, date_columns: Iterable[str] = (), money: Iterable[str] = ()
) -> pd.DataFrame:
    """A copy of a table with its date columns parsed (:func:`mopskit._validate.dates`) and money read.

    Only the columns present are read; a bad cell raises a DataError naming its row.
    """
    frame = frame.copy()
    label = table_label(table)
    for column in date_columns:
        if column in frame.columns:
            frame[column] = dates(frame[column], function=function, table=label)
    for column in money:
        if column in frame.columns:
            frame[column] = amounts(frame[column], function=function, table=label)
    return frame


def label_missing(
    frame: pd.DataFrame, column: str, *, table: str, notes: Notes, sentence: str, label: str = NO_CHANNEL
) -> pd.DataFrame:
    """Put rows whose key is empty under ``label`` (never dropped), and say how many in the notes.

    Keys that are not text (a number typed into a channel column) are kept as text, so groups sort.
    """
    empty = missing_keys(frame[column])
    if not frame[column].map(lambda v: isinstance(v, str)).where(~empty, True).all():
        frame = frame.assign(**{column: frame[column].map(lambda v: v if isinstance(v, str) else str(v))})
    if empty.any():
        frame = frame.copy()
        frame[column] = frame[column].astype(object).where(~empty, label)
        notes.add(sentence.format(n=int(empty.sum()), label=label))
        notes.quality.setdefault("labelled", {})[f"{table}.{column}"] = int(empty.sum())
    return frame


def group_label(row: Mapping[str, Any], keys: Sequence[str]) -> str:
    """Name one group of a result in a sentence: ``channel=email, month=2026-03`` (``all rows`` when ungrouped)."""
    return ", ".join(f"{k}={row[k]}" for k in keys) or _("all rows")


def add_rates(
    frame: pd.DataFrame,
    rates: Mapping[str, tuple[str, str]],
    keys: Sequence[str],
    *,
    notes: Notes,
    scale: float = 100.0,
) -> pd.DataFrame:
    """Add columns ``name = numerator / denominator × scale``; explain every value left empty by a 0 denominator."""
    missing: dict[str, list[str]] = {}
    for name, (num, den) in rates.items():
        frame[name] = percent(frame[num], frame[den], scale=scale)
        for _index, row in frame[frame[den] == 0].iterrows():
            missing.setdefault(f"{den}|{group_label(row, keys)}", []).append(name)
    for where, names in missing.items():
        den, label = where.split("|", 1)
        notes.add(
            _("{label}: {rates} left empty because {den} is 0 (nothing to divide by).").format(
                label=label, rates=", ".join(names), den=den
            )
        )
    return frame


def in_period(stamps: pd.Series, start: Any, end: Any, *, function: str) -> pd.Series:
    """True for timestamps on or after ``start`` and on or before the end of ``end`` (bounds checked)."""
    first, last = period(start, end, function=function)
    keep = pd.Series(True, index=stamps.index)
    if first:
        keep &= stamps >= pd.Timestamp(first)
    if last:
        keep &= stamps < pd.Timestamp(last) + pd.Timedelta(days=1)
    return keep.fillna(False).astype(bool)


def period_text(start: Any, end: Any, *, function: str) -> str:
    """The period in words for a note: ``2026-01-01 to 2026-03-31``, ``from 2026-01-01``, ``up to ...``."""
    first, last = period(start, end, function=function)
    if first and last:
        return f"{first.isoformat()} to {last.isoformat()}"
    if first:
        return _("from {day}").format(day=first.isoformat())
    return _("up to {day}").format(day=last.isoformat()) if last else _("all dates")


def exclude_outside(
    frame: pd.DataFrame,
    stamps: pd.Series,
    *,
    start: Any,
    end: Any,
    function: str,
    table: str,
    notes: Notes,
    what: str,
) -> pd.DataFrame:
    """Keep the rows dated inside the period; count those left out (undated ones apart) in the notes."""
    if start in (None, "") and end in (None, ""):
        return frame
    keep = in_period(stamps, start, end, function=function)
    undated = stamps.isna()
    notes.exclude(
        table,
        undated,
        _("{what} with no {column}, left out of the period: {{n}}.").format(what=what, column=stamps.name),
        reason=f"no {stamps.name}",
    )
    notes.exclude(
        table,
        ~keep & ~undated,
        _("{what} outside {period}, left out: {{n}}.").format(
            what=what, period=period_text(start, end, function=function)
        ),
        reason="outside the period",
    )
    return frame[keep]


@checked
def notes(result: pd.DataFrame) -> list[str]:
    """Return what a reader must know about a metrics result: empty rates explained, unknown data counted.

    >>> from mopskit.metrics import email_metrics
    >>> events = pd.DataFrame({"campaign_id": ["A", "A"], "contact_id": ["c1", "c1"],
    ...                        "event_type": ["sent", "forwarded"], "occurred_at": ["2026-01-05T09:00:00"] * 2})
    >>> notes(email_metrics(events))[0]
    "1 event of a type the kit does not know was counted here and left out of every metric: 'forwarded' (1)."
    """
    return list(result.attrs.get("notes", []))


@checked
def data_quality(result: pd.DataFrame) -> dict[str, Any]:
    """Return the counts behind the notes (unknown event types, unknown campaigns, rows left out), by name."""
    return dict(result.attrs.get("data_quality", {}))


def month_of(stamps: pd.Series) -> pd.Series:
    """The calendar month (``YYYY-MM``) of parsed timestamps; empty stays empty.

    >>> month_of(pd.Series(pd.to_datetime(["2026-03-31T23:59:00", None]))).tolist()
    ['2026-03', nan]
    """
    return stamps.dt.strftime("%Y-%m").where(stamps.notna(), np.nan).astype(object)


def check_period(start: Any, end: Any, *, function: str) -> tuple[str | None, str | None]:
    """Check a period's bounds (see :func:`mopskit._validate.period`) and return them as ``YYYY-MM-DD`` text.

    >>> check_period("2026-03-01", None, function="funnel")
    ('2026-03-01', None)
    """
    first, last = period(start, end, function=function)
    return (first.isoformat() if first else None), (last.isoformat() if last else None)
