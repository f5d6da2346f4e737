"""The gradebook round-trips what grading recorded, in transactions, on any SQLAlchemy URL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mopskit.assess._gradebook import CheckRow, Gradebook, GradedSubmission
from mopskit.errors import GradingError


def _graded(trainee="ana", digest="h1", earned=(1.0, 0.0), when=1):
    checks = [
        CheckRow("q1", "right", 1.0, earned[0], earned[0] == 1.0, False, hint="h"),
        CheckRow("q2", "hidden one", 2.0, earned[1], earned[1] == 2.0, True, message="<b>no</b>"),
    ]
    return GradedSubmission(
        trainee,
        "07_final",
        digest,
        f"/subs/{trainee}.ipynb",
        datetime(2026, 1, when, tzinfo=UTC),
        "graded",
        checks,
        notes=["cell 3 ran past its limit"],
        answers={"q1": "Ω text"},
    )


def test_round_trip_and_replacing_the_same_content(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as book:
        first = book.record(_graded())
        again = book.record(_graded(earned=(1.0, 2.0)))
        assert first == again, "the same content graded again replaces its results"
        assert book.counts() == {
            "trainees": 1,
            "assignments": 1,
            "submissions": 1,
            "check_results": 2,
            "adjustments": 0,
            "enrolments": 0,
            "releases": 0,
        }
        [sub] = book.latest()
        assert sub.earned == 3 and sub.possible == 3 and "Ω text" in sub.answers
        assert [r.message for r in sub.results] == ["", "<b>no</b>"]
        assert book.is_graded(trainee="ana", assignment="07_final", content_hash="h1")
        assert not book.is_graded(trainee="ana", assignment="07_final", content_hash="h2")


def test_latest_submission_counts_and_adjustments_add_up(tmp_path):
    with Gradebook(f"sqlite:///{tmp_path / 'gb.sqlite'}") as book:
        book.record(_graded(digest="old", earned=(0.0, 0.0), when=1))
        book.record(_graded(digest="new", earned=(1.0, 0.0), when=2))
        book.add_trainee("ana", name="Ana Pop", email="ana@example.org")
        book.adjust(trainee="ana", assignment="07_final", delta=5, reason="bonus", author="lead")
        [row] = book.scores().to_dict("records")
    assert row["earned"] == 1 and row["adjustment"] == 5 and row["total"] == 3, "capped at the possible points"
    assert row["name"] == "Ana Pop" and row["status"] == "graded"


def test_a_failed_transaction_leaves_nothing_half_written(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as book:
        broken = _graded()
        broken.checks.append(CheckRow("q3", None, 1.0, 0.0, False, False))  # check name may not be NULL
        with pytest.raises(Exception, match="NOT NULL"):
            book.record(broken)
        assert book.counts()["submissions"] == 0 and book.counts()["check_results"] == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg://grader@localhost/mops", "whose driver is installed"),
        ("nosuchdb://x", "cannot open the gradebook"),
    ],
)
def test_unusable_databases_get_a_clear_error(url, message):
    with pytest.raises(GradingError, match=message):
        Gradebook(url)


def test_a_review_adjustment_clears_needs_review(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as book:
        graded = _graded()
        graded.status = "needs_review"
        book.record(graded)
        book.adjust(trainee="ana", assignment="07_final", delta=0, reason="read the plan", author="Ana")
        assert book.scores()["status"].tolist() == ["needs_review"]
        book.adjust(trainee="ana", assignment="07_final", delta=1, reason="good plan", author="Ana", reviewed=True)
        [row] = book.scores().to_dict("records")
    assert row["status"] == "reviewed" and row["adjustment"] == 1


def test_enrolments_and_released_attempts_are_recorded_once(tmp_path):
    from datetime import date

    with Gradebook(tmp_path / "gb.sqlite") as book:
        book.enrol("ana", role="crm_admin", start=date(2026, 3, 2), name="Ana", email="ana@x.org")
        book.enrol("ana", role="data_analyst", start=date(2026, 3, 9))  # again: the latest role and day win
        assert book.enrolments()[["trainee", "name", "email", "role", "start"]].values.tolist() == [
            ["ana", "Ana", "ana@x.org", "data_analyst", date(2026, 3, 9)]
        ]
        assert book.trainees().values.tolist() == [["ana", "Ana", "ana@x.org"]]
        assert book.latest_release("ana", "04_smart_goals") is None
        book.record_release("ana", "04_smart_goals", attempt=1, seed=11)
        book.record_release("ana", "04_smart_goals", attempt=1, seed=11)  # idempotent
        book.record_release("ana", "04_smart_goals", attempt=2, seed=22)
        assert book.latest_release("ana", "04_smart_goals") == (2, 22)
        assert len(book.releases()) == 2
        with pytest.raises(GradingError, match="attempt 1 of 04_smart_goals for ana was released with seed 11"):
            book.record_release("ana", "04_smart_goals", attempt=1, seed=99)
