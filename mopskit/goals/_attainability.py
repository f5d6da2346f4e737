"""How a goal's growth compares with the metric's past growth: the result, and its chart.

The chart shows every past period's growth, sorted, with the growth the goal needs marked. The figures are
computed by :func:`mopskit.goals.attainability` (``_history``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._validate import axes, checked
from ..i18n import _

__all__ = ["Attainability", "plot_attainability"]

REACHED = "#1b7f3b"
SHORT = "#b0b7c3"
TARGET = "#b3261e"


@dataclass(frozen=True)
class Attainability:
    """How a goal's required growth compares with the metric's own past growth.

    Attributes:
        required: the growth the goal needs over its horizon, as a fraction (0.25 is +25%).
        horizon_months: the goal's horizon in months.
        window_months: the length of the past periods compared (the horizon, or shorter; see ``basis``).
        basis: ``"horizon"`` (periods as long as the goal's), ``"pace"`` (shorter periods at the same steady
            pace) or ``None`` (too little history to judge).
        compared: the growth compared with the past periods (``required``, or its steady pace per window).
        growth: each past period's growth, as a fraction, oldest first.
        labels: the month each past period ends.
        reached: past periods that did at least as well as ``compared``.
        aggregate: ``"sum"`` (totals of flows compared) or ``"level"``.
        upward: whether reaching the goal means growing (``True``) or falling.
        history_months: how many months of history there were.
        passed: whether the target is within what history has done (``None`` when it cannot be judged).
        verdict: the judgement in a sentence, with a suggestion when it fails.

    """

    required: float
    horizon_months: int
    window_months: int
    basis: str | None
    compared: float
    growth: tuple[float, ...]
    labels: tuple[str, ...]
    reached: int
    aggregate: str
    upward: bool
    history_months: int
    passed: bool | None
    verdict: str

    @property
    def periods(self) -> int:
        """How many past periods were compared."""
        return len(self.growth)

    @property
    def more_ambitious_than(self) -> int:
        """In how many past periods the metric moved less than the goal needs."""
        return self.periods - self.reached

    def plot(self, **kwargs: Any) -> Any:
        """Draw the past growth against the target (see :func:`plot_attainability`)."""
        return plot_attainability(self, **kwargs)


@checked
def plot_attainability(att: Attainability, *, ax: Any = None, metric: str = "", title: str | None = None) -> Any:
    """Draw the past periods' growth, smallest to largest, and a line at the growth the goal needs.

    Bars that reach the line are green: the goal is as ambitious as the share of grey bars.

    Args:
        att: what :func:`mopskit.goals.attainability` (or ``assess_goal(...).attainability``) returned.
        ax: a matplotlib Axes to draw on; default: a new figure.
        metric: the metric's name, for the title.
        title: the chart's title; default: says what is compared.

    Returns:
        The matplotlib Axes.

    """
    import matplotlib.pyplot as plt

    axes(ax, function="plot_attainability")
    if ax is None:
        _fig, ax = plt.subplots(figsize=(8, 3.6))
    window = _("{n}-month").format(n=att.window_months)
    if not att.growth:
        ax.text(0.5, 0.5, _("Not enough history to compare."), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    up = att.upward
    order = sorted(range(att.periods), key=lambda i: att.growth[i])
    growth = [100 * att.growth[i] for i in order]
    colours = [REACHED if (g >= 100 * att.compared if up else g <= 100 * att.compared) else SHORT for g in growth]
    ax.bar(range(len(growth)), growth, color=colours)
    ax.axhline(0, color="#333", linewidth=0.8)
    ax.axhline(100 * att.compared, color=TARGET, linestyle="--", linewidth=1.6)
    label = _("your goal needs {need:+.0%} per {window} period").format(need=att.compared, window=window)
    ax.annotate(
        label,
        xy=(0, 100 * att.compared),
        xytext=(2, 4),
        textcoords="offset points",
        color=TARGET,
        fontsize=9,
    )
    ax.set_xticks(range(len(growth)), [att.labels[i] for i in order], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel(_("growth over the period before (%)"))
    ax.set_xlabel(_("past {window} periods, by the month they end (smallest growth first)").format(window=window))
    shown = metric or _("the metric")
    ax.set_title(
        title
        or _("{metric}: {reached} of {n} past {window} periods reached the goal's growth").format(
            metric=shown[:1].upper() + shown[1:], reached=att.reached, n=att.periods, window=window
        ),
        fontsize=11,
    )
    ax.figure.tight_layout()
    return ax
