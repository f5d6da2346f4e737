"""What every lead function shares: the kit's column names on a DataFrame or a file, moments, and results.

A function takes a table as a DataFrame or as the path of a CSV/Parquet file. On a DataFrame the columns are
renamed to the kit's names (the data dictionary's aliases are accepted, as when reading a file); on a path the
file is scanned by DuckDB (:mod:`mopskit.data.engine`) and never loaded whole into pandas.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validate import finish
from ..data import normalize_name, table_spec
from ..errors import DataError, ParameterError
from ..i18n import _
from ..metrics import notes

__all__ = ["Table", "finish", "frame_columns", "is_path", "moment", "none_for_missing", "notes", "to_utc"]

Table = pd.DataFrame | str | os.PathLike[str]
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def is_path(value: Any) -> bool:
    """Whether a table was given as a file or folder rather than a DataFrame."""
    return isinstance(value, str | os.PathLike)


def frame_columns(
    frame: pd.DataFrame, *, table: str, needed: Sequence[str], optional: Sequence[str] = ()
) -> pd.DataFrame:
    """Return the needed (and present optional) columns of a DataFrame under the kit's names, aliases accepted.

    >>> frame_columns(pd.DataFrame({"Lead ID": ["C-1"], "Activity": ["page_view"], "Timestamp": ["2026-01-02"]}),
    ...               table="activities", needed=["contact_id", "activity_type", "occurred_at"]).columns.tolist()
    ['contact_id', 'activity_type', 'occurred_at']
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            _("the {table} table must be a DataFrame or the path of a CSV/Parquet file (got {kind})").format(
                table=table, kind=type(frame).__name__
            )
        )
    spec = table_spec(table)
    mapping: dict[Any, str] = {}
    for column in frame.columns:
        target = spec.aliases.get(normalize_name(str(column)))
        if target in (*needed, *optional) and target not in mapping.values():
            mapping[column] = target
    missing = [c for c in needed if c not in mapping.values()]
    if missing:
        raise DataError(
            _("the {table} table has no column {missing}; it has: {present}. Load it with load('{table}').").format(
                table=table,
                missing=", ".join(repr(m) for m in missing),
                present=", ".join(map(str, frame.columns)) or _("no columns"),
            ),
            problems=[f"column '{m}' is missing" for m in missing],
            source=table,
        )
    return frame[list(mapping)].rename(columns=mapping)


def to_utc(values: pd.Series, *, column: str, function: str, table: str = "the contacts table") -> pd.Series:
    """Parse moments (ISO text or timestamps) as naive UTC timestamps; empty cells become NaT.

    The one way the kit reads dates (:func:`mopskit._validate.dates`): a cell that is not a date raises a
    :class:`DataError` naming its row.

    >>> to_utc(pd.Series(["2026-03-02T09:00:00", "", None]), column="mql_at", function="sla_status").isna().tolist()
    [False, True, True]
    """
    from .._validate import dates

    return dates(values, function=function, table=table, name=column).astype("datetime64[ns]")


def moment(value: Any, *, name: str, function: str) -> pd.Timestamp:
    """Read one moment given as a parameter (``"2026-10-31"``, ``"2026-10-31T17:00:00"``, a Timestamp), as UTC.

    >>> moment("2026-10-31", name="as_of", function="score_leads")
    Timestamp('2026-10-31 00:00:00')
    """
    from .._validate import DATE_RULE, date_fix, problem

    if isinstance(value, str):
        stamp = pd.Timestamp(value.strip()) if ISO_MOMENT.match(value.strip()) else pd.NaT
    elif isinstance(value, dt.date | np.datetime64):
        stamp = pd.Timestamp(value)
    else:
        stamp = pd.NaT
    if pd.isna(stamp):
        rule = DATE_RULE + _(" (a time after it, like 2026-03-31T17:00:00, is fine)")
        raise ParameterError(problem(function, name, rule, value, fix=date_fix(value)))
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp


def none_for_missing(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Make text columns plain objects with None for empty cells, so both engines give equal frames.

    >>> none_for_missing(pd.DataFrame({"a": ["x", None]}), ["a"])["a"].tolist()
    ['x', None]
    """
    for column in columns:
        if column in frame.columns:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame
