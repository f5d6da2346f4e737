"""Run one submitted notebook in its own kernel and report what happened: the half that runs in the sandbox.

``python -m mopskit.assess._sandbox_runner REQUEST.json --result-fd N`` is started by the grader
(:mod:`mopskit.assess._sandbox`), inside bubblewrap where it can be. It applies the run's resource limits to
itself (the kernel inherits them), copies the submission into its working folder, starts a kernel there, runs
every code cell with a time limit per cell and one for the whole notebook, then asks the kernel for each
answer on its own (:func:`mopskit.assess._answer_key.collect_answer`) and writes one JSON document to the file
descriptor it was given. No check runs here.

**The kernel cannot reach the runner.** Trainee code runs in the kernel, never in the runner's process, and the
kernel is kept where it cannot signal, trace or read the runner:

- the grader is root: the runner stays root inside the sandbox with three capabilities only (switching user,
  and signalling the kernel it starts), and the kernel runs as an unprivileged user of its own, so a cell
  that kills every process it can (``os.kill(-1, 9)``) kills only its own kernel, and the runner's result pipe
  (``/proc/<runner>/fd``) is out of its reach;
- the grader is another user: the kernel runs in a PID and user namespace of its own inside the sandbox
  (bubblewrap again), where the runner's process does not exist for it.

Either way the kernel's death is a crash like any other: a new kernel starts and the cells that had run fine are
replayed. What the kernel says is still untrusted: each answer comes back as JSON text within a size limit
and is parsed by the grader, not here, so one answer that is too large, too deep, NaN or not data costs only
its own exercise.

What happens to a cell:

- it runs past its time limit: the kernel is interrupted; if it does not stop, it is restarted;
- it crashes the kernel (``os._exit``, a segfault, memory, killing everything it can): a new kernel starts;
- it prints more than the output limit: it is interrupted;
- in the last two cases, and after a restart, the cells that had run fine are run again (replayed) in the new
  kernel, so later cells find what they need, and the run goes on; cells left when the notebook's time is up
  are skipped.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import resource
import shutil
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _

RESULT_VERSION = 2
_GRACE = 5.0  # seconds an interrupted cell gets to stop before its kernel is restarted
_ANSWER_TIMEOUT = 15.0  # seconds one answer may take to be handed over
_MAX_MESSAGE = 64 * 1024 * 1024  # a bigger message from the kernel is dropped unread (it would only fill memory)
_RUNTIME = "/tmp/mopskit-runner"  # the runner's own folder in the sandbox: connection files, the kernel spec

_REAP = (  # run in the kernel after its stray children were killed, so their zombies free their process slots
    "import os as _os\n"
    "while True:\n"
    "    try:\n"
    "        if _os.waitpid(-1, _os.WNOHANG)[0] == 0:\n"
    "            break\n"
    "    except ChildProcessError:\n"
    "        break\n"
    "del _os"
)
_COLLECT = (
    "__import__('mopskit.assess._answer_key', fromlist=['collect_answer'])"
    ".collect_answer({id!r}, lesson={lesson!r}, max_bytes={max_bytes}, max_depth={max_depth})"
)


@dataclass
class CellRun:
    """What happened to one code cell."""

    index: int
    status: str  # ok, error, timeout, crashed, output-limit, skipped
    seconds: float = 0.0
    error: str = ""
    stuck: bool = False  # the kernel died or would not stop: it is restarted


@dataclass
class Report:
    """The runner's whole answer, sent to the grader as JSON.

    ``answers`` holds each answer as JSON text (the grader parses each one on its own); ``refused`` the reason
    an answer could not be handed over (too large, NaN, ...), by exercise.
    """

    version: int = RESULT_VERSION
    answers: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    collected: bool = False
    cells: list[CellRun] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    restarts: int = 0


@dataclass(frozen=True)
class Launch:
    """How kernels are started: where the runner keeps its files, and as whom or inside what the kernel runs."""

    runtime: str
    user: tuple[int, int] | None = None  # the grader is root: the kernel's own uid and gid
    nested: bool = False  # the grader is not root: the kernel in a PID and user namespace of its own

    def popen(self) -> dict[str, Any]:
        """Extra arguments for the kernel's ``Popen``."""
        if self.user is None:
            return {}
        return {"user": self.user[0], "group": self.user[1], "extra_groups": []}


