"""The vendor exports the kit recognises by their headers, each with the quirks of how the vendor writes it.

Header sets follow the vendors' own documentation and real exports: HubSpot's contact export writes property
*labels* (``Record ID``, ``Lifecycle Stage``, ``Became a Marketing Qualified Lead Date``) and connectors write
the internal names (``hs_object_id``, ``lifecyclestage``); HubSpot's email events come from its Email Events
API (``id``, ``created`` in milliseconds, ``type``, ``recipient``, ``emailCampaignId``); Mailchimp's audience
export is three files (subscribed, unsubscribed, cleaned) with upper-case system columns (``OPTIN_TIME``,
``CONFIRM_TIME``, ``LAST_CHANGED``, ``LEID``, ``EUID``, ``UNSUB_TIME``, ``CLEAN_TIME``); Salesforce campaign
members come with API names from Data Loader (``CampaignId``, ``LeadId``, ``HasResponded``; upper case in some
tools) or field labels from a report (``Campaign ID``, ``Responded``, ``First Responded Date``); Marketo's bulk
activity extract is ``marketoGUID, leadId, activityDate, activityTypeId, campaignId, primaryAttributeValueId,
primaryAttributeValue, attributes`` with the attributes as JSON; GA4's BigQuery export is nested (one
``event_params`` list of key/value pairs per event) with ``event_timestamp`` in microseconds.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..._validate import checked
from ._layout import Field, Layout, literal

__all__ = [
    "EVENT_WORDS",
    "LAYOUTS",
    "MARKETO_TYPE_NAMES",
    "STAGES",
    "describe_layouts",
    "event_type_sql",
    "layout",
    "stage_sql",
]

# the kit's lifecycle stages in funnel order, then stages vendors add after or beside them; each with the
# labels vendors write for it (compared as letters and digits only)
STAGES: dict[str, tuple[str, ...]] = {
    "subscriber": ("subscriber",),
    "lead": ("lead",),
    "mql": ("mql", "marketingqualifiedlead"),
    "sql": ("sql", "salesqualifiedlead"),
    "opportunity": ("opportunity",),
    "customer": ("customer",),
    "evangelist": ("evangelist",),
    "other": ("other",),
}
EVENT_WORDS: dict[str, tuple[str, ...]] = {
    "sent": ("sent", "send", "sendemail", "emailsent"),
    "delivered": ("delivered", "delivery", "emaildelivered"),
    "bounced": ("bounced", "bounce", "hardbounce", "softbounce", "emailbounced", "emailbouncedsoft"),
    "opened": ("opened", "open", "openemail", "emailopened"),
    "clicked": ("clicked", "click", "clickemail", "emailclicked"),
    "unsubscribed": ("unsubscribed", "unsubscribe", "unsubscribeemail", "optout", "optedout"),
}


def _case_words(raw: str, vocabulary: Mapping[str, tuple[str, ...]], otherwise: str) -> str:
    arms = " ".join(
        f"WHEN {literal(spelling)} THEN {literal(value)}"
        for value, spellings in vocabulary.items()
        for spelling in spellings
    )
    return f"CASE regexp_replace(lower({raw}), '[^0-9a-z]', '', 'g') {arms} ELSE {otherwise} END"


def stage_sql(raw: str) -> str:
    """The SQL of a lifecycle stage: the kit's stage for a known label, else the label as written (custom)."""
    return _case_words(raw, STAGES, raw)


def event_type_sql(raw: str) -> str:
    """The SQL of an email event type: the kit's type for a known word, else NULL (the row is not counted)."""
    return _case_words(raw, EVENT_WORDS, "NULL")


def _stage_quirk() -> str:
    return (
        "Lifecycle stages are read from their labels (Marketing Qualified Lead) or internal values "
        "(marketingqualifiedlead); custom stages, which HubSpot exports by label or by a numeric id, are kept as "
        "written and listed in the import notes."
    )


