"""Onboarding by role: paths from the roles' needs and the lessons' tags, rosters, workspaces, home pages, retakes."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import nbformat
import pytest

from mopskit._resources import datasets_dir, sources_dir
from mopskit.assess import Gradebook, answer_key, to_jsonable, variant_seed
from mopskit.assess.coverage import exercise_tags
from mopskit.assess.mastery import LEVELS
from mopskit.cli import main
from mopskit.content import load_yaml
from mopskit.data.variant import MARKER, data_dir, lesson_scope
from mopskit.errors import MopskitError, OnboardingError, WorkspaceError
from mopskit.facts import leaf_competencies
from mopskit.onboarding import (
    HOME_CODE,
    PLAN_FILE,
    onboard,
    path_progress,
    prepare_workspace_for,
    read_hires,
    retake,
    role_path,
    working_days,
)
from mopskit.roles import role, roles
from mopskit.workspace import HOME_NOTEBOOK

SOURCES = sources_dir()
LESSONS = sorted(SOURCES.glob("[0-9][0-9]_*.ipynb"))
MONDAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def few_lessons(tmp_path_factory):
    """Four source lessons, so a path holds few lessons and builds one data variant (04_smart_goals)."""
    folder = tmp_path_factory.mktemp("lessons")
    for name in ("00_start_here", "01_what_is_mops", "04_smart_goals", "05_metrics"):
        shutil.copy(SOURCES / f"{name}.ipynb", folder / f"{name}.ipynb")
    return folder


def _roster(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --- the roles' needs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("r", roles(), ids=lambda r: r.id)
def test_every_role_needs_known_competencies_at_a_target_level(r):
    leaves = {c.id for c in leaf_competencies()}
    assert r.needs, f"{r.id} names no competency"
    assert {c for c, _ in r.needs} <= leaves
    assert {level for _, level in r.needs} <= set(LEVELS[2:])
    assert len({c for c, _ in r.needs}) == len(r.needs)


@pytest.mark.parametrize(
    "title, expected",
    [
        ("CRM administrator", "crm_admin"),
        ("campaign manager", "campaign_manager"),
        ("Marketing analyst", "data_analyst"),
        ("data analyst", "data_analyst"),
        ("MOps lead", "mops_manager"),
        ("mops  manager", "mops_manager"),
        ("Marketing automation specialist", "automation_specialist"),
    ],
)
def test_the_onboarding_roles_are_found_by_the_titles_hiring_managers_use(title, expected):
    assert role(title).id == expected


def test_a_path_holds_every_lesson_that_assesses_a_need_in_order_with_working_day_dates():
    path = role_path("data_analyst", start=date(2026, 3, 7))  # a Saturday: the path starts on Monday
    assessing = {
        t.lesson for nb in LESSONS for t in exercise_tags(nb) if set(t.competencies) & {c for c, _ in path_needs()}
    }
    assert path.lesson_ids() == sorted(assessing | {"00_start_here"})
    assert path.start == date(2026, 3, 9)
    days = load_yaml("onboarding")["schedule"]
    previous = None
    for planned in path.lessons:
        assert planned.start.weekday() < 5 and planned.due.weekday() < 5
        expected = days["lesson_days"].get(planned.lesson, days["days_per_lesson"])
        assert len(working_days(planned.start, 30)[: [*working_days(planned.start, 30)].index(planned.due) + 1]) == (
            expected
        )
        if previous:
            assert planned.start == working_days(previous.due, 2)[1], "each lesson starts the next working day"
        previous = planned
    metrics = next(p for p in path.lessons if p.lesson == "05_metrics")
    assert set(metrics.competencies) == {
        "metrics.email",
        "metrics.funnel",
        "metrics.money",
        "metrics.experiments",
        "metrics.attribution",
        "data.quality",
    }
    assert path.untaught == []


def lessons_without(folder, *left_out):
    """A copy of the kit's lessons in ``folder`` without the lessons named (for needs no lesson assesses)."""
    folder.mkdir(parents=True, exist_ok=True)
    for lesson in sorted(sources_dir().glob("[0-9][0-9]_*.ipynb")):
        if lesson.stem not in left_out:
            shutil.copy(lesson, folder / lesson.name)
    return folder


def path_needs():
    return role("data_analyst").needs


