"""What an export layout is: the headers that identify it, and how its columns become the kit's columns in SQL."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..._validate import checked
from .._schema import EMAIL_PATTERN, normalize_name

__all__ = [
    "KINDS",
    "Field",
    "Layout",
    "Match",
    "email_key_sql",
    "header_key",
    "literal",
    "parse_sql",
    "quoted",
    "valid_email_sql",
    "words",
]

# how a raw text value becomes a typed one
KINDS = ("text", "timestamp", "epoch_s", "epoch_ms", "epoch_us", "bool", "email", "json", "nested")
_TRUE = ("true", "yes", "y", "1", "t", "x")
_FALSE = ("false", "no", "n", "0", "f")


def header_key(header: str) -> str:
    """The form headers are compared in: lower case, letters and digits only.

    >>> header_key("Campaign ID"), header_key("CAMPAIGNID"), header_key(" Became a Lead Date")
    ('campaignid', 'campaignid', 'becamealeaddate')
    """
    return normalize_name(header).replace("_", "")


@dataclass(frozen=True)
class Field:
    """One column of the kit's table and the headers a vendor writes it under.

    Attributes:
        column: the kit's column name, e.g. ``created_at``.
        headers: accepted headers, as the vendor writes them (compared by :func:`header_key`).
        kind: how the text becomes a value (one of ``KINDS``).

    """

    column: str
    headers: tuple[str, ...]
    kind: str = "text"


@dataclass(frozen=True)
class Match:
    """How well a file's headers fit a layout.

    Attributes:
        found: each kit column found, with the file's header that holds it.
        missing: required columns not found (by their first accepted header).
        identified: whether the vendor-specific headers (``any_of``) are there.

    """

    found: dict[str, str]
    missing: list[str]
    identified: bool

    @property
    def ok(self) -> bool:
        """All required columns are there and the file carries the vendor's own headers."""
        return not self.missing and self.identified


@dataclass(frozen=True)
class Layout:
    """One vendor export: how to recognise it and how to read it into one of the kit's tables.

    Attributes:
        key: a short id, e.g. ``hubspot_contacts``.
        vendor: the system it comes from, e.g. ``HubSpot`` (the ``system`` column of every row).
        title: what people call the export, e.g. ``HubSpot contacts export``.
        table: the kit table it fills: ``contacts``, ``email_events``, ``campaign_members`` or ``web_events``.
        fields: the columns it can fill.
        required: kit columns that must be found.
        any_of: kit columns of which at least one must be found (the headers that say "this vendor").
        formats: file formats it comes in: ``csv``, ``parquet``, ``json``.
        derived: a function returning extra column expressions (SQL over the raw ``r_<column>`` values and the
            header keys present) for columns that need vendor logic, e.g. an event type from a code.
        quirks: what is special about the export, in sentences (documented and shown in the import notes).
        json_columns: for JSON files, the DuckDB type of each top-level key read.
        null_words: texts that mean "empty" in this export (Marketo writes ``null``).
        scope_pattern: a regular expression whose first group, found in the file name, names the part of the
            system the file holds (a Mailchimp audience id), so records of two parts are never compared.
        file_values: ``(pattern, column, value)``: a file whose name matches the pattern (searched in the lower-
            case name) holds ``value`` in ``column`` on every row, whatever its columns say (Mailchimp's
            unsubscribed and cleaned files are that whatever columns were kept).

    """

    key: str
    vendor: str
    title: str
    table: str
    fields: tuple[Field, ...]
    required: tuple[str, ...]
    any_of: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("csv", "parquet")
    derived: Callable[[Mapping[str, str]], dict[str, str]] | None = None
    quirks: tuple[str, ...] = ()
    json_columns: Mapping[str, str] = field(default_factory=dict)
    null_words: tuple[str, ...] = ()
    scope_pattern: str | None = None
    file_values: tuple[tuple[str, str, str], ...] = ()

    def field(self, column: str) -> Field:
        """The field of one kit column."""
        return next(f for f in self.fields if f.column == column)

    def match(self, headers: list[str]) -> Match:
        """Which kit columns a file with these headers holds, and what it lacks."""
        keys: dict[str, str] = {}
        for header in headers:
            keys.setdefault(header_key(header), header)
        found: dict[str, str] = {}
        for f in self.fields:
            for accepted in f.headers:
                if header_key(accepted) in keys:
                    found[f.column] = keys[header_key(accepted)]
                    break
        missing = [self.field(c).headers[0] for c in self.required if c not in found]
        identified = not self.any_of or any(c in found for c in self.any_of)
        return Match(found, missing, identified)


