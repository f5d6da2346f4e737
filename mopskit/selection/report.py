"""What the ``vendor_evaluation_report`` notebook needs: its parameters checked before any kernel starts, and a memo.

``mopskit report vendor_evaluation_report -p requirements=needs.csv -p vendors=offers.csv -p current_tool=X``
calls :func:`validate_report` (named in the notebook's metadata) with every parameter value: a missing file, a
file that does not read (each problem with its row and column), a current tool that is not in the inventory, or
a value out of range is refused there, with the reason, and no kernel starts. :func:`decision_memo` then
computes everything the memo shows: the scoring, the sensitivity, the costs against staying, the switching
plan, and the recommendation in sentences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import count as v_count
from .._validate import day as v_day
from .._validate import number as v_number
from ..errors import DataError, ParameterError
from ..i18n import _
from ._common import money
from .cost import TCO, CostComparison, compare_costs, stay_offer, tco
from .requirements import Requirements, read_requirements
from .scenario import INVENTORY, Scenario, content_file, scenario, scenarios
from .scoring import Evaluation, score_vendors
from .sensitivity import Sensitivity, sensitivity
from .switching import Contract, SwitchPlan, contract_of, switch_plan
from .vendors import Offers, read_vendors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_HOURLY_RATE", "Memo", "decision_memo", "validate_report"]

DEFAULT_HOURLY_RATE = 50.0
"""The cost of an internal hour when neither the scenario nor the parameters give one."""
FUNCTION = "vendor_evaluation_report"
SAMPLE = "sample"


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value).strip()


def _file(values: Mapping[str, Any], name: str) -> Path:
    given = _text(values, name)
    path = Path(given).expanduser()
    if not given or not path.is_file():
        raise ParameterError(
            _(
                "'{name}' must be a bundled scenario ({bundled}) or the path of a CSV file; there is no file "
                "'{path}' (working folder: {cwd}). Check the name and folder, or give the full path."
            ).format(name=name, bundled=", ".join(scenarios()), path=given, cwd=Path.cwd())
        )
    return path


def _bundled(values: Mapping[str, Any], name: str) -> Scenario | None:
    given = _text(values, name)
    return scenario(given) if given in scenarios() else None


def _read(values: Mapping[str, Any]) -> tuple[Requirements, Offers, Scenario | None]:
    """The requirements and offers the parameters name, and the bundled scenario when both come from one."""
    from .. import content

    asked, offered = _bundled(values, "requirements"), _bundled(values, "vendors")
    try:
        if asked is not None:
            reqs = asked.requirements
        else:
            reqs = read_requirements(_file(values, "requirements"), columns=values.get("requirement_columns") or None)
    except DataError as exc:
        raise ParameterError(_("'requirements' cannot be read: {problem}").format(problem=exc)) from None
    try:
        if offered is not None:
            name = content.load_yaml("selection_scenarios")[offered.name]["vendors"]
            with content_file(name) as path:
                offers = read_vendors(path, reqs, label=offered.offers.label)
        else:
            offers = read_vendors(_file(values, "vendors"), reqs, columns=values.get("vendor_columns") or None)
    except DataError as exc:
        raise ParameterError(_("'vendors' cannot be read: {problem}").format(problem=exc)) from None
    same = asked is not None and offered is not None and asked.name == offered.name
    return reqs, offers, asked if same else None


def _inventory(values: Mapping[str, Any]) -> Any:
    given = _text(values, "inventory") or SAMPLE
    if given == SAMPLE:
        return None
    path = Path(given).expanduser()
    if not path.is_file():
        raise ParameterError(
            _(
                "'inventory' must be '{sample}' or the path of a stack inventory file; there is no file '{path}' "
                "(working folder: {cwd})"
            ).format(sample=SAMPLE, path=given, cwd=Path.cwd())
        )
    return path


def _contract(values: Mapping[str, Any], tool: str) -> Contract:
    inventory = _inventory(values)
    try:
        if inventory is None:
            with content_file(INVENTORY) as path:
                return contract_of(path, tool)
        return contract_of(inventory, tool)
    except DataError as exc:
        raise ParameterError(_("'inventory' cannot be read: {problem}").format(problem=exc)) from None
    except ParameterError as exc:
        raise ParameterError(_("'current_tool': {problem}").format(problem=exc)) from None


@dataclass(frozen=True)
class Memo:
    """Everything the decision memo shows.

    Attributes:
        title: what is being decided.
        label: where the requirements and offers came from.
        evaluation: the scoring matrix.
        sensitivity: how the winner holds when one weight moves (``None`` when every offer is refused).
        costs: the TCO of every eligible offer, best first.
        stay: the TCO of keeping the current tool, or ``None`` without a current tool.
        comparison: the winner against staying, the parallel run included, or ``None``.
        plan: the switching plan to the winner, or ``None`` when there is no winner.
        contract: the current tool's contract, or ``None``.
        settings: the values used (seats, hourly rate, horizon, start...), by name.
        notes: what reading and computing noticed.
        recommended: the offer recommended: the winner, or the cheapest of the offers that tie for first place.
        tied: the offers that tie for first place (empty without a tie).

    """

    title: str
    label: str
    evaluation: Evaluation
    sensitivity: Sensitivity | None
    costs: dict[str, TCO]
    stay: TCO | None
    comparison: CostComparison | None
    plan: SwitchPlan | None
    contract: Contract | None
    settings: dict[str, Any]
    notes: tuple[str, ...]
    recommended: str | None = None
    tied: tuple[str, ...] = ()

    def recommendation(self) -> str:
        """The recommendation, in sentences a manager can act on."""
        ev = self.evaluation
        if ev.winner is None:
            return _(
                "No offer meets every must-have, so none can be recommended: {reasons}. Ask the vendors whether "
                "they can meet them in writing, or revisit whether each must-have really is one."
            ).format(reasons="; ".join(f"{k} {v}" for k, v in ev.refused.items()))
        best = self.recommended or ev.winner
        if self.tied:
            parts = [
                _(
                    "{offers} meet every must-have and tie at {score:g}/100 on the weighted needs, so cost decides: "
                    "we recommend {best}, the cheapest of them over {years} years."
                ).format(
                    offers=_(" and ").join(self.tied),
                    score=ev.score_of(best),
                    best=best,
                    years=self.costs[best].years,
                )
            ]
        else:
            parts = [
                _(
                    "We recommend {winner}: it meets every must-have and scores {score:g}/100 on the weighted needs"
                ).format(winner=best, score=ev.score_of(best))
                + (
                    _(", ahead of {second} ({score:g}/100).").format(
                        second=ev.runner_up, score=ev.score_of(ev.runner_up)
                    )
                    if ev.runner_up
                    else "."
                )
            ]
        parts += self._cost_sentences()
        if self.sensitivity is not None and not self.tied:
            row = self.sensitivity.smallest
            if row is None:
                parts.append(_("No change of a single weight would make another offer win."))
            else:
                parts.append(
                    _(
                        "The choice holds unless the weight of '{requirement}' moves from {weight:g} to {to:g}, "
                        "where {new} draws level."
                    ).format(
                        requirement=row["requirement"],
                        weight=row["weight"],
                        to=row["flip_weight"],
                        new=row["new_winner"],
                    )
                )
        for name, reason in ev.refused.items():
            parts.append(_("{offer} is out: it {reason}.").format(offer=name, reason=reason))
        if self.plan is not None:
            parts.append(self._dates_sentence())
            if self.plan.skipped_renewals:
                parts.append(self.plan.warnings[0])
        return " ".join(parts)

    def _cost_sentences(self) -> list[str]:
        c = self.comparison
        if c is None:
            cost = self.costs.get(self.recommended or "")
            return (
                []
                if cost is None
                else [_("Over {years} years it costs {total}.").format(years=cost.years, total=money(cost.total))]
            )
        values = {
            "years": c.switch.years,
            "switch": money(c.switch_total),
            "stay": money(c.stay.total),
            "old": c.stay.offer.name,
        }
        if c.savings < 0:
            return [
                _(
                    "It costs {more} more than keeping {old} over {years} years ({switch} against {stay}): "
                    "the case for it rests on the needs it meets, not on cost."
                ).format(more=money(-c.savings), **values)
            ]
        text = _("Over {years} years it costs {switch}, against {stay} for keeping {old}").format(**values)
        if c.within_horizon:
            text += _(": {saves} saved, and the switch pays for itself in month {month}.").format(
                saves=money(c.savings), month=c.break_even_month
            )
        else:
            text += "."
        return [text]

    def _dates_sentence(self) -> str:
        plan = self.plan
        assert plan is not None
        steps = [
            (
                plan.kick_off,
                _("start the migration with {new} on {day}").format(new=plan.new_tool, day=plan.kick_off.isoformat()),
            )
        ]
        if plan.notice_deadline is not None:
            steps.append(
                (
                    plan.notice_deadline,
                    _("give {old} notice by {day}").format(old=plan.current.tool, day=plan.notice_deadline.isoformat()),
                )
            )
        steps.append((plan.cut_over, _("cut over on {day}").format(day=plan.cut_over.isoformat())))
        ordered = [text for _day, text in sorted(steps, key=lambda s: s[0])]
        sentence = ", ".join(ordered[:-1]) + _(" and ") + ordered[-1]
        return sentence[0].upper() + sentence[1:] + "."

    def cost_table(self) -> pd.DataFrame:
        """The TCO of every eligible offer and of staying: one-time, yearly running and total over the horizon."""
        import pandas as pd

        rows = []
        every = dict(self.costs)
        if self.stay is not None:
            every[self.stay.offer.name + _(" (keep)")] = self.stay
        for name, cost in every.items():
            parts = cost.components()
            rows.append(
                {
                    "option": name,
                    "licence": parts["licence"],
                    "one_time_fees": parts[["implementation", "integration", "migration", "training"]].sum(),
                    "internal_hours_cost": parts["internal"],
                    "total": cost.total,
                }
            )
        return pd.DataFrame(rows)

    def risks(self) -> pd.DataFrame:
        """Every offer's known risks and why a refused one is out."""
        import pandas as pd

        rows = []
        for offer in self.evaluation.offers:
            reason = self.evaluation.refused.get(offer.name, "")
            for risk in offer.risks or ((),):
                rows.append({"offer": offer.name, "refused": reason, "risk": risk if risk != () else ""})
        return pd.DataFrame(rows, columns=["offer", "refused", "risk"])


