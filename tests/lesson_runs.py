"""How often the test run executes each lesson, counted in the kernels themselves.

The suite stays fast as lessons are added only if each lesson runs a bounded number of times per test run.
Every kernel the tests start (nbval's, nbclient's, papermill's) reads an IPython startup file written here,
which logs each run of a cell that calls ``start_lesson("NN_name")``, with the test that started the kernel.
The browser tests' servers use IPython settings of their own, so their runs (JupyterLab's *Run All* and
*Restart and Run All*, Voilà's) are not counted: they are what those tests are for.

At the end of the session, the counts are printed, and a lesson executed more than :data:`MOST_RUNS` times
fails the run, naming the lesson and the tests that ran it.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from pathlib import Path

MOST_RUNS = 2
LOG_VARIABLE = "MOPSKIT_TEST_LESSON_RUNS"

# Runs in every kernel at start: names nothing in the trainee's namespace (a lesson that forgot an import must
# still fail here as it would for a trainee).
_STARTUP = """
def _mopskit_count_lesson_runs():
    import os
    import re

    pattern = re.compile(r"start_lesson\\(\\s*['\\"](\\d\\d_\\w+)['\\"]")
    log = os.environ.get("{variable}")
    started_by = os.environ.get("PYTEST_CURRENT_TEST", "")

    def count(info):
        found = pattern.search(getattr(info, "raw_cell", "") or "")
        if found and log:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(found.group(1) + "\\t" + started_by + "\\n")

    get_ipython().events.register("pre_run_cell", count)


_mopskit_count_lesson_runs()
del _mopskit_count_lesson_runs
""".replace("{variable}", LOG_VARIABLE)


def start_counting(folder: Path) -> dict[str, str | None]:
    """Make every kernel started from now on log its lesson runs under ``folder``; return the settings it replaced."""
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-mopskit-lesson-runs.py").write_text(_STARTUP, encoding="utf-8")
    log = folder / "lesson-runs.log"
    log.touch()
    replaced = {name: os.environ.get(name) for name in ("IPYTHONDIR", LOG_VARIABLE)}
    os.environ["IPYTHONDIR"] = str(folder / "ipython")
    os.environ[LOG_VARIABLE] = str(log)
    return replaced


def stop_counting(replaced: dict[str, str | None]) -> None:
    """Put back the settings :func:`start_counting` replaced."""
    for name, value in replaced.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def lesson_runs(lessons: list[str]) -> tuple[Counter[str], dict[str, list[str]]]:
    """How many times each lesson ran in a counted kernel, and the tests that started those kernels."""
    runs: Counter[str] = Counter()
    by: dict[str, list[str]] = defaultdict(list)
    log = os.environ.get(LOG_VARIABLE)
    if not log or not Path(log).exists():
        return runs, by
    for line in Path(log).read_text(encoding="utf-8").splitlines():
        lesson, _, test = line.partition("\t")
        if lesson in lessons:
            runs[lesson] += 1
            by[lesson].append(test.removesuffix(" (setup)").removesuffix(" (call)"))
    return runs, by


def too_many(runs: Counter[str], by: dict[str, list[str]]) -> list[str]:
    """One line per lesson executed more than :data:`MOST_RUNS` times, naming the tests that ran it.

    >>> too_many(Counter({"00_start_here": 3, "01_what_is_mops": 2}), {"00_start_here": ["a", "b", "b"]})
    ['00_start_here ran 3 times (at most 2): a, b, b']
    """
    return [
        f"{lesson} ran {count} times (at most {MOST_RUNS}): {', '.join(by.get(lesson, []))}"
        for lesson, count in sorted(runs.items())
        if count > MOST_RUNS
    ]
