"""Building blocks for exercise checks, so that a checks cell reads as the rule it states.

A check is a function of the trainee's answer, registered with ``@exercise(id).check(...)``. Each function
here states one rule and returns a :class:`Mark`: a score from 0 to 1 (partial credit) and, when the answer
falls short in a way worth naming, a reason that is shown instead of the check's own ``failure`` text. A mark
with no reason leaves that text in place. A mark is true when its score is 1, so marks also work in ``if``::

    from mopskit.assess.checks import close_to, exercise, is_count

    @exercise("q3").check(points=1, failure="Give a whole number of clicks.", hint="...")
    def is_a_count(answer):
        return is_count(answer)

An answer of the wrong kind (text where a number is asked, ``True``, ``NaN``, a list for one choice, a mapping
where a list is asked) gets a mark that says what the answer is and what to give instead, never a traceback.
The ``as_*`` functions turn an answer into a clean value for a check's own arithmetic and raise
:class:`~mopskit.errors.AnswerError` when they cannot; it is an ``AssertionError``, so the check fails with its
message.

Text is compared ignoring case and repeated spaces (``"  Email "`` picks ``"email"``), numbers with a
tolerance (:func:`is_close`). :func:`exercise` is here too, so a checks cell needs one import line from this
module besides the lesson's own data and reference functions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .._validate import _is_bool, _real
from ..errors import AnswerError, ExerciseError
from ..i18n import _, _n
from ._exercise import _unset, exercise

__all__ = [
    "THAI_LETTERS_PER_WORD",
    "Mark",
    "all_or_nothing",
    "answered_all",
    "as_count",
    "as_items",
    "as_mapping",
    "as_number",
    "as_text",
    "close_to",
    "count_words",
    "diagnose",
    "exercise",
    "grid",
    "has_items",
    "in_range",
    "is_close",
    "is_count",
    "is_number",
    "is_percent",
    "matching",
    "mentions",
    "one_of",
    "ordering",
    "same_choice",
    "same_items",
    "word_count",
]

_LISTED = 8  # items named in a reason before "and N more"


@dataclass(frozen=True)
class Mark:
    """What one rule says about an answer: a share of the check's points and, when it falls short, why.

    A check may return a mark as it is: the kit reads ``score`` and ``reason`` (see :class:`Check`).

    Attributes:
        score: from 0 (wrong) to 1 (right); in between is partial credit.
        reason: what is wrong, in a sentence for the trainee; empty when the check's ``failure`` text says it.
        missing: the expected items (or the items with no choice yet) the answer lacks.
        extra: the items the answer has that it should not.
        wrong: the items given a wrong choice.

    >>> Mark(1.0).passed, bool(Mark(0.5, "Half right.")), Mark(0.0, "No.").reason
    (True, False, 'No.')

    """

    score: float
    reason: str = ""
    missing: tuple[Any, ...] = ()
    extra: tuple[Any, ...] = ()
    wrong: tuple[Any, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether the answer earns every point (score 1)."""
        return self.score >= 1.0

    def __bool__(self) -> bool:
        return self.passed


_RIGHT = Mark(1.0)


def all_or_nothing(mark: Mark) -> Mark:
    """The same mark with no partial credit: every point when it passes, none otherwise (its reason kept).

    >>> all_or_nothing(Mark(0.7, "7 of 10 matched right.")).score, all_or_nothing(Mark(1.0)).score
    (0.0, 1.0)
    """
    return Mark(1.0 if mark.passed else 0.0, mark.reason, mark.missing, mark.extra, mark.wrong)


def _fail(reason: str = "", score: float = 0.0, **details: tuple[Any, ...]) -> Mark:
    return Mark(score, reason, **details)


# ---------------------------------------------------------------------------------------------- describing
def _num(value: float) -> str:
    """A number as people write it: no needless ``.0``, no exponent below a billion.

    >>> _num(5.0), _num(12.5), _num(1234567.0), _num(0.1 + 0.2)
    ('5', '12.5', '1234567', '0.3')
    """
    return format(value, ".10g")


def _show(value: Any, limit: int = 60) -> str:
    """One value quoted for a sentence, cut short when long.

    >>> _show("Email  marketing"), _show(3), _show("x" * 80)[-4:]
    ("'Email marketing'", "'3'", "xx…'")
    """
    text = " ".join(str(value).split())
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


