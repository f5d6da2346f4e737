"""Time from opening each lesson to its last cell finished: in JupyterLab in Chromium vs headless under nbclient.

Run: python benchmarks/bench_browser.py [--repeat N]   (needs Chromium: apt-get install chromium)

Both sides run the same released (trainee) copy, unanswered, from a workspace made by `mopskit start
--no-launch`, in the same run, and both include starting the kernel. Browser: the page is opened in a fresh
browser context of one JupyterLab and one Chromium (started once, not timed), then *Run > Run All Cells*; the
clock stops when the notebook's last cell has finished. nbclient: `NotebookClient(...).execute()` of a fresh
copy. Each figure is the median of N runs; the ratio is browser / nbclient.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser.lab import INSTALL_HINT, LabServer, find_chromium, launch_chromium, make_workspace
from browser.trainee import LessonInBrowser


def time_in_browser(browser, server: LabServer, notebook: Path) -> tuple[float, float]:
    """Seconds to the kernel being ready, and to the last cell finished, from opening the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        walk = LessonInBrowser(context.new_page(), server, notebook, {}, artifacts=server.scratch / "artifacts")
        started = time.perf_counter()
        walk.open()
        ready = time.perf_counter()
        walk.run_all()
        return ready - started, time.perf_counter() - started
    finally:
        context.close()
        server.shutdown_kernels()


def time_under_nbclient(notebook: Path) -> float:
    """Seconds to run a fresh copy of the notebook top to bottom, kernel start included."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(shutil.copy(notebook, folder))
        nb = nbformat.read(copy, as_version=4)
        started = time.perf_counter()
        client = NotebookClient(nb, timeout=300, resources={"metadata": {"path": folder}}, shutdown_kernel="immediate")
        client.execute()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per lesson and side (median reported)")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit(f"Chromium not found: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        workspace = make_workspace(Path(scratch) / "workspace")
        server = LabServer.start(workspace, Path(scratch) / "jupyterlab")
        browser = launch_chromium(playwright, chromium)
        try:
            print("| lesson | browser: kernel ready | browser: last cell done | nbclient: last cell done | ratio |")
            print("|---|---|---|---|---|")
            for notebook in sorted(workspace.glob("[0-9][0-9]_*.ipynb")):
                ready, done, headless = [], [], []
                for _ in range(args.repeat):
                    headless.append(time_under_nbclient(notebook))
                    kernel, finished = time_in_browser(browser, server, notebook)
                    ready.append(kernel)
                    done.append(finished)
                b, n = statistics.median(done), statistics.median(headless)
                print(f"| {notebook.stem} | {statistics.median(ready):.1f} s | {b:.1f} s | {n:.1f} s | {b / n:.1f}x |")
        finally:
            browser.close()
            server.stop()


if __name__ == "__main__":
    main()
