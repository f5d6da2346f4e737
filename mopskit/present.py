"""Showing tables and answers to people: no index column of 0, 1, 2, text to the left, numbers with their units.

Numbers go both ways: :func:`format_value` writes them as people read them, :func:`parse_number` reads them as
people type them (``12,5``, ``$1 234.50``, ``12.5%``).

:func:`people_table` styles a DataFrame for a lesson; :func:`answer_html` and :func:`answer_text` write a
trainee's answer (a number, a list, a matching, a grid, a table) as a short sentence or a small table, for
feedback pages and verdicts, never as raw Python or JSON.

>>> answer_text(["Hootsuite", "Livestorm"])
'Hootsuite and Livestorm'
>>> answer_text({"Send the newsletter": "Email operations"})
'Send the newsletter: Email operations'
>>> answer_text(1234.5)
'1,234.5'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._html import escape, table
from .i18n import _, _n

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

__all__ = [
    "answer_html",
    "answer_text",
    "for_people",
    "format_value",
    "parse_number",
    "people_table",
    "result_headers",
    "shown",
    "with_result_headers",
]

# Where a table keeps how it is shown to people (``DataFrame.attrs``): its headers in the trainee's language and
# the columns whose values are content names (translated with ``content_text`` as shown, English as data).
DISPLAY = "mopskit.display"


def format_value(value: Any, unit: str = "") -> str:
    """Write one value as people read it: thousands separated, at most two decimals, its unit, yes/no.

    Args:
        value: a number, text, a truth value or nothing.
        unit: ``"%"`` and ``"pp"`` follow the number; ``"$"``, ``"€"`` and ``"£"`` lead it; any other unit
            follows after a space (``"days"``, ``"USD"``).

    >>> [format_value(v) for v in [1234567, 0.5, 12.0, True, None, "text"]]
    ['1,234,567', '0.5', '12', 'yes', '', 'text']
    >>> format_value(12.345, "%"), format_value(1500, "$"), format_value(3, "days")
    ('12.35%', '$1,500', '3 days')

    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float) or hasattr(value, "item"):
        number = float(value.item() if hasattr(value, "item") else value)
        text = f"{number:,.2f}".rstrip("0").rstrip(".") if not number.is_integer() else f"{int(number):,}"
        if unit in ("%", "pp"):
            return f"{text}{'%' if unit == '%' else ' pp'}"
        if unit in ("$", "€", "£"):
            return f"{unit}{text}" if number >= 0 else f"-{unit}{text[1:]}"
        return f"{text} {unit}" if unit else text
    return str(value)


def parse_number(text: str) -> float | None:
    """Read a number as people type it: ``12.5``, ``12,5``, ``1,234``, ``$1 234.50``, ``12.5%``; ``None`` if empty.

    Raises:
        ValueError: the text is not a number.

    >>> [parse_number(t) for t in ["12.5", "12,5", "1,234", "$1 234.50", "12.5%", "-3", "1.234,5", ""]]
    [12.5, 12.5, 1234.0, 1234.5, 12.5, -3.0, 1234.5, None]

    """
    cleaned = "".join(ch for ch in text.strip() if ch not in " \u00a0$€£%")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:  # the later one is the decimal mark
        thousands = "," if cleaned.rfind(",") < cleaned.rfind(".") else "."
        cleaned = cleaned.replace(thousands, "").replace(",", ".")
    elif cleaned.count(",") == 1 and len(cleaned.split(",")[1]) != 3:
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    return float(cleaned)


