"""The funnel from the CRM's stage dates, and the SLA with sales (is every MQL followed up in time?).

Stages are counted as ``mopskit.metrics.funnel`` counts them: a record has reached a stage when its lifecycle
stage is that one or later, or when the date of that stage or a later one is filled. The SLA clock starts at the
MQL date and stops at the first sales touch (HubSpot's 'First outreach date') where the export has it, else at
the SQL date; an MQL not followed up yet is measured to the as-of date.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from ..i18n import _
from ._findings import Context, Finding, share

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FUNNEL", "check", "funnel_table"]

# stage, its date column, its rank among lifecycle stages (evangelists are customers who advocate)
FUNNEL = (
    ("lead", "lead_at", 1),
    ("mql", "mql_at", 2),
    ("sql", "sql_at", 3),
    ("opportunity", "opportunity_at", 4),
    ("customer", "customer_at", 5),
)
_RANK = {"subscriber": 0, "lead": 1, "mql": 2, "sql": 3, "opportunity": 4, "customer": 5, "evangelist": 5}


def _crm_files(ctx: Context) -> list[str]:
    return sorted({f for c in ("lifecycle_stage", "mql_at", "sql_at") for f in ctx.files_with("contacts", c)})


def funnel_table(ctx: Context) -> pd.DataFrame:
    """One row per stage: records that reached it, % of the stage before, median days from the stage before."""
    import pandas as pd

    files = _crm_files(ctx)
    rank = "CASE lifecycle_stage " + " ".join(f"WHEN '{s}' THEN {r}" for s, r in _RANK.items()) + " ELSE -1 END"
    reached = []
    for i, (stage, _column, stage_rank) in enumerate(FUNNEL):
        later_dates = " OR ".join(f"{c} IS NOT NULL" for _s, c, _r in FUNNEL[i:])
        reached.append(f"count(*) FILTER (WHERE {rank} >= {stage_rank} OR {later_dates}) AS {stage}")
    gaps = [
        f"median(date_diff('hour', {a}, {b}) / 24.0) FILTER (WHERE {b} >= {a}) AS {stage}_days"
        for (_p, a, _r), (stage, b, _q) in pairwise(FUNNEL)
    ]
    row = ctx.con.execute(
        f"SELECT {', '.join(reached + gaps)} FROM contacts WHERE file IN {ctx.in_list(files)}"
    ).fetchone()
    counts = list(row[: len(FUNNEL)])
    days = [None, *row[len(FUNNEL) :]]
    table = pd.DataFrame({"stage": [s for s, _c, _r in FUNNEL], "records": counts, "median_days_from_previous": days})
    previous = table["records"].shift(1)
    table["from_previous_pct"] = (100.0 * table["records"] / previous.where(previous > 0)).round(1)
    table["median_days_from_previous"] = table["median_days_from_previous"].astype(float).round(1)
    return table[["stage", "records", "from_previous_pct", "median_days_from_previous"]]


def _sla_sql(ctx: Context) -> tuple[str, str]:
    files = ctx.files_with("contacts", "mql_at")
    touch = ctx.files_with("contacts", "mql_at", "first_touch_at")
    followed = f"CASE WHEN file IN {ctx.in_list(touch)} THEN first_touch_at ELSE sql_at END"
    as_of = ctx.as_of.strftime("%Y-%m-%d %H:%M:%S")
    base = f"""
        SELECT system, file, row, record_id, email, coalesce(owner, '(no owner)') AS owner, source_channel,
               mql_at, {followed} AS followed_up_at,
               greatest(date_diff('minute', mql_at, coalesce({followed}, TIMESTAMP '{as_of}')), 0) / 60.0 AS hours
        FROM contacts
        WHERE file IN {ctx.in_list(files)} AND mql_at IS NOT NULL AND mql_at <= TIMESTAMP '{as_of}'"""
    clock = _("first sales touch") if touch else _("SQL date (the export has no first-touch column)")
    return base, clock


def check(ctx: Context) -> list[Finding]:
    """Build the funnel and SLA tables, flag the MQLs not followed up in time, and score the part."""
    files = _crm_files(ctx)
    if not files:
        ctx.score("funnel", float("nan"), _("no CRM stage data in the exports"))
        return []
    ctx.tables["funnel"] = funnel_table(ctx)
    if not ctx.files_with("contacts", "mql_at"):
        ctx.score("funnel", float("nan"), _("no MQL dates in the exports, so the SLA cannot be measured"))
        return []
    base, clock = _sla_sql(ctx)
    limit = float(ctx.settings.sla_hours)
    ctx.tables["sla_by_owner"] = ctx.con.execute(
        f"""SELECT owner, count(*) AS mqls,
                   count(*) FILTER (WHERE followed_up_at IS NOT NULL AND hours <= {limit}) AS in_time,
                   count(*) FILTER (WHERE hours > {limit}) AS breached,
                   round(median(hours) FILTER (WHERE followed_up_at IS NOT NULL), 1) AS median_hours
            FROM ({base}) GROUP BY owner ORDER BY breached DESC, owner"""
    ).df()
    sql = f"""SELECT system, file, row, record_id, email, owner, mql_at, followed_up_at, round(hours, 1) AS hours,
                     CASE WHEN followed_up_at IS NULL THEN 'not followed up yet' ELSE 'followed up late' END AS problem
              FROM ({base}) WHERE hours > {limit}"""
    rows, head, csv = ctx.affected("sla_breaches", sql)
    mqls = ctx.count(f"SELECT count(*) FROM ({base})")
    ctx.score(
        "funnel",
        share(mqls - rows, mqls),
        _("{good} of {total} MQLs were followed up within {hours:g} hours (clock stopped at the {clock})").format(
            good=f"{mqls - rows:,}", total=f"{mqls:,}", hours=limit, clock=clock
        ),
    )
    if not rows:
        return []
    waiting = ctx.count("SELECT count(*) FROM finding_sla_breaches WHERE followed_up_at IS NULL")
    worst = ctx.tables["sla_by_owner"].iloc[0]
    return [
        Finding(
            "sla_breaches",
            "funnel",
            _("MQLs not followed up within the SLA"),
            "medium",
            rows,
            _("MQLs"),
            _(
                "{rows} of {mqls} MQLs waited more than {hours:g} hours for sales ({clock}); {waiting} have not "
                "been followed up at all. Most breaches: {owner} ({breached})."
            ).format(
                rows=f"{rows:,}",
                mqls=f"{mqls:,}",
                hours=limit,
                clock=clock,
                waiting=f"{waiting:,}",
                owner=worst["owner"],
                breached=int(worst["breached"]),
            ),
            _(
                "Hand the waiting MQLs out today; then agree the SLA with sales in writing, alert the owner when an "
                "MQL waits past it, and review the breaches by owner every week."
            ),
            head,
            rows,
            csv,
            out_of=mqls,
        )
    ]
