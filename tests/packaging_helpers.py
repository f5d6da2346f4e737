"""Builders for install-layout tests: the wheel, an editable install, a checkout copy, a venv that reuses ours."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat

from mopskit.assess._release import _HIDDEN, _LINE_SOLUTION

ROOT = Path(__file__).resolve().parent.parent
CHECKOUT_FILES = ("mopskit", "notebooks", "datasets", "pyproject.toml", "hatch_build.py", "README.md", "LICENSE")


def build_wheel(out: Path, project: Path = ROOT) -> Path:
    """Build the wheel as a user would (``pip wheel``), without fetching anything."""
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out)]
    subprocess.run([*command, str(project)], check=True, capture_output=True)
    return next(out.glob("mopskit-*.whl"))


def build_editable(project: Path, out: Path) -> Path:
    """Build the editable wheel ``pip install -e`` installs, through the project's build backend."""
    out.mkdir(parents=True, exist_ok=True)
    code = f"import hatchling.build as b; print(b.build_editable({str(out)!r}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=project, check=True, capture_output=True, text=True)
    return out / done.stdout.strip().splitlines()[-1]


def copy_checkout(dest: Path) -> Path:
    """A checkout of the kit in ``dest``: its package, lessons, data and build files (no caches, no releases)."""
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "_lessons", ".ipynb_checkpoints")
    for name in CHECKOUT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy(source, dest / name)
    return dest


def venv(path: Path, *wheels: Path) -> Path:
    """A new virtual environment with ``wheels`` installed and this environment's packages reachable.

    The dependencies come from the running environment through a ``.pth`` line (nothing is downloaded); its own
    ``.pth`` files are not read from there, so the kit it installs in editable mode stays out of the new one.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    site = site_packages(python)
    (site / "zz_reuse_test_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    for wheel in wheels:
        zipfile.ZipFile(wheel).extractall(site)  # what pip does with a pure-Python wheel, minus the scripts
    return python


def site_packages(python: Path) -> Path:
    """The site-packages folder of another Python."""
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(subprocess.check_output([python, "-c", code], text=True).strip())


def secret_lines(sources: Path, released: list[Path]) -> set[str]:
    """Lines only the instructor's lessons hold: their solutions and hidden checks, found in no released lesson.

    Left out as not giving anything away: short lines, lines of the kit's own code, and boilerplate that two or
    more lessons share (imports, ``@exercise("q1").solution``).
    """
    shown = set()
    for path in released:
        for cell in nbformat.read(str(path), as_version=4).cells:
            shown |= {line.strip() for line in cell.source.splitlines()}
    for path in (ROOT / "mopskit").rglob("*.py"):
        shown |= {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    seen: dict[str, int] = {}
    for path in sorted(sources.glob("*.ipynb")):
        found = set()
        for cell in nbformat.read(str(path), as_version=4).cells:
            lines = cell.source.splitlines()
            if cell.cell_type == "code" and lines and _HIDDEN.match(cell.source.lstrip()):
                found |= {line.strip() for line in lines[1:]}
            inside = False
            for line in lines:
                inside = inside or "BEGIN SOLUTION" in line
                if inside or _LINE_SOLUTION.match(line):
                    found.add(line.strip())
                inside = inside and "END SOLUTION" not in line
        for line in found:
            seen[line] = seen.get(line, 0) + 1
    return {line for line, lessons in seen.items() if lessons == 1 and line not in shown and len(line) >= 24}


def lines_of(name: str, data: bytes) -> set[str]:
    """The stripped lines of a file of the wheel (a notebook's cell sources, a text file's lines)."""
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".ipynb"):
        nb = nbformat.reads(text, as_version=4)
        return {line.strip() for cell in nb.cells for line in cell.source.splitlines()}
    return {line.strip() for line in text.splitlines()}
