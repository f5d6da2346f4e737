"""The table schemas, read from ``datasets/schema.yaml`` and turned into pandera schemas."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .._resources import datasets_dir
from .._textfile import parse_yaml
from .._validate import DATE_RULE, MONEY_RULE, checked
from ..errors import DataError

TYPES = ("id", "text", "email", "category", "int", "money", "float", "percent", "date", "datetime", "month", "bool")
DATE_TYPES = ("date", "datetime", "month")
NUMBER_TYPES = ("int", "money", "float", "percent")
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"

# How each rule of a type reads in an error message: "'spend' must be <rule> (got ...)".
RULE_TEXT = {
    "id": "a non-empty id",
    "text": "text",
    "email": "an email address like ana.pop@example.com",
    "int": "a whole number",
    "money": MONEY_RULE,
    "float": "a number",
    "percent": "a percentage between 0 and 100, like 57.7",
    "date": DATE_RULE,
    "datetime": "a date and time written YYYY-MM-DDTHH:MM:SS, like 2026-03-31T14:05:00",
    "month": "a month written YYYY-MM, like 2026-03",
    "bool": "true or false (yes/no and 1/0 are accepted too)",
}


@checked
def normalize_name(name: str) -> str:
    """Turn a column header into the form names are compared in.

    >>> normalize_name("  Became a Customer Date ")
    'became_a_customer_date'
    >>> normalize_name("Country/Region")
    'country_region'
    """
    return re.sub(r"[^0-9a-z]+", "_", name.replace("\ufeff", "").strip().lower()).strip("_")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table: its type, rules and documentation."""

    name: str
    type: str
    description: str
    example: Any = None
    nullable: bool = False
    unique: bool = False
    required: bool = True
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    aliases: tuple[str, ...] = ()
    open: bool = False
    vocabulary: str | None = None
    value_aliases: dict[str, str] = field(default_factory=dict, hash=False, compare=False, repr=False)

    def rule_text(self) -> str:
        """Say, for an error message, what a valid value of this column looks like."""
        if self.type == "category":
            return "one of " + ", ".join(self.values)
        text = RULE_TEXT[self.type]
        if self.min is not None and self.type in ("int", "float"):
            text += f" of at least {self.min:g}"
        return text

    def kind_text(self) -> str:
        """Say, for the data dictionary, what the column holds: its type and, for categories, the values."""
        if not self.values:
            return self.type
        text = f"{self.type} ({', '.join(self.values)})"
        return text[:-1] + "; other labels are kept as written)" if self.open else text


