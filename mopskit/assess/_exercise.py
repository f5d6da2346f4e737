"""Exercises, their checks, and the verdicts trainees see.

An exercise has an id (``q1``), public checks (run by :func:`check`) and hidden checks (run only when
graded). A check is a function of the trainee's answer: returning ``False`` or raising ``AssertionError``
fails it; a number between 0 and 1 earns that share of its points (partial credit); an object with ``score``
(0 to 1) and ``reason`` earns that share and shows its reason as the message; anything else passes.
Checks compute expected values with the package's reference functions, so no answer literal sits in a
trainee's copy. An exercise's answer key is a ``solution`` function, kept in its hidden checks cell.

An answer comes from the trainee's code (a variable named like the exercise, e.g. ``q1 = 5``) when it is set,
and otherwise from the exercise's widget, so every exercise can be answered either way.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

from .._html import COLOURS, card, escape
from .._session import SESSION
from ..errors import ExerciseError
from ..i18n import _, _n

__all__ = ["Check", "CheckResult", "Exercise", "Verdict", "check", "exercise", "get_exercise", "registry_scope"]

_UNANSWERED = object()


def _unset(value: Any) -> bool:
    return value is None or value is Ellipsis or value is _UNANSWERED


@dataclass
class Check:
    """One check of an exercise.

    Attributes:
        name: short name, shown in verdicts (defaults to the function's name, underscores as spaces).
        points: points earned when the check passes (partial credit is points per check).
        hidden: hidden checks are stripped from trainee copies and run only when graded.
        success: shown when the check passes.
        failure: shown when it fails (an ``AssertionError`` message replaces it).
        hint: a nudge towards the fix, shown with a failure.
        func: takes the answer; ``False`` or ``AssertionError`` means fail.

    """

    name: str
    func: Callable[[Any], Any]
    points: float = 1.0
    hidden: bool = False
    success: str = ""
    failure: str = ""
    hint: str = ""

    def run(self, answer: Any) -> CheckResult:
        """Run the check on one answer and say what happened, never raising."""
        message = self.failure or _("This check did not pass.")
        reason = None
        try:
            outcome = self.func(answer)
            if hasattr(outcome, "score") and hasattr(outcome, "reason"):  # a review: a share and why
                reason, outcome = str(outcome.reason), outcome.score
            share = _share(outcome)
            message = reason or message
        except AssertionError as exc:
            share, message = 0.0, str(exc) or message
        except Exception as exc:  # a wrong kind of answer: advice, not a traceback
            share = 0.0
            message = _("This check could not run on your answer ({kind}: {detail}).").format(
                kind=type(exc).__name__, detail=str(exc)[:200]
            )
        passed = share >= 1.0
        if 0.0 < share < 1.0:
            message = _("{message} (partly right: {share:.0%} of this check's points)").format(
                message=message, share=share
            )
        return CheckResult(
            name=self.name,
            points=self.points,
            earned=round(self.points * share, 4),
            passed=passed,
            hidden=self.hidden,
            message=(reason or self.success or _("Passed.")) if passed else message,
            hint="" if passed else self.hint,
        )


def _share(outcome: Any) -> float:
    """The share of a check's points an outcome earns: booleans are all or nothing, a number is partial credit.

    >>> _share(True), _share(False), _share(None), _share(0.25), _share(3)
    (1.0, 0.0, 1.0, 0.25, 1.0)
    """
    if outcome is None:
        return 1.0
    if isinstance(outcome, bool) or getattr(getattr(outcome, "dtype", None), "kind", "") == "b":  # numpy's too
        return 1.0 if bool(outcome) else 0.0
    if isinstance(outcome, Real):
        value = float(outcome)
        return 0.0 if value != value else min(max(value, 0.0), 1.0)  # NaN earns nothing
    return 1.0


@dataclass(frozen=True)
class CheckResult:
    """What one check said about one answer."""

    name: str
    points: float
    earned: float
    passed: bool
    hidden: bool
    message: str
    hint: str = ""


@dataclass
class Verdict:
    """The feedback on one exercise: renders itself in a notebook (HTML) and a terminal (text)."""

    exercise_id: str
    title: str
    answered: bool
    results: list[CheckResult] = field(default_factory=list)
    hidden_pending: int = 0
    review: bool = False
    quiet: bool = False  # shown as nothing: in app mode the widget's own Check gives the live verdict

    @property
    def earned(self) -> float:
        """Points earned by the checks that ran."""
        return sum(r.earned for r in self.results)

    @property
    def possible(self) -> float:
        """Points the checks that ran could give."""
        return sum(r.points for r in self.results)

    @property
    def status(self) -> str:
        """``unanswered``, ``correct`` (every check that ran passed), ``partial`` or ``wrong``."""
        if not self.answered:
            return "unanswered"
        if all(r.passed for r in self.results):
            return "correct"
        return "partial" if any(r.passed or r.earned > 0 for r in self.results) else "wrong"

    def headline(self) -> str:
        """One sentence: the verdict in words (and a second when an instructor also reads the answer)."""
        text = self._headline()
        if self.review and self.answered:
            text += " " + _("An instructor also reads this answer, so its points may still change.")
        return text

    def _headline(self) -> str:
        if self.status == "unanswered":
            return _(
                "Not answered yet. Give your answer above (type it and run the cell, "
                "or pick it in the widget), then check again."
            )
        if self.status == "correct" and self.hidden_pending:
            return _n(
                "Public checks passed ({earned:g}/{possible:g} points); {n} more check runs when graded.",
                "Public checks passed ({earned:g}/{possible:g} points); {n} more checks run when graded.",
                self.hidden_pending,
            ).format(earned=self.earned, possible=self.possible, n=self.hidden_pending)
        if self.status == "correct":
            return _("Correct! ({earned:g}/{possible:g} points)").format(earned=self.earned, possible=self.possible)
        return _("Not quite yet: {passed} of {total} checks pass ({earned:g}/{possible:g} points).").format(
            passed=sum(r.passed for r in self.results),
            total=len(self.results),
            earned=self.earned,
            possible=self.possible,
        )

    def __str__(self) -> str:
        lines = [f"{self.exercise_id} {self.title}".strip() + ": " + self.headline()]
        if self.answered:
            for r in self.results:
                lines.append(("  ✓ " if r.passed else "  ✗ ") + r.message)
                if r.hint:
                    lines.append("    " + _("Hint:") + " " + r.hint)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "" if self.quiet else str(self)

    def _repr_html_(self) -> str:
        if self.quiet:
            return '<div class="mopskit-verdict-quiet"></div>'
        tone = {"correct": "ok", "partial": "partial", "wrong": "bad", "unanswered": "muted"}[self.status]
        items = ""
        if self.answered:
            for r in self.results:
                mark = "✓" if r.passed else "✗"
                hint = f"<br><em>{escape(_('Hint:'))}</em> {escape(r.hint)}" if r.hint else ""
                items += f"<li>{mark} {escape(r.message)}{hint}</li>"
        title = escape(f"{self.exercise_id} {self.title}".strip())
        body = (
            f"<strong>{title}</strong>: <span style='color:{COLOURS[tone]}'>{escape(self.headline())}</span>"
            f"<ul style='margin:4px 0'>{items}</ul>"
        )
        # the status as a class too, so a page is read the same in every language
        return card(body, tone=tone, css_class=f"mopskit-verdict mopskit-verdict-{self.status}")


class Exercise:
    """An exercise: an id, a title, where its answer comes from, and its checks."""

    def __init__(self, exercise_id: str, *, title: str = "", answer: Callable[[], Any] | None = None):
        self.id = exercise_id
        self.title = title
        self._answer = answer
        self._solution: Callable[[], Any] | None = None
        self.checks: dict[str, Check] = {}
        self.hidden_declared = 0
        self.review = False  # an instructor reads the answer too: its points are provisional until then
        self.quiet_check = False  # check() shows nothing: a live widget gives the verdict (app mode)
        self.facts: tuple[str, ...] = ()  # ids in content/facts.yaml that the exercise assesses
        self.competencies: tuple[str, ...] = ()  # ids in content/competencies.yaml it gives evidence of

    def check(
        self,
        *,
        points: float = 1.0,
        hidden: bool = False,
        success: str = "",
        failure: str = "",
        hint: str = "",
        name: str | None = None,
    ) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
        """Register the decorated function as a check; re-running the cell replaces it, never duplicates it."""

        def register(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
            label = name or func.__name__.replace("_", " ").strip()
            self.checks[label] = Check(label, func, points, hidden, success, failure, hint)
            return func

        return register

    def solution(self, func: Callable[[], Any]) -> Callable[[], Any]:
        """Register the decorated no-argument function as the answer key (keep it in a hidden checks cell).

        The function computes the right answer with the package's reference functions, in the shape the
        exercise's widget holds, so tests and graders can answer the exercise and check the checks.
        """
        self._solution = func
        return func

    def expected(self) -> Any:
        """Return the right answer, computed by the registered solution function."""
        if self._solution is None:
            raise ExerciseError(
                f"exercise '{self.id}' has no answer key; add '@exercise({self.id!r}).solution' on a function "
                "in its HIDDEN CHECKS cell"
            )
        return self._solution()

    def set_answer_source(self, source: Callable[[], Any]) -> None:
        """Take the answer from ``source()`` (a widget) when no variable named like the id holds one."""
        self._answer = source

    def answer(self) -> Any:
        """Return the trainee's answer (their code's variable first, then the widget), or 'not answered'."""
        value = getattr(sys.modules.get("__main__"), self.id, None)
        if _unset(value) and self._answer is not None:
            value = self._answer()
        return _UNANSWERED if _unset(value) else value

    @property
    def hidden_count(self) -> int:
        """How many hidden checks this exercise has (known ones, or the number a trainee copy declares)."""
        return max(self.hidden_declared, sum(c.hidden for c in self.checks.values()))

    def run(self, *, include_hidden: bool = False, answer: Any = _UNANSWERED) -> Verdict:
        """Run the public checks (and hidden ones when grading) on the answer."""
        value = self.answer() if answer is _UNANSWERED else answer
        answered = not _unset(value)
        chosen = [c for c in self.checks.values() if include_hidden or not c.hidden]
        results = [c.run(value) for c in chosen] if answered else []
        pending = 0 if include_hidden else self.hidden_count
        return Verdict(self.id, self.title, answered, results, pending, self.review)


@contextmanager
def registry_scope() -> Iterator[dict[str, Exercise]]:
    """Use a fresh exercise registry inside the block (graders load checks this way)."""
    SESSION.registries.append({})
    try:
        yield SESSION.registries[-1]
    finally:
        SESSION.registries.pop()


def exercise(
    exercise_id: str,
    *,
    title: str = "",
    hidden_checks: int = 0,
    review: bool = False,
    facts: Sequence[str] = (),
    competency: str | Sequence[str] = (),
) -> Exercise:
    """Define an exercise, or return it if this notebook defined it already.

    Args:
        exercise_id: the id trainees pass to :func:`check`, e.g. ``"q1"``.
        title: a few words shown in the verdict.
        hidden_checks: in trainee copies, how many hidden checks run at grading (set by release).
        review: free text that checks can only partly judge: graded answers are flagged "needs review" in
            the gradebook, and their points count as provisional until an instructor adjusts or accepts them.
        facts: the facts it assesses (ids in ``content/facts.yaml``, see :mod:`mopskit.facts`).
        competency: the competency (or competencies) it gives evidence of (ids in ``content/competencies.yaml``).

    Raises:
        ExerciseError: a fact or competency id that the content does not know; the message names it.

    >>> ex = exercise("demo", title="Two plus two")
    >>> @ex.check(points=1, failure="Add the two numbers.")
    ... def is_four(answer):
    ...     return answer == 4
    >>> print(ex.run(answer=4))
    demo Two plus two: Correct! (1/1 points)
      ✓ Passed.
    >>> exercise("demo", facts=["solo_mops_share"], competency="roles.team").competencies
    ('roles.team',)

    """
    registry: dict[str, Exercise] = SESSION.registries[-1]
    ex = registry.get(exercise_id)
    if ex is None:
        ex = registry[exercise_id] = Exercise(exercise_id, title=title)
    if title:
        ex.title = title
    ex.hidden_declared = max(ex.hidden_declared, hidden_checks)
    ex.review = ex.review or review
    if facts or competency:
        _declare(ex, facts, competency)
    return ex


def _declare(ex: Exercise, facts: Sequence[str], competency: str | Sequence[str]) -> None:
    from ..errors import MopskitError
    from ..facts import competency as find_competency
    from ..facts import fact as find_fact

    wanted = (competency,) if isinstance(competency, str) else tuple(competency)
    try:
        known = [find_fact(f).id for f in ([facts] if isinstance(facts, str) else facts)]
        skills = [find_competency(c).id for c in wanted]
    except MopskitError as exc:
        raise ExerciseError(f"exercise '{ex.id}': {exc}") from None
    ex.facts = tuple(dict.fromkeys([*ex.facts, *known]))
    ex.competencies = tuple(dict.fromkeys([*ex.competencies, *skills]))


def get_exercise(exercise_id: str) -> Exercise:
    """Return a defined exercise, or say which ones exist."""
    registry: dict[str, Exercise] = SESSION.registries[-1]
    if exercise_id not in registry:
        known = ", ".join(sorted(registry)) or _("none yet")
        raise ExerciseError(
            _(
                "There is no exercise '{id}' in this notebook (defined so far: {known}). "
                "Check the spelling, or run the exercise's cells first."
            ).format(id=exercise_id, known=known)
        )
    return registry[exercise_id]


def check(exercise_id: str) -> Verdict:
    """Check your answer to one exercise and get feedback at once.

    Runs the exercise's public checks; when more checks run at grading, the verdict says how many.

    Args:
        exercise_id: the exercise, e.g. ``"q1"``.

    """
    ex = get_exercise(exercise_id)
    verdict = ex.run()
    verdict.quiet = ex.quiet_check
    return verdict


def defined_exercises() -> dict[str, Exercise]:
    """Return the exercises defined so far in this kernel, by id."""
    return dict(SESSION.registries[-1])
