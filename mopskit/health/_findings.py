"""A finding and its evidence: what is wrong, how much, where (file and row), and what to do about it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import checked, count, number
from ..data.exports import Imports
from ..errors import ParameterError
from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EVIDENCE_ROWS",
    "SECTIONS",
    "SEVERITIES",
    "Context",
    "Finding",
    "Settings",
    "section_name",
    "settings_of",
    "share",
]

SEVERITIES = ("high", "medium", "low", "info")
# the report's sections, in the order a MOps lead reads them
SECTIONS = {
    "consent": "Consent",
    "quality": "Data quality",
    "email": "Email health",
    "funnel": "Funnel and SLA",
    "campaigns": "Campaign responses",
    "tracking": "Web tracking",
    "stack": "Martech stack",
}
EVIDENCE_ROWS = 10


@checked
def section_name(section: str) -> str:
    """A report section's name in the trainee's language, by its key or its English name (else as given).

    >>> section_name("quality"), section_name("Data quality"), section_name("other")
    ('Data quality', 'Data quality', 'other')
    """
    names = {
        "consent": _("Consent"),
        "quality": _("Data quality"),
        "email": _("Email health"),
        "funnel": _("Funnel and SLA"),
        "campaigns": _("Campaign responses"),
        "tracking": _("Web tracking"),
        "stack": _("Martech stack"),
    }
    key = next((k for k, english in SECTIONS.items() if section in (k, english)), section)
    return names.get(key, section)


@dataclass(frozen=True)
class Settings:
    """The thresholds of the health check; every one is explained in the report.

    Attributes:
        sla_hours: sales follows up a new MQL within this many business hours (first sales touch, or the SQL
            date when the export has no first-touch column); the default is :func:`mopskit.leads.sla_status`'s.
        business_hours: the working week the SLA counts, ``HH:MM-HH:MM`` with optional days (see
            :func:`mopskit.leads.parse_business_hours`).
        time_zone: the IANA time zone of the sales team's clock.
        min_sends: campaigns with fewer sends are not judged on their rates (too few to tell).
        outlier_z: a campaign's rate is an outlier above this robust z-score (median and MAD of all campaigns).
        bounce_alarm_pct: a bounce rate at or above this is flagged whatever the other campaigns do.
        unsubscribe_alarm_pct: an unsubscribe rate at or above this is flagged whatever the others do.
        consent_grace_hours: sends this soon after an unsubscribe are not counted (a send already under way).
        tracking_gap_days: this many days in a row with CRM sign-ups but no web-analytics events is a gap.

    """

    sla_hours: float = 8.0
    business_hours: str = "09:00-17:00 mon-fri"
    time_zone: str = "UTC"
    min_sends: int = 100
    outlier_z: float = 3.5
    bounce_alarm_pct: float = 10.0
    unsubscribe_alarm_pct: float = 2.0
    consent_grace_hours: float = 0.0
    tracking_gap_days: int = 2


def settings_of(values: Mapping[str, Any]) -> Settings:
    """The thresholds given by name, checked (see :class:`Settings`); unknown names and bad values refused."""
    names = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ParameterError(
            _("unknown setting(s) {names}; valid: {valid}").format(
                names=", ".join(unknown), valid=", ".join(sorted(names))
            )
        )
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name == "business_hours":
            from ..leads import parse_business_hours

            parse_business_hours(value)  # refused here, with how to write it, before anything runs
            checked[name] = str(value)
        elif name == "time_zone":
            from ..leads.hours import check_time_zone

            checked[name] = check_time_zone(value, function="health_check")
        elif isinstance(getattr(Settings, name), int):  # how many: whole numbers
            checked[name] = count(value, name, function="health_check")
        else:
            checked[name] = number(value, name, function="health_check", minimum=0)
    return Settings(**checked)


@dataclass
class Finding:
    """One problem the health check found, with its evidence.

    Attributes:
        id: a stable id, e.g. ``emailed_after_unsubscribe``.
        section: the report section (a key of ``SECTIONS``).
        title: the problem in a few words.
        severity: ``high``, ``medium``, ``low`` or ``info``.
        count: how many (records, sends, people, campaigns, days: see ``unit``).
        unit: what ``count`` counts.
        summary: the problem in a sentence, with its numbers.
        fix: what to do about it.
        evidence: the first affected rows, each with its system, file and row.
        rows: how many rows the evidence CSV holds (every affected row).
        csv: the CSV file of every affected row (relative to the report folder), or None.
        out_of: what ``count`` is out of, where that makes sense.

    """

    id: str
    section: str
    title: str
    severity: str
    count: int
    unit: str
    summary: str
    fix: str
    evidence: pd.DataFrame
    rows: int = 0
    csv: str | None = None
    out_of: int | None = None

    def __post_init__(self) -> None:
        from ..present import with_result_headers

        if hasattr(self.evidence, "columns"):
            with_result_headers(self.evidence)  # its system, file and row headed in the trainee's language when shown

    def as_row(self) -> dict[str, Any]:
        """The finding as one row of the findings table."""
        return {
            "id": self.id,
            "section": SECTIONS.get(self.section, self.section),
            "severity": self.severity,
            "title": self.title,
            "count": self.count,
            "unit": self.unit,
            "out_of": self.out_of,
            "summary": self.summary,
            "fix": self.fix,
            "evidence_csv": self.csv,
        }


@dataclass
class Context:
    """What every check works on: the imported tables, the date, the thresholds, where evidence goes."""

    imports: Imports
    as_of: pd.Timestamp
    settings: Settings
    evidence_dir: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    scores: dict[str, tuple[float, str]] = field(default_factory=dict)

    @property
    def con(self) -> Any:
        """The DuckDB connection holding the imported tables."""
        return self.imports.connection

    def files_with(self, table: str, *columns: str) -> list[str]:
        """The files of a table whose import read every one of these columns."""
        return [f.label for f in self.imports.files if f.table == table and all(c in f.read for c in columns)]

    def count(self, sql: str) -> int:
        """The single number a query returns."""
        value = self.con.execute(sql).fetchone()[0]
        return int(value or 0)

    def affected(self, key: str, sql: str, *, order: str = "file, row") -> tuple[int, pd.DataFrame, str | None]:
        """Keep the rows of one finding: their count, the first ones, and a CSV of all of them.

        Args:
            key: the finding's id (names the temporary table and the CSV).
            sql: a query returning the affected rows (with ``system``, ``file`` and ``row`` where they exist).
            order: how rows are ordered in the evidence.

        Returns:
            The number of rows, the first :data:`EVIDENCE_ROWS` of them, and the CSV's name (None if no rows).

        """
        name = "finding_" + re.sub(r"[^0-9a-z_]", "_", key)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        total = self.count(f"SELECT count(*) FROM {name}")
        head = self.con.execute(f"SELECT * FROM {name} ORDER BY {order} LIMIT {EVIDENCE_ROWS}").df()
        if not total:
            return 0, head, None
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        csv_path = self.evidence_dir / f"{key}.csv"
        target = str(csv_path).replace("'", "''")
        self.con.execute(f"COPY (SELECT * FROM {name} ORDER BY {order}) TO '{target}' (HEADER, DELIMITER ',')")
        return total, head, f"{self.evidence_dir.name}/{csv_path.name}"

    def in_list(self, values: Sequence[str]) -> str:
        """An SQL ``IN (...)`` list of texts (never empty: ``IN (NULL)`` matches nothing)."""
        if not values:
            return "(NULL)"
        return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"

    def score(self, part: str, value: float, explanation: str) -> None:
        """Record one part of the health score (0-100, NaN when it cannot be scored) and why."""
        self.scores[part] = (value, explanation)


def share(good: float, total: float) -> float:
    """``good`` as a percentage of ``total`` (NaN when there is nothing to score), rounded to 0.1.

    >>> share(3, 4), share(0, 0) != share(0, 0)
    (75.0, True)
    """
    return float("nan") if not total else round(100.0 * good / total, 1)
