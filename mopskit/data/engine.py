"""The embedded analytical engine (DuckDB) for files too big for pandas: CSV, Parquet or a folder of Parquet.

The metric and lead functions pass a path here instead of a DataFrame; the file is scanned by DuckDB with bounded
memory and threads, and only the aggregated rows come back to pandas. Limits: ``MOPSKIT_DUCKDB_MEMORY``
(default ``600MB``; DuckDB spills to a temporary folder beyond it) and ``MOPSKIT_DUCKDB_THREADS`` (default:
the machine's cores).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import DataError
from ._duckdb import connect as _connect
from ._schema import normalize_name, table_spec

__all__ = ["connect", "csv_encoding", "query_error", "resolve_columns", "scan_sql"]


def connect() -> Any:
    """Open an in-memory DuckDB connection with the kit's memory and thread limits."""
    return _connect()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def csv_encoding(path: Path) -> str | None:
    """Guess a CSV's encoding from its first 64 KB: None for UTF-8 (with or without BOM), else utf-16 or latin-1.

    Excel saves "CSV" in the Windows code page (cp1252) unless told otherwise; DuckDB reads those bytes as
    latin-1, which matches cp1252 for every letter of Western European languages.
    """
    from .._textfile import encoding_of

    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    found = encoding_of(head, sample=True)
    return None if found == "utf-8-sig" else "utf-16" if found == "utf-16" else "latin-1"


def scan_sql(path: str | os.PathLike[str], *, encoding: str | None = None) -> tuple[str, str]:
    """Return the SQL that scans a file (``read_csv``/``read_parquet``) and a label naming it in messages.

    >>> from mopskit._resources import datasets_dir
    >>> scan_sql(datasets_dir() / "email_events.csv")[0].startswith("read_csv(")
    True
    """
    if not str(path).strip():
        raise DataError(
            "no file was given (an empty path); pass the path of a .csv or .parquet file, or a folder of Parquet files",
            problems=["empty path"],
            source="",
        )
    source = Path(path)
    label = source.name or str(source)
    if source.is_dir():
        if not any(source.rglob("*.parquet")):
            raise DataError(
                f"{source}: the folder holds no .parquet files; point at a .csv or .parquet file, or a folder of "
                "Parquet files",
                problems=["no parquet files"],
                source=str(source),
            )
        return f"read_parquet({_literal(str(source / '**' / '*.parquet'))})", label
    if not source.is_file() and not any(ch in str(source) for ch in "*?"):
        raise DataError(
            f"{source}: no such file or folder (working folder: {Path.cwd()}); check the name",
            problems=["no such file"],
            source=str(source),
        )
    suffix = source.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet({_literal(str(source))})", label
    if suffix in (".csv", ".txt", ".tsv"):
        if source.is_file() and source.stat().st_size == 0:
            raise DataError(f"{label}: the file is empty", problems=["file is empty"], source=label)
        encoding = encoding or csv_encoding(source)
        extra = f", encoding={_literal(encoding)}" if encoding else ""
        return f"read_csv({_literal(str(source))}, all_varchar=true, header=true{extra})", label
    raise DataError(
        f"{label}: cannot read '{suffix}' files at scale; give a .csv or .parquet file, or a folder of Parquet files",
        problems=[f"unsupported suffix {suffix}"],
        source=label,
    )


def resolve_columns(
    con: Any, scan: str, label: str, *, table: str, needed: list[str], optional: list[str] | tuple[str, ...] = ()
) -> dict[str, str]:
    """Map each needed (and present optional) column of a kit table to a quoted column of the file, aliases accepted.

    Raises:
        DataError: naming the missing columns, the file's columns and the accepted spellings.

    """
    try:
        present = [row[0] for row in con.sql(f"DESCRIBE SELECT * FROM {scan}").fetchall()]
    except Exception as exc:  # duckdb's own errors: an unreadable or malformed file
        raise DataError(
            f"{label}: cannot be read ({str(exc).splitlines()[0]})", problems=[str(exc)], source=label
        ) from None
    spec = table_spec(table)
    found: dict[str, str] = {}
    for column in present:
        target = spec.aliases.get(normalize_name(column))
        if target is not None and (target in needed or target in optional) and target not in found:
            found[target] = '"' + column.replace('"', '""') + '"'
    missing = [c for c in needed if c not in found]
    if missing:
        problems = [
            f"column '{c}' is missing (accepted spellings: {', '.join((c, *spec.columns[c].aliases))})" for c in missing
        ]
        raise DataError(
            f"{label} does not fit the '{table}' table: "
            + "; ".join(problems)
            + f". The file has: {', '.join(present)}",
            problems=problems,
            source=label,
        )
    return found


def query_error(exc: Exception, label: str) -> DataError:
    """Turn an error DuckDB raised while reading a file into a :class:`DataError` that names the file."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return DataError(
        f"{label}: cannot be read ({first}); check that it is a CSV or Parquet export of the table",
        problems=[str(exc)],
        source=label,
    )