def _switch_inputs(raw: Scenario | None, contract: Contract | None, seats: int) -> dict[str, Any]:
    """The plan's inputs: the scenario's own, or the kit's template with one step per integration to rebuild."""
    from .. import content

    if raw is not None:
        return dict(raw.switch)
    template = content.load_yaml("selection_switch_template")
    migration = [dict(step) for step in template["migration"]]
    for other in contract.integrates_with if contract else ():
        migration.insert(
            -1, {"step": _("Reconnect {tool}").format(tool=other), "weeks": template["weeks_per_integration"]}
        )
    training = [dict(item) for item in template["training"]]
    for item in training:
        if item["people"] == "seats":
            item["people"] = seats
    return {
        "migration": migration,
        "parallel_run_weeks": template["parallel_run_weeks"],
        "buffer_weeks": template["buffer_weeks"],
        "training": training,
        "documentation": template["documentation"],
    }


def _settings(values: Mapping[str, Any], bundled: Scenario | None, contract: Contract | None) -> dict[str, Any]:
    horizon = v_count(values.get("horizon_years", 3), "horizon_years", function=FUNCTION, minimum=1)
    if horizon > 10:
        raise ParameterError(
            _("{function}: 'horizon_years' must be at most 10 (got {got})").format(function=FUNCTION, got=horizon)
        )
    seats = values.get("seats")
    if seats is None:
        seats = bundled.seats if bundled else contract.seats if contract and contract.seats else None
    if seats is None:
        raise ParameterError(
            _(
                "{function}: 'seats' is needed: give the seats the new tool needs (-p seats=8); the current tool's "
                "inventory row records none"
            ).format(function=FUNCTION)
        )
    rate = values.get("hourly_rate")
    rate = bundled.hourly_rate if rate is None and bundled else DEFAULT_HOURLY_RATE if rate is None else rate
    start = values.get("start")
    start = bundled.start if start in (None, "") and bundled else dt.date.today() if start in (None, "") else start
    stay = dict(bundled.stay) if bundled else {}
    for name, key in (("stay_admin_hours", "admin_hours_per_year"), ("stay_increase_pct", "renewal_increase_pct")):
        if values.get(name) is not None:
            stay[key] = v_number(values[name], name, function=FUNCTION, minimum=0)
    return {
        "horizon_years": horizon,
        "seats": v_count(seats, "seats", function=FUNCTION, minimum=1),
        "hourly_rate": v_number(rate, "hourly_rate", function=FUNCTION, minimum=0),
        "start": v_day(start, "start", function=FUNCTION),
        "sensitivity_change": v_number(
            values.get("sensitivity_change", 1.0), "sensitivity_change", function=FUNCTION, above=0
        ),
        "stay": stay,
    }


