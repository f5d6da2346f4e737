"""Reading CSV and Parquet files into validated DataFrames, with every problem reported at once."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._textfile import csv_rows, decode, listed, sniff_separator
from .._validate import checked, parse_amount
from ..errors import DataError
from ._schema import DATE_TYPES, NUMBER_TYPES, TableSpec, normalize_name, pandera_schema, table_spec

if TYPE_CHECKING:
    import pandas as pd

_TRUE = {"true", "yes", "y", "1", "t", "x"}
_FALSE = {"false", "no", "n", "0", "f"}
_HOW_TO_FIX = (
    "Fix these cells in the file (rows are numbered as in a spreadsheet, the header being row 1) "
    "and read it again; the data dictionary is in datasets/README.md."
)


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise DataError(
            f"{path}: no such file (working folder: {Path.cwd()}); check the name and folder",
            problems=["no such file"],
            source=str(path),
        )


def _problem(row: int | None, text: str) -> tuple[int, str]:
    return (row if row is not None else 0, f"row {row}: {text}" if row is not None else text)


def _mapped(df: pd.DataFrame, spec: TableSpec, columns: Mapping[str, str], label: str) -> pd.DataFrame:
    """Rename the file's columns as the caller's mapping says (``{"their header": "table column"}``).

    A header is found as written or as :func:`normalize_name` spells it; a mapping naming a header the file lacks,
    or a column the table lacks, is refused with the names that would work.
    """
    headers = {normalize_name(str(h)): str(h) for h in df.columns}
    renames: dict[str, str] = {}
    problems = []
    for theirs, ours in columns.items():
        header = str(theirs) if str(theirs) in df.columns else headers.get(normalize_name(str(theirs)))
        if header is None:
            problems.append(
                f"the column mapping names '{theirs}', which is not a column of the file; the file has: "
                + ", ".join(str(h) for h in df.columns)
            )
        elif str(ours) not in spec.columns:
            problems.append(
                f"the column mapping maps '{theirs}' to '{ours}', which is not a column of the '{spec.name}' "
                f"table; valid: {', '.join(spec.columns)}"
            )
        else:
            renames[header] = str(ours)
    if problems:
        raise DataError(
            f"{label}: " + "; ".join(problems) + ". Fix the mapping ({'header in the file': 'column of the table'})",
            problems=problems,
            source=label,
        )
    return df.rename(columns=renames)


def _rename(df: pd.DataFrame, spec: TableSpec, problems: list[tuple[int, str]]) -> pd.DataFrame:
    mapping: dict[str, str] = {}
    for header in df.columns:
        target = spec.aliases.get(normalize_name(str(header)), str(header))
        if target in mapping.values() and target in spec.columns:
            first = next(h for h, t in mapping.items() if t == target)
            problems.append(
                _problem(None, f"columns '{first}' and '{header}' both mean '{target}'; delete or rename one")
            )
            target = str(header)
        mapping[str(header)] = target
    return df.rename(columns=mapping)


def _clean_values(df: pd.DataFrame, spec: TableSpec, sep: str) -> pd.DataFrame:
    import pandas as pd

    for name, col in spec.columns.items():
        if name not in df.columns:
            continue
        values = df[name]
        if col.type == "category":
            written = values.str.strip()
            values = written.str.lower().str.replace(r"[\s\-]+", "_", regex=True)
            if col.value_aliases:  # "MAP", "E-mail" -> the vocabulary's own value
                known = written.map(normalize_name, na_action="ignore").map(col.value_aliases)
                values = known.fillna(values)
            if col.open:  # other labels load as written; the label column keeps what the file said
                values = values.where(values.isin(col.values) | values.isna(), written)
                if f"{name}_label" not in df.columns:
                    df[f"{name}_label"] = written
        elif col.type in NUMBER_TYPES:
            values = values.str.replace(r"^[\s$€£]+|\s+$", "", regex=True)
            if sep != ",":  # Excel in many European locales writes decimal commas
                values = values.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
            if col.type == "money":  # money is read the kit's one way: '$7', '1,000.00', '12.50 EUR'
                values = values.map(_money_text, na_action="ignore")
        elif col.type == "bool":
            lowered = values.str.strip().str.lower()
            mapped = lowered.map(lambda v: True if v in _TRUE else False if v in _FALSE else v)
            values = pd.Series(mapped, index=df.index, dtype=object)
        df[name] = values
    return df


def _money_text(value: Any) -> Any:
    """A money cell as plain number text when :func:`mopskit._validate.parse_amount` reads it; else as written."""
    try:
        float(value)
    except (TypeError, ValueError):
        amount, _fix = parse_amount(value)
        if amount is not None and amount >= 0:  # a negative or unreadable cell is reported as the file wrote it
            return repr(amount)
    return value


def _bool_problems(df: pd.DataFrame, spec: TableSpec, first_row: int) -> list[tuple[int, str]]:
    """Cells of yes/no columns that are neither (pandas would read any text as True), then blanked."""
    problems = []
    for name, col in spec.columns.items():
        if col.type != "bool" or name not in df.columns:
            continue
        bad = df[name].map(lambda v: not (v is None or isinstance(v, bool) or (isinstance(v, float) and v != v)))
        for index in df.index[bad]:
            got = df.at[index, name]
            problems.append(_problem(int(index) + first_row, f"'{name}' must be {col.rule_text()} (got '{got}')"))
        df.loc[bad, name] = None if col.nullable else False  # reported once, not again as a failed conversion
    return problems


def _failure_problems(failures: pd.DataFrame, spec: TableSpec, df: pd.DataFrame, first_row: int) -> list:
    problems: list[tuple[int, str]] = []
    seen: set[tuple[Any, Any]] = set()
    for case in failures.itertuples(index=False):
        column, check, index = case.column, str(case.check), case.index
        if column in spec.columns and (column, index) in seen:
            continue  # one problem per cell: a failed conversion also fails the dtype and range checks
        if "TypeError" in str(case.failure_case) or (index is None and column in spec.columns):
            continue
        seen.add((column, index))
        row = int(index) + first_row if index is not None and str(index) != "nan" else None
        if column in spec.columns:
            col = spec.columns[column]
            got = df.at[index, column] if row is not None and column in df.columns else case.failure_case
            if check == "not_nullable":
                text = f"'{column}' is empty; it must be {col.rule_text()}"
            elif check == "field_uniqueness":
                text = f"'{column}' must be unique (got '{got}' more than once)"
            else:
                text = f"'{column}' must be {col.rule_text()} (got '{got}')"
            problems.append(_problem(row, text))
        elif check == "multiple_fields_uniqueness":
            if ("key", index) not in seen:
                seen.add(("key", index))
                key = ", ".join(f"{k}={df.at[index, k]}" for k in spec.key)
                problems.append(_problem(row, f"({key}) appears more than once; keep one row per {key}"))
    return problems


def _rule_problems(failures: pd.DataFrame, spec: TableSpec, df: pd.DataFrame, first_row: int) -> list:
    """Row rules, checked on the cells that did convert (pandera runs them before converting)."""
    import pandas as pd

    from ._schema import _rule_check

    if not spec.rules:
        return []
    problems = []
    for rule in spec.rules:
        needed, check = _rule_check(rule["rule"])
        if not all(c in df.columns for c in needed):
            continue
        converted = pd.DataFrame(index=df.index)
        for c in needed:
            kind = spec.columns[c].type
            raw = df[c]
            converted[c] = (
                pd.to_datetime(raw, format="ISO8601", errors="coerce")
                if kind in DATE_TYPES
                else pd.to_numeric(raw, errors="coerce")
            )
        bad = ~check._check_fn(converted).astype(bool)
        for i in df.index[bad]:
            got = ", ".join(f"{c}={df.at[i, c]}" for c in needed if pd.notna(df.at[i, c]))
            problems.append(_problem(int(i) + first_row, f"{rule['description']} (got {got})"))
    return problems


def _raise(label: str, spec: TableSpec, problems: list[tuple[int, str]], how_to_fix: str = _HOW_TO_FIX) -> None:
    problems.sort(key=lambda p: p[0])
    lines = [text for _, text in problems]
    count = f"{len(lines)} problem" + ("s" if len(lines) != 1 else "")
    message = f"{label} does not fit the '{spec.name}' table ({count}):\n" + "\n".join(
        f"  - {s}" for s in listed(lines)
    )
    raise DataError(message + "\n" + how_to_fix, problems=lines, source=label)


def _read_csv_text(path: Path, label: str, sep: str | None, encoding: str | None) -> tuple[Any, str]:
    import pandas as pd

    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(
            f"{label}: the file is empty; export the table again with its header row and data",
            problems=["file is empty"],
            source=label,
        )
    text = decode(raw, label, encoding=encoding)[0]
    sep = sep or sniff_separator(text)
    # pandas would silently turn an extra first cell into an index and shift the row: find such rows first
    csv_rows(text, label, sep=sep)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""], skip_blank_lines=True
        )
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip()
        raise DataError(
            f"{label}: {detail}; a value probably contains the separator '{sep}': put that value in "
            "double quotes, or export the file again",
            problems=[detail],
            source=label,
        ) from None
    return frame, sep


@checked
def read(
    path: str | Path,
    *,
    table: str,
    sep: str | None = None,
    encoding: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read a CSV or Parquet file and validate it against one of the kit's tables.

    Accepts real-world exports: UTF-8 with or without BOM, UTF-16, Windows-1252, ``,``/``;``/tab
    separators, decimal commas in ``;`` files, and column names that differ in case or spacing or use the
    names CRM and marketing-automation exports use (see ``aliases`` in ``datasets/schema.yaml``).
    The file itself is never modified.

    Args:
        path: the file to read (``.csv``, ``.txt`` or ``.parquet``).
        table: the table the file holds, e.g. ``"campaigns"``; see :func:`mopskit.data.tables`.
        sep: the column separator, if guessing it is not wanted.
        encoding: the text encoding, if guessing it is not wanted.
        columns: the file's own column names for the table's columns, ``{"Supplier": "vendor"}``, for headers
            the usual spellings do not cover (the file keeps its names).

    Returns:
        A DataFrame with the schema's column names and types (dates as ``datetime64``), extra columns kept.

    Raises:
        DataError: listing every problem found, each with its row and column.

    """
    import pandas as pd

    spec = table_spec(table)
    path = Path(path)
    label = path.name
    _require_file(path)
    if path.suffix.lower() == ".parquet":
        df = pd.read_parquet(path).astype("string").astype(object).where(lambda d: d.notna(), None)
        sep, first_row = ",", 1
    else:
        df, sep = _read_csv_text(path, label, sep, encoding)
        first_row = 2
    if df.empty:
        raise DataError(
            f"{label}: the file has a header but no rows; export it again with its data",
            problems=["no rows"],
            source=label,
        )
    return _validated(df, spec, label=label, sep=sep, first_row=first_row, columns=columns)