def _listed(values: Iterable[Any]) -> str:
    """Values quoted and joined, the first few only.

    >>> _listed(["a", "b"]), _listed(range(10))[-18:]
    ("'a', 'b'", "6', '7' and 2 more")
    """
    values = list(values)
    text = ", ".join(_show(v) for v in values[:_LISTED])
    if len(values) > _LISTED:
        text += " " + _("and {n} more").format(n=len(values) - _LISTED)
    return text


def _is_number(value: Any) -> bool:
    return _real(value) is not None


def _is_table(value: Any) -> bool:
    return hasattr(value, "columns") and hasattr(value, "shape")


def _is_collection(value: Any) -> bool:
    """Several values where one is asked: a list, set, mapping, table, column or array."""
    if isinstance(value, str | bytes):
        return False
    return isinstance(value, list | tuple | set | frozenset | Mapping) or (
        hasattr(value, "__len__") and hasattr(value, "dtype")
    )


def _kind(value: Any) -> str:
    """What an answer is, in words a trainee knows.

    >>> _kind("12"), _kind(True), _kind([1, 2]), _kind({"a": 1}), _kind(float("nan"))
    ("the text '12'", 'True (a yes/no value)', 'a list of 2 values', 'a mapping of 1 entry', 'NaN (not a number)')
    """
    if value is None or value is Ellipsis:
        return _("no answer yet")
    if _is_bool(value):
        return _("{value} (a yes/no value)").format(value=bool(value))
    if isinstance(value, str):
        return _("the text {text}").format(text=_show(value))
    if isinstance(value, Mapping):
        return _n("a mapping of {n} entry", "a mapping of {n} entries", len(value)).format(n=len(value))
    if _is_table(value):
        return _n("a table of {n} row", "a table of {n} rows", len(value)).format(n=len(value))
    if hasattr(value, "dtype") and hasattr(value, "__len__"):
        return _n("a column of {n} value", "a column of {n} values", len(value)).format(n=len(value))
    if isinstance(value, list | tuple | set | frozenset):
        return _n("a list of {n} value", "a list of {n} values", len(value)).format(n=len(value))
    if _is_number(value):
        number = float(value)
        if math.isnan(number):
            return _("NaN (not a number)")
        return _("the number {value}").format(value=_num(number))
    return _("a value of type {kind} ({text})").format(kind=type(value).__name__, text=_show(value))


def _wrong_kind(answer: Any, wanted: str) -> str:
    """The sentence for an answer of the wrong kind: what to give, what it is, and how to fix the usual slips.

    >>> _wrong_kind("12.5", "a number, like 12.5")
    "Give a number, like 12.5; your answer is the text '12.5'. Write the number without quotes: 12.5."
    """
    if _unset(answer):
        return _("There is no answer yet: replace ... with {wanted}.").format(wanted=wanted)
    message = _("Give {wanted}; your answer is {kind}.").format(wanted=wanted, kind=_kind(answer))
    if isinstance(answer, str) and _looks_numeric(answer):
        message += " " + _("Write the number without quotes: {value}.").format(value=answer.strip())
    elif _is_collection(answer) and not isinstance(answer, Mapping) and len(answer) == 1:
        message += " " + _("Take the one value out of it.")
    return message


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _norm(value: Any) -> Any:
    """The form answers are compared in: text without case or repeated spaces, blanks as None, numbers as float.

    >>> _norm("  Email   Marketing "), _norm(""), _norm(3), _norm(["B", "a "])
    ('email marketing', None, 3.0, ('b', 'a'))
    """
    if _unset(value) or value == "":
        return None
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if _is_number(value):
        return float(value)
    if isinstance(value, list | tuple):
        return tuple(_norm(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(_norm(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), repr(_norm(v))) for k, v in value.items()))
    return value


def _key(value: Any) -> Any:
    """A hashable stand-in for :func:`_norm` of a value (for sets of answers)."""
    normed = _norm(value)
    try:
        hash(normed)
    except TypeError:
        return repr(normed)
    return normed


# ---------------------------------------------------------------------------------------------- clean values
def _a_number() -> str:
    return _("a number, like 12.5")


