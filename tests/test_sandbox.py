"""The sandbox contains trainee code: real hostile notebooks, run by the real runner under bubblewrap."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from grading_helpers import KERNEL, needs_sandbox
from nbformat import write
from nbformat.v4 import new_code_cell, new_notebook

from mopskit.assess._release import instructor_material
from mopskit.assess._sandbox import Limits, _parse, bwrap_command, run_notebook, sandbox_problem
from mopskit.errors import GradingError

pytestmark = pytest.mark.slow


def _notebook(path: Path, cells: list[str]) -> Path:
    nb = new_notebook(cells=[new_code_cell(c) for c in cells], metadata={"kernelspec": KERNEL})
    path.parent.mkdir(parents=True, exist_ok=True)
    write(nb, str(path))
    return path


_SPY = """
import json, os, shutil, socket
from pathlib import Path
attempts = {{}}
def attempt(name, action):
    try:
        result = action()
        attempts[name] = "ALLOWED: " + repr(result)[:80]
    except Exception as exc:
        attempts[name] = "blocked: " + type(exc).__name__
attempt("read_source", lambda: Path({source!r}).read_text())
attempt("read_gradebook", lambda: Path({gradebook!r}).read_bytes())
attempt("read_other_submission", lambda: Path({other!r}).read_text())
attempt("read_home_secret", lambda: Path({secret!r}).read_text())
attempt("list_home", lambda: [p for p in os.listdir({home!r}) if p != ".pyenv"] or 1 / 0)
attempt("write_beside_submissions", lambda: Path({outside!r}).write_text("pwned"))
attempt("write_usr", lambda: Path("/usr/pwned").write_text("pwned"))
attempt("fill_root_tmpfs", lambda: Path("/pwned").write_text("pwned"))
attempt("fill_dev_shm", lambda: Path("/dev/shm/pwned").write_text("pwned"))
attempt("connect_loopback", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=3))
attempt("read_shadow", lambda: Path("/etc/shadow").read_text())
attempt(
    "source_lessons_in_package",
    lambda: [p for p in Path({package!r}).rglob("*.ipynb") if "HIDDEN" + " CHECKS" in p.read_text()] or 1 / 0,
)
q1 = json.dumps(attempts)
"""


@needs_sandbox
def test_trainee_code_cannot_read_secrets_write_outside_or_reach_the_network(tmp_path, root):
    source = tmp_path / "instructor" / "notebooks" / "07_final.ipynb"
    _notebook(source, ["# HIDDEN CHECKS q1\nsecret_answer = 42"])
    gradebook = tmp_path / "instructor" / "gradebook.sqlite"
    gradebook.write_bytes(b"SQLite format 3\x00 secret grades")
    other = _notebook(tmp_path / "submissions" / "bob" / "07_final.ipynb", ["q1 = 'bob worked hard'"])
    secret = Path.home() / f".mopskit-test-secret-{uuid.uuid4().hex}"
    outside = tmp_path / "submissions" / "pwned.txt"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    spy = _SPY.format(
        source=str(source),
        gradebook=str(gradebook),
        other=str(other),
        secret=str(secret),
        home=str(Path.home()),
        outside=str(outside),
        port=port,
        package=str(root / "mopskit"),
    )
    path = _notebook(tmp_path / "submissions" / "eve" / "07_final.ipynb", [spy])
    secret.write_text("instructor's private key")
    try:
        run = run_notebook(path, exercise_ids=["q1"], lesson="07_final", limits=Limits(memory_mb=2048))
    finally:
        secret.unlink()
    attempts = json.loads(run.answers["q1"])
    assert set(attempts) >= {"read_source", "read_gradebook", "connect_loopback", "write_beside_submissions"}
    allowed = {name: outcome for name, outcome in attempts.items() if not outcome.startswith("blocked")}
    assert not allowed, f"the sandbox let these through: {allowed}"
    assert not outside.exists()
    with pytest.raises(TimeoutError):  # nothing ever reached the test's listening port
        listener.accept()
    listener.close()
    assert source.read_text().count("secret_answer") == 1 and gradebook.read_bytes().endswith(b"secret grades")
    assert run.sandboxed and run.collected


_LIMITS = [
    "q0 = 'set before anything went wrong'",
    # a loop that swallows the interrupt: the kernel has to be restarted, earlier cells replayed
    "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass",
    "after_loop = q0 + ' and survived a stuck kernel'",
    "import ctypes\nctypes.string_at(0)",  # a segfault kills the kernel
    "after_crash = after_loop + ' and a segfault'",
    "import os\nos._exit(3)",
    "for _ in range(2_000_000):\n    print('x' * 100)",  # 200 MB of output
    "after_output = after_crash + ' and a flood'",
    "blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024 * 1024))",  # memory bomb: MemoryError
    "del blocks",
    "import os, time\nkids = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            time.sleep(30)\n"
    "            os._exit(0)\n        kids += 1\nexcept OSError as exc:\n    stopped = kids",  # fork bomb
    "q1 = after_output + f' and a fork bomb stopped at {stopped} processes'",
]


@needs_sandbox
def test_hangs_crashes_floods_and_bombs_cost_only_their_own_cells(tmp_path):
    path = _notebook(tmp_path / "eve.ipynb", _LIMITS)
    limits = Limits(cell_timeout=4, timeout=240, memory_mb=2048, output_mb=1, processes=64)
    run = run_notebook(path, exercise_ids=["q0", "q1"], lesson="x", limits=limits)
    status = {c["index"]: c["status"] for c in run.cells}
    assert status[1] == "timeout" and status[3] == "crashed" and status[5] == "crashed"
    assert status[6] == "output-limit"
    # the memory bomb stops at the memory limit (MemoryError); on a busy machine, filling 2 GiB may take longer
    # than the cell's 4 s, and the time limit stops it instead
    assert (status[8] == "error" and "MemoryError" in run.cells[8]["error"]) or status[8] == "timeout"
    assert run.restarts >= 3
    assert run.answers["q0"] == "set before anything went wrong"
    assert run.answers["q1"].startswith("set before anything went wrong and survived a stuck kernel and a segfault")
    assert int(run.answers["q1"].rsplit("at ", 1)[1].split()[0]) < 64


@needs_sandbox
def test_the_command_mounts_no_home_no_sources_and_no_network(tmp_path):
    command = bwrap_command(inbox=tmp_path, data_dir=tmp_path, limits=Limits(), runner=["python"])
    text = " ".join(command)
    assert "--share-net" not in command
    assert "--unshare-net" in command or "--unshare-all" in command
    assert "--die-with-parent" in command and "--new-session" in command
    binds = [command[i + 1] for i, a in enumerate(command) if a in {"--bind", "--ro-bind", "--ro-bind-try"}]
    assert str(Path.home()) not in binds and "/" not in binds
    assert not any(Path(b).name == "notebooks" for b in binds)
    assert "--bind" not in command, "nothing of the host is mounted writable"
    assert "/scratch" in text


def test_without_bubblewrap_grading_refuses_and_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    sandbox_problem.cache_clear()
    try:
        problem = sandbox_problem()
        assert "apt-get install bubblewrap" in problem and "--unsandboxed" in problem
        with pytest.raises(GradingError, match="bubblewrap"):
            run_notebook(tmp_path / "x.ipynb", exercise_ids=[], lesson="x")
    finally:
        sandbox_problem.cache_clear()


def test_bwrap_refused_by_the_system_is_reported(monkeypatch):
    def refuse(*args, **kwargs):
        return subprocess.CompletedProcess(args, 1, "", "bwrap: No permissions to create new namespace")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/bwrap")
    monkeypatch.setattr(subprocess, "run", refuse)
    sandbox_problem.cache_clear()
    try:
        assert "No permissions to create new namespace" in sandbox_problem()
    finally:
        sandbox_problem.cache_clear()


@pytest.mark.parametrize(
    ("data", "too_big", "expected"),
    [
        (b"", False, "without reporting back"),
        (b"not json", False, "without reporting back"),
        (b"[1, 2]", False, "without reporting back"),
        (b"[" * 100_000, False, "without reporting back"),
        (b"{}", True, "too large"),
    ],
)
def test_a_broken_or_hostile_report_is_ignored_with_a_note(data, too_big, expected):
    run = _parse(data, too_big=too_big, notes=[])
    assert run.answers == {} and not run.collected
    assert any(expected in n for n in run.notes)


def test_a_report_is_taken_only_in_the_expected_shape():
    report = {
        "answers": {"q1": "5", "x" * 500: "1", "q2": 5, "q3": "NaN", "q4": "[" * 5000 + "]" * 5000, "q5": "{"},
        "refused": {"q6": "the answer is NaN (not a number)" * 20, "q1": 3},
        "collected": "yes",
        "cells": [{"index": 1, "status": "ok" * 50, "seconds": "soon"}, "junk", {"index": "2"}],
        "notes": ["n" * 1000],
        "restarts": "many",
    }
    run = _parse(json.dumps(report).encode(), too_big=False, notes=[])
    assert run.answers == {"x" * 100: 1}, "each answer is taken on its own: the good one stays"
    assert (
        run.refused
        == {
            "q1": "3",  # a refusal the runner reported wins over an answer
            "q2": "the answer is not readable data",  # not JSON text
            "q3": "the answer is NaN (not a number)",
            "q4": "the answer is nested more than 64 levels deep",
            "q5": "the answer is not readable data",
            "q6": ("the answer is NaN (not a number)" * 20)[:300],
        }
    )
    assert run.collected is False and run.restarts == 0
    assert run.cells == [{"index": 1, "status": ("ok" * 50)[:20], "seconds": 0.0, "error": ""}]
    assert len(run.notes[0]) == 300


def test_limits_must_be_positive():
    with pytest.raises(GradingError, match="'cell_timeout' must be a number greater than 0"):
        Limits(cell_timeout=0)


def test_unsandboxed_runs_still_collect_answers(tmp_path):
    path = _notebook(tmp_path / "ok.ipynb", ["q1 = 6 * 7"])
    run = run_notebook(path, exercise_ids=["q1"], lesson="x", sandboxed=False, limits=Limits(memory_mb=2048))
    assert run.answers == {"q1": 42} and not run.sandboxed
    assert os.environ.get("MOPSKIT_DATA_DIR") is None, "the grader's own environment is untouched"


@needs_sandbox
def test_a_kit_installed_under_tmp_stays_visible_and_tmp_stays_private(tmp_path, monkeypatch):
    # pytest's tmp_path lies under /tmp, as a CI checkout or a virtual environment there may: the sandbox's own
    # empty /tmp must not hide the kit, and must stay writable for everyone (sticky, 1777)
    import mopskit.assess._sandbox as sandbox

    kit = tmp_path / "checkout" / "mopskit"
    kit.mkdir(parents=True)
    (kit / "marker").write_text("kit\n", encoding="utf-8")
    (tmp_path / "checkout" / "gradebook.sqlite").write_text("secret", encoding="utf-8")
    real = sandbox._package_dirs()
    monkeypatch.setattr(sandbox, "_package_dirs", lambda: [*real, kit])
    script = (
        f"cat {kit / 'marker'}; stat -c %a /tmp; ls /tmp; "
        f"test -e {tmp_path / 'checkout' / 'gradebook.sqlite'} && echo LEAK || echo hidden"
    )
    command = bwrap_command(inbox=tmp_path, data_dir=tmp_path, limits=Limits(), runner=["sh", "-c", script])
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split()
    assert lines[0] == "kit", f"the kit under /tmp is hidden in the sandbox: {done.stdout!r}"
    assert lines[1] == "1777", f"/tmp in the sandbox: mode {lines[1]}"
    assert lines[-1] == "hidden", "a file beside the kit under /tmp is visible in the sandbox"


_SNOOP = """
import json, os
marks = ("HIDDEN" + " CHECKS", "# " + "SOLUTION", "BEGIN" + " SOLUTION")
found, released, walked = [], [], 0
for top, dirs, names in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev")]
    for name in names:
        walked += 1
        path = os.path.join(top, name)
        if name.endswith(".ipynb") or top.endswith((".git", "objects")):
            try:
                text = open(path, encoding="utf-8", errors="replace").read()
            except OSError:
                continue
            if any(mark in text for mark in marks) or "/.git" in path:
                found.append(path)
            elif name.endswith(".ipynb") and '"released": true' in text:
                released.append(path)
