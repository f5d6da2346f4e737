"""SMART goals: read a goal sentence, judge it against the SMART criteria and the metric's own history.

>>> from datetime import date
>>> goal = parse_goal("We will increase total email clicks by 25% within a year.", today=date(2026, 11, 1))
>>> goal.metric, goal.amount, goal.unit, goal.horizon_days
('email clicks', 25.0, '%', 365)
"""

from __future__ import annotations

from ._parse import Goal, parse_goal
from ._vocab import MetricInfo, find_metric, goal_metrics, metric_info

__all__ = ["Goal", "MetricInfo", "find_metric", "goal_metrics", "metric_info", "parse_goal"]
