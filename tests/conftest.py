from __future__ import annotations

from pathlib import Path

import pytest

from mopskit._session import SESSION

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test answers into its own folder and starts with no exercises defined."""
    monkeypatch.setenv("MOPSKIT_ANSWERS_DIR", str(tmp_path / ".mopskit"))
    SESSION.reset()  # no lesson, exercise or widget carries over between tests (load() reads a lesson's data)
    yield


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def files() -> Path:
    return FILES
