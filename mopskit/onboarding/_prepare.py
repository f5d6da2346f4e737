"""Releasing a hire's path: a workspace with the path's lessons, their own data, a schedule and a home page.

:func:`prepare_workspace_for` prepares one person's workspace (what a JupyterHub spawner calls for each user);
:func:`onboard` does it for every hire of a roster (``mopskit onboard``); :func:`retake` gives a hire a fresh copy of
one lesson with new data for a second attempt (``mopskit release --retake``). Existing work is never overwritten.

A workspace prepared for a path holds:

- the path's lessons (trainee copies: no solution, no hidden check) and the sample datasets;
- ``data/<lesson>/``: the hire's own variant of each lesson that reads data (``onboarding.yaml`` names the lessons
  whose data everyone shares), found by ``mopskit.data.load`` through ``.mopskit/variant.json``;
- ``.mopskit/onboarding.json``: the role, the needs and the schedule (:class:`RolePath`);
- ``mopskit_home.ipynb``: the path, the dates and the progress (:func:`mopskit.onboarding.path_progress`).

With a gradebook (``db``), the hire's role and start date and each released attempt's seed are recorded there:
the grader regenerates the same data (``mopskit grade --variants``) and mastery tells the variants apart.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..errors import OnboardingError
from ._paths import RolePath, path_lessons_dir, role_path
from ._roster import Hire

__all__ = [
    "HOME_CODE",
    "PLAN_FILE",
    "OnboardingSummary",
    "PreparedHire",
    "Retake",
    "find_hire",
    "onboard",
    "prepare_workspace_for",
    "retake",
]

PLAN_FILE = ".mopskit/onboarding.json"  # the hire's path, as the home page reads it
HOME_CODE = "from mopskit.onboarding import path_progress\n\npath_progress()"


def _home_intro() -> str:
    from ..i18n import _

    return _(
        "# Your onboarding path\n\n"
        "The lessons of your role, in order, with the day each one is due, and how far you got in each. Below "
        "them, the skills your role needs and how your practice on them is going. It is counted from your saved "
        "answers each time this page opens; your instructor sees your graded level."
    )


@dataclass
class PreparedHire:
    """What :func:`prepare_workspace_for` did for one person.

    Attributes:
        trainee: their id.
        workspace: the folder prepared.
        path: their role's path with its dates.
        added: files added (existing ones are kept as they were).
        seeds: each lesson given its own data, with its seed.

    """

    trainee: str
    workspace: Path
    path: RolePath
    added: list[Path] = field(default_factory=list)
    seeds: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        lessons = ", ".join(self.path.lesson_ids())
        text = (
            f"{self.trainee}: {self.path.role_name}, {len(self.path.lessons)} lessons from "
            f"{self.path.start:%a %d %b %Y} to {self.path.end:%a %d %b %Y} ({lessons}) in {self.workspace}"
        )
        if self.path.untaught:
            text += f"\n  not assessed by any lesson yet: {', '.join(self.path.untaught)}"
        return text


def _read_json(path: Path) -> dict[str, Any]:
    from .._textfile import read_json_dict

    return read_json_dict(path)


def _write_plan(folder: Path, trainee: str, name: str, email: str, path: RolePath) -> Path:
    target = folder / PLAN_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"trainee": trainee, "name": name, "email": email, "path": path.to_json()}
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def find_hire(user: str, roster: str | Path) -> Hire:
    """The roster's row for ``user``, found by id, email or the email's part before ``@`` (a JupyterHub name).

    Raises:
        OnboardingError: ``user`` is not in the roster (or the roster cannot be read).

    """
    from ._roster import read_hires

    wanted = user.strip().casefold()
    for hire in read_hires(roster):
        local = hire.email.split("@")[0].casefold() if hire.email else ""
        if wanted in {hire.id.casefold(), hire.email.casefold(), local}:
            return hire
    raise OnboardingError(
        f"'{user}' is not in the roster '{roster}' (looked for it as id, email and the email's part before @); "
        "add a row for them, or give their role"
    )


def prepare_workspace_for(
    user: str,
    role: str | None = None,
    *,
    directory: str | Path,
    start: date | str | None = None,
    roster: str | Path | None = None,
    name: str = "",
    email: str = "",
    lessons: str | Path | None = None,
    db: str | Path | None = None,
    variants: bool = True,
    lang: str | None = None,
) -> PreparedHire:
    """Prepare one person's workspace for their role's path; run again any time, their work is kept.

    This is what a JupyterHub spawner calls for each user before their server starts (with the user's name and
    their folder), and what :func:`onboard` calls for each row of a roster.

    Args:
        user: the trainee's id (their JupyterHub user name, or the roster's id).
        role: their role (id, name or alias of ``roles.yaml``); default: the roster's row for ``user``.
        directory: their workspace folder (created if needed).
        start: their first day (``YYYY-MM-DD``); default: the roster's, else today.
        roster: a roster of hires (:func:`mopskit.onboarding.read_hires`) to find ``user`` in (by id, email or
            the email's part before ``@``), for whatever is not given.
        name: their name, for the record (default: the roster's).
        email: their email (default: the roster's).
        lessons: the folder of source lessons (default: the kit's).
        db: a gradebook to record the role, start date and each lesson's seed in (None: record nothing).
        variants: give the hire their own data for each lesson that reads data (false: the data everyone shares).
        lang: the language of the kit's lessons and home page (``ro``, ``th``, ``zh-TW``; default: the
            workspace's, else English); lessons from a folder of your own (``lessons``) are released as written.

    Raises:
        OnboardingError: no role given and ``user`` is not in the roster, or a folder that cannot be written.
        MopskitError: an unknown role (the valid ones are listed).

    """
    from .._validate import day
    from ..assess import has_variants, release_notebook, variant_seed
    from ..data.variant import MARKER, build_variant, scenario_options, write_marker
    from ..workspace import HOME_NOTEBOOK, prepare_workspace, workspace_language, write_home

    if role is None or start is None or not (name or email):
        if roster is None and role is None:
            raise OnboardingError(f"no role for '{user}': give their role, or a roster that lists them")
        if roster is not None:
            hire = find_hire(user, roster)
            role = role or hire.role
            start = start or hire.start
            name, email = name or hire.name, email or hire.email
    assert role is not None
    first = datetime.now(UTC).date() if start in (None, "") else day(start, "start", function="prepare_workspace_for")
    source = path_lessons_dir(lessons)
    path = role_path(role, start=first, lessons=source)
    folder = Path(directory).expanduser()
    if folder.exists() and not folder.is_dir():
        raise OnboardingError(f"'{folder}' is a file, not a folder; choose another workspace folder for {user}")
    folder.mkdir(parents=True, exist_ok=True)
    prepared = PreparedHire(user, folder.resolve(), path)
    for lesson in path.lesson_ids() if lessons is not None else []:  # the kit's own: released in the language
        target = folder / f"{lesson}.ipynb"
        if not target.exists():  # never overwrite a trainee's work
            release_notebook(source / f"{lesson}.ipynb", target)
            prepared.added.append(target)
    prepared.added += prepare_workspace(folder, lang=lang, lessons=path.lesson_ids()).added
    marker = _read_json(folder / MARKER)
    entries: dict[str, dict[str, Any]] = dict(marker.get("lessons") or {})
    if variants:
        for lesson in path.lesson_ids():
            if not has_variants(lesson):
                continue
            entry = entries.get(lesson) or {}
            attempt = int(entry.get("attempt", 1))
            seed = int(entry.get("seed", variant_seed(user, lesson, attempt=attempt)))
            data = str(entry.get("data") or f"data/{lesson}")
            if not (folder / data / "campaigns.csv").is_file():
                build_variant(folder / data, seed=seed, **scenario_options(lesson))
                prepared.added.append(folder / data)
            entries[lesson] = {"seed": seed, "data": data, "attempt": attempt}
            prepared.seeds[lesson] = seed
        write_marker(folder, trainee=user, lessons=entries)
    _write_plan(folder, user, name, email, path)
    home = folder / HOME_NOTEBOOK  # generated, holds no work: kept current
    write_home(home, workspace_language(folder) or "en", code=HOME_CODE, intro=_home_intro())
    if db is not None:
        from ..assess import Gradebook

        with Gradebook(db) as book:
            book.enrol(user, role=path.role, start=path.start, name=name, email=email)
            for lesson, seed in prepared.seeds.items():
                book.record_release(user, lesson, attempt=int(entries[lesson]["attempt"]), seed=seed)
    return prepared


@dataclass
class OnboardingSummary:
    """What :func:`onboard` released: one :class:`PreparedHire` per roster row, and the schedule file."""

    hires: list[PreparedHire]
    schedule: Path

    def __str__(self) -> str:
        lines = [str(h) for h in self.hires]
        lines.append(f"{len(self.hires)} hire(s) onboarded; the schedule of every lesson is in {self.schedule}")
        return "\n".join(lines)


def onboard(
    roster: str | Path,
    *,
    out_dir: str | Path = "onboarding",
    lessons: str | Path | None = None,
    db: str | Path | None = "gradebook.sqlite",  # the gradebook of the working folder (assess DEFAULT_DB)
    variants: bool = True,
    progress: bool = False,
) -> OnboardingSummary:
    """Release every hire's path: a workspace each in ``out_dir/<id>/``, and ``out_dir/schedule.csv``.

    The whole roster is read and checked first (every bad row named); nothing is written until it is right.

    Args:
        roster: the roster CSV: name, email, role, start date (:func:`mopskit.onboarding.read_hires`).
        out_dir: where the hires' folders go (created if needed; existing work is kept).
        lessons: the folder of source lessons (default: the kit's).
        db: the gradebook that records roles, start dates and seeds (``None``: none).
        variants: give each hire their own data (false: the data everyone shares).
        progress: show a progress bar.

    Raises:
        OnboardingError: the roster cannot be read; every problem is listed with its row.

    """
    from ._roster import read_hires

    hires = read_hires(roster)
    out = Path(out_dir)
    done: list[PreparedHire] = []
    step = _bar(len(hires), progress)
    for hire in hires:
        done.append(
            prepare_workspace_for(
                hire.id,
                hire.role,
                directory=out / hire.id,
                start=hire.start,
                name=hire.name,
                email=hire.email,
                lessons=lessons,
                db=db,
                variants=variants,
            )
        )
        step(hire.id)
    step(None)
    schedule = out / "schedule.csv"
    rows = ["trainee,name,email,role,lesson,title,start,due,competencies"]
    for h, hire in zip(done, hires, strict=True):
        for p in h.path.lessons:
            cells = [h.trainee, hire.name, hire.email, h.path.role, p.lesson, p.title, p.start, p.due]
            cells.append(" ".join(p.competencies))
            rows.append(",".join(_csv_cell(c) for c in cells))
    schedule.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return OnboardingSummary(done, schedule)


def _csv_cell(value: object) -> str:
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def _bar(total: int, enabled: bool) -> Callable[[str | None], None]:
    if not enabled:
        return lambda who: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, unit=" hire", desc="onboarding")

    def step(who: str | None) -> None:
        if who is None:
            bar.close()
        else:
            bar.set_postfix_str(who)
            bar.update(1)

    return step


@dataclass
class Retake:
    """A second (or later) attempt released: which, with what data, and where the earlier one went."""

    trainee: str
    lesson: str
    attempt: int
    seed: int | None
    notebook: Path
    archived: list[Path]

    def __str__(self) -> str:
        data = (
            f"new data (seed {self.seed})"
            if self.seed is not None
            else "the data everyone shares (this lesson has no variants)"
        )
        kept = ", ".join(str(p) for p in self.archived) or "nothing (no earlier work)"
        return (
            f"{self.trainee}: attempt {self.attempt} of {self.lesson} released in {self.notebook} with {data}; "
            f"the earlier attempt is kept in {kept}"
        )


def retake(
    trainee: str,
    lesson: str,
    *,
    directory: str | Path,
    lessons: str | Path | None = None,
    db: str | Path | None = "gradebook.sqlite",  # the gradebook of the working folder (assess DEFAULT_DB)
) -> Retake:
    """Release a fresh copy of one lesson with new data for another attempt; the earlier one is kept aside.

    The trainee's copy and saved answers move to ``attempts/`` (never deleted), a fresh copy takes their place,
    and a lesson that reads data gets a new variant from a new seed (``variant_seed(..., attempt=N)``), recorded
    in the workspace's marker and in the gradebook, so grading and mastery use the new data.

    Args:
        trainee: the trainee's id.
        lesson: the lesson's id (``05_metrics``).
        directory: the trainee's workspace (``OUT/<trainee>`` of ``mopskit onboard`` or ``release --per-trainee``).
        lessons: the folder of source lessons (default: the kit's).
        db: the gradebook that records the attempt's seed (None: only the workspace's marker records it).

    Raises:
        OnboardingError: no such workspace or lesson in it.

    """
    from .._answer_files import answers_file
    from ..assess import has_variants, release_notebook, variant_seed
    from ..data.variant import MARKER, build_variant, scenario_options, write_marker

    folder = Path(directory)
    notebook = folder / f"{lesson}.ipynb"
    source = path_lessons_dir(lessons) / f"{lesson}.ipynb"
    if not folder.is_dir():
        raise OnboardingError(f"no workspace for '{trainee}' at '{folder}'; release their path first (mopskit onboard)")
    if not source.is_file():
        known = ", ".join(p.stem for p in sorted(source.parent.glob("[0-9][0-9]_*.ipynb")))
        raise OnboardingError(f"unknown lesson '{lesson}'; valid: {known}")
    marker = _read_json(folder / MARKER)
    entries: dict[str, dict[str, Any]] = dict(marker.get("lessons") or {})
    earlier = int((entries.get(lesson) or {}).get("attempt", 1))
    book = None
    if db is not None:
        from ..assess import Gradebook

        book = Gradebook(db)
        recorded = book.latest_release(trainee, lesson)
        earlier = max(earlier, recorded[0] if recorded else 1)
    attempt = earlier + 1
    archived: list[Path] = []
    attempts = folder / "attempts"
    for old, new in (
        (notebook, attempts / f"{lesson}.attempt-{earlier}.ipynb"),
        (answers_file(lesson, folder / ".mopskit"), attempts / f"{lesson}.attempt-{earlier}.answers.json"),
    ):
        if old.is_file():
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(old, new)
            archived.append(new)
    release_notebook(source, notebook)
    seed = None
    if has_variants(lesson):
        seed = variant_seed(trainee, lesson, attempt=attempt)
        data = f"data/{lesson}-attempt-{attempt}"
        if not (folder / data / "campaigns.csv").is_file():
            build_variant(folder / data, seed=seed, **scenario_options(lesson))
        if lesson not in entries:  # released before onboarding: attempt 1 had the seed of trainee and lesson
            entries[lesson] = {"seed": variant_seed(trainee, lesson), "data": f"data/{lesson}", "attempt": 1}
        first = entries[lesson]
        entries[lesson] = {"seed": seed, "data": data, "attempt": attempt}
        write_marker(folder, trainee=trainee, lessons=entries)
        if book is not None:
            if book.latest_release(trainee, lesson) is None:
                book.record_release(trainee, lesson, attempt=int(first.get("attempt", 1)), seed=int(first["seed"]))
            book.record_release(trainee, lesson, attempt=attempt, seed=seed)
    else:  # the data everyone shares: only the attempt's number is kept
        entries[lesson] = {"attempt": attempt}
        write_marker(folder, trainee=trainee, lessons=entries)
    if book is not None:
        book.close()
    return Retake(trainee, lesson, attempt, seed, notebook, archived)
