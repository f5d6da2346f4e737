"""What every browser test of exercises does in a page, in JupyterLab or in app mode (Voilà) alike.

Answer every exercise through its widget from the lesson's answer key, press **Check** and expect a verdict
that says correct, then look again after a restart or a reload: every widget shows its answer. Nothing here
knows a lesson or a kind of exercise by name: :func:`mopskit.assess.flatten_answer` splits each right answer into
leaves, the page classes of :mod:`mopskit.ui.exercises` find each leaf's input, and one small driver per kind of
input control (radio buttons, a multiple-choice list, a dropdown, a text or number box, a text area, a
checkbox) fills and reads it. So a new widget kind built from those controls is covered with no change here.

When a step fails, a screenshot, the page's text and the browser console are written to the artifacts
folder, and the failure names the lesson, the step, the exercises and that folder.
"""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mopskit.assess import flatten_answer
from mopskit.present import parse_number
from mopskit.ui import exercise_class, leaf_class, option_class

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

SOLVED = "mopskit-verdict-correct"  # the class of a right answer's verdict (mopskit.assess.Verdict), in any language
VERDICT_TIMEOUT_MS = 15_000  # a check of one answer
WIDGET_TIMEOUT_MS = 10_000  # an exercise's widget to be drawn, once its cell has run

# The verdicts that check() cells printed (a widget's own feedback is left out).
_CHECK_CELL_VERDICTS = """() => [...document.querySelectorAll('.jp-OutputArea-output .mopskit-verdict')]
  .filter((v) => !v.closest('.mopskit-exercise'))
  .map((v) => [(v.querySelector('strong') || v).textContent.trim(), v.textContent.trim(),
               v.classList.contains('mopskit-verdict-correct')])"""

# Whether an exercise's verdict (in its first box, as :meth:`ExercisesInPage.verdict` finds it) says correct.
_SOLVED_SHOWN = f"""(mark) => {{
  const box = document.querySelector(`.mopskit-exercise.${{mark}}`);
  const verdict = box && box.querySelector('.mopskit-feedback .mopskit-verdict');
  return !!verdict && verdict.classList.contains('{SOLVED}');
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
# The options a leaf offers, by place: the option_class of each (its value, whatever language its label is in).
_LEAF_OPTIONS = """(el) => {
  const marks = [...el.classList].filter((c) => c.startsWith('mopskit-option-'));
  const byPlace = [];
  for (const c of marks) byPlace[Number(c.split('-')[2])] = c;
  return byPlace;
}"""
_OPTION_LABELS = f"""(el) => [...el.querySelectorAll('.widget-radio-box label, select option')]
  .map((o) => ({_NORM})(o.textContent))"""
_LEAF_SHOWS = f"""(el) => {{
  const norm = {_NORM};
  const q = (s) => (el.matches(s) ? el : el.querySelector(s));
  const marks = ({_LEAF_OPTIONS})(el);
  if (q('.widget-radio-box')) {{
    const radios = [...el.querySelectorAll('.widget-radio-box input[type=radio]')];
    const picked = radios.findIndex((r) => r.checked);
    return picked < 0 ? null : marks[picked];
  }}
  const several = q('select[multiple]');
  if (several) {{
    const picked = [...several.options].flatMap((o, i) => (o.selected ? [marks[i]] : []));
    return picked.length ? picked : null;
  }}
  const one = q('select');
  if (one) return one.selectedIndex < 0 ? null : marks[one.selectedIndex];
  const box = q('input[type=checkbox]');
  if (box) return box.checked;
  const typed = q('textarea') || q('input');
  return typed && typed.value !== '' ? typed.value : null;
}}"""

# All three at once, in one round trip to the page: kind, what it shows, the options it offers.
_LEAF_STATE = f"(el) => [({_LEAF_KIND})(el), ({_LEAF_SHOWS})(el), ({_LEAF_OPTIONS})(el)]"


def _saved_line_starts() -> list[str]:
    """How a widget's "Saved answer to q1: ..." line starts, in every language of the kit."""
    from mopskit.i18n import LANGUAGES, translator

    message = "Saved answer to {id}: {answer}"
    return [translator(lang)(message).split("{id}")[0].strip() for lang in LANGUAGES]


class LessonFailure(AssertionError):
    """What went wrong with a lesson in the browser, naming the lesson, the step and the exercises."""


_CHOICES = ("radio", "dropdown", "several")  # the controls that offer options (read and picked by value)


def _option_marks(wanted: Any, offered: list[str | None]) -> list[str]:
    """The option_class of each wanted value among a leaf's options (by place), or the value itself if none."""
    marks = {mark: mark for mark in offered if mark}
    found = []
    for value in wanted if isinstance(wanted, list | tuple) else [wanted]:
        hit = [option_class(i, value) for i in range(len(offered)) if option_class(i, value) in marks]
        found.append(hit[0] if hit else f"{value!r} (not offered)")
    return found


def _same(shown: Any, expected: Any, *, kind: str, offered: list[str | None] | None = None) -> bool:
    if kind in _CHOICES and expected is not None and shown is not None:
        picked = shown if isinstance(shown, list) else [shown]
        return sorted(map(str, picked)) == sorted(_option_marks(expected, offered or []))
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


