"""Grades out: one entry for every platform's format, from the command line too."""

from __future__ import annotations

import csv
import io
import json

import pytest
from lms_helpers import make_gradebook

from mopskit.cli import main
from mopskit.errors import GradingError
from mopskit.lms import FORMATS, check_canvas_csv, check_moodle_csv, export_grades


@pytest.fixture
def gradebook(tmp_path):
    return make_gradebook(tmp_path / "gb.sqlite")


def test_every_format_from_one_function(gradebook):
    assert check_canvas_csv(export_grades(db=gradebook, fmt="canvas")) == []
    assert (
        check_moodle_csv(export_grades(db=gradebook, fmt="moodle", identifier="idnumber"), identifier="idnumber") == []
    )
    plain = list(csv.DictReader(io.StringIO(export_grades(db=gradebook))))
    assert {r["trainee"]: r["05_metrics"] for r in plain} == {"ana": "4", "bo": "1.5", "cy": "4"}
    made = json.loads(export_grades(db=gradebook, fmt="xapi", as_of="2026-03-20"))
    assert len(made) == 16 and {s["verb"]["display"]["en-US"] for s in made} == {
        "completed",
        "scored",
        "passed",
        "failed",
        "mastered",
    }
    with pytest.raises(GradingError, match="unknown export format 'pdf'; valid: csv, canvas, moodle, xapi"):
        export_grades(db=gradebook, fmt="pdf")
    assert FORMATS == ("csv", "canvas", "moodle", "xapi")


@pytest.mark.parametrize("fmt", ["canvas", "moodle", "xapi", "csv"])
def test_the_command_writes_each_format(gradebook, tmp_path, capsys, fmt):
    out = tmp_path / f"grades.{fmt}"
    extra = ["--identifier", "idnumber"] if fmt == "moodle" else []
    assert main(["grades", "export", "--format", fmt, "--db", str(gradebook), "--out", str(out), *extra]) == 0
    assert f"grades written to {out}" in capsys.readouterr().out
    assert out.stat().st_size > 100


def test_the_command_says_what_a_format_cannot_carry(gradebook, capsys):
    assert main(["grades", "export", "--format", "moodle", "--db", str(gradebook)]) == 1
    assert "no email address for cy" in capsys.readouterr().err
    assert main(["grades", "export", "--format", "canvas", "--db", str(gradebook), "--section", "S1"]) == 0
    assert ",S1," in capsys.readouterr().out
