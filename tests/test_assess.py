import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mopskit.assess import (
    answer_key,
    answers_in_notebook,
    check,
    exercise,
    grade_answers,
    load_checks,
    read_answers,
    release_notebook,
    save_answer,
    start_lesson,
)
from mopskit.assess._answers import from_jsonable, to_jsonable
from mopskit.errors import ExerciseError, ReleaseError


def _exercise_with_checks():
    ex = exercise("q1", title="Sum")

    @ex.check(points=1, failure="Give a number.")
    def is_a_number(answer):
        return isinstance(answer, int)

    @ex.check(points=2, failure="Not the total.", hint="Add them up.")
    def is_the_total(answer):
        assert answer == 6, "The total of 1, 2 and 3 is not that."

    @ex.check(points=3, hidden=True)
    def hidden_one(answer):
        return answer == 6

    return ex


@pytest.mark.parametrize(
    ("answer", "status", "earned"),
    [(None, "unanswered", 0), (..., "unanswered", 0), (6, "correct", 3), (5, "partial", 1), ("6", "wrong", 0)],
)
def test_public_verdicts(answer, status, earned):
    verdict = _exercise_with_checks().run(answer=answer)
    assert verdict.status == status
    assert verdict.earned == earned
    assert all(not r.hidden for r in verdict.results)


def test_verdict_is_honest_about_hidden_checks_and_shows_no_code():
    verdict = _exercise_with_checks().run(answer=6)
    text = str(verdict)
    assert "Public checks passed (3/3 points); 1 more check runs when graded." in text
    assert "all tests passed" not in text.lower()
    assert "def " not in text and "assert" not in verdict._repr_html_()


def test_failure_gives_message_and_hint_not_a_traceback():
    verdict = _exercise_with_checks().run(answer=5)
    assert "✗ The total of 1, 2 and 3 is not that." in str(verdict)
    assert "Hint: Add them up." in str(verdict)
    ex = exercise("q9")

    @ex.check()
    def breaks(answer):
        return answer + 1 > 0

    result = ex.run(answer="text")
    assert result.status == "wrong"
    assert "could not run on your answer (TypeError" in result.results[0].message
    assert "Traceback" not in str(result)


def test_grading_runs_hidden_checks_with_points_per_check():
    ex = _exercise_with_checks()
    [verdict] = grade_answers({"q1": ex}, {"q1": 6})
    assert [r.earned for r in verdict.results] == [1, 2, 3]
    assert verdict.hidden_pending == 0
    [missing] = grade_answers({"q1": ex}, {})
    assert missing.status == "unanswered" and missing.earned == 0


def test_check_reads_the_variable_named_like_the_exercise(monkeypatch):
    import __main__

    _exercise_with_checks()
    monkeypatch.setattr(__main__, "q1", 6, raising=False)
    assert check("q1").status == "correct"
    with pytest.raises(ExerciseError, match=r"no exercise 'q2' in this notebook .defined so far: q1"):
        check("q2")


def test_rerunning_a_check_cell_replaces_rather_than_duplicates():
    _exercise_with_checks()
    ex = _exercise_with_checks()
    assert len(ex.checks) == 3


def test_answers_round_trip_through_file_and_json():
    import pandas as pd

    start_lesson("lesson_x")
    save_answer("q1", ("a", "b"))
    save_answer("q2", pd.DataFrame({"x": [1, 2]}))
    saved = read_answers("lesson_x")
    assert saved["q1"] == ["a", "b"]
    assert from_jsonable(saved["q2"]).equals(pd.DataFrame({"x": [1, 2]}))
    assert to_jsonable(float("nan")) is None


def test_unreadable_answer_file_counts_as_none_and_is_kept(tmp_path, monkeypatch):
    start_lesson("broken")
    path = tmp_path / ".mopskit" / "broken.answers.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert read_answers() == {}
    assert path.read_text() == "{not json"


