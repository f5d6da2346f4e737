"""Running checks outside a trainee's namespace: load them from the source notebook, run them on answers.

A grader executes a submission in its own kernel, collects the answers there as JSON
(:func:`collect_answers`), and runs the source notebook's checks, public and hidden, in its own process
(:func:`load_checks` then :func:`grade_answers`), so nothing a trainee defines can change a check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ._answers import MAX_ANSWER_BYTES, MAX_ANSWER_DEPTH, answer_json, from_jsonable, read_answers, to_jsonable
from ._exercise import _UNANSWERED, Exercise, Verdict, _unset, defined_exercises, registry_scope
from ._release import _HIDDEN, _PUBLIC


def collect_answers(exercise_ids: Iterable[str] | None = None, *, lesson: str | None = None) -> dict[str, Any]:
    """Return the answers in this kernel as JSON-safe data (``None`` where unanswered).

    Args:
        exercise_ids: the exercises to collect besides those defined here; one the notebook no longer defines
            (its checks cell deleted) is still read from the variable named like it. Default: defined ones.
        lesson: the lesson whose saved widget answers fill in for an exercise whose widget never ran.

    """
    defined = defined_exercises()
    wanted = list(defined) + [i for i in (exercise_ids or []) if i not in defined]
    saved = read_answers(lesson) if lesson else {}
    answers: dict[str, Any] = {}
    for exercise_id in wanted:
        value = _answer(exercise_id, defined, saved)
        answers[exercise_id] = None if _unset(value) else to_jsonable(value)
    return answers


def collect_answer(
    exercise_id: str,
    *,
    lesson: str | None = None,
    max_bytes: int = MAX_ANSWER_BYTES,
    max_depth: int = MAX_ANSWER_DEPTH,
) -> str:
    """Return one answer in this kernel as JSON text (``"null"`` when unanswered), for a grader.

    A grader asks for each answer on its own, so one that cannot be graded costs only its exercise.

    Raises:
        AnswerRefused: the answer is too large, too deep, NaN or infinite, or not data; the message says which.

    """
    value = _answer(exercise_id, defined_exercises(), read_answers(lesson) if lesson else {})
    return "null" if _unset(value) else answer_json(value, max_bytes=max_bytes, max_depth=max_depth)


def _answer(exercise_id: str, defined: dict[str, Exercise], saved: dict[str, Any]) -> Any:
    """An exercise's answer here: its code variable or widget, else the widget answer saved for the lesson."""
    import __main__

    ex = defined.get(exercise_id)
    value = ex.answer() if ex is not None else getattr(__main__, exercise_id, None)
    return saved.get(exercise_id) if _unset(value) else value


def notebook_cells(path: str | Path) -> list[tuple[str, str]]:
    """The kind and source of every cell of a notebook, in order.

    Read as plain JSON where the notebook is in the current format (4): importing ``nbformat`` costs seconds
    (its schema checkers), which graders would pay in every process that loads checks. Other versions go
    through ``nbformat``, which converts them.
    """
    import json

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("nbformat") != 4 or not isinstance(data.get("cells"), list):
        import nbformat

        return [(c.cell_type, c.source) for c in nbformat.read(str(path), as_version=4).cells]
    return [
        (
            str(c.get("cell_type", "")),
            "".join(c["source"]) if isinstance(c.get("source"), list) else str(c.get("source", "")),
        )
        for c in data["cells"]
        if isinstance(c, dict)
    ]


def load_checks(source: str | Path) -> dict[str, Exercise]:
    """Load every exercise's checks, public and hidden, from an instructor notebook, in a fresh namespace.

    The checks and answer keys run as the lesson they come from (named like the notebook): ``load`` in them
    reads that lesson's data (a lesson with a company of its own reads that company's), unless a variant is
    set with :func:`mopskit.data.variant.use_variant`.
    """
    lesson = Path(source).stem
    with registry_scope() as registry:
        for kind, code in notebook_cells(source):
            if kind != "code":
                continue
            first = code.lstrip().splitlines()[0] if code.strip() else ""
            if _PUBLIC.match(first) or _HIDDEN.match(first):
                exec(compile(code, f"{Path(source).name}:checks", "exec"), {"__name__": "mopskit_checks"})
        exercises = dict(registry)
    for ex in exercises.values():
        for check in ex.checks.values():
            check.func = _as_lesson(lesson, check.func)
        if ex._solution is not None:
            ex._solution = _as_lesson(lesson, ex._solution)
    return exercises


def _as_lesson(lesson: str, func: Callable[..., Any]) -> Callable[..., Any]:
    from functools import wraps

    from ..data.variant import lesson_scope

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        with lesson_scope(lesson):
            return func(*args, **kwargs)

    return run


def answer_key(source: str | Path) -> dict[str, Any]:
    """Return the right answer to every exercise of an instructor notebook, from its ``solution`` functions.

    Raises:
        ExerciseError: an exercise has no ``@exercise(id).solution``; the message names it.

    """
    return {exercise_id: ex.expected() for exercise_id, ex in load_checks(source).items()}


def grade_answers(exercises: dict[str, Exercise], answers: dict[str, Any]) -> list[Verdict]:
    """Run every check, hidden ones included, on collected answers; points are per check."""
    verdicts = []
    for exercise_id, ex in exercises.items():
        value = answers.get(exercise_id)
        verdicts.append(ex.run(include_hidden=True, answer=_UNANSWERED if value is None else from_jsonable(value)))
    return verdicts
