"""MOps roles, the tasks MOps people do, and how often they do them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["common_tasks", "most_common_task"]


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
