"""Grading 30 capstone submissions, honest and hostile, in the sandbox: 2 workers against 1, in the same run.

Run: python benchmarks/bench_grading.py [--source notebooks/10_final_assessment.ipynb] [--n 30] [--keep DIR]

Builds the submissions from the released lesson: honest ones answer through the widgets (the answers are
saved inside the notebook, as JupyterLab saves them), some right, some partly right, some empty; hostile ones
carry the same kinds of answers and add a cell that loops, crashes the kernel, bombs memory or processes,
floods the output, deletes what it can see, snoops on the grader, or patches the kit; one is not a notebook.
Each submission's expected score is computed here, in this process, from the answers it carries. Then the
batch is graded one at a time and with 2 workers (same submissions, fresh gradebooks) and every score is
compared with the expected one. Prints a Markdown table; --keep DIR keeps the gradebooks and renders the
cohort report from the parallel run's gradebook.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_output

from mopskit.assess import ANSWER_MIME, answer_key, load_checks, release_notebook
from mopskit.assess._answers import to_jsonable
from mopskit.assess._forked_checks import run_checks
from mopskit.assess._grade_batch import _data_dir, grade
from mopskit.assess._gradebook import Gradebook
from mopskit.assess._sandbox import Limits
from mopskit.data.variant import use_variant

ROOT = Path(__file__).resolve().parent.parent
WIDGETS = ("choice", "number", "text", "match", "grid", "goal_builder", "plan_builder")
GUARD = "import os\nif os.path.isdir('/inbox') and os.getcwd() == '/scratch':\n"
HOSTILE = {
    "loop": "while True:\n    pass",
    "stubborn_loop": (
        "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass"
    ),
    "exit": "import os\nos._exit(1)",
    "segfault": "import ctypes\nctypes.string_at(0)",
    "memory_bomb": "hog = []\nwhile True:\n    hog.append(bytearray(2**26))",
    "fork_bomb": "import os, time\nwhile True:\n    if os.fork() == 0:\n        time.sleep(60)",
    "flood": "for _ in range(10**6):\n    print('x' * 100)",
    "rmtree": GUARD + "    import shutil\n    shutil.rmtree('/', ignore_errors=True)",
    "snoop": "import glob\nfound = [open(p).read() for p in glob.glob('/**/*.sqlite', recursive=True)]",
    "patch_kit": "import mopskit.assess._exercise as ex\nex._share = lambda outcome: 1.0\n"
    "ex.Check.run = lambda self, answer: ex.CheckResult(self.name, self.points, self.points, True, False, 'ok')",
    "raise_everywhere": "import sys\nsys.excepthook = None\nraise SystemExit('everywhere')",
}


def _carry(nb: nbformat.NotebookNode, answers: dict) -> None:
    """Put saved widget answers into the outputs of the widgets' cells, where JupyterLab keeps them."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for exercise_id, answer in answers.items():
            if re.search(rf"\b({'|'.join(WIDGETS)})\(\s*[\"']{exercise_id}[\"']", cell.source):
                bundle = {ANSWER_MIME: {"exercise": exercise_id, "answer": answer}, "text/plain": ""}
                cell.outputs = [new_output("display_data", data=bundle)]


def _kind(number: int, n: int, hostile: list[str]) -> str:
    """Every third notebook is hostile, and the last ones too until each kind of attack is in the batch."""
    slots = [i for i in range(n) if i % 3 == 2]
    slots += [i for i in range(n - 1, -1, -1) if i not in slots][: max(0, len(hostile) - len(slots))]
    slots = sorted(slots)[: len(hostile)]
    return hostile[slots.index(number)] if number in slots else "honest"


