"""The lead report's own logic: parameters checked before any kernel starts, data found, figures computed once.

``notebooks/reports/lead_report.ipynb`` names :func:`validate_parameters` in its metadata, so
``mopskit report lead_report -p sla_hours=24`` refuses a bad SLA, an unknown time zone, a period with no MQL or
a folder without the tables before a kernel starts. The contacts may be a file of any size: the SLA and the
scores are computed in DuckDB, and only the columns the funnel needs come into pandas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, ParameterError
from ..i18n import _
from .hours import BusinessHours, check_time_zone, parse_business_hours

__all__ = ["LeadData", "LeadReport", "build_report", "executive_summary", "load_lead_data", "validate_parameters"]

BUNDLED = "bundled"
FUNNEL_COLUMNS = (
    "contact_id",
    "created_at",
    "lifecycle_stage",
    "mql_at",
    "sql_at",
    "opportunity_at",
    "customer_at",
    "owner",
    "routed_at",
    "first_sales_touch_at",
    "lead_status",
    "status_reason",
    "status_at",
    "source_channel",
)


@dataclass
class LeadData:
    """Where a lead report reads: contacts and activities stay paths when they are files (computed in DuckDB)."""

    label: str
    contacts: pd.DataFrame | Path
    team: pd.DataFrame
    activities: pd.DataFrame | Path | None


def _table_file(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.parquet", folder / f"{name}.csv", folder / name):
        if candidate.is_file() or (candidate.is_dir() and any(candidate.glob("*.parquet"))):
            return candidate
    return None


def load_lead_data(dataset: str = BUNDLED, *, contacts: str = "") -> LeadData:
    """Find the tables of a lead report: the bundled sample, or a folder of the team's own.

    A folder holds ``contacts``, ``sales_team`` and optionally ``activities``, as CSV or Parquet; ``contacts``
    names a contacts file of its own instead of the folder's (any size: it is read by DuckDB).
    """
    from ..data import load, read

    if dataset in ("", BUNDLED):
        team = load("sales_team")
        people: pd.DataFrame | Path = Path(contacts) if contacts else load("contacts")
        acts: pd.DataFrame | Path | None = None if contacts else load("activities")
        label = _("the bundled sample data (generated, not real)") if not contacts else str(contacts)
        return LeadData(label, people, team, acts)
    folder = Path(dataset)
    team_file = _table_file(folder, "sales_team")
    if team_file is None:
        raise ParameterError(
            _("'dataset' folder {folder} has no sales_team.csv (who leads go to, with their time zones)").format(
                folder=folder
            )
        )
    team = read(team_file, table="sales_team")
    people_file = Path(contacts) if contacts else _table_file(folder, "contacts")
    if people_file is None:
        raise ParameterError(
            _(
                "'dataset' folder {folder} has no contacts.csv or contacts.parquet; or name one with -p contacts=FILE"
            ).format(folder=folder)
        )
    return LeadData(
        _("the tables in {folder}").format(folder=folder), people_file, team, _table_file(folder, "activities")
    )


def _hours(values: Mapping[str, Any]) -> BusinessHours:
    holidays = [h.strip() for h in str(values.get("holidays") or "").split(",") if h.strip()]
    return parse_business_hours(str(values.get("business_hours") or "09:00-17:00"), holidays=holidays)


def validate_parameters(values: Mapping[str, Any]) -> None:
    """Refuse lead report parameters that are well typed but wrong, before any kernel starts.

    Checks the SLA (business hours above 0), the working week and holidays, the time zone (``owner`` or an IANA
    name), the period and the report's date, that the tables are there with the columns the SLA needs, and that
    some MQL falls in the period.

    Raises:
        ParameterError: saying what is wrong and how to write it.

    """
    from .._validate import number, period
    from ._frames import moment
    from .sla import sla_status

    number(values.get("sla_hours", 8), "sla_hours", function="lead_report", above=0)
    _hours(values)
    zone = str(values.get("time_zone") or "owner")
    if zone != "owner":
        check_time_zone(zone, function="lead_report")
    start, end = period(values.get("start") or None, values.get("end") or None, function="lead_report")
    if values.get("as_of"):
        moment(values["as_of"], name="as_of", function="lead_report")
    contacts_file = str(values.get("contacts") or "")
    if contacts_file and not Path(contacts_file).exists():
        raise ParameterError(
            _("'contacts' must be an existing CSV or Parquet file (got {path!r}; working folder {cwd})").format(
                path=contacts_file, cwd=Path.cwd()
            )
        )
    dataset = str(values.get("dataset") or BUNDLED)
    if dataset != BUNDLED and not Path(dataset).is_dir():
        raise ParameterError(
            _(
                "'dataset' must be 'bundled' or a folder holding contacts and sales_team (got {dataset!r}; working "
                "folder {cwd}); make one with: mopskit data generate --out FOLDER"
            ).format(dataset=dataset, cwd=Path.cwd())
        )
    try:
        data = load_lead_data(dataset, contacts=contacts_file)
        status = sla_status(data.contacts, data.team, start=values.get("start") or None, end=values.get("end") or None)
    except DataError as exc:
        raise ParameterError(_("the tables cannot be read: {error}").format(error=exc)) from None
    if status.empty:
        within = _(" between {start} and {end}").format(start=start or "...", end=end or "...") if start or end else ""
        raise ParameterError(_("no MQL{within} in {label}: nothing to measure").format(within=within, label=data.label))


@dataclass
class LeadReport:
    """Every figure of the lead report, computed once."""

    label: str
    sla: Any
    ageing: pd.DataFrame
    leakage: pd.DataFrame
    routing: pd.DataFrame
    scores: pd.DataFrame | None
    threshold: float
    notes: dict[str, list[str]] = field(default_factory=dict)


def _funnel_frame(contacts: pd.DataFrame | Path) -> pd.DataFrame:
    """The columns the funnel needs, typed; from a file through DuckDB (only these columns come into pandas)."""
    if isinstance(contacts, pd.DataFrame):
        return contacts
    from ._duckdb import frame_of, relation, run

    def work(con: Any, scans: list[tuple[str, str]]) -> pd.DataFrame:
        scan, label = scans[0]
        rel, _have = relation(
            con, scan, label, table="contacts", needed=["contact_id", "created_at"], optional=FUNNEL_COLUMNS
        )
        return frame_of(con.sql(f"SELECT * FROM {rel}"))

    return run([contacts], work)


def build_report(
    data: LeadData,
    *,
    start: str | None = None,
    end: str | None = None,
    sla_hours: float = 8.0,
    business_hours: str = "09:00-17:00 mon-fri",
    holidays: str = "",
    time_zone: str = "owner",
    as_of: str | None = None,
) -> LeadReport:
    """Compute every figure of the lead report: SLA, breaches, stage ageing, leakage, routing problems, scores."""
    from .leakage import funnel_leakage, stage_ageing
    from .routing import routing_problems
    from .scoring import score_leads, scoring_model
    from .sla import sla_report

    hours = _hours({"business_hours": business_hours, "holidays": holidays})
    sla = sla_report(
        data.contacts,
        data.team,
        sla_hours=sla_hours,
        hours=hours,
        time_zone=time_zone,
        start=start or None,
        end=end or None,
        as_of=as_of or None,
    )
    frame = _funnel_frame(data.contacts)
    model = scoring_model()
    scores = None
    if data.activities is not None:
        scores = score_leads(data.contacts, data.activities, model=model, as_of=as_of or None)
    routing = routing_problems(frame, data.team) if "owner" in frame.columns else pd.DataFrame()
    return LeadReport(
        label=data.label,
        sla=sla,
        ageing=stage_ageing(frame, as_of=as_of or None),
        leakage=funnel_leakage(frame, as_of=as_of or None),
        routing=routing,
        scores=scores,
        threshold=model.threshold,
        notes={"sla": list(sla.leads.attrs.get("notes", []))},
    )


def executive_summary(report: LeadReport) -> list[str]:
    """The report in a few sentences: the SLA, who and what breaks it, where the funnel leaks, what to fix first.

    >>> from mopskit.data import load
    >>> summary = executive_summary(build_report(load_lead_data()))
    >>> summary[0].startswith("Of ")
    True
    """
    sla = report.sla
    row = sla.overall.iloc[0]
    due = int(row["met"] + row["late"] + row["never_touched"])
    sentences = [
        _(
            "Of {due} MQLs due, {met} were touched within {target:g} business hours ({hours}): {rate:.1f}% "
            "compliance; {late} were touched late and {never} never."
        ).format(
            due=f"{due:,}",
            met=f"{int(row['met']):,}",
            target=sla.target_hours,
            hours=sla.hours.describe(),
            rate=sla.compliance,
            late=f"{int(row['late']):,}",
            never=f"{int(row['never_touched']):,}",
        )
    ]
    owner, source = sla.worst("owner"), sla.worst("source")
    if owner:
        rate = float(sla.by_owner.set_index("owner").loc[owner, "compliance"])
        sentences.append(
            _("The owner who breaks it most: {owner} (in time: {rate:.0f}%).").format(owner=owner, rate=rate)
        )
    people = sla.by_owner.set_index("owner")
    for queue in sla.queues:
        if queue in people.index and people.loc[queue, "mqls"]:
            sentences.append(
                _("The fallback queue ({queue}) held {n} MQLs, {rate:.0f}% touched in time.").format(
                    queue=queue, n=f"{int(people.loc[queue, 'mqls']):,}", rate=people.loc[queue, "compliance"]
                )
            )
    if source:
        rate = float(sla.by_source.set_index("source_channel").loc[source, "compliance"])
        sentences.append(
            _("The source whose MQLs wait longest: {source} (in time: {rate:.0f}%).").format(source=source, rate=rate)
        )
    leak = report.leakage.dropna(subset=["leak_pct"])
    if len(leak):
        worst = leak.sort_values("leak_pct").iloc[-1]
        sentences.append(
            _("The funnel leaks most at {step}: {pct:.0f}% of the leads that reached it were lost or stalled.").format(
                step=worst["step"], pct=worst["leak_pct"]
            )
        )
    ageing = report.ageing.set_index("stage")
    if "mql" in ageing.index and ageing.loc["mql", "stalled"]:
        sentences.append(
            _("{n} MQLs have waited more than {days:g} days with no decision.").format(
                n=f"{int(ageing.loc['mql', 'stalled']):,}", days=ageing.loc["mql", "stalled_after_days"]
            )
        )
    if len(report.routing):
        gone = report.routing[report.routing["problem"] == "owner had left"]
        if len(gone):
            names = ", ".join(sorted(set(gone["owner"].astype(str))))
            sentences.append(
                _("{n} leads were routed to someone who had already left ({names}): fix the rotation first.").format(
                    n=f"{len(gone):,}", names=names
                )
            )
    if report.scores is not None and "mql_at" in report.scores.columns:
        waiting = report.scores[report.scores["above_threshold"] & report.scores["mql_at"].isna()]
        if len(waiting):
            sentences.append(
                _("{n} contacts score {t:g} or more but are not MQLs in the CRM: check the MQL automation.").format(
                    n=f"{len(waiting):,}", t=report.threshold
                )
            )
    return sentences
