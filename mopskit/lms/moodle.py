"""Grades in the CSV shape Moodle's grade import reads, and a check of a file against Moodle's import rules.

Moodle imports grades from a CSV file (*Grades > Import > CSV file*): a header row, then one row per user. On the
import page each column is mapped: one column identifies the user (*Map from* a column, *Map to* their email
address, ID number, username or user id), each grade column to a grade item (or a new one), and a feedback
column to the feedback of a grade item. A row whose user cannot be found stops the whole import, so every row
must carry its identifier. Grades are numbers (a decimal comma is read too) or ``-`` / empty for no grade, and
no more than 100 unless the site raised its maximum grade.

The kit writes ``First name``, ``Last name``, ``ID number`` (the trainee's id) and ``Email address``, then for each
assignment a grade column named by the assignment and a ``Feedback for <assignment>`` column, as Moodle's own
export names them, so its mapping page pairs them up. :func:`check_moodle_csv` applies the rules to a file.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import GradingError
from ._grades import GradeTable, grade_table, points_text, write_csv

__all__ = ["IDENTIFIERS", "MAX_GRADE", "check_moodle_csv", "moodle_csv"]

IDENTIFIERS = {"email": "Email address", "idnumber": "ID number", "username": "Username"}
MAX_GRADE = 100.0  # Moodle's largest grade unless the site allows more (gradepointmax)


def _split(name: str) -> tuple[str, str]:
    """A display name as Moodle's first and last name.

    >>> _split("Ana Maria Pop"), _split("Bo")
    (('Ana Maria', 'Pop'), ('Bo', ''))
    """
    parts = name.split()
    return (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (name.strip(), "")


def moodle_csv(
    db: str | Path | GradeTable,
    *,
    out: str | Path | None = None,
    identifier: str = "email",
    feedback: bool = True,
) -> str:
    """The gradebook's latest grades as a Moodle grade import file; returns the text (written to ``out``).

    Args:
        db: the gradebook (or its :func:`grade_table`).
        out: a file to write.
        identifier: what Moodle finds users by: ``email`` (their email address), ``idnumber`` (the trainee's id as
            Moodle's ID number) or ``username`` (the trainee's id as their Moodle username).
        feedback: add a ``Feedback for <assignment>`` column after each grade.

    Raises:
        GradingError: an unknown identifier, a trainee without one (Moodle would stop the whole import), or an
            assignment worth more than Moodle's largest grade.

    """
    if identifier not in IDENTIFIERS:
        raise GradingError(f"unknown identifier '{identifier}'; valid: {', '.join(IDENTIFIERS)}")
    table = db if isinstance(db, GradeTable) else grade_table(db)
    too_big = [a for a, p in table.possible.items() if p > MAX_GRADE]
    if too_big:
        raise GradingError(
            f"{', '.join(too_big)} is worth more than {MAX_GRADE:g} points, Moodle's largest grade unless the site "
            "raises it (Site administration > Grades > General settings > Maximum grade); raise it, or import "
            "the percentages of the CSV export instead"
        )
    graded = set(table.grades["trainee"])
    people = table.trainees[table.trainees["trainee"].isin(graded)]
    if identifier == "email":
        missing = [t for t, e in zip(people["trainee"], people["email"], strict=True) if not e]
        if missing:
            raise GradingError(
                f"no email address for {', '.join(missing)}: Moodle would stop the whole import at their row; record "
                "emails with a roster (mopskit grade --roster, mopskit onboard), or use --identifier idnumber"
            )
    assignments = list(table.possible)
    header = ["First name", "Last name"]
    header += ["Username"] if identifier == "username" else ["ID number"]
    header += ["Email address"]
    for a in assignments:
        header += [a, f"Feedback for {a}"] if feedback else [a]
    found = {
        (t, a): (v, f)
        for t, a, v, f in zip(
            table.grades["trainee"],
            table.grades["assignment"],
            table.grades["total"],
            table.grades["feedback"],
            strict=True,
        )
    }
    rows = []
    for _, person in people.iterrows():
        first, last = _split(person["name"] or person["trainee"])
        row = [first, last, person["trainee"], person["email"]]
        for a in assignments:
            total, text = found.get((person["trainee"], a), (None, ""))
            row += [points_text(total) if total is not None else "-"] + ([text] if feedback else [])
        rows.append(row)
    return write_csv(header, rows, out)


def _grade(cell: str) -> float | None:
    text = cell.strip()
    if re.fullmatch(r"-?\d+([.,]\d+)?", text):
        return float(text.replace(",", "."))
    return None


def check_moodle_csv(text: str, *, identifier: str = "email", max_grade: float = MAX_GRADE) -> list[str]:
    r"""Check a grade import CSV against the rules Moodle imports it by; returns the problems (none: it imports).

    Args:
        text: the file's text.
        identifier: the user field its identifier column maps to (``email``, ``idnumber``, ``username``).
        max_grade: the site's largest grade.

    >>> check_moodle_csv("Email address,05_metrics,Feedback for 05_metrics\na@x.org,7,Good\n")
    []
    >>> check_moodle_csv("Email address,05_metrics\n,7\n")
    ['row 2: no Email address: Moodle stops the whole import at a row whose user it cannot find']

    """
    rows = [r for r in csv.reader(io.StringIO(text)) if len(r) > 1 or (r and r[0].strip())]
    if not rows:
        return ["the file is empty"]
    header, problems = [h.strip() for h in rows[0]], []
    column = IDENTIFIERS.get(identifier, identifier)
    if column not in header:
        return [f"row 1: no '{column}' column to find users by (found: {', '.join(header)})"]
    repeated = sorted({h for h in header if header.count(h) > 1})
    problems += [f"row 1: the column '{h}' appears twice (Moodle maps each column once)" for h in repeated]
    fixed = {"First name", "Last name", "ID number", "Email address", "Username", "Institution", "Department"}
    feedback = [h for h in header if h.startswith("Feedback for ")]
    grades = [h for h in header if h not in fixed and h not in feedback]
    for h in feedback:
        if h.removeprefix("Feedback for ") not in grades:
            problems.append(f"row 1: '{h}' is the feedback of no grade column")
    at = header.index(column)
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            problems.append(f"row {number}: {len(row)} cells, the header has {len(header)}")
            continue
        who = row[at].strip()
        if not who:
            problems.append(
                f"row {number}: no {column}: Moodle stops the whole import at a row whose user it cannot find"
            )
        elif who in seen:
            problems.append(f"rows {seen[who]} and {number}: the same {column} '{who}' twice")
        seen.setdefault(who, number)
        for h in grades:
            cell = row[header.index(h)].strip()
            if cell in ("", "-"):
                continue
            value = _grade(cell)
            if value is None:
                problems.append(f"row {number}: the grade for '{h}' must be a number, '-' or empty (got '{cell}')")
            elif value > max_grade:
                problems.append(
                    f"row {number}: the grade for '{h}' is over {max_grade:g}, Moodle's largest (got {cell})"
                )
    return problems
