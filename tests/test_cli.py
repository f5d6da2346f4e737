import json

import pytest

from mopskit import __version__
from mopskit.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"mopskit {__version__}"


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["start"],
        ["app"],
        ["release"],
        ["report"],
        ["data"],
        ["data", "generate"],
        ["onboard"],
        ["grades", "export"],
        ["grades", "send"],
        ["grades", "readiness"],
    ],
)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    assert "usage: mopskit" in capsys.readouterr().out


def test_report_list(capsys):
    assert main(["report", "--list"]) == 0
    assert "dataset_profile: Dataset profile" in capsys.readouterr().out


def test_bad_report_parameter_is_one_clear_paragraph(capsys):
    assert main(["report", "dataset_profile", "-p", "chanel=email"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mopskit: report 'dataset_profile': unknown report parameter 'chanel'")
    assert "Traceback" not in err and "dataset (str, default" in err


def test_malformed_p_option(capsys):
    assert main(["report", "dataset_profile", "-p", "dataset"]) == 1
    assert "must be written name=value" in capsys.readouterr().err


def test_start_no_launch_keeps_a_trainees_edited_notebook(tmp_path, capsys):
    workspace = tmp_path / "ws"
    assert main(["start", str(workspace), "--no-launch"]) == 0
    lesson = workspace / "00_start_here.ipynb"
    assert (workspace / "datasets" / "mops_tasks_survey.csv").exists()
    nb = json.loads(lesson.read_text())
    assert "SOLUTION" not in lesson.read_text(), "the workspace gets released copies"
    nb["cells"][0]["source"] = "my own notes"
    lesson.write_text(json.dumps(nb))
    assert main(["start", str(workspace), "--no-launch"]) == 0
    assert json.loads(lesson.read_text())["cells"][0]["source"] == "my own notes"
    assert "Kept your existing copies of: 00_start_here.ipynb" in capsys.readouterr().out


def test_start_into_a_file_is_a_clear_error(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert main(["start", str(target), "--no-launch"]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err


def test_release_command(root, tmp_path, capsys):
    assert main(["release", str(root / "notebooks"), str(tmp_path / "out")]) == 0
    assert "00_start_here.ipynb: 1 solutions and 1 hidden checks removed" in capsys.readouterr().out
    assert main(["release", str(tmp_path / "missing"), str(tmp_path / "out")]) == 1


def test_data_commands(tmp_path, capsys):
    assert main(["data", "list"]) == 0
    assert "email_events" in capsys.readouterr().out
    assert main(["data", "describe", "budget"]) == 0
    assert "forecast" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("campaign_id,name\nC1,x\n")
    assert main(["data", "validate", str(bad), "--table", "campaigns"]) == 1
    assert "column 'channel' is missing" in capsys.readouterr().err


# Defaults live in the functions the commands call; the CLI reads them from there and writes none of its own.


def _actions(parser):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((f"{name} {where}", a) for where, a in _actions(sub))
        else:
            yield (action.dest, action)


def test_the_cli_writes_no_default_of_its_own():
    import inspect

    from mopskit.cli import FunctionDefault, build_parser

    checked = 0
    for where, action in _actions(build_parser()):
        default = action.default
        if isinstance(default, FunctionDefault):
            assert default.value() is not inspect.Parameter.empty, f"{where}: {default!r} names no default"
            checked += 1
        else:
            assert default in (None, False, [], "==SUPPRESS=="), f"{where}: the CLI's own default {default!r}"
    assert checked >= 14


def test_one_option_shared_by_two_functions_has_one_default():
    import inspect

    from mopskit.assess import Gradebook, export_grades, grade, release, release_per_trainee
    from mopskit.assess._gradebook import DEFAULT_DB
    from mopskit.batch import run_batch
    from mopskit.reports import run_report

    def default(function, name):
        return inspect.signature(function).parameters[name].default

    for name in ("out_dir", "timeout"):  # --out and --timeout serve one report and a batch alike
        assert default(run_report, name) == default(run_batch, name), name
    assert default(release, "pattern") == default(release_per_trainee, "pattern")
    assert default(grade, "db") == default(export_grades, "db") == default(Gradebook, "db") == DEFAULT_DB
    from mopskit.assess.readiness import write_readiness
    from mopskit.lms import export_grades as export
    from mopskit.lms import send_grades
    from mopskit.onboarding import onboard, retake

    assert default(onboard, "db") == default(retake, "db") == default(write_readiness, "db") == DEFAULT_DB
    assert default(export, "db") == default(send_grades, "db") == DEFAULT_DB
    assert default(export, "base") == default(send_grades, "base")


def test_help_shows_the_functions_defaults(capsys):
    from mopskit.assess._sandbox import Limits

    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: gradebook.sqlite)" in text
    assert f"seconds per cell (default: {Limits().cell_timeout})" in text


def test_an_option_left_out_is_not_passed_so_the_function_default_applies(monkeypatch, tmp_path):
    import mopskit.data.generate as generate_module

    seen = {}
    monkeypatch.setattr(generate_module, "generate", lambda **kwargs: seen.update(kwargs) or [])
    assert main(["data", "generate", "-q"]) == 0
    assert "seed" not in seen and "out_dir" not in seen
    assert main(["data", "generate", "-q", "--seed", "7", "--out", str(tmp_path)]) == 0
    assert seen["seed"] == 7 and seen["out_dir"] == str(tmp_path)
