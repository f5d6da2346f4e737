"""A trainee's session with one lesson, done through the page the way a trainee does it.

Open the lesson, *Run > Run All Cells*, answer one code exercise by typing into its cell, answer every
exercise widget by clicking and typing, press **Check** on each, save, *Kernel > Restart Kernel and Run All
Cells*, then look again: every widget shows its answer, every ``check()`` says correct, and the saved
``.ipynb`` carries the answers.

Nothing here knows a lesson or a kind of exercise by name. The right answers come from the lesson's answer
key, :func:`mopskit.ui.flatten_answer` splits each into leaves, the page classes of
:mod:`mopskit.ui.exercises` find each leaf's input, and one small driver per kind of input control (radio
buttons, a multiple-choice list, a dropdown, a text or number box, a text area, a checkbox) fills and reads it.
So a new widget kind built from those controls is covered with no change here.
"""

from __future__ import annotations

import ast
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from mopskit.assess import answers_in_notebook
from mopskit.ui import exercise_class, flatten_answer, leaf_class
from mopskit.ui.exercises import parse_number

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from .lab import LabServer

SOLVED = ("Correct!", "Public checks passed")  # the headlines of a right answer (mopskit.assess.Verdict)
RUN_TIMEOUT_MS = 300_000  # a whole lesson, like nbval's cell limit in pyproject.toml
VERDICT_TIMEOUT_MS = 15_000  # a check of one answer

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

# The verdicts that check() cells printed (a widget's own feedback is left out).
_CHECK_CELL_VERDICTS = """() => [...document.querySelectorAll('.jp-OutputArea-output .mopskit-verdict')]
  .filter((v) => !v.closest('.mopskit-exercise'))
  .map((v) => [(v.querySelector('strong') || v).textContent.trim(), v.textContent.trim()])"""

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

_NORM = "(t) => t.replace(/\\u00a0/g, ' ').trim()"  # ipywidgets shows spaces in options as no-break spaces

# What kind of input control a leaf is, and what it offers and shows (see the module's docstring).
_LEAF_KIND = """(el) => {
  const has = (s) => el.matches(s) || !!el.querySelector(s);
  if (has('.widget-radio-box')) return 'radio';
  if (has('select[multiple]')) return 'several';
  if (has('select')) return 'dropdown';
  if (has('textarea')) return 'textarea';
  if (has('input[type=checkbox]')) return 'checkbox';
  if (has('input')) return el.classList.contains('mopskit-number') ? 'number' : 'text';
  return 'unknown';
}"""
_LEAF_OPTIONS = f"""(el) => [...el.querySelectorAll('.widget-radio-box label, select option')]
  .map((o) => ({_NORM})(o.textContent))"""
_LEAF_SHOWS = f"""(el) => {{
  const norm = {_NORM};
  const q = (s) => (el.matches(s) ? el : el.querySelector(s));
  if (q('.widget-radio-box')) {{
    const picked = el.querySelector('input[type=radio]:checked');
    return picked ? norm(picked.closest('label').textContent) : null;
  }}
  const several = q('select[multiple]');
  if (several) {{
    const picked = [...several.selectedOptions].map((o) => norm(o.textContent));
    return picked.length ? picked : null;
  }}
  const one = q('select');
  if (one) return one.selectedIndex < 0 ? null : norm(one.options[one.selectedIndex].textContent);
  const box = q('input[type=checkbox]');
  if (box) return box.checked;
  const typed = q('textarea') || q('input');
  return typed && typed.value !== '' ? typed.value : null;
}}"""


class LessonFailure(AssertionError):
    """What went wrong with a lesson in the browser, naming the lesson, the step and the exercises."""


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


