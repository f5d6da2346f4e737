"""The lead functions on files: the same figures as the pandas code, computed by DuckDB without loading the files.

Each function here mirrors one pandas path (scoring, routing, SLA) and is tested to give the same numbers.
The files are scanned with :func:`mopskit.data.engine.scan_sql` (CSV in any of Excel's encodings, Parquet,
a folder of Parquet); the columns are found by the data dictionary's names and aliases.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pandas as pd

from ..errors import DataError
from ..i18n import _
from ._frames import finish, moment, none_for_missing

T = TypeVar("T")
TIMESTAMP_COLUMNS: tuple[str, ...] = ("created_at", "mql_at", "sql_at", "opportunity_at", "customer_at", "routed_at")
TIMESTAMP_COLUMNS += ("first_sales_touch_at", "status_at", "consent_at", "occurred_at", "started_on", "left_on")


def literal(text: object) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def run(paths: Sequence[str | os.PathLike[str]], work: Callable[[Any, list[tuple[str, str]]], T]) -> T:
    """Open a connection, scan each path, and run ``work(con, [(scan_sql, label), ...])``.

    A CSV that turns out not to be UTF-8 past its first 64 KB is read again as latin-1 (Excel's Windows
    encoding); DuckDB's own errors become a :class:`DataError` naming the file.
    """
    import duckdb

    from ..data.engine import connect, query_error, scan_sql

    scans = [scan_sql(p) for p in paths]
    for attempt in range(2):
        con = connect()
        try:
            return work(con, scans)
        except duckdb.InvalidInputException as exc:
            bad = next((i for i, (s, _l) in enumerate(scans) if "encoding=" not in s), None)
            if attempt or "utf-8" not in str(exc).lower() or bad is None:
                raise query_error(exc, scans[0][1]) from None
            scans = [
                scan_sql(p, encoding="latin-1") if "encoding=" not in s else (s, lab)
                for p, (s, lab) in zip(paths, scans, strict=True)
            ]
        except duckdb.Error as exc:
            raise query_error(exc, ", ".join(label for _s, label in scans)) from None
        finally:
            con.close()
    raise AssertionError("unreachable")  # pragma: no cover


def frame_of(result: Any) -> pd.DataFrame:
    """A query's result as a DataFrame, through Arrow (text columns cross once instead of as Python objects)."""
    table = result.arrow()
    if not hasattr(table, "to_pandas"):  # a record batch reader in newer DuckDB
        table = table.read_all()
    return table.to_pandas()


def columns(
    con: Any, scan: str, label: str, *, table: str, needed: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, str]:
    """Map the kit's column names to the file's quoted columns (aliases accepted); missing needed ones raise."""
    from ..data.engine import resolve_columns

    return resolve_columns(con, scan, label, table=table, needed=list(needed), optional=tuple(optional))