class ExercisesInPage:
    """One lesson's exercises in one browser page; a subclass opens the page and runs the lesson its own way.

    Args:
        page: the browser page.
        lesson: the lesson's name, used in failure messages.
        key: the right answer of every exercise, as JSON data (``mopskit.assess.answer_key``).
        artifacts: where a failure writes its screenshot, page text and console.

    """

    def __init__(self, page: Page, lesson: str, key: dict[str, Any], *, artifacts: Path):
        self.page = page
        self.lesson = lesson
        self.key = key
        self.artifacts = artifacts
        self.step = "opening the lesson"
        self.widget_timeout_ms = WIDGET_TIMEOUT_MS  # how long an exercise's widget may take to be drawn
        self.exercise: str | None = None  # the exercise being worked on, named when a step times out
        self.console: list[str] = []
        page.on("console", lambda m: m.type in ("error", "warning") and self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"page error: {e}"))

    @contextmanager
    def reporting(self) -> Iterator[None]:
        """Turn a timeout or a failed expectation inside the block into a :class:`LessonFailure` with artifacts."""
        from playwright.sync_api import Error as PlaywrightError

        shutil.rmtree(self.artifacts, ignore_errors=True)
        try:
            yield
        except LessonFailure:
            raise
        except (PlaywrightError, AssertionError) as exc:
            what = str(getattr(exc, "message", exc)).strip().splitlines()[0]
            self.fail([f"exercise {self.exercise}: {what}" if self.exercise else what])

    def page_text(self) -> str:
        """What the page shows, as text, for the artifacts."""
        return self.page.evaluate("() => document.body.innerText")

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
            text = self.page_text()
        except PlaywrightError as exc:
            text = f"(the page could not be read: {exc.message})"
        (self.artifacts / "page.txt").write_text(text, encoding="utf-8")
        (self.artifacts / "console.txt").write_text("\n".join(self.console), encoding="utf-8")
        written += ["page.txt", "console.txt"]
        return f"Screenshot and page text: {self.artifacts} ({', '.join(written)})"

    def box(self, exercise_id: str) -> Locator:
        return self.page.locator(f".mopskit-exercise.{exercise_class(exercise_id)}")

    def verdict(self, exercise_id: str) -> Locator:
        return self.box(exercise_id).first.locator(".mopskit-feedback .mopskit-verdict")

    def press_check(self, exercise_id: str) -> str | None:
        """Press the exercise's Check button; ``None`` once the verdict says correct, else what it says.

        The verdict is waited for until it says correct (it may first show an older one: a live widget checks
        as the trainee types), so a wrong answer costs :data:`VERDICT_TIMEOUT_MS` before it is reported.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.box(exercise_id).first.locator(".mopskit-check").click()
        verdict = self.verdict(exercise_id)
        try:  # looked at every frame: a verdict is seen as soon as it is drawn, not at the next of growing pauses
            self.page.wait_for_function(_SOLVED_SHOWN, arg=exercise_class(exercise_id), timeout=VERDICT_TIMEOUT_MS)
        except PlaywrightTimeout:
            return " ".join((verdict.first.inner_text(timeout=1_000) or "").split()) if verdict.count() else "nothing"
        return None

    def leaves(self, exercise_id: str) -> list[tuple[tuple[str, ...], Any, Locator]]:
        """Each leaf of an exercise's right answer, with its input control in the page."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        box = self.box(exercise_id)
        try:
            box.first.wait_for(state="attached", timeout=self.widget_timeout_ms)  # a widget may still be drawing
        except PlaywrightTimeout:
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
        kind, _shown, offered = leaf.evaluate(_LEAF_STATE)
        if value is None:
            return  # an empty part of the right answer: leave the control empty
        if kind in _CHOICES:  # picked by value: the option whose mark is the value's, whatever its label says
            wanted = list(value) if kind == "several" else [value]
            indexes = [i for i, mark in enumerate(offered) for v in wanted if mark == option_class(i, v)]
            if len(indexes) != len(wanted):
                labels = leaf.evaluate(_OPTION_LABELS)
                self.fail([f"exercise {exercise_id}{part}: {wanted} not offered; the page offers {labels}"])
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
            leaves = self.leaves(exercise_id)
            self.box(exercise_id).first.scroll_into_view_if_needed()
            for path, value, leaf in leaves:
                self.fill(exercise_id, path, value, leaf)
            said = self.press_check(exercise_id)
            if said is not None:
                wrong.append(f"exercise {exercise_id}: answered through the page with the key, Check says: {said}")
        self.exercise = None
        if wrong:
            self.fail(wrong)

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
                kind, shown, offered = leaf.evaluate(_LEAF_STATE)
                if not _same(shown, value, kind=kind, offered=offered):
                    lost.append(f"exercise {exercise_id}{part}: the widget shows {shown!r}, expected {value!r}")
        self.exercise = None
        if lost:
            self.fail(lost)

    def expect_check_cells_correct(self) -> None:
        """Every ``check()`` cell's verdict says correct."""
        wrong = [
            f"exercise {title.split()[0]}: its check() cell says: {' '.join(text.split())}"
            for title, text, solved in self.page.evaluate(_CHECK_CELL_VERDICTS)
            if not solved
        ]
        self.exercise = None
        if wrong:
            self.fail(wrong)

    def expect_no_static_copies(self) -> None:
        """App mode: no check() cell verdict and no saved-answer line, which would go stale beside the widgets."""
        shown = self.page.evaluate(_CHECK_CELL_VERDICTS)
        stale = [f"a check() cell says: {' '.join(text.split())}" for _title, text, _solved in shown]
        body = self.page.inner_text("body")
        if any(prefix in body for prefix in _saved_line_starts()):
            stale.append("the page shows a 'Saved answer to ...' line")
        self.exercise = None
        if stale:
            self.fail(stale)

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
