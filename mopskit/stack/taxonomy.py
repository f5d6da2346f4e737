"""The words and figures a stack audit uses: categories, statuses and benchmarks, read from ``mopskit/content``.

>>> category("marketing_automation").name
'Marketing automation'
>>> category_of("E-mail")
'email'
>>> size_benchmark("smb").min_apps, size_benchmark("smb").max_apps
(25, 50)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .. import content
from .._validate import checked
from ..data import normalize_name, table_spec
from ..errors import ParameterError
from ..i18n import _, content_text
from ..present import for_people

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Category",
    "SizeBenchmark",
    "Status",
    "as_of",
    "categories",
    "category",
    "category_of",
    "category_table",
    "company_size",
    "label_readings",
    "size_benchmark",
    "stack_facts",
    "status_of",
    "statuses",
]


@dataclass(frozen=True)
class Category:
    """One martech category of the taxonomy (``mopskit/content/stack_categories.yaml``).

    Attributes:
        id: the value the ``martech_stack`` table holds, e.g. ``"marketing_automation"``.
        name: how it reads in tables and plots.
        description: what tools of this kind do.
        aliases: other labels teams give it.
        hub: the centre of the stack (CRM, marketing automation): other tools should connect to a hub.
        needs_hub: a tool of this kind should exchange data with a hub.
        one_is_enough: two tools of this kind usually do the same job.
        covers: other categories whose job this kind of tool also does.

    """

    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    hub: bool = False
    needs_hub: bool = True
    one_is_enough: bool = True
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Status:
    """One status of the vocabulary (``mopskit/content/stack_statuses.yaml``); ``live`` tools are in the stack."""

    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    live: bool = True


@dataclass(frozen=True)
class SizeBenchmark:
    """How many marketing apps companies of one size commonly run (``max_apps`` is ``None``: no upper bound)."""

    size: str
    label: str
    min_apps: int
    max_apps: int | None
    source: str

    def describe(self) -> str:
        """The range in words, e.g. ``25-50 apps``."""
        if self.max_apps is None:
            return _("more than {n} apps").format(n=self.min_apps)
        return _("{low}-{high} apps").format(low=self.min_apps, high=self.max_apps)


@cache
def _categories() -> dict[str, Category]:
    return {
        key: Category(
            id=key,
            name=str(raw["name"]),
            description=str(raw["description"]),
            aliases=tuple(raw.get("aliases", ())),
            hub=bool(raw.get("hub", False)),
            needs_hub=bool(raw.get("needs_hub", not raw.get("hub", False))),
            one_is_enough=bool(raw.get("one_is_enough", True)),
            covers=tuple(raw.get("covers", ())),
        )
        for key, raw in content.load_yaml("stack_categories").items()
    }


@cache
def _statuses() -> dict[str, Status]:
    return {
        key: Status(
            id=key,
            name=str(raw["name"]),
            description=str(raw["description"]),
            aliases=tuple(raw.get("aliases", ())),
            live=bool(raw.get("live", True)),
        )
        for key, raw in content.load_yaml("stack_statuses").items()
    }


@checked
def categories() -> list[Category]:
    """Every category of the taxonomy, in its documented order.

    >>> [c.id for c in categories()][:3]
    ['crm', 'marketing_automation', 'email']
    """
    return list(_categories().values())


@checked
def statuses() -> list[Status]:
    """Every status of the vocabulary.

    >>> [s.id for s in statuses()]
    ['in_use', 'evaluating', 'retiring', 'retired']
    """
    return list(_statuses().values())


@checked
def category(category_id: str) -> Category:
    """Return one category by id; an unknown id lists the valid ones.

    >>> category("crm").hub
    True
    """
    found = _categories().get(category_id)
    if found is None:
        raise ParameterError(
            _("unknown category '{id}'; valid: {valid}").format(id=category_id, valid=", ".join(_categories()))
        )
    return found


@checked
def category_table() -> pd.DataFrame:
    """The taxonomy as a table: each category's id and name, whether one tool of it is enough, what else it does.

    >>> table = category_table().set_index("category")
    >>> bool(table.loc["email", "one_is_enough"]), table.loc["marketing_automation", "also_does"]
    (True, 'email')
    """
    import pandas as pd

    table = pd.DataFrame(
        [
            {"category": c.id, "name": c.name, "one_is_enough": c.one_is_enough, "also_does": ", ".join(c.covers)}
            for c in categories()
        ]
    )
    headers = {
        "category": _("category"),
        "name": _("name"),
        "one_is_enough": _("one is enough"),
        "also_does": _("also does the job of"),
    }
    return for_people(table, headers)


@checked
def label_readings(labels: list[str]) -> pd.DataFrame:
    """How the kit reads a team's category labels: each label and the category id it means, or a note if none.

    Args:
        labels: category labels as people type them (``"MAP"``, ``"E-mail"``).

    Raises:
        ParameterError: a label is not text.

    >>> label_readings(["MAP", "Loyalty"])["read_as"].tolist()
    ['marketing_automation', '(unknown: kept as written)']

    """
    import pandas as pd

    wrong = [label for label in labels if not isinstance(label, str)]
    if wrong:
        raise ParameterError(
            _("label_readings: every label must be text (got {wrong}); pass a list such as ['MAP', 'E-mail']").format(
                wrong=", ".join(map(repr, wrong))
            )
        )
    unknown = _("(unknown: kept as written)")
    table = pd.DataFrame({"label": list(labels), "read_as": [category_of(label) or unknown for label in labels]})
    return for_people(table, {"label": _("your label"), "read_as": _("the kit reads it as")})


def _lookup(label: object, column: str) -> str | None:
    """Map a label through the vocabulary the martech_stack table reads files with, so both agree."""
    if not isinstance(label, str):
        return None
    return table_spec("martech_stack").columns[column].value_aliases.get(normalize_name(label))


@checked
def category_of(label: object) -> str | None:
    """The category id a label means (``"MAP"``, ``"E-mail"``, ``"Data enrichment"``), or ``None`` if unknown.

    This is the mapping the ``martech_stack`` table applies when it reads a file.

    >>> category_of("MAP"), category_of("Data enrichment"), category_of("Loyalty")
    ('marketing_automation', 'data_enrichment', None)
    """
    return _lookup(label, "category")


@checked
def status_of(label: object) -> str | None:
    """The status id a label means (``"Active"``, ``"in use"``, ``"Cancelled"``), or ``None`` if unknown.

    >>> status_of("Active"), status_of("in use"), status_of("Cancelled"), status_of("On hold")
    ('in_use', 'in_use', 'retired', None)
    """
    return _lookup(label, "status")


@checked
def size_benchmark(size: str) -> SizeBenchmark:
    """How many marketing apps companies of a size band commonly run (``smb`` or ``enterprise``).

    >>> size_benchmark("enterprise").describe()
    'more than 250 apps'
    """
    bands = content.load_yaml("stack_benchmarks")["stack_size"]
    if size not in bands:
        raise ParameterError(
            _("'company_size' must be one of {valid} (got '{size}')").format(valid=", ".join(bands), size=size)
        )
    from ..profession import figure

    raw = bands[size]
    low = figure(raw["min_apps"])
    high = int(figure(raw["max_apps"]).value) if raw.get("max_apps") else None
    return SizeBenchmark(size, str(raw["label"]), int(low.value), high, low.source)


@checked
def company_size() -> str:
    """The size band of the sample company (``sample_company.yaml``).

    >>> company_size()
    'smb'
    """
    return str(content.load_yaml("sample_company")["size"])


@checked
def as_of() -> dt.date:
    """The day the sample inventories were exported: audit them as of this day to get the lesson's results.

    >>> as_of().isoformat()
    '2026-10-31'
    """
    value = content.load_yaml("sample_company")["as_of"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@checked
def stack_facts() -> pd.DataFrame:
    """The articles' figures about martech stacks, each with the title of its source.

    >>> stack_facts()["figure"].tolist()[:2]
    ['150 → 8,000', '25-50 apps']
    """
    import pandas as pd

    from ..profession import figure

    bench = content.load_yaml("stack_benchmarks")
    survey = content.load_table("survey_tasks").set_index("task")["share_pct"]
    first, last = figure(bench["landscape"][0]), figure(bench["landscape"][-1])
    hopping = figure(bench["tool_hopping"])
    rows = [
        (
            _("martech products on the market, {first} → {last}").format(first=first.year, last=last.year),
            f"{int(first.value):,} → {int(last.value):,}",
            last.source,
        )
    ]
    for size in bench["stack_size"]:
        band = size_benchmark(size)
        rows.append(
            (
                _("marketing apps in the stack of {label}").format(label=content_text(band.label)),
                band.describe(),
                band.source,
            )
        )
    rows.append(
        (
            _("share of an average worker's time a year lost to hopping between tools"),
            f"{hopping.value:g}%",
            hopping.source,
        )
    )
    for task in bench["survey_tasks"].values():
        rows.append(
            (
                _("MOps professionals who: {task}").format(task=content_text(task).lower()),
                f"{survey[task]:g}%",
                "mops_survey_2020",
            )
        )
    table = pd.DataFrame(
        [{"fact": fact, "figure": figure, "source": content.source_title(src)} for fact, figure, src in rows]
    )
    return for_people(table, {"fact": _("fact"), "figure": _("figure"), "source": _("source")})
