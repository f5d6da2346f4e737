"""Recommending a MOps team shape for a company, grounded in the profession's figures.

The rules read every threshold from ``content/figures.yaml`` (through :func:`mopskit.profession.figure`), and
every reason quotes the figure it rests on, so the recommendation and the lesson cite the same numbers.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .._validate import checked
from ..content import load_yaml
from ..errors import ParameterError
from ..i18n import _, content_text
from ..present import for_people, with_result_headers
from ..profession import figure, format_number
from ._catalog import TeamModel, team_model

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CompanySketch",
    "Reason",
    "TeamRecommendation",
    "company_facts",
    "company_sketches",
    "recommend_team",
    "sketches_table",
]


@dataclass(frozen=True)
class Reason:
    """One reason for (or note on) a recommendation, with the figures it rests on.

    Attributes:
        text: the reason in words, the figure's sentence included.
        figures: the ids of the figures it quotes (``figures.yaml``).

    """

    text: str
    figures: tuple[str, ...] = ()

    @property
    def sources(self) -> list[str]:
        """The articles to cite for this reason's figures."""
        return list(dict.fromkeys(figure(f).cited_in for f in self.figures))

    def __str__(self) -> str:
        cited = "; ".join(self.sources)
        return f"{self.text} ({_('source')}: {cited})" if cited else self.text


