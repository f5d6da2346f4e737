"""The integration graph of a stack: which tools exchange data, and which cannot reach the CRM or automation.

A tool's ``integrates_with`` cell names the tools it exchanges data with, separated by ``;``. Each named pair is
an undirected edge. The hubs are the tools whose category is a hub (CRM, marketing automation); every other
tool whose category ``needs_hub`` should reach one, directly or through other tools.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._validate import checked, columns, filled
from ..i18n import _
from .checks import Finding, whole_stack
from .taxonomy import categories

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["IntegrationMap", "integration_findings", "integration_map"]


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


@dataclass(frozen=True)
class IntegrationMap:
    """The stack's integrations as a graph.

    Attributes:
        nodes: one row per live tool: ``tool``, ``category``, ``hub``, ``connections`` (edges), ``group`` (number
            of its connected group) and ``reach``: ``hub``, ``direct`` (connected to a hub), ``indirect``
            (reaches one through other tools), ``none``, or ``not needed`` (its kind of tool needs no hub).
        edges: one row per connection, ``source`` and ``target`` (each pair once, in name order).
        groups: the connected groups of tools (groups with a hub first, then by size).
        isolated_groups: the groups with no hub in them (a tool with no connection is a group of one).
        not_connected: tools that should reach a hub and do not.
        unknown_targets: ``tool`` and ``named``: integrations naming a tool that is not in the inventory.

    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    groups: list[list[str]] = field(default_factory=list)
    isolated_groups: list[list[str]] = field(default_factory=list)
    not_connected: list[str] = field(default_factory=list)
    unknown_targets: pd.DataFrame | None = None

    @property
    def hubs(self) -> list[str]:
        """The hub tools (CRM, marketing automation)."""
        return self.nodes.loc[self.nodes["hub"], "tool"].tolist()

    def connections(self) -> dict[str, int]:
        """How many tools each tool exchanges data with."""
        return dict(zip(self.nodes["tool"], self.nodes["connections"], strict=True))


@checked
def integration_map(frame: pd.DataFrame, *, others: list[str] | tuple[str, ...] = ()) -> IntegrationMap:
    """Build the integration graph of the live tools of an inventory.

    Args:
        frame: live tools, with ``tool``, ``category`` and ``integrates_with``.
        others: tools in the inventory that are not live (retired): naming them is not an error, but they
            are left out of the graph.

    >>> import pandas as pd
    >>> stack = pd.DataFrame({"tool": ["CRM", "MAP", "Chat", "Wiki"], "category": ["crm", "marketing_automation",
    ...     "chat", "chat"], "integrates_with": ["MAP", None, "crm", None]})
    >>> graph = integration_map(stack)
    >>> graph.edges.values.tolist(), graph.not_connected
    ([['CRM', 'Chat'], ['CRM', 'MAP']], ['Wiki'])

    """
    import pandas as pd

    columns(frame, ["tool", "category", "integrates_with"], function="integration_map", table=_("the inventory"))
    filled(frame["tool"], function="integration_map", table=_("the inventory"))
    frame = frame.assign(tool=frame["tool"].astype(str))
    kinds = {c.id: c for c in categories()}
    names = {_key(t): t for t in frame["tool"]}
    ignored = {_key(t) for t in others}
    pairs: set[tuple[str, str]] = set()
    unknown = []
    for tool, cell in zip(frame["tool"], frame["integrates_with"], strict=True):
        if not isinstance(cell, str):
            continue
        for named in (n.strip() for n in cell.split(";")):
            if not named:
                continue
            target = names.get(_key(named))
            if target is None:
                if _key(named) not in ignored:
                    unknown.append({"tool": tool, "named": named})
            elif target != tool:
                pairs.add((min(tool, target), max(tool, target)))
    edges = pd.DataFrame(sorted(pairs), columns=["source", "target"])
    neighbours: dict[str, set[str]] = {t: set() for t in frame["tool"]}
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    hub = {t: kinds.get(c) is not None and kinds[c].hub for t, c in zip(frame["tool"], frame["category"], strict=True)}

    groups: list[list[str]] = []
    seen: set[str] = set()
    for start in frame["tool"]:
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            tool = stack.pop()
            group.append(tool)
            for other in sorted(neighbours[tool] - seen):
                seen.add(other)
                stack.append(other)
        groups.append(sorted(group))
    groups.sort(key=lambda g: (not any(hub[t] for t in g), -len(g), g[0]))
    group_of = {t: i for i, g in enumerate(groups) for t in g}
    with_hub = {i for i, g in enumerate(groups) if any(hub[t] for t in g)}

    reach, not_connected = [], []
    for tool, cat in zip(frame["tool"], frame["category"], strict=True):
        needs = kinds[cat].needs_hub if cat in kinds else True
        if hub[tool]:
            reach.append("hub")
        elif any(hub[n] for n in neighbours[tool]):
            reach.append("direct")
        elif group_of[tool] in with_hub:
            reach.append("indirect" if needs else "not needed")
        elif needs:
            reach.append("none")
            not_connected.append(tool)
        else:
            reach.append("not needed")
    nodes = pd.DataFrame(
        {
            "tool": frame["tool"].tolist(),
            "category": frame["category"].tolist(),
            "hub": [hub[t] for t in frame["tool"]],
            "connections": [len(neighbours[t]) for t in frame["tool"]],
            "group": [group_of[t] for t in frame["tool"]],
            "reach": reach,
        }
    )
    return IntegrationMap(
        nodes=nodes,
        edges=edges,
        groups=groups,
        isolated_groups=[g for i, g in enumerate(groups) if i not in with_hub],
        not_connected=not_connected,
        unknown_targets=pd.DataFrame(unknown, columns=["tool", "named"]),
    )


