"""Build hook: the wheel carries the sample datasets and trainee copies of the lessons, never the sources.

When the wheel is built, every lesson of ``notebooks/`` is released with the kit's own release step
(``mopskit.assess._release``: solutions and hidden checks stripped) into ``mopskit/_lessons``, and the report
notebooks, which hold no exercises, are copied as they are into ``mopskit/_lessons/reports`` after checking that
none holds instructor material. Each lesson is also rendered in every language the kit ships, from its catalog
(``notebooks/locale/<lang>/``), and released into ``mopskit/_lessons/<lang>``; the lessons' catalogs stay behind
(their hidden checks' messages are the instructor's). The package's catalogs (``mopskit/locale``) are compiled
into ``.mo`` files. ``datasets/`` goes to ``mopskit/_datasets``. An editable install gets none of this: the kit
imports from the checkout, releases the lessons there and compiles the catalogs on first use.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_STANDALONE = "_mopskit_release_step"


@contextmanager
def _release_step(root: Path) -> Iterator[Any]:
    """Import the kit's release step from the tree being built, without importing the package.

    The package's ``__init__`` needs its runtime dependencies, which a build environment does not have; the
    release step needs only ``nbformat`` and Babel (build requirements), the kit's errors, its languages
    (``mopskit.i18n``) and its catalogs (``mopskit.catalogs``, imported while the step runs).
    """
    package = types.ModuleType(_STANDALONE)
    package.__path__ = [str(root / "mopskit")]
    assess = types.ModuleType(f"{_STANDALONE}.assess")
    assess.__path__ = [str(root / "mopskit" / "assess")]
    sys.modules[_STANDALONE], sys.modules[assess.__name__] = package, assess
    try:
        yield importlib.import_module(f"{_STANDALONE}.assess._release")
    finally:
        for name in [n for n in sys.modules if n == _STANDALONE or n.startswith(f"{_STANDALONE}.")]:
            del sys.modules[name]


def release_lessons(root: Path, out: Path) -> list[Path]:
    """Write trainee copies of the lessons (in English and every language) and the reports into ``out``.

    Returns the files written.

    Raises:
        ReleaseError: a lesson cannot be released, or a report holds a solution or hidden checks.

    """
    with _release_step(root) as step:
        return _release_all(step, root / "notebooks", out)


def _release_all(step: Any, sources: Path, out: Path) -> list[Path]:
    lessons = sorted(sources.glob("*.ipynb"))
    written = [step.release_notebook(lesson, out / lesson.name).target for lesson in lessons]
    for lang in step.translated_languages():
        written += [step.release_in(lesson, out / lang / lesson.name, lang).target for lesson in lessons]
    (out / "reports").mkdir(parents=True, exist_ok=True)
    for report in sorted((sources / "reports").glob("*.ipynb")):
        leaks = step.instructor_material(report)
        if leaks:
            raise step.ReleaseError(
                f"{report.name}: a report ships as it is, so it must hold no instructor material "
                f"({'; '.join(leaks)}); move that into a lesson"
            )
        written.append(Path(shutil.copyfile(report, out / "reports" / report.name)))
    for catalog in sorted((sources / "locale").glob("*/reports/*.po")):  # reports hold no instructor material
        target = out / "locale" / catalog.relative_to(sources / "locale")
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(Path(shutil.copyfile(catalog, target)))
    return written


def compile_catalogs(root: Path, out: Path) -> list[Path]:
    """Compile the package's catalogs (``mopskit/locale/<lang>/LC_MESSAGES/*.po``) into ``.mo`` files in ``out``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    locale = root / "mopskit" / "locale"
    written = []
    for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        mo = (out / po.relative_to(locale)).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as source, mo.open("wb") as target:
            write_mo(target, read_po(source), use_fuzzy=False)
        written.append(mo)
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
        self._mo = Path(tempfile.mkdtemp(prefix="mopskit-catalogs-"))
        for mo in compile_catalogs(root, self._mo):
            build_data["force_include"][str(mo)] = f"mopskit/locale/{mo.relative_to(self._mo).as_posix()}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary folder."""
        for out in (getattr(self, "_out", None), getattr(self, "_mo", None)):
            if out is not None:
                shutil.rmtree(out, ignore_errors=True)