direct = []
for path in {direct!r}:
    try:
        open(path).read()
        direct.append(path)
    except OSError:
        pass
q1 = json.dumps({{"found": found, "released": released, "walked": walked, "direct": direct}})
"""

_GRADER = """
import json, sys
from pathlib import Path
import mopskit
from mopskit._resources import sources_dir
from mopskit.assess import lessons_dir
from mopskit.assess._sandbox import Limits, run_notebook
lessons = lessons_dir()
run = run_notebook(Path(sys.argv[1]), exercise_ids=["q1"], lesson="x", hide=[Path(p) for p in sys.argv[2:]],
                   limits=Limits(memory_mb=2048, cell_timeout=120))
print(json.dumps({"package": mopskit.__file__, "lessons": str(lessons), "sources": str(sources_dir()),
                  "q1": run.answers.get("q1"), "notes": run.notes}))
"""


LAYOUTS = ["wheel in a venv", "editable, venv in the checkout", "editable, checkout in the venv"]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    """The kit installed three ways under /tmp, each with its own Python: the one that grades in that layout."""
    from packaging_helpers import build_editable, build_wheel, copy_checkout, site_packages, venv

    base = tmp_path_factory.mktemp("layouts")
    wheel = build_wheel(base / "wheel")
    found = {"wheel in a venv": (venv(base / "venv", wheel), None)}
    checkout = copy_checkout(base / "checkout")  # a CI checkout with its venv inside
    found["editable, venv in the checkout"] = (venv(checkout / ".venv", build_editable(checkout, base / "e")), checkout)
    env = base / "env"  # pip install -e git+...: the checkout inside the venv (venv/src/mopskit), bound with it
    python = venv(env)
    inside = copy_checkout(env / "src" / "mopskit")
    zipfile.ZipFile(build_editable(inside, base / "e2")).extractall(site_packages(python))
    found["editable, checkout in the venv"] = (python, inside)
    for _python, where in found.values():
        if where is not None:  # a checkout's history holds every source: it must stay out of reach as well
            (where / ".git" / "objects").mkdir(parents=True)
            shutil.copy(where / "notebooks" / "10_final_assessment.ipynb", where / ".git" / "objects" / "07.ipynb")
    return found


@needs_sandbox
@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_source_lesson_is_readable_from_trainee_code_whatever_the_install(layouts, layout, tmp_path, root):
    python, checkout = layouts[layout]
    sources = (checkout or root) / "notebooks"
    direct = [str(sources / "10_final_assessment.ipynb"), str((checkout or root) / ".git" / "objects" / "07.ipynb")]
    snoop = _notebook(tmp_path / "snoop.ipynb", [_SNOOP.format(direct=direct)])
    done = subprocess.run(
        [python, "-c", _GRADER, str(snoop), str(sources)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["package"].startswith(str(python.parent.parent if checkout is None else checkout)), report
    assert report["q1"] is not None, report["notes"]
    seen = json.loads(report["q1"])
    assert seen["walked"] > 5000, "the walk saw the system: finding nothing means something"
    assert seen["released"], "the trainee copies of the lessons are visible (what start and app read)"
    assert not seen["found"], f"source lessons readable in the sandbox: {seen['found'][:5]}"
    assert not seen["direct"]
    if checkout is None:  # the wheel: no source in the environment at all, in the sandbox or out of it
        assert report["sources"] == "None"
        site = Path(report["package"]).parent
        leaks = [p for p in site.rglob("*.ipynb") if instructor_material(p)]
        assert not leaks


_FORGE = """
import ctypes, json, os, signal
attempts = {}
forged = json.dumps({"version": 2, "answers": {"q1": json.dumps("forged"), "q9": json.dumps("forged")},
                     "collected": True, "cells": [], "notes": ["FORGED by the trainee"], "restarts": 0})
