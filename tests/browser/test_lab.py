"""The browser tests' own plumbing: finding Chromium, and skipping or failing when it is missing."""

from __future__ import annotations

import pytest

from .lab import CHROMIUM_NAMES, INSTALL_HINT, find_chromium, missing_browser


def test_an_explicit_chromium_path_must_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("MOPSKIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert find_chromium() is None
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.setenv("MOPSKIT_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)


def test_the_headless_shell_is_preferred_then_the_full_browser(monkeypatch, tmp_path):
    monkeypatch.delenv("MOPSKIT_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None
    for name in reversed(CHROMIUM_NAMES):  # each one found once the ones before it in the list are there
        program = tmp_path / name
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
        assert find_chromium() == str(program)


@pytest.mark.parametrize(
    ("ci", "outcome"),
    [("", pytest.skip.Exception), ("false", pytest.skip.Exception), ("true", pytest.fail.Exception)],
)
def test_a_missing_browser_skips_outside_ci_and_fails_under_ci(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    reason = f"Chromium not found: {INSTALL_HINT}"
    with pytest.raises(outcome, match="apt-get install chromium") as raised:
        missing_browser(reason)
    assert raised.type is outcome  # a failure is never taken for a skip, nor the other way round
    assert "\n" not in str(raised.value), "the reason fits on one line"
