"""MOps metrics: the catalog, and computations on the kit's tables at any scale.

Each family has a module: :mod:`~mopskit.metrics.email`, :mod:`~mopskit.metrics.funnel`,
:mod:`~mopskit.metrics.money`, :mod:`~mopskit.metrics.abtest`, :mod:`~mopskit.metrics.attribution`,
:mod:`~mopskit.metrics.quality` and :mod:`~mopskit.metrics.cohorts`; the catalog (definitions, formulas,
units, sources, the words goals use) is :func:`catalog`, and :func:`monthly_history` counts a metric per month.
Results are DataFrames with rates in percent; :func:`notes` explains what a reader must know about one (a rate
left empty by a 0 denominator, unknown event types or campaigns).

>>> from mopskit.data import load
>>> email_metrics(load("email_events"), by="channel", campaigns=load("campaigns"))["channel"].tolist()
['email']
"""

from __future__ import annotations

from ._common import data_quality, notes, percent, rate
from .abtest import ABTestResult, ab_test, sample_size
from .attribution import MODELS, attribute, compare_models, touch_credits
from .catalog import Metric, catalog, metric, metric_name, variant_labels, variants
from .cohorts import acquisition_cohorts, cohort_revenue, repeat_purchase_rate, retention_curve, retention_matrix
from .email import EMAIL_RATES, email_metrics, per_campaign
from .funnel import funnel, funnel_stages, lead_velocity, time_in_stage
from .history import monthly_history
from .money import budget_variance, channel_economics, romi
from .quality import (
    completeness,
    duplicate_sample,
    duplicates,
    invalid_emails,
    quality_scorecard,
    stage_order_violations,
)

__all__ = [
    "EMAIL_RATES",
    "MODELS",
    "ABTestResult",
    "Metric",
    "ab_test",
    "acquisition_cohorts",
    "attribute",
    "budget_variance",
    "catalog",
    "channel_economics",
    "cohort_revenue",
    "compare_models",
    "completeness",
    "data_quality",
    "duplicate_sample",
    "duplicates",
    "email_metrics",
    "funnel",
    "funnel_stages",
    "invalid_emails",
    "lead_velocity",
    "metric",
    "metric_name",
    "monthly_history",
    "notes",
    "per_campaign",
    "percent",
    "quality_scorecard",
    "rate",
    "repeat_purchase_rate",
    "retention_curve",
    "retention_matrix",
    "romi",
    "sample_size",
    "stage_order_violations",
    "time_in_stage",
    "touch_credits",
    "variant_labels",
    "variants",
]
