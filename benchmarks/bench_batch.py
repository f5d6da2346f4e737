"""Batch reports in parallel against a plain sequential loop, in the same invocation.

Run: python benchmarks/bench_batch.py [--runs 40] [--workers 2]

Both sides run the same parameter sets of the `dataset_profile` report: every bundled table by name, the
same tables as CSV files (some validated as their kit table), and an export saved by Excel (`;`,
Windows-1252), repeated up to --runs. The baseline executes them one after another with
`mopskit.reports.run_report` (papermill, then the same HTML export); the batch uses `run_batch` with
--workers processes. Peak memory is the largest sum of resident memory over this process and all its
descendants (workers and kernels), sampled every 50 ms; shared pages count once per process, so the figure
errs high.
"""

import argparse
import tempfile
import threading
import time
from pathlib import Path

import psutil

from mopskit._resources import datasets_dir
from mopskit.batch import run_batch
from mopskit.data import tables
from mopskit.reports import run_report


class TreeMemory:
    """Peak resident memory of this process and its descendants while the block runs."""

    def __enter__(self):
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def parameter_sets(count: int, folder: Path) -> list[dict]:
    excel = folder / "excel_export.csv"
    excel.write_bytes(
        "Name;Spend;Country\r\n".encode("cp1252")
        + b"".join(f"Caf\xe9 {i};{i},5;RO\r\n".encode("latin-1") for i in range(200))
    )
    variants = [{"dataset": name} for name in tables()]
    variants += [{"dataset": str(datasets_dir() / f"{name}.csv")} for name in tables()]
    variants += [{"dataset": str(datasets_dir() / f"{name}.csv"), "table": name} for name in ("campaigns", "budget")]
    variants.append({"dataset": str(excel)})
    return [{"run": f"{i:02d}", **variants[i % len(variants)]} for i in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = parameter_sets(args.runs, folder)

        with TreeMemory() as seq_memory:
            started = time.perf_counter()
            for params in runs:
                values = {k: v for k, v in params.items() if k != "run"}
                run_report("dataset_profile", parameters=values, out_dir=folder / "seq", output_name=params["run"])
            seq_seconds = time.perf_counter() - started

        with TreeMemory() as batch_memory:
            result = run_batch(
                "dataset_profile", runs, out_dir=folder / "batch", workers=args.workers, force=True, progress=False
            )
        assert result.ok, result.describe()

    print(f"{args.runs} runs of dataset_profile, {psutil.cpu_count()} cores\n")
    print("| how | seconds | runs per minute | peak memory, whole process tree (MB) |")
    print("|---|---|---|---|")
    print(
        f"| sequential loop (run_report) | {seq_seconds:.1f} | {60 * args.runs / seq_seconds:.1f} "
        f"| {seq_memory.peak / 2**20:.0f} |"
    )
    print(
        f"| run_batch, {args.workers} workers | {result.seconds:.1f} | {60 * args.runs / result.seconds:.1f} "
        f"| {batch_memory.peak / 2**20:.0f} |"
    )
    print(f"\nspeed-up: {seq_seconds / result.seconds:.2f}x")


if __name__ == "__main__":
    main()
