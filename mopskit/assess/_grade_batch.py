"""Grading a batch: find the submissions, run each contained, check the answers, record them, write feedback.

:func:`grade` is what ``mopskit grade`` calls. Each submission is a task (:func:`grade_one`): execute it in
the sandbox, merge the answers it reported with those its notebook carried, run the source notebook's checks on
them in the grader's process family, and return a :class:`GradedSubmission`. Several run at once in threads of
the grader (``workers``; each thread's checks run in a check server of its own, see
:mod:`mopskit.assess._check_server`), or on a Dask cluster. The calling process writes each result to the
gradebook as it arrives, in a transaction of its own, so a batch stopped at any point resumes where it stopped,
and a submission whose content did not change is not graded twice unless ``force`` is given.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._resources import datasets_dir
from ..errors import AnswerRefused, GradingError
from ..i18n import _, language
from ._answers import check_answer
from ._check_server import CheckOptions, CheckServer, checks_for, run_checks_warm
from ._collect import Found, content_hash, find_sources, find_submissions, merge_answers, own_code, read_submission
from ._gradebook import DEFAULT_DB, Gradebook, GradedSubmission
from ._sandbox import Limits, run_notebook, sandbox_problem

__all__ = ["GradeTask", "GradingSummary", "grade", "grade_one"]

_stopping = threading.Event()  # set while a threaded batch stops: running sandboxes are taken down
UNSANDBOXED_WARNING = "WARNING: graded WITHOUT a sandbox (--unsandboxed): trainee code ran with the grader's rights"


@dataclass(frozen=True)
class GradeTask:
    """One submission to grade, as a worker receives it (plain data, picklable)."""

    trainee: str
    assignment: str
    path: str
    content_hash: str
    source: str
    limits: Limits
    sandboxed: bool = True
    variant_seed: int | None = None
    attempt: int | None = None


@dataclass
class GradingSummary:
    """What a grading batch did."""

    graded: list[GradedSubmission] = field(default_factory=list)
    unchanged: list[Found] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    seconds: float = 0.0
    sandboxed: bool = True

    def __str__(self) -> str:
        lines = []
        if not self.sandboxed:
            lines.append(UNSANDBOXED_WARNING)
        for g in self.graded:
            flag = "" if g.status == "graded" else f"  [{g.status.replace('_', ' ')}]"
            lines.append(f"{g.trainee:20} {g.assignment:28} {g.earned:6g} / {g.possible:<6g}{flag}")
            lines += [f"    note: {n}" for n in g.notes if n != UNSANDBOXED_WARNING]
        for f in self.unchanged:
            lines.append(f"{f.trainee:20} {f.assignment:28} unchanged since last graded (use --force to re-grade)")
        for path, why in self.skipped:
            lines.append(f"skipped {path}: {why}")
        for path, why in self.failed:
            lines.append(f"NOT GRADED {path}: the grader failed ({why}); run again to retry it")
        lines.append(
            f"{len(self.graded)} graded, {len(self.unchanged)} unchanged, {len(self.skipped)} skipped, "
            f"{len(self.failed)} failed in {self.seconds:.1f} s"
        )
        return "\n".join(lines)


def _data_dir(assignment: str, seed: int | None) -> Path | None:
    from ..data.variant import _scenarios, cached_variant, scenario_dir, scenario_options

    if seed is not None:
        return cached_variant(seed, **scenario_options(assignment))
    if assignment in _scenarios():
        return scenario_dir(assignment)
    return None


def _cell_notes(cells: list[dict[str, Any]], limits: Limits) -> list[str]:
    templates = {
        "timeout": _("cell {n} ran past its {s:g} s limit and was stopped; the cells after it still ran"),
        "crashed": _("cell {n} crashed the kernel ({error}); a new kernel ran the cells after it"),
        "output-limit": _("cell {n} printed more than {mb:g} MB and was stopped"),
        "skipped": _("cell {n} did not run: the notebook's {total:g} s time limit was reached"),
    }
    notes = []
    for cell in cells:
        template = templates.get(cell["status"])
        if template:
            notes.append(
                template.format(
                    n=cell["index"] + 1,
                    s=limits.cell_timeout,
                    mb=limits.output_mb,
                    total=limits.timeout,
                    error=cell.get("error") or _("the kernel died"),
                )
            )
    errors = sum(c["status"] == "error" for c in cells)
    if errors:
        notes.append(_("{n} cell(s) raised an error").format(n=errors))
    return notes


def _gradable(
    answers: dict[str, Any], refused: dict[str, str], limits: Limits
) -> tuple[dict[str, Any], dict[str, str]]:
    """Split merged answers into those checks may run on and those that cannot be graded, with the reason.

    An answer the kernel could not hand over stays refused even when the notebook carries a widget answer for
    it (the code answer wins, as in the lesson); a carried answer is held to the same limits as the kernel's.
    """
    refused = {k: v for k, v in refused.items() if k in answers}
    for exercise_id, value in answers.items():
        if exercise_id not in refused and value is not None:
            try:
                check_answer(value, max_bytes=int(limits.answer_mb * 1024 * 1024))
            except AnswerRefused as exc:
                refused[exercise_id] = str(exc)
    return {k: None if k in refused else v for k, v in answers.items()}, refused


def submission_language(nb: Any) -> str:
    """The language a submitted lesson was rendered in (its metadata says), ``"en"`` for any other value.

    >>> submission_language({"metadata": {"mopskit": {"lang": "th"}}}), submission_language({"metadata": {}})
    ('th', 'en')
    """
    from ..catalogs import TRANSLATED

    metadata = nb.get("metadata", {}) if isinstance(nb, dict) else {}
    kit = metadata.get("mopskit", {}) if isinstance(metadata, dict) else {}
    lang = kit.get("lang") if isinstance(kit, dict) else None
    return lang if lang in TRANSLATED else "en"


def _run_checks(
    task: GradeTask,
    checks: CheckServer | None,
    data: Path | None,
    answers: dict[str, Any],
    refused: dict[str, str],
    lang: str = "en",
) -> list[Any]:
    """The source's checks on the answers, with the data the kernel read, here or in the thread's check server."""
    folder = data or datasets_dir()  # the data the kernel read, whatever this process's folder holds
    options = CheckOptions(
        refused=refused, timeout=task.limits.check_timeout, shared_data=task.variant_seed is None, lang=lang
    )
    if checks is not None:
        return checks.run(task.source, folder, answers, **options)
    return run_checks_warm(task.source, folder, answers, **options)


def grade_one(task: GradeTask, *, checks: CheckServer | None = None) -> GradedSubmission:
    """Grade one submission: contained run, answers merged, checks in the grader.

    The checks' messages and the notes come in the language the trainee's lesson was in (its metadata says).

    Args:
        task: the submission and how to grade it.
        checks: where the checks run when several submissions are graded at once in threads (one server per
            thread); by default they run from this process.

    """
    path = Path(task.path)
    started = time.monotonic()
    try:
        nb, carried = read_submission(path)
    except GradingError as exc:
        graded = _graded(task, checks_for(task.source), path, "en")
        graded.status = "unreadable"
        graded.notes.append(str(exc))
        graded.checks = _run_checks(task, checks, None, {}, {})
        return graded
    lang = submission_language(nb)
    del nb
    exercises = checks_for(task.source, lang)
    graded = _graded(task, exercises, path, lang)
    with language(lang):
        _grade_read(task, checks, exercises, graded, carried)
    graded.seconds = time.monotonic() - started
    return graded


def _graded(task: GradeTask, exercises: dict[str, Any], path: Path, lang: str) -> GradedSubmission:
    graded = GradedSubmission(
        trainee=task.trainee,
        assignment=task.assignment,
        content_hash=task.content_hash,
        path=str(path),
        submitted_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        status="graded",
        sandboxed=task.sandboxed,
        title=Path(task.source).stem,
        exercise_titles={k: ex.title for k, ex in exercises.items()},
        variant_seed=task.variant_seed,
        attempt=task.attempt,
        lang=lang,
    )
    if not task.sandboxed:
        graded.notes.append(UNSANDBOXED_WARNING)
    return graded


def _grade_read(
    task: GradeTask,
    checks: CheckServer | None,
    exercises: dict[str, Any],
    graded: GradedSubmission,
    carried: dict[str, Any],
) -> None:
    """Run the submission read, merge its answers and run the checks on them, filling ``graded``."""
    data = _data_dir(task.assignment, task.variant_seed)
    run = run_notebook(
        Path(task.path),
        exercise_ids=list(exercises),
        lesson=task.assignment,
        data_dir=data,
        carried_answers=carried,
        limits=task.limits,
        sandboxed=task.sandboxed,
        hide=[Path(task.source)],
        stop=_stopping,
    )
    graded.notes += _cell_notes(run.cells, task.limits) + run.notes
    if not run.collected:
        graded.notes.append(_("the answers could not be collected from the kernel; widget answers saved in it count"))
    answers, refused = _gradable(merge_answers(run.answers, carried, ids=list(exercises)), run.refused, task.limits)
    graded.notes += [
        _("{exercise}: {reason}; it counts as a wrong answer").format(exercise=k, reason=v) for k, v in refused.items()
    ]
    graded.answers = answers
    graded.checks = _run_checks(task, checks, data, answers, refused, graded.lang)
    if any(c.needs_review for c in graded.checks):
        graded.status = "needs_review"


def _run_tasks(
    tasks: list[GradeTask], *, workers: int, scheduler: str | None = None
) -> Iterator[tuple[GradeTask, GradedSubmission | str]]:
    """Run grading tasks, yielding each task with its result, or the error in words when grading itself failed.

    One at a time in this process; ``workers`` at once in threads of this process (each submission's work is
    its sandbox's, so threads are enough, and they share what the grader has loaded); or on the workers of a
    Dask cluster given its ``scheduler`` address, through the kit's executor.
    """
    if scheduler is not None:
        yield from _on_cluster(tasks, scheduler)
    elif workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield task, _attempt(task, None)
    else:
        yield from _in_threads(tasks, workers)


def _attempt(task: GradeTask, checks: CheckServer | None) -> GradedSubmission | str:
    try:
        return grade_one(task, checks=checks)
    except Exception as exc:  # one submission's failure must not stop the batch
        return f"{type(exc).__name__}: {exc}"


def _in_threads(tasks: list[GradeTask], workers: int) -> Iterator[tuple[GradeTask, GradedSubmission | str]]:
    """Grade in ``workers`` threads, each with a check server of its own; leaving early stops every sandbox."""
    import queue
    from concurrent.futures import ThreadPoolExecutor, as_completed

    servers: queue.Queue[CheckServer] = queue.Queue()
    started: list[CheckServer] = []

    def work(task: GradeTask) -> GradedSubmission | str:
        if _stopping.is_set():
            return "the batch was stopped before this submission"
        try:
            server = servers.get_nowait()
        except queue.Empty:
            server = CheckServer()
            started.append(server)
        try:
            return _attempt(task, server)
        finally:
            servers.put(server)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mopskit-grade")
    try:
        futures = {pool.submit(work, task): task for task in tasks}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:  # the end, an error, Ctrl+C or the caller leaving the loop: stop every sandbox and the servers
        _stopping.set()
        pool.shutdown(wait=True, cancel_futures=True)
        _stopping.clear()
        for server in started:
            server.close()


def _on_cluster(tasks: list[GradeTask], scheduler: str) -> Iterator[tuple[GradeTask, GradedSubmission | str]]:
    from contextlib import closing

    from ..executor import Task, run_all

    keyed = {f"{t.assignment}/{t.trainee}/{number}": t for number, t in enumerate(tasks)}
    jobs = [Task(key, grade_one, {"task": task}) for key, task in keyed.items()]
    outcomes = run_all(jobs, scheduler=scheduler, progress=False)
    with closing(outcomes):
        for outcome in outcomes:
            yield keyed[outcome.key], outcome.value if outcome.ok else str(outcome.error or "the task failed")


def grade(
    submissions: Sequence[str | Path],
    *,
    source: str | Path,
    db: str | Path = DEFAULT_DB,
    workers: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    unsandboxed: bool = False,
    limits: Limits | None = None,
    feedback_dir: str | Path | None = None,
    variants: bool = False,
    roster: str | Path | None = None,
    progress: bool = False,
    on_result: Callable[[GradedSubmission], None] | None = None,
) -> GradingSummary:
    """Grade submitted notebooks against their source lessons and record the scores in a gradebook.

    Args:
        submissions: notebooks, trainee folders, or a folder of trainee folders.
        source: the instructor notebook, or the folder of them, the submissions answer.
        db: the gradebook: a SQLite file path or a SQLAlchemy URL.
        workers: submissions graded at once (threads of this process, each submission in a sandbox of its own).
        scheduler: a Dask scheduler address (``tcp://host:8786``): its workers grade instead of local ones.
            They need bubblewrap, and must see the submissions and the source lessons at the same paths.
        force: grade again submissions whose content did not change since they were graded.
        unsandboxed: run trainee code without bubblewrap (every result then says so). Refused otherwise
            where no sandbox can start.
        limits: time, memory, output and per-check limits.
        feedback_dir: write each trainee's feedback page there (``TRAINEE/ASSIGNMENT.html``).
        variants: each trainee's data is their own variant (``mopskit release --per-trainee``, ``mopskit
            onboard``); the grader regenerates it from the seed the gradebook recorded for the trainee's latest
            attempt (a retake's), or from trainee and assignment when none was recorded.
        roster: a roster CSV (id, name, email) whose names and emails the gradebook records.
        progress: show a progress bar.
        on_result: called with each result after it is recorded.

    Raises:
        GradingError: no sandbox and ``unsandboxed`` not given, no sources, or a gradebook that cannot open.

    """
    started = time.monotonic()
    limits = limits or Limits()
    if not unsandboxed and (problem := sandbox_problem()):
        raise GradingError(problem)
    if workers < 1:
        raise GradingError(f"'workers' must be at least 1 (got {workers})")
    sources = find_sources(source)
    discovery = find_submissions(list(submissions), assignments=list(sources))
    summary = GradingSummary(skipped=list(discovery.skipped), sandboxed=not unsandboxed)
    if not discovery.found and not discovery.skipped:
        raise GradingError(f"no submitted notebooks found in: {', '.join(str(p) for p in submissions)}")
    with Gradebook(db) as book:
        if roster is not None:
            from ._variants import read_roster

            for person in read_roster(roster):
                book.add_trainee(person.id, name=person.name, email=person.email)
        tasks = []
        for found in discovery.found:
            digest = content_hash(found.path)
            if not force and book.is_graded(trainee=found.trainee, assignment=found.assignment, content_hash=digest):
                summary.unchanged.append(found)
                continue
            seed = attempt = None
            from ._variants import has_variants

            if variants and has_variants(found.assignment):  # a lesson everyone shares data for: the shared data
                from ._variants import variant_seed

                attempt, seed = book.latest_release(found.trainee, found.assignment) or (
                    1,
                    variant_seed(found.trainee, found.assignment),
                )
            tasks.append(
                GradeTask(
                    found.trainee,
                    found.assignment,
                    str(found.path.resolve()),
                    digest,
                    str(sources[found.assignment].resolve()),
                    limits,
                    not unsandboxed,
                    seed,
                    attempt,
                )
            )
        if workers > 1 or scheduler is not None:  # the longest first, so that no worker ends alone on one
            tasks.sort(key=lambda t: own_code(Path(t.path), Path(t.source)), reverse=True)
        bar = _progress(len(tasks), enabled=progress)
        for task, graded in _run_tasks(tasks, workers=workers, scheduler=scheduler):
            if isinstance(graded, str):
                summary.failed.append((Path(task.path), graded))
                bar(None, failed=True)
                continue
            book.record(graded)
            if feedback_dir is not None:
                from ._feedback import write_feedback

                with language(graded.lang):  # the trainee's page, in the language of their lesson
                    write_feedback(graded, out_dir=feedback_dir, source=sources[graded.assignment])
            summary.graded.append(graded)
            bar(graded)
            if on_result is not None:
                on_result(graded)
        bar(None, done=True)
    summary.graded.sort(key=lambda g: (g.assignment, g.trainee))
    summary.seconds = time.monotonic() - started
    return summary


def _progress(total: int, *, enabled: bool) -> Callable[..., None]:
    if not enabled or total == 0:
        return lambda item, **kw: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, unit=" submission", desc="grading", file=sys.stderr)

    def update(item: GradedSubmission | None, *, done: bool = False, failed: bool = False) -> None:
        if done:
            bar.close()
            return
        if item is not None:
            bar.set_postfix_str(f"{item.trainee} {item.earned:g}/{item.possible:g}")
        elif failed:
            bar.set_postfix_str("a submission could not be graded")
        bar.update(1)

    return update
