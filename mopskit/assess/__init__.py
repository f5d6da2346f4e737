"""Exercises, checks, answers, release and grading: the assessment side of the kit.

Grading (sandboxed runs, the gradebook, feedback, per-trainee variants) is imported on first use, so that
``import mopskit`` stays light: ``from mopskit.assess import grade, Gradebook`` works as usual.
"""

from __future__ import annotations

from typing import Any

from ._answer_key import answer_key, collect_answers, grade_answers, load_checks
from ._answers import (
    ANSWER_MIME,
    LeafPath,
    answers_in_notebook,
    current_lesson,
    flatten_answer,
    from_jsonable,
    read_answers,
    save_answer,
    start_lesson,
    to_jsonable,
    unflatten_answer,
)
from ._exercise import Check, CheckResult, Exercise, Verdict, check, exercise, get_exercise
from ._release import ReleaseSummary, lessons_dir, release, release_notebook

_LAZY = {
    "Gradebook": "._gradebook",
    "GradingSummary": "._grade_batch",
    "Limits": "._sandbox",
    "MAX_NOTEBOOK_BYTES": "._collect",
    "Person": "._variants",
    "export_grades": "._feedback",
    "grade": "._grade_batch",
    "has_variants": "._variants",
    "read_roster": "._variants",
    "release_per_trainee": "._variants",
    "variant_seed": "._variants",
    "write_feedback": "._feedback",
}

__all__ = [
    "ANSWER_MIME",
    "MAX_NOTEBOOK_BYTES",
    "Check",
    "CheckResult",
    "Exercise",
    "Gradebook",
    "GradingSummary",
    "LeafPath",
    "Limits",
    "Person",
    "ReleaseSummary",
    "Verdict",
    "answer_key",
    "answers_in_notebook",
    "check",
    "collect_answers",
    "current_lesson",
    "exercise",
    "export_grades",
    "flatten_answer",
    "from_jsonable",
    "get_exercise",
    "grade",
    "grade_answers",
    "has_variants",
    "lessons_dir",
    "load_checks",
    "read_answers",
    "read_roster",
    "release",
    "release_notebook",
    "release_per_trainee",
    "save_answer",
    "start_lesson",
    "to_jsonable",
    "unflatten_answer",
    "variant_seed",
    "write_feedback",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'mopskit.assess' has no attribute '{name}'")
