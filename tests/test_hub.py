"""The hub's config, its checks, each user's workspace, and collecting work.

The real hub, with real accounts and a browser, is tested in tests/browser/test_hub.py.
"""

from __future__ import annotations

import json
import os
import pwd
import types
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from traitlets.config import PyFileConfigLoader

import mopskit.hub
from mopskit._answer_files import answers_file, write_answers_file
from mopskit._resources import sources_dir
from mopskit.assess import answers_in_notebook
from mopskit.assess._collect import find_submissions, read_submission
from mopskit.cli import main
from mopskit.errors import HubError, OnboardingError
from mopskit.hub import (
    collect_workspaces,
    hub_config_text,
    prepare_user_workspace,
    secure_instructor_dir,
    write_hub_config,
)
from mopskit.hub._spawn import _unreachable, pre_spawn_hook, roster_environment
from mopskit.onboarding import PLAN_FILE


def _load(path: Path):
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def test_the_config_is_jupyterhub_configuration_for_the_cohort(tmp_path):
    written = write_hub_config(
        users=["ana,bob"],
        admins=["lead"],
        out=tmp_path / "jupyterhub_config.py",
        instructor_dir=tmp_path / "instructor",
        port=8123,
        python="/opt/mopskit/bin/python",
        landing="app",
    )
    assert written.users == ("ana", "bob", "lead")
    config = _load(written.path)
    assert config.JupyterHub.authenticator_class == "pam"
    assert config.Authenticator.allowed_users == {"ana", "bob", "lead"}
    assert config.Authenticator.admin_users == {"lead"}
    assert config.JupyterHub.bind_url == "http://:8123"
    assert config.JupyterHub.spawner_class == "localprocess"
    assert config.Spawner.cmd == ["/opt/mopskit/bin/python", "-m", "mopskit.hub"]
    assert config.Spawner.notebook_dir == "~/mopskit-workspace"
    assert config.Spawner.default_url == "/voila/render/mopskit_home.ipynb"
    assert config.Spawner.pre_spawn_hook is mopskit.hub.pre_spawn_hook
    assert config.JupyterHub.db_url == f"sqlite:///{tmp_path / 'instructor' / 'hub' / 'jupyterhub.sqlite'}"
    instructor = tmp_path / "instructor"
    assert instructor.is_dir() and instructor.stat().st_mode & 0o777 == 0o700, "loading the config secures it"
    assert (instructor / "hub").stat().st_mode & 0o777 == 0o700


def test_the_same_options_write_the_same_file():
    options = {"users": ["bob", "ana", "carla"], "admins": ["zed", "lead"], "instructor_dir": "/srv/x"}
    first = hub_config_text(**options)
    assert first.replace(first.splitlines()[0], "") == hub_config_text(**options).replace(first.splitlines()[0], "")
    assert "c.Authenticator.allowed_users = {'ana', 'bob', 'carla', 'lead', 'zed'}" in first


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"users": []}, "name who may log in"),
        ({"users": ["Ana Lopez"]}, "cannot be an account name"),
        ({"users": ["root"]}, "'root' may not use the hub"),
        ({"users": ["ana"], "authenticator": "dummy"}, "add --ip 127.0.0.1"),
        ({"users": ["ana"], "authenticator": "dummy", "ip": "0.0.0.0"}, "add --ip 127.0.0.1"),
        ({"users": ["ana"], "ip": "localhost"}, "must be an IP address"),
        ({"users": ["ana"], "port": 0}, "'--port' must be a number"),
        ({"users": ["ana"], "hub_port": 8000}, "'--hub-port' must be a free port"),
        ({"users": ["ana"], "hub_port": 9000, "proxy_api_port": 9000}, "must differ"),
        ({"users": ["ana"], "workspace": "../shared"}, "must be a folder name inside each home"),
        ({"users": ["ana"], "workspace": "/srv/work"}, "put {username} in it"),
        ({"users": ["ana"], "landing": "notebook"}, "'--landing' must be one of lab, app"),
        ({"users": ["ana"], "authenticator": "dummy", "ip": "127.0.0.1", "create_users": True}, "PAM"),
        ({"users": ["ana"], "authenticator": "x; import os"}, "'--authenticator' must be"),
    ],
)
def test_options_that_cannot_work_are_refused_saying_how_to_fix_them(options, message):
    with pytest.raises(HubError, match=message.replace("(", r"\(").replace("{", r"\{")):
        hub_config_text(**options)


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    out = tmp_path / "jupyterhub_config.py"
    out.write_text("# the admin's own\n")
    with pytest.raises(HubError, match="exists; choose another --out, or add --force"):
        write_hub_config(users=["ana"], out=out, instructor_dir=tmp_path / "i")
    assert out.read_text() == "# the admin's own\n"
    write_hub_config(users=["ana"], out=out, instructor_dir=tmp_path / "i", force=True)
    assert "mopskit.hub.pre_spawn_hook" in out.read_text()


