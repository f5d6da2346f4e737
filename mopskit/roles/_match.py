"""Matching a task description to the roles and archetypes most likely to own it, with the reason.

Deterministic and explainable: the description and every role's name, remit, tasks and tools are split into
words, lower-cased, stripped of plain endings (``lists`` → ``list``, ``routing`` → ``rout``) and of words that
say nothing about ownership, and mapped through a small synonym list kept in ``content/matching.yaml``
(``newsletter`` counts as ``email``). A role scores the sum, over the description's words it shares, of how rare
each word is across the catalog, so ``email`` tells more than ``marketing``. The reason is the words that matched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .._validate import checked
from ..content import load_yaml
from ..errors import ParameterError
from ..i18n import _, content_text
from ._catalog import Archetype, Role, archetypes, role, roles

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ArchetypeMatch",
    "MatchingDrill",
    "RoleMatch",
    "assign_owners",
    "best_role",
    "explain_matches",
    "match_archetype",
    "match_task",
    "matching_drill",
    "matching_score",
    "normalize",
    "rows_to_revisit",
]

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _stem(word: str) -> str:
    """Strip plain English endings so ``lists``/``list`` and ``routing``/``route``/``routed`` meet.

    >>> [_stem(w) for w in ["lists", "routing", "route", "routed", "planned", "analysis", "policies"]]
    ['list', 'rout', 'rout', 'rout', 'plan', 'analysis', 'policy']
    """
    if len(word) <= 3:
        return word
    stripped = False
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word, stripped = word[: -len(suffix)], True
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if stripped and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


@cache
def _vocabulary() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    data = load_yaml("matching")
    stop = frozenset(data["stopwords"].casefold().split())
    direct = {_stem(str(k).casefold()): _stem(str(v).casefold()) for k, v in data["synonyms"].items()}
    resolved = {}
    for key in direct:
        seen, word = {key}, direct[key]
        while word in direct and word not in seen:  # follow chains (gdpr → consent → subscription)
            seen.add(word)
            word = direct[word]
        resolved[key] = word
    shown = {_stem(str(v).casefold()): str(v) for v in data["synonyms"].values()}  # how a synonym's target reads
    return stop, resolved, shown


def _words(text: str) -> list[tuple[str, str]]:
    """The description's meaningful words as (shown, normalized) pairs, in order, without repeats.

    A word is shown as written, followed by the word it was read as when a synonym applied.

    >>> _words("Merge the leads' records")
    [('merge (= duplicate)', 'duplicat'), ('leads', 'lead'), ('records', 'record')]
    """
    stop, synonyms, targets = _vocabulary()
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for token in _WORD.findall(text.casefold().replace("'s", "")):
        parts = [token] if _stem(token) in synonyms or "-" not in token else token.split("-")
        for part in parts:
            if part in stop or part.isdigit():
                continue
            stem = _stem(part)
            canonical = synonyms.get(stem, stem)
            if canonical not in seen:
                seen.add(canonical)
                synonym = targets.get(canonical, canonical)
                pairs.append((part if canonical == stem else f"{part} (= {synonym})", canonical))
    return pairs


@checked
def normalize(text: str) -> list[str]:
    """Return the words of a text the way matching sees them: lower case, plain endings off, synonyms applied.

    >>> normalize("Send the monthly newsletter to the customer lists")
    ['email', 'monthly', 'customer', 'list']
    >>> normalize("Routing leads; routed lead")
    ['rout', 'lead']
    """
    return [canonical for _, canonical in _words(text)]


def _role_text(r: Role) -> str:
    return " ".join([r.name, r.remit, *r.tasks, *r.tools])


@cache
def _role_words() -> dict[str, frozenset[str]]:
    return {r.id: frozenset(normalize(_role_text(r))) for r in roles()}


@cache
def _archetype_words() -> dict[str, frozenset[str]]:
    words: dict[str, set[str]] = {a.id: set(normalize(f"{a.name} {a.summary} {a.focus}")) for a in archetypes()}
    for r in roles():
        words[r.archetype] |= _role_words()[r.id]
    return {key: frozenset(value) for key, value in words.items()}


def _weights(documents: Mapping[str, frozenset[str]]) -> dict[str, float]:
    count = len(documents)
    frequency: dict[str, int] = {}
    for words in documents.values():
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    return {word: math.log(1 + count / df) for word, df in frequency.items()}


def _rank(
    description: str, documents: Mapping[str, frozenset[str]], weights: Mapping[str, float]
) -> list[tuple[str, float, tuple[str, ...]]]:
    """Score each document by the summed weight of the description's words it holds; best first, ties in order."""
    if not isinstance(description, str) or not description.strip():
        raise ParameterError(
            _("describe the task in a few words (got {value!r}), e.g. 'route new leads to sales'").format(
                value=description
            )
        )
    words = _words(description)
    ranked = []
    for order, (key, vocabulary) in enumerate(documents.items()):
        hits = [(shown, canonical) for shown, canonical in words if canonical in vocabulary]
        if hits:
            score = round(sum(weights[c] for _, c in hits), 4)
            ranked.append((order, key, score, tuple(shown for shown, _ in hits)))
    ranked.sort(key=lambda item: (-item[2], item[0]))
    return [(key, score, shown) for _, key, score, shown in ranked]


