"""The MOps health check: one folder of exports in, one report a MOps lead acts on out.

:func:`health_check` reads every export in the folder into the kit's tables (DuckDB, in a database file, so
memory stays flat however big the exports), runs the checks of each section, scores the parts, and writes
``health_report.html`` with ``findings.csv``, ``imports.csv`` and ``evidence/<finding>.csv`` (every affected
row, with its file and row) beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import checked, day, problem
from ..data import connect
from ..data.exports import import_exports
from ..errors import DataError, ParameterError
from ..i18n import _
from . import consent, email_health, funnel, inventory, quality, responses, tracking
from ._findings import SEVERITIES, Context, Finding, Settings, section_name, settings_of
from .result import REPORT, HealthCheck
from .score import health_score

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CHECKS", "PRIORITY", "FolderOutcome", "check_folders", "health_check"]

CHECKS: dict[str, Callable[[Context], list[Finding]]] = {
    "quality": quality.check,
    "consent": consent.check,
    "email": email_health.check,
    "funnel": funnel.check,
    "campaigns": responses.check,
    "tracking": tracking.check,
    "stack": inventory.check,
}
# within a severity, what to fix first: legal risk, then the sender's reputation, then leads going to waste,
# then what makes every report wrong, then the rest
PRIORITY = (
    "emailed_after_unsubscribe",
    "consent_conflict",
    "email_outliers",
    "missing_owner",
    "sla_breaches",
    "duplicates",
    "invalid_emails",
    "unlisted_systems",
    "tracking_gaps",
    "stack_audit",
    "unreadable",
    "missing_stage",
    "stage_dates",
    "untagged_leads",
    "status_definitions",
    "response_mismatch",
)
EVIDENCE = "evidence"


def _as_of(con: Any, value: dt.date | None) -> pd.Timestamp:
    """The end of the day checked: the one asked for, else the day of the latest record in the exports."""
    import pandas as pd

    if value is not None:
        return pd.Timestamp(value) + pd.Timedelta(hours=23, minutes=59, seconds=59)
    latest = con.execute(
        """SELECT max(t) FROM (
            SELECT max(created_at) AS t FROM contacts UNION ALL SELECT max(occurred_at) FROM email_events
            UNION ALL SELECT max(occurred_at) FROM web_events UNION ALL SELECT max(created_at) FROM campaign_members)"""
    ).fetchone()[0]
    last = pd.Timestamp(latest) if latest is not None else pd.Timestamp(dt.date.today())
    return last.normalize() + pd.Timedelta(hours=23, minutes=59, seconds=59)


def _ranked(findings: list[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[int, int, int]:
        order = PRIORITY.index(f.id) if f.id in PRIORITY else len(PRIORITY)
        return (SEVERITIES.index(f.severity), order, -f.count)

    return sorted(findings, key=key)


def _clear(out: Path) -> None:
    """Remove what an earlier run wrote here (and only that), so no stale evidence is left beside new results."""
    for name in (REPORT, "findings.csv", "imports.csv", "summary.json"):
        (out / name).unlink(missing_ok=True)
    evidence = out / EVIDENCE
    if evidence.is_dir():
        for item in evidence.glob("*.csv"):
            item.unlink()


@checked
def health_check(
    exports: str | Path,
    *,
    out_dir: str | Path = "health-report",
    as_of: str | dt.date | None = None,
    mapping: str | Path | None = None,
    weights: Mapping[str, float] | None = None,
    progress: bool = False,
    write_report: bool = True,
    work_dir: str | Path | None = None,
    **settings: Any,
) -> HealthCheck:
    """Run the MOps health check on a folder of exports and write its report.

    Args:
        exports: the folder of exports (HubSpot, Mailchimp, Salesforce, Marketo, GA4 exports and a stack
            inventory, in any mix; zip archives and sub-folders are read too).
        out_dir: where ``health_report.html``, ``findings.csv``, ``imports.csv`` and ``evidence/`` go (files of
            an earlier run there are replaced).
        as_of: the day to check as of (``YYYY-MM-DD``); default: the day of the latest record in the exports.
        mapping: a mapping file for exports the kit does not recognise (see :mod:`mopskit.data.exports`).
        weights: weight of each part of the health score (default 1 each).
        progress: show a progress bar.
        write_report: write the HTML report (the CSVs are always written).
        work_dir: where the working database goes (default: a temporary folder, removed at the end).
        **settings: thresholds, see :class:`Settings` (``sla_hours=16``, ``business_hours="08:00-16:00"``,
            ``time_zone="Europe/Bucharest"``, ``min_sends=200``, ...).

    Returns:
        The :class:`HealthCheck`.

    Raises:
        DataError: a file cannot be read, or is not recognised (listing each, with how to map it).
        ParameterError: an unknown setting or weight, a bad date.

    """
    chosen = settings_of(settings)
    when = None if as_of is None else day(as_of, "as_of", function="health_check")
    folder = Path(exports)
    if not folder.is_dir():
        raise DataError(
            _("{folder}: no such folder (working folder: {cwd}); give the folder that holds the exports").format(
                folder=folder, cwd=Path.cwd()
            ),
            problems=["no such folder"],
            source=str(folder),
        )
    health_score({}, weights=weights)  # refuse bad weights before anything is written
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    owned = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="mopskit-health-")) if owned else Path(work_dir)  # type: ignore[arg-type]
    work.mkdir(parents=True, exist_ok=True)
    steps = ["read", *CHECKS, "report"]
    bar = _bar(progress, steps)
    con = connect(temp_directory=work / "spill")  # in memory, spilling to disk past the memory limit
    try:
        bar("read")
        imports = import_exports(exports, connection=con, work_dir=work / "files", mapping=mapping)
        ctx = Context(imports, _as_of(con, when), chosen, out / EVIDENCE)
        findings: list[Finding] = []
        for section, run in CHECKS.items():
            bar(section)
            findings += run(ctx)
        result = HealthCheck(
            folder=Path(exports),
            as_of=ctx.as_of,
            settings=chosen,
            files=imports.files,
            skipped=imports.skipped,
            inventory=imports.inventories[0][1] if imports.inventories else None,
            findings=_ranked(findings),
            health=health_score(ctx.scores, weights=weights),
            tables=ctx.tables,
            out_dir=out,
            notes=imports.notes,
        )
        bar("report")
        result.findings_table().to_csv(out / "findings.csv", index=False)
        result.imports_table().to_csv(out / "imports.csv", index=False)
        (out / "summary.json").write_text(json.dumps(_summary_json(result), indent=2), encoding="utf-8")
        if write_report:
            from .report import write_report as write

            write(result, out / REPORT)
    finally:
        bar(None)
        con.close()
        if owned:
            shutil.rmtree(work, ignore_errors=True)
    return result


def _summary_json(result: HealthCheck) -> dict[str, Any]:
    def number(value: float) -> float | None:
        return None if value != value else value

    return {
        "folder": str(result.folder),
        "as_of": f"{result.as_of:%Y-%m-%d}",
        "score": number(result.score),
        "parts": {r.part: number(r.score) for r in result.health.parts.itertuples()},
        "findings": [{"id": f.id, "severity": f.severity, "count": f.count, "csv": f.csv} for f in result.findings],
        "files": [{"file": f.label, "export": f.title, "rows": f.rows} for f in result.files],
    }


def _bar(enabled: bool, steps: list[str]) -> Callable[[str | None], None]:
    if not enabled:
        return lambda step: None
    from tqdm.auto import tqdm

    bar = tqdm(total=len(steps), desc=_("health check"), unit=_("step"))
    state = {"started": False}

    def advance(step: str | None) -> None:
        if step is None:
            if bar.n < bar.total and state["started"]:
                bar.update(1)
            bar.close()
            return
        if state["started"]:
            bar.update(1)
        state["started"] = True
        bar.set_postfix_str(section_name(step))

    return advance


@dataclass(frozen=True)
class FolderOutcome:
    """How the health check of one folder ended, when several are checked at once.

    Attributes:
        folder: the exports folder.
        out_dir: where its report went.
        ok: whether the check ran.
        summary: the check's summary (see :meth:`HealthCheck.summary`), or the error when it failed.
        score: the health score (NaN when it failed or nothing could be scored).

    """

    folder: str
    out_dir: str
    ok: bool
    summary: str
    score: float = float("nan")


def _check_folder(folder: str, out_dir: str, options: dict[str, Any]) -> FolderOutcome:
    """Run one folder's check where the executor sent it; hand back only small, picklable facts."""
    result = health_check(folder, out_dir=out_dir, **options)
    return FolderOutcome(folder, out_dir, True, result.summary(), result.score)


