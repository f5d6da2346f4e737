"""Builders for grading tests: a small source lesson, and trainee submissions made from its released copy."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mopskit.assess import ANSWER_MIME, release_notebook
from mopskit.assess._sandbox import sandbox_problem

LESSON = "90_probe"
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

needs_sandbox = pytest.mark.skipif(
    bool(sandbox_problem()) and not os.environ.get("CI"),
    reason=f"no sandbox here: {sandbox_problem()} (CI installs bubblewrap and runs these)",
)

_CELLS = [
    ("md", "# 90 · A probe lesson for grading tests"),
    ("code", f"from mopskit import check, start_lesson\n\nstart_lesson({LESSON!r})"),
    ("code", "from mopskit.data import load\n\nsurvey = load('mops_tasks_survey')"),
    ("code", "q1 = len(survey)  # SOLUTION"),
    ("code", "from mopskit.ui import number\n\nnumber('q1', title='Rows in the survey')"),
    (
        "code",
        "# CHECKS q1\nfrom mopskit.assess import exercise\n\n\n"
        "@exercise('q1', title='Rows in the survey').check(points=1, hint='Count the rows of the table.')\n"
        "def is_a_number(answer):\n    return isinstance(answer, int | float) and not isinstance(answer, bool)\n",
    ),
    (
        "code",
        "# HIDDEN CHECKS q1\nfrom mopskit.assess import exercise\nfrom mopskit.data import load\n\n\n"
        "@exercise('q1').check(points=2, hidden=True, failure='Not the number of rows.', hint='Use len(survey).')\n"
        "def is_the_row_count(answer):\n    return answer == len(load('mops_tasks_survey'))\n\n\n"
        "@exercise('q1').solution\ndef rows():\n    return len(load('mops_tasks_survey'))\n",
    ),
    ("code", "q2 = 'marketing operations'  # SOLUTION"),
    ("code", "from mopskit.ui import text\n\ntext('q2', title='What MOps stands for')"),
    (
        "code",
        "# CHECKS q2\nfrom mopskit.assess import exercise\n\n\n"
        "@exercise('q2', title='What MOps stands for').check(points=1, hint='Two words: M... O...')\n"
        "def spells_it_out(answer):\n    return str(answer).strip().lower() == 'marketing operations'\n",
    ),
    (
        "code",
        "# HIDDEN CHECKS q2\nfrom mopskit.assess import exercise\n\n\n"
        "@exercise('q2').solution\ndef words():\n    return 'marketing operations'\n",
    ),
    ("code", "check('q1')"),
]


def make_source(folder: Path, *, table: str = "mops_tasks_survey") -> Path:
    """Write the probe lesson (instructor source, with solutions and hidden checks) into ``folder``.

    Its first exercise is the number of rows of ``table``: pick a generated table to make it differ by variant.
    """
    cells = [
        new_markdown_cell(s) if kind == "md" else new_code_cell(s.replace("mops_tasks_survey", table))
        for kind, s in _CELLS
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{LESSON}.ipynb"
    nbformat.write(nb, str(path))
    return path


def released(source: Path, folder: Path) -> Path:
    """The trainee copy of the probe lesson."""
    target = folder / "released" / source.name
    release_notebook(source, target)
    return target


def submission(
    released_copy: Path,
    out: Path,
    *,
    q1: str | None = None,
    q2: str | None = None,
    before: list[str] = (),
    between: list[str] = (),
    after: list[str] = (),
    carried: dict | None = None,
) -> Path:
    """A trainee's submission: the released copy with answers typed in and extra cells placed around them.

    ``before`` cells run before q1's cell, ``between`` after q1's and before q2's, ``after`` at the end;
    ``carried`` puts saved widget answers into the notebook's outputs, as JupyterLab saves them.
    """
    nb = nbformat.read(str(released_copy), as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("q1 = "):
            cells += [new_code_cell(c) for c in before]
            if q1 is not None:
                cell.source = f"q1 = {q1}"
        if cell.cell_type == "code" and cell.source.startswith("q2 = "):
            cells += [new_code_cell(c) for c in between]
            if q2 is not None:
                cell.source = f"q2 = {q2}"
        for exercise_id, answer in (carried or {}).items():
            if cell.cell_type == "code" and f"('{exercise_id}'," in cell.source and "ui import" in cell.source:
                bundle = {ANSWER_MIME: {"exercise": exercise_id, "answer": answer}, "text/plain": ""}
                cell.outputs = [new_output("display_data", data=bundle)]
        cells.append(cell)
    cells += [new_code_cell(c) for c in after]
    nb.cells = cells
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out))
    return out


def unprivileged(command: list[str], *, home: Path) -> list[str] | None:
    """``command`` run as an unprivileged user (``nobody``), as a grader that is not root would run.

    Where the tests run as another user already, that is the command itself. As root it needs ``unshare`` and
    ``setpriv`` (util-linux); a folder ``nobody`` cannot enter on the way to Python or the kit (``/root`` for a
    Python installed there) is replaced, in a mount namespace of the command's own, by an open one that holds
    only what is needed. Returns None where none of this is possible.
    """
    import shlex
    import shutil
    import sys

    if os.geteuid() != 0:
        return command
    if not (shutil.which("unshare") and shutil.which("setpriv")):
        return None
    needed = [Path(sys.base_prefix), Path(sys.prefix), Path(__file__).resolve().parent.parent]
    blocked: dict[Path, set[str]] = {}
    for path in needed:
        for parent in [*reversed(path.resolve().parents), path.resolve()][1:]:
            if not parent.stat().st_mode & 0o001:
                child = path.resolve().relative_to(parent).parts[0]
                blocked.setdefault(parent, set()).add(child)
                break
    steps = []
    for number, (folder, children) in enumerate(sorted(blocked.items())):
        staged = [(child, home / f".staged-{number}-{child}") for child in sorted(children)]
        for child, spot in staged:
            spot.mkdir(parents=True, exist_ok=True)
            steps.append(f"mount --bind {shlex.quote(str(folder / child))} {shlex.quote(str(spot))}")
        steps.append(f"mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(str(folder))}")
        for child, spot in staged:
            steps.append(f"mkdir -p {shlex.quote(str(folder / child))}")
            steps.append(f"mount --move {shlex.quote(str(spot))} {shlex.quote(str(folder / child))}")
    steps.append('exec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$0" "$@"')
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", " && ".join(steps), str(home), *command]
