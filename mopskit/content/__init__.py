"""Facts as data: the one home of every fact the kit teaches.

The files beside this module (YAML and CSV, listed in its ``README.md``) hold roles, archetypes, survey
figures, the sample company and its stack, and where each fact comes from. Lessons, reports, the dataset
generator and the tests all read them through these accessors, so no fact is typed twice.

>>> load_table("survey_tasks")["share_pct"].max()
np.float64(84.5)
>>> source_title("mops_survey_2020")
'chiefmartec / MarTech 2020 marketing operations career survey'
>>> cite("mckinsey")
'McKinsey on marketing operations, as reported in "What is marketing operations and who are MOps professionals?"'

English is the source. The prose fields of some files (:data:`TRANSLATABLE`: remits, definitions, statements,
descriptions) are translated as they are read, into the language of :mod:`mopskit.i18n`, from the content
catalog (``mopskit/locale/<lang>/LC_MESSAGES/content.po``). Names, ids and anything a check compares stay
English, so an answer means the same in every language.
"""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .._textfile import parse_yaml
from ..errors import MopskitError
from ..i18n import _, content_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LABELS", "TRANSLATABLE", "cite", "load_table", "load_yaml", "names", "source_title", "translatable_texts"]

# The prose fields of each content file that are translated as they are read (and extracted into the content
# catalog by ``mopskit translations update``): sentences people read, never a name, id or value a check compares.
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "archetypes": ("summary", "focus"),
    "competencies": ("description",),
    "facts": ("text",),
    "figures": ("statement",),
    "glossary": ("definition",),
    "lead_scenarios": ("question",),
    "metrics": ("definition",),
    "roles": ("remit", "view"),
    "scenarios": ("brief", "story"),
    "selection_scenarios": ("brief", "title"),
    "strategy_plans": ("brief",),
    "team_models": ("summary", "fits"),
}
# Names that are shown translated but stay English as values (options of a widget, keys of an answer): the
# content catalog holds them, and the kit translates them where it shows them (content_text), never as it reads.
LABELS: dict[str, tuple[str, ...]] = {
    "archetypes": ("name",),
    "goal_words": ("terms",),  # the scopes a goal can name (the goal builder offers them)
    # a metric's name, its label in a goal sentence, and its variants' names, users and formulas' parts
    "metrics": ("name", "label", "used_by", "numerator", "denominator"),
    "mql_criteria": ("label",),  # the drafts of MQL criteria lesson 08 compares (leads.criteria_table)
    "problems": ("problem",),
    "responsibilities": ("name",),
    "roles": ("name", "tasks", "tools"),  # tasks: the task matcher reads the English words
    # the quizzes' situations, claims and findings: options and rows of widgets, compared in English
    "scenarios": ("text", "clue", "complaint", "situation", "work", "claim", "case", "not_a_function", "title",
                  "finding", "tasks"),
    # the requirements' texts and who asked (shown in explanations and the weights explorer), what people said
    "selection_catalog": ("requirement", "stakeholder"),  # the catalog to start an evaluation from (lesson 09)
    "selection_email_requirements": ("requirement", "stakeholder"),
    "selection_event_requirements": ("Need", "Asked by"),
    "selection_scenarios": ("who", "said"),
    "stack_benchmarks": ("label",),  # the company size bands, as the stack's facts name them
    "strategy_plans": ("name", "title", "needs", "sla", "definition", "ask", "action", "audience", "channel",
                       "goals", "summary", "status", "statuses", "illustration"),  # status: a value, shown translated
    "survey_tasks": ("task",),  # the survey's tasks: options of lesson 02, as the survey's data spells them
    "team_models": ("name",),
}  # fmt: skip


def names() -> list[str]:
    """List the content files by name (without extension).

    >>> "sources" in names()
    True
    """
    folder = resources.files(__name__)
    return sorted(p.name.rsplit(".", 1)[0] for p in folder.iterdir() if p.name.endswith((".yaml", ".csv")))


def _file(name: str, suffix: str) -> Any:
    path = resources.files(__name__) / f"{name}{suffix}"
    if not path.is_file():
        valid = ", ".join(names())
        raise MopskitError(f"there is no content file '{name}{suffix}'; valid: {valid}")
    return path


@cache
def _yaml(name: str) -> Any:
    return parse_yaml(_file(name, ".yaml").read_text(encoding="utf-8"))


def load_yaml(name: str) -> Any:
    """Return the data of one YAML content file (a fresh copy: changing it changes nothing shared).

    The file's :data:`TRANSLATABLE` fields come in the language in use (English where no translation exists).

    >>> load_yaml("sample_company")["owners"][0]
    'Ana Pop'
    """
    data = copy.deepcopy(_yaml(name))
    fields = TRANSLATABLE.get(name)
    return _translated(data, fields) if fields else data


def _translated(node: Any, fields: tuple[str, ...], key: str | None = None) -> Any:
    """``node`` with the strings under any of ``fields`` translated (in place for dicts and lists)."""
    if isinstance(node, dict):
        for k, value in node.items():
            node[k] = _translated(value, fields, k)
    elif isinstance(node, list):
        node[:] = [_translated(v, fields, key) for v in node]
    elif isinstance(node, str) and key in fields:
        return content_text(node)
    return node


def translatable_texts(name: str, data: Any = None) -> list[tuple[str, str]]:
    """The texts of a content file that its catalog translates, as ``(field, English text)`` in file order.

    >>> translatable_texts("glossary")[0][0]
    'definition'
    """
    found: list[tuple[str, str]] = []
    fields = TRANSLATABLE.get(name, ())

    def walk(node: Any, key: str | None) -> None:
        if isinstance(node, dict):
            for k, value in node.items():
                walk(value, str(k))
        elif isinstance(node, list):
            for value in node:
                walk(value, key)
        elif isinstance(node, str) and key in fields and node.strip():
            found.append((key, node))

    walk(_yaml(name) if data is None else data, None)
    return found


def load_table(name: str) -> pd.DataFrame:
    """Return one CSV content file as a DataFrame (empty cells are missing values).

    >>> load_table("sample_stack").shape[0] > 10
    True
    """
    import pandas as pd

    with _file(name, ".csv").open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle)


def _source(source_id: str) -> dict[str, Any]:
    sources = _yaml("sources")
    if source_id not in sources:
        raise MopskitError(f"unknown source '{source_id}'; valid: {', '.join(sorted(sources))}")
    return dict(sources[source_id])


def source_title(source_id: str) -> str:
    """Return the title of a source, by its id in ``sources.yaml``."""
    return str(_source(source_id)["title"])


def cite(source_id: str) -> str:
    """Return how a notebook cites a source: its title, and the article that reports it when it is quoted second-hand.

    >>> cite("hubspot_2020")
    'Everything You Need to Know About Marketing Operations In One Place'
    """
    source = _source(source_id)
    if source.get("via"):
        return _('{title}, as reported in "{via}"').format(title=source["title"], via=source_title(source["via"]))
    return str(source["title"])
