"""Static plots of lead management results (matplotlib figures: they survive HTML export with no internet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["plot_leakage", "plot_scores", "plot_sla", "plot_stage_ageing"]

_BLUE, _ORANGE, _GREEN, _RED, _GREY = "#4f81bd", "#f79646", "#9bbb59", "#c0504d", "#bfbfbf"


def plot_leakage(leakage: pd.DataFrame, *, title: str | None = None) -> Any:
    """Each funnel step as a bar split into advanced, waiting, stalled and lost (from :func:`funnel_leakage`)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.4))
    steps = leakage["step"].astype(str).tolist()[::-1]
    left = [0.0] * len(steps)
    parts = (
        ("advanced", _GREEN, _("advanced")),
        ("waiting", _GREY, _("waiting (within the limit)")),
        ("stalled", _ORANGE, _("stalled (past the limit)")),
        ("lost", _RED, _("lost (recycled or disqualified)")),
    )
    for column, colour, label in parts:
        values = (100.0 * leakage[column] / leakage["reached"].where(leakage["reached"] > 0)).fillna(0).tolist()[::-1]
        ax.barh(steps, values, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("% of the contacts that reached the step's first stage"))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=4, fontsize="small", frameon=False)
    ax.set_title(title or _("Where the funnel leaks"), pad=28)
    fig.tight_layout()
    return fig


def plot_sla(compliance: pd.DataFrame, *, by: str, target_hours: float, title: str | None = None) -> Any:
    """Compliance per group as horizontal bars, worst at the top (from :func:`sla_compliance`)."""
    import matplotlib.pyplot as plt

    table = compliance.dropna(subset=["compliance"])
    fig, ax = plt.subplots(figsize=(8, 0.4 * max(len(table), 3) + 1.2))
    labels = table[by].astype(str).tolist()[::-1]
    values = table["compliance"].tolist()[::-1]
    colours = [_GREEN if v >= 80 else _ORANGE if v >= 60 else _RED for v in values]
    ax.barh(labels, values, color=colours)
    for y, (value, due) in enumerate(
        zip(values, (table["met"] + table["late"] + table["never_touched"]).tolist()[::-1], strict=True)
    ):
        ax.text(min(value + 1, 92), y, f"{value:.0f}% of {due}", va="center", fontsize="small")
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("% of due MQLs touched within {hours:g} business hours").format(hours=target_hours))
    ax.set_title(title or _("SLA compliance by {by}").format(by=by.replace("_", " ")))
    fig.tight_layout()
    return fig


def plot_scores(scored: pd.DataFrame, *, threshold: float, title: str | None = None) -> Any:
    """The distribution of lead scores, with the MQL threshold as a line (from :func:`score_leads`)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.hist(scored["score"].dropna(), bins=30, color=_BLUE)
    ax.axvline(threshold, color=_RED, linestyle="--", label=_("threshold {t:g}").format(t=threshold))
    ax.set_xlabel(_("score (fit + behaviour)"))
    ax.set_ylabel(_("contacts"))
    ax.set_yscale("log")
    ax.legend(fontsize="small")
    ax.set_title(title or _("Lead scores"))
    fig.tight_layout()
    return fig


def plot_stage_ageing(ageing: pd.DataFrame, *, title: str | None = None) -> Any:
    """Median and 90th-percentile days in each stage, with each stage's limit (from :func:`stage_ageing`)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.0))
    stages = ageing["stage"].astype(str).tolist()
    positions = range(len(stages))
    ax.bar([p - 0.2 for p in positions], ageing["median_days"].fillna(0), width=0.4, color=_BLUE, label=_("median"))
    ax.bar(
        [p + 0.2 for p in positions], ageing["p90_days"].fillna(0), width=0.4, color=_GREY, label=_("90th percentile")
    )
    ax.scatter(positions, ageing["stalled_after_days"], color=_RED, marker="_", s=600, label=_("stalled after"))
    ax.set_xticks(list(positions), stages)
    ax.set_ylabel(_("days in the stage"))
    ax.legend(fontsize="small")
    ax.set_title(title or _("How long contacts have been in their stage"))
    fig.tight_layout()
    return fig
