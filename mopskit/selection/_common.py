"""What the selection modules share: amounts as people read them, and reading a table from a file or frame."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError
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