@pytest.mark.parametrize("bad", ["", "../x", "a/b"])
def test_lesson_id_must_be_plain(bad):
    with pytest.raises(ExerciseError, match="must be a plain name"):
        start_lesson(bad)


def _source_notebook(tmp_path, cells):
    nb = new_notebook(cells=cells)
    path = tmp_path / "src.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_release_strips_solutions_and_hidden_checks(tmp_path):
    src = _source_notebook(
        tmp_path,
        [
            new_markdown_cell("Q: what?\n<!-- BEGIN SOLUTION -->secret reasoning<!-- END SOLUTION -->"),
            new_code_cell("q1 = 40 + 2  # SOLUTION"),
            new_code_cell("def f():\n    # BEGIN SOLUTION\n    return 'secret'\n    # END SOLUTION"),
            new_code_cell(
                "# CHECKS q1\nfrom mopskit.assess import exercise\n"
                "@exercise('q1').check()\ndef ok(a):\n    return a > 0"
            ),
            new_code_cell(
                "# HIDDEN CHECKS q1\nfrom mopskit.assess import exercise\n"
                "@exercise('q1').check(hidden=True)\ndef a(x):\n    return x == 42\n"
                "@exercise('q1').check(hidden=True, points=2)\ndef b(x):\n    return x > 41"
            ),
        ],
    )
    summary = release_notebook(src, tmp_path / "out" / "released.ipynb")
    text = (tmp_path / "out" / "released.ipynb").read_text()
    for secret in ("secret", "40 + 2", "x == 42", "SOLUTION", "HIDDEN"):
        assert secret not in text
    assert summary.hidden_checks == {"q1": 2}
    assert summary.solutions_removed == 3
    nb = json.loads(text)
    assert "q1 = ...  # ✏️ your answer here" in "".join(nb["cells"][1]["source"])
    assert nb["cells"][3]["metadata"]["jupyter"]["source_hidden"] is True
    assert "exercise('q1', hidden_checks=2)" in "".join(nb["cells"][4]["source"])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("# BEGIN SOLUTION\nx = 1", "never closed"),
        ("x = 1\n# END SOLUTION", "without a '# BEGIN SOLUTION'"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "inside another"),
    ],
)
def test_release_rejects_broken_markers(tmp_path, source, message):
    src = _source_notebook(tmp_path, [new_code_cell(source)])
    with pytest.raises(ReleaseError, match=message):
        release_notebook(src, tmp_path / "out.ipynb")


def test_load_checks_reads_public_and_hidden_checks_from_the_source(root):
    exercises = load_checks(root / "notebooks" / "00_start_here.ipynb")
    assert set(exercises) == {"q1", "q2"}
    assert sum(c.hidden for c in exercises["q1"].checks.values()) == 1
    verdicts = {
        v.exercise_id: v
        for v in grade_answers(exercises, {"q1": 8, "q2": "Train and support marketing staff on martech products"})
    }
    assert verdicts["q1"].earned == 4
    assert verdicts["q2"].earned == 0


def test_answers_in_notebook_reads_the_last_saved_bundle():
    nb = new_notebook(cells=[new_code_cell("x")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.mopskit.answer+json": {"exercise": "q2", "answer": "A"}}
        ),
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.mopskit.answer+json": {"exercise": "q2", "answer": "B"}}
        ),
    ]
    assert answers_in_notebook(nb) == {"q2": "B"}


def test_release_refuses_a_hidden_cell_check_not_marked_hidden(tmp_path):
    src = _source_notebook(
        tmp_path,
        [new_code_cell("# HIDDEN CHECKS q1\n@exercise('q1').check(points=2)\ndef leaks(a):\n    return a == 1")],
    )
    with pytest.raises(ReleaseError, match="check 'leaks' is in a HIDDEN CHECKS cell but lacks hidden=True"):
        release_notebook(src, tmp_path / "out.ipynb")


