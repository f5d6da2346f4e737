"""Onboarding by role: each hire's path of lessons, their own data, a schedule, a home page, retakes.

- :func:`role_path`: what a role needs (``roles.yaml``, ``onboarding: needs``), the lessons that assess it (the
  lessons' own tags) and the dates from a start day (``onboarding.yaml``);
- :func:`read_hires`: a roster of hires (name, email, role, start date), every bad row named;
- :func:`prepare_workspace_for`: one person's workspace for their path (what a JupyterHub spawner calls per user);
- :func:`onboard`: every hire of a roster (``mopskit onboard ROSTER.csv``), with a schedule file;
- :func:`retake`: a fresh copy of one lesson with new data (``mopskit release --retake TRAINEE LESSON``);
- :func:`path_progress`: the hire's home page (the path, due dates, progress, practice per skill).

Levels (proficient, mastered) come from graded work: :mod:`mopskit.assess.mastery`.
"""

from __future__ import annotations

from ._paths import PathLesson, RoleNeed, RolePath, lesson_catalog, path_lessons_dir, role_path, working_days
from ._prepare import (
    HOME_CODE,
    PLAN_FILE,
    OnboardingSummary,
    PreparedHire,
    Retake,
    find_hire,
    onboard,
    prepare_workspace_for,
    retake,
)
from ._progress import LessonStatus, PathProgress, SkillPractice, path_progress
from ._roster import Hire, read_hires

__all__ = [
    "HOME_CODE",
    "PLAN_FILE",
    "Hire",
    "LessonStatus",
    "OnboardingSummary",
    "PathLesson",
    "PathProgress",
    "PreparedHire",
    "Retake",
    "RoleNeed",
    "RolePath",
    "SkillPractice",
    "find_hire",
    "lesson_catalog",
    "onboard",
    "path_lessons_dir",
    "path_progress",
    "prepare_workspace_for",
    "read_hires",
    "retake",
    "role_path",
    "working_days",
]
