"""Per-trainee releases: a roster, a variant per trainee, load() resolving to it, and grading against it."""

from __future__ import annotations

import json

import pytest
from grading_helpers import LESSON, make_source, needs_sandbox, submission

from mopskit.assess._grade_batch import grade
from mopskit.assess._sandbox import Limits
from mopskit.assess._variants import read_roster, release_per_trainee, variant_seed
from mopskit.cli import main
from mopskit.data import load
from mopskit.data.variant import use_variant
from mopskit.errors import ReleaseError


@pytest.mark.parametrize(
    ("raw", "encoding", "expected"),
    [
        ("id,name,email\nana,Ana Pop,ana@example.org\nbob,Bob Li,\n", "utf-8", [("ana", "Ana Pop"), ("bob", "Bob Li")]),
        ("\ufeffUsername;Full name;E-mail\nana;Ana Pop;a@x.org\n", "utf-8", [("ana", "Ana Pop")]),
        ("Name;Email\nIoana Ștefan;io@x.org\n", "utf-8", [("io@x.org", "Ioana Ștefan")]),
        ("name,email\nJosé Núñez,\n", "cp1252", [("José_Núñez", "José Núñez")]),
        ("Student ID\tName\n007\tBond\n\n", "utf-8", [("007", "Bond")]),
    ],
)
def test_roster_reads_excel_style_files(tmp_path, raw, encoding, expected):
    path = tmp_path / "roster.csv"
    path.write_bytes(raw.encode(encoding))
    assert [(p.id, p.name) for p in read_roster(path)] == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "has no trainees"),
        ("id,name\n", "has no trainees"),
        ("colour,size\nred,1\n", "no id, name or email column"),
        ("id,name\nana,A\nana,B\n", "rows 2 and 3: both are 'ana'"),
        ("id,name\n,\n,x\n", None),
    ],
)
def test_roster_problems_name_the_row_and_the_fix(tmp_path, raw, message):
    path = tmp_path / "roster.csv"
    path.write_text(raw)
    if message is None:  # a row with only a name: the name is the id
        assert [p.id for p in read_roster(path)] == ["x"]
        return
    with pytest.raises(ReleaseError, match=message):
        read_roster(path)


def test_missing_roster_is_a_clear_error(tmp_path):
    with pytest.raises(ReleaseError, match="no such file"):
        read_roster(tmp_path / "nope.csv")


def test_seed_is_a_stable_hash_of_trainee_and_assignment():
    assert variant_seed("ana", "10_final_assessment") == 1221951612  # the same on every machine and run
    assert variant_seed("ana", "05_metrics") != variant_seed("ana", "10_final_assessment")


@pytest.fixture
def cohort(tmp_path, monkeypatch):
    monkeypatch.setenv("MOPSKIT_CACHE_DIR", str(tmp_path / "cache"))
    source = make_source(tmp_path / "instructor", table="campaigns")
    roster = tmp_path / "roster.csv"
    roster.write_bytes("\ufeffid;name;email\nana;Ana Pop;ana@example.org\nbob;Bob Li;bob@example.org\n".encode())
    out = tmp_path / "released"
    assert main(["release", str(source.parent), str(out), "--per-trainee", str(roster), "-q"]) == 0
    return source, roster, out


def test_each_trainee_gets_lessons_their_own_data_and_no_answer_key(cohort, monkeypatch):
    _source, _roster, out = cohort
    counts = {}
    for trainee in ("ana", "bob"):
        folder = out / trainee
        marker = json.loads((folder / ".mopskit" / "variant.json").read_text())
        assert marker["lessons"][LESSON]["seed"] == variant_seed(trainee, LESSON)
        monkeypatch.chdir(folder)
        from mopskit.assess import start_lesson

        start_lesson(LESSON)
        counts[trainee] = len(load("campaigns"))
        start_lesson("00_other_lesson")
        assert len(load("campaigns")) == len(_bundled("campaigns")), "other lessons read the bundled data"
        texts = [p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file()]
        assert not any("HIDDEN CHECKS" in t or "@exercise('q1').solution" in t for t in texts)
    assert counts["ana"] != counts["bob"]


def _bundled(name):
    from mopskit._resources import datasets_dir

    with use_variant(datasets_dir()):
        return load(name)


