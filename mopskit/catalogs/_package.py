"""The package's catalogs: extracted with Babel from the code and the content files, merged, compiled.

Two domains, each a template in ``mopskit/locale/<domain>.pot`` and a catalog per language in
``mopskit/locale/<lang>/LC_MESSAGES/<domain>.po``:

- ``mopskit``: every ``_()`` and ``_n()`` of the package (``babel.cfg`` at the top of the repository);
- ``content``: the translatable fields of ``mopskit/content/*.yaml`` (``babel-content.cfg``, through
  :func:`extract_content_yaml`, a Babel extractor).

``pybabel extract -F babel.cfg -k _n:1,2 -o mopskit/locale/mopskit.pot .`` gives the same template as
:func:`extract_package`; ``mopskit translations update`` does both domains and merges them into each
language's catalog.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

CONFIGS = {"mopskit": "babel.cfg", "content": "babel-content.cfg"}
KEYWORDS: dict[str, Any] = {"_": None, "_n": (1, 2), "ngettext": (1, 2), "gettext": None}
_BRACE = re.compile(r"(?<!\{)\{[A-Za-z_][^{}]*\}|\{\}")
_PREVIOUS = re.compile(r"\|(\s|$)")  # "# | msgid ..." and its wrapped lines: "#|" read back as a comment
_PRINTF = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0+]*\d*(?:\.\d+)?[sdif]")


def extract_content_yaml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """A Babel extractor: the translatable fields of one content file (``mopskit.content.TRANSLATABLE``, ``LABELS``).

    A YAML file's fields by key, wherever they sit; a CSV file's columns by header.

    Registered in ``babel-content.cfg`` (``[extractors] content_yaml = mopskit.catalogs:extract_content_yaml``).
    Yields ``(line, None, text, comments)`` for each text, the comment naming the file and the field.
    """
    import yaml

    from ..content import LABELS, TRANSLATABLE

    path = Path(getattr(fileobj, "name", ""))
    name = path.stem
    fields = (*TRANSLATABLE.get(name, ()), *LABELS.get(name, ()))
    if not fields:
        return
    if path.suffix == ".csv":  # a table: the listed columns' cells, one entry per distinct text
        import csv

        rows = csv.DictReader(io.StringIO(fileobj.read().decode("utf-8-sig")))
        for line, row in enumerate(rows, 2):
            for key in fields:
                if (row.get(key) or "").strip():
                    yield line, None, row[key], [f"{name}.csv: {key}"]
        return
    root = yaml.compose(fileobj.read().decode("utf-8"))

    def walk(node: Any, key: str | None) -> Iterator[tuple[int, str | None, str, list[str]]]:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                yield from walk(v, str(k.value))
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                yield from walk(v, key)
        elif isinstance(node, yaml.ScalarNode) and key in fields and isinstance(node.value, str) and node.value.strip():
            yield node.start_mark.line + 1, None, node.value, [f"{name}.yaml: {key}"]

    if root is not None:
        yield from walk(root, None)


def extract_python(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """A Babel extractor for the kit's code: every ``_("...")`` and ``_n("...", "...", n)``, f-strings included.

    Babel's own Python extractor reads tokens, and before Python 3.12 an f-string is one token, so a ``_()``
    inside ``f"<b>{_('Check')}</b>"`` is missed; this one walks the syntax tree instead. Registered in
    ``babel.cfg``.
    """
    import ast

    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if node.func.id in ("_", "gettext") and len(node.args) == 1 and len(texts) == 1:
            yield node.lineno, node.func.id, texts[0], []
        elif node.func.id in ("_n", "ngettext") and len(node.args) == 3 and len(texts) >= 2:
            first, second = node.args[0], node.args[1]
            if isinstance(first, ast.Constant) and isinstance(second, ast.Constant):
                if isinstance(first.value, str) and isinstance(second.value, str):
                    yield node.lineno, node.func.id, (first.value, second.value), []


def _flags(message: Any) -> None:
    """Mark a message's format: ``python-brace-format`` for ``{name}`` fields, ``python-format`` for ``%s``.

    Babel guesses ``python-format`` from any ``%`` (``50% of``), which ``msgfmt --check`` would then hold
    translations to; the flags say what the code really formats.
    """
    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
    message.flags.discard("python-format")
    if any(_PRINTF.search(i) for i in ids):
        message.flags.add("python-format")
    if any(_BRACE.search(i) for i in ids):
        message.flags.add("python-brace-format")


def extract_package(root: Path, domain: str) -> Any:
    """The template of one domain (a Babel ``Catalog``), extracted from the checkout at ``root``."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = Path(root)
    with (root / CONFIGS[domain]).open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="mopskit", domain=domain, fuzzy=False)
    catalog.header_comment = f"# The {domain} messages of mopskit. English is the source."
    found = extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(Path(filename).as_posix(), lineno)], auto_comments=comments, context=context)
    for entry in catalog:
        if entry.id:
            _flags(entry)
    return catalog


def write(catalog: Any, path: Path, *, template: bool = False) -> bool:
    """Write a catalog (``.po``) or template (``.pot``); return whether the file changed."""
    from babel.messages.pofile import write_po

    for message in catalog:  # Babel guesses "python-format" again from any "%" as it reads a file
        if message.id:
            _flags(message)
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        include_previous=True,
        include_lineno=False,  # a file and no line: an edit elsewhere in the file changes no catalog
        sort_by_file=template,
        ignore_obsolete=template,
    )
    text = re.sub(rb'"POT-Creation-Date: [^"]*\\n"\n', b"", buffer.getvalue())  # no churn from the date
    text = re.sub(rb'"PO-Revision-Date: [^"]*\\n"\n', b"", text)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == text:
        return False
    path.write_bytes(text)
    return True


def update(template: Any, path: Path, locale: str) -> Any:
    """Merge a template into a language's catalog (new messages empty, changed ones fuzzy); return it."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if Path(path).is_file():
        with Path(path).open("rb") as handle:
            catalog = read_po(handle, locale=locale)
    else:
        catalog = Catalog(locale=locale, project="mopskit", domain=template.domain, fuzzy=False)
    catalog.update(template, update_header_comment=True)
    catalog.header_comment = template.header_comment
    for message in catalog:
        if message.id:
            flagged = "fuzzy" in message.flags
            _flags(message)
            if flagged:
                message.flags.add("fuzzy")
            # an earlier English read back as translator's comments ("# | msgid ...", "# | more words") piles up
            message.user_comments = [c for c in message.user_comments if not _PREVIOUS.match(c)]
    return catalog


def compile_catalog(po: Path, mo: Path) -> None:
    """Compile one ``.po`` into a ``.mo`` (fuzzy entries left out, as ``msgfmt`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with Path(po).open("rb") as handle:
        catalog = read_po(handle)
    Path(mo).parent.mkdir(parents=True, exist_ok=True)
    with Path(mo).open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)


def compile_all(locale_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """Compile every ``<lang>/LC_MESSAGES/*.po`` under ``locale_dir`` (into ``out_dir``, same layout, if given)."""
    written = []
    for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
        mo = (Path(out_dir) / po.relative_to(locale_dir) if out_dir else po).with_suffix(".mo")
        compile_catalog(po, mo)
        written.append(mo)
    return written
