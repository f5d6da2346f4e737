"""A trainee's session with one lesson in JupyterLab, done through the page the way a trainee does it.

Open the lesson, *Run > Run All Cells*, answer one code exercise by typing into its cell, answer every
exercise widget by clicking and typing, press **Check** on each, save, *Kernel > Restart Kernel and Run All
Cells*, then look again: every widget shows its answer, every ``check()`` says correct, and the saved
``.ipynb`` carries the answers. Answering the widgets and looking at them again is shared with app mode
(:mod:`.drivers`); what is JupyterLab's own (its menus, cells, saving) is here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from mopskit.assess import answers_in_notebook

from .drivers import ExercisesInPage, LessonFailure, _carried

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .lab import LabServer

__all__ = ["CodeAnswer", "LessonFailure", "LessonInBrowser", "find_code_answer"]

RUN_TIMEOUT_MS = 300_000  # a whole lesson, like nbval's cell limit in pyproject.toml

# The open notebook's panel, found by its path (JupyterLab exposes its app to the page: see lab.py).
_PANEL = "(path) => [...window.jupyterapp.shell.widgets('main')].find((w) => w.context && w.context.path === path)"

# True once the kernel is idle, no cell waits to run, and the cells that ran have counts 1, 2, ... in order:
# one fresh pass from a kernel start (a count that runs on from before a restart keeps it false).
_RUN_FINISHED = f"""(path) => {{
  if (!window.jupyterapp) return false;
  const panel = ({_PANEL})(path);
  if (!panel || panel.sessionContext.kernelDisplayStatus !== 'idle') return false;
  const code = [...panel.content.model.cells].filter((c) => c.type === 'code');
  if (code.some((c) => c.executionState === 'running')) return false;
  const counts = code.map((c) => c.executionCount).filter((n) => n !== null);
  if (!counts.length || counts.some((n, i) => n !== i + 1)) return false;
  const failed = code.some((c) => [...Array(c.outputs.length).keys()].some((k) => c.outputs.get(k).type === 'error'));
  return failed || counts.length === code.filter((c) => c.sharedModel.getSource().trim()).length;
}}"""

_KERNEL_READY = f"""(path) => {{
  if (!window.jupyterapp) return false;
  const panel = ({_PANEL})(path);
  return !!(panel && panel.context.isReady && panel.sessionContext.session
            && panel.sessionContext.kernelDisplayStatus === 'idle');
}}"""

_CELL_RAN = f"""([path, index, after]) => {{
  const panel = ({_PANEL})(path);
  const cell = panel.content.model.cells.get(index);
  return panel.sessionContext.kernelDisplayStatus === 'idle' && cell.executionState !== 'running'
         && cell.executionCount !== null && cell.executionCount > after;
}}"""

_MAX_COUNT = f"(path) => Math.max(0, ...[...({_PANEL})(path).content.model.cells].map((c) => c.executionCount || 0))"

_SAVED = f"(path) => !({_PANEL})(path).context.model.dirty"

# Error outputs and stderr that reads like a problem, by cell; widgets that failed to render.
_ERRORS = f"""(path) => {{
  const found = [];
  ({_PANEL})(path).content.widgets.forEach((cell, i) => {{
    if (cell.model.type !== 'code') return;
    for (let k = 0; k < cell.model.outputs.length; k++) {{
      const o = cell.model.outputs.get(k).toJSON();
      if (o.output_type === 'error') found.push(`cell ${{i + 1}}: ${{o.ename}}: ${{o.evalue}}`);
      const text = [].concat(o.text || []).join('');
      if (o.output_type === 'stream' && o.name === 'stderr' && /Traceback|Error|Warning/.test(text))
        found.push(`cell ${{i + 1}} wrote to stderr: ${{text.trim().slice(0, 400)}}`);
    }}
  }});
  document.querySelectorAll('.jupyter-widgets-error-widget').forEach(
    (e) => found.push('a widget failed to show: ' + e.textContent.trim().slice(0, 200)));
  return found;
}}"""

_PAGE_TEXT = f"""(path) => {{
  const panel = ({_PANEL})(path);
  if (!panel) return document.body.innerText;
  const parts = [document.querySelector('#jp-main-statusbar')?.innerText.replace(/\\n/g, ' | ') || ''];
  panel.content.widgets.forEach((cell, i) => {{
    const count = cell.model.executionCount === undefined ? '' : ` [${{cell.model.executionCount ?? ' '}}]`;
    parts.push(`--- cell ${{i + 1}} (${{cell.model.type}})${{count}} ---`, cell.model.sharedModel.getSource());
    const out = cell.node.querySelector('.jp-OutputArea');
    if (out && out.textContent.trim()) parts.push('>>> output:', out.innerText.trim() || out.textContent.trim());
  }});
  return parts.join('\\n');
}}"""


@dataclass
class CodeAnswer:
    """The one code exercise answered by typing: which cell, and the source typed into it."""

    exercise_id: str
    cell_index: int
    source: str


def find_code_answer(notebook: Path, key: dict[str, Any]) -> CodeAnswer | None:
    """The first ``qN = ...`` line of a released lesson whose right answer can be typed as a Python literal."""
    pattern = re.compile(r"^(?P<indent>\s*)(?P<id>\w+)\s*=\s*\.\.\.\s*(#.*)?$")
    nb = nbformat.read(str(notebook), as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        for number, line in enumerate(lines):
            found = pattern.match(line)
            if not found or found["id"] not in key:
                continue
            literal = repr(key[found["id"]])
            try:
                typeable = ast.literal_eval(literal) == key[found["id"]]
            except (ValueError, SyntaxError):
                typeable = False
            if typeable and not (isinstance(key[found["id"]], dict) and "__table__" in key[found["id"]]):
                lines[number] = f"{found['indent']}{found['id']} = {literal}"
                return CodeAnswer(found["id"], index, "\n".join(lines))
    return None


class LessonInBrowser(ExercisesInPage):
    """One lesson in JupyterLab in one browser page: the steps of :meth:`walk_through`, usable one by one."""

    def __init__(self, page: Page, server: LabServer, notebook: Path, key: dict[str, Any], *, artifacts: Path):
        super().__init__(page, notebook.stem, key, artifacts=artifacts)
        self.server = server
        self.notebook = notebook
        self.path = notebook.relative_to(server.root).as_posix()

    # -- the whole session -------------------------------------------------------------------------------

    def walk_through(self) -> None:
        """Everything a trainee does with the lesson; raises :class:`LessonFailure` at the first broken step."""
        with self.reporting():
            self.open()
            self.begin("Run > Run All Cells")
            self.run_all()
            self.expect_no_errors()
            self.answer_code_exercise()
            self.begin("answering every exercise widget and pressing Check")
            self.answer_widgets()
            self.begin("saving with Ctrl+S (before the restart)")
            self.save_and_expect_answers_on_disk()
            self.begin("Kernel > Restart Kernel and Run All Cells")
            self.restart_and_run_all()
            self.expect_no_errors()
            self.begin("looking at the widgets after the restart")
            self.expect_answers_shown()
            self.expect_check_cells_correct()
            self.press_check_everywhere()
            self.begin("saving with Ctrl+S (after the restart)")
            self.save_and_expect_answers_on_disk()

    def page_text(self) -> str:
        """Every cell's source and output, numbered, with the status bar: what a failure's page.txt holds."""
        return self.page.evaluate(_PAGE_TEXT, self.path)

    # -- steps -----------------------------------------------------------------------------------------------

    def open(self) -> None:
        """Open the lesson in its own JupyterLab workspace and wait for its kernel."""
        self.page.goto(self.server.page_url(self.path, workspace=f"mopskit-{self.lesson}"))
        self.page.wait_for_function(_KERNEL_READY, arg=self.path, timeout=120_000)

    def menu(self, menu: str, item: str) -> None:
        self.page.get_by_role("menuitem", name=menu, exact=True).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()

    def run_all(self) -> None:
        """*Run > Run All Cells*, then wait for the last cell."""
        self.menu("Run", "Run All Cells")
        self.wait_until_run()

    def restart_and_run_all(self) -> None:
        self.menu("Kernel", "Restart Kernel and Run All Cells…")
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.wait_until_run()

    def wait_until_run(self) -> None:
        """Wait until every cell has run once since the kernel started (or one failed)."""
        self.page.wait_for_function(_RUN_FINISHED, arg=self.path, timeout=RUN_TIMEOUT_MS)

    def expect_no_errors(self) -> None:
        errors = self.page.evaluate(_ERRORS, self.path)
        if "Jupyter news" in self.page.inner_text("body"):  # the workspace's settings switch the pop-up off
            errors = [*errors, "JupyterLab asks whether to fetch Jupyter news"]
        if errors:
            self.fail(errors)

    def run_cell(self, index: int, source: str | None = None) -> None:
        """Click into a cell, replace its text when ``source`` is given, run it (Ctrl+Enter) and wait."""
        from playwright.sync_api import expect

        before = self.page.evaluate(_MAX_COUNT, self.path)
        cell = self.page.locator(".jp-Notebook .jp-Cell").nth(index)
        cell.locator(".cm-content").click()
        if source is not None:
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.insert_text(source)
            expect(cell.locator(".cm-content")).to_have_text(source.splitlines()[0], use_inner_text=True)
        self.page.keyboard.press("Control+Enter")
        self.page.wait_for_function(_CELL_RAN, arg=[self.path, index, before], timeout=RUN_TIMEOUT_MS)

    def answer_code_exercise(self) -> None:
        """Type one code exercise's answer into its cell and run it; its Check (widget left empty) says correct.

        A lesson with no code exercise runs its first code cell again instead, so that a later restart is
        always told apart by its execution counts.
        """
        code = find_code_answer(self.notebook, self.key)
        if code is None:
            self.begin("running the first code cell again")
            cells = nbformat.read(str(self.notebook), as_version=4).cells
            self.run_cell(next(i for i, c in enumerate(cells) if c.cell_type == "code"))
            return
        self.begin(f"typing the answer to {code.exercise_id} into its code cell (cell {code.cell_index + 1})")
        self.exercise = code.exercise_id
        self.run_cell(code.cell_index, code.source)
        self.expect_no_errors()
        said = self.press_check(code.exercise_id)
        if said is not None:
            self.fail([f"exercise {code.exercise_id}: typed {code.source!r} and ran it, Check says: {said}"])

    def save_and_expect_answers_on_disk(self) -> None:
        """Ctrl+S, then read the saved ``.ipynb``: it carries every exercise's answer."""
        before = self.notebook.stat().st_mtime_ns
        self.page.locator(".jp-Notebook .jp-Cell").first.click()
        self.page.keyboard.press("ControlOrMeta+s")
        self.page.wait_for_function(_SAVED, arg=self.path)
        if self.notebook.stat().st_mtime_ns == before:
            self.fail([f"Ctrl+S left {self.notebook} unchanged"])
        carried = answers_in_notebook(self.notebook)
        missing = [
            f"exercise {exercise_id}: the saved notebook carries {carried.get(exercise_id)!r}, expected {expected!r}"
            for exercise_id, expected in self.key.items()
            if not _carried(carried.get(exercise_id), expected)
        ]
        if missing:
            self.fail(missing)