def _current(values: Mapping[str, Any], bundled: Scenario | None) -> str | None:
    given = _text(values, "current_tool")
    if given.lower() == "none":
        return None
    return given or (bundled.current_tool if bundled else None)


def _inputs(values: Mapping[str, Any]) -> tuple[Requirements, Offers, Scenario | None, Contract | None, dict[str, Any]]:
    """Read and check everything the parameters name; raise ParameterError on the first thing that is wrong."""
    reqs, offers, bundled = _read(values)
    tool = _current(values, bundled)
    contract = _contract(values, tool) if tool else None
    settings = _settings(values, bundled, contract)
    settings["switch"] = _switch_inputs(bundled, contract, settings["seats"])
    settings["current_tool"] = tool
    return reqs, offers, bundled, contract, settings


def validate_report(values: Mapping[str, Any]) -> None:
    """Check the vendor evaluation report's parameters; raise one :class:`ParameterError` naming what is wrong.

    Reads both files (and the inventory), so a file that does not fit is reported with its rows and columns
    before any kernel starts.

    >>> validate_report({"requirements": "email_vendor", "vendors": "email_vendor", "horizon_years": 0})
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: vendor_evaluation_report: 'horizon_years' must be a whole number, 1 or more (got 0)

    """
    _inputs(values)


