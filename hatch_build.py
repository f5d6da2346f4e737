"""Build hook: the wheel carries the sample datasets and trainee copies of the lessons, never the sources.

When the wheel is built, every lesson of ``notebooks/`` is released with the kit's own release step
(``mopskit.assess._release``: solutions and hidden checks stripped) into ``mopskit/_lessons``, and the report
notebooks, which hold no exercises, are copied as they are into ``mopskit/_lessons/reports`` after checking that
none holds instructor material. ``datasets/`` goes to ``mopskit/_datasets``. An editable install gets none of
this: the kit imports from the checkout and releases the lessons there on first use (``mopskit._resources``).
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_STANDALONE = "_mopskit_release_step"


def _release_module(root: Path) -> Any:
    """Import the kit's release step from the tree being built, without importing the package.

    The package's ``__init__`` needs its runtime dependencies, which a build environment does not have; the
    release step needs only ``nbformat`` (a build requirement) and the kit's errors module.
    """
    package = types.ModuleType(_STANDALONE)
    package.__path__ = [str(root / "mopskit")]
    assess = types.ModuleType(f"{_STANDALONE}.assess")
    assess.__path__ = [str(root / "mopskit" / "assess")]
    sys.modules[_STANDALONE], sys.modules[assess.__name__] = package, assess
    try:
        return importlib.import_module(f"{_STANDALONE}.assess._release")
    finally:
        for name in [n for n in sys.modules if n == _STANDALONE or n.startswith(f"{_STANDALONE}.")]:
            del sys.modules[name]


def release_lessons(root: Path, out: Path) -> list[Path]:
    """Write trainee copies of ``root/notebooks/*.ipynb`` and the reports into ``out``; return what was written.

    Raises:
        ReleaseError: a lesson cannot be released, or a report holds a solution or hidden checks.

    """
    step = _release_module(root)
    sources = root / "notebooks"
    written = [step.release_notebook(lesson, out / lesson.name).target for lesson in sorted(sources.glob("*.ipynb"))]
    (out / "reports").mkdir(parents=True, exist_ok=True)
    for report in sorted((sources / "reports").glob("*.ipynb")):
        leaks = step.instructor_material(report)
        if leaks:
            raise step.ReleaseError(
                f"{report.name}: a report ships as it is, so it must hold no instructor material "
                f"({'; '.join(leaks)}); move that into a lesson"
            )
        written.append(Path(shutil.copyfile(report, out / "reports" / report.name)))
    return written


class CustomBuildHook(BuildHookInterface):
    """Add the released lessons and the datasets to a standard wheel (not to an editable one)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Release the lessons into a temporary folder and map it into the wheel."""
        if self.target_name != "wheel" or version != "standard":
            return
        root = Path(self.root)
        self._out = Path(tempfile.mkdtemp(prefix="mopskit-lessons-"))
        release_lessons(root, self._out)
        build_data["force_include"][str(self._out)] = "mopskit/_lessons"
        build_data["force_include"][str(root / "datasets")] = "mopskit/_datasets"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary folder."""
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
