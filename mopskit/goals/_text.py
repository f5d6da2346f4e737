"""Words and numbers: the tokenizer and the small readers the goal parser is built from.

Everything here runs in time linear in the length of the text: one regular expression without nested
quantifiers splits it into tokens, and phrases are looked up in dictionaries of word tuples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# A number (1,234.5), a word (with inner hyphens or apostrophes), or any single other visible character.
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:['’\-][^\W\d_]+)*|[^\w\s]")


_ASCII_DIGITS = frozenset("0123456789")


def small_int(text: str, *, digits: int = 4) -> int | None:
    """The value of a short whole number written in ASCII digits, else None (no huge or exotic numbers).

    >>> small_int("31"), small_int("²"), small_int("1" * 50)
    (31, None, None)
    """
    if 0 < len(text) <= digits and all(ch in _ASCII_DIGITS for ch in text):
        return int(text)
    return None


@dataclass(frozen=True)
class Token:
    """One token of a goal sentence: its text as written, lower-cased, stemmed, and where it starts."""

    text: str
    low: str
    stem: str
    start: int

    @property
    def is_number(self) -> bool:
        """Whether the token is written in digits."""
        return self.text[:1] in _ASCII_DIGITS


def stem(word: str) -> str:
    """Fold a word to a rough singular, so "MQLs" finds "MQL" and "webinars" finds "webinar".

    >>> [stem(w) for w in ["mqls", "opportunities", "business", "days", "us", "clicks"]]
    ['mql', 'opportunity', 'business', 'day', 'us', 'click']
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[Token]:
    """Split a text into tokens.

    >>> [t.text for t in tokenize("Grow MQLs by 12.5% (Q2-2027), $5k")]
    ['Grow', 'MQLs', 'by', '12.5', '%', '(', 'Q', '2', '-', '2027', ')', ',', '$', '5', 'k']
    """
    tokens = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        low = raw.lower().replace("’", "'")
        tokens.append(Token(raw, low, stem(low), match.start()))
    return tokens


def phrase_key(text: str) -> tuple[str, ...]:
    """The stems a phrase is matched by.

    >>> phrase_key("Marketing-qualified leads")
    ('marketing-qualified', 'lead')
    """
    return tuple(t.stem for t in tokenize(text))


class PhraseIndex(Generic[T]):
    """Find the longest known phrase starting at a token, in time proportional to the longest phrase."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._index: dict[tuple[str, ...], T] = {}
        for phrase, value in phrases:
            key = phrase_key(phrase)
            if key:
                self._index.setdefault(key, value)
        self.longest = max((len(k) for k in self._index), default=0)

    def match(self, stems: list[str], start: int, free: list[bool]) -> tuple[int, T] | None:
        """Return (length, value) of the longest phrase at ``start`` over free tokens, or None."""
        for length in range(min(self.longest, len(stems) - start), 0, -1):
            if not all(free[start : start + length]):
                continue
            value = self._index.get(tuple(stems[start : start + length]))
            if value is not None:
                return length, value
        return None


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES)


def read_digits(text: str) -> float | None:
    """Read a number written in digits: ``5,000`` and ``1,234.5`` use commas for thousands, ``2,5`` a decimal comma.

    >>> [read_digits(t) for t in ["5,000", "1,234.5", "2,5", "12.5", "1.234,5", "x"]]
    [5000.0, 1234.5, 2.5, 12.5, 1234.5, None]
    """
    if text[:1] not in _ASCII_DIGITS:
        return None
    if "," in text and "." in text:
        thousands = "," if text.rfind(",") < text.rfind(".") else "."
        text = text.replace(thousands, "").replace(",", ".")
    elif "," in text:
        parts = text.split(",")
        text = text.replace(",", "") if all(len(p) == 3 for p in parts[1:]) else text.replace(",", ".", 1)
        text = text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def read_number_words(words: list[str], start: int) -> tuple[int, float] | None:
    """Read a number written in words from ``words[start]``: "twenty-five", "a dozen", "one hundred".

    Returns (tokens used, value), or None.

    >>> read_number_words(["twenty-five", "percent"], 0)
    (1, 25.0)
    >>> read_number_words(["a", "dozen", "webinars"], 0)
    (2, 12.0)
    >>> read_number_words(["two", "thousand", "mqls"], 0)
    (2, 2000.0)
    """
    used, total, current, seen = 0, 0.0, 0.0, False
    index = start
    if index < len(words) and words[index] in ("a", "an") and index + 1 < len(words):
        if words[index + 1] in ("dozen", "hundred", "thousand", "million"):
            current, seen, index = 1.0, True, index + 1
            used = 1
    while index < len(words):
        parts = words[index].split("-")
        if not all(p in NUMBER_WORDS for p in parts):
            break
        for part in parts:
            if part in _SCALES:
                scale = _SCALES[part]
                current = (current or 1.0) * scale
                if scale >= 1000:
                    total, current = total + current, 0.0
            elif part == "dozen":
                current = (current or 1.0) * 12
            else:
                current += _UNITS[part]
        seen = True
        index += 1
        used = index - start
        if index < len(words) and words[index] == "and" and index + 1 < len(words) and words[index + 1] in _UNITS:
            index += 1
    if not seen:
        return None
    return used, total + current
