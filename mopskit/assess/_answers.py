"""Where answers live: a file per lesson that survives kernel restarts, and notebook outputs that travel.

Widget answers are written to ``.mopskit/<lesson>.answers.json`` beside the notebook on every change, so a
restarted kernel finds them; they are also displayed as an ``application/vnd.mopskit.answer+json`` output of
the widget's cell, so they are saved inside the ``.ipynb`` and reach the grader with the notebook.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from .._answer_files import answers_file, read_answers_file, write_answers_file
from .._session import SESSION, current_lesson
from ..errors import ExerciseError

ANSWER_MIME = "application/vnd.mopskit.answer+json"


def start_lesson(lesson_id: str) -> str:
    """Name the lesson this notebook is, so saved answers are kept apart from other lessons'.

    >>> start_lesson("00_start_here")
    '00_start_here'
    """
    if not lesson_id or any(c in lesson_id for c in "/\\:"):
        raise ExerciseError(f"'lesson_id' must be a plain name like '00_start_here' (got {lesson_id!r})")
    SESSION.lesson = lesson_id
    return lesson_id


def answers_path(lesson: str | None = None) -> Path:
    """The answer file of one lesson (the current one by default); the layout is :mod:`mopskit._answer_files`'."""
    return answers_file(lesson or current_lesson())


def read_answers(lesson: str | None = None) -> dict[str, Any]:
    """Return the saved answers of a lesson (an unreadable file counts as none, and is left in place)."""
    return read_answers_file(answers_path(lesson))


def save_answer(exercise_id: str, value: Any, lesson: str | None = None) -> None:
    """Save one answer, replacing the file atomically so a crash never leaves half a file."""
    data = read_answers(lesson)
    data[exercise_id] = to_jsonable(value)
    write_answers_file(answers_path(lesson), data)


def to_jsonable(value: Any) -> Any:
    """Turn an answer into JSON-safe data (numbers, text, lists, dicts; tables as lists of records).

    >>> import numpy as np
    >>> to_jsonable({"n": np.int64(3), "xs": (1.5, None)})
    {'n': 3, 'xs': [1.5, None]}
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "to_dict") and hasattr(value, "columns"):  # a DataFrame
        return {"__table__": [to_jsonable(r) for r in value.to_dict(orient="records")]}
    if hasattr(value, "to_dict"):  # a Series
        return to_jsonable(value.to_dict())
    if hasattr(value, "item"):  # numpy scalar
        return to_jsonable(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def from_jsonable(value: Any) -> Any:
    """Undo :func:`to_jsonable` where it wrapped a table."""
    if isinstance(value, dict) and set(value) == {"__table__"}:
        import pandas as pd

        return pd.DataFrame(value["__table__"])
    return value


def answers_in_notebook(nb: Any) -> dict[str, Any]:
    """Read the answers a notebook carries in its outputs (the last one per exercise wins; empty ones are left out).

    Args:
        nb: a notebook as read by ``nbformat.read``, or a path to one.

    """
    if isinstance(nb, str | os.PathLike):
        import nbformat

        nb = nbformat.read(str(nb), as_version=4)
    found: dict[str, Any] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            bundle = output.get("data", {}).get(ANSWER_MIME)
            if isinstance(bundle, dict) and "exercise" in bundle:
                found[str(bundle["exercise"])] = bundle.get("answer")
    return {exercise_id: answer for exercise_id, answer in found.items() if answer is not None}
