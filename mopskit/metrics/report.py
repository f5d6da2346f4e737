"""The metrics report's own logic: parameters checked early, data loaded, figures computed, a summary written.

Beyond the metric functions, the report needs its parameters checked before any kernel starts, its data loaded
from the bundled sample or a folder of exports, its figures computed once, and its summary written in sentences.

``notebooks/reports/metrics_report.ipynb`` names :func:`validate_parameters` in its metadata, so
``mopskit report metrics_report -p ...`` refuses a start after the end, an unknown channel or a period with no
data before a kernel starts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .._html import tile
from .._validate import dates
from ..data import load, read, table_spec
from ..errors import DataError, ParameterError
from ..i18n import _
from ._common import check_period, notes

__all__ = [
    "MetricsReport",
    "ReportData",
    "build_report",
    "executive_summary",
    "kpi_tiles",
    "load_report_data",
    "report_channels",
    "table_style",
    "validate_parameters",
]

BUNDLED = "bundled"
TABLES = ("campaigns", "contacts", "touchpoints", "budget")
EVENT_FILES = ("email_events.parquet", "email_events", "email_events.csv")


def report_channels() -> list[str]:
    """The channels a report can filter on: campaign channels and contact source channels.

    >>> "referral" in report_channels() and "email" in report_channels()
    True
    """
    campaign = table_spec("campaigns").columns["channel"].values
    source = table_spec("contacts").columns["source_channel"].values
    return sorted(set(campaign) | set(source))


@dataclass
class ReportData:
    """The tables a metrics report reads; ``events`` stays a path when the events are a file (computed in DuckDB)."""

    label: str
    events: pd.DataFrame | Path
    campaigns: pd.DataFrame
    contacts: pd.DataFrame
    touchpoints: pd.DataFrame
    budget: pd.DataFrame
    raw_contacts: pd.DataFrame | None = None


def _events_path(folder: Path) -> Path | None:
    for name in EVENT_FILES:
        candidate = folder / name
        if candidate.is_file() or (candidate.is_dir() and any(candidate.glob("*.parquet"))):
            return candidate
    return None


def _dataset_files(dataset: str, events: str | None) -> tuple[Path | None, Path | None]:
    """Check where the tables are; return (folder, events path), folder None for the bundled sample."""
    if events:
        path = Path(events)
        if not path.exists():
            raise ParameterError(
                f"'events' must be an existing CSV or Parquet file, or a folder of Parquet files (got {events!r}; "
                f"working folder {Path.cwd()})"
            )
    if dataset in ("", BUNDLED):
        return None, Path(events) if events else None
    folder = Path(dataset)
    if not folder.is_dir():
        raise ParameterError(
            f"'dataset' must be 'bundled' or a folder holding the kit's tables as CSV files (got {dataset!r}; "
            f"working folder {Path.cwd()}); make one with: mopskit data generate --out FOLDER"
        )
    missing = [f"{name}.csv" for name in TABLES if not (folder / f"{name}.csv").is_file()]
    found_events = Path(events) if events else _events_path(folder)
    if found_events is None:
        missing.append("email_events.parquet or email_events.csv")
    if missing:
        raise ParameterError(
            f"'dataset' folder {folder} lacks {', '.join(missing)}; it needs {', '.join(f'{t}.csv' for t in TABLES)} "
            "and the email events (or pass -p events=PATH)"
        )
    return folder, found_events


def load_report_data(dataset: str = BUNDLED, *, events: str | None = None) -> ReportData:
    """Load the tables of a report from the bundled sample or a folder of exports (validated on the way in)."""
    folder, events_path = _dataset_files(dataset, events)
    if folder is None:
        tables = {name: load(name) for name in TABLES}
        raw = load("contacts_raw")
        label = _("the bundled sample data (generated, not real)")
        event_source: pd.DataFrame | Path = events_path if events_path else load("email_events")
    else:
        tables = {name: read(folder / f"{name}.csv", table=name) for name in TABLES}
        raw_file = folder / "contacts_raw.csv"
        raw = read(raw_file, table="contacts_raw") if raw_file.is_file() else None
        label = _("the tables in {folder}").format(folder=folder)
        assert events_path is not None
        event_source = events_path
    return ReportData(label=label, events=event_source, raw_contacts=raw, **tables)


def _span(data: ReportData) -> tuple[str, str]:
    stamps = pd.concat(
        [
            dates(data.campaigns["start_date"], function="metrics_report", table="the campaigns table"),
            dates(data.contacts["created_at"], function="metrics_report", table="the contacts table"),
        ],
        ignore_index=True,
    ).dropna()
    return f"{stamps.min():%Y-%m-%d}", f"{stamps.max():%Y-%m-%d}"


def validate_parameters(values: Mapping[str, Any]) -> None:
    """Refuse report parameters that are well typed but wrong, before any kernel starts.

    Checks: dates written ``YYYY-MM-DD`` with the start on or before the end; every channel known; the dataset
    folder (or events file) present with the tables it needs; some campaign starting, or some contact created,
    in the period for the channels chosen.

    Raises:
        ParameterError: saying what is wrong and listing the valid values or the span the data covers.

    """
    start, end = check_period(values.get("start"), values.get("end"), function="metrics_report")
    channels = list(values.get("channels") or [])
    valid = report_channels()
    unknown = [c for c in channels if c not in valid]
    if unknown:
        raise ParameterError(f"unknown channel(s) {', '.join(map(repr, unknown))}; valid: {', '.join(valid)}")
    if not str(values.get("currency", "USD")).strip():
        raise ParameterError("'currency' must be a label like USD or EUR (got an empty value)")
    try:
        data = load_report_data(str(values.get("dataset") or BUNDLED), events=values.get("events") or None)
    except DataError as exc:
        raise ParameterError(f"'dataset' cannot be read: {exc}") from None
    campaigns, contacts = data.campaigns, data.contacts
    if channels:
        campaigns = campaigns[campaigns["channel"].isin(channels)]
        contacts = contacts[contacts["source_channel"].isin(channels)]
    starts = dates(campaigns["start_date"], function="metrics_report", table="the campaigns table")
    created = dates(contacts["created_at"], function="metrics_report", table="the contacts table")
    low, high = pd.Timestamp(start or "1900-01-01"), pd.Timestamp(end or "2999-12-31") + pd.Timedelta(days=1)
    if not (((starts >= low) & (starts < high)).any() or ((created >= low) & (created < high)).any()):
        first, last = _span(data)
        chosen = _(" for the channels {channels}").format(channels=", ".join(channels)) if channels else ""
        raise ParameterError(
            f"no data between {start} and {end}{chosen}: no campaign starts and no contact is created then; "
            f"{data.label} cover {first} to {last}"
        )


@dataclass
class MetricsReport:
    """Every table the metrics report shows, computed once; ``notes`` holds what readers must know, by section."""

    label: str
    start: str | None
    end: str | None
    channels: list[str]
    email_total: pd.DataFrame
    email_by_month: pd.DataFrame
    funnel_total: pd.DataFrame
    funnel_by_channel: pd.DataFrame
    stages: pd.DataFrame
    economics: pd.DataFrame
    budget: pd.DataFrame
    budget_by_channel: pd.DataFrame
    attribution: pd.DataFrame
    quality: pd.DataFrame
    quality_label: str
    notes: dict[str, list[str]] = field(default_factory=dict)


def build_report(
    data: ReportData, *, start: str | None = None, end: str | None = None, channels: Sequence[str] = ()
) -> MetricsReport:
    """Compute every figure of the metrics report for a period and a choice of channels (empty: all)."""
    from .attribution import compare_models
    from .email import email_metrics
    from .funnel import funnel, funnel_stages
    from .money import budget_variance, channel_economics
    from .quality import quality_scorecard

    start, end = check_period(start, end, function="metrics_report")
    chosen = list(channels)
    campaigns, contacts, budget = data.campaigns, data.contacts, data.budget
    if chosen:
        contacts = contacts[contacts["source_channel"].isin(chosen)]
        budget = budget[budget["channel"].isin(chosen)]
    period = {"start": start, "end": end}
    email_options = {"campaigns": campaigns, "channels": chosen or None, **period}
    email_total = email_metrics(data.events, **email_options)
    email_by_month = email_metrics(data.events, by="month", **email_options)
    economics = channel_economics(campaigns, contacts, **period)
    attribution = compare_models(data.touchpoints, data.contacts, campaigns, start=start, end=end)
    if chosen:
        economics = economics[economics["channel"].isin(chosen)].reset_index(drop=True)
        attribution = attribution[attribution["channel"].isin(chosen)].reset_index(drop=True)
    first_month, last_month = (start[:7] if start else None), (end[:7] if end else None)
    raw = data.raw_contacts
    quality = quality_scorecard(raw if raw is not None else data.contacts)
    report = MetricsReport(
        label=data.label,
        start=start,
        end=end,
        channels=chosen,
        email_total=email_total,
        email_by_month=email_by_month,
        funnel_total=funnel(contacts, **period),
        funnel_by_channel=funnel(contacts, by="channel", **period),
        stages=funnel_stages(contacts, **period),
        economics=economics,
        budget=budget_variance(budget, start=first_month, end=last_month),
        budget_by_channel=budget_variance(budget, by="channel", start=first_month, end=last_month),
        attribution=attribution,
        quality=quality,
        quality_label=_("raw contacts (before cleaning)") if raw is not None else _("contacts"),
    )
    report.notes = {
        _("Email"): notes(email_by_month),
        _("Funnel"): notes(report.funnel_by_channel),
        _("Money"): notes(report.economics) + notes(report.budget_by_channel),
        _("Attribution"): notes(attribution),
    }
    return report


def _money(value: float, currency: str) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.0f} {currency}"


def _pct(value: float) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.1f}%"


def _first(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].iloc[0]) if len(frame) else float("nan")


def _totals(report: MetricsReport) -> dict[str, float]:
    spend = float(report.economics["spend"].sum())
    customers = float(report.economics["customers"].sum())
    revenue = float(report.economics["won_revenue"].sum())
    return {
        "spend": spend,
        "customers": customers,
        "revenue": revenue,
        "cac": spend / customers if customers else float("nan"),
        "romi": 100 * (revenue - spend) / spend if spend else float("nan"),
    }


def executive_summary(report: MetricsReport, *, currency: str = "USD") -> list[str]:
    """The report's findings in a few plain sentences, for readers who stop after the first paragraph."""
    period = _("{start} to {end}").format(
        start=report.start or _("the first day of the data"), end=report.end or _("the last day of the data")
    )
    scope = _("all channels") if not report.channels else ", ".join(report.channels)
    sentences = [
        _("This report covers {period}, {scope}, on {label}.").format(period=period, scope=scope, label=report.label)
    ]
    sent = _first(report.email_total, "sent")
    if len(report.email_total) and sent > 0:
        sentences.append(
            _(
                "{campaigns:.0f} email sends went to {sent:,.0f} recipients; {delivery} were delivered, {opens} of "
                "those were opened and {ctr} clicked (click-through rate), so {ctor} of openers clicked."
            ).format(
                campaigns=_first(report.email_total, "campaigns"),
                sent=sent,
                delivery=_pct(_first(report.email_total, "delivery_rate")),
                opens=_pct(_first(report.email_total, "open_rate")),
                ctr=_pct(_first(report.email_total, "click_through_rate")),
                ctor=_pct(_first(report.email_total, "click_to_open_rate")),
            )
        )
    else:
        sentences.append(_("No email was sent in this period and these channels."))
    funnel = report.funnel_total.iloc[0] if len(report.funnel_total) else None
    if funnel is not None and funnel["leads"] > 0:
        sentences.append(
            _(
                "Of the {leads:,} leads created in the period, {mqls:,} became marketing-qualified ({lead_to_mql}) "
                "and {customers:,} are customers by now ({lead_to_customer} of those leads)."
            ).format(
                leads=int(funnel["leads"]),
                mqls=int(funnel["mqls"]),
                customers=int(funnel["customers"]),
                lead_to_mql=_pct(funnel["lead_to_mql"]),
                lead_to_customer=_pct(funnel["lead_to_customer"]),
            )
        )
    totals = _totals(report)
    sentences.append(
        _(
            "Campaigns starting in the period spent {spend}; deals won in the period: {customers:.0f}, worth "
            "{revenue}, for a customer acquisition cost of {cac} and a ROMI of {romi} when each deal is credited "
            "to the contact's source channel."
        ).format(
            spend=_money(totals["spend"], currency),
            customers=totals["customers"],
            revenue=_money(totals["revenue"], currency),
            cac=_money(totals["cac"], currency),
            romi=_pct(totals["romi"]),
        )
    )
    over = report.budget_by_channel[report.budget_by_channel["flag"] == "overspend"]
    if len(over):
        worst = over.sort_values("variance_pct", ascending=False).iloc[0]
        sentences.append(
            _(
                "{n} of {total} channels overspent their plan for the closed months; the largest gap is {channel} at "
                "{pct} over plan."
            ).format(
                n=len(over),
                total=len(report.budget_by_channel),
                channel=worst["channel"],
                pct=_pct(worst["variance_pct"]),
            )
        )
    elif len(report.budget_by_channel):
        sentences.append(_("No channel overspent its plan for the closed months of the period."))
    ranked = report.attribution.dropna(subset=["romi_first_touch", "romi_last_touch"])
    if len(ranked):
        first = ranked.sort_values("romi_first_touch", ascending=False).iloc[0]["channel"]
        last = ranked.sort_values("romi_last_touch", ascending=False).iloc[0]["channel"]
        if first == last:
            sentences.append(
                _("{channel} has the best ROMI under both first-touch and last-touch attribution.").format(
                    channel=first
                )
            )
        else:
            sentences.append(
                _(
                    "The best ROMI depends on the attribution model: {first} under first touch, {last} under last "
                    "touch, so read channel rankings with the model in mind."
                ).format(first=first, last=last)
            )
    problems = report.quality[report.quality["status"] == "problem"]
    score = report.quality.attrs.get("overall_score", float("nan"))
    if len(problems):
        worst_check = problems.sort_values("score").iloc[0]
        sentences.append(
            _(
                "Data quality of the {table} scores {score:.0f}/100; the weakest check is {check} on {column} "
                "({failing} rows)."
            ).format(
                table=report.quality_label,
                score=score,
                check=worst_check["check"],
                column=worst_check["column"],
                failing=int(worst_check["rows_failing"]),
            )
        )
    else:
        sentences.append(_("Every data-quality check on the {table} passes.").format(table=report.quality_label))
    return sentences


