"""The gradebook's latest grades as the rows a learning platform imports: who, which assignment, points, feedback."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GradingError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GradeTable", "grade_table", "points_text", "write_csv"]


@dataclass
class GradeTable:
    """The latest grades: one row per trainee and assignment, and each assignment's points possible.

    Attributes:
        grades: ``trainee``, ``name``, ``email``, ``assignment``, ``total`` (points, adjustments included),
            ``possible``, ``percent``, ``status``, ``submitted_at``, ``content_hash``, ``attempt``,
            ``variant_seed``, ``feedback`` (a sentence: points and the exercises to go over).
        trainees: every trainee of the gradebook: ``trainee``, ``name``, ``email`` (ungraded ones too).
        possible: points possible per assignment, in lesson order.

    """

    grades: pd.DataFrame
    trainees: pd.DataFrame
    possible: dict[str, float]


def points_text(value: float) -> str:
    """Points as a platform reads them: at most two decimals, no trailing zeros, a dot.

    >>> points_text(12.0), points_text(7.125), points_text(0.1 + 0.2)
    ('12', '7.12', '0.3')
    """
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _feedback(total: float, possible: float, to_review: list[str], status: str) -> str:
    share = f" ({100 * total / possible:.0f}%)" if possible else ""
    text = f"{points_text(total)} of {points_text(possible)} points{share}."
    if to_review:
        text += " To go over: " + ", ".join(to_review) + "."
    if status == "needs_review":
        text += " Free-text answers still to be read by an instructor."
    return text


def grade_table(db: str | Path) -> GradeTable:
    """Read the latest grade of every trainee on every assignment, with a line of feedback each.

    Raises:
        GradingError: the gradebook cannot be opened.

    """
    import pandas as pd

    from ..assess import Gradebook

    with Gradebook(db) as book:
        scores = book.scores()
        checks = book.check_results()
        trainees = book.trainees()
        versions = {(s.trainee_id, s.assignment_id): (s.content_hash, s.attempt, s.variant_seed) for s in book.latest()}
    missed = checks[checks["earned"] < checks["points"]]
    review = missed.groupby(["trainee", "assignment"])["exercise"].agg(
        lambda s: sorted(set(s), key=lambda e: (len(e), e))
    )
    rows = []
    for _, row in scores.iterrows():
        key = (row["trainee"], row["assignment"])
        content_hash, attempt, seed = versions[key]
        feedback = _feedback(row["total"], row["possible"], list(review.get(key, [])), row["status"])
        rows.append(
            {
                **row.to_dict(),
                "content_hash": content_hash,
                "attempt": attempt or 1,
                "variant_seed": seed,
                "feedback": feedback,
            }
        )
    columns = [*scores.columns, "content_hash", "attempt", "variant_seed", "feedback"]
    grades = pd.DataFrame(rows, columns=columns)
    possible = {a: float(p) for a, p in grades.groupby("assignment")["possible"].max().sort_index().items()}
    return GradeTable(grades, trainees, possible)


def write_csv(header: list[str], rows: list[list[Any]], out: str | Path | None) -> str:
    """CSV text (RFC 4180 quoting, UTF-8), written to ``out`` when given; returns the text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if out is not None:
        target = Path(out)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise GradingError(f"cannot write '{target}' ({exc.strerror}); choose a file you can write to") from None
    return text
