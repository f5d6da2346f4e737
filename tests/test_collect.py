"""Finding submissions and reading them without trusting them."""

from __future__ import annotations

import pytest
from nbformat import write
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mopskit.assess import ANSWER_MIME
from mopskit.assess._collect import find_sources, find_submissions, read_submission
from mopskit.errors import GradingError

FINAL = "10_final_assessment"
ASSIGNMENTS = [FINAL, "05_metrics"]


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    write(new_notebook(cells=[new_code_cell("q1 = 1")]), str(path))
    return path


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (
            ["ana/10_final_assessment.ipynb", "bob/05_metrics.ipynb"],
            {("ana", "10_final_assessment"), ("bob", "05_metrics")},
        ),
        (
            ["ana__10_final_assessment.ipynb", "05_metrics-bob.ipynb"],
            {("ana", "10_final_assessment"), ("bob", "05_metrics")},
        ),
        (["ana.pop_10_final_assessment.ipynb"], {("ana.pop", "10_final_assessment")}),
        (
            ["ana/.ipynb_checkpoints/10_final_assessment-checkpoint.ipynb", "ana/10_final_assessment.ipynb"],
            {("ana", "10_final_assessment")},
        ),
    ],
)
def test_folders_per_trainee_and_files_named_by_trainee(tmp_path, layout, expected):
    for name in layout:
        _touch(tmp_path / name)
    found = find_submissions([tmp_path], assignments=ASSIGNMENTS)
    assert {(f.trainee, f.assignment) for f in found.found} == expected


def test_one_trainee_folder_and_single_assignment_names(tmp_path):
    _touch(tmp_path / "cohort" / "ana" / "10_final_assessment.ipynb")
    found = find_submissions([tmp_path / "cohort" / "ana"], assignments=ASSIGNMENTS)
    assert [(f.trainee, f.assignment) for f in found.found] == [("ana", "10_final_assessment")]
    _touch(tmp_path / "flat" / "ana.ipynb")
    found = find_submissions([tmp_path / "flat"], assignments=["10_final_assessment"])
    assert [(f.trainee, f.assignment) for f in found.found] == [("ana", "10_final_assessment")]


def test_what_cannot_be_placed_is_skipped_with_the_reason(tmp_path):
    _touch(tmp_path / "ana" / "notes.ipynb")
    _touch(tmp_path / "ana" / "10_final_assessment.ipynb")
    _touch(tmp_path / "bad name!" / "10_final_assessment.ipynb")
    found = find_submissions([tmp_path / "ana", tmp_path, tmp_path / "missing.ipynb"], assignments=ASSIGNMENTS)
    assert [(f.trainee, f.assignment) for f in found.found] == [("ana", FINAL)]
    reasons = {p.parent.name + "/" + p.name: why for p, why in found.skipped}
    assert "matches no assignment" in reasons["ana/notes.ipynb"]
    assert "not usable as a trainee id" in reasons["bad name!/10_final_assessment.ipynb"]
    assert reasons[f"{tmp_path.name}/missing.ipynb"] == "not a notebook or a folder"


def test_sources_from_a_folder_or_a_notebook(tmp_path):
    _touch(tmp_path / "10_final_assessment.ipynb")
    _touch(tmp_path / "scratch.ipynb")
    assert list(find_sources(tmp_path)) == ["10_final_assessment"]
    assert list(find_sources(tmp_path / "scratch.ipynb")) == ["scratch"]
    with pytest.raises(GradingError, match="holds no notebooks"):
        find_sources(tmp_path / "10_final_assessment.ipynb").clear() or find_sources(_empty(tmp_path))


def _empty(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{ not json", "not a readable notebook"), (b'{"cells": 5, "nbformat": 4}', "not a readable notebook")],
)
def test_broken_submissions_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(GradingError, match=message):
        read_submission(path)


def test_oversized_submission_is_refused(tmp_path, monkeypatch):
    import mopskit.assess._collect as collect

    monkeypatch.setattr(collect, "MAX_NOTEBOOK_BYTES", 100)
    path = _touch(tmp_path / "x.ipynb")
    with pytest.raises(GradingError, match="over the"):
        read_submission(path)


def test_carried_answers_are_read_defensively(tmp_path):
    cell = new_code_cell("choice('q2')")
    cell.outputs = [
        new_output("display_data", data={ANSWER_MIME: {"exercise": "q2", "answer": "b"}}),
        new_output("display_data", data={ANSWER_MIME: ["not", "a", "bundle"]}),
        new_output("display_data", data={ANSWER_MIME: {"exercise": 5, "answer": "x"}}),
        new_output("display_data", data={ANSWER_MIME: {"exercise": "q3", "answer": None}}),
    ]
    path = tmp_path / "x.ipynb"
    write(new_notebook(cells=[cell]), str(path))
    _nb, carried = read_submission(path)
    assert carried == {"q2": "b"}


def test_own_code_counts_the_code_in_cells_a_trainee_added_only(tmp_path):
    from nbformat.v4 import new_markdown_cell

    from mopskit.assess._collect import own_code

    lesson = new_notebook(cells=[new_markdown_cell("# Lesson"), new_code_cell("q1 = None  # your answer")])
    source = tmp_path / "source.ipynb"
    write(lesson, str(source))
    answered = new_notebook(cells=[lesson.cells[0], new_code_cell("q1 = 42", id=lesson.cells[1].id)])
    write(answered, str(tmp_path / "answered.ipynb"))
    assert own_code(tmp_path / "answered.ipynb", source) == 0  # the lesson's own cell, answered

    added = new_notebook(cells=[*answered.cells, new_code_cell("while True:\n    pass")])
    write(added, str(tmp_path / "added.ipynb"))
    assert own_code(tmp_path / "added.ipynb", source) == len("while True:\n    pass")

    no_ids = {
        "cells": [
            {"cell_type": "code", "source": ["q1 = None", "  # your answer"]},
            {"cell_type": "code", "source": "print('mine')"},
        ]
    }
    (tmp_path / "old.ipynb").write_text(__import__("json").dumps(no_ids))
    assert own_code(tmp_path / "old.ipynb", source) == len("print('mine')")  # matched by text without ids

    (tmp_path / "broken.ipynb").write_text("{ not json")
    assert own_code(tmp_path / "broken.ipynb", source) == 0
    assert own_code(tmp_path / "missing.ipynb", source) == 0
