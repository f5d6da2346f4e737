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
"""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import MopskitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cite", "load_table", "load_yaml", "names", "source_title"]


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
    import yaml

    return yaml.safe_load(_file(name, ".yaml").read_text(encoding="utf-8"))


def load_yaml(name: str) -> Any:
    """Return the data of one YAML content file (a fresh copy: changing it changes nothing shared).

    >>> load_yaml("sample_company")["owners"][0]
    'Ana Pop'
    """
    return copy.deepcopy(_yaml(name))


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
        return f'{source["title"]}, as reported in "{source_title(source["via"])}"'
    return str(source["title"])
