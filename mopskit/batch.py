"""Batch reports: one report, many parameter sets, run in parallel, resumable, with an index page.

A batch is a CSV or YAML file with one parameter set per row (an optional ``run`` column names each run).
Every row is checked before any kernel starts. Each run gets a folder under the output folder holding the
executed notebook, the HTML page and ``run.json`` (parameters, fingerprint, status, duration, error), written
last, so a run killed halfway never passes for finished. Running the same batch again skips every run whose
report notebook and parameters are unchanged and whose outputs are there (unless ``force``), so a stopped
batch picks up where it stopped. The batch writes ``index.html`` (every run, its status, duration,
parameters, error) and ``summary.json`` beside the run folders.

The runs go through :mod:`mopskit.executor`: a local process pool, or a Dask cluster. Workers send the
notebook and HTML back as bytes and this process writes them, so a cluster needs no shared disk for outputs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ExecutorError, ParameterError, ReportError, TaskFailed
from .reports import ReportInfo, execute_report, parameter_problems, report_info, valid_parameters

__all__ = ["BatchResult", "RunRecord", "plan_runs", "read_runs", "run_batch"]

RUN_COLUMN = "run"
RUN_FILE = "run.json"
INDEX_FILE = "index.html"
SUMMARY_FILE = "summary.json"
STATUSES = ("ok", "failed", "skipped", "not run")
_MAX_LISTED = 40


@dataclass(frozen=True)
class PlannedRun:
    """One checked row of a batch: its run name, where it came from, and its coerced parameters."""

    name: str
    where: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class RunRecord:
    """How one run of a batch ended.

    Attributes:
        name: the run's name, also its folder under the output folder.
        status: ``ok``; ``failed``; ``skipped`` (outputs up to date from an earlier batch, not run again);
            or ``not run`` (the batch was stopped first).
        parameters: the parameter values it ran with.
        seconds: how long it ran (for a skipped run: how long it ran last time), or None.
        error: what went wrong, for a failed run.
        folder: the run's folder.
        notebook: the executed notebook, when there is one.
        html: the HTML page, when the run succeeded.

    """

    name: str
    status: str
    parameters: dict[str, Any]
    seconds: float | None
    error: str | None
    folder: Path
    notebook: Path | None = None
    html: Path | None = None


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: every run with its status, and where the index and summary are."""

    report: str
    title: str
    out_dir: Path
    runs: list[RunRecord] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def index(self) -> Path:
        """The batch's index page."""
        return self.out_dir / INDEX_FILE

    @property
    def summary(self) -> Path:
        """The machine-readable summary (JSON)."""
        return self.out_dir / SUMMARY_FILE

    @property
    def failed(self) -> list[RunRecord]:
        """The runs that failed."""
        return [r for r in self.runs if r.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when every run succeeded now or earlier (none failed, none left unrun)."""
        return all(r.status in ("ok", "skipped") for r in self.runs)

    def counts(self) -> dict[str, int]:
        """How many runs ended in each status."""
        return {status: sum(r.status == status for r in self.runs) for status in STATUSES}

    def describe(self) -> str:
        """A few lines for a terminal: the counts, each failure, and where the index is."""
        counts = self.counts()
        parts = [f"{counts['ok']} ok", f"{counts['failed']} failed"]
        if counts["skipped"]:
            parts.append(f"{counts['skipped']} skipped (up to date; --force runs them again)")
        if counts["not run"]:
            parts.append(f"{counts['not run']} not run")
        lines = [f"Batch '{self.report}': {', '.join(parts)} in {self.seconds:.1f} s"]
        lines += [f"  failed: {r.name}: {_first_line(r.error)}" for r in self.failed]
        lines += [f"  index:   {self.index}", f"  summary: {self.summary}"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from ._batch_index import render_table

        return render_table(self)


def _first_line(text: str | None, limit: int = 200) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


# --- reading the runs file ------------------------------------------------------------------------------------


def _decode(raw: bytes, label: str) -> str:
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ParameterError(
            f"{label}: this is an Excel workbook; save it as 'CSV UTF-8 (Comma delimited)' and pass the .csv"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_rows(path: Path) -> list[tuple[str, dict[str, str]]]:
    text = _decode(path.read_bytes(), path.name)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ParameterError(
            f"{path.name}: the file is empty; write a header row of parameter names, then one row per run"
        )
    try:
        sep = csv.Sniffer().sniff(lines[0], delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = [h.strip() for h in next(reader)]
    if "" in header or len(set(header)) != len(header):
        raise ParameterError(
            f"{path.name}: row 1 must name each column once (got: {', '.join(header)}); "
            f"columns are parameter names, plus an optional '{RUN_COLUMN}' column"
        )
    rows = []
    for number, cells in enumerate(reader, 2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise ParameterError(
                f"{path.name}: row {number} has {len(cells)} cells but the header has {len(header)}; a value "
                f"probably contains the separator '{sep}': put that value in double quotes"
            )
        # an empty cell keeps the report's default for that parameter
        rows.append((f"row {number}", {h: c.strip() for h, c in zip(header, cells, strict=True) if c.strip()}))
    return rows


def _yaml_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path.name}: not readable as YAML ({exc})") from None
    if isinstance(loaded, Mapping):  # run name -> parameters
        items = [
            {RUN_COLUMN: name, **(params or {})} if isinstance(params, Mapping | None) else params
            for name, params in loaded.items()
        ]
    elif isinstance(loaded, list):
        items = loaded
    else:
        raise ParameterError(
            f"{path.name}: expected a list of runs ('- dataset: campaigns' items) or a mapping of run name to "
            f"parameters (got {type(loaded).__name__})"
        )
    rows = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            raise ParameterError(
                f"{path.name}: item {number} must be a mapping of parameter names to values (got {item!r})"
            )
        rows.append((f"item {number}", {str(k): v for k, v in item.items()}))
    return rows


def read_runs(path: str | Path) -> list[tuple[str, dict[str, Any]]]:
    """Read a batch file: a CSV (header of parameter names) or YAML (a list of parameter mappings).

    CSV files saved by Excel work as they are (BOM, ``;`` separator, Windows-1252). An empty cell keeps the
    report's default; a ``run`` column names the runs. YAML may also map run names to parameter mappings.

    Returns:
        One ``(where, values)`` pair per run: ``where`` names its row (``"row 3"``, numbered as in a
        spreadsheet, header being row 1) or YAML item (``"item 2"``).

    Raises:
        ParameterError: for a missing, empty, unreadable or ragged file, or an unknown suffix.

    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"batch file '{path}' not found (working folder: {Path.cwd()})")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_rows(path)
    if suffix in (".yaml", ".yml"):
        return _yaml_rows(path)
    raise ParameterError(f"batch file '{path.name}': use a .csv or .yaml file (got '{suffix or 'no suffix'}')")


