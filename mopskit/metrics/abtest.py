"""A/B tests on conversion rates: a two-proportion z-test with a confidence interval and a verdict in words.

Uses the normal approximation, which is sound when each variant has at least a handful of conversions and
non-conversions (roughly 10 of each); the verdict says so when that is not the case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist

from ..errors import ParameterError
from ..i18n import _

__all__ = ["ABTestResult", "ab_test", "sample_size"]

_NORMAL = NormalDist()


@dataclass(frozen=True)
class ABTestResult:
    """What an A/B test says. Rates and differences are in percent (points for differences).

    Attributes:
        rate_a: conversion rate of A, in percent.
        rate_b: conversion rate of B, in percent.
        difference: rate_b - rate_a, in percentage points.
        ci_low: lower end of the confidence interval of the difference.
        ci_high: upper end of the confidence interval of the difference.
        relative_lift: difference as a percent of rate_a.
        z: the z statistic (pooled standard error).
        p_value: two-sided p-value.
        confidence: the confidence level, in percent.
        significant: whether p_value < 1 - confidence.
        winner: ``"A"``, ``"B"`` or ``None`` (no significant difference, or no test possible).
        verdict: the result in a sentence.
        notes: caveats (too few conversions, an empty variant).

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

    def __str__(self) -> str:
        return "\n".join([self.verdict, *self.notes])

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(label)}</td><td>{value}</td></tr>"
            for label, value in (
                (_("Rate A"), f"{self.rate_a:.2f}%"),
                (_("Rate B"), f"{self.rate_b:.2f}%"),
                (_("Difference (B - A)"), f"{self.difference:+.2f} pts"),
                (
                    _("{c:g}% confidence interval").format(c=self.confidence),
                    f"{self.ci_low:+.2f} to {self.ci_high:+.2f}",
                ),
                (_("p-value"), f"{self.p_value:.4f}"),
            )
        )
        notes = "".join(f"<br><small>{html.escape(n)}</small>" for n in self.notes)
        return f"<p><strong>{html.escape(self.verdict)}</strong>{notes}</p><table>{rows}</table>"


def _check_counts(conversions: int, visitors: int, name: str) -> None:
    for label, value in ((f"conversions_{name}", conversions), (f"visitors_{name}", visitors)):
        if value < 0 or value != int(value):
            raise ParameterError(
                _("'{label}' must be a whole number, 0 or more (got {value})").format(label=label, value=value)
            )
    if conversions > visitors:
        raise ParameterError(
            f"'conversions_{name}' must be at most 'visitors_{name}' (got {conversions} of {visitors}); "
            "a conversion rate cannot exceed 100%"
        )


def ab_test(
    conversions_a: int,
    visitors_a: int,
    conversions_b: int,
    visitors_b: int,
    *,
    confidence: float = 95.0,
) -> ABTestResult:
    """Compare the conversion rates of two variants with a two-proportion z-test.

    Args:
        conversions_a: recipients of A who converted (clicked, signed up...).
        visitors_a: recipients of A.
        conversions_b: recipients of B who converted.
        visitors_b: recipients of B.
        confidence: confidence level in percent (95 means a 5% significance level).

    Returns:
        An :class:`ABTestResult`. A variant with no recipients gives NaN figures and a verdict saying why,
        never an error.

    >>> result = ab_test(200, 5000, 260, 5000)
    >>> round(result.difference, 2), round(result.p_value, 4), result.winner
    (1.2, 0.0042, 'B')
    >>> ab_test(0, 0, 12, 100).verdict
    'No test possible: variant A has no recipients.'

    """
    if not 50 <= confidence < 100:
        raise ParameterError(
            _("'confidence' must be a percent from 50 to 99.9, like 95 (got {confidence})").format(
                confidence=confidence
            )
        )
    _check_counts(conversions_a, visitors_a, "a")
    _check_counts(conversions_b, visitors_b, "b")
    nan = float("nan")
    empty = [name for name, n in (("A", visitors_a), ("B", visitors_b)) if n == 0]
    if empty:
        verdict = _("No test possible: variant {names} has no recipients.").format(names=" and ".join(empty))
        return ABTestResult(nan, nan, nan, nan, nan, nan, nan, nan, confidence, False, None, verdict)
    p_a, p_b = conversions_a / visitors_a, conversions_b / visitors_b
    pooled = (conversions_a + conversions_b) / (visitors_a + visitors_b)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / visitors_a + 1 / visitors_b))
    se = math.sqrt(p_a * (1 - p_a) / visitors_a + p_b * (1 - p_b) / visitors_b)
    z = (p_b - p_a) / se_pooled if se_pooled else nan
    p_value = 2 * (1 - _NORMAL.cdf(abs(z))) if se_pooled else nan
    margin = _NORMAL.inv_cdf(1 - (1 - confidence / 100) / 2) * se
    significant = bool(se_pooled) and p_value < 1 - confidence / 100
    winner = ("B" if p_b > p_a else "A") if significant else None
    difference = 100 * (p_b - p_a)
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
    return ABTestResult(
        rate_a=100 * p_a,
        rate_b=100 * p_b,
        difference=difference,
        ci_low=difference - 100 * margin,
        ci_high=difference + 100 * margin,
        relative_lift=100 * (p_b - p_a) / p_a if p_a else nan,
        z=z,
        p_value=p_value,
        confidence=confidence,
        significant=significant,
        winner=winner,
        verdict=verdict,
        notes=tuple(notes),
    )


def sample_size(baseline_rate: float, minimum_effect: float, *, confidence: float = 95.0, power: float = 80.0) -> int:
    """Recipients each variant needs to detect a difference of ``minimum_effect`` percentage points.

    Args:
        baseline_rate: today's conversion rate, in percent (e.g. 4 for 4%).
        minimum_effect: the smallest difference worth detecting, in percentage points (e.g. 1 for 4% → 5%).
        confidence: confidence level in percent (two-sided).
        power: chance, in percent, of detecting a real difference of that size.

    >>> sample_size(4, 1)
    6745
    >>> sample_size(20, 5) < sample_size(20, 2)
    True

    """
    if not 0 < baseline_rate < 100:
        raise ParameterError(
            f"'baseline_rate' must be a percent between 0 and 100, like 4 for 4% (got {baseline_rate})"
        )
    if minimum_effect == 0 or not 0 < baseline_rate + minimum_effect < 100:
        raise ParameterError(
            f"'minimum_effect' must be a non-zero number of percentage points that keeps the rate between 0 and 100 "
            f"(got {minimum_effect} on a baseline of {baseline_rate})"
        )
    if not 50 <= confidence < 100 or not 50 <= power < 100:
        raise ParameterError(
            _("'confidence' and 'power' must be percents from 50 to 99.9 (got {confidence}, {power})").format(
                confidence=confidence, power=power
            )
        )
    p1, p2 = baseline_rate / 100, (baseline_rate + minimum_effect) / 100
    z_alpha = _NORMAL.inv_cdf(1 - (1 - confidence / 100) / 2)
    z_beta = _NORMAL.inv_cdf(power / 100)
    mean = (p1 + p2) / 2
    top = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(top**2 / (p2 - p1) ** 2)