def test_a_role_whose_needs_no_lesson_assesses_says_so(tmp_path):
    lessons = lessons_without(tmp_path, "08_lead_management", "10_final_assessment")  # those assessing the lead needs
    path = role_path("lead_rotation", start=MONDAY, lessons=lessons)
    assert set(path.untaught) == {"leads.handover", "leads.qualify"}
    assert "not assessed by any lesson yet" not in str(path.untaught)
    assert all(n.lessons == () for n in path.needs if n.competency.startswith("leads."))


def test_an_unknown_role_lists_the_valid_ones():
    with pytest.raises(MopskitError, match=r"unknown role 'growth hacker'; valid: .*crm_admin"):
        role_path("growth hacker", start=MONDAY)


def test_lessons_whose_data_everyone_shares_read_no_varied_table_or_name_rows_of_the_sample_data():
    for lesson in load_yaml("onboarding")["shared_data"]:
        text = (SOURCES / f"{lesson}.ipynb").read_text(encoding="utf-8")
        tables = set(re.findall(r'load\(\\"(\w+)', text))
        named_rows = re.findall(r"CMP-\d{4}", text)
        assert tables <= {"mops_tasks_survey"} or named_rows, f"{lesson} reads {tables}: give it a variant per hire"


@pytest.mark.slow
def test_every_lesson_with_a_variant_per_hire_earns_full_points_from_its_answer_key_on_a_variant():
    """A hire's own data must not break a lesson: its checks and answer key run on another seed's data."""
    from mopskit.assess import grade_answers, load_checks
    from mopskit.data.variant import cached_variant, scenario_options, use_variant

    shared = set(load_yaml("onboarding")["shared_data"])
    for source in [nb for nb in LESSONS if nb.stem not in shared]:
        with use_variant(cached_variant(variant_seed("trainee-x", source.stem), **scenario_options(source.stem))):
            exercises = load_checks(source)
            key = {k: to_jsonable(ex.expected()) for k, ex in exercises.items()}
            wrong = [v.exercise_id for v in grade_answers(exercises, key) if v.status != "correct"]
        assert wrong == [], f"{source.stem} on a variant: its answer key fails {wrong}; list it in shared_data"


# --- rosters -------------------------------------------------------------------------------------------------


def test_a_roster_saved_by_excel_is_read(tmp_path):
    text = "\ufeffName;E-mail;Role;Start date\r\nAna Pop;ana@acme.example;CRM administrator;2026-03-02\r\n"
    text += "Bogdan Ionescu;bogdan@acme.example;Marketing analyst;2026-03-09\r\n"
    hires = read_hires(_roster(tmp_path / "hires.csv", text, "utf-8"))
    assert [(h.id, h.role, h.start, h.row) for h in hires] == [
        ("ana@acme.example", "crm_admin", MONDAY, 2),
        ("bogdan@acme.example", "data_analyst", date(2026, 3, 9), 3),
    ]
    cp1252 = _roster(
        tmp_path / "cp.csv", "name;email;role;first day\r\nJosé Núñez;jose@x.example;MOps lead;2026-04-01\r\n", "cp1252"
    )
    [hire] = read_hires(cp1252)
    assert (hire.name, hire.role) == ("José Núñez", "mops_manager")


def test_every_bad_row_is_named_with_its_column_and_fix(tmp_path):
    text = "id,name,email,role,start date\n"
    text += "ana,Ana,ana@x.example,Growth hacker,2026-03-02\n"
    text += "bo,Bo,bo@x.example,CRM administrator,13/03/2026\n"
    text += "cy,Cy,cy@x.example,,\n"
    text += "di,Di,di@x.example,campaign manager,2026-03-02\n"
    with pytest.raises(OnboardingError) as info:
        read_hires(_roster(tmp_path / "hires.csv", text))
    message = str(info.value)
    assert "4 problem(s), nothing released" in message
    assert "row 2: 'role' is 'Growth hacker', a role the kit does not know; give one of: email_operations" in message
    assert "row 3: 'start date' must be a date written YYYY-MM-DD" in message and "2026-03-13" in message
    assert "row 4: 'role' is empty" in message and "row 4: 'start date' is empty" in message
    assert "row 5" not in message
    assert len(info.value.problems) == 4


