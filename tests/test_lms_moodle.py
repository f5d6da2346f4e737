"""Moodle's grade import CSV: the shape written, and the importer's rules checked on it and on broken files."""

from __future__ import annotations

import csv
import io

import pytest
from lms_helpers import make_gradebook

from mopskit.errors import GradingError
from mopskit.lms import check_moodle_csv, grade_table, moodle_csv


@pytest.fixture
def gradebook(tmp_path):
    return make_gradebook(tmp_path / "gb.sqlite")


def test_users_by_id_number_a_grade_and_feedback_per_assignment(gradebook):
    text = moodle_csv(gradebook, identifier="idnumber")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "First name",
        "Last name",
        "ID number",
        "Email address",
        "05_metrics",
        "Feedback for 05_metrics",
        "10_final_assessment",
        "Feedback for 10_final_assessment",
    ]
    by = {r["ID number"]: r for r in rows}
    assert (by["ana"]["First name"], by["ana"]["Last name"]) == ("Ana Maria", "Pop")
    assert by["bo"]["05_metrics"] == "1.5"
    assert by["bo"]["Feedback for 05_metrics"] == "1.5 of 4 points (38%). To go over: q1, q2."
    assert by["bo"]["Feedback for 10_final_assessment"] == (
        "4 of 6 points (67%). To go over: q5. Free-text answers still to be read by an instructor."
    )
    assert by["cy"]["10_final_assessment"] == "-", "no submission: no grade"
    assert check_moodle_csv(text, identifier="idnumber") == []


def test_by_email_every_user_needs_one_or_the_file_is_refused(gradebook, tmp_path):
    with pytest.raises(GradingError, match="no email address for cy: Moodle would stop the whole import"):
        moodle_csv(gradebook)
    table = grade_table(gradebook)
    table.trainees = table.trainees[table.trainees["trainee"] != "cy"]
    table.grades = table.grades[table.grades["trainee"] != "cy"]
    text = moodle_csv(table, out=tmp_path / "moodle.csv")
    assert check_moodle_csv(text, identifier="email") == []
    assert "ana@example.org" in (tmp_path / "moodle.csv").read_text(encoding="utf-8")
    assert check_moodle_csv(moodle_csv(gradebook, identifier="username"), identifier="username") == []


def test_an_assignment_worth_more_than_moodle_s_largest_grade_is_refused(gradebook):
    table = grade_table(gradebook)
    table.possible["05_metrics"] = 120.0
    with pytest.raises(GradingError, match="worth more than 100 points, Moodle's largest grade"):
        moodle_csv(table, identifier="idnumber")
    with pytest.raises(GradingError, match="unknown identifier 'phone'; valid: email, idnumber, username"):
        moodle_csv(gradebook, identifier="phone")


GOOD = "Email address,Lesson 5,Feedback for Lesson 5\nana@x.org,7.5,Good\nbo@x.org,-,\n"


@pytest.mark.parametrize(
    "text, problem",
    [
        (GOOD.replace("Email address", "Mail"), "no 'Email address' column to find users by"),
        (GOOD.replace("ana@x.org", ""), "row 2: no Email address: Moodle stops the whole import"),
        (GOOD.replace("7.5", "seven"), "row 2: the grade for 'Lesson 5' must be a number, '-' or empty"),
        (GOOD.replace("7.5", "140"), "row 2: the grade for 'Lesson 5' is over 100"),
        (GOOD.replace("bo@x.org", "ana@x.org"), "rows 2 and 3: the same Email address 'ana@x.org' twice"),
        (GOOD.replace("Feedback for Lesson 5", "Feedback for Lesson 6"), "'Feedback for Lesson 6' is the feedback"),
        (GOOD + "cy@x.org,1\n", "row 4: 2 cells, the header has 3"),
    ],
)
def test_the_check_catches_what_moodle_would_refuse(text, problem):
    assert check_moodle_csv(GOOD) == []
    assert any(problem in p for p in check_moodle_csv(text)), check_moodle_csv(text)


def test_what_moodle_also_reads_passes_the_check():
    assert check_moodle_csv(GOOD.replace("7.5", '"7,5"').replace(",Good", ',"Good, clear"')) == []
    assert check_moodle_csv(GOOD.replace("7.5", "140"), max_grade=200) == []
