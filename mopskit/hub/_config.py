"""``mopskit hub-config``: a ``jupyterhub_config.py`` for a cohort on one Linux server.

The file written is plain JupyterHub configuration, commented, that an administrator can read and edit. What it
sets up: each trainee logs in with their own account of the server (PAM by default) and gets a server of their
own, started under that account (``LocalProcessSpawner``), in a workspace of their own prepared at spawn
(:mod:`mopskit.hub._spawn`); JupyterLab at ``/user/<name>/lab`` and the lessons as apps (Voilà's server extension)
at ``/user/<name>/voila/render/mopskit_home.ipynb``. The instructor's folder (gradebook, collected submissions,
the hub's own database) is made readable by root only each time the hub starts.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .._version import __version__
from ..errors import HubError

__all__ = [
    "AUTHENTICATORS",
    "DEFAULT_INSTRUCTOR_DIR",
    "DEFAULT_WORKSPACE",
    "LANDING_PAGES",
    "WrittenConfig",
    "hub_config_text",
    "user_names",
    "write_hub_config",
]

DEFAULT_WORKSPACE = "mopskit-workspace"  # in each user's home, as `mopskit start` names it
DEFAULT_INSTRUCTOR_DIR = "/srv/mopskit"
# What each user's server opens first: JupyterLab on the home page, or the home page as an app (no code).
LANDING_PAGES = {"lab": "/lab/tree/mopskit_home.ipynb", "app": "/voila/render/mopskit_home.ipynb"}
# Authenticators the kit names; any other JupyterHub authenticator (an entry point such as "github", or a class
# path) is written as given.
AUTHENTICATORS = {
    "pam": "the server's own accounts and their passwords (PAM)",
    "dummy": "any password is accepted: for trying the hub on this computer only, never for a cohort",
}
# An account name the server can hold (useradd's rule, in lower case as JupyterHub normalises names).
_ACCOUNT = re.compile(r"^[a-z_][a-z0-9_.-]{0,31}$")
_CLASS_NAME = re.compile(r"^[A-Za-z_][\w.:-]*$")


@dataclass(frozen=True)
class WrittenConfig:
    """What :func:`write_hub_config` wrote, and what to do before starting the hub.

    Attributes:
        path: the config file.
        users: the accounts allowed to log in (admins included).
        warnings: things to set right on this server before starting the hub (a missing proxy, ...).

    """

    path: Path
    users: tuple[str, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        lines = [
            f"JupyterHub config written to {self.path} for {len(self.users)} users.",
            f"Start the hub as root with:  jupyterhub -f {self.path}",
        ]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def user_names(names: Iterable[str]) -> tuple[str, ...]:
    """Check account names for the hub, in the order given, without repeats (``ana,bob`` may be one entry).

    Raises:
        HubError: a name the server cannot hold as an account, or ``root``.

    >>> user_names(["ana,bob", " Carla ", "ana"])
    ('ana', 'bob', 'carla')

    """
    found: list[str] = []
    for entry in names:
        for raw in entry.split(","):
            name = raw.strip().lower()
            if not name:
                continue
            if not _ACCOUNT.match(name):
                raise HubError(
                    f"'{raw.strip()}' cannot be an account name on the server: use up to 32 lower-case letters, "
                    "digits, '_', '-' or '.', starting with a letter (e.g. ana.lopez)"
                )
            if name == "root":
                raise HubError("'root' may not use the hub: every trainee and instructor needs an ordinary account")
            if name not in found:
                found.append(name)
    return tuple(found)


def _check_workspace(workspace: str) -> str:
    path = Path(workspace)
    if not workspace.strip() or ".." in path.parts:
        raise HubError(f"workspace '{workspace}' must be a folder name inside each home (e.g. {DEFAULT_WORKSPACE})")
    if path.is_absolute() and "{username}" not in workspace:
        raise HubError(
            f"workspace '{workspace}' is one folder for everyone; put {{username}} in it "
            "(e.g. /srv/work/{username}) or give a folder name inside each home"
        )
    return workspace


def _check_listen(ip: str, port: int, authenticator: str) -> None:
    if not 0 < port < 65536:
        raise HubError(f"'--port' must be a number from 1 to 65535 (got {port})")
    if ip:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            raise HubError(f"'--ip' must be an IP address such as 127.0.0.1 or 0.0.0.0 (got '{ip}')") from None
    if authenticator == "dummy" and not (ip and address.is_loopback):
        raise HubError(
            "the dummy authenticator lets anyone in with any password: it is for trying the hub on this computer; "
            "add --ip 127.0.0.1, or use --authenticator pam for a cohort"
        )


def _roster_users(roster: Path) -> tuple[str, ...]:
    """The account names of a roster of hires: their ids, or the part of their email before ``@``."""
    from ..onboarding import read_hires

    hires = read_hires(roster)
    names = [h.id if _ACCOUNT.match(h.id.lower()) or not h.email else h.email.split("@")[0] for h in hires]
    try:
        return user_names(names)
    except HubError as exc:
        raise HubError(
            f"roster '{roster}': {exc}; give the roster an id column with each hire's account name"
        ) from None


def _set_text(names: Iterable[str]) -> str:
    """A set of names as Python source, sorted so the same options always write the same file.

    >>> _set_text(["bob", "ana"]), _set_text([])
    ("{'ana', 'bob'}", 'set()')
    """
    items = sorted(names)
    return "{" + ", ".join(map(repr, items)) + "}" if items else "set()"


def hub_config_text(
    *,
    users: Iterable[str],
    admins: Iterable[str] = (),
    authenticator: str = "pam",
    workspace: str = DEFAULT_WORKSPACE,
    instructor_dir: str | Path = DEFAULT_INSTRUCTOR_DIR,
    ip: str = "",
    port: int = 8000,
    hub_port: int = 8081,
    proxy_api_port: int = 8001,
    python: str | Path | None = None,
    landing: str = "lab",
    roster: str | Path | None = None,
    create_users: bool = False,
) -> str:
    """The text of a ``jupyterhub_config.py`` for a cohort (see :func:`write_hub_config` for the options).

    Raises:
        HubError: an option that cannot work, naming it and how to fix it.

    """
    trainees, admin_names = user_names(users), user_names(admins)
    if roster is not None:
        roster = Path(roster).expanduser().absolute()
        trainees = trainees or _roster_users(roster)
    if not trainees and not admin_names:
        raise HubError("name who may log in: --users ana,bob or --roster hires.csv (and --admins for instructors)")
    if not _CLASS_NAME.match(authenticator):
        raise HubError(
            f"'--authenticator' must be pam, dummy, or a JupyterHub authenticator's name (got '{authenticator}')"
        )
    if landing not in LANDING_PAGES:
        raise HubError(f"'--landing' must be one of {', '.join(LANDING_PAGES)} (got '{landing}')")
    _check_workspace(workspace)
    _check_listen(ip, port, authenticator)
    for option, number in (("--hub-port", hub_port), ("--proxy-api-port", proxy_api_port)):
        if not 0 < number < 65536 or number == port:
            raise HubError(f"'{option}' must be a free port from 1 to 65535, other than --port {port} (got {number})")
    if hub_port == proxy_api_port:
        raise HubError(f"'--hub-port' and '--proxy-api-port' must differ (both are {hub_port})")
    if create_users and authenticator != "pam":
        raise HubError("--create-users adds accounts for the PAM authenticator only; leave it out, or use pam")
    instructor = Path(instructor_dir).expanduser()
    if not instructor.is_absolute():
        instructor = Path.cwd() / instructor
    python = str(python or sys.executable)
    state = instructor / "hub"
    everyone = sorted(set(trainees) | set(admin_names))
    auth_comment = AUTHENTICATORS.get(authenticator, "as named; see its own documentation")
    bind = f"http://{ip}:{port}" if ":" not in ip else f"http://[{ip}]:{port}"
    lines = [
        f'"""JupyterHub for a mopskit cohort: written by `mopskit hub-config` (mopskit {__version__}) on '
        f"{date.today().isoformat()}.",
        "",
        "Start it as root, which it needs to start each user's server under that user's own account:",
        "",
        "    jupyterhub -f jupyterhub_config.py",
        "",
        "Every setting is plain JupyterHub configuration: edit it as you need. Each user gets JupyterLab at",
        "/user/<name>/lab and the lessons as apps, with no code, at /user/<name>/voila/render/mopskit_home.ipynb.",
        '"""',
        "",
        "import functools" if roster is not None else "",
        "import mopskit.hub",
        "",
        "# Who may log in. Each user needs an account on this server (adduser ana); admins may also stop",
        "# and start everyone's servers from /hub/admin.",
        f"# {authenticator}: {auth_comment}",
        f"c.JupyterHub.authenticator_class = {authenticator!r}",
        f"c.Authenticator.allowed_users = {_set_text(everyone)}",
        f"c.Authenticator.admin_users = {_set_text(admin_names)}",
    ]
    if create_users:
        lines.append("c.LocalAuthenticator.create_system_users = True  # accounts added from /hub/admin are created")
    lines += [
        "",
        "# Where the hub listens, and its own files (in the instructor's folder, root only). For a cohort on a",
        "# network, serve it over HTTPS: c.JupyterHub.ssl_cert and c.JupyterHub.ssl_key, or a reverse proxy.",
        f"c.JupyterHub.bind_url = {bind!r}",
        f"c.JupyterHub.db_url = {'sqlite:///' + str(state / 'jupyterhub.sqlite')!r}",
        f"c.JupyterHub.cookie_secret_file = {str(state / 'jupyterhub_cookie_secret')!r}",
        f"c.ConfigurableHTTPProxy.pid_file = {str(state / 'jupyterhub-proxy.pid')!r}",
        "# The hub and the proxy also talk on two ports of this computer only:",
        f"c.JupyterHub.hub_port = {hub_port}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{proxy_api_port}'",
        "",
        "# Each user's server runs under their own account, in their own workspace. The command prepares the",
        "# workspace as that user (lessons and data added, their work never overwritten, the folder private),",
        "# then starts JupyterLab with Voilà's app pages.",
        'c.JupyterHub.spawner_class = "localprocess"',
        f"c.Spawner.cmd = [{python!r}, '-m', 'mopskit.hub']",
        f"c.Spawner.notebook_dir = {('~/' + workspace) if not Path(workspace).is_absolute() else workspace!r}",
        f"c.Spawner.default_url = {LANDING_PAGES[landing]!r}",
        *(
            [
                "# Checks the account and, from the roster (name, email, role, start date), passes each user's role",
                "# path to their server: their lessons, schedule and home page. Users not on it get the whole kit.",
                f"c.Spawner.pre_spawn_hook = functools.partial(mopskit.hub.pre_spawn_hook, roster={str(roster)!r})",
            ]
            if roster is not None
            else ["c.Spawner.pre_spawn_hook = mopskit.hub.pre_spawn_hook  # checks the account, before anything starts"]
        ),
        "c.Spawner.start_timeout = 120  # seconds: the first start copies the lessons and data",
        "c.Spawner.http_timeout = 120",
        "",
        "# The instructor's folder (gradebook, roster, collected submissions, the hub's files): created if",
        "# missing and made readable by root only, each time the hub starts. Collect work into it with:",
        f"#     mopskit collect {instructor / 'submissions'}",
        f"mopskit.hub.secure_instructor_dir({str(instructor)!r})",
        "",
    ]
    return "\n".join(lines)


