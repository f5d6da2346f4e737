"""A/B tests on conversion rates: a two-proportion z-test, confidence intervals and a verdict in words.

The conventions, stated once (the metric catalog says the same):

- **Test**: the two-sided two-proportion z-test with the *pooled* standard error (both variants share one
  rate under the null hypothesis). Sound when each variant has roughly 10 or more conversions and
  non-conversions; the notes say so when it does not.
- **Interval of the difference** (``interval=``): ``"newcomb"`` (the default) is Newcombe's hybrid score
  interval (method 10 of Newcombe 1998), built from the Wilson intervals of the two rates; it stays sensible
  near 0% and 100% and never leaves -100..100 points. ``"wald"`` is the textbook unpooled Wald interval,
  difference ± z × standard error, which has zero width when both rates are 0% or 100% and can cross the
  bounds on small samples.
- **Interval of each rate**: Wilson's score interval (``rate_a_low`` ...).
- **Interval of the relative lift** (B against A, in percent): the Katz log interval of the ratio of the two
  rates, minus 1; empty when a variant has no conversions.
- **Sample size** (:func:`sample_size`): recipients per variant for a two-sided test, by the pooled-variance
  normal formula (Fleiss, without continuity correction); ``method="cohens_h"`` uses the arcsine effect
  size h instead (Cohen 1988), which gives slightly smaller numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING

from .._validate import checked, choice, count, number, percent
from ..errors import ParameterError
from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["INTERVALS", "ABTestResult", "ab_test", "newcombe_interval", "sample_size", "wilson_interval"]

_NORMAL = NormalDist()
INTERVALS = ("newcomb", "wald")
SIZE_METHODS = ("pooled", "cohens_h")


@dataclass(frozen=True)
class ABTestResult:
    """What an A/B test says. Rates and differences are in percent (points for differences).

    Attributes:
        rate_a: conversion rate of A, in percent.
        rate_b: conversion rate of B, in percent.
        difference: rate_b - rate_a, in percentage points.
        ci_low: lower end of the confidence interval of the difference (see ``interval``).
        ci_high: upper end of the confidence interval of the difference.
        relative_lift: difference as a percent of rate_a.
        z: the z statistic (pooled standard error).
        p_value: two-sided p-value.
        confidence: the confidence level, in percent.
        significant: whether p_value < 1 - confidence.
        winner: ``"A"``, ``"B"`` or ``None`` (no significant difference, or no test possible).
        verdict: the result in a sentence.
        notes: caveats (too few conversions, an empty variant).
        interval: how ``ci_low``/``ci_high`` were computed: ``"newcomb"`` or ``"wald"``.
        rate_a_low: lower end of the Wilson interval of rate_a (percent); ``rate_a_high``, ``rate_b_low``
            and ``rate_b_high`` likewise.
        lift_low: lower end of the interval of the relative lift (percent, Katz log method); ``lift_high``
            its upper end.

    """

    rate_a: float
    rate_b: float
    difference: float
    ci_low: float
    ci_high: float
    relative_lift: float
    z: float
    p_value: float
    confidence: float
    significant: bool
    winner: str | None
    verdict: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    interval: str = "newcomb"
    rate_a_low: float = float("nan")
    rate_a_high: float = float("nan")
    rate_b_low: float = float("nan")
    rate_b_high: float = float("nan")
    lift_low: float = float("nan")
    lift_high: float = float("nan")

    def __str__(self) -> str:
        return "\n".join([self.verdict, *self.notes])

    def table(self) -> pd.DataFrame:
        """The test's figures as a table people read: ``measure`` and ``value`` (rounded to 4 decimals).

        The measures are named in the trainee's language, the columns headed in it too (``table()["value"]``
        still reads the figures).

        >>> ab_test(200, 5000, 260, 5000).table()["value"].tolist()
        [4.0, 5.2, 1.2, 0.3789, 2.0259, 0.0042]
        """
        import pandas as pd

        from ..present import with_result_headers

        c = f"{self.confidence:g}"
        measures = [
            _("rate of A (%)"),
            _("rate of B (%)"),
            _("B minus A (points)"),
            _("{c}% interval, low").format(c=c),
            _("{c}% interval, high").format(c=c),
            _("p-value"),
        ]
        figures = [self.rate_a, self.rate_b, self.difference, self.ci_low, self.ci_high, self.p_value]
        return with_result_headers(pd.DataFrame({"measure": measures, "value": figures}).round(4))

    def _repr_html_(self) -> str:
        import html

        name = {"newcomb": _("Newcombe"), "wald": _("Wald")}.get(self.interval, self.interval)
        rows = "".join(
            f"<tr><td>{html.escape(label)}</td><td>{value}</td></tr>"
            for label, value in (
                (_("Rate A"), f"{self.rate_a:.2f}% ({self.rate_a_low:.2f} to {self.rate_a_high:.2f})"),
                (_("Rate B"), f"{self.rate_b:.2f}% ({self.rate_b_low:.2f} to {self.rate_b_high:.2f})"),
                (_("Difference (B - A)"), f"{self.difference:+.2f} pts"),
                (
                    _("{c:g}% confidence interval ({name})").format(c=self.confidence, name=name),
                    f"{self.ci_low:+.2f} to {self.ci_high:+.2f}",
                ),
                (_("Relative lift"), f"{self.relative_lift:+.1f}% ({self.lift_low:+.1f} to {self.lift_high:+.1f})"),
                (_("p-value"), f"{self.p_value:.4f}"),
            )
        )
        notes = "".join(f"<br><small>{html.escape(n)}</small>" for n in self.notes)
        return f"<p><strong>{html.escape(self.verdict)}</strong>{notes}</p><table>{rows}</table>"


def _z(confidence: float) -> float:
    return _NORMAL.inv_cdf(1 - (1 - confidence / 100) / 2)


def wilson_interval(conversions: int, visitors: int, *, confidence: float = 95.0) -> tuple[float, float]:
    """Wilson's score interval of one conversion rate, in percent; it stays inside 0-100 even at 0% or 100%.

    Args:
        conversions: recipients who converted.
        visitors: recipients.
        confidence: confidence level in percent (two-sided).

    Returns:
        (low, high) in percent; (nan, nan) when there are no visitors.

    >>> [round(x, 2) for x in wilson_interval(81, 263)]  # Newcombe (1998a), example 1: 25.53 to 36.62
    [25.53, 36.62]
    >>> [round(x, 2) for x in wilson_interval(0, 20)]
    [0.0, 16.11]

    """
    function = "wilson_interval"
    n = count(visitors, "visitors", function=function)
    x = count(conversions, "conversions", function=function)
    _check_pair(x, n, "conversions", "visitors", function)
    level = percent(confidence, "confidence", function=function, low=50, high=99.9)
    if n == 0:
        return float("nan"), float("nan")
    return tuple(100 * v for v in _wilson(x, n, _z(level)))  # type: ignore[return-value]


def _wilson(x: int, n: int, z: float) -> tuple[float, float]:
    p = x / n
    centre = (2 * n * p + z * z) / (2 * (n + z * z))
    half = z * math.sqrt(z * z + 4 * n * p * (1 - p)) / (2 * (n + z * z))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_interval(
    conversions_a: int, visitors_a: int, conversions_b: int, visitors_b: int, *, confidence: float = 95.0
) -> tuple[float, float]:
    """Newcombe's hybrid score interval of rate_b - rate_a, in percentage points (method 10 of Newcombe 1998).

    >>> [round(x, 2) for x in newcombe_interval(48, 80, 56, 70)]  # Newcombe (1998b), example (a)
    [5.24, 33.39]
    >>> [round(x, 2) for x in newcombe_interval(0, 20, 0, 10)]  # both 0%: still an interval, not a point
    [-16.11, 27.75]

    """
    function = "newcombe_interval"
    counts = _counts(conversions_a, visitors_a, conversions_b, visitors_b, function=function)
    level = percent(confidence, "confidence", function=function, low=50, high=99.9)
    if counts[1] == 0 or counts[3] == 0:
        return float("nan"), float("nan")
    return _newcombe(*counts, _z(level))


def _newcombe(x_a: int, n_a: int, x_b: int, n_b: int, z: float) -> tuple[float, float]:
    p_a, p_b = x_a / n_a, x_b / n_b
    low_a, high_a = _wilson(x_a, n_a, z)
    low_b, high_b = _wilson(x_b, n_b, z)
    d = p_b - p_a
    low = d - math.sqrt((p_b - low_b) ** 2 + (high_a - p_a) ** 2)
    high = d + math.sqrt((high_b - p_b) ** 2 + (p_a - low_a) ** 2)
    return 100 * max(-1.0, low), 100 * min(1.0, high)


def _check_pair(conversions: int, visitors: int, c_name: str, v_name: str, function: str) -> None:
    if conversions > visitors:
        raise ParameterError(
            _("{function}: '{c}' must be at most '{v}' (got {x} of {n}); a conversion rate cannot exceed 100%").format(
                function=function, c=c_name, v=v_name, x=conversions, n=visitors
            )
        )


def _counts(*values: object, function: str) -> tuple[int, int, int, int]:
    names = ("conversions_a", "visitors_a", "conversions_b", "visitors_b")
    x_a, n_a, x_b, n_b = (count(v, name, function=function) for v, name in zip(values, names, strict=True))
    _check_pair(x_a, n_a, "conversions_a", "visitors_a", function)
    _check_pair(x_b, n_b, "conversions_b", "visitors_b", function)
    return x_a, n_a, x_b, n_b


@checked
def ab_test(
    conversions_a: int,
    visitors_a: int,
    conversions_b: int,
    visitors_b: int,
    *,
    confidence: float = 95.0,
    interval: str = "newcomb",
) -> ABTestResult:
    """Compare the conversion rates of two variants with a two-sided two-proportion z-test.

    Args:
        conversions_a: recipients of A who converted (clicked, signed up...), a whole number.
        visitors_a: recipients of A.
        conversions_b: recipients of B who converted.
        visitors_b: recipients of B.
        confidence: confidence level in percent (95 means a 5% significance level, two-sided).
        interval: the interval of the difference: ``"newcomb"`` (Newcombe's hybrid score interval, good
            near 0% and 100%) or ``"wald"`` (difference ± z × unpooled standard error). The z-test uses the
            pooled standard error either way; see the module's notes.

    Returns:
        An :class:`ABTestResult`, with Wilson intervals of both rates and an interval of the relative lift.
        A variant with no recipients gives NaN figures and a verdict saying why, never an error.

    Raises:
        ParameterError: a count that is not a whole number of 0 or more (True/False, NaN and text included),
            more conversions than recipients, or a confidence written as a fraction (0.95 for 95).

    >>> result = ab_test(200, 5000, 260, 5000)
    >>> round(result.difference, 2), round(result.p_value, 4), result.winner
    (1.2, 0.0042, 'B')
    >>> round(result.ci_low, 2), round(result.ci_high, 2), round(result.lift_low, 1), round(result.lift_high, 1)
    (0.38, 2.03, 8.6, 55.7)
    >>> ab_test(0, 0, 12, 100).verdict
    'No test possible: variant A has no recipients.'

    """
    function = "ab_test"
    confidence = percent(confidence, "confidence", function=function, low=50, high=99.9)
    interval = choice(interval, "interval", INTERVALS, function=function)
    conversions_a, visitors_a, conversions_b, visitors_b = _counts(
        conversions_a, visitors_a, conversions_b, visitors_b, function=function
    )
    nan = float("nan")
    empty = [name for name, n in (("A", visitors_a), ("B", visitors_b)) if n == 0]
    if empty:
        verdict = _("No test possible: variant {names} has no recipients.").format(names=" and ".join(empty))
        return ABTestResult(nan, nan, nan, nan, nan, nan, nan, nan, confidence, False, None, verdict, interval=interval)
    z_level = _z(confidence)
    p_a, p_b = conversions_a / visitors_a, conversions_b / visitors_b
    pooled = (conversions_a + conversions_b) / (visitors_a + visitors_b)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / visitors_a + 1 / visitors_b))
    z = (p_b - p_a) / se_pooled if se_pooled else nan
    p_value = 2 * (1 - _NORMAL.cdf(abs(z))) if se_pooled else nan
    significant = bool(se_pooled) and p_value < 1 - confidence / 100
    winner = ("B" if p_b > p_a else "A") if significant else None
    difference = 100 * (p_b - p_a)
    if interval == "wald":
        margin = 100 * z_level * math.sqrt(p_a * (1 - p_a) / visitors_a + p_b * (1 - p_b) / visitors_b)
        ci_low, ci_high = difference - margin, difference + margin
    else:
        ci_low, ci_high = _newcombe(conversions_a, visitors_a, conversions_b, visitors_b, z_level)
    notes = []
    small = [
        name
        for name, c, n in (("A", conversions_a, visitors_a), ("B", conversions_b, visitors_b))
        if min(c, n - c) < 10
    ]
    if small:
        notes.append(
            _(
                "Variant {names} has fewer than 10 conversions or non-conversions: the z-test is rough there; "
                "collect more data before deciding."
            ).format(names=" and ".join(small))
        )
    if interval == "wald" and any(c in (0, n) for c, n in ((conversions_a, visitors_a), (conversions_b, visitors_b))):
        notes.append(
            _(
                "A rate of 0% or 100% gives the Wald interval no width from that variant; "
                "interval='newcomb' gives an honest one."
            )
        )
    lift_low, lift_high = _lift_interval(conversions_a, visitors_a, conversions_b, visitors_b, z_level)
    if not conversions_a or not conversions_b:
        notes.append(
            _("A variant with no conversions has no relative lift interval (a ratio with 0); use the difference.")
        )
    if not se_pooled:
        verdict = _("No test possible: both variants converted at the same rate of {rate:.1f}% (no variation).").format(
            rate=100 * p_a
        )
    elif significant:
        verdict = _(
            "{winner} wins: {rate_w:.2f}% against {rate_l:.2f}%, a difference of {diff:.2f} percentage points "
            "(p = {p:.4f}, significant at {conf:g}% confidence)."
        ).format(
            winner=winner,
            rate_w=100 * max(p_a, p_b),
            rate_l=100 * min(p_a, p_b),
            diff=abs(difference),
            p=p_value,
            conf=confidence,
        )
    else:
        verdict = _(
            "No significant difference: {rate_a:.2f}% (A) against {rate_b:.2f}% (B), p = {p:.4f}; at {conf:g}% "
            "confidence the gap could be chance."
        ).format(rate_a=100 * p_a, rate_b=100 * p_b, p=p_value, conf=confidence)
    wilson_a = _wilson(conversions_a, visitors_a, z_level)
    wilson_b = _wilson(conversions_b, visitors_b, z_level)
    return ABTestResult(
        rate_a=100 * p_a,
        rate_b=100 * p_b,
        difference=difference,
        ci_low=ci_low,
        ci_high=ci_high,
        relative_lift=100 * (p_b - p_a) / p_a if p_a else nan,
        z=z,
        p_value=p_value,
        confidence=confidence,
        significant=significant,
        winner=winner,
        verdict=verdict,
        notes=tuple(notes),
        interval=interval,
        rate_a_low=100 * wilson_a[0],
        rate_a_high=100 * wilson_a[1],
        rate_b_low=100 * wilson_b[0],
        rate_b_high=100 * wilson_b[1],
        lift_low=lift_low,
        lift_high=lift_high,
    )


def _lift_interval(x_a: int, n_a: int, x_b: int, n_b: int, z: float) -> tuple[float, float]:
    """Katz's log interval of the rate ratio B/A, as a relative lift in percent (ratio - 1)."""
    if not x_a or not x_b:
        return float("nan"), float("nan")
    ratio = (x_b / n_b) / (x_a / n_a)
    se = math.sqrt(1 / x_b - 1 / n_b + 1 / x_a - 1 / n_a)
    return 100 * (ratio * math.exp(-z * se) - 1), 100 * (ratio * math.exp(z * se) - 1)


