"""A hire's home page: their path's lessons with due dates and progress, and practice on each skill the role needs.

It builds on the workspace's progress (:func:`mopskit.workspace.workspace_progress`: answers counted with the
public checks only, so nothing a grader keeps back is shown) and adds the schedule and the role's competencies.
The level a manager sees (proficient, mastered) comes from graded work (:mod:`mopskit.assess.mastery`); the home
page shows practice, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from .._html import COLOURS, escape
from ..errors import WorkspaceError
from ..i18n import _
from ..workspace import LessonProgress, WorkspaceProgress, progress_bar, workspace_progress
from ._paths import PathLesson, RoleNeed, RolePath
from ._prepare import PLAN_FILE

__all__ = ["LessonStatus", "PathProgress", "SkillPractice", "path_progress"]


@dataclass(frozen=True)
class LessonStatus:
    """One lesson of the path: its dates, its progress, and where it stands on the day shown."""

    planned: PathLesson
    progress: LessonProgress | None
    status: str  # done, overdue, in progress, upcoming, missing

    @property
    def label(self) -> str:
        """The status in words."""
        return {
            "done": _("done"),
            "overdue": _("overdue"),
            "in progress": _("in progress"),
            "upcoming": _("upcoming"),
            "missing": _("not in this folder"),
        }[self.status]


@dataclass(frozen=True)
class SkillPractice:
    """Practice on one competency the role needs: exercises that assess it, answered and correct."""

    need: RoleNeed
    exercises: int
    answered: int
    correct: int


@dataclass
class PathProgress:
    """A hire's path on one day: renders as the home page's tables, and as lines in a terminal."""

    trainee: str
    name: str
    path: RolePath
    today: date
    workspace: WorkspaceProgress
    lessons: list[LessonStatus] = field(default_factory=list)
    skills: list[SkillPractice] = field(default_factory=list)

    @property
    def done(self) -> int:
        """Lessons done (every exercise answered and correct)."""
        return sum(s.status == "done" for s in self.lessons)

    @property
    def overdue(self) -> list[str]:
        """Lessons past their due date and not done."""
        return [s.planned.lesson for s in self.lessons if s.status == "overdue"]

    def summary(self) -> str:
        """One or two sentences: the role, the dates, how far along."""
        text = _("Your path as {role}: {n} lessons from {start} to {end}. {done} of them done.").format(
            role=self.path.role_name,
            n=len(self.lessons),
            start=f"{self.path.start:%d %B %Y}",
            end=f"{self.path.end:%d %B %Y}",
            done=self.done,
        )
        if self.overdue:
            text += " " + _("Past their due date: {lessons}.").format(lessons=", ".join(self.overdue))
        return text

    def __str__(self) -> str:
        lines = [self.summary()]
        for s in self.lessons:
            counts = ""
            if s.progress is not None:
                counts = _("{answered} of {total} answered, {correct} correct").format(
                    answered=s.progress.answered, total=s.progress.exercises, correct=s.progress.correct
                )
            lines.append(f"  {s.planned.due:%d %b}  {s.planned.title:<40} {s.label:<12} {counts}")
        lines.append(_("Skills your role needs (practice so far):"))
        for p in self.skills:
            lines.append(
                f"  {p.need.title:<45} {_('target')}: {p.need.target:<10} "
                + _("{correct} of {total} exercises correct").format(correct=p.correct, total=p.exercises)
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        tones = {"done": "ok", "overdue": "bad", "in progress": "info", "upcoming": "muted", "missing": "partial"}
        rows = []
        for s in self.lessons:
            p = s.progress
            bar = progress_bar(p.correct / p.exercises if p and p.exercises else 0.0, width="8em")
            answered = _("{n} of {total}").format(n=p.answered, total=p.exercises) if p else ""
            correct = _("{n} of {total}").format(n=p.correct, total=p.exercises) if p else ""
            link = (
                f'<a href="{escape(p.notebook)}" target="_self">{escape(s.planned.title)}</a>'
                if p
                else escape(s.planned.title)
            )
            rows.append(
                f'<tr class="mopskit-progress-row mopskit-path-row" data-lesson="{escape(s.planned.lesson)}" '
                f'data-status="{escape(s.status)}"><td style="text-align:left">{link}</td>'
                f'<td style="white-space:nowrap">{s.planned.due:%a %d %b}</td>'
                f'<td class="mopskit-path-status" style="color:{COLOURS[tones[s.status]]}">{escape(s.label)}</td>'
                f'<td class="mopskit-progress-answered">{answered}</td>'
                f'<td class="mopskit-progress-correct">{correct}</td><td>{bar}</td></tr>'
            )
        head = "".join(
            f'<th style="text-align:left">{escape(h)}</th>'
            for h in (_("Lesson"), _("Due"), _("Status"), _("Answered"), _("Correct"), _("Progress"))
        )
        skill_rows = "".join(
            f'<tr class="mopskit-skill-row" data-competency="{escape(p.need.competency)}">'
            f'<td style="text-align:left">{escape(p.need.title)}</td><td>{escape(_target(p.need.target))}</td>'
            f"<td>{escape(', '.join(p.need.lessons) or _('no lesson yet'))}</td>"
            f"<td>{escape(_('{correct} of {total} exercises correct').format(correct=p.correct, total=p.exercises))}"
            "</td></tr>"
            for p in self.skills
        )
        skill_head = "".join(
            f'<th style="text-align:left">{escape(h)}</th>'
            for h in (_("Skill"), _("Your role needs"), _("Practised in"), _("Your practice"))
        )
        note = _(
            "Correct means the lesson's checks pass, as its Check button says; more checks run when your work is "
            "graded, and your instructor sees the level graded work shows: proficient is about 80% of a skill's "
            "points in one graded lesson, mastered is that on two different data sets."
        )
        return (
            f'<div class="mopskit-progress mopskit-path"><p><strong>{escape(self.summary())}</strong></p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<h3>{escape(_('Skills your role needs'))}</h3>"
            f"<table><thead><tr>{skill_head}</tr></thead><tbody>{skill_rows}</tbody></table>"
            f'<p style="font-size:90%;color:{COLOURS["muted"]}">{escape(note)}</p></div>'
        )


def _target(level: str) -> str:
    return {"proficient": _("proficient"), "mastered": _("mastered")}.get(level, level)


def _status(planned: PathLesson, progress: LessonProgress | None, today: date) -> str:
    if progress is None:
        return "missing"
    if progress.done:
        return "done"
    if today > planned.due:
        return "overdue"
    if today >= planned.start or progress.answered:
        return "in progress"
    return "upcoming"


def path_progress(directory: str | Path = ".", *, today: date | None = None) -> PathProgress:
    """A hire's path with its dates and progress, and their practice on each skill their role needs.

    Args:
        directory: the hire's workspace (prepared by ``mopskit onboard`` or a JupyterHub spawner).
        today: the day to judge due dates on (default: today).

    Raises:
        WorkspaceError: the folder holds no onboarding path (``.mopskit/onboarding.json``).

    """
    import json

    from ..assess.coverage import exercise_tags

    root = Path(directory).expanduser()
    plan_file = root / PLAN_FILE
    try:
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
        path = RolePath.from_json(plan["path"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WorkspaceError(
            _(
                "'{path}' holds no onboarding path ({problem}); it is written when the path is released "
                "(mopskit onboard); for the lessons without a path, use workspace_progress()"
            ).format(path=plan_file, problem=type(exc).__name__)
        ) from None
    day = today or datetime.now(UTC).date()
    found = workspace_progress(root)
    by_lesson = {p.lesson: p for p in found.lessons}
    result = PathProgress(str(plan.get("trainee", "")), str(plan.get("name", "")), path, day, found)
    for planned in path.lessons:
        progress = by_lesson.get(planned.lesson)
        result.lessons.append(LessonStatus(planned, progress, _status(planned, progress, day)))
    statuses: dict[str, dict[str, str]] = {p.lesson: dict(p.statuses) for p in found.lessons}
    tagged: dict[str, list[tuple[str, str]]] = {}
    for planned in path.lessons:
        notebook = root / f"{planned.lesson}.ipynb"
        if notebook.is_file():
            for tags in exercise_tags(notebook):
                for competency in tags.competencies:
                    tagged.setdefault(competency, []).append((planned.lesson, tags.exercise))
    for need in path.needs:
        pairs = tagged.get(need.competency, [])
        seen = [statuses.get(lesson, {}).get(ex, "unanswered") for lesson, ex in pairs]
        answered = sum(s != "unanswered" for s in seen)
        result.skills.append(SkillPractice(need, len(pairs), answered, sum(s == "correct" for s in seen)))
    return result
