"""Pictures of an audit, drawn with matplotlib alone: static figures that survive HTML export offline.

Each function takes a :class:`~mopskit.stack.audit.StackAudit` and returns a matplotlib Figure.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .checks import money
from .taxonomy import categories

if TYPE_CHECKING:
    from .audit import StackAudit
    from .integrations import IntegrationMap

__all__ = [
    "ACTION_COLOURS",
    "map_layout",
    "plot_costs",
    "plot_health",
    "plot_integration_map",
    "plot_renewal_calendar",
    "plot_utilization",
]

ACTION_COLOURS = {
    "keep": "#2e7d32",
    "review": "#1565c0",
    "renegotiate": "#ef6c00",
    "consolidate": "#6a1b9a",
    "sunset": "#c62828",
}


def map_layout(graph: IntegrationMap) -> dict[str, tuple[float, float]]:
    """Positions for the integration map: hubs in the middle, other tools on a circle.

    Tools that reach a hub come first around the circle, by category in taxonomy order, then each isolated
    group together, so an island of tools shows as neighbours. The layout depends only on the inventory.

    >>> import pandas as pd
    >>> from mopskit.stack import integration_map
    >>> graph = integration_map(pd.DataFrame({"tool": ["CRM", "Ads", "SEO"], "category": ["crm", "ads", "seo"],
    ...     "integrates_with": ["Ads", None, None]}))
    >>> {t: (round(x, 2), round(y, 2)) for t, (x, y) in map_layout(graph).items()}
    {'CRM': (0.0, 0.0), 'Ads': (0.0, 1.0), 'SEO': (0.0, -1.0)}

    """
    order = {c.id: i for i, c in enumerate(categories())}
    nodes = graph.nodes
    hubs = nodes[nodes["hub"]]
    rest = nodes[~nodes["hub"]].copy()
    rest["_kind"] = rest["category"].map(lambda c: order.get(c, len(order)))
    rest["_island"] = rest["group"].where(rest["reach"] == "none", -1)
    rest = rest.sort_values(["_island", "_kind", "tool"])
    positions: dict[str, tuple[float, float]] = {}
    count = len(hubs)
    for i, tool in enumerate(hubs["tool"]):
        if count == 1:
            positions[tool] = (0.0, 0.0)
        else:
            angle = math.pi / 2 + 2 * math.pi * i / count
            positions[tool] = (0.32 * math.cos(angle), 0.32 * math.sin(angle))
    total = len(rest)
    for i, tool in enumerate(rest["tool"]):
        angle = math.pi / 2 - 2 * math.pi * i / max(total, 1)
        positions[tool] = (math.cos(angle) + 0.0, math.sin(angle) + 0.0)
    return {t: (round(x, 12) + 0.0, round(y, 12) + 0.0) for t, (x, y) in positions.items()}


def _actions(result: StackAudit) -> dict[str, str]:
    return dict(zip(result.actions["tool"], result.actions["action"], strict=True))


def _legend(ax: Any, *, title: str, used: set[str] | None = None) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(color=colour, label=action) for action, colour in ACTION_COLOURS.items() if used is None or action in used
    ]
    ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def plot_integration_map(result: StackAudit, *, figsize: tuple[float, float] = (10, 8)) -> Any:
    """Draw the integration map: tools as dots (size by cost, colour by action), data flows as lines.

    Hubs (CRM, marketing automation) sit in the middle; a red ring marks a tool that should reach a hub and
    does not; labels in italics are tools that reach a hub only through others.
    """
    import matplotlib.pyplot as plt

    graph = result.integrations
    positions = map_layout(graph)
    actions = _actions(result)
    cost = result.inventory.frame.set_index("tool")["annual_cost"]
    fig, ax = plt.subplots(figsize=figsize)
    for edge in graph.edges.itertuples():
        (x1, y1), (x2, y2) = positions[edge.source], positions[edge.target]
        ax.plot([x1, x2], [y1, y2], color="#9e9e9e", linewidth=1.2, zorder=1)
    top = max(float(cost.max()), 1.0)
    for node in graph.nodes.itertuples():
        x, y = positions[node.tool]
        size = 120 + 900 * math.sqrt(float(cost.get(node.tool, 0.0)) / top)
        ax.scatter(
            [x],
            [y],
            s=size * (1.6 if node.hub else 1.0),
            color=ACTION_COLOURS[actions.get(node.tool, "keep")],
            edgecolors="black",
            linewidths=0.8,
            zorder=3,
        )
        if node.reach == "none":
            ax.scatter([x], [y], s=size * 2.2, facecolors="none", edgecolors="#c62828", linewidths=1.6, zorder=2)
        if node.hub:
            ax.annotate(
                node.tool,
                (x, y),
                xytext=(0, -22),
                textcoords="offset points",
                ha="center",
                fontsize=9,
                fontweight="bold",
                zorder=4,
            )
        else:
            angle = math.atan2(y, x)
            gap = math.sqrt(size * (2.2 if node.reach == "none" else 1.0)) / 2 + 3  # clear of the dot and its ring
            ax.annotate(
                node.tool,
                (x, y),
                xytext=(gap * math.cos(angle), gap * math.sin(angle)),
                textcoords="offset points",
                ha="left" if math.cos(angle) > 0.2 else "right" if math.cos(angle) < -0.2 else "center",
                va="center",
                fontsize=8.5,
                fontstyle="italic" if node.reach == "indirect" else "normal",
                zorder=4,
            )
    ax.set_xlim(-1.7, 1.7)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.axis("off")
    missing = len(graph.not_connected)
    ax.set_title(
        _(
            "Integration map: {edges} connections; {missing} tool(s) with no path to the CRM or automation (red ring)"
        ).format(edges=len(graph.edges), missing=missing),
        fontsize=11,
    )
    _legend(ax, title=_("recommended action"), used=set(actions.values()))
    fig.tight_layout()
    return fig


def plot_renewal_calendar(result: StackAudit, *, figsize: tuple[float, float] | None = None) -> Any:
    """Draw the renewal calendar: for each contract, its notice deadline (◆) and renewal date (●).

    The bar between them is the time when cancelling is too late; the shaded band is the decision window
    (today to today plus the renewal window). Colours are the tools' recommended actions.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd

    table = result.renewals
    today = pd.Timestamp(result.limits.today)
    window_end = today + pd.Timedelta(days=result.limits.renewal_window_days)
    height = figsize or (10, max(2.5, 0.38 * len(table) + 1.5))
    fig, ax = plt.subplots(figsize=height)
    if table.empty:
        ax.text(0.5, 0.5, _("No contract in the inventory has a renewal date."), ha="center", va="center")
        ax.axis("off")
        return fig
    ax.axvspan(today, window_end, color="#fff3e0", zorder=0, label=_("decision window"))
    ax.axvline(today, color="#424242", linewidth=1.2, zorder=1)
    ax.annotate(
        _("today"),
        (today, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -12),
        textcoords="offset points",
        fontsize=8,
    )
    rows = table.iloc[::-1].reset_index(drop=True)
    for y, row in rows.iterrows():
        colour = ACTION_COLOURS.get(row["action"], "#616161")
        ax.plot([row["notice_deadline"], row["contract_renewal"]], [y, y], color=colour, linewidth=4, alpha=0.35)
        ax.scatter([row["notice_deadline"]], [y], marker="D", color=colour, s=42, zorder=3)
        ax.scatter([row["contract_renewal"]], [y], marker="o", color=colour, s=42, zorder=3)
        ax.annotate(
            money(row["annual_cost"]),
            (row["contract_renewal"], y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows["tool"], fontsize=9)
    low = min(today - pd.Timedelta(days=30), rows["notice_deadline"].min() - pd.Timedelta(days=10))
    high = max(window_end, rows["contract_renewal"].max()) + pd.Timedelta(days=45)
    ax.set_xlim(low, high)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.grid(axis="x", color="#eeeeee")
    ax.set_title(
        _("Renewal calendar: ◆ notice deadline, ● renewal; shaded: the next {days} days").format(
            days=result.limits.renewal_window_days
        ),
        fontsize=11,
    )
    _legend(ax, title=_("recommended action"), used=set(rows["action"]))
    fig.tight_layout()
    return fig


def plot_costs(result: StackAudit, *, figsize: tuple[float, float] = (11, 4.5)) -> Any:
    """Draw the yearly cost by category and by owner, side by side."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=figsize)
    for ax, table, key, title in (
        (axes[0], result.cost_by_category, "category", _("Yearly cost by category")),
        (axes[1], result.cost_by_owner, "owner", _("Yearly cost by owner")),
    ):
        shown = table.iloc[::-1]
        ax.barh(shown[key].astype(str), shown["annual_cost"], color="#4f81bd")
        for y, (value, share) in enumerate(zip(shown["annual_cost"], shown["share_pct"], strict=True)):
            ax.annotate(
                f"{money(value)} ({share:g}%)",
                (value, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_title(title, fontsize=11)
        ax.set_xlim(0, max(float(table["annual_cost"].max()), 1.0) * 1.45)
        ax.tick_params(axis="y", labelsize=8.5)
        ax.set_xticks([])
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def plot_utilization(result: StackAudit, *, figsize: tuple[float, float] | None = None) -> Any:
    """Draw licensed seats (light) against active users (dark) per tool, least used at the top."""
    import matplotlib.pyplot as plt

    table = result.utilization.dropna(subset=["utilization_pct"]).sort_values("utilization_pct", ascending=False)
    fig, ax = plt.subplots(figsize=figsize or (10, max(2.5, 0.34 * len(table) + 1.2)))
    if table.empty:
        ax.text(0.5, 0.5, _("No seat counts in the inventory."), ha="center", va="center")
        ax.axis("off")
        return fig
    limit = result.limits.low_utilization_pct
    ax.barh(table["tool"], table["seats"].astype(float), color="#cfd8dc", label=_("licensed seats"))
    colours = ["#c62828" if p < limit else "#2e7d32" for p in table["utilization_pct"]]
    ax.barh(table["tool"], table["active_users"].astype(float), color=colours, label=_("active users"))
    for y, row in enumerate(table.itertuples()):
        ax.annotate(
            f"{row.utilization_pct:g}%",
            (float(row.seats), y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_title(_("Seats used in the last 30 days (red: below {limit:g}%)").format(limit=limit), fontsize=11)
    ax.tick_params(axis="y", labelsize=8.5)
    ax.legend(loc="lower right", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def plot_health(result: StackAudit, *, figsize: tuple[float, float] = (8, 2.8)) -> Any:
    """Draw the health score's parts (0-100) with the overall score in the title."""
    import matplotlib.pyplot as plt

    parts = result.health.parts.iloc[::-1]
    fig, ax = plt.subplots(figsize=figsize)
    scores = parts["score"].fillna(0)
    colours = ["#c62828" if s < 60 else "#ef6c00" if s < 85 else "#2e7d32" for s in scores]
    ax.barh(parts["part"], scores, color=colours)
    for y, score in enumerate(parts["score"]):
        ax.annotate(
            _("not scored") if score != score else f"{score:g}",
            (0 if score != score else score, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, 110)
    ax.set_title(_("Health score {score:g}/100, by part").format(score=result.health.score), fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig
