"""Sample datasets and the data layer: load bundled tables, read a user's export, describe the schema.

>>> from mopskit.data import load
>>> load("mops_tasks_survey")["share_pct"].max()
np.float64(84.5)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._validate import checked
from ._duckdb import connect
from ._read import load, read, read_raw, validate
from ._schema import EMAIL_PATTERN, TableSpec, currency, normalize_name, table_names, table_spec

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EMAIL_PATTERN",
    "TableSpec",
    "connect",
    "currency",
    "describe",
    "dictionary_markdown",
    "load",
    "normalize_name",
    "read",
    "read_raw",
    "table_names",
    "table_spec",
    "tables",
    "validate",
]


@checked
def tables() -> list[str]:
    """List the table names the kit knows (see ``datasets/README.md``)."""
    return table_names()


@checked
def describe(name: str) -> pd.DataFrame:
    """Return the data dictionary of one table: column, type, required, meaning, example.

    >>> describe("budget")["column"].tolist()
    ['month', 'channel', 'planned', 'forecast', 'actual']
    """
    import pandas as pd

    from ..i18n import _
    from ..present import for_people

    spec = table_spec(name)
    table = pd.DataFrame(
        [
            {
                "column": col.name,
                "type": col.kind_text(),
                "required": "yes" if col.required and not col.nullable else "may be empty" if col.required else "no",
                "meaning": col.description,
                "example": "" if col.example is None else str(col.example),
            }
            for col in spec.columns.values()
        ]
    )
    headers = {
        "column": _("column"),
        "type": _("type"),
        "required": _("required"),
        "meaning": _("meaning"),
        "example": _("example"),
    }
    answers = {"yes": _("yes"), "may be empty": _("may be empty"), "no": _("no")}
    return for_people(table, headers, values={"required": answers})


@checked
def dictionary_markdown() -> str:
    """Render the data dictionary (``datasets/README.md``) from ``datasets/schema.yaml``."""
    lines = [
        "# Sample datasets: the data dictionary",
        "",
        "<!-- Generated from schema.yaml by mopskit.data.dictionary_markdown(); edit schema.yaml, not this file. -->",
        "",
        f"Money is in {currency()}. Dates are ISO 8601 (`YYYY-MM-DD`; times `YYYY-MM-DDTHH:MM:SS`, UTC). Ids are",
        "stable and join across tables. Regenerate every file with `mopskit data generate --out datasets`",
        "(seed 2026, scale 1). Load a table with `mopskit.data.load(name)`; check your own export against one",
        "with `mopskit data validate FILE --table NAME`.",
        "",
    ]
    for name in tables():
        spec = table_spec(name)
        lines += [f"## `{name}`", "", spec.description, ""]
        if spec.source:
            lines += [f"Source: {spec.source}.", ""]
        if spec.key:
            lines += ["Key: " + ", ".join(f"`{k}`" for k in spec.key) + ".", ""]
        lines += [
            "| column | type | required | meaning | example | other accepted names |",
            "|---|---|---|---|---|---|",
        ]
        for col in spec.columns.values():
            kind = col.kind_text()
            required = "yes" if col.required and not col.nullable else "may be empty" if col.required else "no"
            aliases = ", ".join(col.aliases)
            example = "" if col.example is None else str(col.example)
            lines.append(f"| `{col.name}` | {kind} | {required} | {col.description} | {example} | {aliases} |")
        for rule in spec.rules:
            lines += ["", f"Rule: {rule['description']}."]
        lines.append("")
    return "\n".join(lines)
