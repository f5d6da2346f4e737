"""What one session of the kit keeps in memory, in one place.

A session is one Python process: a lesson's kernel, a grader, a test run. It knows

- which lesson this notebook is (set by :func:`mopskit.start_lesson`);
- the lessons and dataset variants that :func:`mopskit.data.load` reads inside ``lesson_scope`` and
  ``use_variant`` blocks (innermost last), kept per thread (context variables): a grader checks several
  submissions at once, each with its own trainee's data;
- the exercises defined so far (a stack of registries: graders push a fresh one while they load checks);
- the exercise widgets shown, by exercise id;
- the language of trainee-facing messages (:mod:`mopskit.i18n`).

Nothing else in the kit keeps state between calls, so a test resets a session with :meth:`Session.reset`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SESSION", "Session", "current_lesson", "in_app_mode"]

SCRATCH = "scratch"  # the lesson of a notebook that named none
_LESSON_SCOPES: ContextVar[tuple[str, ...]] = ContextVar("mopskit_lesson_scopes", default=())
_VARIANTS: ContextVar[tuple[Path, ...]] = ContextVar("mopskit_variants", default=())


@dataclass
class Session:
    """The state of one session (see the module's docstring); the kit keeps one, :data:`SESSION`."""

    lesson: str | None = None
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
        _LESSON_SCOPES.set(())
        _VARIANTS.set(())

    @property
    def lesson_scopes(self) -> tuple[str, ...]:
        """The lessons of the ``lesson_scope`` blocks open in this thread, innermost last."""
        return _LESSON_SCOPES.get()

    @property
    def variants(self) -> tuple[Path, ...]:
        """The folders of the ``use_variant`` blocks open in this thread, innermost last."""
        return _VARIANTS.get()

    @contextmanager
    def in_lesson_scope(self, lesson: str) -> Iterator[str]:
        """Open a lesson scope for this thread (and what it forks) until the block ends."""
        token = _LESSON_SCOPES.set((*_LESSON_SCOPES.get(), lesson))
        try:
            yield lesson
        finally:
            _LESSON_SCOPES.reset(token)

    @contextmanager
    def with_variant(self, folder: Path) -> Iterator[Path]:
        """Read the variant in ``folder`` in this thread (and what it forks) until the block ends."""
        token = _VARIANTS.set((*_VARIANTS.get(), folder))
        try:
            yield folder
        finally:
            _VARIANTS.reset(token)

    def data_lesson(self) -> str:
        """The lesson whose data ``load`` reads: the innermost ``lesson_scope``, else the current lesson.

        >>> session = Session(lesson="04_smart_goals")
        >>> with session.in_lesson_scope("10_final_assessment"):
        ...     session.data_lesson()
        '10_final_assessment'
        >>> session.data_lesson()
        '04_smart_goals'
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
