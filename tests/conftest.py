from __future__ import annotations

from pathlib import Path

import pytest

from mopskit._session import SESSION

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test answers into its own folder and starts with no exercises defined."""
    monkeypatch.setenv("MOPSKIT_ANSWERS_DIR", str(tmp_path / ".mopskit"))
    SESSION.reset()  # no lesson, exercise or widget carries over between tests (load() reads a lesson's data)
    yield


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def files() -> Path:
    return FILES


# -------------------------------------------------- each lesson runs twice, shared and counted (tests/lesson_runs.py)
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LESSON_NAMES = [p.stem for p in LESSONS]


def pytest_configure(config):
    import os
    import signal
    import tempfile

    # A suite started from a background shell (`cmd &` with no job control) inherits Ctrl+C ignored, and so would
    # every process it starts: the Ctrl+C tests would fail there only. Give Ctrl+C back its usual meaning.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)

    from lesson_runs import SharedRuns, start_counting

    folder = Path(tempfile.mkdtemp(prefix="mopskit-lesson-runs-"))
    # Under pytest-xdist the workers inherit the controller's count (its kernels' startup file and log, set before
    # they start) and add to it; each keeps its own trainee runs, since a lesson's tests all go to one worker.
    counting = None
    if not _worker(config):  # and where the workers write the groups the controller hands out (xdist_groups.py)
        from xdist_groups import GROUPS_VARIABLE

        counting = start_counting(folder)
        os.environ[GROUPS_VARIABLE] = str(folder)
    config.stash[_COUNTING] = (folder, counting)
    config.stash[_SHARED] = SharedRuns(folder / "runs")


@pytest.fixture(scope="session")
def shared_runs(pytestconfig):
    """The lessons' trainee runs, each executed once per session (see tests/lesson_runs.py)."""
    return pytestconfig.stash[_SHARED]


@pytest.hookimpl(trylast=True)  # after -k and -m have chosen the items
def pytest_collection_modifyitems(session, config, items):
    """A lesson's nbval run is also the trainee's restart, when the lesson tests run its trainee copy too.

    Under ``pytest -n N`` (pytest-xdist: the project's default), each worker also writes down each item's group,
    the unit of work a worker takes whole (see ``tests/xdist_groups.py``).
    """
    from lesson_runs import after_the_source

    for lesson in LESSONS:
        shared = any(
            item.nodeid.startswith("tests/test_lessons.py::") and f"[{lesson.stem}]" in item.nodeid for item in items
        )
        cells = [i for i, item in enumerate(items) if getattr(item.parent, "path", None) == lesson]  # nbval's
        if shared and cells:
            items.insert(cells[-1] + 1, after_the_source(items[cells[-1]].parent, lesson, config.stash[_SHARED]))
    if _worker(config):  # the groups the controller hands out whole (tests/xdist_groups.py)
        from xdist_groups import write_groups

        write_groups(items, ROOT, LESSONS, config.workerinput["workerid"])


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist; pytest -p no:xdist runs without it
def pytest_xdist_make_scheduler(config, log):
    """Several cores (``-n``): each lesson's tests on one worker, the costliest groups first."""
    from xdist_groups import make_scheduler

    return make_scheduler(config, log)


def _worker(config) -> bool:
    """Whether this process is a pytest-xdist worker (the controller starts and counts; workers run tests)."""
    return hasattr(config, "workerinput")


def pytest_unconfigure(config):
    import shutil

    from lesson_runs import stop_counting

    folder, replaced = config.stash[_COUNTING]
    if replaced is not None:
        stop_counting(replaced)
    shutil.rmtree(folder, ignore_errors=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from lesson_runs import MOST_RUNS, lesson_runs, too_many

    runs, by = lesson_runs(LESSON_NAMES)
    if not runs or _worker(config):
        return
    terminalreporter.section("lesson runs in kernels (browser tests not counted)")
    terminalreporter.line(", ".join(f"{lesson} {runs[lesson]}" for lesson in LESSON_NAMES if lesson in runs))
    for line in too_many(runs, by):
        terminalreporter.line(f"FAILED: {line}; share the executed lesson (see tests/lesson_runs.py)", red=True)
    if too_many(runs, by):
        terminalreporter.line(f"a lesson may run at most {MOST_RUNS} times per test run", red=True)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    from lesson_runs import lesson_runs, too_many

    if _worker(session.config):  # the controller reads every worker's count at the end
        return
    if too_many(*lesson_runs(LESSON_NAMES)) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_COUNTING = pytest.StashKey[tuple]()
_SHARED = pytest.StashKey[object]()
