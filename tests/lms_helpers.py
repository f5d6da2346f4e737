"""A small real gradebook for the LMS export tests: three trainees, two assignments, an adjustment, a review."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from mopskit.assess import Gradebook
from mopskit.assess._gradebook import CheckRow, GradedSubmission

WHEN = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
# (exercise, points, earned) per assignment; 05_metrics q1/q2 and 10_final_assessment q4/q5 are email metrics
RESULTS = {
    "ana": {"05_metrics": [("q1", 2, 2), ("q2", 2, 2)], "10_final_assessment": [("q4", 3, 3), ("q5", 3, 3)]},
    "bo": {"05_metrics": [("q1", 2, 0), ("q2", 2, 1.5)], "10_final_assessment": [("q4", 3, 3), ("q5", 3, 0)]},
    "cy": {"05_metrics": [("q1", 2, 2), ("q2", 2, 2)]},
}
PEOPLE = {"ana": ("Ana Maria Pop", "ana@example.org"), "bo": ('Bo "Bobby" Li, Jr.', "bo@example.org"), "cy": ("", "")}


def make_gradebook(path: Path) -> Path:
    """Write the gradebook: Ana gets everything right (on two data sets: she masters email metrics), Bo does not,
    Cy (no name, no email) did one lesson; Bo's capstone gets a manual point and waits for a review."""
    with Gradebook(path) as book:
        for trainee, (name, email) in PEOPLE.items():
            book.add_trainee(trainee, name=name, email=email)
        book.enrol("ana", role="data_analyst", start=date(2026, 3, 2), name=PEOPLE["ana"][0], email=PEOPLE["ana"][1])
        for trainee, assignments in RESULTS.items():
            for number, (assignment, rows) in enumerate(assignments.items()):
                checks = [
                    CheckRow(e, "check", float(p), float(got), got == p, False, True, trainee == "bo" and e == "q5")
                    for e, p, got in rows
                ]
                status = "needs_review" if any(c.needs_review for c in checks) else "graded"
                graded = GradedSubmission(
                    trainee,
                    assignment,
                    f"{trainee}-{assignment}",
                    "x",
                    WHEN + timedelta(days=7 * number),
                    status,
                    checks,
                    title=assignment,
                )
                if assignment == "10_final_assessment":
                    graded.variant_seed, graded.attempt = 4242, 1
                book.record(graded)
        book.adjust(trainee="bo", assignment="10_final_assessment", delta=1, reason="partly right", author="lead")
    return path
