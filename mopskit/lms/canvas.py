"""Grades in the CSV shape Canvas's gradebook imports, and a check of a file against Canvas's import rules.

Canvas reads a gradebook CSV as its own export writes one (*Grades > Import*): a header row that starts
``Student, ID, SIS User ID, SIS Login ID, Section`` and then one column per assignment; a second row whose first
cell is ``Points Possible`` and that gives each assignment's points; then one row per student. A student is
found by their Canvas ID, else their SIS User ID or SIS Login ID, else their name; a column that names no
existing assignment becomes a new one with that title. Columns whose header contains Canvas's own totals
(``Current Score``, ``Final Grade``...) are read-only and ignored, so no assignment may be named like them.
Grades are numbers (a decimal comma is read too); an empty cell or ``-`` is no grade, ``EX`` excused.

The kit writes the trainee's id as SIS User ID and their email as SIS Login ID (the trainee's id when the email
is not known), and leaves Canvas's own numeric ID empty. :func:`check_canvas_csv` applies these rules to a
file, so a file that breaks one is caught before an upload.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ._grades import GradeTable, grade_table, points_text, write_csv

__all__ = ["NON_ASSIGNMENT_HEADERS", "STUDENT_COLUMNS", "canvas_csv", "check_canvas_csv"]

STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
# Canvas's read-only columns: a header containing any of these is not an assignment
NON_ASSIGNMENT_HEADERS = (
    "Current Score",
    "Current Points",
    "Current Grade",
    "Final Score",
    "Final Points",
    "Final Grade",
    "Override Score",
    "Override Grade",
    "Override Status",
)


def canvas_csv(db: str | Path | GradeTable, *, out: str | Path | None = None, section: str = "") -> str:
    """The gradebook's latest grades as a Canvas gradebook import file; returns the text (written to ``out``).

    Args:
        db: the gradebook (or its :func:`grade_table`).
        out: a file to write.
        section: the Canvas section to name on every row (Canvas ignores it when importing; empty is fine).

    """
    table = db if isinstance(db, GradeTable) else grade_table(db)
    assignments = list(table.possible)
    header = [*STUDENT_COLUMNS, *assignments]
    rows = [["Points Possible", "", "", "", "", *(points_text(table.possible[a]) for a in assignments)]]
    totals = {
        (t, a): v
        for t, a, v in zip(table.grades["trainee"], table.grades["assignment"], table.grades["total"], strict=True)
    }
    for _, person in table.trainees.iterrows():
        if not any((person["trainee"], a) in totals for a in assignments):
            continue
        cells = [
            points_text(totals[(person["trainee"], a)]) if (person["trainee"], a) in totals else "" for a in assignments
        ]
        login = person["email"] or person["trainee"]
        rows.append([person["name"] or person["trainee"], "", person["trainee"], login, section, *cells])
    return write_csv(header, rows, out)


def _number(cell: str) -> float | None:
    text = cell.strip().rstrip("%")
    if re.fullmatch(r"-?[0-9.,]+", text):  # Canvas turns the last separator into the decimal point
        parts = re.split(r"[.,]", text)
        text = "".join(parts[:-1]) + ("." if len(parts) > 1 else "") + parts[-1]
        try:
            return float(text)
        except ValueError:
            return None
    return None


def check_canvas_csv(text: str) -> list[str]:
    r"""Check a gradebook CSV against the rules Canvas imports it by; returns the problems (none: it imports).

    >>> check_canvas_csv("Student,ID,SIS User ID,SIS Login ID,Section,q\nPoints Possible,,,,,10\nAna,,a,a@x,,7\n")
    []
    >>> check_canvas_csv("Name,Email,q\nAna,a@x,7\n")[0]
    "row 1: the header must start with 'Student' then 'ID' (Canvas's own export's first columns)"
    """
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
    if not rows:
        return ["the file is empty"]
    header, problems = rows[0], []
    if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):
        return ["row 1: the header must start with 'Student' then 'ID' (Canvas's own export's first columns)"]
    info = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        info = 4
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        info = 5 + (1 if len(header) > 4 and re.search(r"Integration\s+ID", header[4]) else 0)
    if "Section" not in header[info - 1]:
        problems.append(
            f"row 1: column {info} must be 'Section', the last of the student columns (got '{header[info - 1]}')"
        )
    assignments = header[info:]
    if not assignments:
        problems.append("row 1: no assignment column after the student columns")
    for name in assignments:
        hidden = [h for h in NON_ASSIGNMENT_HEADERS if h in name]
        if hidden:
            problems.append(f"row 1: assignment '{name}' would be read as Canvas's read-only '{hidden[0]}' and ignored")
        if not name.strip():
            problems.append("row 1: an assignment column has no title")
    repeated = sorted({n for n in assignments if assignments.count(n) > 1})
    problems += [f"row 1: the assignment '{n}' is named twice" for n in repeated]
    points = [r for r in rows[1:] if r and "Points Possible" in r[0]]
    if not points:
        problems.append("no 'Points Possible' row (the second row, giving each assignment's points)")
    elif rows[1] is not points[0]:
        problems.append("the 'Points Possible' row must come right after the header")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            problems.append(f"row {number}: {len(row)} cells, the header has {len(header)}")
            continue
        cells = row[info:]
        if "Points Possible" in row[0]:
            for name, cell in zip(assignments, cells, strict=True):
                value = _number(cell)
                if value is None or value < 0:
                    problems.append(
                        f"row {number}: points possible of '{name}' must be a number 0 or more (got '{cell}')"
                    )
            continue
        if not any(c.strip() for c in row[: info - 1]):
            problems.append(f"row {number}: no student name, ID, SIS User ID or SIS Login ID to find the student by")
        for name, cell in zip(assignments, cells, strict=True):
            if cell.strip() not in ("", "-") and cell.strip().upper() != "EX" and _number(cell) is None:
                problems.append(f"row {number}: the grade for '{name}' must be a number, empty or EX (got '{cell}')")
    return problems
