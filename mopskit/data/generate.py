"""A deterministic generator for the sample datasets: ``mopskit data generate --seed N --scale S``.

Scale 1 with the default seed writes exactly the CSVs in ``datasets/`` (a test regenerates and compares).
``scale`` multiplies the event tables (email_events, touchpoints) and is written chunk by chunk, so memory
stays bounded however large the output (see ``benchmarks/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..content import load_table, load_yaml, source_title

__all__ = ["DEFAULT_SEED", "generate"]

DEFAULT_SEED = 2026
START, END = pd.Timestamp("2025-11-01"), pd.Timestamp("2026-10-31")
PAID = ["email", "paid_search", "paid_social", "webinar", "events", "content", "seo", "direct_mail"]
SOURCES = [*PAID, "referral", "direct"]
# share of new contacts, typical campaign budget (USD), and how well each source converts to MQL
CHANNEL = {
    "email": (0.10, 4_000, 0.30),
    "paid_search": (0.20, 15_000, 0.22),
    "paid_social": (0.16, 12_000, 0.14),
    "webinar": (0.09, 6_000, 0.45),
    "events": (0.06, 30_000, 0.38),
    "content": (0.12, 5_000, 0.20),
    "seo": (0.14, 3_000, 0.18),
    "direct_mail": (0.03, 9_000, 0.25),
    "referral": (0.05, 0, 0.55),
    "direct": (0.05, 0, 0.20),
}
# campaigns launched per month on average, before seasonality
PER_MONTH = {
    "email": 3.0,
    "paid_search": 1.2,
    "paid_social": 1.2,
    "webinar": 0.6,
    "events": 0.3,
    "content": 1.0,
    "seo": 0.5,
    "direct_mail": 0.25,
}
# monthly seasonality Jan..Dec: quiet summer and December, busy spring and autumn
SEASON = np.array([1.0, 1.1, 1.2, 1.15, 1.05, 0.85, 0.7, 0.75, 1.15, 1.25, 1.2, 0.65])
COUNTRIES = ["US", "GB", "DE", "RO", "FR", "NL", "TH", "TW", "ES", "PL"]
CONTACTS_AT_SCALE_1 = 2_400
CHUNK = 250_000


def _owners() -> list[str]:
    return list(load_yaml("sample_company")["owners"])


def _iso(ts: pd.Series | pd.DatetimeIndex, fmt: str = "%Y-%m-%dT%H:%M:%S") -> pd.Series:
    return pd.Series(pd.DatetimeIndex(ts).strftime(fmt)).where(pd.notna(pd.Series(ts).to_numpy()), "")


def _write(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, lineterminator="\n", float_format="%.2f")
    return path


def _campaigns(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    months = pd.date_range(START, END, freq="MS")
    number = 0
    for month in months:
        for channel in PAID:
            for _ in range(rng.poisson(PER_MONTH[channel] * SEASON[month.month - 1])):
                number += 1
                rows.append(_campaign(rng, number, month, channel))
    return pd.DataFrame(rows)


def _campaign(rng: np.random.Generator, number: int, month: pd.Timestamp, channel: str) -> dict[str, Any]:
    start = month + pd.Timedelta(days=int(rng.integers(0, 10)))
    end = start + pd.Timedelta(days=int(rng.integers(1, 6) * 7 - 1))
    budget = round(CHANNEL[channel][1] * rng.uniform(0.6, 1.5) / 100) * 100
    spend = round(
        budget
        * rng.choice([rng.uniform(0.7, 0.95), rng.uniform(0.95, 1.05), rng.uniform(1.05, 1.35)], p=[0.3, 0.45, 0.25]),
        2,
    )
    objective = rng.choice(["awareness", "leads", "pipeline", "retention"], p=[0.2, 0.45, 0.25, 0.1])
    name = f"{month:%b %Y} {channel.replace('_', ' ')} {objective}"
    return {
        "campaign_id": f"CMP-{number:04d}",
        "name": name.capitalize(),
        "channel": channel,
        "objective": objective,
        "start_date": f"{start:%Y-%m-%d}",
        "end_date": f"{min(end, END):%Y-%m-%d}",
        "budget": float(budget),
        "spend": spend,
        "owner": _owners()[int(rng.integers(0, 4))],
    }


def _contacts(rng: np.random.Generator, n: int) -> pd.DataFrame:
    days = (END - START).days + 1
    day_index = pd.date_range(START, END, freq="D")
    weights = SEASON[day_index.month - 1] * np.where(day_index.day_of_week < 5, 1.0, 0.35)
    created = day_index[rng.choice(days, size=n, p=weights / weights.sum())]
    created = created + pd.to_timedelta(rng.integers(7 * 3600, 20 * 3600, size=n), unit="s")
    order = np.argsort(created.values, kind="stable")
    created = created[order]
    shares = np.array([CHANNEL[c][0] for c in SOURCES])
    source = rng.choice(SOURCES, size=n, p=shares / shares.sum())
    mql_rate = np.array([CHANNEL[c][2] for c in source])
    # funnel: lead -> MQL (by channel), MQL -> SQL 38%, SQL -> opportunity 55%, opportunity -> customer 27%
    is_lead = rng.random(n) < 0.82
    mql = is_lead & (rng.random(n) < mql_rate / 0.82)
    sql = mql & (rng.random(n) < 0.38)
    opp = sql & (rng.random(n) < 0.55)
    won = opp & (rng.random(n) < 0.27)

    def after(base: pd.DatetimeIndex, mask: np.ndarray, lo: int, hi: int) -> pd.DatetimeIndex:
        gap = pd.to_timedelta(rng.integers(lo * 24, hi * 24, size=n), unit="h")
        return pd.DatetimeIndex(np.where(mask, base + gap, pd.NaT))

    mql_at = after(created, mql, 1, 30)
    sql_at = after(mql_at, sql, 2, 21)
    opp_at = after(sql_at, opp, 3, 30)
    won_at = after(opp_at, won, 14, 90)
    # milestones that would land after the data's end have not happened yet
    for later, mask in ((won_at, won), (opp_at, opp), (sql_at, sql), (mql_at, mql)):
        mask &= ~(later > END)
    mql_at, sql_at = mql_at.where(mql), sql_at.where(sql & mql)
    opp_at, won_at = opp_at.where(opp & sql & mql), won_at.where(won & opp & sql & mql)
    stage = np.select(
        [won_at.notna(), opp_at.notna(), sql_at.notna(), mql_at.notna(), is_lead],
        ["customer", "opportunity", "sql", "mql", "lead"],
        "subscriber",
    )
    deal = np.where(won_at.notna(), np.round(rng.lognormal(np.log(14_000), 0.6, size=n), -2), np.nan)
    first = rng.choice(["ana", "mihai", "sara", "tom", "lina", "wei", "niran", "ioana", "paul", "mei"], size=n)
    last = rng.choice(["pop", "smith", "chen", "ionescu", "muller", "garcia", "wong", "suzuki", "novak"], size=n)
    domain = rng.choice(["example.com", "example.org", "acme.test", "globex.test", "initech.test"], size=n)
    ids = np.arange(1, n + 1)
    emails = [f"{f}.{s}{i}@{d}" for f, s, i, d in zip(first, last, ids, domain, strict=True)]
    sdr = ["Mihai Ionescu", "Sara Lind", "Tom Baker", "Wei Chen"]
    return pd.DataFrame(
        {
            "contact_id": [f"C-{i:06d}" for i in ids],
            "email": emails,
            "created_at": _iso(created),
            "source_channel": source,
            "country": rng.choice(COUNTRIES, size=n, p=[0.3, 0.12, 0.12, 0.1, 0.08, 0.06, 0.06, 0.06, 0.05, 0.05]),
            "lifecycle_stage": stage,
            "mql_at": _iso(mql_at),
            "sql_at": _iso(sql_at),
            "opportunity_at": _iso(opp_at),
            "customer_at": _iso(won_at),
            "deal_amount": deal,
            "owner": np.where(mql_at.notna(), [sdr[i % 4] for i in range(n)], ""),  # round-robin lead rotation
        }
    )


def _email_event_chunks(
    rng: np.random.Generator, campaigns: pd.DataFrame, contacts: pd.DataFrame, scale: float
) -> Iterator[pd.DataFrame]:
    """Yield email events campaign by campaign, each send split into chunks of bounded size."""
    created = pd.to_datetime(contacts["created_at"]).to_numpy()
    pool_ids = contacts["contact_id"].to_numpy()
    next_event = 1
    for camp in campaigns[campaigns["channel"] == "email"].itertuples():
        send_at = pd.Timestamp(camp.start_date) + pd.Timedelta(hours=9)
        eligible = pool_ids[created < send_at.to_datetime64()]
        audience = int(len(eligible) * rng.uniform(0.3, 0.6) * scale)
        open_rate, click_rate = rng.uniform(0.22, 0.42), rng.uniform(0.08, 0.2)  # clicks as a share of opens
        for start in range(0, audience, CHUNK):
            size = min(CHUNK, audience - start)
            if scale <= 1:
                who = rng.choice(eligible, size=size, replace=False) if size <= len(eligible) else eligible
            else:  # bigger than the contact table: synthetic recipients for benchmarks
                who = np.char.add("C-", (rng.integers(1, 10**8, size=size)).astype("U9"))
            size = len(who)
            delivered = rng.random(size) < rng.uniform(0.95, 0.99)
            opened = delivered & (rng.random(size) < open_rate)
            clicked = opened & (rng.random(size) < click_rate)
            unsub = delivered & (rng.random(size) < 0.004)
            opens_each = np.where(opened, 1 + rng.poisson(0.6, size), 0)
            clicks_each = np.where(clicked, 1 + rng.poisson(0.5, size), 0)
            kinds = [
                ("sent", np.ones(size, dtype=int), 0, 60),
                ("delivered", delivered.astype(int), 1, 120),
                ("bounced", (~delivered).astype(int), 1, 120),
                ("opened", opens_each, 600, 3 * 86_400),
                ("clicked", clicks_each, 900, 3 * 86_400),
                ("unsubscribed", unsub.astype(int), 1_200, 2 * 86_400),
            ]
            parts = []
            for kind, counts, lo, hi in kinds:
                idx = np.repeat(np.arange(size), counts)
                offsets = rng.integers(lo, hi, size=len(idx))
                parts.append(pd.DataFrame({"contact_id": who[idx], "event_type": kind, "offset": offsets}))
            chunk = pd.concat(parts, ignore_index=True).sort_values(["offset", "contact_id"], kind="stable")
            chunk.insert(0, "campaign_id", camp.campaign_id)
            chunk.insert(0, "event_id", [f"EV-{i:09d}" for i in range(next_event, next_event + len(chunk))])
            next_event += len(chunk)
            chunk["occurred_at"] = _iso(send_at + pd.to_timedelta(chunk.pop("offset").to_numpy(), unit="s"))
            yield chunk.reset_index(drop=True)


def _touchpoints(rng: np.random.Generator, contacts: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    created = pd.to_datetime(contacts["created_at"])
    until = pd.to_datetime(contacts["mql_at"]).fillna(created + pd.Timedelta(days=30)).clip(upper=END)
    counts = rng.integers(1, 6, size=len(contacts))
    idx = np.repeat(np.arange(len(contacts)), counts)
    span = (until.to_numpy()[idx] - created.to_numpy()[idx]).astype("timedelta64[s]").astype(np.int64)
    when = created.to_numpy()[idx] + (rng.random(len(idx)) * np.maximum(span, 0)).astype("timedelta64[s]")
    first = np.r_[True, idx[1:] != idx[:-1]]
    channel = np.where(first, contacts["source_channel"].to_numpy()[idx], rng.choice(SOURCES, size=len(idx)))
    when = np.where(first, created.to_numpy()[idx], when)
    frame = pd.DataFrame(
        {"contact_id": contacts["contact_id"].to_numpy()[idx], "occurred_at": when, "channel": channel}
    )
    frame["campaign_id"] = _live_campaign(frame, campaigns)
    frame = frame.sort_values(["occurred_at", "contact_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "touchpoint_id", [f"T-{i:07d}" for i in range(1, len(frame) + 1)])
    frame["occurred_at"] = _iso(frame["occurred_at"])
    return frame


def _live_campaign(frame: pd.DataFrame, campaigns: pd.DataFrame) -> np.ndarray:
    """For each touchpoint, the first campaign of its channel running then (or ending under 14 days before)."""
    channel = campaigns["channel"].to_numpy()
    start = pd.to_datetime(campaigns["start_date"]).to_numpy()
    end = (pd.to_datetime(campaigns["end_date"]) + pd.Timedelta(days=14)).to_numpy()
    ids = campaigns["campaign_id"].to_numpy()
    when, touch_channel = frame["occurred_at"].to_numpy(), frame["channel"].to_numpy()
    found = np.full(len(frame), "", dtype=object)
    for name in np.unique(touch_channel):
        rows, cols = np.flatnonzero(touch_channel == name), np.flatnonzero(channel == name)
        if not len(cols):
            continue
        live = (start[cols][None, :] <= when[rows][:, None]) & (end[cols][None, :] >= when[rows][:, None])
        hit = live.any(axis=1)
        found[rows[hit]] = ids[cols[live.argmax(axis=1)[hit]]]
    return found


def _budget(rng: np.random.Generator, campaigns: pd.DataFrame) -> pd.DataFrame:
    spend = campaigns.assign(month=pd.to_datetime(campaigns["start_date"]).dt.strftime("%Y-%m"))
    actual = spend.groupby(["month", "channel"])["spend"].sum()
    rows = []
    for month in pd.period_range("2026-01", "2026-12", freq="M"):
        for channel in PAID:
            planned = round(CHANNEL[channel][1] * 1.1 * SEASON[month.month - 1] / 100) * 100
            forecast = round(planned * rng.uniform(0.9, 1.15) / 100) * 100
            done = month.to_timestamp() <= END
            value = actual.get((str(month), channel), 0.0) + planned * rng.uniform(0.1, 0.3) if done else np.nan
            rows.append(
                {
                    "month": str(month),
                    "channel": channel,
                    "planned": float(planned),
                    "forecast": float(forecast),
                    "actual": round(value, 2) if done else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _contacts_raw(rng: np.random.Generator, contacts: pd.DataFrame) -> pd.DataFrame:
    raw = contacts.sample(n=min(600, len(contacts)), random_state=np.random.RandomState(rng.integers(2**31)))
    raw = raw.sort_values("contact_id").reset_index(drop=True)
    n = len(raw)
    dup = raw.sample(n=n // 12, random_state=1).copy()
    dup["email"] = [(" " + e.upper()) if i % 2 else e.title() + " " for i, e in enumerate(dup["email"])]
    dup["contact_id"] = [f"C-9{i:05d}" for i in range(1, len(dup) + 1)]
    bad = rng.choice(n, size=n // 15, replace=False)
    raw.loc[bad, "email"] = [
        e.replace("@", " at ") if i % 3 == 0 else e.split("@")[0] if i % 3 == 1 else e + "@"
        for i, e in enumerate(raw.loc[bad, "email"])
    ]
    raw.loc[rng.choice(n, size=n // 8, replace=False), "country"] = ""
    disorder = raw.index[(raw["sql_at"] != "") & (raw["mql_at"] != "")][: max(3, n // 40)]
    raw.loc[disorder, ["mql_at", "sql_at"]] = raw.loc[disorder, ["sql_at", "mql_at"]].to_numpy()
    return pd.concat([raw, dup], ignore_index=True)


# Tables that are content files as they are (table: content file), copied into the sample data unchanged.
COPIED = {
    "practice_stack": "practice_stack",
    "requirements": "selection_email_requirements",
    "vendors": "selection_email_vendors",
    "tool_usage": "selection_email_usage",
    "practice_requirements": "selection_event_requirements",
    "practice_vendors": "selection_event_vendors",
}


def generate(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    out_dir: str | Path = "datasets-out",
    parquet: bool = False,
    progress: bool = False,
) -> list[Path]:
    """Write every sample table as CSV (and the event tables as Parquet with ``parquet=True``).

    Args:
        seed: random seed; the same seed and scale give byte-identical files.
        scale: size of the event tables relative to the bundled data (1 = ``datasets/``; 200 ≈ 10 million
            email events). Written in chunks, so memory stays bounded.
        out_dir: folder for the files (created if needed; files there with the same names are replaced).
        parquet: also write ``email_events.parquet``.
        progress: show a progress bar on the event tables.

    Returns:
        The paths written.

    """
    from ..errors import ParameterError

    if scale <= 0:
        raise ParameterError(f"'scale' must be greater than 0 (got {scale})")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    written = []
    survey = load_table("survey_tasks")
    survey.insert(0, "task_id", range(1, len(survey) + 1))
    survey["source"] = source_title("mops_survey_2020")
    written.append(_write(survey, out / "mops_tasks_survey.csv"))
    campaigns = _campaigns(rng)
    written.append(_write(campaigns, out / "campaigns.csv"))
    contacts = _contacts(rng, CONTACTS_AT_SCALE_1)
    written.append(_write(contacts, out / "contacts.csv"))
    written.append(_write(_contacts_raw(rng, contacts), out / "contacts_raw.csv"))
    written.append(_write(_touchpoints(rng, contacts, campaigns), out / "touchpoints.csv"))
    written.append(_write(_budget(rng, campaigns), out / "budget.csv"))
    written.append(
        _write(load_table("sample_stack").astype({"notice_period_days": "Int64"}), out / "martech_stack.csv")
    )
    for table, name in COPIED.items():  # files as a team keeps them: copied byte for byte
        written.append(out / f"{table}.csv")
        written[-1].write_bytes((resources.files("mopskit.content") / f"{name}.csv").read_bytes())
    written += _write_events(rng, campaigns, contacts, scale, out, parquet=parquet, progress=progress)
    return written


def _write_events(
    rng: np.random.Generator,
    campaigns: pd.DataFrame,
    contacts: pd.DataFrame,
    scale: float,
    out: Path,
    *,
    parquet: bool,
    progress: bool,
) -> list[Path]:
    csv_path = out / "email_events.csv"
    writer: Any = None
    bar = _progress(progress)
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        header = True
        for chunk in _email_event_chunks(rng, campaigns, contacts, scale):
            chunk.to_csv(handle, index=False, header=header, lineterminator="\n")
            header = False
            if parquet:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(chunk, preserve_index=False)
                writer = writer or pq.ParquetWriter(out / "email_events.parquet", table.schema)
                writer.write_table(table)
            bar(len(chunk))
    if writer is not None:
        writer.close()
    bar(None)
    return [csv_path] + ([out / "email_events.parquet"] if parquet else [])


def _progress(enabled: bool) -> Any:
    if not enabled:
        return lambda n: None
    from tqdm.auto import tqdm

    bar = tqdm(unit=" events", desc="email_events")

    def update(n: int | None) -> None:
        if n is None:
            bar.close()
        else:
            bar.update(n)

    return update