def build(source: Path, out: Path, n: int, seed: int = 11) -> dict[str, dict]:
    """Write n submissions into out/<trainee>/; return each one's carried answers (None: not a notebook)."""
    rng = random.Random(seed)
    released = out.parent / "released" / source.name
    release_notebook(source, released)
    key = {k: to_jsonable(v) for k, v in answer_key(source).items()}
    plans: dict[str, dict] = {}
    hostile = list(HOSTILE)
    for number in range(n):
        trainee = f"t{number:02d}"
        kind = _kind(number, n, hostile)
        answers = {k: v for k, v in key.items() if rng.random() < 0.85}  # some left unanswered
        for k in list(answers)[: rng.randint(0, 2)]:
            answers[k] = "not the answer"  # some wrong
        nb = nbformat.read(str(released), as_version=4)
        _carry(nb, answers)
        if kind != "honest":
            nb.cells.insert(rng.randint(2, len(nb.cells)), new_code_cell(HOSTILE[kind]))
        folder = out / trainee
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / source.name))
        plans[trainee] = {"kind": kind, "answers": answers}
    bad = out / f"t{n:02d}"
    bad.mkdir()
    (bad / source.name).write_text("{ not a notebook")
    plans[bad.name] = {"kind": "unreadable", "answers": {}}
    return plans


def expected_scores(source: Path, plans: dict[str, dict]) -> dict[str, float]:
    """Each submission's score, computed here from the answers it carries (what the grader must find)."""
    exercises = load_checks(source)
    data = _data_dir(source.stem, None)
    scores = {}
    for trainee, plan in plans.items():
        answers = {k: plan["answers"].get(k) for k in exercises}
        if data is not None:
            with use_variant(data):
                rows = run_checks(exercises, answers)
        else:
            rows = run_checks(exercises, answers)
        scores[trainee] = round(sum(r.earned for r in rows), 4)
    return scores


def run(source: Path, subs: Path, db: Path, workers: int, limits: Limits) -> tuple[float, dict[str, float]]:
    from mopskit.assess import _grade_batch

    _grade_batch._checks_cache.clear()  # both runs load the lesson's checks themselves, as a fresh grader would
    started = time.perf_counter()
    summary = grade([subs], source=source, db=db, workers=workers, limits=limits, progress=True)
    seconds = time.perf_counter() - started
    return seconds, {g.trainee: g.earned for g in summary.graded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "notebooks" / "10_final_assessment.ipynb")
    parser.add_argument("--n", type=int, default=29, help="notebooks to build (one unreadable file is added)")
    parser.add_argument("--keep", type=Path, help="keep the gradebooks here and render the cohort report")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    limits = Limits(cell_timeout=20, timeout=300, memory_mb=2048, output_mb=2)
    try:
        subs = work / "submissions"
        plans = build(args.source, subs, args.n)
        expected = expected_scores(args.source, plans)
        one_s, one = run(args.source, subs, work / "one.sqlite", 1, limits)
        two_s, two = run(args.source, subs, work / "two.sqlite", 2, limits)
        wrong = {
            t: (expected[t], one.get(t), two.get(t)) for t in expected if not expected[t] == one.get(t) == two.get(t)
        }
        hostile = sum(p["kind"] != "honest" for p in plans.values())
        print(f"\n{len(plans)} submissions ({hostile} hostile or broken) of {args.source.name}")
        print("| run | workers | wall time | per submission | speed-up |")
        print("|---|---|---|---|---|")
        print(f"| one at a time | 1 | {one_s:.1f} s | {one_s / len(plans):.2f} s | 1.00x |")
        print(f"| parallel | 2 | {two_s:.1f} s | {two_s / len(plans):.2f} s | {one_s / two_s:.2f}x |")
        print("every score as expected" if not wrong else f"SCORES DIFFER (expected, 1 worker, 2 workers): {wrong}")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for name in ("one.sqlite", "two.sqlite"):
                shutil.copy(work / name, args.keep / name)
            from mopskit.reports import run_report

            report = run_report(
                "cohort_report", parameters={"gradebook": str(args.keep / "two.sqlite")}, out_dir=args.keep
            )
            print(f"cohort report: {report.html}")
        with Gradebook(work / "two.sqlite") as book:
            print("gradebook rows:", book.counts())
        if wrong:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
