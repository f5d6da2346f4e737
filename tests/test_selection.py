"""mopskit.selection on hand-worked cases: scoring, refusals, sensitivity, cost, switching, adoption, bad files."""

import datetime as dt

import pandas as pd
import pytest

from mopskit import content
from mopskit.data import load
from mopskit.errors import DataError, ParameterError
from mopskit.selection import (
    Contract,
    Offer,
    Offers,
    Requirements,
    adoption,
    build_vs_buy,
    compare_costs,
    contract_of,
    flip_weight,
    parse_score,
    read_requirements,
    read_vendors,
    requirement_catalog,
    scenario,
    scenarios,
    score_vendors,
    sensitivity,
    stay_offer,
    switch_plan,
    tco,
    training_sessions,
    what_if,
)

# ---------------------------------------------------------------- scoring, worked by hand

REQS = Requirements.of(
    [
        ("M1", "CRM sync", "Sales", "must", 0),
        ("M2", "Signed DPA", "Legal", "must", 0),
        ("A", "A/B tests", "Marketing", "nice", 4),
        ("B", "Templates", "Marketing", "nice", 2),
        ("C", "Support in 4 hours", "MOps", "nice", 1),
    ]
)
# possible points: (4 + 2 + 1) × 5 = 35
OFFERS = Offers(
    (
        Offer("Alpha", scores={"M1": 5, "M2": 3, "A": 5, "B": 2, "C": 1}),  # 20 + 4 + 1 = 25 -> 71.43
        Offer("Beta", scores={"M1": 4, "M2": 4, "A": 3, "B": 5, "C": 5}),  # 12 + 10 + 5 = 27 -> 77.14
        Offer("Gamma", scores={"M1": 0, "M2": 5, "A": 5, "B": 5, "C": 5}),  # 35 -> 100, but misses M1
        Offer("Delta", scores={"M1": 5, "A": 5, "B": 5, "C": 5}),  # M2 not scored: refused
    )
)


def test_weighted_scores_are_points_over_possible_points():
    evaluation = score_vendors(REQS, OFFERS)
    scores = evaluation.ranking.set_index("offer")["score"]
    assert scores["Alpha"] == pytest.approx(100 * 25 / 35, abs=0.01)
    assert scores["Beta"] == pytest.approx(100 * 27 / 35, abs=0.01)
    assert scores["Gamma"] == 100.0
    assert evaluation.winner == "Beta" and evaluation.runner_up == "Alpha"
    assert evaluation.ranking["offer"].tolist() == [
        "Beta",
        "Alpha",
        "Delta",
        "Gamma",
    ]  # refused last, 100 each: by name


def test_an_offer_missing_a_must_have_is_refused_whatever_it_scores():
    evaluation = score_vendors(REQS, OFFERS)
    assert evaluation.refused == {
        "Gamma": "misses the must-have M1 (CRM sync)",
        "Delta": "misses the must-have M2 (Signed DPA)",
    }
    assert "Gamma" not in evaluation.eligible
    assert "must-have, scored 0: not met" in evaluation.explain("Gamma")
    assert "must-have, no score recorded: counts as not met" in evaluation.explain("Delta")
    assert any("Delta: no score recorded for M2" in note for note in evaluation.notes)


def test_every_score_is_explained_with_its_arithmetic():
    evaluation = score_vendors(REQS, OFFERS)
    lines = evaluation.explain("Beta").splitlines()
    assert lines[0] == "Beta: weighted score 77.14/100 (27 of 35 points); rank 1."
    assert "- A A/B tests: scored 3/5 × weight 4 = 12 of 20 points (44% of its total)." in lines
    details = evaluation.details[evaluation.details["offer"] == "Beta"].set_index("id")
    assert details.loc[["A", "B", "C"], "points"].tolist() == [12, 10, 5]
    assert details.loc[["A", "B", "C"], "share_pct"].sum() == pytest.approx(100, abs=0.2)