def test_the_command_writes_the_config_and_says_how_to_start_the_hub(tmp_path, capsys):
    out = tmp_path / "hub.py"
    users = ["--users", "ana,bob", "--users", "carla", "--admins", "lead"]
    trial = ["--authenticator", "dummy", "--ip", "127.0.0.1"]
    code = main(["hub-config", *users, "--out", str(out), "--instructor-dir", str(tmp_path / "i"), *trial])
    assert code == 0
    said = capsys.readouterr().out
    assert f"jupyterhub -f {out}" in said and "for 4 users" in said
    assert _load(out).JupyterHub.authenticator_class == "dummy"
    assert main(["hub-config", "--users", "root", "--out", str(tmp_path / "x.py")]) == 1
    assert "'root' may not use the hub" in capsys.readouterr().err


def test_the_instructors_folder_is_made_private_and_a_link_or_foreign_folder_refused(tmp_path):
    folder = tmp_path / "instructor"
    folder.mkdir(mode=0o755)
    (folder / "gradebook.sqlite").write_text("grades")
    assert secure_instructor_dir(folder) == folder
    assert folder.stat().st_mode & 0o777 == 0o700
    link = tmp_path / "link"
    link.symlink_to(folder)
    with pytest.raises(HubError, match="symbolic link"):
        secure_instructor_dir(link)
    if os.geteuid() == 0:  # a folder another account owns could be swapped by it
        nobody = pwd.getpwnam("nobody")
        theirs = tmp_path / "theirs"
        theirs.mkdir()
        os.chown(theirs, nobody.pw_uid, nobody.pw_gid)
        with pytest.raises(HubError, match="another account can change"):
            secure_instructor_dir(theirs / "instructor")


def test_the_user_workspace_is_prepared_private(tmp_path):
    root = prepare_user_workspace(tmp_path / "ws")
    assert (root / "00_start_here.ipynb").is_file() and (root / "mopskit_home.ipynb").is_file()
    assert root.stat().st_mode & 0o777 == 0o700
    (root / "00_start_here.ipynb").write_text("my work")
    prepare_user_workspace(root)
    assert (root / "00_start_here.ipynb").read_text() == "my work", "a returning user's work is kept"


def _spawner(name, cmd):
    logged = []
    log = types.SimpleNamespace(info=lambda *a: logged.append(a))
    return types.SimpleNamespace(user=types.SimpleNamespace(name=name), cmd=cmd, log=log)


def test_the_hub_refuses_a_user_without_an_account_or_root(tmp_path):
    with pytest.raises(HubError, match="no account 'mopskit-nobody-here' on this server: create it"):
        pre_spawn_hook(_spawner("mopskit-nobody-here", ["python3"]))
    with pytest.raises(HubError, match="root's account"):
        pre_spawn_hook(_spawner("root", ["python3"]))