HUBSPOT_CONTACTS = Layout(
    key="hubspot_contacts",
    vendor="HubSpot",
    title="HubSpot contacts export",
    table="contacts",
    fields=(
        Field("record_id", ("Record ID", "hs_object_id", "vid", "Contact ID")),
        Field("email", ("Email", "email"), "email"),
        Field("created_at", ("Create Date", "createdate", "Object create date/time"), "timestamp"),
        Field("lifecycle_stage", ("Lifecycle Stage", "lifecyclestage")),
        Field("owner", ("Contact owner", "HubSpot Owner", "hubspot_owner_id", "Owner")),
        Field("lead_at", ("Became a Lead Date", "hs_lifecyclestage_lead_date"), "timestamp"),
        Field(
            "mql_at",
            ("Became a Marketing Qualified Lead Date", "hs_lifecyclestage_marketingqualifiedlead_date"),
            "timestamp",
        ),
        Field(
            "sql_at", ("Became a Sales Qualified Lead Date", "hs_lifecyclestage_salesqualifiedlead_date"), "timestamp"
        ),
        Field("opportunity_at", ("Became an Opportunity Date", "hs_lifecyclestage_opportunity_date"), "timestamp"),
        Field("customer_at", ("Became a Customer Date", "hs_lifecyclestage_customer_date"), "timestamp"),
        Field(
            "first_touch_at",
            ("First outreach date", "hs_first_outreach_date", "First Engagement Date", "hs_sa_first_engagement_date"),
            "timestamp",
        ),
        Field("lead_status", ("Lead Status", "hs_lead_status")),
        Field("optout", ("Unsubscribed from all email", "hs_email_optout", "Opted out of all email"), "bool"),
        Field("source_channel", ("Original Source", "hs_analytics_source", "Original Source Type")),
        Field("country", ("Country/Region", "country", "Country")),
    ),
    required=("record_id", "email"),
    any_of=("lifecycle_stage", "created_at", "mql_at", "sql_at", "customer_at", "lead_at"),
    derived=lambda found: {
        "subscription": "CASE WHEN v_optout THEN 'unsubscribed' ELSE 'subscribed' END" if "optout" in found else "NULL"
    },
    quirks=(
        "The export writes property labels (Record ID, Lifecycle Stage, Contact owner) when saved from the contacts "
        "view and internal names (hs_object_id, lifecyclestage, hubspot_owner_id) when it comes from the API or a "
        "connector; both are read.",
        "Dates are written 'YYYY-MM-DD HH:MM' in the portal's time zone and read as UTC; the stage dates are the "
        "'Became a ... Date' properties.",
        _stage_quirk(),
        "The first sales touch is 'First outreach date' (hs_first_outreach_date), or 'First Engagement Date' "
        "(hs_sa_first_engagement_date, reset when the owner changes); the SLA is measured to it.",
        "'Unsubscribed from all email' is true for people who opted out of every marketing email; empty or false "
        "means HubSpot may still email them. Without that column the file says nothing about consent.",
    ),
)


def _hubspot_event_type(found: Mapping[str, str]) -> str:
    status = [f"upper(coalesce(r_{c}, ''))" for c in ("portal_status", "subscriptions") if c in found]
    if status:
        unsubscribed = " OR ".join(f"{s} LIKE '%UNSUBSCRIBED%'" for s in status)
        statuschange = f"WHEN 'STATUSCHANGE' THEN CASE WHEN {unsubscribed} THEN 'unsubscribed' END"
    else:
        statuschange = "WHEN 'STATUSCHANGE' THEN 'unsubscribed'"
    return (
        "CASE upper(r_vendor_type) WHEN 'SENT' THEN 'sent' WHEN 'DELIVERED' THEN 'delivered' WHEN 'BOUNCE' THEN "
        "'bounced' WHEN 'OPEN' THEN 'opened' WHEN 'CLICK' THEN 'clicked' WHEN 'SPAMREPORT' THEN 'unsubscribed' "
        f"{statuschange} END"
    )


