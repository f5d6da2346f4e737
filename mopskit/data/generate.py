"""A deterministic generator for the sample datasets: ``mopskit data generate --seed N --scale S``.

Scale 1 with the default seed writes exactly the CSVs in ``datasets/`` (a test regenerates and compares).
``scale`` multiplies the people (contacts) and so everything they do (email events, behaviour, touchpoints);
the event tables are written chunk by chunk (see ``benchmarks/``). The campaign calendar and the budget are
the same at every scale.

The data tells one coherent story (the tests in ``tests/test_data.py`` hold it to it): a year of campaigns
whose spend stays close to plan except in two channels that overspend and one that underspends; every email
campaign sending in weekly waves to a list that grows through the year, so every month has its sends; contacts
who move through the funnel by how well they fit, routed to a sales team that mostly touches them in time
(see :mod:`mopskit.data._people` and :mod:`mopskit.data._activity` for the planted problems).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..content import load_table, load_yaml, source_title
from ._activity import EmailLog, activity_chunks, email_event_chunks
from ._people import contacts_table, sales_team_table

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
CONTACTS_AT_SCALE_1 = 2_400  # created during the sample year
SUBSCRIBERS_AT_SCALE_1 = 1_200  # the newsletter list that existed before it
CHUNK = 250_000
# Monthly spend outside the campaign list (always-on search ads, agency retainers, tools), per channel.
ALWAYS_ON = {
    "email": 800,
    "paid_search": 6_000,
    "paid_social": 3_000,
    "webinar": 600,
    "events": 1_500,
    "content": 2_500,
    "seo": 2_500,
    "direct_mail": 400,
}
# How a channel's spend compares with its budget: (typical ratio, how much of a campaign's own deviation it
# keeps). Most channels land within a few percent of plan; paid social and events overspend, direct mail
# underspends.
SPEND_HABIT = {"paid_social": (1.10, 0.3), "events": (1.18, 0.3), "direct_mail": (0.86, 0.2)}
ON_PLAN = (1.0, 0.12)
TABLES = (
    "mops_tasks_survey",
    "campaigns",
    "contacts",
    "contacts_raw",
    "touchpoints",
    "budget",
    "martech_stack",
    "practice_stack",
    "requirements",
    "vendors",
    "tool_usage",
    "practice_requirements",
    "practice_vendors",
    "email_events",
    "activities",
    "sales_team",
)


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
    # the campaign's own deviation from budget, kept in part by the channel's spending habit
    deviation = rng.choice(
        [rng.uniform(0.7, 0.95), rng.uniform(0.95, 1.05), rng.uniform(1.05, 1.35)], p=[0.3, 0.45, 0.25]
    )
    typical, kept = SPEND_HABIT.get(channel, ON_PLAN)
    spend = round(budget * (typical + kept * (deviation - 1)), 2)
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


def _touchpoints(rng: np.random.Generator, contacts: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    created = contacts["created_at"]
    until = contacts["mql_at"].fillna(created + pd.Timedelta(days=30)).clip(upper=END)
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
    """For each touch, the first campaign of its channel running then (or ending under 14 days before)."""
    channel = campaigns["channel"].to_numpy()
    start = pd.to_datetime(campaigns["start_date"]).to_numpy()
    end = (pd.to_datetime(campaigns["end_date"]) + pd.Timedelta(days=14)).to_numpy()
    ids = campaigns["campaign_id"].to_numpy()
    when = frame["occurred_at"].to_numpy(dtype="datetime64[ns]")
    touch_channel = np.asarray(frame["channel"].to_numpy(), dtype=object)
    found = np.full(len(frame), "", dtype=object)
    for name in np.unique(touch_channel):
        cols = np.flatnonzero(channel == name)
        if not len(cols):
            continue
        all_rows = np.flatnonzero(touch_channel == name)
        for begin in range(0, len(all_rows), 100_000):  # bounded memory: rows x campaigns at a time
            rows = all_rows[begin : begin + 100_000]
            live = (start[cols][None, :] <= when[rows][:, None]) & (end[cols][None, :] >= when[rows][:, None])
            hit = live.any(axis=1)
            found[rows[hit]] = ids[cols[live.argmax(axis=1)[hit]]]
    return found


def _budget(rng: np.random.Generator, campaigns: pd.DataFrame) -> pd.DataFrame:
    """Plan, forecast and actual per month and channel, consistent with the campaign list.

    The plan is the budgets of the campaigns starting that month plus the channel's always-on spend (for
    months after the data's end, the campaigns a typical month brings); the actual is what those campaigns
    spent plus the always-on spend; the forecast moves part of the way towards the channel's habit.
    """
    month_of = pd.to_datetime(campaigns["start_date"]).dt.strftime("%Y-%m")
    budgets = campaigns.groupby([month_of, campaigns["channel"]])["budget"].sum()
    spent = campaigns.groupby([month_of, campaigns["channel"]])["spend"].sum()
    rows = []
    for month in pd.period_range("2026-01", "2026-12", freq="M"):
        season = SEASON[month.month - 1]
        done = month.to_timestamp() <= END
        for channel in PAID:
            typical, _kept = SPEND_HABIT.get(channel, ON_PLAN)
            always = ALWAYS_ON[channel] * season
            expected = PER_MONTH[channel] * season * CHANNEL[channel][1]
            campaign_plan = budgets.get((str(month), channel), 0.0) if done else expected
            planned = round((campaign_plan + always) / 100) * 100
            forecast = round(planned * (1 + 0.6 * (typical - 1)) * rng.uniform(0.98, 1.03) / 100) * 100
            actual = spent.get((str(month), channel), 0.0) + always * typical * rng.uniform(0.97, 1.03)
            rows.append(
                {
                    "month": str(month),
                    "channel": channel,
                    "planned": float(planned),
                    "forecast": float(forecast),
                    "actual": round(actual, 2) if done else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _as_text(people: pd.DataFrame) -> pd.DataFrame:
    """Contacts as the CSV writes them: moments as ISO text, without the generator's own columns."""
    text = people.drop(columns="mql_trigger")
    for column in DATETIME_COLUMNS:
        text[column] = _iso(people[column]).to_numpy()
    return text


