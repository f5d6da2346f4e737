"""Total cost of ownership over several years, against keeping the current tool, and build against buy.

The total cost of ownership (TCO) of an offer, year by year:

- **licence**: the platform fee plus each seat beyond the included ones, raised by the renewal increase at each
  renewal (every ``contract_years`` years);
- **one-time** (year 1): implementation, integration, migration and training fees;
- **internal**: the hours the switch takes (year 1) and the hours a year to run the tool, at an hourly rate.

Against keeping the current tool (its licence from the stack inventory, the hours spent working around it, its
renewal increase), the **break-even** is the first month in which the money spent since the switch is no more
than staying would have cost. During a parallel run both tools are paid: pass its length as ``overlap_months``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._validate import checked
from .._validate import count as v_count
from .._validate import number as v_number
from ..errors import ParameterError
from ..i18n import _
from ..present import for_people, shown
from ._common import money as _money
from .vendors import Offer

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COMPONENTS",
    "TCO",
    "BuildVsBuy",
    "CostComparison",
    "build_vs_buy",
    "compare_costs",
    "stay_offer",
    "tco",
]

COMPONENTS = ("licence", "implementation", "integration", "migration", "training", "internal")
"""The parts of a year's cost, in the order tables and charts show them."""
LOOK_AHEAD_YEARS = 10
"""How far past the horizon a break-even is looked for."""


def _year_costs(offer: Offer, *, seats: int, hourly_rate: float, year: int) -> dict[str, float]:
    first = year == 1
    internal = hourly_rate * (offer.admin_hours_per_year + (offer.switch_hours if first else 0.0))
    return {
        "licence": offer.licence(seats=seats, year=year),
        "implementation": offer.implementation if first else 0.0,
        "integration": offer.integration if first else 0.0,
        "migration": offer.migration if first else 0.0,
        "training": offer.training if first else 0.0,
        "internal": round(internal, 2),
    }


@checked
def stay_offer(
    tool: str, annual_cost: float, *, admin_hours_per_year: float = 0.0, renewal_increase_pct: float = 0.0
) -> Offer:
    """Keeping the current tool, as an offer: its yearly licence, no one-time cost, the hours it takes a year.

    >>> stay_offer("Event Hub", 24000, renewal_increase_pct=7).licence(seats=5, year=2)
    25680.0
    """
    for name, value in (
        ("annual_cost", annual_cost),
        ("admin_hours_per_year", admin_hours_per_year),
        ("renewal_increase_pct", renewal_increase_pct),
    ):
        v_number(value, name, function="stay_offer", minimum=0)
    return Offer(
        tool,
        vendor=tool,
        platform_fee=float(annual_cost),
        admin_hours_per_year=float(admin_hours_per_year),
        renewal_increase_pct=float(renewal_increase_pct),
    )


@dataclass(frozen=True)
class TCO:
    """The total cost of ownership of one offer over a horizon.

    Attributes:
        offer: the offer.
        seats: the seats paid for.
        years: the horizon.
        hourly_rate: the cost of an internal hour.
        by_year: one row per year: each of :data:`COMPONENTS`, the ``total`` and the ``cumulative`` total.

    """

    offer: Offer
    seats: int
    years: int
    hourly_rate: float
    by_year: pd.DataFrame

    @property
    def total(self) -> float:
        """The cost over the whole horizon."""
        return round(float(self.by_year["total"].sum()), 2)

    @property
    def one_time(self) -> float:
        """The one-time costs: the fees and the internal hours of the switch."""
        return round(self.offer.one_time + self.hourly_rate * self.offer.switch_hours, 2)

    def components(self) -> pd.Series:
        """The cost over the horizon, by component."""
        return self.by_year[list(COMPONENTS)].sum().round(2)

    def year(self, year: int) -> dict[str, float]:
        """The costs of any year (1 = the first), past the horizon too (used to find a late break-even)."""
        return _year_costs(self.offer, seats=self.seats, hourly_rate=self.hourly_rate, year=year)

    def explain(self) -> str:
        """How the total is made up, in words."""
        parts = self.components()
        first = self.by_year.iloc[0]
        lines = [
            _("{offer}: {total} over {years} year(s) for {seats} seat(s).").format(
                offer=self.offer.name, total=_money(self.total), years=self.years, seats=self.seats
            ),
            _("Licence: {first} in year 1 ({rule}), {all} in all.").format(
                first=_money(first["licence"]),
                rule=_licence_rule(self.offer, self.seats),
                all=_money(parts["licence"]),
            ),
            _("One-time fees: {fees} (implementation, integration, migration, training).").format(
                fees=_money(self.offer.one_time)
            ),
            _("Internal time: {hours:g} h for the switch and {yearly:g} h a year at {rate} an hour = {cost}.").format(
                hours=self.offer.switch_hours,
                yearly=self.offer.admin_hours_per_year,
                rate=_money(self.hourly_rate),
                cost=_money(parts["internal"]),
            ),
        ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(self.explain())}</p>" + shown(self.by_year).to_html(index=False)


