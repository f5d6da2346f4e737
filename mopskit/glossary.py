"""The MOps glossary: MQL, SLA, ROMI, CAC, RACI and the other terms a new hire meets, read from content.

>>> term("mql").term
'Marketing-qualified lead (MQL)'
>>> term("Return on marketing investment").key
'ROMI'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .content import cite, load_yaml
from .errors import MopskitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Term", "glossary", "glossary_table", "term"]


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    Attributes:
        key: the short form, e.g. ``"MQL"``.
        term: the full term, e.g. ``"Marketing-qualified lead (MQL)"``.
        aliases: other spellings a lookup accepts.
        definition: what it means, in one or two sentences.
        source: the source id (``mopskit`` for the kit's own explanation of common practice).

    """

    key: str
    term: str
    aliases: tuple[str, ...]
    definition: str
    source: str

    @property
    def cited_in(self) -> str:
        """Where the term comes from, as a notebook cites it."""
        return cite(self.source)


@cache
def _terms() -> dict[str, Term]:
    return {
        key: Term(key, e["term"], tuple(e.get("aliases", ())), e["definition"], e["source"])
        for key, e in load_yaml("glossary").items()
    }


def glossary() -> list[Term]:
    """Return every term, in the order of ``glossary.yaml``.

    >>> glossary()[0].key
    'MOps'
    """
    return list(_terms().values())


def term(name: str) -> Term:
    """Look a term up by its short form, full name or an alias, ignoring case.

    Raises:
        MopskitError: the glossary has no such term; the message lists the short forms.

    >>> term("lead routing").key
    'lead rotation'

    """
    wanted = name.strip().casefold()
    for entry in _terms().values():
        if wanted in {entry.key.casefold(), entry.term.casefold(), *(a.casefold() for a in entry.aliases)}:
            return entry
    raise MopskitError(f"the glossary has no term '{name}'; terms: {', '.join(_terms())}")


def glossary_table() -> pd.DataFrame:
    """Return the glossary as a table (term, definition, source), in alphabetical order.

    >>> glossary_table().columns.tolist()
    ['term', 'definition', 'source']
    """
    import pandas as pd

    rows = sorted(glossary(), key=lambda t: t.term.casefold())
    return pd.DataFrame(
        {
            "term": [t.term for t in rows],
            "definition": [t.definition for t in rows],
            "source": [t.cited_in for t in rows],
        }
    )
