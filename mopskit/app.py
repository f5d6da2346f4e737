"""App mode: a workspace's lessons served as web apps by Voilà (narrative, tables, charts and widgets; no code).

``mopskit app`` prepares the workspace as ``mopskit start`` does, then starts Voilà on it: the home page
(``mopskit_home.ipynb``, see :func:`mopskit.workspace.workspace_progress`) lists the lessons with the trainee's
progress, and each lesson opens as a page that shows the outputs of its cells but never their code. Voilà runs every
page in a kernel of its own, started in the lesson's folder, so the widgets save answers to the same
``.mopskit/`` files as in JupyterLab: a trainee can switch between the two and find the same answers.

It is for one trainee on their own machine: the server listens on 127.0.0.1 only, behind a random token
(in the address it prints), and has no accounts. Voilà lets a page's kernel receive widget messages only, never
code to run. A group is served by JupyterHub, one private workspace per user, with the same app pages
(``mopskit hub-config``, :mod:`mopskit.hub`).
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ._answer_files import KIT_DIR
from ._session import in_app_mode
from .errors import WorkspaceError
from .i18n import _
from .workspace import HOME_NOTEBOOK, PreparedWorkspace, kernel_environment, prepare_workspace, workspace_language

__all__ = [
    "DEFAULT_PORT",
    "VOILA_REQUIREMENT",
    "AppServer",
    "app_settings",
    "in_app_mode",
    "issue_xsrf_cookie",
    "run_app",
    "write_server_config",
]

DEFAULT_PORT = 8866  # Voilà's own default, so the address stays the same from one day to the next
VOILA_REQUIREMENT = "voila>=0.5.8,<0.6"  # as in pyproject.toml
_STOP_GRACE = 20.0  # seconds Voilà gets to shut its kernels down before it is killed
_LOG_LIMIT = 5_000_000  # bytes of .mopskit/app.log kept from earlier runs


def _voila_missing() -> str | None:
    """What to do when Voilà is not installed, or ``None`` when it is."""
    import importlib.util

    if importlib.util.find_spec("voila") is not None:
        return None
    return _(
        "app mode needs Voilà, which mopskit installs with itself; install it with: pip install '{requirement}' "
        "(or reinstall the kit: pip install -e .)"
    ).format(requirement=VOILA_REQUIREMENT)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick_port(port: int | None) -> int:
    """The port asked for (it must be free), else :data:`DEFAULT_PORT` if free, else any free port."""
    if port is not None:
        if not 0 < port < 65536:
            raise WorkspaceError(_("'--port' must be a number from 1 to 65535 (got {port})").format(port=port))
        if not _port_free(port):
            raise WorkspaceError(
                _(
                    "port {port} on 127.0.0.1 is taken (is the app or JupyterLab already running?); choose "
                    "another with --port, or leave --port out to take a free one"
                ).format(port=port)
            )
        return port
    if _port_free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def issue_xsrf_cookie(handler: object, notebook: object, cwd: str) -> None:
    """Voilà's prelaunch hook in app mode: give each page the XSRF cookie it needs to end its kernel when closed.

    A page asks Voilà to shut its kernel down as it closes, sending the ``_xsrf`` cookie back; Voilà 0.5 never
    sets that cookie (voila-dashboards/voila#1458), so the request is refused and every page left open a kernel
    until the server stopped. Reading tornado's ``xsrf_token`` sets the cookie, before the page is sent.
    """
    _ = handler.xsrf_token  # type: ignore[attr-defined]


def app_settings() -> dict[str, str | int | bool]:
    """The settings of app mode's pages and kernels, as ``Class.trait: value``; `mopskit app` and the hub share them.

    A failing cell shows one sentence of advice and no traceback; a page closed without saying goodbye (a crashed
    browser) leaves a kernel no page talks to, so kernels idle for half an hour are ended (those of open pages
    never are).

    >>> app_settings()["VoilaConfiguration.show_tracebacks"]
    False
    """
    error_advice = _(
        "This part of the lesson could not run. Open the lesson in JupyterLab (mopskit start) to see what went "
        "wrong, or ask your instructor."
    )
    return {
        "VoilaConfiguration.theme": "light",
        "VoilaConfiguration.show_tracebacks": False,
        "VoilaExecutor.cell_error_instruction": error_advice,
        "MappingKernelManager.cull_idle_timeout": 1800,
        "MappingKernelManager.cull_interval": 120,
    }


_HOOK_LINES = "from mopskit.app import issue_xsrf_cookie\n\nc.VoilaConfiguration.prelaunch_hook = issue_xsrf_cookie\n"


def _write_config(runtime: Path) -> Path:
    """Voilà's config file of app mode (settings a command line cannot give: the prelaunch hook)."""
    config = runtime / "voila.py"
    config.write_text(_HOOK_LINES, encoding="utf-8")
    return config


def write_server_config(folder: str | Path) -> Path:
    """Write a Jupyter server config file that gives Voilà's server extension the settings of app mode.

    A JupyterLab server with this file on its config path (``JUPYTER_CONFIG_PATH``) serves the lessons at
    ``/voila/render/<lesson>.ipynb`` as ``mopskit app`` does: the same :func:`app_settings`, and the prelaunch
    hook that lets a closed page end its kernel. The JupyterHub setup (:mod:`mopskit.hub`) uses it for every user.

    Args:
        folder: where to write ``jupyter_server_config.py`` (created if needed).

    Returns:
        The file written.

    """
    target = Path(folder) / "jupyter_server_config.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"c.{name} = {value!r}" for name, value in app_settings().items()]
    target.write_text(_HOOK_LINES + "\n".join(lines) + "\n", encoding="utf-8")
    return target


# A kernel's sockets are files named <runtime>/voila_XXXXXXXX/kernel-<uuid>-ipc-N: about 70 characters after the
# runtime folder, and a socket's path may be at most 104 characters (macOS; 108 on Linux).
_IPC_NAME_CHARS = 70
_SOCKET_PATH_MAX = 104


def _ipc_fits(runtime: Path) -> bool:
    """Whether kernels can use local socket files in ``runtime`` (POSIX, and a path short enough for a socket).

    >>> _ipc_fits(Path("/tmp/mopskit-app-abcd1234"))
    True
    >>> _ipc_fits(Path("/tmp/" + "x" * 60))
    False
    """
    return os.name == "posix" and len(str(runtime)) + _IPC_NAME_CHARS <= _SOCKET_PATH_MAX


def _command(root: Path, *, port: int, token: str, runtime: Path) -> list[str]:
    """The Voilà command line of app mode (its config file, written by :func:`_write_config`, is in ``runtime``)."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(root),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        f"--Voila.connection_dir_root={runtime}",  # the kernels' files: found and removed by AppServer.stop
        f"--Voila.config_file_paths={runtime}",  # voila.py of app mode, and no other
        "--Voila.log_level=WARN",
        # kernels talk over local files, not TCP ports: no port a browser's connection took in the meantime (a
        # kernel that cannot bind leaves its page "Running ..." for good), and nothing another user can reach
        *(["--KernelManager.transport=ipc"] if _ipc_fits(runtime) else []),
        *(f"--{name}={value}" for name, value in app_settings().items()),
    ]


@dataclass
class AppServer:
    """A running app-mode server: where it listens, its token, and the Voilà process to stop.

    Attributes:
        root: the workspace it serves.
        url: its address, ``http://127.0.0.1:PORT``.
        token: the secret that the printed address carries; a browser that opened it once keeps a cookie.
        process: the Voilà process (in a process group of its own, so a terminal's Ctrl+C reaches the caller).
        runtime: a private folder for the kernels' connection files (removed on stop).

    """

    root: Path
    url: str
    token: str
    process: subprocess.Popen[bytes]
    runtime: Path

    @classmethod
    def start(
        cls,
        root: str | Path,
        *,
        port: int | None = None,
        env: Mapping[str, str] | None = None,
        log: IO[bytes] | None = None,
        timeout: float = 90.0,
    ) -> AppServer:
        """Start Voilà on ``root`` and wait until it answers.

        Args:
            root: the workspace to serve.
            port: the port to listen on (127.0.0.1 only); default :data:`DEFAULT_PORT`, or a free one if taken.
            env: the environment of the server and its kernels (default: this process's).
            log: where Voilà's own messages go (default: this terminal; it only reports warnings and errors).
            timeout: seconds to wait for the server to answer.

        Raises:
            WorkspaceError: Voilà is missing, the port is taken, or the server did not start (with its last words).

        """
        missing = _voila_missing()
        if missing:
            raise WorkspaceError(missing)
        root = Path(root).resolve()
        chosen, token = _pick_port(port), secrets.token_urlsafe(24)
        runtime = Path(tempfile.mkdtemp(prefix="mopskit-app-"))
        _write_config(runtime)
        process = subprocess.Popen(
            _command(root, port=chosen, token=token, runtime=runtime),
            cwd=root,
            env=dict(os.environ if env is None else env),
            stdout=log,
            stderr=subprocess.STDOUT if log is not None else None,
            start_new_session=True,
        )
        server = cls(root=root, url=f"http://127.0.0.1:{chosen}", token=token, process=process, runtime=runtime)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and process.poll() is None:
                if server.answers():
                    return server
                time.sleep(0.2)
        except BaseException:  # Ctrl+C while it starts: nothing is left running
            server.stop()
            raise
        ended = process.poll()
        server.stop()
        if ended is not None:
            raise WorkspaceError(_("the app server stopped while starting (exit status {status})").format(status=ended))
        raise WorkspaceError(_("the app server did not answer within {seconds:.0f} s").format(seconds=timeout))

    def answers(self) -> bool:
        """Whether the server answers HTTP requests (any answer counts)."""
        try:
            with urllib.request.urlopen(f"{self.url}/login", timeout=5):
                return True
        except urllib.error.HTTPError:
            return True
        except (OSError, urllib.error.URLError):
            return False

    def page_url(self, notebook: str = HOME_NOTEBOOK, *, with_token: bool = True) -> str:
        """The address of a notebook's page (a path inside the workspace); the home page by default."""
        address = f"{self.url}/voila/render/{urllib.parse.quote(notebook)}"
        return f"{address}?token={self.token}" if with_token else address

    def kernels(self) -> list[int]:
        """Ids of the processes running this server's kernels (found by their connection files)."""
        import psutil

        marker = str(self.runtime / "voila_")  # Voilà keeps its kernels' files in runtime/voila_<random>/
        found = []
        for proc in psutil.process_iter(["pid", "cmdline"]):
            cmdline = proc.info.get("cmdline") or []
            if proc.info["pid"] != self.process.pid and any(part.startswith(marker) for part in cmdline):
                found.append(int(proc.info["pid"]))
        return found

    def wait(self) -> int:
        """Block until the server stops; return its exit status."""
        return self.process.wait()

    def stop(self) -> None:
        """Stop the server, which shuts its kernels down; then end any process of theirs still left, by its id."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # Voilà stops its loop, then shuts every kernel down
            try:
                self.process.wait(timeout=_STOP_GRACE)
            except subprocess.TimeoutExpired:
                if hasattr(os, "killpg"):
                    os.killpg(self.process.pid, signal.SIGKILL)
                else:  # pragma: no cover - Windows has no process groups to end at once
                    self.process.kill()
                self.process.wait(timeout=10)
        for pid in self.kernels():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.runtime, ignore_errors=True)


@contextmanager
def _signals(handlers: Mapping[str, Callable[..., object] | int]) -> Iterator[None]:
    """Set signal handlers (by name, those this system has) inside the block; in the main thread only."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[str, Any] = {}
    for name, handler in handlers.items():
        if hasattr(signal, name):
            previous[name] = signal.signal(getattr(signal, name), handler)
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _log_tail(path: Path, *, since: int = 0, lines: int = 15) -> str:
    """The last lines written to a log file after byte ``since`` (so older runs' messages are left out)."""
    try:
        with path.open("rb") as handle:
            handle.seek(since)
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def run_app(
    *,
    directory: str | Path = "mopskit-workspace",
    port: int | None = None,
    open_browser: bool = True,
    announce: Callable[[str], None] | None = None,
    lang: str | None = None,
) -> PreparedWorkspace:
    """Prepare the workspace, then serve its lessons as web apps until Ctrl+C (the trainee's no-code way in).

    Voilà's own messages (warnings, a lesson's errors with their tracebacks) go to ``.mopskit/app.log`` in the
    workspace, so the terminal stays readable; its last lines are shown if the server fails. Ctrl+C, closing the
    terminal, or SIGTERM stop the server and every kernel it started.

    Args:
        directory: the workspace folder; made or completed as by ``mopskit start`` (existing files are kept).
        port: the port to listen on, on 127.0.0.1; default 8866, or a free one if that is taken.
        open_browser: open the home page in the default web browser once the server answers.
        announce: where to say what is going on (the address to open, how to stop); default: print, flushed
            at once (the address must show even when the output is piped).
        lang: the language of the lessons (``ro``, ``th``, ``zh-TW``, ``en``); default: the workspace's, else
            English. The pages' kernels get it as ``MOPSKIT_LANG``.

    Returns:
        What preparing the workspace did.

    Raises:
        WorkspaceError: Voilà is missing, the folder cannot be used, the port is taken, or the server failed.

    """
    missing = _voila_missing()
    if missing:
        raise WorkspaceError(missing)
    if announce is None:
        announce = functools.partial(print, flush=True)
    prepared = prepare_workspace(directory, lang=lang)
    announce(str(prepared))
    log_path = prepared.path / KIT_DIR / "app.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    keep = log_path.exists() and log_path.stat().st_size < _LOG_LIMIT  # a log grown too big starts afresh
    with _signals({"SIGTERM": _interrupt, "SIGHUP": _interrupt}), log_path.open("ab" if keep else "wb") as log:
        begun = log.tell()
        try:
            env = kernel_environment(workspace_language(prepared.path) or "en")
            server = AppServer.start(prepared.path, port=port, log=log, env=env)
        except WorkspaceError as exc:
            tail = _log_tail(log_path, since=begun)
            raise WorkspaceError(f"{exc}; the end of {log_path}:\n{tail}" if tail else str(exc)) from None
        except KeyboardInterrupt:  # stopped while starting: AppServer.start left nothing running
            announce(_("Stopped before the server was ready."))
            return prepared
        try:
            url = server.page_url()
            announce(
                _(
                    "The lessons are served as apps at:\n\n    {url}\n\n"
                    "Open that address in your web browser. The server is for you alone: it listens on this "
                    "computer only and has no accounts. Press Ctrl+C here to stop it; your answers are kept in "
                    "{answers}."
                ).format(url=url, answers=log_path.parent)
            )
            if open_browser:
                import webbrowser

                webbrowser.open(url)
            status = server.wait()
            if status not in (0, -signal.SIGTERM):
                raise WorkspaceError(
                    _("the app server stopped on its own (exit status {status}); the end of {log}:\n{tail}").format(
                        status=status, log=log_path, tail=_log_tail(log_path, since=begun)
                    )
                )
        except KeyboardInterrupt:
            announce(_("Stopping the app server and its kernels..."))
        finally:
            with _signals({"SIGINT": signal.SIG_IGN, "SIGTERM": signal.SIG_IGN}):  # a second Ctrl+C cannot cut it short
                server.stop()
    announce(_("Stopped. Start it again with: mopskit app {path}").format(path=prepared.path))
    return prepared
