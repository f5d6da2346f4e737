"""Each public module's surface is its ``__all__``: sorted, every name there, and nothing public left out of it.

A module is public when no part of its dotted name starts with ``_``: the package ``mopskit`` and its
sub-packages, and modules such as ``mopskit.metrics.email``. Lessons and users import from those; a module
``_like_this`` is the package's own business. Like httpx's test of its ``__all__``, a function, class or
constant defined in the kit and reachable from a public module must be listed in its ``__all__`` or be private.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types

import pytest
from test_layers import PACKAGE_DIR, imports

import mopskit


def _public_modules() -> list[str]:
    found = ["mopskit"]
    for info in pkgutil.walk_packages(mopskit.__path__, "mopskit."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found.append(info.name)
    return sorted(found)


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then everything else, each alphabetical."""
    if len(name) > 1 and name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def _ours(value: object, module: str) -> bool:
    """Whether a module attribute is defined in the kit, in this module or (for a package) below it."""
    where = getattr(value, "__module__", None)
    return bool(where) and (where == module or where.startswith(module + "."))


PUBLIC = _public_modules()


@pytest.mark.parametrize("name", PUBLIC)
def test_all_is_sorted_and_names_public_things_that_exist(name):
    module = importlib.import_module(name)
    names = list(module.__all__)
    assert names == sorted(names, key=_isort_key), f"{name}.__all__ is not sorted"
    assert len(set(names)) == len(names), f"{name}.__all__ repeats a name"
    translate = ("_", "_n")  # gettext's names for translating a message and a count's message
    assert [n for n in names if n.startswith("_") and n not in (*translate, "__version__")] == []
    for exported in names:
        assert getattr(module, exported) is not None, f"{name}.{exported}"


@pytest.mark.parametrize("name", PUBLIC)
def test_nothing_public_is_left_out_of_all(name):
    module = importlib.import_module(name)
    listed = set(module.__all__)
    left_out = [
        attribute
        for attribute, value in vars(module).items()
        if not attribute.startswith("_")
        and attribute not in listed
        and not isinstance(value, types.ModuleType)
        and ((inspect.isfunction(value) or inspect.isclass(value)) and _ours(value, name))
    ]
    assert left_out == [], f"public in {name} but not in its __all__ (list them, or start them with _): {left_out}"


def test_the_surface_test_sees_a_name_left_out(tmp_path, monkeypatch):
    (tmp_path / "demo_surface.py").write_text(
        '__all__ = ["b", "a"]\n\n\ndef a():\n    pass\n\n\ndef b():\n    pass\n\n\ndef c():\n    pass\n',
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(AssertionError, match="not sorted"):
        test_all_is_sorted_and_names_public_things_that_exist("demo_surface")
    with pytest.raises(AssertionError, match=re.escape("['c']")):
        test_nothing_public_is_left_out_of_all("demo_surface")


def _owner(module: str) -> str | None:
    """The package a private module belongs to (the name before its first ``_`` part), or None if it is public."""
    parts = module.split(".")
    for i, part in enumerate(parts[1:], 1):
        if part.startswith("_") and part != "__init__":
            return ".".join(parts[:i])
    return None


def crossings(package_dir) -> list[str]:
    """Imports of a private module from outside the package it belongs to."""
    found = []
    for imp in imports(package_dir):
        owner = _owner(imp.target) if imp.internal else None
        if owner and imp.source != owner and not imp.source.startswith(owner + "."):
            found.append(f"{imp.source} imports {imp.target}")
    return sorted(set(found))


def test_no_package_imports_another_packages_private_module():
    """A module ``_like_this`` belongs to its package: others import what that package (or a public module) lists.

    The kit's own leaves (``mopskit._session``, ``mopskit._html``...) belong to the kit as a whole, so every
    package may use them.
    """
    assert crossings(PACKAGE_DIR) == []


def test_a_private_module_used_from_outside_its_package_is_found(tmp_path):
    package = tmp_path / "kit"
    for name, code in {
        "__init__.py": "",
        "_leaf.py": "",
        "data/__init__.py": "",
        "data/_schema.py": "",
        "data/reader.py": "from ._schema import x\nfrom .._leaf import y\n",
        "metrics/__init__.py": "",
        "metrics/email.py": "from ..data._schema import x\nfrom ..data import reader\n",
    }.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(code, encoding="utf-8")
    assert crossings(package) == ["kit.metrics.email imports kit.data._schema"]
