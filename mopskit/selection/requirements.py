"""Requirements as data: what a new tool must do (gates) and what it should do (weighted), by stakeholder.

A requirements list is a table (``datasets/README.md``, table ``requirements``): one row per requirement with an
``id``, the ``requirement`` in a sentence, the ``stakeholder`` who asked for it, its ``priority`` (``must``: a
vendor without it is refused; ``nice``: it earns points by its ``weight``) and an optional ``category``. A
team's own spreadsheet works as it is: the usual column names and labels (``Need``, ``Asked by``, ``Must
have``...) are understood, and ``columns=`` maps any other header.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import checked
from .._validate import number as v_number
from ..errors import DataError, ParameterError
from ..i18n import _, content_text
from ..present import for_people
from ._common import read_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PRIORITIES", "Requirement", "Requirements", "read_requirements", "requirement_catalog"]

TABLE = "requirements"
PRIORITIES = ("must", "nice")
"""The two priorities: ``must`` is a gate, ``nice`` earns points by its weight."""


@dataclass(frozen=True)
class Requirement:
    """One requirement.

    Attributes:
        id: the short id the vendors file names as a column (``R1``).
        text: what the tool must do.
        stakeholder: who asked for it.
        priority: ``must`` (a gate) or ``nice`` (weighted).
        weight: how much a nice-to-have counts; 0 for a must-have (must-haves are pass or fail).
        category: the kind of requirement (integration, privacy...), or ``""``.

    """

    id: str
    text: str
    stakeholder: str
    priority: str
    weight: float = 0.0
    category: str = ""

    @property
    def must(self) -> bool:
        """Whether it is a gate."""
        return self.priority == "must"

    def label(self) -> str:
        """``R1 Two-way sync...``: the id and the text, as explanations show it (the text in the language in use)."""
        return f"{self.id} {content_text(self.text)}"


@dataclass(frozen=True)
class Requirements:
    """A requirements list: the requirements in file order, where they came from, and what reading them noted.

    Attributes:
        items: the requirements.
        label: where they came from (a file name, a scenario).
        notes: what reading them noticed without refusing them (e.g. a weight given to a must-have, not used).

    >>> reqs = Requirements.of([("R1", "Syncs with the CRM", "Sales", "must", 0),
    ...                         ("N1", "A/B tests", "Marketing", "nice", 3)])
    >>> [r.id for r in reqs.musts], reqs.total_weight
    (['R1'], 3.0)

    """

    items: tuple[Requirement, ...]
    label: str = ""
    notes: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, rows: Iterable[Any], *, label: str = "") -> Requirements:
        """Build a list from :class:`Requirement` objects or ``(id, text, stakeholder, priority, weight)`` tuples."""
        items = tuple(r if isinstance(r, Requirement) else Requirement(*r) for r in rows)
        for r in items:
            if r.priority not in PRIORITIES:
                raise ParameterError(
                    _("requirement '{id}': 'priority' must be one of must, nice (got '{got}')").format(
                        id=r.id, got=r.priority
                    )
                )
        return cls(tuple(replace(r, weight=float(r.weight)) for r in items), label)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def musts(self) -> list[Requirement]:
        """The gates."""
        return [r for r in self.items if r.must]

    @property
    def nice(self) -> list[Requirement]:
        """The weighted requirements."""
        return [r for r in self.items if not r.must]

    @property
    def total_weight(self) -> float:
        """The sum of the nice-to-haves' weights."""
        return float(sum(r.weight for r in self.nice))

    def get(self, requirement_id: str) -> Requirement:
        """One requirement by id; an unknown id lists the valid ones."""
        for r in self.items:
            if r.id == requirement_id:
                return r
        raise ParameterError(
            _("there is no requirement '{id}'; valid: {valid}").format(
                id=requirement_id, valid=", ".join(r.id for r in self.items)
            )
        )

    def with_weights(self, weights: Mapping[str, float]) -> Requirements:
        """The same list with some nice-to-haves' weights changed (``{"N2": 8}``), for a what-if.

        Raises:
            ParameterError: an unknown id, a must-have (it has no weight), or a weight below 0.

        >>> reqs = Requirements.of([("N1", "A/B tests", "Marketing", "nice", 3)])
        >>> reqs.with_weights({"N1": 5}).get("N1").weight
        5.0

        """
        for key, value in weights.items():
            if self.get(key).must:
                raise ParameterError(
                    _("'{id}' is a must-have: it is pass or fail and has no weight to change").format(id=key)
                )
            v_number(value, f"weight of {key}", function="with_weights", minimum=0)
        items = tuple(replace(r, weight=float(weights.get(r.id, r.weight))) for r in self.items)
        return replace(self, items=items)

    def frame(self) -> pd.DataFrame:
        """The requirements as a table: id, requirement, stakeholder, priority, weight, category."""
        import pandas as pd

        table = pd.DataFrame(
            [
                {
                    "id": r.id,
                    "requirement": r.text,
                    "stakeholder": r.stakeholder,
                    "priority": r.priority,
                    "weight": r.weight if not r.must else None,
                    "category": r.category,
                }
                for r in self.items
            ],
            columns=["id", "requirement", "stakeholder", "priority", "weight", "category"],
        )
        return _shown_as_requirements(table)

    def by_stakeholder(self) -> pd.DataFrame:
        """Per stakeholder: how many must-haves and nice-to-haves they asked for, their weight and its share.

        >>> reqs = Requirements.of([("R1", "CRM sync", "Sales", "must", 0), ("N1", "A/B", "Marketing", "nice", 3),
        ...                         ("N2", "Lead app", "Sales", "nice", 1)])
        >>> reqs.by_stakeholder().set_index("stakeholder")["weight_share_pct"].to_dict()
        {'Marketing': 75.0, 'Sales': 25.0}
        """
        import pandas as pd

        rows = []
        for who in sorted({r.stakeholder for r in self.items}):
            mine = [r for r in self.items if r.stakeholder == who]
            weight = sum(r.weight for r in mine if not r.must)
            rows.append(
                {
                    "stakeholder": who,
                    "must": sum(r.must for r in mine),
                    "nice": sum(not r.must for r in mine),
                    "weight": float(weight),
                    "weight_share_pct": round(100 * weight / self.total_weight, 1) if self.total_weight else 0.0,
                    "requirements": ", ".join(r.id for r in mine),
                }
            )
        columns = ["stakeholder", "must", "nice", "weight", "weight_share_pct", "requirements"]
        table = pd.DataFrame(rows, columns=columns)
        return _shown_as_requirements(table)

    def _repr_html_(self) -> str:
        return self.frame().to_html(index=False, na_rep="")


