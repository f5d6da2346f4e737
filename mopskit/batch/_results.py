"""What a batch returns: one record per run, and the batch's result with its counts, outputs and table of runs."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .._html import escape

RUN_FILE = "run.json"
INDEX_FILE = "index.html"
SUMMARY_FILE = "summary.json"
STATUSES = ("ok", "failed", "skipped", "not run")


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
        return render_table(self, base=Path.cwd())  # a notebook serves files relative to its folder


def _first_line(text: str | None, limit: int = 200) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


_TIPS = {
    "ok": "ran in this batch and succeeded",
    "failed": "ran in this batch and failed: see the error, and the notebook for the failing cell",
    "skipped": "up to date from an earlier batch (same report, same parameters), so not run again",
    "not run": "the batch was stopped before this run finished; run the batch again to do it",
}


def _href(path: Path | None, out_dir: Path) -> str | None:
    if path is None:
        return None
    return quote(os.path.relpath(path, out_dir).replace(os.sep, "/"))


def _parameters_html(parameters: dict[str, Any]) -> str:
    if not parameters:
        return "<em>defaults</em>"
    return "<br>".join(
        f'<span class="param"><code>{escape(k)}</code> = <code>{escape(json.dumps(v, ensure_ascii=False))}</code>'
        "</span>"
        for k, v in parameters.items()
    )


def _error_html(error: str | None) -> str:
    if not error:
        return ""
    return f"<details><summary>{escape(_first_line(error, 160))}</summary><pre>{escape(error)}</pre></details>"


def render_table(result: BatchResult, *, base: Path | None = None) -> str:
    """The runs as an HTML table: name (linked to its page), status, duration, parameters, error.

    Links are relative to ``base`` (default: the batch's output folder, where the index page is).
    """
    rows = []
    base = base or result.out_dir
    for record in result.runs:
        html, notebook = _href(record.html, base), _href(record.notebook, base)
        name = f'<a href="{html}">{escape(record.name)}</a>' if html else escape(record.name)
        if notebook:
            name += f' <small>(<a href="{notebook}">notebook</a>)</small>'
        seconds = "" if record.seconds is None else f"{record.seconds:.1f} s"
        css = record.status.replace(" ", "-")
        rows.append(
            f'<tr><td>{name}</td><td><span class="status {css}" title="{_TIPS[record.status]}">'
            f"{escape(record.status)}</span></td>"
            f'<td class="num">{seconds}</td><td>{_parameters_html(record.parameters)}</td>'
            f"<td>{_error_html(record.error)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>run</th><th>status</th><th>duration</th><th>parameters</th><th>error</th></tr>"
        "</thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