@dataclass(frozen=True)
class TeamRecommendation:
    """The team model recommended for a company, why, and what to watch.

    Attributes:
        model: the recommended team model.
        reasons: why this model, each quoting the figures it rests on.
        notes: risks and next steps worth knowing (may be empty).

    """

    model: TeamModel
    reasons: tuple[Reason, ...]
    notes: tuple[Reason, ...] = ()

    @property
    def figures(self) -> list[str]:
        """The ids of every figure the reasons and notes quote."""
        return list(dict.fromkeys(f for r in (*self.reasons, *self.notes) for f in r.figures))

    def __str__(self) -> str:
        lines = [_("Recommended: {model}").format(model=content_text(self.model.name)), self.model.summary, _("Why:")]
        lines += [f"  - {r}" for r in self.reasons]
        if self.notes:
            lines.append(_("Watch out:"))
            lines += [f"  - {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        def items(reasons: tuple[Reason, ...]) -> str:
            return "".join(f"<li>{html.escape(str(r))}</li>" for r in reasons)

        notes = f"<p><em>{html.escape(_('Watch out:'))}</em></p><ul>{items(self.notes)}</ul>" if self.notes else ""
        shown = content_text(self.model.name)
        return (
            f"<div><strong>{html.escape(_('Recommended: {model}').format(model=shown))}</strong>"
            f"<p>{html.escape(self.model.summary)}</p><p><em>{html.escape(_('Why:'))}</em></p>"
            f"<ul>{items(self.reasons)}</ul>{notes}</div>"
        )


def _whole(name: str, value: Any, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(_("'{name}' must be a whole number (got {value!r})").format(name=name, value=value))
    if value < minimum:
        raise ParameterError(
            _("'{name}' must be at least {minimum} (got {value})").format(name=name, minimum=minimum, value=value)
        )
    return value


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParameterError(_("'{name}' must be True or False (got {value!r})").format(name=name, value=value))
    return value


@checked
def recommend_team(
    *, employees: int, marketers: int, apps: int, dedicated_mops: bool, strategic_mandate: bool = False
) -> TeamRecommendation:
    """Recommend one of the three team models for a company, with reasons that quote the articles' figures.

    The rules, with every threshold read from ``figures.yaml``:

    1. A CMO leading a company-wide change (``strategic_mandate``) who has a MOps team to lead it with, or a
       company large enough to staff one: **MOps as the CMO's strategic partner**.
    2. A small company, or one with no dedicated MOps person and a stack within the usual small/mid-sized
       range: **the one-person MOps band**.
    3. Otherwise (a dedicated team, a large company, or a stack past the small/mid-sized range):
       **MOps supporting marketing**.

    Args:
        employees: people in the company (at least 1).
        marketers: people in marketing (at most ``employees``).
        apps: marketing apps in the stack.
        dedicated_mops: whether someone's job is MOps (a dedicated person or team).
        strategic_mandate: whether the CMO leads a company-wide change (digital transformation,
            customer-centricity, revenue growth) and wants MOps to help lead it.

    Raises:
        ParameterError: a value is not a whole number, negative, or more marketers than employees.

    >>> rec = recommend_team(employees=40, marketers=3, apps=18, dedicated_mops=False)
    >>> rec.model.id, rec.figures[:2]
    ('one_person_band', ['small_company_employees', 'dedicated_mops_share'])

    """
    employees = _whole("employees", employees, minimum=1)
    marketers = _whole("marketers", marketers, minimum=0)
    apps = _whole("apps", apps, minimum=0)
    dedicated_mops = _flag("dedicated_mops", dedicated_mops)
    strategic_mandate = _flag("strategic_mandate", strategic_mandate)
    if marketers > employees:
        raise ParameterError(
            _("'marketers' must be at most 'employees' (got {m} > {e})").format(m=marketers, e=employees)
        )
    small = figure("small_company_employees").value
    large = figure("large_company_employees").value
    smb_min, smb_max = figure("smb_stack_apps_min"), figure("smb_stack_apps_max")
    size = _("This company has {n} employees.").format(n=format_number(employees))
    stack = _("Its stack holds {n} apps.").format(n=format_number(apps))
    smb_range = figure("smb_stack_apps_min").sentence
    reasons: list[Reason] = []
    notes: list[Reason] = []

    if strategic_mandate and (dedicated_mops or employees > large):
        model = team_model("cmo_partner")
        reasons.append(
            Reason(
                _("The CMO is leading a company-wide change and wants MOps to help lead it.")
                + " "
                + figure("b2b_marketers_mops_critical").sentence,
                ("b2b_marketers_mops_critical",),
            )
        )
        reasons.append(
            Reason(figure("effectiveness_gain_min").sentence, ("effectiveness_gain_min", "effectiveness_gain_max"))
        )
        if not dedicated_mops:
            notes.append(
                Reason(
                    size + " " + figure("large_companies_without_mops").sentence + " " + _("Staff a MOps team first."),
                    ("large_companies_without_mops",),
                )
            )
    elif employees < small or (not dedicated_mops and employees <= large and apps <= smb_max.value):
        model = team_model("one_person_band")
        if employees < small:
            reasons.append(
                Reason(size + " " + figure("small_company_employees").sentence, ("small_company_employees",))
            )
        if not dedicated_mops:
            reasons.append(
                Reason(
                    _(
                        "Nobody's job is MOps yet, so the work falls to whoever has time (often one of the {n} "
                        "marketers)."
                    ).format(n=format_number(marketers))
                    + " "
                    + figure("dedicated_mops_share").sentence,
                    ("dedicated_mops_share",),
                )
            )
        reasons.append(
            Reason(
                figure("solo_mops_share").sentence + " " + _("That person owns the Maker, Maestro and Modeler work."),
                ("solo_mops_share",),
            )
        )
        if apps > smb_max.value:
            notes.append(
                Reason(
                    stack
                    + " "
                    + smb_range
                    + " "
                    + _("The kit's advice: that is a lot for one person; cut the stack or add a second."),
                    (smb_min.id, smb_max.id),
                )
            )
        if strategic_mandate:
            notes.append(
                Reason(_("A CMO's strategic agenda needs a MOps team to lead it with; name a MOps owner first."))
            )
    else:
        model = team_model("supporting_marketing")
        if employees > large:
            reasons.append(
                Reason(
                    size + " " + figure("large_companies_without_mops").sentence,
                    ("large_companies_without_mops", "large_company_employees"),
                )
            )
        if dedicated_mops:
            reasons.append(
                Reason(
                    _(
                        "There is a dedicated MOps team; its job is to keep the marketing trains running for the {n} "
                        "marketers."
                    ).format(n=format_number(marketers))
                    + " "
                    + figure("dedicated_mops_share").sentence,
                    ("dedicated_mops_share",),
                )
            )
        else:
            notes.append(Reason(_("Nobody's job is MOps yet: staff the team this model needs.")))
        if apps > smb_max.value:
            reasons.append(
                Reason(
                    stack
                    + " "
                    + smb_range
                    + " "
                    + _("The kit's rule of thumb, not the article's: past that range, plan for more than one person."),
                    (smb_min.id, smb_max.id),
                )
            )
        if apps > figure("enterprise_stack_apps").value:
            notes.append(
                Reason(
                    stack + " " + figure("enterprise_stack_apps").sentence + " " + _("Audit it for overlap."),
                    ("enterprise_stack_apps",),
                )
            )
        if not reasons:
            reasons.append(
                Reason(size + " " + figure("small_company_employees").sentence, ("small_company_employees",))
            )
    return TeamRecommendation(model, tuple(reasons), tuple(notes))


@dataclass(frozen=True)
class CompanySketch:
    """A fictional company from the lessons' team exercise (``scenarios.yaml``)."""

    name: str
    kind: str
    employees: int
    marketers: int
    apps: int
    dedicated_mops: bool
    strategic_mandate: bool
    story: str

    def recommend(self) -> TeamRecommendation:
        """Recommend a team model for this company (:func:`recommend_team` on its numbers)."""
        return recommend_team(
            employees=self.employees,
            marketers=self.marketers,
            apps=self.apps,
            dedicated_mops=self.dedicated_mops,
            strategic_mandate=self.strategic_mandate,
        )


@checked
def company_sketches() -> list[CompanySketch]:
    """Return the company sketches of the team exercise.

    >>> [s.recommend().model.id for s in company_sketches()]
    ['one_person_band', 'supporting_marketing', 'cmo_partner']
    """
    return [
        CompanySketch(**{k: v for k, v in entry.items() if k != "source"})
        for entry in load_yaml("scenarios")["company_sketches"]
    ]


@checked
def compare_picks(picked: dict[str, str] | None) -> str:
    """Each company sketch with the team model picked for it and the kit's recommendation, as text.

    Args:
        picked: the team model picked per company, by name (the answer of lesson 02's team exercise).

    >>> print(compare_picks({}).splitlines()[0])
    Fernway: pick a model above first, then run this cell again.

    """
    parts = []
    for sketch in company_sketches():
        model = (picked or {}).get(sketch.name)
        if model:
            line = _("{company}: you picked {model}").format(company=sketch.name, model=content_text(model))
            parts.append(f"{line}\n{sketch.recommend()}\n")
        else:
            parts.append(
                _("{company}: pick a model above first, then run this cell again.").format(company=sketch.name)
            )
    return "\n".join(parts)


@checked
def company_facts(company: dict[str, Any], *, apps: int) -> pd.DataFrame:
    """The facts that choose a company's team model, as a table people read: ``fact`` and the company's name.

    Args:
        company: the company as ``scenarios.yaml`` describes it (``name``, ``employees``, ``marketers``,
            ``dedicated_mops``, ``strategic_mandate``).
        apps: the apps in its marketing stack.

    >>> company = {"name": "Larkspur Cloud", "employees": 180, "marketers": 4, "dedicated_mops": False,
    ...            "strategic_mandate": False}
    >>> company_facts(company, apps=21)["Larkspur Cloud"].tolist()
    [180, 4, 21, 'no', 'no']

    """
    import pandas as pd

    missing = [k for k in ("name", "employees", "marketers", "dedicated_mops", "strategic_mandate") if k not in company]
    if missing:
        raise ParameterError(
            _(
                "company_facts: the company has no {fields}; it needs name, employees, marketers, dedicated_mops "
                "and strategic_mandate"
            ).format(fields=", ".join(missing))
        )
    facts = {
        _("employees"): company["employees"],
        _("marketers"): company["marketers"],
        _("apps in the stack"): apps,
        _("a dedicated MOps team"): _("yes") if company["dedicated_mops"] else _("no"),
        _("a CMO-led change"): _("yes") if company["strategic_mandate"] else _("no"),
    }
    table = pd.DataFrame({"fact": list(facts), str(company["name"]): list(facts.values())})
    return with_result_headers(table)  # "fact" headed; the company's name is a name


@checked
def sketches_table() -> pd.DataFrame:
    """Return the company sketches as a table, one row per company.

    >>> sketches_table().index.tolist()
    ['Fernway', 'Harbor Tools', 'Lumen Bank']
    """
    import pandas as pd

    rows = [asdict(s) for s in company_sketches()]
    headers = {
        "name": _("company"),
        "kind": _("kind of company"),
        "employees": _("employees"),
        "marketers": _("marketers"),
        "apps": _("marketing apps"),
        "dedicated_mops": _("a dedicated MOps person"),
        "strategic_mandate": _("a strategic mandate"),
        "story": _("story"),
    }
    return for_people(pd.DataFrame(rows).set_index("name"), headers)
