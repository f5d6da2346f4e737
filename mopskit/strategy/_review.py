"""Checking a plan step by step (each with a score and reasons) and tracking its tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .._html import quoted, table
from .._validate import checked
from ..i18n import _, _n, content_text, content_with_english, get_language
from ._plan import STATUSES, STEP_TITLES, Plan, Task

__all__ = ["PlanProgress", "PlanReview", "StepReview", "plan_progress", "review_plan"]

_TIMED = re.compile(
    r"\d|\b(daily|weekly|monthly|quarterly|yearly|annually|hours?|days?|weeks?|months?|quarters?|every|each|per|"
    r"within|by|before)\b",
    re.IGNORECASE,
)
_PERIOD = re.compile(r"\b(day|week|month|quarter|year)s?\b|\b(daily|weekly|monthly|quarterly|yearly|per)\b", re.I)
_RATIO = re.compile(r"÷|/|\bdivided\b|\bdivide\b|\bper\b|\bout of\b|\bshare\b|\bratio\b|%|\bcount\b|\bnumber\b", re.I)
MIN_ROWS = {"stakeholders": 2, "steps": 2, "tasks": 2}
# The review's examples, in English in every language: the goal checker and the metric's check read English.
GOAL_EXAMPLE = "We will increase total email clicks by 25% within a year."
DEFINITION_EXAMPLE = "clicks in a month ÷ unique recipients in a month × 100"


def english_kept() -> tuple[str, ...]:
    """The English the review's reasons keep in another language (its examples), to be shown as quotations.

    >>> english_kept()
    ()
    >>> from mopskit.i18n import language
    >>> with language("th"):
    ...     english_kept()[0]
    'We will increase total email clicks by 25% within a year.'
    """
    return () if get_language() == "en" else (GOAL_EXAMPLE, DEFINITION_EXAMPLE)


@dataclass(frozen=True)
class StepReview:
    """One step of a plan, checked.

    Attributes:
        number: 1 to 6.
        title: what the step is.
        score: the share of the step done right, 0 to 1 (partial credit).
        reasons: what is right or missing, one sentence each; a suggestion with every gap.

    """

    number: int
    title: str
    score: float
    reasons: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether the step is complete."""
        return self.score >= 1.0

    @property
    def reason(self) -> str:
        """The reasons as one paragraph."""
        return " ".join(self.reasons)

    @property
    def mark(self) -> str:
        """✓ complete, ~ partly done, ✗ nothing right."""
        return "✓" if self.passed else "✗" if self.score == 0 else "~"

    def __str__(self) -> str:
        return f"{self.mark} {self.number}. {content_text(self.title)} ({self.score:.0%}): {self.reason}"

    def __repr__(self) -> str:  # a trainee who shows a step reads it, never a Python structure
        return str(self)


@dataclass(frozen=True)
class PlanReview:
    """Every step of a plan, checked."""

    steps: tuple[StepReview, ...]

    @property
    def score(self) -> float:
        """The plan's overall score, 0 to 1: the mean of the steps' scores."""
        return sum(s.score for s in self.steps) / len(self.steps)

    @property
    def passed(self) -> bool:
        """Whether every step is complete."""
        return all(s.passed for s in self.steps)

    def step(self, number: int) -> StepReview:
        """The review of step ``number`` (1 to 6)."""
        return self.steps[number - 1]

    def __str__(self) -> str:
        return "\n".join(str(s) for s in self.steps)

    def __repr__(self) -> str:  # the review in words wherever it is shown as text, in every language
        return str(self)

    def _repr_html_(self) -> str:
        headers = ["", _("step"), _("score"), _("what the review says")]
        kept = english_kept()
        rows = [[s.mark, f"{s.number}. {content_text(s.title)}", f"{s.score:.0%}", quoted(s.reason, kept)]
                for s in self.steps]  # fmt: skip
        return table(headers, rows, inline=True).replace("<table", "<table class='mopskit-plan-review'", 1)


def _count_factor(n: int, section: str, label: str, reasons: list[str]) -> float:
    need = MIN_ROWS.get(section, 1)
    if n < need:
        reasons.append(
            _n("Add at least {need} {label} (there is {n}).", "Add at least {need} {label} (there are {n}).", n).format(
                need=need, label=label, n=n
            )
        )
    return min(1.0, n / need)


def _stakeholders(plan: Plan) -> tuple[float, list[str]]:
    reasons: list[str] = []
    if not plan.stakeholders:
        return 0.0, [_("Name the stakeholders, what each needs, and the SLA you agree with each.")]
    scores = []
    for s in plan.stakeholders:
        who = s.name or _("A stakeholder")
        parts = [bool(s.name and s.needs), bool(s.sla), bool(s.sla and _TIMED.search(s.sla))]
        scores.append(sum(parts) / 3)
        if not parts[0]:
            reasons.append(_("{who}: say what they need from the strategy.").format(who=who))
        if not s.sla:
            reasons.append(_("{who}: agree an SLA, a deliverable they can count on.").format(who=who))
        elif not parts[2]:
            reasons.append(
                _("{who}: the SLA '{sla}' has no time or number; say what is delivered and by when "
                  "(e.g. 'MQLs routed within 24 hours').").format(who=who, sla=s.sla)
            )  # fmt: skip
    factor = _count_factor(len(plan.stakeholders), "stakeholders", _("stakeholders"), reasons)
    score = factor * sum(scores) / len(scores)
    if score >= 1:
        reasons.append(_("Every stakeholder has a need and an SLA with a time or number."))
    return score, reasons


