"""Parameterized reports: notebooks in ``notebooks/reports/`` run unattended with papermill.

Parameters are checked against the notebook's annotated ``parameters`` cell before any kernel starts:
papermill itself neither validates parameter names (a crafted name would run as code) nor escapes values
that are not plain JSON types, so only names papermill reports are passed, with values coerced to plain
str/int/float/bool/None/list/dict by their annotated type.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._resources import reports_dir as _reports_dir
from .errors import ParameterError, ReportError
from .i18n import LANGUAGES, PSEUDO, normalize_language

__all__ = [
    "Parameter",
    "ReportInfo",
    "ReportResult",
    "coerce_parameters",
    "execute_report",
    "list_reports",
    "parameter_problems",
    "report_info",
    "reports_dir",
    "run_report",
    "valid_parameters",
]

LANG = "lang"  # every report takes it: the language of its text (unless its parameters cell declares its own)
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


@dataclass(frozen=True)
class Parameter:
    """One report parameter, as its notebook's ``parameters`` cell declares it."""

    name: str
    type: str
    default: str
    help: str

    def describe(self) -> str:
        """One line for help texts: ``name (type, default ...): help``."""
        return f"{self.name} ({self.type}, default {self.default}): {self.help}".rstrip(": ")


@dataclass(frozen=True)
class ReportInfo:
    """A report: its name, notebook, title and parameters.

    Attributes:
        validator: ``"mopskit.module:function"`` named in the notebook's metadata (``{"mopskit": {"validate":
            ...}}``); it receives every parameter's value (defaults filled in) and raises
            :class:`~mopskit.errors.ParameterError` for values that are well typed but wrong (a start after the
            end, an unknown channel, a missing file), before any kernel starts.

    """

    name: str
    path: Path
    title: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    validator: str | None = None

    def describe(self) -> str:
        """Several lines: the report and each of its parameters."""
        lines = [f"{self.name}: {self.title}"]
        lines += [f"    -p {p.describe()}" for p in self.parameters.values()] or ["    (no parameters)"]
        return "\n".join(lines)


@dataclass(frozen=True)
class ReportResult:
    """Where a report run wrote its outputs, and how long it took."""

    name: str
    notebook: Path
    html: Path
    parameters: dict[str, Any]
    seconds: float


def reports_dir() -> Path:
    """The folder of report notebooks."""
    return _reports_dir()


def _title(path: Path) -> str:
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem.replace("_", " ")


def _validator(path: Path) -> str | None:
    """The value validator a report names in its metadata: ``{"mopskit": {"validate": "mopskit.module:function"}}``."""
    import nbformat

    named = nbformat.read(str(path), as_version=4).metadata.get("mopskit", {}).get("validate")
    if named is None:
        return None
    if not re.fullmatch(r"mopskit(\.\w+)+:\w+", str(named)):
        raise ReportError(
            f"{path.name}: metadata mopskit.validate must name a function of the kit as "
            f"'mopskit.module:function' (got {named!r})"
        )
    return str(named)


def _declared_names(path: Path) -> list[str]:
    import ast

    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            names = []
            for node in ast.parse(cell.source).body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return []


def _inspect(path: Path) -> dict[str, Parameter]:
    import papermill as pm

    found = pm.inspect_notebook(str(path))
    dropped = [name for name in _declared_names(path) if name not in found]
    if dropped:  # papermill's parser skips some annotations (e.g. "str | None") without a word
        raise ReportError(
            f"{path.name}: papermill does not see the parameter(s) {', '.join(dropped)} in the parameters cell; "
            "write one 'name: type = value  # help' per line, with Optional[str] rather than str | None"
        )
    return {
        name: Parameter(
            name, str(p.get("inferred_type_name") or "None"), str(p.get("default")), str(p.get("help") or "")
        )
        for name, p in found.items()
    }


def list_reports() -> list[ReportInfo]:
    """List every report the kit ships, with its parameters."""
    return [report_info(p.stem) for p in sorted(reports_dir().glob("*.ipynb"))]


def report_info(name: str) -> ReportInfo:
    """Return one report's title and parameters; an unknown name lists the valid ones.

    Args:
        name: a bundled report's name (see :func:`list_reports`), or the path of a report notebook of your
            own ending in ``.ipynb`` (with a cell tagged ``parameters``).

    """
    if name.endswith(".ipynb"):
        path = Path(name)
        if not path.is_file():
            raise ParameterError(f"report notebook '{name}' not found (working folder: {Path.cwd()})")
        return ReportInfo(path.stem, path, _title(path), _inspect(path), _validator(path))
    path = reports_dir() / f"{name}.ipynb"
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", name) or not path.is_file():
        valid = ", ".join(sorted(p.stem for p in reports_dir().glob("*.ipynb")))
        raise ParameterError(
            f"unknown report '{name}'; valid: {valid} (see: mopskit report --list), or the path of a .ipynb file"
        )
    return ReportInfo(name, path, _title(path), _inspect(path), _validator(path))


