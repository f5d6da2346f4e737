"""Opt-in notebook settings; importing mopskit changes nothing global, a lesson calls this instead."""

from __future__ import annotations


def setup_notebook(*, max_rows: int = 30, max_colwidth: int | None = 200) -> None:
    """Make tables and plots read well in a lesson: inline static plots, shorter tables, readable floats.

    Args:
        max_rows: how many rows pandas shows before it shortens a table.
        max_colwidth: how many characters of a cell pandas shows before it cuts it with "..." (``None``: all);
            lessons show sentences (remits, facts, definitions) that pandas' default of 50 would cut.

    """
    import matplotlib
    import pandas as pd

    pd.set_option("display.max_rows", max_rows)
    pd.set_option("display.max_colwidth", max_colwidth)
    pd.set_option("display.float_format", "{:,.2f}".format)
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with the kit
        shell = None
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
    else:
        matplotlib.use("Agg")
