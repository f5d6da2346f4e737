"""A trainee's workspace: released lessons plus the datasets (never overwriting their work), and their progress.

The workspace also holds a home page, ``mopskit_home.ipynb``: the lessons in order with each one's progress,
counted from the answers saved in ``.mopskit/`` (:func:`workspace_progress`). App mode (:mod:`mopskit.app`) opens it
first; in JupyterLab it works the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._answer_files import answers_dir as answers_dir_of
from ._answer_files import answers_file, read_answers_file
from ._html import COLOURS, escape
from ._resources import datasets_dir
from .assess import lessons_dir
from .errors import WorkspaceError
from .i18n import LANGUAGES, _, normalize_language, set_language

__all__ = [
    "HOME_NOTEBOOK",
    "LAB_SETTINGS",
    "LessonProgress",
    "PreparedWorkspace",
    "WorkspaceProgress",
    "choose_language",
    "exercise_statuses",
    "kernel_environment",
    "lab_arguments",
    "lesson_title",
    "prepare_workspace",
    "progress_bar",
    "score_answers",
    "start",
    "workspace_language",
    "workspace_progress",
    "write_home",
]

HOME_NOTEBOOK = "mopskit_home.ipynb"
LAB_SETTINGS = ".mopskit/lab/user-settings"  # JupyterLab's settings for this workspace (lab_arguments())
# JupyterLab settings a prepared workspace starts with: no pop-up asking to fetch Jupyter news, no update check.
_LAB_DEFAULTS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False}
}
LESSONS = "[0-9][0-9]_*.ipynb"  # lesson files, in the order to take them
WORKSPACE_FILE = ".mopskit/workspace.json"  # the workspace's settings: its language
# JupyterLab's own language: the locale of its language pack (installed with the kit), where one exists
LAB_LOCALES = {"en": "en", "ro": "ro_RO", "zh_TW": "zh_TW"}  # Thai: JupyterLab has no language pack
_LAB_TRANSLATION = "@jupyterlab/translation-extension/plugin.jupyterlab-settings"


@dataclass
class PreparedWorkspace:
    """What :func:`prepare_workspace` did: files it added, and files it kept because they were there."""

    path: Path
    added: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Workspace ready in {self.path}: {len(self.added)} files added, {len(self.kept)} kept as they were."]
        if self.kept:
            lines.append(
                "Kept your existing copies of: "
                + ", ".join(p.name for p in self.kept[:8])
                + (" ..." if len(self.kept) > 8 else "")
            )
        return "\n".join(lines)


def workspace_language(directory: str | Path) -> str | None:
    """The language a workspace was last prepared in (``None``: never chosen, English).

    >>> workspace_language("no-such-folder") is None
    True
    """
    try:
        found = json.loads((Path(directory) / WORKSPACE_FILE).read_text(encoding="utf-8")).get("lang")
    except (OSError, ValueError, AttributeError):
        return None
    return normalize_language(found) if isinstance(found, str) else None


def choose_language(lang: str | None, directory: str | Path) -> str:
    """The language to prepare a workspace in: ``lang`` when given, else the workspace's own, else English.

    Raises:
        WorkspaceError: a language the kit does not ship (the message lists them).

    >>> choose_language("zh-TW", "no-such-folder"), choose_language(None, "no-such-folder")
    ('zh_TW', 'en')

    """
    code = normalize_language(lang) if lang else workspace_language(directory) or "en"
    if code not in LANGUAGES:
        valid = ", ".join(c.replace("_", "-") for c in LANGUAGES)
        raise WorkspaceError(f"'--lang' must be one of {valid} (got '{lang}')")
    return code


def _released_elsewhere(target: Path) -> bool:
    """Whether a lesson file is a released copy as the kit made it, in any language (so no trainee work)."""
    try:
        mine = target.read_bytes()
    except OSError:
        return False
    for lang in LANGUAGES:
        copy = lessons_dir(lang) / target.name
        if copy.is_file() and copy.read_bytes() == mine:
            return True
    return False


def prepare_workspace(
    directory: str | Path = "mopskit-workspace", *, lang: str | None = None, lessons: Sequence[str] | None = None
) -> PreparedWorkspace:
    """Put trainee copies of the lessons and the sample datasets in ``directory``.

    Files already there are never touched, so running it again after an update adds new lessons and keeps
    the trainee's work. In another language, a lesson nobody has worked in yet (still the copy the kit made)
    is replaced by the lesson in that language; one with the trainee's work is kept as it is.

    Args:
        directory: the workspace folder (created if needed).
        lang: the language of the lessons, the home page and JupyterLab's menus (``ro``, ``th``, ``zh-TW``;
            JupyterLab has no Thai, so its menus stay English); default: the language the workspace was
            prepared in before, else English. The kernels read it from ``MOPSKIT_LANG``
            (:func:`start` and ``mopskit app`` set it).
        lessons: only these lessons (ids such as ``"05_metrics"``; an onboarding path's); default: all.

    Raises:
        WorkspaceError: the folder cannot be used, or an unknown language.

    """
    code = choose_language(lang, directory)
    path = Path(directory).expanduser()
    if path.exists() and not path.is_dir():
        raise WorkspaceError(f"'{path}' is a file, not a folder; choose another workspace folder")
    try:
        (path / "datasets").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"cannot create the workspace '{path}' ({exc.strerror}); choose a folder you can write to"
        ) from None
    result = PreparedWorkspace(path.resolve())
    changed = code != (workspace_language(path) or "en")
    set_language(code)  # the home page and this command's messages, in the workspace's language
    released = sorted(lessons_dir(code).glob("*.ipynb"))  # released copies: no solution, no hidden check
    released = released if lessons is None else [p for p in released if p.stem in set(lessons)]
    data = sorted(p for p in datasets_dir().iterdir() if p.is_file() and p.suffix in {".csv", ".md", ".yaml"})
    for source, target in [(p, path / p.name) for p in released] + [(p, path / "datasets" / p.name) for p in data]:
        if target.exists() and not (changed and source in released and _released_elsewhere(target)):
            result.kept.append(target)
        elif not (target.exists() and target.read_bytes() == source.read_bytes()):
            shutil.copyfile(source, target)
            result.added.append(target)
    home = path / HOME_NOTEBOOK
    current = _fingerprint(_home_notebook(code)["cells"])  # the page this version writes
    if home.exists() and not changed and not (_home_is_the_kits(home) and _file_fingerprint(home) != current):
        result.kept.append(home)  # as this version writes it, or changed by the trainee: theirs wins
    else:  # the kit's page (a new language, or an older version's): it follows the language and the kit
        write_home(home, code)
        result.added.append(home)
    settings = path / WORKSPACE_FILE
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"lang": code}, indent=2) + "\n", encoding="utf-8")
    lab = path / LAB_SETTINGS / _LAB_TRANSLATION
    if changed or not lab.exists():  # JupyterLab's menus follow the language chosen
        lab.parent.mkdir(parents=True, exist_ok=True)
        lab.write_text(json.dumps({"locale": LAB_LOCALES.get(code, "en")}, indent=2) + "\n", encoding="utf-8")
    for name, defaults in _LAB_DEFAULTS.items():
        target = path / LAB_SETTINGS / name
        if target.exists():  # the trainee may have changed it in JupyterLab's settings: theirs wins
            result.kept.append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(defaults, indent=2) + "\n", encoding="utf-8")
            result.added.append(target)
    return result


def lab_arguments(workspace: str | Path) -> list[str]:
    """The JupyterLab options that serve a prepared workspace: its folder, and its own settings (no news pop-up).

    >>> lab_arguments("/tmp/ws")[1]
    '--LabApp.user_settings_dir=/tmp/ws/.mopskit/lab/user-settings'
    """
    root = Path(workspace)
    return [f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={root / LAB_SETTINGS}"]


# The home page's code cell as earlier versions of the kit wrote it: such a page is the kit's, and an update
# rewrites it (the functions it called were renamed).
_EARLIER_HOME_CODES = ("from mopskit.workspace import progress\n\nprogress()",)
_HOME_CODE = "from mopskit.workspace import workspace_progress\n\nworkspace_progress()"


def _fingerprint(cells: list[Any]) -> str:
    """The SHA-256 of a notebook's cell types and texts (outputs aside: running the page changes nothing)."""
    import hashlib

    text = "\x00".join(
        f"{cell.get('cell_type')}:{''.join(src) if isinstance(src := cell.get('source', ''), list) else src}"
        for cell in cells
        if isinstance(cell, dict)
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_fingerprint(home: Path) -> str:
    """The fingerprint of the cells of the notebook file ``home``."""
    return _fingerprint(json.loads(home.read_text(encoding="utf-8")).get("cells", []))


def _home_is_the_kits(home: Path) -> bool:
    """Whether a workspace's home page is the kit's plain one, as written, so that an update may write it afresh.

    Its one code cell is one the kit writes or wrote, and its cells are as the kit wrote them (the kit notes their
    fingerprint in the page's metadata; a page from before that note is taken as written). A page the trainee
    changed, one that cannot be read, and an onboarding path's page (its own code cell) are kept.
    """
    try:
        nb = json.loads(home.read_text(encoding="utf-8"))
        cells = nb.get("cells", [])
        code = [c.get("source", "") for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
        code = ["".join(src) if isinstance(src, list) else src for src in code]
        noted = nb.get("metadata", {}).get("mopskit", {}).get("cells")
        untouched = noted is None or noted == _fingerprint(cells)
        return untouched and len(code) == 1 and code[0] in (*_EARLIER_HOME_CODES, _HOME_CODE)
    except (OSError, ValueError, AttributeError):
        return False


def write_home(target: Path, lang: str = "en", *, code: str | None = None, intro: str | None = None) -> None:
    """Write a workspace's home page: a notebook whose one code cell shows the progress.

    The page notes its cells' fingerprint in its metadata, so that a later version of the kit knows whether the
    trainee changed it (then it is kept) or may write it afresh.

    Args:
        target: the notebook to write (``mopskit_home.ipynb`` in the workspace).
        lang: the language of its text.
        code: the code cell (default: :func:`workspace_progress`; an onboarding path shows its own view).
        intro: the Markdown above it (default: the lessons in order).

    """
    import nbformat

    nbformat.write(_home_notebook(lang, code=code, intro=intro), str(target))


def _home_notebook(lang: str, *, code: str | None = None, intro: str | None = None) -> Any:
    """The home page as a notebook (see :func:`write_home`)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    lesson = nbformat.read(str(lessons_dir(lang) / "00_start_here.ipynb"), as_version=4)
    intro = intro or _(
        "# Your MOps lessons\n\n"
        "Open a lesson from the table below, in order. The table shows how far you got in each one: how many "
        "exercises you answered, and how many of those the lesson's checks mark correct. It is counted from "
        "your saved answers each time this page opens."
    )
    outro = _(
        "Your answers are saved in the `.mopskit` folder of this workspace as you give them, so the app "
        "(`mopskit app`) and JupyterLab (`mopskit start`) show the same ones. In JupyterLab, run the cell above "
        "again to bring the table up to date."
    )
    code = code or _HOME_CODE
    nb = new_notebook(cells=[new_markdown_cell(intro), new_code_cell(code), new_markdown_cell(outro)])
    nb.metadata.update({k: lesson.metadata[k] for k in ("kernelspec", "language_info") if k in lesson.metadata})
    nb.metadata["mopskit"] = {"lang": lang, "cells": _fingerprint(nb.cells)}
    return nb


def kernel_environment(lang: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a workspace's server and kernels: ``MOPSKIT_LANG`` set to its language.

    >>> kernel_environment("th", {"PATH": "/bin"})
    {'PATH': '/bin', 'MOPSKIT_LANG': 'th'}
    """
    return {**(os.environ if base is None else base), "MOPSKIT_LANG": lang}


def start(
    *,
    directory: str | Path = "mopskit-workspace",
    launch: bool = True,
    port: int | None = None,
    lang: str | None = None,
) -> PreparedWorkspace:
    """Prepare the workspace, then open JupyterLab in it (the trainee's main job).

    Args:
        directory: the workspace folder.
        launch: start JupyterLab after preparing; false prepares only.
        port: the port JupyterLab listens on (default: its own choice, 8888 or the next free one).
        lang: the language (``ro``, ``th``, ``zh-TW``, ``en``); default: the workspace's, else English
            (see :func:`prepare_workspace`).

    """
    prepared = prepare_workspace(directory, lang=lang)
    if launch:
        command = [sys.executable, "-m", "jupyterlab", *lab_arguments(prepared.path)]
        first = sorted(prepared.path.glob("00_*.ipynb"))
        if first:
            command.append(str(first[0]))
        if port:
            command.append(f"--port={port}")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        try:
            env = kernel_environment(workspace_language(prepared.path) or "en")
            subprocess.run(command, cwd=prepared.path, check=False, env=env)
        except KeyboardInterrupt:  # Ctrl+C stops JupyterLab: a normal way out
            pass
    return prepared


@dataclass(frozen=True)
class LessonProgress:
    """How far a trainee got in one lesson, from the answers saved in the workspace.

    Attributes:
        lesson: the lesson's id, its file name without ``.ipynb`` (``"03_stack_audit"``).
        title: the lesson's first heading (``"03 · Audit a martech stack"``).
        notebook: the lesson's path inside the workspace, for links.
        exercises: how many exercises the lesson has.
        answered: how many of them have a saved answer.
        correct: how many saved answers pass every public check (what the lesson's Check button says).
        problem: why the lesson could not be counted, if it could not; empty otherwise.
        statuses: each exercise's verdict from the public checks (``correct``, ``partial``, ``wrong``,
            ``unanswered``), by id.

    """

    lesson: str
    title: str
    notebook: str
    exercises: int
    answered: int
    correct: int
    problem: str = ""
    statuses: tuple[tuple[str, str], ...] = ()

    @property
    def done(self) -> bool:
        """Whether every exercise of the lesson is answered and correct."""
        return self.exercises > 0 and self.correct == self.exercises


@dataclass
class WorkspaceProgress:
    """The progress of every lesson of a workspace: a table in a notebook, lines in a terminal."""

    directory: Path
    lessons: list[LessonProgress] = field(default_factory=list)

    @property
    def exercises(self) -> int:
        """Exercises in all lessons."""
        return sum(p.exercises for p in self.lessons)

    @property
    def answered(self) -> int:
        """Exercises answered, in all lessons."""
        return sum(p.answered for p in self.lessons)

    @property
    def correct(self) -> int:
        """Exercises answered correctly, in all lessons."""
        return sum(p.correct for p in self.lessons)

    def summary(self) -> str:
        """One sentence: answered and correct, all lessons together."""
        return _("You have answered {answered} of {total} exercises, {correct} of them correctly.").format(
            answered=self.answered, total=self.exercises, correct=self.correct
        )

    def __str__(self) -> str:
        width = max((len(p.title) for p in self.lessons), default=10)
        lines = [self.summary()]
        for p in self.lessons:
            counts = p.problem or _("{answered} of {total} answered, {correct} correct").format(
                answered=p.answered, total=p.exercises, correct=p.correct
            )
            lines.append(f"  {p.title:<{width}}  {counts}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        rows = []
        for p in self.lessons:
            bar = progress_bar(p.correct / p.exercises if p.exercises else 0.0)
            answered = _("{n} of {total}").format(n=p.answered, total=p.exercises)
            correct = _("{n} of {total}").format(n=p.correct, total=p.exercises)
            if p.problem:
                answered, correct, bar = escape(p.problem), "", ""
            tick = " ✓" if p.done else ""
            rows.append(
                f'<tr class="mopskit-progress-row" data-lesson="{escape(p.lesson)}">'
                f'<td style="text-align:left"><a href="{escape(p.notebook)}" target="_self">'
                f"{escape(p.title)}</a>{tick}</td>"
                f'<td class="mopskit-progress-answered">{answered}</td>'
                f'<td class="mopskit-progress-correct">{correct}</td><td>{bar}</td></tr>'
            )
        head = "".join(
            f'<th style="text-align:left">{escape(h)}</th>'
            for h in (_("Lesson"), _("Answered"), _("Correct"), _("Progress"))
        )
        note = _(
            "Correct means the lesson's checks pass, as its Check button says; more checks may run when your work "
            "is graded. Answers typed into code cells count when graded, but only answers given in the boxes "
            "and buttons are saved for this table."
        )
        return (
            f'<div class="mopskit-progress"><p><strong>{escape(self.summary())}</strong></p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<p style="font-size:90%;color:{COLOURS["muted"]}">{escape(note)}</p></div>'
        )


def exercise_statuses(exercises: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, str]:
    """Each exercise's verdict from its saved answer and its public checks: ``unanswered``, ``correct``, ...

    Hidden checks never run here, so nothing a grader keeps back is revealed.

    >>> from mopskit.assess import Exercise
    >>> q1 = Exercise("q1")
    >>> is_four = q1.check(points=1)(lambda answer: answer == 4)
    >>> exercise_statuses({"q1": q1, "q2": Exercise("q2")}, {"q1": 4})
    {'q1': 'correct', 'q2': 'unanswered'}
    """
    from .assess import from_jsonable

    found = {}
    for exercise_id, ex in exercises.items():
        saved = answers.get(exercise_id)
        found[exercise_id] = "unanswered" if saved is None else ex.run(answer=from_jsonable(saved)).status
    return found


def progress_bar(share: float, *, width: str = "10em") -> str:
    """A bar filled to ``share`` (0 to 1), styled inline for a notebook.

    >>> "width:50%" in progress_bar(0.5)
    True
    """
    return (
        f'<div style="width:{width};height:0.8em;background:{COLOURS["shade"]};border-radius:4px">'
        f'<div style="width:{share:.0%};height:100%;background:{COLOURS["ok"]};border-radius:4px"></div></div>'
    )


def score_answers(exercises: Mapping[str, Any], answers: Mapping[str, Any]) -> tuple[int, int]:
    """Count the exercises answered, and those whose answer passes every public check.

    Hidden checks never run here, so nothing a grader keeps back is revealed.

    Args:
        exercises: the lesson's exercises by id (:class:`mopskit.assess.Exercise`, e.g. from ``load_checks``).
        answers: saved answers by exercise id, as JSON data (``None``: not answered).

    Returns:
        ``(answered, correct)``.

    >>> from mopskit.assess import Exercise
    >>> q1, q2 = Exercise("q1"), Exercise("q2")
    >>> is_four = q1.check(points=1)(lambda answer: answer == 4)
    >>> is_yes = q2.check(points=1)(lambda answer: answer == "yes")
    >>> score_answers({"q1": q1, "q2": q2}, {"q1": 4, "q2": "no", "q9": 1})
    (2, 1)

    """
    statuses = exercise_statuses(exercises, answers).values()
    return sum(s != "unanswered" for s in statuses), sum(s == "correct" for s in statuses)


def lesson_title(notebook: str | Path) -> str:
    """A lesson's title: its first Markdown heading (its file name in words when it has none)."""
    import nbformat

    return _title(nbformat.read(str(notebook), as_version=4), Path(notebook).stem)


def _title(nb: Any, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback.replace("_", " ")


def _lesson_progress(notebook: Path, root: Path, answers: dict[str, Any]) -> LessonProgress:
    import nbformat

    from .assess import load_checks

    name = notebook.relative_to(root).as_posix()
    try:
        nb = nbformat.read(str(notebook), as_version=4)
        exercises = load_checks(notebook)
    except Exception as exc:  # a trainee's copy may be broken by hand: say so, and count the other lessons
        problem = _("could not be read ({kind}: {detail}); open it in JupyterLab to see why").format(
            kind=type(exc).__name__, detail=str(exc)[:120]
        )
        answered = sum(v is not None for v in answers.values())
        return LessonProgress(notebook.stem, notebook.stem.replace("_", " "), name, 0, answered, 0, problem)
    statuses = exercise_statuses(exercises, answers)
    answered = sum(s != "unanswered" for s in statuses.values())
    correct = sum(s == "correct" for s in statuses.values())
    title = _title(nb, notebook.stem)
    return LessonProgress(notebook.stem, title, name, len(exercises), answered, correct, "", tuple(statuses.items()))


def workspace_progress(directory: str | Path = ".", *, answers_dir: str | Path | None = None) -> WorkspaceProgress:
    """The progress of every lesson in a workspace: exercises answered, and answered correctly.

    Answers are read from the lesson's answer file (``.mopskit/<lesson>.answers.json``, where the lesson's
    widgets save them) and checked with the public checks of the workspace's own copy of the lesson: the checks
    its Check button runs, so the table never disagrees with the lesson, and a trainee copy holds no hidden
    checks or answer keys to reveal.

    Args:
        directory: the workspace (made by ``mopskit start`` or ``mopskit app``).
        answers_dir: where the answer files are; default ``$MOPSKIT_ANSWERS_DIR`` when set (as the lessons do),
            else ``.mopskit`` in the workspace.

    Raises:
        WorkspaceError: ``directory`` is not a folder.

    """
    root = Path(directory).expanduser()
    if not root.is_dir():
        raise WorkspaceError(
            _("'{path}' is not a folder; give the workspace made by `mopskit start` or `mopskit app`").format(path=root)
        )
    folder = answers_dir_of(root) if answers_dir is None else Path(answers_dir)
    found = WorkspaceProgress(root.resolve())
    for notebook in sorted(root.glob(LESSONS)):
        answers = read_answers_file(answers_file(notebook.stem, folder))
        found.lessons.append(_lesson_progress(notebook, root, answers))
    return found
