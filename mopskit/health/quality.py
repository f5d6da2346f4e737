"""Data quality of the contact records: duplicates, bad addresses, missing stages and owners, bad stage dates.

Values the import could not read are reported here too.

The same person in two systems (the CRM and the email tool) is how a stack is built, not a duplicate: records
are only compared within one system (and one Mailchimp audience).
"""

from __future__ import annotations

from itertools import combinations

from ..data.exports import valid_email_sql
from ..i18n import _
from ..leads.lifecycle import MILESTONES as LIFECYCLE_MILESTONES
from ._findings import Context, Finding, share

__all__ = ["MILESTONES", "check"]

# the stage dates in their order: the lead date, then the milestones of mopskit.leads' lifecycle
MILESTONES = ("lead_at", *(column for _stage, column in LIFECYCLE_MILESTONES))
# a stage whose milestone date should be filled once a record is at that stage (MQL and beyond)
_STAGE_DATE = dict(LIFECYCLE_MILESTONES)
_OWNED_STAGES = tuple(_STAGE_DATE)
_WHERE = "system, file, row"


def _duplicates(ctx: Context) -> Finding | None:
    sql = f"""
        SELECT {_WHERE}, record_id, email, email_key AS compared_as, copies, copy
        FROM (
            SELECT *, count(*) OVER (PARTITION BY system, scope, email_key) AS copies,
                   row_number() OVER (PARTITION BY system, scope, email_key ORDER BY file, row) AS copy
            FROM contacts WHERE email_key IS NOT NULL
        ) WHERE copies > 1"""
    rows, head, csv = ctx.affected("duplicates", sql, order="compared_as, file, row")
    if not rows:
        return None
    extra = ctx.count("SELECT count(*) FROM finding_duplicates WHERE copy > 1")
    people = rows - extra
    systems = ", ".join(
        r[0] for r in ctx.con.execute("SELECT DISTINCT system FROM finding_duplicates ORDER BY 1").fetchall()
    )
    return Finding(
        "duplicates",
        "quality",
        _("Duplicate records within a system"),
        "medium",
        extra,
        _("extra records"),
        _(
            "{people} people have more than one record in the same system ({systems}): {extra} records too many, "
            "once addresses are compared without case and spaces."
        ).format(people=f"{people:,}", systems=systems, extra=f"{extra:,}"),
        _(
            "Merge each group into one record (keep the oldest, move its activity), then trim and lower-case "
            "addresses on import and at the form so new duplicates cannot appear."
        ),
        head,
        rows,
        csv,
        out_of=ctx.count("SELECT count(*) FROM contacts"),
    )


def _invalid_emails(ctx: Context) -> Finding | None:
    sql = f"""
        SELECT {_WHERE}, record_id, email,
               CASE WHEN email IS NULL THEN 'missing' ELSE 'not an address like name@domain.com' END AS problem
        FROM contacts WHERE email IS NULL OR NOT {valid_email_sql("email")}"""
    rows, head, csv = ctx.affected("invalid_emails", sql)
    if not rows:
        return None
    missing = ctx.count("SELECT count(*) FROM finding_invalid_emails WHERE problem = 'missing'")
    return Finding(
        "invalid_emails",
        "quality",
        _("Missing or invalid email addresses"),
        "medium",
        rows,
        _("records"),
        _("{rows} records cannot be emailed: {bad} addresses are malformed and {missing} are missing.").format(
            rows=f"{rows:,}", bad=f"{rows - missing:,}", missing=f"{missing:,}"
        ),
        _(
            "Correct the addresses you can (typos such as 'name at domain'), remove the rest from mailing lists, "
            "and validate the address format on every form and import."
        ),
        head,
        rows,
        csv,
        out_of=ctx.count("SELECT count(*) FROM contacts"),
    )


def _missing_stage(ctx: Context) -> Finding | None:
    files = ctx.files_with("contacts", "lifecycle_stage")
    if not files:
        return None
    sql = f"""SELECT {_WHERE}, record_id, email FROM contacts
              WHERE file IN {ctx.in_list(files)} AND lifecycle_stage IS NULL"""
    rows, head, csv = ctx.affected("missing_stage", sql)
    if not rows:
        return None
    return Finding(
        "missing_stage",
        "quality",
        _("Records without a lifecycle stage"),
        "medium",
        rows,
        _("records"),
        _("{rows} records have no lifecycle stage, so no funnel report counts them.").format(rows=f"{rows:,}"),
        _(
            "Set a default stage when records are created (a workflow that sets 'lead' or 'subscriber'), then "
            "fill in these records by their activity."
        ),
        head,
        rows,
        csv,
        out_of=ctx.count(f"SELECT count(*) FROM contacts WHERE file IN {ctx.in_list(files)}"),
    )


