"""The fictional inputs of lesson 08's exercises, as tables: a lead to score by hand, ten new leads to route.

They live in ``mopskit/content/lead_scenarios.yaml``, so the lesson shows them and its checks compute the
expected answers from the same data.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["scenario"]


def scenario(name: str) -> dict[str, Any]:
    """One scenario of lesson 08 by name, as tables.

    ``score_by_hand`` gives contact, activities and as_of; ``route_ten`` leads and as_of; ``criteria_deal`` the
    terms for :func:`mopskit.leads.criteria_threshold` and the question in words.

    >>> hand = scenario("score_by_hand")
    >>> hand["contact"].loc[0, "seniority"], len(hand["activities"]), hand["as_of"]
    ('director', 16, '2026-10-31T12:00:00')
    >>> scenario("route_ten")["leads"]["contact_id"].tolist()[:4]
    ['L01', 'L02', 'L04', 'L03']
    >>> scenario("criteria_deal")["terms"]  # sales' share: 5 points above today's, on the data load() reads
    {'min_fit': 30, 'min_per_month': 10, 'min_acceptance': 65}
    """
    from .._validate import choice
    from ..content import load_yaml

    data = load_yaml("lead_scenarios")
    choice(name, "name", [k for k in data if k != "source"], function="scenario")
    entry = data[name]
    if name == "score_by_hand":
        contact = pd.DataFrame([entry["contact"]])
        rows = []
        for activity in entry["activities"]:
            for _n in range(int(activity.get("count", 1))):
                rows.append(
                    {"contact_id": contact.loc[0, "contact_id"], **{k: v for k, v in activity.items() if k != "count"}}
                )
        return {"contact": contact, "activities": pd.DataFrame(rows), "as_of": str(entry["as_of"])}
    if name == "criteria_deal":
        terms = dict(entry["terms"])
        today = _fit_acceptance(float(terms["min_fit"]))
        terms["min_acceptance"] = round(today + float(terms.pop("acceptance_gain", 0)))
        words = {k: f"{v:g}" for k, v in terms.items()}
        return {"terms": terms, "question": str(entry["question"]).format(today_acceptance=f"{today:.0f}", **words)}
    leads = pd.DataFrame(entry["leads"])
    leads["country"] = leads["country"].astype(object).where(leads["country"].notna(), None)
    return {"leads": leads, "as_of": str(entry["as_of"])}


def _fit_acceptance(min_fit: float) -> float:
    """The share of past MQLs with at least ``min_fit`` that sales accepted, on the data :func:`load` reads now."""
    from ..data import load
    from .criteria import Condition, MqlCriteria, backtest_criteria
    from .scoring import score_leads

    scored = score_leads(load("contacts"), load("activities"), as_of="mql_at")
    fit = MqlCriteria("fit", "fit", (Condition("fit_score", ">=", min_fit),))
    return float(backtest_criteria(scored, [fit]).iloc[0]["acceptance"])
