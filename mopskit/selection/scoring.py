"""The weighted scoring matrix: must-haves as gates, nice-to-haves weighted, every score explained.

For each offer: a must-have scored 0 (or not scored) refuses it, whatever else it scores, and so does a tier
that cannot hold the seats needed. The weighted score is the points earned on the nice-to-haves (weight × score)
over the points possible (weight × 5), as a percentage. The highest weighted score among the offers not refused
wins; a refused offer is ranked after every eligible one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._validate import checked
from .._validate import count as v_count
from ..errors import ParameterError
from ..i18n import _, _n, content_text
from ..present import for_people
from .requirements import Requirements, read_requirements
from .vendors import SCORE_MAX, Offer, Offers, read_vendors

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = ["Evaluation", "score_vendors", "weighted_score"]


@checked
def weighted_score(offer: Offer, requirements: Requirements) -> float:
    """The offer's weighted score from 0 to 100: points earned on the nice-to-haves over points possible.

    A nice-to-have with no score recorded earns 0. Must-haves do not count here: they are gates.

    >>> from mopskit.selection import Offer, Requirements
    >>> reqs = Requirements.of([("A", "a", "x", "nice", 3), ("B", "b", "x", "nice", 1)])
    >>> weighted_score(Offer("V", scores={"A": 4, "B": 2}), reqs)  # (3×4 + 1×2) / (3×5 + 1×5) × 100
    70.0
    """
    possible = SCORE_MAX * requirements.total_weight
    if possible == 0:
        return 0.0
    earned = sum(r.weight * (offer.scores.get(r.id) or 0.0) for r in requirements.nice)
    return round(100 * earned / possible, 2)


@dataclass(frozen=True)
class Evaluation:
    """The scoring matrix of a set of offers against a requirements list.

    Attributes:
        requirements: the requirements scored against.
        offers: the offers scored.
        seats: the seats needed (a tier that cannot hold them is refused), or ``None``.
        ranking: one row per offer, best first: ``rank``, ``offer``, ``eligible``, ``score`` (0-100), ``points``,
            ``possible``, ``missing`` (the must-haves it does not meet) and ``reason`` (why it is refused).
        details: one row per offer and requirement: the weight, the score, the ``points`` earned and
            ``possible``, the ``share_pct`` of the offer's score it makes up, and an ``explanation`` in words.
        winner: the best eligible offer, or ``None`` when every offer is refused.
        notes: what the scoring noticed (ties, scores not recorded).

    """

    requirements: Requirements
    offers: Offers
    seats: int | None
    ranking: pd.DataFrame
    details: pd.DataFrame
    winner: str | None
    notes: tuple[str, ...] = field(default=())

    @property
    def eligible(self) -> list[str]:
        """The offers not refused, best first."""
        return self.ranking.loc[self.ranking["eligible"], "offer"].tolist()

    @property
    def refused(self) -> dict[str, str]:
        """The refused offers, each with the reason."""
        table = self.ranking[~self.ranking["eligible"]]
        return dict(zip(table["offer"], table["reason"], strict=True))

    @property
    def runner_up(self) -> str | None:
        """The second-best eligible offer, if any."""
        return self.eligible[1] if len(self.eligible) > 1 else None

    def score_of(self, offer: str) -> float:
        """One offer's weighted score (0-100)."""
        self.offers.get(offer)  # an unknown name lists the valid ones
        return float(self.ranking.set_index("offer").loc[offer, "score"])

    def matrix(self) -> pd.DataFrame:
        """The matrix as people draw it: one row per requirement (priority, weight), one column of scores per offer."""
        scores = self.details.pivot(index="id", columns="offer", values="score")
        table = self.requirements.frame().set_index("id")[["requirement", "priority", "weight"]]
        return table.join(scores[[o for o in self.ranking["offer"]]]).reset_index()

    def explain(self, offer: str) -> str:
        """Why the offer scores what it scores (or is refused), requirement by requirement."""
        name = self.offers.get(offer).name
        row = self.ranking.set_index("offer").loc[name]
        lines = [
            _("{offer}: weighted score {score:g}/100 ({points:g} of {possible:g} points); rank {rank}.").format(
                offer=name, score=row["score"], points=row["points"], possible=row["possible"], rank=row["rank"]
            )
        ]
        if not row["eligible"]:
            lines.append(_("Refused: {reason}.").format(reason=row["reason"]))
        lines += [f"- {text}" for text in self.details.loc[self.details["offer"] == name, "explanation"]]
        return "\n".join(lines)

    def summary(self) -> str:
        """The result in a few sentences."""
        if self.winner is None:
            return _("Every offer is refused: none meets all the must-haves ({reasons}).").format(
                reasons="; ".join(f"{k}: {v}" for k, v in self.refused.items())
            )
        first = _("{winner} scores highest among the offers that meet every must-have: {score:g}/100.").format(
            winner=self.winner, score=self.score_of(self.winner)
        )
        parts = [first]
        if self.runner_up:
            parts.append(
                _("{second} follows with {score:g}/100.").format(
                    second=self.runner_up, score=self.score_of(self.runner_up)
                )
            )
        for name, reason in self.refused.items():
            parts.append(_("{offer} is refused: it {reason}.").format(offer=name, reason=reason))
        return " ".join(parts)

    def _repr_html_(self) -> str:
        import html

        shown = self.ranking[["rank", "offer", "eligible", "score", "missing", "reason"]]
        return f"<p>{html.escape(self.summary())}</p>" + shown.to_html(index=False, na_rep="")


