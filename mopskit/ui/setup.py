"""Opt-in notebook settings; importing mopskit changes nothing global, a lesson calls this instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._html import card, escape

__all__ = ["app_note", "setup_notebook"]


def setup_notebook(*, max_rows: int = 30, max_colwidth: int | None = 200) -> None:
    """Make tables and plots read well in a lesson: inline static plots, tables for people, readable floats.

    Charts use fonts that draw the lesson's language (:func:`mopskit.i18n.font_families`: Thai and Traditional
    Chinese need ``fonts-thai-tlwg`` and ``fonts-noto-cjk``), and Thai text wraps between words in widgets.

    Tables of up to ``max_rows`` rows with a default index (0, 1, 2...) are shown without that index, text
    left-aligned and numbers with thousands separators (:func:`mopskit.present.people_table`); others as pandas shows
    them.

    In app mode (``mopskit app``), it also shows a note at the top of the page: how to answer without code,
    and a link back to the list of lessons.

    Args:
        max_rows: how many rows pandas shows before it shortens a table.
        max_colwidth: how many characters of a cell pandas shows before it cuts it with "..." (``None``: all);
            lessons show sentences (remits, facts, definitions) that pandas' default of 50 would cut.

    """
    import matplotlib
    import pandas as pd

    from ..i18n import get_language, plot_settings

    settings: dict[Any, Any] = plot_settings()  # the language's script in charts (Thai, Traditional Chinese)
    matplotlib.rcParams.update(settings)
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
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _frame_html)
    else:
        matplotlib.use("Agg")
    from .._session import in_app_mode

    if shell is not None and get_language() == "th":
        from IPython.display import HTML, display

        display(HTML(THAI_WRAPPING))
    if shell is not None and in_app_mode():
        from IPython.display import HTML, display

        display(HTML(app_note()))


# Thai has no spaces between words: let the browser break lines at word boundaries it knows (line-break),
# and never in the middle of a word, in widget labels, options and verdicts as in the text.
THAI_WRAPPING = (
    "<style>.mopskit-exercise, .mopskit-verdict, .mopskit-exercise .widget-label,"
    " .mopskit-exercise .widget-html-content, .mopskit-exercise .widget-radio-box label"
    " { word-break: normal; line-break: auto; overflow-wrap: break-word; }"
    " .mopskit-exercise .widget-radio-box label { white-space: normal; height: auto; }</style>"
)


def _frame_html(frame: Any) -> str:
    """A table for people when it is short and plainly indexed; pandas' own view otherwise."""
    import pandas as pd

    from ..present import people_table, shown

    rows = pd.get_option("display.max_rows")
    plain = isinstance(frame.index, pd.RangeIndex) and not isinstance(frame.columns, pd.MultiIndex)
    if plain and 0 < len(frame) <= rows and len(frame.columns) <= 30:
        return people_table(frame).to_html()
    return str(shown(frame)._repr_html_())


def app_note(*, folder: str | Path = ".") -> str:
    """The note at the top of a lesson in app mode: answer in the boxes, press Check; a link to all lessons.

    The link is there when the workspace's home page is in ``folder`` (the lesson's own, in app mode).

    >>> "Check" in app_note(folder="no-such-folder")
    True
    """
    from ..i18n import _
    from ..workspace import HOME_NOTEBOOK

    text = _(
        "You are using the app: it shows the lesson without its code. Where the text asks you to run a cell or "
        "to type code, skip that: answer each exercise in the box or buttons under it and press Check. Your "
        "answers are saved as you go. Feedback already in the page is from when it opened; Check gives the "
        "latest, and so does opening the page again."
    )
    link = ""
    if (Path(folder) / HOME_NOTEBOOK).exists():
        label = escape(_("← All lessons and your progress"))
        link = f'<p style="margin:4px 0 0"><a href="{HOME_NOTEBOOK}" target="_self">{label}</a></p>'
    return card(f"{escape(text)}{link}", tone="info", css_class="mopskit-app-note")


def _or_sample(frame: Any, table: str) -> Any:
    """The table a widget was given, or the bundled sample's table of that name when it was given none."""
    if frame is not None:
        return frame
    from ..data import load

    return load(table)
