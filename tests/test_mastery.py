"""Mastery per trainee and competency from a real gradebook: the rule, its levels, variants, decay, old gradebooks."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from mopskit.assess import Gradebook
from mopskit.assess._gradebook import CheckRow, GradedSubmission
from mopskit.assess.mastery import (
    LEVELS,
    MasteryRule,
    competency_tags,
    level_label,
    level_rank,
    load_mastery,
    mastery_rule,
)
from mopskit.content import load_yaml
from mopskit.errors import MopskitError, ParameterError
from mopskit.facts import leaf_competencies

DAY = datetime(2026, 3, 2, 10, tzinfo=UTC)
# Real lessons' exercises and the competencies they are tagged with (read from the lessons, checked below)
QUALITY = [("05_metrics", "q10"), ("05_metrics", "q11")]  # data.quality
EMAIL_05 = [("05_metrics", "q1"), ("05_metrics", "q2")]  # metrics.email
EMAIL_10 = [("10_final_assessment", "q4"), ("10_final_assessment", "q5")]  # metrics.email
SMART_04 = [("04_smart_goals", "q1"), ("04_smart_goals", "q2")]  # goals.smart


def test_the_exercises_used_here_carry_the_tags_assumed():
    tags = competency_tags()
    tagged = {(a, e): set(g["competency"]) for (a, e), g in tags.groupby(["assignment", "exercise"])}
    assert all(tagged[k] == {"data.quality"} for k in QUALITY)
    assert all(tagged[k] == {"metrics.email"} for k in EMAIL_05 + EMAIL_10)
    assert all(tagged[k] == {"goals.smart"} for k in SMART_04)


def _submit(book, trainee, exercises, share, *, when=DAY, seed=None, attempt=None, answered=True, tag=""):
    """One graded submission whose checks on ``exercises`` earn ``share`` of their points (2 points each)."""
    assignment = exercises[0][0]
    rows = []
    for _, exercise in exercises:
        rows.append(CheckRow(exercise, "public", 1.0, 1.0 if share >= 0.5 else 0.0, share >= 0.5, False, answered))
        rows.append(CheckRow(exercise, "hidden", 1.0, 1.0 if share >= 1 else 0.0, share >= 1, True, answered))
    graded = GradedSubmission(
        trainee, assignment, f"{trainee}-{assignment}-{when}-{seed}{tag}", "x", when, "graded", rows
    )
    graded.variant_seed, graded.attempt = seed, attempt
    book.record(graded)


@pytest.fixture
def gradebook(tmp_path):
    path = tmp_path / "gb.sqlite"
    with Gradebook(path) as book:
        book.enrol("nia", role="crm_admin", start=date(2026, 3, 2), name="Nia Never")  # nothing graded
        _submit(book, "pat", QUALITY, 0.5)  # practising: half the points
        _submit(book, "pro", QUALITY, 1.0)  # proficient, once
        _submit(book, "mia", EMAIL_05, 1.0)  # the sample company's data...
        _submit(book, "mia", EMAIL_10, 1.0, when=DAY + timedelta(days=10), seed=111, attempt=1)  # ...and Larkspur's
        _submit(book, "ret", SMART_04, 1.0, seed=1, attempt=1)  # a retake on new data: two variants of one lesson
        _submit(book, "ret", SMART_04, 1.0, when=DAY + timedelta(days=7), seed=2, attempt=2)
        _submit(book, "sam", SMART_04, 1.0, seed=1, attempt=1)  # the same data twice: one variant
        _submit(book, "sam", SMART_04, 1.0, when=DAY + timedelta(days=7), seed=1, attempt=1, tag="again")
        _submit(book, "una", QUALITY, 0.0, answered=False)  # submitted blank: no evidence
    return path


def _level(mastery, trainee, competency):
    return mastery.level(trainee, competency)


def test_each_level_from_graded_evidence(gradebook):
    mastery = load_mastery(gradebook, as_of="2026-03-20")
    assert _level(mastery, "nia", "data.quality") == "not_started"
    assert _level(mastery, "una", "data.quality") == "not_started", "a blank submission is no evidence"
    assert _level(mastery, "pat", "data.quality") == "practising"
    assert _level(mastery, "pro", "data.quality") == "proficient"
    assert _level(mastery, "mia", "metrics.email") == "mastered", "two companies' data: two data sets"
    assert _level(mastery, "ret", "goals.smart") == "mastered", "a retake on a new seed is a second data set"
    assert _level(mastery, "sam", "goals.smart") == "proficient", "the same seed twice is one data set"
    row = mastery.levels.set_index(["trainee", "competency"]).loc[("pat", "data.quality")]
    assert (row["evidence"], row["best_share"], row["assignments"]) == (1, 0.5, "05_metrics")
    assert set(mastery.levels["trainee"]) == {"nia", "una", "pat", "pro", "mia", "ret", "sam"}
    assert len(mastery.levels) == 7 * len(leaf_competencies()), "every trainee in every competency with no children"


def test_mastery_decays_as_evidence_ages_and_later_work_is_not_counted(gradebook):
    rule = mastery_rule()
    latest = DAY.date() + timedelta(days=10)  # mia's last proficient evidence
    at = {d: load_mastery(gradebook, as_of=latest + timedelta(days=d)) for d in (0, 91, 181)}
    assert rule.mastered_within_days == 90 and rule.proficient_within_days == 180
    assert _level(at[0], "mia", "metrics.email") == "mastered"
    assert _level(at[91], "mia", "metrics.email") == "proficient", "mastery falls back after 90 days"
    assert _level(at[181], "mia", "metrics.email") == "practising", "proficiency falls back after 180 days"
    before = load_mastery(gradebook, as_of=DAY.date() + timedelta(days=3))
    assert _level(before, "mia", "metrics.email") == "proficient", "the Larkspur work came later"
    assert _level(load_mastery(gradebook, as_of="2026-03-01"), "pro", "data.quality") == "not_started"


def test_the_rule_is_data_and_another_rule_judges_differently(gradebook):
    assert mastery_rule() == MasteryRule(**load_yaml("onboarding")["mastery"])
    lenient = MasteryRule(proficient_share=0.5, mastered_variants=1)
    mastery = load_mastery(gradebook, as_of="2026-03-20", rule=lenient)
    assert _level(mastery, "pat", "data.quality") == "mastered"
    assert mastery.rule == lenient


@pytest.mark.parametrize(
    "values, message",
    [
        ({"proficient_share": 0}, "'proficient_share' must be above 0"),
        ({"mastered_variants": 0}, "'mastered_variants' must be 1 or more"),
        ({"mastered_within_days": 400}, "'mastered_within_days' must be above 0 and at most"),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused(values, message):
    with pytest.raises(MopskitError, match=message):
        MasteryRule(**values)


def test_levels_in_order_with_labels():
    assert [level_rank(level) for level in LEVELS] == [0, 1, 2, 3]
    assert level_label("mastered") == "Mastered"
    with pytest.raises(MopskitError, match="unknown mastery level 'expert'; valid: not_started"):
        level_rank("expert")


def test_a_bad_day_or_lessons_folder_is_refused(gradebook, tmp_path):
    with pytest.raises(ParameterError, match="'as_of' must be a date written YYYY-MM-DD"):
        load_mastery(gradebook, as_of="20/03/2026")
    with pytest.raises(ParameterError, match="no lessons at"):
        load_mastery(gradebook, lessons=tmp_path / "nope")


def test_a_gradebook_from_before_onboarding_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite"
    with Gradebook(path) as book:
        _submit(book, "pro", QUALITY, 1.0)
    with sqlite3.connect(path) as db:  # as an earlier version made it: no variant or attempt columns
        db.execute("ALTER TABLE submissions DROP COLUMN variant_seed")
        db.execute("ALTER TABLE submissions DROP COLUMN attempt")
        db.execute("DROP TABLE enrolments")
        assert "variant_seed" not in {row[1] for row in db.execute("PRAGMA table_info(submissions)")}
    mastery = load_mastery(path, as_of="2026-03-20")
    assert _level(mastery, "pro", "data.quality") == "proficient"
    with sqlite3.connect(path) as db:
        assert {"variant_seed", "attempt"} <= {row[1] for row in db.execute("PRAGMA table_info(submissions)")}


def test_evidence_is_every_submission_summed_per_exercise(gradebook):
    with Gradebook(gradebook) as book:
        evidence = book.evidence()
    ret = evidence[evidence["trainee"] == "ret"].sort_values(["attempt", "exercise"])
    assert ret[["exercise", "earned", "points", "variant_seed", "attempt"]].values.tolist() == [
        ["q1", 2.0, 2.0, 1, 1],
        ["q2", 2.0, 2.0, 1, 1],
        ["q1", 2.0, 2.0, 2, 2],
        ["q2", 2.0, 2.0, 2, 2],
    ]
    assert evidence[evidence["trainee"] == "una"]["answered"].tolist() == [False, False]
