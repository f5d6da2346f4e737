"""Sensitivity of a scoring matrix: would one weight moving change the winner, and how far must it move.

Weights are judgement, so a recommendation should say how much it leans on them. Changing one nice-to-have's
weight changes every offer's score, but the order of two offers depends only on the points they earn: with the
weight of requirement *i* at *w*, offer A beats offer B while ``A_rest + w·a > B_rest + w·b`` (``a``, ``b``: their
scores on *i*; ``*_rest``: the points earned on every other requirement). So the two tie at
``w* = (A_rest − B_rest) / (b − a)``, and past it the other offer wins. :func:`sensitivity` finds, for each
weight, the nearest such point at which any offer overtakes the winner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._validate import checked
from .._validate import number as v_number
from ..errors import ParameterError
from ..i18n import _
from .scoring import Evaluation, score_vendors

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

__all__ = ["Sensitivity", "flip_weight", "sensitivity", "what_if"]


def _points_without(evaluation: Evaluation, offer: str, requirement_id: str) -> float:
    details = evaluation.details
    mine = details[(details["offer"] == offer) & (details["id"] != requirement_id)]
    return float(mine["points"].sum())


@checked
def flip_weight(evaluation: Evaluation, requirement_id: str) -> tuple[float, str] | None:
    """The weight of one nice-to-have at which another eligible offer ties the winner, and that offer.

    Past that weight (above it when the challenger scores higher on the requirement, below it when lower) the
    challenger wins. The nearest such weight to the current one is returned, or ``None`` when no weight of 0 or
    more changes the winner.

    Raises:
        ParameterError: an unknown requirement, a must-have (it has no weight), or no winner to overtake.

    >>> from mopskit.selection import Offer, Offers, Requirements, score_vendors
    >>> reqs = Requirements.of([("A", "a", "x", "nice", 1), ("B", "b", "x", "nice", 1)])
    >>> evaluation = score_vendors(reqs, Offers((Offer("P", scores={"A": 5, "B": 1}),
    ...                                          Offer("Q", scores={"A": 1, "B": 4}))))
    >>> evaluation.winner, flip_weight(evaluation, "B")  # P: 1·5 + w·1, Q: 1·1 + w·4; equal at w = 4/3
    ('P', (1.3333, 'Q'))

    """
    req = evaluation.requirements.get(requirement_id)
    if req.must:
        raise ParameterError(
            _("'{id}' is a must-have: it is pass or fail and has no weight to change").format(id=requirement_id)
        )
    winner = evaluation.winner
    if winner is None:
        raise ParameterError(_("every offer is refused: there is no winner whose lead could change"))
    scores = evaluation.details[evaluation.details["id"] == requirement_id].set_index("offer")["score"].fillna(0.0)
    best: tuple[float, float, str] | None = None
    for challenger in evaluation.eligible:
        if challenger == winner or scores[challenger] == scores[winner]:
            continue
        gap = _points_without(evaluation, winner, requirement_id) - _points_without(
            evaluation, challenger, requirement_id
        )
        tie = gap / (float(scores[challenger]) - float(scores[winner]))
        if tie < 0:
            continue  # the challenger would need a negative weight
        if scores[challenger] > scores[winner] and tie < req.weight:
            continue  # it is already behind at a lower weight than the tie point: moving up only widens the gap
        if scores[challenger] < scores[winner] and tie > req.weight:
            continue
        distance = abs(tie - req.weight)
        if best is None or (distance, challenger) < (best[0], best[2]):
            best = (distance, tie, challenger)
    return None if best is None else (round(best[1], 4), best[2])


@dataclass(frozen=True)
class Sensitivity:
    """How the winner of an evaluation holds up when one weight moves.

    Attributes:
        evaluation: the evaluation tested.
        change: how far each weight was moved, up and down, in :attr:`table`'s ``winner_if_lower``/``_higher``.
        table: one row per nice-to-have: its ``weight``, the winner with the weight lowered and raised by
            ``change``, ``flips`` (whether either differs from the winner), and the ``flip_weight`` at which another
            offer (``new_winner``) ties the winner, with the ``flip_change`` that takes (signed; empty if none).
        smallest: the row (a dict) of the weight that flips the winner with the smallest change, or ``None``.

    """

    evaluation: Evaluation
    change: float
    table: pd.DataFrame
    smallest: dict[str, object] | None

    @property
    def robust(self) -> bool:
        """Whether no single weight moved by :attr:`change` changes the winner."""
        return not bool(self.table["flips"].any())

    def summary(self) -> str:
        """The answer in a sentence or two."""
        winner = self.evaluation.winner
        first = (
            _("No single weight moved by ±{change:g} changes the winner, {winner}.")
            if self.robust
            else _("Moving one weight by ±{change:g} can change the winner, {winner}.")
        ).format(change=self.change, winner=winner)
        if self.smallest is None:
            return first + " " + _("No weight, however far it moves, makes another offer win.")
        row = self.smallest
        return (
            first
            + " "
            + _(
                "The smallest change that does: the weight of {id} ({requirement}) from {weight:g} to {to:g} "
                "({change:+g}), where {new} ties {winner} and then leads."
            ).format(
                id=row["id"],
                requirement=row["requirement"],
                weight=row["weight"],
                to=row["flip_weight"],
                change=row["flip_change"],
                new=row["new_winner"],
                winner=winner,
            )
        )

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(self.summary())}</p>" + self.table.to_html(index=False, na_rep="")


@checked
def what_if(evaluation: Evaluation, weights: Mapping[str, float]) -> Evaluation:
    """The same evaluation with some nice-to-haves' weights changed (``{"N2": 8}``).

    >>> from mopskit.selection import Offer, Offers, Requirements, score_vendors
    >>> reqs = Requirements.of([("A", "a", "x", "nice", 1), ("B", "b", "x", "nice", 1)])
    >>> evaluation = score_vendors(reqs, Offers((Offer("P", scores={"A": 5, "B": 1}),
    ...                                          Offer("Q", scores={"A": 1, "B": 4}))))
    >>> what_if(evaluation, {"B": 2}).winner
    'Q'
    """
    return score_vendors(evaluation.requirements.with_weights(weights), evaluation.offers, seats=evaluation.seats)


@checked
def sensitivity(evaluation: Evaluation, *, change: float = 1.0) -> Sensitivity:
    """Move each nice-to-have's weight by ±``change`` and find the smallest move that changes the winner.

    Args:
        evaluation: from :func:`score_vendors`, with a winner.
        change: how far to move each weight, up and down (weights never go below 0).

    Raises:
        ParameterError: ``change`` is not a number above 0, or every offer is refused.

    >>> from mopskit.selection import Offer, Offers, Requirements, score_vendors
    >>> reqs = Requirements.of([("A", "a", "x", "nice", 3), ("B", "b", "x", "nice", 1)])
    >>> evaluation = score_vendors(reqs, Offers((Offer("P", scores={"A": 5, "B": 1}),
    ...                                          Offer("Q", scores={"A": 2, "B": 5}))))
    >>> result = sensitivity(evaluation, change=1)
    >>> result.robust, result.smallest["id"], result.smallest["flip_weight"]
    (True, 'B', 2.25)

    """
    import pandas as pd

    change = v_number(change, "change", function="sensitivity", above=0)
    if evaluation.winner is None:
        raise ParameterError(_("every offer is refused: there is no winner whose lead could change"))
    rows: list[dict[str, Any]] = []
    for req in evaluation.requirements.nice:
        lower = what_if(evaluation, {req.id: max(0.0, req.weight - change)}).winner
        higher = what_if(evaluation, {req.id: req.weight + change}).winner
        flip = flip_weight(evaluation, req.id)
        rows.append(
            {
                "id": req.id,
                "requirement": req.text,
                "stakeholder": req.stakeholder,
                "weight": req.weight,
                "winner_if_lower": lower,
                "winner_if_higher": higher,
                "flips": lower != evaluation.winner or higher != evaluation.winner,
                "flip_weight": None if flip is None else flip[0],
                "flip_change": None if flip is None else round(flip[0] - req.weight, 4),
                "new_winner": None if flip is None else flip[1],
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "id",
            "requirement",
            "stakeholder",
            "weight",
            "winner_if_lower",
            "winner_if_higher",
            "flips",
            "flip_weight",
            "flip_change",
            "new_winner",
        ],
    )
    candidates = [r for r in rows if r["flip_change"] is not None]
    smallest = min(candidates, key=lambda r: (abs(r["flip_change"]), r["id"])) if candidates else None
    return Sensitivity(evaluation, float(change), table, smallest)