def integration_findings(graph: IntegrationMap) -> list[Finding]:
    """No hub at all; tools that cannot reach a hub; tools reaching one only through others; unknown names."""
    findings: list[Any] = []
    if not graph.hubs:
        findings.append(
            Finding(
                whole_stack(),
                "no_hub",
                _("The inventory has no CRM and no marketing automation platform, the tools others should feed."),
                "medium",
                _("0 tools in the categories crm or marketing_automation among {n} live tools").format(
                    n=len(graph.nodes)
                ),
                "review",
            )
        )
        return findings + _unknown_target_findings(graph)
    hubs = ", ".join(graph.hubs)
    members = {t: g for g in graph.groups for t in g}
    for row in graph.nodes.itertuples():
        if row.reach == "none":
            group = [t for t in members[row.tool] if t != row.tool]
            linked = _("connected only to {tools}").format(tools=", ".join(group)) if group else _("no integrations")
            findings.append(
                Finding(
                    row.tool,
                    "integration",
                    _("{tool} exchanges no data with the CRM or the marketing automation platform.").format(
                        tool=row.tool
                    ),
                    "low",
                    _("{linked}; no path to {hubs}").format(linked=linked, hubs=hubs),
                    "review",
                )
            )
        elif row.reach == "indirect":
            findings.append(
                Finding(
                    row.tool,
                    "integration",
                    _("{tool} reaches the CRM or marketing automation only through other tools.").format(tool=row.tool),
                    "info",
                    _("{n} direct connection(s), none of them to {hubs}").format(n=row.connections, hubs=hubs),
                    "keep",
                )
            )
    return findings + _unknown_target_findings(graph)


def _unknown_target_findings(graph: IntegrationMap) -> list[Finding]:
    findings: list[Any] = []
    if graph.unknown_targets is None:
        return findings
    for row in graph.unknown_targets.itertuples():
        findings.append(
            Finding(
                row.tool,
                "integration_target",
                _("{tool} names an integration with '{named}', which is not a tool in the inventory.").format(
                    tool=row.tool, named=row.named
                ),
                "low",
                _(
                    "integrates_with names '{named}'; write it exactly as the tool's row names it, or add the tool"
                ).format(named=row.named),
                "review",
            )
        )
    return findings