# --- checking the runs ----------------------------------------------------------------------------------------


def _safe_name(text: str) -> str:
    """A folder name made of letters, digits, ``.``, ``-`` and ``_``.

    >>> _safe_name("North / EMEA: Q1")
    'North-EMEA-Q1'
    """
    return re.sub(r"[^\w.\-]+", "-", text).strip("-.")[:80]


def _default_name(number: int, values: Mapping[str, Any]) -> str:
    """``001-campaigns``: the run's position and its parameter values.

    >>> _default_name(3, {"dataset": "exports/contacts.csv", "table": "contacts"})
    '003-exports-contacts.csv-contacts'
    """
    label = _safe_name("-".join(str(v) for v in values.values()))[:60].strip("-.")
    return f"{number:03d}-{label}" if label else f"{number:03d}"


def plan_runs(
    info: ReportInfo, rows: Sequence[tuple[str, Mapping[str, Any]]], *, shared: Mapping[str, Any] | None = None
) -> list[PlannedRun]:
    """Check every row and name every run, or raise one error listing every bad row.

    Args:
        info: the report, from :func:`mopskit.reports.report_info`.
        rows: ``(where, values)`` pairs, as :func:`read_runs` returns them.
        shared: values every run gets; a row's own value wins.

    Raises:
        ParameterError: listing each bad row (where, parameter, what is wrong), duplicate run names, and the
            report's valid parameters.

    """
    problems: list[str] = []
    planned: list[PlannedRun] = []
    for number, (where, row) in enumerate(rows, 1):
        values = {**(shared or {}), **row}
        given_name = values.pop(RUN_COLUMN, None)
        coerced, bad = parameter_problems(info, values)
        problems += [f"{where}: {problem}" for problem in bad]
        name = _safe_name(str(given_name)) if given_name not in (None, "") else _default_name(number, row)
        if given_name not in (None, "") and not name:
            problems.append(f"{where}: the run name {given_name!r} has no letter or digit to name a folder with")
        if name.lower() in (INDEX_FILE, SUMMARY_FILE):
            problems.append(f"{where}: the run name '{name}' is taken by the batch's own {name}; choose another")
        planned.append(PlannedRun(name or f"{number:03d}", where, coerced))
    seen: dict[str, list[str]] = {}
    for run in planned:
        seen.setdefault(run.name.casefold(), []).append(run.where)
    for run_name, places in seen.items():
        if len(places) > 1:
            problems.append(
                f"{' and '.join(places)}: the run name '{run_name}' is used {len(places)} times; "
                f"give each row its own '{RUN_COLUMN}'"
            )
    if not planned:
        problems.append("the batch has no runs; add one row per run under the header")
    if problems:
        more = len(problems) - _MAX_LISTED
        listed = problems[:_MAX_LISTED] + ([f"... and {more} more"] if more > 0 else [])
        raise ParameterError(
            f"batch for report '{info.name}': {len(problems)} problem(s), nothing was run:\n"
            + "\n".join(f"  {line}" for line in listed)
            + "\n"
            + valid_parameters(info)
        )
    return planned


