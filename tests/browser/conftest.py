"""The browser tests' fixtures: the system's Chromium (or a skip that says how to install it) and one JupyterLab."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .lab import INSTALL_HINT, LabServer, find_chromium, launch_chromium, make_workspace


def _missing(reason: str) -> None:
    """Outside CI a missing browser skips the tests, saying how to install it; under CI=true it fails them."""
    if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"{reason} (CI=true: the browser tests must run here, never be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    path = find_chromium()
    if path is None:
        _missing(f"Chromium not found: {INSTALL_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Python Playwright is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, path)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lab(browser, tmp_path_factory):
    """One JupyterLab for the session, serving a workspace made by ``mopskit start --no-launch``."""
    workspace = make_workspace(tmp_path_factory.mktemp("workspace"))
    server = LabServer.start(workspace, tmp_path_factory.mktemp("jupyterlab"))
    yield server
    server.stop()
    assert server.process.poll() is not None, "JupyterLab is still running after the tests"
    assert not server.leftover_kernels(), "kernels are still running after the tests"


@pytest.fixture
def page(browser, lab):
    """A fresh browser context and page per test; the test's kernels are shut down after it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()
    lab.shutdown_kernels()


@pytest.fixture(scope="session")
def artifacts_root(request) -> Path:
    """Where a failing lesson's screenshot and page text go: ``$MOPSKIT_BROWSER_ARTIFACTS`` or ./browser-artifacts."""
    return Path(os.environ.get("MOPSKIT_BROWSER_ARTIFACTS") or request.config.rootpath / "browser-artifacts").resolve()
