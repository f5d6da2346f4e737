"""Example exports of the sample company (Northwind Analytics), in the vendors' own formats, with problems planted.

:func:`write_example_exports` turns the sample datasets into what Northwind's systems would export: a HubSpot
contacts export and its email events, a Mailchimp audience export (a zip of three files), Salesforce campaign
members, a Marketo activity extract from a team that runs its own instance, a GA4 BigQuery export and the
stack inventory. With ``clean=False`` it plants the problems a health check should find and returns them (with
the file and row of every planted record); with ``clean=True`` it writes the same company with none of them.
The problem set is bundled (``datasets/exports/northwind``; :func:`example_exports` finds it) and a test
regenerates it byte for byte.
"""

from __future__ import annotations

import atexit
import gzip
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._resources import datasets_dir
from ..i18n import per_language

if TYPE_CHECKING:
    from .result import HealthCheck

__all__ = ["AS_OF", "Planted", "example_check", "example_exports", "write_example_exports"]

AS_OF = "2026-10-31"
FOLDER = "northwind"
HUBSPOT_CONTACTS = "hubspot/all-contacts.csv"
HUBSPOT_EVENTS = "hubspot/email-events.csv.gz"
MAILCHIMP_ZIP = "mailchimp/newsletter_members_export_3f9a1c.zip"
MAILCHIMP = {s: f"{MAILCHIMP_ZIP}/{s}_members_export_3f9a1c.csv" for s in ("subscribed", "unsubscribed", "cleaned")}
SALESFORCE = "salesforce/campaign_members.csv"
MARKETO = "marketo/bulk_activities_2026-09.csv"
GA4 = "ga4/events_20260801_20261031.json.gz"
INVENTORY = "martech_stack.csv"
_STAGE_LABELS = {
    "subscriber": "Subscriber",
    "lead": "Lead",
    "mql": "Marketing Qualified Lead",
    "sql": "Sales Qualified Lead",
    "opportunity": "Opportunity",
    "customer": "Customer",
}
_SOURCES = {
    "email": "Email Marketing",
    "paid_search": "Paid Search",
    "paid_social": "Paid Social",
    "webinar": "Other Campaigns",
    "events": "Offline Sources",
    "content": "Organic Search",
    "seo": "Organic Search",
    "direct_mail": "Offline Sources",
    "referral": "Referrals",
    "direct": "Direct Traffic",
}
_COUNTRIES = {
    "US": "United States",
    "GB": "United Kingdom",
    "DE": "Germany",
    "RO": "Romania",
    "FR": "France",
    "NL": "Netherlands",
    "TH": "Thailand",
    "TW": "Taiwan",
    "ES": "Spain",
    "PL": "Poland",
}
# web traffic behind each source channel: utm_source, utm_medium (None: the visit carries no source)
_UTM = {
    "email": ("hubspot", "email"),
    "paid_search": ("google", "cpc"),
    "paid_social": ("linkedin", "paid_social"),
    "webinar": ("hubspot", "email"),
    "content": ("google", "organic"),
    "seo": ("google", "organic"),
    "referral": ("partner.example", "referral"),
    "direct": ("(direct)", "(none)"),
}


