"""SMART goals: read a goal sentence, judge it against the SMART criteria and the metric's own history.

>>> from datetime import date
>>> goal = parse_goal("We will increase total email clicks by 25% within a year.", today=date(2026, 11, 1))
>>> goal.metric, goal.amount, goal.unit, goal.horizon_days
('email clicks', 25.0, '%', 365)
"""

from __future__ import annotations

from .._validate import checked
from ._attainability import Attainability, plot_attainability
from ._build import build_goal, format_date, format_horizon, goal_from_fields
from ._history import attainability, attainable_change, monthly_history
from ._parse import Goal, parse_goal
from ._smart import Criterion, GoalAssessment, assess_goal, required_growth
from ._vocab import MetricInfo, find_metric, goal_metrics, metric_info, scopes


@checked
def goal_text(answer: object) -> str:
    """The goal sentence in an answer: the answer itself when it is text, its "sentence" when a goal builder's.

    >>> goal_text({"sentence": "Grow MQLs by 5% in Q1", "metric": "MQLs"}), goal_text(None)
    ('Grow MQLs by 5% in Q1', '')
    """
    if isinstance(answer, dict):
        answer = answer.get("sentence")
    return "" if answer is None else str(answer)


__all__ = [
    "Attainability",
    "Criterion",
    "Goal",
    "GoalAssessment",
    "MetricInfo",
    "assess_goal",
    "attainability",
    "attainable_change",
    "build_goal",
    "find_metric",
    "format_date",
    "format_horizon",
    "goal_from_fields",
    "goal_metrics",
    "goal_text",
    "metric_info",
    "monthly_history",
    "parse_goal",
    "plot_attainability",
    "required_growth",
    "scopes",
]