HUBSPOT_EMAIL_EVENTS = Layout(
    key="hubspot_email_events",
    vendor="HubSpot",
    title="HubSpot email events (Email Events API)",
    table="email_events",
    fields=(
        Field("event_id", ("id", "Event ID")),
        Field("occurred_at", ("created", "Created", "Timestamp"), "epoch_ms"),
        Field("vendor_type", ("type", "Event type")),
        Field("email", ("recipient", "Recipient"), "email"),
        Field("campaign_id", ("emailCampaignId", "Email campaign ID", "emailCampaignGroupId")),
        Field("portal_status", ("portalSubscriptionStatus", "Portal subscription status")),
        Field("subscriptions", ("subscriptions", "Subscriptions")),
    ),
    required=("occurred_at", "vendor_type", "email", "campaign_id"),
    formats=("csv", "parquet", "json"),
    json_columns={
        "id": "VARCHAR",
        "created": "VARCHAR",
        "type": "VARCHAR",
        "recipient": "VARCHAR",
        "emailCampaignId": "VARCHAR",
        "portalSubscriptionStatus": "VARCHAR",
        "subscriptions": "JSON",
    },
    derived=lambda found: {"event_type": _hubspot_event_type(found)},
    quirks=(
        "'created' is milliseconds since 1970 (UTC), as the API writes it; a written date is read too.",
        "Types are read as the kit's: SENT, DELIVERED, BOUNCE, OPEN, CLICK; STATUSCHANGE to UNSUBSCRIBED and "
        "SPAMREPORT (HubSpot opts out anyone who marks an email as spam) count as unsubscribes. PROCESSED, "
        "DROPPED, DEFERRED, FORWARD, PRINT and others are listed as ignored.",
        "Events carry the recipient's address, not the contact's record id: they join contacts by address.",
    ),
)


def _mailchimp_derived(found: Mapping[str, str]) -> dict[str, str]:
    status = []
    if "unsubscribed_at" in found:
        status.append("WHEN r_unsubscribed_at IS NOT NULL THEN 'unsubscribed'")
    if "cleaned_at" in found:
        status.append("WHEN r_cleaned_at IS NOT NULL THEN 'cleaned'")
    stamps = [f"v_{c}" for c in ("optin_time", "confirm_time") if c in found]
    ids = [f"r_{c}" for c in ("leid", "euid") if c in found]
    return {
        "subscription": f"CASE {' '.join(status)} ELSE 'subscribed' END" if status else "'subscribed'",
        "opted_in_at": f"greatest({', '.join(stamps)})" if stamps else "NULL",
        "created_at": f"coalesce({', '.join(stamps)})" if stamps else "NULL",
        "record_id": f"coalesce({', '.join([*ids, 'r_email'])})",
    }


MAILCHIMP_AUDIENCE = Layout(
    key="mailchimp_audience",
    vendor="Mailchimp",
    title="Mailchimp audience export",
    table="contacts",
    fields=(
        Field("email", ("Email Address", "email_address"), "email"),
        Field("member_rating", ("MEMBER_RATING",)),
        Field("optin_time", ("OPTIN_TIME",), "timestamp"),
        Field("confirm_time", ("CONFIRM_TIME",), "timestamp"),
        Field("last_changed", ("LAST_CHANGED",), "timestamp"),
        Field("leid", ("LEID",)),
        Field("euid", ("EUID",)),
        Field("unsubscribed_at", ("UNSUB_TIME",), "timestamp"),
        Field("cleaned_at", ("CLEAN_TIME",), "timestamp"),
        Field("country", ("CC", "Country")),
    ),
    required=("email",),
    any_of=("member_rating", "optin_time", "confirm_time", "last_changed", "leid", "euid"),
    derived=_mailchimp_derived,
    scope_pattern=r"export_([0-9a-z]+)",
    file_values=((r"^unsubscribed_", "subscription", "unsubscribed"), (r"^cleaned_", "subscription", "cleaned")),
    quirks=(
        "An audience export is a zip of three files: subscribed, unsubscribed (with UNSUB_TIME, UNSUB_REASON, "
        "UNSUB_CAMPAIGN_TITLE) and cleaned (with CLEAN_TIME: addresses Mailchimp stopped mailing after hard "
        "bounces). Each row's status comes from the file's name (unsubscribed_..., cleaned_...), so a file whose "
        "columns were trimmed keeps it, else from UNSUB_TIME and CLEAN_TIME; the zip may go in the folder as it is.",
        "Times are written 'YYYY-MM-DD HH:MM:SS' in UTC. OPTIN_TIME is the sign-up, CONFIRM_TIME the double "
        "opt-in confirmation (or the import); the later of the two is the last opt-in.",
        "A cleaned address is not an unsubscribe: it bounced. Only unsubscribes count as withdrawn consent.",
        "The audience id in the file name (..._export_<id>.csv) keeps two audiences apart: the same address in "
        "two audiences is not a duplicate.",
    ),
)


