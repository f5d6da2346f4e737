"""The bundled evaluation scenarios (``content/selection_scenarios.yaml``): inputs for every step, ready to use.

>>> email = scenario("email_vendor")
>>> email.current_tool, email.seats, len(email.offers)
('HubSpot Marketing Hub', 8, 5)
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._validate import checked
from ..errors import ParameterError
from ..i18n import _, content_text
from .adoption import Adoption, adoption
from .cost import TCO, CostComparison, compare_costs, stay_offer, tco
from .requirements import Requirements, _shown_as_requirements, read_requirements
from .scoring import Evaluation, score_vendors
from .switching import Contract, SwitchPlan, contract_of, switch_plan, training_sessions
from .vendors import Offer, Offers, read_vendors

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import pandas as pd

__all__ = ["Scenario", "content_file", "scenario", "scenarios"]

CONTENT = "selection_scenarios"
INVENTORY = "sample_stack"  # the sample company's inventory, whatever the lesson's own data


@checked
def scenarios() -> list[str]:
    """The bundled scenarios' names.

    >>> scenarios()
    ['email_vendor', 'event_platform']
    """
    from .. import content

    return list(content.load_yaml(CONTENT))


@contextmanager
def content_file(name: str) -> Iterator[Path]:
    """The path of a CSV content file, for readers that take a path."""
    from importlib import resources

    with resources.as_file(resources.files("mopskit.content") / f"{name}.csv") as path:
        yield path


@dataclass(frozen=True)
class Scenario:
    """A vendor evaluation with everything its steps need.

    Attributes:
        name: its id (``email_vendor``).
        title: what is being decided.
        brief: the situation, in a paragraph.
        company: the company.
        owner: who runs the evaluation.
        current_tool: the tool being replaced (a row of the sample inventory).
        requirements: the requirements list.
        offers: the vendors' offers.
        seats: the seats the new tool needs.
        hourly_rate: the cost of an internal hour.
        horizon_years: the years the costs are compared over.
        start: the day the plan starts.
        stay: keeping the current tool: ``admin_hours_per_year`` and ``renewal_increase_pct``.
        switch: the switch plan's inputs (``migration``, ``parallel_run_weeks``, ``buffer_weeks``, ``training``,
            ``documentation``).
        stakeholders: what each stakeholder said, and the requirement it became.
        adoption_target_pct: the share of seats that should be active after the switch.
        build: the build-instead-of-buy option, if the scenario has one.
        usage: the usage exports after the switch (table ``tool_usage``), if the scenario has them.
        source: where the scenario comes from (an id of ``sources.yaml``).

    """

    name: str
    title: str
    brief: str
    company: str
    owner: str
    current_tool: str
    requirements: Requirements
    offers: Offers
    seats: int
    hourly_rate: float
    horizon_years: int
    start: dt.date
    stay: dict[str, float]
    switch: dict[str, Any]
    stakeholders: tuple[dict[str, str], ...]
    adoption_target_pct: float = 80.0
    build: dict[str, Any] | None = None
    usage: pd.DataFrame | None = field(default=None, compare=False)
    source: str = "mopskit"

    def remarks(self) -> list[str]:
        """What each stakeholder said, as ``who: “said”`` (lesson 09 asks which ones are must-haves)."""
        return [f"{s['who']}: “{s['said']}”" for s in self.stakeholders]

    def remark_labels(self) -> dict[str, str]:
        """Each of :meth:`remarks` as a trainee reads it, in the language in use (a widget's ``labels``)."""
        shown = [f"{content_text(s['who'])}: “{content_text(s['said'])}”" for s in self.stakeholders]
        return dict(zip(self.remarks(), shown, strict=True))

    def stakeholder_table(self) -> pd.DataFrame:
        """What each stakeholder said, the requirement it became and that requirement's priority, one row each.

        Shown in a lesson, it reads in the trainee's language; its data stays English.
        """
        import pandas as pd

        rows = [
            {
                "who": s["who"],
                "said": s["said"],
                "requirement": s["requirement"],
                "priority": self.requirements.get(s["requirement"]).priority,
            }
            for s in self.stakeholders
        ]
        return _shown_as_requirements(pd.DataFrame(rows, columns=["who", "said", "requirement", "priority"]))

    def training_table(self) -> pd.DataFrame:
        """The training the switch needs, as the scenario gives it: each role's people, hours each, people per session.

        Shown in a lesson, its headers read in the trainee's language; its data stays English.
        """
        table = training_sessions(self.switch["training"])[["role", "people", "hours_per_session", "class_size"]]
        return table.rename(columns={"hours_per_session": "hours"})

    def contract(self) -> Contract:
        """The current tool's contract, from the sample inventory."""
        with content_file(INVENTORY) as path:
            return contract_of(path, self.current_tool)

    def evaluate(self) -> Evaluation:
        """The scoring matrix, with the scenario's seats."""
        return score_vendors(self.requirements, self.offers, seats=self.seats)

    def stay_offer(self) -> Offer:
        """Keeping the current tool, as an offer: its licence from the inventory, its hours and increase from here."""
        return stay_offer(self.current_tool, self.contract().annual_cost, **self.stay)

    def tco(self, offer: str) -> TCO:
        """The total cost of ownership of one offer (or of staying, given the current tool's name)."""
        chosen = self.stay_offer() if offer == self.current_tool else self.offers.get(offer)
        return tco(chosen, seats=self.seats, years=self.horizon_years, hourly_rate=self.hourly_rate)

    def compare(self, offer: str, *, overlap_months: float = 0.0) -> CostComparison:
        """Switching to one offer against staying."""
        return compare_costs(self.tco(offer), self.tco(self.current_tool), overlap_months=overlap_months)

    def plan(self, new_tool: str) -> SwitchPlan:
        """The switching plan to ``new_tool``, against the current contract's notice period."""
        return switch_plan(self.contract(), new_tool=new_tool, start=self.start, **self.switch)

    def adoption(self, tool: str) -> Adoption:
        """Adoption of the new tool after the switch, from the scenario's usage exports."""
        if self.usage is None:
            raise ParameterError(_("the scenario '{name}' has no usage data after a switch").format(name=self.name))
        try:
            seat_price: float | None = self.offers.get(tool).seat_price  # by offer, or by vendor with one offer
        except ParameterError:
            seat_price = None
        return adoption(self.usage, tool, target_pct=self.adoption_target_pct, seat_price=seat_price)


@checked
def scenario(name: str) -> Scenario:
    """One bundled scenario by name (see :func:`scenarios`); an unknown name lists the valid ones."""
    from .. import content
    from .._validate import day
    from ..data import read

    every = content.load_yaml(CONTENT)
    if name not in every:
        raise ParameterError(
            _("there is no scenario '{name}'; valid: {valid}").format(name=name, valid=", ".join(every))
        )
    raw = every[name]
    label = _("the bundled scenario '{name}'").format(name=name)
    with content_file(raw["requirements"]) as path:
        reqs = read_requirements(path, label=label)
    with content_file(raw["vendors"]) as path:
        offers = read_vendors(path, reqs, label=label)
    usage = None
    if raw.get("usage"):
        with content_file(raw["usage"]) as path:
            usage = read(path, table="tool_usage")
    return Scenario(
        name=name,
        title=raw["title"],
        brief=" ".join(str(raw["brief"]).split()),
        company=raw["company"],
        owner=raw["owner"],
        current_tool=raw["current_tool"],
        requirements=reqs,
        offers=offers,
        seats=int(raw["seats"]),
        hourly_rate=float(raw["hourly_rate"]),
        horizon_years=int(raw["horizon_years"]),
        start=day(raw["start"], "start", function="scenario"),
        stay={k: float(v) for k, v in raw.get("stay", {}).items()},
        switch=dict(raw["switch"]),
        stakeholders=tuple(dict(s) for s in raw.get("stakeholders", ())),
        adoption_target_pct=float(raw.get("adoption_target_pct", 80)),
        build=raw.get("build"),
        usage=usage,
        source=raw.get("source", "mopskit"),
    )