@pytest.mark.parametrize(
    "text, message",
    [
        ("name,email\nAna,ana@x.example\n", "has no 'role' or 'start date' column (found: only id, name and email)"),
        ("name,email,role\nAna,ana@x.example,crm_admin\n", "has no 'start date' column (found: role)"),
        ("", "has no trainees"),
        ("id,name,email,role,start\na,A,a@x,crm_admin,2026-03-02\na,B,b@x,crm_admin,2026-03-02\n", "rows 2 and 3"),
    ],
)
def test_a_roster_that_cannot_be_read_says_why(tmp_path, text, message):
    with pytest.raises(OnboardingError, match=re.escape(message)):
        read_hires(_roster(tmp_path / "hires.csv", text))


def test_a_missing_roster_is_named(tmp_path):
    with pytest.raises(OnboardingError, match="no such file"):
        read_hires(tmp_path / "nope.csv")


# --- one person's workspace (what a JupyterHub spawner calls) ------------------------------------------------


@pytest.fixture(scope="module")
def hire(tmp_path_factory, few_lessons):
    """A marketing analyst's workspace, found in a roster by the part of the email before @ (a hub user name)."""
    root = tmp_path_factory.mktemp("hire")
    roster = _roster(
        root / "hires.csv", "name,email,role,start date\nAna Pop,ana@acme.example,Marketing analyst,2026-03-02\n"
    )
    db = root / "gb.sqlite"
    prepared = prepare_workspace_for("ana", directory=root / "home" / "ana", roster=roster, lessons=few_lessons, db=db)
    return prepared, db


def test_the_workspace_holds_the_path_its_own_data_and_a_home_page(hire, few_lessons):
    prepared, db = hire
    folder = prepared.workspace
    assert prepared.path.role == "data_analyst"
    assert prepared.path.lesson_ids() == ["00_start_here", "04_smart_goals", "05_metrics"]  # 01: nothing it needs
    assert sorted(p.name for p in folder.glob("*.ipynb")) == [
        "00_start_here.ipynb",
        "04_smart_goals.ipynb",
        "05_metrics.ipynb",
        HOME_NOTEBOOK,
    ]
    released = (folder / "05_metrics.ipynb").read_text(encoding="utf-8")
    assert "HIDDEN CHECKS" not in released and "# SOLUTION" not in released
    assert prepared.seeds == {"04_smart_goals": variant_seed("ana", "04_smart_goals")}, "00 and 05 share data"
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert marker["lessons"]["04_smart_goals"] == {
        "seed": prepared.seeds["04_smart_goals"],
        "data": "data/04_smart_goals",
        "attempt": 1,
    }
    plan = json.loads((folder / PLAN_FILE).read_text(encoding="utf-8"))
    assert (plan["trainee"], plan["name"], plan["path"]["role"]) == ("ana", "Ana Pop", "data_analyst")
    home = nbformat.read(folder / HOME_NOTEBOOK, as_version=4)
    assert HOME_CODE in [c.source for c in home.cells]
    assert (folder / "datasets" / "campaigns.csv").is_file()
    with Gradebook(db) as book:
        enrolled = book.enrolments()
        assert enrolled[["trainee", "name", "email", "role"]].values.tolist() == [
            ["ana", "Ana Pop", "ana@acme.example", "data_analyst"]
        ]
        assert book.latest_release("ana", "04_smart_goals") == (1, prepared.seeds["04_smart_goals"])


def test_the_lessons_read_the_hires_own_data_in_their_workspace(hire, monkeypatch):
    prepared, _db = hire
    monkeypatch.chdir(prepared.workspace)  # a kernel started in the workspace
    with lesson_scope("04_smart_goals"):
        assert data_dir() == (prepared.workspace / "data" / "04_smart_goals").resolve()
    with lesson_scope("05_metrics"):
        assert data_dir() == datasets_dir(), "05_metrics names rows of the sample data: everyone shares it"


