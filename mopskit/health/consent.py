"""Consent: people emailed after they unsubscribed, and people unsubscribed in one system but not in another.

A person is their email address (compared without case and spaces) wherever the export has it; events that
only carry the sending system's record id (Marketo's lead id) are matched within that system. An unsubscribe
comes from an audience export (Mailchimp's UNSUB_TIME), a CRM's opt-out field or an unsubscribe event; a later
opt-in (Mailchimp's OPTIN_TIME or CONFIRM_TIME after it) lifts it.
"""

from __future__ import annotations

from ..i18n import _
from ._findings import Context, Finding, share

__all__ = ["check"]


def _unsubscribes_sql() -> str:
    return """
        SELECT email_key AS person, system, file, row, unsubscribed_at AS stamp FROM contacts
        WHERE subscription = 'unsubscribed' AND email_key IS NOT NULL AND unsubscribed_at IS NOT NULL
        UNION ALL
        SELECT person, system, file, row, occurred_at AS stamp FROM email_events
        WHERE event_type = 'unsubscribed' AND occurred_at IS NOT NULL AND person IS NOT NULL"""


def _emailed_after(ctx: Context) -> Finding | None:
    grace = float(ctx.settings.consent_grace_hours)
    sql = f"""
        WITH unsub AS ({_unsubscribes_sql()}),
        first_unsub AS (
            SELECT person, min(stamp) AS stamp, arg_min(system, stamp) AS unsub_system,
                   arg_min(file, stamp) AS unsub_file, arg_min(row, stamp) AS unsub_row
            FROM unsub GROUP BY person),
        optin AS (
            SELECT email_key AS person, max(opted_in_at) AS stamp FROM contacts
            WHERE opted_in_at IS NOT NULL AND email_key IS NOT NULL GROUP BY person),
        sends AS (
            SELECT person, system, file, row, campaign_id, occurred_at FROM email_events
            WHERE event_type = 'sent' AND occurred_at IS NOT NULL)
        SELECT s.system, s.file, s.row, s.person, s.campaign_id, s.occurred_at AS sent_at,
               u.stamp AS unsubscribed_at, u.unsub_system, u.unsub_file, u.unsub_row
        FROM sends s JOIN first_unsub u ON s.person = u.person
        LEFT JOIN optin o ON o.person = s.person
        WHERE s.occurred_at > u.stamp + to_microseconds(CAST({grace * 3600e6:.0f} AS BIGINT))
          AND NOT (o.stamp IS NOT NULL AND o.stamp > u.stamp AND s.occurred_at >= o.stamp)"""
    rows, head, csv = ctx.affected("emailed_after_unsubscribe", sql, order="person, sent_at")
    if not rows:
        return None
    people = ctx.count("SELECT count(DISTINCT person) FROM finding_emailed_after_unsubscribe")
    across = ctx.count("SELECT count(*) FROM finding_emailed_after_unsubscribe WHERE system <> unsub_system")
    return Finding(
        "emailed_after_unsubscribe",
        "consent",
        _("Emailed after unsubscribing"),
        "high",
        rows,
        _("emails"),
        _(
            "{rows} emails went to {people} people after they had unsubscribed; {across} of them were sent by "
            "another system than the one that recorded the unsubscribe."
        ).format(rows=f"{rows:,}", people=f"{people:,}", across=f"{across:,}"),
        _(
            "Stop mailing these people now; then sync opt-outs between every system that sends email (both ways, "
            "within a day) and make suppression lists part of every send. Mailing people who opted out breaks "
            "anti-spam and privacy law (CAN-SPAM, GDPR) and hurts deliverability."
        ),
        head,
        rows,
        csv,
    )


def _status_sql() -> str:
    return """
        SELECT email_key AS person, system, file, row, subscription FROM contacts
        WHERE email_key IS NOT NULL AND subscription IN ('subscribed', 'unsubscribed')
        UNION ALL
        SELECT email_key, system, file, row, CASE WHEN opted_out THEN 'unsubscribed' ELSE 'subscribed' END
        FROM campaign_members WHERE email_key IS NOT NULL AND opted_out IS NOT NULL"""


def _conflicts(ctx: Context) -> Finding | None:
    sql = f"""
        WITH status AS ({_status_sql()}),
        conflicted AS (
            SELECT DISTINCT a.person FROM status a JOIN status b
            ON a.person = b.person AND a.system <> b.system
            WHERE a.subscription = 'unsubscribed' AND b.subscription = 'subscribed')
        SELECT s.system, s.file, s.row, s.person, s.subscription
        FROM status s JOIN conflicted USING (person)"""
    rows, head, csv = ctx.affected("consent_conflict", sql, order="person, system, file, row")
    if not rows:
        return None
    people = ctx.count("SELECT count(DISTINCT person) FROM finding_consent_conflict")
    return Finding(
        "consent_conflict",
        "consent",
        _("Unsubscribed in one system, subscribed in another"),
        "high",
        people,
        _("people"),
        _(
            "{people} people are unsubscribed in one system but still subscribed in another, which will email them."
        ).format(people=f"{people:,}"),
        _(
            "Unsubscribe them everywhere, then connect the opt-out fields of the systems (an integration or a "
            "nightly sync) so one opt-out counts in all of them."
        ),
        head,
        rows,
        csv,
    )


def check(ctx: Context) -> list[Finding]:
    """Run the consent checks and score the part: the share of people who opted out and are respected."""
    findings = [f for f in (_emailed_after(ctx), _conflicts(ctx)) if f is not None]
    opted_out = ctx.count(
        f"""SELECT count(DISTINCT person) FROM (
                SELECT person FROM ({_unsubscribes_sql()})
                UNION ALL SELECT person FROM ({_status_sql()}) WHERE subscription = 'unsubscribed')"""
    )
    if not opted_out:
        ctx.score("consent", float("nan"), _("no unsubscribes in the exports"))
        return findings
    wronged = [f"SELECT person FROM finding_{f.id}" for f in findings]
    bad = ctx.count(f"SELECT count(DISTINCT person) FROM ({' UNION ALL '.join(wronged)})") if wronged else 0
    ctx.score(
        "consent",
        share(opted_out - bad, opted_out),
        _("{good} of {total} people who opted out are unsubscribed everywhere and were not emailed again").format(
            good=f"{opted_out - bad:,}", total=f"{opted_out:,}"
        ),
    )
    return findings
