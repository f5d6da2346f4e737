"""mopskit: learn Marketing Operations by doing, with instant feedback.

Lessons live in JupyterLab (``mopskit start``); exercises are checked with :func:`check`; instructors
release trainee copies and run parameterized reports with the ``mopskit`` command.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .assess import check, start_lesson
from .errors import DataError, ExerciseError, MopskitError, ParameterError, ReportError

__all__ = [
    "DataError",
    "ExerciseError",
    "MopskitError",
    "ParameterError",
    "ReportError",
    "__version__",
    "check",
    "setup_notebook",
    "start_lesson",
]


def __getattr__(name: str) -> Any:
    if name == "setup_notebook":  # imported on first use: it pulls in matplotlib
        from .ui.setup import setup_notebook

        return setup_notebook
    raise AttributeError(f"module 'mopskit' has no attribute '{name}'")
