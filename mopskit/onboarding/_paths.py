"""A role's path: the competencies it needs, the lessons that assess them, and the dates a hire takes them.

What a role needs is data (``roles.yaml``, each role's ``onboarding: needs``); which lesson assesses what comes
from the lessons' own tags (``exercise(..., competency=...)``, read without running them); the schedule's rules
are data too (``onboarding.yaml``, ``schedule:``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import MopskitError

__all__ = ["PathLesson", "RoleNeed", "RolePath", "lesson_catalog", "path_lessons_dir", "role_path", "working_days"]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class RoleNeed:
    """One competency a role needs, the level it needs, and the lessons that assess it (none: not yet taught)."""

    competency: str
    title: str
    target: str
    lessons: tuple[str, ...]


@dataclass(frozen=True)
class PathLesson:
    """One lesson of a path: when to take it and which of the role's competencies it assesses."""

    lesson: str
    title: str
    start: date
    due: date
    competencies: tuple[str, ...]


@dataclass(frozen=True)
class RolePath:
    """What a hire in a role works through: the needs, and the lessons in order with their dates.

    Attributes:
        role: the role's id in ``roles.yaml``.
        role_name: the role as the catalog names it.
        start: the first working day.
        needs: each competency the role needs, with its target level and lessons.
        lessons: the path's lessons in order, each with its start and due date.

    """

    role: str
    role_name: str
    start: date
    needs: tuple[RoleNeed, ...]
    lessons: tuple[PathLesson, ...]

    @property
    def untaught(self) -> list[str]:
        """Competencies the role needs that no lesson assesses yet (no hire can show them in the kit)."""
        return [n.competency for n in self.needs if not n.lessons]

    @property
    def end(self) -> date:
        """The due date of the path's last lesson."""
        return self.lessons[-1].due if self.lessons else self.start

    def lesson_ids(self) -> list[str]:
        """The lessons' ids, in order."""
        return [p.lesson for p in self.lessons]

    def to_json(self) -> dict[str, Any]:
        """The path as JSON data (dates as ``YYYY-MM-DD``), as a hire's workspace keeps it."""
        return {
            "role": self.role,
            "role_name": self.role_name,
            "start": self.start.isoformat(),
            "needs": [vars(n) | {"lessons": list(n.lessons)} for n in self.needs],
            "lessons": [
                vars(p) | {"start": p.start.isoformat(), "due": p.due.isoformat(), "competencies": list(p.competencies)}
                for p in self.lessons
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RolePath:
        """Read a path written by :meth:`to_json`."""
        needs = tuple(
            RoleNeed(n["competency"], n["title"], n["target"], tuple(n["lessons"])) for n in data.get("needs", [])
        )
        lessons = tuple(
            PathLesson(
                p["lesson"],
                p["title"],
                date.fromisoformat(p["start"]),
                date.fromisoformat(p["due"]),
                tuple(p["competencies"]),
            )
            for p in data.get("lessons", [])
        )
        return cls(data["role"], data["role_name"], date.fromisoformat(data["start"]), needs, lessons)


@cache
def _rules() -> dict[str, Any]:
    from ..content import load_yaml

    return dict(load_yaml("onboarding"))


def _working(rules: dict[str, Any]) -> set[int]:
    days = rules["schedule"]["working_days"]
    unknown = [d for d in days if d not in _WEEKDAYS]
    if unknown or not days:
        raise MopskitError(f"onboarding.yaml: 'working_days' must name days from {', '.join(_WEEKDAYS)} (got {days})")
    return {_WEEKDAYS.index(d) for d in days}


def working_days(start: date, count: int, *, days: Iterable[str] | None = None) -> list[date]:
    """The first ``count`` working days from ``start`` on (``start`` itself when it is one).

    Args:
        start: the first day that may be used.
        count: how many working days.
        days: the working days of the week (``mon`` ... ``sun``); default ``onboarding.yaml``'s.

    >>> [d.isoformat() for d in working_days(date(2026, 3, 6), 3)]  # a Friday, then the next Monday and Tuesday
    ['2026-03-06', '2026-03-09', '2026-03-10']

    """
    rules = _rules() if days is None else {"schedule": {"working_days": list(days)}}
    working = _working(rules)
    found: list[date] = []
    day = start
    while len(found) < count:
        if day.weekday() in working:
            found.append(day)
        day += timedelta(days=1)
    return found


def path_lessons_dir(lessons: str | Path | None = None) -> Path:
    """The folder a path's lessons come from: ``lessons`` if given, else the kit's (sources in a checkout)."""
    if lessons is not None:
        folder = Path(lessons)
        if not folder.is_dir():
            raise MopskitError(f"'{folder}' is not a folder of lessons; give the folder holding NN_name.ipynb files")
        return folder
    from .._resources import sources_dir
    from ..assess import lessons_dir

    return sources_dir() or lessons_dir()


@cache
def _catalog(folder: str, stamp: tuple[tuple[str, int], ...]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Titles of the lessons in a folder, and the competencies each one's exercises name (in lesson order)."""
    from ..assess.coverage import exercise_tags
    from ..workspace import lesson_title

    titles: dict[str, str] = {}
    assessed: dict[str, tuple[str, ...]] = {}
    for name, _mtime in stamp:
        path = Path(folder) / name
        titles[path.stem] = lesson_title(path)
        named: list[str] = []
        for tags in exercise_tags(path):
            named += [c for c in tags.competencies if c not in named]
        assessed[path.stem] = tuple(named)
    return titles, assessed


def lesson_catalog(lessons: str | Path | None = None) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The lessons of a folder: their titles, and the competencies their exercises assess (read, not run)."""
    folder = path_lessons_dir(lessons)
    files = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not files:
        raise MopskitError(f"'{folder}' holds no lessons (NN_name.ipynb); point at the lessons folder")
    return _catalog(str(folder.resolve()), tuple((f.name, f.stat().st_mtime_ns) for f in files))


def role_path(role: str, *, start: date, lessons: str | Path | None = None) -> RolePath:
    """The path of a hire in ``role`` who starts on ``start``: needs, lessons in order, dates.

    A lesson is on the path when its exercises assess a competency the role needs, or when every path holds it
    (``onboarding.yaml``, ``paths: always``). Each lesson takes ``days_per_lesson`` working days (or its own
    ``lesson_days``), one after the other from the first working day on or after ``start``.

    Args:
        role: the role's id, name or alias (``"crm_admin"``, ``"CRM administrator"``, ``"MOps lead"``).
        start: the hire's first day.
        lessons: the folder of lessons (default: the kit's).

    Raises:
        MopskitError: an unknown role (the valid ones are listed), or a role whose needs name an unknown
            competency or level.

    """
    from ..assess.mastery import LEVELS
    from ..facts import competency
    from ..roles import role as find_role

    found = find_role(role)
    rules = _rules()
    titles, assessed = lesson_catalog(lessons)
    needs: list[RoleNeed] = []
    for competency_id, target in found.needs:
        item = competency(competency_id)
        if target not in LEVELS[2:]:
            raise MopskitError(
                f"roles.yaml, '{found.id}': the target level of '{competency_id}' must be proficient or mastered "
                f"(got '{target}')"
            )
        teaching = tuple(lesson for lesson, named in assessed.items() if competency_id in named)
        needs.append(RoleNeed(competency_id, item.title, target, teaching))
    wanted = {c for c, _ in found.needs}
    always = set(rules["paths"]["always"])
    chosen = [lesson for lesson, named in assessed.items() if lesson in always or wanted & set(named)]
    per_lesson = rules["schedule"]["lesson_days"] or {}
    default_days = int(rules["schedule"]["days_per_lesson"])
    total = sum(int(per_lesson.get(lesson, default_days)) for lesson in chosen)
    calendar = working_days(start, total)
    planned: list[PathLesson] = []
    used = 0
    for lesson in chosen:
        days = int(per_lesson.get(lesson, default_days))
        planned.append(
            PathLesson(
                lesson,
                titles[lesson],
                calendar[used],
                calendar[used + days - 1],
                tuple(c for c in assessed[lesson] if c in wanted),
            )
        )
        used += days
    return RolePath(found.id, found.name, calendar[0] if calendar else start, tuple(needs), tuple(planned))
