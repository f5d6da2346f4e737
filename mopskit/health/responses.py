"""Campaign responses: whether members' status, responded flag and first-responded date agree.

In Salesforce each campaign defines which of its member statuses count as a response; ``HasResponded`` follows
the status and ``FirstRespondedDate`` is set the first time it becomes true. Campaign influence and response
reports count on the three agreeing, and on one status meaning the same in every campaign.
"""

from __future__ import annotations

from ..i18n import _
from ._findings import Context, Finding, share

__all__ = ["check"]

_MEMBER = "system, file, row, campaign_id, campaign_name, member_id, lead_id, contact_id, status"


def _flag_mismatch(ctx: Context) -> Finding | None:
    sql = f"""SELECT {_MEMBER}, responded, first_responded_at, created_at,
                     CASE WHEN responded AND first_responded_at IS NULL
                            THEN 'responded but no first responded date'
                          WHEN NOT responded AND first_responded_at IS NOT NULL
                            THEN 'a first responded date but not responded'
                          WHEN first_responded_at < CAST(created_at AS DATE)
                            THEN 'responded before being added to the campaign'
                          WHEN lead_id IS NULL AND contact_id IS NULL THEN 'neither a lead nor a contact'
                     END AS problem
              FROM campaign_members"""
    rows, head, csv = ctx.affected("response_mismatch", f"SELECT * FROM ({sql}) WHERE problem IS NOT NULL")
    if not rows:
        return None
    return Finding(
        "response_mismatch",
        "campaigns",
        _("Campaign members whose response data disagree"),
        "low",
        rows,
        _("members"),
        _(
            "{rows} campaign members have a responded flag, first-responded date or added date that contradict "
            "each other, so response counts and campaign influence are off."
        ).format(rows=f"{rows:,}"),
        _(
            "Look for the import or integration that wrote these members (flags set without their status), "
            "correct the statuses, and let the CRM set the responded flag and date from the status."
        ),
        head,
        rows,
        csv,
        out_of=ctx.count("SELECT count(*) FROM campaign_members"),
    )


def _status_definitions(ctx: Context) -> Finding | None:
    sql = f"""
        WITH per AS (
            SELECT system, status, campaign_id, bool_or(responded) AS any_yes, bool_or(NOT responded) AS any_no
            FROM campaign_members WHERE responded IS NOT NULL AND status IS NOT NULL GROUP BY ALL),
        mixed AS (
            SELECT system, status FROM per GROUP BY ALL
            HAVING count(*) FILTER (WHERE any_yes AND NOT any_no) > 0 AND count(*) FILTER (WHERE any_no) > 0),
        majority AS (
            SELECT system, status, count(*) FILTER (WHERE responded) >= count(*) FILTER (WHERE NOT responded) AS usual
            FROM campaign_members JOIN mixed USING (system, status) GROUP BY ALL)
        SELECT {", ".join("m." + c for c in _MEMBER.split(", "))}, m.responded,
               'status counted as ' || CASE WHEN usual THEN 'a response' ELSE 'no response' END
               || ' in most campaigns' AS problem
        FROM campaign_members m JOIN majority USING (system, status)
        WHERE m.responded IS NOT NULL AND m.responded <> usual"""
    rows, head, csv = ctx.affected("status_definitions", sql, order="status, campaign_id, file, row")
    if not rows:
        return None
    statuses = ctx.con.execute(
        "SELECT status, count(DISTINCT campaign_id) FROM finding_status_definitions GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    listed = ", ".join(f"'{s}' in {n} campaign(s)" for s, n in statuses[:6])
    return Finding(
        "status_definitions",
        "campaigns",
        _("One member status, two meanings"),
        "low",
        rows,
        _("members"),
        _(
            "Some campaigns count a status as a response and others do not ({listed}): {rows} members are "
            "counted differently from the rest."
        ).format(listed=listed, rows=f"{rows:,}"),
        _(
            "Agree one set of member statuses with their responded meaning, use it as the template for every new "
            "campaign, and fix the campaigns listed in the CSV."
        ),
        head,
        rows,
        csv,
    )


def check(ctx: Context) -> list[Finding]:
    """Run the campaign-response checks and score the part: the share of members whose data agree."""
    total = ctx.count("SELECT count(*) FROM campaign_members")
    if not total:
        ctx.score("campaigns", float("nan"), _("no campaign members in the exports"))
        return []
    findings = [f for f in (_flag_mismatch(ctx), _status_definitions(ctx)) if f is not None]
    union = " UNION ".join(f"SELECT file, row FROM finding_{f.id}" for f in findings)
    bad = ctx.count(f"SELECT count(*) FROM ({union})") if findings else 0
    ctx.score(
        "campaigns",
        share(total - bad, total),
        _("{good} of {total} campaign members have a status, flag and dates that agree").format(
            good=f"{total - bad:,}", total=f"{total:,}"
        ),
    )
    return findings
