"""Web tracking: days with CRM sign-ups but no web analytics events, and lead events with no campaign source.

A tag removed in a site release, a consent banner that blocks analytics or a broken export all look the same in
the data: days with CRM records created but no analytics events. Leads whose source is missing are credited to
"direct" and vanish from campaign reports; the usual cause is links without UTM parameters.
"""

from __future__ import annotations

from ..i18n import _
from ._findings import Context, Finding, share

__all__ = ["LEAD_EVENTS", "UNTAGGED_SHARE", "check"]

LEAD_EVENTS = ("generate_lead", "form_submit", "sign_up", "submit_form")
UNTAGGED_SHARE = 10.0  # % of lead events without a source above which it is a finding
_NO_SOURCE = "(source IS NULL OR lower(source) IN ('(direct)', '(not set)', '(none)', ''))"


def _days(ctx: Context) -> str:
    files = ctx.in_list(ctx.files_with("contacts", "created_at", "lifecycle_stage"))
    return f"""
        WITH span AS (SELECT min(event_date) AS first, max(event_date) AS last FROM web_events),
        web AS (SELECT event_date AS day, count(*) AS web_events FROM web_events GROUP BY 1),
        crm AS (SELECT CAST(created_at AS DATE) AS day, count(*) AS crm_records FROM contacts
                WHERE file IN {files} AND created_at IS NOT NULL GROUP BY 1)
        SELECT crm.day, crm.crm_records, coalesce(web.web_events, 0) AS web_events
        FROM crm JOIN span ON crm.day BETWEEN span.first AND span.last LEFT JOIN web USING (day)"""


def _gaps(ctx: Context) -> Finding | None:
    run = int(ctx.settings.tracking_gap_days)
    days = ctx.con.execute(f"SELECT * FROM ({_days(ctx)}) ORDER BY day").df()
    ctx.tables["tracking_by_day"] = days
    if days.empty:
        return None
    silent = days["web_events"] == 0
    groups = (silent != silent.shift()).cumsum()
    runs = days[silent].groupby(groups[silent])["day"].agg(["min", "max", "count"])
    runs = runs[runs["count"] >= run]
    gap_days = [d for r in runs.itertuples() for d in days.loc[(days["day"] >= r.min) & (days["day"] <= r.max), "day"]]
    ctx.score(
        "tracking",
        share(len(days) - len(gap_days), len(days)),
        _("web analytics recorded events on {good} of {total} days with CRM sign-ups").format(
            good=len(days) - len(gap_days), total=len(days)
        ),
    )
    if not gap_days:
        return None
    ctx.con.register("gap_days", days[days["day"].isin(gap_days)][["day"]])
    files = ctx.in_list(ctx.files_with("contacts", "created_at", "lifecycle_stage"))
    sql = f"""SELECT system, file, row, record_id, email, created_at, source_channel FROM contacts
              WHERE file IN {files} AND CAST(created_at AS DATE) IN (SELECT day FROM gap_days)"""
    rows, _head, csv = ctx.affected("tracking_gaps", sql)
    ctx.con.unregister("gap_days")
    spans = "; ".join(
        f"{r.min:%Y-%m-%d} to {r.max:%Y-%m-%d}" if r.count > 1 else f"{r.min:%Y-%m-%d}" for r in runs.itertuples()
    )
    evidence = days[days["day"].isin(gap_days)].reset_index(drop=True)
    return Finding(
        "tracking_gaps",
        "tracking",
        _("Days the web analytics recorded nothing"),
        "medium",
        len(gap_days),
        _("days"),
        _(
            "The web analytics recorded no events on {n} days ({spans}) while the CRM created {rows} records: the "
            "tag or the export was broken, and these sign-ups have no web source."
        ).format(n=len(gap_days), spans=spans, rows=f"{rows:,}"),
        _(
            "Check the site releases and consent-banner changes of those days, add a daily alert on event "
            "volume, and keep the tag in the site's release checklist."
        ),
        evidence,
        rows,
        csv,
        out_of=len(days),
    )


def _untagged(ctx: Context) -> Finding | None:
    leads = ctx.in_list(LEAD_EVENTS)
    total = ctx.count(f"SELECT count(*) FROM web_events WHERE event_name IN {leads}")
    if not total:
        return None
    sql = f"""SELECT system, file, row, event_name, occurred_at, user_pseudo_id, source, medium, campaign
              FROM web_events WHERE event_name IN {leads} AND {_NO_SOURCE}"""
    untagged = ctx.count(f"SELECT count(*) FROM ({sql})")
    if 100.0 * untagged / total <= UNTAGGED_SHARE:
        return None
    rows, head, csv = ctx.affected("untagged_leads", sql)
    return Finding(
        "untagged_leads",
        "tracking",
        _("Lead events with no campaign source"),
        "low",
        rows,
        _("lead events"),
        _(
            "{rows} of {total} lead events ({pct:.0f}%) arrive with no source, so campaign reports credit them to "
            "'direct'."
        ).format(rows=f"{rows:,}", total=f"{total:,}", pct=100.0 * rows / total),
        _(
            "Add UTM parameters (utm_source, utm_medium, utm_campaign) to every link in emails, ads and posts, "
            "with one naming convention, and check new campaigns' links before they go out."
        ),
        head,
        rows,
        csv,
        out_of=total,
    )


def check(ctx: Context) -> list[Finding]:
    """Run the tracking checks (when web analytics events are in the exports) and score the part."""
    if not ctx.count("SELECT count(*) FROM web_events"):
        ctx.score("tracking", float("nan"), _("no web analytics export in the folder"))
        return []
    findings = [f for f in (_gaps(ctx), _untagged(ctx)) if f is not None]
    if "tracking" not in ctx.scores:
        ctx.score("tracking", float("nan"), _("no CRM sign-ups on the days the web analytics export covers"))
    return findings
