"""App mode: `mopskit app` prepares the workspace and serves it with Voilà on 127.0.0.1; Ctrl+C stops it all."""

import json
import os
import signal
import socket
import subprocess
import sys
import tomllib
import types
import urllib.request

import psutil
import pytest
from lesson_runs import LOG_VARIABLE

import mopskit.app as app
from mopskit.app import DEFAULT_PORT, VOILA_REQUIREMENT, AppServer, in_app_mode
from mopskit.cli import main
from mopskit.errors import WorkspaceError
from mopskit.ui.setup import app_note
from mopskit.workspace import HOME_NOTEBOOK, prepare_workspace


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_voila_is_a_dependency_in_the_version_the_kit_is_built_for(root):
    dependencies = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    assert VOILA_REQUIREMENT in dependencies


def test_the_server_listens_on_this_computer_only_behind_a_token_and_shows_no_tracebacks(tmp_path):
    command = app._command(tmp_path, port=9999, token="s3cret", runtime=tmp_path / "runtime")
    assert command[1:4] == ["-m", "voila", str(tmp_path)]
    for option in (
        "--Voila.ip=127.0.0.1",
        "--Voila.port=9999",
        "--Voila.port_retries=0",
        "--Voila.token=s3cret",
        "--no-browser",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--Voila.config_file_paths={tmp_path / 'runtime'}",
    ):
        assert option in command
    [advice] = [c for c in command if c.startswith("--VoilaExecutor.cell_error_instruction=")]
    assert "Open the lesson in JupyterLab (mopskit start)" in advice


def test_the_config_file_gives_every_page_the_cookie_it_needs_to_end_its_kernel(tmp_path):
    config = types.SimpleNamespace(VoilaConfiguration=types.SimpleNamespace())
    exec(app._write_config(tmp_path).read_text(encoding="utf-8"), {"c": config})
    assert config.VoilaConfiguration.prelaunch_hook is app.issue_xsrf_cookie

    class Handler:
        asked = False

        @property
        def xsrf_token(self):  # tornado sets the _xsrf cookie when this is first read
            Handler.asked = True
            return b"token"

    config.VoilaConfiguration.prelaunch_hook(Handler(), None, str(tmp_path))
    assert Handler.asked


def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(WorkspaceError, match=f"port {port} on 127.0.0.1 is taken .*choose another with --port"):
            app._pick_port(port)


@pytest.mark.parametrize("port", [0, 65536, -1])
def test_a_port_out_of_range_is_refused(port):
    with pytest.raises(WorkspaceError, match=rf"'--port' must be a number from 1 to 65535 \(got {port}\)"):
        app._pick_port(port)


def test_without_a_port_the_default_is_used_when_free_and_else_any_free_one(monkeypatch):
    monkeypatch.setattr(app, "_port_free", lambda port: True)
    assert app._pick_port(None) == DEFAULT_PORT
    monkeypatch.setattr(app, "_port_free", lambda port: port != DEFAULT_PORT)
    other = app._pick_port(None)
    assert other != DEFAULT_PORT and 0 < other < 65536