def test_preparing_again_keeps_the_trainees_work_and_their_data(hire, few_lessons):
    prepared, db = hire
    lesson = prepared.workspace / "04_smart_goals.ipynb"
    nb = nbformat.read(lesson, as_version=4)
    nb.cells[0].source += "\n\nMy own note."
    nbformat.write(nb, lesson)
    stamp = (prepared.workspace / "data" / "04_smart_goals" / "campaigns.csv").stat().st_mtime_ns
    again = prepare_workspace_for(
        "ana", "data analyst", directory=prepared.workspace, start="2026-03-02", lessons=few_lessons, db=db
    )
    assert "My own note." in lesson.read_text(encoding="utf-8")
    assert (prepared.workspace / "data" / "04_smart_goals" / "campaigns.csv").stat().st_mtime_ns == stamp
    assert not [p for p in again.added if p.suffix == ".ipynb" and p.name != HOME_NOTEBOOK]
    assert again.seeds == prepared.seeds


def test_a_user_not_in_the_roster_and_no_role_is_a_clear_error(tmp_path, few_lessons):
    roster = _roster(tmp_path / "hires.csv", "name,email,role,start date\nAna,ana@x.example,crm_admin,2026-03-02\n")
    with pytest.raises(OnboardingError, match="'zed' is not in the roster"):
        prepare_workspace_for("zed", directory=tmp_path / "zed", roster=roster, lessons=few_lessons)
    with pytest.raises(OnboardingError, match="no role for 'zed'"):
        prepare_workspace_for("zed", directory=tmp_path / "zed", lessons=few_lessons)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OnboardingError, match="is a file, not a folder"):
        prepare_workspace_for("zed", "crm_admin", directory=tmp_path / "file", lessons=few_lessons)


# --- the home page ----------------------------------------------------------------------------------------------


def test_the_home_page_shows_due_dates_status_and_practice_per_skill(hire, monkeypatch):
    prepared, _db = hire
    folder = prepared.workspace
    monkeypatch.chdir(folder)  # as the home page's kernel runs: the hire's own data
    monkeypatch.delenv("MOPSKIT_ANSWERS_DIR")  # answers beside the lessons, as in the hire's JupyterLab
    before = path_progress(folder, today=date(2026, 3, 3))
    assert [(s.planned.lesson, s.status) for s in before.lessons] == [
        ("00_start_here", "overdue"),
        ("04_smart_goals", "in progress"),
        ("05_metrics", "upcoming"),
    ]
    key = {k: to_jsonable(v) for k, v in answer_key(SOURCES / "05_metrics.ipynb").items()}
    (folder / ".mopskit").mkdir(exist_ok=True)
    (folder / ".mopskit" / "05_metrics.answers.json").write_text(
        json.dumps({"q10": key["q10"], "q11": key["q11"]}), encoding="utf-8"
    )
    after = path_progress(folder, today=date(2026, 3, 3))
    quality = next(s for s in after.skills if s.need.competency == "data.quality")
    assert (quality.exercises, quality.answered, quality.correct) == (2, 2, 2)
    email = next(s for s in after.skills if s.need.competency == "metrics.email")
    assert (email.answered, email.correct) == (0, 0)
    page = after._repr_html_()
    assert 'data-lesson="05_metrics" data-status="in progress"' in page, "answers count as started"
    assert "Measure and fix data quality" in page and "2 of 2 exercises correct" in page
    assert "Mon 02 Mar" in page and "Wed 04 Mar" in page, "due dates: 00 takes one day, 04 two"
    assert "Your path as Marketing data analyst" in str(after)
    early = path_progress(folder, today=date(2026, 2, 20))
    assert [s.status for s in early.lessons] == ["upcoming", "upcoming", "in progress"]


def test_the_home_page_of_a_folder_without_a_path_says_what_to_do(tmp_path):
    with pytest.raises(WorkspaceError, match="holds no onboarding path"):
        path_progress(tmp_path)


# --- a roster at once, and retakes -----------------------------------------------------------------------------