def _source_types(con: Any, scan: str) -> dict[str, str]:
    """The file's column types, by the column's quoted name."""
    rows = con.sql(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    return {'"' + str(r[0]).replace('"', '""') + '"': str(r[1]).upper() for r in rows}


def _has_offsets(con: Any, scan: str, quoted: str) -> bool:
    """Whether moments written as text carry a UTC offset (+02:00): judged on the file's first 2,000 rows."""
    probe = (
        f"SELECT count(*) FROM (SELECT {quoted} AS v FROM {scan} LIMIT 2000) "
        r"WHERE regexp_matches(v, '[+-][0-9]{2}:?[0-9]{2}\s*$')"
    )
    return bool(con.sql(probe).fetchall()[0][0])


def typed(con: Any, scan: str, name: str, quoted: str, source: str) -> str:
    """The SQL reading one column as the kit types it: moments as UTC timestamps, numbers, or text.

    Text moments are cast directly (DuckDB skips surrounding spaces and reads an empty cell as NULL); ones with a
    UTC offset are converted to UTC, as :func:`mopskit._validate.dates` does for a DataFrame.
    """
    if name in TIMESTAMP_COLUMNS:
        if source.startswith("TIMESTAMP WITH TIME ZONE") or source == "TIMESTAMPTZ":
            return f"timezone('UTC', {quoted})"
        if source.startswith(("TIMESTAMP", "DATE")):
            return f"CAST({quoted} AS TIMESTAMP)"
        if _has_offsets(con, scan, quoted):
            return f"timezone('UTC', TRY_CAST({quoted} AS TIMESTAMPTZ))"
        return f"TRY_CAST({quoted} AS TIMESTAMP)"
    if name == "employees":
        return f"TRY_CAST({quoted} AS DOUBLE)"
    return quoted if source == "VARCHAR" else f"CAST({quoted} AS VARCHAR)"


def relation(
    con: Any,
    scan: str,
    label: str,
    *,
    table: str,
    needed: Sequence[str],
    optional: Sequence[str] = (),
    numbered: bool = False,
) -> tuple[str, list[str]]:
    """A SELECT giving the table's columns under the kit's names and types.

    With ``numbered``, also ``_row``: the row's position in the file, so a result can keep the file's order.
    """
    found = columns(con, scan, label, table=table, needed=needed, optional=optional)
    types = _source_types(con, scan)
    parts = [
        f"{typed(con, scan, name, quoted, types.get(quoted, 'VARCHAR'))} AS {name}" for name, quoted in found.items()
    ]
    if numbered:
        parts.append("row_number() OVER () AS _row")
    return f"(SELECT {', '.join(parts)} FROM {scan})", list(found)


def source(
    con: Any,
    table_or_path: Any,
    scans: Any,
    *,
    table: str,
    needed: Sequence[str],
    optional: Sequence[str] = (),
    numbered: bool = False,
) -> tuple[str, list[str]]:
    """The relation of a table given as a DataFrame (registered) or a path (the next of ``scans``)."""
    if isinstance(table_or_path, pd.DataFrame):
        name = f"{table}_frame"
        con.register(name, table_or_path)
        return relation(con, name, table, table=table, needed=needed, optional=optional, numbered=numbered)
    scan, label = next(scans)
    return relation(con, scan, label, table=table, needed=needed, optional=optional, numbered=numbered)


def _fit_sql(model: Any, present: list[str]) -> str:
    """The SQL of a scoring model's fit points, summed."""
    terms = []
    for column, rule in model.fit.items():
        if column not in present:
            continue
        if isinstance(rule, tuple):
            cases = " ".join(
                f"WHEN {column} <= {band.max!r} THEN {band.points!r}" for band in rule if band.max is not None
            )
            last = rule[-1].points if rule[-1].max is None else 0.0
            terms.append(f"(CASE WHEN {column} IS NULL THEN 0 {cases} ELSE {last!r} END)")
        else:
            cases = " ".join(f"WHEN {literal(k.lower())} THEN {v!r}" for k, v in rule.items())
            terms.append(f"(CASE lower({column}) {cases} ELSE 0 END)")
    return " + ".join(terms) if terms else "0"


def _values(rows: list[tuple[Any, ...]], names: str) -> str:
    body = ", ".join(
        "("
        + ", ".join("NULL" if v is None else literal(v) if isinstance(v, str) else repr(float(v)) for v in row)
        + ")"
        for row in rows
    )
    return f"(VALUES {body}) AS {names}"


def score_sql(
    contacts: Any,
    activities: Any,
    *,
    model: Any,
    as_of: Any,
    as_of_column: str | None,
    contact_columns: Sequence[str],
) -> pd.DataFrame:
    """:func:`mopskit.leads.score_leads` in DuckDB (either table may be a DataFrame or a path)."""

    def work(con: Any, scans: list[tuple[str, str]]) -> pd.DataFrame:
        sources = iter(scans)
        people, have = source(
            con,
            contacts,
            sources,
            table="contacts",
            needed=["contact_id", *([as_of_column] if as_of_column else [])],
            optional=(*contact_columns, *model.fit),
            numbered=True,
        )
        acts, _have = source(
            con, activities, sources, table="activities", needed=["contact_id", "activity_type", "occurred_at"]
        )
        if as_of_column:
            cut_join = f"JOIN (SELECT contact_id, {as_of_column} AS cut FROM {people}) t USING (contact_id)"
            cut = "t.cut"
        else:
            if as_of is None:
                last = con.sql(f"SELECT max(occurred_at) FROM {acts}").fetchall()[0][0]
                stamp = pd.Timestamp(last) if last is not None else pd.Timestamp.now()
            else:
                stamp = moment(as_of, name="as_of", function="score_leads")
            cut_join, cut = "", f"TIMESTAMP {literal(stamp.isoformat(sep=' '))}"
        points = _values(
            [(k, v, model.caps.get(k)) for k, v in model.behaviour.items()] or [("", 0.0, None)], "pts(kind, p, cap)"
        )
        half = model.half_life_days
        decay = "1" if half is None else f"pow(0.5, greatest(age, 0) / {float(half)!r})"
        hands = ", ".join(literal(h.lower()) for h in model.hand_raisers) or "''"
        contact_cols = "".join(f", c.{name}" for name in contact_columns if name in have)
        sql = f"""
            WITH a AS (
                SELECT CAST(contact_id AS VARCHAR) AS contact_id, lower(trim(activity_type)) AS kind,
                       occurred_at AS done_at, epoch({cut} - occurred_at) / 86400.0 AS age
                FROM {acts} {cut_join}
                WHERE occurred_at IS NOT NULL AND {cut} IS NOT NULL AND occurred_at <= {cut}
            ),
            k AS (
                SELECT contact_id,
                       least(sum(pts.p * {decay}), coalesce(any_value(pts.cap), 'infinity'::DOUBLE)) AS pts
                FROM a JOIN {points} USING (kind) GROUP BY contact_id, kind
            ),
            b AS (SELECT contact_id, sum(pts) AS behaviour_score FROM k GROUP BY contact_id),
            h AS (
                SELECT contact_id, max(done_at) AS last_activity_at,
                       bool_or(kind IN ({hands}) AND age <= {float(model.hand_raiser_days)!r}) AS hand_raiser
                FROM a GROUP BY contact_id
            )
            SELECT CAST(c.contact_id AS VARCHAR) AS contact_id, CAST({_fit_sql(model, have)} AS DOUBLE) AS fit_score,
                   round(coalesce(b.behaviour_score, 0), 6) AS behaviour_score,
                   coalesce(h.hand_raiser, false) AS hand_raiser, h.last_activity_at{contact_cols}
            FROM {people} c LEFT JOIN b ON b.contact_id = CAST(c.contact_id AS VARCHAR)
                 LEFT JOIN h ON h.contact_id = CAST(c.contact_id AS VARCHAR)
            ORDER BY c._row
        """
        known = ", ".join(literal(k.lower()) for k in model.behaviour) or "''"
        kinds = f"SELECT DISTINCT lower(activity_type) AS kind FROM {acts}"
        unknown = con.sql(f"SELECT kind FROM ({kinds}) WHERE kind NOT IN ({known}) ORDER BY 1").fetchall()
        unscored = [r[0] for r in unknown if r[0]]
        return frame_of(con.sql(sql)), unscored

    paths = [p for p in (contacts, activities) if not isinstance(p, pd.DataFrame)]
    frame, unscored = run(paths, work)
    frame["score"] = (frame["fit_score"] + frame["behaviour_score"]).round(6)
    frame["above_threshold"] = frame["score"] >= model.threshold
    frame["hand_raiser"] = frame["hand_raiser"].astype(bool)
    frame["last_activity_at"] = frame["last_activity_at"].astype("datetime64[ns]")
    first = [
        "contact_id",
        "fit_score",
        "behaviour_score",
        "score",
        "above_threshold",
        "hand_raiser",
        "last_activity_at",
    ]
    notes = (
        [_("Activity types the model gives no points (scored 0): {kinds}.").format(kinds=", ".join(unscored))]
        if unscored
        else []
    )
    return finish(frame[first + [c for c in frame.columns if c not in first]], notes=notes)


def route_sql(
    leads: Any,
    members: pd.DataFrame,
    *,
    rules: Any,
    reps: dict[str, list[str]],
    order_by: str,
    only_with: str | None,
) -> pd.DataFrame:
    """:func:`mopskit.leads.route_leads` on a file: the same owners, rules and turns as the pandas code.

    ``members`` are the active team, ``reps`` each territory's round robin in order.
    """
    active = set(members["owner"])
    # every named account with its owner, and whether that owner is still active (1) or has left (0)
    accounts = [(" ".join(k.split()).casefold(), v, float(v in active)) for k, v in rules.accounts.items()]
    accounts = accounts or [("", "", 0.0)]
    countries = [(c, t) for t, codes in rules.territories.items() for c in codes] or [("", "")]
    rotation = [(t, name, i, len(people)) for t, people in reps.items() for i, name in enumerate(people)]
    rotation = rotation or [("", "", 0, 1)]
    staffed = ", ".join(literal(t) for t in reps) or "''"
    territory_first = (
        rules.order.index("territory") < rules.order.index("named_account") if "named_account" in rules.order else True
    )
    uses_named = "named_account" in rules.order
    uses_territory = "territory" in rules.order

    def work(con: Any, scans: list[tuple[str, str]]) -> pd.DataFrame:
        scan, label = scans[0]
        optional = ["company", "country", order_by, *([only_with] if only_with else [])]
        rel, have = relation(
            con, scan, label, table="contacts", needed=["contact_id"], optional=optional, numbered=True
        )
        if only_with and only_with not in have:
            raise DataError(_("the leads have no column {c!r} to route by").format(c=only_with))
        company = "company" if "company" in have else "CAST(NULL AS VARCHAR)"
        country = "upper(country)" if "country" in have else "CAST(NULL AS VARCHAR)"
        ord_ = order_by if order_by in have else "CAST(NULL AS TIMESTAMP)"
        where = f"WHERE {only_with} IS NOT NULL" if only_with else ""
        named_ok = "coalesce(a.active, 0) = 1" if uses_named else "false"
        terr_ok = f"t.territory IN ({staffed})" if uses_territory else "false"
        goes_territory = f"{terr_ok} AND NOT ({named_ok})" if not territory_first else terr_ok
        goes_named = f"{named_ok} AND NOT ({terr_ok})" if territory_first else named_ok
        key = f"lower(trim(regexp_replace({company}, '\\s+', ' ', 'g')))"  # as RoutingRules.account_owner
        sql = f"""
            WITH x AS (
                SELECT CAST(l.contact_id AS VARCHAR) AS contact_id, l._company AS company, l._country AS country,
                       {ord_} AS ord, l._row, a.owner AS any_named, t.territory,
                       {goes_territory} AS by_territory, {goes_named} AS by_named
                FROM (SELECT *, {company} AS _company, {key} AS _key, {country} AS _country FROM {rel} {where}) l
                LEFT JOIN {_values(accounts, "a(k, owner, active)")} ON l._key = a.k
                LEFT JOIN {_values(countries, "t(code, territory)")} ON l._country = t.code
            ),
            y AS (
                SELECT *, CASE WHEN by_territory THEN row_number() OVER (
                    PARTITION BY CASE WHEN by_territory THEN territory END
                    ORDER BY ord NULLS LAST, contact_id) END AS turn
                FROM x
            )
            SELECT y.contact_id,
                   CASE WHEN by_named THEN any_named WHEN by_territory THEN r.owner
                        ELSE {literal(rules.queue)} END AS owner,
                   CASE WHEN by_named THEN 'named_account' WHEN by_territory THEN 'territory'
                        ELSE 'fallback' END AS rule,
                   y.territory, coalesce(turn, 0) AS turn, y.company, y.country, y.any_named AS named_owner
            FROM y LEFT JOIN {_values(rotation, "r(territory, owner, idx, n)")}
                 ON r.territory = y.territory AND CAST(r.idx AS BIGINT) = (y.turn - 1) % CAST(r.n AS BIGINT)
            ORDER BY y._row
        """
        return frame_of(con.sql(sql))

    frame = run([leads], work)
    frame["turn"] = frame["turn"].astype("int64")
    # the account's owner even when they have left (the reason names them), None where there is none
    frame["named_owner"] = frame["named_owner"].astype(object).where(frame["named_owner"].notna(), None)
    return frame


def sla_sql(
    contacts: Any,
    team: Any,
    *,
    target: float,
    hours: Any,
    time_zone: str,
    default_time_zone: str,
    as_of: Any,
    start: str | None,
    end: str | None,
) -> pd.DataFrame:
    """:func:`mopskit.leads.sla_status` on a file: business hours on each owner's clock, computed in SQL."""
    from .._hours import business_seconds_sql, check_time_zone
    from .._validate import period

    first, last = (d.isoformat() if d else None for d in period(start, end, function="sla_status"))
    check_time_zone(default_time_zone, function="sla_status", argument="default_time_zone")
    members = team if team is not None else pd.DataFrame({"owner": []})
    zones = members["time_zone"].astype(str).str.strip() if "time_zone" in members.columns else None
    for zone in set(zones) if zones is not None else ():
        check_time_zone(zone, function="sla_status", argument="sales_team.time_zone")
    if time_zone != "owner":
        check_time_zone(time_zone, function="sla_status")
    rows = [
        (o, z if zones is not None else None, t)
        for o, z, t in zip(
            members["owner"],
            zones if zones is not None else [None] * len(members),
            members["territory"] if "territory" in members.columns else [None] * len(members),
            strict=True,
        )
    ] or [("", None, None)]
    owners_map = _values(rows, "tm(owner, zone, territory)")

    def work(con: Any, scans: list[tuple[str, str]]) -> pd.DataFrame:
        scan, label = scans[0]
        rel, have = relation(
            con,
            scan,
            label,
            table="contacts",
            needed=["contact_id", "mql_at", "first_sales_touch_at"],
            optional=["owner", "source_channel"],
            numbered=True,
        )
        owner = "owner" if "owner" in have else "CAST(NULL AS VARCHAR)"
        source = "source_channel" if "source_channel" in have else "CAST(NULL AS VARCHAR)"
        period = "".join(
            [
                f" AND mql_at >= TIMESTAMP {literal(first)}" if first else "",
                f" AND mql_at < TIMESTAMP {literal(last)} + INTERVAL 1 DAY" if last else "",
            ]
        )
        if as_of is None:
            latest = con.sql(f"SELECT greatest(max(mql_at), max(first_sales_touch_at)) FROM {rel}").fetchall()[0][0]
            cut = pd.Timestamp(latest) if latest is not None else pd.Timestamp.now().floor("s")
        else:
            cut = moment(as_of, name="as_of", function="sla_status")
        zone = f"coalesce(tm.zone, {literal(default_time_zone)})" if time_zone == "owner" else literal(time_zone)

        def local(column: str) -> str:
            return f"CAST(floor(epoch(timezone(zone, CAST({column} AS TIMESTAMP) AT TIME ZONE 'UTC'))) AS BIGINT)"

        sql = f"""
            WITH l AS (
                SELECT CAST(contact_id AS VARCHAR) AS contact_id, {owner} AS owner, {source} AS source_channel,
                       mql_at, first_sales_touch_at, _row
                FROM {rel} WHERE mql_at IS NOT NULL{period}
            ),
            z AS (
                SELECT l.*, {zone} AS zone, tm.territory,
                       coalesce(l.first_sales_touch_at, TIMESTAMP {literal(cut.isoformat(sep=" "))}) AS until
                FROM l LEFT JOIN {owners_map} ON tm.owner = l.owner
            ),
            e AS (SELECT *, {local("mql_at")} AS a, {local("until")} AS b FROM z),
            d AS (SELECT *, floor(a / 86400)::BIGINT AS da, floor(b / 86400)::BIGINT AS db FROM e)
            SELECT contact_id, owner, source_channel, territory, strftime(mql_at, '%Y-%m') AS month, mql_at,
                   first_sales_touch_at, zone AS time_zone,
                   round(({business_seconds_sql("b", hours, day="db")}
                          - {business_seconds_sql("a", hours, day="da")}) / 3600.0, 6) AS business_hours
            FROM d ORDER BY _row
        """
        return frame_of(con.sql(sql))

    frame = run([contacts], work)
    for column in ("mql_at", "first_sales_touch_at"):
        frame[column] = frame[column].astype("datetime64[ns]")
    none_for_missing(frame, ["owner", "source_channel", "territory"])
    return frame
