"""Errors raised by mopskit, in one family.

Every message says what was wrong, where (file, row, column, parameter) and how to fix it::

    MopskitError                 base class: catch this to catch everything mopskit raises
    ├── DataError                a table or file does not match its schema, or cannot be read
    ├── ParameterError           an unknown report parameter, or a value of the wrong type
    ├── ReportError              a report notebook failed or timed out while running
    ├── ExecutorError            many runs cannot be sent where asked (Dask extra missing, scheduler unreachable)
    ├── TaskFailed               raised by a task of the executor to fail while still handing back a value
    ├── ExerciseError            an exercise id is unknown, or an exercise is defined twice
    │   └── AnswerRefused        an answer that cannot be graded (too large, too deep, NaN, infinite, not data)
    ├── AnswerError              a trainee's answer is of the wrong kind for its check (text for a number, ...)
    ├── ReleaseError             a source notebook cannot be turned into a trainee copy
    ├── GradingError             submissions cannot be graded as asked (no sandbox, a bad limit, a bad gradebook)
    │   └── LrsError             a learning record store refused statements or could not be reached
    ├── OnboardingError          a roster of hires cannot be read, or a path released, as asked
    ├── WorkspaceError           a trainee workspace cannot be prepared or served (app mode)
    └── HubError                 a JupyterHub setup cannot be written, a user's server cannot start, or
                                 submissions cannot be collected from the users' workspaces
"""

from __future__ import annotations

__all__ = [
    "AnswerError",
    "AnswerRefused",
    "DataError",
    "ExecutorError",
    "ExerciseError",
    "GradingError",
    "HubError",
    "LrsError",
    "MopskitError",
    "OnboardingError",
    "ParameterError",
    "ReleaseError",
    "ReportError",
    "TaskFailed",
    "WorkspaceError",
]


class MopskitError(Exception):
    """Base class of every error mopskit raises on purpose."""


class DataError(MopskitError, ValueError):
    """A data file or table is unreadable or breaks its schema.

    Attributes:
        problems: every problem found, one readable line each (not only the first).
        source: the file or table the problems were found in.

    """

    def __init__(self, message: str, *, problems: list[str] | None = None, source: str | None = None):
        self.problems = list(problems or [])
        self.source = source
        super().__init__(message)


class ParameterError(MopskitError, ValueError):
    """A report parameter is unknown or its value has the wrong type."""


class ReportError(MopskitError, RuntimeError):
    """A report ran but failed: a cell raised, or a cell ran past its time limit.

    Attributes:
        notebook_path: the executed notebook, kept so the failure can be inspected.

    """

    def __init__(self, message: str, *, notebook_path: str | None = None):
        self.notebook_path = notebook_path
        super().__init__(message)


class ExecutorError(MopskitError, RuntimeError):
    """Runs cannot be sent where they were asked to go.

    For example a bad worker count, a missing Dask extra, a scheduler that does not answer, or a task whose
    function cannot be sent to another process.
    """


class TaskFailed(MopskitError):
    """Raised by a task run through :mod:`mopskit.executor` to fail while still handing back a value.

    The outcome is a failure whose ``error`` is this message and whose ``value`` is :attr:`value`, for
    example the partly executed notebook of a report that stopped in a cell.

    Attributes:
        value: what the task hands back despite failing (picklable).

    """

    def __init__(self, message: str, value: object = None):
        self.value = value
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, object]]:
        return (type(self), (str(self), self.value))


class ExerciseError(MopskitError, LookupError):
    """An exercise is unknown, or defined in a way the kit cannot use."""


class AnswerRefused(ExerciseError, ValueError):
    """An answer that cannot be graded at all: too large, nested too deep, not data, NaN or infinite.

    The message is one phrase a trainee can read ("the answer is NaN (not a number)"). Grading counts that
    exercise as answered wrongly, with the phrase as its note, and keeps every other answer.
    """


class AnswerError(MopskitError, AssertionError):
    """A trainee's answer is of the wrong kind for its check (text where a number is asked, a list for a choice).

    It is an ``AssertionError``, so a check that lets it through fails with its message, which says what the
    answer is and what to give instead; the trainee never sees a traceback.
    """


class ReleaseError(MopskitError, ValueError):
    """A source notebook cannot be released (for example, an unclosed solution block)."""


class WorkspaceError(MopskitError, OSError):
    """A trainee workspace cannot be prepared in the folder given, or app mode cannot serve it."""


class GradingError(MopskitError, RuntimeError):
    """Submissions cannot be graded as asked: no sandbox can start, a bad limit, an unreadable gradebook."""


class LrsError(GradingError):
    """A learning record store (LRS) refused statements, or could not be reached after the retries.

    Attributes:
        sent: statements the store accepted (or already held) before the failure.

    """

    def __init__(self, message: str, *, sent: int = 0):
        self.sent = sent
        super().__init__(message)


class OnboardingError(MopskitError, ValueError):
    """A roster of hires cannot be read (every bad row is named), or a path cannot be released as asked.

    Attributes:
        problems: every problem found, one line each, with its row.

    """

    def __init__(self, message: str, *, problems: list[str] | None = None):
        self.problems = list(problems or [])
        super().__init__(message)


class HubError(MopskitError, RuntimeError):
    """A JupyterHub setup cannot be written, a user's server cannot start, or submissions cannot be collected."""
