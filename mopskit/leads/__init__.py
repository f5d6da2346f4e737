"""Lead management: lifecycle, scoring, MQL criteria, routing, the SLA with sales, leakage and recycling.

Every function takes the kit's tables (``contacts``, ``activities``, ``sales_team``) as DataFrames; scoring,
routing and the SLA also take the paths of CSV or Parquet files and then compute in DuckDB without loading them.
Models and rules are data (``mopskit/content/lead_scoring.yaml``, ``mql_criteria.yaml``, ``lead_routing.yaml``),
and results are DataFrames or small dataclasses that explain themselves.

- :mod:`~mopskit.leads.lifecycle`: the stages, their allowed order, contacts whose dates break it;
- :mod:`~mopskit.leads.scoring`: fit + decayed behaviour points, explained line by line;
- :mod:`~mopskit.leads.criteria`: MQL criteria as conditions, replayed on past MQLs;
- :mod:`~mopskit.leads.routing`: named accounts, territory round robin, the fallback queue, with reasons;
- :mod:`~mopskit.leads.hours`: business hours across weekends, holidays and time zones;
- :mod:`~mopskit.leads.sla`: time from MQL to first sales touch against the SLA, by owner and source;
- :mod:`~mopskit.leads.leakage`: where leads stall or are lost, and what happens to recycled leads.

>>> from mopskit.data import load
>>> report = sla_report(load("contacts"), load("sales_team"), sla_hours=8)
>>> report.worst("source")
'events'
"""

from __future__ import annotations

from .criteria import (
    Condition,
    MqlCriteria,
    Outcome,
    apply_criteria,
    backtest_criteria,
    criteria_sets,
    criteria_table,
    criteria_threshold,
    model_outcome,
    mql_criteria,
)
from .hours import BusinessHours, add_business_hours, business_hours_between, parse_business_hours
from .leakage import STALLED_AFTER_DAYS, funnel_leakage, recycling, stage_ageing
from .lifecycle import STAGES, check_path, lifecycle_problems, lifecycle_sample, stage_of
from .routing import RoutingRules, active_owners, route_leads, routing_problems, routing_rules
from .scoring import (
    Band,
    ScoreExplanation,
    ScoringModel,
    activity_counts,
    explain_score,
    fit_points,
    score_leads,
    scoring_model,
)
from .sla import SlaReport, sla_breaches, sla_compliance, sla_report, sla_status

__all__ = [
    "STAGES",
    "STALLED_AFTER_DAYS",
    "Band",
    "BusinessHours",
    "Condition",
    "MqlCriteria",
    "Outcome",
    "RoutingRules",
    "ScoreExplanation",
    "ScoringModel",
    "SlaReport",
    "active_owners",
    "activity_counts",
    "add_business_hours",
    "apply_criteria",
    "backtest_criteria",
    "business_hours_between",
    "check_path",
    "criteria_sets",
    "criteria_table",
    "criteria_threshold",
    "explain_score",
    "fit_points",
    "funnel_leakage",
    "lifecycle_problems",
    "lifecycle_sample",
    "model_outcome",
    "mql_criteria",
    "parse_business_hours",
    "recycling",
    "route_leads",
    "routing_problems",
    "routing_rules",
    "score_leads",
    "scoring_model",
    "sla_breaches",
    "sla_compliance",
    "sla_report",
    "sla_status",
    "stage_ageing",
    "stage_of",
]