def test_a_tier_too_small_for_the_seats_is_refused():
    small = Offer("Beta", tier="Starter", max_seats=3, scores=OFFERS.get("Beta").scores)
    evaluation = score_vendors(REQS, Offers((small, OFFERS.get("Alpha"))), seats=5)
    assert evaluation.refused == {"Beta": "holds at most 3 seats on its Starter tier, and 5 are needed"}
    assert evaluation.winner == "Alpha"


def test_no_eligible_offer_means_no_winner_and_says_why():
    evaluation = score_vendors(REQS, Offers((OFFERS.get("Gamma"),)))
    assert evaluation.winner is None
    assert evaluation.summary().startswith("Every offer is refused")
    with pytest.raises(ParameterError, match="there is no winner"):
        sensitivity(evaluation)


@pytest.mark.parametrize("seats", [0, 2.5, True, "3"])
def test_bad_seats_are_refused(seats):
    with pytest.raises(
        ParameterError, match=r"^score_vendors: 'seats' must be a whole number(, 1 or more| or None) \(got "
    ):
        score_vendors(REQS, OFFERS, seats=seats)


def test_a_tie_is_noted_and_never_hidden():
    twins = Offers((Offer("Y", scores={"M1": 1, "M2": 1, "A": 3}), Offer("X", scores={"M1": 1, "M2": 1, "A": 3})))
    evaluation = score_vendors(REQS, twins)
    assert evaluation.winner == "X"
    assert any("X, Y tie at" in note for note in evaluation.notes)


# ---------------------------------------------------------------- sensitivity


def test_the_flip_weight_is_where_two_offers_tie():
    evaluation = score_vendors(REQS, OFFERS)
    # Beta leads Alpha 27 to 25. On A, Alpha scores 5 and Beta 3: Alpha's rest 5, Beta's rest 15,
    # so they tie at w = (15 - 5) / (5 - 3) = 5 (up from 4).
    assert flip_weight(evaluation, "A") == (5.0, "Alpha")
    assert what_if(evaluation, {"A": 5.5}).winner == "Alpha"
    assert what_if(evaluation, {"A": 4.5}).winner == "Beta"
    # On B, Beta scores more: the rests are Alpha 21 and Beta 17, so Alpha wins below (17 - 21) / (2 - 5) = 4/3
    assert flip_weight(evaluation, "B") == (1.3333, "Alpha")
    assert what_if(evaluation, {"B": 1.2}).winner == "Alpha"


def test_sensitivity_finds_the_smallest_change_and_tests_plus_and_minus():
    evaluation = score_vendors(REQS, OFFERS)
    result = sensitivity(evaluation, change=1)
    table = result.table.set_index("id")
    assert table.loc["A", "winner_if_higher"] == "Alpha"  # 4 + 1 = 5 is the tie, listed by name
    assert table.loc["B", "winner_if_lower"] == "Alpha"  # 2 - 1 = 1 is below the 4/3 tie
    assert table.loc["C", "winner_if_lower"] == "Alpha"  # 1 - 1 = 0 is below the 1/2 tie
    assert not result.robust
    assert result.smallest["id"] == "C" and result.smallest["flip_change"] == pytest.approx(-0.5)
    assert "the weight of C (Support in 4 hours) from 1 to 0.5 (-0.5)" in result.summary()
    assert sensitivity(evaluation, change=0.4).robust


def test_lowering_a_weight_can_flip_too_and_a_lone_offer_never_flips():
    evaluation = score_vendors(REQS, OFFERS)
    # C: Beta 5, Alpha 1, rests Beta 22 and Alpha 24: Alpha leads below (22 - 24) / (1 - 5) = 0.5
    assert flip_weight(evaluation, "C") == (0.5, "Alpha")
    lone = score_vendors(REQS, Offers((OFFERS.get("Beta"),)))
    assert flip_weight(lone, "A") is None
    assert "No weight, however far it moves" in sensitivity(lone).summary()


