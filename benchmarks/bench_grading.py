"""Grading 30 capstone submissions, honest and hostile, in the sandbox: 2 workers against 1, in the same run.

Run: python benchmarks/bench_grading.py [--source notebooks/10_final_assessment.ipynb] [--n 29] [--keep DIR]

Builds the submissions from the released lesson: honest ones answer through the widgets (the answers are
saved inside the notebook, as JupyterLab saves them), some right, some partly right, some empty; hostile ones
carry the same kinds of answers and add a cell that loops, crashes the kernel, bombs memory or processes,
floods the output, deletes what it can see, snoops on the grader, patches the kit, or kills every process it
can; one is not a notebook. Each submission's expected score is computed here from the answers it carries. Then
the batch is graded one at a time and with 2 workers, each by a fresh ``mopskit grade`` process (same
submissions, fresh gradebooks), and every score is compared with the expected one. Where the wall time goes:
the seconds each submission took to grade, as the gradebooks record them, summed per run and divided by the
workers; the rest is the grader's start, the gradebook, and an uneven end (one worker idle while the other
finishes).

Then the cost of grading itself: one honest submission graded (sandbox, answers, checks) against the same
notebook executed with plain nbclient, alternately, in this process once both are warm (``--repeat`` times each,
medians). Prints Markdown tables with the load average and the machine's CPU time of each run; --keep DIR keeps
the gradebooks and renders the cohort report from the parallel run's gradebook.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_output

from mopskit.assess import ANSWER_MIME, answer_key, load_checks, release_notebook
from mopskit.assess._answers import to_jsonable
from mopskit.assess._forked_checks import run_checks
from mopskit.assess._grade_batch import _data_dir
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
    "kill_everything": "import os, signal\nos.kill(-1, signal.SIGKILL)\nos.kill(os.getpid(), signal.SIGKILL)",
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


def machine_cpu() -> float:
    """Seconds of CPU the whole machine has spent (user, nice, system), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return (int(fields[0]) + int(fields[1]) + int(fields[2])) / os.sysconf("SC_CLK_TCK")


def measured(action):
    """Run ``action``; return (its value, wall seconds, machine CPU seconds, load average before and after)."""
    load, cpu, started = os.getloadavg()[0], machine_cpu(), time.perf_counter()
    value = action()
    return value, time.perf_counter() - started, machine_cpu() - cpu, (load, os.getloadavg()[0])


def run(source: Path, subs: Path, db: Path, workers: int):
    """Grade the batch with a fresh ``mopskit grade`` process, as an instructor would; scores from its gradebook.

    Also returns the seconds each submission took to grade (sandbox, answers, checks), which the gradebook
    records, summed over the batch.
    """
    command = [sys.executable, "-m", "mopskit", "grade", str(subs), "--source", str(source), "--db", str(db)]
    command += ["--workers", str(workers), "--cell-timeout", "20", "--timeout", "300", "--memory", "2048", "-q"]
    _value, seconds, cpu, load = measured(lambda: subprocess.run(command, check=False, stdout=subprocess.DEVNULL))
    with Gradebook(db) as book:
        scores = book.scores().set_index("trainee")["total"].to_dict()
    with closing(sqlite3.connect(db)) as con:
        work = con.execute("select sum(seconds) from submissions").fetchone()[0] or 0.0
    return seconds, cpu, load, {t: round(float(v), 4) for t, v in scores.items()}, work


