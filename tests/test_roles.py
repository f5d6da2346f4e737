"""The role catalog, task matching, team recommendation, RACI logic and the survey chart."""

import html
import itertools
import re

import matplotlib
import pandas as pd
import pytest

from mopskit.content import load_table, load_yaml
from mopskit.errors import MopskitError, ParameterError
from mopskit.profession import figure
from mopskit.roles import (
    RACI_OPTIONS,
    archetype,
    archetypes,
    assign_owners,
    best_role,
    company_sketches,
    explain_matches,
    match_archetype,
    match_task,
    matching_drill,
    matching_score,
    normalize,
    parse_raci_cell,
    plot_task_survey,
    raci_gaps,
    raci_matrix,
    raci_responsible_fit,
    raci_row_checks,
    raci_scenario,
    recommend_team,
    role,
    role_table,
    roles,
    rows_to_revisit,
    sketches_table,
    suggest_raci,
    team_model,
    team_models,
)

SOURCES = set(load_yaml("sources"))


# --- the catalog ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("r", roles(), ids=lambda r: r.id)
def test_every_role_has_a_remit_tasks_tools_an_archetype_and_a_source(r):
    assert len(r.remit) > 20 and r.remit.endswith(".")
    assert len(r.tasks) >= 3 and all(t.strip() for t in r.tasks)
    assert r.tools
    assert archetype(r.archetype).id == r.archetype
    assert r.source in SOURCES
    assert r.cited_in


def test_the_catalog_holds_the_articles_roles():
    assert len(roles(source="hubspot_2020")) == 5
    assert len(roles(source="purpose_2024")) == 9
    assert {a.id for a in archetypes()} == {"maestro", "modeler", "maker", "marketer", "manager"}
    assert [a.id for a in archetypes() if not a.mops] == ["marketer"]
    for r in roles():
        assert r in roles(archetype=r.archetype)


def test_team_models_own_known_archetypes():
    assert len(team_models()) == 3
    for model in team_models():
        assert model.source in SOURCES
        assert all(archetype(a) for a in model.owns)
    assert set(team_model("one_person_band").owns) == {"maker", "maestro", "modeler"}


@pytest.mark.parametrize("key", ["crm_admin", "CRM administrator", "crm ADMINISTRATOR "])
def test_roles_are_found_by_id_or_name(key):
    assert role(key).id == "crm_admin"


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(MopskitError, match=r"unknown role 'CMO'; valid: email_operations, .*crm_admin"):
        role("CMO")
    with pytest.raises(MopskitError, match="unknown archetype 'Wizards'"):
        archetype("Wizards")
    with pytest.raises(MopskitError, match="unknown team model"):
        team_model("two-pizza team")


def test_role_table_has_a_row_per_role():
    table = role_table()
    assert table["role"].tolist() == [r.name for r in roles()]
    assert table["remit"].str.len().min() > 0


# --- matching ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("task", "owner"),
    [
        ("Send the monthly newsletter to the customer list", "email_operations"),
        ("Clean up hard bounces on the e-mail list", "email_operations"),
        ("Route new leads to the right sales rep", "lead_rotation"),
        ("Change the round robin rules after two reps left", "lead_rotation"),
        ("Add a validation rule to a CRM field", "crm_admin"),
        ("Build a dashboard of pipeline by channel", "data_analyst"),
        ("Measure return on marketing investment for last quarter's events", "data_analyst"),
        ("Research and recommend a chat tool for the website", "marketing_technologist"),
        ("Give two new colleagues access to the automation platform", "user_operations"),
        ("Approve or veto the purchase of a new webinar tool", "mops_manager"),
        ("Design a nurture journey for trial sign-ups", "lead_nurturing"),
        ("Track project milestones and deadlines in the status report", "project_manager"),
        ("Set up UTM tracking on the landing pages", "digital_ops_specialist"),
        ("Automate the repetitive manual follow-up tasks", "automation_specialist"),
        ("Map how data flows between the systems", "systems_analysis"),
    ],
)
def test_a_task_is_matched_to_the_role_most_likely_to_own_it(task, owner):
    found = match_task(task)
    assert found[0].role.id == owner, [(m.role.id, m.score, m.matched) for m in found]
    assert found[0].matched and found[0].role.name in found[0].reason


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("Write code against the API to build an in-house app", "maker"),
        ("Build attribution models and dashboards", "modeler"),
        ("Administer user permissions and the CRM", "maestro"),
        ("Own the martech strategy, budget and governance", "manager"),
        ("Launch campaigns across social and ads", "marketer"),
    ],
)
def test_a_task_is_matched_to_an_archetype(task, expected):
    found = match_archetype(task)
    assert found[0].archetype.id == expected, [(m.archetype.id, m.score) for m in found]
    assert found[0].archetype.name in found[0].reason


