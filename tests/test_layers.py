"""The import rules of ARCHITECTURE.md, read from the code: no cycle inside a package, no arrow pointing up.

Every import counts: at the top of a module, inside a function (a lazy import) and under ``TYPE_CHECKING``.
The rules are checked on the kit itself, and on small trees built here that break each rule once, so the
checker is seen to fail.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import mopskit

PACKAGE_DIR = Path(mopskit.__file__).resolve().parent

# ARCHITECTURE.md's layers, bottom to top: a module may import its own layer or one below, never one above.
LAYERS: dict[str, int] = {
    # 1 leaves: used by everything
    "errors": 1,
    "i18n": 1,
    "_version": 1,
    "_resources": 1,
    "_validate": 1,
    "_session": 1,
    "_textfile": 1,
    "_answer_files": 1,
    "_html": 1,
    "_hours": 1,
    "present": 1,
    "content": 1,
    # 2 data and plumbing
    "data": 2,
    "catalogs": 2,
    "executor": 2,
    "_kernels": 2,
    # 3 the MOps concepts
    "metrics": 3,
    "stack": 3,
    "goals": 3,
    "roles": 3,
    "strategy": 3,
    "leads": 3,
    "selection": 3,
    "health": 3,
    "profession": 3,
    "glossary": 3,
    "facts": 3,
    "profile": 3,
    # 4 assessment, runs, the workspace
    "assess": 4,
    "reports": 4,
    "batch": 4,
    "workspace": 4,
    "onboarding": 4,
    "lms": 4,
    # 5 widgets
    "ui": 5,
    # 6 app mode, and the hub that serves it to a cohort
    "app": 6,
    "hub": 6,
    # 7 the command
    "cli": 7,
    "__main__": 7,
}
DOMAIN_TOP = 3  # layers 1-3 hold no front-end and run no notebook
FRONT_END_LIBRARIES = ("papermill", "ipywidgets", "IPython")


@dataclass(frozen=True)
class Import:
    """One import statement's target, seen from the module that holds it."""

    source: str  # the importing module, dotted (``mopskit.data.variant``)
    target: str  # a module of the tree (``mopskit.assess._answers``) or a library's top name (``pandas``)
    line: int
    internal: bool


