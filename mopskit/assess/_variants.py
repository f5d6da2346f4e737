"""Per-trainee releases: each trainee gets the lessons and their own dataset variant.

A trainee's variant of a lesson is generated from a seed derived from trainee id and lesson
(:func:`variant_seed`, a SHA-256, stable across machines and Python runs). The release writes it beside the
lessons with a marker (``.mopskit/variant.json``) that makes :func:`mopskit.data.load` read it in the
trainee's kernel; the grader derives the same seed, regenerates the same data, runs the submission on it and
computes the expected answers from it. No answer key is written anywhere: copying a neighbour's numbers does
not pass, and there is nothing to copy from the release.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReleaseError
from ._release import ReleaseSummary, release_notebook

__all__ = ["Person", "has_variants", "read_roster", "release_per_trainee", "variant_seed"]

_ID_COLUMNS = ("id", "trainee", "trainee_id", "student_id", "user", "username", "login", "employee_id")
_NAME_COLUMNS = ("name", "full_name", "trainee_name", "student_name", "display_name")
_EMAIL_COLUMNS = ("email", "e_mail", "mail", "email_address")


@dataclass(frozen=True)
class Person:
    """One roster row: id, name, email, the row's number (as a spreadsheet counts) and its other columns."""

    id: str
    name: str = ""
    email: str = ""
    row: int = 0
    fields: tuple[tuple[str, str], ...] = ()  # (column name in snake_case, cell) for every other column

    def field(self, *names: str) -> str:
        """The first non-empty cell among other columns called one of ``names`` (snake_case); empty if none."""
        found = dict(self.fields)
        return next((found[n] for n in names if found.get(n)), "")


def variant_seed(trainee: str, assignment: str, *, attempt: int = 1) -> int:
    """The dataset seed of one trainee's variant of one assignment: the same everywhere, every time.

    A retake (``attempt`` 2, 3, ...) gets a seed of its own, so its data differs from every earlier attempt's.

    >>> variant_seed("ana", "10_final_assessment") == variant_seed("ana", "10_final_assessment")
    True
    >>> variant_seed("ana", "10_final_assessment") != variant_seed("bob", "10_final_assessment")
    True
    >>> variant_seed("ana", "10_final_assessment", attempt=2) != variant_seed("ana", "10_final_assessment")
    True
    """
    key = f"mopskit-variant\0{assignment}\0{trainee}" + (f"\0attempt {attempt}" if attempt != 1 else "")
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") % (2**31 - 1)


def has_variants(lesson: str) -> bool:
    """Whether each trainee gets their own data for a lesson: not for those whose data everyone shares.

    ``content/onboarding.yaml`` (``shared_data``) lists them: lessons that read no table a seed varies, or whose
    questions name rows of the sample data itself. A per-trainee release gives them no variant, and the grader
    grades them on the shared data.

    >>> has_variants("10_final_assessment"), has_variants("05_metrics")
    (True, False)
    """
    from ..content import load_yaml

    return lesson not in set(load_yaml("onboarding")["shared_data"])


