"""Grading a real batch: honest and hostile submissions made here, graded in the sandbox, recorded, exported."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from grading_helpers import LESSON, make_source, needs_sandbox, released, submission

from mopskit.assess._feedback import export_grades
from mopskit.assess._grade_batch import grade
from mopskit.assess._gradebook import Gradebook
from mopskit.assess._sandbox import Limits
from mopskit.cli import main
from mopskit.errors import GradingError

pytestmark = [pytest.mark.slow, needs_sandbox]

LIMITS = Limits(cell_timeout=5, timeout=120, memory_mb=2048, output_mb=1)
RIGHT_Q1, RIGHT_Q2 = "len(survey)", "'marketing operations'"

_SPY = (
    "from pathlib import Path\n"
    "try:\n    leaked = Path({source!r}).read_text() + Path({db!r}).read_text(errors='replace')\n"
    "except OSError as exc:\n    leaked = 'blocked: ' + type(exc).__name__"
)
_PATCH = (
    "import mopskit.assess._exercise as ex\nimport mopskit.assess._answer_key as g\n"
    "ex.Check.run = lambda self, answer: ex.CheckResult(self.name, self.points, self.points, True, False, 'ok')\n"
    "ex._share = lambda outcome: 1.0\ng.grade_answers = lambda exercises, answers: []\n"
    "ex.Exercise.run = lambda self, **kw: ex.Verdict(self.id, self.title, True, [])"
)
_RMTREE = (  # only where the sandbox's own folders are: never on the host, even if grading ran unsandboxed
    "import os, shutil\nif os.path.isdir('/inbox') and os.getcwd() == '/scratch':\n"
    "    for target in ['/', {home!r}, {subs!r}, {source_dir!r}]:\n"
    "        shutil.rmtree(target, ignore_errors=True)"
)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Grade one batch of fourteen submissions, two at a time; return what grading and the gradebook say."""
    base = tmp_path_factory.mktemp("batch")
    source = make_source(base / "instructor")
    copy = released(source, base)
    subs, db = base / "submissions", base / "instructor" / "gradebook.sqlite"
    fmt = {"source": str(source), "db": str(db), "home": str(Path.home()), "subs": str(subs)}
    fmt["source_dir"] = str(source.parent)

    def make(name, **kw):
        return submission(copy, subs / name / f"{LESSON}.ipynb", **kw)

    make("ana", q1=RIGHT_Q1, q2=RIGHT_Q2)
    make("bob")
    make("cai", q1=RIGHT_Q1, q2="'marketing ops'")
    make("dan", carried={"q1": 22, "q2": "Marketing Operations"})
    make("eli", q1="5", carried={"q1": 22})
    make("fay", q1=RIGHT_Q1, q2=RIGHT_Q2, before=["while True:\n    pass"])
    make("gus", q1=RIGHT_Q1, q2=RIGHT_Q2, between=["import os\nos._exit(1)"])
    make("hal", q1=RIGHT_Q1, q2=RIGHT_Q2, between=["hog = []\nwhile True:\n    hog.append(bytearray(2**26))"])
    make("ivy", q1=RIGHT_Q1, q2=RIGHT_Q2, after=[_RMTREE.format(**fmt)])
    make("jon", q1=RIGHT_Q1, q2="leaked", before=[_SPY.format(**fmt)])
    make("kim", q1="999", after=[_PATCH])
    make("lea", q1="len(survey); raise ValueError('after setting it')", before=["raise RuntimeError('no')"])
    make("ned", q1=RIGHT_Q1, q2=RIGHT_Q2, before=["for _ in range(10**6):\n    print('x' * 100)"])
    (subs / "max").mkdir()
    (subs / "max" / f"{LESSON}.ipynb").write_text("{ this is not a notebook")
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    servers: list[int] = []  # check servers of the grader's own while results arrive: two with two workers

    def look(_graded):
        found = [p for p in psutil.Process().children() if p.pid not in before]
        servers.append(sum("mopskit.assess._check_server" in " ".join(p.cmdline()) for p in found))

    summary = grade(
        [subs], source=source, db=db, workers=2, limits=LIMITS, feedback_dir=base / "feedback", on_result=look
    )
    time.sleep(0.5)
    leftovers = [
        (p.name(), p.cmdline())
        for p in psutil.Process().children(recursive=True)
        if p.pid not in before and p.status() != psutil.STATUS_ZOMBIE
    ]
    threads = [t.name for t in threading.enumerate() if t.name.startswith("mopskit-grade")]
    by = {g.trainee: g for g in summary.graded}
    return {
        "summary": summary,
        "by": by,
        "db": db,
        "source": source,
        "subs": subs,
        "base": base,
        "copy": copy,
        "after": {"servers": servers, "leftovers": leftovers, "threads": threads},
    }