def test_matching_is_explained_by_the_words_that_matched_and_synonyms_are_named():
    best = match_task("Post the newsletter")[0]
    assert best.role.id == "email_operations"
    assert best.matched == ("newsletter (= email)",), "a synonym says what it was read as"
    assert "the task mentions newsletter (= email)" in best.reason
    assert normalize("Lists, listing and listed") == ["list"]
    assert normalize("the and of") == []


def test_ranking_is_deterministic_and_weights_do_not_depend_on_the_pool():
    task = "Fix duplicate records in the CRM"
    everyone = {m.role.id: m.score for m in match_task(task, top=None)}
    two = match_task(task, roles=["crm_admin", "customer_data"], top=None)
    assert [m.score for m in two] == [everyone[m.role.id] for m in two]
    assert match_task(task, top=None) == match_task(task, top=None)


@pytest.mark.parametrize(
    "task", ["Fix duplicate records in the CRM", "Send email", "Report on sales", "Plan the budget"]
)
def test_ties_keep_catalog_order(task):
    order = [r.id for r in roles()]
    found = match_task(task, top=None)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    for a, b in itertools.pairwise(found):
        if a.score == b.score:
            assert order.index(a.role.id) < order.index(b.role.id)


def test_no_shared_word_means_no_candidate_and_an_empty_task_is_an_error():
    assert match_task("zebra quantum") == []
    assert best_role("zebra quantum") is None
    with pytest.raises(ParameterError, match="describe the task in a few words"):
        match_task("   ")
    with pytest.raises(MopskitError, match="unknown role 'nobody'"):
        match_task("send email", roles=["nobody"])


def test_the_matching_drill_has_one_clear_owner_per_task():
    drill = matching_drill()
    pool = [r.id for r in drill.roles]
    assert len(drill.tasks) == 10 and len(set(drill.tasks)) == 10
    owners = assign_owners(drill.tasks, roles=pool)
    assert set(owners.values()) == set(drill.role_names), "every role owns at least one task"
    for task in drill.tasks:
        first, second = match_task(task, roles=pool, top=2) + [None] * (2 - len(match_task(task, roles=pool, top=2)))
        assert second is None or first.score > second.score, f"'{task}': a tie would make the exercise unfair"


def test_matching_score_and_rows_to_revisit():
    drill = matching_drill()
    pool = [r.id for r in drill.roles]
    right = assign_owners(drill.tasks, roles=pool)
    assert matching_score(right, roles=pool) == 1.0
    wrong = dict(right)
    first, second = drill.tasks[:2]
    wrong[first], wrong[second] = right[second], None
    assert matching_score(wrong, roles=pool) == 0.8
    assert rows_to_revisit(wrong, roles=pool) == [first, second]
    assert matching_score("Email operations", roles=pool) == 0.0
    table = explain_matches(wrong, drill.tasks, roles=pool)
    assert table["right?"].tolist().count("✗") == 1 and table["right?"].tolist().count("") == 1
    assert "most likely owner" not in table.columns, "the owner is not given away"
    assert table.loc[0, "clue"].startswith("look for: ") and table.loc[1, "clue"] == "pick a role first"
    assert explain_matches(wrong, drill.tasks, roles=pool, reveal=True).loc[0, "most likely owner"] == right[first]
    assert explain_matches(None, drill.tasks[:1], roles=pool).loc[0, "your pick"] == ""


