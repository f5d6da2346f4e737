"""The HTML the kit writes, in one place: escaping, a small stylesheet, a page shell, cards and tables.

Two kinds of HTML come out of the kit. Standalone pages (feedback for a trainee, a batch's index, an exported
plan) carry :data:`STYLE` in their head, so they open offline with nothing fetched. Fragments shown in a
notebook (an exercise's verdict, a role card, the app-mode note, KPI tiles) cannot rely on a stylesheet, so
:func:`card` and :func:`tile` style them inline, from the same colours. Every text that comes from data or
from a person goes through :func:`escape`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["COLOURS", "STYLE", "Html", "card", "escape", "page", "quoted", "table", "tile"]

COLOURS = {
    "ok": "#1b7f3b",  # correct, done, healthy
    "partial": "#a15c00",  # partly right, a warning
    "bad": "#b3261e",  # wrong, failed
    "info": "#2f6fb0",  # a note
    "muted": "#555",  # secondary text
    "line": "#d0d4da",  # borders
    "shade": "#f2f4f7",  # table headers, backgrounds
}
_BACKGROUNDS = {"ok": "#e3f9e5", "partial": "#fff6e0", "bad": "#ffe3e3", "info": "#eef4fb", "muted": "#fafafa"}

STYLE = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto;
  padding: 0 1rem; color: #1f2933; line-height: 1.45; }}
h1 {{ font-size: 1.45rem; margin-bottom: 0.2rem; }} h2 {{ font-size: 1.15rem; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; font-size: 0.92rem; }}
th, td {{ border-bottom: 1px solid {COLOURS["line"]}; padding: 0.35rem 0.55rem; text-align: left;
  vertical-align: top; }}
th {{ background: {COLOURS["shade"]}; }}
td.num {{ text-align: right; white-space: nowrap; }}
code {{ font-size: 0.85rem; }} pre {{ white-space: pre-wrap; margin: 0.3rem 0; }}
small, .meta {{ color: {COLOURS["muted"]}; }}
.ok {{ color: {COLOURS["ok"]}; }} .partial {{ color: {COLOURS["partial"]}; }} .bad {{ color: {COLOURS["bad"]}; }}
.card {{ border-left: 4px solid {COLOURS["muted"]}; padding: 0.3rem 0.9rem; margin: 1rem 0; background: #fafafa; }}
details summary {{ cursor: pointer; }}
"""


class Html(str):
    """A text that is HTML already (made by the kit, its data escaped): :func:`escape` and :func:`table` keep it."""

    __slots__ = ()


def escape(value: Any) -> str:
    """Any value as text safe inside HTML (quotes too, so it is safe in an attribute); :class:`Html` as it is.

    >>> escape('<b title="x">&</b>'), escape(Html("<q>x</q>"))
    ('&lt;b title=&quot;x&quot;&gt;&amp;&lt;/b&gt;', '<q>x</q>')
    """
    return str(value) if isinstance(value, Html) else html.escape(str(value), quote=True)


def quoted(text: str, pieces: Iterable[str]) -> Html:
    """``text`` escaped, with each of ``pieces`` in it marked as a quotation (``<q>``): words shown as written.

    A translated sentence may keep English the kit reads as data (a goal sentence, a metric's name the goal
    parser knows); marked, a reader sees it is quoted, not prose left untranslated. Straight quotes around a
    piece go (``<q>`` draws its own); the longest piece wins where two overlap.

    >>> quoted("e.g. 'by 25%' & (email clicks)", ["email clicks", "by 25%"])
    'e.g. <q>by 25%</q> &amp; (<q>email clicks</q>)'
    >>> quoted("<b>", [])
    '&lt;b&gt;'
    """
    found = sorted({piece for piece in pieces if piece}, key=len, reverse=True)
    if not found:
        return Html(escape(text))
    either = "|".join(re.escape(piece) for piece in found)
    parts, last = [], 0
    for match in re.finditer(f"'({either})'|({either})", text):
        parts += [escape(text[last : match.start()]), f"<q>{escape(match.group(1) or match.group(2))}</q>"]
        last = match.end()
    return Html("".join([*parts, escape(text[last:])]))


def page(title: str, body: str, *, style: str = "", lang: str = "en") -> str:
    """A standalone page: :data:`STYLE` plus the page's own rules, the escaped title, and ``body`` as given.

    >>> page("A <b>", "<p>hi</p>").count("&lt;b&gt;")
    1
    """
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}{style}</style></head><body>\n{body}\n</body></html>\n"
    )


def card(body: str, *, tone: str = "muted", css_class: str = "", boxed: bool = False) -> str:
    """A block with a coloured edge, styled inline so it reads the same in a notebook and in a page.

    Args:
        body: the card's HTML (escape its text first).
        tone: ``ok``, ``partial``, ``bad``, ``info`` or ``muted``: the colour of the edge (and the background).
        css_class: a class for tests and pages to find it by (``mopskit-verdict``).
        boxed: a thin border all round (a record, like a role's card) instead of a coloured left edge (a message).

    >>> card("<p>Saved.</p>", tone="ok", css_class="note").startswith('<div class="note"')
    True

    """
    colour = COLOURS.get(tone, COLOURS["muted"])
    if boxed:
        style = f"border:1px solid {COLOURS['line']};border-radius:6px;padding:8px 14px;margin:4px 0"
    else:
        style = f"border-left:4px solid {colour};background:{_BACKGROUNDS.get(tone, '#fafafa')};padding:4px 10px"
    attribute = f' class="{escape(css_class)}"' if css_class else ""
    return f'<div{attribute} style="{style}">{body}</div>'


def tile(label: str, value: str) -> str:
    """A figure with its label above it, one of a row of KPI tiles.

    >>> "12%" in tile("Open rate", "12%")
    True
    """
    return (
        f'<div style="border:1px solid {COLOURS["line"]};border-radius:6px;padding:8px 12px;min-width:130px">'
        f'<div style="font-size:0.8em;color:{COLOURS["muted"]}">{escape(label)}</div>'
        f'<div style="font-size:1.5em;font-weight:bold">{escape(value)}</div></div>'
    )


def table(headers: Iterable[Any], rows: Iterable[Iterable[Any]], *, inline: bool = False) -> str:
    """A table with escaped headers and cells.

    Args:
        headers: the column headers.
        rows: the rows, one value per column.
        inline: style the table inline, for a notebook or a fragment that has no :data:`STYLE` around it.

    >>> table(["a"], [["<1>"]])
    '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;1&gt;</td></tr></tbody></table>'

    """
    cell = f" style='border:1px solid {COLOURS['line']};padding:2px 8px;text-align:left;vertical-align:top'"
    cell = cell if inline else ""
    head = "".join(f"<th{cell}>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td{cell}>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    frame = " style='border-collapse:collapse;margin:4px 0'" if inline else ""
    return f"<table{frame}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