def _sf_id(raw: str) -> str:
    # 18-character ids are the 15-character id plus a case checksum: compare the first 15
    return f"left({raw}, 15)"


SALESFORCE_CAMPAIGN_MEMBERS = Layout(
    key="salesforce_campaign_members",
    vendor="Salesforce",
    title="Salesforce campaign members",
    table="campaign_members",
    fields=(
        Field("member_id", ("Id", "Campaign Member ID", "CampaignMemberId")),
        Field("campaign_id", ("CampaignId", "Campaign ID", "Campaign.Id")),
        Field("campaign_name", ("Campaign Name", "Campaign.Name", "CampaignName")),
        Field("lead_id", ("LeadId", "Lead ID")),
        Field("contact_id", ("ContactId", "Contact ID")),
        Field("email", ("Email", "Email Address"), "email"),
        Field("status", ("Status", "Member Status", "CampaignMemberStatus")),
        Field("responded", ("HasResponded", "Responded"), "bool"),
        Field("first_responded_at", ("FirstRespondedDate", "First Responded Date"), "timestamp"),
        Field("created_at", ("CreatedDate", "Created Date", "Member First Associated Date"), "timestamp"),
        Field("opted_out", ("HasOptedOutOfEmail", "Email Opt Out"), "bool"),
    ),
    required=("campaign_id", "status"),
    any_of=("lead_id", "contact_id", "responded", "first_responded_at"),
    derived=lambda found: {
        c: _sf_id(f"r_{c}") for c in ("member_id", "campaign_id", "lead_id", "contact_id") if c in found
    },
    quirks=(
        "Data Loader writes API names (CampaignId, HasResponded), some tools in upper case (CAMPAIGNID); a report "
        "export writes labels (Campaign ID, Responded, First Responded Date). All are read.",
        "Ids are 15 characters (case-sensitive) or 18 (the same id plus a checksum): they are compared by their "
        "first 15.",
        "'Responded' is set by the member status (each campaign defines which of its statuses count as a "
        "response); true/false, 1/0 and yes/no are read.",
        "Report exports write dates in the user's locale (31/10/2026 or 10/31/2026): the order is taken from the "
        "values themselves (a day above 12 gives it away); ISO dates are read as they are.",
    ),
)

_MARKETO_TYPES = {"6": "sent", "7": "delivered", "8": "bounced", "27": "bounced", "9": "unsubscribed", "10": "opened"}
_MARKETO_TYPES["11"] = "clicked"
MARKETO_TYPE_NAMES = {
    "1": "Visit Webpage",
    "2": "Fill Out Form",
    "3": "Click Link",
    "6": "Send Email",
    "7": "Email Delivered",
    "8": "Email Bounced",
    "9": "Unsubscribe Email",
    "10": "Open Email",
    "11": "Click Email",
    "12": "New Lead",
    "13": "Change Data Value",
    "22": "Change Score",
    "27": "Email Bounced Soft",
}