@pytest.mark.parametrize(
    ("weights", "message"),
    [({"M1": 3}, "'M1' is a must-have"), ({"Z": 1}, "there is no requirement 'Z'"), ({"A": -1}, "0 or more")],
)
def test_bad_what_if_weights_are_refused(weights, message):
    with pytest.raises(ParameterError, match=message):
        what_if(score_vendors(REQS, OFFERS), weights)


# ---------------------------------------------------------------- total cost, worked by hand


def test_tco_year_by_year_with_seats_tiers_renewals_and_internal_hours():
    offer = Offer(
        "Vendor",
        platform_fee=10000,
        seat_price=500,
        included_seats=2,
        implementation=3000,
        integration=2000,
        migration=1000,
        training=500,
        switch_hours=100,
        admin_hours_per_year=20,
        renewal_increase_pct=10,
        contract_years=2,
    )
    result = tco(offer, seats=6, years=3, hourly_rate=40)
    # licence 10000 + 4 × 500 = 12000 for the first 2-year term, then +10%: 13200
    # year 1: 12000 + 6500 fees + (100 + 20) h × 40 = 23300; year 2: 12000 + 800; year 3: 13200 + 800
    assert result.by_year["licence"].tolist() == [12000, 12000, 13200]
    assert result.by_year["total"].tolist() == [23300, 12800, 14000]
    assert result.total == 50100 and result.one_time == 10500
    assert result.components()["internal"] == 40 * (100 + 3 * 20)
    assert "Licence: $12,000 in year 1 ($10,000 + 4 seat(s) × $500, +10% at each renewal every 2 year(s))" in (
        result.explain()
    )


def test_break_even_month_against_staying():
    new = tco(Offer("New", platform_fee=12000, implementation=6000), seats=1, years=2)
    old = tco(stay_offer("Old", 18000), seats=1, years=2)
    comparison = compare_costs(new, old)
    # 6000 up front, then 1000 a month against 1500: 6000 + 1000 m = 1500 m at m = 12
    assert comparison.break_even_month == 12 and comparison.within_horizon
    assert comparison.monthly.loc[11, ["switch_cumulative", "stay_cumulative"]].tolist() == [18000, 18000]
    assert comparison.savings == 6000
    # a 2-month parallel run adds 2 × 1500 to the switch and moves the break-even 6 months later
    both = compare_costs(new, old, overlap_months=2)
    assert both.overlap_cost == 3000 and both.savings == 3000 and both.break_even_month == 18
    assert "(switching includes $3,000 for 2 month(s) of paying both)" in both.summary()


def test_a_switch_that_costs_more_to_run_never_breaks_even():
    new = tco(Offer("Pricey", platform_fee=20000, implementation=100), seats=1, years=3)
    old = tco(stay_offer("Old", 18000), seats=1, years=3)
    comparison = compare_costs(new, old)
    assert comparison.break_even_month is None and comparison.savings < 0
    assert "It never breaks even" in comparison.summary()


def test_a_late_break_even_is_found_past_the_horizon():
    new = tco(Offer("New", platform_fee=17000, implementation=8000), seats=1, years=1)
    old = tco(stay_offer("Old", 18000), seats=1, years=1)
    comparison = compare_costs(new, old)  # 8000 up front, 1000 / 12 a month less: 96 months
    assert comparison.break_even_month == 96 and not comparison.within_horizon
    assert "It breaks even only in month 96, after the 1-year horizon." in comparison.summary()
    never = compare_costs(tco(Offer("New", platform_fee=17000, implementation=24000), seats=1, years=1), old)
    assert never.break_even_month is None, "288 months is past the 10 years looked at"


