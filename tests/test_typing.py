"""The package is type-checked: mypy, configured in pyproject.toml, finds no error in mopskit/."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _mypy(root, *targets):
    command = [sys.executable, "-m", "mypy", "--config-file", str(root / "pyproject.toml"), *targets]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=False, timeout=900)


@pytest.mark.slow
def test_mypy_finds_no_error_in_the_package(root):
    result = _mypy(root)  # the files to check are named in pyproject.toml: mopskit/
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


@pytest.mark.slow
def test_mypy_with_the_kits_settings_does_fail_on_a_type_error(root, tmp_path):
    wrong = tmp_path / "wrong.py"
    wrong.write_text('def half(n: int) -> int:\n    return n // 2\n\n\nhalf("four")\n', encoding="utf-8")
    result = _mypy(root, str(wrong))
    assert result.returncode == 1 and 'incompatible type "str"' in result.stdout, result.stdout