def test_onboard_releases_every_hire_and_writes_the_schedule(tmp_path, few_lessons, capsys):
    roster = _roster(
        tmp_path / "hires.csv",
        "id,name,email,role,start date\nana,Ana,ana@x.example,MOps lead,2026-03-02\n"
        "bo,Bo,bo@x.example,CRM administrator,2026-03-04\n",
    )
    code = main(
        [
            "onboard",
            str(roster),
            "--out",
            str(tmp_path / "out"),
            "--source",
            str(few_lessons),
            "--no-variants",
            "--no-db",
            "-q",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "ana: Marketing operations manager, 4 lessons from Mon 02 Mar 2026" in out
    assert "2 hire(s) onboarded" in out
    schedule = (tmp_path / "out" / "schedule.csv").read_text(encoding="utf-8").splitlines()
    assert schedule[0] == "trainee,name,email,role,lesson,title,start,due,competencies"
    assert schedule[1].startswith("ana,Ana,ana@x.example,mops_manager,00_start_here,")
    assert any(line.startswith("bo,Bo,bo@x.example,crm_admin,05_metrics,") for line in schedule)
    assert not (tmp_path / "out" / "ana" / "data").exists(), "--no-variants: the data everyone shares"
    assert not (tmp_path / "gradebook.sqlite").exists()


def test_onboard_refuses_a_bad_roster_before_writing_anything(tmp_path, few_lessons, capsys):
    roster = _roster(tmp_path / "hires.csv", "name,email,role,start date\nAna,a@x,CRM administrator,2026-02-30\n")
    assert main(["onboard", str(roster), "--out", str(tmp_path / "out"), "--source", str(few_lessons), "-q"]) == 1
    assert "row 2: 'start date' must be a date" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_retake_gets_new_data_keeps_the_first_attempt_and_is_recorded(tmp_path, few_lessons, capsys):
    db = tmp_path / "gb.sqlite"
    onboard(
        _roster(
            tmp_path / "hires.csv", "id,name,email,role,start date\nana,Ana,ana@x.example,data analyst,2026-03-02\n"
        ),
        out_dir=tmp_path / "out",
        lessons=few_lessons,
        db=db,
    )
    folder = tmp_path / "out" / "ana"
    (folder / ".mopskit").mkdir(exist_ok=True)
    (folder / ".mopskit" / "04_smart_goals.answers.json").write_text('{"q1": 12.5}', encoding="utf-8")
    first_seed = variant_seed("ana", "04_smart_goals")
    code = main(
        ["release", str(few_lessons), str(tmp_path / "out"), "--retake", "ana", "04_smart_goals", "--db", str(db)]
    )
    assert code == 0
    second_seed = variant_seed("ana", "04_smart_goals", attempt=2)
    assert "attempt 2 of 04_smart_goals released" in capsys.readouterr().out
    assert second_seed != first_seed
    assert (folder / "attempts" / "04_smart_goals.attempt-1.ipynb").is_file()
    answers = folder / "attempts" / "04_smart_goals.attempt-1.answers.json"
    assert answers.read_text(encoding="utf-8") == '{"q1": 12.5}'
    assert not (folder / ".mopskit" / "04_smart_goals.answers.json").exists(), "the fresh copy starts unanswered"
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))["lessons"]["04_smart_goals"]
    assert marker == {"seed": second_seed, "data": "data/04_smart_goals-attempt-2", "attempt": 2}
    first = (folder / "data" / "04_smart_goals" / "email_events.csv").read_bytes()
    assert (folder / "data" / "04_smart_goals-attempt-2" / "email_events.csv").read_bytes() != first
    with Gradebook(db) as book:
        releases = book.releases()
        assert releases[["assignment", "attempt", "seed"]].values.tolist() == [
            ["04_smart_goals", 1, first_seed],
            ["04_smart_goals", 2, second_seed],
        ]
    third = retake("ana", "04_smart_goals", directory=folder, lessons=few_lessons, db=db)
    assert third.attempt == 3 and third.seed == variant_seed("ana", "04_smart_goals", attempt=3)
    shared = retake("ana", "05_metrics", directory=folder, lessons=few_lessons, db=db)
    assert shared.seed is None and shared.attempt == 2 and "shares" in str(shared)


def test_a_retake_of_something_unknown_is_refused(tmp_path, few_lessons):
    with pytest.raises(OnboardingError, match="no workspace for 'zed'"):
        retake("zed", "04_smart_goals", directory=tmp_path / "zed", lessons=few_lessons, db=None)
    (tmp_path / "zed").mkdir()
    with pytest.raises(OnboardingError, match="unknown lesson '99_nope'; valid: 00_start_here, 01_what_is_mops"):
        retake("zed", "99_nope", directory=tmp_path / "zed", lessons=few_lessons, db=None)