@pytest.mark.slow
@needs_sandbox
def test_grader_regenerates_each_variant_so_copied_numbers_fail(cohort, tmp_path):
    source, roster, out = cohort
    from mopskit.data.variant import build_variant

    ana_count = len(_read_campaigns(build_variant(tmp_path / "check", seed=variant_seed("ana", LESSON))))
    subs = tmp_path / "subs"
    submission(
        out / "ana" / source.name, subs / "ana" / source.name, q1="len(load('campaigns'))", q2="'marketing operations'"
    )
    submission(out / "bob" / source.name, subs / "bob" / source.name, q1=str(ana_count), q2="'marketing operations'")
    summary = grade(
        [subs], source=source, db=tmp_path / "gb.sqlite", variants=True, roster=roster, limits=Limits(memory_mb=2048)
    )
    by = {g.trainee: g for g in summary.graded}
    assert by["ana"].earned == 4 and by["ana"].answers["q1"] == ana_count, by["ana"].notes
    assert by["bob"].earned == 2, "a neighbour's number passes the type check only"
    from mopskit.assess._gradebook import Gradebook

    with Gradebook(tmp_path / "gb.sqlite") as book:
        scores = book.scores().set_index("trainee")
    assert scores.loc["ana", "email"] == "ana@example.org" and scores.loc["bob", "name"] == "Bob Li"


@pytest.mark.slow
@needs_sandbox
def test_a_retake_is_graded_on_its_own_recorded_data_and_mastery_sees_two_data_sets(cohort, tmp_path):
    """After a retake, the grader uses the retake's seed from the gradebook; the first attempt's numbers fail."""
    from mopskit.assess._gradebook import Gradebook
    from mopskit.data.variant import build_variant
    from mopskit.onboarding import retake

    source, _roster, out = cohort
    db = tmp_path / "gb.sqlite"
    first_count = len(_read_campaigns(build_variant(tmp_path / "one", seed=variant_seed("ana", LESSON))))
    subs = tmp_path / "subs"
    submission(out / "ana" / source.name, subs / "ana" / source.name, q1=str(first_count), q2="'marketing operations'")
    grade([subs], source=source, db=db, variants=True, limits=Limits(memory_mb=2048))
    done = retake("ana", LESSON, directory=out / "ana", lessons=source.parent, db=db)
    assert done.attempt == 2 and done.seed == variant_seed("ana", LESSON, attempt=2)
    second_count = len(_read_campaigns(build_variant(tmp_path / "two", seed=done.seed)))
    assert second_count != first_count
    retaken = tmp_path / "retaken"
    submission(out / "ana" / source.name, retaken / "ana" / source.name, q1="len(load('campaigns'))", q2="'x'")
    stale = tmp_path / "stale"
    submission(out / "ana" / source.name, stale / "ana" / source.name, q1=str(first_count), q2="'x'")
    summary = grade([retaken], source=source, db=db, variants=True, limits=Limits(memory_mb=2048))
    [graded] = summary.graded
    assert graded.answers["q1"] == second_count and graded.earned == graded.possible - 1, graded.notes
    [again] = grade([stale], source=source, db=db, variants=True, force=True, limits=Limits(memory_mb=2048)).graded
    assert again.earned < graded.earned, "the first attempt's number does not pass on the retake's data"
    with Gradebook(db) as book:
        evidence = book.evidence()
    seeds = sorted(set(zip(evidence["variant_seed"], evidence["attempt"], strict=True)))
    assert seeds == sorted({(variant_seed("ana", LESSON), 1), (done.seed, 2)})


def _read_campaigns(folder):
    with use_variant(folder):
        return load("campaigns")


def test_per_trainee_capstone_keeps_its_company_and_varies_its_numbers(tmp_path, root):
    roster = tmp_path / "roster.csv"
    roster.write_text("id\nana\nbob\n")
    release_per_trainee(source_dir=root / "notebooks", out_dir=tmp_path / "out", roster=roster, pattern="10_*")
    stacks = {}
    for trainee in ("ana", "bob"):
        folder = tmp_path / "out" / trainee / "data" / "10_final_assessment"
        with use_variant(folder):
            stacks[trainee] = load("martech_stack")
            assert set(load("campaigns")["owner"]) <= {"Mara Lind", "Tomás Reyes", "Aiko Sato", "Femi Adeyemi"}
        assert "Marketo Engage" in set(stacks[trainee]["tool"])
    assert not stacks["ana"]["annual_cost"].equals(stacks["bob"]["annual_cost"])
    assert sorted(p.name for p in (tmp_path / "out" / "ana").glob("*.ipynb")) == ["10_final_assessment.ipynb"]
