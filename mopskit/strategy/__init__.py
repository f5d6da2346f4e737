"""The six-step MOps strategy plan, with its checks, task tracking and one-page export.

The steps (from HubSpot's "Everything You Need to Know About Marketing Operations In One Place"): stakeholders
and their SLAs, a measurable metric, SMART goals, telling colleagues how to help, actionable steps, and tasks
with owners ticked off in one shared place.

>>> from datetime import date
>>> plan = example_plan()
>>> print(plan_progress(plan, today=date(2026, 11, 1)))
1 of 4 tasks done (25%), 1 overdue
>>> Plan.from_dict(plan.to_dict()) == plan
True
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .._validate import checked
from ._export import export_plan, to_html, to_markdown
from ._plan import STATUSES, STEP_TITLES, Message, MetricDef, Plan, Stakeholder, Step, Task
from ._review import PlanProgress, PlanReview, StepReview, plan_progress, review_plan

__all__ = [
    "STATUSES",
    "STEP_TITLES",
    "Message",
    "MetricDef",
    "Plan",
    "PlanProgress",
    "PlanReview",
    "Stakeholder",
    "Step",
    "StepReview",
    "Task",
    "example_plan",
    "example_plan_note",
    "export_plan",
    "plan_options",
    "plan_progress",
    "review_date",
    "review_plan",
    "scenario",
    "scenario_plan",
    "to_html",
    "to_markdown",
]


def _content() -> dict[str, Any]:
    from .. import content

    return content.load_yaml("strategy_plans")


def _plan(raw: dict[str, Any]) -> Plan:
    fields = {k: raw[k] for k in ("title", "stakeholders", "metric", "goals", "communication", "steps", "tasks")}
    return Plan.from_dict(fields)


@checked
def example_plan() -> Plan:
    """The articles' email-program example as a plan, with owners and dates at the sample company.

    >>> example_plan().goals
    ['We will increase total email clicks by 25% within a year.']
    """
    return _plan(_content()["email_program"])


@checked
def example_plan_note() -> str:
    """Say which parts of the example plan are the article's and which are the kit's own illustration.

    >>> "within 1 business day" in example_plan_note()
    True
    """
    from ..i18n import _, content_text

    phrases = ", ".join(f"“{content_text(p)}”" for p in _content()["email_program"]["illustration"])
    return _(
        "From the article: the stakeholders and what each needs, the metric, the goal, the message to marketers, "
        "the four steps and the first two tasks. The kit's own illustration: the SLA times and counts ({phrases}), "
        "the owners and the dates, so that the plan can be tracked."
    ).format(phrases=phrases)


@checked
def review_date(name: str = "email_program") -> date:
    """The day a lesson reviews a plan on (the day after the sample data ends).

    >>> review_date()
    datetime.date(2026, 11, 1)
    """
    data = _content()
    if name not in data or name in ("options", "six_steps"):
        valid = ", ".join(k for k in data if k not in ("options", "six_steps"))
        from ..errors import ParameterError

        raise ParameterError(f"unknown plan '{name}'; valid: {valid}")
    return date.fromisoformat(str(data[name]["today"]))


@checked
def scenario(name: str = "webinar_leads") -> str:
    """The brief of a planning scenario, as trainees read it."""
    review_date(name)
    return " ".join(str(_content()[name]["brief"]).split())


@checked
def scenario_plan(name: str = "webinar_leads") -> Plan:
    """A model plan for a scenario; its goal is built from the sample data's own history.

    For ``webinar_leads`` the goal is "MQLs from the webinar channel" over a quarter, by the change half of the
    past quarters reached (:func:`mopskit.goals.attainable_change`), owned by the webinar program's owner.
    """
    from ..data import load
    from ..goals import attainable_change, build_goal, monthly_history

    review_date(name)
    raw = _content()[name]
    plan = _plan(raw["plan"])
    contacts = load("contacts")
    history = monthly_history(contacts[contacts["source_channel"] == "webinar"], "MQLs")
    amount = attainable_change(history, horizon_days=91, metric="MQLs")
    plan.goals = [
        build_goal(
            metric="MQLs", amount=amount, scope="webinar", horizon_days=91, owner=raw["plan"]["steps"][2]["owner"]
        )
    ]
    return plan


@checked
def plan_options() -> dict[str, list[str]]:
    """The choices the plan builder offers: stakeholders, channels, statuses, owners and metrics.

    The owners are the people of the company the lesson's data is about (the capstone has its own).
    """
    from ..data.variant import company_people
    from ..goals import goal_metrics

    options = {k: list(v) for k, v in _content()["options"].items()}
    options["owners"] = company_people()
    options["metrics"] = [m.label for m in goal_metrics().values()]
    return options
