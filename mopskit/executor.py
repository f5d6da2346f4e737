"""Where many independent runs go: a local process pool, or a Dask cluster given its scheduler's address.

One small engine for the kit's bulk work (batch reports, the health check, grading on a Dask cluster). A task is
a top-level function and its keyword arguments, so it can be pickled and sent to another process or machine;
:func:`run_all` yields one :class:`TaskOutcome` per task as each finishes, with the value, or the error and its
traceback. A task that fails never stops the others.

Stopping: leaving the loop early, an exception, or Ctrl+C in the caller cancels the tasks not yet started
and stops the local workers together with every process they started (Jupyter kernels, for instance), so
nothing is left running. Local workers sit in process groups of their own, so a terminal's Ctrl+C reaches
only the caller, which then stops them in order; on Linux they also end if the caller dies abruptly.
On a Dask cluster, queued tasks are cancelled, but a task already running on a cluster worker runs to its
end (Dask cannot interrupt running Python code).
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .errors import ExecutorError, TaskFailed

__all__ = ["Progress", "Task", "TaskOutcome", "default_workers", "run_all"]

DASK_EXTRA = "pip install 'mopskit[dask]'"
_CONNECT_TIMEOUT = 15  # seconds to wait for a Dask scheduler to answer
_STOP_GRACE = 5.0  # seconds a stopped worker gets to shut its kernel down before it is killed


@dataclass(frozen=True)
class Task:
    """One unit of work: ``func(**kwargs)``, named by a unique ``key``.

    ``func`` must be a top-level function of an importable module, and ``kwargs`` plain picklable values:
    the task may run in another process or on another machine.
    """

    key: str
    func: Callable[..., Any]
    kwargs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskOutcome:
    """How one task ended.

    Attributes:
        key: the task's key.
        ok: True when the function returned; False when it raised.
        value: what the function returned; for a failure, the ``value`` of a :class:`TaskFailed`, else None.
        error: ``"Type: message"`` of the exception (the bare message of a :class:`TaskFailed`), or None.
        traceback: the formatted traceback of a failure, or None.
        seconds: how long the function ran, measured where it ran.

    """

    key: str
    ok: bool
    value: Any = None
    error: str | None = None
    traceback: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Progress:
    """Where a :func:`run_all` call stands, handed to a progress callback after every finished task.

    >>> Progress(total=10, done=4, failed=1, elapsed=8.0).remaining
    12.0
    """

    total: int
    done: int
    failed: int
    elapsed: float

    @property
    def remaining(self) -> float | None:
        """Seconds left at the pace so far, or None before the first task finishes."""
        return self.elapsed / self.done * (self.total - self.done) if self.done else None


def default_workers() -> int:
    """The number of local workers used when none is given: the cores this process may use.

    >>> default_workers() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


_stopping = False  # set in a local worker once it is told to stop: it then starts no further task


def _call(func: Callable[..., Any], kwargs: Mapping[str, Any]) -> tuple[bool, Any, str | None, str | None, float]:
    """Run one task where it was sent, catching its failure so the error travels back as text."""
    started = time.perf_counter()
    if _stopping:
        return False, None, "StopRequested: the worker was stopped before this task started", None, 0.0
    try:
        value = func(**kwargs)
    except SystemExit:
        if _stopping:  # the task has unwound (its cleanup ran): this worker is done
            os._exit(128 + signal.SIGTERM)
        raise
    except TaskFailed as exc:
        return False, exc.value, str(exc), traceback.format_exc(), time.perf_counter() - started
    except Exception as exc:
        return False, None, f"{type(exc).__name__}: {exc}", traceback.format_exc(), time.perf_counter() - started
    return True, value, None, None, time.perf_counter() - started


def _on_stop(signum: int, frame: Any) -> None:
    """SIGTERM in a local worker: unwind the running task and take no further one.

    Unwinding runs the task's ``finally`` blocks and context managers, so a kernel manager, for one, shuts
    its kernel down and removes the kernel's files.
    """
    global _stopping
    _stopping = True
    raise SystemExit(128 + signum)


