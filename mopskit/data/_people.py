"""The generator's people: contacts (who they are, how far they got, who worked them) and the sales team.

The story the data tells, on purpose:

- The newsletter list existed before the sample year: contacts created before 1 November 2025 are subscribers,
  and a few of them wake up and become MQLs during the year. Everyone else arrives during the year.
- Fit drives the funnel: senior people at mid-sized software and finance companies become MQLs and are accepted
  by sales more often; students and one-person companies rarely are (sales recycles or disqualifies them).
- Routing follows ``content/lead_routing.yaml`` (named accounts, then territory round robin, then the queue),
  except that Tom Baker, who left on 31 July 2026, stayed in the round robin until the end of September: his
  leads from August and September were never touched.
- Sales touches most MQLs within a few business hours of the owner's time zone; Sara Lind is slow, leads from
  events (badge scans uploaded after the show) wait days, the fallback queue is a black hole, and some MQLs are
  never touched at all. Some leads sit in "working" for months.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..content import load_yaml

__all__ = ["contacts_table", "sales_team_table"]

BASE_START = pd.Timestamp("2024-05-01")  # the newsletter list's first sign-ups
SENIORITY = {"entry": 0.36, "manager": 0.33, "director": 0.17, "vp": 0.09, "c_level": 0.05}
FUNCTIONS = {"Marketing": 0.4, "Sales": 0.2, "Operations": 0.15, "IT": 0.15, "Finance": 0.1}
CHIEFS = {"Marketing": "CMO", "Sales": "CRO", "Operations": "COO", "IT": "CTO", "Finance": "CFO"}
# company size bands: (fewest, most employees) and share of contacts
COMPANY_SIZE = {
    (1, 10): 0.13,
    (11, 50): 0.22,
    (51, 200): 0.26,
    (201, 1000): 0.2,
    (1001, 5000): 0.12,
    (5001, 40000): 0.07,
}
INDUSTRY = {
    "software": 0.24,
    "financial_services": 0.14,
    "healthcare": 0.11,
    "manufacturing": 0.12,
    "retail": 0.1,
    "education": 0.09,
    "public_sector": 0.06,
    "other": 0.14,
}
COUNTRIES = {
    "US": 0.26,
    "GB": 0.12,
    "DE": 0.12,
    "RO": 0.1,
    "FR": 0.08,
    "NL": 0.06,
    "TH": 0.06,
    "TW": 0.06,
    "ES": 0.05,
    "PL": 0.05,
    "IN": 0.025,
    "BR": 0.015,
}
_FIRST = ["ana", "mihai", "sara", "tom", "lina", "wei", "niran", "ioana", "paul", "mei"]
_LAST = ["pop", "smith", "chen", "ionescu", "muller", "garcia", "wong", "suzuki", "novak"]
_DOMAINS = ["example.com", "example.org", "acme.test", "globex.test", "initech.test"]
_COMPANY_A = ["Alder", "Birch", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kestrel"]
_COMPANY_A += ["Lumen", "Maple", "Nimbus", "Orchid", "Pioneer", "Quartz", "Rowan", "Summit", "Tidal", "Umber", "Vale"]
_COMPANY_B = ["Labs", "Systems", "Health", "Retail", "Logistics", "Bank", "Foods", "Works", "Media", "Energy", "Group"]
# Touch delays, in business hours of the owner's clock: median per owner (log-normal around it).
TOUCH_MEDIAN_HOURS = {"Sara Lind": 12.0, "Lead queue": 40.0, "Nadia Haddad": 4.0, "Luis Romero": 4.0}
TOUCH_MEDIAN_DEFAULT = 2.0
EVENTS_DELAY_FACTOR = 8.0  # badge scans are uploaded days after the show
NEVER_TOUCHED = {"default": 0.04, "Lead queue": 0.25}
# A rep who left but whom the routing kept feeding: in the round robin until this day.
ROTATION_UNTIL = {"Tom Baker": pd.Timestamp("2026-10-01")}
# How well each attribute fits the company's market (points; the simulated truth, which the sample company's
# scoring model in content/lead_scoring.yaml estimates with its own numbers).
TRUE_FIT = {
    "seniority": {"c_level": 20, "vp": 20, "director": 15, "manager": 10, "entry": 0},
    "industry": {
        "software": 10,
        "financial_services": 10,
        "healthcare": 5,
        "manufacturing": 5,
        "retail": 5,
        "education": -5,
        "public_sector": 0,
        "other": 0,
    },
}
TRUE_FIT_SIZE = {10: -10, 50: 0, 200: 10, 1000: 15, 5000: 15}  # up to N employees: points; more than 5000: 10
MQL_TRIGGERS = {"demo_request": 0.45, "webinar_attended": 0.25, "content_download": 0.3}
DISQUALIFY_REASONS = {"competitor": 0.15, "invalid_contact": 0.3, "not_a_fit": 0.55}
RECYCLE_REASONS = {"no_response": 0.5, "not_ready": 0.3, "no_budget": 0.2}
SQL_RECYCLE_REASONS = {"not_ready": 0.5, "no_budget": 0.5}  # an SQL that answered, but not now


def _pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    weights = np.array(list(table.values()), dtype="float64")
    return rng.choice(np.array(list(table)), size=n, p=weights / weights.sum())


def _employees(rng: np.random.Generator, n: int) -> np.ndarray:
    """Company sizes: a band by its share, then a number spread evenly on a log scale within it."""
    bands = list(COMPANY_SIZE)
    weights = np.array(list(COMPANY_SIZE.values()))
    band = rng.choice(len(bands), size=n, p=weights / weights.sum())
    low = np.log(np.array([b[0] for b in bands], dtype="float64"))[band]
    high = np.log(np.array([b[1] for b in bands], dtype="float64") + 1)[band]
    return np.floor(np.exp(low + rng.random(n) * (high - low))).astype(np.int64)


def sales_team_table() -> pd.DataFrame:
    """The sales team as the ``sales_team`` table: one row per owner leads can be routed to."""
    company = load_yaml("sample_company")
    rows = []
    for rep in company["sales_team"]:
        left = rep.get("left_on")
        rows.append(
            {
                "owner": rep["owner"],
                "role": rep["role"],
                "territory": rep["territory"],
                "time_zone": rep["time_zone"],
                "started_on": str(rep["started_on"]),
                "left_on": "" if left is None else str(left),
                "active": left is None,
            }
        )
    return pd.DataFrame(rows)


def _companies(rng: np.random.Generator, n: int) -> np.ndarray:
    """Company names: a pool of about one company per six contacts, plus the named accounts of the routing rules."""
    named = [str(name) for rule in _routing()["rules"] if rule["kind"] == "named_account" for name in rule["accounts"]]
    pool_size = max(40, n // 6)
    a = np.array(_COMPANY_A)[np.arange(pool_size) % len(_COMPANY_A)]
    b = np.array(_COMPANY_B)[(np.arange(pool_size) // len(_COMPANY_A)) % len(_COMPANY_B)]
    rounds = np.arange(pool_size) // (len(_COMPANY_A) * len(_COMPANY_B))
    pool = np.char.add(np.char.add(a, " "), b).astype(object)
    pool = np.where(rounds > 0, pool + " " + (rounds + 1).astype(str).astype(object), pool)
    names = pool[rng.integers(0, pool_size, size=n)]
    at_named = rng.random(n) < 0.03
    names[at_named] = np.array(named, dtype=object)[rng.integers(0, len(named), size=int(at_named.sum()))]
    return names


def _routing() -> dict[str, Any]:
    return dict(load_yaml("lead_routing"))


def _titles(rng: np.random.Generator, seniority: np.ndarray) -> np.ndarray:
    function = _pick(rng, FUNCTIONS, len(seniority)).astype(object)
    titles = np.select(
        [seniority == "entry", seniority == "manager", seniority == "director", seniority == "vp"],
        [function + " Specialist", function + " Manager", "Director of " + function, "VP " + function],
        default=pd.Series(function).map(CHIEFS).to_numpy(),
    ).astype(object)
    coordinators = (seniority == "entry") & (rng.random(len(seniority)) < 0.4)
    titles[coordinators] = function[coordinators] + " Coordinator"
    students = (seniority == "entry") & (rng.random(len(seniority)) < 0.12)
    titles[students] = "Student"
    return titles


def _fit_quality(frame: pd.DataFrame) -> np.ndarray:
    """How good a fit each contact really is, 0..1.

    The truth of the simulated market, which a scoring model (``content/lead_scoring.yaml``) can only estimate.
    """
    points = frame["seniority"].map(TRUE_FIT["seniority"]).fillna(0).to_numpy(dtype="float64")
    points += frame["industry"].map(TRUE_FIT["industry"]).fillna(0).to_numpy(dtype="float64")
    employees = frame["employees"].to_numpy(dtype="float64")
    points += np.select([employees <= high for high in TRUE_FIT_SIZE], list(TRUE_FIT_SIZE.values()), 10.0)
    quality = np.clip((points + 15) / 65, 0, 1)
    return np.where(frame["job_title"].to_numpy() == "Student", 0.0, quality)


def _route(frame: pd.DataFrame, team: pd.DataFrame) -> np.ndarray:
    """The owner each MQL was routed to, as the CRM did it (with the planted routing mistake)."""
    rules = {rule["kind"]: rule for rule in _routing()["rules"]}
    owner = np.full(len(frame), "", dtype=object)
    mql = frame["mql_at"].notna().to_numpy()
    accounts = {k.casefold(): v for k, v in rules["named_account"]["accounts"].items()}
    named = frame["company"].str.casefold().map(accounts).to_numpy(dtype=object)
    has_named = mql & pd.notna(named)
    owner[has_named] = named[has_named]
    territory_of = {c: t for t, countries in rules["territory"]["territories"].items() for c in countries}
    territory = frame["country"].map(territory_of).to_numpy(dtype=object)
    reps = team[team["role"] == rules["territory"]["role"]]
    for name, group in reps.groupby("territory"):
        rows = np.flatnonzero(mql & ~has_named & (territory == name))
        order = rows[np.lexsort((frame["contact_id"].to_numpy()[rows], frame["mql_at"].to_numpy()[rows]))]
        when = frame["mql_at"].to_numpy()[order]
        starts = pd.to_datetime(group["started_on"]).to_numpy()
        ends = np.array(
            [
                ROTATION_UNTIL.get(o, pd.Timestamp(left) if left else pd.Timestamp.max)
                for o, left in zip(group["owner"], group["left_on"], strict=True)
            ],
            dtype="datetime64[ns]",
        )
        names = group["owner"].to_numpy(dtype=object)
        edges = np.unique(np.concatenate([starts, ends]))
        epoch = np.searchsorted(edges, when, side="right")
        for e in np.unique(epoch):
            picked = order[epoch == e]
            moment = when[epoch == e][0]
            roster = np.sort(names[(starts <= moment) & (ends > moment)])
            if len(roster):
                owner[picked] = roster[np.arange(len(picked)) % len(roster)]
    queue = rules["fallback"]["queue"]
    owner[mql & (owner == "")] = queue
    return owner


def contacts_table(
    rng: np.random.Generator,
    *,
    n_new: int,
    n_base: int,
    start: pd.Timestamp,
    end: pd.Timestamp,
    channels: dict[str, tuple[float, int, float]],
    season: np.ndarray,
) -> pd.DataFrame:
    """Generate the contacts, with timestamps as datetime64 (UTC) and consent as given at sign-up.

    Args:
        rng: the random stream.
        n_new: contacts created during the sample year.
        n_base: newsletter subscribers created before it.
        start: first day of the sample year.
        end: last day of the sample year.
        channels: per source channel, (share of new contacts, campaign budget, MQL rate).
        season: seasonality of sign-ups, January to December.

    """
    n = n_new + n_base
    days = pd.date_range(start, end, freq="D")
    weights = season[days.month - 1] * np.where(days.day_of_week < 5, 1.0, 0.35)
    created_new = days[rng.choice(len(days), size=n_new, p=weights / weights.sum())]
    base_days = pd.date_range(BASE_START, start - pd.Timedelta(days=1), freq="D")
    created_base = base_days[rng.integers(0, len(base_days), size=n_base)]
    created = created_new.append(created_base) + pd.to_timedelta(rng.integers(7 * 3600, 20 * 3600, size=n), unit="s")
    is_base = np.r_[np.zeros(n_new, dtype=bool), np.ones(n_base, dtype=bool)]
    order = np.argsort(created.to_numpy(), kind="stable")
    created, is_base = pd.DatetimeIndex(created.to_numpy()[order]), is_base[order]
    sources = list(channels)
    shares = np.array([channels[c][0] for c in sources])
    source = rng.choice(sources, size=n, p=shares / shares.sum())
    source = np.where(is_base & ~np.isin(source, ["content", "seo", "email", "webinar"]), "content", source)
    seniority = _pick(rng, SENIORITY, n)
    frame = pd.DataFrame({"seniority": seniority, "job_title": _titles(rng, seniority)})
    frame["company"] = _companies(rng, n)
    frame["employees"] = _employees(rng, n)
    frame["industry"] = _pick(rng, INDUSTRY, n)
    students = frame["job_title"] == "Student"
    frame.loc[students, "industry"] = "education"
    frame.loc[students, "employees"] = rng.integers(1, 11, size=int(students.sum()))
    quality = _fit_quality(frame)
    country = _pick(rng, COUNTRIES, n)

    is_lead = ~is_base & (rng.random(n) < 0.82)
    mql_rate = np.array([channels[c][2] for c in source]) * (0.4 + 1.2 * quality)
    mql = np.where(is_base, rng.random(n) < 0.06 * (0.4 + 1.2 * quality), is_lead & (rng.random(n) < mql_rate / 0.82))
    hours = pd.to_timedelta(rng.integers(24, 30 * 24, size=n), unit="h") + pd.to_timedelta(
        rng.integers(0, 3600, size=n), unit="s"
    )
    woke = start + pd.to_timedelta(rng.integers(0, (end - start).days * 86_400, size=n), unit="s")
    mql_at = pd.Series(np.where(is_base, woke, created + hours)).where(mql)
    mql_at = mql_at.where(mql_at <= end)

    frame = pd.DataFrame(
        {
            "contact_id": [f"C-{i:06d}" for i in range(1, n + 1)],
            "email": [
                f"{f}.{s}{i}@{d}"
                for f, s, i, d in zip(
                    rng.choice(_FIRST, size=n),
                    rng.choice(_LAST, size=n),
                    range(1, n + 1),
                    rng.choice(_DOMAINS, size=n),
                    strict=True,
                )
            ],
            "created_at": created,
            "source_channel": source,
            "country": country,
            "mql_at": mql_at,
            **{c: frame[c].to_numpy() for c in ("job_title", "seniority", "company", "employees", "industry")},
        }
    )
    team = sales_team_table()
    frame["owner"] = _route(frame, team)
    _work_the_leads(rng, frame, quality, team, end)
    stage = np.select(
        [frame[c].notna() for c in ("customer_at", "opportunity_at", "sql_at", "mql_at")] + [pd.Series(is_lead)],
        ["customer", "opportunity", "sql", "mql", "lead"],
        "subscriber",
    )
    frame["lifecycle_stage"] = stage
    won = frame["customer_at"].notna()
    frame["deal_amount"] = np.where(won, np.round(rng.lognormal(np.log(14_000), 0.6, size=n), -2), np.nan)
    not_given = rng.random(n) < np.where(source == "events", 0.35, 0.03)
    frame["consent"] = np.where(not_given, "not_given", "opted_in")
    frame["consent_at"] = pd.Series(created).where(~not_given)
    columns = ["contact_id", "email", "created_at", "source_channel", "country", "lifecycle_stage", "mql_at"]
    columns += ["sql_at", "opportunity_at", "customer_at", "deal_amount", "owner", "job_title", "seniority"]
    columns += ["company", "employees", "industry", "routed_at", "first_sales_touch_at", "lead_status"]
    columns += ["status_reason", "status_at", "consent", "consent_at"]
    return frame[[*columns, "mql_trigger"]]  # the trigger drives the behaviour log; it is not a contacts column


def _work_the_leads(
    rng: np.random.Generator, frame: pd.DataFrame, quality: np.ndarray, team: pd.DataFrame, end: pd.Timestamp
) -> None:
    """Routing time, first touch, the sales outcome and the later milestones of every MQL (in place)."""
    from .._hours import add_business_hours

    n = len(frame)
    mql = frame["mql_at"].notna().to_numpy()
    owner = frame["owner"].to_numpy(dtype=object)
    frame["routed_at"] = (frame["mql_at"] + pd.to_timedelta(rng.integers(60, 900, size=n), unit="s")).where(mql)
    median = pd.Series(owner).map(TOUCH_MEDIAN_HOURS).fillna(TOUCH_MEDIAN_DEFAULT).to_numpy(dtype="float64")
    median = median * np.where(frame["source_channel"].to_numpy() == "events", EVENTS_DELAY_FACTOR, 1.0)
    delay = median * rng.lognormal(0.0, 0.8, size=n)
    zones = pd.Series(owner).map(dict(zip(team["owner"], team["time_zone"], strict=True))).fillna("UTC")
    touch = add_business_hours(frame["routed_at"].fillna(frame["created_at"]), delay, time_zone=zones)
    left = pd.Series(owner).map(dict(zip(team["owner"], team["left_on"], strict=True))).replace("", None)
    gone = pd.to_datetime(left).to_numpy() <= frame["mql_at"].to_numpy()
    skip = pd.Series(owner).map(NEVER_TOUCHED).fillna(NEVER_TOUCHED["default"]).to_numpy(dtype="float64")
    touched = mql & ~gone & (rng.random(n) >= skip) & (touch <= end).to_numpy()
    frame["first_sales_touch_at"] = touch.where(touched)

    # what made each MQL qualify (its last activity): a demo request is a hand raised, and sales accepts those far
    # more often; a download or a webinar less; fit decides most of it
    trigger = _pick(rng, MQL_TRIGGERS, n)
    frame["mql_trigger"] = np.where(mql, trigger, "")
    lift = np.where(trigger == "demo_request", 1.35, 0.8)
    accepted = touched & (rng.random(n) < np.clip((0.03 + 0.8 * quality**1.5) * lift, 0, 0.95))
    sql_at = frame["first_sales_touch_at"] + pd.to_timedelta(rng.integers(1 * 24, 14 * 24, size=n), unit="h")
    opp = accepted & (rng.random(n) < 0.55)
    opp_at = sql_at + pd.to_timedelta(rng.integers(3 * 24, 30 * 24, size=n), unit="h")
    won = opp & (rng.random(n) < 0.36)
    won_at = opp_at + pd.to_timedelta(rng.integers(14 * 24, 75 * 24, size=n), unit="h")
    frame["sql_at"] = sql_at.where(accepted & (sql_at <= end))
    frame["opportunity_at"] = opp_at.where(frame["sql_at"].notna() & opp & (opp_at <= end))
    frame["customer_at"] = won_at.where(frame["opportunity_at"].notna() & won & (won_at <= end))

    # touched MQLs sales did not accept: most are decided within three weeks (ruled out or sent back to
    # nurture), some stay "working" with nobody deciding; SQLs that go no further are mostly closed the same way
    decided_at = frame["first_sales_touch_at"] + pd.to_timedelta(rng.integers(24, 21 * 24, size=n), unit="h")
    sql_done_at = frame["sql_at"] + pd.to_timedelta(rng.integers(7 * 24, 45 * 24, size=n), unit="h")
    is_sql = frame["sql_at"].notna().to_numpy()
    went_on = frame["opportunity_at"].notna().to_numpy()
    decided_at = decided_at.where(~is_sql, sql_done_at)
    draw = rng.random(n)
    disqualify = draw < np.where(is_sql, 0.3, 0.15 + 0.3 * (1 - quality))
    recycle = ~disqualify & (draw < np.where(is_sql, 0.75, 0.85))
    open_ = touched & ~went_on
    decided = open_ & (disqualify | recycle) & (decided_at <= end).to_numpy()
    status = np.select(
        [~mql, ~touched, decided & disqualify, decided & recycle, is_sql],
        ["nurture", "new", "disqualified", "recycled", "converted"],
        "working",
    )
    frame["lead_status"] = status
    students = frame["job_title"].to_numpy() == "Student"
    tiny = frame["employees"].to_numpy() <= 10
    reason = np.where(
        status == "disqualified",
        np.where(students, "student", np.where(tiny, "too_small", _pick(rng, DISQUALIFY_REASONS, n))),
        np.where(
            status == "recycled",
            np.where(is_sql, _pick(rng, SQL_RECYCLE_REASONS, n), _pick(rng, RECYCLE_REASONS, n)),
            "",
        ),
    )
    frame["status_reason"] = reason
    frame["status_at"] = pd.Series(
        np.select(
            [
                status == "converted",
                status == "new",
                np.isin(status, ["disqualified", "recycled"]),
                status == "working",
            ],
            [
                c.to_numpy(dtype="datetime64[ns]")
                for c in (frame["sql_at"], frame["routed_at"], decided_at, frame["first_sales_touch_at"])
            ],
            np.datetime64("NaT"),
        )
    )