def _licence_rule(offer: Offer, seats: int) -> str:
    extra = max(0, seats - offer.included_seats)
    rule = _money(offer.platform_fee)
    if offer.seat_price:
        rule += _(" + {n} seat(s) × {price}").format(n=extra, price=_money(offer.seat_price))
    if offer.renewal_increase_pct:
        rule += _(", +{pct:g}% at each renewal every {term} year(s)").format(
            pct=offer.renewal_increase_pct, term=offer.contract_years
        )
    return rule


@checked
def tco(offer: Offer, *, seats: int, years: int = 3, hourly_rate: float = 50.0) -> TCO:
    """The total cost of ownership of an offer over ``years`` years.

    Args:
        offer: the offer (see :func:`read_vendors`), or the current tool (see :func:`stay_offer`).
        seats: the seats paid for.
        years: the horizon, 1 to 10 years.
        hourly_rate: the cost of an internal hour (salary and overheads).

    Raises:
        ParameterError: a value out of range, naming it.

    >>> offer = Offer("Mailvane", platform_fee=18000, seat_price=1200, included_seats=2, implementation=6000,
    ...               switch_hours=160, admin_hours_per_year=80, renewal_increase_pct=5)
    >>> result = tco(offer, seats=8, years=3, hourly_rate=55)
    >>> result.by_year["total"].tolist(), result.total  # 25200 + 6000 + 240 h × 55; 26460 + 80 h × 55; ...
    ([44400.0, 30860.0, 32183.0], 107443.0)

    """
    seats = v_count(seats, "seats", function="tco", minimum=1)
    years = v_count(years, "years", function="tco", minimum=1)
    if years > LOOK_AHEAD_YEARS:
        raise ParameterError(
            _("tco: 'years' must be at most {most} (got {got})").format(most=LOOK_AHEAD_YEARS, got=years)
        )
    hourly_rate = v_number(hourly_rate, "hourly_rate", function="tco", minimum=0)
    import pandas as pd

    rows = []
    for year in range(1, int(years) + 1):
        costs = _year_costs(offer, seats=int(seats), hourly_rate=float(hourly_rate), year=year)
        rows.append({"year": year, **costs, "total": round(sum(costs.values()), 2)})
    frame = pd.DataFrame(rows)
    frame["cumulative"] = frame["total"].cumsum().round(2)
    headers = {
        "year": _("year"),
        "licence": _("licence"),
        "implementation": _("implementation"),
        "integration": _("integration"),
        "migration": _("migration"),
        "training": _("training"),
        "internal": _("internal hours"),
        "total": _("total"),
        "cumulative": _("cumulative"),
    }
    return TCO(offer, int(seats), int(years), float(hourly_rate), for_people(frame, headers))


