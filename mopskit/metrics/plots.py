"""Static plots of metric results (matplotlib figures: they survive HTML export with no internet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["plot_by_month", "plot_email_trend", "plot_funnel", "plot_romi_by_model"]

_BLUE, _ORANGE, _GREEN, _GREY = "#4f81bd", "#f79646", "#9bbb59", "#bfbfbf"


def plot_email_trend(monthly: pd.DataFrame, *, title: str | None = None) -> Any:
    """Delivered emails per month as bars, open rate, click-through and click-to-open rate as lines.

    Args:
        monthly: ``email_metrics(..., by="month")``.
        title: the figure's title.

    """
    import matplotlib.pyplot as plt

    fig, bars = plt.subplots(figsize=(9, 3.8))
    months = monthly["month"].astype(str).tolist()
    bars.bar(months, monthly["delivered"], color=_GREY, label=_("delivered"))
    bars.set_ylabel(_("emails delivered"))
    bars.tick_params(axis="x", rotation=45)
    rates = bars.twinx()
    for column, colour, label in (
        ("open_rate", _BLUE, _("open rate")),
        ("click_to_open_rate", _GREEN, _("click-to-open rate")),
        ("click_through_rate", _ORANGE, _("click-through rate")),
    ):
        rates.plot(months, monthly[column], marker="o", color=colour, label=label)
    rates.set_ylabel(_("% (rates)"))
    rates.set_ylim(bottom=0)
    handles = bars.get_legend_handles_labels()[0] + rates.get_legend_handles_labels()[0]
    labels = bars.get_legend_handles_labels()[1] + rates.get_legend_handles_labels()[1]
    rates.legend(handles, labels, loc="upper left", fontsize="small", ncols=4)
    bars.set_title(title or _("Email performance by month of send"))
    fig.tight_layout()
    return fig


def plot_funnel(stages: pd.DataFrame, *, title: str | None = None) -> Any:
    """A funnel as horizontal bars, widest first, with the conversion from the stage above beside each bar.

    Args:
        stages: ``funnel_stages(contacts)``.
        title: the figure's title.

    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.4))
    names = stages["stage"].astype(str).tolist()
    counts = stages["contacts"].to_numpy()
    widest = max(float(counts.max()) if len(counts) else 0.0, 1.0)
    ax.barh(names, counts, left=(widest - counts) / 2, color=_BLUE)
    for y, (count, share) in enumerate(zip(counts, stages["from_previous"], strict=True)):
        detail = f"{count:,}" if y == 0 or share != share else f"{count:,}  ({share:.0f}% {_('of the stage above')})"
        ax.text(widest + widest * 0.02, y, detail, va="center", fontsize="small")
    ax.invert_yaxis()
    ax.set_xlim(0, widest * 1.55)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title or _("Funnel: contacts reaching each stage"))
    fig.tight_layout()
    return fig


def plot_romi_by_model(table: pd.DataFrame, *, title: str | None = None) -> Any:
    """ROMI per channel under each attribution model, as grouped bars (channels without spend left out).

    Args:
        table: ``compare_models(...)``.
        title: the figure's title.

    """
    import matplotlib.pyplot as plt
    import numpy as np

    models = [c.removeprefix("romi_") for c in table.columns if c.startswith("romi_")]
    shown = table[table["spend"] > 0]
    fig, ax = plt.subplots(figsize=(9, 3.8))
    x = np.arange(len(shown))
    width = 0.8 / max(len(models), 1)
    for i, model in enumerate(models):
        ax.bar(x + i * width, shown[f"romi_{model}"], width, label=model.replace("_", " "))
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x + width * (len(models) - 1) / 2, shown["channel"].astype(str), rotation=30)
    ax.set_ylabel(_("ROMI (%)"))
    ax.legend(fontsize="small", ncols=len(models))
    ax.set_title(title or _("ROMI by channel under each attribution model"))
    fig.tight_layout()
    return fig


def plot_by_month(table: pd.DataFrame, *, label: str = "") -> Any:
    """One line per row (channel) over the months of the columns; empty cells leave gaps.

    Args:
        table: a channel × month table, e.g. ``Explorer(...).table("open_rate")``.
        label: the y-axis label (the metric).

    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 3.4))
    months = [str(m) for m in table.columns]
    for channel, row in table.iterrows():
        ax.plot(months, row.to_numpy(dtype=float), marker="o", label=str(channel))
    ax.set_ylabel(label)
    ax.tick_params(axis="x", rotation=45)
    if len(table):
        ax.legend(fontsize="small", ncols=min(len(table), 5))
    fig.tight_layout()
    return fig
