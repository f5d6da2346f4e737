"""Preparing a trainee's workspace: released lessons plus the datasets, never overwriting their work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ._resources import datasets_dir, notebooks_dir
from .assess import release_notebook
from .errors import WorkspaceError

__all__ = ["PreparedWorkspace", "prepare_workspace", "start"]


@dataclass
class PreparedWorkspace:
    """What :func:`prepare_workspace` did: files it added, and files it kept because they were there."""

    path: Path
    added: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Workspace ready in {self.path}: {len(self.added)} files added, {len(self.kept)} kept as they were."]
        if self.kept:
            lines.append(
                "Kept your existing copies of: "
                + ", ".join(p.name for p in self.kept[:8])
                + (" ..." if len(self.kept) > 8 else "")
            )
        return "\n".join(lines)


def prepare_workspace(directory: str | Path = "mopskit-workspace") -> PreparedWorkspace:
    """Put trainee copies of the lessons and the sample datasets in ``directory``.

    Files already there are never touched, so running it again after an update adds new lessons and keeps
    the trainee's work.

    Args:
        directory: the workspace folder (created if needed).

    """
    path = Path(directory).expanduser()
    if path.exists() and not path.is_dir():
        raise WorkspaceError(f"'{path}' is a file, not a folder; choose another workspace folder")
    try:
        (path / "datasets").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"cannot create the workspace '{path}' ({exc.strerror}); choose a folder you can write to"
        ) from None
    result = PreparedWorkspace(path.resolve())
    for lesson in sorted(notebooks_dir().glob("*.ipynb")):
        target = path / lesson.name
        if target.exists():
            result.kept.append(target)
        else:
            release_notebook(lesson, target)
            result.added.append(target)
    for source in sorted(datasets_dir().iterdir()):
        if source.is_file() and source.suffix in {".csv", ".md", ".yaml"}:
            target = path / "datasets" / source.name
            if target.exists():
                result.kept.append(target)
            else:
                shutil.copy2(source, target)
                result.added.append(target)
    return result


def start(
    *, directory: str | Path = "mopskit-workspace", launch: bool = True, port: int | None = None
) -> PreparedWorkspace:
    """Prepare the workspace, then open JupyterLab in it (the trainee's main job).

    Args:
        directory: the workspace folder.
        launch: start JupyterLab after preparing; false prepares only.
        port: the port JupyterLab listens on (default: its own choice, 8888 or the next free one).

    """
    prepared = prepare_workspace(directory)
    if launch:
        command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={prepared.path}"]
        first = sorted(prepared.path.glob("00_*.ipynb"))
        if first:
            command.append(str(first[0]))
        if port:
            command.append(f"--port={port}")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        try:
            subprocess.run(command, cwd=prepared.path, check=False)
        except KeyboardInterrupt:  # Ctrl+C stops JupyterLab: a normal way out
            pass
    return prepared
