"""The generator's activity: email sends and what recipients did, and the behaviour a marketing platform logs.

Email: every email campaign sends once to each contact of its audience, in weekly waves from its start day to
its end day (a campaign of three weeks sends three waves), on weekdays at 09:00 UTC. The audience is drawn
from contacts who exist at the wave's time, gave consent and have not unsubscribed since; an unsubscribe is
recorded on the contact (consent ``unsubscribed`` with its date) and that contact gets no later email.

Behaviour (the ``activities`` table): the sign-up itself (a form, a download or a webinar), page views, visits
to the pricing page, and for every MQL the burst of interest just before it (pricing visits, then a demo
request, a webinar or a download at the moment it qualified). Every email click is logged there too. A few
leads requested a demo lately without becoming MQLs (a broken form automation), and some recycled leads came
back to the site after sales recycled them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["EmailLog", "activity_chunks", "email_event_chunks"]

SEND_HOUR = 9
MONTHLY_REACH = 1.2  # emails per contact per month the email campaigns send between them (a frequency cap)
CREATION_ACTIVITY = {
    "content": "content_download",
    "seo": "content_download",
    "webinar": "webinar_attended",
}


@dataclass
class EmailLog:
    """What the email stream leaves behind for other tables: unsubscribes and clicks, by contact position."""

    unsubscribed_at: np.ndarray
    clicks: list[pd.DataFrame] = field(default_factory=list)

    def click_table(self) -> pd.DataFrame:
        """Every click as (position, occurred_at, campaign_id), sorted by contact position."""
        if not self.clicks:
            return pd.DataFrame({"position": [], "occurred_at": [], "campaign_id": []})
        table = pd.concat(self.clicks, ignore_index=True)
        return table.sort_values(["position", "occurred_at"], kind="stable").reset_index(drop=True)


def _waves(campaigns: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """One row per weekly wave of every email campaign, on a weekday, in send order."""
    rows = []
    for camp in campaigns[campaigns["channel"] == "email"].itertuples():
        first, last = pd.Timestamp(camp.start_date), pd.Timestamp(camp.end_date)
        count = min(5, (last - first).days // 7 + 1)
        for wave in range(count):
            day = first + pd.Timedelta(days=7 * wave)
            day += pd.Timedelta(days=(7 - day.day_of_week) % 7 if day.day_of_week >= 5 else 0)
            at = day + pd.Timedelta(hours=SEND_HOUR)
            if at <= end:
                rows.append({"campaign_id": camp.campaign_id, "wave": wave, "waves": count, "send_at": at})
    return pd.DataFrame(rows).sort_values(["send_at", "campaign_id"], kind="stable").reset_index(drop=True)


def email_event_chunks(
    rng: np.random.Generator,
    campaigns: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    end: pd.Timestamp,
    chunk: int,
    log: EmailLog,
) -> Iterator[pd.DataFrame]:
    """Yield the email events wave by wave (each wave split into chunks of at most ``chunk`` recipients).

    ``log`` collects the unsubscribes and clicks as they happen.
    """
    created = contacts["created_at"].to_numpy(dtype="datetime64[ns]")
    may_email = (contacts["consent"] == "opted_in").to_numpy()
    ids = contacts["contact_id"].to_numpy(dtype=object)
    waves = _waves(campaigns, end)
    # the frequency cap: the waves of a calendar month send about MONTHLY_REACH emails per contact between them,
    # so a month with one campaign sends about as much as a month with five
    waves["share"] = MONTHLY_REACH / waves.groupby(waves["send_at"].dt.strftime("%Y-%m"))["campaign_id"].transform(
        "size"
    )
    plans = {}
    for campaign_id in dict.fromkeys(waves["campaign_id"]):
        open_rate, click_rate = rng.uniform(0.26, 0.38), rng.uniform(0.10, 0.16)
        plans[campaign_id] = (open_rate, click_rate, np.zeros(len(contacts), dtype=bool))
    next_event = 1
    remaining = waves.groupby("campaign_id").size().to_dict()
    for wave in waves.itertuples():
        open_rate, click_rate, sent_before = plans[wave.campaign_id]
        send_at = wave.send_at.to_datetime64()
        eligible = np.flatnonzero(may_email & (created < send_at) & ~(log.unsubscribed_at <= send_at) & ~sent_before)
        size = min(len(eligible), round(wave.share * rng.uniform(0.9, 1.1) * len(eligible)))

        chosen = np.sort(rng.choice(eligible, size=size, replace=False)) if size else eligible[:0]
        sent_before[chosen] = True
        for begin in range(0, len(chosen), chunk):
            positions = chosen[begin : begin + chunk]
            frame = _send(rng, positions, ids, send_at, open_rate, click_rate, wave.campaign_id, log)
            frame.insert(0, "event_id", [f"EV-{i:09d}" for i in range(next_event, next_event + len(frame))])
            next_event += len(frame)
            yield frame
        remaining[wave.campaign_id] -= 1
        if not remaining[wave.campaign_id]:
            plans[wave.campaign_id] = (open_rate, click_rate, sent_before[:0])


def _send(
    rng: np.random.Generator,
    positions: np.ndarray,
    ids: np.ndarray,
    send_at: np.datetime64,
    open_rate: float,
    click_rate: float,
    campaign_id: str,
    log: EmailLog,
) -> pd.DataFrame:
    size = len(positions)
    delivered = rng.random(size) < rng.uniform(0.95, 0.99)
    opened = delivered & (rng.random(size) < open_rate)
    clicked = opened & (rng.random(size) < click_rate)  # clicks as a share of opens
    unsub = delivered & (rng.random(size) < 0.004)
    kinds = [
        ("sent", np.ones(size, dtype=int), 0, 60),
        ("delivered", delivered.astype(int), 1, 120),
        ("bounced", (~delivered).astype(int), 1, 120),
        ("opened", np.where(opened, 1 + rng.poisson(0.6, size), 0), 600, 3 * 86_400),
        ("clicked", np.where(clicked, 1 + rng.poisson(0.5, size), 0), 900, 3 * 86_400),
        ("unsubscribed", unsub.astype(int), 1_200, 2 * 86_400),
    ]
    parts = []
    for kind, counts, lo, hi in kinds:
        idx = np.repeat(np.arange(size), counts)
        parts.append(
            pd.DataFrame(
                {"position": positions[idx], "event_type": kind, "offset": rng.integers(lo, hi, size=len(idx))}
            )
        )
    events = pd.concat(parts, ignore_index=True)
    events = events.sort_values(["offset", "position"], kind="stable").reset_index(drop=True)
    when = send_at + events["offset"].to_numpy().astype("timedelta64[s]")
    kind = events["event_type"].to_numpy()
    gone = kind == "unsubscribed"
    np.minimum.at(log.unsubscribed_at, events["position"].to_numpy()[gone], when[gone].astype("datetime64[ns]"))
    clicks = kind == "clicked"
    log.clicks.append(
        pd.DataFrame(
            {"position": events["position"].to_numpy()[clicks], "occurred_at": when[clicks], "campaign_id": campaign_id}
        )
    )
    return pd.DataFrame(
        {
            "campaign_id": campaign_id,
            "contact_id": ids[events["position"].to_numpy()],
            "event_type": kind,
            "occurred_at": pd.Series(when).dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(),
        }
    )


def activity_chunks(
    rng: np.random.Generator,
    contacts: pd.DataFrame,
    clicks: pd.DataFrame,
    *,
    end: pd.Timestamp,
    chunk: int,
    live_campaign: Callable[[pd.DataFrame], Any],
) -> Iterator[pd.DataFrame]:
    """Yield the behaviour log, ``chunk`` contacts at a time, each chunk in time order.

    Args:
        rng: the random stream.
        contacts: the contacts (timestamps as datetime64).
        clicks: email clicks by contact position (from :class:`EmailLog`).
        end: the data's last day; nothing happens after it.
        chunk: contacts per chunk.
        live_campaign: ``f(frame with occurred_at and channel) -> campaign ids`` (the generator's matcher).

    """
    next_id = 1
    click_positions = clicks["position"].to_numpy(dtype=np.int64)
    for begin in range(0, len(contacts), chunk):
        block = contacts.iloc[begin : begin + chunk]
        frame = _behaviour(rng, block, begin, end)
        webinar = frame["activity_type"] == "webinar_attended"
        frame["campaign_id"] = ""
        if webinar.any():
            matched = live_campaign(
                pd.DataFrame({"occurred_at": frame.loc[webinar, "occurred_at"], "channel": "webinar"})
            )
            frame.loc[webinar, "campaign_id"] = matched
        lo, hi = np.searchsorted(click_positions, [begin, begin + len(block)])
        mine = clicks.iloc[lo:hi]
        frame = pd.concat(
            [
                frame,
                pd.DataFrame(
                    {
                        "position": mine["position"].to_numpy(),
                        "activity_type": "email_click",
                        "occurred_at": mine["occurred_at"].to_numpy(dtype="datetime64[ns]"),
                        "campaign_id": mine["campaign_id"].to_numpy(),
                    }
                ),
            ],
            ignore_index=True,
        )
        frame = frame[frame["occurred_at"] <= end].sort_values(["occurred_at", "position"], kind="stable")
        out = pd.DataFrame(
            {
                "activity_id": [f"A-{i:08d}" for i in range(next_id, next_id + len(frame))],
                "contact_id": contacts["contact_id"].to_numpy(dtype=object)[frame["position"].to_numpy()],
                "activity_type": frame["activity_type"].to_numpy(),
                "occurred_at": frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(),
                "campaign_id": frame["campaign_id"].to_numpy(),
            }
        )
        next_id += len(out)
        yield out


def _behaviour(rng: np.random.Generator, block: pd.DataFrame, begin: int, end: pd.Timestamp) -> pd.DataFrame:
    """Sign-up, page views, pricing visits, the MQL burst, missed hand-raisers and recycled leads coming back."""
    n = len(block)
    position = np.arange(begin, begin + n)
    created = block["created_at"].to_numpy(dtype="datetime64[ns]")
    mql_at = block["mql_at"].to_numpy(dtype="datetime64[ns]")
    is_mql = ~np.isnat(mql_at)
    source = block["source_channel"].to_numpy()
    parts = [
        pd.DataFrame(
            {
                "position": position,
                "activity_type": pd.Series(source).map(CREATION_ACTIVITY).fillna("form_fill").to_numpy(),
                "occurred_at": created,
            }
        )
    ]

    def spread(counts: np.ndarray, low: np.ndarray, days: float, kind: str) -> pd.DataFrame:
        idx = np.repeat(np.arange(n), counts)
        when = low[idx] + (rng.random(len(idx)) * days * 86_400).astype("timedelta64[s]")
        return pd.DataFrame({"position": position[idx], "activity_type": kind, "occurred_at": when})

    parts.append(spread(rng.poisson(np.where(is_mql, 4.0, 1.5)), created, 180, "page_view"))
    parts.append(spread((rng.random(n) < 0.08).astype(int), created, 240, "pricing_page_view"))
    before = np.where(is_mql, mql_at - np.timedelta64(7, "D"), created)
    before = np.maximum(before, created)
    burst = np.where(is_mql, 1 + rng.poisson(0.8, n), 0)
    idx = np.repeat(np.arange(n), burst)
    window = (mql_at[idx] - before[idx]).astype("timedelta64[s]").astype(np.int64)
    parts.append(
        pd.DataFrame(
            {
                "position": position[idx],
                "activity_type": "pricing_page_view",
                "occurred_at": before[idx] + (rng.random(len(idx)) * np.maximum(window, 0)).astype("timedelta64[s]"),
            }
        )
    )
    trigger = block["mql_trigger"].to_numpy(dtype=object)
    parts.append(
        pd.DataFrame({"position": position[is_mql], "activity_type": trigger[is_mql], "occurred_at": mql_at[is_mql]})
    )
    recent = end - pd.Timedelta(days=60)
    missed = (
        ~is_mql
        & (block["lifecycle_stage"].to_numpy() == "lead")
        & (created >= recent.to_datetime64() - np.timedelta64(120, "D"))
    )
    missed &= rng.random(n) < 0.06
    when = np.maximum(created, recent.to_datetime64()) + (rng.random(n) * 55 * 86_400).astype("timedelta64[s]")
    parts.append(
        pd.DataFrame({"position": position[missed], "activity_type": "demo_request", "occurred_at": when[missed]})
    )
    recycled = (block["lead_status"].to_numpy() == "recycled") & (rng.random(n) < 0.35)
    status_at = block["status_at"].to_numpy(dtype="datetime64[ns]")
    back = np.where(recycled, 1 + rng.poisson(2.0, n), 0)
    parts.append(spread(back, np.where(recycled, status_at, created), 60, "page_view"))
    parts.append(
        spread(
            np.where(recycled & (rng.random(n) < 0.5), 1, 0),
            np.where(recycled, status_at, created),
            60,
            "pricing_page_view",
        )
    )
    return pd.concat(parts, ignore_index=True)
