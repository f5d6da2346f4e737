"""Turning instructor source notebooks into trainee copies.

Markers, in a source notebook:

- ``answer = expression  # SOLUTION``: released as ``answer = ...  # your answer here``.
- ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` (code) or ``<!-- BEGIN SOLUTION -->`` ...
  ``<!-- END SOLUTION -->`` (Markdown): the block is replaced by a placeholder.
- A code cell whose first line is ``# CHECKS q1`` holds public checks: kept, with its code folded away.
- A code cell whose first line is ``# HIDDEN CHECKS q1`` holds hidden checks: removed, leaving only how many
  there are, so ``check("q1")`` can say honestly that more run when graded.
- A cell tagged ``instructor`` is removed.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ReleaseError

PLACEHOLDER = "...  # ✏️ your answer here"
_LINE_SOLUTION = re.compile(r"^(?P<indent>\s*)(?P<lhs>[^=#\n]+?)\s*=(?!=).*#\s*SOLUTION\s*$")
_HIDDEN = re.compile(r"^#\s*HIDDEN CHECKS\s+(?P<id>\w+)")
_PUBLIC = re.compile(r"^#\s*CHECKS\s+(?P<id>\w+)")
_LEFTOVER = re.compile(r"BEGIN SOLUTION|END SOLUTION|#\s*SOLUTION\b|HIDDEN CHECKS")


@dataclass
class ReleaseSummary:
    """What release did to one notebook."""

    source: Path
    target: Path
    solutions_removed: int = 0
    hidden_checks: dict[str, int] = field(default_factory=dict)


def _count_checks(source: str, where: str) -> int:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ReleaseError(
            f"{where}: the hidden checks do not parse ({exc.msg}, line {exc.lineno}); fix them"
        ) from None
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                func = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(func, ast.Attribute) and func.attr == "check":
                    hidden = isinstance(deco, ast.Call) and any(
                        k.arg == "hidden" and isinstance(k.value, ast.Constant) and k.value.value is True
                        for k in deco.keywords
                    )
                    if not hidden:
                        raise ReleaseError(
                            f"{where}: check '{node.name}' is in a HIDDEN CHECKS cell but lacks hidden=True, so "
                            "check() would run it for trainees; add hidden=True to its decorator"
                        )
                    count += 1
    return count


def _strip_code(source: str, where: str) -> tuple[str, int]:
    out: list[str] = []
    removed, inside, indent = 0, False, ""
    for number, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("# BEGIN SOLUTION"):
            if inside:
                raise ReleaseError(f"{where}, line {number}: '# BEGIN SOLUTION' inside another; close the first")
            inside, indent = True, line[: len(line) - len(line.lstrip())]
            removed += 1
            continue
        if stripped.startswith("# END SOLUTION"):
            if not inside:
                raise ReleaseError(f"{where}, line {number}: '# END SOLUTION' without a '# BEGIN SOLUTION'")
            inside = False
            out.append(indent + PLACEHOLDER)
            continue
        if inside:
            continue
        match = _LINE_SOLUTION.match(line)
        if match:
            out.append(f"{match['indent']}{match['lhs'].strip()} = {PLACEHOLDER}")
            removed += 1
            continue
        out.append(line)
    if inside:
        raise ReleaseError(f"{where}: '# BEGIN SOLUTION' is never closed; add '# END SOLUTION'")
    return "\n".join(out), removed


def _strip_markdown(source: str, where: str) -> tuple[str, int]:
    pattern = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->.*?<!--\s*END SOLUTION\s*-->", re.S)
    new, count = pattern.subn("*(your answer here)*", source)
    if "BEGIN SOLUTION" in new:
        raise ReleaseError(f"{where}: '<!-- BEGIN SOLUTION -->' is never closed; add '<!-- END SOLUTION -->'")
    return new, count


def instructor_material(nb: Any) -> list[str]:
    """Say where a notebook still holds instructor material: solutions, hidden checks, instructor cells.

    A released copy gives an empty list; a source lesson one line per cell that would leak.

    Args:
        nb: a notebook as read by ``nbformat.read``, or a path to one.

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> instructor_material(new_notebook(cells=[new_code_cell("x = 4  # SOLUTION"), new_code_cell("y = 1")]))
    ['cell 1: a solution']

    """
    if isinstance(nb, str | Path):
        import nbformat

        nb = nbformat.read(str(nb), as_version=4)
    found = []
    for index, cell in enumerate(nb.cells, 1):
        source = cell.get("source", "")
        first = source.lstrip().splitlines()[0] if source.strip() else ""
        if "instructor" in cell.get("metadata", {}).get("tags", []):
            found.append(f"cell {index}: an instructor cell")
        elif cell.get("cell_type") == "code" and _HIDDEN.match(first):
            found.append(f"cell {index}: hidden checks")
        elif "BEGIN SOLUTION" in source or any(_LINE_SOLUTION.match(line) for line in source.splitlines()):
            found.append(f"cell {index}: a solution")
    return found


def release_notebook(source: Path, target: Path) -> ReleaseSummary:
    """Write the trainee copy of one source notebook.

    Args:
        source: the instructor notebook, with solutions and hidden checks.
        target: where to write the trainee copy.

    Raises:
        ReleaseError: an unclosed marker, or a marker left in the result; names the cell and line.

    """
    import nbformat

    nb = nbformat.read(str(source), as_version=4)
    summary = ReleaseSummary(Path(source), Path(target))
    cells: list[Any] = []
    for index, cell in enumerate(nb.cells):
        where = f"{Path(source).name}, cell {index + 1}"
        if "instructor" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
            hidden = _HIDDEN.match(first)
            if hidden:
                count = _count_checks(cell.source, where)
                summary.hidden_checks[hidden["id"]] = summary.hidden_checks.get(hidden["id"], 0) + count
                cell.source = (
                    f"# {hidden['id']}: {count} more {'checks run' if count != 1 else 'check runs'}"
                    " when your work is graded\n"
                    "from mopskit.assess import exercise\n\n"
                    f"exercise({hidden['id']!r}, hidden_checks={count});"
                )
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            elif _PUBLIC.match(first):
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            else:
                cell.source, n = _strip_code(cell.source, where)
                summary.solutions_removed += n
        elif cell.cell_type == "markdown":
            cell.source, n = _strip_markdown(cell.source, where)
            summary.solutions_removed += n
        leftover = _LEFTOVER.search(cell.source)
        if leftover and not _HIDDEN.match(cell.source.lstrip()) and "when your work is graded" not in cell.source:
            raise ReleaseError(f"{where}: '{leftover.group(0)}' is still in the released cell; check its markers")
        cells.append(cell)
    nb.cells = cells
    kept = nb.metadata.get("mopskit", {})  # a rendered lesson's language stays with it
    nb.metadata["mopskit"] = {**kept, "released": True, "hidden_checks": summary.hidden_checks}
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(target))
    return summary


def release(
    *, source_dir: str | Path, out_dir: str | Path, overwrite: bool = True, pattern: str = "*.ipynb"
) -> list[ReleaseSummary]:
    """Write trainee copies of every notebook in ``source_dir`` (not its sub-folders) into ``out_dir``.

    Args:
        source_dir: folder of instructor notebooks.
        out_dir: folder for the trainee copies (created if needed).
        overwrite: replace copies already in ``out_dir``; when false, existing files are kept untouched.
        pattern: which notebooks to release.

    """
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    if not source_dir.is_dir():
        raise ReleaseError(f"'source_dir' must be a folder of notebooks (got '{source_dir}', which is not one)")
    sources = sorted(p for p in source_dir.glob(pattern) if p.is_file())
    if not sources:
        raise ReleaseError(f"'{source_dir}' holds no notebooks matching {pattern}; point at the lessons folder")
    if out_dir.resolve() == source_dir.resolve():
        raise ReleaseError("'out_dir' must differ from 'source_dir': releasing in place would erase the solutions")
    summaries = []
    for src in sources:
        target = out_dir / src.name
        if target.exists() and not overwrite:
            continue
        summaries.append(release_notebook(src, target))
    return summaries


_MANIFEST = ".released-from.json"  # in a checkout's released folder: the sources each copy was made from


def lessons_dir(lang: str | None = None) -> Path:
    """Return the folder of released lessons: trainee copies, with no solution or hidden check in them.

    An installed wheel carries them (released when it was built, in every language the kit ships). From a
    checkout they are released on first use into ``mopskit/_lessons`` (a user cache folder when the checkout is
    read-only), and again when a source or one of its catalogs changed since.

    Args:
        lang: the language (``"ro"``, ``"th"``, ``"zh_TW"``; English by default): the lessons rendered from their
            catalogs (``notebooks/locale/<lang>/``) and released, in ``_lessons/<lang>``.

    Raises:
        ReleaseError: a source lesson in the checkout cannot be released (names the cell).
        MopskitError: an installed kit without its lessons (a broken install), or an unknown language.

    """
    from .._resources import LESSONS, package_dir, packaged_lessons, sources_dir
    from ..i18n import LANGUAGES, PSEUDO, normalize_language

    code = normalize_language(lang) or "en"
    if code not in LANGUAGES and code != PSEUDO:
        from ..errors import MopskitError

        raise MopskitError(f"unknown language '{lang}'; valid: {', '.join(LANGUAGES)}")
    packaged = packaged_lessons()
    if packaged is not None:
        return packaged if code == "en" else packaged / code
    sources = sources_dir()
    assert sources is not None  # no packaged lessons means a checkout
    target = package_dir() / LESSONS
    try:
        target.mkdir(exist_ok=True)
        probe = target / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:  # a read-only checkout: keep the copies in the user's cache instead
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        digest = hashlib.sha256(str(sources.resolve()).encode()).hexdigest()[:12]
        target = cache / "mopskit" / f"lessons-{digest}"
        target.mkdir(parents=True, exist_ok=True)
    if code != "en":
        target = target / code
        target.mkdir(exist_ok=True)
    _refresh(sources, target, code)
    return target


def translated_languages() -> tuple[str, ...]:
    """The languages lessons are released in besides English (those the kit ships catalogs for)."""
    from ..catalogs import TRANSLATED

    return TRANSLATED


def release_in(source: Path, target: Path, lang: str, catalogs: Path | None = None) -> ReleaseSummary:
    """Release one source lesson in a language: rendered from its catalog (``catalogs/<lang>/``), then released."""
    import tempfile

    from ..catalogs import render_lesson

    if lang == "en":
        return release_notebook(source, target)
    with tempfile.TemporaryDirectory(prefix="mopskit-render-") as scratch:
        rendered = Path(scratch) / source.name
        render_lesson(source, lang, target=rendered, catalogs=catalogs)
        summary = release_notebook(rendered, target)
    summary.source = Path(source)
    return summary


def _stamp(path: Path) -> list[int]:
    try:
        stat = path.stat()
    except OSError:
        return [0, 0]
    return [stat.st_mtime_ns, stat.st_size]


def _refresh(sources: Path, target: Path, lang: str = "en") -> None:
    manifest = target / _MANIFEST
    try:
        made = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        made = {}
    made = made if isinstance(made, dict) else {}
    now: dict[str, list[int]] = {}
    for source in sorted(sources.glob("*.ipynb")):
        now[source.name] = _stamp(source)
        if lang != "en":  # the lesson's catalog, and the package's (the stale note) make the copy too
            now[source.name] += _stamp(sources / "locale" / lang / f"{source.stem}.po")
        copy = target / source.name
        if made.get(source.name) != now[source.name] or not copy.is_file():
            partial = target / f".{source.stem}-{os.getpid()}.partial"  # no other process sees half a copy
            try:
                release_in(source, partial, lang)
                os.replace(partial, copy)
            finally:
                partial.unlink(missing_ok=True)
    for gone in set(made) - set(now):  # a source removed: its copy goes too
        if Path(gone).name == gone:
            (target / gone).unlink(missing_ok=True)
    if now != made:
        partial = target / f"{_MANIFEST}-{os.getpid()}.partial"
        partial.write_text(json.dumps(now, indent=1), encoding="utf-8")
        os.replace(partial, manifest)
