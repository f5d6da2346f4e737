"""Grades and evidence out of the kit, into the company's learning platform.

- :func:`export_grades`: the gradebook's latest grades as a file a platform imports: ``canvas`` (Canvas's gradebook
  CSV, :mod:`mopskit.lms.canvas`), ``moodle`` (Moodle's grade import CSV, :mod:`mopskit.lms.moodle`), ``csv`` (one
  row per trainee, one column per assignment) or ``xapi`` (xAPI statements as JSON, :mod:`mopskit.lms.xapi`);
- :func:`send_grades`: the same statements, and a *mastered* statement per competency mastered, sent to a learning
  record store (:mod:`mopskit.lms.lrs`: batches, retries, never a statement twice).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import GradingError
from ._grades import GradeTable, grade_table, points_text
from .canvas import canvas_csv, check_canvas_csv
from .lrs import SendResult, send_statements
from .moodle import check_moodle_csv, moodle_csv
from .xapi import mastery_statements, statement_id, statements

__all__ = [
    "FORMATS",
    "GradeTable",
    "SendResult",
    "canvas_csv",
    "check_canvas_csv",
    "check_moodle_csv",
    "export_grades",
    "grade_table",
    "mastery_statements",
    "moodle_csv",
    "points_text",
    "send_grades",
    "send_statements",
    "statement_id",
    "statements",
]

FORMATS = ("csv", "canvas", "moodle", "xapi")


def export_grades(
    *,
    db: str | Path = "gradebook.sqlite",
    fmt: str = "csv",
    out: str | Path | None = None,
    long: bool = False,
    section: str = "",
    identifier: str = "email",
    base: str = "urn:mopskit",
    as_of: str | None = None,
) -> str:
    """Export the gradebook's latest grades in a platform's import format; returns the text (written to ``out``).

    Args:
        db: the gradebook (SQLite path or SQLAlchemy URL).
        fmt: ``csv``, ``canvas``, ``moodle`` or ``xapi``.
        out: a file to write; ``None`` only returns the text.
        long: (csv) one row per trainee and assignment with every figure.
        section: (canvas) the section named on every row.
        identifier: (moodle) what Moodle finds users by: ``email``, ``idnumber`` or ``username``.
        base: (xapi) the IRI activity ids start with.
        as_of: (xapi) the day mastery is judged on (``YYYY-MM-DD``; default today).

    Raises:
        GradingError: an unknown format, or grades the format cannot carry (the message says why and what to do).

    """
    if fmt == "csv":
        from ..assess import export_grades as plain

        return plain(db=db, out=out, long=long)
    if fmt == "canvas":
        return canvas_csv(db, out=out, section=section)
    if fmt == "moodle":
        return moodle_csv(db, out=out, identifier=identifier)
    if fmt == "xapi":
        made = statements(db, base=base) + mastery_statements(db, as_of=as_of)
        text = json.dumps(made, indent=1, ensure_ascii=False) + "\n"
        if out is not None:
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            Path(out).write_text(text, encoding="utf-8")
        return text
    raise GradingError(f"unknown export format '{fmt}'; valid: {', '.join(FORMATS)}")


def send_grades(
    *,
    lrs: str,
    db: str | Path = "gradebook.sqlite",
    auth: str | None = None,
    base: str = "urn:mopskit",
    as_of: str | None = None,
    batch: int = 50,
    retries: int = 5,
    mastery: bool = True,
    progress: bool = False,
) -> SendResult:
    """Send every latest grade (completed, scored, passed or failed) and each mastery to an LRS as xAPI statements.

    Safe to run again: statements already in the LRS are kept once (their ids come from what they state).

    Args:
        lrs: the LRS's xAPI endpoint (``https://lrs.example.org/xapi/``).
        db: the gradebook.
        auth: ``user:password`` or an ``Authorization`` header value (default: ``$MOPSKIT_LRS_AUTH``).
        base: the IRI activity ids start with.
        as_of: the day mastery is judged on (default today).
        batch: statements per request.
        retries: tries again after a passing failure, per request.
        mastery: also send a *mastered* statement per competency mastered.
        progress: show a progress bar.

    Raises:
        LrsError: see :func:`send_statements`.

    """
    import os

    made = statements(db, base=base) + (mastery_statements(db, as_of=as_of) if mastery else [])
    step = _bar(len(made), progress)
    try:
        return send_statements(
            made, lrs=lrs, auth=auth or os.environ.get("MOPSKIT_LRS_AUTH"), batch=batch, retries=retries, progress=step
        )
    finally:
        step(-1)


def _bar(total: int, enabled: bool) -> Any:
    if not enabled:
        return lambda done: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, unit=" statement", desc="to the LRS")

    def step(done: int) -> None:
        if done < 0:
            bar.close()
        else:
            bar.update(done - bar.n)

    return step
