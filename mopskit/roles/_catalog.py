"""The role catalog, Brinker's archetypes and the three team models, as typed records read from content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from .._validate import checked
from ..content import cite, load_yaml
from ..errors import MopskitError
from ..i18n import _, per_language
from ..present import for_people

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Archetype",
    "Role",
    "TeamModel",
    "archetype",
    "archetypes",
    "role",
    "role_table",
    "roles",
    "team_model",
    "team_model_table",
    "team_models",
]


@dataclass(frozen=True)
class Archetype:
    """One of Scott Brinker's marketing technologist archetypes, or the Managers layer above them.

    Attributes:
        id: ``maestro``, ``modeler``, ``maker``, ``marketer`` or ``manager``.
        name: e.g. ``"Maestros"``.
        mops: whether this work is usually done inside marketing operations.
        layer: ``archetype`` for the four, ``managers`` for the layer above them.
        summary: who they are, in one sentence.
        focus: what their work is about, in a few words.
        source: the source id.

    """

    id: str
    name: str
    mops: bool
    layer: str
    summary: str
    focus: str
    source: str


@dataclass(frozen=True)
class Role:
    """A MOps role: what it is there for, what it does, the tools it uses, its archetype and its source.

    Attributes:
        id: the role's key in ``roles.yaml``, e.g. ``"crm_admin"``.
        name: the role as the article names it, e.g. ``"CRM administrator"``.
        remit: what the role is there for, in one sentence.
        tasks: typical tasks.
        tools: the kinds of tools the role works in.
        archetype: the id of the archetype whose work the role mostly does.
        source: the id of the article that names the role.
        views: where the articles disagree on whether the role is MOps: each view with how a lesson cites it.
        aliases: other titles a roster may give the role (``"MOps lead"`` for the manager); found by :func:`role`.
        needs: what a new hire in the role must show: ``(competency id, target level)`` pairs, the level
            ``proficient`` or ``mastered`` (see ``content/onboarding.yaml``).

    """

    id: str
    name: str
    remit: str
    tasks: tuple[str, ...]
    tools: tuple[str, ...]
    archetype: str
    source: str
    views: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    needs: tuple[tuple[str, str], ...] = ()

    @property
    def archetype_name(self) -> str:
        """The archetype's name, e.g. ``"Maestros"``."""
        return archetype(self.archetype).name

    @property
    def cited_in(self) -> str:
        """The article that names the role, as a notebook cites it."""
        return cite(self.source)


@dataclass(frozen=True)
class TeamModel:
    """One of the three ways to set up marketing operations.

    Attributes:
        id: ``one_person_band``, ``supporting_marketing`` or ``cmo_partner``.
        name: e.g. ``"The one-person MOps band"``.
        summary: what it looks like.
        owns: the ids of the archetypes whose work its MOps people own.
        fits: when the article says the model appears.
        source: the source id.
        owns_source: who assigns ``owns``: the article (for the one-person band) or the kit's reading (``mopskit``).

    """

    id: str
    name: str
    summary: str
    owns: tuple[str, ...]
    fits: str
    source: str
    owns_source: str = "mopskit"


@per_language  # translated as read: one copy per language
def _archetypes() -> dict[str, Archetype]:
    return {key: Archetype(id=key, **entry) for key, entry in load_yaml("archetypes").items()}


@per_language  # translated as read: one copy per language
def _roles() -> dict[str, Role]:
    built = {}
    for key, e in load_yaml("roles").items():
        views = tuple((v["view"], cite(v["source"])) for v in e.get("views", []))
        onboarding = e.get("onboarding") or {}
        built[key] = Role(
            key,
            e["name"],
            e["remit"],
            tuple(e["tasks"]),
            tuple(e["tools"]),
            e["archetype"],
            e["source"],
            views,
            tuple(onboarding.get("aliases") or ()),
            tuple((str(c), str(level)) for c, level in (onboarding.get("needs") or {}).items()),
        )
    return built


@per_language  # translated as read: one copy per language
def _team_models() -> dict[str, TeamModel]:
    return {
        key: TeamModel(key, e["name"], e["summary"], tuple(e["owns"]), e["fits"], e["source"], e["owns_source"])
        for key, e in load_yaml("team_models").items()
    }


_T = TypeVar("_T", Archetype, Role, TeamModel)