# --- running --------------------------------------------------------------------------------------------------


def run_one(
    *,
    source: str,
    name: str,
    values: dict[str, Any],
    stem: str,
    shown_as: str,
    show_code: bool,
    timeout: int,
    cwd: str | None,
) -> dict[str, bytes]:
    """Execute one run where it was sent and hand back its notebook and HTML as bytes (an executor task).

    Raises:
        TaskFailed: when the report fails or times out, carrying the partly executed notebook's bytes.

    """
    with tempfile.TemporaryDirectory(prefix="mopskit-run-") as tmp:
        folder = Path(tmp)
        notebook, html = folder / f"{stem}.ipynb", folder / f"{stem}.html"
        (folder / "source.ipynb").write_text(source, encoding="utf-8")
        here = cwd if cwd and Path(cwd).is_dir() else None  # a cluster worker may not have the caller's folder
        try:
            execute_report(
                folder / "source.ipynb",
                notebook,
                html,
                values,
                name=name,
                show_code=show_code,
                timeout=timeout,
                cwd=here,
            )
        except ReportError as exc:
            kept = notebook.read_bytes() if notebook.is_file() else None
            raise TaskFailed(str(exc).replace(str(notebook), shown_as), {"notebook": kept}) from None
        return {"notebook": notebook.read_bytes(), "html": html.read_bytes()}