def _same(shown: Any, expected: Any, *, kind: str) -> bool:
    if expected is None:
        return shown in (None, False)
    if shown is None:
        return False
    if kind == "number":
        try:
            number = parse_number(str(shown))
        except ValueError:
            return False
        return number is not None and math.isclose(number, float(expected), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(expected, list | tuple):
        return isinstance(shown, list | tuple) and sorted(map(str, shown)) == sorted(map(str, expected))
    if kind == "checkbox":
        return bool(shown) == bool(expected)
    return str(shown) == str(expected)


def _carried(saved: Any, expected: Any) -> bool:
    """Whether an answer read from the saved notebook is the expected one, leaf by leaf."""
    if saved is None:
        return False
    want, got = flatten_answer(expected), flatten_answer(saved)
    return set(want) <= set(got) and all(_same(got[path], value, kind=_kind_of(value)) for path, value in want.items())


def _kind_of(value: Any) -> str:
    """How to compare one leaf's value: numbers by value (JSON may write 30.0 as 30), the rest as shown."""
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else "value"


class LessonInBrowser:
    """One lesson in one browser page: the steps of :meth:`walk_through`, usable one by one (the benchmark)."""

    def __init__(self, page: Page, server: LabServer, notebook: Path, key: dict[str, Any], *, artifacts: Path):
        self.page = page
        self.server = server
        self.notebook = notebook
        self.lesson = notebook.stem
        self.path = notebook.relative_to(server.root).as_posix()
        self.key = key
        self.artifacts = artifacts
        self.step = "opening the lesson"
        self.exercise: str | None = None  # the exercise being worked on, named when a step times out
        self.console: list[str] = []
        page.on("console", lambda m: m.type in ("error", "warning") and self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"page error: {e}"))

    # -- the whole session -------------------------------------------------------------------------------

    def walk_through(self) -> None:
        """Everything a trainee does with the lesson; raises :class:`LessonFailure` at the first broken step."""
        from playwright.sync_api import Error as PlaywrightError

        shutil.rmtree(self.artifacts, ignore_errors=True)
        try:
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
        except LessonFailure:
            raise
        except (PlaywrightError, AssertionError) as exc:
            what = str(getattr(exc, "message", exc)).strip().splitlines()[0]
            self.fail([f"exercise {self.exercise}: {what}" if self.exercise else what])

    def begin(self, step: str) -> None:
        """Name the step under way (failure messages say it); no exercise is being worked on yet."""
        self.step, self.exercise = step, None

    def fail(self, problems: list[str]) -> None:
        """Write a screenshot and the page's text, then raise, naming the lesson, step, exercises and files."""
        first = re.match(r"exercise (\w+)", problems[0])
        where = self.write_artifacts(show=first[1] if first else None)
        lines = "\n".join(f"  - {p}" for p in problems)
        raise LessonFailure(f"lesson {self.lesson}, while {self.step}:\n{lines}\n{where}")

    def write_artifacts(self, *, show: str | None = None) -> str:
        from playwright.sync_api import Error as PlaywrightError

        self.artifacts.mkdir(parents=True, exist_ok=True)
        written = []
        try:
            if show:
                self.box(show).first.scroll_into_view_if_needed(timeout=5_000)
            self.page.screenshot(path=str(self.artifacts / "screenshot.png"), timeout=15_000)
            written.append("screenshot.png")
        except PlaywrightError:
            pass
        try:
            text = self.page.evaluate(_PAGE_TEXT, self.path)
        except PlaywrightError as exc:
            text = f"(the page could not be read: {exc.message})"
        (self.artifacts / "page.txt").write_text(text, encoding="utf-8")
        (self.artifacts / "console.txt").write_text("\n".join(self.console), encoding="utf-8")
        written += ["page.txt", "console.txt"]
        return f"Screenshot and page text: {self.artifacts} ({', '.join(written)})"

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
        self.page.wait_for_function(_RUN_FINISHED, arg=self.path, timeout=RUN_TIMEOUT_MS)

    def restart_and_run_all(self) -> None:
        self.menu("Kernel", "Restart Kernel and Run All Cells…")
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.page.wait_for_function(_RUN_FINISHED, arg=self.path, timeout=RUN_TIMEOUT_MS)

    def expect_no_errors(self) -> None:
        errors = self.page.evaluate(_ERRORS, self.path)
        if errors:
            self.fail(errors)

    def box(self, exercise_id: str) -> Locator:
        return self.page.locator(f".mopskit-exercise.{exercise_class(exercise_id)}")

    def verdict(self, exercise_id: str) -> Locator:
        return self.box(exercise_id).first.locator(".mopskit-feedback .mopskit-verdict")

    def press_check(self, exercise_id: str) -> str | None:
        """Press the exercise's Check button; ``None`` once the verdict says correct, else what it says.

        The verdict is waited for until it says correct (it may first show an older one: a live widget checks
        as the trainee types), so a wrong answer costs :data:`VERDICT_TIMEOUT_MS` before it is reported.
        """
        from playwright.sync_api import expect

        self.box(exercise_id).first.locator(".mopskit-check").click()
        verdict = self.verdict(exercise_id)
        try:
            expect(verdict).to_contain_text(re.compile("|".join(map(re.escape, SOLVED))), timeout=VERDICT_TIMEOUT_MS)
        except AssertionError:
            return " ".join((verdict.first.inner_text(timeout=1_000) or "").split()) if verdict.count() else "nothing"
        return None

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

    def leaves(self, exercise_id: str) -> list[tuple[tuple[str, ...], Any, Locator]]:
        """Each leaf of an exercise's right answer, with its input control in the page."""
        box = self.box(exercise_id)
        if box.count() == 0:
            self.fail([f"exercise {exercise_id}: no widget in the page (class {exercise_class(exercise_id)})"])
        return [
            (path, value, box.first.locator(f".mopskit-leaf.{leaf_class(path)}"))
            for path, value in flatten_answer(self.key[exercise_id]).items()
        ]

    def fill(self, exercise_id: str, path: tuple[str, ...], value: Any, leaf: Locator) -> None:
        """Put one leaf's value in through the page: click the option, pick from the list, type the text."""
        part = f" ({' / '.join(path)})" if path else ""
        if leaf.count() == 0:
            self.fail([f"exercise {exercise_id}{part}: no input for this part of the answer in the page"])
        kind = leaf.evaluate(_LEAF_KIND)
        if value is None:
            return  # an empty part of the right answer: leave the control empty
        if kind in ("radio", "dropdown", "several"):
            offered = leaf.evaluate(_LEAF_OPTIONS)
            wanted = [str(v) for v in value] if kind == "several" else [str(value)]
            missing = [w for w in wanted if w not in offered]
            if missing:
                self.fail([f"exercise {exercise_id}{part}: {missing} not offered; the page offers {offered}"])
            indexes = [offered.index(w) for w in wanted]
            if kind == "radio":
                leaf.locator(".widget-radio-box input[type=radio]").nth(indexes[0]).check()
            else:
                leaf.locator("select").select_option(index=indexes)
        elif kind == "checkbox":
            leaf.locator("input[type=checkbox]").set_checked(bool(value))
        elif kind in ("number", "text", "textarea"):
            leaf.locator("textarea" if kind == "textarea" else "input").fill(str(value))  # 12.5, as people type
        else:
            self.fail([f"exercise {exercise_id}{part}: an input control this test cannot drive"])

    def answer_widgets(self) -> None:
        """Answer every exercise through its widget, press Check, and expect a verdict that says correct."""
        wrong = []
        for exercise_id in self.key:
            self.exercise = exercise_id
            self.box(exercise_id).first.scroll_into_view_if_needed()
            for path, value, leaf in self.leaves(exercise_id):
                self.fill(exercise_id, path, value, leaf)
            said = self.press_check(exercise_id)
            if said is not None:
                wrong.append(f"exercise {exercise_id}: answered through the page with the key, Check says: {said}")
        self.exercise = None
        if wrong:
            self.fail(wrong)

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

    def expect_answers_shown(self) -> None:
        """Every widget shows the answer given before the restart."""
        lost = []
        for exercise_id in self.key:
            self.exercise = exercise_id
            for path, value, leaf in self.leaves(exercise_id):
                part = f" ({' / '.join(path)})" if path else ""
                if leaf.count() == 0:
                    lost.append(f"exercise {exercise_id}{part}: its input is gone from the page")
                    continue
                kind, shown = leaf.evaluate(_LEAF_KIND), leaf.evaluate(_LEAF_SHOWS)
                if not _same(shown, value, kind=kind):
                    lost.append(f"exercise {exercise_id}{part}: the widget shows {shown!r}, expected {value!r}")
        self.exercise = None
        if lost:
            self.fail(lost)

    def expect_check_cells_correct(self) -> None:
        """Every ``check()`` cell's verdict says correct."""
        wrong = [
            f"exercise {title.split()[0]}: its check() cell says: {' '.join(text.split())}"
            for title, text in self.page.evaluate(_CHECK_CELL_VERDICTS)
            if not any(s in text for s in SOLVED)
        ]
        self.exercise = None
        if wrong:
            self.fail(wrong)

    def press_check_everywhere(self) -> None:
        """Check, pressed again on every widget after the restart, says correct."""
        wrong = []
        for exercise_id in self.key:
            self.exercise = exercise_id
            said = self.press_check(exercise_id)
            if said is not None:
                wrong.append(f"exercise {exercise_id}: Check after the restart says: {said}")
        self.exercise = None
        if wrong:
            self.fail(wrong)
