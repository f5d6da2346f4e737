"""A JupyterLab server of the browser tests' own, and the system's Chromium to look at it.

The server listens on a free 127.0.0.1 port behind a random token, keeps its Jupyter and IPython settings in
a scratch folder (so nothing of the user's, such as their kernels or startup files, leaks in), and stops with
every kernel it started. The benchmark in ``benchmarks/bench_browser.py`` uses the same pieces.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mopskit.workspace import lab_arguments

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "install it with `sudo apt-get install chromium-headless-shell` (or `chromium`; Debian/Ubuntu) "
    "or set MOPSKIT_CHROMIUM to its path"
)


# The system's Chromium, first found first: Debian's headless shell (Chromium without its window, what the tests
# need: the browser suite runs in 0.89x the time it takes with the full browser), then the full browser.
CHROMIUM_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser")


def find_chromium() -> str | None:
    """The Chromium to drive: ``$MOPSKIT_CHROMIUM``, else the first of :data:`CHROMIUM_NAMES` on the PATH."""
    explicit = os.environ.get("MOPSKIT_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def missing_browser(reason: str) -> None:
    """Outside CI a missing browser skips the tests with ``reason``; under ``CI=true`` it fails them."""
    import pytest

    if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"{reason} (CI=true: the browser tests must run here, never be skipped)", pytrace=False)
    pytest.skip(reason)


def launch_chromium(playwright: Any, executable: str) -> Any:
    """Start headless Chromium from the system (never a downloaded browser), with a fresh profile."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def free_port() -> int:
    """A port free on 127.0.0.1 right now (another program may still take it before a server does)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_env(scratch: Path) -> dict[str, str]:
    """This process's environment for a server of the tests: Jupyter and IPython settings under ``scratch``.

    Nothing of the user's (kernels, startup files, config) leaks in, and answers go beside the lesson, as for a
    trainee (the tests' own ``MOPSKIT_ANSWERS_DIR`` is left out).
    """
    env = {k: v for k, v in os.environ.items() if k != "MOPSKIT_ANSWERS_DIR"}
    env.update(
        JUPYTER_CONFIG_DIR=str(scratch / "config"),
        JUPYTER_DATA_DIR=str(scratch / "data"),
        JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
        IPYTHONDIR=str(scratch / "ipython"),
    )
    return env


def make_workspace(directory: Path, *, lang: str | None = None) -> Path:
    """A trainee workspace made the way a trainee makes one: ``mopskit start --no-launch [--lang LANG] DIR``."""
    subprocess.run(
        [sys.executable, "-m", "mopskit", "start", "--no-launch", *(["--lang", lang] if lang else []), str(directory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return directory


@dataclass
class LabServer:
    """A running JupyterLab: its address, token and folders, and the process to stop."""

    root: Path
    scratch: Path
    url: str
    token: str
    process: subprocess.Popen[bytes]

    @classmethod
    def start(cls, root: Path, scratch: Path, *, timeout: float = 90.0, env: dict[str, str] | None = None) -> LabServer:
        """Start JupyterLab serving ``root``, with its settings and logs under ``scratch``; wait until it answers.

        ``env`` adds to its environment (``MOPSKIT_LANG``, as ``mopskit start --lang`` sets it).
        """
        scratch.mkdir(parents=True, exist_ok=True)
        env = {**isolated_env(scratch), **(env or {})}
        last_error = ""
        for _attempt in range(3):  # another program may take the free port before the server does
            port, token = free_port(), secrets.token_hex(16)
            command = [
                sys.executable,
                "-m",
                "jupyterlab",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                "--ServerApp.open_browser=False",
                *lab_arguments(root),  # the workspace's folder and its own settings, as `mopskit start` serves it
                "--ServerApp.terminals_enabled=False",
                # a safety net should the test process die without stopping the server: idle kernels go,
                # then the server itself
                "--MappingKernelManager.cull_idle_timeout=900",
                "--MappingKernelManager.cull_interval=60",
                "--ServerApp.shutdown_no_activity_timeout=900",
                f"--LabApp.workspaces_dir={scratch / 'workspaces'}",
                "--LabApp.expose_app_in_browser=True",  # lets tests wait on the notebook's own state
            ]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                command.append("--allow-root")
            log = (scratch / "jupyterlab.log").open("ab")
            process = subprocess.Popen(
                command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            log.close()
            server = cls(root=root, scratch=scratch, url=f"http://127.0.0.1:{port}", token=token, process=process)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    server.api("GET", "status")
                    return server
                except (OSError, urllib.error.URLError):
                    time.sleep(0.1)
            server.stop()
            last_error = (scratch / "jupyterlab.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"JupyterLab did not start; the end of its log:\n{last_error}")

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API (``path`` under ``/api/``) and return the decoded JSON, if any."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def page_url(self, notebook: str, *, workspace: str) -> str:
        """The address that opens ``notebook`` (relative to the root) in a JupyterLab workspace of its own."""
        path = urllib.request.pathname2url(notebook)
        return f"{self.url}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def add_kernelspec(self, name: str, *, display_name: str, extra_args: list[str]) -> None:
        """Offer one more Python kernel, the server's own Python started with ``extra_args``."""
        folder = self.scratch / "data" / "kernels" / name
        folder.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", *extra_args]
        spec = {"argv": argv, "display_name": display_name, "language": "python"}
        (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")

    def shutdown_kernels(self) -> None:
        """End every session and kernel (between lessons, so they do not pile up)."""
        for session in self.api("GET", "sessions") or []:
            self.api("DELETE", f"sessions/{session['id']}")
        for kernel in self.api("GET", "kernels") or []:
            self.api("DELETE", f"kernels/{kernel['id']}")

    def stop(self) -> None:
        """Stop the server and its kernels; end any process of theirs still left, by its id."""
        if self.process.poll() is None:
            try:
                self.api("POST", "shutdown")  # shuts every kernel down first
            except (OSError, urllib.error.URLError):
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        for pid in self.leftover_kernels():  # kernels run in sessions of their own: find them by connection file
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def leftover_kernels(self) -> list[int]:
        """Ids of running processes started with a connection file of this server (its kernels)."""
        marker = str(self.scratch / "runtime").encode()
        found = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if marker in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
        return found
