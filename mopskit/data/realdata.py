"""Real public datasets that a PyPI package ships, read as files (the package itself is never imported).

The CDNOW purchase log (Fader and Hardie's CDNOW sample: every purchase by 23,570 customers who first bought
at the online music shop CDNOW in the first quarter of 1997, through June 1998) ships inside the ``lifetimes``
wheel (MIT licence). Importing ``lifetimes`` needs old versions of its dependencies, so the kit locates the
file through the installed distribution's file list instead. Install it with the optional extra:
``pip install 'mopskit[realdata]'``.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError
from ..i18n import _
from ..present import for_people

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["INSTALL_HINT", "cdnow_available", "cdnow_path", "load_cdnow"]

INSTALL_HINT = "pip install 'mopskit[realdata]'  (or: pip install lifetimes)"
_DISTRIBUTION = "lifetimes"
_FILE = "lifetimes/datasets/CDNOW_master.txt"


def cdnow_path() -> Path:
    """Return where the CDNOW purchase log is installed.

    Raises:
        DataError: the ``lifetimes`` wheel is not installed; the message says how to install it.

    """
    try:
        dist = metadata.distribution(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise DataError(
            f"the real CDNOW dataset is not installed; it ships in the 'lifetimes' package. Install it with: "
            f"{INSTALL_HINT}",
            problems=["lifetimes not installed"],
            source="cdnow",
        ) from None
    path = Path(str(dist.locate_file(_FILE)))
    if not path.is_file():
        raise DataError(
            f"the 'lifetimes' package is installed but has no {_FILE} (looked in {path}); reinstall it with: "
            f"pip install --force-reinstall lifetimes",
            problems=["CDNOW file missing"],
            source="cdnow",
        )
    return path


def cdnow_available() -> bool:
    """Whether the CDNOW purchase log can be loaded (the ``realdata`` extra is installed)."""
    try:
        cdnow_path()
    except DataError:
        return False
    return True


def load_cdnow() -> pd.DataFrame:
    """Load the CDNOW purchase log: one row per purchase.

    Returns:
        customer_id (text), date (datetime64), cds (CDs bought), amount (US dollars). The file has no header:
        these names are the kit's, for code (``purchases["amount"]``); a lesson shows them in the trainee's
        language.

    Raises:
        DataError: the ``realdata`` extra is not installed (the message says how to install it).

    """
    import pandas as pd

    path = cdnow_path()
    frame = pd.read_csv(
        path,
        sep=r"\s+",
        header=None,
        skiprows=1,
        names=["customer_id", "date", "cds", "amount"],
        dtype={"customer_id": str, "date": str, "cds": "int64", "amount": "float64"},
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    headers = {"customer_id": _("customer"), "date": _("date"), "cds": _("CDs"), "amount": _("amount ($)")}
    return for_people(frame, headers)
