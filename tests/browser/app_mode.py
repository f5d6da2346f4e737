"""A trainee's session with one lesson in app mode (``mopskit app``), done through the page as a trainee does it.

Open the home page and read the lesson's progress, open the lesson by its link, see no code and no error,
answer every exercise through its widget and press **Check** (each says correct), reload the page and see every
answer back and every ``check()`` correct, then follow the lesson's link back home and see the progress change.
The answering and looking again are the drivers shared with JupyterLab (:mod:`.drivers`).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from .drivers import ExercisesInPage
from .lab import free_port, isolated_env

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from mopskit.app import AppServer

PAGE_TIMEOUT_MS = 300_000  # Voilà runs the whole lesson before it shows it, like nbval's cell limit
HOME_LINK = "← All lessons and your progress"  # the lesson's link home, in its app-mode note

# The page is shown (Voilà has run every cell), every output is rendered (none is left in its script tag), and
# every widget output holds its widget.
_READY = """() => {
  const cells = document.querySelector('#rendered_cells');
  if (!cells || cells.style.display === 'none' || document.querySelector('#loading')) return false;
  if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
  return [...cells.querySelectorAll('.jp-OutputArea-output.lm-Panel')]
    .every((p) => p.querySelector('.jupyter-widgets, .jupyter-widgets-error-widget'));
}"""

# What a trainee must never see in app mode: code editors, error or stderr outputs, widgets that failed.
_PROBLEMS = """() => {
  const found = [];
  document.querySelectorAll('.cm-editor, .CodeMirror, .jp-InputArea-editor').forEach(
    () => found.push('a code editor is on the page'));
  document.querySelectorAll('.jp-OutputArea-output').forEach((o) => {
    const kind = o.getAttribute('data-mime-type') || '';
    if (kind.includes('stderr') || kind.includes('error'))
      found.push(`an error output: ${o.innerText.trim().slice(0, 300)}`);
    else if (o.innerText.trim() === 'Ellipsis')
      found.push("an unanswered code answer's value (Ellipsis) shows in the page");
  });
  document.querySelectorAll('.jupyter-widgets-error-widget').forEach(
    (e) => found.push('a widget failed to show: ' + e.textContent.trim().slice(0, 200)));
  return found;
}"""

# A statement, as code shows it: an import, an assignment, a call.
_STATEMENT = re.compile(r"^(from \S+ import |import \S|[A-Za-z_][\w.\[\]\"']*\s*=[^=]|[A-Za-z_][\w.]*\()")


def code_lines(notebook: Path) -> list[str]:
    """The statements of a notebook's code cells that its Markdown does not quote: none may show in app mode."""
    nb = nbformat.read(str(notebook), as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    lines = {
        line.strip()
        for cell in nb.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if len(line.strip()) >= 12 and _STATEMENT.match(line.strip())
    }
    return sorted(line for line in lines if line not in prose)


def start_app_server(workspace: Path, scratch: Path, *, lang: str | None = None) -> AppServer:
    """An app-mode server (what ``mopskit app`` starts) on ``workspace``, its settings and log under ``scratch``.

    ``lang`` is given to the server and its kernels as ``MOPSKIT_LANG``, as ``mopskit app`` does for a workspace
    prepared in a language.
    """
    from mopskit.app import AppServer
    from mopskit.errors import WorkspaceError

    env = {**isolated_env(scratch), **({"MOPSKIT_LANG": lang} if lang else {})}

    def attempt() -> AppServer:
        with (scratch / "voila.log").open("ab") as log:
            return AppServer.start(workspace, port=free_port(), env=env, log=log)

    for _ in range(2):  # another program may take the free port before the server does: try again
        with contextlib.suppress(WorkspaceError):
            return attempt()
    return attempt()


@dataclass(frozen=True)
class Progress:
    """One lesson's row of the home page, as shown."""

    answered: str
    correct: str


class LessonInApp(ExercisesInPage):
    """One lesson of an app-mode server in one browser page: the steps of :meth:`walk_through`, one by one."""

    home_link = HOME_LINK  # a lesson in another language names its link home in that language

    def __init__(self, page: Page, server: AppServer, notebook: Path, key: dict[str, Any], *, artifacts: Path):
        super().__init__(page, notebook.stem, key, artifacts=artifacts)
        self.server = server
        self.notebook = notebook
        self.path = notebook.relative_to(server.root).as_posix()

    def walk_through(self) -> tuple[Progress, Progress]:
        """Everything a trainee does with the lesson in app mode; returns its progress before and after."""
        with self.reporting():
            self.begin("opening the home page")
            self.open_home()
            before = self.progress()
            self.begin("opening the lesson from the home page")
            self.page.locator(f'tr[data-lesson="{self.lesson}"] a').click()
            self.wait_until_ready()
            self.expect_no_code_and_no_errors()
            self.begin("answering every exercise widget and pressing Check")
            self.answer_widgets()
            self.expect_no_static_copies()
            self.begin("reloading the page")
            self.page.reload()
            self.wait_until_ready()
            self.expect_no_code_and_no_errors()
            self.begin("looking at the widgets after the reload")
            self.expect_answers_shown()
            self.expect_no_static_copies()
            self.press_check_everywhere()
            self.begin("going back to the home page by the lesson's link")
            self.page.get_by_role("link", name=self.home_link).click()
            self.wait_until_ready()
            after = self.progress()
            return before, after

    def open_home(self) -> None:
        """Open the home page with the address ``mopskit app`` prints (its token leaves a cookie for the rest)."""
        self.page.goto(self.server.page_url())
        self.wait_until_ready()

    def open(self) -> None:
        """Open the lesson's page directly and wait until it is shown."""
        self.page.goto(self.server.page_url(self.path))
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        self.page.wait_for_function(_READY, timeout=PAGE_TIMEOUT_MS)

    def progress(self) -> Progress:
        """The lesson's answered and correct counts on the home page."""
        row = self.page.locator(f'tr[data-lesson="{self.lesson}"]')
        if row.count() != 1:
            self.fail([f"the home page has {row.count()} rows for {self.lesson}"])
        return Progress(
            row.locator(".mopskit-progress-answered").inner_text().strip(),
            row.locator(".mopskit-progress-correct").inner_text().strip(),
        )

    def expect_no_code_and_no_errors(self) -> None:
        """No code editor, no line of the lesson's code, no error or stderr output, no broken widget."""
        problems = self.page.evaluate(_PROBLEMS)
        text = self.page_text()
        problems += [f"code shows in the page: {line!r}" for line in code_lines(self.notebook) if line in text]
        if "your answer here" in text:
            problems.append("a code answer's placeholder ('your answer here') shows in the page")
        if problems:
            self.fail(problems)