runners = []
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != os.getpid():
        try:
            if b"_sandbox_runner" in open(f"/proc/{pid}/cmdline", "rb").read():
                runners.append(int(pid))
        except OSError:
            pass
attempts["runner visible"] = bool(runners)
libc = ctypes.CDLL(None, use_errno=True)
for pid in runners:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        fds = []
        attempts[f"list the descriptors of {pid}"] = "blocked"
    for fd in fds:
        try:
            with open(f"/proc/{pid}/fd/{fd}", "w") as out:
                out.write(forged)
            attempts[f"write a report into descriptor {fd} of {pid}"] = "ALLOWED"
        except OSError:
            attempts[f"write a report into descriptor {fd} of {pid}"] = "blocked"
    if libc.ptrace(16, pid, None, None) == 0:  # PTRACE_ATTACH
        attempts[f"trace {pid}"] = "ALLOWED"
        libc.ptrace(17, pid, None, None)
    else:
        attempts[f"trace {pid}"] = "blocked"
    try:
        os.kill(pid, signal.SIGKILL)
        attempts[f"kill {pid}"] = "ALLOWED"
    except OSError:
        attempts[f"kill {pid}"] = "blocked"
os.write(1, forged.encode())
q2 = json.dumps(attempts)
"""
_KILL_EVERYTHING = (
    "import os, signal\n"
    "for pid in sorted((int(p) for p in os.listdir('/proc') if p.isdigit()), reverse=True):\n"
    "    if pid != os.getpid():\n"
    "        try:\n"
    "            os.kill(pid, signal.SIGKILL)\n"
    "        except OSError:\n"
    "            pass\n"
    "os.kill(os.getpid(), signal.SIGKILL)"
)
_GRADE_IT = """
import json, os, sys
from pathlib import Path
from mopskit.assess._sandbox import Limits, run_notebook
run = run_notebook(Path(sys.argv[1]), exercise_ids=["q0", "q1", "q2", "q9"], lesson="x",
                   limits=Limits(memory_mb=2048, cell_timeout=30))
