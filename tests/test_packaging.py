"""The install a newcomer gets: dependencies in step, a wheel with its data and released lessons, no answer key."""

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile

import nbformat
import pytest
import yaml
from packaging_helpers import ROOT, build_editable, build_wheel, lines_of, secret_lines

from mopskit.assess._release import instructor_material
from mopskit.errors import ReleaseError


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_names_the_same_dependencies(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = {_name(r): r.replace(" ", "") for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((root / "environment.yml").read_text())
    conda = {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)}
    conda.pop("python"), conda.pop("pip")
    # what conda-forge does not package comes from PyPI through the environment's pip section
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    conda |= {_name(d): d.replace(" ", "") for d in pip if not d.startswith("-")}
    assert conda == wanted


def test_readme_commands_are_what_ci_runs(root):
    readme = (root / "README.md").read_text()
    ci = (root / ".ci" / "run").read_text()
    test_command = re.search(r"<!-- test-command -->\n```bash\n(.+?)\n```", readme, re.S).group(1).strip()
    assert test_command in ci


def test_ci_runs_the_browser_tests_for_real(root):
    ci = (root / ".ci" / "run").read_text()
    assert "export CI=true" in ci, "under CI=true a missing browser fails the browser tests instead of skipping"
    assert "missing+=(chromium-headless-shell)" in ci and 'apt-get install -y -qq "${missing[@]}"' in ci


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.mark.slow
def test_wheel_ships_datasets_released_lessons_and_reports_and_finds_them_installed(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "mopskit/_datasets/mops_tasks_survey.csv" in names
    assert "mopskit/_datasets/schema.yaml" in names
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(n.split("/")[-1] for n in names if re.fullmatch(r"mopskit/_lessons/[^/]+\.ipynb", n)) == lessons
    reports = sorted(p.name for p in (ROOT / "notebooks" / "reports").glob("*.ipynb"))
    assert sorted(n.split("/")[-1] for n in names if n.startswith("mopskit/_lessons/reports/")) == reports
    assert not [n for n in names if "_notebooks" in n or n.startswith("notebooks/")]
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import mopskit.data as d, mopskit._resources as r, mopskit.reports as reports, mopskit.assess as a; "
        "print(r.datasets_dir()); print(d.load('mops_tasks_survey').shape); print(a.lessons_dir()); "
        "print(r.sources_dir()); print(reports.reports_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    package = site / "mopskit"
    assert out.stdout.splitlines() == [
        str(package / "_datasets"),
        "(22, 4)",
        str(package / "_lessons"),
        "None",
        str(package / "_lessons" / "reports"),
    ]


@pytest.mark.slow
def test_no_file_of_the_wheel_holds_a_solution_or_a_hidden_check(wheel, tmp_path):
    archive = zipfile.ZipFile(wheel)
    archive.extractall(tmp_path / "site")
    released = sorted((tmp_path / "site" / "mopskit" / "_lessons").glob("*.ipynb"))
    secrets = secret_lines(ROOT / "notebooks", released)
    # the detector can fail: the sources hold hundreds of such lines, and a source lesson shows them
    assert len(secrets) > 100
    source = ROOT / "notebooks" / "10_final_assessment.ipynb"
    assert instructor_material(source) and lines_of(source.name, source.read_bytes()) & secrets
    leaks = []
    for name in archive.namelist():
        if name.endswith(".ipynb"):
            leaks += [f"{name}: {where}" for where in instructor_material(tmp_path / "site" / name)]
        leaks += [f"{name}: {line}" for line in sorted(lines_of(name, archive.read(name)) & secrets)]
    assert not leaks, "the wheel gives answers away:\n" + "\n".join(leaks[:20])


@pytest.mark.slow
def test_the_editable_install_carries_no_lesson_and_no_data(tmp_path):
    editable = build_editable(ROOT, tmp_path / "out")
    names = zipfile.ZipFile(editable).namelist()
    assert not [n for n in names if n.endswith(".ipynb") or "_datasets" in n or "_lessons" in n], names
    pth = [n for n in names if n.endswith(".pth")]
    assert [zipfile.ZipFile(editable).read(n).decode().strip() for n in pth] == [str(ROOT)]


def test_a_checkout_releases_its_lessons_on_first_use_and_again_when_a_source_changes(tmp_path):
    from mopskit.assess._release import _refresh, instructor_material

    sources, target = tmp_path / "notebooks", tmp_path / "released"
    sources.mkdir(), target.mkdir()
    for name in ("00_start_here.ipynb", "05_metrics.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, sources / name)
    _refresh(sources, target)
    assert sorted(p.name for p in target.glob("*.ipynb")) == ["00_start_here.ipynb", "05_metrics.ipynb"]
    assert not any(instructor_material(p) for p in target.glob("*.ipynb"))
    assert instructor_material(sources / "05_metrics.ipynb"), "the detector sees a source for what it is"
    made = (target / "05_metrics.ipynb").stat().st_mtime_ns

    _refresh(sources, target)  # nothing changed: nothing released again
    assert (target / "05_metrics.ipynb").stat().st_mtime_ns == made

    nb = nbformat.read(sources / "00_start_here.ipynb", as_version=4)
    nb.cells[0].source += "\n\nA sentence added by the instructor."
    nbformat.write(nb, sources / "00_start_here.ipynb")
    (sources / "05_metrics.ipynb").unlink()
    _refresh(sources, target)
    assert [p.name for p in target.glob("*.ipynb")] == ["00_start_here.ipynb"]
    assert "A sentence added by the instructor." in (target / "00_start_here.ipynb").read_text(encoding="utf-8")


def test_a_broken_source_lesson_in_a_checkout_is_refused_naming_the_cell(tmp_path):
    from mopskit.assess._release import _refresh

    sources, target = tmp_path / "notebooks", tmp_path / "released"
    sources.mkdir(), target.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# BEGIN SOLUTION\nx = 1")])
    nbformat.write(nb, sources / "01_broken.ipynb")
    with pytest.raises(ReleaseError, match=r"01_broken.ipynb, cell 1.*never closed"):
        _refresh(sources, target)
    assert not list(target.iterdir()), "no half-written copy is left behind"
