"""The tables vendor exports are read into: the kit's own column names, one row per record of any system.

``contacts`` and ``email_events`` carry the columns of the kit's tables of the same name (see
``datasets/README.md``) plus what a company-wide check needs: which system and file each row came from, its row
number there, the email address as compared across systems, and consent. ``campaign_members`` (a CRM's
campaign responses) and ``web_events`` (web analytics) are new to the kit and described here.
Every table has ``system`` (the vendor), ``scope`` (a part of it, e.g. one Mailchimp audience), ``file`` and
``row`` (where the record is, as a spreadsheet numbers it) and ``bad`` (values that could not be read).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..._validate import checked, choice

__all__ = ["TABLES", "Column", "create_sql", "table_columns"]


@dataclass(frozen=True)
class Column:
    """One column of an import table: name, DuckDB type, the kind of value a mapping file gives it, meaning."""

    name: str
    sql_type: str
    kind: str
    description: str


_WHERE = (
    Column("system", "VARCHAR", "text", "the system the record comes from, e.g. HubSpot"),
    Column("scope", "VARCHAR", "text", "a part of the system (a Mailchimp audience), or empty"),
    Column("file", "VARCHAR", "text", "the file, relative to the exports folder"),
    Column("row", "BIGINT", "text", "the record's row in the file (a CSV's header is row 1)"),
)
_BAD = Column("bad", "VARCHAR", "text", "values that could not be read: 'column: value; ...', or empty")

TABLES: dict[str, tuple[Column, ...]] = {
    "contacts": (
        *_WHERE,
        Column("record_id", "VARCHAR", "text", "the record's id in its system"),
        Column("email", "VARCHAR", "email", "the email address as written"),
        Column("email_key", "VARCHAR", "text", "the address as compared: no spaces, lower case"),
        Column("created_at", "TIMESTAMP", "timestamp", "when the record was created (UTC)"),
        Column("lifecycle_stage", "VARCHAR", "stage", "the kit's stage (subscriber ... customer), or a custom one"),
        Column("stage_label", "VARCHAR", "text", "the stage as the file wrote it"),
        Column("owner", "VARCHAR", "text", "the record's owner (sales or marketing)"),
        Column("lead_at", "TIMESTAMP", "timestamp", "became a lead"),
        Column("mql_at", "TIMESTAMP", "timestamp", "became a marketing-qualified lead"),
        Column("sql_at", "TIMESTAMP", "timestamp", "became a sales-qualified lead"),
        Column("opportunity_at", "TIMESTAMP", "timestamp", "became an opportunity"),
        Column("customer_at", "TIMESTAMP", "timestamp", "became a customer"),
        Column("first_touch_at", "TIMESTAMP", "timestamp", "the first sales touch (call, email, meeting)"),
        Column("lead_status", "VARCHAR", "text", "the sales status of the lead, as written (New, Unqualified...)"),
        Column("subscription", "VARCHAR", "subscription", "subscribed, unsubscribed or cleaned; empty if unknown"),
        Column("unsubscribed_at", "TIMESTAMP", "timestamp", "when the person unsubscribed"),
        Column("opted_in_at", "TIMESTAMP", "timestamp", "when the person last opted in"),
        Column("source_channel", "VARCHAR", "text", "the channel that brought the person in, as written"),
        Column("country", "VARCHAR", "text", "country or region, as written"),
        _BAD,
    ),
    "email_events": (
        *_WHERE,
        Column("event_id", "VARCHAR", "text", "the event's id"),
        Column("campaign_id", "VARCHAR", "text", "the send (campaign or email) the event belongs to"),
        Column("contact_id", "VARCHAR", "text", "the recipient's record id in the sending system"),
        Column("email", "VARCHAR", "email", "the recipient's address as written, where it says more than person"),
        Column(
            "person",
            "VARCHAR",
            "text",
            "who the event is about: '<system>:<contact_id>' where the export has the sending system's record id, "
            "else the address as compared (no spaces, lower case)",
        ),
        Column("event_type", "VARCHAR", "event", "sent, delivered, bounced, opened, clicked or unsubscribed"),
        Column("vendor_type", "VARCHAR", "text", "the event type as the export wrote it"),
        Column("occurred_at", "TIMESTAMP", "timestamp", "when it happened (UTC)"),
        _BAD,
    ),
    "campaign_members": (
        *_WHERE,
        Column("member_id", "VARCHAR", "text", "the campaign member's id"),
        Column("campaign_id", "VARCHAR", "text", "the campaign"),
        Column("campaign_name", "VARCHAR", "text", "the campaign's name"),
        Column("lead_id", "VARCHAR", "text", "the lead, if the member is a lead"),
        Column("contact_id", "VARCHAR", "text", "the contact, if the member is a contact"),
        Column("email", "VARCHAR", "email", "the member's address"),
        Column("email_key", "VARCHAR", "text", "the address as compared: no spaces, lower case"),
        Column("status", "VARCHAR", "text", "the member status, e.g. Sent, Registered, Attended"),
        Column("responded", "BOOLEAN", "bool", "whether the status counts as a response"),
        Column("first_responded_at", "TIMESTAMP", "timestamp", "the day the member first responded"),
        Column("created_at", "TIMESTAMP", "timestamp", "when the member was added to the campaign"),
        Column("opted_out", "BOOLEAN", "bool", "the person opted out of email"),
        _BAD,
    ),
    "web_events": (
        *_WHERE,
        Column("user_pseudo_id", "VARCHAR", "text", "the browser's pseudonymous id"),
        Column("user_id", "VARCHAR", "text", "the signed-in user's id, if any"),
        Column("event_name", "VARCHAR", "text", "e.g. page_view, session_start, generate_lead"),
        Column("occurred_at", "TIMESTAMP", "timestamp", "when it happened (UTC)"),
        Column("event_date", "DATE", "text", "the day in the property's own time zone"),
        Column("source", "VARCHAR", "text", "traffic source (utm_source)"),
        Column("medium", "VARCHAR", "text", "traffic medium (utm_medium)"),
        Column("campaign", "VARCHAR", "text", "campaign name (utm_campaign)"),
        _BAD,
    ),
}


@checked
def table_columns(table: str) -> list[str]:
    """The column names of one import table.

    >>> table_columns("web_events")[:4]
    ['system', 'scope', 'file', 'row']
    """
    return [c.name for c in TABLES[choice(table, "table", list(TABLES), function="table_columns")]]


def create_sql(table: str, types: dict[str, str] | None = None) -> str:
    """The ``CREATE TABLE`` statement of one import table, with some columns' types replaced (``types``).

    >>> create_sql("web_events", {"file": "export_file"}).split(", ")[2]
    '"file" export_file'
    """
    chosen = types or {}
    columns = ", ".join(f'"{c.name}" {chosen.get(c.name, c.sql_type)}' for c in TABLES[table])
    return f'CREATE TABLE "{table}" ({columns})'
