"""mopskit.strategy: the plan's data round trip, its step-by-step review, task tracking and export."""

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mopskit.assess import exercise
from mopskit.errors import ParameterError
from mopskit.strategy import (
    STATUSES,
    Message,
    MetricDef,
    Plan,
    Stakeholder,
    Step,
    Task,
    example_plan,
    export_plan,
    plan_options,
    plan_progress,
    review_date,
    review_plan,
    scenario,
    scenario_plan,
    to_html,
    to_markdown,
)

TODAY = date(2026, 11, 1)


def _good_plan():
    return Plan(
        title="Cleaner CRM",
        stakeholders=[Stakeholder("Sales", "complete contact records", "new leads complete within 1 day")] * 2,
        metric=MetricDef("MQLs", "count of contacts who became MQLs in a month", "contacts"),
        goals=["Ana Pop will increase MQLs from the webinar channel by 15% within 3 months."],
        communication=[Message("Sales", "tell us which records are incomplete", "Team meeting")],
        steps=[Step("Add required fields to forms", "Priya Nair"), Step("Merge duplicates", "Daniel Ortiz")],
        tasks=[
            Task("List required fields", "Priya Nair", date(2026, 11, 20), "in progress"),
            Task("Run the merge", "Daniel Ortiz", date(2026, 12, 1), "not started"),
        ],
    )


def test_a_complete_plan_passes_every_step():
    review = review_plan(_good_plan(), today=TODAY)
    assert review.passed and review.score == 1.0, str(review)


@pytest.mark.parametrize(
    ("change", "step", "score", "reason"),
    [
        (lambda p: setattr(p, "stakeholders", []), 1, 0.0, "Name the stakeholders"),
        (lambda p: setattr(p.stakeholders[0], "sla", "help sales"), 1, 5 / 6, "has no time or number"),
        (lambda p: setattr(p, "stakeholders", p.stakeholders[:1]), 1, 0.5, "Add at least 2 stakeholders"),
        (lambda p: setattr(p.metric, "name", "engagement"), 2, 0.6, "not a metric you can count"),
        (lambda p: setattr(p.metric, "definition", "MQLs"), 2, 0.4 + 0.0, "over what period"),
        (lambda p: setattr(p, "goals", ["Boost engagement soon."]), 3, 0.0, "Goal 1, Specific"),
        (lambda p: setattr(p, "goals", ["We will grow email clicks by 10% within 3 months."]), 3, 0.75, "make them"),
        (lambda p: setattr(p.communication[0], "channel", ""), 4, 2 / 3, "say where you will tell them"),
        (lambda p: setattr(p.steps[1], "owner", ""), 5, 0.75, "has no owner; name one person"),
        (lambda p: setattr(p.tasks[0], "due", None), 6, 5 / 6, "has no due date"),
        (lambda p: (setattr(p.tasks[0], "due", date(2026, 10, 1)), setattr(p.tasks[0], "status", "")), 6, 0.5,
         "has no status"),
        (lambda p: setattr(p.tasks[0], "status", "finished"), 6, 5 / 6, "is not one of: not started"),
    ],
)  # fmt: skip
def test_each_step_is_graded_with_a_reason(change, step, score, reason):
    plan = _good_plan()
    plan.stakeholders = [Stakeholder(s.name, s.needs, s.sla) for s in plan.stakeholders]
    change(plan)
    result = review_plan(plan, today=TODAY).step(step)
    assert result.score == pytest.approx(score, abs=1e-3), result.reason
    assert reason in result.reason
    others = [s for s in review_plan(plan, today=TODAY).steps if s.number != step]
    assert all(s.passed for s in others), "a flaw in one step costs only that step"


def test_overdue_tasks_are_tracked_and_flagged():
    plan = example_plan()
    now = review_date("email_program")
    tracked = plan_progress(plan, today=now)
    assert (tracked.total, tracked.done, tracked.percent_done) == (4, 1, 25.0)
    assert [t.title for t in tracked.overdue] == ["Audit the current email marketing workflows"]
    tasks = review_plan(plan, today=now).step(6)
    assert not tasks.passed and "has no status" in tasks.reason and "is overdue" in tasks.reason
    assert plan_progress(Plan(), today=now).percent_done == 0.0


def test_plan_round_trips_through_plain_json():
    for plan in (example_plan(), scenario_plan(), _good_plan(), Plan()):
        data = json.loads(json.dumps(plan.to_dict()))
        assert Plan.from_dict(data) == plan
        assert Plan.from_answer(json.loads(json.dumps(plan.to_answer(rows={"tasks": 6})))) == Plan(
            stakeholders=plan.stakeholders,
            metric=plan.metric,
            goals=plan.goals,
            communication=plan.communication,
            steps=plan.steps,
            tasks=plan.tasks,
        )