def _vocabulary(name: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """The values of a vocabulary content file, and every label (value, name, alias) that maps onto each."""
    from .. import content

    entries = content.load_yaml(name)
    labels: dict[str, str] = {}
    for value, entry in entries.items():
        for label in [value, entry.get("name", ""), *entry.get("aliases", ())]:
            labels.setdefault(normalize_name(str(label)), str(value))
    labels.pop("", None)
    return tuple(str(v) for v in entries), labels


@dataclass(frozen=True)
class TableSpec:
    """One table: its columns, key and row rules."""

    name: str
    description: str
    columns: dict[str, ColumnSpec]
    key: tuple[str, ...] = ()
    rules: tuple[dict[str, str], ...] = ()
    source: str | None = None
    loose: bool = False
    aliases: dict[str, str] = field(default_factory=dict)


def _column(name: str, raw: dict[str, Any], *, loose: bool, key: tuple[str, ...]) -> ColumnSpec:
    ctype = raw["type"]
    if ctype not in TYPES:
        raise DataError(f"schema.yaml: column '{name}' has unknown type '{ctype}'; valid: {', '.join(TYPES)}")
    unique = bool(raw.get("unique", ctype == "id"))
    values = tuple(raw.get("values", ()))
    vocabulary = raw.get("vocabulary")
    value_aliases: dict[str, str] = {}
    if vocabulary:  # values, and the labels people use for them, come from a content file
        values, value_aliases = _vocabulary(vocabulary)
    is_open = bool(raw.get("open", False))
    if loose:  # the raw variant checks types only
        unique = unique and key == (name,)
        if ctype in ("email", "category"):
            ctype, values, value_aliases, is_open = "text", (), {}, False
    return ColumnSpec(
        name=name,
        type=ctype,
        description=str(raw.get("description", "")),
        example=raw.get("example"),
        nullable=bool(raw.get("nullable", False)) or (loose and (name,) != key),
        unique=unique,
        required=bool(raw.get("required", True)),
        values=values,
        min=raw.get("min"),
        max=raw.get("max"),
        aliases=tuple(raw.get("aliases", ())),
        open=is_open,
        vocabulary=vocabulary,
        value_aliases=value_aliases,
    )


@cache
def _raw_schema() -> dict[str, Any]:
    schema: dict[str, Any] = parse_yaml((datasets_dir() / "schema.yaml").read_text(encoding="utf-8"))
    return schema


@checked
def currency() -> str:
    """Return the currency every money column of the sample data is in.

    >>> currency()
    'USD'
    """
    return str(_raw_schema()["currency"])


@checked
@cache
def table_spec(name: str) -> TableSpec:
    """Return the schema of one table, e.g. ``table_spec("campaigns")``."""
    tables = _raw_schema()["tables"]
    if name not in tables:
        raise DataError(f"unknown table '{name}'; valid: {', '.join(sorted(tables))}")
    raw = tables[name]
    base = tables[raw["like"]] if "like" in raw else raw
    loose = bool(raw.get("loose", False))
    key = tuple(raw.get("key", base.get("key", ())))
    columns = {col: _column(col, spec, loose=loose, key=key) for col, spec in base["columns"].items()}
    aliases = {normalize_name(col): col for col in columns}
    for col, spec in columns.items():
        for alias in spec.aliases:
            aliases.setdefault(normalize_name(alias), col)
    return TableSpec(
        name=name,
        description=" ".join(str(raw.get("description", "")).split()),
        columns=columns,
        key=key,
        rules=() if loose else tuple(base.get("rules", ())),
        source=raw.get("source"),
        loose=loose,
        aliases=aliases,
    )


@checked
def table_names() -> list[str]:
    """List the tables the kit knows, in the order of the data dictionary.

    >>> "campaigns" in table_names()
    True
    """
    return list(_raw_schema()["tables"])


def _rule_check(rule: str) -> Any:
    import pandas as pd
    import pandera.pandas as pa

    def ordered(df: pd.DataFrame, cols: list[str]) -> pd.Series:
        ok = pd.Series(True, index=df.index)
        for earlier, later in itertools.pairwise(cols):
            ok &= ~(df[earlier].notna() & df[later].notna() & (df[earlier] > df[later]))
        return ok

    checks = {
        "end_after_start": (["start_date", "end_date"], lambda df: ordered(df, ["start_date", "end_date"])),
        "stages_in_order": (
            ["mql_at", "sql_at", "opportunity_at", "customer_at"],
            lambda df: ordered(df, ["mql_at", "sql_at", "opportunity_at", "customer_at"]),
        ),
        "left_after_start": (["started_on", "left_on"], lambda df: ordered(df, ["started_on", "left_on"])),
        "active_within_seats": (
            ["seats", "active_users"],
            lambda df: ~(df["active_users"] > df["seats"]).fillna(False),
        ),
    }
    if rule not in checks:
        raise DataError(f"schema.yaml: unknown rule '{rule}'; valid: {', '.join(checks)}")
    columns, func = checks[rule]
    return columns, pa.Check(func, name=rule)


def pandera_schema(spec: TableSpec, present: list[str]) -> Any:
    """Build the pandera schema that validates the columns of ``spec`` found in a file."""
    import pandera.pandas as pa
    from pandera.engines import pandas_engine

    columns = {}
    for name in present:
        col = spec.columns[name]
        checks = []
        if col.type in DATE_TYPES:
            # pandera passes to_datetime_kwargs on to pandas, though its own type hints leave the keyword out
            dtype: Any = pandas_engine.DateTime(to_datetime_kwargs={"format": "ISO8601"})  # type: ignore[call-arg]
        elif col.type == "int":
            dtype = "Int64" if col.nullable else "int64"
        elif col.type in ("money", "float", "percent"):
            dtype = "float64"
        elif col.type == "bool":
            dtype = "boolean" if col.nullable else "bool"
        else:
            dtype = str
        if col.type == "money":
            checks.append(pa.Check.ge(0, error="money"))
        if col.type == "percent":
            checks.append(pa.Check.in_range(0, 100, error="percent"))
        if col.min is not None:
            checks.append(pa.Check.ge(col.min, error="min"))
        if col.values and not col.open:
            checks.append(pa.Check.isin(list(col.values), error="values"))
        if col.type == "email":
            checks.append(pa.Check.str_matches(EMAIL_PATTERN, error="email"))
        columns[name] = pa.Column(
            dtype, checks=checks, nullable=col.nullable, unique=col.unique, coerce=True, required=True
        )
    frame_checks = []
    for rule in spec.rules:
        needed, check = _rule_check(rule["rule"])
        if all(c in present for c in needed):
            frame_checks.append(check)
    key = list(spec.key) if len(spec.key) > 1 and all(k in present for k in spec.key) else None
    return pa.DataFrameSchema(columns, checks=frame_checks, unique=key, strict=False, coerce=True)
