"""The martech stack: the kit's stack audit of the inventory, and systems that send exports but are not in it.

A system that holds the company's contacts but is not in the inventory has no owner, no contract date and no
privacy review on record: the exports prove it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _
from ._findings import Context, Finding

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check", "listed"]

_ORDER = ("high", "medium", "low", "info")


def listed(system: str, inventory: pd.DataFrame) -> bool:
    """Whether a system appears in an inventory, by tool or vendor name (case and spaces ignored).

    >>> import pandas as pd
    >>> stack = pd.DataFrame({"tool": ["HubSpot Marketing Hub"], "vendor": ["HubSpot"]})
    >>> listed("HubSpot", stack), listed("Marketo", stack)
    (True, False)
    """
    wanted = system.lower().replace(" ", "")
    for column in ("tool", "vendor"):
        if column not in inventory.columns:
            continue
        for value in inventory[column].dropna().astype(str):
            name = value.lower().replace(" ", "")
            if name and (wanted in name or name in wanted):
                return True
    return False


def _audit_finding(ctx: Context, label: str, result: object) -> Finding | None:
    import pandas as pd

    findings = result.findings  # type: ignore[attr-defined]
    serious = findings[findings["severity"] != "info"].copy()
    if serious.empty:
        return None
    frame = result.inventory.frame  # type: ignore[attr-defined]
    rows = {tool: index + 2 for index, tool in enumerate(frame["tool"])}
    serious.insert(0, "row", serious["tool"].map(rows).astype("Int64"))
    serious.insert(0, "file", label)
    worst = min(serious["severity"], key=_ORDER.index)
    ctx.evidence_dir.mkdir(parents=True, exist_ok=True)
    key = "stack_audit"
    serious.to_csv(ctx.evidence_dir / f"{key}.csv", index=False)
    counts = serious["severity"].value_counts()
    actions = result.actions  # type: ignore[attr-defined]
    moves = actions[actions["action"] != "keep"]
    return Finding(
        key,
        "stack",
        _("Stack audit findings"),
        worst,
        len(serious),
        _("findings"),
        _("The stack audit of {label} raised {counts}; it recommends: {moves}.").format(
            label=label,
            counts=", ".join(f"{counts[s]} {s}" for s in _ORDER if counts.get(s, 0)),
            moves="; ".join(f"{a} {t}" for t, a in zip(moves["tool"], moves["action"], strict=True)) or _("nothing"),
        ),
        _(
            "Work through the audit's actions, most severe first; the stack audit report "
            "(mopskit report stack_audit_report) has the integration map and the renewal calendar."
        ),
        pd.DataFrame(serious.head(10)).reset_index(drop=True),
        len(serious),
        f"{ctx.evidence_dir.name}/{key}.csv",
    )


def _unlisted(ctx: Context, inventory: pd.DataFrame, label: str) -> Finding | None:
    import pandas as pd

    systems: dict[str, list[str]] = {}
    for item in ctx.imports.files:
        systems.setdefault(item.system, []).append(item.label)
    missing = {s: files for s, files in systems.items() if not listed(s, inventory)}
    if not missing:
        return None
    evidence = pd.DataFrame(
        [
            {"system": s, "file": f, "rows": next(x.rows for x in ctx.imports.files if x.label == f)}
            for s, files in missing.items()
            for f in files
        ]
    )
    ctx.evidence_dir.mkdir(parents=True, exist_ok=True)
    evidence.to_csv(ctx.evidence_dir / "unlisted_systems.csv", index=False)
    return Finding(
        "unlisted_systems",
        "stack",
        _("Systems holding contact data that are not in the inventory"),
        "medium",
        len(missing),
        _("systems"),
        _("{systems} sent exports but {label} does not list them: nobody owns their cost, contract or privacy.").format(
            systems=", ".join(missing), label=label
        ),
        _(
            "Add them to the inventory with an owner, cost, renewal date and data-processing agreement, or plan "
            "their retirement and move their data into the systems you keep."
        ),
        evidence,
        len(evidence),
        f"{ctx.evidence_dir.name}/unlisted_systems.csv",
        out_of=len(systems),
    )


def check(ctx: Context) -> list[Finding]:
    """Audit the stack inventory among the exports (the first one found) and score the part."""
    from ..stack import audit, load_inventory

    if not ctx.imports.inventories:
        ctx.score("stack", float("nan"), _("no stack inventory in the exports"))
        return []
    path, label = ctx.imports.inventories[0]
    inventory = load_inventory(path, label=label)
    result = audit(path, today=ctx.as_of.date())
    ctx.tables["stack_findings"] = result.findings
    health = result.health
    ctx.score(
        "stack",
        health.score,
        _("the stack audit's own score; its weakest part is {part}").format(part=health.weakest() or "-"),
    )
    return [f for f in (_audit_finding(ctx, label, result), _unlisted(ctx, inventory.frame, label)) if f is not None]
