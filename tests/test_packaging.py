"""The install a newcomer gets: dependencies in step, and a wheel that carries its data and lessons."""

import re
import subprocess
import sys
import tomllib
import zipfile

import pytest
import yaml


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_names_the_same_dependencies(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = {_name(r): r.replace(" ", "") for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((root / "environment.yml").read_text())
    conda = {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)}
    conda.pop("python"), conda.pop("pip")
    assert conda == wanted


def test_readme_commands_are_what_ci_runs(root):
    readme = (root / "README.md").read_text()
    ci = (root / ".ci" / "run").read_text()
    test_command = re.search(r"<!-- test-command -->\n```bash\n(.+?)\n```", readme, re.S).group(1).strip()
    assert test_command in ci


def test_ci_runs_the_browser_tests_for_real(root):
    ci = (root / ".ci" / "run").read_text()
    assert "export CI=true" in ci, "under CI=true a missing browser fails the browser tests instead of skipping"
    assert "apt-get install -y -qq chromium" in ci


@pytest.mark.slow
def test_wheel_ships_datasets_and_lessons_and_finds_them_installed(root, tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("mopskit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "mopskit/_datasets/mops_tasks_survey.csv" in names
    assert "mopskit/_datasets/schema.yaml" in names
    assert "mopskit/_notebooks/00_start_here.ipynb" in names
    assert "mopskit/_notebooks/reports/dataset_profile.ipynb" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import mopskit.data as d, mopskit._resources as r; "
        "print(r.datasets_dir()); print(d.load('mops_tasks_survey').shape)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.splitlines() == [str(site / "mopskit" / "_datasets"), "(22, 4)"]