def _normalize(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _slug(text: str) -> str:
    return re.sub(r"[^\w.@+-]+", "_", text.strip()).strip("_")[:200]


def read_roster(path: str | Path) -> list[Person]:
    """Read a roster CSV (as Excel saves it too: BOM, ``;`` separators, Windows-1252): id, name, email columns.

    The id column may be called id, trainee, username, login...; without one, the email (or the name) is the id.

    Raises:
        ReleaseError: the file is missing or empty, has none of the columns, or repeats an id; names the row.

    """
    from .._textfile import csv_rows, read_text
    from ..errors import DataError

    path = Path(path)
    if not path.is_file():
        raise ReleaseError(f"roster '{path}': no such file; give a CSV with id, name and email columns")
    try:
        text, _encoding = read_text(path)
        first, numbered = csv_rows(text, path.name)
    except DataError as exc:
        raise ReleaseError(f"roster {exc}") from None
    numbered = [(n, r) for n, r in numbered if any(cell.strip() for cell in r)]
    if not first or not numbered:
        raise ReleaseError(f"roster '{path}' has no trainees; put a header row (id,name,email) and one row each")
    header = [_normalize(h) for h in first]

    def column(choices: tuple[str, ...]) -> int | None:
        return next((header.index(c) for c in choices if c in header), None)

    ids, names, emails = column(_ID_COLUMNS), column(_NAME_COLUMNS), column(_EMAIL_COLUMNS)
    if ids is None and emails is None and names is None:
        raise ReleaseError(
            f"roster '{path}': no id, name or email column (found: {', '.join(first)}); "
            "name the columns id, name, email"
        )
    people: list[Person] = []
    seen: dict[str, int] = {}
    for number, row in numbered:

        def cell(index: int | None, row: list[str] = row) -> str:
            return row[index].strip() if index is not None and index < len(row) else ""

        raw_id = cell(ids) or cell(emails) or cell(names)
        trainee = _slug(raw_id)
        if not trainee:
            raise ReleaseError(f"roster '{path}', row {number}: no id, email or name; fill one in")
        if trainee in seen:
            raise ReleaseError(
                f"roster '{path}', rows {seen[trainee]} and {number}: both are '{trainee}'; ids must be unique"
            )
        seen[trainee] = number
        others = tuple(
            (header[i], row[i].strip()) for i in range(min(len(header), len(row))) if i not in (ids, names, emails)
        )
        people.append(Person(trainee, cell(names), cell(emails), number, others))
    return people


def release_per_trainee(
    *,
    source_dir: str | Path,
    out_dir: str | Path,
    roster: str | Path,
    pattern: str = "*.ipynb",
    progress: bool = False,
) -> dict[str, list[ReleaseSummary]]:
    """Write a folder per trainee: the released lessons and, for each, the trainee's own dataset variant.

    Lessons whose data everyone shares (:func:`has_variants`) get no variant. ``OUT/<trainee>/`` holds the
    lessons, ``data/<lesson>/`` with the variant's tables, and
    ``.mopskit/variant.json``, which makes ``mopskit.data.load`` read those tables when the lesson runs there.

    Args:
        source_dir: folder of instructor notebooks.
        out_dir: where the trainee folders go (created if needed; a trainee's existing work is kept).
        roster: the roster CSV (see :func:`read_roster`).
        pattern: which notebooks to release.
        progress: show a progress bar.

    Returns:
        Per trainee id, what was released.

    """
    from .._textfile import read_json_dict
    from ..data.variant import MARKER, build_variant, scenario_options, write_marker

    people = read_roster(roster)
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    sources = sorted(p for p in source_dir.glob(pattern) if p.is_file())
    if not sources:
        raise ReleaseError(f"'{source_dir}' holds no notebooks matching {pattern}; point at the lessons folder")
    done: dict[str, list[ReleaseSummary]] = {}
    bar = _bar(len(people) * len(sources), progress)
    for person in people:
        folder = out_dir / person.id
        # a lesson released before (a retake's included) keeps its attempt, seed and data
        lessons: dict[str, dict[str, object]] = dict(read_json_dict(folder / MARKER).get("lessons") or {})
        done[person.id] = []
        for src in sources:
            target = folder / src.name
            if not target.exists():  # never overwrite a trainee's work
                done[person.id].append(release_notebook(src, target))
            if not has_variants(src.stem):  # everyone's data is the same for it (onboarding.yaml, shared_data)
                bar()
                continue
            entry = lessons.get(src.stem)
            if not (isinstance(entry, dict) and "seed" in entry and "data" in entry):
                entry = {"seed": variant_seed(person.id, src.stem), "data": f"data/{src.stem}", "attempt": 1}
            data = folder / str(entry["data"])
            if not (data / "campaigns.csv").is_file():
                build_variant(data, seed=int(str(entry["seed"])), **scenario_options(src.stem))
            lessons[src.stem] = entry
            bar()
        write_marker(folder, trainee=person.id, lessons=lessons)
    bar(close=True)
    return done


def _bar(total: int, enabled: bool) -> Callable[..., None]:
    if not enabled:
        return lambda close=False: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, unit=" lesson", desc="per-trainee release")

    def step(close: bool = False) -> None:
        if close:
            bar.close()
        else:
            bar.update(1)

    return step
