"""Widget callbacks fire synchronously outside a kernel, so these run in plain pytest."""

import pytest

from mopskit.assess import check, flatten_answer, read_answers, start_lesson
from mopskit.errors import ExerciseError
from mopskit.ui import choice, exercise_class, grid, leaf_class, match, number, text, widget_for


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
    n.fill(7.5)
    assert read_answers()["q4"] == 7.5


def test_widget_for_unknown_exercise():
    with pytest.raises(ExerciseError, match="run the cell that shows it first"):
        widget_for("nope")


def test_match_answers_by_item_saves_restores_and_gives_partial_credit():
    start_lesson("ui_lesson")
    items, roles = ["Send the newsletter", "Fix the CRM sync"], ["Email ops", "CRM admin"]
    right = {"Send the newsletter": "Email ops", "Fix the CRM sync": "CRM admin"}
    w = match("q5", items, roles)

    @w.exercise.check(points=2, hint="One row per task.")
    def rows_right(answer):
        return sum(answer.get(k) == v for k, v in right.items()) / len(right)

    assert w.value is None and check("q5").status == "unanswered"
    w.leaves[("Send the newsletter",)].value = "Email ops"
    assert read_answers()["q5"] == {"Send the newsletter": "Email ops", "Fix the CRM sync": None}
    half = check("q5")
    assert (half.status, half.earned) == ("partial", 1.0)
    assert "partly right: 50%" in str(half)
    again = match("q5", items, roles)
    assert again.value == {"Send the newsletter": "Email ops", "Fix the CRM sync": None}
    again.fill(right)
    assert check("q5").status == "correct"


def test_grid_answer_is_rows_of_columns_and_restores():
    start_lesson("ui_lesson")
    w = grid("q6", ["Plan", "Send"], ["Ana", "Joon"], ["R", "A", "C", "I"])
    answer = {"Plan": {"Ana": "A", "Joon": "R"}, "Send": {"Ana": "R", "Joon": None}}
    w.fill(answer)
    assert w.value == answer
    assert read_answers()["q6"] == answer
    assert grid("q6", ["Plan", "Send"], ["Ana", "Joon"], ["R", "A", "C", "I"]).value == answer
    w.fill({"Plan": {"Ana": "Z"}})  # not an option: left empty, never an error
    assert w.leaves[("Plan", "Ana")].value is None


def test_text_with_live_feedback():
    start_lesson("ui_lesson")
    w = text("q7", live=True)

    @w.exercise.check(failure="Name a number.", hint="Add a figure, e.g. 25%.")
    def has_a_number(answer):
        return any(ch.isdigit() for ch in answer)

    w.input.value = "Grow clicks"
    assert "Add a figure" in w.feedback.value, "the verdict shows as the trainee types"
    w.input.value = "Grow clicks by 25%"
    assert "Correct!" in w.feedback.value
    w.input.value = ""
    assert check("q7").status == "unanswered"


def test_every_leaf_carries_page_classes_for_browser_tests():
    start_lesson("ui_lesson")
    w = match("q8", ["a/b, c", "d"], ["x", "y"])
    assert {"mopskit-exercise", exercise_class("q8")} <= set(w.box._dom_classes)
    for path, leaf in w.leaves.items():
        assert {"mopskit-leaf", leaf_class(path)} <= set(leaf._dom_classes)
    assert len({leaf_class(p) for p in w.leaves}) == 2
    assert set(flatten_answer({"a/b, c": "x", "d": "y"})) == set(w.leaves)


def test_code_answer_wins_over_the_widget_and_the_widget_answers_otherwise(monkeypatch):
    import __main__

    start_lesson("ui_lesson")
    w = number("q9", max=50)

    @w.exercise.check()
    def is_eight(answer):
        return answer == 8

    w.fill(8)
    monkeypatch.setattr(__main__, "q9", ..., raising=False)
    assert check("q9").status == "correct", "an unanswered code cell (q9 = ...) leaves the widget in charge"
    monkeypatch.setattr(__main__, "q9", 7)
    assert check("q9").status == "wrong", "a code answer, once set, is the one checked"


def test_number_box_starts_empty_and_reads_numbers_as_people_type_them():
    start_lesson("ui_lesson")
    w = number("q10", min=0, max=100, unit="%")
    assert w.value is None and check("q10").status == "unanswered"
    w.input.children[0].value = "12,5%"
    assert w.value == 12.5 and read_answers()["q10"] == 12.5
    w.leaves[()].value = "twelve"
    assert w.value == "twelve" and "is not a number" in w.status.value
    w.fill(7)
    assert w.leaves[()].value == "7" and number("q10").value == 7.0


def test_number_box_keeps_every_digit_when_filled_and_restored():
    start_lesson("ui_lesson")
    number("q11").fill(1234567.5)
    again = number("q11")
    assert again.leaves[()].value == "1234567.5"
    assert again.value == 1234567.5 and read_answers()["q11"] == 1234567.5


@pytest.mark.parametrize(("typed", "shown"), [("11", "11"), ("12,5", "12.5"), ("", "not answered yet")])
def test_the_saved_answer_line_shows_a_number_as_typed(typed, shown):
    start_lesson("ui_lesson")
    w = number("q12")
    w.leaves[()].value = typed
    assert w._bundle()["text/plain"] == f"Saved answer to q12: {shown}"


def test_the_saved_answer_line_reads_as_words():
    start_lesson("ui_lesson")
    m = match("q13", ["Send the newsletter", "Route the leads"], ["Email operations", "Lead rotation"])
    m.fill({"Send the newsletter": "Email operations", "Route the leads": "Lead rotation"})
    line = m._bundle()["text/plain"]
    assert line == "Saved answer to q13: Send the newsletter: Email operations; Route the leads: Lead rotation"
    picks = choice("q14", ["a", "b", "c"], multiple=True)
    picks.fill(["a", "c"])
    assert picks._bundle()["text/plain"] == "Saved answer to q14: a and c"


def test_in_app_mode_no_static_copy_goes_stale_beside_the_widgets_verdict(monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.8")
    from mopskit.assess import exercise

    start_lesson("ui_lesson")
    w = number("q15")
    exercise("q15").check()(lambda answer: answer == 4)
    assert w._bundle()["text/plain"] == "", "the page is never saved: no 'Saved answer ... not answered yet' line"
    stale = check("q15")
    assert repr(stale) == "" and "Not answered" not in stale._repr_html_()
    w.leaves[()].value = "4"
    w._on_check()
    assert "Correct" in w.feedback.value, "the widget's own Check gives the live verdict"
    assert check("q15").status == "correct" and repr(check("q15")) == ""


def test_outside_app_mode_check_shows_its_verdict(monkeypatch):
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    start_lesson("ui_lesson")
    number("q16")
    assert "Not answered yet" in repr(check("q16"))


def test_options_shown_translated_keep_their_english_values():
    from mopskit.i18n import language
    from mopskit.ui import choice, match

    with language("th"):
        widget = match("q_lang", ["Boost engagement soon."], ["Specific", "Measurable", "Something else"])
        dropdown = widget.leaves[("Boost engagement soon.",)]
        assert ("เจาะจง", "Specific") in dropdown.options  # the kit's word, shown in Thai
        widget.fill({"Boost engagement soon.": "Specific"})
        assert widget.value == {"Boost engagement soon.": "Specific"}
        picked = choice("q_lang2", ["Email", "Ads"], labels={"Ads": "โฆษณา"})
        picked.fill("Ads")
        assert picked.value == "Ads" and picked.input.label == "โฆษณา"