def write_hub_config(
    *,
    users: Iterable[str],
    out: str | Path = "jupyterhub_config.py",
    admins: Iterable[str] = (),
    authenticator: str = "pam",
    workspace: str = DEFAULT_WORKSPACE,
    instructor_dir: str | Path = DEFAULT_INSTRUCTOR_DIR,
    ip: str = "",
    port: int = 8000,
    hub_port: int = 8081,
    proxy_api_port: int = 8001,
    python: str | Path | None = None,
    landing: str = "lab",
    roster: str | Path | None = None,
    create_users: bool = False,
    force: bool = False,
) -> WrittenConfig:
    """Write a ``jupyterhub_config.py`` that serves the kit to a cohort on this server.

    Args:
        users: the trainees' account names (``"ana,bob"`` entries are split).
        out: the file to write.
        admins: instructors' account names: they log in too, and may stop and start servers from ``/hub/admin``.
        authenticator: ``pam`` (the server's accounts and passwords), ``dummy`` (any password; this computer
            only), or another JupyterHub authenticator's name, written as given.
        workspace: each user's workspace, a folder in their home (or an absolute path with ``{username}``).
        instructor_dir: the instructor's folder, made readable by root only when the hub starts; the hub keeps
            its own database there too.
        ip: the address the hub listens on (``""``: every address of the server).
        port: the port it listens on.
        hub_port: the port of the hub's own API, on 127.0.0.1 (the users' servers and the proxy call it).
        proxy_api_port: the port of the proxy's API, on 127.0.0.1 (the hub adds each user's route there).
        python: the Python that runs each user's server, with the kit installed (default: this one).
        landing: what a user sees first: ``lab`` (JupyterLab on the home page) or ``app`` (the home page as an
            app, no code).
        roster: a roster of hires (name, email, role, start date; :func:`mopskit.onboarding.read_hires`): each
            user on it gets their role's path; without ``users``, its ids are the users. Keep it in the
            instructor's folder.
        create_users: with ``pam``, create the account of a user an admin adds from ``/hub/admin``.
        force: replace ``out`` if it exists.

    Returns:
        The file written, with warnings about this server (a missing proxy, JupyterHub not installed, ...).

    Raises:
        HubError: an option that cannot work, or ``out`` exists (without ``force``).

    """
    users, admins = list(users), list(admins)
    target = Path(out)
    if target.exists() and not force:
        raise HubError(f"'{target}' exists; choose another --out, or add --force to replace it")
    text = hub_config_text(
        users=users,
        admins=admins,
        authenticator=authenticator,
        workspace=workspace,
        instructor_dir=instructor_dir,
        ip=ip,
        port=port,
        hub_port=hub_port,
        proxy_api_port=proxy_api_port,
        python=python,
        landing=landing,
        roster=roster,
        create_users=create_users,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    trainees = user_names(users) if users or roster is None else _roster_users(Path(roster).expanduser().absolute())
    everyone = user_names([*trainees, *admins])
    return WrittenConfig(target.resolve(), everyone, tuple(_server_warnings(python)))


def _server_warnings(python: str | Path | None) -> list[str]:
    """What this server lacks to run the hub as written (checked for this Python only)."""
    import importlib.util

    found = []
    if shutil.which("configurable-http-proxy") is None:
        found.append(
            "configurable-http-proxy is not on the PATH; install it with: npm install -g configurable-http-proxy"
        )
    if (python is None or str(python) == sys.executable) and importlib.util.find_spec("jupyterhub") is None:
        found.append("JupyterHub is not installed in this Python; install it with: pip install 'mopskit[hub]'")
    return found