@pytest.mark.parametrize(
    ("trainee", "earned", "note"),
    [
        ("ana", 4, None),
        ("bob", 0, None),
        ("cai", 3, None),
        ("dan", 4, None),  # widget answers carried in the notebook count
        ("eli", 1, None),  # the code's answer (5) wins over the widget's (22)
        ("fay", 4, "ran past its 5 s limit"),
        ("gus", 4, "crashed the kernel"),
        ("hal", 4, "raised an error"),
        ("ivy", 4, None),
        ("jon", 3, None),
        ("kim", 1, None),  # patching the kit in the kernel changes nothing: checks run in the grader
        ("lea", 3, "raised an error"),
        ("ned", 4, "printed more than 1 MB"),
        ("max", 0, "not a readable notebook"),
    ],
)
def test_every_submission_gets_the_points_it_earned_and_a_clear_note(batch, trainee, earned, note):
    graded = batch["by"][trainee]
    assert graded.earned == earned, (trainee, graded.checks, graded.notes)
    assert graded.possible == 4
    if note:
        assert any(note in n for n in graded.notes), graded.notes


def test_hostile_submissions_harmed_nothing(batch):
    assert batch["by"]["jon"].answers["q2"].startswith("blocked"), "the source and gradebook stayed out of reach"
    assert batch["source"].is_file() and "HIDDEN CHECKS" in batch["source"].read_text()
    for name in ("ana", "bob", "cai"):
        assert (batch["subs"] / name / f"{LESSON}.ipynb").is_file()
    with Gradebook(batch["db"]) as book:
        assert book.counts()["submissions"] == 14
    assert batch["by"]["max"].status == "unreadable"


def test_gradebook_holds_one_row_per_check_and_the_scores(batch):
    with Gradebook(batch["db"]) as book:
        counts = book.counts()
        scores = book.scores().set_index("trainee")
        results = book.check_results()
    assert counts == {
        "trainees": 14,
        "assignments": 1,
        "submissions": 14,
        "check_results": 42,
        "adjustments": 0,
        "enrolments": 0,
        "releases": 0,
    }
    assert scores.loc["ana", "total"] == 4 and scores.loc["cai", "percent"] == 75.0
    hidden = results[(results["trainee"] == "eli") & results["hidden"]]
    assert hidden["check"].tolist() == ["is the row count"] and not hidden["passed"].any()
    assert hidden["hint"].tolist() == ["Use len(survey)."]


def test_rerun_skips_unchanged_and_force_replaces_without_duplicates(batch, tmp_path):
    summary = grade([batch["subs"] / "ana", batch["subs"] / "bob"], source=batch["source"], db=batch["db"])
    assert summary.graded == [] and {f.trainee for f in summary.unchanged} == {"ana", "bob"}
    assert "unchanged since last graded" in str(summary)
    forced = grade([batch["subs"] / "ana"], source=batch["source"], db=batch["db"], force=True, limits=LIMITS)
    assert [g.earned for g in forced.graded] == [4]
    with Gradebook(batch["db"]) as book:
        assert book.counts()["submissions"] == 14 and book.counts()["check_results"] == 42


