"""What the ``stack_audit_report`` notebook needs: its parameters checked before any kernel starts, and its run.

``mopskit report stack_audit_report -p inventory=exports/stack.csv`` calls :func:`validate_report` (named in the
notebook's metadata) with every parameter value; a missing file, an inventory that does not read, a bad date
or an out-of-range threshold is refused there, with the reason, and no kernel starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, ParameterError
from ..i18n import _
from .audit import StackAudit, audit
from .checks import Thresholds, checked_thresholds
from .taxonomy import as_of

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BUNDLED", "readable", "report_audit", "resolve_inventory", "validate_report"]

BUNDLED = {"sample": "martech_stack", "practice": "practice_stack"}
"""Names the report's ``inventory`` parameter accepts for the bundled inventories, and their tables."""

_THRESHOLDS = ("renewal_window_days", "low_utilization_pct", "stale_after_days", "review_max_age_days", "company_size")


def resolve_inventory(inventory: str) -> tuple[str | Path | pd.DataFrame, str]:
    """Turn the report's ``inventory`` value into what :func:`audit` takes, and a label for the page.

    Raises:
        ParameterError: the value names no bundled inventory and no file; the message gives the folder looked in.

    """
    from ..data import load

    name = (inventory or "").strip()
    if name in BUNDLED:
        return load(BUNDLED[name]), _("the bundled {name} inventory").format(name=name)
    path = Path(name).expanduser()
    if not name or not path.is_file():
        raise ParameterError(
            _(
                "'inventory' must be {bundled}, or the path of an inventory file; there is no file '{path}' "
                "(working folder: {cwd}). Check the name and folder, or give the full path."
            ).format(bundled=" or ".join(f"'{b}'" for b in BUNDLED), path=name, cwd=Path.cwd())
        )
    return path, _("the file '{name}'").format(name=path.name)


def _bundled(inventory: str) -> bool:
    """Whether the value names a bundled inventory, by name or by the path of its CSV file."""
    from .._resources import datasets_dir

    name = (inventory or "").strip()
    if name in BUNDLED:
        return True
    files = {(datasets_dir() / f"{table}.csv").resolve() for table in BUNDLED.values()}
    return bool(name) and Path(name).expanduser().resolve() in files


def _today(inventory: str, today: str | None) -> str | None:
    if today is not None and str(today).strip():
        return str(today).strip()
    return as_of().isoformat() if _bundled(inventory) else None


def report_audit(values: Mapping[str, Any]) -> tuple[StackAudit, str]:
    """Run the audit with the report's parameter values; return it and a label naming the inventory.

    An empty ``today`` means today for a file, and the export day (:func:`~mopskit.stack.as_of`) for the bundled
    inventories (by name or by the path of their CSV files), so they always show the lessons' findings.
    """
    source, label = resolve_inventory(str(values.get("inventory", "sample")))
    options = {k: values[k] for k in _THRESHOLDS if k in values}
    result = audit(source, today=_today(str(values.get("inventory", "sample")), values.get("today")), **options)
    return result, label


def validate_report(values: Mapping[str, Any]) -> None:
    """Check the stack audit report's parameter values; raise one :class:`ParameterError` naming what is wrong.

    Reads the inventory too, so a file that does not fit (a missing column, a bad date) is reported with its
    rows and columns before any kernel starts.

    >>> validate_report({"inventory": "sample", "today": "2026-13-01"})
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: stack_audit_report: 'today' must be a date written YYYY-MM-DD, like 2026-03-31 \
(got '2026-13-01'); no such day in the calendar, or a time that cannot be read: check it

    """
    options = {k: values[k] for k in _THRESHOLDS if k in values}
    defaults = {f.name: f.default for f in fields(Thresholds) if f.name != "today"}
    checked_thresholds(
        "stack_audit_report",
        today=_today(str(values.get("inventory", "sample")), values.get("today")),
        **{**defaults, **options},
    )
    source, _label = resolve_inventory(str(values.get("inventory", "sample")))
    if isinstance(source, Path):
        from .audit import load_inventory

        try:
            load_inventory(source)
        except DataError as exc:
            raise ParameterError(_("'inventory' cannot be audited: {problem}").format(problem=exc)) from None


def readable(frame: pd.DataFrame, *, columns: list[str] | None = None) -> Any:
    """A table ready for a report page: dates as ``YYYY-MM-DD``, empty cells blank, no row numbers.

    Returns:
        A pandas Styler (it renders as an HTML table in the notebook and in the exported page).

    """
    import pandas as pd

    from ..present import shown as for_people_view

    shown = for_people_view(frame[columns] if columns else frame).copy()
    for name in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[name]):
            shown[name] = shown[name].dt.strftime("%Y-%m-%d").fillna("")
    return shown.style.hide(axis="index").format(precision=1, na_rep="", thousands=",")
