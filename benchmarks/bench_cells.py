"""Where a lesson's run time goes: each cell's time, in a fresh kernel, the way app mode runs the lesson.

Run: python benchmarks/bench_cells.py [--lesson 05_metrics] [--repeat 3] [--top 12] [--cold]

The lesson's trainee copy (released from its source as `mopskit start` releases it) runs top to bottom under
nbclient in a workspace folder of its own, as Voilà runs it before showing a page. Each cell's time is its
kernel time (from the request reaching the kernel to its reply), the median of N runs in fresh kernels; the
kernel start is reported apart. The table lists the slowest cells with their share of the run, and the sum of
all cells: what a trainee waits in app mode before the page shows anything. With ``--cold`` each run starts
from an empty workspace and cache (a trainee's first visit); by default the first run, untimed, fills what the
lesson caches, so the figures are a trainee's later visits.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mopskit.assess import release_notebook  # noqa: E402


def _seconds(cell: nbformat.NotebookNode) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    began, ended = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not began or not ended:
        return 0.0
    return (datetime.fromisoformat(ended.rstrip("Z")) - datetime.fromisoformat(began.rstrip("Z"))).total_seconds()


def run_once(copy: Path, workspace: Path, cache: Path) -> tuple[float, list[float]]:
    """Run the trainee copy in ``workspace`` once: the kernel start and each cell's time, in seconds."""
    nb = nbformat.read(copy, as_version=4)
    env = {**os.environ, "MOPSKIT_CACHE_DIR": str(cache), "MOPSKIT_ANSWERS_DIR": str(workspace / ".mopskit")}
    client = NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(workspace)}})
    started = time.perf_counter()
    with client.setup_kernel(env=env):
        kernel_start = time.perf_counter() - started
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    return kernel_start, [_seconds(c) if c.cell_type == "code" else 0.0 for c in nb.cells]


def _first_line(cell: nbformat.NotebookNode) -> str:
    lines = [line for line in cell.source.splitlines() if line.strip() and not line.startswith(("from ", "import "))]
    text = (lines or cell.source.splitlines() or [""])[0]
    return text[:60] + ("…" if len(text) > 60 else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="05_metrics", help="the lesson's name (default 05_metrics)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median reported)")
    parser.add_argument("--top", type=int, default=12, help="how many of the slowest cells to list")
    parser.add_argument("--cold", action="store_true", help="every run from an empty workspace and cache")
    args = parser.parse_args()
    source = ROOT / "notebooks" / f"{args.lesson}.ipynb"
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        copy = base / "release" / source.name
        release_notebook(source, copy)
        nb = nbformat.read(copy, as_version=4)
        starts, runs = [], []
        for attempt in range(args.repeat + (0 if args.cold else 1)):
            tag = f"run{attempt}" if args.cold else "warm"
            workspace, cache = base / tag / "workspace", base / tag / "cache"
            workspace.mkdir(parents=True, exist_ok=True)
            kernel_start, cells = run_once(copy, workspace, cache)
            if args.cold or attempt:  # the warm-up run fills the caches and is not timed
                starts.append(kernel_start)
                runs.append(cells)
        median = [statistics.median(times) for times in zip(*runs, strict=True)]
        total = sum(median)
        exercise = next((i for i, c in enumerate(nb.cells) if "from mopskit.ui import" in c.source), len(nb.cells))
        load = os.getloadavg()[0]
        kind = "cold (empty workspace and cache)" if args.cold else "warm (caches filled by an untimed run)"
        print(f"{args.lesson}: median of {args.repeat} runs, {kind}, load average {load:.1f}")
        print(f"kernel start {statistics.median(starts):.2f} s; all cells {total:.2f} s; ", end="")
        print(f"cells before the first exercise widget {sum(median[:exercise]):.2f} s")
        print("\n| cell | id | first line | time | share |\n|---|---|---|---|---|")
        slowest = sorted(range(len(median)), key=lambda i: -median[i])[: args.top]
        for i in sorted(slowest):
            cell = nb.cells[i]
            share = median[i] / total
            print(f"| {i} | {cell.get('id', '')} | `{_first_line(cell)}` | {median[i]:.2f} s | {share:.0%} |")


if __name__ == "__main__":
    main()
