"""RACI matrices: who is Responsible, Accountable, Consulted and Informed for each task, and their gaps.

A RACI is a table of tasks (rows) by roles (columns). Each cell holds letters: ``R`` does the work, ``A``
answers for it (exactly one per task), ``C`` is asked before, ``I`` is told after; a role that both answers
for and does a task holds ``A/R``. :func:`raci_gaps` finds what breaks the rules and says how to fix it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._validate import checked
from ..content import load_yaml
from ..errors import MopskitError, ParameterError
from ..i18n import _
from ._catalog import Role, role
from ._match import match_task

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RACI_LETTERS",
    "RACI_OPTIONS",
    "RaciFinding",
    "RaciScenario",
    "parse_raci_cell",
    "raci_gaps",
    "raci_matrix",
    "raci_responsible_fit",
    "raci_row_checks",
    "raci_scenario",
    "suggest_raci",
]

RACI_LETTERS = ("R", "A", "C", "I")
RACI_OPTIONS = ("R", "A", "A/R", "C", "I", "—")
"""What a RACI grid cell offers: the four letters, Accountable-and-Responsible, and "—" for no letter."""
_EMPTY = {"", "-", "—", "–", "none"}


@checked
def parse_raci_cell(value: Any, *, task: str = "?", role: str = "?") -> str:
    """Read one RACI cell: letters in R, A, C, I order joined by ``/`` (``"A/R"``), or ``""`` for none.

    Accepts ``"ar"``, ``"R/A"``, ``"A, R"``; ``None``, ``"—"``, ``"-"`` and blanks mean no letter.

    Raises:
        ParameterError: a letter other than R, A, C, I; the message names the task and role.

    >>> [parse_raci_cell(v) for v in ["r", "RA", "A, R", None, "—", " i "]]
    ['R', 'A/R', 'A/R', '', '', 'I']

    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    if text.casefold() in _EMPTY:
        return ""
    letters = {ch for ch in text.upper() if ch not in " /,+&"}
    unknown = letters - set(RACI_LETTERS)
    if unknown:
        raise ParameterError(
            _(
                "'{value}' in task '{task}', role '{role}' is not a RACI entry; "
                "valid: R, A, C, I (combine as A/R), or leave the cell empty"
            ).format(value=value, task=task, role=role)
        )
    return "/".join(sorted(letters, key="ACIR".index))  # A first: "A/R", as the grid offers it


@checked
def raci_matrix(
    assignments: Any, *, tasks: Iterable[str] | None = None, roles: Iterable[str] | None = None
) -> pd.DataFrame:
    """Build a RACI matrix (tasks × roles, cells like ``"A/R"`` or ``""``) from assignments.

    Args:
        assignments: ``{task: {role: letters}}`` (the shape a grid widget answers with), a DataFrame with tasks
            as index and roles as columns, or ``(task, role, letters)`` triples.
        tasks: every task, in order (tasks with no letters stay as empty rows); those in ``assignments`` when
            left out.
        roles: every role, in order; those in ``assignments`` when left out.

    Raises:
        ParameterError: no tasks or roles, a task or role not in ``tasks``/``roles``, or a cell that is not RACI.

    >>> raci_matrix({"Send the newsletter": {"Ana": "A/R", "Joon": "C"}}).loc["Send the newsletter", "Ana"]
    'A/R'

    """
    import pandas as pd

    if isinstance(assignments, pd.DataFrame):
        nested = {str(t): {str(r): assignments.loc[t, r] for r in assignments.columns} for t in assignments.index}
    elif isinstance(assignments, Mapping):
        nested = {}
        for task, row in assignments.items():
            if not isinstance(row, Mapping):
                raise ParameterError(
                    _("the RACI row for task '{task}' must map roles to letters, like {example} (got {row!r})").format(
                        task=task, example="{'Ana': 'R'}", row=row
                    )
                )
            nested[str(task)] = {str(r): v for r, v in row.items()}
    else:
        nested = {}
        shape = _("a RACI is {{task: {{role: letters}}}}, a DataFrame, or (task, role, letters) triples (got {got!r})")
        if assignments is None or isinstance(assignments, str | bytes) or not isinstance(assignments, Iterable):
            raise ParameterError(shape.format(got=assignments))
        for triple in assignments:
            if not isinstance(triple, tuple | list) or len(triple) != 3:
                raise ParameterError(shape.format(got=triple))
            task, who, letters = triple
            nested.setdefault(str(task), {})[str(who)] = letters
    task_list = list(tasks) if tasks is not None else list(nested)
    role_list = list(roles) if roles is not None else list(dict.fromkeys(r for row in nested.values() for r in row))
    if not task_list or not role_list:
        raise ParameterError(_("a RACI needs at least one task and one role; list them, e.g. tasks=[...], roles=[...]"))
    for task, row in nested.items():
        if task not in task_list:
            raise ParameterError(
                _("task '{task}' is not in the RACI's tasks; valid: {valid}").format(
                    task=task, valid=", ".join(task_list)
                )
            )
        for who in row:
            if who not in role_list:
                raise ParameterError(
                    _("role '{role}' (task '{task}') is not in the RACI's roles; valid: {valid}").format(
                        role=who, task=task, valid=", ".join(role_list)
                    )
                )
    cells = [[parse_raci_cell(nested.get(t, {}).get(r), task=t, role=r) for r in role_list] for t in task_list]
    matrix = pd.DataFrame(cells, index=pd.Index(task_list, name="task"), columns=pd.Index(role_list, name="role"))
    return matrix