print(json.dumps({"answers": run.answers, "refused": run.refused, "notes": run.notes, "cells": run.cells,
                  "restarts": run.restarts, "collected": run.collected, "grader": os.getuid()}))
"""


@pytest.fixture
def open_folder():
    """A folder under /tmp that any user may enter (pytest's own is root's only)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="mopskit-test-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@needs_sandbox
@pytest.mark.parametrize("grader", ["root", "unprivileged"])
def test_a_kernel_that_kills_everything_and_forges_a_report_loses_only_its_own_kernel(grader, open_folder):
    from grading_helpers import unprivileged

    command = [sys.executable, "-c", _GRADE_IT, str(open_folder / "eve.ipynb")]
    if grader == "root":
        if os.geteuid() != 0:
            pytest.skip("the tests run as another user: the unprivileged case is the one that applies")
    else:
        command = unprivileged(command, home=open_folder)
        if command is None:
            pytest.skip("running as another user needs unshare and setpriv (util-linux)")
    cells = [
        "q0 = 'before'",
        "import os, signal\nos.kill(-1, signal.SIGKILL)",  # every process it may signal (not itself)
        "after = q0 + ' and after kill(-1)'",
        _FORGE,
        _KILL_EVERYTHING,  # then itself
        "q1 = after + ' and after killing everything'",
    ]
    path = _notebook(open_folder / "eve.ipynb", cells)
    path.chmod(0o644)
    done = subprocess.run(command, capture_output=True, text=True, timeout=400, cwd=open_folder)
    assert done.returncode == 0, done.stderr[-3000:]
    run = json.loads(done.stdout.splitlines()[-1])
    assert run["grader"] == (0 if grader == "root" else 65534)
    assert run["collected"], run["notes"]
    assert run["answers"]["q0"] == "before"
    assert run["answers"]["q1"] == "before and after kill(-1) and after killing everything"
    statuses = [c["status"] for c in run["cells"]]
    assert statuses[1] in {"ok", "error"}, "kill(-1) finds no process to signal in a namespace of its own"
    assert statuses[:1] + statuses[2:] == ["ok", "ok", "ok", "crashed", "ok"]
    assert run["restarts"] == 1, "the kernel that killed itself was restarted, the cells before it replayed"
    attempts = json.loads(run["answers"]["q2"])
    assert attempts.pop("runner visible") is (grader == "root"), "as root the runner is in plain sight"
    assert attempts or grader != "root"
    assert not [a for a, outcome in attempts.items() if outcome != "blocked"], attempts
    assert run["answers"]["q9"] is None and not any("FORGED" in n for n in run["notes"]), "the forged report lost"
