"""A roster of hires: who starts, in which role, on which day, read as spreadsheets save it.

Columns (any order, any case; a CSV saved by Excel is fine: BOM, ``;`` separators, Windows-1252): ``name``,
``email``, ``role`` (an id, name or alias of ``roles.yaml``: ``crm_admin``, ``CRM administrator``, ``MOps lead``)
and ``start date`` (``YYYY-MM-DD``; also called ``start``, ``start_date`` or ``first day``), and optionally an
``id`` (``username``, ``login``...: the trainee's id in the gradebook and on JupyterHub; default the email).
Every bad row is named at once, with the column and the fix, and nothing is released until all are right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import MopskitError, OnboardingError

__all__ = ["Hire", "read_hires"]

_START = ("start_date", "start", "first_day", "starts", "start_day", "joining_date")
_ROLE = ("role", "job_role", "position", "job_title", "title")


@dataclass(frozen=True)
class Hire:
    """One hire of a roster.

    Attributes:
        id: the trainee's id (gradebook, folder, JupyterHub user name).
        name: their name.
        email: their email address.
        role: the role's id in ``roles.yaml``.
        start: their first day.
        row: the roster row (as a spreadsheet numbers it).

    """

    id: str
    name: str
    email: str
    role: str
    start: date
    row: int = 0


def read_hires(path: str | Path) -> list[Hire]:
    """Read a roster of hires: name, email, role and start date per row (see the module's docstring).

    Raises:
        OnboardingError: the file is missing or empty, lacks the role or start date column, repeats an id, or
            has rows whose role or date cannot be read; every problem is listed with its row (``problems``).

    """
    from .._validate import day
    from ..assess import read_roster
    from ..errors import ParameterError, ReleaseError
    from ..roles import role, roles

    label = f"roster '{path}'"
    try:
        people = read_roster(path)
    except ReleaseError as exc:
        raise OnboardingError(
            str(exc).replace("; give a CSV with id, name and email columns", "")
            + "; the columns are name, email, role, start date"
        ) from None
    columns = {name for person in people for name, _value in person.fields}
    missing = [what for what, names in (("role", _ROLE), ("start date", _START)) if not columns & set(names)]
    if missing:
        raise OnboardingError(
            f"{label} has no {' or '.join(repr(m) for m in missing)} column (found: "
            f"{', '.join(sorted(columns)) or 'only id, name and email'}); the columns are name, email, role, start date"
        )
    valid = ", ".join(f"{r.id} ({r.name})" for r in roles())
    hires: list[Hire] = []
    problems: list[str] = []
    for person in people:
        where = f"row {person.row}"
        given_role, given_start = person.field(*_ROLE), person.field(*_START)
        found_role = None
        if not given_role:
            problems.append(f"{where}: 'role' is empty; give one of: {valid}")
        else:
            try:
                found_role = role(given_role).id
            except MopskitError:
                problems.append(
                    f"{where}: 'role' is '{given_role}', a role the kit does not know; give one of: {valid}"
                )
        start = None
        try:
            start = day(given_start, "start date", function=label) if given_start else None
        except ParameterError as exc:
            problems.append(f"{where}: {str(exc).removeprefix(label + ': ')}")
        if not given_start:
            problems.append(f"{where}: 'start date' is empty; write the first day as YYYY-MM-DD, like 2026-03-02")
        if not person.email and not person.name:
            problems.append(f"{where}: no name and no email; fill in at least one")
        if found_role and start:
            hires.append(Hire(person.id, person.name, person.email, found_role, start, person.row))
    if problems:
        shown = problems[:40] + ([f"... and {len(problems) - 40} more"] if len(problems) > 40 else [])
        raise OnboardingError(
            f"{label}: {len(problems)} problem(s), nothing released:\n  " + "\n  ".join(shown), problems=problems
        )
    return hires
