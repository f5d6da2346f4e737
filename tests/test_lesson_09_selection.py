"""Lesson 09's checks name the usual mistakes, give partial credit, and assess both selection competencies."""

import pytest
from conftest import ROOT

from mopskit.assess import answer_key, load_checks
from mopskit.selection import scenario

LESSON = ROOT / "notebooks" / "09_martech_selection.ipynb"


@pytest.fixture(scope="module")
def exercises():
    return load_checks(LESSON)


@pytest.fixture(scope="module")
def key():
    return answer_key(LESSON)


def _said(exercises, exercise_id, answer):
    verdict = exercises[exercise_id].run(answer=answer)
    assert verdict.status != "correct", (exercise_id, answer)
    return str(verdict)


def _events():
    return scenario("event_platform")


def _unweighted():
    events = _events()
    offer = events.offers.get("Ferncourt Live (Pro)")
    return sum(offer.scores[r.id] for r in events.requirements.nice) / len(events.requirements.nice) * 20


@pytest.mark.parametrize(
    ("exercise_id", "wrong", "message"),
    [
        ("q2", _unweighted, "That is the plain average of the scores"),
        ("q2", lambda: 65.0, "Those are the points earned"),
        ("q4", lambda: 3.0, "That is how far the weight moves"),
        ("q5", lambda: _events().tco("Lanternhall (Standard)").components()["licence"], "That is the licence alone"),
        ("q5", lambda: _events().tco("Lanternhall (Standard)").by_year["total"].iloc[0], "That is one year"),
        ("q6", lambda: 17, "Internal hours count on both sides"),
        ("q6", lambda: 9, "The one-time fees are part of the switch"),
        ("q7", lambda: "2027-06-30", "That is the renewal itself"),
        ("q7", lambda: "2027-03-31", "90 days is not three months"),
        ("q9", lambda: "2027-05", "That month is close, but below 80% of the seats."),
    ],
)
def test_the_usual_mistakes_are_named(exercises, exercise_id, wrong, message):
    assert message in _said(exercises, exercise_id, wrong())


def test_the_hand_worked_answers(key):
    assert key["q2"] == pytest.approx(100 * 65 / 90, abs=0.01)  # 10 + 12 + 10 + 12 + 9 + 12 of 18 × 5
    assert key["q4"] == 5.0  # Lanternhall 65 + 3w = Ferncourt 55 + 5w
    assert key["q5"] == pytest.approx(78706.4)
    assert key["q7"] == "2027-04-01"  # 2027-06-30 minus 90 days
    assert key["q8"] == {"Events team": "2", "Booth staff": "3", "Marketing": "1", "Platform admins": "1"}
    assert sorted(key["q3"]) == ["Mapleroom (Solo)", "Quaywise (Team)"]


def test_rounding_down_the_sessions_earns_part_of_the_points(exercises, key):
    rounded = {**key["q8"], "Booth staff": "2", "Events team": "1"}
    verdict = exercises["q8"].run(answer=rounded)
    assert 0 < verdict.earned < exercises["q8"].run(answer=key["q8"]).earned
    assert "rounded up" in str(verdict)


def test_partial_credit_for_the_remarks_and_the_refusals(exercises, key):
    half = {k: v for i, (k, v) in enumerate(key["q1"].items()) if i % 2 == 0}
    assert 0 < exercises["q1"].run(answer=half).earned < exercises["q1"].run(answer=key["q1"]).earned
    assert 0 < exercises["q3"].run(answer=key["q3"][:1]).earned < exercises["q3"].run(answer=key["q3"]).earned


def test_every_exercise_gives_a_hint_on_a_wrong_answer(exercises, key):
    assert len(key) >= 6
    for exercise_id, ex in exercises.items():
        wrong = {} if isinstance(key[exercise_id], dict) else [] if isinstance(key[exercise_id], list) else -1
        verdict = ex.run(include_hidden=True, answer=wrong)
        assert verdict.status != "correct", exercise_id
        assert any(r.hint for r in verdict.results if not r.passed), f"{exercise_id}: no hint on a wrong answer"


def test_both_selection_competencies_are_assessed(exercises):
    declared = {c for ex in exercises.values() for c in ex.competencies}
    assert declared == {"selection.evaluate", "selection.switch"}
    assert all(ex.competencies for ex in exercises.values())
