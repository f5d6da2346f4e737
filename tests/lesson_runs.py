"""Each lesson runs twice per test run, and the tests share those runs; the kernels count them.

The suite stays fast as lessons are added only if each lesson runs a bounded number of times. Per lesson:

1. **The trainee copy, once** (:class:`SharedRuns`): rendered in the pseudo-language ``en_XA`` (every message
   accented and bracketed, so ``tests/test_catalogs.py`` finds any English a translation could not reach; it
   runs and grades as the English lesson does) and released, run unanswered in a fresh kernel, then every
   exercise answered through its widget from the answer key, and saved as a trainee would save it. The lesson
   tests (``tests/test_lessons.py``) read what that run found: nothing answered at first, every exercise with a
   widget, every one correct once answered, the answers inside the saved notebook.
2. **The instructor's source, once, under nbval**: every cell runs without error. Its kernel starts with the
   trainee run's answer folder, so the source run is also the trainee's *restart*: a last cell (added by
   ``tests/conftest.py``) asserts that every widget shows the answer saved before it and that every check says
   correct, on the widget's answer and on the source's own code answers.

Every kernel the tests start (nbval's, nbclient's, papermill's) reads an IPython startup file written here,
which logs each run of a cell that calls ``start_lesson("NN_name")``, with the test that started the kernel.
The browser tests' servers use IPython settings of their own, so their runs (JupyterLab's *Run All* and
*Restart and Run All*, Voilà's) are not counted: they are what those tests are for. At the end of the session
the counts are printed, and a lesson executed more than :data:`MOST_RUNS` times fails the run, naming the
lesson and the tests that ran it.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MOST_RUNS = 2
LOG_VARIABLE = "MOPSKIT_TEST_LESSON_RUNS"

# Runs in every kernel at start: names nothing in the trainee's namespace (a lesson that forgot an import must
# still fail here as it would for a trainee).
_STARTUP = """
def _mopskit_count_lesson_runs():
    import os
    import re

    pattern = re.compile(r"start_lesson\\(\\s*['\\"](\\d\\d_\\w+)['\\"]")
    log = os.environ.get("{variable}")
    started_by = os.environ.get("PYTEST_CURRENT_TEST", "")

    def count(info):
        found = pattern.search(getattr(info, "raw_cell", "") or "")
        if found and log:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(found.group(1) + "\\t" + started_by + "\\n")

    get_ipython().events.register("pre_run_cell", count)


_mopskit_count_lesson_runs()
del _mopskit_count_lesson_runs
""".replace("{variable}", LOG_VARIABLE)


def start_counting(folder: Path) -> dict[str, str | None]:
    """Make every kernel started from now on log its lesson runs under ``folder``; return the settings it replaced."""
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-mopskit-lesson-runs.py").write_text(_STARTUP, encoding="utf-8")
    log = folder / "lesson-runs.log"
    log.touch()
    replaced = {name: os.environ.get(name) for name in ("IPYTHONDIR", LOG_VARIABLE)}
    os.environ["IPYTHONDIR"] = str(folder / "ipython")
    os.environ[LOG_VARIABLE] = str(log)
    return replaced


def stop_counting(replaced: dict[str, str | None]) -> None:
    """Put back the settings :func:`start_counting` replaced."""
    for name, value in replaced.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def lesson_runs(lessons: list[str]) -> tuple[Counter[str], dict[str, list[str]]]:
    """How many times each lesson ran in a counted kernel, and the tests that started those kernels."""
    runs: Counter[str] = Counter()
    by: dict[str, list[str]] = defaultdict(list)
    log = os.environ.get(LOG_VARIABLE)
    if not log or not Path(log).exists():
        return runs, by
    for line in Path(log).read_text(encoding="utf-8").splitlines():
        lesson, _, test = line.partition("\t")
        if lesson in lessons:
            runs[lesson] += 1
            by[lesson].append(test.removesuffix(" (setup)").removesuffix(" (call)"))
    return runs, by


def too_many(runs: Counter[str], by: dict[str, list[str]]) -> list[str]:
    """One line per lesson executed more than :data:`MOST_RUNS` times, naming the tests that ran it.

    >>> too_many(Counter({"00_start_here": 3, "01_what_is_mops": 2}), {"00_start_here": ["a", "b", "b"]})
    ['00_start_here ran 3 times (at most 2): a, b, b']
    """
    return [
        f"{lesson} ran {count} times (at most {MOST_RUNS}): {', '.join(by.get(lesson, []))}"
        for lesson, count in sorted(runs.items())
        if count > MOST_RUNS
    ]


# ------------------------------------------------------------------------------------------ the shared trainee run
# Lessons whose answers change with the language (an option or key built from a translated message), so the
# English answer key does not pass in the pseudo-language: they run in English until that is fixed.
ANSWERS_FOLLOW_THE_LANGUAGE: set[str] = set()

# Run in the lesson's kernel after its cells: what each exercise says, and which exercises have no widget.
PROBE = """
import json
from mopskit.assess._exercise import defined_exercises
from mopskit._session import SESSION
print(json.dumps({
    "status": {k: e.run().status for k, e in defined_exercises().items()},
    "no_widget": sorted(set(defined_exercises()) - set(SESSION.widgets)),
}))
"""


def _fill(key: dict[str, Any]) -> str:
    """Code that answers every exercise through its widget, as a trainee clicking would."""
    return (
        "import json\nfrom mopskit.ui import widget_for\n"
        f"for exercise_id, answer in json.loads({json.dumps(key)!r}).items():\n"
        "    widget_for(exercise_id).fill(answer)\n"
    )


@dataclass
class ReleasedRun:
    """One lesson's trainee copy, run unanswered, answered through its widgets, and saved.

    Attributes:
        lesson: the lesson's name, e.g. ``00_start_here``.
        key: the answer key, as JSON data.
        notebook: the trainee copy as saved after answering (its outputs carry the answers).
        answers_dir: the folder of the saved answer file (what a restarted kernel reads).
        before: the probe's findings before any answer: ``{"status": {id: status}, "no_widget": [ids]}``.
        after: the probe's findings once every widget was answered from the key.
        error: why the run failed, when it did (every test that reads the run then fails with it).

    """

    lesson: str
    key: dict[str, Any]
    notebook: Path
    answers_dir: Path
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    def found(self) -> ReleasedRun:
        """This run, or a failure that says why the lesson did not run."""
        if self.error:
            raise AssertionError(f"{self.lesson}: the trainee copy did not run: {self.error}")
        return self


class SharedRuns:
    """The lessons' trainee runs of one test session, each executed the first time a test asks for it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._runs: dict[str, ReleasedRun] = {}

    def released(self, source: Path) -> ReleasedRun:
        """The run of the trainee copy of ``source`` (an instructor's lesson), executed once per session."""
        if source.stem not in self._runs:
            self._runs[source.stem] = self._execute(source)
        return self._runs[source.stem].found()

    def _execute(self, source: Path) -> ReleasedRun:
        import nbformat
        from nbclient import NotebookClient
        from nbformat.v4 import new_code_cell

        from mopskit.assess import answer_key
        from mopskit.assess._answers import to_jsonable
        from mopskit.assess._release import release_in
        from mopskit.i18n import PSEUDO

        folder = self.folder / source.stem
        notebook = folder / source.name
        run = ReleasedRun(source.stem, {}, notebook, folder / ".mopskit")
        try:
            run.key = {k: to_jsonable(v) for k, v in answer_key(source).items()}
            lang = "en" if source.stem in ANSWERS_FOLLOW_THE_LANGUAGE else PSEUDO
            release_in(source, notebook, lang)  # in the pseudo-language: English left shows (test_catalogs.py)
            nb = nbformat.read(str(notebook), as_version=4)
            cells = len(nb.cells)
            probes = [new_code_cell(PROBE), new_code_cell(_fill(run.key) + PROBE)]
            nb.cells.extend(probes)
            env = {**os.environ, "MOPSKIT_ANSWERS_DIR": str(run.answers_dir), "MOPSKIT_LANG": lang}
            client = NotebookClient(
                nb, timeout=300, resources={"metadata": {"path": str(folder)}}, shutdown_kernel="immediate"
            )
            client.execute(env=env)
            run.before, run.after = (json.loads(_stream(cell)) for cell in probes)
            nb.cells = nb.cells[:cells]  # what the trainee saves: the lesson, its widgets showing the answers
            nbformat.write(nb, str(notebook))
        except Exception as exc:  # recorded once, raised to every test that reads this run
            run.error = f"{type(exc).__name__}: {exc}"
        return run


def carried(found: Any, given: Any) -> bool:
    """Whether every part of an answer given is found again (a form may hold empty rows besides).

    >>> carried({"goals": {"1": "Grow MQLs", "2": None}}, {"goals": {"1": "Grow MQLs"}}), carried(5.0, 5)
    (True, True)
    >>> carried(None, "Email"), carried({"a": "x"}, {"a": "y"})
    (False, False)
    """
    from mopskit.assess import flatten_answer

    found, given = flatten_answer(found), flatten_answer(given)
    return all(path in found and found[path] == value for path, value in given.items())


def _stream(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


# ------------------------------------------------------------------------ the source under nbval, as the restart
RESTART_PROBE = """# The trainee restarted: every widget shows the saved answer, and every check agrees.
def _mopskit_after_restart(lesson, key):
    from mopskit._session import SESSION
    from mopskit.assess._answers import to_jsonable
    from mopskit.assess._exercise import defined_exercises
    from mopskit.assess import flatten_answer

    def same(shown, saved):  # every part of the saved answer is shown (a form may show empty rows besides)
        shown, saved = flatten_answer(shown), flatten_answer(saved)
        return all(path in shown and shown[path] == value for path, value in saved.items())

    problems = []
    for exercise_id, ex in defined_exercises().items():
        widget = SESSION.widgets.get(exercise_id)
        shown = None if widget is None else to_jsonable(widget.value)
        in_code = to_jsonable(ex.answer())  # the source's code answer, or else the widget's
        if not same(shown, key[exercise_id]):
            problems.append(f"{exercise_id}: the widget shows {shown!r} after the restart, not {key[exercise_id]!r}")
        elif shown != in_code and ex.run(answer=widget.value).status != "correct":
            problems.append(f"{exercise_id}: the restored widget answer is not judged correct")
        status = ex.run().status  # the checks run once when both answers are the same
        if status != "correct":
            problems.append(f"{exercise_id}: check() says {status} with the source's answers")
    assert not problems, f"{lesson}, restarted after answering: " + "; ".join(problems)


_mopskit_after_restart({lesson!r}, {key!r})
del _mopskit_after_restart
"""


def restart_probe(run: ReleasedRun) -> str:
    """The last cell of a lesson's nbval run: the widgets show the trainee run's answers, and checks agree."""
    return RESTART_PROBE.replace("{lesson!r}", repr(run.lesson)).replace("{key!r}", repr(run.key))


def after_the_source(notebook: Any, source: Path, runs: SharedRuns) -> Any:
    """Make nbval's run of a lesson's source its trainee's restart, and return the cell that checks it.

    Args:
        notebook: nbval's collector of the source notebook (its kernel runs every cell in turn).
        source: the lesson's source notebook.
        runs: the session's trainee runs.

    Returns:
        An item to run after the notebook's last cell, in the same kernel.

    """
    from nbformat.v4 import new_code_cell
    from nbval.plugin import IPyNbCell

    found: dict[str, Any] = {}
    start_kernel = notebook.setup

    def setup() -> None:
        try:
            found["run"] = runs.released(source)
        except AssertionError as failure:  # the source still runs; the restart check fails with the reason
            found["failure"] = failure
            start_kernel()
            return
        saved, os.environ["MOPSKIT_ANSWERS_DIR"] = os.environ.get("MOPSKIT_ANSWERS_DIR"), str(found["run"].answers_dir)
        try:
            start_kernel()  # the kernel reads the trainee run's answer file, as after a restart
        finally:
            if saved is None:
                os.environ.pop("MOPSKIT_ANSWERS_DIR", None)
            else:
                os.environ["MOPSKIT_ANSWERS_DIR"] = saved

    class AfterRestart(IPyNbCell):  # type: ignore[misc]
        def runtest(self) -> None:
            if "failure" in found:
                raise found["failure"]
            self.cell = new_code_cell(restart_probe(found["run"]))
            super().runtest()

    notebook.setup = setup
    cells = sum(1 for cell in notebook.nb.cells if cell.cell_type == "code")
    return AfterRestart.from_parent(
        notebook,
        name=f"Cell {cells} (added: answers restored after a restart)",
        cell_num=cells,
        cell=new_code_cell(""),
        options=defaultdict(bool, check=False),
    )