@dataclass(frozen=True)
class RoleMatch:
    """A role that may own a task, how strongly it matches, and why.

    Attributes:
        role: the role.
        score: the sum of the matched words' weights (rarer words weigh more); higher is a stronger match.
        matched: the description's words found in the role's remit, tasks or tools (with the word they were
            read as, when a synonym applied).

    """

    role: Role
    score: float
    matched: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why this role matched, in one sentence."""
        return _("{role} ({archetype}): the task mentions {words}").format(
            role=self.role.name, archetype=self.role.archetype_name, words=", ".join(self.matched)
        )


@dataclass(frozen=True)
class ArchetypeMatch:
    """An archetype whose work a task looks like, how strongly, and why."""

    archetype: Archetype
    score: float
    matched: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why this archetype matched, in one sentence."""
        return _("{archetype}: the task mentions {words}").format(
            archetype=self.archetype.name, words=", ".join(self.matched)
        )


def _candidates(pool: Iterable[str] | None) -> dict[str, frozenset[str]]:
    everyone = _role_words()
    if pool is None:
        return dict(everyone)
    return {role(key).id: everyone[role(key).id] for key in pool}


@checked
def match_task(description: str, *, roles: Iterable[str] | None = None, top: int | None = 3) -> list[RoleMatch]:
    """Rank the roles most likely to own a task, strongest first, each with the words that matched.

    Args:
        description: the task in plain words, e.g. ``"route new leads to the right sales rep"``.
        roles: the roles to choose from (ids or names); the whole catalog when left out.
        top: how many candidates to return; ``None`` for every role with at least one matching word.

    Returns:
        The candidates; empty when no role shares a meaningful word with the description.

    Raises:
        ParameterError: the description is empty.
        MopskitError: a role in ``roles`` is unknown.

    >>> best = match_task("Route new leads to the right sales rep")[0]
    >>> best.role.name, best.matched
    ('Lead rotation', ('route', 'leads', 'sales'))

    """
    # words are weighed across the whole catalog, so a role's score does not depend on the pool offered
    ranked = _rank(description, _candidates(roles), _weights(_role_words()))
    matches = [RoleMatch(role(key), score, shown) for key, score, shown in ranked]
    return matches if top is None else matches[:top]


@checked
def best_role(description: str, *, roles: Iterable[str] | None = None) -> Role | None:
    """Return the role most likely to own a task, or ``None`` when no role's words match.

    >>> best_role("Add a validation rule to a CRM field").name
    'CRM administrator'
    """
    found = match_task(description, roles=roles, top=1)
    return found[0].role if found else None


@checked
def match_archetype(description: str, *, top: int | None = None) -> list[ArchetypeMatch]:
    """Rank Brinker's archetypes (and the Managers layer) by how much a task looks like their work.

    An archetype's words are its own description plus the remit, tasks and tools of its roles.

    >>> match_archetype("Write code against the API to build an in-house app")[0].archetype.name
    'Makers'
    """
    ranked = _rank(description, _archetype_words(), _weights(_archetype_words()))
    found = [ArchetypeMatch(next(a for a in archetypes() if a.id == key), score, shown) for key, score, shown in ranked]
    return found if top is None else found[:top]


