"""Running a trainee's notebook where it can harm nothing: bubblewrap, resource limits, a size-limited result.

The grader never runs trainee code in its own process. For each submission it starts
``python -m mopskit.assess._sandbox_runner`` inside bubblewrap (``bwrap``) with:

- new IPC, PID, UTS, cgroup and network namespaces (no network at all: even 127.0.0.1 is the sandbox's own),
  ``--die-with-parent`` and ``--new-session``;
- read-only binds of the system (``/usr`` and what links into it, a few files of ``/etc``), the Python
  installation, the virtual environment, the ``mopskit`` package folder and the sample-data folder it reads;
  and nothing else: not the home folder, not the source notebooks, not the gradebook, not other submissions;
  a secret folder that a bind would show (the grader's source lessons, a checkout with its ``notebooks/`` and
  history, however the kit is installed) is covered with an empty one, and only what the kernel needs in it
  comes back;
- the submission itself in a read-only inbox, a size-limited private ``/scratch`` it runs in, a size-limited
  private ``/tmp``; everything else read-only, ``/`` and ``/dev`` included (no unbounded tmpfs to fill);
- setrlimit limits on memory (address space), CPU time, processes, file size and core dumps, which the runner
  puts on itself before anything else (nothing runs between fork and exec here, so runs can start from
  several threads at once);
- the trainee's kernel out of the runner's reach: as root, every capability dropped but the three the runner
  needs to start the kernel as an unprivileged user of its own (a free id from 61000, held with a lock file
  for the run) and to stop it, so process limits and file permissions apply and the kernel can neither signal
  nor trace the runner; as another user, a user namespace, and the kernel in a PID namespace of its own inside
  (see :mod:`mopskit.assess._sandbox_runner`).

The runner answers with JSON on a pipe, each answer as JSON text of its own; the grader reads a bounded amount
of it, treats it as untrusted data, and parses each answer on its own with a size and depth limit. Where
bubblewrap cannot start, :func:`sandbox_problem` says why and how to install it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .._answer_files import KIT_DIR, answers_file, write_answers_file
from .._resources import datasets_dir, package_dir, sources_dir
from ..errors import AnswerRefused, GradingError
from ..i18n import _
from ._answers import MAX_ANSWER_BYTES, MAX_ANSWER_DEPTH, parse_answer

__all__ = ["Limits", "NotebookRun", "run_notebook", "sandbox_problem"]

_REPORT_EXTRA = 8 * 1024 * 1024  # the report beside its answers: cells, notes
_UID_BASE, _UID_COUNT = 61000, 4000  # the kernels' own users when the grader is root
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "mime.types", "hosts", "nsswitch.conf")
INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap), "
    "or pass --unsandboxed to run trainee code with your own permissions (not recommended)"
)


@dataclass(frozen=True)
class Limits:
    """Limits on one submission's run.

    Attributes:
        cell_timeout: seconds one cell may run.
        timeout: seconds the whole notebook may run (cells left then are skipped).
        memory_mb: address space of each process, in MiB.
        disk_mb: size of the writable scratch folder and of ``/tmp``, in MiB.
        processes: processes and threads the submission may have at once.
        output_mb: output one cell may print before it is stopped, in MiB.
        check_timeout: seconds one check may take in the grader.
        answer_mb: size one answer may have, as JSON, in MiB; a larger one counts as a wrong answer.

    """

    cell_timeout: float = 60.0
    timeout: float = 600.0
    memory_mb: int = 3072
    disk_mb: int = 256
    processes: int = 256
    output_mb: float = 4.0
    check_timeout: float = 10.0
    answer_mb: float = MAX_ANSWER_BYTES / 1024 / 1024

    def __post_init__(self) -> None:
        names = ("cell_timeout", "timeout", "memory_mb", "disk_mb", "processes", "output_mb", "check_timeout")
        for name in (*names, "answer_mb"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value <= 0:
                raise GradingError(f"'{name}' must be a number greater than 0 (got {value!r})")


@dataclass
class NotebookRun:
    """What the runner reported about one submission (validated), and how the run went."""

    answers: dict[str, Any] = field(default_factory=dict)
    collected: bool = False
    cells: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    restarts: int = 0
    sandboxed: bool = True
    seconds: float = 0.0
    refused: dict[str, str] = field(default_factory=dict)


@cache
def sandbox_problem() -> str | None:
    """Say why no sandbox can start here, or return ``None`` when bubblewrap works.

    Starts ``bwrap`` for real with the namespaces the grader uses, since an installed bwrap can still be
    refused by the system (user namespaces disabled, a container without privileges).
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed, so trainee code cannot be contained; " + INSTALL_HINT
    probes = [[bwrap, "--ro-bind", "/", "/", "true"], [bwrap, *_namespaces(), "--ro-bind", "/", "/", "true"]]
    for probe in probes:
        try:
            done = subprocess.run(probe, capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap is installed but could not start ({exc}); " + INSTALL_HINT
        if done.returncode != 0:
            reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
            return (
                f"bubblewrap is installed but cannot create a sandbox here ({reason}); allow unprivileged user "
                "namespaces (sysctl kernel.unprivileged_userns_clone=1) or run the grader as root, or "
                + INSTALL_HINT.split(", or ", 1)[1]
            )
    return None


def _namespaces() -> list[str]:
    common = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    if os.geteuid() == 0:  # no user namespace: the runner switches to a user of its own instead
        caps = ("CAP_SETUID", "CAP_SETGID", "CAP_KILL")  # start the kernel as its own user, and stop it
        return [*common, "--cap-drop", "ALL", *[a for cap in caps for a in ("--cap-add", cap)]]
    return ["--unshare-all"]


_SYSTEM = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in _SYSTEM:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in _ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def _needed_dirs() -> list[Path]:
    """Every folder the kernel reads: Python, the environment, site folders on ``sys.path``, mopskit, its data.

    A site folder outside the environment (an environment reaching another's packages through a ``.pth`` file)
    is needed too; other ``sys.path`` entries (the script's folder, a checkout's top) are not.
    """
    found = [Path(sys.base_prefix), Path(sys.prefix), package_dir(), datasets_dir()]
    found += [Path(e) for e in sys.path if e and os.path.isabs(e) and _is_site(Path(e))]
    return sorted({p.resolve() for p in found if p.is_dir()})


def _is_site(path: Path) -> bool:
    return path.is_dir() and any(part in {"site-packages", "dist-packages"} for part in path.parts)


def _package_dirs() -> list[Path]:
    """The folders bound into the sandbox: the needed ones, without those already inside another."""
    found = _needed_dirs()
    return [p for p in found if not any(p != q and p.is_relative_to(q) for q in found)]


def _secrets(hide: list[Path]) -> list[Path]:
    """Folders no trainee may read: the grader's source lessons, a checkout (its sources, its history)."""
    found = [Path(p) if Path(p).is_dir() else Path(p).parent for p in hide]
    sources = sources_dir()
    if sources is not None:
        found.append(sources.parent)  # the whole checkout: notebooks/, .git/, tests/ (the package is bound again)
    found.append(package_dir() / "_notebooks")  # an older wheel's copy of the sources
    return sorted({p.resolve() for p in found if p.exists()}, key=lambda p: len(p.parts))


def _parents(paths: list[Path]) -> list[str]:
    """``--dir`` every parent of the bind targets with mode 0755 (bwrap would copy modes like /root's 0700)."""
    seen: list[str] = []
    for path in paths:
        for parent in reversed(path.parents[:-1]):
            if str(parent) not in seen:
                seen.append(str(parent))
    args: list[str] = []
    for folder in sorted(seen, key=lambda p: p.count("/")):
        args += ["--perms", "0755", "--dir", folder]
    return args


def _masks(binds: list[Path], hide: list[Path]) -> list[str]:
    """Cover every secret folder a bind makes visible, then bind again what the kernel needs inside it.

    A checkout inside the environment (``pip install -e git+...`` puts one in ``venv/src``) or an environment
    inside the instructor's folder: the secret is covered with an empty tmpfs and only the needed folders in
    it (the package, its data, the environment) come back.
    """
    layers = [(Path("/usr"), True)] + [(Path("/") / n, True) for n in _SYSTEM] + [(b, True) for b in binds]
    needed = _needed_dirs()

    def visible(path: Path) -> bool:
        holders = [(where, shown) for where, shown in layers if path.is_relative_to(where)]
        return bool(holders) and max(holders, key=lambda h: len(h[0].parts))[1]

    args: list[str] = []
    for secret in _secrets(hide):
        if not visible(secret):
            continue
        args += ["--tmpfs", str(secret)]
        layers.append((secret, False))
        for path in needed:
            if (
                path != secret
                and path.is_relative_to(secret)
                and not any(path != q and path.is_relative_to(q) and q.is_relative_to(secret) for q in needed)
            ):
                args += ["--ro-bind", str(path), str(path)]
                layers.append((path, True))
    return args


def bwrap_command(
    *, inbox: Path, data_dir: Path, limits: Limits, runner: list[str], hide: list[Path] | None = None
) -> list[str]:
    """The bubblewrap command line that runs ``runner`` with only what it needs mounted.

    Args:
        inbox: the folder bound read-only at ``/inbox`` (the submission and the runner's request).
        data_dir: the folder bound read-only at ``/data`` (what ``load`` reads in the kernel).
        limits: the disk limits of ``/scratch`` and ``/tmp``.
        runner: the command to run inside.
        hide: more folders (or files, meaning their folder) that must stay unreadable: the source lessons.

    """
    binds = _package_dirs()
    data = data_dir.resolve()
    disk = str(int(limits.disk_mb * 1024 * 1024))
    args = ["bwrap", *_namespaces(), "--die-with-parent", "--new-session", *_system_binds()]
    # the private /tmp first: a kit installed under /tmp (a CI checkout, a venv there) is bound on top of it
    # afterwards, so the empty tmpfs cannot hide it
    args += ["--perms", "1777", "--size", disk, "--tmpfs", "/tmp"]
    args += _parents(binds)
    for path in binds:
        args += ["--ro-bind", str(path), str(path)]
    args += _masks(binds, list(hide or []))
    args += ["--ro-bind", str(inbox), "/inbox", "--ro-bind", str(data), "/data"]
    args += ["--perms", "0777", "--size", disk, "--tmpfs", "/scratch"]
    args += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev", "--remount-ro", "/"]
    args += ["--chdir", "/scratch", "--clearenv"]
    for key, value in _environment(home="/tmp/home", data="/data").items():
        args += ["--setenv", key, value]
    return [*args, *runner]


def _environment(*, home: str, data: str) -> dict[str, str]:
    return {
        "HOME": home,
        "USER": "trainee",
        "LOGNAME": "trainee",
        "LANG": "C.UTF-8",
        "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{home}/.matplotlib",
        "IPYTHONDIR": f"{home}/.ipython",
        "JUPYTER_PLATFORM_DIRS": "1",
        "JUPYTER_RUNTIME_DIR": f"{home}/.jupyter-runtime",
        "JUPYTER_CONFIG_DIR": f"{home}/.jupyter",
        "JUPYTER_DATA_DIR": f"{home}/.jupyter-data",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "MOPSKIT_DATA_DIR": data,
        # one thread for numeric libraries: submissions run side by side, one core each, never oversubscribed
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
        # glibc gives each thread an arena of up to 64 MiB of address space: under the memory limit (an
        # address-space limit) a kernel with a dozen threads could run out with most of it unused
        "MALLOC_ARENA_MAX": "2",
        "MOPSKIT_LANG": os.environ.get("MOPSKIT_LANG", ""),  # notes in the grader's language
    }


def _own_processes() -> int:
    """How many processes and threads this user has now (RLIMIT_NPROC counts them all)."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(list((entry / "task").iterdir()))
            except OSError:
                continue
    return count


def _rlimits(limits: Limits, *, root: bool) -> dict[str, int]:
    """The resource limits the runner puts on itself, and so on its kernels."""
    return {
        "as": int(limits.memory_mb * 1024 * 1024),
        "cpu": int(limits.timeout) + 60,
        # as root the kernel has a user of its own, so the count is its own; otherwise it is this user's
        "nproc": limits.processes if root else _own_processes() + limits.processes,
        "fsize": int(limits.disk_mb * 1024 * 1024),
    }


_uids_lock = threading.Lock()


@contextmanager
def _kernel_user() -> Iterator[tuple[int, int]]:
    """A user id no process has and no other run holds, for one kernel (the grader is root).

    Runs in this process and in other grader processes (local workers) never share one: each holds a lock file
    per id for as long as its run lasts, so one submission's processes never count against, or can signal,
    another's.
    """
    import fcntl

    busy = _uids_in_use()
    folder = Path(tempfile.gettempdir()) / "mopskit-kernel-users"
    folder.mkdir(mode=0o700, exist_ok=True)
    start = os.getpid() % _UID_COUNT
    with _uids_lock:
        for step in range(_UID_COUNT):
            uid = _UID_BASE + (start + step) % _UID_COUNT
            if uid in busy:
                continue
            handle = open(folder / str(uid), "w")  # held until the run ends
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            break
        else:
            raise GradingError("no free user id for the sandbox's kernel (every one from 61000 to 64999 is busy)")
    try:
        yield uid, uid
    finally:
        handle.close()


def _uids_in_use() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.add(entry.stat().st_uid)
            except OSError:
                continue
    return found


def _read_capped(fd: int, sink: dict[str, Any], cap: int) -> None:
    """Read a pipe to its end, keeping at most ``cap`` bytes (the rest is drained and dropped)."""
    chunks, size = [], 0
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        while True:
            chunk = pipe.read(1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size <= cap:
                chunks.append(chunk)
    sink["data"], sink["too_big"] = b"".join(chunks), size > cap


def run_notebook(
    notebook: Path,
    *,
    exercise_ids: list[str],
    lesson: str,
    data_dir: Path | None = None,
    carried_answers: dict[str, Any] | None = None,
    limits: Limits | None = None,
    sandboxed: bool = True,
    hide: list[Path] | None = None,
    stop: threading.Event | None = None,
) -> NotebookRun:
    """Execute one submitted notebook in a fresh kernel, contained, and return what it reported.

    Safe to call from several threads at once: nothing here runs Python code between fork and exec.

    Args:
        notebook: the submitted ``.ipynb`` (already read and checked by the caller).
        exercise_ids: the exercises whose answers to collect.
        lesson: the lesson id its answers are saved under (widget answers are restored from that file).
        data_dir: the folder ``mopskit.data.load`` reads in the kernel (a trainee's variant; default: the
            bundled sample data).
        carried_answers: the widget answers the notebook carried, written where the widgets restore them from.
        limits: time, memory, disk and process limits.
        sandboxed: run under bubblewrap; ``False`` runs with the grader's permissions (limits still apply).
        hide: the source lessons (files or folders): kept out of the sandbox even where a bind would show them.
        stop: set from another thread to take the sandbox down (the batch is stopping).

    Raises:
        GradingError: sandboxed was asked for and bubblewrap cannot start here, or ``stop`` was set.

    """
    limits = limits or Limits()
    if sandboxed and (problem := sandbox_problem()):
        raise GradingError(problem)
    started = time.monotonic()
    root = os.geteuid() == 0
    with ExitStack() as stack:
        temp = stack.enter_context(tempfile.TemporaryDirectory(prefix="mopskit-run-"))
        user = stack.enter_context(_kernel_user()) if sandboxed and root else None
        inbox, work = Path(temp) / "inbox", Path(temp) / "work"  # work: the unsandboxed run's folder
        inbox.mkdir()
        shutil.copy(notebook, inbox / "submission.ipynb")
        if carried_answers:
            write_answers_file(answers_file(lesson, inbox / KIT_DIR), carried_answers)
        answer_bytes = int(limits.answer_mb * 1024 * 1024)
        request = {
            "notebook": "submission.ipynb",
            "cells": _code_cells(notebook),
            "inbox": "/inbox" if sandboxed else str(inbox),
            "workdir": "/scratch" if sandboxed else str(work),
            "runtime": None if sandboxed else str(Path(temp) / "runtime"),
            "cell_timeout": limits.cell_timeout,
            "timeout": limits.timeout,
            "output_limit": int(limits.output_mb * 1024 * 1024),
            "exercises": exercise_ids,
            "lesson": lesson,
            "answer_bytes": answer_bytes,
            "answer_depth": MAX_ANSWER_DEPTH,
            "rlimits": _rlimits(limits, root=root),
            "kernel_user": list(user) if user else None,  # root: the kernel runs as a user of its own
            "nested": sandboxed and not root,  # another user: the kernel in namespaces of its own
            "reap": sandboxed,  # in its own PID namespace every other process is the trainee's
        }
        (inbox / "request.json").write_text(json.dumps(request), encoding="utf-8")
        for path in [inbox, *inbox.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        read_end, write_end = os.pipe()
        runner = [sys.executable, "-m", "mopskit.assess._sandbox_runner"]
        runner += ["/inbox/request.json" if sandboxed else str(inbox / "request.json"), "--result-fd", str(write_end)]
        data = Path(data_dir) if data_dir else datasets_dir()
        if sandboxed:
            command = bwrap_command(inbox=inbox, data_dir=data, limits=limits, runner=runner, hide=hide)
            env, cwd = None, None
        else:
            work.mkdir()
            command, cwd = runner, str(work)
            env = {**os.environ, **_environment(home=str(Path(temp) / "home"), data=str(data))}
        notes: list[str] = []
        try:
            proc = subprocess.Popen(
                command,
                pass_fds=(write_end,),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=cwd,
                env=env,
                start_new_session=True,
            )
        finally:
            os.close(write_end)
        sink: dict[str, Any] = {}
        cap = answer_bytes * (len(exercise_ids) + 1) + _REPORT_EXTRA
        reader = threading.Thread(target=_read_capped, args=(read_end, sink, cap), daemon=True)
        reader.start()
        try:
            _wait(proc, limits.timeout + 150, stop)
        except subprocess.TimeoutExpired:
            _kill(proc)
            notes.append(_("the run was stopped after {s:.0f} seconds").format(s=limits.timeout + 150))
        except BaseException:  # the grader is being stopped: take the sandbox down with it
            _kill(proc)
            raise
        reader.join(timeout=30)
    run = _parse(sink.get("data", b""), too_big=sink.get("too_big", False), notes=notes, answer_bytes=answer_bytes)
    run.sandboxed, run.seconds = sandboxed, time.monotonic() - started
    return run


def _code_cells(notebook: Path) -> list[tuple[int, str]]:
    """The notebook's code cells that hold code, with their index: what the runner runs."""
    from ._answer_key import notebook_cells

    return [(i, code) for i, (kind, code) in enumerate(notebook_cells(notebook)) if kind == "code" and code.strip()]


def _wait(proc: subprocess.Popen[bytes], seconds: float, stop: threading.Event | None) -> None:
    """Wait for the run to end; raise TimeoutExpired after ``seconds``, GradingError when ``stop`` is set."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            proc.wait(timeout=min(0.5, max(deadline - time.monotonic(), 0.01)))
            return
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                raise
        if stop is not None and stop.is_set():
            raise GradingError("the batch was stopped while this submission ran")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, 9)
    except OSError:
        proc.kill()
    proc.wait()


def _parse(data: bytes, *, too_big: bool, notes: list[str], answer_bytes: int = MAX_ANSWER_BYTES) -> NotebookRun:
    """Validate the runner's report: untrusted JSON, taken only where it has the expected shape.

    Each answer arrives as JSON text of its own and is parsed here on its own (:func:`parse_answer`): one that
    is too large, too deep, NaN or not data is refused with its reason, and every other answer is kept.
    """
    run = NotebookRun(notes=list(notes))
    if too_big:
        run.notes.append(_("the run's report was too large and was ignored"))
        return run
    try:
        report = json.loads(data.decode("utf-8")) if data else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        report = None
    if not isinstance(report, dict):
        run.notes.append(_("the run ended without reporting back (the runner was killed or crashed)"))
        return run
    answers = report.get("answers")
    for key, text in list(answers.items())[:500] if isinstance(answers, dict) else []:
        try:
            run.answers[str(key)[:100]] = parse_answer(text, max_bytes=answer_bytes)
        except AnswerRefused as exc:
            run.refused[str(key)[:100]] = str(exc)
    refused = report.get("refused")
    for key, why in list(refused.items())[:500] if isinstance(refused, dict) else []:
        run.refused[str(key)[:100]] = str(why)[:300]
        run.answers.pop(str(key)[:100], None)
    run.collected = report.get("collected") is True
    cells = report.get("cells")
    if isinstance(cells, list):
        for cell in cells[:5000]:
            if isinstance(cell, dict) and isinstance(cell.get("index"), int):
                run.cells.append(
                    {
                        "index": cell["index"],
                        "status": str(cell.get("status", ""))[:20],
                        "seconds": float(cell["seconds"]) if isinstance(cell.get("seconds"), int | float) else 0.0,
                        "error": str(cell.get("error", ""))[:300],
                    }
                )
    extra = report.get("notes")
    if isinstance(extra, list):
        run.notes += [str(n)[:300] for n in extra[:50]]
    restarts = report.get("restarts")
    run.restarts = restarts if isinstance(restarts, int) else 0
    return run