def test_without_voila_the_command_says_what_to_install_and_touches_nothing(monkeypatch, tmp_path, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "voila" else real(name, *a))
    assert main(["app", str(tmp_path / "ws"), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mopskit: app mode needs Voilà") and f"pip install '{VOILA_REQUIREMENT}'" in err
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize(
    ("software", "expected"), [("voila/0.5.13", True), ("TornadoServer/6.4", False), (None, False)]
)
def test_app_mode_is_what_voila_tells_its_kernels(monkeypatch, software, expected):
    if software is None:
        monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    else:
        monkeypatch.setenv("SERVER_SOFTWARE", software)
    assert in_app_mode() is expected


def test_the_app_note_links_to_the_home_page_when_it_is_there(tmp_path):
    assert "press Check" in app_note(folder=tmp_path) and "<a " not in app_note(folder=tmp_path)
    (tmp_path / HOME_NOTEBOOK).write_text("{}")
    assert f'<a href="{HOME_NOTEBOOK}" target="_self">← All lessons and your progress</a>' in app_note(folder=tmp_path)


def test_a_server_that_fails_to_start_is_a_clear_error_with_its_last_words(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MOPSKIT_ANSWERS_DIR")
    failing = [sys.executable, "-c", "import sys; print('Voila cannot start: no template lab'); sys.exit(3)"]
    monkeypatch.setattr(app, "_command", lambda root, **kw: failing)
    (tmp_path / "ws" / ".mopskit").mkdir(parents=True)
    (tmp_path / "ws" / ".mopskit" / "app.log").write_text("words of an earlier run\n")
    assert main(["app", str(tmp_path / "ws"), "--no-browser", "--port", str(_free_port())]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mopskit: the app server stopped while starting (exit status 3); the end of ")
    assert err.rstrip().endswith("Voila cannot start: no template lab")
    assert "earlier run" not in err, "only this run's messages are shown"


def _get(url):
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.geturl(), response.read().decode("utf-8")


@pytest.mark.slow
def test_the_server_shows_progress_and_lessons_without_code_then_stops_with_its_kernels(tmp_path, monkeypatch):
    monkeypatch.delenv("MOPSKIT_ANSWERS_DIR")  # the kernels save beside the lessons, as in JupyterLab
    # an app server's own runs of a lesson are what this test is for, as for the browser tests' servers: they are
    # not counted among the session's two runs of each lesson (tests/lesson_runs.py)
    monkeypatch.delenv(LOG_VARIABLE, raising=False)
    workspace = prepare_workspace(tmp_path / "ws").path
    (workspace / ".mopskit").mkdir(exist_ok=True)
    (workspace / ".mopskit" / "00_start_here.answers.json").write_text(json.dumps({"q2": "a wrong task"}))
    with (tmp_path / "voila.log").open("wb") as log:
        server = AppServer.start(workspace, port=_free_port(), log=log)
    try:
        assert not server.kernels(), "no page opened yet, so no kernel"
        _url, home = _get(server.page_url())
        assert "mopskit-progress-row" in home and "1 of 2" in home, "the home page counts the saved answer"
        assert "from mopskit.workspace import workspace_progress" not in home, "no code in the page"

        landed, _page = _get(server.page_url("00_start_here.ipynb", with_token=False))
        assert "/login" in landed, "without the token (or its cookie) a page asks for it"

        _url, lesson = _get(server.page_url("00_start_here.ipynb"))
        assert "mopskit-app-note" in lesson, "the lesson knows it is in app mode"
        assert 'start_lesson(\\"00_start_here\\")' not in lesson and "start_lesson(" not in lesson
        assert server.kernels(), "each page has a kernel while it is open"
    finally:
        server.stop()
    assert server.process.returncode is not None
    assert not server.kernels(), "a kernel outlived the server"
    assert not server.runtime.exists()


@pytest.mark.slow
def test_mopskit_app_prints_the_address_and_stops_on_ctrl_c_with_every_kernel(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MOPSKIT_ANSWERS_DIR"}
    log = tmp_path / "ws" / ".mopskit" / "app.log"
    log.parent.mkdir(parents=True)
    log.write_bytes(b"x" * 5_000_001)  # grown too big: the app starts it afresh
    command = [
        sys.executable,
        "-m",
        "mopskit",
        "app",
        str(tmp_path / "ws"),
        "--no-browser",
        "--port",
        str(_free_port()),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.strip().startswith("http://127.0.0.1:"):
                break
        url = lines[-1].strip()
        assert "/voila/render/mopskit_home.ipynb?token=" in url, "".join(lines)
        assert "Workspace ready in" in lines[0]
        _get(url)  # the home page, run in a kernel
        family = psutil.Process(process.pid).children(recursive=True)
        assert len(family) >= 2, "Voilà and the home page's kernel"
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C in a terminal does
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Stopping the app server and its kernels..." in out and "Stopped. Start it again with: mopskit app" in out
    assert "Traceback" not in err
    _gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, f"still running after Ctrl+C: {[p.cmdline() for p in alive]}"
    assert 0 < log.stat().st_size < 5_000_000, "Voilà's messages are kept in the workspace, in a log of bounded size"
