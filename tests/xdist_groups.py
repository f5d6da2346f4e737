"""Running the suite on several cores (pytest-xdist) without running a lesson more often than in one process.

``pyproject.toml`` runs the suite with ``-n auto --maxprocesses=4 --dist loadfile``: one worker process per core,
each taking whole units of work. When ``tests/conftest.py`` is loaded (the whole suite, or any file of
``tests/``), the units are this module's groups instead of files:

- **a lesson's group**: its source's cells under nbval, the restart check added after them, and every test that
  reads the lesson's shared trainee run (``shared_runs``, see ``tests/lesson_runs.py``), so each lesson still
  runs twice, in one worker;
- **a test's ``xdist_group`` mark**, where a test that is not parametrized by lesson reads a shared run;
- **half a file** for the few files whose tests share nothing costly but the session's browser (:data:`HALVES`);
- **its file** for everything else, so module fixtures are still made once.

Workers know each item's fixtures and marks; the controller only sees test ids. So each worker writes the group
and an estimated cost of every item it collected to a file, and the controller's scheduler (:class:`ByGroup`)
reads it and hands out the costliest groups first (the browser and the lessons), so that no worker ends alone on
a long one. Without ``tests/conftest.py`` (say ``pytest notebooks/05_metrics.ipynb``) xdist's ``loadfile``
applies, which keeps a notebook's cells together too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

GROUPS_VARIABLE = "MOPSKIT_TEST_GROUPS"
# Files whose tests share nothing costly beyond the session's browser: two groups each, one per worker.
HALVES = ("tests/browser/test_lessons_in_browser.py", "tests/browser/test_thai_in_app_mode.py")
# Estimated cost of one item, by its marks: a browser test or a kernel's start weighs more than a quick test.
COST = {"browser": 40, "slow": 8}


def group_of(item: Any, root: Path, lessons: list[Path]) -> str:
    """The unit of work an xdist worker takes whole: a lesson's, a mark's, half a file's, or the item's file."""
    path = Path(str(getattr(item, "path", ""))).resolve()
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    lesson = getattr(getattr(item, "callspec", None), "params", {}).get("source")
    if path in lessons:  # nbval's cells, and the restart check after them
        return f"lesson-{path.stem}"
    if "shared_runs" in getattr(item, "fixturenames", ()) and isinstance(lesson, Path):
        return f"lesson-{lesson.stem}"
    if marker := item.get_closest_marker("xdist_group"):
        return str(marker.args[0] if marker.args else marker.kwargs.get("name", "default"))
    if name in HALVES and isinstance(lesson, Path) and lesson in lessons:
        return f"{name}-{'first' if lessons.index(lesson) < len(lessons) // 2 else 'second'}-half"
    return name


def cost_of(item: Any) -> int:
    """An item's estimated cost, from its marks (see :data:`COST`)."""
    return max([1] + [cost for mark, cost in COST.items() if item.get_closest_marker(mark)])


def write_groups(items: list[Any], root: Path, lessons: list[Path], worker: str) -> None:
    """Write each collected item's ``[group, cost]`` by test id where the controller reads them."""
    folder = os.environ.get(GROUPS_VARIABLE)
    if not folder:
        return
    groups = {item.nodeid: [group_of(item, root, lessons), cost_of(item)] for item in items}
    target = Path(folder) / f"groups-{worker}.json"
    target.with_suffix(".tmp").write_text(json.dumps(groups), encoding="utf-8")
    target.with_suffix(".tmp").replace(target)  # whole or not at all


def make_scheduler(config: Any, log: Any) -> Any:
    """The controller's scheduler: xdist's by-scope scheduling over this module's groups, costliest first."""
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):  # type: ignore[misc]
        groups: dict[str, list[Any]] | None = None
        ordered = False

        def _read(self) -> dict[str, list[Any]]:
            if self.groups is None:
                folder = Path(os.environ.get(GROUPS_VARIABLE, ""))
                found = sorted(folder.glob("groups-*.json")) if folder.name else []
                self.groups = json.loads(found[0].read_text(encoding="utf-8")) if found else {}
            return self.groups

        def _split_scope(self, nodeid: str) -> str:
            known = self._read().get(nodeid)
            return known[0] if known else nodeid.split("::", 1)[0]

        def _assign_work_unit(self, node: Any) -> None:
            if not self.ordered:  # once, before the first unit goes out: the costliest units first
                groups = self._read()
                units = sorted(
                    self.workqueue.items(), key=lambda unit: -sum(groups.get(n, [None, 1])[1] for n in unit[1])
                )
                self.workqueue.clear()
                self.workqueue.update(units)
                self.ordered = True
            super()._assign_work_unit(node)

    return ByGroup(config, log)