def _marketo_derived(found: Mapping[str, str]) -> dict[str, str]:
    arms = " ".join(f"WHEN {literal(code)} THEN {literal(kind)}" for code, kind in _MARKETO_TYPES.items())
    names = " ".join(f"WHEN {literal(code)} THEN {literal(name)}" for code, name in MARKETO_TYPE_NAMES.items())
    campaign = [f"r_{c}" for c in ("primary_value", "campaign") if c in found]
    derived = {
        "event_type": f"CASE r_type_id {arms} END",
        "vendor_type": f"CASE r_type_id {names} ELSE 'activity type ' || r_type_id END",
        "campaign_id": f"coalesce({', '.join(campaign)})" if campaign else "NULL",
    }
    if "attributes" in found:
        # attributes are a JSON object {"Name": value} (the current extract) or a list of {"name", "value"}
        listed = "try_cast(v_attributes AS STRUCT(name VARCHAR, value VARCHAR)[])"
        # only bounces and unsubscribes name the address; the others are not parsed for it
        derived["email"] = (
            "CASE WHEN r_type_id IN ('8', '27', '9') THEN nullif(trim(CASE json_type(v_attributes) WHEN 'OBJECT' "
            "THEN json_extract_string(v_attributes, '$.Email') "
            f"WHEN 'ARRAY' THEN list_filter({listed}, lambda a: a.name = 'Email')[1].value END), '') END"
        )
    return derived


MARKETO_ACTIVITIES = Layout(
    key="marketo_activities",
    vendor="Marketo",
    title="Marketo bulk activity extract",
    table="email_events",
    fields=(
        Field("event_id", ("marketoGUID", "id")),
        Field("contact_id", ("leadId",)),
        Field("occurred_at", ("activityDate",), "timestamp"),
        Field("type_id", ("activityTypeId",)),
        Field("campaign", ("campaignId",)),
        Field("primary_value", ("primaryAttributeValue",)),
        Field("primary_value_id", ("primaryAttributeValueId",)),
        Field("attributes", ("attributes",), "json"),
    ),
    required=("event_id", "contact_id", "occurred_at", "type_id"),
    any_of=("primary_value", "primary_value_id", "attributes"),
    derived=_marketo_derived,
    null_words=("null",),
    quirks=(
        "Columns: marketoGUID, leadId, activityDate, activityTypeId, campaignId, primaryAttributeValueId, "
        "primaryAttributeValue, attributes; empty fields are written 'null'.",
        "Activity types are numbers: 6 Send Email, 7 Email Delivered, 8 Email Bounced, 27 Email Bounced Soft, "
        "9 Unsubscribe Email, 10 Open Email, 11 Click Email are read; others (1 Visit Webpage, 2 Fill Out Form, "
        "...) are listed as ignored.",
        "For email activities the primary attribute is the email asset ('Program.Email'): it is the send the "
        "event belongs to. campaignId is the smart campaign that ran it.",
        "'attributes' is JSON: an object of name/value pairs (a list of {name, value} in older extracts); the "
        "'Email' attribute of a bounce names the address. Unreadable JSON is reported.",
        "activityDate is ISO 8601 in UTC (2026-10-31T09:00:00Z). Events carry the lead id, not the address.",
    ),
)


def _ga4_param(name: str, kind: str = "string_value") -> str:
    return f"CAST(list_filter(r_params, lambda p: p.key = {literal(name)})[1].value.{kind} AS VARCHAR)"


def _ga4_derived(found: Mapping[str, str]) -> dict[str, str]:
    def pick(param: str, collected: str, first: str) -> str:
        parts = []
        if "params" in found:
            parts.append(f"nullif({_ga4_param(param)}, '')")
        if "collected" in found:
            parts.append(f"nullif(CAST(r_collected.{collected} AS VARCHAR), '')")
        if "traffic" in found:
            parts.append(f"nullif(CAST(r_traffic.{first} AS VARCHAR), '')")
        return f"coalesce({', '.join(parts)})" if parts else "NULL"

    return {
        "event_date": "try_strptime(CAST(r_event_date AS VARCHAR), '%Y%m%d')::DATE",
        "source": pick("source", "manual_source", "source"),
        "medium": pick("medium", "manual_medium", "medium"),
        "campaign": pick("campaign", "manual_campaign_name", "name"),
    }