def test_a_changed_submission_is_graded_again_and_the_latest_counts(batch, tmp_path):
    subs = tmp_path / "subs"
    first = submission(batch["copy"], subs / "zed" / f"{LESSON}.ipynb", q1="1")
    db = tmp_path / "gb.sqlite"
    grade([subs], source=batch["source"], db=db, limits=LIMITS)
    time.sleep(0.01)
    submission(batch["copy"], first, q1=RIGHT_Q1, q2=RIGHT_Q2)
    os.utime(first, (time.time() + 5, time.time() + 5))
    again = grade([subs], source=batch["source"], db=db, limits=LIMITS)
    assert [g.earned for g in again.graded] == [4]
    with Gradebook(db) as book:
        assert book.counts()["submissions"] == 2
        assert book.scores()["total"].tolist() == [4]


def test_export_wide_and_long_and_manual_adjustments(batch, tmp_path, capsys):
    db = batch["db"]
    adjust = ["grades", "adjust", "bob", LESSON, "1.5", "--reason", "explained it in class", "--author", "Ana"]
    assert main([*adjust, "--db", str(db)]) == 0
    wide = export_grades(db=db).splitlines()
    assert wide[0] == f"trainee,name,email,{LESSON}"
    assert "bob,,,1.5" in wide and "ana,,,4" in wide
    out = tmp_path / "long.csv"
    assert main(["grades", "export", "--long", "--out", str(out), "--db", str(db)]) == 0
    long = out.read_text().splitlines()
    assert long[0].startswith("trainee,name,email,assignment,earned,adjustment,total,possible,percent,status")
    assert any(line.startswith(f"bob,,,{LESSON},0,1.5,1.5,4,37.5,graded") for line in long)
    with Gradebook(db) as book:
        [adjustment] = book.adjustments()
        assert adjustment["author"] == "Ana" and adjustment["reason"] == "explained it in class"
        with pytest.raises(GradingError, match=r"no trainee 'nobody'.*known: ana"):
            book.adjust(trainee="nobody", assignment=LESSON, delta=1, reason="r", author="a")
        with pytest.raises(GradingError, match="needs a reason and an author"):
            book.adjust(trainee="bob", assignment=LESSON, delta=1, reason=" ", author="a")
    capsys.readouterr()
    assert main(["grades", "show", "--trainee", "cai", "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert "spells it out" in shown and "75.0" in shown


def test_feedback_page_escapes_trainee_text_and_shows_no_check_code(batch, tmp_path):
    subs = tmp_path / "subs"
    submission(batch["copy"], subs / "xss" / f"{LESSON}.ipynb", q1=RIGHT_Q1, q2="'<script>alert(1)</script>'")
    grade([subs], source=batch["source"], db=tmp_path / "gb.sqlite", limits=LIMITS, feedback_dir=tmp_path / "fb")
    page = (tmp_path / "fb" / "xss" / f"{LESSON}.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "is the row count" in page and "hidden check" in page
    assert "return answer" not in page and "def " not in page
    assert "Two words: M... O..." in page, "the hint of a failed check is shown"
    ana = (batch["base"] / "feedback" / "ana" / f"{LESSON}.html").read_text()
    assert "4 / 4" in ana and "Hint" not in ana
    fay = (batch["base"] / "feedback" / "fay" / f"{LESSON}.html").read_text()
    assert "ran past its 5 s limit" in fay


def test_a_killed_batch_resumes_with_nothing_lost_or_duplicated(batch, tmp_path):
    subs = tmp_path / "subs"
    for name in ("p1", "p2", "p3"):
        submission(batch["copy"], subs / name / f"{LESSON}.ipynb", q1=RIGHT_Q1)
    db = tmp_path / "gb.sqlite"
    command = [sys.executable, "-m", "mopskit", "grade", str(subs), "--source", str(batch["source"])]
    command += ["--db", str(db), "-q", "--memory", "2048"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and _submissions(db) < 1:
            time.sleep(0.2)
        assert _submissions(db) >= 1, "the first submission was never recorded"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    recorded = _submissions(db)
    assert recorded < 3, "killed before the end"
    summary = grade([subs], source=batch["source"], db=db, limits=LIMITS)
    assert len(summary.graded) == 3 - recorded and len(summary.unchanged) == recorded
    with Gradebook(db) as book:
        counts = book.counts()
    assert counts["submissions"] == 3 and counts["check_results"] == 9


def _submissions(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute("select count(*) from submissions").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def test_grading_refuses_without_a_sandbox_unless_told(batch, tmp_path, monkeypatch):
    import mopskit.assess._grade_batch as grading

    monkeypatch.setattr(grading, "sandbox_problem", lambda: "bubblewrap (bwrap) is not installed; install it")
    with pytest.raises(GradingError, match="bwrap"):
        grade([batch["subs"] / "ana"], source=batch["source"], db=tmp_path / "gb.sqlite")
    summary = grade(
        [batch["subs"] / "ana"], source=batch["source"], db=tmp_path / "gb.sqlite", unsandboxed=True, limits=LIMITS
    )
    assert "WITHOUT a sandbox" in str(summary)
    assert any("WITHOUT a sandbox" in n for n in summary.graded[0].notes)
    assert summary.graded[0].earned == 4


def test_bad_arguments_get_clear_errors(batch, tmp_path):
    with pytest.raises(GradingError, match="neither a notebook nor a folder"):
        grade([batch["subs"]], source=tmp_path / "nope", db=tmp_path / "gb.sqlite")
    with pytest.raises(GradingError, match="'workers' must be at least 1"):
        grade([batch["subs"]], source=batch["source"], db=tmp_path / "gb.sqlite", workers=0)
    with pytest.raises(GradingError, match=r"folder .* does not exist"):
        grade([batch["subs"]], source=batch["source"], db=tmp_path / "no" / "gb.sqlite")


def test_a_grader_failure_on_one_submission_spares_the_rest_and_is_retried(batch, tmp_path, monkeypatch):
    import mopskit.assess._grade_batch as grading

    real = grading.run_notebook

    def flaky(path, **kwargs):
        if "bob" in str(path):
            raise OSError("scratch disk unavailable")
        return real(path, **kwargs)

    monkeypatch.setattr(grading, "run_notebook", flaky)
    subs = [batch["subs"] / "ana", batch["subs"] / "bob"]
    db = tmp_path / "gb.sqlite"
    summary = grade(subs, source=batch["source"], db=db, limits=LIMITS)
    assert [g.trainee for g in summary.graded] == ["ana"]
    assert [(p.parent.name, why) for p, why in summary.failed] == [("bob", "OSError: scratch disk unavailable")]
    assert "NOT GRADED" in str(summary) and "run again to retry" in str(summary)
    monkeypatch.setattr(grading, "run_notebook", real)
    again = grade(subs, source=batch["source"], db=db, limits=LIMITS)
    assert [g.trainee for g in again.graded] == ["bob"] and not again.failed


def test_a_parallel_batch_starts_with_the_submissions_holding_most_added_code(batch, tmp_path, monkeypatch):
    import mopskit.assess._grade_batch as grading

    order: dict[int, list[str]] = {}

    def record(tasks, *, workers, scheduler=None):
        order[workers] = [t.trainee for t in tasks]
        yield from ()

    monkeypatch.setattr(grading, "_run_tasks", record)
    subs = [batch["subs"] / name for name in ("ana", "fay", "ned", "bob")]
    for workers in (1, 2):
        grade(subs, source=batch["source"], db=tmp_path / f"{workers}.sqlite", workers=workers, limits=LIMITS)
    assert order[1] == ["ana", "fay", "ned", "bob"]  # one at a time: in the order given
    # fay and ned each added a loop (ned's the longer code), ana and bob only answered: a stable sort
    assert order[2] == ["ned", "fay", "ana", "bob"]


def test_the_grade_command_is_a_thin_shell(batch, capsys):
    code = main(["grade", str(batch["subs"] / "ana"), "--source", str(batch["source"]), "--db", str(batch["db"]), "-q"])
    out = capsys.readouterr().out
    assert code == 0 and "unchanged since last graded" in out and "0 graded, 1 unchanged" in out


def test_a_dask_cluster_grades_like_the_local_workers(batch, tmp_path, capsys):
    from distributed import LocalCluster

    subs = [str(batch["subs"] / name) for name in ("ana", "cai", "gus")]
    db = tmp_path / "dask.sqlite"
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        options = ["--db", str(db), "--memory", "2048", "--cell-timeout", "5", "-q"]
        code = main(
            ["grade", *subs, "--source", str(batch["source"]), *options, "--scheduler", cluster.scheduler_address]
        )
    assert code == 0, capsys.readouterr()
    with Gradebook(db) as book:
        scores = book.scores().set_index("trainee")["total"].to_dict()
    assert scores == {t: batch["by"][t].earned for t in ("ana", "cai", "gus")}


_UNGRADABLE = {  # code answers an honest trainee could end up with, one per kind of trouble
    "q3": 'q3 = "x" * 300_000_000',  # 300 MB
    "q4": "q4 = []\nfor _ in range(200_000):\n    q4 = [q4]",  # 200,000 lists deep
    "q6": 'q6 = float("nan")',
}


def test_an_honest_capstone_with_three_ungradable_answers_keeps_every_other_point(root, tmp_path):
    import nbformat
    from nbformat.v4 import new_output

    from mopskit.assess import ANSWER_MIME, answer_key, load_checks, release_notebook
    from mopskit.assess._answers import to_jsonable

    source = root / "notebooks" / "10_final_assessment.ipynb"
    copy = tmp_path / "released" / source.name
    release_notebook(source, copy)
    key = {k: to_jsonable(v) for k, v in answer_key(source).items()}
    nb = nbformat.read(copy, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    code[0].outputs = [  # every answer given through its widget, saved in the notebook as JupyterLab saves it
        new_output("display_data", data={ANSWER_MIME: {"exercise": k, "answer": v}, "text/plain": ""})
        for k, v in key.items()
    ]
    for cell in code:  # and three code answers that cannot be graded, which win over their widgets
        for exercise_id, answer in _UNGRADABLE.items():
            if cell.source.startswith(f"{exercise_id} = ..."):
                cell.source = answer
    target = tmp_path / "subs" / "ana" / source.name
    target.parent.mkdir(parents=True)
    nbformat.write(nb, target)

    summary = grade([target.parent], source=source, db=tmp_path / "gradebook.sqlite", limits=Limits(memory_mb=3072))
    [graded] = summary.graded
    earned: dict[str, float] = {}
    for row in graded.checks:
        earned[row.exercise] = earned.get(row.exercise, 0) + row.earned
    full = {k: sum(c.points for c in ex.checks.values()) for k, ex in load_checks(source).items()}
    assert set(full) == set(key) and len(full) >= 10
    assert earned == {k: 0 if k in _UNGRADABLE else points for k, points in full.items()}, graded.notes
    notes = "\n".join(graded.notes)
    assert "q3: the answer is too large to grade" in notes
    assert "q4: the answer is nested more than 64 levels deep" in notes
    assert "q6: the answer is NaN (not a number)" in notes
    rows = [r for r in graded.checks if r.exercise in _UNGRADABLE]
    assert rows and all(r.answered and r.message.startswith("Your answer could not be graded: ") for r in rows)
    assert graded.answers["q3"] is None and graded.answers["q1"] == key["q1"]


def test_leaving_a_threaded_batch_early_takes_its_running_sandboxes_down(batch, tmp_path):
    import psutil

    from mopskit.assess._collect import content_hash
    from mopskit.assess._grade_batch import GradeTask, _run_tasks

    slow = submission(batch["copy"], tmp_path / "slow" / f"{LESSON}.ipynb", before=["import time\ntime.sleep(300)"])
    quick = tmp_path / "quick" / f"{LESSON}.ipynb"
    quick.parent.mkdir()
    quick.write_text("{ not a notebook")
    limits = Limits(cell_timeout=400, timeout=600, memory_mb=2048)
    tasks = [
        GradeTask(p.parent.name, LESSON, str(p), content_hash(p), str(batch["source"]), limits) for p in (slow, quick)
    ]
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    results = _run_tasks(tasks, workers=2)
    started = time.monotonic()
    first_task, first = next(results)
    assert first_task.trainee == "quick" and first.status == "unreadable"
    time.sleep(3)  # the slow one is in its sandbox by now
    assert any(p.name() == "bwrap" for p in psutil.Process().children(recursive=True))
    results.close()  # the caller leaves the loop (an error, Ctrl+C): the slow sandbox is stopped, not waited for
    assert time.monotonic() - started < 60
    time.sleep(1)
    leftovers = [
        (p.name(), p.status())
        for p in psutil.Process().children(recursive=True)
        if p.pid not in before and p.status() != psutil.STATUS_ZOMBIE
    ]
    assert not leftovers, "the sandbox, its kernel and the check servers are gone"


def _rows(graded):
    return sorted((r.exercise, r.check, r.earned, r.passed, r.answered, r.message) for r in graded.checks)


def test_one_and_two_workers_grade_alike_and_a_threaded_batch_leaves_nothing_behind(batch, tmp_path):
    """Seven of the batch's submissions graded again one at a time give the two-worker batch's rows and scores.

    The batch (the module's fixture) ran with two workers, a check server each, and left no check server,
    sandbox, kernel or grading thread behind.
    """
    names = ("ana", "cai", "eli", "gus", "kim", "lea", "max")  # right, partly, both answers, a crash, a patch...
    subs = [batch["subs"] / name for name in names]
    alone = grade(subs, source=batch["source"], db=tmp_path / "one.sqlite", workers=1, limits=LIMITS)
    assert [g.trainee for g in alone.graded] == sorted(names)
    for one in alone.graded:
        two = batch["by"][one.trainee]
        assert (one.earned, one.status, _rows(one)) == (two.earned, two.status, _rows(two)), one.trainee
    with Gradebook(tmp_path / "one.sqlite") as book:
        totals = book.scores().set_index("trainee")["total"].to_dict()
    assert totals == {n: batch["by"][n].earned for n in totals}, "the gradebook holds the batch's points"
    assert set(totals) == set(names), "every submission has its row, the unreadable one too"
    after = batch["after"]
    assert 2 in after["servers"], f"check servers seen as results arrived: {after['servers']}"
    assert not after["leftovers"], "no check server, sandbox or kernel outlives the batch"
    assert not after["threads"], "no grading thread outlives the batch"


def test_a_submission_in_thai_gets_its_feedback_in_thai_and_the_same_points(tmp_path):
    from mopskit.assess._release import release_in
    from mopskit.catalogs._lessons import read_catalog, update_catalog, write_catalog

    source = make_source(tmp_path / "instructor")
    catalog = tmp_path / "instructor" / "locale" / "th" / f"{LESSON}.po"
    update_catalog(source, catalog, "th")
    po = read_catalog(catalog, "th")
    thai = {"Two words: M... O...": "สองคำ: M... O...", "Rows in the survey": "จำนวนแถวในแบบสำรวจ"}
    for message in po:
        if message.id in thai:
            message.string = thai[message.id]
    write_catalog(po, catalog)
    copy = tmp_path / "released" / source.name
    release_in(source, copy, "th")
    subs = tmp_path / "subs"
    submission(copy, subs / "nok" / f"{LESSON}.ipynb", q1=RIGHT_Q1, q2="'marketing'")
    english = released(source, tmp_path / "en")
    submission(english, subs / "ann" / f"{LESSON}.ipynb", q1=RIGHT_Q1, q2="'marketing'")
    summary = grade([subs], source=source, db=tmp_path / "gb.sqlite", limits=LIMITS, feedback_dir=tmp_path / "fb")
    by = {g.trainee: g for g in summary.graded}
    assert by["nok"].lang == "th" and by["ann"].lang == "en"
    assert [(c.check, c.earned) for c in by["nok"].checks] == [(c.check, c.earned) for c in by["ann"].checks]
    page = (tmp_path / "fb" / "nok" / f"{LESSON}.html").read_text()
    assert "สองคำ: M... O..." in page and "คำใบ้:" in page and "Hint:" not in page
    assert "Two words" in (tmp_path / "fb" / "ann" / f"{LESSON}.html").read_text()
