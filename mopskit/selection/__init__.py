"""Choosing and changing martech: requirements, vendor scoring, total cost, build vs buy, switching, adoption.

Pure functions, data in and dataclasses out; the lesson ``09_martech_selection`` and the
``vendor_evaluation_report`` call them.

- :func:`read_requirements`: must-haves (gates) and weighted nice-to-haves, by stakeholder;
  :func:`requirement_catalog` to start from, drawn from the tasks MOps professionals do.
- :func:`read_vendors`: the offers, their prices by seats and tiers, costs, risks and a score per requirement.
- :func:`score_vendors`: the weighted matrix, refusing offers that miss a must-have, every score explained;
  :func:`sensitivity` and :func:`flip_weight`: how far one weight must move to change the winner.
- :func:`tco`, :func:`stay_offer`, :func:`compare_costs`: multi-year cost against keeping the current tool,
  with the break-even month; :func:`build_vs_buy`.
- :func:`contract_of` and :func:`switch_plan`: the cut-over against the current contract's notice period,
  migration, parallel run, training by role and documentation; :func:`adoption` after the switch.
- :func:`scenario`: the bundled evaluations (Northwind's email vendor, and its event platform for practice).

>>> evaluation = scenario("email_vendor").evaluate()
>>> evaluation.winner
'Mailvane (Growth)'
"""

from __future__ import annotations

from .adoption import Adoption, adoption
from .cost import COMPONENTS, TCO, BuildVsBuy, CostComparison, build_vs_buy, compare_costs, stay_offer, tco
from .requirements import PRIORITIES, Requirement, Requirements, read_requirements, requirement_catalog
from .scenario import Scenario, scenario, scenarios
from .scoring import Evaluation, score_vendors, weighted_score
from .sensitivity import Sensitivity, flip_weight, sensitivity, what_if
from .switching import Contract, SwitchPlan, contract_of, notice_deadline, switch_plan, training_sessions
from .vendors import SCORE_MAX, Offer, Offers, parse_score, read_vendors

__all__ = [
    "COMPONENTS",
    "PRIORITIES",
    "SCORE_MAX",
    "TCO",
    "Adoption",
    "BuildVsBuy",
    "Contract",
    "CostComparison",
    "Evaluation",
    "Offer",
    "Offers",
    "Requirement",
    "Requirements",
    "Scenario",
    "Sensitivity",
    "SwitchPlan",
    "adoption",
    "build_vs_buy",
    "compare_costs",
    "contract_of",
    "flip_weight",
    "notice_deadline",
    "parse_score",
    "read_requirements",
    "read_vendors",
    "requirement_catalog",
    "scenario",
    "scenarios",
    "score_vendors",
    "sensitivity",
    "stay_offer",
    "switch_plan",
    "tco",
    "training_sessions",
    "weighted_score",
    "what_if",
]