# --- team recommendation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("company", "model"),
    [
        ({"employees": 40, "marketers": 3, "apps": 18, "dedicated_mops": False}, "one_person_band"),
        ({"employees": 60, "marketers": 5, "apps": 70, "dedicated_mops": True}, "one_person_band"),
        ({"employees": 300, "marketers": 12, "apps": 30, "dedicated_mops": False}, "one_person_band"),
        ({"employees": 300, "marketers": 12, "apps": 80, "dedicated_mops": False}, "supporting_marketing"),
        ({"employees": 300, "marketers": 12, "apps": 30, "dedicated_mops": True}, "supporting_marketing"),
        ({"employees": 2000, "marketers": 45, "apps": 120, "dedicated_mops": True}, "supporting_marketing"),
        ({"employees": 2000, "marketers": 45, "apps": 20, "dedicated_mops": False}, "supporting_marketing"),
        (
            {"employees": 900, "marketers": 30, "apps": 300, "dedicated_mops": True, "strategic_mandate": True},
            "cmo_partner",
        ),
        (
            {"employees": 900, "marketers": 30, "apps": 30, "dedicated_mops": False, "strategic_mandate": True},
            "cmo_partner",
        ),
        (
            {"employees": 50, "marketers": 4, "apps": 20, "dedicated_mops": False, "strategic_mandate": True},
            "one_person_band",
        ),
    ],
)
def test_team_recommendation(company, model):
    rec = recommend_team(**company)
    assert rec.model.id == model
    assert rec.reasons, "a recommendation always says why"
    for reason in (*rec.reasons, *rec.notes):
        assert all(figure(fid) for fid in reason.figures)
        assert len(reason.sources) == len({figure(f).cited_in for f in reason.figures})
    assert rec.model.name in str(rec) and html.escape(rec.model.name) in rec._repr_html_()


def test_reasons_quote_the_figures_and_cite_their_sources():
    rec = recommend_team(employees=40, marketers=3, apps=80, dedicated_mops=False)
    text = str(rec)
    assert figure("small_company_employees").sentence in text
    assert figure("solo_mops_share").sentence in text
    assert "State of the Marketing Ops Professional" in text
    assert any("smb_stack_apps_max" in n.figures for n in rec.notes), "a big stack for one person is flagged"


def test_reasons_state_only_what_the_source_says_and_mark_the_kits_own_advice():
    alone = str(recommend_team(employees=40, marketers=3, apps=20, dedicated_mops=False))
    assert figure("dedicated_mops_share").sentence in alone
    assert "35%" not in alone and "without a dedicated team" not in alone, "a share the source never gives"
    big = str(recommend_team(employees=2000, marketers=45, apps=120, dedicated_mops=True))
    assert "one pair of hands" not in big and "The kit's rule of thumb, not the article's" in big


def test_only_the_one_person_band_has_its_archetypes_from_the_article():
    assert {m.id: m.owns_source for m in team_models()} == {
        "one_person_band": "martech_2022",
        "supporting_marketing": "mopskit",
        "cmo_partner": "mopskit",
    }


@pytest.mark.parametrize("key", ["campaign_manager", "lead_nurturing"])
def test_roles_the_articles_disagree_on_show_both_views_with_their_sources(key):
    r = role(key)
    assert r.archetype == "marketer"
    cited = [c for _, c in r.views]
    assert any("purpose, responsibilities" in c for c in cited) and any("Brinker" in c for c in cited)
    assert "mature MOps function" in role_table().set_index("role").loc[r.name, "note"]


def test_thresholds_come_from_the_figures_file(monkeypatch):
    """Change the 'small company' figure and the recommendation follows: the number is read, not retyped."""
    from mopskit.roles import _team

    real = _team.figure

    def moved(fid):
        found = real(fid)
        return found if fid != "small_company_employees" else type(found)(**{**found.__dict__, "value": 30})

    company = {"employees": 40, "marketers": 3, "apps": 18, "dedicated_mops": True}
    assert recommend_team(**company).model.id == "one_person_band"
    monkeypatch.setattr(_team, "figure", moved)
    assert recommend_team(**company).model.id == "supporting_marketing"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"employees": 0}, r"'employees' must be at least 1 \(got 0\)"),
        ({"marketers": 50}, r"'marketers' must be at most 'employees' \(got 50 > 40\)"),
        ({"apps": -1}, "'apps' must be at least 0"),
        ({"apps": 2.5}, "'apps' must be a whole number"),
        ({"dedicated_mops": "yes"}, "'dedicated_mops' must be True or False"),
    ],
)
def test_team_recommendation_refuses_bad_values(change, message):
    company = {"employees": 40, "marketers": 3, "apps": 18, "dedicated_mops": False, **change}
    with pytest.raises(ParameterError, match=message):
        recommend_team(**company)


