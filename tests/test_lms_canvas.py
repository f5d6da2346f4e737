"""Canvas's gradebook import CSV: the shape written, and the importer's rules checked on it and on broken files."""

from __future__ import annotations

import csv
import io

import pytest
from lms_helpers import make_gradebook

from mopskit.assess import Gradebook
from mopskit.lms import canvas_csv, check_canvas_csv


@pytest.fixture
def gradebook(tmp_path):
    return make_gradebook(tmp_path / "gb.sqlite")


def test_the_file_has_canvas_s_columns_a_points_possible_row_and_every_graded_trainee(gradebook, tmp_path):
    text = canvas_csv(gradebook, out=tmp_path / "canvas.csv", section="Spring hires")
    assert (tmp_path / "canvas.csv").read_text(encoding="utf-8") == text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "05_metrics", "10_final_assessment"]
    assert rows[1] == ["Points Possible", "", "", "", "", "4", "6"]
    by_id = {r[2]: r for r in rows[2:]}
    assert by_id["ana"] == ["Ana Maria Pop", "", "ana", "ana@example.org", "Spring hires", "4", "6"]
    assert by_id["bo"][0] == 'Bo "Bobby" Li, Jr.', "quotes and commas survive"
    assert by_id["bo"][5:] == ["1.5", "4"], "the manual point on the capstone counts"
    assert by_id["cy"][:4] == ["cy", "", "cy", "cy"], "no name or email: the id everywhere"
    assert by_id["cy"][6] == "", "no submission: an empty cell, no grade"
    assert check_canvas_csv(text) == []


def test_the_totals_are_the_gradebooks(gradebook):
    rows = list(csv.reader(io.StringIO(canvas_csv(gradebook))))
    header = rows[0]
    with Gradebook(gradebook) as book:
        scores = book.scores()
    for _, score in scores.iterrows():
        row = next(r for r in rows[2:] if r[2] == score["trainee"])
        assert float(row[header.index(score["assignment"])]) == score["total"]


GOOD = "Student,ID,SIS User ID,SIS Login ID,Section,Lesson 5\nPoints Possible,,,,,10\nAna,,ana,ana@x.org,,7.5\n"


@pytest.mark.parametrize(
    "text, problem",
    [
        (GOOD.replace("Student,ID", "Name,Email"), "the header must start with 'Student' then 'ID'"),
        (GOOD.replace(",Section,", ",Group,"), "column 5 must be 'Section'"),
        (GOOD.replace("Lesson 5", "Final Grade 5"), "would be read as Canvas's read-only 'Final Grade'"),
        (GOOD.replace("Points Possible,,,,,10\n", ""), "no 'Points Possible' row"),
        (GOOD.replace(",,,,,10", ",,,,,ten"), "points possible of 'Lesson 5' must be a number"),
        (GOOD.replace("7.5", "seven"), "row 3: the grade for 'Lesson 5' must be a number, empty or EX"),
        (GOOD.replace("Ana,,ana,ana@x.org,,", ",,,,,"), "row 3: no student name, ID, SIS User ID or SIS Login ID"),
        (GOOD + "Bo,,bo\n", "row 4: 3 cells, the header has 6"),
        (
            GOOD.replace("Lesson 5", "Lesson 5,Lesson 5").replace(",10", ",10,10").replace(",7.5", ",7.5,1"),
            "the assignment 'Lesson 5' is named twice",
        ),
    ],
)
def test_the_check_catches_what_canvas_would_refuse_or_misread(text, problem):
    assert check_canvas_csv(GOOD) == []
    assert any(problem in p for p in check_canvas_csv(text)), check_canvas_csv(text)


def test_what_canvas_also_reads_passes_the_check():
    semicolons = GOOD.replace(",", ";").replace("7.5", "7,5")  # a European Excel's file: Canvas detects both
    assert check_canvas_csv(semicolons) == []
    assert check_canvas_csv(GOOD.replace("7.5", "EX")) == [] and check_canvas_csv(GOOD.replace("7.5", "")) == []
    only_login = "Student,ID,SIS Login ID,Section,Lesson 5\nPoints Possible,,,,10\nAna,,ana@x.org,,7\n"
    assert check_canvas_csv(only_login) == []