_TEXT = st.text(max_size=40)


@given(
    title=_TEXT,
    rows=st.lists(
        st.tuples(_TEXT, _TEXT, st.one_of(st.none(), st.dates()), st.sampled_from(["", *STATUSES])), max_size=5
    ),
)
@settings(max_examples=100, deadline=None)
def test_any_plan_round_trips_reviews_and_exports(title, rows):
    tasks = [Task(a.strip(), b.strip(), due, status) for a, b, due, status in rows if a.strip() or b.strip() or due]
    plan = Plan(title=title.strip(), tasks=[t for t in tasks if t.title or t.owner or t.due or t.status])
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
    review = review_plan(plan, today=TODAY)
    assert all(0.0 <= s.score <= 1.0 and s.reason for s in review.steps)
    page = to_html(plan, today=TODAY)
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert to_markdown(plan, today=TODAY).startswith("# ")


def test_answers_from_the_widget_skip_empty_rows_and_read_dates_in_words():
    answer = {
        "tasks": {
            "1": {"title": "Audit", "owner": "Ana Pop", "due": "15 December 2026", "status": "not started"},
            "2": {"title": None, "owner": None, "due": None, "status": None},
            "10": {"title": "Late row", "owner": "Joon Park", "due": "2026-12-01", "status": "done"},
        },
        "goals": {"1": "", "2": "We will grow MQLs by 5% within a year."},
    }
    plan = Plan.from_answer(answer)
    assert [t.due for t in plan.tasks] == [date(2026, 12, 15), date(2026, 12, 1)]
    assert [t.title for t in plan.tasks] == ["Audit", "Late row"], "rows in number order, 10 after 2"
    assert plan.goals == ["We will grow MQLs by 5% within a year."]
    assert Plan.from_answer(None) == Plan()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stakholders": []}, "unknown plan section 'stakholders'; valid: title, stakeholders"),
        ({"tasks": [{"titel": "x"}]}, "unknown task field 'titel'; valid: title, owner, due, status"),
        ({"tasks": "audit"}, "must be a list or a dict of rows"),
        ([], "a plan must be a dict"),
    ],
)
def test_bad_plan_data_gets_a_clear_error(data, message):
    with pytest.raises(ParameterError, match=message):
        Plan.from_dict(data)


def test_export_writes_markdown_and_escaped_standalone_html(tmp_path):
    plan = example_plan()
    plan.steps.append(Step("<img src=x onerror=alert(1)> | pipe", "Ana Pop"))
    md = export_plan(plan, tmp_path / "plan.md", today=TODAY).read_text()
    assert md.count("\n## ") == 6 and "1 of 4 tasks done (25%), 1 overdue" in md
    assert "\\| pipe" in md and "⚠" in md
    page = export_plan(plan, tmp_path / "plan.html", today=TODAY).read_text()
    assert page.startswith("<!DOCTYPE html>") and "<img" not in page and "&lt;img" in page
    assert "http" not in page, "standalone: no outside files"
    with pytest.raises(ParameterError, match=r"cannot export a plan as '\.pdf'; valid: \.md, \.html"):
        export_plan(plan, tmp_path / "plan.pdf")


def test_the_scenario_goal_comes_from_the_data_and_its_plan_passes():
    plan = scenario_plan()
    assert plan.goals[0].startswith("Ana Pop will increase MQLs from the webinar channel by ")
    assert review_plan(plan, today=review_date("webinar_leads")).passed
    assert "webinar" in scenario() and "Ana Pop" in scenario()
    with pytest.raises(ParameterError, match="unknown plan 'nope'; valid: email_program, webinar_leads"):
        scenario("nope")
    options = plan_options()
    assert "Ana Pop" in options["owners"] and "done" in options["statuses"] and "MQLs" in options["metrics"]


def test_a_step_review_as_a_check_gives_partial_credit_with_the_reason():
    ex = exercise("plan_q")

    @ex.check(points=2, hint="Fill every row.")
    def step_6(answer):
        return review_plan(Plan.from_answer(answer), today=TODAY).step(6)

    half = {"tasks": {"1": {"title": "Audit", "owner": "Ana Pop", "due": "2026-12-01", "status": "done"}}}
    verdict = ex.run(answer=half)
    [result] = verdict.results
    assert result.earned == pytest.approx(1.0) and not result.passed
    assert "Add at least 2 tasks" in result.message and "partly right: 50%" in result.message
    assert result.hint == "Fill every row."
    full = _good_plan().to_answer()
    assert ex.run(answer=full).status == "correct"
    assert "Every task has an owner" in ex.run(answer=full).results[0].message
    broken = ex.run(answer="not a plan")
    assert broken.results[0].earned == 0 and "could not run" in broken.results[0].message