def _write_kernel_spec(launch: Launch) -> str:
    """A kernel spec of the runner's own: the Python running it, nested in bubblewrap where asked."""
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    if launch.nested:
        argv = [
            "bwrap",
            "--unshare-user",
            "--unshare-pid",
            "--disable-userns",
            "--die-with-parent",
            "--dev-bind",
            "/",
            "/",
            "--proc",
            "/proc",
            "--",
            *argv,
        ]
    folder = Path(launch.runtime) / "kernels" / "mopskit-kernel"
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": argv,
        "display_name": "mopskit grading kernel",
        "language": "python",
        # a nested kernel's process is bubblewrap's, not the kernel's: ask the kernel to interrupt itself
        "interrupt_mode": "message" if launch.nested else "signal",
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return str(folder.parent)


class _Kernel:
    """A kernel with blocking clients, and the per-cell loop that watches it."""

    def __init__(self, cwd: str, output_limit: int, launch: Launch):
        import zmq
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpecManager

        self.cwd = cwd
        self.output_limit = output_limit
        self.launch = launch

        class Manager(KernelManager):
            def write_connection_file(self, **kwargs: Any) -> None:
                super().write_connection_file(**kwargs)
                os.chmod(self.connection_file, 0o644)  # the kernel may be another user: it must read its ports

        specs = KernelSpecManager(kernel_dirs=[_write_kernel_spec(launch)])
        self.km = Manager(kernel_name="mopskit-kernel", kernel_spec_manager=specs)
        self.km.connection_file = os.path.join(launch.runtime, f"kernel-{uuid.uuid4().hex}.json")
        self.km.start_kernel(cwd=cwd, stdout=sys.stderr, stderr=sys.stderr, independent=True, **launch.popen())
        self.context = zmq.Context()
        self.context.setsockopt(zmq.MAXMSGSIZE, _MAX_MESSAGE)
        self.kc = self.km.client(context=self.context)
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def protected(self) -> set[int]:
        """The processes stray-reaping must spare: the kernel, and the bubblewrap around a nested one."""
        pid = getattr(self.km.provisioner, "pid", None)
        if pid is None:
            return set()
        found = {pid}
        if self.launch.nested:  # bubblewrap, its init (PID 1 inside), the kernel (the init's first child)
            for _level in range(2):
                children = _children(pid)
                if not children:
                    break
                pid = children[0]
                found.add(pid)
        return found

    def reap_strays(self) -> int:
        """Kill every process of the sandbox but this runner and the kernel (what a cell forked and left).

        Only inside the sandbox's own PID namespace, where every other process is the trainee's.
        """
        keep = {1, os.getpid(), *self.protected()}
        killed = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in keep:
                continue
            try:
                if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                    killed += 1  # already dead: only its parent's wait frees it
                    continue
                os.kill(int(entry.name), 9)
                killed += 1
            except (OSError, IndexError):
                continue
        return killed

    def stop(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
            Path(self.km.connection_file).unlink(missing_ok=True)
            self.context.destroy(linger=0)

    def run(self, source: str, timeout: float) -> CellRun:
        """Run code; returns its status. ``crashed`` means the kernel died or would not stop."""
        import zmq

        msg_id = self.kc.execute(source, store_history=True, allow_stdin=False, stop_on_error=False)
        poller = zmq.Poller()
        poller.register(self.kc.shell_channel.socket, zmq.POLLIN)
        poller.register(self.kc.iopub_channel.socket, zmq.POLLIN)
        start = time.monotonic()
        deadline, stop_by = start + timeout, None
        status, error, printed = "", "", 0
        while True:
            ready = dict(poller.poll(200))
            if self.kc.iopub_channel.socket in ready:
                msg = self.kc.iopub_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == msg_id:
                    printed += _size(msg)
                    if msg["msg_type"] == "error" and not error:
                        error = f"{msg['content'].get('ename', '')}: {msg['content'].get('evalue', '')}"[:300]
                continue
            if self.kc.shell_channel.socket in ready:
                reply = self.kc.shell_channel.get_msg(timeout=0)
                if reply["parent_header"].get("msg_id") == msg_id:
                    if not status:
                        status = "ok" if reply["content"].get("status") == "ok" else "error"
                    if status == "error" and not error:
                        content = reply["content"]
                        error = f"{content.get('ename', '')}: {content.get('evalue', '')}"[:300]
                    return CellRun(-1, status, time.monotonic() - start, error)
                continue
            now = time.monotonic()
            if not self.km.is_alive():
                return CellRun(-1, "crashed", now - start, error or "the kernel died", stuck=True)
            if stop_by is None and (now > deadline or printed > self.output_limit):
                status = "timeout" if now > deadline else "output-limit"
                self.km.interrupt_kernel()
                stop_by = now + _GRACE
            elif stop_by is not None and now > stop_by:
                return CellRun(-1, status, now - start, "the kernel did not stop when interrupted", stuck=True)

    def evaluate(self, expression: str, timeout: float) -> dict[str, Any] | None:
        """Evaluate one expression silently; its ``user_expressions`` result, or None (no reply in time)."""
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"a": expression})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.kc.shell_channel.msg_ready():
                if not self.km.is_alive():
                    return None
                self.kc.shell_channel.socket.poll(200)
                continue
            reply = self.kc.shell_channel.get_msg(timeout=0)
            if reply["parent_header"].get("msg_id") == msg_id:
                result = reply["content"].get("user_expressions", {}).get("a")
                return result if isinstance(result, dict) else {"status": "error", "ename": "NoResult"}
        return None


