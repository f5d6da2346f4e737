"""The cohort report's figures, its parameter checks, and the report itself under papermill."""

from __future__ import annotations

from datetime import UTC, datetime

import nbformat
import pytest

from mopskit.assess._gradebook import CheckRow, Gradebook, GradedSubmission
from mopskit.assess.cohort_report import (
    common_failures,
    exercise_pass_rates,
    load_cohort,
    needs_help,
    summary_text,
    trainee_progress,
    validate_parameters,
    waiting_for_review,
)
from mopskit.errors import ParameterError
from mopskit.reports import run_report

# trainee: {assignment: [(exercise, check, points, earned, answered)]}
RESULTS = {
    "ana": {
        "05_metrics": [("q1", "ctr", 2, 2, True), ("q2", "roi", 2, 2, True)],
        "07_final": [("q1", "gap", 4, 4, True)],
    },
    "bob": {
        "05_metrics": [("q1", "ctr", 2, 0, True), ("q2", "roi", 2, 2, True)],
        "07_final": [("q1", "gap", 4, 0, True)],
    },
    "cai": {
        "05_metrics": [("q1", "ctr", 2, 0, True), ("q2", "roi", 2, 0, False)],
        "07_final": [("q1", "gap", 4, 4, True)],
    },
}


@pytest.fixture
def gradebook(tmp_path):
    path = tmp_path / "gb.sqlite"
    with Gradebook(path) as book:
        for day, (trainee, assignments) in enumerate(RESULTS.items(), start=1):
            for assignment, rows in assignments.items():
                checks = [
                    CheckRow(e, c, p, got, got == p, c == "gap", bool(ans), message="m", hint=f"hint for {c}")
                    for e, c, p, got, ans in rows
                ]
                when = datetime(2026, 3, day, tzinfo=UTC)
                book.record(GradedSubmission(trainee, assignment, f"h-{trainee}", "x", when, "graded", checks))
    return path


def test_figures_from_a_known_gradebook(gradebook):
    cohort = load_cohort(gradebook)
    rates = exercise_pass_rates(cohort.checks)
    assert rates[["assignment", "exercise", "pass_rate"]].values.tolist()[0] == [
        "05_metrics",
        "q1",
        pytest.approx(33.3),
    ]
    assert rates.set_index(["assignment", "exercise"]).loc[("05_metrics", "q2"), "answered_rate"] == pytest.approx(66.7)
    failures = common_failures(cohort.checks)
    top = failures.iloc[0]
    assert (top["check"], top["failures"], top["hint"]) == ("ctr", 2, "hint for ctr")
    assert "roi" not in set(failures["check"]), "an unanswered check is not counted as failed"
    helped = needs_help(cohort.scores, below=60)
    assert helped["trainee"].tolist() == ["bob", "cai"]
    assert waiting_for_review(cohort.scores).empty
    table = trainee_progress(cohort.scores)
    assert list(table.columns) == ["05_metrics", "07_final"] and table.loc["ana"].tolist() == [100.0, 100.0]
    text = summary_text(cohort, below=60)
    assert "3 trainees, 2 assignment(s), 6 graded submissions." in text
    assert "The hardest exercise is q1 of 05_metrics" in text and "2 trainee(s) may need help" in text


def test_only_the_assignments_asked_for(gradebook):
    cohort = load_cohort(gradebook, assignments="07_final")
    assert set(cohort.scores["assignment"]) == {"07_final"}
    with pytest.raises(
        ParameterError, match="unknown assignment '05_metric' in 'assignments'; valid: 05_metrics, 07_final"
    ):
        load_cohort(gradebook, assignments="05_metric")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"gradebook": "missing.sqlite"}, "no file 'missing.sqlite'"),
        ({"gradebook": "GOOD", "help_below": 140}, "'help_below' must be a percentage"),
        ({"gradebook": "GOOD", "assignments": "nope"}, "unknown assignment 'nope'"),
    ],
)
def test_the_validator_refuses_bad_values_before_any_kernel(gradebook, values, message):
    values = {k: str(gradebook) if v == "GOOD" else v for k, v in values.items()}
    with pytest.raises(ParameterError, match=message):
        validate_parameters(values)
    validate_parameters({"gradebook": "", "assignments": "", "help_below": 60})  # the demo needs no file


@pytest.mark.slow
def test_cohort_report_renders_from_a_gradebook(gradebook, tmp_path):
    result = run_report("cohort_report", parameters={"gradebook": str(gradebook)}, out_dir=tmp_path, progress=False)
    page = result.html.read_text()
    assert "Cohort report" in page and "3 trainees, 2 assignment(s)" in page
    assert page.count("data:image/png;base64") >= 3, "score histogram, pass rates and progress plots"
    assert "hint for ctr" in page and "Demo data" not in page
    nb = nbformat.read(str(result.notebook), as_version=4)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_a_wrong_assignment_is_refused_before_the_report_runs(gradebook, tmp_path):
    with pytest.raises(ParameterError, match="valid: 05_metrics, 07_final"):
        run_report("cohort_report", parameters={"gradebook": str(gradebook), "assignments": "x"}, out_dir=tmp_path)
    assert not (tmp_path / "cohort_report.html").exists()
