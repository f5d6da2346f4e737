"""mopskit.goals: a table of goal sentences with their expected reading and S/M/T verdicts, and properties."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mopskit.data import load
from mopskit.errors import DataError, ParameterError
from mopskit.goals import (
    assess_goal,
    attainability,
    build_goal,
    goal_metrics,
    metric_info,
    monthly_history,
    parse_goal,
    plot_attainability,
)
from mopskit.goals._parse import _parse
from mopskit.goals._smart import _assess
from mopskit.goals._vocab import scopes

TODAY = date(2026, 11, 1)

# sentence, expected parts (only those named are compared), S M T verdicts ("✓" passes, "✗" fails)
CASES = [
    (
        "We will increase total email clicks by 25% within a year.",
        {"metric": "email clicks", "direction": "increase", "amount": 25.0, "unit": "%", "horizon_days": 365},
        "✓✓✓",
    ),
    ("Boost engagement soon.", {"metric": None, "amount": None, "horizon_days": None}, "✗✗✗"),
    (
        "Increase MQLs from the webinar channel by 20% by end of Q2.",
        {"metric": "MQLs", "scope": ("webinar",), "amount": 20.0, "deadline": date(2027, 6, 30)},
        "✓✓✓",
    ),
    ("Grow email clicks by 10% this quarter.", {"amount": 10.0, "deadline": date(2026, 12, 31)}, "✓✓✓"),
    (
        "Raise email open rate from 20% to 25% by Q4 2027.",
        {"baseline": 20.0, "target": 25.0, "level_unit": "%", "amount": 5.0, "unit": "pp"},
        "✓✓✓",
    ),
    (
        "Cut CAC from $400 to $300 by 31 March 2027.",
        {
            "metric": "customer acquisition cost",
            "direction": "decrease",
            "baseline": 400.0,
            "target": 300.0,
            "level_unit": "USD",
            "deadline": date(2027, 3, 31),
        },
        "✗✓✓",
    ),
    (
        "Double MQLs from paid search next quarter.",
        {"amount": 100.0, "unit": "%", "direction": "increase", "deadline": date(2027, 3, 31)},
        "✓✓✓",
    ),
    ("Triple webinar registrations within 6 months.", {"amount": 200.0, "horizon_days": 182}, "✓✓✓"),
    ("Halve email unsubscribes in 90 days.", {"direction": "decrease", "amount": 50.0, "horizon_days": 90}, "✓✓✓"),
    (
        "Reduce email bounce rate to 2% by 2027-03-31.",
        {"target": 2.0, "level_unit": "%", "amount": None, "deadline": date(2027, 3, 31)},
        "✓✓✓",
    ),
    ("Get 5,000 MQLs in EMEA by year end.", {"target": 5000.0, "scope": ("EMEA",), "direction": None}, "✓✓✓"),
    ("Increase CTR by 2 percentage points by the end of the year.", {"amount": 2.0, "unit": "pp"}, "✓✓✓"),
    ("Increase click-through rate by 2% within 3 months.", {"amount": 2.0, "unit": "%", "horizon_days": 91}, "✓✓✓"),
    (
        "Grow pipeline generated to $2.5M in EMEA by 30 June 2027.",
        {"metric": "pipeline generated", "target": 2_500_000.0, "level_unit": "USD"},
        "✓✓✓",
    ),
    (
        "Improve lead response time by a quarter within six months.",
        {"direction": "decrease", "amount": 25.0, "unit": "%", "horizon_days": 182},
        "✗✓✓",
    ),
    (
        "Ana Pop will grow clicks on the newsletter by twenty percent next quarter.",
        {"metric": "email clicks", "owner": "Ana Pop", "amount": 20.0, "scope": ("email", "newsletter")},
        "✓✓✓",
    ),
    ("Increase website traffic 30% year over year.", {"amount": 30.0, "recurring": ("year",)}, "✓✓✗"),
    ("Reduce bounce rate to 2% over time.", {"target": 2.0, "horizon_days": None, "vague": ("over time",)}, "✓✓✗"),
    ("We want better marketing.", {"metric": None, "owner": "we"}, "✗✗✗"),
    ("Increase MQLs significantly by Q2.", {"metric": "MQLs", "amount": None, "target": None}, "✗✗✓"),
    ("Improve our email program.", {"metric": None, "direction": "increase"}, "✗✗✗"),
    ("Get more leads.", {"metric": "leads", "direction": "increase", "amount": None}, "✗✗✗"),
    ("Increase sales.", {"metric": None}, "✗✗✗"),
    ("Increase email clicks by 15% by 31/12/2027.", {"deadline": date(2027, 12, 31)}, "✓✓✓"),
    ("Increase email clicks by 15% by 03/04/2027.", {"deadline": None}, "✓✓✗"),  # 3 April or March 4?
    (
        "Maintain email open rate at 25% through 2027.",
        {"direction": "maintain", "target": 25.0, "deadline": date(2027, 12, 31)},
        "✓✓✓",
    ),
    ("Keep email churn rate below 0.5% this year.", {"direction": "maintain", "target": 0.5}, "✓✓✓"),
    (
        "Lift SQLs from the events channel by a dozen within 2 quarters.",
        {"metric": "SQLs", "amount": 12.0, "unit": "SQLs", "horizon_days": 182},
        "✓✓✓",
    ),
    (
        "Increase new customers from SEO by fifteen percent in the next 12 months.",
        {"metric": "new customers", "scope": ("seo",), "amount": 15.0, "horizon_days": 365},
        "✓✓✓",
    ),
    (
        "Reduce marketing spend in paid social by 10% by March 2027.",
        {"direction": "decrease", "deadline": date(2027, 3, 31), "scope": ("paid social",)},
        "✓✓✓",
    ),
    (
        "Our email team will increase email click-to-open rate from 10% to 12% by May 2027.",
        {"owner": "Our email team", "baseline": 10.0, "target": 12.0, "deadline": date(2027, 5, 31)},
        "✓✓✓",
    ),
    (
        "Grow ROMI from 150% to 200% in 2027 (owner: Priya Nair).",
        {"metric": "return on marketing investment", "owner": "Priya Nair", "target": 200.0},
        "✗✓✓",
    ),
    (
        "Increase MQL-to-SQL conversion rate by 5 pp for enterprise accounts by the end of H1 2027.",
        {"unit": "pp", "amount": 5.0, "scope": ("enterprise",), "deadline": date(2027, 6, 30)},
        "✓✓✓",
    ),
    ("Increase email clicks by 25% by 2020-01-01.", {"deadline": date(2020, 1, 1)}, "✓✓✗"),  # in the past
    ("Add 500 MQLs from webinars each month.", {"amount": 500.0, "unit": "MQLs", "recurring": ("month",)}, "✓✓✗"),
    (
        "Increase email subscribers by 1,000 within 8 weeks with a budget of $5,000.",
        {"amount": 1000.0, "horizon_days": 56, "resources": ("budget of $5,000",)},
        "✓✓✓",
    ),
    ("Cut cost per lead by half in APAC by Q3.", {"amount": 50.0, "direction": "decrease"}, "✓✓✓"),
    (
        "Reduce duplicate contact rate in the CRM from 8% to 3% within 90 days.",
        {"baseline": 8.0, "target": 3.0, "scope": ("CRM",)},
        "✓✓✓",
    ),
    ("Increase email clicks and open rate by 10% within 6 months.", {"other_metrics": ("email open rate",)}, "✗✓✓"),
    ("Drive growth.", {"metric": None, "vague": ("growth",)}, "✗✗✗"),
    ("Boost LinkedIn followers by 40% in 2027.", {"metric": "social media followers", "amount": 40.0}, "✓✓✓"),
    (
        "Shorten campaign launch time from 20 to 12 days by next year.",
        {"baseline": 20.0, "target": 12.0, "level_unit": "days", "deadline": date(2027, 12, 31), "unknown": ()},
        "✗✓✓",
    ),
    ("Increase email clicks by 25% per year.", {"recurring": ("year",), "horizon_days": None}, "✓✓✗"),
    ("", {"metric": None}, "✗✗✗"),
    (
        "Email clicks up 25% by Q1 2027.",
        {"direction": "increase", "amount": 25.0, "deadline": date(2027, 3, 31)},
        "✓✓✓",
    ),
    ("A 10% drop in email bounces by 1 Feb 2027.", {"direction": "decrease", "amount": 10.0}, "✓✓✓"),
]


@pytest.mark.parametrize(("sentence", "expected", "verdicts"), CASES, ids=[c[0][:48] or "empty" for c in CASES])
def test_goal_table(sentence, expected, verdicts):
    result = assess_goal(sentence, today=TODAY)
    goal = result.goal
    got = {name: getattr(goal, name) for name in expected}
    assert got == expected
    marks = "".join(c.mark for c in (result.specific, result.measurable, result.time_bound))
    assert marks == verdicts, str(result)
    for criterion in result.criteria:
        assert criterion.reason.endswith((".", ")", "?")), criterion.reason


def test_the_table_is_big_enough():
    assert len(CASES) >= 40


def test_the_articles_example_passes_s_m_t_and_the_vague_goal_says_how_to_fix_it():
    good = assess_goal("We will increase total email clicks by 25% within a year.", today=TODAY)
    assert good.passed and good.specific.passed and good.measurable.passed and good.time_bound.passed
    assert not good.attainable.judged and "history" in good.attainable.reason
    vague = assess_goal("Boost engagement soon.", today=TODAY)
    assert not vague.passed
    assert "'engagement' is too broad" in vague.specific.reason and "email clicks" in vague.specific.reason
    assert "pick a metric you can count" in vague.measurable.reason
    assert "'soon' is not a deadline" in vague.time_bound.reason and "within 6 months" in vague.time_bound.reason
    assert "name an owner" in vague.realistic.reason


def test_realistic_means_the_team_can_deliver_that_much_not_only_that_someone_is_named():
    # the article: "the team is able to work towards 25% improvement" (a capacity, judged against history)
    history = [100, 100, 100, 120, 110, 130, 125, 140, 150, 160, 150, 170]  # best quarter: about +17%
    named = assess_goal("Ana Pop will increase email clicks by 25% within 3 months.", today=TODAY)
    assert not named.realistic.judged and "Compare it with the most the team has delivered" in named.realistic.reason
    within = assess_goal("Ana Pop will increase email clicks by 5% within 3 months.", history, today=TODAY)
    assert within.realistic.passed and "the team has done as much before" in within.realistic.reason
    beyond = assess_goal("Ana Pop will increase email clicks by 60% within 3 months.", history, today=TODAY)
    assert beyond.realistic.judged and not beyond.realistic.passed
    assert "never delivered that much" in beyond.realistic.reason and "+60%" in beyond.realistic.reason
    nobody = assess_goal("Increase email clicks by 5% within 3 months.", history, today=TODAY)
    assert not nobody.realistic.passed and "name an owner" in nobody.realistic.reason


def test_relative_change_is_told_apart_from_a_target_rate():
    relative = parse_goal("Increase open rate by 25% within a year", today=TODAY)
    assert (relative.amount, relative.unit, relative.target) == (25.0, "%", None)
    assert relative.relative_change == 25.0
    assert any("percentage points" in note for note in relative.notes)
    level = parse_goal("Increase open rate to 3% within a year", today=TODAY)
    assert (level.amount, level.target, level.level_unit) == (None, 3.0, "%")
    both = parse_goal("Increase open rate from 2% to 3% within a year", today=TODAY)
    assert (both.baseline, both.target, both.amount, both.unit) == (2.0, 3.0, 1.0, "pp")
    assert both.relative_change == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("phrase", "deadline", "horizon"),
    [
        ("within a year", date(2027, 11, 1), 365),
        ("in the next 6 months", None, 182),
        ("within 6 months", None, 182),
        ("in 90 days", date(2027, 1, 30), 90),
        ("by 31 March 2027", date(2027, 3, 31), 150),
        ("by 2027-03-31", date(2027, 3, 31), 150),
        ("by end of Q2", date(2027, 6, 30), None),
        ("this quarter", date(2026, 12, 31), 60),
        ("next quarter", date(2027, 3, 31), None),
        ("by year end", date(2026, 12, 31), None),
        ("by Q3 2026", date(2026, 9, 30), -32),
        ("over time", None, None),
        ("soon", None, None),
        ("in the coming months", None, None),
        ("by March", date(2027, 3, 31), None),
        ("in 2027", date(2027, 12, 31), None),
        ("within two quarters", None, 182),
        ("by the end of next month", date(2026, 12, 31), None),
    ],
)
def test_time_phrases_count_from_today(phrase, deadline, horizon):
    goal = parse_goal(f"Grow email clicks by 10% {phrase}", today=TODAY)
    if deadline is not None:
        assert goal.deadline == deadline
    if horizon is not None:
        assert goal.horizon_days == horizon
    if deadline is None and horizon is None:
        assert goal.deadline is None and goal.horizon_days is None


@pytest.mark.parametrize(
    ("words", "amount"),
    [("one", 1), ("five", 5), ("twelve", 12), ("twenty", 20), ("a dozen", 12), ("twenty-five", 25), ("fifty", 50)],
)
def test_numbers_as_words(words, amount):
    assert parse_goal(f"Grow MQLs by {words} percent within a year", today=TODAY).amount == amount


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parse_and_assess_never_raise_on_any_text(text):
    goal = _parse(text, TODAY)  # the rules themselves, without parse_goal's safety net
    assert goal.text == text
    result = _assess(goal, None, min_periods=5, stretch=0.9)
    assert len(result.criteria) == 5
    assert assess_goal(text, today=TODAY).goal.text == text


_WORDS = st.sampled_from(
    "increase by to from % 25 $ 5k within a year Q2 2027 - / . , next quarter this end of email clicks MQLs "
    "double halve half a quarter soon over time owner : Ana will we in EMEA the 31 March percentage points "
    "\x00 \x1b \u200b 🙂 ١٢ ½".split(" ")
)


@given(st.lists(_WORDS, max_size=60).map(" ".join))
@settings(max_examples=400, deadline=None)
def test_parse_never_raises_on_goal_like_word_salad(text):
    goal = _parse(text, TODAY)
    _assess(goal, [10, 12, 9, 14, 15, 13, 16, 18, 17, 20], min_periods=3, stretch=0.9)


def test_very_long_and_control_character_input():
    text = ("We will increase email clicks by 25% within a year \x00\x07 " * 2000)[:100_000]
    goal = parse_goal(text, today=TODAY)
    assert goal.metric == "email clicks" and goal.amount == 25.0
    assert len(goal.unknown) <= 21
    nasty = "1" * 50_000 + "," + "next " * 5_000 + "of " * 5_000 + "Q" * 1000
    assert _parse(nasty, TODAY).text == nasty
    assert assess_goal(None).goal.text == ""  # not even a string


@given(
    metric=st.sampled_from(sorted(goal_metrics())),
    direction=st.sampled_from(["increase", "decrease"]),
    amount=st.integers(1, 400),
    horizon=st.one_of(st.integers(1, 900), st.none()),
    days_ahead=st.integers(1, 1500),
    scope=st.lists(st.sampled_from(sorted(scopes())), max_size=2, unique=True),
    owner=st.sampled_from([None, "Ana Pop", "Joon Park", "the email team"]),
)
@settings(max_examples=200, deadline=None)
def test_build_goal_round_trips_through_parse_goal(metric, direction, amount, horizon, days_ahead, scope, owner):
    from datetime import timedelta

    deadline = None if horizon else TODAY + timedelta(days=days_ahead)
    fields = {"metric": metric, "direction": direction, "amount": amount, "scope": scope, "owner": owner}
    text = build_goal(**fields, horizon_days=horizon, deadline=deadline)
    goal = parse_goal(text, today=TODAY)
    info = metric_info(metric)
    assert (goal.metric_key, goal.direction, goal.amount, goal.unit) == (metric, direction, amount, "%"), text
    assert goal.horizon_days == (horizon or days_ahead), text
    assert set(goal.scope) == set(scope) | ({info.scope} if info.scope else set()), text
    assert goal.owner == (owner or "we"), text
    assert (goal.unknown == () and goal.notes == ()) or info.kind in ("rate", "ratio"), text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"metric": "engagement", "amount": 5, "horizon_days": 9}, "unknown metric 'engagement'; valid: "),
        ({"metric": "mqls", "direction": "up", "amount": 5, "horizon_days": 9}, "unknown direction 'up'"),
        ({"metric": "mqls", "horizon_days": 9}, "give 'amount'"),
        ({"metric": "mqls", "amount": 5}, "give 'deadline'"),
        ({"metric": "mqls", "amount": 5, "horizon_days": 9, "scope": "Mars"}, "unknown scope 'Mars'; valid:"),
        ({"metric": "mqls", "amount": 5, "unit": "pp", "horizon_days": 9}, "fits rates only"),
        (
            {"metric": "mqls", "amount": 5, "deadline": "31/03/2027"},
            r"build_goal: 'deadline' must be a date written YYYY-MM-DD.*day-first \(31 March 2027\): write 2027-03-31",
        ),
        ({"metric": "mqls", "amount": -5, "horizon_days": 9}, "positive number"),
    ],
)
def test_build_goal_refuses_what_it_cannot_write(fields, message):
    with pytest.raises(ParameterError, match=message):
        build_goal(**fields)


def test_build_goal_writes_levels_and_round_trips_them():
    text = build_goal(metric="open rate", baseline=20, target=25, deadline="2027-06-30", owner="Priya Nair")
    goal = parse_goal(text, today=TODAY)
    assert (goal.baseline, goal.target, goal.level_unit, goal.owner) == (20.0, 25.0, "%", "Priya Nair")
    money = parse_goal(build_goal(metric="pipeline", target=250_000, horizon_days=182), today=TODAY)
    assert (money.target, money.level_unit, money.horizon_days) == (250_000.0, "USD", 182)


def test_monthly_history_counts_every_month_and_refuses_the_wrong_table():
    events = load("email_events")
    clicks = monthly_history(events, "clicks")
    assert clicks.sum() == (events["event_type"] == "clicked").sum()
    assert len(clicks) == 12 and clicks.index.freqstr.startswith("M")
    mqls = monthly_history(load("contacts"), "MQLs")
    assert mqls.sum() == load("contacts")["mql_at"].notna().sum()
    with pytest.raises(
        DataError,
        match=r"monthly_history: 'occurred_at' must be a column of the email_events table \(got columns contact_id, "
        r".*\); email clicks are counted from the email_events table: pass that one",
    ):
        monthly_history(load("contacts"), "clicks")
    with pytest.raises(ParameterError, match="not counted from the sample tables; valid: "):
        monthly_history(events, "CAC")


def test_attainability_against_the_sample_history():
    clicks = monthly_history(load("email_events"), "clicks")
    quarter = attainability(clicks, 0.25, horizon_days=91, metric="email clicks")
    assert quarter.basis == "horizon" and quarter.window_months == 3 and quarter.periods == len(clicks) - 5
    assert quarter.reached == sum(g >= 0.25 for g in quarter.growth)
    assert f"{quarter.reached} of {quarter.periods} past 3-month periods" in quarter.verdict
    year = attainability(clicks, 0.25, horizon_days=365, metric="email clicks")
    assert year.basis == "pace" and year.window_months == 3
    assert year.compared == pytest.approx(1.25**0.25 - 1)
    assert "too short to compare whole 12-month periods" in year.verdict
    wild = attainability(clicks, 9.0, horizon_days=91, metric="email clicks")
    assert wild.passed is False and "Beyond your history" in wild.verdict


def test_short_history_says_so_instead_of_pretending():
    result = assess_goal("We will grow email clicks by 25% within a year.", [5, 6, 7], today=TODAY)
    assert not result.attainable.judged
    assert "Not enough history to judge" in result.attainable.reason
    assert result.passed, "an unjudged criterion does not fail the goal"


def test_assess_with_history_judges_attainable_and_decreases_the_right_way():
    history = [100, 90, 95, 85, 80, 82, 75, 70, 72, 66, 60, 62]
    falls = assess_goal("We will cut email unsubscribes by 10% within 3 months.", history, today=TODAY)
    assert falls.attainable.judged and falls.attainable.passed
    assert falls.attainability.upward is False
    impossible = assess_goal("We will cut email unsubscribes by 150% within 3 months.", history, today=TODAY)
    assert not impossible.attainable.passed and "below" in impossible.attainable.reason
    with pytest.raises(DataError, match="numbers, one per month"):
        assess_goal("Grow clicks by 5% in Q1", ["a", "b"])


def test_the_chart_marks_the_target(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    clicks = monthly_history(load("email_events"), "clicks")
    att = attainability(clicks, 0.25, horizon_days=91, metric="email clicks")
    ax = plot_attainability(att, metric="email clicks")
    assert len(ax.patches) == att.periods
    assert any(abs(line.get_ydata()[0] - 25.0) < 1e-9 for line in ax.get_lines())
    ax.figure.savefig(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 1000


def test_every_measured_metric_points_at_a_real_column_of_the_data_dictionary():
    from mopskit.data import table_spec

    for metric in goal_metrics().values():
        source = metric.source
        if not source:
            continue
        spec = table_spec(source["table"])
        for column in (source["date"], source.get("column"), source.get("value")):
            if column:
                assert column in spec.columns, (metric.key, column)
        if source.get("column"):
            assert source["equals"] in spec.columns[source["column"]].values, metric.key
        assert metric_info(metric.label) is metric, f"the label of {metric.key} must read back as itself"


def test_in_another_language_the_metrics_a_vague_goal_could_name_are_quoted_in_english():
    from mopskit.i18n import language

    with language("th"):
        result = assess_goal("Boost engagement soon.", today=TODAY)
        shown, text = result._repr_html_(), str(result)
    assert "อัตราการคลิกผ่านของอีเมล (<q>email click-through rate</q>)" in shown  # the words a goal is written in
    assert "อัตราการคลิกผ่านของอีเมล (email click-through rate)" in text
    assert "<q>email" not in assess_goal("Boost engagement soon.", today=TODAY)._repr_html_()


def test_the_deadline_in_a_reason_is_written_in_the_language_in_use_and_the_goal_stays_english():
    from mopskit.i18n import language

    sentence = "Increase total email clicks by 25% by 31 March 2027."
    with language("th"):
        thai = assess_goal(sentence, today=TODAY).time_bound.reason
    assert "31 มีนาคม ค.ศ. 2027" in thai and "March" not in thai, thai
    assert "31 March 2027" in assess_goal(sentence, today=TODAY).time_bound.reason
    with language("th"):  # a goal is written in English whatever the language: the parser reads it
        assert "by 31 March 2027" in build_goal(metric="email_clicks", amount=25, deadline="2027-03-31")


def test_a_goals_parts_table_heads_its_columns_in_the_language_in_use_and_refuses_an_unknown_part():
    from mopskit.i18n import language
    from mopskit.present import shown

    goal = parse_goal("Ana Pop will raise email open rate from 20% to 25% by end of Q2 2027.", today=TODAY)
    table = goal.parts(["metric", "baseline", "target", "deadline"])
    assert table["read as"].tolist() == ["email open rate", "20.0", "25.0", "2027-06-30"]
    assert "text" not in goal.parts()["part"].tolist() and "owner" in goal.parts()["part"].tolist()
    with language("th"):  # the headers of the language the table is made in
        assert shown(goal.parts(["owner"])).columns.tolist() == ["ส่วน", "อ่านได้เป็น"]
    with pytest.raises(ParameterError, match="'goal' is not a part of a goal; valid: metric, metric_key"):
        goal.parts(["goal"])
