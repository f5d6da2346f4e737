"""What one session of the kit keeps in memory, in one place.

A session is one Python process: a lesson's kernel, a grader, a test run. It knows

- which lesson this notebook is (set by :func:`mopskit.start_lesson`);
- the lessons and dataset variants that :func:`mopskit.data.load` reads inside ``lesson_scope`` and
  ``use_variant`` blocks (innermost last);
- the exercises defined so far (a stack of registries: graders push a fresh one while they load checks);
- the exercise widgets shown, by exercise id;
- the language of trainee-facing messages (:mod:`mopskit.i18n`).

Nothing else in the kit keeps state between calls, so a test resets a session with :meth:`Session.reset`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SESSION", "Session", "current_lesson", "in_app_mode"]

SCRATCH = "scratch"  # the lesson of a notebook that named none


@dataclass
class Session:
    """The state of one session (see the module's docstring); the kit keeps one, :data:`SESSION`."""

    lesson: str | None = None
    lesson_scopes: list[str] = field(default_factory=list)
    variants: list[Path] = field(default_factory=list)
    registries: list[dict[str, Any]] = field(default_factory=lambda: [{}])
    widgets: dict[str, Any] = field(default_factory=dict)
    language: str | None = None
    translations: Any = None

    def reset(self) -> None:
        """Forget everything: no lesson, no variant, no exercise, no widget, the language chosen again.

        >>> s = Session(lesson="03_stack_audit"); s.reset(); s.lesson is None
        True
        """
        fresh = Session()
        self.__dict__.update(fresh.__dict__)

    def data_lesson(self) -> str:
        """The lesson whose data ``load`` reads: the innermost ``lesson_scope``, else the current lesson.

        >>> Session(lesson="04_smart_goals", lesson_scopes=["10_final_assessment"]).data_lesson()
        '10_final_assessment'
        """
        return self.lesson_scopes[-1] if self.lesson_scopes else self.lesson or SCRATCH


SESSION = Session()


def current_lesson() -> str:
    """The lesson named by :func:`mopskit.start_lesson`, or ``"scratch"`` if none was."""
    return SESSION.lesson or SCRATCH


def in_app_mode() -> bool:
    """Whether this code runs in a page of app mode (Voilà names itself to its kernels as ``voila/<version>``).

    >>> in_app_mode() == os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")
    True
    """
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")
