"""The 2020 MOps career survey: which tasks MOps people do, and a chart of all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._validate import axes, checked, columns, is_missing, percent, percents
from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["common_tasks", "most_common_task", "plot_task_survey"]


@checked
def common_tasks(survey: pd.DataFrame, *, min_share: float = 50.0) -> pd.DataFrame:
    """Return the survey's tasks done by more than ``min_share`` percent of respondents, most common first.

    Args:
        survey: the ``mops_tasks_survey`` table.
        min_share: the share, in percent, a task must exceed.

    >>> from mopskit.data import load
    >>> len(common_tasks(load("mops_tasks_survey")))
    8

    """
    min_share = percent(min_share, "min_share", function="common_tasks")
    shares = _shares(survey, function="common_tasks")
    chosen = survey.assign(share_pct=shares)[shares > min_share]
    return chosen.sort_values("share_pct", ascending=False).reset_index(drop=True)


def _shares(survey: pd.DataFrame, *, function: str) -> pd.Series:
    """The survey's ``share_pct`` column read as percents, after checking the table has its columns."""
    columns(survey, ["task", "share_pct"], function=function, table=_("the survey table"))
    return percents(survey["share_pct"], function=function, table=_("the survey table"))


@checked
def most_common_task(survey: pd.DataFrame) -> str:
    """Return the task done by the largest share of respondents.

    >>> from mopskit.data import load
    >>> most_common_task(load("mops_tasks_survey"))
    'Design, run and optimize/test marketing campaigns'
    """
    shares = _shares(survey, function="most_common_task")
    if shares.isna().all():
        from ..errors import DataError

        raise DataError(
            _("most_common_task: the survey table has no share filled in; fill in 'share_pct'"), source="survey"
        )
    return str(survey.loc[shares.idxmax(), "task"])


@checked
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

    axes(ax, function="plot_task_survey")
    if highlight is not None:
        highlight = percent(highlight, "highlight", function="plot_task_survey")
    if survey is None:
        from ..content import load_table

        survey = load_table("survey_tasks")
    survey = survey.assign(
        share_pct=_shares(survey, function="plot_task_survey"),
        task=survey["task"].map(lambda t: _("(no task name)") if is_missing(t) else str(t)),
    )
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
