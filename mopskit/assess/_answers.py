"""Where answers live: a file per lesson that survives kernel restarts, and notebook outputs that travel.

Widget answers are written to ``.mopskit/<lesson>.answers.json`` beside the notebook on every change, so a
restarted kernel finds them; they are also displayed as an ``application/vnd.mopskit.answer+json`` output of
the widget's cell, so they are saved inside the ``.ipynb`` and reach the grader with the notebook.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._answer_files import answers_file, read_answers_file, write_answers_file
from .._session import SESSION, current_lesson
from ..errors import AnswerRefused, ExerciseError
from ..i18n import _, set_language

ANSWER_MIME = "application/vnd.mopskit.answer+json"


def start_lesson(lesson_id: str, *, lang: str | None = None) -> str:
    """Name the lesson this notebook is, so saved answers are kept apart from other lessons'.

    Args:
        lesson_id: the lesson's name, its file name without ``.ipynb``.
        lang: the language the lesson is written in (a lesson rendered in a language passes it): the kit's
            messages, verdicts and charts follow it. Default: ``MOPSKIT_LANG``, else English.

    >>> start_lesson("00_start_here")
    '00_start_here'

    """
    if not lesson_id or any(c in lesson_id for c in "/\\:"):
        raise ExerciseError(f"'lesson_id' must be a plain name like '00_start_here' (got {lesson_id!r})")
    SESSION.lesson = lesson_id
    if lang:
        set_language(lang)
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


# An answer is a value, or nested dicts of values: each value sits at a path of keys (a "leaf"), the way an
# exercise widget's inputs sit in it: () for a one-input widget, (item,) for a matching, (row, column) for a grid.
LeafPath = tuple[str, ...]


def flatten_answer(answer: Any) -> dict[LeafPath, Any]:
    """Split an answer into the values of its leaves, keyed by path (nested dicts give one leaf per value).

    >>> flatten_answer(7)
    {(): 7}
    >>> flatten_answer({"Email": {"R": "Ana"}, "Ads": "Joon"})
    {('Email', 'R'): 'Ana', ('Ads',): 'Joon'}
    """
    if isinstance(answer, Mapping):
        return {(str(key), *path): value for key, sub in answer.items() for path, value in flatten_answer(sub).items()}
    return {(): answer}


def unflatten_answer(leaves: Mapping[LeafPath, Any]) -> Any:
    """Put leaf values back together into an answer: the inverse of :func:`flatten_answer`.

    >>> unflatten_answer({("Email", "R"): "Ana", ("Ads",): "Joon"})
    {'Email': {'R': 'Ana'}, 'Ads': 'Joon'}
    """
    if () in leaves:
        return leaves[()]
    tree: dict[str, Any] = {}
    for path, value in leaves.items():
        node = tree
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return tree


MAX_ANSWER_BYTES = 2 * 1024 * 1024  # one answer, as JSON: a table of a few thousand rows fits
MAX_ANSWER_DEPTH = 64  # lists in dicts in lists...: real answers go three or four levels deep


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{size / 1024:.0f} kB"


def to_jsonable(value: Any, *, max_bytes: int | None = None, max_depth: int | None = None) -> Any:
    """Turn an answer into JSON-safe data (numbers, text, lists, dicts; tables as lists of records).

    NaN inside a table or list is a missing value (``None``).

    Args:
        value: the answer.
        max_bytes: refuse an answer larger than this (counted as it is converted, so a huge one stops early).
        max_depth: refuse an answer nested deeper than this (a list inside itself included).

    Raises:
        AnswerRefused: over a limit given; the message says which.

    >>> import numpy as np
    >>> to_jsonable({"n": np.int64(3), "xs": (1.5, None), "a": np.array([1, 2])})
    {'n': 3, 'xs': [1.5, None], 'a': [1, 2]}
    >>> to_jsonable([[[1]]], max_depth=2)
    Traceback (most recent call last):
    mopskit.errors.AnswerRefused: the answer is nested more than 2 levels deep

    """
    budget = [max_bytes if max_bytes is not None else -1]
    return _convert(value, 0, max_depth, budget)


def _spend(budget: list[int], size: int) -> None:
    if budget[0] < 0:
        return
    budget[0] -= size
    if budget[0] < 0:
        raise AnswerRefused(_("the answer is too large to grade"))


def _convert(value: Any, depth: int, max_depth: int | None, budget: list[int]) -> Any:
    if max_depth is not None and depth > max_depth:
        raise AnswerRefused(_("the answer is nested more than {n} levels deep").format(n=max_depth))
    deeper = depth + 1
    if value is None or isinstance(value, bool):
        _spend(budget, 5)
        return value
    if isinstance(value, str):
        _spend(budget, len(value) + 2)
        return value
    if isinstance(value, int):
        _spend(budget, 8)
        return int(value)
    if isinstance(value, float):
        _spend(budget, 8)
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {
            _convert(str(k), deeper, max_depth, budget): _convert(v, deeper, max_depth, budget)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_convert(v, deeper, max_depth, budget) for v in value]
    if hasattr(value, "to_dict") and hasattr(value, "columns"):  # a DataFrame
        _spend(budget, 4 * int(getattr(value, "size", 0)))  # a lower bound: refuse a huge table before copying it
        rows = value.to_dict(orient="records")
        return {"__table__": [_convert(r, deeper + 1, max_depth, budget) for r in rows]}
    if hasattr(value, "to_dict"):  # a Series
        return _convert(value.to_dict(), depth, max_depth, budget)
    if hasattr(value, "tolist") and getattr(value, "ndim", None):  # a numpy array (not a 0-d one)
        _spend(budget, 4 * int(getattr(value, "size", 0)))
        return _convert(value.tolist(), depth, max_depth, budget)
    if hasattr(value, "item"):  # numpy scalar
        return _convert(value.item(), depth, max_depth, budget)
    if hasattr(value, "isoformat"):
        return _convert(value.isoformat(), depth, max_depth, budget)
    return _convert(str(value), depth, max_depth, budget)


def answer_json(value: Any, *, max_bytes: int = MAX_ANSWER_BYTES, max_depth: int = MAX_ANSWER_DEPTH) -> str:
    """One answer as JSON text for the grader, or the reason it cannot be graded.

    Raises:
        AnswerRefused: too large, too deep, NaN or infinite, or not convertible to data.

    >>> answer_json({"rate": 12.5})
    '{"rate": 12.5}'
    >>> answer_json(float("nan"))
    Traceback (most recent call last):
    mopskit.errors.AnswerRefused: the answer is NaN (not a number)

    """
    if (isinstance(value, float) and math.isnan(value)) or (hasattr(value, "item") and _is_nan(value)):
        raise AnswerRefused(_("the answer is NaN (not a number)"))
    try:
        data = to_jsonable(value, max_bytes=max_bytes, max_depth=max_depth)
    except AnswerRefused:
        raise
    except RecursionError:
        raise AnswerRefused(_("the answer is nested too deep")) from None
    except Exception as exc:  # an object whose conversion fails (str() raising, a broken table)
        raise AnswerRefused(
            _("the answer could not be turned into data ({kind})").format(kind=type(exc).__name__)
        ) from None
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise AnswerRefused(_("the answer holds an infinite number")) from None
    if len(text.encode("utf-8")) > max_bytes:
        raise AnswerRefused(
            _("the answer is too large to grade ({size}, over the {limit} limit)").format(
                size=_mib(len(text.encode("utf-8"))), limit=_mib(max_bytes)
            )
        )
    return text


def _is_nan(value: Any) -> bool:
    try:
        return bool(getattr(value, "ndim", 1) == 0 and math.isnan(value.item()))
    except (TypeError, ValueError):
        return False


def parse_answer(text: str, *, max_bytes: int = MAX_ANSWER_BYTES, max_depth: int = MAX_ANSWER_DEPTH) -> Any:
    """Read one answer's JSON text from an untrusted source, refusing what :func:`answer_json` would refuse.

    Raises:
        AnswerRefused: not JSON, too large, too deep, NaN or infinite.

    >>> parse_answer('[1, {"a": 2}]')
    [1, {'a': 2}]
    >>> parse_answer("[" * 100 + "]" * 100)
    Traceback (most recent call last):
    mopskit.errors.AnswerRefused: the answer is nested more than 64 levels deep

    """
    if not isinstance(text, str):
        raise AnswerRefused(_("the answer is not readable data"))
    if len(text) > max_bytes:
        raise AnswerRefused(_("the answer is too large to grade"))
    if _depth_of(text) > max_depth:  # before parsing: the parser itself recurses
        raise AnswerRefused(_("the answer is nested more than {n} levels deep").format(n=max_depth))

    def refuse(word: str) -> None:
        raise AnswerRefused(
            _("the answer is NaN (not a number)") if word == "NaN" else _("the answer holds an infinite number")
        )

    try:
        value = json.loads(text, parse_constant=refuse)
    except AnswerRefused:
        raise
    except (ValueError, RecursionError):
        raise AnswerRefused(_("the answer is not readable data")) from None
    return check_answer(value, max_bytes=max_bytes, max_depth=max_depth)


def _depth_of(text: str) -> int:
    """How deep the brackets of a JSON text nest (strings skipped), without parsing it."""
    depth = deepest = 0
    inside = escaped = False
    for char in text:
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check_answer(value: Any, *, max_bytes: int = MAX_ANSWER_BYTES, max_depth: int = MAX_ANSWER_DEPTH) -> Any:
    """Return an answer already read as JSON data (a widget's, saved in a notebook) if it can be graded.

    Raises:
        AnswerRefused: too large, too deep, NaN or infinite.

    >>> check_answer({"a": [1, 2.5]})
    {'a': [1, 2.5]}

    """
    if isinstance(value, float) and math.isnan(value):
        raise AnswerRefused(_("the answer is NaN (not a number)"))
    stack, size = [(value, 0)], 0
    while stack:  # no recursion: the value may be as deep as an attacker likes
        item, depth = stack.pop()
        if depth > max_depth:
            raise AnswerRefused(_("the answer is nested more than {n} levels deep").format(n=max_depth))
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
            size += sum(len(str(k)) + 4 for k in item)
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
        elif isinstance(item, float) and not math.isfinite(item):
            if math.isnan(item):
                continue  # a missing value inside a table or list
            raise AnswerRefused(_("the answer holds an infinite number"))
        else:
            size += len(item) + 2 if isinstance(item, str) else 8
        if size > max_bytes:
            raise AnswerRefused(_("the answer is too large to grade"))
    return value


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
