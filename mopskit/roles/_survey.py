"""The 2020 MOps career survey: which tasks MOps people do, and a chart of all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["common_tasks", "most_common_task", "plot_task_survey"]


def common_tasks(survey: pd.DataFrame, *, min_share: float = 50.0) -> pd.DataFrame:
    """Return the survey's tasks done by more than ``min_share`` percent of respondents, most common first.

    Args:
        survey: the ``mops_tasks_survey`` table.
        min_share: the share, in percent, a task must exceed.

    >>> from mopskit.data import load
    >>> len(common_tasks(load("mops_tasks_survey")))
    8

    """
    chosen = survey[survey["share_pct"] > min_share]
    return chosen.sort_values("share_pct", ascending=False).reset_index(drop=True)


def most_common_task(survey: pd.DataFrame) -> str:
    """Return the task done by the largest share of respondents.

    >>> from mopskit.data import load
    >>> most_common_task(load("mops_tasks_survey"))
    'Design, run and optimize/test marketing campaigns'
    """
    return str(survey.loc[survey["share_pct"].idxmax(), "task"])


def plot_task_survey(survey: pd.DataFrame | None = None, *, ax: Any = None, highlight: float | None = 50.0) -> Any:
    """Draw every survey task as a horizontal bar, most common on top, each labelled with its exact share.

    Args:
        survey: the ``mops_tasks_survey`` table (or any table with ``task`` and ``share_pct``); the survey
            content file when left out.
        ax: a matplotlib Axes to draw on; a new figure when left out.
        highlight: draw a dashed line at this share (``None`` for none), e.g. 50 for "half of respondents".

    Returns:
        The matplotlib Axes, with one bar per task.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> len(plot_task_survey().patches)
    22

    """
    import matplotlib.pyplot as plt

    if survey is None:
        from ..content import load_table

        survey = load_table("survey_tasks")
    # bottom to top: least common first; ties keep the survey's order when read from the top
    ordered = survey.iloc[::-1].sort_values("share_pct", ascending=True, kind="stable")
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9, 0.32 * len(ordered) + 1.2), layout="constrained")
    bars = ax.barh(ordered["task"], ordered["share_pct"], color="#3b6ea8")
    ax.bar_label(bars, labels=[f"{v:g}%" for v in ordered["share_pct"]], padding=3, fontsize=8)
    if highlight is not None:
        ax.axvline(highlight, color="#888", linestyle="--", linewidth=1)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("% of respondents who do the task"))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(_("Which tasks MOps professionals do: share of respondents (2020 career survey)"), fontsize=10)
    return ax