def test_a_python_the_user_cannot_run_is_named_with_the_folder_in_the_way(tmp_path):
    nobody = pwd.getpwnam("nobody")
    private = tmp_path / "private" / "bin"
    private.mkdir(parents=True)
    (tmp_path / "private").chmod(0o700)
    program = private / "python"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    said = _unreachable(str(program), nobody)
    assert said.startswith("it may not enter /"), said
    blocked = Path(said.removeprefix("it may not enter "))
    assert blocked in program.parents and not blocked.stat().st_mode & 0o001
    assert _unreachable("/bin/sh", nobody) == ""
    assert _unreachable("no-such-program-here", nobody) == "no such program"


def _notebook(path: Path, source: str = "q1 = ...") -> Path:
    nb = new_notebook(cells=[new_markdown_cell("# A lesson"), new_code_cell(source), new_code_cell("check('q1')")])
    nbformat.write(nb, str(path))
    return path


def test_collect_gathers_lessons_carrying_saved_answers_in_the_layout_grade_reads(tmp_path):
    ana, bob = tmp_path / "ana", tmp_path / "bob"
    for ws in (ana, bob):
        ws.mkdir()
        _notebook(ws / "00_start_here.ipynb")
        _notebook(ws / "05_metrics.ipynb")
    (ana / "notes.ipynb").write_text("{}")  # not a lesson
    write_answers_file(answers_file("05_metrics", ana / ".mopskit"), {"q1": 0.25, "q2": None, "q3": ["a", "b"]})
    result = collect_workspaces(
        tmp_path / "out", {"ana": ana, "bob": bob}, owners={"ana": os.getuid(), "bob": os.getuid()}
    )
    out = tmp_path / "out"
    assert [(w.user, w.lessons, w.answers) for w in result.users] == [
        ("ana", ["00_start_here", "05_metrics"], 2),
        ("bob", ["00_start_here", "05_metrics"], 0),
    ]
    assert answers_in_notebook(out / "ana" / "05_metrics.ipynb") == {"q1": 0.25, "q3": ["a", "b"]}
    assert answers_in_notebook(out / "bob" / "05_metrics.ipynb") == {}
    assert json.loads((out / "ana" / ".mopskit" / "05_metrics.answers.json").read_text())["q1"] == 0.25
    assert not (out / "ana" / "notes.ipynb").exists()
    assert out.stat().st_mode & 0o777 == 0o700
    found = find_submissions([out], assignments=["00_start_here", "05_metrics"])
    assert {(f.trainee, f.assignment) for f in found.found} == {
        (t, a) for t in ("ana", "bob") for a in ("00_start_here", "05_metrics")
    }
    _nb, carried = read_submission(out / "ana" / "05_metrics.ipynb")
    assert carried == {"q1": 0.25, "q3": ["a", "b"]}, "the grader reads the answers the app saved"
    assert "grade them with: mopskit grade" in str(result)


def test_collect_again_gives_the_same_files_and_newer_answers_win(tmp_path):
    ws = tmp_path / "ana"
    ws.mkdir()
    _notebook(ws / "05_metrics.ipynb")
    write_answers_file(answers_file("05_metrics", ws / ".mopskit"), {"q1": 1})
    collect_workspaces(tmp_path / "out", {"ana": ws})
    first = (tmp_path / "out" / "ana" / "05_metrics.ipynb").read_bytes()
    collect_workspaces(tmp_path / "out", {"ana": ws})
    assert (tmp_path / "out" / "ana" / "05_metrics.ipynb").read_bytes() == first, "nothing new: the same bytes"
    write_answers_file(answers_file("05_metrics", ws / ".mopskit"), {"q1": 2})
    collect_workspaces(tmp_path / "out", {"ana": ws})
    assert answers_in_notebook(tmp_path / "out" / "ana" / "05_metrics.ipynb") == {"q1": 2}