def _explanation(offer: Offer, req: Any, score: float | None, points: float, total: float) -> str:
    note = offer.notes.get(req.id)
    said = f" ({note})" if note else ""
    if req.must:
        if score is None:
            return _("{label}: must-have, no score recorded: counts as not met.").format(label=req.label())
        if score == 0:
            return _("{label}: must-have, scored 0: not met{said}.").format(label=req.label(), said=said)
        return _("{label}: must-have, met (scored {score:g}/{top}){said}.").format(
            label=req.label(), score=score, top=SCORE_MAX, said=said
        )
    possible = req.weight * SCORE_MAX
    if score is None:
        return _("{label}: no score recorded, counted as 0 of {possible:g} points.").format(
            label=req.label(), possible=possible
        )
    share = 100 * points / total if total else 0.0
    return _(
        "{label}: scored {score:g}/{top} × weight {weight:g} = {points:g} of {possible:g} points "
        "({share:.0f}% of its total){said}."
    ).format(
        label=req.label(),
        score=score,
        top=SCORE_MAX,
        weight=req.weight,
        points=points,
        possible=possible,
        share=share,
        said=said,
    )


@checked
def score_vendors(
    requirements: Requirements | str | Path | pd.DataFrame,
    offers: Offers | str | Path | pd.DataFrame,
    *,
    seats: int | None = None,
) -> Evaluation:
    """Score every offer against the requirements: refuse those missing a must-have, weight the rest.

    Args:
        requirements: a :class:`Requirements`, or a requirements file or DataFrame.
        offers: :class:`Offers`, or a vendors file or DataFrame (its score columns name the requirements).
        seats: the seats needed; a tier whose ``max_seats`` is lower is refused.

    Returns:
        An :class:`Evaluation`: ranking, details with an explanation per score, and the winner.

    Raises:
        ParameterError: ``seats`` is not a whole number of 1 or more.
        DataError: a file does not read (see :func:`read_requirements`, :func:`read_vendors`).

    >>> from mopskit.selection import Offer, Offers, Requirements
    >>> reqs = Requirements.of([("M", "SSO", "IT", "must", 0), ("A", "A/B tests", "Marketing", "nice", 3),
    ...                         ("B", "Templates", "Marketing", "nice", 1)])
    >>> offers = Offers((Offer("Best", scores={"M": 0, "A": 5, "B": 5}), Offer("Good", scores={"M": 4, "A": 4, "B": 2}),
    ...                  Offer("Fair", scores={"M": 3, "A": 2, "B": 5})))
    >>> evaluation = score_vendors(reqs, offers)
    >>> evaluation.winner, evaluation.score_of("Good"), evaluation.refused
    ('Good', 70.0, {'Best': 'misses the must-have M (SSO)'})

    """
    import pandas as pd

    if seats is not None:
        seats = v_count(seats, "seats", function="score_vendors", minimum=1)
    reqs = read_requirements(requirements)
    chosen = read_vendors(offers, reqs)
    if not len(chosen):
        raise ParameterError(_("there is no offer to score: the vendors list is empty"))
    rows, details, notes = [], [], []
    for offer in chosen:
        points = sum(r.weight * (offer.scores.get(r.id) or 0.0) for r in reqs.nice)
        missing = [r for r in reqs.musts if not offer.scores.get(r.id)]
        reasons = []
        if missing:
            reasons.append(
                _n("misses the must-have {what}", "misses the must-haves {what}", len(missing)).format(
                    what=", ".join(f"{r.id} ({content_text(r.text)})" for r in missing)
                )
            )
        if seats is not None and not offer.fits(seats):
            reasons.append(
                _("holds at most {most} seats on its {tier} tier, and {seats} are needed").format(
                    tier=offer.tier or offer.name, most=offer.max_seats, seats=seats
                )
            )
        unscored = [r.id for r in reqs if offer.scores.get(r.id, None) is None]
        if unscored:
            notes.append(
                _("{offer}: no score recorded for {ids} (counted as 0, and as not met for a must-have)").format(
                    offer=offer.name, ids=", ".join(unscored)
                )
            )
        rows.append(
            {
                "offer": offer.name,
                "eligible": not reasons,
                "score": weighted_score(offer, reqs),
                "points": round(points, 2),
                "possible": SCORE_MAX * reqs.total_weight,
                "missing": ", ".join(r.id for r in missing),
                "reason": "; ".join(reasons),
            }
        )
        for r in reqs:
            score = offer.scores.get(r.id)
            earned = 0.0 if r.must else r.weight * (score or 0.0)
            details.append(
                {
                    "offer": offer.name,
                    "id": r.id,
                    "requirement": r.text,
                    "stakeholder": r.stakeholder,
                    "priority": r.priority,
                    "weight": r.weight if not r.must else None,
                    "score": score,
                    "points": earned,
                    "possible": 0.0 if r.must else r.weight * SCORE_MAX,
                    "share_pct": round(100 * earned / points, 1) if points and not r.must else 0.0,
                    "met": bool(score) if r.must else None,
                    "explanation": _explanation(offer, r, score, earned, points),
                }
            )
    ranking = pd.DataFrame(rows)
    ranking = ranking.sort_values(["eligible", "score", "offer"], ascending=[False, False, True], kind="stable")
    ranking.insert(0, "rank", range(1, len(ranking) + 1))
    ranking = ranking.reset_index(drop=True)
    eligible = ranking[ranking["eligible"]]
    winner = str(eligible["offer"].iloc[0]) if len(eligible) else None
    if len(eligible) > 1 and eligible["score"].iloc[0] == eligible["score"].iloc[1]:
        tied = eligible.loc[eligible["score"] == eligible["score"].iloc[0], "offer"].tolist()
        notes.append(
            _("{offers} tie at {score:g}/100; {winner} is listed first by name only: decide on cost and risk").format(
                offers=", ".join(tied), score=eligible["score"].iloc[0], winner=winner
            )
        )
    headers = {
        "rank": _("rank"),
        "offer": _("offer"),
        "eligible": _("eligible"),
        "score": _("score"),
        "points": _("points"),
        "possible": _("possible"),
        "missing": _("missing must-haves"),
        "reason": _("refused because"),
    }
    return Evaluation(reqs, chosen, seats, for_people(ranking, headers), pd.DataFrame(details), winner, tuple(notes))