def decision_memo(values: Mapping[str, Any]) -> Memo:
    """Compute the decision memo from the report's parameter values (see the report's ``parameters`` cell).

    Args:
        values: ``requirements`` and ``vendors`` (a bundled scenario or a file each), ``horizon_years``,
            ``current_tool`` (empty: the scenario's; ``none``: no current tool), ``inventory``, ``seats``,
            ``hourly_rate``, ``start``, ``stay_admin_hours``, ``stay_increase_pct``, ``sensitivity_change``,
            ``requirement_columns``, ``vendor_columns``.

    Raises:
        ParameterError: a value, a file or the current tool that cannot be used, with the reason.

    >>> memo = decision_memo({"requirements": "email_vendor", "vendors": "email_vendor"})
    >>> memo.evaluation.winner, memo.comparison.break_even_month, memo.plan.cut_over.isoformat()
    ('Mailvane (Growth)', 20, '2027-01-15')

    """
    reqs, offers, bundled, contract, settings = _inputs(values)
    years, seats, rate = settings["horizon_years"], settings["seats"], settings["hourly_rate"]
    evaluation = score_vendors(reqs, offers, seats=seats)
    costs = {name: tco(offers.get(name), seats=seats, years=years, hourly_rate=rate) for name in evaluation.eligible}
    stay = None
    if contract is not None:
        keep = stay_offer(contract.tool, contract.annual_cost, **settings["stay"])
        stay = tco(keep, seats=seats, years=years, hourly_rate=rate)
    eligible = evaluation.ranking[evaluation.ranking["eligible"]]
    top = eligible[eligible["score"] == eligible["score"].max()]["offer"].tolist() if len(eligible) else []
    recommended = min(top, key=lambda name: (costs[name].total, name)) if top else None
    plan = None
    if recommended is not None:
        current = contract or Contract(_("the current set-up"), 0.0)
        plan = switch_plan(current, new_tool=recommended, start=settings["start"], **settings["switch"])
    comparison = None
    if stay is not None and plan is not None:
        comparison = compare_costs(costs[plan.new_tool], stay, overlap_months=plan.overlap_months)
    notes = [*reqs.notes, *offers.notes, *evaluation.notes]
    if contract is None:
        notes.append(_("No current tool was given: the costs are not compared with staying."))
    shown = {k: v for k, v in settings.items() if k not in ("stay", "switch")}
    shown["current_tool"] = shown["current_tool"] or _("none")
    return Memo(
        title=bundled.title if bundled else _("Vendor evaluation: {what}").format(what=reqs.label),
        label=(
            reqs.label
            if reqs.label == offers.label
            else _("requirements from {reqs}, offers from {offers}").format(reqs=reqs.label, offers=offers.label)
        ),
        evaluation=evaluation,
        sensitivity=sensitivity(evaluation, change=settings["sensitivity_change"]) if evaluation.winner else None,
        costs=costs,
        stay=stay,
        comparison=comparison,
        plan=plan,
        contract=contract,
        settings={**shown, **settings["stay"]},
        notes=tuple(notes),
        recommended=recommended,
        tied=tuple(top) if len(top) > 1 else (),
    )