def test_the_plan_is_data_that_the_review_tracking_and_export_read():
    plan = example_plan()
    assert str(plan_progress(plan, today=TODAY)) == "1 of 4 tasks done (25%), 1 overdue"
    assert to_markdown(Plan.from_dict(plan.to_dict()), today=TODAY) == to_markdown(plan, today=TODAY)


def test_the_example_plan_marks_its_sla_numbers_and_counts_as_the_kits_own():
    from mopskit.content import load_yaml
    from mopskit.strategy import example_plan_note

    phrases = load_yaml("strategy_plans")["email_program"]["illustration"]
    plan = example_plan()
    for sla in [s.sla for s in plan.stakeholders]:
        assert any(p in sla for p in phrases), f"an SLA with numbers the article does not give: {sla!r}"
    for task in plan.tasks[2:]:
        assert any(p in task.title.lower() for p in phrases), task.title
    assert all(p in example_plan_note() for p in phrases)


@pytest.mark.parametrize("lang", ["ro", "th", "zh_TW"])
def test_the_example_plans_note_quotes_its_own_numbers_as_the_plan_shows_them_in_each_language(lang):
    import re

    from mopskit.i18n import language
    from mopskit.strategy import example_plan_note

    with language(lang):
        note, page = example_plan_note(), to_markdown(example_plan(), today=TODAY, review=False).lower()
    phrases = re.findall("“([^”]+)”", note)
    assert len(phrases) == 6 and [p for p in phrases if p.lower() not in page] == []


def test_the_plan_alone_shows_no_progress_open_points_or_overdue_marks():
    plan, today = example_plan(), review_date()
    full = to_markdown(plan, today=today)
    assert "Status on" in full and "⚠" in full
    alone = to_markdown(plan, today=today, review=False)
    assert "Status on" not in alone and "⚠" not in alone and "tasks done" not in alone
    assert all(t.title in alone for t in plan.tasks)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_a_review_shown_as_text_reads_as_sentences_never_as_python(lang):
    from mopskit.i18n import _, language
    from mopskit.strategy import review_date

    with language(lang):
        review = review_plan(example_plan(), today=review_date())
        texts = [
            repr(review),
            str(review),
            repr(review.step(6)),
            repr(plan_progress(example_plan(), today=review_date())),
        ]
        html = review._repr_html_()
        header = _("what the review says")
        step_titles = "SMART goals" in texts[0] or "Stakeholders and their SLAs" in html
    for text in texts:
        assert "StepReview(" not in text and "PlanReview(" not in text and "PlanProgress(" not in text
        assert "reasons=" not in text and "score=" not in text
    assert repr(review).count("\n") == 5 and repr(review.step(6)).startswith("~ 6. ")
    assert "<th style" in html and f">{header}<" in html
    if lang == "th":
        assert not step_titles and header != "what the review says"
        assert "in progress" not in texts[0]


def test_in_another_language_goals_and_the_reviews_english_examples_are_quoted_as_written():
    from mopskit.i18n import language

    example = "We will increase total email clicks by 25% within a year."
    with language("th"):
        page, empty = to_markdown(example_plan(), today=TODAY), to_markdown(Plan(), today=TODAY)
        shown, standalone = review_plan(Plan(), today=TODAY)._repr_html_(), to_html(example_plan(), today=TODAY)
        typed = to_markdown(_good_plan(), today=TODAY)
    assert f"<q>{example}</q> (เราจะ" in page and f"<q>{example}</q> (เราจะ" in standalone  # the goal, then its Thai
    assert f"<q>{example}</q>" in empty and f"<q>{example}</q>" in shown and f"'{example}'" not in empty
    assert "<q>clicks in a month ÷ unique recipients in a month × 100</q>" in empty
    assert f"<q>{_good_plan().goals[0]}</q> |" in typed  # a goal typed in English: quoted, nothing to translate
    english = to_markdown(Plan(), today=TODAY) + to_markdown(example_plan(), today=TODAY)
    assert "<q>" not in english and f"'{example}'" in english


def test_task_statuses_are_shown_translated_and_named_with_the_english_a_plan_file_takes():
    from mopskit.i18n import language

    late = Plan(tasks=[Task("Write the brief", "Ana Pop", date(2026, 10, 1), ""), Task("Brief", "Ana Pop", None, "")])
    with language("th"):
        page = to_markdown(example_plan(), today=TODAY)
        reason = review_plan(late, today=TODAY).step(6).reason
    assert "| กำลังดำเนินการ ⚠ " in page and "| ยังไม่เริ่ม |" in page and "not started" not in page  # overdue too
    assert "ยังไม่เริ่ม (not started), กำลังดำเนินการ (in progress)" in reason
    assert "not started, in progress, done, blocked" in review_plan(late, today=TODAY).step(6).reason