def _as_matrix(matrix: Any) -> pd.DataFrame:
    import pandas as pd

    if isinstance(matrix, pd.DataFrame) and matrix.index.name == "task":
        return matrix
    return raci_matrix(matrix)


def _holders(matrix: pd.DataFrame, task: str, letter: str) -> list[str]:
    return [str(r) for r in matrix.columns if letter in matrix.loc[task, r].split("/")]


@dataclass(frozen=True)
class RaciFinding:
    """A gap in a RACI matrix, with what to do about it.

    Attributes:
        kind: ``no_accountable``, ``many_accountable``, ``no_responsible`` or ``idle_role``.
        severity: ``error`` (breaks the RACI rules) or ``info`` (worth a look).
        task: the task concerned (``None`` for a finding about a role).
        roles: the roles concerned.
        message: what is wrong and how to fix it.

    """

    kind: str
    severity: str
    task: str | None
    roles: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"[{self.severity}] {self.message}"


@checked
def raci_row_checks(matrix: Any) -> pd.DataFrame:
    """Return, per task, whether it has exactly one A and at least one R (a table of booleans).

    Checks give partial credit with it: the share of rows that pass.

    >>> rows = raci_row_checks({"Plan": {"Ana": "A", "Joon": "R"}, "Send": {"Ana": "A", "Joon": "A"}})
    >>> rows.loc["Plan"].tolist(), rows.loc["Send"].tolist()
    ([True, True], [False, False])
    """
    import pandas as pd

    m = _as_matrix(matrix)
    return pd.DataFrame(
        {
            "one_accountable": [len(_holders(m, t, "A")) == 1 for t in m.index],
            "has_responsible": [len(_holders(m, t, "R")) >= 1 for t in m.index],
        },
        index=m.index,
    )


@checked
def raci_gaps(matrix: Any) -> list[RaciFinding]:
    """Check a RACI for gaps: a task with no A, with two or more A's, with no R; and roles with no letter at all.

    Args:
        matrix: a matrix from :func:`raci_matrix`, or anything it accepts.

    Returns:
        The findings, task by task in order, then the idle roles (``info``); empty when the RACI is sound.

    >>> for f in raci_gaps({"Plan": {"Ana": "A/R", "Joon": "", "Li": ""}, "Send": {"Ana": "R", "Joon": "R", "Li": ""}}):
    ...     print(f.kind, f.task, f.roles)
    no_accountable Send ()
    idle_role None ('Li',)

    """
    m = _as_matrix(matrix)
    findings = []
    for task in m.index:
        accountable, responsible = _holders(m, task, "A"), _holders(m, task, "R")
        if not accountable:
            message = _(
                "'{task}' has no one accountable (A): make exactly one role answer for it, usually the lead who "
                "signs it off."
            ).format(task=task)
            findings.append(RaciFinding("no_accountable", "error", task, (), message))
        elif len(accountable) > 1:
            message = _(
                "'{task}' has {n} roles accountable ({roles}): keep one A and make the others R (they do the work) "
                "or C (they are asked)."
            ).format(task=task, n=len(accountable), roles=", ".join(accountable))
            findings.append(RaciFinding("many_accountable", "error", task, tuple(accountable), message))
        if not responsible:
            message = _(
                "'{task}' has no one responsible (R): give the work to the role that does it (if the accountable "
                "role does it too, mark it A/R)."
            ).format(task=task)
            findings.append(RaciFinding("no_responsible", "error", task, (), message))
    for who in m.columns:
        if not any(m.loc[t, who] for t in m.index):
            message = _(
                "{role} has no letter on any task: mark them I where the work touches theirs, or leave them out."
            ).format(role=who)
            findings.append(RaciFinding("idle_role", "info", None, (str(who),), message))
    return findings


