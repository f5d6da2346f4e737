"""The outputs of a batch beside its run folders: ``index.html`` for people, ``summary.json`` for programs.

The page is one self-contained file (inline style, no script, nothing fetched), so it opens offline and can
be mailed or zipped with the run folders. Every value from the runs is escaped.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._html import escape, page
from ._results import BatchResult, render_table

_STYLE = """
p.meta { margin-top: 0; } th { position: sticky; top: 0; } .param { white-space: nowrap; }
.status { font-weight: 600; padding: 0.1rem 0.45rem; border-radius: 0.6rem; white-space: nowrap; }
.status.ok { background: #e3f9e5; color: #0e5814; } .failed { background: #ffe3e3; color: #8a1c1c; }
.skipped { background: #e6f6ff; color: #035388; } .not-run { background: #fff3c4; color: #8d2b0b; }
"""  # the index's own rules, on top of the kit's stylesheet


def render_index(result: BatchResult) -> str:
    """The whole index page."""
    counts = ", ".join(f"{n} {status}" for status, n in result.counts().items() if n)
    title = f"{result.title}: batch of {len(result.runs)} runs"
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return page(
        title,
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="meta">Report <code>{escape(result.report)}</code> · {escape(counts)} · '
        f"{result.seconds:.1f} s · written {made} by mopskit. Skipped runs were up to date from an earlier "
        "batch; failed runs link to their notebook, which shows the failing cell.</p>\n"
        f"{render_table(result)}",
        style=_STYLE,
    )


def summary_data(result: BatchResult) -> dict[str, Any]:
    """The summary as plain data (what ``summary.json`` holds); paths are relative to the output folder."""
    return {
        "report": result.report,
        "title": result.title,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(result.seconds, 3),
        "ok": result.ok,
        "counts": result.counts(),
        "runs": [
            {
                "run": r.name,
                "status": r.status,
                "seconds": None if r.seconds is None else round(r.seconds, 3),
                "parameters": r.parameters,
                "error": r.error,
                "html": _relative(r.html, result.out_dir),
                "notebook": _relative(r.notebook, result.out_dir),
            }
            for r in result.runs
        ],
    }


def _relative(path: Path | None, out_dir: Path) -> str | None:
    return None if path is None else os.path.relpath(path, out_dir).replace(os.sep, "/")


def write_whole(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a run stopped mid-write leaves no half file under the real name."""
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)


def write_outputs(result: BatchResult) -> None:
    """Write ``index.html`` and ``summary.json`` into the batch's output folder."""
    write_whole(result.index, render_index(result).encode("utf-8"))
    write_whole(result.summary, json.dumps(summary_data(result), indent=2, ensure_ascii=False).encode("utf-8"))