def table_style(frame: pd.DataFrame, *, currency: str = "USD") -> Any:
    """Format a metrics table for reading: thousands separators, rates with one decimal, flags in colour.

    Columns are recognised by name: rates (``*_rate``, ``*_pct``, ``romi*``, conversions, ``score``,
    ``completeness``), money (spend, revenue, costs, plan figures) and counts; ``flag`` and ``status`` cells are
    coloured (overspend and problem in red).
    """
    rate_names = {"score", "completeness", "from_previous", "from_first"}
    money_words = ("spend", "revenue", "cost", "planned", "forecast", "actual", "variance", "cac")
    formats: dict[str, Any] = {}
    for column in frame.columns:
        name = str(column)
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            continue
        is_rate = name.endswith(("_rate", "_pct")) or name.startswith("romi") or "_to_" in name
        if is_rate or name in rate_names:
            formats[name] = "{:.1f}%"
        elif any(word in name for word in money_words) or name == "customer_acquisition_cost":
            formats[name] = "{:,.0f} " + currency
        elif pd.api.types.is_float_dtype(frame[column]):
            formats[name] = "{:,.1f}"
        else:
            formats[name] = "{:,}"
    colours = {"overspend": "#f4cccc", "problem": "#f4cccc", "underspend": "#fff2cc", "ok": "#d9ead3"}

    def colour(value: Any) -> str:
        return f"background-color: {colours[value]}" if value in colours else ""

    styled = frame.style.format(formats, na_rep="n/a").hide(axis="index")
    flagged = [c for c in ("flag", "status") if c in frame.columns]
    return styled.map(colour, subset=flagged) if flagged else styled


def kpi_tiles(report: MetricsReport, *, currency: str = "USD") -> str:
    """The headline figures as a row of tiles, in static HTML."""
    totals = _totals(report)
    funnel = report.funnel_total
    tiles = [
        (_("Emails delivered"), f"{_first(report.email_total, 'delivered'):,.0f}" if len(report.email_total) else "0"),
        (_("Open rate"), _pct(_first(report.email_total, "open_rate"))),
        (_("Click-through rate"), _pct(_first(report.email_total, "click_through_rate"))),
        (_("New leads"), f"{_first(funnel, 'leads'):,.0f}"),
        (_("MQLs"), f"{_first(funnel, 'mqls'):,.0f}"),
        (_("Customers won"), f"{totals['customers']:,.0f}"),
        (_("Spend"), _money(totals["spend"], currency)),
        (_("CAC"), _money(totals["cac"], currency)),
        (_("ROMI (source channel)"), _pct(totals["romi"])),
    ]
    cells = "".join(tile(label, value) for label, value in tiles)
    return f'<div style="display:flex;flex-wrap:wrap;gap:8px">{cells}</div>'
