"""Audit a martech stack like a MOps lead would: cost, seats, overlaps, owners, integrations, renewals, privacy.

>>> from mopskit.data import load
>>> result = audit(load("martech_stack"), today=as_of())
>>> result.actions.set_index("tool").loc["Legacy Webinars", "action"]
'sunset'
"""

from __future__ import annotations

from .audit import Inventory, StackAudit, audit, load_inventory
from .checks import ACTIONS, CHECKS, SEVERITIES, Finding, Thresholds, money, thresholds
from .health import HEALTH_PARTS, Health
from .integrations import IntegrationMap, integration_map
from .taxonomy import (
    Category,
    SizeBenchmark,
    Status,
    as_of,
    categories,
    category,
    category_of,
    category_table,
    company_size,
    label_readings,
    size_benchmark,
    stack_facts,
    status_of,
    statuses,
)

__all__ = [
    "ACTIONS",
    "CHECKS",
    "HEALTH_PARTS",
    "SEVERITIES",
    "Category",
    "Finding",
    "Health",
    "IntegrationMap",
    "Inventory",
    "SizeBenchmark",
    "StackAudit",
    "Status",
    "Thresholds",
    "as_of",
    "audit",
    "categories",
    "category",
    "category_of",
    "category_table",
    "company_size",
    "integration_map",
    "label_readings",
    "load_inventory",
    "money",
    "size_benchmark",
    "stack_facts",
    "status_of",
    "statuses",
    "thresholds",
]