def for_people(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    *,
    labels: Iterable[str] = (),
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """Mark how a table is shown to people, leaving its data as it is (English, for code that compares it).

    A lesson shows the table (:func:`people_table`, :func:`mopskit.setup_notebook`) with its columns renamed by
    ``headers`` (``{"role": _("role")}``) and the values of the ``labels`` columns translated from the content
    catalog; ``frame["role"]`` still holds the English names.

    Args:
        frame: the table (changed in place: its ``attrs``).
        headers: each column's header in the trainee's language.
        labels: the columns whose values are names from the content files.
        values: for other columns, how each English value reads (``{"unit": {"percent": _("percent")}}``).

    >>> import pandas as pd
    >>> table = for_people(pd.DataFrame({"role": ["CRM administrator"]}), {"role": "rol"}, labels=["role"])
    >>> list(table.columns), list(shown(table).columns)
    (['role'], ['rol'])

    """
    shown_values = {column: dict(words) for column, words in (values or {}).items()}
    frame.attrs[DISPLAY] = {"headers": dict(headers), "labels": list(labels), "values": shown_values}
    return frame


def result_headers() -> dict[str, str]:
    """How the kit's computed tables (metrics, lead management) head their columns for people, by column name.

    :func:`mopskit._validate.finish` marks every result with the headers of its columns found here; the column
    names stay as they are for code (``result["delivered"]``).

    >>> result_headers()["mqls"]
    'MQLs'
    """
    return {
        # email, funnel, money and quality metrics
        "campaigns": _("campaigns"),
        "sent": _("sent"),
        "delivered": _("delivered"),
        "bounced": _("bounced"),
        "unsubscribes": _("unsubscribes"),
        "contacts": _("contacts"),
        "leads": _("leads"),
        "mqls": _("MQLs"),
        "sqls": _("SQLs"),
        "opportunities": _("opportunities"),
        "customers": _("customers"),
        "stage": _("stage"),
        "count": _("count"),
        "previous": _("previous"),
        "revenue": _("revenue"),
        "romi": _("ROMI"),
        "months": _("months"),
        "variance": _("variance"),
        "flag": _("flag"),
        "measure": _("measure"),
        "value": _("value"),
        "check": _("check"),
        "column": _("column"),
        "score": _("score"),
        # lead management
        "problem": _("problem"),
        "detail": _("detail"),
        "part": _("part"),
        "rule": _("rule"),
        "points": _("points"),
        "times": _("times"),
        "draft": _("draft"),
        "conditions": _("conditions"),
        "criteria": _("criteria"),
        "label": _("label"),
        "accepted": _("accepted"),
        "acceptance": _("acceptance"),
        "applies to": _("applies to"),
        "goes to": _("goes to"),
        "turn": _("turn"),
        "reason": _("reason"),
        "met": _("met"),
        "late": _("late"),
        "waiting": _("waiting"),
        "compliance": _("compliance"),
        "step": _("step"),
        "reached": _("reached"),
        "advanced": _("advanced"),
        "stalled": _("stalled"),
        "lost": _("lost"),
        # the health check: files read, findings and their evidence
        "file": _("file"),
        "export": _("export"),
        "system": _("system"),
        "table": _("table"),
        "rows": _("rows"),
        "columns read": _("columns read"),
        "columns ignored": _("columns ignored"),
        "notes": _("notes"),
        "section": _("section"),
        "severity": _("severity"),
        "title": _("title"),
        "unit": _("unit"),
        "summary": _("summary"),
        "fix": _("fix"),
        "row": _("row"),
        "person": _("person"),
        "subscription": _("subscription"),
        # tables of facts
        "fact": _("fact"),
    }


def with_result_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """Mark a table with :func:`result_headers` for the columns it has, unless it is marked already (in place).

    >>> import pandas as pd
    >>> shown(with_result_headers(pd.DataFrame({"rows": [3], "campaign_id": ["C1"]}))).columns.tolist()
    ['rows', 'campaign_id']
    """
    headers = {column: text for column, text in result_headers().items() if column in frame.columns}
    if headers and DISPLAY not in frame.attrs:
        for_people(frame, headers)
    return frame


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as people see it: :func:`for_people`'s headers and translated names (a copy; as it is if unmarked).

    >>> import pandas as pd
    >>> shown(pd.DataFrame({"a": [1]})).columns.tolist()
    ['a']
    >>> shown(for_people(pd.DataFrame({"name": ["Fernway"]}).set_index("name"), {"name": "nume"})).index.name
    'nume'
    """
    marks = frame.attrs.get(DISPLAY)
    if not isinstance(marks, Mapping):
        return frame
    from .i18n import content_text

    out = frame.copy()
    out.attrs.pop(DISPLAY, None)
    for column in marks.get("labels", ()):
        if column in out.columns:
            out[column] = [_label_text(v, content_text) for v in out[column]]
    for column, words in marks.get("values", {}).items():
        if column in out.columns:
            out[column] = [words.get(v, v) if isinstance(v, str) else v for v in out[column]]
    headers = marks.get("headers", {})
    out = out.rename(columns={c: headers[c] for c in out.columns if c in headers})
    if any(name in headers for name in out.index.names if name is not None):  # an index named by its column
        out.index = out.index.set_names([headers.get(name, name) for name in out.index.names])
    return out


def _label_text(value: Any, translate: Any) -> Any:
    """A cell of names translated: one name, or a list of them joined with commas."""
    if isinstance(value, str):
        return translate(value)
    if isinstance(value, list | tuple):
        return ", ".join(translate(str(v)) for v in value)
    return value


def people_table(frame: pd.DataFrame, *, units: Mapping[str, str] | None = None) -> Styler:
    """Style a table for people: no 0, 1, 2 index, text left-aligned, numbers right-aligned with their units.

    Args:
        frame: the table; a default index (0, 1, 2...) is hidden, a meaningful one is kept.
        units: a unit per column, as :func:`format_value` reads it (``{"share": "%", "cost": "$"}``); ``"year"``
            shows whole years without a thousands separator, as a column named ``year`` (or ``..._year``) does.

    >>> import pandas as pd
    >>> html = people_table(pd.DataFrame({"tool": ["Slack"], "cost": [9200]}), units={"cost": "$"}).to_html()
    >>> "$9,200" in html and ">0<" not in html
    True
    >>> ">2022<" in people_table(pd.DataFrame({"fact": ["MOps teams"], "year": [2022]})).to_html()
    True

    """
    import pandas as pd

    units = dict(units or {})
    unknown = [c for c in units if c not in frame.columns]
    if unknown:
        from .errors import ParameterError

        raise ParameterError(
            f"people_table: no column {', '.join(map(repr, unknown))}; "
            f"the table has: {', '.join(map(str, frame.columns))}"
        )
    headers = (frame.attrs.get(DISPLAY) or {}).get("headers", {})
    if headers:  # a translated header no longer says "year": keep its years as years
        years = [c for c in frame.columns if _is_year_column(c) and pd.api.types.is_numeric_dtype(frame[c])]
        units = {c: "year" for c in years} | units
    units = {headers.get(c, c): unit for c, unit in units.items()}
    frame = shown(frame)
    styler = frame.style
    if isinstance(frame.index, pd.RangeIndex):
        styler = styler.hide(axis="index")
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and frame[c].dtype != bool]
    for column in frame.columns:
        unit = units.get(column, "")
        if unit == "year" or (not unit and column in numeric and _is_year_column(column)):
            styler = styler.format(_year_text, subset=[column])
        elif column in numeric or unit:
            styler = styler.format(lambda v, unit=unit: format_value(v, unit), subset=[column])
    text = [c for c in frame.columns if c not in numeric]
    styler = styler.set_properties(subset=text, **{"text-align": "left", "white-space": "pre-wrap"})
    styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}], overwrite=False)
    return styler


def _is_year_column(column: Any) -> bool:
    name = str(column).strip().lower()
    return name == "year" or name.endswith("_year")


def _year_text(value: Any) -> str:
    """A year as people write it (2022, never 2,022); an empty cell stays empty."""
    try:
        return str(int(value))
    except (TypeError, ValueError, OverflowError):
        return ""


def _is_grid(value: Any) -> bool:
    """Rows of choices (a RACI or a plan): a mapping of mappings of plain values."""
    if not isinstance(value, Mapping) or not value:
        return False
    rows = list(value.values())
    return all(isinstance(r, Mapping) and not any(isinstance(x, Mapping | list) for x in r.values()) for r in rows)


def answer_text(value: Any, *, limit: int = 600) -> str:
    """Write an answer as one line of plain text: a number, a list in words, pairs as ``item: choice``.

    >>> answer_text(("a", "b", "c")), answer_text([]), answer_text({"__table__": [{"tool": "Slack"}]})
    ('a, b and c', 'nothing chosen', 'a table of 1 row')
    """
    if isinstance(value, Mapping) and set(value) == {"__table__"}:
        rows = len(value["__table__"])
        return _n("a table of {n} row", "a table of {n} rows", rows).format(n=rows)
    if isinstance(value, Mapping):
        parts = [f"{k}: {answer_text(v, limit=limit)}" for k, v in value.items()]
        text = "; ".join(parts) if parts else _("nothing chosen")
    elif isinstance(value, list | tuple | set | frozenset):
        items = [answer_text(v, limit=limit) for v in value]
        if not items:
            text = _("nothing chosen")
        elif len(items) == 1:
            text = items[0]
        else:
            text = _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])
    else:
        text = format_value(value)
    return text if len(text) <= limit else text[:limit] + " …"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    return table(header, [[answer_text(v) for v in row] for row in rows], inline=True)


def answer_html(value: Any, *, max_rows: int = 30) -> str:
    """Write an answer as HTML for people: a sentence, or a small table for matchings, grids and tables.

    Everything the trainee typed is escaped.

    >>> page = answer_html({"Send the newsletter": "Email <ops>"})
    >>> "<table" in page and "Email &lt;ops&gt;" in page and "{" not in page
    True
    >>> answer_html(["a", "b"])
    '<span>a and b</span>'
    """
    if isinstance(value, Mapping) and set(value) == {"__table__"}:
        records = list(value["__table__"])
        columns = list(dict.fromkeys(k for r in records for k in r))
        rows = [[r.get(c) for c in columns] for r in records[:max_rows]]
        more = len(records) - max_rows
        tail = f"<p>{escape(_('… and {n} more rows').format(n=more))}</p>" if more > 0 else ""
        return _table(columns, rows) + tail
    if _is_grid(value):
        columns = list(dict.fromkeys(k for row in value.values() for k in row))
        return _table(["", *columns], [[name, *[row.get(c) for c in columns]] for name, row in value.items()])
    if isinstance(value, Mapping) and value:
        return _table([_("item"), _("your answer")], [[k, v] for k, v in list(value.items())[:max_rows]])
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        return answer_html({"__table__": value}, max_rows=max_rows)
    return f"<span>{escape(answer_text(value))}</span>"