def _from_frame(frame: pd.DataFrame, label: str, first_row: int = 2) -> Requirements:
    """Requirements from a validated table; a nice-to-have with no weight (or 0) is refused, naming its row."""
    import pandas as pd

    problems, notes, items = [], [], []
    for number, row in enumerate(frame.itertuples(index=False), first_row):
        weight = getattr(row, "weight", None)
        weight = None if weight is None or pd.isna(weight) else float(weight)
        priority = str(row.priority)
        if priority == "nice" and not weight:
            problems.append(
                _(
                    "row {row}: '{id}' is a nice-to-have with no weight; give it a weight above 0 "
                    "(e.g. 1 to 5), or make it a must-have"
                ).format(row=number, id=row.id)
            )
            continue
        if priority == "must" and weight:
            notes.append(
                _("'{id}' is a must-have: its weight ({weight:g}) is not used, a must-have is pass or fail").format(
                    id=row.id, weight=weight
                )
            )
        category = getattr(row, "category", None)
        items.append(
            Requirement(
                id=str(row.id),
                text=str(row.requirement),
                stakeholder=str(row.stakeholder),
                priority=priority,
                weight=0.0 if priority == "must" else float(weight or 0),
                category="" if category is None or pd.isna(category) else str(category),
            )
        )
    if problems:
        raise DataError(
            _("{label} cannot be used as requirements ({n} problem(s)):").format(label=label, n=len(problems))
            + "\n"
            + "\n".join(f"  - {p}" for p in problems),
            problems=problems,
            source=label,
        )
    return Requirements(tuple(items), label, tuple(notes))


