"""Exercises, checks, answers, release and grading: the assessment side of the kit."""

from __future__ import annotations

from ._answers import (
    ANSWER_MIME,
    answers_in_notebook,
    current_lesson,
    read_answers,
    save_answer,
    start_lesson,
)
from ._exercise import Check, CheckResult, Exercise, Verdict, check, exercise, get_exercise
from ._grading import answer_key, collect_answers, grade_answers, load_checks
from ._release import ReleaseSummary, release, release_notebook

__all__ = [
    "ANSWER_MIME",
    "Check",
    "CheckResult",
    "Exercise",
    "ReleaseSummary",
    "Verdict",
    "answer_key",
    "answers_in_notebook",
    "check",
    "collect_answers",
    "current_lesson",
    "exercise",
    "get_exercise",
    "grade_answers",
    "load_checks",
    "read_answers",
    "release",
    "release_notebook",
    "save_answer",
    "start_lesson",
]
