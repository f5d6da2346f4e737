"""Time to the first exercise widget on screen, per lesson: in app mode (Voilà) against JupyterLab, same run.

Run: python benchmarks/bench_app.py [--repeat N] [--lessons 05 ...]   (needs Chromium: apt-get install chromium)

One workspace made by `mopskit start --no-launch`, served at once by the app server of `mopskit app` and by a
JupyterLab; one Chromium, started once. Servers and browser starts are not timed. For every lesson and side,
the clock starts when a fresh browser context opens the lesson's address and stops when the first exercise
widget (`.mopskit-exercise`) is visible:
- app mode: the lesson's page (Voilà runs every cell, then shows the whole page with its widgets drawn);
- JupyterLab: the lesson opened in its own Lab workspace, then *Run > Run All Cells* as soon as its kernel is
  ready (a released copy has no outputs, so its widgets appear only when their cells run).
Each figure is the median of N runs, sides taking turns; the ratio is app / JupyterLab (below 1: the app is faster).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser.app_mode import LessonInApp
from browser.lab import INSTALL_HINT, LabServer, find_chromium, free_port, isolated_env, launch_chromium, make_workspace
from browser.trainee import LessonInBrowser

from mopskit.app import AppServer

FIRST_WIDGET = ".mopskit-exercise"


def time_in_app(browser, server: AppServer, notebook: Path) -> float:
    """Seconds from opening the lesson's page in app mode to its first exercise widget on screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(server.page_url(notebook.name), wait_until="commit")
        page.wait_for_selector(FIRST_WIDGET, state="visible", timeout=300_000)
        seconds = time.perf_counter() - started
        LessonInApp(page, server, notebook, {}, artifacts=server.root / "unused").wait_until_ready()
        page.close(run_before_unload=True)  # ends the page's kernel, as closing a tab does
        return seconds
    finally:
        context.close()


def time_in_lab(browser, server: LabServer, notebook: Path) -> float:
    """Seconds from opening the lesson in JupyterLab, then Run All Cells, to its first exercise widget on screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        walk = LessonInBrowser(context.new_page(), server, notebook, {}, artifacts=server.scratch / "artifacts")
        started = time.perf_counter()
        walk.open()
        walk.menu("Run", "Run All Cells")
        walk.page.wait_for_selector(FIRST_WIDGET, state="visible", timeout=300_000)
        seconds = time.perf_counter() - started
        walk.wait_until_run()  # the rest of the lesson, untimed, so the next run starts clean
        return seconds
    finally:
        context.close()
        server.shutdown_kernels()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per lesson and side (median reported)")
    parser.add_argument(
        "--lessons", nargs="+", default=[], help="only the lessons whose names start so (e.g. 05 10); default all"
    )
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit(f"Chromium not found: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        root = Path(scratch)
        workspace = make_workspace(root / "workspace")
        lab = LabServer.start(workspace, root / "jupyterlab")
        with (root / "voila.log").open("ab") as log:
            app = AppServer.start(workspace, port=free_port(), env=isolated_env(root / "voila"), log=log)
        browser = launch_chromium(playwright, chromium)
        try:
            print("| lesson | app mode: first widget | JupyterLab: first widget | ratio app / JupyterLab |")
            print("|---|---|---|---|")
            ratios = []
            lessons = sorted(workspace.glob("[0-9][0-9]_*.ipynb"))
            for notebook in [n for n in lessons if not args.lessons or n.stem.startswith(tuple(args.lessons))]:
                in_app, in_lab = [], []
                for _ in range(args.repeat):
                    in_app.append(time_in_app(browser, app, notebook))
                    in_lab.append(time_in_lab(browser, lab, notebook))
                a, b = statistics.median(in_app), statistics.median(in_lab)
                ratios.append(a / b)
                print(f"| {notebook.stem} | {a:.1f} s | {b:.1f} s | {a / b:.2f}x |")
            print(f"\nmedian ratio over {len(ratios)} lessons: {statistics.median(ratios):.2f}x")
        finally:
            browser.close()
            app.stop()
            lab.stop()


if __name__ == "__main__":
    main()
