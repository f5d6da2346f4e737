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
def test_the_plan_answer_survives_a_restart_and_travels_with_the_notebook(root, tmp_path, monkeypatch):
    import json

    import nbformat
    from test_lessons import _run

    from mopskit.assess import answer_key, answers_in_notebook, grade_answers, load_checks, release
    from mopskit.assess._answers import to_jsonable

    monkeypatch.delenv("MOPSKIT_ANSWERS_DIR")
    source = root / "notebooks" / "06_strategy_plan.ipynb"
    release(source_dir=root / "notebooks", out_dir=tmp_path / "trainee", pattern="06_*.ipynb")
    path = tmp_path / "trainee" / source.name
    model = to_jsonable(answer_key(source)["q5"])
    probe = "import json\nfrom mopskit.ui import widget_for\nprint(json.dumps(widget_for('q5').value))"
    first = nbformat.read(str(path), as_version=4)
    _run(first, path.parent, [probe + f"\nwidget_for('q5').fill(json.loads({json.dumps(model)!r}))"])
    nbformat.write(first, str(path))
    (tmp_path / "trainee" / ".mopskit").rename(tmp_path / "gone")  # only the notebook is handed in
    carried = answers_in_notebook(path)["q5"]
    assert Plan.from_answer(carried) == Plan.from_answer(model)
    [graded] = [v for v in grade_answers(load_checks(source), {"q5": carried}) if v.exercise_id == "q5"]
    assert graded.status == "correct" and len(graded.results) == 7
    second = nbformat.read(str(path), as_version=4)
    (tmp_path / "gone").rename(tmp_path / "trainee" / ".mopskit")  # the trainee's own machine, restarted
    [restored] = _run(second, path.parent, [probe])
    assert Plan.from_answer(json.loads(restored)) == Plan.from_answer(model)
