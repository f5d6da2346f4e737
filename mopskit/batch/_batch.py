"""Running a batch: plan the runs, send them to the executor, store each as it arrives, write the index."""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._textfile import read_json_dict
from .._version import __version__
from ..errors import ExecutorError, ReportError, TaskFailed
from ..reports import execute_report, report_info
from ._index import write_outputs, write_whole
from ._results import RUN_FILE, BatchResult, RunRecord
from ._runs import PlannedRun, plan_runs, read_runs

__all__ = ["run_batch", "run_one"]


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
        here = Path(cwd) if cwd and Path(cwd).is_dir() else None  # a cluster worker may not have the caller's folder
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


def _up_to_date(folder: Path, stem: str, fingerprint: str) -> dict[str, Any] | None:
    previous = read_json_dict(folder / RUN_FILE)
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
        write_whole(notebook, files["notebook"])
    if outcome.ok:
        write_whole(html, files["html"])
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
        "finished": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "mopskit": __version__,
    }
    write_whole(folder / RUN_FILE, json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8"))
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
    from ..executor import Task, run_all

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
            write_outputs(result)
    return result
