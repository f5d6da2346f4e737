"""The MOps glossary: MQL, SLA, ROMI, CAC, RACI and the other terms a new hire meets, read from content.

Every term also has its name in the kit's other languages (``terms`` in ``content/glossary.yaml``), taken from
the source articles' own language versions where they name it, and a lookup accepts any of them. Definitions
come in the language in use, through the content catalog.

>>> term("mql").term
'Marketing-qualified lead (MQL)'
>>> term("Return on marketing investment").key
'ROMI'
>>> term("行銷營運").key, term("SLA").in_language("ro")
('MOps', 'Acord de nivel de servicii (SLA)')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .content import cite, load_yaml
from .errors import MopskitError
from .i18n import _, get_language, normalize_language
from .present import for_people

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
        terms: the term in the kit's other languages, by language (``{"ro": ..., "th": ..., "zh_TW": ...}``).
        terms_from: where each language's wording comes from: the source whose language version uses it, or
            ``mopskit`` where the kit uses the field's common term.

    """

    key: str
    term: str
    aliases: tuple[str, ...]
    definition: str
    source: str
    terms: dict[str, str] = field(default_factory=dict)
    terms_from: dict[str, str] = field(default_factory=dict)

    def in_language(self, lang: str | None = None) -> str:
        """The term in a language (default: the one in use); the English term where none is given.

        >>> term("CTR").in_language("th"), term("CTR").in_language("en")
        ('อัตราการคลิกผ่าน (CTR)', 'Click-through rate (CTR)')
        """
        code = normalize_language(lang) if lang else get_language()
        return self.terms.get(code or "en", self.term)

    def names(self) -> set[str]:
        """Every name a lookup accepts, case-folded: the short form, the term in each language, the aliases."""
        return {n.casefold() for n in (self.key, self.term, *self.aliases, *self.terms.values())} | {
            n.split("（")[0].split(" (")[0].strip().casefold() for n in self.terms.values()
        }

    @property
    def cited_in(self) -> str:
        """Where the term comes from, as a notebook cites it."""
        return cite(self.source)


def _terms() -> dict[str, Term]:
    return _terms_in(get_language())


@cache
def _terms_in(lang: str) -> dict[str, Term]:  # the definitions come in the language in use
    return {
        key: Term(
            key,
            e["term"],
            tuple(e.get("aliases", ())),
            e["definition"],
            e["source"],
            dict(e.get("terms", {})),
            dict(e.get("terms_from", {})),
        )
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
        if wanted in entry.names():
            return entry
    raise MopskitError(f"the glossary has no term '{name}'; terms: {', '.join(_terms())}")


def glossary_table(lang: str | None = None) -> pd.DataFrame:
    """Return the glossary as a table (term, definition, source), in alphabetical order.

    In another language (default: the one in use) the term is that language's, with the English term beside it
    in an ``english`` column.

    >>> glossary_table().columns.tolist()
    ['term', 'definition', 'source']
    >>> glossary_table("zh-TW").columns.tolist()
    ['term', 'english', 'definition', 'source']
    """
    import pandas as pd

    code = normalize_language(lang) if lang else get_language()
    rows = sorted(glossary(), key=lambda t: t.in_language(code).casefold())
    table = {"term": [t.in_language(code) for t in rows]}
    if code not in (None, "en"):
        table["english"] = [t.term for t in rows]
    table["definition"] = [t.definition for t in rows]
    table["source"] = [t.cited_in for t in rows]
    headers = {"term": _("term"), "english": _("in English"), "definition": _("definition"), "source": _("source")}
    return for_people(pd.DataFrame(table), headers)
