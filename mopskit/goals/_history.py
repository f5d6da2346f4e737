"""Is a target attainable? Compare the growth it needs with the metric's own past growth.

The history is one value per month (a pandas Series indexed by month, or a plain list, oldest first).
For a *flow* (clicks, MQLs, spend: ``aggregate="sum"``) a goal over ``h`` months compares the total of ``h``
months with the total of the ``h`` months before, so every past pair of back-to-back ``h``-month windows is one
"past period". For a *level* (a rate, a list size) it compares the value with the value ``h`` months earlier.
The verdict says in how many past periods the metric moved at least as much as the goal needs.

When the history cannot hold enough periods of the goal's length (a 12-month goal needs 24 months for a single
comparison), the goal's growth is turned into the same steady pace over a shorter period
(``(1 + growth) ** (shorter / longer) - 1``) and compared with that; the verdict says so. With too little
history even for that, it says what data would decide it instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._validate import checked
from ..errors import DataError, ParameterError
from ..i18n import _, _n
from ._attainability import Attainability
from ._vocab import metric_info

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["attainability", "attainable_change", "monthly_history"]

DAYS_PER_MONTH = 365 / 12
MIN_PERIODS = 5


@checked
def monthly_history(table: pd.DataFrame, metric: str = "clicks") -> pd.Series:
    """Count a metric per month from a sample table, every month from the first to the last (empty ones hold 0).

    The words are a goal's (a label, key or synonym); the counting is :func:`mopskit.metrics.monthly_history`'s,
    so a goal is judged against the same figures the metrics lesson and reports show.

    Args:
        table: the table the metric is counted from (``email_events`` for clicks, opens, unsubscribes...;
            ``contacts`` for new contacts, MQLs, SQLs, customers). Filter it first to narrow the scope, e.g.
            contacts from one channel.
        metric: the metric by label, key or synonym ("clicks", "email clicks", "MQLs", "unsubscribes").

    Returns:
        A Series indexed by month (a pandas PeriodIndex), named after the metric.

    Raises:
        ParameterError: the metric is not counted from a sample table; the message lists those that are.
        DataError: the table lacks the columns the metric needs.

    >>> from mopskit.data import load
    >>> clicks = monthly_history(load("email_events"), "email clicks")
    >>> str(clicks.index[0]), clicks.name
    ('2025-11', 'email clicks')

    """
    from ..metrics.history import monthly_history as counted

    return counted(table, metric_info(metric).key)


def _values(history: pd.Series | Sequence[float]) -> tuple[list[float], list[str]]:
    labels: list[str]
    if hasattr(history, "index") and hasattr(history, "tolist"):  # a pandas Series
        series: Any = history
        values = series.tolist()
        labels = [str(i) for i in series.index]
    else:
        values = list(history)
        labels = [str(i + 1) for i in range(len(values))]
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        raise DataError("the history must hold numbers, one per month (e.g. monthly_history(...))") from None
    if any(v != v or v < 0 for v in numbers):
        raise DataError("the history must hold counts or levels of 0 or more, one per month, with no gaps (NaN)")
    return numbers, labels


def _windows(values: list[float], labels: list[str], h: int, aggregate: str) -> tuple[list[float], list[str]]:
    """Growth over every past pair of back-to-back ``h``-month periods, labelled by the month each one ends."""
    growth, ends = [], []
    if aggregate == "sum":
        totals = [sum(values[t : t + h]) for t in range(len(values) - h + 1)]
        pairs = [(totals[t], totals[t + h], t + 2 * h - 1) for t in range(len(totals) - h)]
    else:
        pairs = [(values[t], values[t + h], t + h) for t in range(len(values) - h)]
    for before, after, end in pairs:
        if before > 0:
            growth.append(after / before - 1.0)
            ends.append(labels[end])
    return growth, ends


def _months(n: int) -> str:
    return _n("{n} month", "{n} months", n).format(n=n)


@checked
def attainability(
    history: pd.Series | Sequence[float],
    required: float,
    *,
    horizon_days: int,
    metric: str | None = None,
    aggregate: str | None = None,
    better: str | None = None,
    min_periods: int = MIN_PERIODS,
    stretch: float = 0.9,
) -> Attainability:
    """Compare the growth a goal needs with the growth of the same metric over past periods of the same length.

    Args:
        history: one value per month, oldest first (e.g. :func:`monthly_history`).
        required: the growth the goal needs over its horizon, as a fraction (+25% is 0.25, -10% is -0.1).
        horizon_days: the goal's horizon; a month is 365/12 days.
        metric: the metric's name, to read how it aggregates and which way is better.
        aggregate: ``"sum"`` or ``"level"`` (default: from the metric, else ``"sum"``).
        better: ``"higher"`` or ``"lower"`` (default: from the metric, else ``"higher"``); used for "maintain".
        min_periods: fewest past periods worth a verdict.
        stretch: a target more ambitious than this share of past periods fails (0.9: "9 in 10").

    >>> att = attainability([100, 110, 120, 100, 130, 140, 150, 120, 160, 170, 180, 160], 0.1, horizon_days=91)
    >>> att.basis, att.periods, att.reached, att.passed
    ('horizon', 7, 6, True)
    >>> print(att.verdict)  # doctest: +NORMALIZE_WHITESPACE
    Modest: +10% or more in 6 of 7 past 3-month periods (the goal is more ambitious than 1 of them).
    You could aim higher.

    """
    info = metric_info(metric) if metric else None
    aggregate = aggregate or (info.aggregate if info else "sum")
    better = better or (info.better if info else "higher")
    if aggregate not in ("sum", "level"):
        raise ParameterError(f"unknown aggregate '{aggregate}'; valid: sum, level")
    if not isinstance(horizon_days, int | float) or horizon_days <= 0:
        raise ParameterError(f"'horizon_days' must be a number of days above 0 (got {horizon_days!r})")
    values, labels = _values(history)
    horizon = max(1, round(horizon_days / DAYS_PER_MONTH))
    growth, names = _windows(values, labels, horizon, aggregate)
    window, compared = horizon, required
    basis: str | None = "horizon"
    if len(growth) < min_periods:
        basis = None
        for shorter in (s for s in (6, 3, 1) if s < horizon):  # half-years, quarters, months
            g, shorter_names = _windows(values, labels, shorter, aggregate)
            if len(g) >= min_periods and required > -1.0:
                growth, names, window, basis = g, shorter_names, shorter, "pace"
                compared = (1.0 + required) ** (shorter / horizon) - 1.0
                break
    up = compared > 0 or (compared == 0 and better == "higher")
    reached = sum(1 for g in growth if (g >= compared if up else g <= compared)) if basis else 0

    def result(passed: bool | None, verdict: str) -> Attainability:
        return Attainability(
            required=required,
            horizon_months=horizon,
            window_months=window,
            basis=basis,
            compared=compared,
            growth=tuple(growth) if basis else (),
            labels=tuple(names) if basis else (),
            reached=reached,
            aggregate=aggregate,
            upward=up,
            history_months=len(values),
            passed=passed,
            verdict=verdict,
        )

    if basis is None:
        needed = 2 * horizon + min_periods - 1 if aggregate == "sum" else horizon + min_periods
        return result(
            None,
            _(
                "Not enough history to judge: {have} of data, and comparing {h} periods needs about {need}. "
                "Collect more months, or compare with a benchmark from a similar team."
            ).format(have=_months(len(values)), h=_months(horizon), need=_months(needed)),
        )
    n = len(growth)
    window_name = _("{n}-month").format(n=window)
    fmt = {"need": f"{compared:+.0%}", "reached": reached, "n": n, "window": window_name, "beyond": n - reached}
    fmt["need_or_more"] = (_("{need} or more") if up else _("{need} or lower")).format(need=fmt["need"])
    pace = ""
    if basis == "pace":
        pace = _(
            "Your history ({have}) is too short to compare whole {h}-month periods, so this compares the same "
            "steady pace: {required:+.0%} over {months} is {need} per {window}. "
        ).format(have=_months(len(values)), h=horizon, months=_months(horizon), required=required, **fmt)
    if reached == 0:
        best = max(growth) if up else min(growth)
        return result(
            False,
            pace
            + _(
                "Beyond your history: no past {window} period moved {need} (best: {best:+.0%} in {n}). "
                "Aim closer to what you have done, or name what will change to get there."
            ).format(best=best, **fmt),
        )
    share = reached / n
    if share < 1 - stretch:
        return result(
            False,
            pace
            + _(
                "Very ambitious: more ambitious than {beyond} of {n} past {window} periods; only {reached} moved "
                "{need_or_more}. Lower the target, or name the extra resources that make it realistic."
            ).format(**fmt),
        )
    if share >= 0.75:
        words = _("Modest: {need_or_more} in {reached} of {n} past {window} periods").format(**fmt)
        tail = _("You could aim higher.")
    elif share >= 0.25:
        words = _("Ambitious but within reach: {need_or_more} in {reached} of {n} past {window} periods").format(**fmt)
        tail = _("History says it can be done.")
    else:
        words = _("A stretch: {need_or_more} in only {reached} of {n} past {window} periods").format(**fmt)
        tail = _("Possible, but plan what will make this period different.")
    more = _("the goal is more ambitious than {beyond} of them").format(**fmt)
    return result(True, pace + f"{words} ({more}). {tail}")


@checked
def attainable_change(
    history: pd.Series | Sequence[float],
    *,
    horizon_days: int,
    metric: str | None = None,
    share: float = 0.5,
    step: float = 5.0,
) -> float:
    """Suggest a change in percent that at least ``share`` of past periods as long reached, rounded down to ``step``.

    A data-grounded starting point for a goal ("+15% in a quarter"); never below ``step``.

    Args:
        history: one value per month, oldest first.
        horizon_days: the goal's horizon.
        metric: the metric's name (how it aggregates).
        share: the share of past periods that should have reached it (0.5: half of them).
        step: round down to a multiple of this many percent.

    Raises:
        DataError: the history is too short to hold enough periods (the message says how many months it needs).

    >>> attainable_change([100, 110, 120, 100, 130, 140, 150, 120, 160, 170, 180, 160], horizon_days=91)
    15.0

    """
    import math

    att = attainability(history, 0.0, horizon_days=horizon_days, metric=metric)
    if att.basis != "horizon":
        raise DataError(att.verdict if att.basis is None else _("The history is too short for periods this long."))
    ranked = sorted(att.growth, reverse=True)
    reached = ranked[max(0, math.ceil(share * len(ranked)) - 1)]
    return max(step, math.floor(100 * reached / step) * step)
