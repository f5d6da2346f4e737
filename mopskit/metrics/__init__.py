"""MOps metrics: the catalog, and computations on the kit's tables at any scale."""

from __future__ import annotations

from ._common import data_quality, notes, percent, rate
from .catalog import Metric, catalog, metric, variants
from .email import email_metrics, per_campaign

__all__ = [
    "Metric",
    "catalog",
    "data_quality",
    "email_metrics",
    "metric",
    "notes",
    "per_campaign",
    "percent",
    "rate",
    "variants",
]
