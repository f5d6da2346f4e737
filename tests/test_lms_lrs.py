"""Sending statements to a real LRS (Ralph, started here): each arrives once, re-sends store nothing, retries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lms_helpers import make_gradebook
from lrs_helpers import flaky, start_ralph

from mopskit.assess import Gradebook
from mopskit.assess._gradebook import CheckRow, GradedSubmission
from mopskit.cli import main
from mopskit.errors import LrsError
from mopskit.lms import send_grades, send_statements, statements

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    server = start_ralph(tmp_path_factory.mktemp("ralph"))
    yield server
    server.stop()


@pytest.fixture
def gradebook(tmp_path):
    return make_gradebook(tmp_path / "gb.sqlite")


def _ids(ralph):
    return [s["id"] for s in ralph.statements()]


def test_every_statement_arrives_once_and_a_re_send_stores_nothing(ralph, gradebook, capsys):
    before = set(_ids(ralph))
    code = main(
        [
            "grades",
            "send",
            "--lrs",
            ralph.endpoint,
            "--auth",
            ralph.auth,
            "--db",
            str(gradebook),
            "--as-of",
            "2026-03-20",
            "--batch",
            "7",
            "-q",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "16 statement(s) stored, 0 already there, in 3 request(s)" in out
    held = [i for i in _ids(ralph) if i not in before]
    assert len(held) == len(set(held)) == 16, "15 for the grades, 1 for Ana's mastery, each once"
    stored = {s["id"]: s for s in ralph.statements()}
    sent = {s["id"]: s for s in statements(gradebook)}
    for statement_id, statement in sent.items():
        assert stored[statement_id]["verb"] == statement["verb"]
        assert stored[statement_id]["result"] == statement["result"]
    again = send_grades(lrs=ralph.endpoint, auth=ralph.auth, db=gradebook, as_of="2026-03-20")
    assert (len(again.stored), again.held) == (0, 16)
    assert sorted(_ids(ralph)) == sorted([*before, *held]), "nothing stored twice"


def test_new_grades_add_only_their_own_statements(ralph, gradebook):
    send_grades(lrs=ralph.endpoint, auth=ralph.auth, db=gradebook, mastery=False)
    count = len(_ids(ralph))
    with Gradebook(gradebook) as book:
        rows = [CheckRow("q4", "check", 3.0, 3.0, True, False), CheckRow("q5", "check", 3.0, 3.0, True, False)]
        book.record(
            GradedSubmission(
                "cy", "10_final_assessment", "cy-10", "x", datetime(2026, 3, 17, tzinfo=UTC), "graded", rows
            )
        )
    done = send_grades(lrs=ralph.endpoint, auth=ralph.auth, db=gradebook, mastery=False)
    assert (len(done.stored), done.held) == (3, 15)
    assert len(_ids(ralph)) == count + 3


def test_a_passing_failure_is_tried_again(ralph, gradebook):
    made = statements(gradebook)
    with flaky(ralph.endpoint, failures=2) as proxy:
        done = send_statements(made, lrs=proxy.endpoint, auth=ralph.auth, backoff=0.01)
    assert done.retries == 2 and proxy.posts == 3
    assert len(done.stored) + done.held == len(made)
    with flaky(ralph.endpoint, failures=10) as proxy, pytest.raises(LrsError, match=r"answered 503.*after 2 retries"):
        send_statements(made, lrs=proxy.endpoint, auth=ralph.auth, retries=2, backoff=0.01)


def test_refusals_are_clear_errors(ralph, gradebook):
    made = statements(gradebook)
    with pytest.raises(LrsError, match="refused the credentials \\(401\\)"):
        send_statements(made, lrs=ralph.endpoint, auth="grader:wrong")
    with pytest.raises(LrsError, match=r"could not be reached .* after 1 retries"):
        send_statements(made, lrs="http://127.0.0.1:9/xAPI/", retries=1, backoff=0.01)
    with pytest.raises(LrsError, match="not an LRS address"):
        send_statements(made, lrs="lrs.example.org")
    bad = [{k: v for k, v in made[0].items() if k != "actor"} | {"id": "6e5c2f1a-0000-4000-8000-000000000001"}]
    with pytest.raises(LrsError, match="answered 422: statement 1, actor: Field required"):
        send_statements(bad, lrs=ralph.endpoint, auth=ralph.auth)


def test_a_stored_id_with_other_content_is_named_never_overwritten(ralph, gradebook):
    made = statements(gradebook)
    send_statements(made, lrs=ralph.endpoint, auth=ralph.auth)
    changed = {**made[1], "result": {"score": {"raw": 0, "min": 0, "max": 4, "scaled": 0}}}
    fresh = {**made[2], "id": "6e5c2f1a-0000-4000-8000-00000000abcd"}
    with pytest.raises(
        LrsError, match=f"holds 1 statement id\\(s\\) with other content, left as they are: {made[1]['id']}"
    ):
        send_statements([made[0], changed, fresh], lrs=ralph.endpoint, auth=ralph.auth)
    stored = {s["id"]: s for s in ralph.statements()}
    assert stored[made[1]["id"]]["result"] == made[1]["result"]
    assert fresh["id"] in stored, "the others in the batch still arrive"


def test_ralph_as_shipped_stores_one_batch_then_refuses_more(tmp_path, gradebook):
    """Why the fixture starts Ralph's file backend in append mode: as shipped it writes its file only once."""
    shipped = start_ralph(tmp_path / "shipped", append=False)
    try:
        made = statements(gradebook)
        first = send_statements(made[:3], lrs=shipped.endpoint, auth=shipped.auth)
        again = send_statements(made[:3], lrs=shipped.endpoint, auth=shipped.auth)
        assert (len(first.stored), again.held) == (3, 3)
        with pytest.raises(LrsError, match="indexation failed"):
            send_statements(made[3:6], lrs=shipped.endpoint, auth=shipped.auth, retries=1, backoff=0.01)
    finally:
        shipped.stop()