def _pool(roles: Iterable[str | Role]) -> list[Role]:
    return [r if isinstance(r, Role) else role(r) for r in roles]


@checked
def raci_responsible_fit(matrix: Any, *, roles: Iterable[str | Role] | None = None) -> pd.Series:
    """Return, per task, whether someone marked R has a remit that matches the task's words.

    Roles are looked up in the catalog by name or id (the matrix's columns, or ``roles``); a task whose R sits
    only with roles whose work shares no word with it gets ``False``.

    >>> raci_responsible_fit({"Route new leads to sales": {"Lead rotation": "R", "Marketing operations manager": "A"}})
    task
    Route new leads to sales    True
    dtype: bool
    """
    import pandas as pd

    m = _as_matrix(matrix)
    pool = _pool(roles if roles is not None else [str(c) for c in m.columns])
    by_column = dict(zip(m.columns, pool, strict=True))
    fit = []
    for task in m.index:
        owners = {found.role.id for found in match_task(task, roles=[r.id for r in pool], top=None)}
        fit.append(any(by_column[c].id in owners for c in _holders(m, task, "R")))
    return pd.Series(fit, index=m.index, dtype=bool)


@checked
def suggest_raci(tasks: Iterable[str], roles: Iterable[str | Role]) -> dict[str, dict[str, str]]:
    """Build one sound RACI for tasks and roles, as ``{task: {role name: letters}}`` (a grid widget's shape).

    Each task is done (R) by the role whose work matches it best; the manager-archetype role, if there is one,
    is accountable (A) for everything, otherwise the doer is (``A/R``); the next-best match is consulted (C);
    everyone else is informed (I). Several RACIs can be right; this is one of them.

    >>> suggest_raci(["Route new leads to sales"], ["mops_manager", "lead_rotation", "crm_admin"])
    {'Route new leads to sales': {'Marketing operations manager': 'A', 'Lead rotation': 'R', 'CRM administrator': 'C'}}
    """
    pool = _pool(roles)
    if not pool:
        raise ParameterError("suggest_raci needs at least one role")
    lead = next((r for r in pool if r.archetype == "manager"), None)
    grid = {}
    for task in tasks:
        ranked = [m.role for m in match_task(task, roles=[r.id for r in pool], top=None)]
        doers = [r for r in ranked if r != lead] or ranked or [lead or pool[0]]
        doer = doers[0]
        accountable = lead or doer
        consulted = next((r for r in doers[1:] if r != accountable), None)
        row = {}
        for r in pool:
            if r == doer and r == accountable:
                row[r.name] = "A/R"
            elif r == doer:
                row[r.name] = "R"
            elif r == accountable:
                row[r.name] = "A"
            elif r == consulted:
                row[r.name] = "C"
            else:
                row[r.name] = "I"
        grid[task] = row
    return grid


@dataclass(frozen=True)
class RaciScenario:
    """A RACI exercise: the situation, the tasks (rows) and the roles (columns), from ``scenarios.yaml``."""

    name: str
    brief: str
    tasks: tuple[str, ...]
    roles: tuple[Role, ...]

    @property
    def role_names(self) -> list[str]:
        """The columns' names."""
        return [r.name for r in self.roles]

    def suggestion(self) -> dict[str, dict[str, str]]:
        """One sound RACI for this scenario (:func:`suggest_raci`)."""
        return suggest_raci(self.tasks, self.roles)


@checked
def raci_scenario(name: str = "email_program") -> RaciScenario:
    """Return a RACI exercise scenario by name.

    >>> raci_scenario().role_names[0]
    'Marketing operations manager'
    """
    known = load_yaml("scenarios")["raci"]
    if name not in known:
        raise MopskitError(f"unknown RACI scenario '{name}'; valid: {', '.join(known)}")
    data = known[name]
    return RaciScenario(name, data["brief"], tuple(data["tasks"]), tuple(role(r) for r in data["roles"]))
