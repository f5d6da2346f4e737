"""Profiling a table: sizes, types, missing values, duplicates and ranges, for any DataFrame."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .data import load, read, read_raw, tables
from .errors import DataError, ParameterError
from .i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_profile_parameters", "load_for_profile", "plot_profile", "profile_columns", "profile_summary"]


def _not_a_table(dataset: str) -> str:
    return (
        f"'{dataset}' is neither a bundled table nor a file path; bundled tables: {', '.join(tables())}. "
        "Pass a table name or the path of a .csv or .parquet file"
    )


def check_profile_parameters(values: Mapping[str, Any]) -> None:
    """Refuse the ``dataset_profile`` report's values that are well typed but wrong, before any kernel starts.

    Relative file paths are looked up from the working folder, as the report does.

    Raises:
        ParameterError: naming every wrong value and the valid choices.

    >>> check_profile_parameters({"dataset": "campaigns", "table": ""})
    >>> check_profile_parameters({"dataset": "campains"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mopskit.errors.ParameterError: 'dataset': 'campains' is neither a bundled table nor a file...

    """
    problems = []
    dataset, table = str(values.get("dataset") or ""), str(values.get("table") or "")
    if not Path(dataset).suffix:
        if dataset not in tables():
            problems.append(f"'dataset': {_not_a_table(dataset)}")
    elif not Path(dataset).is_file():
        problems.append(f"'dataset': no such file '{dataset}' (working folder: {Path.cwd()})")
    if table and table not in tables():
        problems.append(f"'table' must be one of the kit's tables (got '{table}'); valid: {', '.join(tables())}")
    if problems:
        raise ParameterError("; ".join(problems))


def load_for_profile(dataset: str, *, table: str | None = None) -> tuple[pd.DataFrame, str]:
    """Load a bundled table by name, or read a file (validated when ``table`` is given).

    Returns:
        The DataFrame and a label naming where it came from.

    """
    if dataset in tables() and not Path(dataset).suffix:
        return load(dataset), f"bundled table '{dataset}'"
    path = Path(dataset)
    if not path.suffix:
        raise DataError(_not_a_table(dataset) + ".", source=dataset)
    frame = read(path, table=table) if table else read_raw(path)
    return frame, f"file '{path.name}'" + (f" read as the '{table}' table" if table else "")


def profile_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Return one row of headline figures: rows, columns, fully duplicated rows, empty cells, memory.

    >>> import pandas as pd
    >>> int(profile_summary(pd.DataFrame({"a": [1, 1, None]}))["duplicate rows"].iloc[0])
    1
    """
    import pandas as pd

    cells = df.size or 1
    return pd.DataFrame(
        [
            {
                "rows": len(df),
                "columns": df.shape[1],
                "duplicate rows": int(df.duplicated().sum()),
                "empty cells": int(df.isna().sum().sum()),
                "empty cells %": round(100 * df.isna().sum().sum() / cells, 2),
                "memory (KB)": round(df.memory_usage(deep=True).sum() / 1024, 1),
            }
        ]
    )


def _range(series: pd.Series) -> tuple[Any, Any]:
    import pandas as pd

    values = series.dropna()
    if values.empty:
        return None, None
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values.min(), values.max()
    lengths = values.astype(str).str.len()
    return f"{lengths.min()} chars", f"{lengths.max()} chars"


def profile_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Return one row per column: type, filled and missing counts, distinct values, range, most common value.

    >>> import pandas as pd
    >>> profile_columns(pd.DataFrame({"n": [1, 2, None]}))[["column", "missing", "min", "max"]].values.tolist()
    [['n', 1, 1.0, 2.0]]
    """
    import pandas as pd

    rows = []
    for name in df.columns:
        series = df[name]
        low, high = _range(series)
        counts = series.value_counts(dropna=True)
        rows.append(
            {
                "column": str(name),
                "type": str(series.dtype),
                "filled": int(series.notna().sum()),
                "missing": int(series.isna().sum()),
                "missing %": round(100 * series.isna().mean(), 1) if len(series) else 0.0,
                "distinct": int(series.nunique(dropna=True)),
                "min": low,
                "max": high,
                "most common": None if counts.empty else counts.index[0],
            }
        )
    return pd.DataFrame(rows)


def plot_profile(df: pd.DataFrame, *, max_numeric: int = 6) -> Any:
    """Draw missing values per column and the distribution of up to ``max_numeric`` numeric columns.

    Returns:
        The matplotlib Figure (static, so it survives HTML export with no internet).

    """
    import matplotlib.pyplot as plt

    numeric = [c for c in df.select_dtypes("number").columns][:max_numeric]
    panels = 1 + len(numeric)
    cols = min(panels, 3)
    rows = (panels + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    flat = axes.ravel()
    missing = df.isna().mean().mul(100)
    flat[0].barh([str(c) for c in missing.index], missing.values, color="#c0504d")
    flat[0].set_xlim(0, 100)
    flat[0].set_title(_("Missing values (% of rows)"))
    flat[0].invert_yaxis()
    for ax, column in zip(flat[1:], numeric, strict=False):
        ax.hist(df[column].dropna(), bins=20, color="#4f81bd")
        ax.set_title(str(column))
    for ax in flat[panels:]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
