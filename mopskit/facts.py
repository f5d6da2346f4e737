"""The facts the kit teaches and the competencies it assesses, by id, each with its source.

``content/facts.yaml`` is the registry: every fact from the source articles has an id, the language version of
the article it was checked against and the section that gives it. A fact's data lives once, in the content file
its ``ref`` points to (a figure in ``figures.yaml``, a responsibility, an archetype, the survey table...), or in
the registry itself when no other file holds it. ``content/competencies.yaml`` holds the competencies, shaped
like the CASE standard's items.

Lessons show facts with :func:`facts_table` (or a fact's figures with :func:`mopskit.profession.figures_table`);
exercises name the facts and the competency they assess (``exercise("q1", facts=[...], competency=...)``), and
:mod:`mopskit.assess.coverage` counts what is taught and assessed.

>>> fact("solo_mops_share").text
'25% of MOps professionals surveyed are the only member of their MOps team.'
>>> fact("mckinsey_effectiveness").numbers
(15, 25)
>>> competency("metrics.email").code
'MOPS.5.1'
>>> shows("Over 250 000 profiles", fact("linkedin_profiles"))
['600,000', 'LinkedIn']
"""

from __future__ import annotations

import fnmatch
import re
import string
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .content import cite, load_table, load_yaml
from .errors import MopskitError
from .i18n import _, content_text, get_language, per_language
from .present import for_people

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Competency",
    "Fact",
    "case_package",
    "competencies",
    "competency",
    "fact",
    "facts",
    "facts_table",
    "leaf_competencies",
    "number_forms",
    "select",
    "shows",
]

LANGUAGES = ("en", "ro", "th", "zh_TW")


@dataclass(frozen=True)
class Fact:
    """One fact the kit teaches.

    Attributes:
        id: the fact's key in ``facts.yaml``.
        text: the kit's sentence stating it (from the content it points to, or the registry's own).
        source: the source id in ``sources.yaml``; ``cited_in`` is how a lesson cites it.
        lang: the language version of the article it was checked against.
        section: the article's section that gives it.
        evidence: words a lesson's text must show to teach it.
        numbers: the figures it states (a lesson must show each, in any usual format).
        refs: where its data lives (``file:key/...``); empty for a fact held by the registry alone.

    """

    id: str
    text: str
    source: str
    cited_in: str
    lang: str
    section: str
    evidence: tuple[str, ...]
    numbers: tuple[float, ...]
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Competency:
    """A competency, as the CASE standard shapes an item: id, code, parent, title, description, source."""

    id: str
    code: str
    title: str
    description: str
    source: str
    parent: str | None = None


# ---------------------------------------------------------------------------------------------------- refs


def _walk(ref: str) -> tuple[Any, str | None, str]:
    """Follow ``file:key/key`` to its data; return it, the nearest source on the way, and the file name."""
    name, _, path = ref.partition(":")
    if not path:
        return load_table(name), None, name
    node: Any = load_yaml(name)
    source = node.get("source") if isinstance(node, dict) else None
    for part in path.split("/"):
        match = re.fullmatch(r"\[(\w+)=(.+)\]", part)
        if match:
            key, value = match.groups()
            items = node.items() if isinstance(node, dict) else enumerate(node)
            node = {k: v for k, v in items if isinstance(v, dict) and str(v.get(key)) == value}
            source = value if key == "source" else source
        elif isinstance(node, list):
            found = [item for item in node if isinstance(item, dict) and item.get("id") == part]
            if not found:
                raise MopskitError(f"facts.yaml: '{ref}' points to no item with id '{part}'")
            node = found[0]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise MopskitError(f"facts.yaml: '{ref}' points to nothing ('{part}' is not there)")
        if not node:
            raise MopskitError(f"facts.yaml: '{ref}' points to nothing")
        if isinstance(node, dict) and isinstance(node.get("source"), str):
            source = node["source"]
    entries = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
    item_sources = {entry.get("source") for entry in entries if isinstance(entry, dict)}
    if len(item_sources) == 1 and None not in item_sources:  # a list whose items all name one source
        source = item_sources.pop()
    return node, source, name