def test_the_sketches_cover_the_three_models():
    assert sorted(s.recommend().model.id for s in company_sketches()) == sorted(m.id for m in team_models())
    assert sketches_table().loc["Fernway", "employees"] == 40


# --- RACI ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("R", "R"),
        ("a", "A"),
        ("A/R", "A/R"),
        ("RA", "A/R"),
        ("r, a", "A/R"),
        ("C", "C"),
        (" i", "I"),
        (None, ""),
        ("—", ""),
        ("-", ""),
        ("", ""),
        (float("nan"), ""),
    ],
)
def test_raci_cells_are_read_as_people_write_them(cell, read):
    assert parse_raci_cell(cell) == read


def test_every_grid_option_is_a_raci_cell():
    assert [parse_raci_cell(o) for o in RACI_OPTIONS] == ["R", "A", "A/R", "C", "I", ""]


def test_a_bad_cell_names_the_task_and_role():
    with pytest.raises(ParameterError, match=r"'X' in task 'Plan', role 'Ana' is not a RACI entry; valid: R, A, C, I"):
        raci_matrix({"Plan": {"Ana": "X"}})


def test_the_matrix_is_built_from_any_shape_in_the_given_order():
    nested = {"Plan": {"Ana": "A", "Joon": "R"}, "Send": {"Joon": "A/R"}}
    matrix = raci_matrix(nested, tasks=["Send", "Plan"], roles=["Joon", "Ana", "Li"])
    assert matrix.index.tolist() == ["Send", "Plan"] and matrix.columns.tolist() == ["Joon", "Ana", "Li"]
    assert matrix.loc["Send", "Ana"] == "" and matrix.loc["Plan", "Ana"] == "A"
    triples = [("Plan", "Ana", "A"), ("Plan", "Joon", "R"), ("Send", "Joon", "RA")]
    assert raci_matrix(triples).equals(raci_matrix(nested).fillna(""))
    assert raci_matrix(raci_matrix(nested)).equals(raci_matrix(nested))
    with pytest.raises(ParameterError, match=r"role 'Bo' .* is not in the RACI's roles; valid: Ana, Joon"):
        raci_matrix({"Plan": {"Bo": "R"}}, roles=["Ana", "Joon"])
    with pytest.raises(ParameterError, match="at least one task and one role"):
        raci_matrix({})
    with pytest.raises(ParameterError, match=re.escape("must map roles to letters, like {'Ana': 'R'}")):
        raci_matrix({"Plan": "Ana"})
    for bad in (None, "Plan", [("Plan", "Ana")]):
        with pytest.raises(ParameterError, match=r"a RACI is \{task: \{role: letters\}\}"):
            raci_matrix(bad)


@pytest.mark.parametrize(
    ("row", "kinds"),
    [
        ({"Ana": "A", "Joon": "R"}, []),
        ({"Ana": "A/R", "Joon": "I"}, []),
        ({"Ana": "R", "Joon": "C"}, ["no_accountable"]),
        ({"Ana": "A", "Joon": "A/R"}, ["many_accountable"]),
        ({"Ana": "A", "Joon": "C"}, ["no_responsible"]),
        ({"Ana": "", "Joon": ""}, ["no_accountable", "no_responsible"]),
    ],
)
def test_gaps_per_task(row, kinds):
    findings = raci_gaps({"Plan": row, "Send": {"Ana": "A/R", "Joon": "I"}})
    assert [f.kind for f in findings] == kinds
    for f in findings:
        assert f.task == "Plan" and f.severity == "error" and "'Plan'" in f.message


def test_gap_messages_name_roles_and_give_advice():
    [many] = raci_gaps({"Plan": {"Ana": "A", "Joon": "A/R"}})
    assert many.roles == ("Ana", "Joon") and "keep one A" in many.message
    [idle] = raci_gaps({"Plan": {"Ana": "A/R", "Li": None}})
    assert (idle.kind, idle.severity, idle.roles) == ("idle_role", "info", ("Li",))
    assert "mark them I" in str(idle)


