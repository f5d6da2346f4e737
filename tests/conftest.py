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
    import signal
    import tempfile

    # A suite started from a background shell (`cmd &` with no job control) inherits Ctrl+C ignored, and so would
    # every process it starts: the Ctrl+C tests would fail there only. Give Ctrl+C back its usual meaning.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)

    from lesson_runs import SharedRuns, start_counting

    folder = Path(tempfile.mkdtemp(prefix="mopskit-lesson-runs-"))
    config.stash[_COUNTING] = (folder, start_counting(folder))
    config.stash[_SHARED] = SharedRuns(folder / "runs")


@pytest.fixture(scope="session")
def shared_runs(pytestconfig):
    """The lessons' trainee runs, each executed once per session (see tests/lesson_runs.py)."""
    return pytestconfig.stash[_SHARED]


@pytest.hookimpl(trylast=True)  # after -k and -m have chosen the items
def pytest_collection_modifyitems(session, config, items):
    """A lesson's nbval run is also the trainee's restart, when the lesson tests run its trainee copy too."""
    from lesson_runs import after_the_source

    for lesson in LESSONS:
        shared = any(
            item.nodeid.startswith("tests/test_lessons.py::") and f"[{lesson.stem}]" in item.nodeid for item in items
        )
        cells = [i for i, item in enumerate(items) if getattr(item.parent, "path", None) == lesson]  # nbval's
        if shared and cells:
            items.insert(cells[-1] + 1, after_the_source(items[cells[-1]].parent, lesson, config.stash[_SHARED]))


def pytest_unconfigure(config):
    import shutil

    from lesson_runs import stop_counting

    folder, replaced = config.stash[_COUNTING]
    stop_counting(replaced)
    shutil.rmtree(folder, ignore_errors=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from lesson_runs import MOST_RUNS, lesson_runs, too_many

    runs, by = lesson_runs(LESSON_NAMES)
    if not runs:
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

    if too_many(*lesson_runs(LESSON_NAMES)) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_COUNTING = pytest.StashKey[tuple]()
_SHARED = pytest.StashKey[object]()
