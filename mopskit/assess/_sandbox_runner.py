"""Run one submitted notebook in its own kernel and report what happened: the half that runs in the sandbox.

``python -m mopskit.assess._sandbox_runner REQUEST.json --result-fd N`` is started by the grader
(:mod:`mopskit.assess._sandbox`), inside bubblewrap where it can be. It copies the submission into its
working folder, starts a kernel there, runs every code cell with a time limit per cell and one for the whole
notebook, then asks the kernel for the answers (:func:`mopskit.assess.collect_answers`) and writes one JSON
document to the file descriptor it was given. Nothing here is trusted by the grader: trainee code shares this
process's user and could tamper with it, so the grader validates and size-limits what comes back and only
ever learns the trainee's own answers from it. No check runs here.

What happens to a cell:

- it runs past its time limit: the kernel is interrupted; if it does not stop, it is restarted;
- it crashes the kernel (``os._exit``, a segfault, memory): a new kernel starts;
- it prints more than the output limit: it is interrupted;
- in the last two cases, and after a restart, the cells that had run fine are run again (replayed) in the new
  kernel, so later cells find what they need, and the run goes on; cells left when the notebook's time is up
  are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _

RESULT_VERSION = 1
_GRACE = 5.0  # seconds an interrupted cell gets to stop before its kernel is restarted

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
    "__import__('json').dumps(__import__('mopskit.assess._answer_key', fromlist=['collect_answers'])"
    ".collect_answers({ids!r}, lesson={lesson!r}))"
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
    """The runner's whole answer, sent to the grader as JSON."""

    version: int = RESULT_VERSION
    answers: dict[str, Any] = field(default_factory=dict)
    collected: bool = False
    cells: list[CellRun] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    restarts: int = 0


class _Kernel:
    """A kernel with blocking clients, and the per-cell loop that watches it."""

    def __init__(self, cwd: str, output_limit: int):
        from jupyter_client import KernelManager

        self.cwd = cwd
        self.output_limit = output_limit
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=cwd, stdout=sys.stderr, stderr=sys.stderr)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def reap_strays(self) -> int:
        """Kill every process of the sandbox but this runner and the kernel (what a cell forked and left).

        Only inside the sandbox's own PID namespace, where every other process is the trainee's.
        """
        keep = {1, os.getpid(), getattr(self.km.provisioner, "pid", None)}
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


def _size(msg: dict[str, Any]) -> int:
    content = msg.get("content", {})
    if msg["msg_type"] == "stream":
        return len(content.get("text", ""))
    if msg["msg_type"] in {"display_data", "execute_result", "update_display_data"}:
        return sum(len(str(v)) for v in content.get("data", {}).values())
    return 0


def run_notebook(request: dict[str, Any]) -> Report:
    """Run the request's notebook cell by cell and collect the answers; never raises for trainee code."""
    import nbformat

    report = Report()
    workdir = request["workdir"]
    nb = nbformat.read(request["notebook"], as_version=4)
    cells = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    cell_timeout, output_limit = float(request["cell_timeout"]), int(request["output_limit"])
    deadline = time.monotonic() + float(request["timeout"])
    kernel = _Kernel(workdir, output_limit)
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
                kernel.stop()
                kernel = _Kernel(workdir, output_limit)
                report.restarts += 1
                _replay(kernel, done, cell_timeout, deadline, report)
        ids, lesson = list(request.get("exercises", [])), request.get("lesson")
        collect = kernel.run("", min(float(request.get("collect_timeout", 30)), max(deadline - time.monotonic(), 5)))
        report.answers, report.collected = _read_collected(kernel, ids, lesson, collect, report)
    finally:
        kernel.stop()
    return report


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


def _read_collected(
    kernel: _Kernel, ids: list[str], lesson: str | None, warmup: CellRun, report: Report
) -> tuple[dict[str, Any], bool]:
    import ast

    if warmup.status != "ok":
        report.notes.append(_("the kernel did not respond when the answers were collected"))
        return {}, False
    msg_id = kernel.kc.execute(
        "", silent=True, store_history=False, user_expressions={"a": _COLLECT.format(ids=ids, lesson=lesson)}
    )
    try:
        reply = kernel.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kernel.kc.get_shell_msg(timeout=30)
        result = reply["content"]["user_expressions"]["a"]
        if result.get("status") != "ok":
            error = f"{result.get('ename')}: {result.get('evalue')}"
            report.notes.append(_("collecting the answers failed: {error}").format(error=error))
            return {}, False
        answers = json.loads(ast.literal_eval(result["data"]["text/plain"]))
    except Exception as exc:  # anything the trainee's kernel sends back is suspect
        kind = type(exc).__name__
        report.notes.append(_("the answers could not be read back from the kernel ({kind})").format(kind=kind))
        return {}, False
    return (answers, True) if isinstance(answers, dict) else ({}, False)


def _drop_privileges(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("mopskit sandbox: could not drop privileges")


def main(argv: list[str] | None = None) -> int:
    """Entry point inside the sandbox."""
    parser = argparse.ArgumentParser(prog="mopskit-sandbox-runner")
    parser.add_argument("request")
    parser.add_argument("--result-fd", type=int, required=True)
    args = parser.parse_args(argv)
    request = json.loads(Path(args.request).read_text(encoding="utf-8"))
    if request.get("drop_to"):
        _drop_privileges(*request["drop_to"])
    workdir = Path(request["workdir"])
    for item in Path(request["inbox"]).iterdir():
        if item.name == "request.json":
            continue
        target = workdir / item.name
        (shutil.copytree if item.is_dir() else shutil.copy)(item, target)
    home = Path(os.environ.get("HOME", "/tmp/home"))
    home.mkdir(parents=True, exist_ok=True)
    request["notebook"] = str(workdir / Path(request["notebook"]).name)
    try:
        report = run_notebook(request)
    except Exception as exc:  # the runner itself failed (e.g. the kernel never started)
        error = f"{type(exc).__name__}: {exc}"[:300]
        report = Report(notes=[_("the notebook could not be run: {error}").format(error=error)])
    data = json.dumps(asdict(report)).encode("utf-8")
    with os.fdopen(args.result_fd, "wb") as out:
        out.write(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
