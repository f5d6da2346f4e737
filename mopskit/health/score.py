"""The health score: one number from 0 to 100, the weighted mean of its parts, each part explained.

Each part is a share of things that are fine (records without a data problem, people whose opt-out is
respected, sends with normal rates, MQLs followed up in time, campaign members whose data agree, days the web
analytics worked) or, for the stack, the stack audit's own score. A part the exports say nothing about is not
scored and weighs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._validate import checked, number, problem
from ..errors import ParameterError
from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PARTS", "HealthScore", "health_score"]

PARTS = {
    "consent": "Consent",
    "quality": "Data quality",
    "email": "Email health",
    "funnel": "Funnel and SLA",
    "campaigns": "Campaign responses",
    "tracking": "Web tracking",
    "stack": "Martech stack",
}


@dataclass(frozen=True)
class HealthScore:
    """The company's MOps health score.

    Attributes:
        score: 0-100, or NaN when no part could be scored.
        parts: one row per part: ``part``, ``name``, ``score`` (NaN if not scored), ``weight``, ``explanation``.

    """

    score: float
    parts: pd.DataFrame

    def weakest(self) -> str | None:
        """The scored part with the lowest score, or None."""
        scored = self.parts.dropna(subset=["score"])
        return None if scored.empty else str(scored.sort_values(["score", "part"]).iloc[0]["part"])

    def explain(self) -> str:
        """The score and its parts, a line each."""
        lines = [_("Health score: {score}").format(score=_number(self.score))]
        for row in self.parts.itertuples():
            lines.append(f"  {row.name}: {_number(row.score)} ({row.explanation})")
        return "\n".join(lines)


def _number(value: float) -> str:
    return "not scored" if value != value else f"{value:.0f}/100"


def _part_score(entry: object, part: str) -> tuple[float, str]:
    """One part's (score, explanation), checked: a score from 0 to 100, or NaN for a part not scored."""
    if not isinstance(entry, tuple | list) or len(entry) != 2:
        rule = _("a pair (score from 0 to 100, explanation)")
        raise ParameterError(problem("health_score", f"scores[{part!r}]", rule, entry))
    value, explanation = entry
    if isinstance(value, float) and math.isnan(value):
        return value, str(explanation)
    return number(value, f"scores[{part!r}]", function="health_score", minimum=0, maximum=100), str(explanation)


@checked
def health_score(scores: Mapping[str, tuple[float, str]], *, weights: Mapping[str, float] | None = None) -> HealthScore:
    """Combine the parts' scores into the health score.

    Args:
        scores: each part's score (0-100 or NaN) and explanation.
        weights: weight of each part (default 1 each); parts: see :data:`PARTS`.

    Raises:
        ParameterError: a weight for an unknown part, or a negative weight.

    >>> result = health_score({"quality": (80.0, "x"), "consent": (100.0, "y"), "email": (float("nan"), "z")})
    >>> result.score, result.weakest()
    (90.0, 'quality')

    """
    import pandas as pd

    weights = dict(weights or {})
    unknown = sorted(set(weights) - set(PARTS))
    if unknown:
        raise ParameterError(
            _("unknown health part(s) {parts} in 'weights'; valid: {valid}").format(
                parts=", ".join(unknown), valid=", ".join(PARTS)
            )
        )
    weights = {p: number(w, f"weights[{p!r}]", function="health_score", minimum=0) for p, w in weights.items()}
    unknown = sorted(str(p) for p in set(scores) - set(PARTS))
    if unknown:
        raise ParameterError(
            _("unknown health part(s) {parts} in 'scores'; valid: {valid}").format(
                parts=", ".join(unknown), valid=", ".join(PARTS)
            )
        )
    rows = []
    for part, name in PARTS.items():
        value, explanation = _part_score(scores.get(part, (float("nan"), _("not checked"))), part)
        rows.append(
            {
                "part": part,
                "name": _(name),
                "score": float(value),
                "weight": float(weights.get(part, 1.0)),
                "explanation": explanation,
            }
        )
    parts = pd.DataFrame(rows)
    scored = parts.dropna(subset=["score"])
    total = float(scored["weight"].sum())
    overall = float("nan") if not total else round(float((scored["score"] * scored["weight"]).sum()) / total, 1)
    return HealthScore(overall if not math.isnan(overall) else float("nan"), parts)
