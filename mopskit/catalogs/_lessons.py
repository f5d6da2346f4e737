"""Lesson catalogs: one ``.po`` per lesson and language, keyed by cell id; and the lesson rendered in a language.

The English notebook is the one source. Its catalog for a language, ``notebooks/locale/<lang>/<lesson>.po``,
has one entry per translatable text, with the cell's id as ``msgctxt`` and the English as ``msgid``:

- every Markdown cell, whole;
- in code cells, the strings a trainee reads: the ``title``, ``success``, ``failure``, ``hint``, ``label``,
  ``unit``, ``placeholder`` ... arguments of any call (:data:`KEYWORDS`), the text of chart labels, ``print``
  and ``Markdown`` (:data:`CALLS`; a ``"...".format(...)``, a sum or a conditional there too), the message of
  an ``assert``, the messages of a check's ``mistakes={...}``, and the literal options of ``choice``,
  ``match`` and ``grid``, written in the call or in a list the cell binds to a name (shown translated; the
  answer stays the English option, so it means the same in every language).

:func:`render_notebook` writes the lesson in a language: Markdown cells replaced, code strings replaced in
the source, ``start_lesson("...")`` given ``lang=``, literal options given ``labels=``. Nothing else of the
code changes, so the answer key and the points are the English lesson's. A Markdown cell whose English changed
after it was translated (its entry is fuzzy, or its ``msgid`` is no longer the cell's text) is *stale*: it is
shown in English under a visible note, never as an out-of-date translation. :func:`update_catalog` merges a
lesson's texts into its catalog as gettext's ``msgmerge`` would: new texts are added empty, a changed text keeps
its old translation marked fuzzy with the old English beside it (``#| msgid``), texts gone become obsolete.

This module needs only ``nbformat``, Babel and the standard library, so the wheel's build hook can run it.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEYWORDS = frozenset(
    {"title", "success", "failure", "hint", "label", "xlabel", "ylabel", "unit", "placeholder", "description"}
)
CALLS = frozenset({"set_xlabel", "set_ylabel", "set_title", "suptitle", "xlabel", "ylabel", "print", "Markdown"})
OPTION_CALLS = {"choice": (1,), "match": (1, 2), "grid": (1, 2, 3)}  # positional args holding option labels
MESSAGE_KEYS = frozenset({"mistakes"})  # keyword arguments whose dict's keys are messages (a check's mistakes)
STALE_NOTE = (
    "This part changed in English after it was translated; it is shown in English until the translation is updated."
)
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.\-/]*_[A-Za-z0-9_.\-/]*$")  # share_pct, data/file.csv: not prose


@dataclass(frozen=True)
class Text:
    """One translatable text of a lesson.

    Attributes:
        cell: the id of its cell (the entry's ``msgctxt``).
        text: the English.
        kind: ``markdown``, ``code`` (a string in code) or ``option`` (a widget's option label).
        index: the cell's position in the notebook, from 1 (for the catalog's location lines).
        hidden: whether it is in a ``HIDDEN CHECKS`` cell (removed from trainee copies).

    """

    cell: str
    text: str
    kind: str
    index: int
    hidden: bool = False


@dataclass(frozen=True)
class _Span:
    """Where a string constant sits in a cell's source (line from 1, columns in characters)."""

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


def _translatable(text: str) -> bool:
    """Whether a string literal of a lesson is prose to translate (it has letters and is no identifier).

    >>> [_translatable(t) for t in ["Give a number.", "share_pct", "%", "", "Revenue", "$ per user"]]
    [True, False, False, False, True, True]
    """
    return bool(text.strip()) and any(ch.isalpha() for ch in text) and not _IDENTIFIER.match(text.strip())


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _string(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _formatted(node: ast.AST) -> bool:
    """Whether ``node`` is ``"...".format(...)``: a sentence with its numbers filled in (translated whole)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and _string(node.func.value)
    )


def _messages(node: ast.AST) -> Iterator[ast.Constant]:
    """The sentences in what a call shows: a string, ``"...".format(...)``, ``"..." + x`` or ``a if c else b``."""
    if _string(node):
        yield node  # type: ignore[misc]
    elif _formatted(node):
        yield node.func.value  # type: ignore[attr-defined]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _messages(node.left)
        yield from _messages(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _messages(node.body)
        yield from _messages(node.orelse)


def _strings_in(node: ast.AST, bound: dict[str, ast.AST] | None = None) -> Iterator[ast.Constant]:
    """String constants directly in an options expression.

    A list, tuple or set literal (or a sorted() of one), or a name the cell binds to one (``Q7_CASES = [...]``
    above ``match("q7", Q7_CASES, ...)``).
    """
    if isinstance(node, ast.Call) and _name(node.func) in {"sorted", "list", "tuple"} and node.args:
        yield from _strings_in(node.args[0], bound)
    elif isinstance(node, ast.Name) and bound and node.id in bound:
        yield from _strings_in(bound[node.id])
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            if _string(element):
                yield element  # type: ignore[misc]


def _bound_lists(tree: ast.Module) -> dict[str, ast.AST]:
    """The names a cell binds, at its top level and once only, to a literal list, tuple or set."""
    assigned = [
        (node.targets[0].id, node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    ]
    once = {name for name, _ in assigned if sum(1 for n, _ in assigned if n == name) == 1}
    literal = ast.List | ast.Tuple | ast.Set
    return {name: value for name, value in assigned if name in once and isinstance(value, literal)}


def _options_of(call: ast.Call, bound: dict[str, ast.AST]) -> Iterator[ast.Constant]:
    """The string constants an option call (:data:`OPTION_CALLS`) shows as options, rows or columns."""
    for position in OPTION_CALLS.get(_name(call.func), ()):
        if position < len(call.args):
            yield from _strings_in(call.args[position], bound)


def _parse(source: str) -> ast.Module | None:
    """The cell's syntax tree; ``None`` when it is not plain Python (an IPython magic, a syntax error)."""
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def code_strings(source: str) -> list[tuple[str, ast.Constant]]:
    r"""The translatable strings of a code cell, in source order, as ``(kind, node)``.

    >>> [(k, n.value) for k, n in code_strings('check(points=1, hint="Count the rows.")\nax.set_xlabel("Share")')]
    [('code', 'Count the rows.'), ('code', 'Share')]
    >>> [n.value for _, n in code_strings('choice("q1", ["Email", "Ads"], title="Pick one")')]
    ['Email', 'Ads', 'Pick one']
    >>> [(k, n.value) for k, n in code_strings('CASES = ["Two leads, one second"]\nmatch("q7", CASES, ["Both"])')]
    [('option', 'Two leads, one second'), ('option', 'Both')]
    >>> [n.value for _, n in code_strings('print("Half grew {:.0f}%.".format(x))')]
    ['Half grew {:.0f}%.']
    >>> [n.value for _, n in code_strings('Markdown("## Summary" + text if text else "Nothing yet.")')]
    ['## Summary', 'Nothing yet.']
    >>> [n.value for _, n in code_strings('close_to(a, 3, mistakes={"You divided by sent.": 2})')]
    ['You divided by sent.']
    """
    tree = _parse(source)
    if tree is None:
        return []
    found: list[tuple[str, ast.Constant]] = []
    bound = _bound_lists(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in CALLS and node.args:
                found.extend(("code", text) for text in _messages(node.args[0]))
            found.extend(("option", s) for s in _options_of(node, bound))
            for keyword in node.keywords:
                if keyword.arg in KEYWORDS and _string(keyword.value):
                    found.append(("code", keyword.value))  # type: ignore[arg-type]
                elif keyword.arg in MESSAGE_KEYS and isinstance(keyword.value, ast.Dict):
                    found.extend(("code", k) for k in keyword.value.keys if _string(k))  # type: ignore[misc]
        elif isinstance(node, ast.Assert) and _string(node.msg):
            found.append(("code", node.msg))  # type: ignore[arg-type]
    found = [(k, n) for k, n in found if _translatable(str(n.value))]
    unique = {(n.lineno, n.col_offset): (k, n) for k, n in found}  # a list bound once, shown by two calls: once
    return sorted(unique.values(), key=lambda item: (item[1].lineno, item[1].col_offset))


def _is_hidden(cell: Any) -> bool:
    first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
    return cell.cell_type == "code" and bool(re.match(r"#\s*HIDDEN CHECKS\b", first))


def lesson_texts(nb: Any) -> list[Text]:
    """Every translatable text of a lesson (a notebook as ``nbformat`` reads it), in the notebook's order."""
    texts: list[Text] = []
    for index, cell in enumerate(nb.cells, 1):
        if "instructor" in cell.get("metadata", {}).get("tags", []) or not cell.get("id"):
            continue
        if cell.cell_type == "markdown" and cell.source.strip():
            texts.append(Text(cell.id, cell.source, "markdown", index))
        elif cell.cell_type == "code":
            hidden = _is_hidden(cell)
            seen: set[str] = set()
            for kind, node in code_strings(cell.source):
                value = str(node.value)  # code_strings finds string constants only
                if value not in seen:
                    seen.add(value)
                    texts.append(Text(cell.id, value, kind, index, hidden))
    return texts


# ------------------------------------------------------------------------------------------------------ catalogs
def _comment(text: Text) -> str:
    if text.kind == "markdown":
        return "Markdown cell: keep the Markdown, code in `backticks`, links' addresses and any <!-- marker -->."
    if text.kind == "option":
        return "An option of a widget: trainees see your words, the answer stays the English one."
    if text.hidden:
        return "A string in a hidden check: trainees see it only in graded feedback."
    return "A string in a code cell."


def template(nb: Any, name: str) -> Any:
    """A lesson's catalog template (a Babel ``Catalog`` with no translations)."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="mopskit", domain=name, fuzzy=False)
    catalog.header_comment = f"# Translations of the lesson {name}: one entry per text, msgctxt = the cell's id."
    for text in lesson_texts(nb):
        message = catalog.add(
            text.text,
            context=text.cell,
            locations=[(f"{name}.ipynb", text.index)],
            auto_comments=[_comment(text)],
        )
        message.flags.discard("python-format")
    return catalog


def read_catalog(path: Path, locale: str | None = None) -> Any:
    """Read a ``.po`` file (a Babel ``Catalog``); an empty one for the locale when the file does not exist."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if not Path(path).is_file():
        return Catalog(locale=locale, project="mopskit", fuzzy=False)
    with Path(path).open("rb") as handle:
        return read_po(handle, locale=locale)


def write_catalog(catalog: Any, path: Path) -> None:
    """Write a catalog as a ``.po`` file, with the previous English of fuzzy entries (``#| msgid``)."""
    from ._package import write

    for message in catalog:  # Babel guesses "python-format" from any "%" as it reads; a lesson's "%" is prose
        message.flags.discard("python-format")
    write(catalog, path)


def merge(old: Any, new: Any) -> Any:
    """Merge a lesson's current texts (``new``, a template) into its catalog (``old``); return the result.

    An entry keeps its translation while its cell id and English are the same. A text that changed keeps the
    translation of the closest old text of the same cell (one no current text has as its own), marked fuzzy, with
    the old English as ``previous_id``; a text added to a cell starts empty.
    Old entries matched by nothing become obsolete (kept at the end of the file, in case the text comes back).
    """
    from babel.messages.catalog import Catalog, Message

    merged = Catalog(locale=old.locale, project="mopskit", domain=new.domain, fuzzy=False)
    merged.header_comment = new.header_comment
    for attribute in ("language_team", "last_translator"):
        setattr(merged, attribute, getattr(old, attribute))
    left = {(m.context, m.id): m for m in old if m.id}
    exact = {(m.context, m.id) for m in new if m.id} & set(left)  # kept as they are: never taken as a fuzzy match
    by_cell: dict[str | None, list[Any]] = {}
    for message in left.values():
        if (message.context, message.id) not in exact:
            by_cell.setdefault(message.context, []).append(message)
    changed: dict[str | None, int] = {}  # per cell, how many current texts have no entry of their own
    for message in new:
        if message.id and (message.context, message.id) not in exact:
            changed[message.context] = changed.get(message.context, 0) + 1
    for message in new:
        if not message.id:
            continue
        key = (message.context, message.id)
        fresh = Message(
            message.id,
            "",
            locations=message.locations,
            auto_comments=message.auto_comments,
            context=message.context,
        )
        if key in left:
            found = left.pop(key)
            fresh.string, fresh.flags = found.string, set(found.flags) - {"python-format"}
            fresh.previous_id = found.previous_id if "fuzzy" in found.flags else []
            fresh.user_comments = found.user_comments
        else:
            candidates = [m for m in by_cell.get(message.context, []) if (m.context, m.id) in left and m.string]
            best = max(
                candidates,
                key=lambda m: difflib.SequenceMatcher(None, str(m.id), str(message.id)).ratio(),
                default=None,
            )
            one_for_one = len(candidates) == 1 and changed.get(message.context) == 1  # the cell's one text, edited
            if best is not None and (
                one_for_one or difflib.SequenceMatcher(None, str(best.id), str(message.id)).ratio() > 0.5
            ):
                left.pop((best.context, best.id))
                fresh.string, fresh.flags = best.string, {"fuzzy"}
                fresh.previous_id = [str(best.id)]
                fresh.user_comments = best.user_comments
        fresh.flags.discard("python-format")  # a lesson's "50% of" is prose, not a format string
        merged[fresh.id] = fresh
    for key, message in left.items():
        if message.string:
            merged.obsolete[merged._key_for(key[1], key[0])] = message
    return merged


def update_catalog(source: Path, catalog_path: Path, locale: str) -> dict[str, int]:
    """Bring one lesson's catalog for one language up to date with the lesson; return its counts.

    Returns:
        ``{"translated": n, "fuzzy": n, "untranslated": n, "obsolete": n}``.

    """
    import nbformat

    nb = nbformat.read(str(source), as_version=4)
    merged = merge(read_catalog(catalog_path, locale), template(nb, Path(source).stem))
    write_catalog(merged, catalog_path)
    return counts(merged)


def counts(catalog: Any) -> dict[str, int]:
    """How many entries of a catalog are translated, fuzzy (stale) and untranslated, and how many are obsolete."""
    found = {"translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": len(catalog.obsolete)}
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy and any(strings):
            found["fuzzy"] += 1
        elif all(strings) and not message.fuzzy:
            found["translated"] += 1
        else:
            found["untranslated"] += 1
    return found


# ------------------------------------------------------------------------------------------------------ rendering
@dataclass
class Rendered:
    """What :func:`render_notebook` did to one lesson."""

    lesson: str
    lang: str
    translated: int = 0
    stale: list[str] | None = None  # ids of Markdown cells shown in English under the stale note
    untranslated: int = 0


def _replace_spans(source: str, spans: list[tuple[tuple[int, int], tuple[int, int], str]]) -> str:
    """``source`` with each span (start, end as (line, UTF-8 byte column)) replaced by its text."""
    lines = source.splitlines(keepends=True)
    encoded = [line.encode("utf-8") for line in lines]
    offsets = [0]
    for line in encoded:
        offsets.append(offsets[-1] + len(line))
    data = b"".join(encoded)
    for (start_line, start_col), (end_line, end_col), text in sorted(spans, reverse=True):
        begin = offsets[start_line - 1] + start_col
        end = offsets[end_line - 1] + end_col
        data = data[:begin] + text.encode("utf-8") + data[end:]
    return data.decode("utf-8")


def render_code(source: str, lookup: Any, lang: str) -> tuple[str, int, int]:
    r"""A code cell in a language: translated strings, ``lang=`` for ``start_lesson``, ``labels=`` for options.

    Args:
        source: the cell's code.
        lookup: ``lookup(text) -> translation or None`` for this cell.
        lang: the language's catalog name.

    Returns:
        ``(code, translated, untranslated)``.

    >>> print(render_code('start_lesson("00_x")\nhint = check(hint="Count.")', {"Count.": "Numărați."}.get, "ro")[0])
    start_lesson("00_x", lang='ro')
    hint = check(hint='Numărați.')
    >>> print(render_code('match("q1", ["A b"], ["Yes"], labels=own)', {"Yes": "Da"}.get, "ro")[0])
    match("q1", ["A b"], ["Yes"], labels={**{'Yes': 'Da'}, **(own)})
    >>> print(render_code('choice(\n    "q1",\n    ["Email"],\n)', {"Email": "E-mail"}.get, "ro")[0])
    choice(
        "q1",
        ["Email"],
        labels={'Email': 'E-mail'},
    )

    """
    tree = _parse(source)
    if tree is None:
        return source, 0, 0
    spans: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    translated = untranslated = 0
    options = {(node.lineno, node.col_offset) for kind, node in code_strings(source) if kind == "option"}
    bound = _bound_lists(tree)
    for kind, node in code_strings(source):
        if kind == "option":
            continue
        found = lookup(node.value)
        if found:
            spans.append(((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset), repr(found)))  # type: ignore[arg-type]
            translated += 1
        else:
            untranslated += 1
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or call.end_lineno is None or call.end_col_offset is None:
            continue
        name = _name(call.func)
        extra = ""
        if name == "start_lesson" and not any(k.arg == "lang" for k in call.keywords):
            extra = f", lang={lang!r}"
        elif name in OPTION_CALLS:
            labels = {
                element.value: lookup(element.value)
                for element in _options_of(call, bound)
                if (element.lineno, element.col_offset) in options and lookup(element.value)
            }
            translated += len(labels)
            given = next((k.value for k in call.keywords if k.arg == "labels"), None)
            if labels and given is not None:  # the lesson's own labels (computed) win over the catalog's
                start, end_at = (given.lineno, given.col_offset), (given.end_lineno, given.end_col_offset)
                own = ast.get_source_segment(source, given)
                spans.append((start, end_at, f"{{**{labels!r}, **({own})}}"))  # type: ignore[arg-type]
            elif labels:
                extra = f", labels={labels!r}"
        if extra:
            end = (call.end_lineno, call.end_col_offset - 1)  # just before the call's closing parenthesis
            lines = source.splitlines(keepends=True)
            closing = lines[end[0] - 1].encode("utf-8")[: end[1]]
            before = ("".join(lines[: end[0] - 1]).encode("utf-8") + closing).rstrip()
            if before.endswith(b",") and not closing.strip():  # the ")" on a line of its own: a line before it
                indent = closing.decode("utf-8") + "    "
                end, extra = (end[0], 0), f"{indent}{extra[2:]},\n"
            elif before.endswith(b","):  # a trailing comma (a call over several lines): add after it
                extra = extra[2:] + ","
            spans.append(((end[0], end[1]), (end[0], end[1]), extra))
    return (_replace_spans(source, spans) if spans else source), translated, untranslated


def _stale_notice(note: str, source: str) -> str:
    return f'<div class="mopskit-stale" lang="en">\n\n> ⚠️ {note}\n\n</div>\n\n{source}'


def render_notebook(nb: Any, catalog: Any, lang: str, *, name: str = "", note: str = STALE_NOTE) -> Rendered:
    """Render a lesson (a notebook as ``nbformat`` reads it) in a language, in place, from its catalog.

    Args:
        nb: the English lesson, changed in place.
        catalog: the lesson's catalog for ``lang`` (a Babel ``Catalog``); an empty one leaves English everywhere.
        lang: the language's catalog name (``"ro"``, ``"th"``, ``"zh_TW"``), recorded in the notebook's metadata.
        name: the lesson's name, for the report.
        note: the stale note, in the language (default: English).

    Returns:
        What was translated, and which Markdown cells are stale.

    """
    report = Rendered(name, lang, stale=[])
    by_cell: dict[str, dict[str, Any]] = {}
    for message in catalog:
        if message.id and message.context:
            by_cell.setdefault(message.context, {})[str(message.id)] = message
    for cell in nb.cells:
        entries = by_cell.get(cell.get("id", ""), {})
        if cell.cell_type == "markdown" and cell.source.strip():
            message = entries.get(cell.source)
            if message is not None and message.string and not message.fuzzy:
                cell.source = str(message.string)
                report.translated += 1
            elif entries and any(m.string for m in entries.values()):  # translated once, the English changed
                cell.source = _stale_notice(note, cell.source)
                report.stale.append(cell.id)  # type: ignore[union-attr]
            else:
                report.untranslated += 1
        elif cell.cell_type == "code":

            def lookup(text: str, entries: dict[str, Any] = entries) -> str | None:
                message = entries.get(text)
                return str(message.string) if message is not None and message.string and not message.fuzzy else None

            cell.source, done, left = render_code(cell.source, lookup, lang)
            report.translated += done
            report.untranslated += left
    nb.metadata.setdefault("mopskit", {})["lang"] = lang
    return report
