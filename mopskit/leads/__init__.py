"""Lead management: lifecycle, scoring, MQL criteria, routing, the SLA with sales, leakage and recycling."""

from __future__ import annotations

from .hours import BusinessHours, add_business_hours, business_hours_between, parse_business_hours
from .scoring import Band, ScoreExplanation, ScoringModel, explain_score, fit_points, score_leads, scoring_model

__all__ = [
    "Band",
    "BusinessHours",
    "ScoreExplanation",
    "ScoringModel",
    "add_business_hours",
    "business_hours_between",
    "explain_score",
    "fit_points",
    "parse_business_hours",
    "score_leads",
    "scoring_model",
]
