"""The plan builder widget: callbacks fire synchronously outside a kernel."""

from datetime import date

import pytest

from mopskit.assess import read_answers, start_lesson
from mopskit.strategy import Plan, review_plan, scenario_plan
from mopskit.ui.strategy import plan_builder

TODAY = date(2026, 11, 1)


def test_plan_builder_answer_is_a_plan_reviewed_live_and_exported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    start_lesson("ui_plan")
    w = plan_builder("p1", today=TODAY)
    model = scenario_plan()
    w.fill(model.to_answer())
    assert Plan.from_answer(w.value) == Plan(**{**model.__dict__, "title": ""})
    assert review_plan(w.plan(), today=TODAY).passed
    assert "✓" in w.review.value and "✗" not in w.review.value
    w.leaves[("tasks", "1", "owner")].value = None
    assert "has no owner" in w.review.value
    saved = read_answers("ui_plan")["p1"]
    assert saved["tasks"]["1"]["owner"] is None and saved["steps"]["1"]["owner"] == "Daniel Ortiz"
    restored = plan_builder("p1", today=TODAY)
    assert restored.plan() == w.plan()
    md, page = w.export("md"), w.export("html")
    assert md.read_text().startswith("# ") and "<!DOCTYPE html>" in page.read_text()


@pytest.mark.slow
@pytest.mark.xdist_group("lesson-06_strategy_plan")  # with the lesson's shared run (tests/conftest.py)
def test_the_plan_answer_travels_with_the_notebook_and_grades_from_it(root, shared_runs, tmp_path):
    """The plan a trainee built in lesson 06 is carried by the saved notebook alone and grades from it.

    It reads the session's one run of the trainee copy (tests/lesson_runs.py: every exercise answered through its
    widget from the key, then saved). A restart, where a fresh kernel shows every widget's saved answer, is the
    source's nbval run of the same session (the last cell tests/conftest.py adds), so this test starts no kernel.
    """
    import shutil

    from mopskit.assess import answers_in_notebook, grade_answers, load_checks

    source = root / "notebooks" / "06_strategy_plan.ipynb"
    run = shared_runs.released(source)
    assert not run.error, run.error
    handed_in = tmp_path / source.name
    shutil.copy(run.notebook, handed_in)  # only the notebook is handed in: no answer file beside it
    carried = answers_in_notebook(handed_in)["q5"]
    assert Plan.from_answer(carried) == Plan.from_answer(run.key["q5"])
    [graded] = [v for v in grade_answers(load_checks(source), {"q5": carried}) if v.exercise_id == "q5"]
    assert graded.status == "correct" and len(graded.results) == 7
