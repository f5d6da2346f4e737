"""The health report's static plots (PNG, so the page works offline and in any mail client)."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["plot_email", "plot_funnel", "plot_parts", "plot_tracking", "png"]

_BLUE, _ORANGE, _RED, _GREY, _GREEN = "#4f81bd", "#f79646", "#c0504d", "#bfbfbf", "#9bbb59"


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def png(fig: Any) -> str:
    """A figure as a base64 PNG for an ``<img src="data:image/png;base64,...">``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plot_parts(parts: pd.DataFrame) -> Any:
    """The health score's parts as horizontal bars from 0 to 100 (parts not scored are left out)."""
    scored = parts.dropna(subset=["score"]).iloc[::-1]
    fig = _figure(7, 0.45 * max(len(scored), 1) + 0.8)
    ax = fig.subplots()
    colours = [_GREEN if s >= 90 else _ORANGE if s >= 70 else _RED for s in scored["score"]]
    ax.barh(scored["name"], scored["score"], color=colours)
    for y, value in enumerate(scored["score"]):
        ax.text(min(value + 1, 92), y, f"{value:.0f}", va="center")
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("score (0-100)"))
    ax.set_title(_("Health score by part"))
    return fig


def plot_email(table: pd.DataFrame) -> Any:
    """Every send's bounce rate against its unsubscribe rate; flagged sends in red, named."""
    fig = _figure(7.5, 4)
    ax = fig.subplots()
    flagged = table["flags"].fillna("") != "" if "flags" in table.columns else table["sent"] < 0
    normal = table[~flagged]
    odd = table[flagged]
    ax.scatter(normal["bounce_rate"], normal["unsubscribe_rate"], s=18, color=_BLUE, label=_("send"))
    ax.scatter(odd["bounce_rate"], odd["unsubscribe_rate"], s=40, color=_RED, label=_("flagged send"))
    for row in odd.itertuples():
        ax.annotate(
            str(row.campaign_id),
            (row.bounce_rate, row.unsubscribe_rate),
            fontsize=8,
            xytext=(4, 4),
            textcoords="offset points",
        )
    ax.set_xlabel(_("bounce rate (% of sent)"))
    ax.set_ylabel(_("unsubscribe rate (% of delivered)"))
    ax.set_title(_("Bounce and unsubscribe rate of every send"))
    ax.legend(fontsize="small")
    return fig


def plot_funnel(funnel: pd.DataFrame) -> Any:
    """Records reaching each stage, widest first, with the share of the stage before."""
    fig = _figure(7, 3)
    ax = fig.subplots()
    stages = funnel.iloc[::-1]
    ax.barh(stages["stage"], stages["records"], color=_BLUE)
    for y, (count, pct) in enumerate(zip(stages["records"], stages["from_previous_pct"], strict=True)):
        label = f"{count:,}" + ("" if pct != pct else f"  ({pct:.0f}%)")
        ax.text(count, y, " " + label, va="center", fontsize=8)
    ax.set_xlabel(_("records"))
    ax.set_title(_("Funnel from the CRM's stage dates"))
    ax.margins(x=0.25)
    return fig


def plot_tracking(days: pd.DataFrame) -> Any:
    """CRM records created and web-analytics events per day, on two scales; silent days shaded."""
    fig = _figure(8, 3.2)
    ax = fig.subplots()
    ax.bar(days["day"], days["crm_records"], color=_GREY, label=_("CRM records created"))
    ax.set_ylabel(_("CRM records"))
    web = ax.twinx()
    web.plot(days["day"], days["web_events"], color=_BLUE, label=_("web analytics events"))
    web.set_ylabel(_("web events"))
    for day in days.loc[days["web_events"] == 0, "day"]:
        ax.axvspan(day, day, color=_RED, alpha=0.4, linewidth=3)
    ax.set_title(_("Sign-ups in the CRM against web analytics events, per day"))
    fig.autofmt_xdate()
    return fig