def modules(package_dir: Path) -> dict[str, Path]:
    """Every module of the package, by dotted name (a package by its own name, for its ``__init__.py``)."""
    root = package_dir.name
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join([root, *parts])] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str:
    """The module of the tree that ``name`` names, or the nearest package that holds it."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def imports(package_dir: Path) -> list[Import]:
    """Every import of every module of the package."""
    known = modules(package_dir)
    root = package_dir.name
    found = []
    for module, path in known.items():
        is_package = path.name == "__init__.py"
        here = module if is_package else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                    base = f"{base}.{node.module}" if node.module else base
                else:
                    base = node.module or ""
                if base == "__future__":
                    continue
                # ``from pkg import name``: the submodule when ``name`` is one, else the package itself
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            for target in targets:
                internal = target == root or target.startswith(root + ".")
                name = _resolve(target, known) if internal else target.partition(".")[0]
                found.append(Import(module, name, node.lineno, internal))
    return found


def _where(imp: Import, package_dir: Path, known: dict[str, Path]) -> str:
    path = known[imp.source].relative_to(package_dir.parent)
    return f"{path}:{imp.line}"


def cycles(package_dir: Path) -> list[str]:
    """Import cycles among the members of each package (its modules and sub-packages, and its ``__init__``)."""
    known = modules(package_dir)
    packages = [m for m, p in known.items() if p.name == "__init__.py"]
    edges = [i for i in imports(package_dir) if i.internal and i.source != i.target]
    problems = []
    for package in packages:

        def member(module: str, package: str = package) -> str | None:
            if module == package:
                return "__init__"
            if module.startswith(package + "."):
                return module[len(package) + 1 :].partition(".")[0]
            return None

        graph: dict[str, set[str]] = {}
        for imp in edges:
            a, b = member(imp.source), member(imp.target)
            if a is not None and b is not None and a != b:
                graph.setdefault(a, set()).add(b)
        for component in _strongly_connected(graph):
            if len(component) > 1:
                problems.append(f"cycle in {package}: {' <-> '.join(sorted(component))}")
    return problems


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the groups of nodes that all reach one another."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.add(top)
                if top == node:
                    break
            found.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _top(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def forbidden(package_dir: Path, layers: dict[str, int] = LAYERS) -> list[str]:
    """Imports that point up a layer, reach the package root, or pull a front-end library into the domain."""
    root = package_dir.name
    problems = []
    known = modules(package_dir)
    for name in sorted({_top(m) for m in known} - {"__init__"} - set(layers)):
        problems.append(f"{root}.{name} has no layer: add it to LAYERS here and to ARCHITECTURE.md's layers")
    for imp in imports(package_dir):
        where = _where(imp, package_dir, known)
        source = _top(imp.source)
        if source == "__init__" or source not in layers:
            continue  # the root's own imports; unknown modules are reported above
        level = layers[source]
        if not imp.internal:
            if level <= DOMAIN_TOP and imp.target in FRONT_END_LIBRARIES:
                problems.append(f"{where}: {imp.source} (layer {level}) imports {imp.target}, a front-end library")
            continue
        if imp.target == root:
            problems.append(f"{where}: {imp.source} imports the package root; import from the module that owns it")
            continue
        target = _top(imp.target)
        if target in layers and layers[target] > level:
            problems.append(
                f"{where}: {imp.source} (layer {level}) imports {imp.target} (layer {layers[target]}), a layer above"
            )
        if source == "data" and target == "assess":
            problems.append(f"{where}: {imp.source} imports {imp.target}: data never imports assess")
    return problems


def test_no_package_has_an_import_cycle():
    assert cycles(PACKAGE_DIR) == []


def test_no_import_points_up_a_layer_or_at_the_package_root():
    assert forbidden(PACKAGE_DIR) == []


def test_every_layer_named_here_is_a_module_of_the_kit_or_one_announced():
    announced = {"leads", "selection", "health"}  # packages being added; they take the domain layer
    present = {_top(m) for m in modules(PACKAGE_DIR)}
    assert set(LAYERS) - present - announced == set()


def test_architecture_names_every_layer():
    text = (PACKAGE_DIR.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [name for name in LAYERS if f"`{name}" not in text]
    assert not missing, f"ARCHITECTURE.md's layers do not name: {missing}"


# The checker must be able to fail: small trees that break each rule once.


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "kit"
    for name, code in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    for folder in [package, *(p for p in package.rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return package


def test_a_cycle_between_two_modules_is_found_even_through_a_lazy_import(tmp_path):
    package = _tree(
        tmp_path,
        {
            "goals/_history.py": "from ._chart import draw\n",
            "goals/_chart.py": "def draw():\n    from ._history import Attainability\n",
            "goals/_clean.py": "from ._history import x\n",
        },
    )
    assert cycles(package) == ["cycle in kit.goals: _chart <-> _history"]


def test_a_cycle_between_packages_is_found(tmp_path):
    package = _tree(tmp_path, {"data/variant.py": "from ..assess._answers import x\n", "assess/_answers.py": ""})
    (package / "assess" / "__init__.py").write_text("from ..data import variant\n", encoding="utf-8")
    assert cycles(package) == ["cycle in kit: assess <-> data"]


def test_arrows_up_front_end_libraries_and_the_root_are_refused(tmp_path):
    package = _tree(
        tmp_path,
        {
            "data/variant.py": "from ..assess._answers import current_lesson\n",
            "metrics/plots.py": "def show():\n    import ipywidgets\n",
            "ui/setup.py": "from .. import app\nfrom ..metrics import plots\n",
            "app.py": "",
            "batch/run.py": "from .. import __version__\n",
            "stray.py": "",
            "assess/_answers.py": "",
        },
    )
    layers = {"data": 2, "metrics": 3, "assess": 4, "batch": 4, "ui": 5, "app": 6}
    assert forbidden(package, layers) == [
        "kit.stray has no layer: add it to LAYERS here and to ARCHITECTURE.md's layers",
        "kit/batch/run.py:1: kit.batch.run imports the package root; import from the module that owns it",
        "kit/data/variant.py:1: kit.data.variant (layer 2) imports kit.assess._answers (layer 4), a layer above",
        "kit/data/variant.py:1: kit.data.variant imports kit.assess._answers: data never imports assess",
        "kit/metrics/plots.py:2: kit.metrics.plots (layer 3) imports ipywidgets, a front-end library",
        "kit/ui/setup.py:1: kit.ui.setup (layer 5) imports kit.app (layer 6), a layer above",
    ]


@pytest.mark.parametrize(
    ("code", "target"),
    [
        ("from . import b\n", "kit.pkg.b"),  # a sibling module
        ("from .b import f\n", "kit.pkg.b"),
        ("from .. import other\n", "kit.other"),  # a sibling package
        ("from .. import name\n", "kit"),  # a name of the root package
        ("import kit.pkg.b\n", "kit.pkg.b"),
        ("from kit.pkg.b import f as g\n", "kit.pkg.b"),
    ],
)
def test_imports_resolve_to_the_module_they_load(tmp_path, code, target):
    package = _tree(tmp_path, {"pkg/a.py": code, "pkg/b.py": "", "other/x.py": ""})
    assert [i.target for i in imports(package) if i.source == "kit.pkg.a"] == [target]