@checked
def assign_owners(tasks: Iterable[str], *, roles: Iterable[str] | None = None) -> dict[str, str | None]:
    """Give each task the name of the role most likely to own it (``None`` where no role matches).

    >>> assign_owners(["Route new leads to sales"], roles=["lead_rotation", "crm_admin"])
    {'Route new leads to sales': 'Lead rotation'}
    """
    pool = list(roles) if roles is not None else None
    owners = {}
    for task in tasks:
        found = best_role(task, roles=pool)
        owners[task] = found.name if found else None
    return owners


@checked
def matching_score(answer: Any, *, roles: Iterable[str] | None = None) -> float:
    """Return the share of an ``{task: role name}`` answer's rows that name the task's most likely owner.

    Empty rows count as wrong; an answer that is not a mapping scores 0.

    >>> matching_score({"Route new leads to sales": "Lead rotation", "Merge duplicate contacts": "Lead rotation"})
    0.5
    """
    if not isinstance(answer, Mapping) or not answer:
        return 0.0
    expected = assign_owners(answer, roles=roles)
    return sum(answer[task] == expected[task] for task in answer) / len(answer)


@checked
def rows_to_revisit(answer: Mapping[str, Any], *, roles: Iterable[str] | None = None) -> list[str]:
    """Return the tasks whose chosen role is not the most likely owner (empty ones included), in order.

    >>> rows_to_revisit({"Route new leads to sales": "CRM administrator"})
    ['Route new leads to sales']
    """
    expected = assign_owners(answer, roles=roles)
    return [task for task in answer if answer[task] != expected[task]]


@checked
def explain_matches(
    answer: Mapping[str, Any] | None,
    tasks: Iterable[str],
    *,
    roles: Iterable[str] | None = None,
    reveal: bool = False,
) -> pd.DataFrame:
    """Return, per task, the trainee's pick, whether it is the most likely owner, and the words to look at.

    For a wrong pick the clue is the words that point to the owner, not the owner's name (unless ``reveal``),
    so a trainee can try again; unanswered rows say so.

    Args:
        answer: the trainee's ``{task: role name}`` (``None`` when not answered yet).
        tasks: the tasks, in the order to show.
        roles: the roles the trainee chose from.
        reveal: add a column naming the most likely owner (for instructors, or after the last try).

    >>> table = explain_matches({"Route new leads to sales": "CRM administrator"}, ["Route new leads to sales"])
    >>> table.loc[0, "right?"], table.loc[0, "clue"]
    ('✗', 'look for: route, leads, sales')

    """
    import pandas as pd

    pool = list(roles) if roles is not None else None
    given = dict(answer or {})
    rows = []
    for task in tasks:
        found = match_task(task, roles=pool, top=1)
        owner = found[0] if found else None
        pick = given.get(task)
        right = bool(owner and pick == owner.role.name)
        if not pick:
            clue = _("pick a role first")
        elif right:
            clue = _("owns work like: {words}").format(words=", ".join(owner.matched)) if owner else ""
        else:
            clue = _("look for: {words}").format(words=", ".join(owner.matched)) if owner else ""
        row = {
            _("task"): content_text(task),
            _("your pick"): content_text(pick) if pick else "",
            _("right?"): "✓" if right else ("✗" if pick else ""),
            _("clue"): clue,
        }
        if reveal:
            row[_("most likely owner")] = content_text(owner.role.name) if owner else ""
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class MatchingDrill:
    """The lesson's task-matching exercise: tasks to match, and the roles to choose from (``scenarios.yaml``)."""

    tasks: tuple[str, ...]
    roles: tuple[Role, ...]

    @property
    def role_names(self) -> list[str]:
        """The names of the roles to choose from, in catalog order."""
        return [r.name for r in self.roles]


@checked
def matching_drill() -> MatchingDrill:
    """Return the task-matching exercise of the roles lesson.

    >>> len(matching_drill().tasks)
    10
    """
    data = load_yaml("scenarios")["matching_drill"]
    return MatchingDrill(tuple(data["tasks"]), tuple(role(key) for key in data["roles"]))