def _contacts_raw(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    picked = people.sample(n=min(600, len(people)), random_state=np.random.RandomState(rng.integers(2**31)))
    raw = _as_text(picked).sort_values("contact_id").reset_index(drop=True)
    n = len(raw)
    dup = raw.sample(n=n // 12, random_state=1).copy()
    dup["email"] = [(" " + e.upper()) if i % 2 else e.title() + " " for i, e in enumerate(dup["email"])]
    dup["contact_id"] = [f"CX-{i:06d}" for i in range(1, len(dup) + 1)]
    bad = rng.choice(n, size=n // 15, replace=False)
    raw.loc[bad, "email"] = [
        e.replace("@", " at ") if i % 3 == 0 else e.split("@")[0] if i % 3 == 1 else e + "@"
        for i, e in enumerate(raw.loc[bad, "email"])
    ]
    raw.loc[rng.choice(n, size=n // 8, replace=False), "country"] = ""
    disorder = raw.index[(raw["sql_at"] != "") & (raw["mql_at"] != "")][: max(3, n // 40)]
    raw.loc[disorder, ["mql_at", "sql_at"]] = raw.loc[disorder, ["sql_at", "mql_at"]].to_numpy()
    skipped = raw.index[(raw["opportunity_at"] != "") & ~raw.index.isin(disorder)][:2]
    raw.loc[skipped, "sql_at"] = ""  # a stage skipped: an opportunity that was never an SQL
    return pd.concat([raw, dup], ignore_index=True)


def _stream(seed: int, part: str) -> np.random.Generator:
    """An independent random stream per table, so leaving a table out (``tables=``) changes no other table."""
    return np.random.default_rng([seed, sum(ord(c) * 31**i for i, c in enumerate(part)) % 2**32])


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
    tables: Sequence[str] | None = None,
) -> list[Path]:
    """Write the sample tables as CSV (and the big ones as Parquet too with ``parquet=True``).

    Args:
        seed: random seed; the same seed and scale give byte-identical files.
        scale: how many people, relative to the bundled data (1 = ``datasets/``, 3,600 contacts). The event
            tables grow with it and are written in chunks.
        out_dir: folder for the files (created if needed; files there with the same names are replaced).
        parquet: also write ``email_events``, ``contacts`` and ``activities`` as Parquet.
        progress: show a progress bar on the event tables.
        tables: write only these tables (default: all); the others are still simulated where the chosen ones
            depend on them (email sends decide consent and clicks), and leaving one out changes no other.

    Returns:
        The paths written.

    """
    from ..errors import ParameterError

    if scale <= 0:
        raise ParameterError(f"'scale' must be greater than 0 (got {scale})")
    wanted = set(TABLES) if tables is None else set(tables)
    unknown = sorted(wanted - set(TABLES))
    if unknown:
        raise ParameterError(f"unknown table(s) {', '.join(unknown)}; valid: {', '.join(TABLES)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sink = _Sink(out, wanted, parquet=parquet)
    survey = load_table("survey_tasks")
    survey.insert(0, "task_id", range(1, len(survey) + 1))
    survey["source"] = source_title("mops_survey_2020")
    sink.table("mops_tasks_survey", survey)
    campaigns = _campaigns(np.random.default_rng(seed))  # the calendar's stream is the seed's own
    sink.table("campaigns", campaigns)
    people = contacts_table(
        _stream(seed, "contacts"),
        n_new=max(1, round(CONTACTS_AT_SCALE_1 * scale)),
        n_base=max(1, round(SUBSCRIBERS_AT_SCALE_1 * scale)),
        start=START,
        end=END,
        channels=CHANNEL,
        season=SEASON,
    )
    log = EmailLog(unsubscribed_at=np.full(len(people), NEVER, dtype="datetime64[ns]"))
    if wanted & {"email_events", "contacts", "contacts_raw", "activities"}:
        events = email_event_chunks(_stream(seed, "email"), campaigns, people, end=END, chunk=CHUNK, log=log)
        sink.chunks("email_events", events, progress=progress)
    gone = log.unsubscribed_at < NEVER
    people.loc[gone, "consent"] = "unsubscribed"
    people.loc[gone, "consent_at"] = log.unsubscribed_at[gone]
    # written a chunk at a time: a million contacts' moments as text would not fit in bounded memory at once
    blocks = (_as_text(people.iloc[begin : begin + CHUNK]) for begin in range(0, len(people), CHUNK))
    sink.chunks("contacts", blocks, progress=False)
    if "contacts_raw" in wanted:
        sink.table("contacts_raw", _contacts_raw(_stream(seed, "contacts_raw"), people))
    if "touchpoints" in wanted:
        sink.table("touchpoints", _touchpoints(_stream(seed, "touchpoints"), people, campaigns))
    sink.table("budget", _budget(_stream(seed, "budget"), campaigns))
    sink.table("martech_stack", load_table("sample_stack").astype({"notice_period_days": "Int64"}))
    for table, name in COPIED.items():  # files as a team keeps them: copied byte for byte
        if table in wanted:
            sink.copy(table, (resources.files("mopskit.content") / f"{name}.csv").read_bytes())
    if "activities" in wanted:
        chunks = activity_chunks(
            _stream(seed, "activities"),
            people,
            log.click_table(),
            end=END,
            chunk=CHUNK,
            live_campaign=lambda frame: _live_campaign(frame, campaigns),
        )
        sink.chunks("activities", chunks, progress=progress)
    sink.table("sales_team", sales_team_table())
    return sink.written


NEVER = np.datetime64("2262-01-01", "ns")  # "not unsubscribed" (a date no event reaches)
BIG_TABLES = ("email_events", "contacts", "activities")
DATETIME_COLUMNS: tuple[str, ...] = ("created_at", "mql_at", "sql_at", "opportunity_at", "customer_at", "routed_at")
DATETIME_COLUMNS += ("first_sales_touch_at", "status_at", "consent_at")


class _Sink:
    """Writes the chosen tables as CSV (and the big ones as Parquet), whole or chunk by chunk."""

    def __init__(self, out: Path, wanted: set[str], *, parquet: bool):
        self.out, self.wanted, self.parquet = out, wanted, parquet
        self.written: list[Path] = []

    def table(self, name: str, frame: pd.DataFrame) -> None:
        if name in self.wanted:
            self.written.append(_write(frame, self.out / f"{name}.csv"))
            if self.parquet and name in BIG_TABLES:
                self._close(self._parquet(name, frame, None), name)

    def copy(self, name: str, content: bytes) -> None:
        path = self.out / f"{name}.csv"
        path.write_bytes(content)
        self.written.append(path)

    def chunks(self, name: str, chunks: Iterator[pd.DataFrame], *, progress: bool) -> None:
        """Write a table that arrives in chunks; the chunks are always consumed (they drive other tables)."""
        if name not in self.wanted:
            for _chunk in chunks:
                pass
            return
        path = self.out / f"{name}.csv"
        writer: Any = None
        bar = _progress(progress, name)
        with path.open("w", newline="", encoding="utf-8") as handle:
            header = True
            for chunk in chunks:
                chunk.to_csv(handle, index=False, header=header, lineterminator="\n", float_format="%.2f")
                header = False
                if self.parquet and len(chunk):  # an empty chunk has no types to give the Parquet schema
                    writer = self._parquet(name, chunk, writer)
                bar(len(chunk))
        bar(None)
        self.written.append(path)
        self._close(writer, name)

    def _parquet(self, name: str, frame: pd.DataFrame, writer: Any) -> Any:
        import pyarrow as pa
        import pyarrow.parquet as pq

        text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        typed = frame.astype(dict.fromkeys(text, "string"))
        typed[text] = typed[text].replace("", pd.NA)  # an empty cell is missing, as the CSV reader reads it
        table = pa.Table.from_pandas(typed, preserve_index=False)
        writer = writer or pq.ParquetWriter(self.out / f"{name}.parquet", table.schema)
        writer.write_table(table)
        return writer

    def _close(self, writer: Any, name: str) -> None:
        if writer is not None:
            writer.close()
            self.written.append(self.out / f"{name}.parquet")


def _progress(enabled: bool, name: str) -> Any:
    if not enabled:
        return lambda n: None
    from tqdm.auto import tqdm

    bar = tqdm(unit=" rows", desc=name)

    def update(n: int | None) -> None:
        if n is None:
            bar.close()
        else:
            bar.update(n)

    return update