@dataclass(frozen=True)
class CostComparison:
    """Switching against staying, month by month.

    Attributes:
        switch: the TCO of the new offer.
        stay: the TCO of keeping the current tool.
        overlap_months: months in which both tools are paid (the parallel run).
        monthly: one row per month up to the horizon: ``switch`` and ``stay`` spent that month and
            ``switch_cumulative``, ``stay_cumulative`` since the switch.
        break_even_month: the first month in which switching has cost no more than staying (1 = the first
            month), looked for up to 10 years ahead; ``None`` if it never comes.

    """

    switch: TCO
    stay: TCO
    overlap_months: float
    monthly: pd.DataFrame
    break_even_month: int | None

    @property
    def overlap_cost(self) -> float:
        """What paying the current tool during the parallel run costs."""
        return round(self.stay.year(1)["licence"] / 12 * self.overlap_months, 2)

    @property
    def switch_total(self) -> float:
        """Switching over the horizon, the parallel run included."""
        return round(self.switch.total + self.overlap_cost, 2)

    @property
    def savings(self) -> float:
        """What switching saves over the horizon (negative: it costs more)."""
        return round(self.stay.total - self.switch_total, 2)

    @property
    def within_horizon(self) -> bool:
        """Whether the break-even falls inside the horizon."""
        return self.break_even_month is not None and self.break_even_month <= 12 * self.switch.years

    def summary(self) -> str:
        """Switching against staying, in sentences."""
        years = self.switch.years
        text = _("Over {years} year(s), switching to {new} costs {switch} and keeping {old} costs {stay}").format(
            years=years,
            new=self.switch.offer.name,
            switch=_money(self.switch_total),
            old=self.stay.offer.name,
            stay=_money(self.stay.total),
        )
        if self.overlap_months:
            text += _(" (switching includes {cost} for {months:g} month(s) of paying both)").format(
                cost=_money(self.overlap_cost), months=self.overlap_months
            )
        text += ": " + (
            _("switching saves {amount}.").format(amount=_money(self.savings))
            if self.savings >= 0
            else _("switching costs {amount} more.").format(amount=_money(-self.savings))
        )
        if self.break_even_month is None:
            text += " " + _("It never breaks even: the new tool costs at least as much to run as the current one.")
        elif self.within_horizon:
            text += " " + _("It breaks even in month {m}.").format(m=self.break_even_month)
        else:
            text += " " + _("It breaks even only in month {m}, after the {years}-year horizon.").format(
                m=self.break_even_month, years=years
            )
        return text

    def _repr_html_(self) -> str:
        import html

        table = self.switch.by_year[["year", "total"]].rename(columns={"total": self.switch.offer.name})
        table[self.stay.offer.name] = self.stay.by_year["total"]
        return f"<p>{html.escape(self.summary())}</p>" + table.to_html(index=False)


def _monthly(result: TCO, months: int) -> list[float]:
    spent = []
    for month in range(1, months + 1):
        year = (month - 1) // 12 + 1
        costs = result.year(year)
        recurring = costs["licence"] + result.hourly_rate * result.offer.admin_hours_per_year
        first = result.one_time if month == 1 else 0.0
        spent.append(recurring / 12 + first)
    return spent


@checked
def compare_costs(switch: TCO, stay: TCO, *, overlap_months: float = 0.0) -> CostComparison:
    """Compare switching to an offer with keeping the current tool, and find the break-even month.

    One-time costs fall in the first month; each year's licence and running hours are spread evenly over its
    months; the current tool's licence is added to the switch for the ``overlap_months`` of a parallel run.

    Raises:
        ParameterError: the two TCOs have different horizons, or ``overlap_months`` is below 0.

    >>> new = tco(Offer("New", platform_fee=12000, implementation=6000), seats=1, years=2)
    >>> old = tco(stay_offer("Old", 18000), seats=1, years=2)
    >>> comparison = compare_costs(new, old)  # 6000 up front, then 500 a month less: even after 12 months
    >>> comparison.break_even_month, comparison.savings
    (12, 6000.0)

    """
    if switch.years != stay.years:
        raise ParameterError(
            _("the two costs cover different horizons ({a} and {b} years); compute both over the same years").format(
                a=switch.years, b=stay.years
            )
        )
    overlap_months = v_number(overlap_months, "overlap_months", function="compare_costs", minimum=0)
    import pandas as pd

    look = 12 * max(LOOK_AHEAD_YEARS, switch.years)
    new, old = _monthly(switch, look), _monthly(stay, look)
    both = stay.year(1)["licence"] / 12
    for step in range(look):
        new[step] += both * max(0.0, min(1.0, overlap_months - step))
    frame = pd.DataFrame({"month": range(1, look + 1), "switch": new, "stay": old})
    frame["switch_cumulative"] = frame["switch"].cumsum()
    frame["stay_cumulative"] = frame["stay"].cumsum()
    even = frame.index[frame["switch_cumulative"] <= frame["stay_cumulative"] + 1e-6]
    month = int(frame.loc[even[0], "month"]) if len(even) else None
    horizon = frame[frame["month"] <= 12 * switch.years].round(2).reset_index(drop=True)
    return CostComparison(switch, stay, float(overlap_months), horizon, month)