def literal(text: str) -> str:
    """A text quoted as an SQL string literal.

    >>> literal("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def quoted(name: str) -> str:
    """A column name quoted for SQL.

    >>> print(quoted("Record ID"))
    "Record ID"
    """
    return '"' + name.replace('"', '""') + '"'


def parse_sql(kind: str, raw: str, *, day_first: bool = False) -> str:
    """The SQL that turns a trimmed text value (``raw``, an SQL expression) into a value of one kind.

    A value that cannot be read becomes NULL; the importer reports it as unreadable.

    >>> parse_sql("bool", "r_x").startswith("CASE")
    True
    """
    if kind in ("text", "email", "nested"):
        return raw
    if kind == "json":
        return f"try_cast({raw} AS JSON)"
    if kind == "bool":
        true = ", ".join(literal(v) for v in _TRUE)
        false = ", ".join(literal(v) for v in _FALSE)
        word = f"lower(trim({raw}))"
        return f"CASE WHEN {word} IN ({true}) THEN true WHEN {word} IN ({false}) THEN false END"
    first = "%d" if day_first else "%m"
    second = "%m" if day_first else "%d"
    slashed = [
        f"{first}/{second}/%Y %H:%M:%S",
        f"{first}/{second}/%Y %H:%M",
        f"{first}/{second}/%Y %I:%M %p",
        f"{first}/{second}/%Y",
        f"{first}.{second}.%Y %H:%M",
        f"{first}.{second}.%Y",
    ]
    formats = "[" + ", ".join(literal(f) for f in slashed) + "]"
    # a UTC offset after the date (+02:00, -0500) needs the slower time-zone cast; 'Z' and no offset do not
    offset = f"(contains(substr({raw}, 11), '+') OR contains(substr({raw}, 11), '-'))"
    zoned = f"CAST(try_cast({raw} AS TIMESTAMPTZ) AS TIMESTAMP)"
    iso = f"CASE WHEN {offset} THEN {zoned} ELSE try_cast({raw} AS TIMESTAMP) END"
    # a value with spaces around it is read on the second try (trimming every value up front costs more)
    trimmed = iso.replace(raw, f"trim({raw})")
    text = f"coalesce({iso}, {trimmed}, try_strptime(trim({raw}), {formats}))"
    if kind == "epoch_s":
        return f"coalesce(to_timestamp(try_cast({raw} AS DOUBLE))::TIMESTAMP, {text})"
    if kind == "epoch_ms":  # milliseconds since 1970 (HubSpot's API), or a written date
        return f"coalesce(epoch_ms(try_cast({raw} AS BIGINT)), {text})"
    if kind == "epoch_us":  # microseconds since 1970 (GA4's BigQuery export)
        return f"coalesce(make_timestamp(try_cast({raw} AS BIGINT)), {text})"
    if kind == "timestamp":
        return text
    raise ValueError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")


EMAIL_SQL_PATTERN = EMAIL_PATTERN[1:-1]


def email_key_sql(raw: str) -> str:
    """The SQL of an email address as compared across records: no spaces, lower case (as ``normalize_email``)."""
    spaced = " OR ".join(f"contains({raw}, chr({code}))" for code in (32, 9, 10, 12, 13))
    return f"nullif(lower(CASE WHEN {spaced} THEN regexp_replace({raw}, '\\s+', '', 'g') ELSE {raw} END), '')"


@checked
def valid_email_sql(raw: str) -> str:
    """The SQL that says whether an address (spaces trimmed) looks like ``name@domain.tld``."""
    return f"coalesce(regexp_full_match(trim({raw}), {literal(EMAIL_SQL_PATTERN)}), false)"


def words(text: str) -> str:
    """A label reduced to its letters and digits, for matching vocabularies (``Marketing Qualified Lead``).

    >>> words("Marketing-Qualified Lead")
    'marketingqualifiedlead'
    """
    return re.sub(r"[^0-9a-z]", "", text.lower())
