"""Widget callbacks fire synchronously outside a kernel, so these run in plain pytest."""

import pytest

from mopskit.assess import check, read_answers, start_lesson
from mopskit.errors import ExerciseError
from mopskit.ui import choice, number, widget_for


def _pick_b():
    w = choice("q2", ["A", "B", "C"], title="Pick")

    @w.exercise.check(points=2, failure="Not that one.", hint="It is B.")
    def is_b(answer):
        return answer == "B"

    return w


def test_choice_saves_each_change_and_checks_on_click():
    start_lesson("ui_lesson")
    w = _pick_b()
    assert check("q2").status == "unanswered"
    w.input.value = "A"
    assert read_answers("ui_lesson") == {"q2": "A"}
    w.button.click()
    assert "Not that one." in w.feedback.value and "It is B." in w.feedback.value
    w.input.value = "B"
    assert w.feedback.value == "", "old feedback is cleared when the answer changes"
    w.button.click()
    assert "Correct! (2/2 points)" in w.feedback.value


def test_a_new_widget_restores_the_saved_answer():
    start_lesson("ui_lesson")
    _pick_b().input.value = "B"
    again = _pick_b()
    assert again.input.value == "B"
    assert "saved answer is back" in again.status.value
    assert check("q2").status == "correct"


def test_a_saved_answer_no_longer_offered_is_ignored():
    start_lesson("ui_lesson")
    _pick_b().input.value = "C"
    w = choice("q2", ["A", "B"])
    assert w.input.value is None


def test_multiple_choice_and_number():
    start_lesson("ui_lesson")
    many = choice("q3", ["x", "y", "z"], multiple=True)
    many.input.value = ("x", "z")
    assert read_answers()["q3"] == ["x", "z"]
    assert choice("q3", ["x", "y", "z"], multiple=True).input.value == ("x", "z")
    n = number("q4", max=10)
    n.input.value = 7.5
    assert read_answers()["q4"] == 7.5


def test_widget_for_unknown_exercise():
    with pytest.raises(ExerciseError, match="run the cell that shows it first"):
        widget_for("nope")
