"""Where the kit keeps a trainee's answers: one file per lesson in ``.mopskit/``, beside the lessons.

The layout, written here once::

    <workspace>/.mopskit/<lesson>.answers.json     {"q1": answer, "q2": answer, ...}

``$MOPSKIT_ANSWERS_DIR`` moves the folder (tests and graders use it). The lessons' widgets write these files
(:mod:`mopskit.assess`), the workspace's home page and app mode read them, and grading hands a submission's
carried answers to its kernel in the same layout. The same folder holds the kit's other files beside a
trainee's work: the variant marker of a per-trainee release and the app's log.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ._textfile import read_json_dict

__all__ = ["ANSWERS_ENV", "KIT_DIR", "answers_dir", "answers_file", "read_answers_file", "write_answers_file"]

KIT_DIR = ".mopskit"
ANSWERS_ENV = "MOPSKIT_ANSWERS_DIR"
_SUFFIX = ".answers.json"


def answers_dir(root: str | Path | None = None) -> Path:
    """The folder answer files are in: ``$MOPSKIT_ANSWERS_DIR`` when set, else ``.mopskit`` in ``root``.

    Args:
        root: the workspace; default: the working folder (where a lesson's kernel runs).

    """
    chosen = os.environ.get(ANSWERS_ENV)
    if chosen:
        return Path(chosen)
    return Path(KIT_DIR) if root is None else Path(root) / KIT_DIR


def answers_file(lesson: str, folder: str | Path | None = None) -> Path:
    """The answer file of one lesson, in ``folder`` (default: :func:`answers_dir`).

    >>> answers_file("03_stack_audit", "ws/.mopskit").as_posix()
    'ws/.mopskit/03_stack_audit.answers.json'
    """
    return Path(folder if folder is not None else answers_dir()) / f"{lesson}{_SUFFIX}"


def read_answers_file(path: str | Path) -> dict[str, Any]:
    """The answers saved in a file; a missing or unreadable file counts as none (and is left in place)."""
    return read_json_dict(path)


def write_answers_file(path: str | Path, answers: dict[str, Any]) -> None:
    """Write answers, replacing the file atomically so that a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".answers-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(answers, handle, indent=1, ensure_ascii=False)
    os.replace(tmp, path)