@dataclass(frozen=True)
class BuildVsBuy:
    """Building a tool in-house against buying an offer, over the same horizon.

    Attributes:
        buy: the TCO of the offer.
        option: what would be built.
        build_cost: the one-time cost of building it (hours × rate).
        by_year: one row per year: ``build`` and ``buy`` costs and their cumulative totals.
        build_months: months before the built tool is ready (the bought one is ready at once).
        bridge_per_month: what keeping the current tool costs each month until the build is ready.

    """

    buy: TCO
    option: str
    build_cost: float
    by_year: pd.DataFrame
    build_months: int
    bridge_per_month: float

    @property
    def build_total(self) -> float:
        """Building over the horizon."""
        return round(float(self.by_year["build"].sum()), 2)

    @property
    def cheaper(self) -> str:
        """``build`` or ``buy``: the cheaper over the horizon (``buy`` on a tie: it is ready sooner)."""
        return "build" if self.build_total < self.buy.total else "buy"

    def considerations(self) -> list[str]:
        """What the numbers leave out, for the decision memo."""
        return [
            _("A build is ready in {months} month(s); the bought tool can start at once.").format(
                months=self.build_months
            ),
            _(
                "Building needs Makers (developers who work with APIs) for the build and for every change after "
                "it; many companies build as many marketing apps in-house as they buy."
            ),
            _("A build has no vendor to hold to an SLA, and no vendor training: both fall on your team."),
        ]

    def summary(self) -> str:
        """The comparison in sentences."""
        verdict = _("Buying is cheaper") if self.cheaper == "buy" else _("Building is cheaper")
        return _(
            "{verdict} over {years} year(s): building {option} costs {build} (of which {once} to build it, ready in "
            "{months} month(s)), buying {offer} costs {buy}."
        ).format(
            verdict=verdict,
            years=self.buy.years,
            option=self.option,
            build=_money(self.build_total),
            once=_money(self.build_cost),
            months=self.build_months,
            offer=self.buy.offer.name,
            buy=_money(self.buy.total),
        )

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(self.summary())}</p>" + self.by_year.to_html(index=False)


@checked
def build_vs_buy(
    buy: TCO,
    *,
    option: str = "an in-house tool",
    hours: float,
    hosting_per_year: float = 0.0,
    maintenance_pct: float = 20.0,
    months: int = 6,
    bridge_per_month: float = 0.0,
) -> BuildVsBuy:
    """Compare building a tool in-house with buying an offer, over the buy TCO's horizon.

    Building costs ``hours`` at the buy TCO's hourly rate (year 1), hosting every year, and maintenance each year
    after the first as a share of the build; until it is ready (``months``) the current tool is still paid
    (``bridge_per_month``).

    Raises:
        ParameterError: a value out of range, naming it.

    >>> buy = tco(Offer("Vendor", platform_fee=20000), seats=1, years=3, hourly_rate=50)
    >>> result = build_vs_buy(buy, hours=600, hosting_per_year=3000, maintenance_pct=20, months=6,
    ...                       bridge_per_month=1000)
    >>> result.by_year["build"].tolist(), result.cheaper  # 30000 + 3000 + 6 × 1000; then 6000 + 3000 a year
    ([39000.0, 9000.0, 9000.0], 'build')

    """
    for name, value in (
        ("hours", hours),
        ("hosting_per_year", hosting_per_year),
        ("maintenance_pct", maintenance_pct),
        ("bridge_per_month", bridge_per_month),
    ):
        v_number(value, name, function="build_vs_buy", minimum=0)
    months = v_count(months, "months", function="build_vs_buy")
    import pandas as pd

    build_cost = round(hours * buy.hourly_rate, 2)
    rows = []
    for year in range(1, buy.years + 1):
        built = build_cost if year == 1 else build_cost * maintenance_pct / 100
        bridge = bridge_per_month * max(0, min(12, months - 12 * (year - 1)))
        rows.append(
            {"year": year, "build": round(built + hosting_per_year + bridge, 2), "buy": buy.by_year["total"][year - 1]}
        )
    frame = pd.DataFrame(rows)
    frame["build_cumulative"] = frame["build"].cumsum().round(2)
    frame["buy_cumulative"] = frame["buy"].cumsum().round(2)
    return BuildVsBuy(buy, option, build_cost, frame, int(months), float(bridge_per_month))