def _fingerprint(source: bytes, values: Mapping[str, Any], show_code: bool) -> str:
    digest = hashlib.sha256(source)
    digest.update(json.dumps({"parameters": values, "show_code": show_code}, sort_keys=True).encode())
    return digest.hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a run stopped mid-write leaves no half file under the real name."""
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _up_to_date(folder: Path, stem: str, fingerprint: str) -> dict[str, Any] | None:
    previous = _read_json(folder / RUN_FILE)
    done = (
        previous.get("status") == "ok"
        and previous.get("fingerprint") == fingerprint
        and (folder / f"{stem}.ipynb").is_file()
        and (folder / f"{stem}.html").is_file()
    )
    return previous if done else None


def _store(folder: Path, stem: str, run: PlannedRun, report: str, fingerprint: str, outcome: Any) -> RunRecord:
    """Write a finished run's files, ``run.json`` last: until it is there the run counts as not done."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RUN_FILE).unlink(missing_ok=True)
    files = outcome.value if isinstance(outcome.value, dict) else {}
    notebook, html = folder / f"{stem}.ipynb", folder / f"{stem}.html"
    if files.get("notebook") is not None:
        _write(notebook, files["notebook"])
    if outcome.ok:
        _write(html, files["html"])
    else:
        html.unlink(missing_ok=True)  # an earlier run's page would tell the wrong story
    status = "ok" if outcome.ok else "failed"
    record = {
        "run": run.name,
        "report": report,
        "status": status,
        "parameters": run.parameters,
        "fingerprint": fingerprint,
        "seconds": round(outcome.seconds, 3),
        "error": outcome.error,
        "traceback": None if outcome.ok or isinstance(outcome.value, dict) else outcome.traceback,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "mopskit": __version__,
    }
    _write(folder / RUN_FILE, json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8"))
    return RunRecord(
        run.name,
        status,
        run.parameters,
        outcome.seconds,
        outcome.error,
        folder,
        notebook if notebook.is_file() else None,
        html if outcome.ok else None,
    )


def run_batch(
    name: str,
    runs: str | Path | Sequence[Mapping[str, Any]],
    *,
    out_dir: str | Path = "reports-out",
    parameters: Mapping[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    show_code: bool = False,
    timeout: int = 600,
    progress: bool = True,
) -> BatchResult:
    """Run one report for many parameter sets, in parallel, skipping runs that are already done.

    Args:
        name: the report, e.g. ``"dataset_profile"``, or the path of a ``.ipynb`` report notebook.
        runs: a CSV or YAML batch file (see :func:`read_runs`), or a list of parameter mappings (each may
            carry a ``run`` name).
        out_dir: folder for one sub-folder per run, ``index.html`` and ``summary.json``.
        parameters: values every run gets (a run's own value wins).
        workers: local worker processes (default: one per core); not used with ``scheduler``.
        scheduler: the address of a Dask scheduler (``tcp://host:8786``) to run on instead of locally;
            needs ``pip install 'mopskit[dask]'`` here and on every worker.
        force: run every row again, even those whose outputs are up to date.
        show_code: keep the code cells in the HTML pages.
        timeout: seconds one cell may run before its run is stopped and counted as failed.
        progress: show a progress bar (runs done, failed, time left).

    Returns:
        Every run with its status; the index page and summary are written even when runs fail.

    Raises:
        ParameterError: before any kernel starts, listing every bad row.
        ExecutorError: before any kernel starts, when the runs cannot be sent where asked.
        KeyboardInterrupt: on Ctrl+C, after stopping every kernel and writing the index of what finished.

    """
    from .executor import Task, run_all

    started = time.perf_counter()
    info = report_info(name)
    rows = read_runs(runs) if isinstance(runs, str | Path) else [(f"item {i}", dict(r)) for i, r in enumerate(runs, 1)]
    planned = plan_runs(info, rows, shared=parameters)
    source = info.path.read_bytes()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = info.name
    records: dict[str, RunRecord] = {}
    fingerprints = {run.name: _fingerprint(source, run.parameters, show_code) for run in planned}
    tasks = []
    for run in planned:
        folder = out / run.name
        previous = None if force else _up_to_date(folder, stem, fingerprints[run.name])
        if previous is not None:
            records[run.name] = RunRecord(
                run.name,
                "skipped",
                run.parameters,
                previous.get("seconds"),
                None,
                folder,
                folder / f"{stem}.ipynb",
                folder / f"{stem}.html",
            )
            continue
        kwargs = {
            "source": source.decode("utf-8"),
            "name": info.name,
            "values": run.parameters,
            "stem": stem,
            "shown_as": str(folder / f"{stem}.ipynb"),
            "show_code": show_code,
            "timeout": timeout,
            "cwd": str(Path.cwd()),
        }
        tasks.append(Task(run.name, run_one, kwargs))
    by_name = {run.name: run for run in planned}
    write_index = True
    try:
        with closing(run_all(tasks, workers=workers, scheduler=scheduler, progress=progress, label="runs")) as done:
            for outcome in done:
                run = by_name[outcome.key]
                records[run.name] = _store(out / run.name, stem, run, info.name, fingerprints[run.name], outcome)
    except ExecutorError:
        write_index = False
        raise
    finally:
        if write_index:
            runs_in_order = [
                records.get(run.name) or RunRecord(run.name, "not run", run.parameters, None, None, out / run.name)
                for run in planned
            ]
            result = BatchResult(info.name, info.title, out, runs_in_order, time.perf_counter() - started)
            from ._batch_index import write_outputs

            write_outputs(result)
    return result