def _children(pid: int) -> list[int]:
    """The children of a process, oldest first."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid:
                found.append((int(fields[19]), int(entry.name)))  # start time, pid
    return [child for _start, child in sorted(found)]


def _size(msg: dict[str, Any]) -> int:
    content = msg.get("content", {})
    if msg["msg_type"] == "stream":
        return len(content.get("text", ""))
    if msg["msg_type"] in {"display_data", "execute_result", "update_display_data"}:
        return sum(len(str(v)) for v in content.get("data", {}).values())
    return 0


def run_notebook(request: dict[str, Any], launch: Launch) -> Report:
    """Run the request's notebook cell by cell and collect the answers; never raises for trainee code."""
    report = Report()
    workdir = request["workdir"]
    # the grader read the notebook and sent its code cells: reading it here would mean importing nbformat, whose
    # schema checkers take seconds to import, in every submission's sandbox
    cells = [(int(i), str(source)) for i, source in request["cells"]]
    cell_timeout, output_limit = float(request["cell_timeout"]), int(request["output_limit"])
    deadline = time.monotonic() + float(request["timeout"])
    kernel = _Kernel(workdir, output_limit, launch)
    done: list[str] = []  # sources that ran fine, replayed after a restart
    try:
        for index, source in cells:
            left = deadline - time.monotonic()
            if left <= 1:
                report.cells.append(CellRun(index, "skipped", 0.0, "the notebook's time limit was reached"))
                continue
            outcome = kernel.run(source, min(cell_timeout, left))
            outcome.index = index
            report.cells.append(outcome)
            if request.get("reap") and kernel.reap_strays():
                report.notes.append(_("processes left running by cell {n} were stopped").format(n=index + 1))
                kernel.run(_REAP, 10)
            if outcome.status == "ok":
                done.append(source)
            if outcome.stuck or (outcome.status in {"timeout", "output-limit"} and not _idle(kernel)):
                kernel = _restart(kernel, workdir, output_limit, launch, report)
                _replay(kernel, done, cell_timeout, deadline, report)
        collect_by = deadline + float(request.get("collect_timeout", 60))  # collecting gets its own minute
        warmup = kernel.run("", min(30.0, max(collect_by - time.monotonic(), 5)))
        if warmup.stuck:
            kernel = _restart(kernel, workdir, output_limit, launch, report)
            _replay(kernel, done, cell_timeout, time.monotonic() + 30, report)
            warmup = kernel.run("", 30)
        if warmup.status != "ok":
            report.notes.append(_("the kernel did not respond when the answers were collected"))
        else:
            _collect(kernel, request, collect_by, report)
    finally:
        kernel.stop()
    return report


def _restart(kernel: _Kernel, workdir: str, output_limit: int, launch: Launch, report: Report) -> _Kernel:
    kernel.stop()
    report.restarts += 1
    return _Kernel(workdir, output_limit, launch)


