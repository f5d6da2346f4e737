"""Released lessons run top to bottom in a real kernel, and widget answers survive a kernel restart.

Each lesson's trainee copy runs once per session and the tests here share that run; the restart is the last
cell of the lesson's nbval run (see tests/lesson_runs.py).
"""

import json
import os
import shutil

import nbformat
import pytest
from conftest import ROOT
from lesson_runs import PROBE, ReleasedRun, carried, restart_probe
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from mopskit.assess import (
    ANSWER_MIME,
    answer_key,
    answers_in_notebook,
    grade_answers,
    load_checks,
    release_notebook,
)
from mopskit.assess._answers import to_jsonable
from mopskit.assess.leaks import answer_leaks

pytestmark = pytest.mark.slow


def _run(nb, cwd, extra=(), env=None):
    """Execute every cell, then the extra code cells, in one fresh kernel; return the extra cells' outputs.

    An extra cell that raises gives its error's message instead of stopping the run.
    """
    cells = [new_code_cell(code) for code in extra]
    nb.cells.extend(cells)
    resources = {"metadata": {"path": str(cwd)}}
    client = NotebookClient(nb, timeout=120, resources=resources, shutdown_kernel="immediate", allow_errors=True)
    client.execute(**({} if env is None else {"env": env}))  # env=None would reach the kernel as None
    errors = [
        o for cell in nb.cells[: -len(cells) or None] for o in cell.get("outputs", []) if o.output_type == "error"
    ]
    assert not errors, f"{nb.metadata.get('name', 'the notebook')} failed: {errors[0].evalue}"
    return [
        "".join(o.get("text", "") or o.get("evalue", "") for o in c.outputs if o.output_type in ("stream", "error"))
        for c in cells
    ]


LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_lessons_are_found():
    assert any(p.name == "00_start_here.ipynb" for p in LESSONS)


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_every_exercise_has_a_hint_and_an_answer_key_that_earns_full_points(source):
    exercises = load_checks(source)
    assert exercises, f"{source.name} defines no exercise"
    key = answer_key(source)  # raises, naming the exercise, when one has no solution function
    for exercise_id, ex in exercises.items():
        assert any(c.hint for c in ex.checks.values()), f"{source.name} {exercise_id}: no check has a hint"
    graded = grade_answers(exercises, {k: to_jsonable(v) for k, v in key.items()})  # as a grader sees them
    wrong = {v.exercise_id: str(v) for v in graded if v.earned != v.possible or v.status != "correct"}
    assert not wrong, f"{source.name}: the answer key does not pass its own checks: {wrong}"


def _without_widget(problems, name):
    """The assertion every lesson must pass: each exercise has a widget (app mode has no other way to answer)."""
    assert not problems, (
        f"{name}: exercises with no widget path (app mode cannot answer them; add a widget with the same id): "
        + ", ".join(problems)
    )


@pytest.fixture(scope="module")
def no_widget_run(tmp_path_factory):
    """A fixture lesson (one exercise answered in code only), released and run once, with both probes after it.

    No answer was saved, so the restart probe must fail naming each exercise whose widget came back empty.
    """
    folder = tmp_path_factory.mktemp("no_widget")
    source = ROOT / "tests" / "files" / "app" / "no_widget_path.ipynb"
    release_notebook(source, folder / source.name)
    run = ReleasedRun("no_widget_path", {"q_pick": "Email", "q_count": 2}, folder / source.name, folder / ".mopskit")
    nb = nbformat.read(str(run.notebook), as_version=4)
    env = {**os.environ, "MOPSKIT_ANSWERS_DIR": str(run.answers_dir)}
    probe, restart = _run(nb, folder, [PROBE, restart_probe(run)], env=env)
    return json.loads(probe), restart


def test_an_exercise_without_a_widget_path_fails_naming_it(no_widget_run):
    with pytest.raises(AssertionError) as failure:
        _without_widget(no_widget_run[0]["no_widget"], "no_widget_path.ipynb")
    assert str(failure.value).startswith("no_widget_path.ipynb: exercises with no widget path (app mode")
    assert str(failure.value).splitlines()[0].endswith("add a widget with the same id): q_count")


def test_the_restart_check_fails_naming_each_widget_that_forgot_its_answer(no_widget_run):
    """The last cell of a lesson's nbval run can fail: here no answer was saved, so no widget can bring one back."""
    said = no_widget_run[1]
    assert said.startswith("no_widget_path, restarted after answering: ")
    assert "q_pick: the widget shows None after the restart, not 'Email'" in said
    assert "q_count: the widget shows None after the restart, not 2" in said  # it has no widget at all
    assert "q_pick: check() says unanswered" in said


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_released_lesson_runs_unanswered_then_every_exercise_is_answered_through_its_widget(source, shared_runs):
    run = shared_runs.released(source)  # the one run of the trainee copy this session (tests/lesson_runs.py)
    leaks = answer_leaks(run.notebook, run.key)
    assert not leaks, (
        f"{source.name}: outputs above these exercises give their answers away (show them after the check): "
        + "; ".join(map(str, leaks))
    )
    _without_widget(run.before["no_widget"], source.name)
    assert set(run.before["status"].values()) == {"unanswered"}, f"{source.name}: answered before anyone answered"
    assert set(run.before["status"]) == set(run.key), f"{source.name}: the trainee copy lacks exercises"
    not_correct = {k: v for k, v in run.after["status"].items() if v != "correct"}
    assert not not_correct, f"{source.name}: answered through the widgets with the answer key, still: {not_correct}"


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_widget_answers_travel_inside_the_saved_notebook(source, shared_runs, tmp_path):
    """A grader with only the handed-in .ipynb (no answer file beside it) finds every answer in it.

    The restart (every widget back with its answer, and checked) is the last cell of the lesson's nbval run.
    """
    run = shared_runs.released(source)
    assert (run.answers_dir / f"{run.lesson}.answers.json").exists(), "the answers are saved as they are given"
    handed_in = tmp_path / "handed_in" / run.notebook.name
    handed_in.parent.mkdir()
    shutil.copy(run.notebook, handed_in)
    found = answers_in_notebook(handed_in)
    lost = {k: (found.get(k), v) for k, v in run.key.items() if not carried(found.get(k), v)}
    assert not lost, f"{source.name}: answers missing from the saved notebook (found, given): {lost}"
    bundles = {
        o["data"][ANSWER_MIME]["exercise"]
        for c in nbformat.read(str(handed_in), as_version=4).cells
        for o in c.get("outputs", [])
        if ANSWER_MIME in o.get("data", {})
    }
    assert bundles == set(run.key), f"{source.name}: every widget's cell carries its answer"
