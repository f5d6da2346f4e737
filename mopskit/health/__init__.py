"""The MOps health check: a company's own exports in, one report a MOps lead acts on out.

Not to be confused with :mod:`mopskit.stack` 's health score (one part of this check: the stack audit's own
score): this package checks the whole operation: data quality, consent, email health, the funnel and the SLA
with sales, campaign responses, web tracking and the stack.

>>> from mopskit.health import PARTS
>>> list(PARTS)[:3]
['consent', 'quality', 'email']
"""

from __future__ import annotations

from ._findings import SECTIONS, SEVERITIES, Finding, Settings, section_name
from .check import CHECKS, PRIORITY, FolderOutcome, check_folders, health_check
from .result import HealthCheck
from .score import PARTS, HealthScore, health_score

__all__ = [
    "CHECKS",
    "PARTS",
    "PRIORITY",
    "SECTIONS",
    "SEVERITIES",
    "Finding",
    "FolderOutcome",
    "HealthCheck",
    "HealthScore",
    "Settings",
    "check_folders",
    "health_check",
    "health_score",
    "section_name",
]