def test_price_increases_compound_at_each_renewal():
    offer = stay_offer("Old", 10000, renewal_increase_pct=10)
    assert tco(offer, seats=1, years=3).by_year["licence"].tolist() == [10000, 11000, 12100]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seats": 0}, r"tco: 'seats' must be a whole number, 1 or more \(got 0\)"),
        ({"seats": 2, "years": 11}, "tco: 'years' must be at most 10"),
        ({"seats": 2, "hourly_rate": -5}, "tco: 'hourly_rate' must be a number, 0 or more"),
        ({"seats": 2, "years": 1.5}, r"tco: 'years' must be a whole number \(got 1.5\)"),
    ],
)
def test_bad_cost_arguments_are_refused(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        tco(Offer("X", platform_fee=1), **kwargs)


def test_different_horizons_cannot_be_compared():
    with pytest.raises(ParameterError, match="different horizons"):
        compare_costs(tco(Offer("A"), seats=1, years=2), tco(Offer("B"), seats=1, years=3))


def test_build_vs_buy_worked_by_hand():
    buy = tco(Offer("Vendor", platform_fee=20000), seats=1, years=3, hourly_rate=50)
    result = build_vs_buy(buy, hours=600, hosting_per_year=3000, maintenance_pct=20, months=18, bridge_per_month=1000)
    # build 600 × 50 = 30000; bridge 12 months in year 1 and 6 in year 2; maintenance 20% = 6000 from year 2
    assert result.by_year["build"].tolist() == [45000, 15000, 9000]
    assert result.build_total == 69000 and result.cheaper == "buy"
    assert "Buying is cheaper over 3 year(s)" in result.summary()
    assert any("18 month(s)" in line for line in result.considerations())


# ---------------------------------------------------------------- switching plan

CONTRACT = Contract("Old", 12000, renewal=dt.date(2027, 3, 1), notice_days=60, holds_personal_data=True)
STEPS = [{"step": "Export", "weeks": 2, "owner": "Ana"}, {"step": "Rebuild", "weeks": 3}]


def test_the_plan_works_back_from_the_renewal():
    plan = switch_plan(
        CONTRACT,
        new_tool="New",
        start="2026-11-01",
        migration=STEPS,
        parallel_run_weeks=3,
        buffer_weeks=1,
        training=[{"role": "Marketers", "people": 7, "hours": 2, "class_size": 3}],
        documentation=[{"title": "Quick start", "for": "Marketers"}],
    )
    assert plan.cut_over == dt.date(2027, 3, 1)
    assert plan.notice_deadline == dt.date(2026, 12, 31)
    assert plan.kick_off == dt.date(2027, 3, 1) - dt.timedelta(weeks=9)
    migration = plan.timeline[plan.timeline["kind"] == "migration"]
    assert migration["start"].tolist() == [plan.kick_off, plan.kick_off + dt.timedelta(weeks=2)]
    parallel = plan.timeline[plan.timeline["kind"] == "parallel run"].iloc[0]
    assert parallel["start"] == dt.date(2027, 3, 1) - dt.timedelta(weeks=3)
    assert plan.training.iloc[0]["sessions"] == 3  # 7 people, 3 a session: rounded up
    training_days = plan.timeline.loc[plan.timeline["kind"] == "training", "start"]
    assert training_days.between(parallel["start"], plan.cut_over).all()
    assert plan.documentation["due"].tolist() == [parallel["start"]]
    assert plan.overlap_months == pytest.approx(63 / 30.4375, abs=0.01)
    assert any("holds personal data" in w for w in plan.warnings)
    assert not plan.skipped_renewals


def test_not_enough_time_before_the_renewal_moves_the_cut_over_a_term_later():
    plan = switch_plan(CONTRACT, new_tool="New", start="2027-02-01", migration=STEPS, parallel_run_weeks=2)
    assert plan.skipped_renewals == (dt.date(2027, 3, 1),)
    assert plan.cut_over == dt.date(2028, 3, 1) and plan.notice_deadline == dt.date(2028, 1, 1)  # 2028 is a leap year
    assert "There is not enough time to leave at the renewal on 2027-03-01" in plan.summary()
    assert "its notice deadline, 2026-12-31, comes before the plan starts" in plan.summary()
    assert "about $12,000 more" in plan.summary()


def test_a_passed_renewal_in_the_inventory_rolls_to_the_next_term():
    plan = switch_plan(CONTRACT, new_tool="New", start="2027-05-01", migration=STEPS, parallel_run_weeks=2)
    assert plan.cut_over == dt.date(2028, 3, 1) and not plan.skipped_renewals


def test_no_renewal_on_record_cuts_over_when_ready_and_warns():
    plan = switch_plan(Contract("Old", 0), new_tool="New", start="2027-01-04", migration=STEPS, parallel_run_weeks=1)
    assert plan.cut_over == dt.date(2027, 1, 4) + dt.timedelta(weeks=7)
    assert plan.notice_deadline is None
    assert "records no renewal date" in plan.summary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2026-02-30"}, "'start' must be a date written YYYY-MM-DD"),
        ({"migration": []}, "'migration' needs at least one step"),
        ({"migration": [{"step": "Export", "weeks": -1}]}, "'weeks of 'Export'' must be a number of weeks"),
        ({"parallel_run_weeks": "two"}, r"switch_plan: 'parallel_run_weeks' must be a number \(got 'two'\)"),
        ({"training": [{"role": "Sales", "people": 0}]}, "training for 'Sales': 'people' must be a whole number"),
    ],
)
def test_bad_plan_inputs_are_refused(kwargs, message):
    values = {"new_tool": "New", "start": "2026-11-01", "migration": STEPS, **kwargs}
    with pytest.raises(ParameterError, match=message):
        switch_plan(CONTRACT, **values)


