"""Finding submissions, telling whose and which assignment each is, and reading them without trusting them.

Submissions come as a folder per trainee (``submissions/ana/10_final_assessment.ipynb``) or as files named by
trainee (``submissions/ana__10_final_assessment.ipynb``, ``10_final_assessment-ana.ipynb``, or ``ana.ipynb``
when only one assignment is graded). Each is known by the SHA-256 of its bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GradingError
from ._answers import ANSWER_MIME

__all__ = ["Found", "find_sources", "find_submissions", "merge_answers", "own_code", "read_submission"]

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
_SEPARATORS = ("__", "--", "_", "-", ".", " ")
_TRAINEE_ID = re.compile(r"^[\w.@+-][\w .@+-]{0,199}$")


@dataclass(frozen=True)
class Found:
    """One submitted notebook: whose, for which assignment, where."""

    trainee: str
    assignment: str
    path: Path


@dataclass
class Discovery:
    """What :func:`find_submissions` found, and what it could not place (with the reason)."""

    found: list[Found] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def find_sources(source: str | Path) -> dict[str, Path]:
    """Return the source notebooks to grade against, by assignment id (the notebook's name).

    Args:
        source: one instructor notebook, or a folder of them (its ``NN_name.ipynb`` lessons are taken).

    Raises:
        GradingError: the path does not exist or holds no notebook.

    """
    path = Path(source)
    if path.is_file() and path.suffix == ".ipynb":
        return {path.stem: path}
    if path.is_dir():
        found = {p.stem: p for p in sorted(path.glob("*.ipynb")) if re.match(r"\d\d_", p.name)}
        found = found or {p.stem: p for p in sorted(path.glob("*.ipynb"))}
        if found:
            return found
        raise GradingError(f"--source '{path}' holds no notebooks; point it at the lessons folder or one lesson")
    raise GradingError(f"--source '{path}' is neither a notebook nor a folder; give the instructor's lesson(s)")


def _split_name(stem: str, assignments: list[str]) -> tuple[str, str] | None:
    """Tell trainee and assignment apart in a file name like ``ana__07_final`` or ``07_final-ana``."""
    for assignment in sorted(assignments, key=len, reverse=True):
        for sep in _SEPARATORS:
            if stem.endswith(sep + assignment) and len(stem) > len(sep + assignment):
                return stem[: -len(sep + assignment)], assignment
            if stem.startswith(assignment + sep) and len(stem) > len(assignment + sep):
                return stem[len(assignment + sep) :], assignment
    if len(assignments) == 1 and stem not in assignments:
        return stem, assignments[0]
    return None


def _place(path: Path, assignments: list[str], folder_trainee: str | None) -> Found | str:
    if path.stem in assignments:
        if folder_trainee is None:
            return "its name is the assignment's: put it in a folder named after the trainee"
        return Found(folder_trainee, path.stem, path)
    split = _split_name(path.stem, assignments)
    if split is None:
        return f"its name matches no assignment ({', '.join(assignments)})"
    trainee, assignment = split
    return Found(folder_trainee or trainee, assignment, path)


def find_submissions(paths: list[str | Path], *, assignments: list[str]) -> Discovery:
    """Find every submitted notebook under ``paths`` and tell whose and which assignment each one is.

    A folder holding notebooks named like an assignment is one trainee's (the folder's name is the trainee);
    a folder of such folders is the whole cohort's; files elsewhere are named by trainee.
    """
    result = Discovery()
    seen: set[Path] = set()

    def add(path: Path, folder_trainee: str | None) -> None:
        real = path.resolve()
        if real in seen:
            return
        seen.add(real)
        placed = _place(path, assignments, folder_trainee)
        if isinstance(placed, str):
            result.skipped.append((path, placed))
        elif not _TRAINEE_ID.match(placed.trainee):
            result.skipped.append((path, f"'{placed.trainee}' is not usable as a trainee id"))
        else:
            result.found.append(placed)

    def walk_folder(folder: Path) -> None:
        notebooks = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
        if any(p.stem in assignments for p in notebooks):  # one trainee's folder
            for nb in notebooks:
                add(nb, folder.name)
            return
        for nb in notebooks:
            add(nb, None)
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for nb in sorted(p for p in sub.glob("*.ipynb") if p.is_file()):
                add(nb, sub.name)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            walk_folder(path)
        elif path.is_file() and path.suffix == ".ipynb":
            parent = path.parent.name if path.stem in assignments else None
            add(path, parent)
        else:
            result.skipped.append((path, "not a notebook or a folder"))
    return result


def content_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes (how the gradebook knows a submission did not change)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _code_cells(path: Path) -> list[tuple[str, str]]:
    """Each code cell of a notebook file as ``(id, source)``, read as plain JSON (nothing of it runs)."""
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return []
    cells = json.loads(path.read_bytes()).get("cells")
    if not isinstance(cells, list):
        return []
    found = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            text = cell.get("source", "")
            found.append((str(cell.get("id", "")), "".join(text) if isinstance(text, list) else str(text)))
    return found


def own_code(path: Path, source: Path) -> int:
    """How many characters of code a submission holds in cells its lesson does not have: the cells a trainee added.

    A batch grades the submissions with the most added code first: the lesson's own cells (answers filled in
    included) run in about the same time for everyone, while added code is what can run until the cell time
    limit stops it, so starting those early keeps a worker from ending alone on a long one. A cell is the
    lesson's when its id is one of the lesson's cell ids (or, without an id, its text is a lesson cell's). A
    file that cannot be read counts 0 (grading it reports why).

    """
    try:
        lesson = _code_cells(source)
        ids = {cell_id for cell_id, _text in lesson if cell_id}
        texts = {text for _cell_id, text in lesson}
        return sum(len(text) for cell_id, text in _code_cells(path) if cell_id not in ids and text not in texts)
    except (OSError, ValueError, AttributeError):
        return 0


def read_submission(path: Path) -> tuple[Any, dict[str, Any]]:
    """Read a submitted notebook and the widget answers it carries, refusing what is not a sane notebook.

    Raises:
        GradingError: too big, not JSON, or not a notebook; the message says which.

    """
    import nbformat

    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise GradingError(f"the notebook is {size / 1e6:.0f} MB, over the {MAX_NOTEBOOK_BYTES // 10**6} MB limit")
    try:
        nb = nbformat.reads(path.read_bytes().decode("utf-8"), as_version=4)
    except Exception as exc:  # nbformat raises many kinds for broken files
        raise GradingError(f"the file is not a readable notebook ({type(exc).__name__})") from None
    if not isinstance(nb.get("cells"), list):
        raise GradingError("the file is not a notebook (it has no cells)")
    return nb, _carried(nb)


def _carried(nb: Any) -> dict[str, Any]:
    """The widget answers inside the notebook's outputs (the last one per exercise wins)."""
    found: dict[str, Any] = {}
    for cell in nb.cells:
        outputs = cell.get("outputs", []) if isinstance(cell, dict) else []
        for output in outputs if isinstance(outputs, list) else []:
            data = output.get("data", {}) if isinstance(output, dict) else {}
            bundle = data.get(ANSWER_MIME) if isinstance(data, dict) else None
            if isinstance(bundle, dict) and isinstance(bundle.get("exercise"), str):
                found[bundle["exercise"][:100]] = bundle.get("answer")
    return {k: v for k, v in found.items() if v is not None}


def merge_answers(kernel: dict[str, Any], carried: dict[str, Any], *, ids: list[str]) -> dict[str, Any]:
    """Combine the kernel's answers with those the notebook carried: the kernel's win where they are set.

    The kernel's answer is the trainee's code variable, or else their widget's value when the notebook ran;
    the carried answer is what the widget showed when the notebook was saved. It counts when the kernel gave
    nothing for that exercise: the cell that set it timed out or crashed, or the kernel never reported.

    >>> merge_answers({"q1": 5, "q2": None}, {"q1": 4, "q2": "b", "q9": 1}, ids=["q1", "q2", "q3"])
    {'q1': 5, 'q2': 'b', 'q3': None}
    """
    merged = {}
    for exercise_id in ids:
        value = kernel.get(exercise_id)
        merged[exercise_id] = value if value is not None else carried.get(exercise_id)
    return merged
