"""The funnel from the CRM's stage dates, and the SLA with sales (is every MQL followed up in time?).

Stages are counted as ``mopskit.metrics.funnel`` counts them: a record has reached a stage when its lifecycle
stage is that one or later, or when the date of that stage or a later one is filled. The SLA clock starts at the
MQL date and stops at the first sales touch (HubSpot's 'First outreach date') where the export has it, else at
the SQL date; an MQL not followed up yet is measured to the as-of date. The SLA is measured by
:func:`mopskit.leads.sla_report`, in business hours (nights, weekends and holidays do not count), with the lead
management lessons' statuses: met, late, never touched, and waiting (not due yet).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from ..i18n import _
from ..leads import STAGES, SlaReport, parse_business_hours, sla_report
from ..leads.lifecycle import MILESTONES
from ._findings import Context, Finding, share

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FUNNEL", "check", "funnel_table"]

# the lifecycle stages of mopskit.leads, ranked in their order (evangelists are customers who advocate)
_RANK = {**{stage: rank for rank, stage in enumerate(STAGES)}, "evangelist": STAGES.index("customer")}
# stage, its date column, its rank: the lead stage, then the milestones mopskit.leads dates
FUNNEL = tuple((stage, column, _RANK[stage]) for stage, column in (("lead", "lead_at"), *MILESTONES))


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


def _mqls(ctx: Context) -> tuple[pd.DataFrame, str]:
    """The MQLs up to the as-of day, each keyed by its file and row, with the moment sales followed it up."""
    files = ctx.files_with("contacts", "mql_at")
    touch = ctx.files_with("contacts", "mql_at", "first_touch_at")
    followed = f"CASE WHEN file IN {ctx.in_list(touch)} THEN first_touch_at ELSE sql_at END"
    as_of = ctx.as_of.strftime("%Y-%m-%d %H:%M:%S")
    frame = ctx.con.execute(
        f"""SELECT CAST(file AS VARCHAR) || ':' || row AS contact_id, owner, mql_at,
                   {followed} AS first_sales_touch_at
            FROM contacts
            WHERE file IN {ctx.in_list(files)} AND mql_at IS NOT NULL AND mql_at <= TIMESTAMP '{as_of}'"""
    ).df()
    clock = _("first sales touch") if touch else _("SQL date (the export has no first-touch column)")
    return frame, clock


def _sla(ctx: Context) -> tuple[SlaReport, str]:
    """The SLA of the exports' MQLs, measured by :func:`mopskit.leads.sla_report` in business hours.

    The clock runs on the working week and time zone of the settings (``business_hours``, ``time_zone``), from
    the MQL date to the first sales touch (or the SQL date), and for an MQL not followed up yet to the as-of day.
    Also returns where the clock stopped, in words.
    """
    mqls, clock = _mqls(ctx)
    settings = ctx.settings
    report = sla_report(
        mqls,
        sla_hours=settings.sla_hours,
        hours=parse_business_hours(settings.business_hours),
        time_zone=settings.time_zone,
        as_of=ctx.as_of,
    )
    return report, clock


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
    report, clock = _sla(ctx)
    limit = float(ctx.settings.sla_hours)
    schedule = _("{hours} business hours ({schedule}, {zone})").format(
        hours=f"{limit:g}", schedule=report.hours.describe(), zone=ctx.settings.time_zone
    )
    by_owner = report.by_owner.rename(columns={"median_hours": "median_business_hours"})
    ctx.tables["sla_by_owner"] = by_owner.assign(
        compliance=by_owner["compliance"].round(1), median_business_hours=by_owner["median_business_hours"].round(1)
    )
    measured = report.leads[["contact_id", "first_sales_touch_at", "business_hours", "status"]]
    ctx.con.register("health_sla_measured", measured)
    try:
        sql = """SELECT c.system, c.file, c.row, c.record_id, c.email, coalesce(c.owner, '(no owner)') AS owner,
                        c.mql_at, m.first_sales_touch_at AS followed_up_at,
                        round(m.business_hours, 1) AS business_hours, m.status AS problem
                 FROM health_sla_measured m
                 JOIN contacts c ON CAST(c.file AS VARCHAR) || ':' || c.row = m.contact_id
                 WHERE m.status IN ('late', 'never touched')"""
        rows, head, csv = ctx.affected("sla_breaches", sql)
    finally:
        ctx.con.unregister("health_sla_measured")
    overall = report.overall.iloc[0]
    due = int(overall["met"] + overall["late"] + overall["never_touched"])
    ctx.score(
        "funnel",
        share(int(overall["met"]), due),
        _("{good} of {total} MQLs due were followed up within {schedule} (clock stopped at the {clock})").format(
            good=f"{int(overall['met']):,}", total=f"{due:,}", schedule=schedule, clock=clock
        ),
    )
    if not rows:
        return []
    never = int(overall["never_touched"])
    table = ctx.tables["sla_by_owner"]
    breached = (table["late"] + table["never_touched"]).sort_values(ascending=False, kind="stable")
    owner = table.loc[breached.index[0], "owner"]
    worst = _("MQLs with no owner") if owner == _("(none)") else owner, int(breached.iloc[0])
    return [
        Finding(
            "sla_breaches",
            "funnel",
            _("MQLs not followed up within the SLA"),
            "medium",
            rows,
            _("MQLs"),
            _(
                "{rows} of {mqls} MQLs due waited more than {schedule} for sales ({clock}); {never} have not "
                "been followed up at all. Most breaches: {owner} ({breached})."
            ).format(
                rows=f"{rows:,}",
                mqls=f"{due:,}",
                schedule=schedule,
                clock=clock,
                never=f"{never:,}",
                owner=worst[0],
                breached=worst[1],
            ),
            _(
                "Hand the waiting MQLs out today; then agree the SLA with sales in writing, alert the owner when an "
                "MQL waits past it, and review the breaches by owner every week."
            ),
            head,
            rows,
            csv,
            out_of=due,
        )
    ]
