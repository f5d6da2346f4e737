"""The code base stays ruff-clean: lint and format, notebooks included."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff(root, command):
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a test dependency: pip install -e '.[test]'"
    out = subprocess.run(
        [ruff, *command, "mopskit", "tests", "notebooks", "benchmarks"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