def test_training_sessions_round_up():
    table = training_sessions(
        [{"role": "Booth staff", "people": 14, "hours": 1, "class_size": 6}, {"role": "Admins", "people": 1}]
    )
    assert table["sessions"].tolist() == [3, 1]


def test_the_contract_comes_from_the_inventory_in_any_column_names():
    contract = contract_of(load("martech_stack"), "HubSpot Marketing Hub")
    assert (contract.renewal, contract.notice_days, contract.annual_cost) == (dt.date(2027, 1, 15), 60, 43200.0)
    assert "Salesforce Sales Cloud" in contract.integrates_with and contract.holds_personal_data
    fjord = contract_of(load("practice_stack").rename(columns={"tool": "Tool Name"}), "Hootsuite")
    assert fjord.renewal == dt.date(2026, 12, 15)
    with pytest.raises(ParameterError, match="there is no tool 'Mailchump' in the inventory; tools: Salesforce"):
        contract_of(load("martech_stack"), "Mailchump")


# ---------------------------------------------------------------- adoption


def test_adoption_against_seats_over_time():
    result = adoption(load("tool_usage"), "Mailvane", target_pct=80, seat_price=1200)
    assert result.table["utilization_pct"].tolist() == [37.5, 50.0, 62.5, 75.0, 75.0, 87.5, 87.5]
    assert result.reached_on == dt.date(2027, 7, 1)
    assert "1 seat(s) sit idle ($1,200 a year)" in result.summary()


def test_a_scenario_prices_the_idle_seats_of_its_new_tool():
    assert "1 seat(s) sit idle ($1,200 a year)" in scenario("email_vendor").adoption("Mailvane").summary()


def test_adoption_from_one_inventory_per_export():
    stack = load("martech_stack")
    later = stack.assign(active_users=stack["seats"])
    result = adoption({"2026-10-31": stack, "2026-11-30": later}, "Social Scheduler Pro", target_pct=50)
    assert result.table["active_users"].tolist() == [3, 20]
    assert result.reached_on == dt.date(2026, 11, 30)
    assert "Adoption is on target" in result.actions()[0]


def test_stalled_adoption_asks_for_training_again():
    usage = pd.DataFrame(
        {
            "as_of": ["2027-01-01", "2027-02-01", "2027-03-01"],
            "tool": ["T"] * 3,
            "seats": [10] * 3,
            "active_users": [4, 4, 3],
        }
    )
    actions = adoption(usage, "T").actions()
    assert any("stopped growing" in a for a in actions)


