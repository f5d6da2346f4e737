"""The kit's DuckDB connections: bounded memory and threads, times in UTC.

Limits: ``MOPSKIT_DUCKDB_MEMORY`` (default ``600MB``; DuckDB spills to a temporary folder beyond it) and
``MOPSKIT_DUCKDB_THREADS`` (default: the machine's cores).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .._validate import checked

__all__ = ["connect"]


@checked
def connect(database: str | Path | None = None, *, temp_directory: str | Path | None = None) -> Any:
    """Open a DuckDB connection with the kit's memory and thread limits, its clock in UTC.

    Args:
        database: a database file (created if needed), so big tables can leave memory; None: in memory.
        temp_directory: where DuckDB spills what does not fit in memory (default: DuckDB's own choice).

    """
    import duckdb

    config: dict[str, Any] = {
        "memory_limit": os.environ.get("MOPSKIT_DUCKDB_MEMORY", "600MB"),
        "threads": int(os.environ.get("MOPSKIT_DUCKDB_THREADS", str(os.cpu_count() or 1))),
    }
    if temp_directory is not None:
        config["temp_directory"] = str(temp_directory)
    con = duckdb.connect(":memory:" if database is None else str(database), config=config)
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")  # the kit shows its own progress; DuckDB's would print over it
    return con
