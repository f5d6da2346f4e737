"""The browser tests' fixtures: the system's Chromium (or a skip that says how to install it) and one JupyterLab."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .app_mode import start_app_server
from .lab import INSTALL_HINT, LabServer, find_chromium, launch_chromium, make_workspace, missing_browser


@pytest.fixture(scope="session")
def browser():
    path = find_chromium()
    if path is None:
        missing_browser(f"Chromium not found: {INSTALL_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_browser("Python Playwright is missing: pip install -e '.[test]'")
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
def app_server(browser, tmp_path_factory):
    """One app-mode server (what `mopskit app` starts) for the session, on a workspace of its own."""
    workspace = make_workspace(tmp_path_factory.mktemp("app-workspace"))
    server = start_app_server(workspace, tmp_path_factory.mktemp("voila"))
    yield server
    server.stop()
    assert server.process.poll() is not None, "the app server is still running after the tests"
    assert not server.kernels(), "kernels of the app server are still running after the tests"


@pytest.fixture
def app_page(browser, app_server):
    """A fresh browser context and page per test; leaving the page ends its kernel, as closing a tab does."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    page.close(run_before_unload=True)
    context.close()


@pytest.fixture(scope="session")
def artifacts_root(request) -> Path:
    """Where a failing lesson's screenshot and page text go: ``$MOPSKIT_BROWSER_ARTIFACTS`` or ./browser-artifacts."""
    return Path(os.environ.get("MOPSKIT_BROWSER_ARTIFACTS") or request.config.rootpath / "browser-artifacts").resolve()
