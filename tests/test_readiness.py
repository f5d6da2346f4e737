"""Who is ready for what: hires' levels against their roles' needs, the cohort's views and a manager's page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from test_onboarding import lessons_without

from mopskit.assess import Gradebook
from mopskit.assess._gradebook import CheckRow, GradedSubmission
from mopskit.assess.mastery import MasteryRule, competency_tags, load_mastery
from mopskit.assess.readiness import (
    blocked,
    hardest_competencies,
    plot_role_competency,
    readiness_page,
    role_competency_table,
    role_readiness,
    trainee_readiness,
)
from mopskit.cli import main
from mopskit.errors import MopskitError
from mopskit.roles import role

WHEN = datetime(2026, 3, 4, 9, tzinfo=UTC)


def _exercises(assignment):
    tags = competency_tags()
    return sorted(set(tags[tags["assignment"] == assignment]["exercise"]), key=lambda e: int(e[1:]))


def _submit(book, trainee, assignment, *, share=1.0, only=None):
    rows = [
        CheckRow(ex, "check", 2.0, 2.0 * (share if only is None or ex in only else 1.0), True, False)
        for ex in _exercises(assignment)
    ]
    book.record(GradedSubmission(trainee, assignment, f"{trainee}-{assignment}", "x", WHEN, "graded", rows))


@pytest.fixture
def gradebook(tmp_path):
    """Two data analysts (one with all of 04 and 05 right, one with nothing graded) and a CRM administrator
    whose data-quality work is half right."""
    path = tmp_path / "gb.sqlite"
    with Gradebook(path) as book:
        book.enrol("ana", role="data_analyst", start=date(2026, 3, 2), name="Ana <b>Pop</b>")
        book.enrol("cy", role="data_analyst", start=date(2026, 3, 2), name="Cy")
        book.enrol("bo", role="crm_admin", start=date(2026, 3, 2), name="Bo")
        _submit(book, "ana", "04_smart_goals")
        _submit(book, "ana", "05_metrics")
        _submit(book, "bo", "05_metrics", share=0.5, only={"q10", "q11"})
    return path


def test_every_need_of_every_hire_with_its_level_and_what_next(gradebook):
    readiness = role_readiness(load_mastery(gradebook, as_of="2026-03-10"))
    needs = 2 * len(role("data_analyst").needs) + len(role("crm_admin").needs)
    assert len(readiness) == needs
    ana = readiness[readiness["trainee"] == "ana"].set_index("competency")
    assert ana.loc["goals.attainable", ["level", "met"]].tolist() == ["proficient", True]
    assert ana.loc["metrics.email", ["target", "level", "met"]].tolist() == ["mastered", "proficient", False]
    assert ana.loc["metrics.email", "next"] == (
        "Show it again on other data: take 10_final_assessment, or a retake of a lesson already done."
    )
    bo = readiness[readiness["trainee"] == "bo"].set_index("competency")
    assert bo.loc["data.quality", ["level", "best_share"]].tolist() == ["practising", 0.5]
    assert bo.loc["data.quality", "next"] == "Go over 05_metrics again, then a retake on new data."
    assert bo.loc["stack.inventory", "next"] == "Take 03_stack_audit."
    cy = readiness[readiness["trainee"] == "cy"]
    assert set(cy["level"]) == {"not_started"} and not cy["met"].any()


def test_a_need_no_lesson_assesses_says_so(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as book:
        book.enrol("lea", role="lead_rotation", start=date(2026, 3, 2))
    lessons = lessons_without(tmp_path / "lessons", "08_lead_management", "10_final_assessment")  # the lead needs
    mastery = load_mastery(tmp_path / "gb.sqlite", as_of="2026-03-10", lessons=lessons)
    readiness = role_readiness(mastery).set_index("competency")
    assert readiness.loc["leads.handover", "next"] == "No lesson assesses this yet: judge it at work."


def test_who_is_ready_who_is_blocked_and_the_role_by_competency_view(gradebook):
    strict = role_readiness(load_mastery(gradebook, as_of="2026-03-10"))
    lenient = role_readiness(load_mastery(gradebook, as_of="2026-03-10", rule=MasteryRule(mastered_variants=1)))
    hires = trainee_readiness(lenient).set_index("trainee")
    assert hires.loc["ana", ["met", "needs", "ready"]].tolist() == [7, 7, True], "one data set is enough here"
    assert not trainee_readiness(strict).set_index("trainee").loc["ana", "ready"], "mastered needs two data sets"
    assert hires.loc["bo", "blocked"] == "Measure and fix data quality"
    assert hires.loc["cy", "not_started"].startswith("Compute email metrics")
    stuck = blocked(lenient)
    assert stuck[["name", "title"]].values.tolist() == [["Bo", "Measure and fix data quality"]]
    table = role_competency_table(lenient)
    assert table.loc["Marketing data analyst", "Compute email metrics"] == "1/2"
    assert table.loc["CRM administrator", "Measure and fix data quality"] == "0/1"
    shares = role_competency_table(lenient, counts=False)
    assert shares.loc["Marketing data analyst", "Compute email metrics"] == 50.0
    figure = plot_role_competency(lenient)
    assert len(figure.axes[0].texts) == table.notna().sum().sum()


def test_the_hardest_competencies_come_first(gradebook):
    hardest = hardest_competencies(load_mastery(gradebook, as_of="2026-03-10"))
    assert hardest.iloc[0][["competency", "trainees", "reached", "best_share"]].tolist() == [
        "data.quality",
        2,
        50.0,
        75.0,
    ]


def test_the_managers_page_says_ready_or_not_with_the_evidence_and_escapes_names(gradebook):
    mastery = load_mastery(gradebook, as_of="2026-03-10")
    html = readiness_page(mastery, "ana")
    assert "Ana &lt;b&gt;Pop&lt;/b&gt;" in html and "<b>Pop</b>" not in html
    assert "Not ready yet: 3 of 7 competencies at the level the Marketing data analyst role needs." in html
    assert "100% in 05_metrics on 04 Mar 2026 (at the bar)" in html
    assert html.index("Compute email metrics") < html.index("Set targets from history"), "missing ones first"
    assert "judged on 10 March 2026" in html
    with pytest.raises(MopskitError, match="'zed' is not enrolled on an onboarding path; enrolled: ana, bo, cy"):
        readiness_page(mastery, "zed")


def test_the_pages_from_the_command(gradebook, tmp_path, capsys):
    out = tmp_path / "pages"
    assert main(["grades", "readiness", "--db", str(gradebook), "--out", str(out), "--as-of", "2026-03-10"]) == 0
    assert "3 readiness page(s) written" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["ana.html", "bo.html", "cy.html", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="bo.html"' in index and "Measure and fix data quality" in index
    empty = tmp_path / "empty.sqlite"
    Gradebook(empty).close()
    assert main(["grades", "readiness", "--db", str(empty), "--out", str(out)]) == 1
    assert "nobody in the gradebook" in capsys.readouterr().err
