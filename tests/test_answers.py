"""One answer at a time: what can be graded, and the reason when it cannot (too large, too deep, NaN, infinite)."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from mopskit.assess._answers import answer_json, check_answer, parse_answer, to_jsonable
from mopskit.errors import AnswerRefused, ExerciseError


def _deep(levels: int) -> list:
    value: list = []
    for _ in range(levels):
        value = [value]
    return value


def test_ordinary_answers_pass_unchanged_through_the_kernel_side_and_the_grader_side():
    table = pd.DataFrame({"tool": ["Hootsuite", "Intercom"], "cost": [1200.0, float("nan")]})
    for value, data in [
        (42, 42),
        (12.5, 12.5),
        ("Marketing Operations", "Marketing Operations"),
        (["a", "b"], ["a", "b"]),
        ({"Hootsuite": "sunset"}, {"Hootsuite": "sunset"}),
        (np.float64(3.5), 3.5),
        (np.array([1, 2, 3]), [1, 2, 3]),
        (table, {"__table__": [{"tool": "Hootsuite", "cost": 1200.0}, {"tool": "Intercom", "cost": None}]}),
        (None, None),
    ]:
        text = answer_json(value)
        assert parse_answer(text) == data == check_answer(json.loads(text))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("x" * 3_000_000, "too large to grade"),
        (list(range(1_000_000)), "too large to grade"),
        (pd.DataFrame({"n": range(2_000_000)}), "too large to grade"),
        (_deep(200_000), "nested more than 64 levels deep"),
        (float("nan"), "NaN (not a number)"),
        (np.float64("nan"), "NaN (not a number)"),
        (float("inf"), "holds an infinite number"),
        ({"rate": -math.inf}, "holds an infinite number"),
    ],
    ids=["big-text", "long-list", "big-table", "deep", "nan", "numpy-nan", "inf", "nested-inf"],
)
def test_an_answer_that_cannot_be_graded_is_refused_with_a_reason(value, reason):
    with pytest.raises(AnswerRefused, match=re.escape(reason)) as refused:
        answer_json(value, max_bytes=2 * 1024 * 1024)
    assert isinstance(refused.value, ExerciseError)


def test_a_list_that_holds_itself_is_refused_not_a_crash():
    loop: list = [1]
    loop.append(loop)
    with pytest.raises(AnswerRefused, match="nested more than"):
        answer_json(loop)


def test_an_object_whose_text_fails_is_refused_naming_the_kind_of_failure():
    class Broken:
        def __str__(self):
            raise RuntimeError("no text for you")

    with pytest.raises(AnswerRefused, match=r"could not be turned into data \(RuntimeError\)"):
        answer_json(Broken())


def test_a_huge_string_is_refused_before_it_is_copied():
    big = "x" * 300_000_000  # 300 MB: converting it to JSON first would double the kernel's memory
    with pytest.raises(AnswerRefused, match="too large"):
        answer_json(big)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 200_000 + "]" * 200_000, "nested more than 64 levels deep"),
        ('{"a": ' * 70 + "1" + "}" * 70, "nested more than 64 levels deep"),
        ("NaN", "NaN"),
        ("[1, Infinity]", "infinite"),
        ('"' + "x" * 3_000_000 + '"', "too large"),
        ("{not json", "not readable data"),
        (b"42", "not readable data"),
    ],
)
def test_the_grader_refuses_hostile_answer_text_on_its_own(text, reason):
    with pytest.raises(AnswerRefused, match=reason):
        parse_answer(text, max_bytes=2 * 1024 * 1024)


def test_brackets_inside_strings_do_not_count_as_depth():
    assert parse_answer(json.dumps({"note": "[[[[" * 100})) == {"note": "[[[[" * 100}


def test_carried_answers_are_held_to_the_same_limits():
    assert check_answer({"a": [1, None, float("nan")]})["a"][:2] == [1, None]  # NaN inside: a missing value
    for value, reason in [(float("nan"), "NaN"), ([math.inf], "infinite"), ("x" * 100, "too large")]:
        with pytest.raises(AnswerRefused, match=reason):
            check_answer(value, max_bytes=50)
    deep: list = []
    for _ in range(100_000):  # deeper than the interpreter could recurse: checked without recursion
        deep = [deep]
    with pytest.raises(AnswerRefused, match="nested"):
        check_answer(deep)


def test_to_jsonable_without_limits_keeps_its_old_behaviour():
    assert to_jsonable(float("nan")) is None
    assert to_jsonable({"n": np.int64(3)}) == {"n": 3}
