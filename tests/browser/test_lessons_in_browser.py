"""Every lesson in a trainee's workspace, opened, answered and restarted in JupyterLab through Chromium."""

from __future__ import annotations

import nbformat
import pytest

from mopskit._resources import sources_dir
from mopskit.assess import answer_key, release_notebook
from mopskit.assess._answers import to_jsonable

from .trainee import LessonFailure, LessonInBrowser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = sorted(sources_dir().glob("[0-9][0-9]_*.ipynb"))


def _key(source):
    return {exercise_id: to_jsonable(value) for exercise_id, value in answer_key(source).items()}


def test_the_workspace_holds_every_lesson(lab):
    assert LESSONS, "no lesson found"
    assert sorted(p.name for p in lab.root.glob("[0-9][0-9]_*.ipynb")) == [p.name for p in LESSONS]


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_lesson_answered_checked_and_restarted_in_jupyterlab(source, lab, page, artifacts_root):
    notebook = lab.root / source.name
    LessonInBrowser(page, lab, notebook, _key(source), artifacts=artifacts_root / source.stem).walk_through()


def test_every_widget_kind_is_answered_checked_and_restored_through_the_page(lab, page, artifacts_root, files):
    """A fixture lesson with one exercise per widget kind: the drivers are proven before a lesson needs them."""
    source = files / "browser" / "browser_widget_kinds.ipynb"
    notebook = lab.root / "widget-kinds" / source.name
    release_notebook(source, notebook)
    LessonInBrowser(page, lab, notebook, _key(source), artifacts=artifacts_root / source.stem).walk_through()


def test_a_broken_answer_restore_fails_the_walk_through_naming_lesson_and_exercises(lab, page, tmp_path):
    """The suite can fail: kernels whose widgets never read the saved answer lose every answer on restart."""
    source = sources_dir() / "00_start_here.ipynb"
    sabotage = "import mopskit.ui.exercises as e; e.WidgetExercise.restore = lambda self, saved: None"
    lab.add_kernelspec(
        "mopskit-restore-broken",
        display_name="Python 3 (answer restore broken)",
        extra_args=[f"--IPKernelApp.exec_lines={sabotage}"],
    )
    notebook = lab.root / "restore-broken" / source.name
    release_notebook(source, notebook)
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata.kernelspec = {"name": "mopskit-restore-broken", "display_name": "broken", "language": "python"}
    nbformat.write(nb, notebook)
    key = _key(source)

    with pytest.raises(LessonFailure) as failure:
        LessonInBrowser(page, lab, notebook, key, artifacts=tmp_path / "artifacts").walk_through()

    message = str(failure.value)
    assert message.startswith("lesson 00_start_here, while looking at the widgets after the restart:"), message
    for exercise_id in key:
        assert f"exercise {exercise_id}: the widget shows None" in message, message
    assert str(tmp_path / "artifacts") in message
    assert {p.name for p in (tmp_path / "artifacts").iterdir()} >= {"screenshot.png", "page.txt"}
