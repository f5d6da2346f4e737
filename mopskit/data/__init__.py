"""Sample datasets and the data layer: load bundled tables, read a user's export, describe the schema.

>>> from mopskit.data import load
>>> load("mops_tasks_survey")["share_pct"].max()
np.float64(84.5)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._read import load, read, read_raw
from ._schema import TableSpec, currency, table_names, table_spec

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TableSpec", "currency", "describe", "load", "read", "read_raw", "table_spec", "tables"]


def tables() -> list[str]:
    """List the table names the kit knows (see ``datasets/README.md``)."""
    return table_names()


def describe(name: str) -> pd.DataFrame:
    """Return the data dictionary of one table: column, type, required, meaning, example.

    >>> describe("budget")["column"].tolist()
    ['month', 'channel', 'planned', 'forecast', 'actual']
    """
    import pandas as pd

    spec = table_spec(name)
    return pd.DataFrame(
        [
            {
                "column": col.name,
                "type": col.type + (f" ({', '.join(col.values)})" if col.values else ""),
                "required": "yes" if col.required and not col.nullable else "may be empty" if col.required else "no",
                "meaning": col.description,
                "example": "" if col.example is None else str(col.example),
            }
            for col in spec.columns.values()
        ]
    )
