"""Checks run in the grader with a time limit each: a hanging or crashing check costs only itself."""

from __future__ import annotations

import time

from mopskit.assess import exercise
from mopskit.assess._forked_checks import run_checks


def _exercises():
    ex = exercise("q1", title="Sum")

    @ex.check(points=1)
    def is_six(answer):
        return answer == 6

    @ex.check(points=2, hidden=True, hint="Wait less.")
    def hangs(answer):
        time.sleep(60)

    @ex.check(points=1)
    def crashes_its_process(answer):
        import os

        os._exit(3)

    @ex.check(points=1)
    def partial(answer):
        return 0.5

    other = exercise("q2", review=True)

    @other.check(points=3, hint="Say more.")
    def long_enough(answer):
        return len(answer) > 3

    return {"q1": ex, "q2": other}


def test_hanging_and_crashing_checks_fail_alone_and_the_rest_run():
    started = time.monotonic()
    rows = run_checks(_exercises(), {"q1": 6, "q2": "a thoughtful plan"}, timeout=1.5)
    assert time.monotonic() - started < 20
    by = {r.check: r for r in rows}
    assert [r.check for r in rows] == ["is six", "hangs", "crashes its process", "partial", "long enough"]
    assert by["is six"].earned == 1 and by["is six"].passed
    assert not by["hangs"].passed and "took longer than 1.5 s" in by["hangs"].message and by["hangs"].hidden
    assert by["hangs"].hint == "Wait less."
    assert not by["crashes its process"].passed and "stopped unexpectedly" in by["crashes its process"].message
    assert by["partial"].earned == 0.5 and not by["partial"].passed
    assert by["long enough"].needs_review and by["long enough"].earned == 3


def test_unanswered_exercises_get_a_row_per_check_with_no_points():
    rows = run_checks(_exercises(), {"q1": None}, timeout=1)
    assert all(not r.answered and r.earned == 0 and r.message == "Not answered." for r in rows)
    assert sum(r.points for r in rows) == 8


def test_tables_come_back_as_dataframes():
    ex = exercise("t")

    @ex.check()
    def is_a_table(answer):
        return list(answer.columns) == ["a"] and answer["a"].sum() == 3

    [row] = run_checks({"t": ex}, {"t": {"__table__": [{"a": 1}, {"a": 2}]}}, timeout=5)
    assert row.passed


def test_a_refused_answer_costs_its_exercise_only_and_says_why():
    ex = exercise("q1", title="Sum")

    @ex.check(points=2, hint="Add them up.")
    def anything_passes(answer):
        return True

    other = exercise("q2")

    @other.check(points=1)
    def says_yes(answer):
        return answer == "yes"

    rows = run_checks({"q1": ex, "q2": other}, {"q1": 6, "q2": "yes"}, refused={"q1": "the answer is NaN"})
    q1, q2 = rows
    assert (q1.earned, q1.passed, q1.answered) == (0.0, False, True)
    assert q1.message == "Your answer could not be graded: the answer is NaN." and q1.hint == "Add them up."
    assert q2.earned == 1 and q2.passed  # (a check that passes anything did not run on the refused answer)
