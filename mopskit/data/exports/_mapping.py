"""Mapping files (``--map columns.yaml``): how to read an export the kit does not recognise by its headers.

A mapping names files (a name or a glob pattern, relative to the exports folder), the kit table each one
fills, and which of its headers holds each of the table's columns::

    files:
      - file: pipedrive_people.csv
        table: contacts
        system: Pipedrive
        columns:
          record_id: Person ID
          email: Email
          created_at: Person created
          lifecycle_stage: Stage
          owner: Owner
        values:                      # optional: the file's own labels for the kit's values
          lifecycle_stage: {Hot lead: mql, Won: customer}
      - file: sends/*.csv
        table: email_events
        system: Brevo
        epoch: ms                    # optional: timestamps are milliseconds (s, ms, us) since 1970
        columns: {email: Recipient, campaign_id: Campaign, event_type: Event, occurred_at: Date}

A mapped file is read as mapped even when the kit would recognise it, so a mapping also fixes a vendor export
whose columns were renamed.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..._validate import checked
from ...errors import DataError, ParameterError
from ._layout import Field, Layout, literal
from ._tables import TABLES

__all__ = ["MappedFile", "check_headers", "load_mapping"]

# the columns a mapped file must give for its table to be of use, with what "one of" means
_NEEDED: dict[str, tuple[tuple[str, ...], ...]] = {
    "contacts": (("email", "record_id"),),
    "email_events": (("event_type",), ("occurred_at",), ("email", "contact_id"), ("campaign_id",)),
    "campaign_members": (("campaign_id",), ("status",)),
    "web_events": (("event_name",), ("occurred_at",)),
}
_AUTOMATIC = {"system", "scope", "file", "row", "bad", "email_key", "person", "stage_label", "vendor_type"}
_SUBSCRIPTION_WORDS: dict[str, tuple[str, ...]] = {
    "subscribed": ("subscribed", "optedin", "optin", "active", "yes", "true"),
    "unsubscribed": ("unsubscribed", "optedout", "optout", "unsubscribe", "no", "false"),
    "cleaned": ("cleaned", "bounced", "invalid"),
}
_EPOCH = {"s": "epoch_s", "ms": "epoch_ms", "us": "epoch_us"}
EXAMPLE = """files:
  - file: {name}
    table: contacts
    system: Our CRM
    columns: {{record_id: <header of the id>, email: <header of the address>, lifecycle_stage: <header>}}"""


@dataclass(frozen=True)
class MappedFile:
    """One entry of a mapping file.

    Attributes:
        pattern: the file name or glob pattern (relative to the exports folder).
        table: the kit table it fills.
        system: the system's name for the report (default: the file name).
        columns: kit column -> the file's header.
        values: kit column -> {the file's label: the kit's value}.
        epoch: ``s``, ``ms`` or ``us`` when timestamps are numbers since 1970.

    """

    pattern: str
    table: str
    system: str | None
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    epoch: str | None = None

    def matches(self, label: str) -> bool:
        """Whether this entry names a file (its path relative to the exports folder, or its name)."""
        return fnmatch.fnmatch(label, self.pattern) or fnmatch.fnmatch(Path(label).name, self.pattern)

    def layout(self, label: str) -> Layout:
        """The layout this entry describes, for one file."""
        kinds = {c.name: c.kind for c in TABLES[self.table]}
        timestamp = _EPOCH.get(self.epoch or "", "timestamp")
        fields = []
        for column, header in self.columns.items():
            kind = kinds[column]
            kind = timestamp if kind == "timestamp" else kind if kind in ("bool", "email") else "text"
            fields.append(Field(column, (header,), kind))
        return Layout(
            key=f"mapped:{self.pattern}",
            vendor=self.system or Path(label).stem,
            title=f"mapped in the mapping file ({self.table})",
            table=self.table,
            fields=tuple(fields),
            required=tuple(self.columns),
            formats=("csv", "parquet", "json"),
            derived=_value_maps(self.values, kinds),
        )


def _value_maps(values: Mapping[str, Mapping[str, str]], kinds: Mapping[str, str]) -> Any:
    """A ``derived`` function applying the mapping's value labels before the kit's own vocabulary."""
    from .vendors import event_type_sql, stage_sql

    def derived(found: Mapping[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for column in found:
            kind = kinds.get(column)
            raw = f"r_{column}"
            default = {
                "stage": stage_sql(raw),
                "event": event_type_sql(raw),
                "subscription": _subscription_sql(raw),
            }.get(kind or "")
            labels = values.get(column)
            if labels:
                arms = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in labels.items())
                out[column] = f"CASE {raw} {arms} ELSE {default or raw} END"
            elif default:
                out[column] = default
        return out

    return derived


def _subscription_sql(raw: str) -> str:
    arms = " ".join(
        f"WHEN {literal(w)} THEN {literal(v)}" for v, spellings in _SUBSCRIPTION_WORDS.items() for w in spellings
    )
    return f"CASE regexp_replace(lower({raw}), '[^0-9a-z]', '', 'g') {arms} END"


def _problem(path: Path, entry: int, text: str) -> str:
    return f"{path.name}, entry {entry}: {text}"


def _entries(raw: Any, path: Path) -> list[tuple[int, Mapping[str, Any]]]:
    if isinstance(raw, Mapping) and "files" in raw:
        raw = raw["files"]
    if isinstance(raw, Mapping):  # {file: {...}} shorthand
        raw = [{"file": name, **(spec or {})} for name, spec in raw.items()]
    if not isinstance(raw, list) or not all(isinstance(e, Mapping) for e in raw):
        raise ParameterError(
            f"{path.name}: a mapping file holds a list 'files:' of entries, each with file, table and columns; "
            "for example:\n" + EXAMPLE.format(name="crm_export.csv")
        )
    return list(enumerate(raw, 1))


@checked
def load_mapping(path: str | Path) -> list[MappedFile]:
    """Read and check a mapping file.

    Raises:
        ParameterError: the file is missing or not YAML, or an entry names an unknown table or column, or lacks
            what its table needs; every problem is listed, each with its entry number.

    """
    import yaml

    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"{path}: no such mapping file (working folder: {Path.cwd()})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path.name}: not a readable YAML file ({str(exc).splitlines()[0]})") from None
    problems: list[str] = []
    mapped = []
    for number, entry in _entries(raw, path):
        unknown_keys = sorted(set(entry) - {"file", "table", "system", "columns", "values", "epoch"})
        if unknown_keys:
            problems.append(
                _problem(
                    path,
                    number,
                    f"unknown key(s) {', '.join(unknown_keys)}; valid: file, table, system, columns, values, epoch",
                )
            )
        pattern, table = entry.get("file"), entry.get("table")
        columns = entry.get("columns") or {}
        if not isinstance(pattern, str) or not pattern.strip():
            problems.append(_problem(path, number, "'file' must name a file or pattern, e.g. crm_export.csv"))
        if table not in TABLES:
            problems.append(_problem(path, number, f"'table' must be one of {', '.join(TABLES)} (got {table!r})"))
            continue
        if not isinstance(columns, Mapping) or not columns:
            problems.append(_problem(path, number, "'columns' must map the kit's columns to the file's headers"))
            continue
        valid = [c.name for c in TABLES[table] if c.name not in _AUTOMATIC]
        for column in columns:
            if column not in valid:
                problems.append(
                    _problem(path, number, f"'{column}' is not a column of '{table}'; valid: {', '.join(valid)}")
                )
        for group in _NEEDED[table]:
            if not any(c in columns for c in group):
                problems.append(
                    _problem(path, number, f"'{table}' needs {' or '.join(repr(c) for c in group)} in 'columns'")
                )
        values = entry.get("values") or {}
        if not isinstance(values, Mapping) or not all(isinstance(v, Mapping) for v in values.values()):
            problems.append(_problem(path, number, "'values' must map a column to {file's label: kit's value}"))
            values = {}
        epoch = entry.get("epoch")
        if epoch is not None and epoch not in _EPOCH:
            problems.append(_problem(path, number, f"'epoch' must be s, ms or us (got {epoch!r})"))
        mapped.append(
            MappedFile(
                str(pattern),
                str(table),
                str(entry["system"]) if entry.get("system") else None,
                {str(k): str(v) for k, v in columns.items()},
                {str(k): {str(a): str(b) for a, b in v.items()} for k, v in values.items()},
                epoch,
            )
        )
    if problems:
        raise ParameterError(
            f"{path.name} cannot be used ({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    return mapped


def check_headers(entry: MappedFile, headers: list[str], label: str) -> None:
    """Raise a :class:`DataError` naming every mapped header the file does not have."""
    missing = [h for h in entry.columns.values() if h not in headers]
    if missing:
        raise DataError(
            f"{label}: the mapping names column(s) {', '.join(repr(h) for h in missing)} that the file does not "
            f"have; the file has: {', '.join(headers)}. Correct the mapping file (headers are matched exactly).",
            problems=[f"no column {h!r}" for h in missing],
            source=label,
        )
