"""mopskit: learn Marketing Operations by doing, with instant feedback.

Lessons live in JupyterLab (``mopskit start``); exercises are checked with :func:`check`; instructors
release trainee copies and run parameterized reports with the ``mopskit`` command.
"""

from __future__ import annotations

from .errors import DataError, ExerciseError, MopskitError, ParameterError, ReportError

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "ExerciseError",
    "MopskitError",
    "ParameterError",
    "ReportError",
    "__version__",
]
