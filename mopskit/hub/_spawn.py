"""One user's server on the hub: the hub's check before it starts (as root), and its start command (as the user).

The hub runs :func:`pre_spawn_hook` in its own process: the user must have an ordinary account (never root) and a
home. It then starts ``python -m mopskit.hub`` under the user's account (``LocalProcessSpawner``), which is
:func:`start_user_server`: it prepares the user's workspace *as that user*, so the hub's root rights never
write inside a home a user controls (where a planted link could send a write anywhere), makes the workspace
private, and hands over to ``jupyterhub-singleuser`` with Voilà's app pages set up as ``mopskit app`` has them.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._answer_files import KIT_DIR
from ..errors import HubError, MopskitError
from ._config import DEFAULT_WORKSPACE

__all__ = [
    "ROLE_VARIABLES",
    "SERVER_CONFIG_DIR",
    "kit_warnings",
    "main",
    "pre_spawn_hook",
    "prepare_user_workspace",
    "roster_environment",
    "secure_instructor_dir",
    "start_user_server",
]

SERVER_CONFIG_DIR = f"{KIT_DIR}/hub"  # in the workspace: the user's server config (Voilà's app settings)
_PRIVATE = 0o700


# What the hub tells a user's server about its user's row of the roster (their path): environment variables.
ROLE_VARIABLES = {"role": "MOPSKIT_HUB_ROLE", "start": "MOPSKIT_HUB_START", "name": "MOPSKIT_HUB_NAME"}


def roster_environment(user: str, roster: str | Path) -> dict[str, str]:
    """The environment that gives ``user``'s server their role path: role, first day and name from the roster.

    Empty when the roster does not list them (an instructor, say): their server prepares the whole kit.

    Raises:
        OnboardingError: the roster cannot be read (every bad row named).

    """
    from ..errors import OnboardingError
    from ..onboarding import find_hire, read_hires

    read_hires(roster)  # a broken roster is an error to show, never a reason to give someone the wrong path
    try:
        hire = find_hire(user, roster)
    except OnboardingError:
        return {}
    values = {"role": hire.role, "start": hire.start.isoformat(), "name": hire.name}
    return {variable: str(values[key]) for key, variable in ROLE_VARIABLES.items()}


def pre_spawn_hook(spawner: Any, *, roster: str | Path | None = None) -> None:
    """JupyterHub's pre-spawn hook: refuse a user with no account or with root's, give a missing home, pass the path.

    It runs in the hub's process (as root), before the user's server starts; the workspace itself is prepared
    later, by the user's own server (:func:`start_user_server`), which cannot read the roster (it is in the
    instructor's folder): the user's role, first day and name travel in its environment (:func:`roster_environment`).

    Raises:
        HubError: no account of that name on this server, or it is root's; the hub shows the message.

    """
    import pwd

    name = spawner.user.name
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise HubError(
            f"there is no account '{name}' on this server: create it (sudo adduser {name}), or let the hub "
            "create accounts (mopskit hub-config --create-users)"
        ) from None
    if entry.pw_uid == 0:
        raise HubError(f"'{name}' is root's account: the hub never starts a server as root")
    blocked = _unreachable(spawner.cmd[0], entry)
    if blocked:
        raise HubError(
            f"the Python that runs the users' servers, {spawner.cmd[0]}, is out of {name}'s reach: {blocked}; "
            "install the kit in a Python every user can run (e.g. a virtual environment under /opt), and give it "
            "to mopskit hub-config --python"
        )
    home = Path(entry.pw_dir)
    if not home.is_dir():  # a new home, made by root in a folder only root controls, then given to the user
        home.mkdir(mode=_PRIVATE, parents=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    path = roster_environment(name, roster) if roster is not None else {}
    spawner.environment.update(path)
    role = path.get(ROLE_VARIABLES["role"], "the whole kit")
    spawner.log.info("mopskit: starting %s's server (account %s, home %s, path: %s)", name, entry.pw_uid, home, role)


def _unreachable(program: str, entry: Any) -> str:
    """Why an account cannot run ``program`` (a folder on its way it may not enter, ...); empty if it can."""
    import shutil

    found = shutil.which(program)
    if found is None:
        return "no such program"
    groups = set(os.getgrouplist(entry.pw_name, entry.pw_gid))

    def allowed(info: os.stat_result) -> bool:
        if info.st_uid == entry.pw_uid:
            return bool(info.st_mode & stat.S_IXUSR)
        if info.st_gid in groups:
            return bool(info.st_mode & stat.S_IXGRP)
        return bool(info.st_mode & stat.S_IXOTH)

    for path in (Path(found).absolute(), Path(found).resolve()):  # the link (a venv's) and the program itself
        for step in [*reversed(path.parents), path]:
            if not allowed(step.stat()):
                return f"it may not {'enter' if step.is_dir() else 'run'} {step}"
    return ""


def prepare_user_workspace(
    directory: str | Path, *, user: str = "", role: str = "", start: str = "", name: str = ""
) -> Path:
    """Prepare a user's workspace, for their role's path if they have one, and make it private to its owner.

    Run as the user (their server's start command does). With a role, the workspace holds their path's lessons,
    schedule and home page (:func:`mopskit.onboarding.prepare_workspace_for`); without, the whole kit, as
    ``mopskit start`` makes it. Existing files are kept, so a returning trainee finds their work.

    Returns:
        The workspace, resolved.

    Raises:
        WorkspaceError, OnboardingError: the folder cannot be made or written, or the role is unknown.

    """
    folder = Path(directory).expanduser()
    if role:
        from ..onboarding import prepare_workspace_for

        path = prepare_workspace_for(user, role, directory=folder, start=start or None, name=name).workspace
    else:
        from ..workspace import prepare_workspace

        path = prepare_workspace(folder).path
    os.chmod(path, _PRIVATE)  # other users cannot even list it, whatever the home's mode
    return path


def start_user_server(argv: Sequence[str] = ()) -> None:
    """The start command of a user's server on the hub: prepare the workspace, then become jupyterhub-singleuser.

    Runs as the user. Files the server and its kernels write are private to the user (umask 077). Never returns:
    the process becomes the single-user server (same process id, which the hub watches).

    Args:
        argv: arguments for ``jupyterhub-singleuser`` (the hub's ``Spawner.args``).

    Raises:
        HubError, WorkspaceError: the workspace cannot be prepared (the hub shows the server failed to start; the
            message is in its log).

    """
    from ..app import write_server_config
    from ..workspace import lab_arguments

    os.umask(0o077)
    path = {key: os.environ.get(variable, "") for key, variable in ROLE_VARIABLES.items()}
    root = prepare_user_workspace(
        os.environ.get("JUPYTERHUB_ROOT_DIR") or f"~/{DEFAULT_WORKSPACE}",
        user=os.environ.get("JUPYTERHUB_USER", ""),
        **path,
    )
    config = write_server_config(root / SERVER_CONFIG_DIR)
    os.environ["JUPYTERHUB_ROOT_DIR"] = str(root)  # '~' already expanded, for the server and its kernels
    paths = [str(config.parent), *filter(None, os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    os.environ.pop("MOPSKIT_ANSWERS_DIR", None)  # answers go beside the lessons, in the workspace
    os.chdir(root)
    command = [sys.executable, "-m", "jupyterhub.singleuser", *lab_arguments(root), *argv]
    os.execv(sys.executable, command)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mopskit.hub [ARGS...]``: :func:`start_user_server`; returns 1 with the message on a kit error."""
    try:
        start_user_server(sys.argv[1:] if argv is None else argv)
    except MopskitError as exc:
        print(f"mopskit: this user's server cannot start: {exc}", file=sys.stderr)
        return 1
    return 0  # pragma: no cover - start_user_server never returns when it succeeds


def secure_instructor_dir(directory: str | Path) -> Path:
    """Create the instructor's folder if needed and make it readable by its owner only (run by the hub's config).

    The gradebook, the roster and collected submissions go there, and the hub keeps its own files in ``hub/``
    inside it. No user's server can read any of it: the folder's mode is 0700 and, when the hub runs as root,
    its owner is root. Also warns (on the hub's log) when the kit itself gives answer keys away: a checkout
    whose ``notebooks/`` every account can read.

    Returns:
        The folder.

    Raises:
        HubError: the folder lies inside a folder another account owns (that account could swap it), or it
            cannot be made.

    """
    folder = Path(directory).expanduser().absolute()
    me = os.geteuid()
    for parent in reversed(folder.parents):
        try:
            info = parent.lstat()
        except FileNotFoundError:
            break
        if info.st_uid not in (0, me) or (info.st_mode & stat.S_IWOTH and not info.st_mode & stat.S_ISVTX):
            raise HubError(
                f"the instructor's folder '{folder}' is inside '{parent}', which another account can change; "
                f"choose a folder under one only root controls, such as /srv/mopskit"
            )
    try:
        folder.mkdir(mode=_PRIVATE, parents=True, exist_ok=True)
        (folder / "hub").mkdir(mode=_PRIVATE, exist_ok=True)
        info = folder.lstat()
        if stat.S_ISLNK(info.st_mode) or info.st_uid not in (0, me):
            raise HubError(
                f"the instructor's folder '{folder}' is a symbolic link or another account's folder; "
                "give a folder of root's (it is created if missing)"
            )
        os.chmod(folder, _PRIVATE)
        os.chmod(folder / "hub", _PRIVATE)
    except OSError as exc:
        raise HubError(f"cannot make the instructor's folder '{folder}' private ({exc.strerror})") from None
    for warning in kit_warnings():
        print(f"mopskit: warning: {warning}", file=sys.stderr)
    return folder


def kit_warnings() -> list[str]:
    """What in this installation of the kit would let trainees on a shared server read what they should not."""
    from .._resources import packaged_lessons, sources_dir

    if packaged_lessons() is not None:
        return []  # an installed wheel: released lessons only, no answer keys
    sources = sources_dir()
    if sources is not None and sources.stat().st_mode & stat.S_IROTH:
        return [
            f"the kit runs from a checkout whose {sources} holds the lessons' answer keys, and every account "
            "on this server can read it; for a cohort, install the kit from its wheel (pip install mopskit, or "
            "pip wheel . in the checkout) in the Python that runs the users' servers"
        ]
    return []
