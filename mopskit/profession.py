"""What marketing operations is: responsibilities, goals, functions, problems it solves, the profession's figures.

Everything here is read from ``mopskit/content`` (``figures.yaml``, ``responsibilities.yaml``, ``problems.yaml``),
so a lesson, a report and the team recommendation in :mod:`mopskit.roles` quote the same numbers.

>>> figure("solo_mops_share").label
'25%'
>>> figure("large_companies_without_mops").sentence
'Fewer than 5% of companies with more than 500 employees have no MOps function.'
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .content import cite, load_yaml
from .errors import MopskitError
from .i18n import _, per_language
from .present import for_people

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Figure",
    "Item",
    "Problem",
    "figure",
    "figures",
    "figures_table",
    "format_number",
    "functions",
    "goals",
    "hubspot_team_areas",
    "problems",
    "problems_table",
    "responsibilities",
]


def format_number(value: float, unit: str = "") -> str:
    """Write a figure's number the way people read it: thousands separated, no trailing ``.0``, years plain.

    >>> format_number(250000), format_number(13.8), format_number(2005, "year"), format_number(93.0)
    ('250,000', '13.8', '2005', '93')
    """
    if unit == "year":
        return str(int(value))
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,g}"


@dataclass(frozen=True)
class Figure:
    """One of the profession's figures.

    Attributes:
        id: the figure's key in ``figures.yaml``, e.g. ``"solo_mops_share"``.
        value: the number, as the source gives it.
        unit: ``"%"``, ``"apps"``, ``"employees"``, ``"year"``...
        qualifier: how the source words it: ``exactly``, ``about``, ``over``, ``under``, ``almost``...
        sentence: the kit's sentence stating the figure, numbers filled in.
        source: the source id in ``sources.yaml``.
        cited_in: how a notebook cites it (the article's title).
        year: the year the figure describes.

    """

    id: str
    value: float
    unit: str
    qualifier: str
    sentence: str
    source: str
    cited_in: str
    year: int

    @property
    def label(self) -> str:
        """The number with its unit, e.g. ``"25%"`` or ``"8,000 apps"``."""
        number = format_number(self.value, self.unit)
        if self.unit == "%":
            return f"{number}%"
        return number if self.unit == "year" else f"{number} {self.unit}"


@per_language  # translated as read: one copy per language
def _figures() -> dict[str, Figure]:
    raw = load_yaml("figures")
    numbers = {key: format_number(entry["value"], entry["unit"]) for key, entry in raw.items()}
    built = {}
    for key, entry in raw.items():
        wanted = {name for _, name, _, _ in string.Formatter().parse(entry["statement"]) if name}
        unknown = wanted - set(numbers) - {"value"}
        if unknown:
            raise MopskitError(
                f"figures.yaml, '{key}': the statement names unknown figures {sorted(unknown)}; "
                f"use {{value}} or another figure's id"
            )
        built[key] = Figure(
            id=key,
            value=entry["value"],
            unit=entry["unit"],
            qualifier=entry["qualifier"],
            sentence=entry["statement"].format(value=numbers[key], **{k: v for k, v in numbers.items() if k != key}),
            source=entry["source"],
            cited_in=cite(entry["source"]),
            year=int(entry["year"]),
        )
    return built


def figures() -> list[Figure]:
    """Return every figure, in the order of ``figures.yaml``.

    >>> len(figures()) > 20
    True
    """
    return list(_figures().values())


def figure(figure_id: str) -> Figure:
    """Return one figure by its id.

    Raises:
        MopskitError: no such figure; the message lists the valid ids.

    >>> figure("martech_apps_2020").label
    '8,000 apps'

    """
    known = _figures()
    if figure_id not in known:
        raise MopskitError(f"unknown figure '{figure_id}'; valid: {', '.join(known)}")
    return known[figure_id]


def figures_table(ids: list[str] | None = None) -> pd.DataFrame:
    """Return figures as a table to show in a lesson: the sentence, the number, the year and where it comes from.

    Args:
        ids: the figures to show, in this order; all of them when left out.

    >>> figures_table(["solo_mops_share"]).loc[0, "figure"]
    '25%'

    """
    import pandas as pd

    chosen = [figure(i) for i in ids] if ids is not None else figures()
    table = pd.DataFrame(
        {
            "fact": [f.sentence for f in chosen],
            "figure": [f.label for f in chosen],
            "year": [f.year for f in chosen],
            "source": [f.cited_in for f in chosen],
        }
    )
    headers = {"fact": _("fact"), "figure": _("figure"), "year": _("year"), "source": _("source")}
    return for_people(table, headers)


@dataclass(frozen=True)
class Item:
    """A named responsibility, goal or function of MOps, with its source id."""

    id: str
    name: str
    summary: str
    source: str


@dataclass(frozen=True)
class Problem:
    """A problem a company has, and how MOps answers it."""

    id: str
    problem: str
    answer: str
    source: str


def _items(section: str) -> list[Item]:
    entries = load_yaml("responsibilities")[section]
    return [
        Item(
            id=e.get("id", e["name"].lower().replace(" ", "_")),
            name=e["name"],
            summary=e.get("summary", ""),
            source=e["source"],
        )
        for e in entries
    ]


def responsibilities() -> list[Item]:
    """Return the seven responsibilities of a MOps team (2024 article).

    >>> [r.name for r in responsibilities()][:2]
    ['Tech stack management', 'Data management and analysis']
    """
    return _items("responsibilities")


def goals() -> list[Item]:
    """Return what a MOps team aims at (2024 article).

    >>> goals()[0].name
    'Raise marketing ROI'
    """
    return _items("goals")


def functions() -> list[Item]:
    """Return the processes HubSpot lists as the role of MOps.

    >>> functions()[0].name
    'Project management'
    """
    return _items("functions")


def hubspot_team_areas() -> list[str]:
    """Return what HubSpot's own MOps team looks after (HubSpot, 2020): an example of a MOps team's remit.

    >>> hubspot_team_areas()[0]
    'permissions'
    """
    return list(load_yaml("responsibilities")["hubspot_team_owns"]["areas"])


def problems() -> list[Problem]:
    """Return the problem → MOps answer table (HubSpot, 2022 revision).

    >>> problems()[1].id
    'reporting_is_hard'
    """
    return [Problem(**entry) for entry in load_yaml("problems")]


def problems_table() -> pd.DataFrame:
    """Return the problems and MOps's answers as a two-column table.

    >>> list(problems_table().columns)
    ['problem', 'MOps answer']
    """
    import pandas as pd

    table = pd.DataFrame({"problem": [p.problem for p in problems()], "MOps answer": [p.answer for p in problems()]})
    return for_people(table, {"problem": _("problem"), "MOps answer": _("MOps answer")}, labels=["problem"])
