"""Lesson 05's checks name the usual mistakes (total vs unique, sent vs delivered, percent vs fraction)."""

import pytest
from conftest import ROOT

from mopskit.assess import answer_key, load_checks
from mopskit.data import load
from mopskit.metrics import channel_economics, email_metrics, rate

LESSON = ROOT / "notebooks" / "05_metrics.ipynb"


@pytest.fixture(scope="module")
def exercises():
    return load_checks(LESSON)


@pytest.fixture(scope="module")
def row():
    return email_metrics(load("email_events"), by="campaign_id").set_index("campaign_id").loc["CMP-0053"]


def _said(exercises, exercise_id, answer):
    verdict = exercises[exercise_id].run(answer=answer)
    assert verdict.status != "correct"
    return str(verdict)


@pytest.mark.parametrize(
    ("exercise_id", "wrong", "message"),
    [
        ("q1", lambda r: rate(r["unique_opens"], r["sent"]), "divide by delivered"),
        ("q1", lambda r: rate(r["total_opens"], r["delivered"]), "count each recipient once"),
        ("q1", lambda r: r["open_rate"] / 100, "That is a fraction"),
        ("q2", lambda r: rate(r["total_clicks"], r["delivered"]), "counted every click"),
        ("q2", lambda r: rate(r["unique_clicks"], r["unique_opens"]), "That is the click-to-open rate"),
        ("q2", lambda r: rate(r["unique_clicks"], r["sent"]), "You divided by sent"),
        ("q1", lambda r: "about 25", "Give a number"),
    ],
)
def test_email_exercises_name_the_mistake(exercises, row, exercise_id, wrong, message):
    assert message in _said(exercises, exercise_id, wrong(row))


def test_cac_exercise_tells_cac_from_cost_per_lead(exercises):
    cpl = (
        channel_economics(load("campaigns"), load("contacts")).set_index("channel").loc["paid_search", "cost_per_lead"]
    )
    assert "That is the cost per lead" in _said(exercises, "q5", cpl)


def test_every_exercise_has_a_widget_kind_answer_and_a_hint_on_failure(exercises):
    key = answer_key(LESSON)
    assert len(key) >= 6
    for exercise_id, ex in exercises.items():
        wrong = {} if isinstance(key[exercise_id], dict) else -1
        verdict = ex.run(include_hidden=True, answer=wrong)
        assert verdict.status != "correct", exercise_id
        assert any(r.hint for r in verdict.results if not r.passed), f"{exercise_id}: no hint on a wrong answer"


def test_partial_credit_for_the_matching_and_the_ticks(exercises):
    key = answer_key(LESSON)
    half = dict(list(key["q3"].items())[:2])
    assert 0 < exercises["q3"].run(answer=half).earned < exercises["q3"].run(answer=key["q3"]).earned
    assert 0 < exercises["q11"].run(answer=key["q11"][:1]).earned < exercises["q11"].run(answer=key["q11"]).earned
