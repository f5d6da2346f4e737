"""Where the bundled datasets and notebooks are, installed or not.

A wheel ships copies of ``datasets/`` and ``notebooks/`` inside the package (``mopskit/_datasets``,
``mopskit/_notebooks``); a source checkout or editable install uses the originals at the top of the repo.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import MopskitError


def _find(packaged: str, top_level: str) -> Path:
    inside = Path(str(resources.files("mopskit"))) / packaged
    if inside.is_dir():
        return inside
    checkout = Path(__file__).resolve().parent.parent / top_level
    if checkout.is_dir():
        return checkout
    raise MopskitError(
        f"mopskit cannot find its bundled {top_level}/ folder (looked in {inside} and {checkout}); "
        "reinstall the kit with: pip install --force-reinstall mopskit"
    )


def datasets_dir() -> Path:
    """Return the folder holding the bundled sample datasets."""
    return _find("_datasets", "datasets")


def notebooks_dir() -> Path:
    """Return the folder holding the lesson notebooks (and ``reports/``)."""
    return _find("_notebooks", "notebooks")