@checked
def sample_size(
    baseline_rate: float | str,
    minimum_effect: float,
    *,
    confidence: float = 95.0,
    power: float = 80.0,
    method: str = "pooled",
) -> int:
    """Recipients each variant needs to detect a difference of ``minimum_effect`` percentage points.

    Two-sided test at ``confidence``, equal group sizes.

    Args:
        baseline_rate: today's conversion rate, in percent (4 for 4%). A value between 0 and 1 is refused as
            a likely fraction; write a rate that really is under 1% with its sign: ``"0.5%"``.
        minimum_effect: the smallest difference worth detecting, in percentage points (1 for 4% → 5%; -1 to
            detect a drop).
        confidence: confidence level in percent (two-sided).
        power: chance, in percent, of detecting a real difference of that size.
        method: ``"pooled"`` (the normal formula with the pooled variance under the null hypothesis and the
            unpooled one under the alternative, as in Fleiss; no continuity correction) or ``"cohens_h"``
            (the arcsine effect size h = 2·asin√p₂ - 2·asin√p₁, n = 2·((z_α/2 + z_β) / h)²).

    >>> sample_size(4, 1)
    6745
    >>> sample_size(4, 1, method="cohens_h")
    6726
    >>> sample_size(20, 5) < sample_size(20, 2)
    True

    """
    function = "sample_size"
    method = choice(method, "method", SIZE_METHODS, function=function)
    baseline_rate = percent(baseline_rate, "baseline_rate", function=function, low=0, high=100, inclusive=False)
    minimum_effect = number(minimum_effect, "minimum_effect", function=function)
    if minimum_effect == 0 or not 0 < baseline_rate + minimum_effect < 100:
        raise ParameterError(
            _(
                "{function}: 'minimum_effect' must be a non-zero number of percentage points that keeps the rate "
                "between 0 and 100 (got {effect} on a baseline of {baseline}); write 1 for a change of one point"
            ).format(function=function, effect=minimum_effect, baseline=baseline_rate)
        )
    confidence = percent(confidence, "confidence", function=function, low=50, high=99.9)
    power = percent(power, "power", function=function, low=50, high=99.9)
    p1, p2 = baseline_rate / 100, (baseline_rate + minimum_effect) / 100
    z_alpha = _z(confidence)
    z_beta = _NORMAL.inv_cdf(power / 100)
    if method == "cohens_h":
        h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
        size = 2 * ((z_alpha + z_beta) / h) ** 2 if h else math.inf
    else:
        mean = (p1 + p2) / 2
        top = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
        size = top**2 / (p2 - p1) ** 2 if p2 != p1 else math.inf
    if not size < 1e12:
        raise ParameterError(
            _(
                "{function}: 'minimum_effect' must be large enough to detect (got {effect} points): no test could "
                "collect the recipients it needs; choose the smallest difference that would change a decision"
            ).format(function=function, effect=minimum_effect)
        )
    return math.ceil(size)
