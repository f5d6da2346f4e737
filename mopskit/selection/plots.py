"""Pictures of a vendor evaluation, drawn with matplotlib alone: static figures that survive HTML export offline.

Each function takes one result of :mod:`mopskit.selection` and returns a matplotlib Figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import _
from ._common import money

if TYPE_CHECKING:
    from .adoption import Adoption
    from .cost import TCO, CostComparison
    from .scoring import Evaluation
    from .sensitivity import Sensitivity
    from .switching import SwitchPlan

__all__ = ["plot_adoption", "plot_break_even", "plot_costs", "plot_scores", "plot_sensitivity", "plot_timeline"]

ELIGIBLE, REFUSED, WINNER = "#4f81bd", "#bdbdbd", "#2e7d32"
KIND_COLOURS = {
    "contract": "#6a1b9a",
    "migration": "#4f81bd",
    "buffer": "#bdbdbd",
    "parallel run": "#ef6c00",
    "training": "#2e7d32",
    "documentation": "#1565c0",
    "cut-over": "#c62828",
}


def _plain(ax: Any, *, keep: tuple[str, ...] = ("left",)) -> None:
    for side in ("top", "right", "bottom", "left"):
        if side not in keep:
            ax.spines[side].set_visible(False)


def plot_scores(evaluation: Evaluation, *, figsize: tuple[float, float] | None = None) -> Any:
    """Draw each offer's weighted score, the winner in green, refused offers in grey with the reason."""
    import matplotlib.pyplot as plt

    table = evaluation.ranking.iloc[::-1]
    fig, ax = plt.subplots(figsize=figsize or (10, 0.5 * len(table) + 1.2))
    colours = [
        WINNER if o == evaluation.winner else ELIGIBLE if ok else REFUSED
        for o, ok in zip(table["offer"], table["eligible"], strict=True)
    ]
    ax.barh(table["offer"], table["score"], color=colours, hatch=None)
    for y, row in enumerate(table.itertuples()):
        label = (
            f"{row.score:g}"
            if row.eligible
            else _("{score:g} (refused: {reason})").format(score=row.score, reason=row.reason)
        )
        ax.annotate(label, (row.score, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlim(0, 100 * 2.1 if not table["eligible"].all() else 115)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(_("weighted score (0-100) on the nice-to-haves; grey: refused, whatever its score"))
    ax.set_title(_("Weighted scores"), fontsize=11)
    _plain(ax, keep=("left", "bottom"))
    fig.tight_layout()
    return fig


def plot_sensitivity(result: Sensitivity, *, figsize: tuple[float, float] | None = None) -> Any:
    """Draw each weight (dot) and the weight at which another offer draws level with the winner (diamond)."""
    import matplotlib.pyplot as plt

    table = result.table.iloc[::-1]
    fig, ax = plt.subplots(figsize=figsize or (10, 0.42 * len(table) + 1.3))
    labels = [f"{row.id} {row.requirement}"[:55] for row in table.itertuples()]
    top = max([*table["weight"], *table["flip_weight"].dropna(), 1.0]) * 1.15
    for y, row in enumerate(table.itertuples()):
        ax.plot([0, top], [y, y], color="#eeeeee", zorder=1)
        ax.scatter([row.weight], [y], color=ELIGIBLE, zorder=3)
        if row.flip_weight == row.flip_weight and row.flip_weight is not None:
            ax.plot([row.weight, row.flip_weight], [y, y], color="#ef6c00", zorder=2)
            ax.scatter([row.flip_weight], [y], marker="D", color="#ef6c00", zorder=3)
            ax.annotate(
                str(row.new_winner),
                (row.flip_weight, y),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
            )
    ax.set_yticks(range(len(table)), labels, fontsize=8)
    ax.set_xlim(0, top * 1.35)
    ax.set_xlabel(_("weight (dot: now; diamond: where another offer draws level with the winner)"))
    ax.set_title(_("How far each weight is from changing the winner"), fontsize=11)
    _plain(ax, keep=("bottom",))
    fig.tight_layout()
    return fig


def plot_costs(costs: dict[str, TCO], *, figsize: tuple[float, float] = (10, 4)) -> Any:
    """Draw the total cost of each option over the horizon, split into licence, one-time fees and internal time."""
    import matplotlib.pyplot as plt

    names = list(costs)[::-1]
    parts = {
        _("licence"): [costs[n].components()["licence"] for n in names],
        _("one-time fees"): [
            costs[n].components()[["implementation", "integration", "migration", "training"]].sum() for n in names
        ],
        _("internal time"): [costs[n].components()["internal"] for n in names],
    }
    fig, ax = plt.subplots(figsize=(figsize[0], max(figsize[1], 0.5 * len(names) + 1.4)))
    left = [0.0] * len(names)
    for (label, values), colour in zip(parts.items(), ("#4f81bd", "#ef6c00", "#9e9e9e"), strict=True):
        ax.barh(names, values, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in enumerate(left):
        ax.annotate(money(total), (total, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    years = next(iter(costs.values())).years if costs else 0
    ax.set_title(_("Total cost of ownership over {years} years").format(years=years), fontsize=11)
    ax.set_xlim(0, max([*left, 1.0]) * 1.25)
    ax.set_xticks([])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8, frameon=False)
    _plain(ax)
    fig.tight_layout()
    return fig


def plot_break_even(comparison: CostComparison, *, figsize: tuple[float, float] = (10, 4)) -> Any:
    """Draw the money spent since the switch, switching against staying, month by month, and the break-even."""
    import matplotlib.pyplot as plt

    table = comparison.monthly
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot(
        table["month"],
        table["stay_cumulative"],
        color=REFUSED,
        linewidth=2.2,
        label=_("keep {tool}").format(tool=comparison.stay.offer.name),
    )
    ax.plot(
        table["month"],
        table["switch_cumulative"],
        color=ELIGIBLE,
        linewidth=2.2,
        label=_("switch to {tool}").format(tool=comparison.switch.offer.name),
    )
    if comparison.within_horizon:
        month = int(comparison.break_even_month or 0)  # within the horizon, there is one
        value = float(table.loc[table["month"] == month, "stay_cumulative"].iloc[0])
        ax.scatter([month], [value], color=WINNER, zorder=3)
        ax.annotate(
            _("break-even: month {m}").format(m=month),
            (month, value),
            xytext=(6, -14),
            textcoords="offset points",
            fontsize=8.5,
        )
    ax.set_xlabel(_("months since the switch started"))
    ax.set_ylabel(_("spent since then"))
    ax.yaxis.set_major_formatter(lambda v, _pos: money(v))
    ax.set_title(_("Switching against staying"), fontsize=11)
    ax.legend(fontsize=8, frameon=False)
    _plain(ax, keep=("left", "bottom"))
    fig.tight_layout()
    return fig


def plot_timeline(plan: SwitchPlan, *, figsize: tuple[float, float] | None = None) -> Any:
    """Draw the switching plan as a timeline: migration steps, parallel run, training, notice and cut-over."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    table = plan.timeline.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=figsize or (11, 0.32 * len(table) + 1.4))
    for y, row in enumerate(table.itertuples()):
        colour = KIND_COLOURS.get(row.kind, ELIGIBLE)
        start = mdates.date2num(row.start)
        width = (row.end - row.start).days
        if width > 0:
            ax.barh(y, width, left=start, color=colour, height=0.6)
        else:
            ax.scatter([start], [y], marker="D", color=colour, zorder=3)
    ax.set_yticks(range(len(table)), [str(s)[:60] for s in table["step"]], fontsize=7.5)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.tick_params(axis="x", labelsize=8)
    if plan.notice_deadline is not None:
        ax.axvline(mdates.date2num(plan.notice_deadline), color=KIND_COLOURS["contract"], linestyle=":", linewidth=1)
    ax.axvline(mdates.date2num(plan.cut_over), color=KIND_COLOURS["cut-over"], linestyle="--", linewidth=1)
    ax.set_title(_("Switching plan: {old} to {new}").format(old=plan.current.tool, new=plan.new_tool), fontsize=11)
    _plain(ax, keep=("bottom",))
    fig.tight_layout()
    return fig


def plot_adoption(result: Adoption, *, figsize: tuple[float, float] = (10, 3.6)) -> Any:
    """Draw seats and active users at each export, with the share active against the target."""
    import matplotlib.pyplot as plt

    table = result.table
    labels = table["as_of"].dt.strftime("%Y-%m")
    fig, ax = plt.subplots(figsize=figsize)
    ax.bar(labels, table["seats"], color="#dce6f2", label=_("seats"))
    ax.bar(labels, table["active_users"], color=ELIGIBLE, label=_("active users"))
    target = [s * result.target_pct / 100 for s in table["seats"]]
    ax.plot(
        labels, target, color=WINNER, linestyle="--", label=_("target: {pct:g}% of seats").format(pct=result.target_pct)
    )
    ax.set_title(_("Adoption of {tool}").format(tool=result.tool), fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _plain(ax, keep=("left", "bottom"))
    fig.tight_layout()
    return fig
