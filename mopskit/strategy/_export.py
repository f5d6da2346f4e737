"""A plan on one page: Markdown for a wiki or a ticket, standalone HTML for a browser or an email."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .._html import Html, escape, page, quoted, table
from .._validate import checked
from ..errors import ParameterError
from ..i18n import _, content_text, get_language
from ._plan import STEP_TITLES, Plan
from ._review import english_kept, plan_progress, review_plan

__all__ = ["export_plan", "to_html", "to_markdown"]


def _shown(text: str) -> str:
    """A text of the plan as read: the example plans' words and the kit's translated, any other as typed."""
    shown = content_text(text)
    return shown if shown != text else _(text) if text else text


def _text(value: str) -> str:
    """A cell's text as read; HTML the kit made (:class:`Html`) as it is."""
    return value if isinstance(value, Html) else _shown(str(value))


def _cell(text: str) -> str:
    return " ".join(_text(text).split()).replace("|", "\\|") or "—"


def _goal(text: str) -> str:
    """A goal as shown: as written in English; in another language quoted, then its translation if any.

    The checker reads a goal as written, in English; the example plans' goals have a translation.

    >>> from mopskit.i18n import language
    >>> _goal("Grow MQLs by 5% within 3 months.")
    'Grow MQLs by 5% within 3 months.'
    >>> with language("th"):
    ...     _goal("Grow MQLs by 5% within 3 months.")
    '<q>Grow MQLs by 5% within 3 months.</q>'
    """
    if get_language() == "en" or not text:
        return text
    shown = _shown(text)
    return Html(f"<q>{escape(text)}</q>" + ("" if shown == text else f" ({escape(shown)})"))


def _reason(text: str) -> str:
    """A review's reason as shown: its English examples quoted in another language (:func:`english_kept`)."""
    kept = [piece for piece in english_kept() if piece in text]
    return quoted(text, kept) if kept else text


def _sections(plan: Plan, today: date, *, marks: bool = True) -> list[tuple[str, list[str], list[list[str]]]]:
    """Each step as (title, column headers, rows of text); ``marks``: flag overdue tasks."""
    late = {id(t) for t in plan_progress(plan, today=today).overdue} if marks else set()
    return [
        (STEP_TITLES[0], [_("Stakeholder"), _("Needs"), _("SLA")],
         [[s.name, s.needs, s.sla] for s in plan.stakeholders]),
        (STEP_TITLES[1], [_("Metric"), _("How it is calculated"), _("Data")],
         [[plan.metric.name, plan.metric.definition, plan.metric.source]]),
        (STEP_TITLES[2], [_("Goal")], [[_goal(g)] for g in plan.goals]),
        (STEP_TITLES[3], [_("Who"), _("What changes, and how they can help"), _("Where")],
         [[m.audience, m.ask, m.channel] for m in plan.communication]),
        (STEP_TITLES[4], [_("Step"), _("Owner")], [[s.action, s.owner] for s in plan.steps]),
        (STEP_TITLES[5], [_("Task"), _("Owner"), _("Due"), _("Status")],
         [[t.title, t.owner, t.due.isoformat() if t.due else "", (content_text(t.status) or _("no status"))
           + (" ⚠ " + _("overdue") if id(t) in late else "")] for t in plan.tasks]),
    ]  # fmt: skip


@checked
def to_markdown(plan: Plan, *, today: date | None = None, review: bool = True) -> str:
    """The plan as one page of Markdown: the six steps as tables, task progress, and the review's open points.

    With ``review=False``, the plan alone: no progress line, no open points, no overdue marks (for a reader
    who is to find them, as in a lesson's exercise).

    >>> from mopskit.strategy import example_plan
    >>> print(to_markdown(example_plan(), today=date(2026, 11, 1)).splitlines()[0])
    # Make email marketing more valuable for customers and marketers
    """
    day = today or date.today()
    result = review_plan(plan, today=day)
    lines = [f"# {_cell(plan.title or _('MOps strategy plan'))}", ""]
    if review:
        lines += [_("Status on {day}: {progress}; plan review {score:.0%}.").format(
            day=day.isoformat(), progress=plan_progress(plan, today=day), score=result.score), ""]  # fmt: skip
    for number, (title, headers, rows) in enumerate(_sections(plan, day, marks=review), 1):
        lines += [f"## {number}. {_shown(title)}", ""]
        lines += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows or [[""] * len(headers)]]
        open_points = [] if not review or result.step(number).passed else result.step(number).reasons
        lines += [""] + [f"- ⚠ {_cell(_reason(r))}" for r in open_points] + ([""] if open_points else [])
    return "\n".join(lines).rstrip() + "\n"


_CSS = "th,td{border:1px solid #d0d4da}.todo{color:#a15c00}.status{color:#555}"  # on top of the kit's stylesheet


@checked
def to_html(plan: Plan, *, today: date | None = None) -> str:
    """The plan as a standalone HTML page (no scripts, no outside files); every text is escaped.

    >>> from mopskit.strategy import Plan
    >>> "&lt;script&gt;" in to_html(Plan(title="<script>alert(1)</script>"), today=date(2026, 11, 1))
    True
    """
    day = today or date.today()
    review = review_plan(plan, today=day)
    e = escape
    title = _shown(plan.title) if plan.title else _("MOps strategy plan")
    status = _("Status on {day}: {progress}; plan review {score:.0%}.").format(
        day=day.isoformat(), progress=plan_progress(plan, today=day), score=review.score
    )
    body = [f"<h1>{e(title)}</h1>", f"<p class='status'>{e(status)}</p>"]
    for number, (heading, headers, rows) in enumerate(_sections(plan, day), 1):
        body.append(f"<h2>{number}. {e(_shown(heading))}</h2>")
        body.append(table(headers, [[_text(c) for c in row] for row in rows] or [[""] * len(headers)]))
        if not review.step(number).passed:
            body.append("<ul class='todo'>" + "".join(f"<li>{e(_reason(r))}</li>" for r in review.step(number).reasons))
            body.append("</ul>")
    return page(title, "".join(body), style=_CSS)


@checked
def export_plan(plan: Plan, path: str | Path, *, today: date | None = None) -> Path:
    """Write the plan to ``path``: ``.md`` as Markdown, ``.html`` as a standalone page. Returns the path.

    Raises:
        ParameterError: another file extension; the message lists the valid ones.

    """
    target = Path(path)
    writers = {".md": to_markdown, ".html": to_html, ".htm": to_html}
    if target.suffix.lower() not in writers:
        raise ParameterError(f"cannot export a plan as '{target.suffix or target.name}'; valid: .md, .html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(writers[target.suffix.lower()](plan, today=today), encoding="utf-8")
    return target
