"""A real JupyterHub of the tests' own, with real accounts, as ``mopskit hub-config`` sets one up.

The hub runs as root (the tests do) with the config the kit writes: the dummy authenticator (any password) on
127.0.0.1, and each user's server started under that user's own account by ``LocalProcessSpawner``. The accounts
are made for the test (``useradd``, homes in a folder of their own) and removed after it, with any process of
theirs still left. The benchmark in ``benchmarks/bench_hub.py`` uses the same pieces.

The users' servers need a Python every account can run. Where the tests' own Python cannot be reached by other
accounts (installed under ``/root``, as pyenv does), the system's Python of the same version is given the
tests' packages: a virtual environment whose site folder adds the tests' own, and which shares its Jupyter data
and config (JupyterLab's pages, Voilà's templates, the server extensions).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from mopskit.hub import write_hub_config
from mopskit.hub._spawn import _unreachable

from .lab import free_port, isolated_env, missing_browser

PASSWORD = "any-password-will-do"  # the dummy authenticator takes any


def hub_requirements() -> str | None:
    """Why a real hub cannot start here, or ``None`` when it can."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "the JupyterHub tests start servers under accounts of their own, which needs root"
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        return "useradd and userdel are missing (Debian: the passwd package)"
    if shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy is missing: npm install -g configurable-http-proxy"
    import importlib.util

    if importlib.util.find_spec("jupyterhub") is None:
        return "JupyterHub is missing: pip install -e '.[test]'"
    return None


def require_hub() -> None:
    """Skip (or fail under ``CI=true``) when a real hub cannot start here, saying why."""
    reason = hub_requirements()
    if reason:
        missing_browser(reason)


@dataclass
class Accounts:
    """Accounts made for a test, with homes in a folder of their own; :meth:`remove` undoes everything."""

    base: Path
    names: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, count: int) -> Accounts:
        base = Path(tempfile.mkdtemp(prefix="mopskit-hub-homes-"))
        base.chmod(0o711)  # users may reach their own home, never list the others
        made = cls(base)
        tag = secrets.token_hex(3)
        try:
            for number in range(count):
                name = f"mkt{tag}u{number}"
                home = ["--home-dir", str(base / name), "--create-home"]
                subprocess.run(
                    ["useradd", *home, "--shell", "/usr/sbin/nologin", "--user-group", name],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                made.names.append(name)
        except BaseException:
            made.remove()
            raise
        return made

    def uid(self, name: str) -> int:
        return pwd.getpwnam(name).pw_uid

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)

    def processes(self) -> list[int]:
        """Ids of every process running under one of these accounts."""
        uids = {self.uid(n) for n in self.names}
        found = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if entry.stat().st_uid in uids:
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    def processes_after(self, seconds: float) -> list[int]:
        """The accounts' processes still running once ``seconds`` have passed (checked every half second).

        A stopped hub's servers and their kernels exit on their own, each a little after the hub; on a busy
        machine that can take seconds.
        """
        deadline = time.monotonic() + seconds
        while (left := self.processes()) and time.monotonic() < deadline:
            time.sleep(0.5)
        return left

    def run_as(self, name: str, code: str, *, python: str) -> subprocess.CompletedProcess[str]:
        """Run Python code as one of the accounts (the rights its server and kernels have), in its home."""
        entry = pwd.getpwnam(name)
        return subprocess.run(
            [python, "-c", code],
            user=entry.pw_uid,
            group=entry.pw_gid,
            extra_groups=[],
            cwd=entry.pw_dir,
            env={"HOME": entry.pw_dir, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def remove(self) -> None:
        """End what the accounts still run (by process id), delete them and their homes."""
        for name in list(self.names):
            for pid in self.processes():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            subprocess.run(["userdel", name], capture_output=True, check=False)
            self.names.remove(name)
        shutil.rmtree(self.base, ignore_errors=True)


def users_python(folder: Path) -> str:
    """A Python with the kit and JupyterHub that every account can run (see the module's docstring)."""
    nobody = pwd.getpwnam("nobody")
    if not _unreachable(sys.executable, nobody):
        return sys.executable
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/local/bin:/usr/bin:/bin")
    if system is None or _unreachable(system, nobody):
        missing_browser(f"{sys.executable} is out of other accounts' reach and no system {version} is installed")
    venv = folder / "python"
    if not (venv / "bin" / "python").exists():
        subprocess.run([system, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
        site = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
        ours = sysconfig.get_paths()["purelib"]
        (site / "mopskit_tests.pth").write_text(f"import site; site.addsitedir({ours!r})\n", encoding="utf-8")
        for shared in ("etc", "share"):  # Jupyter's config (server extensions) and data (Lab, Voilà, kernels)
            (venv / shared).symlink_to(Path(sys.prefix) / shared)
    return str(venv / "bin" / "python")


@dataclass
class Hub:
    """A running JupyterHub: its address, its accounts, the instructor's folder, and the process to stop."""

    url: str
    accounts: Accounts
    python: str
    instructor: Path
    config: Path
    log: Path
    process: subprocess.Popen[bytes]

    @classmethod
    def start(cls, scratch: Path, accounts: Accounts, *, landing: str = "lab", timeout: float = 90.0) -> Hub:
        """Write the hub's config with ``mopskit hub-config``'s function and start JupyterHub with it.

        The users' Python and the instructor's folder go beside the homes, in a folder every account may pass
        through (so only the instructor's folder's own mode keeps them out of it); config and logs in ``scratch``.
        """
        python = users_python(accounts.base)
        instructor = accounts.base / "instructor"
        last = ""
        for _attempt in range(3):  # another program may take a free port before the hub does
            port = free_port()
            config = write_hub_config(
                users=accounts.names,
                out=scratch / "jupyterhub_config.py",
                authenticator="dummy",
                ip="127.0.0.1",
                port=port,
                hub_port=free_port(),
                proxy_api_port=free_port(),
                instructor_dir=instructor,
                python=python,
                landing=landing,
                force=True,
            ).path
            log = scratch / "jupyterhub.log"
            with log.open("ab") as handle:
                process = subprocess.Popen(
                    [sys.executable, "-m", "jupyterhub", "-f", str(config)],
                    cwd=scratch,
                    env=isolated_env(scratch / "jupyter"),
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            hub = cls(f"http://127.0.0.1:{port}", accounts, python, instructor, config, log, process)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and process.poll() is None:
                if hub.answers():
                    return hub
                time.sleep(0.3)
            hub.stop()
            last = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"JupyterHub did not start; the end of its log:\n{last}")

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/hub/api", timeout=5) as response:
                return "version" in json.loads(response.read())
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def run_as(self, name: str, code: str) -> subprocess.CompletedProcess[str]:
        """Run Python code as a user of the hub, with the Python their server runs."""
        return self.accounts.run_as(name, code, python=self.python)

    def user_url(self, name: str, path: str = "") -> str:
        return f"{self.url}/user/{name}/{path}"

    def log_in(self, page, name: str, *, timeout_ms: int = 180_000) -> None:
        """Log in through the hub's form; the user's server starts and its first page opens."""
        page.goto(f"{self.url}/hub/login")
        page.fill("#username_input", name)
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{name}/**", timeout=timeout_ms)

    def stop(self) -> None:
        """Stop the hub, which stops every user's server and the proxy; end anything left, by process id."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        proxy = self.instructor / "hub" / "jupyterhub-proxy.pid"
        try:
            os.kill(int(proxy.read_text().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