@dataclass
class Planted:
    """The problems planted in an example set, as the health check should report them.

    Attributes:
        folder: where the exports were written.
        rows: each finding's id and the ``(file, row)`` of every record planted for it.
        counts: each finding's id and the count the check should report (where rows do not say it).
        notes: the planted problems in words.

    """

    folder: Path
    rows: dict[str, set[tuple[str, int]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, finding: str, where: Iterable[tuple[str, int]], note: str) -> None:
        """Record planted rows of one finding (more can be added to the same finding)."""
        self.rows.setdefault(finding, set()).update(where)
        self.notes[finding] = note


def example_exports() -> Path:
    """The bundled example exports of Northwind Analytics, with problems planted (a folder).

    >>> sorted(p.name for p in example_exports().iterdir())[:2]
    ['ga4', 'hubspot']
    """
    return datasets_dir() / "exports" / FOLDER


@per_language
def example_check() -> HealthCheck:
    """The health check of the bundled example exports as of :data:`AS_OF`, computed once per process and language.

    Its findings are written, and their evidence headed, in the language in use when it runs, so each language
    has its own.

    Lessons and their checks read it (its evidence CSVs go to a temporary folder removed when Python exits).
    """
    from .check import health_check

    out = Path(tempfile.mkdtemp(prefix="mopskit-northwind-"))
    atexit.register(shutil.rmtree, out, True)
    return health_check(example_exports(), out_dir=out, as_of=AS_OF, write_report=False)


def _sample(name: str) -> pd.DataFrame:
    return pd.read_csv(datasets_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


def _stamp(values: pd.Series, fmt: str = "%Y-%m-%d %H:%M") -> pd.Series:
    stamps = pd.to_datetime(values.replace("", None))
    return stamps.dt.strftime(fmt).fillna("")


def _write_csv(frame: pd.DataFrame, path: Path, **kwargs: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", **kwargs)


def _gzip_bytes(data: bytes, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(data)


class _Company:
    """The sample company's tables, and what its systems hold, built up file by file."""

    def __init__(self, rng: np.random.Generator, clean: bool) -> None:
        self.rng = rng
        self.clean = clean
        self.contacts = _sample("contacts")
        self.events = _sample("email_events")
        self.campaigns = _sample("campaigns")
        self.touchpoints = _sample("touchpoints")
        self.as_of = pd.Timestamp(AS_OF) + pd.Timedelta(hours=23, minutes=59)
        created = pd.to_datetime(self.contacts["created_at"])
        self.contacts["created_ts"] = created
        self.email_of = dict(zip(self.contacts["contact_id"], self.contacts["email"], strict=True))
        self.optout: dict[str, pd.Timestamp] = {}  # contact_id -> when HubSpot recorded the opt-out
        self.late_touch: list[str] = []  # MQLs sales followed up after the SLA (set with the CRM's tasks)
        self.no_touch: list[str] = []  # MQLs sales never followed up

    def pick(self, candidates: Iterable[str], n: int) -> list[str]:
        pool = sorted(set(candidates))
        if not pool:
            return []
        return sorted(self.rng.choice(pool, size=min(n, len(pool)), replace=False).tolist())


def _mailchimp_members(co: _Company) -> pd.DataFrame:
    """Who is on the newsletter audience and in which state, keeping HubSpot and Mailchimp in step."""
    base = co.contacts[co.contacts["lifecycle_stage"] != ""]
    members = co.pick(base["contact_id"], int(len(base) * 0.5))
    frame = co.contacts.set_index("contact_id").loc[members, ["email", "created_ts", "country"]].reset_index()
    frame["status"] = "subscribed"
    frame["unsub_at"] = pd.NaT
    frame["clean_at"] = pd.NaT
    optin = frame["created_ts"] + pd.to_timedelta(co.rng.integers(60, 3600, len(frame)), unit="s")
    frame["optin"] = optin
    frame["confirm"] = optin + pd.to_timedelta(co.rng.integers(30, 900, len(frame)), unit="s")
    unsub = co.pick(frame["contact_id"], 60)
    cleaned = co.pick(set(frame["contact_id"]) - set(unsub), 20)
    span = (co.as_of - frame["confirm"]).dt.total_seconds().clip(lower=3600)
    later = frame["confirm"] + pd.to_timedelta((co.rng.random(len(frame)) * span).astype("int64"), unit="s")
    is_unsub = frame["contact_id"].isin(unsub)
    frame.loc[is_unsub, "status"] = "unsubscribed"
    frame.loc[is_unsub, "unsub_at"] = later[is_unsub]
    is_clean = frame["contact_id"].isin(cleaned)
    frame.loc[is_clean, "status"] = "cleaned"
    frame.loc[is_clean, "clean_at"] = later[is_clean]
    # a HubSpot opt-out reaches Mailchimp through the integration
    synced = frame["contact_id"].map(co.optout)
    sync = synced.notna() & (frame["status"] == "subscribed")
    frame.loc[sync, "status"] = "unsubscribed"
    frame.loc[sync, "unsub_at"] = synced[sync]
    # nobody confirms an opt-in after the unsubscribe that ended it
    unsubscribed = frame["unsub_at"].notna()
    frame.loc[unsubscribed, "confirm"] = (
        frame.loc[unsubscribed, ["confirm", "unsub_at"]]
        .min(axis=1)
        .where(
            frame.loc[unsubscribed, "confirm"] < frame.loc[unsubscribed, "unsub_at"],
            frame.loc[unsubscribed, "unsub_at"] - pd.Timedelta(minutes=10),
        )
    )
    frame["optin"] = frame[["optin", "confirm"]].min(axis=1)
    return frame.reset_index(drop=True)


def _hubspot_unsubscribes(co: _Company) -> None:
    """People who unsubscribed through a HubSpot email: opted out from then on."""
    unsub = co.events[co.events["event_type"] == "unsubscribed"]
    for contact, when in zip(unsub["contact_id"], pd.to_datetime(unsub["occurred_at"]), strict=True):
        co.optout[contact] = min(co.optout.get(contact, when), when)


def _sends_after(co: _Company, stop: dict[str, pd.Timestamp]) -> pd.Series:
    """Events of sends that went out to someone after the given time (the whole send: all its events)."""
    sends = co.events[co.events["event_type"] == "sent"][["campaign_id", "contact_id", "occurred_at"]]
    limit = sends["contact_id"].map(stop)
    late = sends[limit.notna() & (pd.to_datetime(sends["occurred_at"]) > limit)]
    keys = set(zip(late["campaign_id"], late["contact_id"], strict=True))
    return pd.Series(
        [k in keys for k in zip(co.events["campaign_id"], co.events["contact_id"], strict=True)], index=co.events.index
    )


def _plant_outliers(co: _Company, planted: Planted) -> None:
    """A send to a bought list (bounces) and a send the audience did not expect (unsubscribes)."""
    size = co.events[co.events["event_type"] == "sent"].groupby("campaign_id").size()
    big = sorted(size[size >= 400].index)
    bounce_campaign, unsub_campaign = big[-4], big[-2]
    ev = co.events
    delivered = ev[(ev["campaign_id"] == bounce_campaign) & (ev["event_type"] == "delivered")]
    bounced = co.pick(delivered["contact_id"], int(size[bounce_campaign] * 0.14))
    gone = (ev["campaign_id"] == bounce_campaign) & ev["contact_id"].isin(bounced)
    ev.loc[gone & (ev["event_type"] == "delivered"), "event_type"] = "bounced"
    co.events = ev[~(gone & ev["event_type"].isin(["opened", "clicked", "unsubscribed"]))].copy()
    ev = co.events
    delivered = ev[(ev["campaign_id"] == unsub_campaign) & (ev["event_type"] == "delivered")]
    already = set(ev[(ev["campaign_id"] == unsub_campaign) & (ev["event_type"] == "unsubscribed")]["contact_id"])
    leaving = co.pick(set(delivered["contact_id"]) - already, int(len(delivered) * 0.025))
    times = pd.to_datetime(delivered.set_index("contact_id").loc[leaving, "occurred_at"])
    extra = pd.DataFrame(
        {
            "event_id": [f"EV-PLANTED-{i:04d}" for i in range(len(leaving))],
            "campaign_id": unsub_campaign,
            "contact_id": leaving,
            "event_type": "unsubscribed",
            "occurred_at": (times + pd.Timedelta(hours=3)).dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(),
        }
    )
    co.events = pd.concat([co.events, extra], ignore_index=True)
    planted.counts["email_outliers"] = 2
    planted.notes["email_outliers"] = (
        f"campaign {bounce_campaign} went to a bought list (14% bounces); {unsub_campaign} went to people who did "
        "not expect it (2.5% unsubscribes)"
    )
    co.outlier_campaigns = (bounce_campaign, unsub_campaign)  # type: ignore[attr-defined]


def _tidy_bounces(co: _Company) -> None:
    """Keep every send's bounce rate at 5% or less, so only the planted send stands out (small sends vary)."""
    ev = co.events
    for _campaign, group in ev.groupby("campaign_id"):
        sent = int((group["event_type"] == "sent").sum())
        bounced = group.index[group["event_type"] == "bounced"]
        extra = len(bounced) - int(0.05 * sent)
        if extra > 0:
            back = co.rng.choice(sorted(bounced), size=extra, replace=False)
            ev.loc[back, "event_type"] = "delivered"


def _campaign_numbers(co: _Company) -> dict[str, str]:
    ids = sorted(co.events["campaign_id"].unique())
    return {c: str(101_500_000 + 37 * i) for i, c in enumerate(ids, 1)}


def _hubspot_events(co: _Company, out: Path) -> pd.DataFrame:
    ev = co.events.sort_values(["occurred_at", "event_id"], kind="stable").reset_index(drop=True)
    numbers = _campaign_numbers(co)
    kinds = {
        "sent": "SENT",
        "delivered": "DELIVERED",
        "bounced": "BOUNCE",
        "opened": "OPEN",
        "clicked": "CLICK",
        "unsubscribed": "STATUSCHANGE",
    }
    stamps = pd.to_datetime(ev["occurred_at"])
    frame = pd.DataFrame(
        {
            "id": [f"{(i * 2654435761) % 16**12:012x}" for i in range(1, len(ev) + 1)],
            "created": ((stamps - pd.Timestamp(0)) // pd.Timedelta(milliseconds=1)).astype(str),
            "type": ev["event_type"].map(kinds),
            "recipient": ev["contact_id"].map(co.email_of),
            "emailCampaignId": ev["campaign_id"].map(numbers),
            "portalSubscriptionStatus": np.where(ev["event_type"] == "unsubscribed", "UNSUBSCRIBED", ""),
        }
    )
    data = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    _gzip_bytes(data, out / HUBSPOT_EVENTS)
    return ev


def _first_touch(co: _Company, planted: Planted) -> pd.Series:
    """When sales first reached out to each MQL: within the SLA (8 business hours), except the breaches planted."""
    from ..leads import add_business_hours

    mql = pd.to_datetime(co.contacts["mql_at"].replace("", None))
    hours = co.rng.uniform(0.5, 7.5, len(mql))
    co.late_touch, co.no_touch = [], []
    if not co.clean:
        due = co.contacts.index[(mql < co.as_of - pd.Timedelta(days=10)).fillna(False)]
        late = co.pick(co.contacts.loc[due, "contact_id"], 25)
        waiting = co.pick(set(co.contacts.loc[due, "contact_id"]) - set(late), 15)
        is_late = co.contacts["contact_id"].isin(late).to_numpy()
        hours[is_late] = co.rng.uniform(12, 60, int(is_late.sum()))
        co.late_touch, co.no_touch = late, waiting
    touch = add_business_hours(mql, hours).set_axis(mql.index)
    touch = touch.where(mql.notna() & (touch <= co.as_of))
    touch[co.contacts["contact_id"].isin(co.no_touch)] = pd.NaT
    return touch


def _hubspot_contacts(co: _Company, planted: Planted) -> pd.DataFrame:
    c = co.contacts
    first = c["email"].str.split(".").str[0].str.title()
    last = c["email"].str.split("@").str[0].str.split(".").str[1].str.rstrip("0123456789").str.title()
    stage = c["lifecycle_stage"].map(_STAGE_LABELS)
    touch = _first_touch(co, planted)
    mql = c["mql_at"] != ""
    status = np.where(c["sql_at"] != "", "Open Deal", np.where(mql, np.where(touch.notna(), "In Progress", "New"), ""))
    frame = pd.DataFrame(
        {
            "Record ID": (5_100_000 + c.index.to_numpy() * 13).astype(str),
            "First Name": first,
            "Last Name": last,
            "Email": c["email"],
            "Contact owner": c["owner"],
            "Lifecycle Stage": stage,
            "Lead Status": status,
            "Create Date": _stamp(c["created_at"]),
            "Became a Lead Date": np.where(c["lifecycle_stage"] != "subscriber", _stamp(c["created_at"]), ""),
            "Became a Marketing Qualified Lead Date": _stamp(c["mql_at"]),
            "Became a Sales Qualified Lead Date": _stamp(c["sql_at"]),
            "Became an Opportunity Date": _stamp(c["opportunity_at"]),
            "Became a Customer Date": _stamp(c["customer_at"]),
            "First outreach date": touch.dt.strftime("%Y-%m-%d %H:%M").fillna(""),
            "Original Source": c["source_channel"].map(_SOURCES),
            "Country/Region": c["country"].map(_COUNTRIES).fillna(""),
            "Unsubscribed from all email": np.where(c["contact_id"].isin(co.optout), "true", "false"),
            "_id": c["contact_id"],
        }
    )
    co.hubspot_id = dict(zip(frame["_id"], frame["Record ID"], strict=True))  # type: ignore[attr-defined]
    if co.clean:
        return frame
    stats = c.set_index("contact_id")
    emailed = set(co.events["contact_id"])
    low = stats.index[stats["lifecycle_stage"].isin(["lead", "subscriber"])]
    # addresses broken where nobody was ever mailed, so no send points at them
    broken = co.pick([i for i in low if i not in emailed], 30)
    bad, missing = broken[:25], broken[25:]
    early = stats["created_ts"] < pd.Timestamp("2026-10-01")  # so a copy made three weeks later is still in the data
    dup = co.pick([i for i in low if early[i] and i not in broken], 40)
    rest = co.pick(set(low) - set(broken) - set(dup), 15 + 30 + 4)
    nostage, pql, zero = rest[:15], rest[15:45], rest[45:]
    where = frame.set_index("_id")
    for i, cid in enumerate(bad):
        email = where.at[cid, "Email"]
        where.at[cid, "Email"] = email.replace("@", " at ") if i % 2 else email.rsplit(".", 1)[0]
    for cid in missing:
        where.at[cid, "Email"] = ""
    for cid in nostage:
        where.at[cid, "Lifecycle Stage"] = ""
    for cid in pql:
        where.at[cid, "Lifecycle Stage"] = "Product Qualified Lead"
    for cid in zero:
        where.at[cid, "Create Date"] = "0000-00-00 00:00"
    due = pd.to_datetime(c["mql_at"].replace("", None)) < co.as_of - pd.Timedelta(days=10)
    owned = c[(c["owner"] != "") & due.fillna(False) & ~c["contact_id"].isin(co.late_touch + co.no_touch)]["contact_id"]
    unowned = co.pick(owned, 20)
    for cid in unowned:
        where.at[cid, "Contact owner"] = ""
        where.at[cid, "First outreach date"] = ""
    both = c[(c["mql_at"] != "") & (c["sql_at"] != "")]["contact_id"]
    untouchable = set(unowned) | set(co.late_touch) | set(co.no_touch)
    swapped = co.pick(set(both) - untouchable, 12)
    for cid in swapped:
        a, b = (
            where.at[cid, "Became a Marketing Qualified Lead Date"],
            where.at[cid, "Became a Sales Qualified Lead Date"],
        )
        where.at[cid, "Became a Marketing Qualified Lead Date"], where.at[cid, "Became a Sales Qualified Lead Date"] = (
            b,
            a,
        )
    opps = c[c["opportunity_at"] != ""]["contact_id"]
    typo = co.pick(set(opps) - set(swapped) - untouchable, 3)
    for cid in typo:
        where.at[cid, "Became an Opportunity Date"] = "2062" + where.at[cid, "Became an Opportunity Date"][4:]
    frame = where.reset_index()[list(frame.columns)]
    copies = frame[frame["_id"].isin(dup)].copy()
    copies["Email"] = [e.upper() if i % 2 else " " + e.title() for i, e in enumerate(copies["Email"])]
    copies["Record ID"] = (6_200_000 + np.arange(len(copies)) * 7).astype(str)
    created = pd.to_datetime(copies["Create Date"]) + pd.Timedelta(days=21)
    copies["Create Date"] = created.dt.strftime("%Y-%m-%d %H:%M")
    copies["Became a Lead Date"] = np.where(copies["Became a Lead Date"] != "", copies["Create Date"], "")
    copies["_id"] = copies["_id"] + "-copy"
    frame = pd.concat([frame, copies], ignore_index=True)
    frame = frame.sort_values("Create Date", kind="stable").reset_index(drop=True)
    row = {cid: i + 2 for i, cid in enumerate(frame["_id"])}
    rows = lambda ids: {(HUBSPOT_CONTACTS, row[i]) for i in ids}  # noqa: E731
    planted.add(
        "duplicates", rows(dup) | rows(f"{d}-copy" for d in dup), "40 contacts entered twice, by case or spaces"
    )
    planted.add("invalid_emails", rows(bad) | rows(missing), "25 malformed addresses and 5 missing")
    planted.add("missing_stage", rows(nostage), "15 contacts without a lifecycle stage")
    planted.add("missing_owner", rows(unowned), "20 MQLs and beyond without an owner")
    planted.add("stage_dates", rows(swapped) | rows(typo), "12 MQL/SQL dates swapped, 3 opportunity dates typed 2062")
    planted.add("unreadable", rows(zero), "4 create dates written 0000-00-00 by a migration")
    planted.add(
        "sla_breaches",
        rows(co.late_touch) | rows(co.no_touch) | rows(unowned),
        "25 MQLs reached late, 15 (and the 20 unowned) never",
    )
    planted.notes["custom_stage"] = "30 contacts at a custom stage, Product Qualified Lead"
    return frame


def _consent_problems(co: _Company, members: pd.DataFrame, planted: Planted) -> None:
    """Unsubscribes that did not travel, and sends that went out anyway."""
    mc_unsub = members[members["status"] == "unsubscribed"].set_index("contact_id")["unsub_at"]
    hubspot = set(co.optout)
    only_mc = mc_unsub[~mc_unsub.index.isin(hubspot)]
    sends = co.events[co.events["event_type"] == "sent"]
    last_send = pd.to_datetime(sends.groupby("contact_id")["occurred_at"].max())
    unheard: list[str] = []
    if not co.clean:
        # HubSpot never heard of 15 Mailchimp unsubscribes: it keeps mailing them
        mailed = [c for c, when in only_mc.items() if c in last_send.index and last_send[c] > when]
        unheard = co.pick(mailed, 15)
    stop = dict(co.optout)
    for cid, when in mc_unsub.items():
        if cid not in unheard:
            co.optout[cid] = min(co.optout.get(cid, when), when)
            stop[cid] = min(stop.get(cid, when), when)
    again: list[str] = []
    if not co.clean:
        # and 5 people who unsubscribed in HubSpot were mailed again by a send that skipped the suppression list
        repeat = [c for c, t in co.optout.items() if c in last_send.index and last_send[c] > t and c in hubspot]
        again = co.pick(repeat, 5)
    keep = {c: t for c, t in stop.items() if c not in again and c not in unheard}
    co.events = co.events[~_sends_after(co, keep)].copy()
    if co.clean:
        return
    co.unheard = unheard  # type: ignore[attr-defined]
    co.mailed_again = again  # type: ignore[attr-defined]
    planted.notes["consent_conflict"] = "15 people unsubscribed in Mailchimp, still subscribed in HubSpot"
    planted.notes["emailed_after_unsubscribe"] = (
        "HubSpot mailed those 15 after their Mailchimp unsubscribe, mailed 5 of its own unsubscribes again, and "
        "the Marketo instance mailed 3 of its unsubscribes again"
    )
    planted.counts["consent_conflict"] = len(unheard)


def _mailchimp(co: _Company, members: pd.DataFrame, out: Path) -> None:
    base = [
        "Email Address",
        "First Name",
        "Last Name",
        "MEMBER_RATING",
        "OPTIN_TIME",
        "OPTIN_IP",
        "CONFIRM_TIME",
        "CONFIRM_IP",
        "LATITUDE",
        "LONGITUDE",
        "GMTOFF",
        "DSTOFF",
        "TIMEZONE",
        "CC",
        "REGION",
    ]
    tail = {
        "subscribed": ["LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS"],
        "unsubscribed": [
            "UNSUB_TIME",
            "UNSUB_CAMPAIGN_TITLE",
            "UNSUB_CAMPAIGN_ID",
            "UNSUB_REASON",
            "UNSUB_REASON_OTHER",
            "LEID",
            "EUID",
            "NOTES",
            "TAGS",
        ],
        "cleaned": ["CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID", "LEID", "EUID", "NOTES", "TAGS"],
    }
    fmt = "%Y-%m-%d %H:%M:%S"
    members = members.sort_values("confirm", kind="stable").reset_index(drop=True)
    members["leid"] = (40_000_000 + members.index * 11).astype(str)
    members["euid"] = [f"{(i * 40503) % 16**10:010x}" for i in range(1, len(members) + 1)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for status, columns in tail.items():
            part = members[members["status"] == status]
            names = part["email"].str.split("@").str[0].str.split(".")
            frame = pd.DataFrame(
                {
                    "Email Address": part["email"],
                    "First Name": names.str[0].str.title(),
                    "Last Name": names.str[1].str.rstrip("0123456789").str.title(),
                    "MEMBER_RATING": (2 + part.index % 3).astype(str),
                    "OPTIN_TIME": part["optin"].dt.strftime(fmt),
                    "OPTIN_IP": "",
                    "CONFIRM_TIME": part["confirm"].dt.strftime(fmt),
                    "CONFIRM_IP": "",
                    "LATITUDE": "",
                    "LONGITUDE": "",
                    "GMTOFF": "",
                    "DSTOFF": "",
                    "TIMEZONE": "",
                    "CC": part["country"],
                    "REGION": "",
                    "LAST_CHANGED": part["confirm"].dt.strftime(fmt),
                    "UNSUB_TIME": part["unsub_at"].dt.strftime(fmt),
                    "UNSUB_CAMPAIGN_TITLE": "Northwind newsletter",
                    "UNSUB_CAMPAIGN_ID": "5e1c0a9b3d",
                    "UNSUB_REASON": "NORMAL",
                    "UNSUB_REASON_OTHER": "",
                    "CLEAN_TIME": part["clean_at"].dt.strftime(fmt),
                    "CLEAN_CAMPAIGN_TITLE": "Northwind newsletter",
                    "CLEAN_CAMPAIGN_ID": "5e1c0a9b3d",
                    "LEID": part["leid"],
                    "EUID": part["euid"],
                    "NOTES": "",
                    "TAGS": '"Newsletter"',
                }
            )
            text = frame[base + columns].to_csv(index=False, lineterminator="\n")
            info = zipfile.ZipInfo(f"{status}_members_export_3f9a1c.csv", date_time=(2026, 10, 31, 18, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    target = out / MAILCHIMP_ZIP
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    co.mailchimp_members = members  # type: ignore[attr-defined]


def _sf_id(prefix: str, number: int) -> str:
    body = f"{prefix}5g00000{number:05d}"
    return body + "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[(number * k) % 32] for k in (3, 7, 11))


def _salesforce(co: _Company, out: Path, planted: Planted) -> None:
    events = co.campaigns[co.campaigns["channel"].isin(["webinar", "events"])]
    touches = co.touchpoints[co.touchpoints["campaign_id"].isin(events["campaign_id"])]
    touches = touches.drop_duplicates(["campaign_id", "contact_id"]).sort_values(["campaign_id", "occurred_at"])
    stage = co.contacts.set_index("contact_id")["lifecycle_stage"]
    channel = events.set_index("campaign_id")["channel"]
    names = events.set_index("campaign_id")["name"]
    when = pd.to_datetime(touches["occurred_at"])
    added = when - pd.to_timedelta(co.rng.integers(2 * 24, 10 * 24, len(touches)), unit="h")
    statuses = []
    for chan in touches["campaign_id"].map(channel):
        roll = co.rng.random()
        if chan == "webinar":
            statuses.append("Attended" if roll < 0.55 else "Registered" if roll < 0.8 else "No Show")
        else:
            statuses.append("Attended" if roll < 0.7 else "Invited")
    responded = {"Attended": True, "Registered": True, "No Show": False, "Invited": False}
    contact_ids = touches["contact_id"].to_numpy()
    is_contact = [stage.get(c) in ("opportunity", "customer") for c in contact_ids]
    numbers = {c: i for i, c in enumerate(sorted(co.contacts["contact_id"]), 1)}
    frame = pd.DataFrame(
        {
            "Id": [_sf_id("00v", 7000 + i) for i in range(len(touches))],
            "CampaignId": [_sf_id("701", 300 + sorted(events["campaign_id"]).index(c)) for c in touches["campaign_id"]],
            "Campaign.Name": touches["campaign_id"].map(names).to_numpy(),
            "LeadId": ["" if k else _sf_id("00Q", numbers[c]) for c, k in zip(contact_ids, is_contact, strict=True)],
            "ContactId": [_sf_id("003", numbers[c]) if k else "" for c, k in zip(contact_ids, is_contact, strict=True)],
            "Status": statuses,
            "HasResponded": ["true" if responded[s] else "false" for s in statuses],
            "FirstRespondedDate": [
                w.strftime("%Y-%m-%d") if responded[s] else "" for w, s in zip(when, statuses, strict=True)
            ],
            "CreatedDate": added.dt.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_numpy(),
            "Email": [co.email_of[c] for c in contact_ids],
            "HasOptedOutOfEmail": ["true" if c in co.optout else "false" for c in contact_ids],
            "_campaign": touches["campaign_id"].to_numpy(),
        }
    )
    if not co.clean:
        webinars = sorted(events[events["channel"] == "webinar"]["campaign_id"])
        odd = next(c for c in webinars if ((frame["_campaign"] == c) & (frame["Status"] == "Attended")).sum() >= 10)
        redefined = frame.index[(frame["_campaign"] == odd) & (frame["Status"] == "Attended")]
        frame.loc[redefined, "HasResponded"] = "false"
        frame.loc[redefined, "FirstRespondedDate"] = ""
        others = frame.index.difference(redefined)
        yes = co.rng.choice(sorted(others[frame.loc[others, "HasResponded"] == "true"]), 10, replace=False)
        no = co.rng.choice(sorted(others[frame.loc[others, "HasResponded"] == "false"]), 5, replace=False)
        frame.loc[yes, "FirstRespondedDate"] = ""
        frame.loc[no, "FirstRespondedDate"] = pd.to_datetime(frame.loc[no, "CreatedDate"]).dt.strftime("%Y-%m-%d")
        planted.add(
            "status_definitions",
            {(SALESFORCE, int(i) + 2) for i in redefined},
            f"'Attended' is set up as no response in {odd}",
        )
        planted.add(
            "response_mismatch",
            {(SALESFORCE, int(i) + 2) for i in [*yes, *no]},
            "10 members responded with no date, 5 with a date but no response",
        )
    _write_csv(frame.drop(columns=["_campaign"]), out / SALESFORCE)


def _marketo(co: _Company, out: Path, planted: Planted) -> None:
    """A regional team's own Marketo instance: two webinar emails to 300 leads."""
    rng = co.rng
    leads = 5_500_000 + np.arange(300) * 3
    rows: list[dict[str, object]] = []
    assets = (
        ("Webinar Q3.Invite", pd.Timestamp("2026-09-08 08:00")),
        ("Webinar Q3.Reminder", pd.Timestamp("2026-09-15 08:00")),
    )
    unsubscribed: dict[int, pd.Timestamp] = {}
    again: list[int] = []
    for asset, start in assets:
        reminder = asset.endswith("Reminder")
        if reminder:
            again = sorted(unsubscribed)[:3]  # a reminder list built before the unsubscribes were synced
        for raw_lead in leads:
            lead = int(raw_lead)
            if lead in unsubscribed and lead not in again:
                continue
            at = start + pd.Timedelta(seconds=int(rng.integers(0, 600)))
            attrs = {"Campaign Run ID": 41 if reminder else 40, "Choice Number": 0, "Step ID": 1}
            rows.append({"lead": lead, "at": at, "type": 6, "attrs": attrs, "asset": asset})
            if rng.random() < 0.03:
                rows.append(
                    {
                        "lead": lead,
                        "at": at + pd.Timedelta(seconds=40),
                        "type": 8,
                        "asset": asset,
                        "attrs": {"Email": f"lead{lead}@example.net", "Category": "1", "Details": "550 5.1.1"},
                    }
                )
                continue
            rows.append({"lead": lead, "at": at + pd.Timedelta(seconds=30), "type": 7, "attrs": attrs, "asset": asset})
            if rng.random() < 0.35:
                rows.append(
                    {
                        "lead": lead,
                        "at": at + pd.Timedelta(hours=2),
                        "type": 10,
                        "attrs": {"Device": "Desktop"},
                        "asset": asset,
                    }
                )
                if rng.random() < 0.3:
                    rows.append(
                        {
                            "lead": lead,
                            "at": at + pd.Timedelta(hours=2, minutes=1),
                            "type": 11,
                            "asset": asset,
                            "attrs": {"Link": "https://northwind.example/webinar"},
                        }
                    )
            if not reminder and len(unsubscribed) < 4 and rng.random() < 0.05:
                unsubscribed[lead] = at + pd.Timedelta(hours=3)
                rows.append(
                    {
                        "lead": lead,
                        "at": unsubscribed[lead],
                        "type": 9,
                        "asset": asset,
                        "attrs": {"Client IP Address": "203.0.113.7"},
                    }
                )
    for lead in leads[::4]:
        at = pd.Timestamp("2026-09-08 09:00") + pd.Timedelta(minutes=int(rng.integers(0, 60 * 24 * 10)))
        rows.append(
            {
                "lead": int(lead),
                "at": at,
                "type": 1,
                "asset": "/webinar",
                "attrs": {"Client IP Address": "198.51.100.4"},
            }
        )
        if rng.random() < 0.4:
            rows.append(
                {
                    "lead": int(lead),
                    "at": at + pd.Timedelta(minutes=3),
                    "type": 2,
                    "asset": "Webinar Q3 Form",
                    "attrs": {"Form Fields": '{"Email":"..."}'},
                }
            )
    frame = pd.DataFrame(rows).sort_values(["at", "lead", "type"], kind="stable").reset_index(drop=True)
    frame["marketoGUID"] = (880_000_000 + np.arange(len(frame)) * 17).astype(str)
    out_frame = pd.DataFrame(
        {
            "marketoGUID": frame["marketoGUID"],
            "leadId": frame["lead"].astype(str),
            "activityDate": frame["at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "activityTypeId": frame["type"].astype(str),
            "campaignId": np.where(frame["type"].isin([1, 2]), "null", "8497"),
            "primaryAttributeValueId": np.where(frame["type"].isin([1, 2]), "12", "1670"),
            "primaryAttributeValue": frame["asset"],
            "attributes": [json.dumps(a) for a in frame["attrs"]],
        }
    )
    broken = co.pick(out_frame.index[out_frame["activityTypeId"] == "10"].astype(str), 2)
    for index in broken:
        out_frame.at[int(index), "attributes"] = out_frame.at[int(index), "attributes"][:-9]
    _write_csv(out_frame, out / MARKETO)
    resent = out_frame[
        (out_frame["activityTypeId"] == "6")
        & out_frame["leadId"].astype(int).isin(again)
        & (out_frame["primaryAttributeValue"] == "Webinar Q3.Reminder")
    ]
    planted.add(
        "unreadable", {(MARKETO, int(i) + 2) for i in broken}, "4 zero dates in HubSpot, 2 broken JSON attributes"
    )
    planted.add(
        "emailed_after_unsubscribe",
        {(MARKETO, int(i) + 2) for i in resent.index},
        planted.notes.get("emailed_after_unsubscribe", ""),
    )


def _ga4(co: _Company, out: Path, planted: Planted) -> None:
    rng = co.rng
    start, end = pd.Timestamp("2026-08-01"), pd.Timestamp("2026-10-31 23:59:59")
    gap = (pd.Timestamp("2026-08-10"), pd.Timestamp("2026-08-14 23:59:59"))
    c = co.contacts[(co.contacts["created_ts"] >= start) & (co.contacts["created_ts"] <= end)]
    c = c[c["source_channel"].isin(list(_UTM))]
    names = co.campaigns.set_index("campaign_id")["name"]
    live = co.campaigns[co.campaigns["channel"] == "email"].sort_values("start_date")
    records = []
    for row in c.itertuples():
        created = row.created_ts
        source: str | None
        medium: str | None
        source, medium = _UTM[row.source_channel]
        campaign = None
        if row.source_channel in ("email", "webinar", "paid_search", "paid_social"):
            recent = live[live["start_date"] <= f"{created:%Y-%m-%d}"]
            campaign = names[recent["campaign_id"].iloc[-1]] if len(recent) else None
        if not co.clean and row.source_channel in ("email", "webinar"):
            source = medium = campaign = None  # links in emails without UTM parameters
        user = f"{1_000_000_000 + int(row.contact_id[2:]) * 7919}.{int(created.timestamp())}"
        arrive = created - pd.Timedelta(minutes=int(rng.integers(2, 15)))
        for name, when in (("session_start", arrive), ("page_view", arrive), ("generate_lead", created)):
            records.append((when, name, user, source, medium, campaign, row.country))
    days = pd.date_range(start, end.normalize(), freq="D")
    for day in days:
        for _ in range(int(rng.integers(12, 25))):
            when = day + pd.Timedelta(seconds=int(rng.integers(0, 86_400)))
            user = f"{int(rng.integers(10**9, 2 * 10**9))}.{int(when.timestamp())}"
            records.append((when, "page_view", user, "google", "organic", None, "US"))
    if not co.clean:
        records = [r for r in records if not gap[0] <= r[0] <= gap[1]]
        planted.counts["tracking_gaps"] = 5
        planted.notes["tracking_gaps"] = "no GA4 events from 10 to 14 August 2026 (a site release dropped the tag)"
        planted.notes["untagged_leads"] = "links in emails carry no UTM parameters, so their leads have no source"
    records.sort(key=lambda r: (r[0], r[1], r[2]))
    lines = []
    for when, name, user, source, medium, campaign, country in records:
        params = [
            {"key": "ga_session_id", "value": {"int_value": str(int(when.timestamp()) // 1800)}},
            {"key": "page_location", "value": {"string_value": "https://northwind.example/"}},
        ]
        for key, value in (("source", source), ("medium", medium), ("campaign", campaign)):
            if value is not None:
                params.append({"key": key, "value": {"string_value": value}})
        record = {
            "event_date": f"{when:%Y%m%d}",
            "event_timestamp": str((when - pd.Timestamp(0)) // pd.Timedelta(microseconds=1)),
            "event_name": name,
            "event_params": params,
            "user_id": None,
            "user_pseudo_id": user,
            "traffic_source": {
                "name": campaign or "(direct)",
                "medium": medium or "(none)",
                "source": source or "(direct)",
            },
            "geo": {"country": _COUNTRIES.get(country, country)},
            "platform": "WEB",
            "stream_id": "4410293877",
        }
        lines.append(json.dumps(record, separators=(",", ":")))
    _gzip_bytes(("\n".join(lines) + "\n").encode("utf-8"), out / GA4)


def _inventory(co: _Company, out: Path) -> None:
    target = out / INVENTORY
    if not co.clean:
        target.write_bytes((datasets_dir() / "martech_stack.csv").read_bytes())
        return
    rows = [
        (
            "Salesforce Sales Cloud",
            "Salesforce",
            "crm",
            "Priya Nair",
            54000,
            30,
            27,
            "HubSpot Marketing Hub;Looker Studio",
        ),
        (
            "HubSpot Marketing Hub",
            "HubSpot",
            "marketing_automation",
            "Ana Pop",
            43200,
            8,
            7,
            "Salesforce Sales Cloud;Google Analytics 4;WordPress",
        ),
        ("Google Analytics 4", "Google", "analytics", "Joon Park", 0, 10, 9, "HubSpot Marketing Hub;Looker Studio"),
        ("Looker Studio", "Google", "reporting", "Joon Park", 0, 6, 6, "Salesforce Sales Cloud;Google Analytics 4"),
        ("WordPress", "Automattic", "cms", "Daniel Ortiz", 3000, 4, 4, "HubSpot Marketing Hub"),
    ]
    frame = pd.DataFrame(
        rows, columns=["tool", "vendor", "category", "owner", "annual_cost", "seats", "active_users", "integrates_with"]
    )
    frame.insert(4, "status", "in_use")
    frame["last_login"] = "2026-10-30"
    frame["contract_renewal"] = "2027-09-01"
    frame["notice_period_days"] = 30
    frame["holds_personal_data"] = [True, True, False, False, False]
    frame["dpa_signed"] = True
    frame["last_privacy_review"] = "2026-06-01"
    frame["last_security_review"] = "2026-06-01"
    _write_csv(frame, target)


def write_example_exports(out_dir: str | Path, *, clean: bool = False, seed: int = 2026) -> Planted:
    """Write the example exports of Northwind Analytics into a folder, with problems planted or not.

    Args:
        out_dir: the folder (created; files of an earlier run are replaced).
        clean: write the company with none of the problems (a health check finds nothing).
        seed: the random seed; the same seed writes the same bytes.

    Returns:
        The :class:`Planted` problems, with the file and row of every planted record (empty when clean).

    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in (HUBSPOT_CONTACTS, HUBSPOT_EVENTS, MAILCHIMP_ZIP, SALESFORCE, MARKETO, GA4, INVENTORY):
        (out / name).unlink(missing_ok=True)  # a file of an earlier run that this one does not write
    co = _Company(np.random.default_rng(seed), clean)
    planted = Planted(out)
    _tidy_bounces(co)
    if not clean:
        _plant_outliers(co, planted)
    _hubspot_unsubscribes(co)
    members = _mailchimp_members(co)
    _consent_problems(co, members, planted)
    hubspot = _hubspot_contacts(co, planted)
    events = _hubspot_events(co, out)
    _write_csv(hubspot.drop(columns=["_id"]), out / HUBSPOT_CONTACTS)
    if not clean:  # the clean company moved its newsletter into HubSpot (the audit calls two email tools one too many)
        _mailchimp(co, members, out)
    _salesforce(co, out, planted)
    if not clean:
        _marketo(co, out, planted)
        _planted_sends(co, members, events, planted)
        _planted_gap(hubspot, planted)
    _ga4(co, out, planted)
    _inventory(co, out)
    return planted


def _planted_sends(co: _Company, members: pd.DataFrame, events: pd.DataFrame, planted: Planted) -> None:
    """The HubSpot sends that went to people after they had unsubscribed (rows of the events file)."""
    mc = members.set_index("contact_id")["unsub_at"]
    stop = {c: mc[c] for c in co.unheard}  # type: ignore[attr-defined]
    stop.update({c: co.optout[c] for c in co.mailed_again})  # type: ignore[attr-defined]
    limit = events["contact_id"].map(stop)
    late = (events["event_type"] == "sent") & limit.notna() & (pd.to_datetime(events["occurred_at"]) > limit)
    planted.add(
        "emailed_after_unsubscribe",
        {(HUBSPOT_EVENTS, int(i) + 2) for i in events.index[late]},
        planted.notes["emailed_after_unsubscribe"],
    )


def _planted_gap(hubspot: pd.DataFrame, planted: Planted) -> None:
    """The CRM records created while GA4 recorded nothing (rows of the contacts file)."""
    created = pd.to_datetime(hubspot["Create Date"], format="%Y-%m-%d %H:%M", errors="coerce")
    silent = (created >= pd.Timestamp("2026-08-10")) & (created < pd.Timestamp("2026-08-15"))
    planted.add(
        "tracking_gaps",
        {(HUBSPOT_CONTACTS, int(i) + 2) for i in hubspot.index[silent]},
        planted.notes.get("tracking_gaps", "no GA4 events from 10 to 14 August 2026"),
    )
