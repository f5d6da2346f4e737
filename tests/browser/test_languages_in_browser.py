"""Lesson 00 in Romanian, Thai and Traditional Chinese, in JupyterLab and in app mode, answered through the page.

Each language gets a workspace made as a trainee makes it (``mopskit start --no-launch --lang LANG``): its
lessons rendered in the language, its kernels told the language, JupyterLab's own menus in the language where a
language pack exists (Romanian and Traditional Chinese; JupyterLab has no Thai). The lesson is answered, checked
and restarted through JupyterLab's menus in that language; then app mode's home page counts those answers and
the lesson's widgets show them, each Check still correct (Thai's app mode is ``test_thai_in_app_mode.py``'s,
every lesson). A screenshot of each is saved in the browser artifacts folder (``browser-artifacts/languages/``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import nbformat
import pytest

from mopskit._resources import sources_dir
from mopskit.assess import answer_key
from mopskit.assess._answers import to_jsonable
from mopskit.catalogs import TRANSLATED
from mopskit.i18n import translator
from mopskit.workspace import LAB_LOCALES

from .app_mode import LessonInApp, Progress, start_app_server
from .lab import LabServer, make_workspace
from .trainee import LessonInBrowser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = sources_dir() / "00_start_here.ipynb"


@cache
def _lab_words(locale: str) -> dict[str, str]:
    """JupyterLab's own words in a language, from its language pack ({} for English or a language with none)."""
    if locale == "en":
        return {}
    import importlib

    package = importlib.import_module(f"jupyterlab_language_pack_{locale}")
    catalog = Path(package.__file__).parent / "locale" / locale / "LC_MESSAGES" / "jupyterlab.json"
    return {k: v[0] for k, v in json.loads(catalog.read_text(encoding="utf-8")).items() if k and isinstance(v, list)}


# The menus and items the walk-through uses, found the same way in every language: a menu by its place in the
# menu bar (File, Edit, View, Run, Kernel, ...), an item by the command it runs.
_MENUS = {"Run": 3, "Kernel": 4}
_COMMANDS = {"Run All Cells": "runmenu:run-all", "Restart Kernel and Run All Cells…": "runmenu:restart-and-run-all"}
_KERNEL_ITEMS = ("Interrupt Kernel", "Shut Down Kernel", "Shut Down All Kernels…", "Change Kernel…")


class LessonInItsLanguage(LessonInBrowser):
    """The JupyterLab walk-through, clicking the menus whatever language they show."""

    def menu(self, menu: str, item: str) -> None:
        self.page.locator(".lm-MenuBar-item").nth(_MENUS[menu]).click()
        self.page.locator(f'.lm-Menu-item[data-command="{_COMMANDS[item]}"]').first.click()

    def kernel_menu_text(self) -> str:
        """The Kernel menu's items as shown (the menu opened, read, closed)."""
        self.page.locator(".lm-MenuBar-item").nth(_MENUS["Kernel"]).click()
        text = self.page.locator(".lm-Menu").last.inner_text()
        self.page.keyboard.press("Escape")
        return text


def _key() -> dict:
    return {exercise_id: to_jsonable(value) for exercise_id, value in answer_key(SOURCE).items()}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_lesson_00_in_the_language_in_jupyterlab_and_in_app_mode(lang, browser, tmp_path, artifacts_root):
    gettext = translator(lang)
    shots = artifacts_root / "languages"
    shots.mkdir(parents=True, exist_ok=True)
    workspace = make_workspace(tmp_path / "workspace", lang=lang)
    notebook = workspace / SOURCE.name
    heading = nbformat.read(str(notebook), as_version=4).cells[0].source.splitlines()[0].lstrip("# ").strip()
    assert heading != "00 · Start here", f"{lang}: the workspace's lesson 00 is not in the language"

    lab = LabServer.start(workspace, tmp_path / "lab", env={"MOPSKIT_LANG": lang})
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        walk = LessonInItsLanguage(page, lab, notebook, _key(), artifacts=artifacts_root / f"00_start_here-{lang}")
        walk.walk_through()
        words = _lab_words(LAB_LOCALES.get(lang, "en"))  # JupyterLab's own menus: its language pack, if any
        shown = walk.kernel_menu_text()
        expected = [words.get(item, item).rstrip("…") for item in _KERNEL_ITEMS]
        assert any(e in shown for e in expected), f"{lang}: the Kernel menu shows {shown!r}, not {expected}"
        assert page.locator(".mopskit-check").first.inner_text().strip() == gettext("Check")
        assert heading in page.locator(".jp-Notebook").inner_text()
        page.screenshot(path=str(shots / f"00_start_here-{lang}-jupyterlab.png"))
        widget = page.locator(".mopskit-exercise.mopskit-ex-q2").first
        widget.scroll_into_view_if_needed()
        widget.screenshot(path=str(shots / f"00_start_here-{lang}-jupyterlab-q2.png"))  # the widget, wrapped
    finally:
        context.close()
        lab.shutdown_kernels()
        lab.stop()

    if lang == "th":
        return  # lesson 00 in Thai app mode, with its counts on the home page: test_thai_in_app_mode.py

    scratch = tmp_path / "voila"
    scratch.mkdir()
    server = start_app_server(workspace, scratch, lang=lang)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        app = LessonInApp(page, server, notebook, _key(), artifacts=artifacts_root / f"app-00_start_here-{lang}")
        total = len(_key())
        answered = gettext("{n} of {total}").format(n=total, total=total)
        with app.reporting():
            # the answers given in JupyterLab above are in the workspace already: the home page counts them...
            app.begin("opening the home page")
            app.open_home()
            counted = app.progress()
            app.begin("opening the lesson from the home page")
            page.locator(f'tr[data-lesson="{app.lesson}"] a').click()
            app.wait_until_ready()
            app.expect_no_code_and_no_errors()
            app.begin("looking at the widgets answered in JupyterLab")  # ...and the app's widgets show them
            app.expect_answers_shown()
            app.press_check_everywhere()
        assert counted == Progress(answered, answered), counted
        assert gettext("Check") in page.inner_text("body")
        page.screenshot(path=str(shots / f"00_start_here-{lang}-app.png"), full_page=True)
        page.close(run_before_unload=True)
    finally:
        context.close()
        server.stop()