def _metric(plan: Plan) -> tuple[float, list[str]]:
    from ..goals import find_metric

    m = plan.metric
    info = find_metric(m.name) if m.name else None
    reasons: list[str] = []
    score = 0.0
    if info is None:
        reasons.append(
            _("'{name}' is not a metric you can count; pick one such as email click-through rate or MQLs.").format(
                name=content_text(m.name)
            )
            if m.name
            else _("Pick one measurable metric, e.g. email click-through rate.")
        )
    else:
        score += 0.4
    if not m.definition:
        reasons.append(_("Say how it is calculated, e.g. '{example}'.").format(example=DEFINITION_EXAMPLE))
    else:
        score += 0.3 * bool(_PERIOD.search(m.definition)) + 0.3 * bool(_RATIO.search(m.definition))
        if not _PERIOD.search(m.definition):
            reasons.append(_("Say over what period it is counted (per month, per week...)."))
        if not _RATIO.search(m.definition):
            reasons.append(_("Say what is counted or divided by what."))
    if score >= 1:
        reasons.append(_("{name} is measurable and its calculation is defined.").format(name=content_text(m.name)))
    return min(score, 1.0), reasons


def _goals(plan: Plan, today: date) -> tuple[float, list[str]]:
    from ..goals import assess_goal

    if not plan.goals:
        return 0.0, [_("Write at least one SMART goal, e.g. '{example}'").format(example=GOAL_EXAMPLE)]
    reasons: list[str] = []
    scores = []
    for number, text in enumerate(plan.goals, 1):
        result = assess_goal(text, today=today)
        judged = [result.specific, result.measurable, result.realistic, result.time_bound]
        # a plan holds no history: Realistic is then judged on a name only (not judged is no failure)
        scores.append(sum(c.passed or not c.judged for c in judged) / len(judged))
        for c in judged:
            if c.judged and not c.passed:
                reasons.append(_("Goal {n}, {title}: {reason}").format(n=number, title=c.label, reason=c.reason))
        info_goal, info_plan = result.goal.metric_key, plan.metric.name
        if info_goal and info_plan:
            from ..goals import find_metric

            chosen = find_metric(info_plan)
            if chosen is not None and chosen.key != info_goal:
                reasons.append(
                    _("Goal {n} measures {a}, but the plan's metric is {b}; make them the same.").format(
                        n=number, a=result.goal.metric, b=chosen.label
                    )
                )
                scores[-1] *= 0.75
    score = sum(scores) / len(scores)
    if score >= 1:
        reasons.append(_("Every goal is specific, measurable, realistic and time-bound."))
    return score, reasons


def _communication(plan: Plan) -> tuple[float, list[str]]:
    if not plan.communication:
        return 0.0, [_("Tell the colleagues affected what changes for them and how they can help refine the plan.")]
    reasons: list[str] = []
    scores = []
    for m in plan.communication:
        who = m.audience or _("A message")
        parts = [bool(m.audience), len(m.ask.split()) >= 3, bool(m.channel)]
        scores.append(sum(parts) / 3)
        if not parts[0]:
            reasons.append(_("Say who each message is for."))
        if not parts[1]:
            reasons.append(_("{who}: say what changes for them and what you ask of them.").format(who=who))
        if not parts[2]:
            reasons.append(_("{who}: say where you will tell them (a meeting, email, the wiki...).").format(who=who))
    score = sum(scores) / len(scores)
    if score >= 1:
        reasons.append(_("Every message says who, what you ask, and where."))
    return score, reasons


def _steps(plan: Plan) -> tuple[float, list[str]]:
    reasons: list[str] = []
    if not plan.steps:
        return 0.0, [_("List the actionable steps that get you to the goal, each with an owner.")]
    scores = []
    for number, s in enumerate(plan.steps, 1):
        scores.append((bool(s.action) + bool(s.owner)) / 2)
        if not s.owner:
            reasons.append(_("Step {n} ('{action}') has no owner; name one person.").format(n=number, action=s.action))
        if not s.action:
            reasons.append(_("Step {n} has an owner but no action; say what will be done.").format(n=number))
    factor = _count_factor(len(plan.steps), "steps", _("actionable steps"), reasons)
    score = factor * sum(scores) / len(scores)
    if score >= 1:
        reasons.append(_("Every step has an owner."))
    return score, reasons