@pytest.mark.parametrize(
    ("outcome", "earned", "passed"),
    [
        (True, 2.0, True),
        (False, 0.0, False),
        (None, 2.0, True),
        (0.5, 1.0, False),
        (1.0, 2.0, True),
        (-3, 0.0, False),
        (float("nan"), 0.0, False),
    ],
)
def test_a_check_earns_its_points_all_or_nothing_or_in_part(outcome, earned, passed):
    result = exercise("p").check(points=2)(lambda answer: outcome) and exercise("p").checks["<lambda>"].run(1)
    assert (result.earned, result.passed) == (earned, passed)


def test_numpy_false_fails_a_check():
    import numpy as np

    ex = exercise("np_bool")
    ex.check(name="equal")(lambda answer: np.int64(answer) == np.int64(3))
    assert ex.run(answer=4).status == "wrong"
    assert ex.run(answer=3).status == "correct"


def test_answer_key_comes_from_solution_functions_kept_in_hidden_cells(tmp_path):
    src = _source_notebook(
        tmp_path,
        [
            new_code_cell(
                "# CHECKS q1\nfrom mopskit.assess import exercise\n\n@exercise('q1').check(hint='Add.')\n"
                "def is_int(answer):\n    return isinstance(answer, int)"
            ),
            new_code_cell(
                "# HIDDEN CHECKS q1\nfrom mopskit.assess import exercise\n\n"
                "@exercise('q1').solution\ndef expected():\n    return sum([1, 2, 3])"
            ),
            new_code_cell(
                "# CHECKS q2\nfrom mopskit.assess import exercise\n\n@exercise('q2').check()\n"
                "def anything(answer):\n    return True"
            ),
        ],
    )
    with pytest.raises(ExerciseError, match=r"exercise 'q2' has no answer key; add '@exercise\('q2'\).solution'"):
        answer_key(src)
    assert load_checks(src)["q1"].expected() == 6
    released = tmp_path / "released.ipynb"
    summary = release_notebook(src, released)
    assert summary.hidden_checks == {"q1": 0}
    assert "solution" not in released.read_text() and "sum([1, 2, 3])" not in released.read_text()


def test_a_check_can_return_a_review_with_a_share_of_points_and_its_reason():
    from types import SimpleNamespace

    ex = exercise("plan")

    @ex.check(points=3, hint="Give every stakeholder an SLA.")
    def stakeholders(answer):
        return SimpleNamespace(score=answer, reason=f"{answer:.0%} of the stakeholders have an SLA.")

    part = ex.run(answer=2 / 3)
    assert (part.status, part.earned) == ("partial", 2.0)
    assert "67% of the stakeholders have an SLA. (partly right: 67%" in str(part)
    assert "Give every stakeholder an SLA." in str(part)
    full = ex.run(answer=1.0)
    assert full.status == "correct" and "100% of the stakeholders have an SLA." in str(full)


def test_notebook_cells_reads_the_current_format_as_json_and_converts_older_ones(tmp_path):
    import json

    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from mopskit.assess._answer_key import notebook_cells

    path = tmp_path / "now.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Title"), new_code_cell("x = 1\ny = 2")]), str(path))
    assert notebook_cells(path) == [("markdown", "# Title"), ("code", "x = 1\ny = 2")]
    raw = json.loads(path.read_text())
    raw["cells"][1]["source"] = ["x = 1\n", "y = 2"]  # sources saved as lists of lines, as JupyterLab does
    path.write_text(json.dumps(raw))
    assert notebook_cells(path)[1] == ("code", "x = 1\ny = 2")
    old = tmp_path / "v3.ipynb"
    old.write_text(
        json.dumps(
            {
                "nbformat": 3,
                "nbformat_minor": 0,
                "metadata": {},
                "worksheets": [
                    {"cells": [{"cell_type": "code", "input": "z = 3", "language": "python", "outputs": []}]}
                ],
            }
        )
    )
    assert notebook_cells(old) == [("code", "z = 3")]
