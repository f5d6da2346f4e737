"""A cohort on one server: time to the first exercise widget per user, N users at once against one alone, same run.

Run as root: python benchmarks/bench_hub.py [--users 5 10] [--alone 2]
(needs Chromium, useradd and configurable-http-proxy, as tests/browser/test_hub.py does)

A real JupyterHub from `mopskit hub-config` (dummy authenticator on 127.0.0.1, each user's server under their own
account, landing on the app home page), with accounts made for the run and removed after it. Every user is new:
their first login starts their server, which prepares their workspace. For each scenario (one user alone,
repeated; then N users logging in at the same moment) the hub starts afresh, and each user, in a browser context
of their own, logs in through the hub's form, then opens lesson 00 as an app; the clock runs from pressing
"Sign in" to the first exercise widget (`.mopskit-exercise`) visible. Memory per user is then read from every
process running under that user's account (their server and the page's kernel): RSS, and USS (what that user's
processes alone hold, shared libraries not counted).

Figures: median and slowest time per user, the ratio of the median to the median alone, and memory per user.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser.hub import PASSWORD, Accounts, Hub, hub_requirements
from browser.lab import CHROMIUM_ARGS, INSTALL_HINT, find_chromium

LESSON = "00_start_here.ipynb"
FIRST_WIDGET = ".mopskit-exercise"
TIMEOUT_MS = 900_000


async def first_widget(browser, hub: Hub, name: str):
    """Seconds from one user's Sign in to the first exercise widget of lesson 00 in the app; the page's context."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(f"{hub.url}/hub/login")
    await page.fill("#username_input", name)
    await page.fill("#password_input", PASSWORD)
    started = time.perf_counter()
    await page.click("#login_submit")
    await page.wait_for_url(f"**/user/{name}/voila/**")
    await page.goto(hub.user_url(name, f"voila/render/{LESSON}"))
    await page.wait_for_selector(FIRST_WIDGET, state="visible")
    return time.perf_counter() - started, context


def memory(accounts: Accounts, names: list[str]) -> tuple[float, float]:
    """Mean RSS and USS per user, in MB, over every process of their accounts."""
    rss, uss = [], []
    for name in names:
        uid = accounts.uid(name)
        total_rss = total_uss = 0
        for process in psutil.process_iter(["uids"]):
            try:
                if process.info["uids"].real == uid:
                    info = process.memory_full_info()
                    total_rss, total_uss = total_rss + info.rss, total_uss + info.uss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        rss.append(total_rss / 2**20)
        uss.append(total_uss / 2**20)
    return statistics.mean(rss), statistics.mean(uss)


async def scenario(browser, scratch: Path, accounts: Accounts, names: list[str]) -> tuple[list[float], float, float]:
    """Start a fresh hub, log every user in at once; their times to the first widget, and memory per user."""
    hub = Hub.start(scratch, accounts, landing="app")
    try:
        done = await asyncio.gather(*(first_widget(browser, hub, name) for name in names))
        rss, uss = memory(accounts, names)  # with every lesson page still open: its server and kernel
        for _seconds, context in done:
            await context.close()
        return [seconds for seconds, _context in done], rss, uss
    finally:
        hub.stop()


async def main_async(sizes: list[int], alone: int) -> None:
    from playwright.async_api import async_playwright

    problem = hub_requirements()
    chromium = find_chromium()
    if problem or chromium is None:
        raise SystemExit(problem or f"Chromium not found: {INSTALL_HINT}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    accounts = Accounts.create(alone + sum(sizes))
    try:
        pool = list(accounts.names)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            rows = []
            alone_times, alone_memory = [], []
            for _ in range(alone):
                name = pool.pop(0)
                times, rss, uss = await scenario(browser, Path(tempfile.mkdtemp(prefix="bench-hub-")), accounts, [name])
                alone_times += times
                alone_memory.append((rss, uss))
                print(f"  alone: {times[0]:.1f} s, {rss:.0f} MB RSS, {uss:.0f} MB USS", flush=True)
            base = statistics.median(alone_times)
            rows.append(
                (1, base, max(alone_times), 1.0, *(statistics.mean(m[i] for m in alone_memory) for i in (0, 1)))
            )
            for size in sizes:
                names, pool = pool[:size], pool[size:]
                times, rss, uss = await scenario(browser, Path(tempfile.mkdtemp(prefix="bench-hub-")), accounts, names)
                median = statistics.median(times)
                rows.append((size, median, max(times), median / base, rss, uss))
                print(f"  {size} at once: median {median:.1f} s, slowest {max(times):.1f} s", flush=True)
            await browser.close()
    finally:
        accounts.remove()
    print(f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| users at once | median time to first widget | slowest | median vs alone | RSS per user | USS per user |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, median, slowest, ratio, rss, uss in rows:
        print(f"| {size} | {median:.1f} s | {slowest:.1f} s | {ratio:.2f}x | {rss:.0f} MB | {uss:.0f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[5, 10], help="users at once (default: 5 10)")
    parser.add_argument("--alone", type=int, default=2, help="runs of one user alone, the baseline (default: 2)")
    args = parser.parse_args()
    asyncio.run(main_async(args.users, args.alone))


if __name__ == "__main__":
    main()
