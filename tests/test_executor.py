import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from mopskit import executor
from mopskit.errors import ExecutorError, TaskFailed
from mopskit.executor import Progress, Task, run_all


# Task functions live at the top level of this module: spawned workers import them by name.
def square(x):
    if x == 3:
        raise ValueError("three is not allowed")
    return x * x


def half_done(x):
    raise TaskFailed(f"gave up on {x}", {"partial": x})


def start_child_and_wait(pid_file):
    """Like a report run: start a process of its own (in a new session, as Jupyter starts kernels), then wait."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    Path(pid_file).write_text(f"{os.getpid()} {child.pid}")
    time.sleep(120)


def test_outcomes_carry_values_errors_and_tracebacks():
    seen = []
    tasks = [Task(f"t{x}", square, {"x": x}) for x in range(5)] + [Task("partial", half_done, {"x": 7})]
    outcomes = {o.key: o for o in run_all(tasks, workers=2, progress=seen.append)}
    assert {k: o.value for k, o in outcomes.items() if o.ok} == {"t0": 0, "t1": 1, "t2": 4, "t4": 16}
    failed = outcomes["t3"]
    assert not failed.ok and failed.value is None
    assert failed.error == "ValueError: three is not allowed"
    assert 'raise ValueError("three is not allowed")' in failed.traceback
    assert outcomes["partial"].error == "gave up on 7" and outcomes["partial"].value == {"partial": 7}
    assert all(o.seconds >= 0 for o in outcomes.values())
    assert [p.done for p in seen] == [1, 2, 3, 4, 5, 6]
    assert seen[-1].failed == 2 and seen[-1].total == 6 and seen[-1].remaining == 0


@pytest.mark.parametrize(
    ("tasks", "options", "message"),
    [
        ([Task("a", square, {"x": 1}), Task("a", square, {"x": 2})], {}, "two tasks share the key 'a'"),
        ([Task("a", lambda: 1)], {}, "use a function defined at the top level"),
        ([Task("a", square, {"x": 1})], {"workers": 0}, "workers must be 1 or more"),
        ([Task("a", square, {"x": 1})], {"workers": 2, "scheduler": "tcp://x:1"}, "leave workers out"),
    ],
)
def test_bad_requests_are_refused_before_anything_runs(tasks, options, message):
    with pytest.raises(ExecutorError, match=message):
        list(run_all(tasks, progress=False, **options))


def test_a_scheduler_without_the_dask_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ExecutorError, match=r"pip install 'mopskit\[dask\]'"):
        list(run_all([Task("a", square, {"x": 1})], scheduler="tcp://127.0.0.1:8786", progress=False))


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(executor, "_CONNECT_TIMEOUT", 1)
    with pytest.raises(ExecutorError, match=r"cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"):
        list(run_all([Task("a", square, {"x": 1})], scheduler="tcp://127.0.0.1:9", progress=False))


def test_no_tasks_yields_nothing():
    assert list(run_all([], progress=False)) == []


def test_progress_estimates_time_left():
    assert Progress(total=4, done=0, failed=0, elapsed=1.0).remaining is None
    assert Progress(total=4, done=1, failed=0, elapsed=2.0).remaining == 6.0


def _alive(pid):
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
def test_ctrl_c_leaves_no_worker_and_no_process_a_worker_started(tmp_path):
    pid_files = [tmp_path / f"pids{i}" for i in range(2)]
    tasks = [Task(f"wait{i}", start_child_and_wait, {"pid_file": str(f)}) for i, f in enumerate(pid_files)]
    tasks.append(Task("never", square, {"x": 2}))  # queued behind the two: cancelled, never run
    seen_pids = []

    def press_ctrl_c():
        deadline = time.monotonic() + 60
        while not all(f.exists() and f.read_text().strip() for f in pid_files) and time.monotonic() < deadline:
            time.sleep(0.1)
        seen_pids.extend(int(p) for f in pid_files for p in f.read_text().split())
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    got = []
    with pytest.raises(KeyboardInterrupt):
        got.extend(run_all(tasks, workers=2, progress=False))
    assert len(seen_pids) == 4, "the tasks did not start"
    assert not [pid for pid in seen_pids if _alive(pid)], "a worker or a process it started is still running"
    assert got == []


@pytest.mark.slow
def test_dask_cluster_runs_tasks_and_reports_failures():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        tasks = [Task(f"t{x}", square, {"x": x}) for x in (2, 3)] + [Task("partial", half_done, {"x": 1})]
        outcomes = {o.key: o for o in run_all(tasks, scheduler=cluster.scheduler_address, progress=False)}
    assert outcomes["t2"].ok and outcomes["t2"].value == 4
    assert outcomes["t3"].error == "ValueError: three is not allowed"
    assert outcomes["partial"].value == {"partial": 1}


class _FakeProcess:
    def __init__(self, *args):
        self.args = list(args)

    def cmdline(self):
        return self.args


@pytest.mark.parametrize(
    ("command", "content", "found"),
    [
        (
            ["python", "-m", "ipykernel_launcher", "-f"],
            {"transport": "ipc", "ip": "/run/k", "key": "x", "shell_port": 1, "iopub_port": 2},
            ["CONN", "/run/k-1", "/run/k-2"],
        ),
        (
            ["python", "-m", "ipykernel_launcher", "-f"],
            {"transport": "tcp", "ip": "127.0.0.1", "key": "x", "shell_port": 1},
            ["CONN"],
        ),
        (["python", "-m", "ipykernel_launcher", "-f"], {"something": "else"}, []),
        (["rsync", "-f"], {"transport": "ipc", "ip": "/run/k", "key": "x", "shell_port": 1}, []),
    ],
)
def test_only_jupyter_connection_files_are_named_for_removal(tmp_path, command, content, found):
    connection = tmp_path / "kernel.json"
    connection.write_text(json.dumps(content))
    named = executor._jupyter_files(_FakeProcess(*command, str(connection)))
    assert named == [str(connection) if f == "CONN" else f for f in found]