def _coerce(param: Parameter, value: Any) -> Any:
    kind = param.type.replace(" ", "")
    optional = "None" in kind.split("|") or kind.startswith("Optional[")
    base = re.sub(r"\|?None\|?|Optional\[(.*)\]", r"\1", kind) or "None"
    text = value.strip() if isinstance(value, str) else None
    if value is None or (optional and text is not None and text.lower() in ("", "none", "null")):
        if optional or base == "None":
            return None
        raise ValueError("cannot be empty")
    if base.startswith("str"):
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    elif base.startswith("bool"):
        if isinstance(value, bool):
            return value
        if text is not None and text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
    elif base.startswith("int"):
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value)
        if text is not None and re.fullmatch(r"[+-]?\d+", text):
            return int(text)
    elif base.startswith("float"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if text is not None:
            try:
                return float(text)
            except ValueError:
                pass
    elif base.startswith(("list", "tuple")):
        if isinstance(value, list | tuple):
            return [_plain(v) for v in value]
        if text is not None:
            parsed = json.loads(text) if text.startswith("[") else [s.strip() for s in text.split(",") if s.strip()]
            if isinstance(parsed, list):
                return [_plain(v) for v in parsed]
    elif base.startswith("dict"):
        if isinstance(value, Mapping):
            return {str(k): _plain(v) for k, v in value.items()}
        if text is not None and text.startswith("{"):
            return {str(k): _plain(v) for k, v in json.loads(text).items()}
    else:  # unannotated: accept plain values only
        return _plain(value)
    raise ValueError(f"must be {base}")


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    raise ValueError(f"must be a plain value (text, number, true/false, list or dict), not {type(value).__name__}")


def _valid_list(info: ReportInfo) -> str:
    return "\n".join(f"  {p.describe()}" for p in info.parameters.values()) or "  (none)"


def parameter_problems(info: ReportInfo, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Coerce what can be coerced and describe every problem, without raising.

    Names and types are checked against the ``parameters`` cell; when the types are right and the report
    names a validator in its metadata, the validator sees the values (defaults filled in) too.

    Returns:
        The coerced values, and one line per problem (unknown name, wrong type, or a value the report's
        validator refuses).

    """
    problems, coerced = [], {}
    for name, value in values.items():
        if name == LANG and name not in info.parameters:
            code = normalize_language(str(value))
            if code in LANGUAGES or code == PSEUDO:
                coerced[name] = code
            else:
                valid = ", ".join(c.replace("_", "-") for c in LANGUAGES)
                problems.append(f"'{LANG}' must be one of {valid} (got {value!r})")
            continue
        if name not in info.parameters:
            problems.append(f"unknown report parameter '{name}'")
            continue
        try:
            coerced[name] = _coerce(info.parameters[name], value)
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            problems.append(f"'{name}' {exc} (got {value!r})")
    if info.validator and not problems:
        import ast
        import importlib

        module, _, function = info.validator.partition(":")
        defaults = {}
        for name, param in info.parameters.items():
            try:
                defaults[name] = ast.literal_eval(param.default)
            except (ValueError, SyntaxError):
                continue
        own = {k: v for k, v in coerced.items() if k in info.parameters}
        try:
            getattr(importlib.import_module(module), function)({**defaults, **own})
        except ParameterError as exc:
            problems.append(str(exc))
    return coerced, problems


def valid_parameters(info: ReportInfo) -> str:
    """The closing lines of a parameter error: every valid parameter with its type, default and help."""
    shared = ""
    if LANG not in info.parameters:
        shared = f"\n  {LANG} (text, default en): the language of the report's text: en, ro, th or zh-TW (every report)"
    return f"Valid parameters of '{info.name}':\n" + _valid_list(info) + shared


def coerce_parameters(info: ReportInfo, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check parameter names and coerce values to their annotated types, or raise one clear error.

    Args:
        info: the report, from :func:`report_info`.
        values: names to values; values may be text (as typed on a command line) or already typed.

    Raises:
        ParameterError: naming every bad parameter and listing the valid ones with types, defaults and help.

    """
    coerced, problems = parameter_problems(info, values)
    if problems:
        raise ParameterError(f"report '{info.name}': " + "; ".join(problems) + ".\n" + valid_parameters(info))
    return coerced


def _to_html(notebook: Path, html: Path, *, show_code: bool) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _resources = exporter.from_notebook_node(nbformat.read(str(notebook), as_version=4))
    html.write_text(body, encoding="utf-8")


def run_report(
    name: str,
    *,
    parameters: Mapping[str, Any] | None = None,
    out_dir: str | Path = "reports-out",
    show_code: bool = False,
    timeout: int = 600,
    progress: bool = False,
    output_name: str | None = None,
) -> ReportResult:
    """Run one report with papermill and write the executed notebook plus a standalone HTML page.

    Args:
        name: the report, e.g. ``"dataset_profile"`` (see :func:`list_reports`), or the path of a ``.ipynb``.
        parameters: values for the report's parameters (text or typed); unnamed ones keep their defaults.
        out_dir: folder for ``<name>.ipynb`` and ``<name>.html`` (created if needed).
        show_code: keep the code cells in the HTML (hidden by default, for readers who want results).
        timeout: seconds one cell may run before the report is stopped and counted as failed.
        progress: show a progress bar while the cells run.
        output_name: file name for the outputs, without extension (default: the report's name).

    Raises:
        ParameterError: before any kernel starts, for an unknown parameter or a value of the wrong type.
        ReportError: when a cell fails or runs past ``timeout``; the executed notebook is kept.

    """
    info = report_info(name)
    values = coerce_parameters(info, parameters or {})
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = output_name or info.name
    notebook, html = out / f"{stem}.ipynb", out / f"{stem}.html"
    started = time.perf_counter()
    execute_report(
        info.path,
        notebook,
        html,
        values,
        name=info.name,
        show_code=show_code,
        timeout=timeout,
        progress=progress,
        cwd=Path.cwd(),
    )
    return ReportResult(info.name, notebook, html, values, time.perf_counter() - started)


def execute_report(
    source: Path,
    notebook: Path,
    html: Path,
    values: Mapping[str, Any],
    *,
    name: str,
    show_code: bool = False,
    timeout: int = 600,
    progress: bool = False,
    cwd: Path | None = None,
) -> None:
    """Execute a report notebook with already-checked values into ``notebook``, then export ``html``.

    The engine under :func:`run_report` and batch runs; values must come from :func:`coerce_parameters`.

    Raises:
        ReportError: when a cell fails or runs past ``timeout``, or the kernel fails twice to start; the
            executed notebook is kept where it got to.

    """
    import papermill as pm

    values = dict(values)
    lang = values.pop(LANG, None) if LANG not in _declared_names(source) else None
    with _in_language(source, lang) as source:
        _execute(pm, source, notebook, values, name=name, timeout=timeout, progress=progress, cwd=cwd)
    _to_html(notebook, html, show_code=show_code)


@contextmanager
def _in_language(source: Path, lang: str | None) -> Iterator[Path]:
    """The report to run in a language: rendered from its catalog, with ``MOPSKIT_LANG`` set for its kernel.

    Its catalog is ``notebooks/locale/<lang>/reports/<name>.po`` beside the report (Markdown cells and chart
    labels, as a lesson's); the kit's own messages follow ``MOPSKIT_LANG``. English needs nothing.
    """
    if not lang or lang == "en":
        yield source
        return
    import tempfile

    from .catalogs import render_lesson

    saved = os.environ.get("MOPSKIT_LANG")
    os.environ["MOPSKIT_LANG"] = lang  # the kernel papermill starts inherits it
    try:
        with tempfile.TemporaryDirectory(prefix="mopskit-report-") as scratch:
            rendered = Path(scratch) / source.name
            render_lesson(source, lang, target=rendered, catalogs=source.parent.parent / "locale", kind="reports")
            _with_chart_fonts(rendered)
            yield rendered
    finally:
        if saved is None:
            os.environ.pop("MOPSKIT_LANG", None)
        else:
            os.environ["MOPSKIT_LANG"] = saved


def _with_chart_fonts(notebook: Path) -> None:
    """Open the notebook with a cell that gives its charts the language's fonts (Thai and Chinese glyphs)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    cell = nbformat.v4.new_code_cell(_FONTS_CELL)
    cell.metadata["tags"] = ["mopskit-fonts"]
    nb.cells.insert(0, cell)
    nbformat.write(nb, str(notebook))


_FONTS_CELL = (
    "# the charts' fonts for the report's language\n"
    "import matplotlib\n\nfrom mopskit.i18n import plot_settings\n\nmatplotlib.rcParams.update(plot_settings())"
)


def _execute(
    pm: Any,
    source: Path,
    notebook: Path,
    values: dict[str, Any],
    *,
    name: str,
    timeout: int,
    progress: bool,
    cwd: Path | None,
) -> None:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for attempt in (1, 2):
        try:
            pm.execute_notebook(
                str(source),
                str(notebook),
                parameters=values,
                progress_bar=progress,
                execution_timeout=timeout,
                cwd=str(cwd) if cwd else None,
                shutdown_kernel="immediate",
                **({"kernel_manager_class": "mopskit._kernels.SocketKernelManager"} if os.name == "posix" else {}),
            )
            break
        except pm.PapermillExecutionError as exc:
            raise ReportError(
                f"report '{name}' failed in cell {exc.exec_count or exc.cell_index + 1}: {exc.ename}: {exc.evalue}\n"
                f"The executed notebook, with the error, is in {notebook}.",
                notebook_path=str(notebook),
            ) from None
        except CellTimeoutError:
            raise ReportError(
                f"report '{name}' stopped: a cell ran longer than {timeout} s. Pass a larger --timeout, or a smaller "
                f"dataset. The partly executed notebook is in {notebook} (its cells may look complete; they are not).",
                notebook_path=str(notebook),
            ) from None
        except (RuntimeError, DeadKernelError) as exc:  # a kernel that failed to start: one retry
            if attempt == 2 or "kernel" not in str(exc).lower():
                raise ReportError(f"report '{name}': the Python kernel failed ({exc}); try again") from None
