"""How the mastery view's time grows with the gradebook: 500 trainees x 10 graded submissions against 50 x 10.

Run: python benchmarks/bench_mastery.py [--sizes 50 500] [--repeat 3]

Each trainee is a hire on a path (one of the five onboarding roles) with ten graded submissions: the nine lessons
and a retake of the capstone on new data, every check of every exercise of the real lessons recorded (hidden
ones included), with a skill per trainee. The gradebooks are real SQLite files, filled in bulk (the setup is not
timed). Timed, median of --repeat runs, each from a fresh process state: reading the gradebook and judging every
trainee in every competency (``load_mastery``), then the cohort report's views of it (``role_readiness``,
``trainee_readiness``, ``role_competency_table``, ``hardest_competencies``, ``blocked``). The growth column divides
the time's growth by the gradebook's growth (check rows), against the smallest size of the same run: 1.0 or
below means the view grows no faster than the gradebook.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROLES = ("crm_admin", "campaign_manager", "data_analyst", "mops_manager", "automation_specialist")


def build(path: Path, trainees: int) -> int:
    """Fill a gradebook with ``trainees`` hires and ten graded submissions each; returns its check rows."""
    import numpy as np
    from sqlalchemy import insert

    from mopskit._resources import sources_dir
    from mopskit.assess import Gradebook, load_checks
    from mopskit.assess._gradebook import Assignment, CheckResultRow, Enrolment, Submission, Trainee

    lessons = sorted(sources_dir().glob("[0-9][0-9]_*.ipynb"))
    checks = {
        p.stem: [(ex.id, c.name, c.points, c.hidden) for ex in load_checks(p).values() for c in ex.checks.values()]
        for p in lessons
    }
    plan = [(p.stem, 1) for p in lessons] + [(lessons[-1].stem, 2)]  # nine lessons and a retake of the capstone
    rng = np.random.default_rng(2026)
    start = datetime(2026, 3, 2, tzinfo=UTC)
    people, enrolled, subs, results = [], [], [], []
    sub_id = 0
    for n in range(trainees):
        who = f"hire{n:04d}"
        people.append({"id": who, "name": f"Hire {n}", "email": f"{who}@example.org"})
        enrolled.append(
            {"trainee_id": who, "role": ROLES[n % len(ROLES)], "start_date": date(2026, 3, 2), "enrolled_at": start}
        )
        skill = 0.5 + 0.45 * rng.random()
        for number, (lesson, attempt) in enumerate(plan):
            sub_id += 1
            seed = int(hashlib.sha256(f"{who}{lesson}{attempt}".encode()).hexdigest()[:7], 16)
            when = start + timedelta(days=7 * number)
            earned_total = possible = 0.0
            for exercise, check, points, hidden in checks[lesson]:
                passed = bool(rng.random() < skill - (0.15 if hidden else 0.0) + 0.1 * (attempt - 1))
                earned = points if passed else 0.0
                earned_total, possible = earned_total + earned, possible + points
                results.append(
                    {
                        "submission_id": sub_id,
                        "exercise": exercise,
                        "check": check,
                        "points": points,
                        "earned": earned,
                        "passed": passed,
                        "hidden": hidden,
                        "answered": True,
                        "needs_review": False,
                        "message": "",
                        "hint": "",
                    }
                )
            subs.append(
                {
                    "id": sub_id,
                    "trainee_id": who,
                    "assignment_id": lesson,
                    "content_hash": f"h{sub_id}",
                    "path": "",
                    "submitted_at": when,
                    "graded_at": when,
                    "status": "graded",
                    "earned": earned_total,
                    "possible": possible,
                    "sandboxed": True,
                    "seconds": 0.0,
                    "notes": "[]",
                    "answers": "{}",
                    "variant_seed": seed,
                    "attempt": attempt,
                }
            )
    with Gradebook(path) as book, book.engine.begin() as connection:
        connection.execute(insert(Trainee), people)
        connection.execute(insert(Assignment), [{"id": p.stem, "title": p.stem, "possible": 0.0} for p in lessons])
        connection.execute(insert(Enrolment), enrolled)
        connection.execute(insert(Submission), subs)
        connection.execute(insert(CheckResultRow), results)
    return len(results)


def view(path: Path, as_of: date) -> dict[str, float]:
    """Time the mastery view once: load and judge, then the cohort report's readiness views."""
    from mopskit.assess.mastery import load_mastery
    from mopskit.assess.readiness import (
        blocked,
        hardest_competencies,
        role_competency_table,
        role_readiness,
        trainee_readiness,
    )

    started = time.perf_counter()
    mastery = load_mastery(path, as_of=as_of)
    loaded = time.perf_counter()
    readiness = role_readiness(mastery)
    trainee_readiness(readiness)
    role_competency_table(readiness)
    hardest_competencies(mastery)
    blocked(readiness)
    done = time.perf_counter()
    return {"load": loaded - started, "views": done - loaded, "total": done - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500], help="trainees per gradebook")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (the median is shown)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-mastery-"))
    as_of = date(2026, 5, 20)
    view(build(folder / "warm.sqlite", 3) and folder / "warm.sqlite", as_of)  # imports and caches, not timed
    rows = []
    for size in args.sizes:
        path = folder / f"gb-{size}.sqlite"
        built = time.perf_counter()
        checks = build(path, size)
        built = time.perf_counter() - built
        runs = [view(path, as_of) for _ in range(args.repeat)]
        median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        rows.append((size, checks, built, median, os.path.getsize(path)))
    _smallest, base_checks, _, base, _ = rows[0]
    print(f"load average {os.getloadavg()[0]:.1f} at the end; python {sys.version.split()[0]}")
    print(
        "| trainees x submissions | check rows | gradebook | load and judge | readiness views | total | "
        "time growth | gradebook growth | time growth / gradebook growth |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, checks, _built, median, file_size in rows:
        growth, data_growth = median["total"] / base["total"], checks / base_checks
        print(
            f"| {size} x 10 | {checks:,} | {file_size / 1e6:.1f} MB | {median['load']:.2f} s | "
            f"{median['views']:.2f} s | {median['total']:.2f} s | {growth:.1f}x | {data_growth:.1f}x | "
            f"{growth / data_growth:.2f} |"
        )


if __name__ == "__main__":
    main()