def test_collect_trusts_nothing_in_a_users_folder(tmp_path):
    secret = tmp_path / "gradebook.sqlite"
    secret.write_text("the instructor's grades")
    ana = tmp_path / "ana"
    ana.mkdir()
    _notebook(ana / "00_start_here.ipynb")
    (ana / "05_metrics.ipynb").symlink_to(secret)  # a lesson that points elsewhere
    (ana / "06_strategy_plan.ipynb").mkdir()  # not a file
    (ana / ".mopskit").symlink_to(tmp_path)  # answers that point elsewhere
    bob_link = tmp_path / "bob"
    bob_link.symlink_to(ana)  # bob's workspace is ana's
    carla = tmp_path / "carla"
    carla.mkdir()
    _notebook(carla / "00_start_here.ipynb")
    owners = {"ana": os.getuid(), "bob": os.getuid(), "carla": os.getuid() + 1}
    result = collect_workspaces(tmp_path / "out", {"ana": ana, "bob": bob_link, "carla": carla}, owners=owners)
    work = {w.user: w for w in result.users}
    assert work["ana"].lessons == ["00_start_here"]
    skipped = "\n".join(work["ana"].skipped)
    assert "05_metrics.ipynb: it cannot be opened without following a link" in skipped
    assert "06_strategy_plan.ipynb: it is not a plain file" in skipped
    assert ".mopskit: it is not a folder one can open without following a link" in skipped
    assert work["bob"].lessons == [] and "not a folder one can open without following a link" in work["bob"].skipped[0]
    assert work["carla"].lessons == [] and "belongs to another account" in work["carla"].skipped[0]
    copied = [p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert not any(b"instructor's grades" in data for data in copied)


def test_collect_refuses_unknown_accounts_and_an_empty_server(tmp_path):
    with pytest.raises(HubError, match="no account on this server for: mopskit-no-such-user"):
        mopskit.hub.collect(tmp_path / "out", users=["mopskit-no-such-user"])
    with pytest.raises(HubError, match="no account on this server has a workspace"):
        mopskit.hub.collect(tmp_path / "out", workspace="mopskit-no-such-workspace-anywhere")


def test_the_command_collects_into_a_folder_per_user(tmp_path, capsys):
    code = main(["collect", str(tmp_path / "out"), "--hub-users", "mopskit-no-such-user"])
    assert code == 1 and "no account on this server" in capsys.readouterr().err


ROSTER = "name,email,role,start date\nAna Pop,ana@acme.example,Marketing analyst,2026-03-02\n"


def test_a_roster_gives_each_hire_their_role_path_through_the_servers_environment(tmp_path):
    roster = tmp_path / "hires.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert roster_environment("ana", roster) == {
        "MOPSKIT_HUB_ROLE": "data_analyst",
        "MOPSKIT_HUB_START": "2026-03-02",
        "MOPSKIT_HUB_NAME": "Ana Pop",
    }
    assert roster_environment("lead", roster) == {}, "someone not on the roster gets the whole kit"
    broken = tmp_path / "broken.csv"
    broken.write_text("name,email,role,start date\nBo,bo@acme.example,Astronaut,2026-03-02\n", encoding="utf-8")
    with pytest.raises(OnboardingError):
        roster_environment("bo", broken)


def test_the_config_with_a_roster_lets_its_hires_in_and_passes_it_to_the_hook(tmp_path):
    roster = tmp_path / "hires.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    written = write_hub_config(
        users=[], admins=["lead"], roster=roster, out=tmp_path / "hub.py", instructor_dir=tmp_path / "i"
    )
    assert written.users == ("ana", "lead")
    hook = _load(written.path).Spawner.pre_spawn_hook
    assert hook.func is mopskit.hub.pre_spawn_hook and hook.keywords == {"roster": str(roster)}


def test_a_hires_workspace_holds_their_path_and_is_private(tmp_path):
    root = prepare_user_workspace(tmp_path / "ws", user="ana", role="data_analyst", start="2026-03-02", name="Ana")
    lessons = sorted(p.name for p in root.glob("[0-9][0-9]_*.ipynb"))
    assert lessons and len(lessons) < len(list(sources_dir().glob("[0-9][0-9]_*.ipynb"))), lessons
    assert (root / PLAN_FILE).is_file()
    assert root.stat().st_mode & 0o777 == 0o700
