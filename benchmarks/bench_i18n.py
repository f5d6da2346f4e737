"""A lesson in Thai against the same lesson in English: time to run it top to bottom, in the same run.

Run: python benchmarks/bench_i18n.py [--lessons 00_start_here 03_stack_audit] [--repeat 5] [--lang th]

Both sides are trainee copies made the way `mopskit start` makes them: the English released as it is, the
other rendered from its catalog (Markdown and check texts replaced, `start_lesson(..., lang=...)`) and released.
Each is executed by nbclient in a fresh kernel, kernel start included, the two sides alternating so that load on
the machine falls on both alike. What the language adds at run time: the catalogs loaded and every message looked
up, charts drawn with the Thai font fallback (`setup_notebook`), and the Thai text itself. Each figure is the
median of N runs; the ratio is language / English (goal: within 1.1x).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mopskit.assess._release import release_in  # noqa: E402


def time_run(notebook: Path, lang: str) -> float:
    """Seconds to run a fresh copy of the notebook top to bottom in its folder, kernel start included."""
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory() as answers:
        env = {**os.environ, "MOPSKIT_LANG": lang, "MOPSKIT_ANSWERS_DIR": answers}
        started = time.perf_counter()
        client = NotebookClient(
            nb, timeout=600, resources={"metadata": {"path": str(notebook.parent)}}, shutdown_kernel="immediate"
        )
        client.execute(env=env)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", nargs="+", default=["00_start_here", "03_stack_audit"])
    parser.add_argument("--repeat", type=int, default=5, help="runs per lesson and language (median reported)")
    parser.add_argument("--lang", default="th", help="the language to compare with English (default th)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"lesson                 English   {args.lang:<8}  ratio   (median of {args.repeat}, load {load:.1f})")
    with tempfile.TemporaryDirectory() as folder:
        for lesson in args.lessons:
            source = ROOT / "notebooks" / f"{lesson}.ipynb"
            copies = {}
            for lang in ("en", args.lang):
                copies[lang] = Path(folder) / lang / source.name
                release_in(source, copies[lang], lang)
            time_run(copies["en"], "en")  # warm the disk cache and the kit's bytecode, not timed
            times: dict[str, list[float]] = {"en": [], args.lang: []}
            for _ in range(args.repeat):
                for lang in ("en", args.lang):
                    times[lang].append(time_run(copies[lang], lang))
            english, other = statistics.median(times["en"]), statistics.median(times[args.lang])
            print(f"{lesson:<22} {english:7.2f} s {other:7.2f} s  {other / english:5.2f}x")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
