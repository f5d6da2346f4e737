"""A check that grades with partial credit *and* says why: its function returns a review with a score and a reason.

The exercise format's checks return a share of points (partial credit) or raise with a message (a reason),
not both. A plan is graded step by step, and a trainee needs both: "2 of 3 stakeholders have an SLA" is
worth two thirds of the points and must say which one lacks it. :func:`scored_check` registers such a check on
an exercise; graders run it like any other (``Exercise.run`` calls each check's ``run``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..assess._exercise import Check, CheckResult, Exercise
from ..i18n import _

__all__ = ["ScoredCheck", "scored_check"]


@dataclass
class ScoredCheck(Check):
    """A check whose function returns an object with ``score`` (0 to 1) and ``reason``, shown as the message."""

    def run(self, answer: Any) -> CheckResult:
        """Run the check: the review's score earns that share of the points, its reason is the message."""
        said: dict[str, str] = {}

        def share(value: Any) -> Any:
            outcome = self.func(value)
            if hasattr(outcome, "score") and hasattr(outcome, "reason"):
                said["reason"] = str(outcome.reason)
                return float(outcome.score)
            return outcome

        result = Check.run(replace(self, func=share), answer)
        reason = said.get("reason")
        if not reason:
            return result
        if result.passed:
            return replace(result, message=reason)
        fraction = result.earned / result.points if result.points else 0.0
        if 0.0 < fraction < 1.0:
            reason = _("{message} (partly right: {share:.0%} of this check's points)").format(
                message=reason, share=fraction
            )
        return replace(result, message=reason)


def scored_check(
    exercise: Exercise, *, points: float = 1.0, hint: str = "", name: str | None = None
) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Register the decorated function as a public check that returns a review (``.score`` and ``.reason``).

    Args:
        exercise: the exercise, e.g. ``exercise("q5")``.
        points: the points a full score earns.
        hint: a nudge shown when the check does not pass in full.
        name: the check's name (default: the function's name, underscores as spaces).

    >>> from types import SimpleNamespace
    >>> from mopskit.assess import exercise
    >>> ex = exercise("demo_plan")
    >>> @scored_check(ex, points=3)
    ... def step_one(answer):
    ...     return SimpleNamespace(score=2 / 3, reason="Sales has no SLA.")
    >>> print(ex.run(answer={}))
    demo_plan: Not quite yet: 0 of 1 checks pass (2/3 points).
      ✗ Sales has no SLA. (partly right: 67% of this check's points)

    """

    def register(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
        label = name or func.__name__.replace("_", " ").strip()
        exercise.checks[label] = ScoredCheck(label, func, points, False, "", "", hint)
        return func

    return register
