"""A metric's monthly history: the catalog metric counted (or summed) per month from the table that holds it.

Where each metric comes from is written once, in the catalog's ``measured_from`` (``mopskit/content/
metrics.yaml``): the table, the date column that places a row in a month, and the filter (``event_type ==
clicked``) or the column summed (``deal_amount``). Goals judge a target against this history
(:func:`mopskit.goals.monthly_history` reads a goal's words, then calls this).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._validate import Notes, amounts, checked, columns, dates
from ..errors import ParameterError
from ..i18n import _
from .catalog import Metric, _entries, metric

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["monthly_history", "with_history"]


def with_history() -> list[Metric]:
    """The metrics whose monthly history can be counted from the sample tables.

    >>> [m.name for m in with_history()][:3]
    ['sent', 'bounced', 'total_opens']
    """
    return [m for m in _entries().values() if m.measured_from]


def _spoken(entry: Metric) -> str:
    """How the metric is named in a sentence: its goal label when it has one, else its catalog label."""
    return entry.goal.label if entry.goal else entry.label


@checked
def monthly_history(table: pd.DataFrame, metric_name: str) -> pd.Series:
    """Count a metric per month from a sample table, every month from the first to the last (empty ones hold 0).

    Args:
        table: the table the metric is counted from (``email_events`` for clicks, opens, unsubscribes...;
            ``contacts`` for new contacts, MQLs, SQLs, customers; ``campaigns`` for spend). Filter it first to
            narrow the scope, e.g. contacts from one channel.
        metric_name: the metric's catalog name or alias (``"total_clicks"``, ``"clicks"``, ``"mqls"``).

    Returns:
        A Series indexed by month (a pandas PeriodIndex), named as a sentence names the metric. Rows with no
        date are left out and counted in its notes (``series.attrs["notes"]`` and ``["data_quality"]``).

    Raises:
        ParameterError: the metric is not counted from a sample table; the message lists those that are.
        DataError: the table lacks the columns the metric needs, or a date (or an amount) cannot be read; the
            message names the row.

    >>> from mopskit.data import load
    >>> events = load("email_events")
    >>> clicks = monthly_history(events, "clicks")
    >>> str(clicks.index[0]), int(clicks.sum()) == int((events["event_type"] == "clicked").sum())
    ('2025-11', True)

    """
    import pandas as pd

    entry = metric(metric_name)
    source = dict(entry.measured_from)
    if not source:
        valid = ", ".join(_spoken(m) for m in with_history())
        raise ParameterError(
            _("'{metric}' is not counted from the sample tables; valid: {valid}").format(
                metric=_spoken(entry), valid=valid
            )
        )
    function = "monthly_history"
    label = _("the {table} table").format(table=source["table"])
    needed = [c for c in (source["date"], source.get("column"), source.get("value")) if c]
    columns(
        table,
        needed,
        function=function,
        table=label,
        fix=_("{metric} are counted from the {table} table: pass that one").format(
            metric=_spoken(entry), table=source["table"]
        ),
    )
    notes = Notes()
    notes.rows(source["table"], len(table))
    rows = table
    if source.get("column"):
        rows = rows[rows[source["column"]] == source["equals"]]
    when = dates(rows[source["date"]], function=function, table=label)
    keep = when.notna()
    notes.exclude(
        source["table"],
        ~keep,
        _("Rows with no {column}, left out of every month: {{n}}.").format(column=source["date"]),
        reason=f"no {source['date']}",
    )
    months = when[keep].dt.to_period("M")
    if source.get("value"):
        values = amounts(rows.loc[keep, source["value"]], function=function, table=label).fillna(0.0)
    else:
        values = pd.Series(1, index=months.index)
    counted = values.groupby(months).sum()
    if counted.empty:
        history = pd.Series([], index=pd.PeriodIndex([], freq="M"), name=_spoken(entry), dtype="float64")
    else:
        span = pd.period_range(counted.index.min(), counted.index.max(), freq="M")
        history = counted.reindex(span, fill_value=0).astype("float64").rename(_spoken(entry))
    return notes.attach(history, keep_index=True)
