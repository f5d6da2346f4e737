"""What a batch returns: one record per run, and the batch's result with its counts and outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        from ._index import render_table

        return render_table(self, base=Path.cwd())  # a notebook serves files relative to its folder


def _first_line(text: str | None, limit: int = 200) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."
