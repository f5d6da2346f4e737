"""The goal builder widget: callbacks fire synchronously outside a kernel."""

from datetime import date

from mopskit.assess import exercise, read_answers, start_lesson
from mopskit.goals import assess_goal, goal_text
from mopskit.ui.goals import goal_builder

TODAY = date(2026, 11, 1)


def test_goal_builder_writes_the_sentence_from_fields_and_assesses_it_live():
    start_lesson("ui_goals")
    w = goal_builder("g1", metrics=["email clicks", "MQLs"], today=TODAY)

    @exercise("g1").check(hint="Add a deadline.")
    def time_bound(answer):
        result = assess_goal(goal_text(answer), today=TODAY).time_bound
        assert result.passed, result.reason

    w.leaves[("metric",)].value = "email clicks"
    w.leaves[("direction",)].value = "increase"
    w.leaves[("amount",)].value = "15"
    w.leaves[("deadline",)].value = "within 3 months"
    w.leaves[("owner",)].value = "Ana Pop"
    w.write_button.click()
    assert w.leaves[("sentence",)].value == "Ana Pop will increase email clicks by 15% within 3 months."
    assert "SMART: yes" in w.assessment.value
    assert "Correct!" in w.feedback.value, "the verdict is live"
    saved = read_answers("ui_goals")["g1"]
    assert saved["sentence"].startswith("Ana Pop will") and saved["amount"] == 15.0
    w.leaves[("sentence",)].value = "Boost engagement soon."
    assert "SMART: not yet" in w.assessment.value and "not a deadline" in w.feedback.value
    again = goal_builder("g1", metrics=["email clicks", "MQLs"], today=TODAY)
    assert again.value["sentence"] == "Boost engagement soon." and "not a deadline" in again.assessment.value


def test_goal_builder_says_what_is_missing_instead_of_failing():
    start_lesson("ui_goals")
    w = goal_builder("g2", today=TODAY)
    w.write_button.click()
    assert "unknown metric" in w.note.value and w.leaves[("sentence",)].value == ""
    w.leaves[("metric",)].value = "MQLs"
    w.leaves[("amount",)].value = "10"
    w.leaves[("deadline",)].value = "someday"
    w.write_button.click()
    assert "is not a date or time frame" in w.note.value
    w.leaves[("deadline",)].value = "2027-03-31"
    w.leaves[("scope",)].value = "webinar"
    w.write_button.click()
    assert w.leaves[("sentence",)].value == "We will increase MQLs from the webinar channel by 10% by 31 March 2027."
