"""Reading a batch file and checking every row before anything runs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._textfile import csv_rows, read_text
from ..errors import DataError, ParameterError
from ..reports import ReportInfo, parameter_problems, valid_parameters
from ._results import INDEX_FILE, SUMMARY_FILE

RUN_COLUMN = "run"
_MAX_LISTED = 40


@dataclass(frozen=True)
class PlannedRun:
    """One checked row of a batch: its run name, where it came from, and its coerced parameters."""

    name: str
    where: str
    parameters: dict[str, Any]


def _csv_rows(path: Path) -> list[tuple[str, dict[str, str]]]:
    """The rows of a CSV batch file, read as :func:`mopskit.data.read_raw` reads files (every cell as text)."""
    try:
        text, _encoding = read_text(path)
        if not text.strip():
            raise ParameterError(
                f"{path.name}: the file is empty; write a header row of parameter names, then one row per run"
            )
        header, rows = csv_rows(text, path.name)
    except DataError as exc:
        raise ParameterError(str(exc)) from None
    header = [h.strip() for h in header]
    if "" in header or len(set(header)) != len(header):
        raise ParameterError(
            f"{path.name}: row 1 must name each column once (got: {', '.join(header)}); "
            f"columns are parameter names, plus an optional '{RUN_COLUMN}' column"
        )
    # an empty cell keeps the report's default for that parameter
    return [
        (f"row {number}", {h: c.strip() for h, c in zip(header, cells, strict=True) if c.strip()})
        for number, cells in rows
        if any(c.strip() for c in cells)
    ]


def _yaml_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path.name}: not readable as YAML ({exc})") from None
    if isinstance(loaded, Mapping):  # run name -> parameters
        items = [
            {RUN_COLUMN: name, **(params or {})} if isinstance(params, Mapping | None) else params
            for name, params in loaded.items()
        ]
    elif isinstance(loaded, list):
        items = loaded
    else:
        raise ParameterError(
            f"{path.name}: expected a list of runs ('- dataset: campaigns' items) or a mapping of run name to "
            f"parameters (got {type(loaded).__name__})"
        )
    rows = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            raise ParameterError(
                f"{path.name}: item {number} must be a mapping of parameter names to values (got {item!r})"
            )
        rows.append((f"item {number}", {str(k): v for k, v in item.items()}))
    return rows


def read_runs(path: str | Path) -> list[tuple[str, dict[str, Any]]]:
    """Read a batch file: a CSV (header of parameter names) or YAML (a list of parameter mappings).

    CSV files saved by Excel work as they are (BOM, ``;`` separator, Windows-1252). An empty cell keeps the
    report's default; a ``run`` column names the runs. YAML may also map run names to parameter mappings.

    Returns:
        One ``(where, values)`` pair per run: ``where`` names its row (``"row 3"``, numbered as in a
        spreadsheet, header being row 1) or YAML item (``"item 2"``).

    Raises:
        ParameterError: for a missing, empty, unreadable or ragged file, or an unknown suffix.

    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"batch file '{path}' not found (working folder: {Path.cwd()})")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_rows(path)
    if suffix in (".yaml", ".yml"):
        return _yaml_rows(path)
    raise ParameterError(f"batch file '{path.name}': use a .csv or .yaml file (got '{suffix or 'no suffix'}')")


def _safe_name(text: str) -> str:
    """A folder name made of letters, digits, ``.``, ``-`` and ``_``.

    >>> _safe_name("North / EMEA: Q1")
    'North-EMEA-Q1'
    """
    return re.sub(r"[^\w.\-]+", "-", text).strip("-.")[:80]


def _default_name(number: int, values: Mapping[str, Any]) -> str:
    """``001-campaigns``: the run's position and its parameter values.

    >>> _default_name(3, {"dataset": "exports/contacts.csv", "table": "contacts"})
    '003-exports-contacts.csv-contacts'
    """
    label = _safe_name("-".join(str(v) for v in values.values()))[:60].strip("-.")
    return f"{number:03d}-{label}" if label else f"{number:03d}"


def plan_runs(
    info: ReportInfo, rows: Sequence[tuple[str, Mapping[str, Any]]], *, shared: Mapping[str, Any] | None = None
) -> list[PlannedRun]:
    """Check every row and name every run, or raise one error listing every bad row.

    Args:
        info: the report, from :func:`mopskit.reports.report_info`.
        rows: ``(where, values)`` pairs, as :func:`read_runs` returns them.
        shared: values every run gets; a row's own value wins.

    Raises:
        ParameterError: listing each bad row (where, parameter, what is wrong), duplicate run names, and the
            report's valid parameters.

    """
    problems: list[str] = []
    planned: list[PlannedRun] = []
    for number, (where, row) in enumerate(rows, 1):
        values = {**(shared or {}), **row}
        given_name = values.pop(RUN_COLUMN, None)
        coerced, bad = parameter_problems(info, values)
        problems += [f"{where}: {problem}" for problem in bad]
        name = _safe_name(str(given_name)) if given_name not in (None, "") else _default_name(number, row)
        if given_name not in (None, "") and not name:
            problems.append(f"{where}: the run name {given_name!r} has no letter or digit to name a folder with")
        if name.lower() in (INDEX_FILE, SUMMARY_FILE):
            problems.append(f"{where}: the run name '{name}' is taken by the batch's own {name}; choose another")
        planned.append(PlannedRun(name or f"{number:03d}", where, coerced))
    seen: dict[str, list[str]] = {}
    for run in planned:
        seen.setdefault(run.name.casefold(), []).append(run.where)
    for run_name, places in seen.items():
        if len(places) > 1:
            problems.append(
                f"{' and '.join(places)}: the run name '{run_name}' is used {len(places)} times; "
                f"give each row its own '{RUN_COLUMN}'"
            )
    if not planned:
        problems.append("the batch has no runs; add one row per run under the header")
    if problems:
        more = len(problems) - _MAX_LISTED
        listed = problems[:_MAX_LISTED] + ([f"... and {more} more"] if more > 0 else [])
        raise ParameterError(
            f"batch for report '{info.name}': {len(problems)} problem(s), nothing was run:\n"
            + "\n".join(f"  {line}" for line in listed)
            + "\n"
            + valid_parameters(info)
        )
    return planned