def _describe(node: Any) -> tuple[str, list[str]]:
    """A sentence for a piece of content, and the words that show it (names, areas)."""
    import pandas as pd

    if isinstance(node, pd.DataFrame):  # the task survey
        top, bottom = node.iloc[node["share_pct"].idxmax()], node.iloc[node["share_pct"].idxmin()]
        text = _(
            "The share of respondents who do each of {n} MOps tasks, from {top:g}% ({top_task}) "
            "to {bottom:g}% ({bottom_task})."
        ).format(
            n=len(node),
            top=top["share_pct"],
            top_task=content_text(top["task"]),
            bottom=bottom["share_pct"],
            bottom_task=content_text(bottom["task"]),
        )
        return text, []
    if isinstance(node, dict) and "areas" in node:
        return ", ".join(node["areas"]) + ".", list(node["areas"])
    if isinstance(node, dict) and all(isinstance(v, dict) for v in node.values()):
        node = list(node.values())
    if isinstance(node, list):
        parts = [_describe(item) for item in node]
        return "; ".join(text.rstrip(".") for text, _ in parts) + ".", [w for _, words in parts for w in words]
    if isinstance(node, str):
        return content_text(node), []
    pairs = [("term", "definition"), ("name", "summary"), ("problem", "answer"), ("audience", "ask"), ("name", "needs")]
    for first, second in pairs:
        if first in node and second in node:
            joiner = " " if str(node[first]).endswith((".", "?", "!")) else ": "
            words = [str(node[first])] if (first, second) == ("name", "summary") else []
            first_text, second_text = (content_text(str(node[key])) for key in (first, second))  # in the language
            return f"{first_text}{joiner}{second_text}", words
    for single in ("action", "title", "name"):
        if single in node:
            return content_text(str(node[single])) + ".", [str(node[single])] if single == "name" else []
    raise MopskitError(f"facts.yaml: no way to state {node!r} as a sentence")


def _facts() -> dict[str, Fact]:
    """The facts, their sentences in the language in use (each language read once)."""
    return _facts_in(get_language())


@cache
def _facts_in(language_in_use: str) -> dict[str, Fact]:  # the cache key: one reading per language
    from .profession import figure

    sources = load_yaml("sources")
    built: dict[str, Fact] = {}
    for key, entry in load_yaml("facts").items():
        where = f"facts.yaml, '{key}'"
        if ("ref" in entry) == ("text" in entry):
            raise MopskitError(f"{where}: give either 'ref' (where the fact lives) or 'text' (its sentence)")
        refs = entry["ref"] if isinstance(entry.get("ref"), list) else [entry["ref"]] if "ref" in entry else []
        given = entry.get("evidence", [])
        evidence = [e for e in given if not isinstance(e, int | float)]
        numbers = [e for e in given if isinstance(e, int | float)]
        texts, found_sources = [], set()
        quoted: set[str] = set()
        for ref in refs:
            name, _, path = ref.partition(":")
            if name == "figures":
                fig = figure(path)
                statement = load_yaml("figures")[path]["statement"]
                named = {n for _, n, _, _ in string.Formatter().parse(statement) if n and n != "value"}
                if path not in quoted:
                    texts.append(fig.sentence)
                numbers += [fig.value] + [figure(n).value for n in sorted(named) if n not in quoted]
                quoted |= named | {path}
                found_sources.add(fig.source)
                continue
            node, source, _file = _walk(ref)
            text, words = _describe(node)
            texts.append(text)
            evidence += [w for w in words if w not in evidence]
            if source:
                found_sources.add(source)
        if "text" in entry:
            texts.append(entry["text"])
        if entry.get("source"):
            found_sources.add(entry["source"])
        if len(found_sources) != 1:
            raise MopskitError(
                f"{where}: a fact needs exactly one source (found {sorted(found_sources) or 'none'}); "
                "add 'source' where the data names none"
            )
        source = found_sources.pop()
        if source not in sources:
            raise MopskitError(f"{where}: unknown source '{source}'; valid: {', '.join(sources)}")
        lang = entry.get("lang")
        if lang not in LANGUAGES or not entry.get("section"):
            raise MopskitError(
                f"{where}: 'lang' must be one of {', '.join(LANGUAGES)} and 'section' must name the article's section"
            )
        unique_numbers = tuple(dict.fromkeys(numbers))
        built[key] = Fact(
            id=key,
            text=" ".join(texts),
            source=source,
            cited_in=cite(source),
            lang=lang,
            section=str(entry["section"]),
            evidence=tuple(str(e) for e in evidence),
            numbers=unique_numbers,
            refs=tuple(refs),
        )
    return built


