"""``mopskit collect``: the lessons and answers in the users' workspaces, gathered for ``mopskit grade``.

Each user's lessons are copied to ``OUT_DIR/<user>/<lesson>.ipynb`` (the layout ``mopskit grade`` reads, one
folder per trainee), carrying the answers their widgets saved in ``.mopskit/<lesson>.answers.json``: a trainee who
answered in the app never saved the notebook, and the grader counts only what a submission carries. The answer
files are kept beside them too (``OUT_DIR/<user>/.mopskit/``).

It runs as root on the hub's server and reads folders the users control, so it trusts nothing in them: a
workspace or file that is a symbolic link, is not a plain file or folder, belongs to another account or is too big
is skipped with the reason, and files are opened relative to a folder already opened (a link swapped in
meanwhile is refused, not followed).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from .._answer_files import KIT_DIR, answers_file
from ..errors import HubError
from ._config import DEFAULT_WORKSPACE, user_names

__all__ = ["LESSON_FILES", "Collection", "UserWork", "collect", "collect_workspaces", "hub_workspaces"]

LESSON_FILES = "[0-9][0-9]_*.ipynb"  # the lessons of a workspace
_ANSWERS_LIMIT = 4 * 1024 * 1024  # bytes of one answer file
_PRIVATE = 0o700


@dataclass
class UserWork:
    """What was collected from one user's workspace.

    Attributes:
        user: the account (and trainee id in the gradebook).
        workspace: where their work was read.
        lessons: the lessons collected (file names without ``.ipynb``).
        answers: answers carried in all, from the answer files.
        skipped: files or folders left out, each with its reason.

    """

    user: str
    workspace: Path
    lessons: list[str] = field(default_factory=list)
    answers: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        line = f"{self.user}: {len(self.lessons)} lessons, {self.answers} saved answers ({self.workspace})"
        return "\n".join([line, *(f"  skipped {s}" for s in self.skipped)])


@dataclass
class Collection:
    """Everything :func:`collect` gathered, by user, ready for ``mopskit grade OUT_DIR``."""

    out_dir: Path
    users: list[UserWork] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [str(u) for u in self.users]
        lines.append(
            f"Collected {sum(len(u.lessons) for u in self.users)} lessons from {len(self.users)} users into "
            f"{self.out_dir}; grade them with: mopskit grade {self.out_dir} --source notebooks/"
        )
        return "\n".join(lines)


class _Skip(Exception):
    """A file or folder left out, with the reason."""


def _open_dir(path: str | Path, *, owner: int | None, dir_fd: int | None = None) -> int:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dir_fd)
    except FileNotFoundError:
        raise _Skip("it does not exist") from None
    except OSError as exc:  # ELOOP/ENOTDIR: a link or a file where a folder should be
        raise _Skip(f"it is not a folder one can open without following a link ({exc.strerror})") from None
    info = os.fstat(fd)
    if owner is not None and info.st_uid != owner:
        os.close(fd)
        raise _Skip(f"it belongs to another account (uid {info.st_uid})")
    return fd


def _read_file(name: str, *, dir_fd: int, owner: int | None, limit: int) -> bytes:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError as exc:
        raise _Skip(f"it cannot be opened without following a link ({exc.strerror})") from None
    info = os.fstat(fd)
    problem = ""
    if not stat.S_ISREG(info.st_mode):
        problem = "it is not a plain file"
    elif owner is not None and info.st_uid != owner:
        problem = f"it belongs to another account (uid {info.st_uid})"
    if problem:
        os.close(fd)
        raise _Skip(problem)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _Skip(f"it is over {limit // (1024 * 1024)} MB")
    return data


def _with_answers(notebook: bytes, lesson: str, answers: dict[str, Any]) -> bytes:
    """The notebook, carrying ``answers`` as the widgets carry them (after what it carried already, so they win)."""
    import nbformat
    from nbformat.v4 import new_output

    from ..assess import ANSWER_MIME, answers_in_notebook

    nb = nbformat.reads(notebook.decode("utf-8"), as_version=4)
    carried = answers_in_notebook(nb)
    fresh = {k: v for k, v in answers.items() if v is not None and carried.get(k) != v}
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if not fresh or not code:
        return notebook
    for exercise_id, answer in fresh.items():
        bundle = {"lesson": lesson, "exercise": exercise_id, "answer": answer}
        code[-1].outputs.append(new_output("display_data", data={ANSWER_MIME: bundle, "text/plain": repr(answer)}))
    nb.metadata.setdefault("mopskit", {})["collected_answers"] = sorted(fresh)
    return nbformat.writes(nb).encode("utf-8")


def _saved_answers(name: str, kit: int, *, owner: int | None, work: UserWork) -> dict[str, Any]:
    """A lesson's answer file in the workspace's ``.mopskit`` folder (opened as ``kit``); none if absent or bad."""
    if name not in os.listdir(kit):
        return {}
    where = work.workspace / KIT_DIR / name
    try:
        loaded = json.loads(_read_file(name, dir_fd=kit, owner=owner, limit=_ANSWERS_LIMIT).decode("utf-8"))
    except _Skip as skip:
        work.skipped.append(f"{where}: {skip}")
        return {}
    except ValueError:
        work.skipped.append(f"{where}: it is not JSON")
        return {}
    if not isinstance(loaded, dict):
        work.skipped.append(f"{where}: it holds no answers by exercise")
        return {}
    return loaded


def _collect_one(user: str, workspace: Path, target: Path, *, owner: int | None, lessons: str) -> UserWork:
    from ..assess import MAX_NOTEBOOK_BYTES

    work = UserWork(user, workspace)
    try:
        root = _open_dir(workspace, owner=owner)
    except _Skip as skip:
        work.skipped.append(f"the workspace {workspace}: {skip}")
        return work
    try:
        try:
            kit: int | None = _open_dir(KIT_DIR, owner=owner, dir_fd=root)
        except _Skip as skip:
            kit = None
            if "does not exist" not in str(skip):
                work.skipped.append(f"{workspace / KIT_DIR}: {skip}")
        for name in sorted(n for n in os.listdir(root) if fnmatch(n, lessons)):
            lesson = name[: -len(".ipynb")]
            try:
                notebook = _read_file(name, dir_fd=root, owner=owner, limit=MAX_NOTEBOOK_BYTES)
            except _Skip as skip:
                work.skipped.append(f"{workspace / name}: {skip}")
                continue
            saved = answers_file(lesson, ".").name
            answers = _saved_answers(saved, kit, owner=owner, work=work) if kit is not None else {}
            if answers:
                (target / KIT_DIR).mkdir(mode=_PRIVATE, parents=True, exist_ok=True)
                (target / KIT_DIR / saved).write_text(json.dumps(answers, indent=1, ensure_ascii=False), "utf-8")
            try:
                notebook = _with_answers(notebook, lesson, answers)
            except Exception as exc:  # a broken notebook is the grader's to report: copy it as it is
                work.skipped.append(
                    f"the answers of {workspace / name} (not a readable notebook: {type(exc).__name__})"
                )
            target.mkdir(mode=_PRIVATE, parents=True, exist_ok=True)
            (target / name).write_bytes(notebook)
            work.lessons.append(lesson)
            work.answers += sum(v is not None for v in answers.values())
        if kit is not None:
            os.close(kit)
    finally:
        os.close(root)
    return work


def collect_workspaces(
    out_dir: str | Path,
    workspaces: Mapping[str, str | Path],
    *,
    owners: Mapping[str, int] | None = None,
    lessons: str = LESSON_FILES,
) -> Collection:
    """Collect the lessons and saved answers of the workspaces given, one folder per user in ``out_dir``.

    Args:
        out_dir: where to write (created private, 0700); a user's earlier collection is replaced file by file.
        workspaces: each user's workspace, by user name.
        owners: each user's uid: files and folders another account owns are skipped (default: not checked).
        lessons: which notebooks of a workspace to take (a pattern such as ``"10_*.ipynb"``).

    Raises:
        HubError: ``out_dir`` cannot be written.

    """
    out = Path(out_dir)
    lessons = lessons if lessons.endswith(".ipynb") else f"{lessons}.ipynb"
    try:
        out.mkdir(mode=_PRIVATE, parents=True, exist_ok=True)
    except OSError as exc:
        raise HubError(f"cannot write the collection to '{out}' ({exc.strerror}); choose another OUT_DIR") from None
    result = Collection(out.resolve())
    for user, workspace in workspaces.items():
        owner = None if owners is None else owners[user]
        result.users.append(_collect_one(user, Path(workspace), out / user, owner=owner, lessons=lessons))
    return result


def hub_workspaces(
    users: Iterable[str] | None = None, *, workspace: str = DEFAULT_WORKSPACE
) -> tuple[dict[str, Path], dict[str, int]]:
    """The workspaces of the hub's users on this server, and each user's uid.

    Args:
        users: account names; default: every ordinary account (not root) whose home holds a workspace.
        workspace: the workspace folder in each home, or an absolute path with ``{username}``, as in the hub's
            config (``mopskit hub-config --workspace``).

    Raises:
        HubError: a user named has no account here, or no user has a workspace.

    """
    import pwd

    def place(entry: pwd.struct_passwd) -> Path:
        if Path(workspace).is_absolute():
            return Path(workspace.format(username=entry.pw_name))
        return Path(entry.pw_dir) / workspace

    if users is not None:
        names = user_names(users)
        unknown = []
        entries = []
        for name in names:
            try:
                entries.append(pwd.getpwnam(name))
            except KeyError:
                unknown.append(name)
        if unknown:
            raise HubError(f"no account on this server for: {', '.join(unknown)}; check the names given to --hub-users")
    else:
        entries = sorted(
            (e for e in pwd.getpwall() if e.pw_uid != 0 and place(e).is_dir() and not place(e).is_symlink()),
            key=lambda e: e.pw_name,
        )
        if not entries:
            raise HubError(
                f"no account on this server has a workspace ('{workspace}' in its home); name the users with "
                "--hub-users, or give the hub's --workspace"
            )
    return {e.pw_name: place(e) for e in entries}, {e.pw_name: e.pw_uid for e in entries}


def collect(
    out_dir: str | Path,
    *,
    users: Iterable[str] | None = None,
    workspace: str = DEFAULT_WORKSPACE,
    lessons: str = LESSON_FILES,
) -> Collection:
    """Gather the hub users' lessons and saved answers into ``out_dir``, one folder per user, for ``mopskit grade``.

    Run it as root on the hub's server (it reads every user's workspace). What a user's folder holds is not
    trusted: links, files of another account, odd files and oversized ones are skipped and listed.

    Args:
        out_dir: where to write (best inside the instructor's folder, which only root can read).
        users: account names (default: every account with a workspace).
        workspace: the workspace in each home, as in the hub's config.
        lessons: which notebooks to take, e.g. ``"10_*.ipynb"`` for the capstone only.

    Raises:
        HubError: an unknown user, no workspace at all, or ``out_dir`` cannot be written.

    """
    workspaces, owners = hub_workspaces(users, workspace=workspace)
    return collect_workspaces(out_dir, workspaces, owners=owners, lessons=lessons)
