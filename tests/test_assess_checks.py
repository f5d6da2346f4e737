"""The check library: every rule on right, wrong, partly right and wrong-kind answers, as tables of cases."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from mopskit.assess import checks
from mopskit.assess.checks import (
    Mark,
    answered_all,
    as_count,
    as_items,
    as_mapping,
    as_number,
    as_text,
    close_to,
    diagnose,
    exercise,
    grid,
    has_items,
    in_range,
    is_close,
    is_count,
    is_number,
    is_percent,
    matching,
    mentions,
    one_of,
    ordering,
    same_choice,
    same_items,
    word_count,
)
from mopskit.errors import AnswerError, MopskitError

# Answers of the wrong kind, and a piece of the sentence each must get (never a traceback).
WRONG_KINDS_FOR_A_NUMBER = [
    (True, "True (a yes/no value)"),
    (np.bool_(False), "False (a yes/no value)"),
    (math.nan, "NaN (not a number)"),
    (np.float64("nan"), "NaN (not a number)"),
    (math.inf, "infinite"),
    (-math.inf, "infinite"),
    ("12.5", "Write the number without quotes: 12.5"),
    ("about 25", "the text 'about 25'"),
    ("", "the text ''"),
    (None, "There is no answer yet"),
    (Ellipsis, "There is no answer yet"),
    ([12], "Take the one value out of it"),
    ((1, 2), "a list of 2 values"),
    ({"a": 1}, "a mapping of 1 entry"),
    (pd.Series([3.5]), "a column of 1 value"),
    (pd.DataFrame({"x": [1, 2]}), "a table of 2 rows"),
    (object(), "a value of type object"),
    (complex(1, 2), "a value of type complex"),
]


def _same_id_everywhere(value: object) -> str:
    """A test id that is the same in every process (workers must collect the same ids): no memory addresses."""
    text = repr(value)
    return f"<{type(value).__name__}>" if " at 0x" in text else text


@pytest.mark.parametrize(("answer", "said"), WRONG_KINDS_FOR_A_NUMBER, ids=_same_id_everywhere)
@pytest.mark.parametrize(
    "rule", [is_number, lambda a: in_range(a, 0, 100), is_count, is_percent, lambda a: close_to(a, 25)]
)
def test_a_number_rule_says_what_a_wrong_kind_of_answer_is(rule, answer, said):
    mark = rule(answer)
    assert isinstance(mark, Mark)
    assert mark.score == 0 and not mark
    assert said in mark.reason
    assert mark.reason.startswith(("Give ", "There is no answer yet"))


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        (12, 12.0),
        (12.5, 12.5),
        (-3, -3.0),
        (np.int64(7), 7.0),
        (np.float32(0.5), 0.5),
        (Decimal("2.5"), 2.5),
        (Fraction(1, 4), 0.25),
    ],
)
def test_as_number_takes_every_kind_of_number(answer, value):
    assert as_number(answer) == value


@pytest.mark.parametrize(("answer", "said"), WRONG_KINDS_FOR_A_NUMBER, ids=_same_id_everywhere)
def test_as_number_raises_one_error_that_is_an_assertion_and_a_mopskit_error(answer, said):
    with pytest.raises(AnswerError, match=re.escape(said)) as raised:
        as_number(answer)
    assert isinstance(raised.value, AssertionError) and isinstance(raised.value, MopskitError)


@pytest.mark.parametrize(
    ("answer", "low", "high", "passed", "reason"),
    [
        (0, 0, 22, True, ""),
        (22, 0, 22, True, ""),
        (22.0001, 0, 22, False, ""),  # no reason: the check's failure text says the range in the lesson's words
        (-1, 0, None, False, ""),
        (1e9, None, 100, False, ""),
        (5, None, None, True, ""),
    ],
)
def test_in_range(answer, low, high, passed, reason):
    mark = in_range(answer, low, high)
    assert (mark.passed, mark.reason) == (passed, reason)


@pytest.mark.parametrize(
    ("answer", "at_most", "passed", "said"),
    [
        (5, None, True, ""),
        (5.0, None, True, ""),
        (np.int64(0), None, True, ""),
        (2.5, None, False, "2.5 has a fraction"),
        (-2, None, False, "A count cannot be below 0"),
        (23, 22, False, ""),
        (22, 22, True, ""),
        ("5", None, False, "Write the number without quotes: 5"),
    ],
)
def test_is_count(answer, at_most, passed, said):
    mark = is_count(answer, at_most=at_most)
    assert mark.passed is passed
    assert said in mark.reason


def test_as_count_gives_an_int():
    assert as_count(7.0) == 7 and isinstance(as_count(7.0), int)


@pytest.mark.parametrize(
    ("answer", "expected", "passed", "said"),
    [
        (42, None, True, ""),
        (0, None, True, ""),
        (100, None, True, ""),
        (100.5, None, False, ""),
        (0.42, 42.0, False, "That is a fraction (0.42)"),
        (0.42, None, True, ""),  # no expected value: a small percent is a percent
        (42.0, 42.0, True, ""),
        (0.5, 0.5, True, ""),  # the answer really is a small percent
    ],
)
def test_is_percent_names_a_fraction_only_when_it_knows_the_value(answer, expected, passed, said):
    mark = is_percent(answer, expected=expected)
    assert mark.passed is passed
    assert said in mark.reason


MISTAKES = {"You divided by sent.": 24.57, "You counted every open.": 39.84, "Never matched.": math.nan}


@pytest.mark.parametrize(
    ("answer", "kwargs", "passed", "reason"),
    [
        (25.09, {}, True, ""),
        (25.1, {}, True, ""),
        (25.2, {}, False, ""),
        (25.2, {"tolerance": 0.2}, True, ""),
        (
            0.2509,
            {"percent": True},
            False,
            "That is a fraction (0.2509); the kit gives rates in percent, so multiply by 100.",
        ),
        (0.2509, {}, False, ""),  # a fraction is only named for percents
        (24.57, {"mistakes": MISTAKES}, False, "You divided by sent."),
        (39.8, {"mistakes": MISTAKES}, False, "You counted every open."),
        (12.0, {"mistakes": MISTAKES}, False, ""),
        (25.087, {"tolerance": 0}, True, ""),
    ],
)
def test_close_to(answer, kwargs, passed, reason):
    mark = close_to(answer, 25.087, **kwargs)
    assert (mark.passed, mark.reason) == (passed, reason)


@pytest.mark.parametrize(
    ("answer", "expected", "kwargs", "close"),
    [
        (100, 100.05, {}, True),
        (37600, 37632.28, {"relative": 0.001}, True),
        (37600, 37632.28, {}, False),
        (37500, 37632.28, {"relative": 0.001}, False),
        (5, 5, {"tolerance": 0}, True),
    ],
)
def test_is_close(answer, expected, kwargs, close):
    assert is_close(answer, expected, **kwargs) is close


@pytest.mark.parametrize("expected", [math.nan, None, "25", True])
def test_close_to_refuses_an_expected_value_that_is_not_a_number(expected):
    with pytest.raises(MopskitError, match="expected value"):
        close_to(25, expected)


@pytest.mark.parametrize(
    ("answer", "passed", "reason"),
    [
        (1200.4, False, "That is the cost per seat."),
        (1198.9, False, "You counted active seats twice."),
        (3000, True, ""),
        (
            "1200",
            False,
            "Give a number, like 12.5; your answer is the text '1200'. Write the number without quotes: 1200.",
        ),
        (True, False, "Give a number, like 12.5; your answer is True (a yes/no value)."),
        (None, False, "There is no answer yet: replace ... with a number, like 12.5."),
    ],
)
def test_diagnose_names_a_known_numeric_mistake_and_wants_a_number(answer, passed, reason):
    mistakes = {"That is the cost per seat.": 1200.0, "You counted active seats twice.": 1198.0}
    mark = diagnose(answer, mistakes, tolerance=1)
    assert (mark.passed, mark.reason) == (passed, reason)


@pytest.mark.parametrize(
    ("answer", "passed", "reason"),
    [
        ("renewals", False, "You counted renewals."),
        ("  RENEWALS ", False, "You counted renewals."),
        ("deadlines", True, ""),
        (True, True, ""),  # not a known mistake; other rules judge its kind
    ],
)
def test_diagnose_names_a_known_choice_mistake(answer, passed, reason):
    mark = diagnose(answer, {"You counted renewals.": "Renewals"})
    assert (mark.passed, mark.reason) == (passed, reason)


OPTIONS = ["Lead to MQL", "MQL to SQL", "SQL to opportunity"]


@pytest.mark.parametrize(
    ("answer", "passed", "said"),
    [
        ("MQL to SQL", True, ""),
        ("  mql   TO sql ", True, ""),
        ("SQL", False, "'SQL' is not one of the options: 'Lead to MQL', 'MQL to SQL', 'SQL to opportunity'."),
        (None, False, "There is no answer yet"),
        (..., False, "There is no answer yet"),
        (["MQL to SQL"], False, "Pick one option; your answer is a list of 1 value."),
        ({"MQL to SQL": 1}, False, "Pick one option; your answer is a mapping of 1 entry."),
        (3, False, "'3' is not one of the options"),
        (True, False, "'True' is not one of the options"),
    ],
)
def test_one_of(answer, passed, said):
    mark = one_of(answer, OPTIONS)
    assert mark.passed is passed
    assert said in mark.reason


def test_one_of_lists_only_the_first_options_and_none_when_they_are_a_secret():
    options = [f"option {n}" for n in range(12)]
    assert one_of("x", options).reason.endswith("'option 7' and 4 more.")
    assert one_of("x", options, name_options=False) == Mark(0.0)
    assert "Pick one option" in one_of(["x"], options, name_options=False).reason


@pytest.mark.parametrize(
    ("answer", "expected", "passed", "reason"),
    [
        ("Email marketing", "email  marketing", True, ""),
        ("Ads", "Email", False, ""),  # says nothing that gives the right option away
        ("Social", "Email", False, "Social posts are not email."),
        (5, 5, True, ""),
        (5.0, 5, True, ""),
        (None, "Email", False, "There is no answer yet: replace ... with one of the options."),
        (("Email",), "Email", False, "Pick one option; your answer is a list of 1 value."),
        (pd.Series(["Email"]), "Email", False, "Pick one option; your answer is a column of 1 value."),
    ],
)
def test_same_choice(answer, expected, passed, reason):
    mark = same_choice(answer, expected, mistakes={"Social posts are not email.": "social"})
    assert (mark.passed, mark.reason) == (passed, reason)


@pytest.mark.parametrize(
    ("answer", "at_least", "passed", "reason"),
    [
        (["Hootsuite"], 1, True, ""),
        ("Hootsuite", 1, True, ""),  # one name for a list of one
        ((), 1, False, "Pick at least 1; your answer has 0."),
        (["a"], 2, False, "Pick at least 2; your answer has 1."),
        ({"a": 1}, 1, False, 'Give a list of items, like ["A", "B"]; your answer is a mapping of 1 entry.'),
        (5, 1, False, 'Give a list of items, like ["A", "B"]; your answer is the number 5.'),
        ("", 1, False, 'Give a list of items, like ["A", "B"]; your answer is the text \'\'.'),
        (None, 1, False, 'There is no answer yet: replace ... with a list of items, like ["A", "B"].'),
    ],
)
def test_has_items(answer, at_least, passed, reason):
    mark = has_items(answer, at_least=at_least)
    assert (mark.passed, mark.reason) == (passed, reason)


@pytest.mark.parametrize(
    ("answer", "passed", "reason", "missing"),
    [
        (["b", "A", "extra"], True, "", ()),
        (["a"], False, "Still missing: 1.", ("b",)),
        ([], False, "Still missing: 2.", ("a", "b")),
        ({"a": 1}, False, 'Give a list of items, like ["A", "B"]; your answer is a mapping of 1 entry.', ()),
    ],
)
def test_has_items_including_counts_the_missing_ones_without_naming_them(answer, passed, reason, missing):
    mark = has_items(answer, at_least=0, including=["a", "b"])
    assert (mark.passed, mark.reason, mark.missing) == (passed, reason, missing)


@pytest.mark.parametrize(
    ("answer", "score", "reason", "missing", "extra"),
    [
        (["B", "a"], 1.0, "", (), ()),
        (("a ", "B", "b"), 1.0, "", (), ()),  # case, spaces and repeats do not matter
        ({"b", "a"}, 1.0, "", (), ()),
        (["a"], 0.5, "You have 1 of 2. Still missing: 1.", ("b",), ()),
        (["a", "b", "c"], 2 / 3, "You have 2 of 2. Not one of them: 'c'.", (), ("c",)),
        (["c"], 0.0, "You have 0 of 2. Not one of them: 'c'. Still missing: 2.", ("a", "b"), ("c",)),
        ("a", 0.5, "You have 1 of 2. Still missing: 1.", ("b",), ()),
        (pd.Series(["a", "b"]), 1.0, "", (), ()),
        (np.array(["a", "b"]), 1.0, "", (), ()),
    ],
)
def test_same_items_gives_credit_for_the_overlap(answer, score, reason, missing, extra):
    mark = same_items(answer, ["a", "b"])
    assert mark.score == pytest.approx(score)
    assert (mark.reason, mark.missing, mark.extra) == (reason, missing, extra)


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ({"a": True}, "a mapping of 1 entry"),
        (pd.DataFrame({"a": [1]}), "a table of 1 row"),
        (None, "There is no answer yet"),
        (3.5, "the number 3.5"),
        (True, "True (a yes/no value)"),
    ],
)
def test_same_items_says_what_a_wrong_kind_of_answer_is(answer, said):
    mark = same_items(answer, ["a"])
    assert mark.score == 0 and said in mark.reason and mark.reason.startswith(("Give a list", "There is no"))


def test_same_items_names_the_missing_ones_only_when_asked():
    assert same_items(["a"], ["a", "b"], reveal=True).reason == "You have 1 of 2. Still missing: 'b'."


KEY = {"Send the newsletter": "Email", "Fix the CRM sync": "Ops", "Plan ads": "Ads"}


@pytest.mark.parametrize(
    ("answer", "score", "reason"),
    [
        ({"Send the newsletter": "email", "Fix the CRM sync": " OPS", "Plan ads": "Ads"}, 1.0, ""),
        (
            {"Send the newsletter": "Email", "Fix the CRM sync": "Ads", "Plan ads": "Ads"},
            2 / 3,
            "2 of 3 matched right. Look again at: 'Fix the CRM sync'.",
        ),
        (
            {"Send the newsletter": "Email", "Fix the CRM sync": None, "Plan ads": ""},
            1 / 3,
            "1 of 3 matched right. No choice yet for: 'Fix the CRM sync', 'Plan ads'.",
        ),
        ({}, 0.0, "0 of 3 matched right. No choice yet for: 'Send the newsletter', 'Fix the CRM sync', 'Plan ads'."),
        (
            {**dict.fromkeys(KEY, "Email"), "An extra item": "Ops"},
            1 / 3,
            "1 of 3 matched right. Look again at: 'Fix the CRM sync', 'Plan ads'.",
        ),
    ],
)
def test_matching_gives_credit_per_item(answer, score, reason):
    mark = matching(answer, KEY)
    assert mark.score == pytest.approx(score)
    assert mark.reason == reason


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (["Email", "Ops", "Ads"], "a list of 3 values"),
        ("Email", "the text 'Email'"),
        (None, "There is no answer yet"),
        (7, "the number 7"),
        (False, "False (a yes/no value)"),
    ],
)
def test_matching_says_what_a_wrong_kind_of_answer_is(answer, said):
    mark = matching(answer, KEY)
    assert mark.score == 0 and said in mark.reason and "one choice per item" in mark.reason


def test_matching_judges_the_answers_own_items_with_a_function():
    mark = matching({"one": "odd", "two": "odd"}, lambda item: "odd" if item == "one" else "even")
    assert mark.score == 0.5 and mark.wrong == ("two",)
    assert matching({}, lambda item: "odd").reason == "Pick a choice for every item."
    assert matching({"a": "b"}, {}).passed  # nothing asked


def test_matching_can_keep_the_wrong_items_to_itself():
    mark = matching({"Send the newsletter": "Ads"}, KEY, name_wrong=False)
    assert "Look again" not in mark.reason and mark.wrong == ("Send the newsletter",)


def test_matching_finds_items_whose_keys_came_back_from_json_as_text():
    assert matching({"1": "a", "2": "b"}, {1: "a", 2: "b"}).passed


@pytest.mark.parametrize(
    ("answer", "passed", "reason"),
    [
        ({"Pardot": "keep", "Typeform": "review"}, True, ""),
        ({"Pardot": "keep", "Typeform": None}, False, "No choice yet for: 'Typeform'."),
        ({"Pardot": "keep"}, False, "No choice yet for: 'Typeform'."),
        ({}, False, "No choice yet for: 'Pardot', 'Typeform'."),
        (["keep", "review"], False, "Give one choice per item"),
    ],
)
def test_answered_all(answer, passed, reason):
    mark = answered_all(answer, ["Pardot", "Typeform"])
    assert mark.passed is passed
    assert mark.reason.startswith(reason) if reason else mark.reason == ""


RACI = {"Email": {"Ana": "R", "Joon": "A"}, "Ads": {"Ana": None, "Joon": "A/R"}}


@pytest.mark.parametrize(
    ("answer", "score", "reason"),
    [
        ({"Email": {"Ana": "r", "Joon": "A"}, "Ads": {"Ana": "", "Joon": "a/r"}}, 1.0, ""),
        (
            {"Email": {"Ana": "R", "Joon": "A"}, "Ads": {"Ana": "C", "Joon": "A/R"}},
            0.5,
            "1 of 2 rows right. Look again at: 'Ads'.",
        ),
        ({"Email": {"Ana": "R", "Joon": "A"}}, 0.5, "1 of 2 rows right. Look again at: 'Ads'."),
        ({"Email": "R", "Ads": {"Joon": "A/R"}}, 0.5, "1 of 2 rows right. Look again at: 'Email'."),
        ({}, 0.0, "0 of 2 rows right. Look again at: 'Email', 'Ads'."),
        ("R", 0.0, "Give one choice per item"),
        ([["R", "A"]], 0.0, "Give one choice per item"),
    ],
)
def test_grid_gives_credit_per_whole_row(answer, score, reason):
    mark = grid(answer, RACI)
    assert mark.score == pytest.approx(score)
    assert mark.reason.startswith(reason) if reason else mark.reason == ""


STAGES = ["Lead", "MQL", "SQL", "Opportunity"]


@pytest.mark.parametrize(
    ("answer", "score", "reason"),
    [
        (["lead", "MQL", "sql", "Opportunity"], 1.0, ""),
        (["MQL", "Lead", "SQL", "Opportunity"], 5 / 6, "2 of 4 in their place."),
        (list(reversed(STAGES)), 0.0, "0 of 4 in their place."),
        (["Lead", "MQL", "SQL"], 0.0, "Put every item in the order once. Still missing: 1."),
        (
            ["Lead", "MQL", "SQL", "Opportunity", "Customer"],
            0.0,
            "Put every item in the order once. Not one of them: 'Customer'.",
        ),
        (["Lead", "Lead", "SQL", "Opportunity"], 0.0, "Put every item in the order once. Still missing: 1."),
        ({"Lead": 1}, 0.0, "Give a list of items"),
        (None, 0.0, "There is no answer yet"),
    ],
)
def test_ordering_gives_credit_for_pairs_in_order(answer, score, reason):
    mark = ordering(answer, STAGES)
    assert mark.score == pytest.approx(score)
    assert mark.reason.startswith(reason) if reason else mark.reason == ""


IDEAS = {"a tool to cut": ["Hootsuite", "Livestorm"], "a number": re.compile(r"\d"), "the renewal": "renew"}


@pytest.mark.parametrize(
    ("answer", "kwargs", "score", "reason"),
    [
        ("Cut LIVESTORM before its renewal: 12,000 a year.", {}, 1.0, ""),
        ("Cut Livestorm before it renews.", {}, 2 / 3, "Not mentioned yet: 'a number'."),
        ("Nothing to say.", {}, 0.0, "Not mentioned yet: 'a tool to cut', 'a number', 'the renewal'."),
        ("Prerenewal of Livestorm.", {}, 1 / 3, "Not mentioned yet: 'a number', 'the renewal'."),  # word starts only
        ("Cut Livestorm.", {"at_least": 1}, 1.0, ""),
        ("Nothing.", {"at_least": 2}, 0.0, "Mention at least 2 of these; found 0."),
        (12, {}, 0.0, "Give text in quotes"),
        (["Livestorm"], {}, 0.0, "Take the one value out of it."),
        (None, {}, 0.0, "There is no answer yet"),
    ],
)
def test_mentions_gives_credit_per_idea(answer, kwargs, score, reason):
    mark = mentions(answer, IDEAS, **kwargs)
    assert mark.score == pytest.approx(score)
    assert reason in mark.reason if reason else mark.reason == ""


def test_mentions_matches_keywords_of_several_words_across_spaces():
    assert mentions("We need a   service level\nagreement.", {"an SLA": "service level agreement"}).passed


@pytest.mark.parametrize(
    ("answer", "kwargs", "passed", "reason"),
    [
        ("one two three four", {"at_least": 4}, True, ""),
        ("one two three", {"at_least": 4}, False, "Your text has 3 words; aim for at least 4."),
        ("one two three", {"at_most": 2}, False, "Your text has 3 words; aim for at most 2."),
        ("word " * 200, {"at_least": 40, "at_most": 150}, False, "Your text has 200 words; aim for 40 to 150."),
        ("", {"at_least": 1}, False, "Your text has 0 words; aim for at least 1."),
        (3.5, {"at_least": 1}, False, 'Give text in quotes, like "Grow MQLs"; your answer is the number 3.5.'),
    ],
)
def test_word_count(answer, kwargs, passed, reason):
    mark = word_count(answer, **kwargs)
    assert (mark.passed, mark.reason) == (passed, reason)


@pytest.mark.parametrize(
    ("convert", "good", "value"),
    [
        (as_text, "a goal", "a goal"),
        (as_items, ("a",), ["a"]),
        (as_mapping, {"a": "b"}, {"a": "b"}),
        (as_count, 3.0, 3),
    ],
)
def test_the_as_functions_return_clean_values_and_raise_for_the_wrong_kind(convert, good, value):
    assert convert(good) == value
    with pytest.raises(AnswerError):
        convert(object())


def test_a_mark_is_true_only_at_full_score():
    assert Mark(1.0) and not Mark(0.99) and not Mark(0.0)


# ---------------------------------------------------------------------------------- with the exercise protocol
def test_a_checks_cell_reads_as_its_rules_and_the_verdict_uses_their_reasons():
    ex = exercise("q_demo", title="Open rate")

    @ex.check(points=1, failure="Give a percentage.", hint="Unique opens ÷ delivered × 100.")
    def is_a_percentage(answer):
        return is_percent(answer)

    @ex.check(points=2, failure="Not the open rate yet.", hint="Divide by delivered.")
    def is_the_open_rate(answer):
        return close_to(answer, 25.087, percent=True, mistakes={"You divided by sent.": 24.57})

    right = ex.run(answer=25.1)
    assert right.status == "correct" and right.earned == 3

    fraction = ex.run(answer=0.25087)
    assert [r.message for r in fraction.results] == [
        "Passed.",
        "That is a fraction (0.25087); the kit gives rates in percent, so multiply by 100.",
    ]
    assert ex.run(answer=24.57).results[1].message == "You divided by sent."
    assert ex.run(answer=12).results[1].message == "Not the open rate yet."  # no reason: the check's own text

    text = ex.run(answer="25.1")
    assert text.earned == 0
    assert all("Write the number without quotes: 25.1" in r.message for r in text.results)


def test_partial_credit_reaches_the_verdict_with_its_reason():
    ex = exercise("q_match")

    @ex.check(points=3, failure="Some tasks are matched wrong.", hint="Read each task's verb.")
    def tasks_matched(answer):
        return matching(answer, KEY)

    verdict = ex.run(answer={"Send the newsletter": "Email", "Fix the CRM sync": "Ops", "Plan ads": "Email"})
    [result] = verdict.results
    assert result.earned == 2.0 and verdict.status == "partial"
    assert result.message.startswith("2 of 3 matched right. Look again at: 'Plan ads'. (partly right: 67%")


def test_every_reason_goes_through_the_translation_function(monkeypatch):
    monkeypatch.setattr(checks, "_", lambda text: "«" + text + "»")
    reasons = [
        is_number("x").reason,
        is_count(2.5).reason,
        in_range("5", 0, 1).reason,
        diagnose("x", {"m": 1.0}).reason,
        close_to(0.25, 25, percent=True).reason,
        one_of("x", ["a"]).reason,
        same_items(["x"], ["a"]).reason,
        matching({}, {"a": "b"}).reason,
        grid({}, {"a": {"b": "c"}}).reason,
        ordering(["b", "a"], ["a", "b"]).reason,
        mentions("x", {"y": "y"}).reason,
        word_count("x", at_least=2).reason,
        has_items([], at_least=1).reason,
        answered_all({}, ["a"]).reason,
    ]
    assert all(reason.startswith("«") for reason in reasons), reasons
