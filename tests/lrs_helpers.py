"""A real learning record store for the tests: Ralph (ralph-malph, the test extra) on its file backend.

:func:`start_ralph` starts Ralph's server in a process of its own, on a free port, with one account, and waits
until it answers; :class:`Ralph` reads back what it stores. :class:`FlakyProxy` sits in front of it and fails
the first requests with 503, as an LRS behind a busy load balancer does.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SERVER = Path(__file__).parent / "files" / "lrs" / "ralph_server.py"
USER, PASSWORD = "grader", "s3cret-for-tests"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Ralph:
    """A running Ralph LRS: its xAPI endpoint, its credentials, and what it holds."""

    endpoint: str
    auth: str
    process: subprocess.Popen
    log: Path

    def statements(self) -> list[dict]:
        """Every statement the LRS holds (one page: the server allows a page of 10,000)."""
        request = urllib.request.Request(
            f"{self.endpoint}statements?limit=10000",
            headers={
                "X-Experience-API-Version": "1.0.3",
                "Authorization": "Basic " + base64.b64encode(self.auth.encode()).decode(),
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())["statements"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_ralph(folder: Path, *, append: bool = True) -> Ralph:
    """Start Ralph's LRS on the file backend in ``folder``; ``append=False`` runs its file backend as shipped."""
    pytest.importorskip("ralph", reason="the LRS tests need Ralph: pip install -e '.[test]' (the lms extra)")
    import bcrypt

    folder.mkdir(parents=True, exist_ok=True)
    auth_file = folder / "auth.json"
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    account = {"agent": {"mbox": "mailto:grader@example.org"}, "scopes": ["all"], "hash": hashed, "username": USER}
    auth_file.write_text(json.dumps([account]), encoding="utf-8")
    port = _free_port()
    env = {
        **os.environ,
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_AUTH_FILE": str(auth_file),
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "store"),
        "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "10000",
        "RALPH_APP_DIR": str(folder / "app"),
    }
    (folder / "store").mkdir(exist_ok=True)
    log = folder / "ralph.log"
    command = [sys.executable, str(SERVER), str(port), *(["--append"] if append else [])]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    ralph = Ralph(f"http://127.0.0.1:{port}/xAPI/", f"{USER}:{PASSWORD}", process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Ralph stopped at start:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2):
                return ralph
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    ralph.stop()
    raise RuntimeError(f"Ralph did not answer within 60 s:\n{log.read_text(errors='replace')}")


class FlakyProxy:
    """An HTTP proxy in front of an LRS that answers 503 to the first ``failures`` POSTs, then passes through."""

    def __init__(self, target: str, *, failures: int) -> None:
        self.target, self.failures, self.posts = target.rstrip("/"), failures, 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy.posts += 1
                if proxy.posts <= proxy.failures:
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() in ("authorization", "content-type", "x-experience-api-version")
                }
                request = urllib.request.Request(
                    proxy.target + self.path.removeprefix("/xAPI"), data=body, headers=headers, method="POST"
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        status, payload = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, payload = error.code, error.read()
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def flaky(target: str, *, failures: int):
    proxy = FlakyProxy(target, failures=failures)
    try:
        yield proxy
    finally:
        proxy.close()
