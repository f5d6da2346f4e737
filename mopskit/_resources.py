"""Where the bundled datasets, lessons and reports are, installed or not; and where the instructor's sources are.

Trainees only ever get released lessons (solutions and hidden checks stripped):

- a wheel carries ``mopskit/_datasets`` and ``mopskit/_lessons`` (the lessons released when the wheel is built,
  by ``hatch_build.py``, and the report notebooks in ``_lessons/reports``); it holds no instructor source;
- a checkout (an editable install imports the package from one) has the originals at the top of the repository:
  ``datasets/`` and the instructor's ``notebooks/``. :func:`mopskit.assess.lessons_dir` releases the lessons from
  them on first use into ``mopskit/_lessons`` (ignored by git), and again whenever a source changes, so
  ``mopskit start`` and ``mopskit app`` read the same kind of copies as from a wheel.

:func:`sources_dir` is the instructor's side: the checkout's ``notebooks/``, and nothing in a wheel.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import MopskitError

__all__ = ["datasets_dir", "packaged_lessons", "reports_dir", "sources_dir"]

LESSONS = "_lessons"  # the released lessons' folder inside the package, in a wheel and in a checkout alike


def package_dir() -> Path:
    return Path(str(resources.files("mopskit")))


def _checkout() -> Path | None:
    """The repository the package is imported from, or None for an installed wheel."""
    top = Path(__file__).resolve().parent.parent
    if (top / "notebooks").is_dir() and (top / "pyproject.toml").is_file() and (top / "mopskit").is_dir():
        return top
    return None


def _missing(what: str, *places: Path) -> MopskitError:
    return MopskitError(
        f"mopskit cannot find its bundled {what} (looked in {', '.join(str(p) for p in places)}); "
        "reinstall the kit with: pip install --force-reinstall mopskit"
    )


def datasets_dir() -> Path:
    """Return the folder holding the bundled sample datasets."""
    inside = package_dir() / "_datasets"
    if inside.is_dir():
        return inside
    checkout = Path(__file__).resolve().parent.parent / "datasets"
    if checkout.is_dir():
        return checkout
    raise _missing("datasets/ folder", inside, checkout)


def sources_dir() -> Path | None:
    """Return the instructor's source lessons (with solutions and hidden checks) in a checkout; None when installed.

    An installed kit never carries them: instructors grade and release from their own folder (``--source``).
    """
    checkout = _checkout()
    return checkout / "notebooks" if checkout else None


def reports_dir() -> Path:
    """Return the folder of report notebooks (they hold no exercises, so they ship as they are)."""
    sources = sources_dir()
    if sources is not None:
        return sources / "reports"
    inside = package_dir() / LESSONS / "reports"
    if inside.is_dir():
        return inside
    raise _missing("reports", inside)


def packaged_lessons() -> Path | None:
    """Return the released lessons an installed wheel carries, or None in a checkout (they are released there).

    Use :func:`mopskit.assess.lessons_dir`, which also releases a checkout's lessons when they changed.
    """
    if sources_dir() is not None:
        return None
    inside = package_dir() / LESSONS
    if inside.is_dir():
        return inside
    raise _missing("lessons", inside)