def _collect(kernel: _Kernel, request: dict[str, Any], collect_by: float, report: Report) -> None:
    """Ask the kernel for each answer on its own: one that cannot be handed over costs only its exercise."""
    max_bytes, max_depth = int(request["answer_bytes"]), int(request["answer_depth"])
    lesson = request.get("lesson")
    report.collected = True
    for exercise_id in [str(i) for i in request.get("exercises", [])]:
        left = collect_by - time.monotonic()
        if left <= 0:
            report.refused[exercise_id] = _("the answers could not all be collected in time")
            continue
        expression = _COLLECT.format(id=exercise_id, lesson=lesson, max_bytes=max_bytes, max_depth=max_depth)
        result = kernel.evaluate(expression, min(_ANSWER_TIMEOUT, left))
        if result is None:
            report.refused[exercise_id] = _("the kernel did not hand the answer over")
            if kernel.km.is_alive():
                kernel.km.interrupt_kernel()
                kernel.run("pass", _GRACE)
            continue
        if result.get("status") != "ok":
            ename, evalue = str(result.get("ename", ""))[:60], str(result.get("evalue", ""))[:300]
            report.refused[exercise_id] = (
                evalue
                if ename == "AnswerRefused"
                else _("the answer could not be read from the kernel ({kind})").format(kind=ename)
            )
            continue
        text = result.get("data", {}).get("text/plain", "") if isinstance(result.get("data"), dict) else ""
        try:
            if not isinstance(text, str) or len(text) > 6 * max_bytes + 1024:
                raise ValueError("too long")
            value = ast.literal_eval(text)  # the repr of the JSON text, which the grader parses
            if not isinstance(value, str):
                raise ValueError("not text")
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            report.refused[exercise_id] = _("the answer is too large to grade")
            continue
        report.answers[exercise_id] = value


def _idle(kernel: _Kernel) -> bool:
    """Say whether the kernel answers again within the grace period (after a timeout)."""
    return kernel.run("pass", _GRACE).status == "ok"


def _replay(kernel: _Kernel, sources: list[str], cell_timeout: float, deadline: float, report: Report) -> None:
    for source in list(sources):
        left = deadline - time.monotonic()
        outcome = kernel.run(source, min(cell_timeout, max(left, 1)))
        if outcome.status != "ok":
            sources.remove(source)
            report.notes.append(_("an earlier cell run again after a restart ended with: {s}").format(s=outcome.status))
            if outcome.stuck:
                return


def _apply_limits(limits: dict[str, int]) -> None:
    """Limit this process, and so the kernels it starts (they inherit the limits)."""
    names = {"as": "RLIMIT_AS", "cpu": "RLIMIT_CPU", "nproc": "RLIMIT_NPROC", "fsize": "RLIMIT_FSIZE"}
    for key, name in names.items():
        if key in limits:
            value = int(limits[key])
            resource.setrlimit(getattr(resource, name), (value, value + 5 if key == "cpu" else value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _as_user(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("mopskit sandbox: could not switch to the kernel's user")


def _prepare(request: dict[str, Any], workdir: Path, user: tuple[int, int] | None) -> None:
    """Copy the submission into the working folder and make the kernel's home, as the kernel's user."""
    pid = os.fork() if user else 0
    if pid:
        _waited, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit("mopskit sandbox: the submission could not be copied for the kernel")
        return
    try:
        if user:
            _as_user(*user)
        for item in Path(request["inbox"]).iterdir():
            if item.name != "request.json":
                (shutil.copytree if item.is_dir() else shutil.copy)(item, workdir / item.name)
        Path(os.environ.get("HOME", "/tmp/home")).mkdir(parents=True, exist_ok=True)
    except BaseException:
        if user:
            os._exit(1)
        raise
    if user:
        os._exit(0)


def main(argv: list[str] | None = None) -> int:
    """Entry point inside the sandbox."""
    parser = argparse.ArgumentParser(prog="mopskit-sandbox-runner")
    parser.add_argument("request")
    parser.add_argument("--result-fd", type=int, required=True)
    args = parser.parse_args(argv)
    request = json.loads(Path(args.request).read_text(encoding="utf-8"))
    _apply_limits(request.get("rlimits", {}))
    user = tuple(request["kernel_user"]) if request.get("kernel_user") else None
    runtime = request.get("runtime") or _RUNTIME
    Path(runtime).mkdir(mode=0o755, parents=True, exist_ok=True)
    launch = Launch(runtime=runtime, user=user, nested=bool(request.get("nested")))
    workdir = Path(request["workdir"])
    request["notebook"] = str(workdir / Path(request["notebook"]).name)
    try:
        _prepare(request, workdir, launch.user)
        report = run_notebook(request, launch)
    except Exception as exc:  # the runner itself failed (e.g. the kernel never started)
        error = f"{type(exc).__name__}: {exc}"[:300]
        report = Report(notes=[_("the notebook could not be run: {error}").format(error=error)])
    data = json.dumps(asdict(report)).encode("utf-8")
    with os.fdopen(args.result_fd, "wb") as out:
        out.write(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