@checked
def read_requirements(
    source: str | Path | pd.DataFrame | Requirements,
    *,
    columns: Mapping[str, str] | None = None,
    label: str | None = None,
) -> Requirements:
    """Read a requirements list from a CSV or Parquet file (Excel CSVs welcome) or a DataFrame.

    Args:
        source: a file, a DataFrame, or a :class:`Requirements` (returned as it is).
        columns: the file's own names for the table's columns, ``{"Need": "requirement"}``, where the usual
            spellings (see the ``requirements`` table in ``datasets/README.md``) do not cover them.
        label: how messages name the source; default: the file name.

    Returns:
        The :class:`Requirements`, in file order.

    Raises:
        DataError: every problem at once, each with its row and column, and how to fix it: a missing column, an
            unknown priority, a duplicate id, a nice-to-have without a weight, an empty file.

    >>> from mopskit.data import load
    >>> reqs = read_requirements(load("requirements"))
    >>> len(reqs.musts), len(reqs.nice), reqs.total_weight
    (4, 8, 24.0)

    """
    if isinstance(source, Requirements):
        return source
    frame, name = read_table(source, TABLE, columns=columns, label=label, what=_("requirements"))
    return _from_frame(frame, name)


@checked
def requirement_catalog() -> pd.DataFrame:
    """The kit's catalog of requirements to start from, each with the survey task it comes from and its share.

    Every entry is drawn from a task MOps professionals do (the 2020 career survey, as reported in MarTech's
    "What is marketing operations and who are MOps professionals?"); ``share_pct`` is the share of respondents
    doing that task.

    >>> catalog = requirement_catalog()
    >>> row = catalog.set_index("id").loc["security"]
    >>> row["priority"], float(row["share_pct"])
    ('must', 8.5)
    """
    import pandas as pd

    from .. import content

    shares = content.load_table("survey_tasks").set_index("task")["share_pct"]
    rows = [
        {
            "id": key,
            "requirement": entry["requirement"],
            "category": entry["category"],
            "priority": entry["priority"],
            "stakeholder": entry["stakeholder"],
            "survey_task": entry["survey_task"],
            "share_pct": float(shares[entry["survey_task"]]),
            "why": entry["why"],
            "source": content.cite(entry["source"]),
        }
        for key, entry in content.load_yaml("selection_catalog").items()
    ]
    table = pd.DataFrame(rows).sort_values("share_pct", ascending=False, kind="stable").reset_index(drop=True)
    return _shown_as_requirements(table)


def _shown_as_requirements(table: pd.DataFrame) -> pd.DataFrame:
    """Mark a table of requirements for people: headers, priorities and content names in the language in use.

    The table's data stays English (code reads it back); a lesson shows it translated
    (:func:`mopskit.present.for_people`).

    >>> import pandas as pd
    >>> _shown_as_requirements(pd.DataFrame({"priority": ["must"]}))["priority"].tolist()
    ['must']
    """
    headers = {
        "id": _("id"),
        "requirement": _("requirement"),
        "stakeholder": _("stakeholder"),
        "priority": _("priority"),
        "weight": _("weight"),
        "category": _("category"),
        "must": _("must-haves"),
        "nice": _("nice-to-haves"),
        "weight_share_pct": _("share of the weight (%)"),
        "requirements": _("requirements"),
        "survey_task": _("survey task"),
        "share_pct": _("share of respondents (%)"),
        "why": _("why"),
        "source": _("source"),
        "who": _("who"),
        "said": _("what they said"),
    }
    priorities = {"priority": {"must": _("must-have"), "nice": _("nice-to-have")}}
    labels = ["requirement", "stakeholder", "survey_task", "who", "said"]
    return for_people(table, headers, labels=labels, values=priorities)
