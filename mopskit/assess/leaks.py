"""Answers given away above their question: what an executed lesson shows before each exercise.

Run a released lesson unanswered, then :func:`answer_leaks` reads every output above each exercise (text,
tables, printed verdicts and hints; the trainee's own saved answers are left out) and looks for the answer key's
value there:

- a number, in the usual formats (``1234.5``, ``1,234.5``, ``1 234,5``, rounded to one or two decimals);
- a text answer (a chosen option), word for word;
- a list answer, when one output singles out its items: a table that marks exactly those rows with the same
  label (``consolidate``), or an output that lists the items and nothing else;
- a matching answer, when one output shows every pair of it on one row.

A leak names the exercise, the cell and what the cell shows, so the lesson can move that output below the
check (as the worked answer) or ask about something the output does not show.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._answers import ANSWER_MIME

__all__ = ["Leak", "answer_leaks", "exercise_cells"]

_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@dataclass(frozen=True)
class Leak:
    """An output above an exercise that shows its answer."""

    exercise: str
    cell: int
    shows: str

    def __str__(self) -> str:
        return f"{self.exercise}: cell {self.cell} shows {self.shows}"


def exercise_cells(nb: Any, exercise_ids: list[str]) -> dict[str, int]:
    """The first code cell of each exercise: the first one that names it (its widget, code answer or checks)."""
    first: dict[str, int] = {}
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for ex_id in exercise_ids:
            if ex_id not in first and re.search(rf"""(["']{ex_id}["']|^\s*{ex_id}\s*=)""", source, re.M):
                first[ex_id] = index
    return first


def _rows(output: Mapping[str, Any]) -> list[list[str]]:
    """An output as rows of cells: a table's rows, or the lines of text (cells split on runs of spaces)."""
    data = output.get("data", {})
    if ANSWER_MIME in data or _WIDGET_MIME in data or output.get("output_type") == "error":
        return []
    if "text/html" in data:
        page = "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
        page = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", page)
        rows = []
        for row in re.findall(r"(?is)<tr\b.*?</tr>", page) or [page]:
            cells = re.findall(r"(?is)<t[dh]\b[^>]*>(.*?)</t[dh]>", row) or [row]
            rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
        return rows
    text = data.get("text/markdown") or data.get("text/plain") or output.get("text", "")
    text = "".join(text) if isinstance(text, list) else str(text)
    return [[c for c in re.split(r"\s{2,}|\t|\|", line.strip()) if c] for line in text.splitlines() if line.strip()]


def _number_forms(value: float) -> list[str]:
    forms = set()
    if float(value).is_integer():
        whole = int(value)
        if abs(whole) >= 10:
            forms |= {str(whole), f"{whole:,}", f"{whole:,}".replace(",", " "), f"{whole:,}".replace(",", ".")}
        return sorted(forms)
    forms |= {repr(float(value)), repr(float(value)).replace(".", ",")}  # as computed
    for decimals in (1, 2):
        plain = f"{value:.{decimals}f}"
        if plain.rstrip("0").endswith("."):
            continue  # 12.0: the integer, too common to search
        grouped = f"{value:,.{decimals}f}"
        forms |= {plain, grouped, plain.replace(".", ","), grouped.replace(",", " ").replace(".", ",")}
    return sorted(forms)


def _has_number(text: str, value: float) -> bool:
    return any(re.search(rf"(?<![\d.,]){re.escape(f)}(?!\d|[.,]\d)", text) for f in _number_forms(value))


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _contains(cell_text: str, item: Any) -> bool:
    if isinstance(item, bool):
        return False
    if isinstance(item, int | float):
        return _has_number(cell_text, float(item))
    wanted = _norm(item)
    return len(wanted) >= 3 and wanted in _norm(cell_text)


def _numeric(text: str) -> bool:
    """A number, an amount or a date: a value of its own row, not a label shared with others."""
    text = text.strip()
    return not text or bool(re.fullmatch(r"[-+$€£]?\s*[\d.,\s:/-]+\s*%?", text))


def _singles_out(rows: list[list[str]], items: list[Any]) -> bool:
    """Whether one output marks exactly the answer's items.

    It does when a column of a few repeated values (yes/no, an action) gives the items a label no other row has,
    or when the output lists the items and nothing else.
    """
    if not items:
        return False
    hits = [[i for i, r in enumerate(rows) if any(_contains(c, item) for c in r)] for item in items]
    if not all(hits):
        return False
    answer_rows = {i for found in hits for i in found}
    if len(rows) > 1 and len(answer_rows) == len(rows) and len(rows) <= len(items) + 1:
        return True  # the answers and nothing else (a header line at most)
    width = max(len(r) for r in rows)
    for column in range(width):
        values = [_norm(r[column]) if column < len(r) else "" for r in rows]
        labels = {values[found[0]] for found in hits}
        if len(labels) != 1:
            continue
        label = labels.pop()
        if not label or _numeric(label) or any(_contains(label, item) for item in items):
            continue
        others = [values[i] for i in range(len(rows)) if i not in answer_rows]
        vocabulary = len(set(values)) <= max(3, len(values) // 3)  # a few repeated values: yes/no, an action
        if others and label not in others and vocabulary:
            return True
    return False


def _shows(rows: list[list[str]], expected: Any) -> str | None:
    """What of the expected answer these rows show, or ``None``."""
    text = "\n".join(" ".join(r) for r in rows)
    if isinstance(expected, bool) or expected is None:
        return None
    if isinstance(expected, int | float):
        return f"the number {expected:g}" if _has_number(text, float(expected)) else None
    if isinstance(expected, str) and len(expected.split()) >= 8:  # a sentence: shown word for word
        return f"the answer {expected!r}" if _contains(text, expected) else None
    if isinstance(expected, str):  # a name or a label: given away when an output singles it out
        return f"the answer {expected!r} singled out" if _singles_out(rows, [expected]) else None
    if isinstance(expected, Mapping):
        if set(expected) == {"__table__"} or any(isinstance(v, Mapping | list) for v in expected.values()):
            return None  # a table or a grid: not searched
        pairs = [(k, v) for k, v in expected.items() if v is not None]
        shown = [(k, v) for k, v in pairs if any(_contains(" ".join(r), k) and _contains(" ".join(r), v) for r in rows)]
        return f"all {len(pairs)} pairs of the matching" if pairs and len(shown) == len(pairs) else None
    if isinstance(expected, list | tuple | set):
        items = list(expected)
        return f"the items {', '.join(map(str, items))} singled out" if _singles_out(rows, items) else None
    return None


def answer_leaks(notebook: Any, key: Mapping[str, Any]) -> list[Leak]:
    """Find outputs above each exercise that show its expected answer.

    Args:
        notebook: an executed lesson (a path, or a notebook as ``nbformat.read`` returns it).
        key: the expected answer of each exercise (``mopskit.assess.answer_key`` of the source), JSON-like.

    """
    if isinstance(notebook, str | Path):
        import nbformat

        notebook = nbformat.read(str(notebook), as_version=4)
    starts = exercise_cells(notebook, list(key))
    leaks = []
    for ex_id, start in starts.items():
        for index, cell in enumerate(notebook["cells"][:start]):
            for output in cell.get("outputs", []):
                shows = _shows(_rows(output), key[ex_id])
                if shows:
                    leaks.append(Leak(ex_id, index, shows))
                    break
    return leaks
