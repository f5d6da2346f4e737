"""A helper process that runs lessons' checks for a grader that grades several submissions at once, in threads.

Checks run in forked children (:func:`mopskit.assess._forked_checks.run_checks`), so that a check that hangs or
crashes costs only itself. Forking is only safe from a process with one thread: a fork copies the locks the
other threads hold, and a child that needs one waits for ever. A grader that grades from several threads
therefore hands its checks to a server of its own, ``python -m mopskit.assess._check_server``, one per thread:
a single-threaded process that forks the children instead.

A server, and a grader grading one at a time, also keep the data the checks read in their own memory
(:func:`warm`): the lesson's answer key is computed there once per data folder before any child is forked, so
every child finds the tables already loaded instead of reading them again for each submission.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypedDict

from ..errors import GradingError

__all__ = ["CheckOptions", "CheckServer", "checks_for", "run_checks_warm", "warm"]


class CheckOptions(TypedDict):
    """How one submission's checks run, the keyword arguments of :func:`run_checks_warm` and :meth:`CheckServer.run`."""

    refused: Mapping[str, str]
    timeout: float
    shared_data: bool
    lang: str


_exercises: dict[tuple[Any, ...], dict[str, Any]] = {}
_warmed: set[tuple[str, str]] = set()
_warming = threading.Lock()
_loading = threading.Lock()


def checks_for(source: str, lang: str = "en") -> dict[str, Any]:
    """A lesson's exercises and checks, loaded once per process (again if the file or its catalog changes).

    In another language they come from the source rendered in it (``notebooks/locale/<lang>/<lesson>.po``):
    the same checks and points, their messages in the trainee's language.
    """
    from ._answer_key import load_checks

    catalog = Path(source).parent / "locale" / lang / f"{Path(source).stem}.po"
    stamp = catalog.stat().st_mtime_ns if lang != "en" and catalog.is_file() else 0
    key = (source, Path(source).stat().st_mtime_ns, lang, stamp)
    with _loading:  # loading fills the session's one registry of exercises: one thread at a time
        if key not in _exercises:
            if lang == "en":
                _exercises[key] = load_checks(source)
            else:
                import tempfile

                from ..catalogs import render_lesson

                with tempfile.TemporaryDirectory(prefix="mopskit-grade-") as scratch:
                    rendered = Path(scratch) / Path(source).name
                    render_lesson(source, lang, target=rendered)
                    _exercises[key] = load_checks(rendered)
        return _exercises[key]


def warm(source: str, data: Path) -> None:
    """Load what the lesson's checks read from ``data`` into this process, once: compute its answer key here.

    The children that run the checks are forked from this process, so they find the tables loaded. A solution
    that fails is left alone: its checks say so when they run.
    """
    from ..data.variant import use_variant

    key = (source, str(data))
    with _warming:  # threads of one process (a Dask worker's) warm each folder once, one after the other
        if key in _warmed:
            return
        _warmed.add(key)
        with use_variant(data):
            for exercise in checks_for(source).values():
                try:
                    exercise.expected()
                except Exception:  # the checks report it, each on its own
                    continue


def run_checks_warm(
    source: str,
    data: Path,
    answers: Mapping[str, Any],
    *,
    refused: Mapping[str, str],
    timeout: float,
    shared_data: bool = True,
    lang: str = "en",
) -> list[Any]:
    """Run a lesson's checks on one submission's answers, with the data ``load`` reads in the kernel.

    Args:
        source: the instructor's lesson.
        data: the folder the submission's kernel read.
        answers: answers by exercise id, JSON data.
        refused: exercises whose answer cannot be graded, with the reason.
        timeout: seconds per check.
        shared_data: other submissions read the same folder, so it is worth keeping loaded (not so for a
            trainee's own variant).
        lang: the language of the trainee's lesson: the checks' messages come in it.

    """
    from ..data.variant import use_variant
    from ..i18n import language
    from ._forked_checks import run_checks

    if shared_data:
        warm(source, data)
    with use_variant(data), language(lang):
        return run_checks(checks_for(source, lang), dict(answers), timeout=timeout, refused=refused)


class CheckServer:
    """One server process: ``run`` sends it a submission's answers and returns the check rows.

    Use it from one thread at a time (a grader keeps one per thread), and :meth:`close` it at the end.
    """

    def __init__(self) -> None:
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "mopskit.assess._check_server", str(down_read), str(up_write)],
            pass_fds=(down_read, up_write),
            stdin=subprocess.DEVNULL,
        )
        os.close(down_read)
        os.close(up_write)
        self._send = Connection(down_write, readable=False)
        self._receive = Connection(up_read, writable=False)

    def run(
        self,
        source: str,
        data: Path,
        answers: Mapping[str, Any],
        *,
        refused: Mapping[str, str],
        timeout: float,
        shared_data: bool = True,
        lang: str = "en",
    ) -> list[Any]:
        """Run the checks in the server (see :func:`run_checks_warm`); raises GradingError if it fails."""
        request = (source, str(data), dict(answers), dict(refused), timeout, shared_data, lang)
        try:
            self._send.send(request)
            ok, value = self._receive.recv()
        except (EOFError, OSError) as exc:
            raise GradingError(f"the check server stopped ({type(exc).__name__}); run again to retry") from None
        if not ok:
            raise GradingError(f"the checks could not run: {value}")
        return value

    def close(self) -> None:
        """Stop the server (it also stops by itself when this process ends)."""
        for connection in (self._send, self._receive):
            connection.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _serve(receive: Connection, send: Connection) -> None:
    while True:
        try:
            source, data, answers, refused, timeout, shared, lang = receive.recv()
        except (EOFError, OSError):  # the grader closed the pipe or ended
            return
        try:
            rows = run_checks_warm(
                source, Path(data), answers, refused=refused, timeout=timeout, shared_data=shared, lang=lang
            )
            send.send((True, rows))
        except Exception as exc:  # the grader reports it for this submission and goes on
            send.send((False, f"{type(exc).__name__}: {exc}"))


def main(argv: list[str] | None = None) -> int:
    """Serve check runs on the two pipe descriptors given, until the grader closes them."""
    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the grader's to handle: it closes the pipes
    _serve(Connection(int(args[0]), writable=False), Connection(int(args[1]), readable=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
