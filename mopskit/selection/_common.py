"""What the selection modules share: amounts as people read them, and one check of numeric arguments."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, ParameterError
from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd


def money(amount: float) -> str:
    """An amount in the data's currency, cents only when there are any.

    >>> money(25200), money(1234.567)
    ('$25,200', '$1,234.57')
    """
    from ..stack import money as stack_money

    return stack_money(round(float(amount), 2))


def positive(name: str, value: Any, *, whole: bool = False, zero: bool = True) -> None:
    """Refuse a value that is not a number (whole if asked), 0 or more (above 0 with ``zero=False``).

    The message has the kit's one shape: ``'<name>' must be <rule> (got <value>)``.

    >>> positive("seats", 2.5, whole=True)
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: 'seats' must be a whole number, 0 or more (got 2.5)
    """
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
    if ok and whole:
        ok = float(value).is_integer()
    if ok:
        ok = value >= 0 if zero else value > 0
    if not ok:
        rule = (_("a whole number") if whole else _("a number")) + (_(", 0 or more") if zero else _(" above 0"))
        raise ParameterError(_("'{name}' must be {rule} (got {got!r})").format(name=name, rule=rule, got=value))


def read_table(
    source: Any, table: str, *, columns: Mapping[str, str] | None, label: str | None, what: str
) -> tuple[pd.DataFrame, str]:
    """A kit table from a file or a DataFrame (validated, the caller's column mapping applied), and its label."""
    import pandas as pd

    from ..data import read, validate

    if isinstance(source, pd.DataFrame):
        name = label or _("the {what} DataFrame").format(what=what)
        return validate(source, table=table, label=name, columns=columns), name
    if isinstance(source, str | Path):
        return read(source, table=table, columns=columns), label or Path(source).name
    raise DataError(
        _("{what} must be a file path or a DataFrame (got {kind})").format(what=what, kind=type(source).__name__)
    )
