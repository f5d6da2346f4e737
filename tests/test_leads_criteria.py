"""MQL criteria as data: conditions, the sets the kit ships, and replaying past MQLs through them."""

import pandas as pd
import pytest

from mopskit.data import load
from mopskit.errors import ParameterError
from mopskit.leads.criteria import (
    Condition,
    MqlCriteria,
    apply_criteria,
    backtest_criteria,
    criteria_sets,
    mql_criteria,
)
from mopskit.leads.scoring import score_leads

LEADS = pd.DataFrame(
    {
        "score": [80.0, 65.0, 45.0, 90.0, None],
        "fit_score": [35.0, 10.0, 20.0, 40.0, 0.0],
        "hand_raiser": [True, False, False, True, False],
        "seniority": ["vp", "entry", "manager", "VP", None],
        "consent": ["opted_in", "opted_in", "opted_in", "unsubscribed", None],
    }
)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (Condition("score", ">=", 65), [True, True, False, True, False]),
        (Condition("score", "<", 65), [False, False, True, False, False]),
        (Condition("hand_raiser", "==", True), [True, False, False, True, False]),
        (Condition("seniority", "in", ["vp", "c_level"]), [True, False, False, True, False]),
        (Condition("seniority", "not in", ["entry"]), [True, False, True, True, True]),
        (Condition("consent", "!=", "unsubscribed"), [True, True, True, False, True]),
        (Condition("consent", "==", "opted_in"), [True, True, True, False, False]),
    ],
)
def test_conditions(condition, expected):
    assert condition.test(LEADS).tolist() == expected


def test_a_set_needs_every_condition_and_says_what_was_missed():
    result = apply_criteria(LEADS, "sales_quality")
    assert result["meets"].tolist() == [True, False, False, False, False]
    assert result.loc[1, "missed"] == "score >= 80; fit_score >= 30; hand_raiser == true"
    assert result.loc[3, "missed"] == "consent != unsubscribed"


def test_the_shipped_sets_go_from_volume_to_quality():
    sets = criteria_sets()
    assert list(sets) == ["marketing_volume", "sales_quality", "agreed"]
    assert mql_criteria().name == "agreed"
    met = {name: int(apply_criteria(LEADS, c)["meets"].sum()) for name, c in sets.items()}
    assert met["marketing_volume"] >= met["agreed"] >= met["sales_quality"]


def test_backtest_on_the_sample_data_shows_the_trade_off():
    scored = score_leads(load("contacts"), load("activities"), as_of="mql_at")
    table = backtest_criteria(scored).set_index("criteria")
    assert table.loc["marketing_volume", "mqls"] > table.loc["agreed", "mqls"] > table.loc["sales_quality", "mqls"]
    assert table.loc["sales_quality", "acceptance"] > table.loc["agreed", "acceptance"]
    assert table.loc["agreed", "acceptance"] > table.loc["marketing_volume", "acceptance"]
    assert (table["share_of_accepted"] <= 100).all()


def test_backtest_by_hand():
    leads = LEADS.assign(
        mql_at=pd.to_datetime(["2026-01-01", "2026-01-15", "2026-02-01", "2026-02-10", None]),
        sql_at=pd.to_datetime(["2026-01-08", None, "2026-02-09", None, None]),
    )
    table = backtest_criteria(leads, [mql_criteria("marketing_volume")], months=2).iloc[0]
    assert (table["mqls"], table["per_month"], table["accepted"]) == (3, 1.5, 2)
    assert table["acceptance"] == pytest.approx(200 / 3) and table["share_of_accepted"] == 100.0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: Condition("score", "=>", 60),
            r"Condition on 'score': 'op' must be one of >=, >, <=, <, ==, !=, in, not in \(got '=>'\)",
        ),
        (lambda: MqlCriteria.from_dict({"conditions": []}), "MQL criteria need a list of conditions"),
        (lambda: MqlCriteria.from_dict({"conditions": [{"field": "score"}]}), "condition 1 must have a field"),
        (
            lambda: mql_criteria("everyone"),
            r"mql_criteria: 'name' must be one of marketing_volume, sales_quality, agreed \(got 'everyone'\)",
        ),
        (lambda: Condition("colour", "==", "red").test(LEADS), "the criteria name the column 'colour'"),
        (lambda: Condition("score", ">=", "high").test(LEADS), "'score' is a number; compare it with a number"),
        (lambda: backtest_criteria(LEADS), "backtest_criteria needs the column 'mql_at'"),
    ],
)
def test_bad_criteria_are_refused_with_the_fix(make, message):
    with pytest.raises(ParameterError, match=message):
        make()


def test_the_criteria_table_has_a_row_per_draft_with_its_conditions_in_words():
    from mopskit.i18n import language
    from mopskit.leads import criteria_sets, criteria_table
    from mopskit.present import shown

    table = criteria_table()
    assert table.columns.tolist() == ["draft", "conditions"]
    assert table["conditions"].tolist() == [c.describe() for c in criteria_sets().values()]
    assert table["draft"].tolist() == [c.label for c in criteria_sets().values()], "the data keeps the English"
    with language("th"):
        thai = shown(criteria_table())
    assert thai.iloc[0, 0] == "ร่างของฝ่ายการตลาด: ลีดทุกรายที่มีส่วนร่วม"
