"""Where the bundled datasets, lessons and reports are, installed or not; and where the instructor's sources are.

Trainees only ever get released lessons (solutions and hidden checks stripped):

- a wheel carries ``mopskit/_datasets`` and ``mopskit/_lessons`` (the lessons released when the wheel is built,
  by ``hatch_build.py``, and the report notebooks in ``_lessons/reports``); it holds no instructor source;
- a checkout (an editable install imports the package from one) has the originals at the top of the repository:
  ``datasets/`` and the instructor's ``notebooks/``. The lessons are released from them on first use into
  ``mopskit/_lessons`` (ignored by git; a user cache folder when the checkout is read-only), and released again
  whenever a source changes, so ``mopskit start`` and ``mopskit app`` read the same kind of copies as from a wheel.

:func:`sources_dir` is the instructor's side: the checkout's ``notebooks/``, and nothing in a wheel.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path

from .errors import MopskitError

__all__ = ["datasets_dir", "lessons_dir", "reports_dir", "sources_dir"]

LESSONS = "_lessons"  # the released lessons' folder inside the package, in a wheel and in a checkout alike
_MANIFEST = ".released-from.json"  # in a checkout's released folder: the sources each copy was made from


def _package() -> Path:
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
    inside = _package() / "_datasets"
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
    inside = _package() / LESSONS / "reports"
    if inside.is_dir():
        return inside
    raise _missing("reports", inside)


def lessons_dir() -> Path:
    """Return the folder of released lessons: trainee copies, with no solution or hidden check in them.

    From a checkout the lessons are released on first use, and again when a source changed since.

    Raises:
        ReleaseError: a source lesson in the checkout cannot be released (names the cell).
        MopskitError: an installed kit without its lessons (a broken install).

    """
    sources = sources_dir()
    if sources is None:
        inside = _package() / LESSONS
        if inside.is_dir():
            return inside
        raise _missing("lessons", inside)
    return _released(sources)


def _released(sources: Path) -> Path:
    """Bring the released copies of a checkout's lessons up to date, and return their folder."""
    target = _package() / LESSONS
    try:
        target.mkdir(exist_ok=True)
        probe = target / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:  # a read-only checkout: keep the copies in the user's cache instead
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        digest = hashlib.sha256(str(sources.resolve()).encode()).hexdigest()[:12]
        target = cache / "mopskit" / f"lessons-{digest}"
        target.mkdir(parents=True, exist_ok=True)
    _refresh(sources, target)
    return target


def _refresh(sources: Path, target: Path) -> None:
    manifest = target / _MANIFEST
    try:
        made = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        made = {}
    made = made if isinstance(made, dict) else {}
    now: dict[str, list[int]] = {}
    for source in sorted(sources.glob("*.ipynb")):
        stat = source.stat()
        now[source.name] = [stat.st_mtime_ns, stat.st_size]
        copy = target / source.name
        if made.get(source.name) != now[source.name] or not copy.is_file():
            from .assess._release import release_notebook

            partial = target / f".{source.stem}-{os.getpid()}.partial"  # no other process sees half a copy
            try:
                release_notebook(source, partial)
                os.replace(partial, copy)
            finally:
                partial.unlink(missing_ok=True)
    for gone in set(made) - set(now):  # a source removed: its copy goes too
        if Path(gone).name == gone:
            (target / gone).unlink(missing_ok=True)
    if now != made:
        partial = target / f"{_MANIFEST}-{os.getpid()}.partial"
        partial.write_text(json.dumps(now, indent=1), encoding="utf-8")
        os.replace(partial, manifest)
