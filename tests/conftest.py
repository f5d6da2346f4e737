from __future__ import annotations

from pathlib import Path

import pytest

from mopskit.assess import _answers, _exercise

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test answers into its own folder and starts with no exercises defined."""
    monkeypatch.setenv("MOPSKIT_ANSWERS_DIR", str(tmp_path / ".mopskit"))
    _exercise._registries[:] = [{}]
    _answers._current["lesson"] = None  # load() reads a lesson's own data: no lesson carries over between tests
    yield


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def files() -> Path:
    return FILES
