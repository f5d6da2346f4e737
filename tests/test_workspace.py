"""Trainee workspaces: a home page, and each lesson's progress counted from the answers its widgets saved."""

import json

import nbformat
import pytest
from nbclient import NotebookClient

from mopskit._resources import sources_dir
from mopskit.assess import answer_key, load_checks
from mopskit.assess._answers import to_jsonable
from mopskit.errors import WorkspaceError
from mopskit.workspace import HOME_NOTEBOOK, LessonProgress, prepare_workspace, workspace_progress

LESSONS = sorted(sources_dir().glob("[0-9][0-9]_*.ipynb"))
START = sources_dir() / "00_start_here.ipynb"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A workspace made as `mopskit start` makes it; answers go beside the lessons, as in JupyterLab."""
    monkeypatch.delenv("MOPSKIT_ANSWERS_DIR")
    return prepare_workspace(tmp_path / "ws").path


def _save(folder, lesson, answers):
    (folder / ".mopskit").mkdir(exist_ok=True)
    (folder / ".mopskit" / f"{lesson}.answers.json").write_text(json.dumps(answers), encoding="utf-8")


def _key(source):
    return {exercise_id: to_jsonable(value) for exercise_id, value in answer_key(source).items()}


def _lesson(found, lesson) -> LessonProgress:
    return next(p for p in found.lessons if p.lesson == lesson)


def test_a_fresh_workspace_lists_every_lesson_in_order_with_nothing_answered(workspace):
    found = workspace_progress(workspace)
    assert [p.lesson for p in found.lessons] == [p.stem for p in LESSONS]
    for lesson, source in zip(found.lessons, LESSONS, strict=True):
        assert lesson.exercises == len(load_checks(source)) > 0
        assert (lesson.answered, lesson.correct, lesson.problem) == (0, 0, "")
        assert lesson.title.startswith(source.stem[:2]), "the title is the lesson's own heading"
        assert lesson.notebook == source.name
    assert found.summary() == f"You have answered 0 of {found.exercises} exercises, 0 of them correctly."


def test_saved_answers_are_counted_and_checked(workspace):
    key = _key(START)
    _save(workspace, "00_start_here", key)
    assert _lesson(workspace_progress(workspace), "00_start_here").done

    wrong = next(o for o in ("Operate martech products as an administrator", "Pay for it") if o != key["q2"])
    _save(workspace, "00_start_here", {**key, "q2": wrong})
    lesson = _lesson(workspace_progress(workspace), "00_start_here")
    assert (lesson.answered, lesson.correct, lesson.done) == (2, 1, False)

    _save(workspace, "00_start_here", {"q1": None, "q2": key["q2"], "q99": 5})  # None: cleared; q99: no such exercise
    lesson = _lesson(workspace_progress(workspace), "00_start_here")
    assert (lesson.exercises, lesson.answered, lesson.correct) == (2, 1, 1)


def test_correct_means_the_public_checks_pass_and_hidden_checks_never_run(workspace):
    """Lesson 00's q1: its public checks take any whole number from 0 to 22, a hidden one wants the survey's count."""
    right = _key(START)["q1"]
    _save(workspace, "00_start_here", {"q1": right + 1})
    found = workspace_progress(workspace)
    assert _lesson(found, "00_start_here").correct == 1, "as the lesson's Check button says: public checks passed"
    hidden = [c for c in load_checks(START)["q1"].checks.values() if c.hidden]
    assert hidden, "lesson 00's q1 has a hidden check to keep back"
    page = found._repr_html_() + str(found)
    for c in hidden:
        assert c.failure not in page and c.name not in page


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_answered_through_its_widgets_counts_every_exercise_answered_and_correct(source, shared_runs):
    """The home page's count for each lesson, from the answers its widgets saved in the session's trainee run.

    The browser shows the home page counting for lesson 00 (``tests/browser``: in English, Thai, Romanian and
    Chinese); every lesson's count is checked here.
    """
    run = shared_runs.released(source)
    found = _lesson(workspace_progress(run.notebook.parent, answers_dir=run.answers_dir), run.lesson)
    assert not found.problem, found.problem
    assert (found.exercises, found.answered, found.correct) == (len(run.key),) * 3, dict(found.statuses)
    assert found.done


def test_a_lesson_whose_checks_cannot_be_read_is_named_and_the_others_still_count(workspace):
    lesson = workspace / LESSONS[-1].name
    nb = nbformat.read(lesson, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# CHECKS"))
    cell.source = cell.source.splitlines()[0] + "\nraise ValueError('a check cell edited by hand')"
    nbformat.write(nb, lesson)
    _save(workspace, "00_start_here", _key(START))

    found = workspace_progress(workspace)
    broken = _lesson(found, lesson.stem)
    assert "could not be read (ValueError: a check cell edited by hand)" in broken.problem
    assert "open it in JupyterLab" in broken.problem
    assert broken.problem in str(found) and broken.problem in found._repr_html_()
    assert _lesson(found, "00_start_here").done


def test_an_unreadable_answer_file_counts_as_nothing_answered_and_is_left_in_place(workspace):
    _save(workspace, "00_start_here", {})
    answers = workspace / ".mopskit" / "00_start_here.answers.json"
    answers.write_text("{not json", encoding="utf-8")
    assert _lesson(workspace_progress(workspace), "00_start_here").answered == 0
    assert answers.read_text(encoding="utf-8") == "{not json"


def test_answers_are_read_where_the_lessons_save_them(workspace, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "00_start_here.answers.json").write_text(json.dumps(_key(START)), encoding="utf-8")
    assert _lesson(workspace_progress(workspace, answers_dir=elsewhere), "00_start_here").done
    monkeypatch.setenv("MOPSKIT_ANSWERS_DIR", str(elsewhere))  # the lessons save there too
    assert _lesson(workspace_progress(workspace), "00_start_here").done


def test_a_folder_that_is_not_there_is_a_clear_error(tmp_path):
    with pytest.raises(WorkspaceError, match=r"'.*nowhere' is not a folder; give the workspace made by"):
        workspace_progress(tmp_path / "nowhere")


def test_the_table_links_every_lesson_in_the_same_tab_and_shows_its_counts(workspace):
    _save(workspace, "00_start_here", _key(START))
    found = workspace_progress(workspace)
    page = found._repr_html_()
    for lesson in found.lessons:
        assert f'<a href="{lesson.notebook}" target="_self">{lesson.title}</a>' in page
        assert f'data-lesson="{lesson.lesson}"' in page
    assert '<td class="mopskit-progress-answered">2 of 2</td><td class="mopskit-progress-correct">2 of 2</td>' in page
    lines = str(found).splitlines()
    assert lines[0] == found.summary()
    assert lines[1].split() == ["00", "·", "Start", "here", "2", "of", "2", "answered,", "2", "correct"]


def test_the_home_page_is_added_once_and_then_kept_as_it_is(workspace):
    home = workspace / HOME_NOTEBOOK
    nb = nbformat.read(home, as_version=4)
    assert [c.source for c in nb.cells if c.cell_type == "code"] == [
        "from mopskit.workspace import workspace_progress\n\nworkspace_progress()"
    ]
    assert nb.metadata.kernelspec.name == "python3"
    home.write_text(home.read_text(encoding="utf-8").replace("Your MOps lessons", "My lessons"), encoding="utf-8")
    again = prepare_workspace(workspace)
    assert home in again.kept and home not in again.added
    assert "My lessons" in home.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_home_page_shows_the_table_when_run_in_a_kernel(workspace):
    _save(workspace, "00_start_here", _key(START))
    nb = nbformat.read(workspace / HOME_NOTEBOOK, as_version=4)
    resources = {"metadata": {"path": str(workspace)}}
    NotebookClient(nb, timeout=120, resources=resources, shutdown_kernel="immediate").execute()
    [html] = [o.data["text/html"] for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert '<tr class="mopskit-progress-row" data-lesson="00_start_here">' in html
    assert "2 of 2" in html and "You have answered 2 of" in html


def test_a_workspace_holds_released_lessons_only(workspace):
    from mopskit.assess._release import instructor_material

    lessons = sorted(workspace.glob("*.ipynb"))
    assert len(lessons) == len(LESSONS) + 1  # and the home page
    assert not {p.name: instructor_material(p) for p in lessons if instructor_material(p)}
    assert all(instructor_material(p) for p in LESSONS), "each source lesson holds what the copies must not"


def test_a_prepared_workspace_switches_off_jupyterlabs_news_pop_up_and_keeps_the_trainees_choice(tmp_path):
    from mopskit.workspace import LAB_SETTINGS, lab_arguments, prepare_workspace

    prepare_workspace(tmp_path / "ws")
    settings = tmp_path / "ws" / LAB_SETTINGS / "@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    assert json.loads(settings.read_text()) == {"fetchNews": "false", "checkForUpdates": False}
    settings.write_text('{"fetchNews": "true"}')
    again = prepare_workspace(tmp_path / "ws")
    assert settings in again.kept and json.loads(settings.read_text()) == {"fetchNews": "true"}
    assert f"--LabApp.user_settings_dir={tmp_path / 'ws' / LAB_SETTINGS}" in lab_arguments(tmp_path / "ws")


def test_an_earlier_versions_home_page_is_written_afresh_and_a_changed_one_kept(tmp_path):
    """A workspace made before a rename kept a home page calling ``progress()``: an update rewrites the kit's page."""
    folder = tmp_path / "ws"
    prepare_workspace(folder)
    home = folder / HOME_NOTEBOOK
    old = nbformat.read(home, as_version=4)
    old.cells[1].source = "from mopskit.workspace import progress\n\nprogress()"  # as earlier versions wrote it
    del old.metadata["mopskit"]["cells"]  # from before the kit noted its cells
    nbformat.write(old, home)
    again = prepare_workspace(folder)
    assert home in again.added
    assert "workspace_progress()" in home.read_text(encoding="utf-8")
    third = prepare_workspace(folder)  # nothing new: the page is left as it is
    assert home in third.kept and home not in third.added

    page = nbformat.read(home, as_version=4)
    page.cells[1].source += "\nprint('my own notes')"  # the trainee's change: theirs wins, even over an update
    nbformat.write(page, home)
    assert home in prepare_workspace(folder).kept
    assert "my own notes" in home.read_text(encoding="utf-8")
