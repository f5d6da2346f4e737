"""App mode (`mopskit app`) in English, through Chromium: the whole trainee's round on lesson 00, every widget kind.

Lesson 00 is taken the whole way: from the home page, opened by its link, no code, answered by its widgets and
checked, reloaded (a fresh kernel) with every answer back and Check still correct, then home by the lesson's link
with its progress changed. A lesson with every kind of widget is answered, reloaded and found answered, then run
as in JupyterLab (a kernel in the lesson's folder), which finds the answers given in the app.

Every lesson is done in app mode in ``test_thai_in_app_mode.py`` (no code, answered through its widgets, every
verdict correct): the widgets, their restore and the home page are the same code in every language, so one round
per lesson is enough, and Thai is the round that also proves the page is in the trainee's language. Each lesson's
own answers come back after a restart in JupyterLab (``test_lessons_in_browser.py``) and in a fresh kernel in its
nbval run, and its count on the home page is computed from them in ``tests/test_workspace.py``.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from mopskit._resources import sources_dir
from mopskit.assess import answer_key, release_notebook
from mopskit.assess._answers import to_jsonable

from .app_mode import LessonInApp, Progress
from .drivers import LessonFailure, _carried
from .lab import isolated_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = sorted(sources_dir().glob("[0-9][0-9]_*.ipynb"))

# Run last in a lesson's kernel: each exercise's widget value and the verdict of its public checks.
_PROBE = """
import json
from mopskit.assess._answers import to_jsonable
from mopskit.assess._exercise import defined_exercises
from mopskit._session import SESSION
print(json.dumps({k: [to_jsonable(SESSION.widgets[k].value) if k in SESSION.widgets else None, e.run().status]
                  for k, e in defined_exercises().items()}))
"""


def _key(source):
    return {exercise_id: to_jsonable(value) for exercise_id, value in answer_key(source).items()}


def _run_as_in_jupyterlab(notebook, scratch):
    """Run a workspace lesson top to bottom in a fresh kernel in its folder (as JupyterLab does); probe it."""
    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells.append(new_code_cell(_PROBE))
    client = NotebookClient(
        nb, timeout=300, resources={"metadata": {"path": str(notebook.parent)}}, shutdown_kernel="immediate"
    )
    client.execute(env=isolated_env(scratch))  # answers beside the lesson, as for a trainee
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return json.loads(text)


def test_the_app_serves_every_lesson(app_server):
    assert LESSONS, "no lesson found"
    assert sorted(p.name for p in app_server.root.glob("[0-9][0-9]_*.ipynb")) == [p.name for p in LESSONS]


def test_lesson_00_answered_in_app_mode_without_code_reloaded_and_its_progress_shown(
    app_server, app_page, artifacts_root
):
    source = sources_dir() / "00_start_here.ipynb"
    notebook = app_server.root / source.name
    key = _key(source)
    walk = LessonInApp(app_page, app_server, notebook, key, artifacts=artifacts_root / f"app-{source.stem}")
    before, after = walk.walk_through()
    total = len(key)
    assert before == Progress(f"0 of {total}", f"0 of {total}"), f"{source.stem}: the home page before answering"
    assert after == Progress(f"{total} of {total}", f"{total} of {total}"), f"{source.stem}: after answering"


def test_every_widget_kind_works_in_app_mode_and_its_answers_are_there_in_jupyterlab(
    app_server, app_page, artifacts_root, files, tmp_path
):
    source = files / "browser" / "browser_widget_kinds.ipynb"
    notebook = app_server.root / "widget-kinds" / source.name
    release_notebook(source, notebook)
    key = _key(source)
    walk = LessonInApp(app_page, app_server, notebook, key, artifacts=artifacts_root / "app-widget-kinds")
    with walk.reporting():
        walk.open()
        walk.expect_no_code_and_no_errors()
        walk.answer_widgets()
        walk.page.reload()
        walk.wait_until_ready()
        walk.expect_answers_shown()
        walk.press_check_everywhere()  # Check in a fresh kernel, for every kind of widget

    found = _run_as_in_jupyterlab(notebook, tmp_path)  # switching to JupyterLab: the same answers are there
    wrong = {
        exercise_id: found.get(exercise_id)
        for exercise_id, expected in key.items()
        if found.get(exercise_id, [None, None])[1] != "correct" or not _carried(found[exercise_id][0], expected)
    }
    assert key and not wrong, f"run as in JupyterLab after the app, widget value and verdict: {wrong}"


def test_an_exercise_without_a_widget_path_fails_in_app_mode_naming_it(app_server, app_page, files, tmp_path):
    source = files / "app" / "no_widget_path.ipynb"
    notebook = app_server.root / "no-widget" / source.name
    release_notebook(source, notebook)
    walk = LessonInApp(app_page, app_server, notebook, _key(source), artifacts=tmp_path / "artifacts")
    walk.widget_timeout_ms = 1_000  # the page is shown whole (wait_until_ready): a missing widget is not drawing
    with pytest.raises(LessonFailure) as failure, walk.reporting():
        walk.open()
        walk.begin("answering every exercise widget and pressing Check")
        walk.answer_widgets()
    message = str(failure.value)
    assert message.startswith("lesson no_widget_path, while answering every exercise widget and pressing Check:")
    assert "exercise q_count: no widget in the page" in message
    assert "q_pick" not in message, "the exercise that has a widget is answered"


def test_a_failing_cell_shows_one_short_sentence_and_no_traceback(app_server, app_page, files):
    source = files / "app" / "failing_cell.ipynb"
    notebook = app_server.root / "failing" / source.name
    release_notebook(source, notebook)
    walk = LessonInApp(app_page, app_server, notebook, {}, artifacts=app_server.root / "unused")
    walk.open()
    text = walk.page_text()
    assert "This part of the lesson could not run. Open the lesson in JupyterLab (mopskit start)" in text
    assert "Traceback" not in text and "ZeroDivisionError" not in text and "shares[" not in text
    assert "Nothing after the failing cell runs." not in text, "Voilà stops at the failing cell"