def _validated(
    df: pd.DataFrame,
    spec: TableSpec,
    *,
    label: str,
    sep: str,
    first_row: int,
    how_to_fix: str = _HOW_TO_FIX,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Rename, clean and validate a table of text cells; raise one DataError listing every problem."""
    import pandera.pandas as pa

    problems: list[tuple[int, str]] = []
    original_headers = [str(c) for c in df.columns]
    if columns:
        df = _mapped(df, spec, columns, label)
    df = _rename(df, spec, problems)
    present = [c for c in spec.columns if c in df.columns]
    for name, col in spec.columns.items():
        if name not in df.columns and col.required:
            accepted = ", ".join(col.aliases) if col.aliases else "no other spelling"
            found = ", ".join(original_headers)
            hint = ""
            if len(original_headers) == 1 and re.search(r"[:|/\s]", original_headers[0]):
                hint = "; the whole header landed in one column, so the file may use a separator other than , ; or tab"
            problems.append(
                _problem(
                    None,
                    f"column '{name}' is missing; the file has: {found}{hint}. Add or rename a column to "
                    f"'{name}' (accepted spellings: {accepted})",
                )
            )
    df = _clean_values(df, spec, sep)
    problems += _bool_problems(df, spec, first_row)
    try:
        validated = pandera_schema(spec, present).validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems.extend(_failure_problems(exc.failure_cases, spec, df, first_row))
        problems.extend(_rule_problems(exc.failure_cases, spec, df, first_row))
        validated = None
    if problems or validated is None:
        _raise(label, spec, problems or [(0, "the table could not be validated")], how_to_fix)
    order = present + [c for c in validated.columns if c not in spec.columns]
    return validated[order]


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The cells of a DataFrame as the text a CSV file would hold (empty cells as missing values)."""
    import pandas as pd

    def cell(value: Any) -> Any:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        if isinstance(value, str):
            return value if value.strip() else None  # an empty cell, as a CSV reader sees it
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
        return str(value)

    text = pd.DataFrame({str(c): frame[c].astype(object).map(cell) for c in frame.columns})
    return text.reset_index(drop=True).astype(object)


@checked
def validate(
    frame: pd.DataFrame, *, table: str, label: str = "the DataFrame", columns: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Validate a DataFrame against one of the kit's tables, as :func:`read` validates a file.

    Column names and labels are matched as :func:`read` matches them (aliases, case, spacing); the DataFrame
    itself is not changed.

    Args:
        frame: the table, typed or as text.
        table: the kit table it holds, e.g. ``"martech_stack"``.
        label: how error messages name it.
        columns: the frame's own column names for the table's columns, as :func:`read` takes them.

    Returns:
        A new DataFrame with the schema's column names and types.

    Raises:
        DataError: listing every problem, rows numbered from 2 as if the DataFrame were saved as a CSV file.

    >>> import pandas as pd
    >>> budget = pd.DataFrame({"Month": ["2026-01"], "Channel": ["SEO"], "Planned": [1.0], "Forecast": [2.0]})
    >>> validate(budget.assign(Actual=None), table="budget")["channel"].tolist()
    ['seo']

    """
    spec = table_spec(table)
    if frame.empty:
        raise DataError(f"{label} has no rows", problems=["no rows"], source=label)
    fix = (
        "Fix these cells and validate again (rows are numbered as in a spreadsheet: the header is row 1, the "
        "DataFrame's first row is row 2); the data dictionary is in datasets/README.md."
    )
    return _validated(_as_text(frame), spec, label=label, sep=",", first_row=2, how_to_fix=fix, columns=columns)


@checked
def read_raw(
    path: str | Path, *, sep: str | None = None, encoding: str | None = None, infer_types: bool = True
) -> pd.DataFrame:
    """Read any CSV or Parquet file with no schema, guessing encoding, separator and column types.

    Accepts the same real-world exports as :func:`read` and raises :class:`DataError` for empty, header-only,
    ragged or binary files. Dates stay text: convert them yourself, or use :func:`read` with a table.

    Args:
        path: the file.
        sep: the CSV separator (default: guessed from the first lines).
        encoding: the text encoding (default: guessed; UTF-8/16 or Windows-1252).
        infer_types: turn columns that hold only numbers into numbers; false keeps every cell as the text
            written in the file (an empty cell is missing), for readers that type values themselves.

    >>> from mopskit._resources import datasets_dir
    >>> read_raw(datasets_dir() / "budget.csv", infer_types=False)["planned"].map(type).unique().tolist()
    [<class 'str'>]

    """
    import pandas as pd

    path = Path(path)
    _require_file(path)
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    frame, used_sep = _read_csv_text(path, path.name, sep, encoding)
    if frame.empty:
        raise DataError(f"{path.name}: the file has a header but no rows", problems=["no rows"], source=path.name)
    if not infer_types:
        return frame
    for column in frame.columns:
        text = frame[column]
        if used_sep != ",":  # Excel in many European locales writes decimal commas
            text = text.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers.notna().sum() == frame[column].notna().sum():
            frame[column] = numbers
    return frame


@lru_cache(maxsize=32)
def _load_cached(path: str, name: str, mtime: float) -> pd.DataFrame:
    return read(Path(path), table=name)


@checked
def load(name: str) -> pd.DataFrame:
    """Load one of the sample tables, validated and typed.

    It reads the bundled sample data, or the trainee's own variant of it where one is set up (see
    :mod:`mopskit.data.variant`), so lessons load data this way and never by path.

    Args:
        name: a table name, e.g. ``"campaigns"`` or ``"mops_tasks_survey"``; see :func:`tables`.

    Returns:
        A fresh copy of the table (changing it does not change the next ``load``).

    >>> load("mops_tasks_survey").shape
    (22, 4)

    """
    from .variant import data_dir

    folder = data_dir()
    path = folder / f"{name}.csv"
    if not path.is_file():
        available = sorted(p.stem for p in folder.glob("*.csv"))
        table_spec(name)  # unknown names get the list of tables
        raise DataError(
            f"the table '{name}' is not in {folder}; there: {', '.join(available) or 'no tables'}",
            source=name,
        )
    return _load_cached(str(path), name, path.stat().st_mtime).copy()
