"""A cohort on one server: a real JupyterHub from `mopskit hub-config`, two users logged in through Chromium.

Each user gets their own server, under their own account, in their own private workspace, with JupyterLab and the
lessons as apps. One answers in the app; the other sees nothing of it, neither on their pages, nor through the
hub, nor on the disk; neither can read the instructor's gradebook; `mopskit collect` finds the answer.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import psutil
import pytest

from mopskit._resources import sources_dir
from mopskit.assess import Gradebook, answer_key, answers_in_notebook
from mopskit.assess._answers import to_jsonable
from mopskit.hub import collect

from .app_mode import LessonInApp
from .hub import Accounts, Hub, require_hub

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = "00_start_here"
PAGE_MS = 180_000  # a first page: the user's server starts, copies the lessons, runs the page


@pytest.fixture(scope="module")
def hub(browser, tmp_path_factory):
    require_hub()
    accounts = Accounts.create(2)
    try:
        hub = Hub.start(tmp_path_factory.mktemp("hub"), accounts)
        try:
            with Gradebook(db=hub.instructor / "gradebook.sqlite") as book:
                book.scores()  # a real gradebook, as `mopskit grade` leaves it
            yield hub
        finally:
            hub.stop()
            assert hub.process.poll() is not None, "the hub is still running after the tests"
            left = accounts.processes_after(60)
            assert not left, f"processes of the hub's users still run after it stopped: {left}"
    finally:
        accounts.remove()


@pytest.fixture(scope="module")
def sessions(browser, hub):
    """Each user logged in through the hub's form, in a browser context of their own."""
    pages = {}
    for name in hub.accounts.names:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        page = context.new_page()
        hub.log_in(page, name)
        pages[name] = page
    yield pages
    for page in pages.values():
        page.context.close()


class UserApp:
    """One user's app pages on the hub, shaped as the app-mode driver expects a server."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.root = hub.accounts.home(name) / "mopskit-workspace"

    def page_url(self, notebook: str = "mopskit_home.ipynb") -> str:
        return self.hub.user_url(self.name, f"voila/render/{urllib.parse.quote(notebook)}")


def _home_progress(page, app: UserApp) -> tuple[str, str]:
    page.goto(app.page_url())
    row = page.locator(f'tr[data-lesson="{LESSON}"]')
    row.wait_for(timeout=PAGE_MS)
    return (
        row.locator(".mopskit-progress-answered").inner_text().strip(),
        row.locator(".mopskit-progress-correct").inner_text().strip(),
    )


def test_each_user_lands_in_jupyterlab_on_their_own_server_and_account(hub, sessions):
    for name, page in sessions.items():
        assert re.search(rf"/user/{name}/lab", page.url), f"{name} landed on {page.url}"
        page.locator(".jp-DirListing-content").get_by_text(f"{LESSON}.ipynb").wait_for(timeout=PAGE_MS)
        workspace = hub.accounts.home(name) / "mopskit-workspace"
        info = workspace.stat()
        assert info.st_uid == hub.accounts.uid(name), "the workspace belongs to its user"
        assert info.st_mode & 0o077 == 0, f"{name}'s workspace is open to others: {oct(info.st_mode)}"
    servers = {}
    for pid in hub.accounts.processes():
        process = psutil.Process(pid)
        if "jupyterhub.singleuser" in process.cmdline():
            servers[process.username()] = process.uids().real
    assert servers == {n: hub.accounts.uid(n) for n in hub.accounts.names}, (
        "each user's server runs under that user's own account"
    )


@pytest.fixture(scope="module")
def answered(hub, sessions, artifacts_root):
    """The first user answers every exercise of the lesson in the app; the right answers."""
    first = hub.accounts.names[0]
    app = UserApp(hub, first)
    key = {k: to_jsonable(v) for k, v in answer_key(sources_dir() / f"{LESSON}.ipynb").items()}
    total = len(key)
    assert _home_progress(sessions[first], app) == (f"0 of {total}", f"0 of {total}")
    walk = LessonInApp(sessions[first], app, app.root / f"{LESSON}.ipynb", key, artifacts=artifacts_root / "hub")
    with walk.reporting():
        walk.open()
        walk.expect_no_code_and_no_errors()
        walk.answer_widgets()
    return key


def test_an_answer_given_in_one_users_app_stays_theirs(hub, sessions, answered):
    first, second = hub.accounts.names
    apps = {name: UserApp(hub, name) for name in hub.accounts.names}
    total = len(answered)
    assert _home_progress(sessions[first], apps[first]) == (f"{total} of {total}", f"{total} of {total}")
    assert _home_progress(sessions[second], apps[second]) == (f"0 of {total}", f"0 of {total}"), (
        "the second user sees the first one's answers"
    )

    # through the hub: the second user's login opens nothing of the first user's server
    for path in (f"api/contents/.mopskit/{LESSON}.answers.json", f"voila/render/{LESSON}.ipynb", "lab"):
        response = sessions[second].context.request.get(hub.user_url(first, path), max_redirects=10)
        assert response.status in (403, 404), f"{second} opened {first}'s {path}: HTTP {response.status}"
        assert "answers.json" not in response.text() or response.status == 404

    # on the disk: the second user's account (as their kernels run) cannot read the first user's work
    answers = apps[first].root / ".mopskit" / f"{LESSON}.answers.json"
    assert json.loads(answers.read_text()), "the app saved the answers in the first user's workspace"
    for target in (answers, apps[first].root, apps[first].root / f"{LESSON}.ipynb"):
        read = "os.listdir(p) if os.path.isdir(p) else open(p).read()"
        probe = hub.run_as(second, f"import os; p = {str(target)!r}; print({read})")
        assert "PermissionError" in probe.stderr, f"{second} could read {target}: {probe.stdout[:200]}"


def test_no_user_can_read_the_instructors_gradebook(hub):
    gradebook = hub.instructor / "gradebook.sqlite"
    assert gradebook.is_file()
    for name in hub.accounts.names:
        for target in (gradebook, hub.instructor, hub.instructor / "hub" / "jupyterhub.sqlite"):
            probe = hub.run_as(name, f"open({str(target)!r}, 'rb').read(16)")
            assert "PermissionError" in probe.stderr, f"{name} could read {target}"


def test_collect_finds_the_first_users_answer(hub, answered):
    first, second = hub.accounts.names
    out = hub.instructor / "submissions"
    result = collect(out, users=hub.accounts.names)
    found = {work.user: work for work in result.users}
    assert LESSON in found[first].lessons and LESSON in found[second].lessons
    carried = answers_in_notebook(out / first / f"{LESSON}.ipynb")
    assert carried == answered, "the first user's answers travel in the collected notebook, for the grader"
    assert answers_in_notebook(out / second / f"{LESSON}.ipynb") == {}
    assert (out.stat().st_mode & 0o077) == 0
