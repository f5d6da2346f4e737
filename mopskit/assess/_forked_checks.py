"""Running checks in the grader, each with its own time limit, on the answers a submission's kernel reported.

Checks come from the instructor's source notebook and run in the grader's process family, never in a
trainee's kernel. They run in a forked child process that sends back one result per check: a check that hangs
(even inside C code) or crashes its process costs only that check. The child is then replaced by a new one
for the checks still to run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from ..i18n import _
from ._answers import from_jsonable
from ._exercise import Exercise, _unset
from ._gradebook import CheckRow

__all__ = ["run_checks"]


def _row(ex: Exercise, name: str, answer: Any) -> CheckRow:
    check = ex.checks[name]
    review = getattr(ex, "review", False)
    if _unset(answer):
        return CheckRow(
            ex.id, name, check.points, 0.0, False, check.hidden, False, False, _("Not answered."), check.hint
        )
    result = check.run(from_jsonable(answer))
    return CheckRow(
        ex.id,
        name,
        result.points,
        result.earned,
        result.passed,
        result.hidden,
        True,
        review,
        result.message,
        result.hint,
    )


def _child(exercises: dict[str, Exercise], answers: dict[str, Any], jobs: list[tuple[str, str]], fd: int) -> None:
    """In the forked child: send one (job, row) per check, then leave at once (no cleanup of the parent's state)."""
    try:
        conn = Connection(fd, readable=False)
        for exercise_id, name in jobs:
            conn.send(((exercise_id, name), _row(exercises[exercise_id], name, answers.get(exercise_id))))
        conn.close()
    finally:
        os._exit(0)


def _failed(ex: Exercise, name: str, message: str) -> CheckRow:
    check = ex.checks[name]
    return CheckRow(ex.id, name, check.points, 0.0, False, check.hidden, True, False, message, check.hint)


def run_checks(
    exercises: dict[str, Exercise],
    answers: dict[str, Any],
    *,
    timeout: float = 10.0,
    refused: Mapping[str, str] | None = None,
) -> list[CheckRow]:
    """Run every check of every exercise, hidden ones included, on JSON answers; one row per check.

    Args:
        exercises: the source notebook's exercises (from :func:`mopskit.assess.load_checks`).
        answers: answers by exercise id, as JSON-safe data (``None`` or missing: not answered).
        timeout: seconds each check may take; one that takes longer fails with a note and the rest go on.
        refused: exercises whose answer could not be graded (too large, NaN, ...), with the reason: each of
            their checks earns nothing and says why; no check runs on them.

    """
    refused = refused or {}
    jobs = [(exercise_id, name) for exercise_id, ex in exercises.items() for name in ex.checks]
    done: dict[tuple[str, str], CheckRow] = {}
    for exercise_id, name in jobs:
        if exercise_id in refused:
            reason = _("Your answer could not be graded: {reason}.").format(reason=refused[exercise_id])
            done[exercise_id, name] = _failed(exercises[exercise_id], name, reason)
    pending = [job for job in jobs if job not in done]
    while pending:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child)
            os.close(read_fd)
            _child(exercises, answers, pending, write_fd)
        os.close(write_fd)
        receive = Connection(read_fd, writable=False)
        try:
            for job in list(pending):
                ex, name = exercises[job[0]], job[1]
                if not receive.poll(timeout):
                    stopped = _("This check took longer than {s:g} s and was stopped.").format(s=timeout)
                    done[job] = _failed(ex, name, stopped)
                    pending.remove(job)
                    break
                try:
                    key, row = receive.recv()
                except (EOFError, OSError):
                    done[job] = _failed(ex, name, _("This check stopped unexpectedly while grading your answer."))
                    pending.remove(job)
                    break
                done[key] = row
                pending.remove(key)
        finally:
            receive.close()
            _reap(pid)
    return [done[job] for job in jobs]


def _reap(pid: int) -> None:
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
