"""The usual mistakes with metrics, recognised in an answer so a check can say which one was made.

Exercise checks compare a trainee's number with the reference value and, when it is off, with the values the
usual wrong formulas give (total instead of unique clicks, sent instead of delivered, a fraction instead of a
percent), so the feedback names the slip rather than just saying "wrong".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import Any

from ..i18n import _

__all__ = ["diagnose", "is_close"]


def is_close(answer: float, expected: float, *, tolerance: float = 0.06, relative: float = 0.001) -> bool:
    """Whether an answer matches, allowing rounding to one decimal (or 0.1% of large values).

    >>> is_close(25.1, 25.087), is_close(25, 25.087), is_close(37632, 37632.28)
    (True, False, True)
    """
    return abs(float(answer) - float(expected)) <= max(tolerance, relative * abs(float(expected)))


def diagnose(
    answer: Any,
    expected: float,
    *,
    mistakes: Mapping[str, float] | None = None,
    percent: bool = False,
    tolerance: float = 0.06,
) -> bool:
    """Check a numeric answer; when it is off, raise ``AssertionError`` naming the mistake it matches.

    Args:
        answer: the trainee's answer.
        expected: the right value, from the package's reference functions.
        mistakes: a message for each wrong value a usual mistake gives, e.g.
            ``{"You divided by sent; open rate divides by delivered.": 24.57}``.
        percent: the answer is a percent, so a fraction (0.25 for 25%) gets its own message.
        tolerance: how far off still counts as right (rounding).

    Returns:
        True when the answer is right, False when it is wrong in no known way.

    >>> diagnose(25.1, 25.087)
    True
    >>> diagnose(0.25087, 25.087, percent=True)
    Traceback (most recent call last):
    ...
    AssertionError: That is a fraction (0.25087); the kit gives rates in percent, so multiply by 100.

    """
    if not isinstance(answer, Real) or isinstance(answer, bool) or math.isnan(float(answer)):
        raise AssertionError(_("Give a number, like 12.5 (got {answer!r}).").format(answer=answer))
    if is_close(answer, expected, tolerance=tolerance):
        return True
    if percent and expected and is_close(float(answer) * 100, expected, tolerance=tolerance):
        raise AssertionError(
            _("That is a fraction ({answer:g}); the kit gives rates in percent, so multiply by 100.").format(
                answer=answer
            )
        )
    for message, value in (mistakes or {}).items():
        if value == value and is_close(answer, value, tolerance=tolerance):
            raise AssertionError(message)
    return False