def _tasks(plan: Plan, today: date) -> tuple[float, list[str]]:
    reasons: list[str] = []
    if not plan.tasks:
        return 0.0, [_("Assign tasks: each with an owner, a due date and a status, ticked off in one shared place.")]
    scores = []
    for t in plan.tasks:
        name = content_text(t.title) if t.title else _("A task")
        parts = [bool(t.owner), t.due is not None, t.status in STATUSES]
        if not parts[0]:
            reasons.append(_("'{task}' has no owner.").format(task=name))
        if not parts[1]:
            reasons.append(_("'{task}' has no due date (write it as 2026-12-15).").format(task=name))
        if not t.status and not (t.due is not None and t.due < today):
            reasons.append(_("'{task}' has no status; pick one of: {valid}.").format(task=name, valid=_statuses()))
        if t.status and t.status not in STATUSES:
            reasons.append(
                _("'{task}': status '{status}' is not one of: {valid}.").format(
                    task=name, status=t.status, valid=_statuses()
                )
            )
        if t.due is not None and t.due < today and not t.status:
            reasons.append(_("'{task}' was due {due} and has no status: say where it stands.").format(
                task=name, due=t.due.isoformat()
            ))  # fmt: skip
            parts = [False, False, False]
        elif _overdue(t, today):
            reasons.append(_("'{task}' is overdue (due {due}, {status}): agree a new date or get help.").format(
                task=name, due=t.due.isoformat() if t.due else "", status=content_text(t.status)
            ))  # fmt: skip
        scores.append(sum(parts) / 3)
    factor = _count_factor(len(plan.tasks), "tasks", _("tasks"), reasons)
    score = factor * sum(scores) / len(scores)
    if score >= 1 and not any(_overdue(t, today) for t in plan.tasks):
        reasons.append(_("Every task has an owner, a due date and a status."))
    elif score >= 1:
        reasons.append(_("Every task has an owner, a due date and a status; chase the overdue ones."))
    return score, reasons


def _statuses() -> str:
    """The statuses a task can have, as a reason lists them: in the language in use, each with its English value.

    >>> _statuses()
    'not started, in progress, done, blocked'
    """
    return ", ".join(content_with_english(status) for status in STATUSES)


def _overdue(task: Task, today: date) -> bool:
    return task.due is not None and task.due < today and task.status not in ("done", "")


@checked
def review_plan(plan: Plan, *, today: date | None = None) -> PlanReview:
    """Check every step of a plan: what is right, what is missing, and a score per step for partial credit.

    Rules: at least two stakeholders, each with a need and an SLA that names a time or a number; one measurable
    metric with its calculation (what is counted, over what period); goals that are specific, measurable,
    realistic and time-bound (:func:`mopskit.goals.assess_goal`) on the plan's metric; messages with an
    audience, an ask and a channel; at least two steps, every one with an owner; at least two tasks, each
    with an owner, a due date and a status, and none past due without a status.

    >>> from mopskit.strategy import example_plan
    >>> review = review_plan(example_plan(), today=date(2026, 11, 1))
    >>> [round(s.score, 2) for s in review.steps]
    [1.0, 1.0, 1.0, 1.0, 1.0, 0.75]
    """
    day = today or date.today()
    checks = (
        _stakeholders(plan),
        _metric(plan),
        _goals(plan, day),
        _communication(plan),
        _steps(plan),
        _tasks(plan, day),
    )
    return PlanReview(
        tuple(
            StepReview(n, title, round(score, 4), tuple(reasons))  # the title stays English: answers compare it
            for n, (title, (score, reasons)) in enumerate(zip(STEP_TITLES, checks, strict=True), 1)
        )
    )


@dataclass(frozen=True)
class PlanProgress:
    """Where a plan's tasks stand on a day."""

    total: int
    done: int
    overdue: tuple[Task, ...]
    by_status: tuple[tuple[str, int], ...]

    @property
    def percent_done(self) -> float:
        """Share of tasks done, 0 to 100 (0 for a plan with no tasks)."""
        return 100.0 * self.done / self.total if self.total else 0.0

    def __str__(self) -> str:
        return _("{done} of {total} tasks done ({pct:.0f}%), {late} overdue").format(
            done=self.done, total=self.total, pct=self.percent_done, late=len(self.overdue)
        )

    def __repr__(self) -> str:
        return str(self)


@checked
def plan_progress(plan: Plan, *, today: date | None = None) -> PlanProgress:
    """Count a plan's tasks: done, overdue (past due and not done), and how many have each status.

    >>> from mopskit.strategy import example_plan
    >>> print(plan_progress(example_plan(), today=date(2026, 11, 1)))
    1 of 4 tasks done (25%), 1 overdue
    """
    day = today or date.today()
    counts = {status: sum(t.status == status for t in plan.tasks) for status in (*STATUSES, "")}
    return PlanProgress(
        total=len(plan.tasks),
        done=counts["done"],
        overdue=tuple(t for t in plan.tasks if _overdue(t, day)),
        by_status=tuple((s or _("no status"), n) for s, n in counts.items() if n),
    )