@checked
def check_folders(
    folders: list[str | Path],
    *,
    out_dir: str | Path = "health-report",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    **options: Any,
) -> list[FolderOutcome]:
    """Check several export folders (one per subsidiary, region or brand), each into ``out_dir/<folder name>``.

    They run in parallel on local worker processes or, given a scheduler address, on a Dask cluster (whose
    workers must see the folders at the same paths). A folder that fails is reported and the others go on.

    Args:
        folders: the export folders (their names must differ: each names its report folder).
        out_dir: the folder that receives one report folder per export folder.
        workers: local worker processes (default: one per core).
        scheduler: a Dask scheduler address, e.g. ``tcp://10.0.0.5:8786`` (needs ``mopskit[dask]``).
        progress: show a progress bar over the folders.
        **options: passed to :func:`health_check` for every folder (``as_of``, ``mapping``, thresholds...).

    Returns:
        One :class:`FolderOutcome` per folder, in the order given.

    """
    from ..executor import Task, run_all

    for index, folder in enumerate(folders):
        if not isinstance(folder, str | os.PathLike):
            rule = _("a folder (text or a path)")
            raise ParameterError(problem("check_folders", f"folders[{index}]", rule, folder))
    names = [Path(f).resolve().name for f in folders]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ParameterError(
            _("two export folders have the same name ({names}); each names its report folder, so rename one").format(
                names=", ".join(twice)
            )
        )
    settings_of({k: v for k, v in options.items() if k in {f.name for f in fields(Settings)}})
    base = Path(out_dir)
    tasks = [
        Task(name, _check_folder, {"folder": str(folder), "out_dir": str(base / name), "options": dict(options)})
        for name, folder in zip(names, folders, strict=True)
    ]
    outcomes = {}
    for outcome in run_all(tasks, workers=workers, scheduler=scheduler, progress=progress, label="folders"):
        if outcome.ok:
            outcomes[outcome.key] = outcome.value
        else:
            folder = next(str(f) for n, f in zip(names, folders, strict=True) if n == outcome.key)
            outcomes[outcome.key] = FolderOutcome(folder, str(base / outcome.key), False, outcome.error or "")
    return [outcomes[n] for n in names]