def as_number(answer: Any, *, wanted: str | None = None) -> float:
    """Return an answer as a float, or raise :class:`~mopskit.errors.AnswerError` saying what to give.

    Ints, floats, numpy and Decimal numbers are numbers; ``True``/``False``, text (even ``"12"``), ``NaN``,
    infinities, lists and ``None`` are not.

    Args:
        answer: the trainee's answer.
        wanted: what to give, for the message (default: "a number, like 12.5").

    >>> as_number(12), as_number(0.5)
    (12.0, 0.5)
    >>> as_number("12")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mopskit.errors.AnswerError: Give a number, like 12.5; your answer is the text '12'. Write the number without...

    """
    wanted = wanted or _a_number()
    if not _is_number(answer):
        raise AnswerError(_wrong_kind(answer, wanted))
    value = float(answer)
    if math.isnan(value):
        raise AnswerError(
            _(
                "Give {wanted}; your answer is NaN (not a number), which usually comes from dividing by zero "
                "or from an empty selection."
            ).format(wanted=wanted)
        )
    if math.isinf(value):
        raise AnswerError(
            _("Give {wanted}; your answer is infinite, which usually comes from dividing by zero.").format(
                wanted=wanted
            )
        )
    return value


def as_count(answer: Any) -> int:
    """Return an answer as a whole number from 0 up, or raise :class:`~mopskit.errors.AnswerError` saying why not.

    >>> as_count(5), as_count(5.0)
    (5, 5)
    >>> as_count(2.5)
    Traceback (most recent call last):
    ...
    mopskit.errors.AnswerError: Give a whole number, like 5; 2.5 has a fraction.
    """
    wanted = _("a whole number, like 5")
    value = as_number(answer, wanted=wanted)
    if not value.is_integer():
        raise AnswerError(_("Give {wanted}; {value} has a fraction.").format(wanted=wanted, value=_num(value)))
    if value < 0:
        raise AnswerError(_("A count cannot be below 0; your answer is {value}.").format(value=_num(value)))
    return int(value)


def as_text(answer: Any) -> str:
    """Return an answer that is text, or raise :class:`~mopskit.errors.AnswerError` saying what to give.

    >>> as_text("A goal.")
    'A goal.'
    >>> as_text(["A goal."])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mopskit.errors.AnswerError: Give text in quotes, like "Grow MQLs"; your answer is a list of 1 value. Take...
    """
    if isinstance(answer, str):
        return answer
    raise AnswerError(_wrong_kind(answer, _('text in quotes, like "Grow MQLs"')))


def as_items(answer: Any) -> list[Any]:
    """Return an answer as a list of items; one text counts as a list of one. Raise when it is not a list.

    >>> as_items(("a", "b")), as_items("a")
    (['a', 'b'], ['a'])
    >>> as_items({"a": 1})
    Traceback (most recent call last):
    ...
    mopskit.errors.AnswerError: Give a list of items, like ["A", "B"]; your answer is a mapping of 1 entry.
    """
    if isinstance(answer, str) and answer.strip():
        return [answer]
    if isinstance(answer, list | tuple | set | frozenset):
        return list(answer)
    if not isinstance(answer, Mapping) and not _is_table(answer) and hasattr(answer, "tolist"):
        items = answer.tolist()  # a column or array
        if isinstance(items, list):
            return items
    raise AnswerError(_wrong_kind(answer, _('a list of items, like ["A", "B"]')))


def as_mapping(answer: Any) -> dict[Any, Any]:
    """Return an answer that gives one choice per item (``{item: choice}``), or raise saying what to give.

    >>> as_mapping({"Email": "R"})
    {'Email': 'R'}
    >>> as_mapping("R")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mopskit.errors.AnswerError: Give one choice per item, like {"item": "choice"} (the dropdowns do this...
    """
    if isinstance(answer, Mapping):
        return dict(answer)
    raise AnswerError(
        _wrong_kind(answer, _('one choice per item, like {"item": "choice"} (the dropdowns do this for you)'))
    )


def _checked(convert: Callable[[Any], Any], answer: Any) -> tuple[Any, Mark | None]:
    """Convert an answer, or return the failing mark that says why it cannot be."""
    try:
        return convert(answer), None
    except AnswerError as problem:
        return None, _fail(str(problem))


# ---------------------------------------------------------------------------------------------- numbers
def is_close(answer: float, expected: float, *, tolerance: float = 0.06, relative: float = 0.0) -> bool:
    """Whether two numbers agree within ``tolerance``, or within ``relative`` times the expected size if larger.

    The default allows an answer rounded to one decimal (25.1 for 25.087).

    >>> is_close(25.1, 25.087), is_close(25, 25.087), is_close(37600, 37632.28, relative=0.001)
    (True, False, True)
    """
    return abs(float(answer) - float(expected)) <= max(tolerance, relative * abs(float(expected)))