def _init_worker() -> None:
    """Runs first in every local worker: leave Ctrl+C to the caller, stop cleanly on SIGTERM, end with the caller."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # a terminal's Ctrl+C goes to the caller only; it stops us and our kernels in order
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_stop)
    if sys.platform.startswith("linux"):
        import ctypes

        try:  # PR_SET_PDEATHSIG: the kernel sends us SIGTERM if the caller is killed outright
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))
        except (OSError, AttributeError):
            pass


def _check_tasks(tasks: list[Task]) -> None:
    seen: set[str] = set()
    for task in tasks:
        if task.key in seen:
            raise ExecutorError(f"two tasks share the key '{task.key}'; give every task its own key")
        seen.add(task.key)
        try:
            pickle.dumps(task.func)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise ExecutorError(
                f"task '{task.key}': its function cannot be sent to another process ({exc}); "
                "use a function defined at the top level of an importable module, not a lambda or a nested function"
            ) from None


def _jupyter_files(proc: Any) -> list[str]:
    """The connection file (``-f``) of a Jupyter kernel process, and its socket files if it uses IPC.

    Only a file that reads as a Jupyter connection file is named, so no other program's ``-f`` is touched.
    """
    try:
        args = proc.cmdline()
    except Exception:
        return []
    if "-f" not in args[:-1]:
        return []
    connection = args[args.index("-f") + 1]
    if not any("kernel" in arg for arg in args if arg != connection):  # e.g. ipykernel_launcher
        return []
    try:
        with open(connection, encoding="utf-8") as handle:
            info = json.load(handle)
    except (OSError, ValueError):
        return []
    if not isinstance(info, dict) or not {"shell_port", "transport", "ip", "key"} <= info.keys():
        return []
    sockets = [f"{info['ip']}-{port}" for k, port in info.items() if k.endswith("_port")]
    return [connection, *(sockets if info["transport"] == "ipc" else [])]


def _alive(proc: Any) -> bool:
    import psutil

    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _stop_processes(pids: list[int], *, grace: float = _STOP_GRACE) -> None:
    """Stop local workers and everything they started, kernels included, leaving no orphan behind.

    Each round freezes the workers, so none can start another process while the family tree is read. The
    first round sends SIGTERM, which unwinds the running task (a kernel manager in it shuts its kernel
    down); a child whose worker died without doing so (say, a kernel still starting) is killed at once,
    and whatever is still alive after ``grace`` seconds is killed in the second round. The files of kernels
    killed this way (connection file, sockets) are removed.
    """
    import psutil

    workers = []
    for pid in pids:
        try:
            workers.append(psutil.Process(pid))
        except psutil.Error:
            continue
    family: dict[int, tuple[Any, Any]] = {}  # pid -> (process, the worker that started it)
    files: list[str] = []
    for signal_round in ("terminate", "kill"):
        for worker in workers:
            try:
                worker.suspend()
            except psutil.Error:
                continue
        for worker in workers:
            try:
                children = worker.children(recursive=True)
            except psutil.Error:
                continue
            for child in children:
                if child.pid not in family:
                    family[child.pid] = (child, worker)
                    files += _jupyter_files(child)
        targets = workers if signal_round == "terminate" else [proc for proc, _ in family.values()] + workers
        for proc in targets:
            try:
                getattr(proc, signal_round)()
                proc.resume()
            except psutil.Error:
                continue
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            left = [(proc, worker) for proc, worker in family.values() if _alive(proc)]
            if signal_round == "kill":
                left += [(worker, worker) for worker in workers if _alive(worker)]
            if not left:
                break
            for proc, worker in left:
                if proc is not worker and not _alive(worker):  # orphaned: nobody will shut it down now
                    try:
                        proc.kill()
                    except psutil.Error:
                        pass
            time.sleep(0.05)
    for path in files:
        try:
            os.remove(path)
        except OSError:
            pass  # already removed by the kernel's manager, as on a clean stop


def _report(bar: Any, callback: Callable[[Progress], None] | None, state: Progress) -> None:
    if bar is not None:
        bar.set_postfix_str(f"failed={state.failed}" if state.failed else "", refresh=False)
        bar.update(1)
    if callback is not None:
        callback(state)


def run_all(
    tasks: Iterable[Task],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | Callable[[Progress], None] = True,
    label: str = "tasks",
) -> Generator[TaskOutcome, None, None]:
    """Run tasks in parallel and yield their outcomes as they finish (not in the order given).

    Args:
        tasks: the work; every key must be unique.
        workers: local worker processes (default: :func:`default_workers`); not used with ``scheduler``,
            where the cluster's own workers run the tasks.
        scheduler: a Dask scheduler address (``tcp://host:8786``) to send the tasks to instead of the
            local pool; needs the ``distributed`` package (``pip install 'mopskit[dask]'``).
        progress: True for a progress bar (done, failed, time left), False for none, or a function called
            with a :class:`Progress` after every finished task.
        label: what the progress bar counts, e.g. ``"runs"``.

    Yields:
        One :class:`TaskOutcome` per task, as each finishes.

    Raises:
        ExecutorError: before anything runs, for duplicate keys, a function that cannot be pickled, a bad
            ``workers`` value, a missing Dask extra, or a scheduler that cannot be reached.

    """
    todo = list(tasks)
    _check_tasks(todo)
    if scheduler is not None and workers is not None:
        raise ExecutorError(
            "workers sets the size of the local pool; with a Dask scheduler the cluster's own workers run the "
            "tasks, so leave workers out (or drop the scheduler to run here)"
        )
    if workers is not None and workers < 1:
        raise ExecutorError(f"workers must be 1 or more (got {workers})")
    if not todo:
        return
    if scheduler:
        source = _dask_outcomes(todo, _dask_client(scheduler))
    else:
        source = _pool_outcomes(todo, workers or default_workers())
    bar = None
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit=label.rstrip("s") or "task", desc=label, dynamic_ncols=True)
    callback = progress if callable(progress) else None
    started, done, failed = time.perf_counter(), 0, 0
    try:
        for outcome in source:
            done += 1
            failed += not outcome.ok
            state = Progress(len(todo), done, failed, time.perf_counter() - started)
            _report(bar, callback, state)
            yield outcome
    finally:
        source.close()  # cancels and stops whatever is still queued or running
        if bar is not None:
            bar.close()


@contextmanager
def _no_second_interrupt() -> Iterator[None]:
    """Hold off a second Ctrl+C while the workers are being stopped, so the stop cannot be cut short."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _pool_outcomes(tasks: list[Task], workers: int) -> Generator[TaskOutcome, None, None]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # spawn: workers start clean (no copied threads or sockets) and behave alike on Linux, macOS and Windows
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
    )
    finished = False
    try:
        pending = {pool.submit(_call, task.func, task.kwargs): task.key for task in tasks}
        while pending:
            ready, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                key = pending.pop(future)
                yield _outcome(key, future.result, "a worker process")
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            # ProcessPoolExecutor has no public way to stop running workers before Python 3.14 (kill_workers)
            pids = list((getattr(pool, "_processes", None) or {}).keys())
            with _no_second_interrupt():
                pool.shutdown(wait=False, cancel_futures=True)
                _stop_processes(pids)
                pool.shutdown(wait=True)