GA4_EVENTS = Layout(
    key="ga4_events",
    vendor="Google Analytics 4",
    title="GA4 BigQuery event export",
    table="web_events",
    fields=(
        Field("event_date", ("event_date",)),
        Field("occurred_at", ("event_timestamp",), "epoch_us"),
        Field("event_name", ("event_name",)),
        Field("user_pseudo_id", ("user_pseudo_id",)),
        Field("user_id", ("user_id",)),
        Field("params", ("event_params",), "nested"),
        Field("traffic", ("traffic_source",), "nested"),
        Field("collected", ("collected_traffic_source",), "nested"),
    ),
    required=("event_date", "occurred_at", "event_name", "user_pseudo_id"),
    formats=("json", "parquet"),
    json_columns={
        "event_date": "VARCHAR",
        "event_timestamp": "VARCHAR",
        "event_name": "VARCHAR",
        "user_pseudo_id": "VARCHAR",
        "user_id": "VARCHAR",
        "event_params": "STRUCT(key VARCHAR, value STRUCT(string_value VARCHAR, int_value VARCHAR, "
        "float_value VARCHAR, double_value VARCHAR))[]",
        "traffic_source": "STRUCT(name VARCHAR, medium VARCHAR, source VARCHAR)",
        "collected_traffic_source": "STRUCT(manual_campaign_name VARCHAR, manual_source VARCHAR, "
        "manual_medium VARCHAR)",
    },
    derived=_ga4_derived,
    quirks=(
        "One table per day (events_YYYYMMDD), exported from BigQuery as newline-delimited JSON (often gzipped) "
        "or Parquet; a folder of daily files is read as one.",
        "event_timestamp is microseconds since 1970 in UTC; event_date (YYYYMMDD) is the day in the property's "
        "own time zone, so the two can name different days near midnight.",
        'BigQuery\'s JSON export writes 64-bit integers as strings ("1790812800123456"); both are read.',
        "event_params is a list of {key, value{string_value, int_value, float_value, double_value}}: source, "
        "medium and campaign come from the event's own parameters, then collected_traffic_source, then "
        "traffic_source (the user's first visit, not this session's).",
    ),
)

LAYOUTS: tuple[Layout, ...] = (
    HUBSPOT_CONTACTS,
    HUBSPOT_EMAIL_EVENTS,
    MAILCHIMP_AUDIENCE,
    SALESFORCE_CAMPAIGN_MEMBERS,
    MARKETO_ACTIVITIES,
    GA4_EVENTS,
)


@checked
def describe_layouts() -> str:
    """Every export the kit recognises: the headers that identify it, the kit table it fills, and its quirks.

    >>> "Marketo bulk activity extract" in describe_layouts()
    True
    """
    import textwrap

    parts = [
        "Every CSV file: UTF-8 with or without a byte-order mark, UTF-16, or Windows-1252 as Excel saves it; ',', "
        "';', tab or '|' between columns; gzipped (.csv.gz) or inside a zip archive; any column order, extra "
        "columns ignored (and listed). Rows are numbered as a spreadsheet numbers them."
    ]
    for item in LAYOUTS:
        needed = ", ".join(item.field(c).headers[0] for c in item.required)
        one_of = ", ".join(item.field(c).headers[0] for c in item.any_of)
        lines = [f"{item.title} ({item.vendor}) -> {item.table}; files: {', '.join(item.formats)}"]
        lines.append(f"  recognised by: {needed}" + (f", and one of {one_of}" if one_of else ""))
        lines += textwrap.wrap(" ".join(item.quirks), 110, initial_indent="  ", subsequent_indent="  ")
        parts.append("\n".join(lines))
    parts.append(
        "stack inventory (the kit's martech_stack table) -> the stack audit; files: csv\n"
        "  recognised by: a tool, a category and an annual cost column, under any of the names in "
        "datasets/README.md"
    )
    return "\n\n".join(parts)


@checked
def layout(key: str) -> Layout:
    """One layout by its key; an unknown key lists the known ones.

    >>> layout("mailchimp_audience").vendor
    'Mailchimp'
    """
    from ...errors import ParameterError

    for item in LAYOUTS:
        if item.key == key:
            return item
    raise ParameterError(f"unknown export layout '{key}'; known: {', '.join(x.key for x in LAYOUTS)}")