def test_adoption_errors_name_the_problem():
    with pytest.raises(ParameterError, match="there is no tool 'Mailvan' in the usage data; tools: Mailvane"):
        adoption(load("tool_usage"), "Mailvan")
    with pytest.raises(ParameterError, match="adoption: 'target_pct' must be a percent from 0 to 100"):
        adoption(load("tool_usage"), "Mailvane", target_pct=120)
    bad = pd.DataFrame({"as_of": ["2027-01-01"], "tool": ["T"], "seats": [2], "active_users": [3]})
    with pytest.raises(DataError, match="'active_users' must be at most 'seats'"):
        adoption(bad, "T")


# ---------------------------------------------------------------- files: a team's own, and bad ones


def test_a_teams_own_excel_csv_is_read_with_its_column_names(tmp_path):
    reqs = tmp_path / "needs.csv"
    reqs.write_bytes(
        "\ufeffNeed ID;Need;Asked by;Priority;Weight\r\nS1;Sécurité SSO;IT;Must have;\r\n"
        "W1;Modèles;Marketing;Nice to have;2,5\r\n".encode("utf-8")
    )
    vendors = tmp_path / "offers.csv"
    vendors.write_bytes(
        "Supplier;Plan;Annual licence;Per user;S1;Modèles\r\nÉcho;Pro;1200,50;10;yes;4 - bons modèles\r\n".encode(
            "cp1252"
        )
    )
    requirements = read_requirements(reqs)
    assert [(r.id, r.priority, r.weight) for r in requirements] == [("S1", "must", 0.0), ("W1", "nice", 2.5)]
    offers = read_vendors(vendors, requirements, columns={"Annual licence": "platform_fee"})
    offer = offers.get("Écho")
    assert (offer.platform_fee, offer.seat_price, offer.scores, offer.notes) == (
        1200.5,
        10.0,
        {"S1": 5.0, "W1": 4.0},
        {"W1": "bons modèles"},
    )


def _error(call):
    with pytest.raises(DataError) as info:
        call()
    return str(info.value)


def test_a_requirements_file_missing_a_column_names_it_and_the_spellings(tmp_path):
    path = tmp_path / "reqs.csv"
    path.write_text("id,requirement,priority,weight\nR1,SSO,must,\n")
    text = _error(lambda: read_requirements(path))
    assert "reqs.csv does not fit the 'requirements' table" in text
    assert "column 'stakeholder' is missing; the file has: id, requirement, priority, weight" in text
    assert "accepted spellings: requested_by, asked_by" in text


def test_bad_requirement_rows_are_listed_with_row_and_column(tmp_path):
    path = tmp_path / "reqs.csv"
    path.write_text("id,requirement,stakeholder,priority,weight\nR1,SSO,IT,maybe,\nR2,A/B,Mkt,nice,\nR2,x,y,must,-2\n")
    text = _error(lambda: read_requirements(path))
    assert "row 2: 'priority' must be one of must, nice (got 'maybe')" in text
    assert "row 4: 'weight' must be a number of at least 0 (got '-2')" in text
    assert "'id' must be unique (got 'R2' more than once)" in text


def test_a_nice_to_have_without_a_weight_is_refused_naming_its_row(tmp_path):
    path = tmp_path / "reqs.csv"
    path.write_text("id,requirement,stakeholder,priority,weight\nR1,SSO,IT,must,3\nN1,A/B tests,Marketing,nice,\n")
    text = _error(lambda: read_requirements(path))
    assert "reqs.csv cannot be used as requirements (1 problem(s))" in text
    assert "row 3: 'N1' is a nice-to-have with no weight; give it a weight above 0" in text
    fixed = path.read_text().replace("nice,\n", "nice,2\n")
    path.write_text(fixed)
    assert read_requirements(path).notes == (
        "'R1' is a must-have: its weight (3) is not used, a must-have is pass or fail",
    )