def _outcome(key: str, result: Callable[[], Any], where: str) -> TaskOutcome:
    """Turn what a worker sent back into an outcome; a worker that died counts as the task failing."""
    try:
        ok, value, error, trace, seconds = result()
    except Exception as exc:  # the worker itself died (killed, out of memory) or the result could not travel
        return TaskOutcome(key, False, None, f"{where} failed: {type(exc).__name__}: {exc}", None, 0.0)
    return TaskOutcome(key, ok, value, error, trace, seconds)


def _dask_client(scheduler: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise ExecutorError(
            f"sending runs to a Dask scheduler needs the 'distributed' package, an optional extra: {DASK_EXTRA} "
            "(on this machine and on every worker of the cluster)"
        ) from None
    try:
        return Client(scheduler, timeout=_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExecutorError(
            f"cannot reach the Dask scheduler at '{scheduler}' ({type(exc).__name__}: {exc}); check the address "
            "(e.g. tcp://10.0.0.5:8786) and that the scheduler is running"
        ) from None


def _dask_outcomes(tasks: list[Task], client: Any) -> Generator[TaskOutcome, None, None]:
    from distributed import as_completed

    batch = uuid.uuid4().hex[:8]
    futures = {}
    finished = False
    try:
        for task in tasks:
            future = client.submit(_call, task.func, task.kwargs, key=f"{task.key}-{batch}", pure=False)
            futures[future] = task.key
        for future in as_completed(list(futures), loop=client.loop):
            yield _outcome(futures[future], future.result, "the Dask worker")
        finished = True
    finally:
        if not finished:
            client.cancel(list(futures), force=True)
        client.close()