def test_row_checks_give_a_share_per_rule():
    rows = raci_row_checks({"a": {"X": "A/R"}, "b": {"X": "R"}, "c": {"X": "A"}, "d": {"X": "C"}})
    assert rows["one_accountable"].mean() == 0.5
    assert rows["has_responsible"].mean() == 0.5


def test_the_suggested_raci_for_the_scenario_is_sound():
    scenario = raci_scenario("email_program")
    suggestion = scenario.suggestion()
    assert list(suggestion) == list(scenario.tasks)
    assert all(list(row) == scenario.role_names for row in suggestion.values())
    assert all(cell in RACI_OPTIONS for row in suggestion.values() for cell in row.values())
    assert raci_gaps(suggestion) == []
    assert raci_responsible_fit(suggestion).all()
    assert {row["Marketing operations manager"] for row in suggestion.values()} == {"A"}


def test_suggest_raci_without_a_manager_makes_the_doer_accountable():
    grid = suggest_raci(["Route new leads to sales"], ["lead_rotation", "crm_admin"])
    assert grid == {"Route new leads to sales": {"Lead rotation": "A/R", "CRM administrator": "C"}}
    with pytest.raises(MopskitError, match="unknown RACI scenario 'x'; valid: email_program"):
        raci_scenario("x")


def test_responsible_fit_flags_an_r_with_nothing_to_do_with_the_task():
    grid = {"Route new leads to sales": {"Lead rotation": "I", "Marketing data analyst": "R", "CRM administrator": "A"}}
    assert not raci_responsible_fit(grid).iloc[0]


# --- the survey chart ----------------------------------------------------------------------------------------


def test_the_survey_chart_shows_all_22_tasks_with_their_exact_shares():
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    facts = load_table("survey_tasks")
    ax = plot_task_survey()
    try:
        bars = ax.patches
        assert len(bars) == 22
        drawn = {label.get_text(): bar.get_width() for label, bar in zip(ax.get_yticklabels(), bars, strict=True)}
        assert drawn == dict(zip(facts["task"], facts["share_pct"], strict=True))
        labels = [t.get_text() for t in ax.texts]
        assert sorted(labels) == sorted(f"{v:g}%" for v in facts["share_pct"])
        assert bars[-1].get_width() == facts["share_pct"].max(), "the most common task is on top"
    finally:
        plt.close(ax.figure)


def test_the_chart_draws_on_a_given_axes_and_table():
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        survey = pd.DataFrame({"task": ["a", "b"], "share_pct": [10.0, 20.5]})
        assert plot_task_survey(survey, ax=ax, highlight=None) is ax
        assert [b.get_width() for b in ax.patches] == [10.0, 20.5]
    finally:
        plt.close(fig)


def test_a_roles_remit_follows_the_language_in_use_within_one_process():
    """Grading writes each trainee's feedback in their language, one after the other: no language sticks."""
    from mopskit.i18n import language

    english = role("crm_admin").remit
    with language("th"):
        thai = role("crm_admin").remit
    assert thai != english and not thai.isascii()
    assert role("crm_admin").remit == english


def test_company_facts_are_headed_and_worded_in_the_trainees_language():
    from mopskit.i18n import language
    from mopskit.present import shown
    from mopskit.roles import company_facts

    larkspur = load_yaml("scenarios")["capstone_quiz"]["company"]
    english = company_facts(larkspur, apps=21)
    assert english.columns.tolist() == ["fact", larkspur["name"]]
    assert english[larkspur["name"]].tolist() == [larkspur["employees"], larkspur["marketers"], 21, "no", "no"]
    with language("th"):
        thai = shown(company_facts(larkspur, apps=21))
    assert thai.columns.tolist() == ["ข้อเท็จจริง", larkspur["name"]]
    assert all(re.search(r"[\u0e00-\u0e7f]", fact) for fact in thai.iloc[:, 0])


def test_company_facts_name_what_a_company_lacks():
    from mopskit.roles import company_facts

    with pytest.raises(ParameterError, match="marketers"):
        company_facts({"name": "Acme", "employees": 10, "dedicated_mops": False, "strategic_mandate": False}, apps=3)
