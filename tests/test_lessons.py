"""Released lessons run top to bottom in a real kernel, and widget answers survive a kernel restart."""

import shutil

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from mopskit.assess import ANSWER_MIME, answers_in_notebook, release

pytestmark = pytest.mark.slow


def _run(nb, cwd, extra=()):
    """Execute every cell, then the extra code cells, in one fresh kernel; return the extra cells' outputs."""
    cells = [new_code_cell(code) for code in extra]
    nb.cells.extend(cells)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(cwd)}}, shutdown_kernel="immediate").execute()
    return ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream") for c in cells]


@pytest.fixture
def released(root, tmp_path, monkeypatch):
    monkeypatch.delenv("MOPSKIT_ANSWERS_DIR")
    out = tmp_path / "trainee"
    release(source_dir=root / "notebooks", out_dir=out)
    return out


def test_released_lessons_run_top_to_bottom_unanswered(released):
    lessons = sorted(released.glob("*.ipynb"))
    assert lessons
    for path in lessons:
        nb = nbformat.read(str(path), as_version=4)
        [verdicts] = _run(
            nb,
            released,
            [
                "from mopskit.assess._exercise import defined_exercises\n"
                "print({k: e.run().status for k, e in defined_exercises().items()})"
            ],
        )
        assert "correct" not in verdicts and "unanswered" in verdicts, path.name


def test_widget_answer_survives_restart_and_travels_with_the_notebook(released, tmp_path):
    path = released / "00_start_here.ipynb"
    probe = (
        "from mopskit.ui import widget_for\nfrom mopskit import check\n"
        "print(repr(widget_for('q2').value), check('q2').status)"
    )
    answer = "Design, run and optimize/test marketing campaigns"

    # session 1: the trainee runs everything, then picks an answer in the widget
    first = nbformat.read(str(path), as_version=4)
    [before, after] = _run(first, released, [probe, f"widget_for('q2').value = {answer!r}\n" + probe])
    assert before.strip() == "None unanswered"
    assert after.strip() == f"{answer!r} correct"
    assert answers_in_notebook(first) == {"q2": answer}, "the answer is saved inside the notebook's outputs"
    nbformat.write(first, str(path))  # what JupyterLab saves

    # session 2: kernel restarted, all cells run again: the widget is back with the answer, and checked
    second = nbformat.read(str(path), as_version=4)
    [restored] = _run(second, released, [probe])
    assert restored.strip() == f"{answer!r} correct"

    # handed in: a grader with only the .ipynb (no answer file) still finds the answer in it
    handed_in = tmp_path / "handed_in"
    handed_in.mkdir()
    shutil.copy(path, handed_in / path.name)
    carried = answers_in_notebook(handed_in / path.name)
    assert carried == {"q2": answer}
    bundles = [o for c in second.cells for o in c.get("outputs", []) if ANSWER_MIME in o.get("data", {})]
    assert bundles and bundles[0]["data"][ANSWER_MIME]["answer"] == answer
