"""Exercise checks name the usual mistake an answer matches."""

import math

import pytest

from mopskit.metrics.mistakes import diagnose, is_close

MISTAKES = {"You divided by sent.": 24.57, "You counted every open.": 39.84}


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (25.09, True),
        (25.1, True),
        ("25.09", "Give a number"),
        (True, "Give a number"),
        (math.nan, "Give a number"),
        (0.2509, "That is a fraction"),
        (24.57, "You divided by sent."),
        (39.8, "You counted every open."),
        (12.0, False),
    ],
)
def test_diagnose(answer, outcome):
    if isinstance(outcome, bool):
        assert diagnose(answer, 25.087, mistakes=MISTAKES, percent=True) is outcome
    else:
        with pytest.raises(AssertionError, match=outcome):
            diagnose(answer, 25.087, mistakes=MISTAKES, percent=True)


def test_a_fraction_is_only_a_mistake_for_percents():
    assert diagnose(0.2509, 25.087) is False


@pytest.mark.parametrize(
    ("answer", "expected", "close"), [(100, 100.05, True), (37600, 37632.28, True), (37500, 37632.28, False)]
)
def test_is_close_allows_rounding(answer, expected, close):
    assert is_close(answer, expected) is close
