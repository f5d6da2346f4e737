"""The plan builder widget: callbacks fire synchronously outside a kernel."""

from datetime import date

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