def _bounds(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return _("{low} to {high}").format(low=_num(low), high=_num(high))
    if low is not None:
        return _("at least {low}").format(low=_num(low))
    return _("at most {high}").format(high=_num(high)) if high is not None else ""


def in_range(answer: Any, low: float | None = None, high: float | None = None) -> Mark:
    """The answer is a number from ``low`` to ``high`` (both included; ``None`` means no bound).

    A number outside the range gets no reason, so the check's ``failure`` text says the range in the lesson's
    words ("The survey has 22 tasks, ..."); an answer that is no number says what it is.

    >>> in_range(12, 0, 22).passed, in_range(30, 0, 22)
    (True, Mark(score=0.0, reason='', missing=(), extra=(), wrong=()))
    >>> in_range("12", 0, 22).reason
    "Give a number, like 12.5; your answer is the text '12'. Write the number without quotes: 12."
    """
    value, problem = _checked(as_number, answer)
    if problem is not None:
        return problem
    if (low is not None and value < low) or (high is not None and value > high):
        return _fail()
    return _RIGHT


def is_number(answer: Any) -> Mark:
    """The answer is one number (not ``True``, text, ``NaN`` or a list).

    >>> is_number(3.5).passed, is_number(True).reason
    (True, 'Give a number, like 12.5; your answer is True (a yes/no value).')
    """
    return in_range(answer)


def is_count(answer: Any, *, at_most: float | None = None) -> Mark:
    """The answer is a whole number from 0 up (to ``at_most``, when given); ``5.0`` counts as 5.

    >>> is_count(4).passed, is_count(4.5).reason, is_count(30, at_most=22).passed
    (True, 'Give a whole number, like 5; 4.5 has a fraction.', False)
    """
    value, problem = _checked(as_count, answer)
    return problem if problem is not None else in_range(value, 0, at_most)


def _fraction_of(value: float, expected: float, tolerance: float, relative: float) -> bool:
    """Whether a number is the expected percent given as a fraction (0.25 for 25%)."""
    return (
        bool(expected)
        and not is_close(value, expected, tolerance=tolerance, relative=relative)
        and is_close(value * 100, expected, tolerance=tolerance, relative=relative)
    )


def _fraction_reason(value: float) -> str:
    return _("That is a fraction ({answer}); the kit gives rates in percent, so multiply by 100.").format(
        answer=_num(value)
    )


def is_percent(answer: Any, *, expected: float | None = None, tolerance: float = 0.06) -> Mark:
    """The answer is a percent, from 0 to 100; with ``expected``, a fraction of it (0.42 for 42) is named.

    Giving ``expected`` reveals nothing: the reason only says the answer looks like a fraction.

    >>> is_percent(42).passed, is_percent(142).passed
    (True, False)
    >>> is_percent(0.42, expected=42.0).reason
    'That is a fraction (0.42); the kit gives rates in percent, so multiply by 100.'
    """
    value, problem = _checked(as_number, answer)
    if problem is not None:
        return problem
    if expected is not None and _fraction_of(value, float(expected), tolerance, 0.0):
        return _fail(_fraction_reason(value))
    return in_range(value, 0, 100)


def _expected_number(expected: Any) -> float:
    if not _is_number(expected) or math.isnan(float(expected)):
        raise ExerciseError(f"the expected value of a close_to check must be a number (got {expected!r})")
    return float(expected)


def close_to(
    answer: Any,
    expected: float,
    *,
    tolerance: float = 0.06,
    relative: float = 0.0,
    percent: bool = False,
    mistakes: Mapping[str, Any] | None = None,
) -> Mark:
    """The answer is the expected number, within a tolerance; when it is not, name the mistake it matches.

    Args:
        answer: the trainee's answer.
        expected: the right value, from the package's reference functions.
        tolerance: how far off still counts as right (0.06 allows rounding to one decimal; 0 means exactly).
        relative: a share of the expected value that also counts as right when larger (0.001 is 0.1%).
        percent: the answer is a percent, so a fraction (0.25 for 25) is named as such.
        mistakes: a message for each wrong value a usual mistake gives, e.g.
            ``{"You divided by sent; open rate divides by delivered.": 24.57}`` (see :func:`diagnose`).

    Returns:
        A passing mark; a failing one whose reason names the mistake (or says the answer is not a number);
        or a failing one with no reason (wrong in no known way: the check's ``failure`` text is shown).

    >>> close_to(25.1, 25.087).passed, close_to(0.25087, 25.087, percent=True).reason[:20]
    (True, 'That is a fraction (')
    >>> close_to(24.57, 25.087, mistakes={"You divided by sent.": 24.57}).reason
    'You divided by sent.'
    >>> close_to(12, 25.087)
    Mark(score=0.0, reason='', missing=(), extra=(), wrong=())

    """
    value, problem = _checked(as_number, answer)
    if problem is not None:
        return problem
    target = _expected_number(expected)
    if is_close(value, target, tolerance=tolerance, relative=relative):
        return _RIGHT
    if percent and _fraction_of(value, target, tolerance, relative):
        return _fail(_fraction_reason(value))
    return _fail(_known_mistake(value, mistakes or {}, tolerance, relative))


def _known_mistake(answer: Any, mistakes: Mapping[str, Any], tolerance: float, relative: float) -> str:
    """The message of the first known mistake the answer matches, or ``""``."""
    for message, wrong in mistakes.items():
        if _is_number(wrong) and _is_number(answer):
            if not math.isnan(float(wrong)) and is_close(answer, wrong, tolerance=tolerance, relative=relative):
                return message
        elif _norm(answer) == _norm(wrong):
            return message
    return ""


def diagnose(answer: Any, mistakes: Mapping[str, Any], *, tolerance: float = 0.06, relative: float = 0.0) -> Mark:
    """The answer is none of the known wrong ones; when it is, the reason is that mistake's message.

    A table of usual mistakes turns "wrong" into a hint that names the slip: each message maps to the value the
    mistake gives (numbers compared with :func:`is_close`, text ignoring case and spaces).

    >>> seats = {"That is the cost per seat; divide by active users.": 1200.0}
    >>> diagnose(1200.4, seats, tolerance=1).reason
    'That is the cost per seat; divide by active users.'
    >>> diagnose(3000, seats, tolerance=1).passed, diagnose("1200", seats).reason[:15]
    (True, 'Give a number, ')

    When a known mistake is a number, an answer that is no number fails too, saying what it is.
    """
    if not _is_number(answer) and any(_is_number(wrong) for wrong in mistakes.values()):
        return is_number(answer)
    found = _known_mistake(answer, mistakes, tolerance, relative)
    return _fail(found) if found else _RIGHT


# ---------------------------------------------------------------------------------------------- choices
def _one_choice_problem(answer: Any) -> Mark | None:
    if _unset(answer):
        return _fail(_wrong_kind(answer, _("one of the options")))
    if _is_collection(answer) or _is_table(answer):
        return _fail(_("Pick one option; your answer is {kind}.").format(kind=_kind(answer)))
    return None


def one_of(answer: Any, options: Iterable[Any], *, name_options: bool = True) -> Mark:
    """The answer is one of the options (ignoring case and spaces); the reason lists them when it is not.

    Args:
        answer: the trainee's answer.
        options: the answers that pass.
        name_options: list the options in the reason; turn it off when they are a secret (the tools that hold
            personal data), so the check's ``failure`` text is shown instead.

    >>> one_of(" mql to SQL", ["Lead to MQL", "MQL to SQL"]).passed
    True
    >>> one_of("SQL", ["Lead to MQL", "MQL to SQL"]).reason
    "'SQL' is not one of the options: 'Lead to MQL', 'MQL to SQL'."
    >>> one_of("SQL", ["Lead to MQL", "MQL to SQL"], name_options=False).reason
    ''

    """
    options = list(options)
    problem = _one_choice_problem(answer)
    if problem is not None:
        return problem
    if _key(answer) in {_key(o) for o in options}:
        return _RIGHT
    if not name_options:
        return _fail()
    return _fail(
        _("{answer} is not one of the options: {options}.").format(answer=_show(answer), options=_listed(options))
    )


def same_choice(answer: Any, expected: Any, *, mistakes: Mapping[str, Any] | None = None) -> Mark:
    """The answer is the expected choice (ignoring case and spaces), without saying which one that is.

    Args:
        answer: the trainee's answer.
        expected: the right option.
        mistakes: a message for each wrong option a usual slip picks (see :func:`diagnose`).

    >>> same_choice("email ", "Email").passed, same_choice("Ads", "Email").reason
    (True, '')
    >>> same_choice("Ads", "Email", mistakes={"Ads bring visits, not opens.": "ads"}).reason
    'Ads bring visits, not opens.'
    >>> same_choice(["Email"], "Email").reason
    'Pick one option; your answer is a list of 1 value.'

    """
    problem = _one_choice_problem(answer)
    if problem is not None:
        return problem
    if _key(answer) == _key(expected):
        return _RIGHT
    return _fail(_known_mistake(answer, mistakes or {}, 0.0, 0.0))


# ---------------------------------------------------------------------------------------------- several items
def has_items(answer: Any, *, at_least: int = 1, including: Iterable[Any] = ()) -> Mark:
    """The answer is a list of at least ``at_least`` items (one text counts as one item), ``including`` these.

    Items missing from ``including`` are counted in the reason, not named, and kept in the mark's ``missing``.

    >>> has_items(["Hootsuite"]).passed, has_items([]).reason
    (True, 'Pick at least 1; your answer has 0.')
    >>> has_items(["a", "x"], including=["A", "b", "c"]).reason
    'Still missing: 2.'

    """
    items, problem = _checked(as_items, answer)
    if problem is not None:
        return problem
    if len(items) < at_least:
        return _fail(_("Pick at least {n}; your answer has {k}.").format(n=at_least, k=len(items)))
    have = {_key(item) for item in items}
    missing = tuple(item for item in including if _key(item) not in have)
    if missing:
        return _fail(_("Still missing: {items}.").format(items=len(missing)), missing=missing)
    return _RIGHT


def same_items(answer: Any, expected: Iterable[Any], *, reveal: bool = False) -> Mark:
    """The answer holds exactly the expected items, in any order; partial credit for the overlap.

    The score is the items in both over the items in either (a wrong extra costs as much as a missing one).
    The reason names the extra items (the trainee's own picks) and counts the missing ones, naming them only
    with ``reveal=True``; the mark carries both in ``missing`` and ``extra``.

    >>> mark = same_items(["A", "c"], ["a", "b"])
    >>> round(mark.score, 2), mark.reason, mark.missing, mark.extra
    (0.33, "You have 1 of 2. Not one of them: 'c'. Still missing: 1.", ('b',), ('c',))
    >>> same_items({"A": 1}, ["a"]).reason
    'Give a list of items, like ["A", "B"]; your answer is a mapping of 1 entry.'
    """
    given, problem = _checked(as_items, answer)
    if problem is not None:
        return problem
    have = {_key(item): item for item in given}
    want = {_key(item): item for item in expected}
    missing = tuple(item for key, item in want.items() if key not in have)
    extra = tuple(item for key, item in have.items() if key not in want)
    if not missing and not extra:
        return _RIGHT
    found = len(want) - len(missing)
    reason = _("You have {found} of {total}.").format(found=found, total=len(want))
    if extra:
        reason += " " + _("Not one of them: {items}.").format(items=_listed(extra))
    if missing:
        shown = _listed(missing) if reveal else str(len(missing))
        reason += " " + _("Still missing: {items}.").format(items=shown)
    return _fail(reason, found / len(have.keys() | want.keys()), missing=missing, extra=extra)


def _choice_of(given: Mapping[Any, Any], item: Any) -> Any:
    return given[item] if item in given else given.get(str(item))  # answers come back from JSON with text keys


def _item_key(expected: Mapping[Any, Any] | Callable[[Any], Any], given: Mapping[Any, Any]) -> dict[Any, Any]:
    if isinstance(expected, Mapping):
        return dict(expected)
    return {item: expected(item) for item in given}


def matching(answer: Any, expected: Mapping[Any, Any] | Callable[[Any], Any], *, name_wrong: bool = True) -> Mark:
    """Each item is matched to its expected choice (``{item: choice}``); partial credit per item.

    Args:
        answer: the trainee's ``{item: choice}`` (what a :func:`mopskit.ui.match` widget holds).
        expected: the right ``{item: choice}``; or a function giving an item's right choice, to judge the items
            the answer has.
        name_wrong: name the items matched wrong (not their right choice); off, only counts are given.

    >>> key = {"Send the newsletter": "Email", "Fix the CRM sync": "Ops", "Plan ads": "Ads"}
    >>> mark = matching({"Send the newsletter": "email", "Fix the CRM sync": "Ads"}, key)
    >>> round(mark.score, 2), mark.reason
    (0.33, "1 of 3 matched right. Look again at: 'Fix the CRM sync'. No choice yet for: 'Plan ads'.")
    >>> matching(["Email"], key).reason[:24]
    'Give one choice per item'

    """
    given, problem = _checked(as_mapping, answer)
    if problem is not None:
        return problem
    key = _item_key(expected, given)
    if not key:  # nothing asked passes; a function with no item to judge has no answer to judge
        return _RIGHT if isinstance(expected, Mapping) else _fail(_("Pick a choice for every item."))
    unanswered = tuple(item for item in key if _norm(_choice_of(given, item)) is None)
    wrong = tuple(
        item for item, right in key.items() if item not in unanswered and _key(_choice_of(given, item)) != _key(right)
    )
    if not wrong and not unanswered:
        return _RIGHT
    right = len(key) - len(wrong) - len(unanswered)
    reason = _("{right} of {total} matched right.").format(right=right, total=len(key))
    if wrong and name_wrong:
        reason += " " + _("Look again at: {items}.").format(items=_listed(wrong))
    if unanswered:
        reason += " " + _("No choice yet for: {items}.").format(items=_listed(unanswered))
    return _fail(reason, right / len(key), missing=unanswered, wrong=wrong)


def answered_all(answer: Any, items: Iterable[Any]) -> Mark:
    """Every item has a choice in the ``{item: choice}`` answer, right or wrong; the reason names the empty ones.

    >>> answered_all({"Pardot": "keep", "Typeform": None}, ["Pardot", "Typeform"]).reason
    "No choice yet for: 'Typeform'."
    """
    given, problem = _checked(as_mapping, answer)
    if problem is not None:
        return problem
    empty = tuple(item for item in items if _norm(_choice_of(given, item)) is None)
    if empty:
        return _fail(_("No choice yet for: {items}.").format(items=_listed(empty)), missing=empty)
    return _RIGHT


def grid(answer: Any, expected: Mapping[Any, Mapping[Any, Any]], *, name_wrong: bool = True) -> Mark:
    """A table of choices (``{row: {column: choice}}``) matches the expected one; partial credit per whole row.

    A row counts when every cell in it is right; empty cells and ``None`` are the same.

    >>> key = {"Email": {"Ana": "R", "Joon": "A"}, "Ads": {"Ana": None, "Joon": "A/R"}}
    >>> mark = grid({"Email": {"Ana": "r", "Joon": "A"}, "Ads": {"Ana": "C", "Joon": "A/R"}}, key)
    >>> mark.score, mark.reason
    (0.5, "1 of 2 rows right. Look again at: 'Ads'.")
    """
    given, problem = _checked(as_mapping, answer)
    if problem is not None:
        return problem
    wrong = []
    for row, cells in expected.items():
        got = _choice_of(given, row)
        got = got if isinstance(got, Mapping) else {}
        if any(_key(_choice_of(got, column)) != _key(right) for column, right in cells.items()):
            wrong.append(row)
    if not wrong:
        return _RIGHT
    right = len(expected) - len(wrong)
    reason = _("{right} of {total} rows right.").format(right=right, total=len(expected))
    if name_wrong:
        reason += " " + _("Look again at: {items}.").format(items=_listed(wrong))
    return _fail(reason, right / len(expected), wrong=tuple(wrong))


def ordering(answer: Any, expected: Iterable[Any]) -> Mark:
    """The answer lists the expected items in the expected order; partial credit for pairs in the right order.

    The score is the share of pairs of items the answer puts in the same order as ``expected`` (so one item
    out of place costs little); an item missing, repeated or unknown fails with the reason.

    >>> ordering(["lead", "MQL", "SQL"], ["Lead", "MQL", "SQL"]).passed
    True
    >>> mark = ordering(["MQL", "Lead", "SQL"], ["Lead", "MQL", "SQL"])
    >>> round(mark.score, 2), mark.reason
    (0.67, '1 of 3 in their place.')
    >>> ordering(["Lead", "SQL"], ["Lead", "MQL", "SQL"]).reason
    'Put every item in the order once. Still missing: 1.'
    """
    given, problem = _checked(as_items, answer)
    if problem is not None:
        return problem
    want = [_key(item) for item in expected]
    have = [_key(item) for item in given]
    if sorted(map(repr, have)) != sorted(map(repr, want)):
        missing = tuple(item for item, key in zip(expected, want, strict=True) if key not in have)
        extra = tuple(item for item, key in zip(given, have, strict=True) if key not in want)
        reason = _("Put every item in the order once.")
        if extra:
            reason += " " + _("Not one of them: {items}.").format(items=_listed(extra))
        if missing:
            reason += " " + _("Still missing: {items}.").format(items=len(missing))
        return _fail(reason, missing=missing, extra=extra)
    place = {key: position for position, key in enumerate(have)}
    pairs = [(a, b) for i, a in enumerate(want) for b in want[i + 1 :]]
    if not pairs or all(place[a] < place[b] for a, b in pairs):
        return _RIGHT
    score = sum(place[a] < place[b] for a, b in pairs) / len(pairs)
    placed = sum(a == b for a, b in zip(have, want, strict=True))
    return _fail(_("{placed} of {total} in their place.").format(placed=placed, total=len(want)), score)


# ---------------------------------------------------------------------------------------------- free text
def _finds(text: str, keyword: str | re.Pattern[str]) -> bool:
    if isinstance(keyword, re.Pattern):
        return keyword.search(text) is not None
    words = r"\s+".join(re.escape(word) for word in keyword.split())
    return re.search(r"(?<!\w)" + words, text, re.IGNORECASE) is not None


def mentions(
    answer: Any,
    ideas: Mapping[str, str | re.Pattern[str] | Iterable[str | re.Pattern[str]]],
    *,
    at_least: int | None = None,
) -> Mark:
    r"""The text mentions the required ideas; partial credit per idea found.

    Each idea is a label (shown to the trainee when missing) and the keywords that show it: any one of them
    counts. A keyword matches at the start of a word, ignoring case (``"renew"`` finds "Renewal"); a compiled
    regular expression is searched as it is.

    Args:
        answer: the trainee's text.
        ideas: ``{label: keyword or keywords}``.
        at_least: how many ideas are enough (default: all).

    >>> ideas = {"a tool to cut": ["Hootsuite", "Livestorm"], "a number": re.compile(r"\d")}
    >>> mentions("Cut Livestorm: it costs 12,000 a year.", ideas).passed
    True
    >>> mark = mentions("Cut Livestorm.", ideas)
    >>> mark.score, mark.reason
    (0.5, "Not mentioned yet: 'a number'.")

    """
    text, problem = _checked(as_text, answer)
    if problem is not None:
        return problem
    absent = []
    for idea, keywords in ideas.items():
        choices = [keywords] if isinstance(keywords, str | re.Pattern) else list(keywords)
        if not any(_finds(text, keyword) for keyword in choices):
            absent.append(idea)
    needed = len(ideas) if at_least is None else at_least
    found = len(ideas) - len(absent)
    if found >= needed:
        return _RIGHT
    if at_least is None:
        reason = _("Not mentioned yet: {ideas}.").format(ideas=_listed(absent))
    else:
        reason = _("Mention at least {n} of these; found {k}. Not mentioned yet: {ideas}.").format(
            n=needed, k=found, ideas=_listed(absent)
        )
    return _fail(reason, found / needed, missing=tuple(absent))


_IDEOGRAPHS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_THAI = re.compile(r"[\u0e00-\u0e7f]+")
THAI_LETTERS_PER_WORD = 4  # Thai runs words together; a word is about four letters, marks above and below aside


def count_words(text: str) -> int:
    """Count the words of a text in any of the kit's languages.

    Words between spaces count one each; in Chinese (and Japanese) each character counts as a word, as word
    processors count them; Thai, written without spaces between words, counts one word per
    :data:`THAI_LETTERS_PER_WORD` letters (vowel and tone marks above or below a letter not counted): an estimate.

    >>> count_words("Cut two tools and fix the hand-off."), count_words("先整合工具"), count_words("ลดเครื่องมือสองตัว")
    (7, 5, 4)
    """
    import unicodedata

    ideographs = len(_IDEOGRAPHS.findall(text))
    thai_letters = sum(
        1 for run in _THAI.findall(text) for char in run if unicodedata.category(char) not in ("Mn", "Mc")
    )
    thai = -(-thai_letters // THAI_LETTERS_PER_WORD)  # rounded up: any Thai at all is at least a word
    rest = _THAI.sub(" ", _IDEOGRAPHS.sub(" ", text))
    return len(rest.split()) + ideographs + thai


def word_count(answer: Any, *, at_least: int | None = None, at_most: int | None = None) -> Mark:
    """The text has from ``at_least`` to ``at_most`` words.

    >>> word_count("Cut two tools and fix the hand-off.", at_least=4).passed
    True
    >>> word_count("Cut tools.", at_least=40, at_most=150).reason
    'Your text has 2 words; aim for 40 to 150.'
    """
    text, problem = _checked(as_text, answer)
    if problem is not None:
        return problem
    words = count_words(text)
    if (at_least is not None and words < at_least) or (at_most is not None and words > at_most):
        return _fail(_("Your text has {n} words; aim for {bounds}.").format(n=words, bounds=_bounds(at_least, at_most)))
    return _RIGHT