def _pick(kind: str, known: dict[str, Any], key: str) -> Any:
    if key not in known:
        raise MopskitError(f"unknown {kind} '{key}'; valid: {', '.join(known)}")
    return known[key]


def facts() -> list[Fact]:
    """Return every fact, in the registry's order.

    >>> len(facts()) > 50
    True
    """
    return list(_facts().values())


def fact(fact_id: str) -> Fact:
    """Return one fact by its id.

    Raises:
        MopskitError: no such fact; the message lists the valid ids.

    >>> fact("mops_reports_to").source
    'state_of_mops_2021'

    """
    return _pick("fact", _facts(), fact_id)


def select(patterns: str | Iterable[str]) -> list[str]:
    """Return the fact ids that ids or patterns name (``*`` and ``?`` as in file names), in the registry's order.

    Raises:
        MopskitError: a name or pattern matches no fact.

    >>> select("goal_*")[:2]
    ['goal_romi', 'goal_effectiveness']

    """
    wanted = [patterns] if isinstance(patterns, str) else list(patterns)
    known = list(_facts())
    chosen: list[str] = []
    for pattern in wanted:
        matched = [k for k in known if fnmatch.fnmatchcase(k, pattern)]
        if not matched:
            raise MopskitError(f"'{pattern}' names no fact; valid: {', '.join(known)}")
        chosen += [k for k in matched if k not in chosen]
    return chosen


def facts_table(ids: str | Iterable[str]) -> pd.DataFrame:
    """Return facts as a table to show in a lesson: the kit's sentence and the article it comes from.

    Args:
        ids: fact ids or patterns (``"responsibility_*"``), in the order to show them.

    >>> facts_table(["mops_reports_to"]).loc[0, "source"].startswith("The State of the Marketing Ops Professional")
    True

    """
    import pandas as pd

    chosen = [fact(i) for i in select(ids)]
    table = pd.DataFrame({"fact": [f.text for f in chosen], "source": [f.cited_in for f in chosen]})
    return for_people(table, {"fact": _("fact"), "source": _("source")})


# ----------------------------------------------------------------------------------------- finding facts in text


def number_forms(value: float) -> list[str]:
    r"""The usual ways a number is written: with or without thousands separators, a decimal comma, a k.

    >>> number_forms(250000)
    ['250000', '250,000', '250 000', '250.000', '250\u202f000', '250k', '250K']
    >>> number_forms(13.8)
    ['13.8', '13,8']
    """
    number = float(value)
    if number.is_integer():
        whole = int(number)
        forms = [str(whole), f"{whole:,}"]
        if abs(whole) >= 1000:
            forms += [f"{whole:,}".replace(",", sep) for sep in (" ", ".", "\u202f")]
            if whole % 1000 == 0:
                forms += [f"{whole // 1000}k", f"{whole // 1000}K"]
        return list(dict.fromkeys(forms))
    text = f"{number:g}"
    return [text, text.replace(".", ",")]


