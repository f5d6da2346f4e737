"""Feedback for trainees and grades for learning platforms.

:func:`write_feedback` writes one standalone HTML page per trainee and assignment: the score, each exercise
with what passed, what failed and the hint, and notes on how the run went. Everything a trainee wrote (their
answers, and check messages that quote them) is escaped; hidden checks show their names and messages,
never their code.

:func:`export_grades` writes the gradebook as CSV in the shape learning platforms import: one row per trainee,
one column per assignment (points, manual adjustments included), or the long format with ``long=True``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._html import escape, page
from ..errors import GradingError
from ..i18n import _
from ..present import answer_html
from ._gradebook import DEFAULT_DB, Gradebook, GradedSubmission

__all__ = ["export_grades", "feedback_html", "write_feedback"]

_STYLE = """
body{max-width:820px}.score{font-size:1.25em;margin:.3em 0 1em}
.ex{border-left:4px solid #999;padding:.3em .9em;margin:1em 0;background:#fafafa}
.correct{border-color:#1b7f3b}.partial{border-color:#a15c00}.wrong{border-color:#b3261e}
.unanswered{border-color:#888}.no{color:#b3261e}.hint{color:#555;font-style:italic}
.answer{background:#f3f3f3;padding:.1em .3em;white-space:pre-wrap}
.notes{background:#fff6e0;padding:.5em 1em}.review{color:#7a4b00}
"""  # the feedback page's own rules, on top of the kit's stylesheet


def _status(rows: list[Any]) -> str:
    if not any(r.answered for r in rows):
        return "unanswered"
    if all(r.passed for r in rows):
        return "correct"
    return "partial" if any(r.passed or r.earned > 0 for r in rows) else "wrong"


def feedback_html(graded: GradedSubmission) -> str:
    """Render one trainee's feedback on one assignment as a standalone HTML page."""
    by_exercise: dict[str, list[Any]] = {}
    for row in graded.checks:
        by_exercise.setdefault(row.exercise, []).append(row)
    title = _("Feedback: {assignment}").format(assignment=graded.assignment)
    parts = [
        f"<h1>{escape(title)}</h1><div>{escape(_('Trainee'))}: <strong>{escape(graded.trainee)}</strong></div>",
        f"<div class='score'>{escape(_('Score'))}: <strong>{graded.earned:g} / {graded.possible:g}</strong>",
    ]
    if graded.possible:
        parts.append(f" ({100 * graded.earned / graded.possible:.0f}%)")
    parts.append("</div>")
    if graded.status == "needs_review":
        parts.append(f"<p class='review'>{escape(_('An instructor still reads some of your answers.'))}</p>")
    if graded.notes:
        items = "".join(f"<li>{escape(n)}</li>" for n in graded.notes)
        parts.append(f"<div class='notes'><strong>{escape(_('How the run went'))}</strong><ul>{items}</ul></div>")
    for exercise_id, rows in by_exercise.items():
        status = _status(rows)
        earned, possible = sum(r.earned for r in rows), sum(r.points for r in rows)
        heading = f"{exercise_id} {graded.exercise_titles.get(exercise_id, '')}".strip()
        parts.append(f"<div class='ex {status}'><h3>{escape(heading)} <small>{earned:g} / {possible:g}</small></h3>")
        if exercise_id in graded.answers and graded.answers[exercise_id] is not None:
            answer = answer_html(graded.answers[exercise_id])  # a sentence or a small table, escaped
            parts.append(f"<div>{escape(_('Your answer'))}: <span class='answer'>{answer}</span></div>")
        if status == "unanswered":
            parts.append(f"<p>{escape(_('Not answered.'))}</p>")
        parts.append("<ul>")
        for r in rows if status != "unanswered" else []:
            mark, css = ("✓", "ok") if r.passed else ("✗", "no")
            label = f"{r.check}" + (f" ({_('hidden check')})" if r.hidden else "")
            line = f"<li><span class='{css}'>{mark}</span> <strong>{escape(label)}</strong>: {escape(r.message)}"
            if r.hint and not r.passed:
                line += f"<br><span class='hint'>{escape(_('Hint:'))} {escape(r.hint)}</span>"
            if r.needs_review:
                line += f" <span class='review'>({escape(_('provisional: an instructor reviews it'))})</span>"
            parts.append(line + f" <small>{r.earned:g}/{r.points:g}</small></li>")
        parts.append("</ul></div>")
    return page(title, "".join(parts), style=_STYLE)


def write_feedback(graded: GradedSubmission, *, out_dir: str | Path, source: str | Path | None = None) -> Path:
    """Write ``OUT_DIR/<trainee>/<assignment>.html`` and return its path."""
    del source  # the page needs only the result; kept for callers that pass it
    folder = Path(out_dir) / graded.trainee
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{graded.assignment}.html"
    path.write_text(feedback_html(graded), encoding="utf-8")
    return path


def export_grades(
    *, db: str | Path = DEFAULT_DB, out: str | Path | None = None, long: bool = False, fmt: str = "csv"
) -> str:
    """Export the gradebook's latest grades as CSV; returns the text (and writes it to ``out`` if given).

    Args:
        db: the gradebook (SQLite path or SQLAlchemy URL).
        out: a file to write; ``None`` only returns the text.
        long: one row per trainee and assignment with every figure, instead of one row per trainee.
        fmt: ``"csv"`` (the format learning platforms import).

    """
    if fmt != "csv":
        raise GradingError(f"unknown export format '{fmt}'; valid: csv")
    with Gradebook(db) as book:
        scores = book.scores()
    if long:
        table = scores.assign(
            submitted_at=scores["submitted_at"].astype(str), graded_at=scores["graded_at"].astype(str)
        )
    elif scores.empty:
        table = scores[["trainee", "name", "email"]]
    else:
        wide = scores.pivot_table(index=["trainee", "name", "email"], columns="assignment", values="total")
        table = wide.reset_index()
        table.columns.name = None
    text = table.to_csv(index=False, lineterminator="\n", float_format="%g")
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
    return text
