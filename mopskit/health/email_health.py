"""Email health: delivery, bounce and unsubscribe rates of every send, and the sends that stand out.

Rates follow the kit's metric catalog (``mopskit.metrics.EMAIL_RATES``): delivered = sent - bounced, bounce
rate = bounced / sent, unsubscribe rate = unsubscribes / delivered. A send is an outlier when its rate is far
above the company's own sends (robust z-score over the median and the median absolute deviation above the
threshold, and above the median by more than chance allows for its size: a one-sided binomial test at 0.1%),
or above an alarm level whatever the others do. Sends with fewer than ``min_sends`` emails are not judged.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..i18n import _
from ..metrics.email import EMAIL_RATES
from ._findings import Context, Finding, share

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["JUDGED_RATES", "campaign_table", "check", "robust_z"]

JUDGED_RATES = {"bounce_rate": "bounced", "unsubscribe_rate": "unsubscribes"}
_Z_CHANCE = 3.09  # one-sided 0.1%


def robust_z(values: pd.Series) -> pd.Series:
    """Modified z-scores: 0.6745 (x - median) / MAD; 0 everywhere when the MAD is 0 (no spread to judge by).

    >>> import pandas as pd
    >>> robust_z(pd.Series([1.0, 1.1, 0.9, 1.0, 5.0])).round(1).tolist()
    [0.0, 0.7, -0.7, 0.0, 27.0]
    """
    median = values.median()
    mad = (values - median).abs().median()
    if not mad or math.isnan(mad):
        return values * 0.0
    return 0.6745 * (values - median) / mad


def campaign_table(ctx: Context) -> pd.DataFrame:
    """One row per send (system and campaign): counts, rates in percent, and the first event's day."""
    # totals in one pass; distinct recipients as DISTINCT (send, type, person) triples in a second, which DuckDB
    # runs about twice as fast as count(DISTINCT ...) FILTER per type (see benchmarks/README.md)
    frame = ctx.con.execute(
        """WITH totals AS (
                SELECT system, campaign_id,
                       count(*) FILTER (WHERE event_type = 'sent') AS sent,
                       count(*) FILTER (WHERE event_type = 'bounced') AS bounced,
                       CAST(min(occurred_at) AS DATE) AS first_day
                FROM email_events WHERE event_type IS NOT NULL GROUP BY ALL),
            uniques AS (
                SELECT system, campaign_id,
                       count(*) FILTER (WHERE event_type = 'opened') AS unique_opens,
                       count(*) FILTER (WHERE event_type = 'clicked') AS unique_clicks,
                       count(*) FILTER (WHERE event_type = 'unsubscribed') AS unsubscribes
                FROM (SELECT DISTINCT system, campaign_id, event_type, person FROM email_events
                      WHERE event_type IN ('opened', 'clicked', 'unsubscribed') AND person IS NOT NULL)
                GROUP BY ALL)
            SELECT system, campaign_id, sent, bounced, coalesce(unique_opens, 0) AS unique_opens,
                   coalesce(unique_clicks, 0) AS unique_clicks, coalesce(unsubscribes, 0) AS unsubscribes, first_day
            FROM totals LEFT JOIN uniques USING (system, campaign_id)
            ORDER BY first_day, system, campaign_id"""
    ).df()
    frame["delivered"] = (frame["sent"] - frame["bounced"]).clip(lower=0)
    for name, (num, den) in EMAIL_RATES.items():
        frame[name] = (100.0 * frame[num] / frame[den].where(frame[den] > 0)).round(2)
    return frame


def _flag(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    judged = table[table["sent"] >= ctx.settings.min_sends].copy()
    flags: dict[object, list[str]] = {i: [] for i in judged.index}
    for rate, count in JUDGED_RATES.items():
        base = "sent" if rate == "bounce_rate" else "delivered"
        values = judged[rate].astype(float)
        median = float(values.median()) if len(values) else float("nan")
        z = robust_z(values) if len(values) >= 5 else values * 0.0
        p0 = max(median, 0.0) / 100.0
        spread = (judged[base] * p0 * (1 - p0)).pow(0.5).where(lambda s: s > 0)
        beyond_chance = ((judged[count] - judged[base] * p0) / spread).fillna(0) > _Z_CHANCE
        alarm = ctx.settings.bounce_alarm_pct if rate == "bounce_rate" else ctx.settings.unsubscribe_alarm_pct
        outlier = ((z > ctx.settings.outlier_z) & beyond_chance) | (values >= alarm)
        label = _("bounce rate") if rate == "bounce_rate" else _("unsubscribe rate")
        for index in judged.index[outlier]:
            flags[index].append(f"{label} {values[index]:.1f}% (median {median:.1f}%)")
    judged["flags"] = ["; ".join(flags[i]) for i in judged.index]
    return judged


def check(ctx: Context) -> list[Finding]:
    """Compute every send's rates, flag the outliers, and score the part: the share of sends that are fine."""
    table = campaign_table(ctx)
    ctx.tables["email_by_campaign"] = table
    if table.empty or not (table["sent"] > 0).any():
        ctx.score("email", float("nan"), _("no email sends in the exports"))
        return []
    judged = _flag(table, ctx)
    keys = ["system", "campaign_id"]
    flags = dict(zip(zip(judged["system"], judged["campaign_id"], strict=True), judged["flags"], strict=True))
    table["flags"] = [flags.get(key, "") for key in zip(table["system"], table["campaign_id"], strict=True)]
    ctx.tables["email_by_campaign"] = table
    flagged = judged[judged["flags"] != ""]
    ctx.score(
        "email",
        share(len(judged) - len(flagged), len(judged)),
        _("{good} of {total} sends of {min}+ emails have normal bounce and unsubscribe rates").format(
            good=len(judged) - len(flagged), total=len(judged), min=ctx.settings.min_sends
        ),
    )
    if flagged.empty:
        return []
    ctx.con.register("flagged_sends", flagged[keys])
    sql = """SELECT e.system, e.file, e.row, e.campaign_id, e.event_type, e.email, e.contact_id, e.occurred_at
              FROM email_events e JOIN flagged_sends f USING (system, campaign_id)
              WHERE e.event_type IN ('bounced', 'unsubscribed')"""
    rows, _head, csv = ctx.affected("email_outliers", sql)
    ctx.con.unregister("flagged_sends")
    evidence = flagged[[*keys, "first_day", "sent", "delivered", "bounce_rate", "unsubscribe_rate", "flags"]]
    worst_bounce = float(flagged["bounce_rate"].max())
    worst_unsub = float(flagged["unsubscribe_rate"].max())
    severe = worst_bounce >= 5.0 or worst_unsub >= 1.0
    return [
        Finding(
            "email_outliers",
            "email",
            _("Sends with unusual bounce or unsubscribe rates"),
            "high" if severe else "medium",
            len(flagged),
            _("sends"),
            _("{n} of {total} sends stand out: {names}. Their bounced and unsubscribe events are in the CSV.").format(
                n=len(flagged),
                total=len(judged),
                names="; ".join(f"{r.campaign_id} ({r.flags})" for r in flagged.itertuples())[:600],
            ),
            _(
                "A high bounce rate means a list that is old, bought or badly imported: stop sending to it and "
                "clean it (remove hard bounces, re-confirm old addresses). A high unsubscribe rate means the "
                "audience did not expect that email: check who it went to and why."
            ),
            evidence.reset_index(drop=True),
            rows,
            csv,
            out_of=len(judged),
        )
    ]
