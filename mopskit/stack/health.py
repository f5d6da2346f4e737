"""The stack's health score: five parts from 0 to 100, each with the reason for its value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from .checks import Finding
    from .integrations import IntegrationMap

__all__ = ["HEALTH_PARTS", "Health", "health"]

HEALTH_PARTS = ("utilization", "ownership", "integration", "privacy", "focus")


@dataclass(frozen=True)
class Health:
    """The stack's health score (0-100): the weighted mean of its parts, each explained.

    Attributes:
        score: 0-100, or NaN when no part could be scored.
        parts: one row per part: ``part``, ``score`` (0-100, NaN if not scored), ``weight``, ``explanation``.

    """

    score: float
    parts: pd.DataFrame

    def weakest(self) -> str | None:
        """The part with the lowest score, or ``None`` if none was scored."""
        scored = self.parts.dropna(subset=["score"])
        return None if scored.empty else str(scored.sort_values(["score", "part"]).iloc[0]["part"])


def _share(part: float, whole: float) -> float:
    return float("nan") if whole == 0 else round(100 * part / whole, 1)


def health(
    live: pd.DataFrame,
    *,
    graph: IntegrationMap,
    privacy: pd.DataFrame,
    findings: list[Finding],
    skipped: dict[str, str],
    weights: Mapping[str, float],
) -> Health:
    """Score the live tools on each part (a share from 0 to 100) and take the weighted mean.

    Parts: ``utilization`` (licence spend on tools with no unused, stale or idle-seat finding), ``ownership``
    (tools with an owner), ``integration`` (tools that should reach a hub and do), ``privacy`` (tools holding
    personal data with a DPA and recent reviews) and ``focus`` (tools that are not a second tool for one job).
    A part whose columns are missing is not scored and weighs nothing.
    """
    import pandas as pd

    flagged = {(f.tool, f.check) for f in findings if f.severity != "info"}
    tools = live["tool"].tolist()
    cost = live.set_index("tool")["annual_cost"]
    rows = []
    # utilization: share of licence spend on tools that are used (no unused, stale or idle-seat finding)
    idle = {t for t in tools if {(t, "unused"), (t, "stale"), (t, "utilization")} & flagged}
    if "seat utilization and cost per active user" in skipped:
        rows.append(("utilization", float("nan"), skipped["seat utilization and cost per active user"]))
    elif cost.sum() > 0:
        score = _share(cost[[t for t in tools if t not in idle]].sum(), cost.sum())
        rows.append(("utilization", score, _("{s:g}% of licence spend pays for tools that are used").format(s=score)))
    else:
        score = _share(len(tools) - len(idle), len(tools))
        rows.append(("utilization", score, _("{s:g}% of tools are used").format(s=score)))
    # ownership
    unowned = {t for t in tools if (t, "owner") in flagged}
    if "ownership" in skipped:
        rows.append(("ownership", float("nan"), skipped["ownership"]))
    else:
        score = _share(len(tools) - len(unowned), len(tools))
        rows.append(
            (
                "ownership",
                score,
                _("{n} of {total} tools have an owner").format(n=len(tools) - len(unowned), total=len(tools)),
            )
        )
    # integration
    needing = graph.nodes[graph.nodes["reach"].isin(["direct", "indirect", "none"])]
    if "integrations" in skipped:
        rows.append(("integration", float("nan"), skipped["integrations"]))
    elif not graph.hubs:
        rows.append(("integration", 0.0, _("no CRM or marketing automation platform to connect to")))
    else:
        score = 100.0 if needing.empty else _share((needing["reach"] != "none").sum(), len(needing))
        rows.append(
            (
                "integration",
                score,
                _("{n} of {total} tools that should feed the CRM or automation do").format(
                    n=int((needing["reach"] != "none").sum()), total=len(needing)
                ),
            )
        )
    # privacy
    private = privacy
    if "privacy" in skipped:
        rows.append(("privacy", float("nan"), skipped["privacy"]))
    else:
        ok = int((private["problems"] == "").sum())
        score = 100.0 if private.empty else _share(ok, len(private))
        rows.append(
            (
                "privacy",
                score,
                _("{n} of {total} tools holding personal data have a DPA and recent reviews").format(
                    n=ok, total=len(private)
                ),
            )
        )
    # focus: tools that are not a second tool for the same job
    doubles = {t for t in tools if (t, "redundancy") in flagged}
    score = _share(len(tools) - len(doubles), len(tools))
    rows.append(
        (
            "focus",
            score,
            _("{n} of {total} tools do a job no other tool does").format(n=len(tools) - len(doubles), total=len(tools)),
        )
    )
    parts = pd.DataFrame(rows, columns=["part", "score", "explanation"])
    parts.insert(2, "weight", [float(weights.get(p, 1.0)) for p in parts["part"]])
    scored = parts.dropna(subset=["score"])
    total_weight = scored["weight"].sum()
    overall = (
        float("nan")
        if total_weight == 0
        else round(float((scored["score"] * scored["weight"]).sum() / total_weight), 1)
    )
    return Health(overall, parts)
