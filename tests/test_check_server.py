"""Check servers: the checks of a grader that grades in threads run in a single-threaded process of their own."""

from __future__ import annotations

import threading

import pytest
from grading_helpers import make_source

from mopskit._resources import datasets_dir
from mopskit.assess._check_server import CheckServer, run_checks_warm
from mopskit.errors import GradingError

pytestmark = pytest.mark.slow

ANSWERS = [{"q1": 22, "q2": "marketing operations"}, {"q1": 5, "q2": "ops"}, {"q1": None, "q2": None}]


def _rows(rows):
    return [(r.exercise, r.check, r.earned, r.passed, r.answered, r.message) for r in rows]


def test_servers_in_threads_give_the_rows_the_grader_gives_itself(tmp_path):
    source = str(make_source(tmp_path / "instructor"))
    here = [_rows(run_checks_warm(source, datasets_dir(), a, refused={}, timeout=10)) for a in ANSWERS]
    assert [sum(r[2] for r in rows) for rows in here] == [4, 1, 0]  # the probe lesson's checks ran for real
    found: dict[int, list] = {}

    def grade(number: int) -> None:
        server = CheckServer()
        try:
            for _ in range(2):
                rows = server.run(source, datasets_dir(), ANSWERS[number], refused={"q9": "x"}, timeout=10)
                found.setdefault(number, []).append(_rows(rows))
        finally:
            server.close()

    threads = [threading.Thread(target=grade, args=(n,)) for n in range(len(ANSWERS))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert found == {n: [here[n], here[n]] for n in range(len(ANSWERS))}


def test_a_refused_answer_and_a_missing_lesson_travel_through_the_server(tmp_path):
    source = str(make_source(tmp_path / "instructor"))
    server = CheckServer()
    try:
        rows = server.run(
            source, datasets_dir(), {"q1": None, "q2": "x"}, refused={"q1": "the answer is NaN"}, timeout=5
        )
        assert {r.message for r in rows if r.exercise == "q1"} == {
            "Your answer could not be graded: the answer is NaN."
        }
        with pytest.raises(GradingError, match="the checks could not run: FileNotFoundError"):
            server.run(str(tmp_path / "gone.ipynb"), datasets_dir(), {}, refused={}, timeout=5)
        assert server.run(source, datasets_dir(), {}, refused={}, timeout=5), "the server goes on after a failure"
    finally:
        server.close()


def test_a_server_that_died_is_reported_not_waited_for(tmp_path):
    source = str(make_source(tmp_path / "instructor"))
    server = CheckServer()
    server._process.kill()
    server._process.wait()
    with pytest.raises(GradingError, match="the check server stopped"):
        server.run(source, datasets_dir(), {}, refused={}, timeout=5)
    server.close()
