"""What every metric family shares: rates with safe denominators, grouping keys, and notes on a result.

A result is a plain DataFrame. What a reader must know about it (a rate left empty because its denominator
was 0, events of a type nobody knows, campaigns missing from the campaign list) is kept in its
``attrs["notes"]`` as sentences, and in ``attrs["data_quality"]`` as counts; :func:`notes` reads them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validate import period
from ..errors import ParameterError
from ..i18n import _

__all__ = ["as_keys", "data_quality", "notes", "percent", "rate"]


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


def percent(numerator: pd.Series, denominator: pd.Series, *, scale: float = 100.0) -> pd.Series:
    """Divide two columns in percent (or by another ``scale``); a 0 denominator gives NaN, not inf.

    >>> percent(pd.Series([1, 2]), pd.Series([4, 0])).tolist()
    [25.0, nan]
    """
    num = numerator.astype("float64")
    den = denominator.astype("float64")
    return (scale * num / den.where(den != 0)).astype("float64")


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


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, table: str) -> None:
    """Raise a :class:`~mopskit.errors.DataError` naming the missing columns and the ones the table has.

    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], table="campaigns")
    Traceback (most recent call last):
    ...
    mopskit.errors.DataError: the campaigns table has no column 'b'; it has: a. Load it with load('campaigns').
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        from ..errors import DataError

        raise DataError(
            _("the {table} table has no column {missing}; it has: {present}. Load it with load('{table}').").format(
                table=table, missing=", ".join(repr(m) for m in missing), present=", ".join(map(str, frame.columns))
            ),
            problems=[f"column '{m}' is missing" for m in missing],
            source=table,
        )


def group_label(row: Mapping[str, Any], keys: Sequence[str]) -> str:
    """Name one group of a result in a sentence: ``channel=email, month=2026-03`` (``all rows`` when ungrouped)."""
    return ", ".join(f"{k}={row[k]}" for k in keys) or _("all rows")


def add_rates(
    frame: pd.DataFrame,
    rates: Mapping[str, tuple[str, str]],
    keys: Sequence[str],
    *,
    notes: list[str],
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
        notes.append(
            _("{label}: {rates} left empty because {den} is 0 (nothing to divide by).").format(
                label=label, rates=", ".join(names), den=den
            )
        )
    return frame


def finish(frame: pd.DataFrame, *, notes: list[str], quality: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Attach notes and data-quality counts to a result and give it a clean 0..n-1 index."""
    frame = frame.reset_index(drop=True)
    frame.attrs["notes"] = list(notes)
    frame.attrs["data_quality"] = dict(quality or {})
    return frame


def notes(result: pd.DataFrame) -> list[str]:
    """Return what a reader must know about a metrics result: empty rates explained, unknown data counted.

    >>> from mopskit.metrics import email_metrics
    >>> events = pd.DataFrame({"campaign_id": ["A"], "contact_id": ["c1"], "event_type": ["forwarded"],
    ...                        "occurred_at": ["2026-01-05T09:00:00"]})
    >>> notes(email_metrics(events))[0]
    "1 event of a type the kit does not know was counted here and left out of every metric: 'forwarded' (1)."
    """
    return list(result.attrs.get("notes", []))


def data_quality(result: pd.DataFrame) -> dict[str, Any]:
    """Return the counts behind the notes (unknown event types, unknown campaigns, rows left out), by name."""
    return dict(result.attrs.get("data_quality", {}))


def month_of(values: pd.Series) -> pd.Series:
    """The calendar month (``YYYY-MM``) of timestamps or ISO date strings; empty stays empty.

    >>> month_of(pd.Series(["2026-03-31T23:59:00", None])).tolist()
    ['2026-03', nan]
    """
    stamps = values if pd.api.types.is_datetime64_any_dtype(values) else to_datetime(values)
    return stamps.dt.strftime("%Y-%m").where(stamps.notna(), np.nan).astype(object)


def check_period(start: Any, end: Any, *, function: str) -> tuple[str | None, str | None]:
    """Check a period's bounds (see :func:`mopskit._validate.period`) and return them as ``YYYY-MM-DD`` text.

    >>> check_period("2026-03-01", None, function="funnel")
    ('2026-03-01', None)
    """
    first, last = period(start, end, function=function)
    return (first.isoformat() if first else None), (last.isoformat() if last else None)


def to_datetime(values: pd.Series) -> pd.Series:
    """Parse ISO 8601 dates and times (the kit's format); empty cells become NaT."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    try:
        return pd.to_datetime(values.replace("", None), format="ISO8601")
    except (ValueError, TypeError) as exc:
        from ..errors import DataError

        raise DataError(
            _("'{column}' must hold dates written YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS ({detail})").format(
                column=values.name, detail=str(exc).splitlines()[0].split(". You might")[0]
            ),
            problems=[str(exc)],
            source=str(values.name),
        ) from None