def _has_number(text: str, value: float) -> bool:
    for form in number_forms(value):
        if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", text):
            return True
    return False


def shows(text: str, item: Fact) -> list[str]:
    """Return what of a fact a text does not show: its numbers (in any usual format) and evidence words.

    An empty list means the text shows the fact.

    >>> shows("Most MOps teams report to the CMO, then to the CEO.", fact("mops_reports_to"))
    []
    """
    from .profession import format_number

    missing = [format_number(n) for n in item.numbers if not _has_number(text, n)]
    lowered = text.lower()
    missing += [word for word in item.evidence if word.lower() not in lowered]
    return missing


# -------------------------------------------------------------------------------------------- competencies


@per_language  # translated as read: one copy per language
def _competencies() -> dict[str, Competency]:
    built: dict[str, Competency] = {}
    for entry in load_yaml("competencies"):
        item = Competency(
            id=entry["id"],
            code=entry["code"],
            title=entry["title"],
            description=entry["description"],
            source=entry["source"],
            parent=entry.get("parent"),
        )
        if item.id in built:
            raise MopskitError(f"competencies.yaml: the id '{item.id}' is used twice")
        if item.parent is not None and item.parent not in built:
            raise MopskitError(f"competencies.yaml, '{item.id}': its parent '{item.parent}' must be listed before it")
        built[item.id] = item
    return built


def competencies() -> list[Competency]:
    """Return every competency, parents before their children.

    >>> competencies()[0].title
    'Marketing operations'
    """
    return list(_competencies().values())


def competency(competency_id: str) -> Competency:
    """Return one competency by its id.

    Raises:
        MopskitError: no such competency; the message lists the valid ids.

    >>> competency("stack.rationalize").parent
    'stack'

    """
    return _pick("competency", _competencies(), competency_id)


def leaf_competencies() -> list[Competency]:
    """Return the competencies with no children: the ones exercises assess.

    >>> all("." in c.id for c in leaf_competencies())
    True
    """
    parents = {c.parent for c in competencies()}
    return [c for c in competencies() if c.id not in parents]


_CASE_NAMESPACE = uuid.UUID("5b1c3a52-8f0e-4f57-9a3c-6d0f3c1e2a10")


def case_package(*, uri: str = "urn:mopskit:competencies") -> dict[str, Any]:
    """Return the competencies as a CASE package (CFDocument, CFItems, isChildOf associations) for an LMS.

    Identifiers are stable UUIDs derived from the competency ids, so a re-import updates rather than duplicates.

    >>> package = case_package()
    >>> package["CFItems"][1]["humanCodingScheme"], package["CFAssociations"][0]["associationType"]
    ('MOPS.1', 'isChildOf')
    """

    def ident(key: str) -> str:
        return str(uuid.uuid5(_CASE_NAMESPACE, key))

    doc_id = ident("document")
    document = {"identifier": doc_id, "uri": f"{uri}/{doc_id}", "title": "mopskit: marketing operations competencies"}
    items = [
        {
            "identifier": ident(c.id),
            "uri": f"{uri}/{ident(c.id)}",
            "humanCodingScheme": c.code,
            "abbreviatedStatement": c.title,
            "fullStatement": c.description,
            "CFItemType": "Competency",
            "notes": f"source: {cite(c.source)}",
        }
        for c in competencies()
    ]
    associations = [
        {
            "identifier": ident(f"{c.id}>{c.parent}"),
            "associationType": "isChildOf",
            "originNodeURI": {"identifier": ident(c.id), "uri": f"{uri}/{ident(c.id)}", "title": c.title},
            "destinationNodeURI": {
                "identifier": ident(c.parent),
                "uri": f"{uri}/{ident(c.parent)}",
                "title": competency(c.parent).title,
            },
        }
        for c in competencies()
        if c.parent
    ]
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