def test_bad_vendor_files_list_every_problem_with_row_and_column(tmp_path):
    requirements = read_requirements(load("requirements"))
    path = tmp_path / "vendors.csv"
    frame = load("vendors").drop(columns=["N8"])
    frame.loc[0, "N2"] = "7"
    frame.loc[1, "R1"] = "maybe"
    frame.to_csv(path, index=False)
    text = _error(lambda: read_vendors(path, requirements))
    assert "vendors.csv cannot be scored against the requirements (3 problem(s))" in text
    assert (
        "no column for requirement 'N8' (Vendor training and a sandbox account to practise in): add a column " in text
    )
    assert "row 2, column 'N2': a score must be a number from 0 to 5, or yes/no" in text
    assert "(got '7')" in text
    assert "row 3, column 'R1'" in text and "(got 'maybe')" in text


def test_a_negative_price_is_refused_by_the_table_rules(tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_text("vendor,seat_price,A\nX,-10,3\n")
    text = _error(lambda: read_vendors(path, Requirements.of([("A", "a", "x", "nice", 1)])))
    assert "row 2: 'seat_price' must be an amount of money, 0 or more" in text


def test_an_offer_twice_and_an_offer_without_price_are_refused(tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_text("vendor,platform_fee,seat_price,A\nX,100,,3\nX,200,,4\nY,,,2\n")
    text = _error(lambda: read_vendors(path, Requirements.of([("A", "a", "x", "nice", 1)])))
    assert "row 3: 'X' appears again (first in row 2)" in text
    assert "row 4: 'Y' has no price; fill in platform_fee or seat_price" in text
    no_price = tmp_path / "no_price.csv"
    no_price.write_text("vendor,A\nX,3\n")
    text = _error(lambda: read_vendors(no_price, Requirements.of([("A", "a", "x", "nice", 1)])))
    assert "the file has no price column: add 'platform_fee'" in text


def test_a_column_mapping_naming_a_missing_header_is_refused(tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_text("vendor,platform_fee,A\nX,100,3\n")
    reqs = Requirements.of([("A", "a", "x", "nice", 1)])
    text = _error(lambda: read_vendors(path, reqs, columns={"Licence": "platform_fee"}))
    assert "the column mapping names 'Licence', which is not a column of the file; the file has: vendor" in text
    text = _error(lambda: read_vendors(path, reqs, columns={"A": "score"}))
    assert "maps 'A' to 'score', which is not a column of the 'vendors' table; valid: vendor, tier" in text


def test_columns_that_name_no_requirement_are_noted_not_scored():
    offers = read_vendors(load("vendors").assign(Colour="blue"), read_requirements(load("requirements")))
    assert "column 'Colour' names no requirement in the requirements list: not scored" in offers.notes


def test_score_cells_read_as_people_write_them():
    assert parse_score("4 (native connector)") == (4.0, "native connector")
    assert parse_score(" No ") == (0.0, "")
    for bad in ("6", "-1", "good", "five"):
        with pytest.raises(ValueError):
            parse_score(bad)


def test_empty_files_are_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert "the file is empty" in _error(lambda: read_requirements(path))
    path.write_text("id,requirement,stakeholder,priority,weight\n")
    assert "the file has a header but no rows" in _error(lambda: read_requirements(path))


# ---------------------------------------------------------------- content and scenarios


def test_the_catalog_cites_the_survey_shares():
    catalog = requirement_catalog().set_index("id")
    survey = content.load_table("survey_tasks").set_index("task")["share_pct"]
    assert (catalog["share_pct"] == catalog["survey_task"].map(survey)).all()
    assert catalog.loc["privacy", "share_pct"] == 26.8 and catalog.loc["sla", "share_pct"] == 47.9
    assert catalog.loc["training", "share_pct"] == 77.5
    assert set(catalog["source"]) == {content.cite("mops_survey_2020")}
    assert set(catalog["priority"]) <= {"must", "nice"}


def _values(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)
    else:
        yield node


@pytest.mark.parametrize("name", ["selection_scenarios", "selection_catalog", "requirement_priorities"])
def test_selection_content_has_no_empty_value_anywhere(name):
    assert None not in list(_values(content.load_yaml(name))), f"{name}: an unquoted comma or colon?"


@pytest.mark.parametrize("name", scenarios())
def test_every_scenario_is_coherent(name):
    sc = scenario(name)
    stack = load("martech_stack").set_index("tool")
    assert sc.current_tool in stack.index
    ids = {r.id for r in sc.requirements}
    assert all(s["requirement"] in ids for s in sc.stakeholders)
    evaluation = sc.evaluate()
    assert evaluation.winner and evaluation.refused, "a winner, and an offer refused despite its score"
    assert max(evaluation.ranking["score"]) > evaluation.score_of(evaluation.winner), "the refusal is a trap"
    assert sc.compare(evaluation.winner).within_horizon
    plan = sc.plan(evaluation.winner)
    assert not plan.skipped_renewals and plan.kick_off >= sc.start
    if sc.usage is not None:
        assert set(sc.usage["tool"]) == {sc.offers.get(evaluation.winner).vendor}


def test_the_bundled_tables_are_the_scenario_files():
    email, events = scenario("email_vendor"), scenario("event_platform")
    assert [r.id for r in read_requirements(load("requirements"))] == [r.id for r in email.requirements]
    assert read_vendors(load("practice_vendors"), events.requirements).names() == events.offers.names()
    assert list(load("practice_requirements")["priority"].unique()) == ["must", "nice"]


def test_fictional_vendors_only():
    stack_vendors = set(load("martech_stack")["vendor"]) | set(load("practice_stack")["vendor"])
    for name in scenarios():
        assert not {o.vendor for o in scenario(name).offers} & stack_vendors


def test_requirement_tables_read_in_thai_in_a_lesson_and_stay_english_as_data():
    from mopskit.i18n import _, content_text, language
    from mopskit.present import people_table
    from mopskit.selection import scenario

    email = scenario("email_vendor")
    with language("th"):
        tables = {
            "frame": email.requirements.frame(),
            "by_stakeholder": email.requirements.by_stakeholder(),
            "asks": email.stakeholder_table(),
        }
        pages = {name: people_table(t).to_html() for name, t in tables.items()}
        words = {w: _(w) for w in ("requirement", "stakeholder", "priority", "must-have", "what they said")}
        sales = content_text("Legal and privacy")
    assert sales != "Legal and privacy" and all(words[w] != w for w in words)
    assert f">{words['requirement']}<" in pages["frame"] and f">{words['must-have']}<" in pages["frame"]
    assert f">{words['stakeholder']}<" in pages["by_stakeholder"] and sales in pages["by_stakeholder"]
    assert f">{words['what they said']}<" in pages["asks"] and sales in pages["asks"]
    for page in pages.values():
        assert ">requirement<" not in page and ">must<" not in page and ">Legal and privacy<" not in page
    assert tables["frame"]["priority"].isin(["must", "nice"]).all()  # code still reads the English
    assert set(tables["asks"]["who"]) >= {"Sales", "Legal and privacy"}


def test_cost_and_score_tables_read_in_thai_in_a_lesson_and_keep_their_columns_as_data():
    from mopskit.i18n import _, language
    from mopskit.present import people_table
    from mopskit.selection import scenario

    email = scenario("email_vendor")
    with language("th"):
        years = email.tco("Mailvane (Growth)").by_year
        pages = people_table(years).to_html() + people_table(email.offers.scores()).to_html()
        words = [_(w) for w in ("year", "licence", "total", "cumulative", "offer")]
    assert all(f">{w}<" in pages for w in words)
    assert ">licence<" not in pages and ">offer<" not in pages and ">cumulative<" not in pages
    assert years["total"].sum() > 0 and "cumulative" in years.columns