def cost_of_grading(source: Path, notebook: Path, repeat: int) -> list[tuple[float, float]]:
    """(grading, nbclient) seconds for one honest submission, alternately, in this warm process."""
    from nbclient import NotebookClient

    from mopskit.assess._collect import content_hash
    from mopskit.assess._grade_batch import GradeTask, grade_one

    task = GradeTask("t00", source.stem, str(notebook), content_hash(notebook), str(source), Limits(memory_mb=2048))
    pairs = []
    for number in range(repeat + 1):  # the first pair warms both up and is not counted
        started = time.perf_counter()
        grade_one(task)
        graded = time.perf_counter() - started
        folder = Path(tempfile.mkdtemp(prefix="bench-nbclient-"))
        nb = nbformat.read(str(notebook), as_version=4)
        started = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
        executed = time.perf_counter() - started
        shutil.rmtree(folder, ignore_errors=True)
        if number:
            pairs.append((graded, executed))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "notebooks" / "10_final_assessment.ipynb")
    parser.add_argument("--n", type=int, default=29, help="notebooks to build (one unreadable file is added)")
    parser.add_argument("--repeat", type=int, default=3, help="pairs of the grading against nbclient comparison")
    parser.add_argument("--keep", type=Path, help="keep the gradebooks here and render the cohort report")
    args = parser.parse_args()
    if args.n <= len(HOSTILE):  # every kind of attack is in the batch; the cost comparison needs an honest one
        parser.error(
            f"--n {args.n} leaves no honest submission: give at least {len(HOSTILE) + 1} ({len(HOSTILE)} hostile)"
        )
    if args.repeat < 1:
        parser.error(f"--repeat {args.repeat}: give at least 1 pair")
    if not args.source.is_file():
        parser.error(f"--source {args.source}: no such notebook")
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        subs = work / "submissions"
        plans = build(args.source, subs, args.n)
        expected = expected_scores(args.source, plans)
        one_s, one_cpu, one_load, one, one_work = run(args.source, subs, work / "one.sqlite", 1)
        two_s, two_cpu, two_load, two, two_work = run(args.source, subs, work / "two.sqlite", 2)
        wrong = {
            t: (expected[t], one.get(t), two.get(t)) for t in expected if not expected[t] == one.get(t) == two.get(t)
        }
        hostile = sum(p["kind"] != "honest" for p in plans.values())
        print(f"\n{len(plans)} submissions ({hostile} hostile or broken) of {args.source.name}")
        print("| run | workers | wall time | per submission | speed-up | machine CPU | load average before, after |")
        print("|---|---|---|---|---|---|---|")
        for label, workers, seconds, cpu, load in (
            ("one at a time", 1, one_s, one_cpu, one_load),
            ("parallel", 2, two_s, two_cpu, two_load),
        ):
            print(
                f"| {label} | {workers} | {seconds:.1f} s | {seconds / len(plans):.2f} s | {one_s / seconds:.2f}x "
                f"| {cpu:.1f} s | {load[0]:.2f}, {load[1]:.2f} |"
            )
        print("every score as expected" if not wrong else f"SCORES DIFFER (expected, 1 worker, 2 workers): {wrong}")
        print("\nwhere the wall time goes (the grading of each submission: sandbox, answers, checks)")
        print("| run | grading work, summed | work / workers | the rest (start, gradebook, uneven end) |")
        print("|---|---|---|---|")
        for label, workers, seconds, spent in (("one at a time", 1, one_s, one_work), ("parallel", 2, two_s, two_work)):
            print(f"| {label} | {spent:.1f} s | {spent / workers:.1f} s | {seconds - spent / workers:.1f} s |")
        print(f"each submission took {two_work / one_work:.2f}x as long when graded two at a time")
        honest = max((t for t, p in plans.items() if p["kind"] == "honest"), key=lambda t: len(plans[t]["answers"]))
        load = os.getloadavg()[0]
        pairs = cost_of_grading(args.source, subs / honest / args.source.name, args.repeat)
        graded = statistics.median(g for g, _ in pairs)
        executed = statistics.median(e for _, e in pairs)
        print(
            f"\none honest submission ({honest}), {args.repeat} pairs, load average {load:.2f} before, "
            f"{os.getloadavg()[0]:.2f} after"
        )
        print("| run | median | each |")
        print("|---|---|---|")
        print(f"| plain nbclient | {executed:.2f} s | {', '.join(f'{e:.2f}' for _, e in pairs)} |")
        print(f"| graded (sandbox, answers, checks) | {graded:.2f} s | {', '.join(f'{g:.2f}' for g, _ in pairs)} |")
        print(f"grading costs {graded / executed:.2f}x the plain run")
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