def _lookup(kind: str, known: dict[str, _T], key: str) -> _T:
    """Find a record by id, name or alias, ignoring case; say which exist when none fits."""
    if key in known:
        return known[key]
    wanted = " ".join(key.split()).casefold()
    for record in known.values():
        aliases: tuple[str, ...] = getattr(record, "aliases", ())
        if wanted in {n.casefold() for n in (record.id, record.name, *aliases)}:
            return record
    raise MopskitError(f"unknown {kind} '{key}'; valid: {', '.join(known)}")


@checked
def archetypes(*, mops_only: bool = False) -> list[Archetype]:
    """Return Brinker's archetypes and the Managers layer, in the order of ``archetypes.yaml``.

    Args:
        mops_only: leave out the archetype whose work is usually not MOps (Marketers).

    >>> [a.name for a in archetypes(mops_only=True)]
    ['Maestros', 'Modelers', 'Makers', 'Managers']

    """
    return [a for a in _archetypes().values() if a.mops or not mops_only]


@checked
def archetype(key: str) -> Archetype:
    """Return one archetype by id (``"maestro"``) or name (``"Maestros"``).

    >>> archetype("Makers").id
    'maker'
    """
    return _lookup("archetype", _archetypes(), key)


@checked
def roles(*, archetype: str | None = None, source: str | None = None) -> list[Role]:
    """Return the role catalog, in the order of ``roles.yaml``, optionally narrowed down.

    Args:
        archetype: keep roles of this archetype (id or name).
        source: keep roles named by this source id (e.g. ``"hubspot_2020"``).

    >>> [r.name for r in roles(archetype="modeler")]
    ['Customer data and marketing', 'Marketing data analyst']

    """
    chosen = list(_roles().values())
    if archetype is not None:
        wanted = globals()["archetype"](archetype).id
        chosen = [r for r in chosen if r.archetype == wanted]
    if source is not None:
        chosen = [r for r in chosen if r.source == source]
    return chosen


@checked
def role(key: str) -> Role:
    """Return one role by id (``"crm_admin"``), name (``"CRM administrator"``) or alias, ignoring case.

    Raises:
        MopskitError: no such role; the message lists the valid ids.

    >>> role("crm administrator").archetype_name
    'Maestros'
    >>> role("MOps lead").id
    'mops_manager'

    """
    return _lookup("role", _roles(), key)


@checked
def team_models() -> list[TeamModel]:
    """Return the three team models.

    >>> [m.id for m in team_models()]
    ['one_person_band', 'supporting_marketing', 'cmo_partner']
    """
    return list(_team_models().values())


@checked
def team_model(key: str) -> TeamModel:
    """Return one team model by id or name.

    >>> team_model("one_person_band").name
    'The one-person MOps band'
    """
    return _lookup("team model", _team_models(), key)


@checked
def role_table(*, archetype: str | None = None) -> pd.DataFrame:
    """Return the role catalog as a table: name, archetype, remit, where the role is named.

    >>> role_table().shape[0] == len(roles())
    True
    """
    import pandas as pd

    chosen = roles(archetype=archetype)
    table = pd.DataFrame(
        {
            "role": [r.name for r in chosen],
            "archetype": [r.archetype_name for r in chosen],
            "remit": [r.remit for r in chosen],
            "note": [" ".join(f"{view} ({cited})" for view, cited in r.views) for r in chosen],
            "source": [r.cited_in for r in chosen],
        }
    )
    headers = {"role": _("role"), "archetype": _("archetype"), "remit": _("remit"), "note": _("note")}
    return for_people(table, headers | {"source": _("source")}, labels=["role", "archetype"])


@checked
def team_model_table() -> pd.DataFrame:
    """Return the team models as a table: the model, whose work its MOps people own, and who says so.

    Shown in a lesson, the names come in the trainee's language; the table's data stays English.

    >>> team_model_table().loc[0, "owns the work of"]
    ['Makers', 'Maestros', 'Modelers']
    """
    import pandas as pd

    models = team_models()
    table = pd.DataFrame(
        {
            "model": [m.name for m in models],
            "owns the work of": [[archetype(a).name for a in m.owns] for m in models],
            "who says so": [_("the article") if m.owns_source != "mopskit" else _("the kit's reading") for m in models],
        }
    )
    headers = {"model": _("model"), "owns the work of": _("owns the work of"), "who says so": _("who says so")}
    return for_people(table, headers, labels=["model", "owns the work of"])