def _missing_owner(ctx: Context) -> Finding | None:
    files = ctx.files_with("contacts", "owner")
    if not files:
        return None
    stages = ctx.in_list(_OWNED_STAGES)
    qualified = f"(lifecycle_stage IN {stages} OR mql_at IS NOT NULL)"
    sql = f"""SELECT {_WHERE}, record_id, email, stage_label AS lifecycle_stage, mql_at FROM contacts
              WHERE file IN {ctx.in_list(files)} AND owner IS NULL AND {qualified}"""
    rows, head, csv = ctx.affected("missing_owner", sql)
    if not rows:
        return None
    return Finding(
        "missing_owner",
        "quality",
        _("Qualified leads with no owner"),
        "high",
        rows,
        _("records"),
        _("{rows} records at MQL or beyond have no owner: nobody in sales is asked to follow them up.").format(
            rows=f"{rows:,}"
        ),
        _(
            "Assign them now (round robin or by territory), and check the routing rule that should have: every "
            "MQL needs an owner the moment it qualifies."
        ),
        head,
        rows,
        csv,
        out_of=ctx.count(f"SELECT count(*) FROM contacts WHERE file IN {ctx.in_list(files)} AND {qualified}"),
    )


def _stage_dates(ctx: Context) -> Finding | None:
    present = {c for f in ctx.imports.files if f.table == "contacts" for c in f.read}
    dates = [c for c in MILESTONES if c in present]
    if not dates:
        return None
    label = {c: c.removesuffix("_at") for c in MILESTONES}
    reasons = [
        f"CASE WHEN {a} > {b} THEN '{label[a]} date after {label[b]} date' END" for a, b in combinations(dates, 2)
    ]
    as_of = ctx.as_of.strftime("%Y-%m-%d %H:%M:%S")
    reasons += [
        f"CASE WHEN {c} > TIMESTAMP '{as_of}' + INTERVAL 1 DAY THEN '{label[c]} date in the future' END" for c in dates
    ]
    for stage, column in _STAGE_DATE.items():
        if column in dates:
            files = ctx.in_list(ctx.files_with("contacts", column))
            reasons.append(
                f"CASE WHEN file IN {files} AND lifecycle_stage = '{stage}' AND {column} IS NULL "
                f"THEN 'stage ' || lifecycle_stage || ' but no {label[column]} date' END"
            )
    shown = ", ".join(dates)
    sql = f"""SELECT * FROM (
                SELECT {_WHERE}, record_id, stage_label AS lifecycle_stage, {shown},
                       concat_ws('; ', {", ".join(reasons)}) AS problem
                FROM contacts) WHERE problem <> ''"""
    rows, head, csv = ctx.affected("stage_dates", sql)
    if not rows:
        return None
    return Finding(
        "stage_dates",
        "quality",
        _("Stage dates that cannot be right"),
        "low",
        rows,
        _("records"),
        _(
            "{rows} records have stage dates out of order, in the future or missing for the stage they are at; "
            "funnel times and conversion counts that use them are wrong."
        ).format(rows=f"{rows:,}"),
        _(
            "Find what wrote them (an import that set dates by hand, a workflow that moves stages backwards) and "
            "correct the dates from the records' activity."
        ),
        head,
        rows,
        csv,
        out_of=ctx.count("SELECT count(*) FROM contacts"),
    )


def _unreadable(ctx: Context) -> Finding | None:
    parts = [
        f"SELECT system, file, row, '{table}' AS table_name, bad AS unreadable FROM {table} WHERE bad IS NOT NULL"
        for table in ("contacts", "email_events", "campaign_members", "web_events")
    ]
    rows, head, csv = ctx.affected("unreadable", " UNION ALL ".join(parts))
    if not rows:
        return None
    return Finding(
        "unreadable",
        "quality",
        _("Values the import could not read"),
        "medium",
        rows,
        _("rows"),
        _(
            "{rows} rows hold dates, yes/no values or JSON that cannot be read; those values count as empty "
            "everywhere in this report."
        ).format(rows=f"{rows:,}"),
        _(
            "Fix them at the source (a field with free text where a date belongs, a broken integration), then "
            "export again."
        ),
        head,
        rows,
        csv,
    )


def check(ctx: Context) -> list[Finding]:
    """Run the data-quality checks and score the part: the share of contact records with no problem."""
    findings = [
        f
        for f in (
            _duplicates(ctx),
            _invalid_emails(ctx),
            _missing_stage(ctx),
            _missing_owner(ctx),
            _stage_dates(ctx),
            _unreadable(ctx),
        )
        if f is not None
    ]
    total = ctx.count("SELECT count(*) FROM contacts")
    if not total:
        ctx.score("quality", float("nan"), _("no contact records in the exports"))
        return findings
    flagged = []
    for finding in findings:
        where = "WHERE copy > 1" if finding.id == "duplicates" else ""
        if finding.id == "unreadable":
            where = "WHERE table_name = 'contacts'"
        flagged.append(f"SELECT file, row FROM finding_{finding.id} {where}")
    bad = ctx.count(f"SELECT count(*) FROM (SELECT DISTINCT * FROM ({' UNION ALL '.join(flagged)}))") if flagged else 0
    ctx.score(
        "quality",
        share(total - bad, total),
        _("{good} of {total} contact records have no data-quality problem").format(
            good=f"{total - bad:,}", total=f"{total:,}"
        ),
    )
    return findings
