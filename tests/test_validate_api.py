"""Every public function of the domain packages, fed bad frames and arguments the way exports and trainees do.

For each function a strategy draws its arguments from good values, bad values (None, NaN, True, text, a
day-first date, '$7', a negative amount, a fraction where a percent goes...) and good tables spoiled a few
cells, columns or rows at a time. Whatever is drawn, the call either

- raises a :class:`~mopskit.errors.MopskitError` (never another exception), or
- returns a result whose notes account for every input row (``data_quality(result)["rows"]``: the rows
  received match the table passed, and no more are left out than came in), with no negative rate and, where
  a function promises one, totals that match its input's.

``test_every_public_function_is_covered`` lists the public functions from each package's ``__all__`` and fails
when one has no strategy here. Examples are few and derandomized (the same ones every run), with no deadline,
so the suite is quick and never flaky on a loaded machine; ``MOPSKIT_PROPERTY_EXAMPLES=300`` searches harder.
"""

from __future__ import annotations

import atexit
import datetime as dt
import importlib
import inspect
import math
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mopskit._validate import amounts, dates, missing_keys
from mopskit.data import load
from mopskit.errors import MopskitError

PACKAGES = ("metrics", "stack", "goals", "roles", "strategy", "data", "data.exports", "health", "leads", "selection")
# MOPSKIT_PROPERTY_EXAMPLES=300 searches harder, with fresh random examples (for a local hunt, not for CI)
EXAMPLES = int(os.environ.get("MOPSKIT_PROPERTY_EXAMPLES", "12"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="MOPSKIT_PROPERTY_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# --- values ---------------------------------------------------------------------------------------------

BAD_SCALARS = [None, float("nan"), True, False, "abc", "", " ", -1, 0, 0.04, 1e12, "13/02/2026", "$7", [], {}]
BAD_CELLS = [None, np.nan, "", " ", "abc", "$7", "1,000.00", "13/02/2026", "2026-02-30", "-5", -5, -5.0, True, 0]
DAYS = ["2026-01-31", "2025-12-01", dt.date(2026, 3, 1), "31/01/2026", "01/02/2026", "soon", None, 20260131]


def anything(*good: Any) -> st.SearchStrategy[Any]:
    """A good value most of the time, a bad one otherwise."""
    options = [st.sampled_from(BAD_SCALARS), st.text(max_size=12)]
    if good:
        options.insert(0, st.sampled_from(list(good)))
    return st.one_of(*options)


def maybe(value: Any) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(value), st.sampled_from(BAD_SCALARS))


@st.composite
def spoiled(draw: st.DrawFn, table: pd.DataFrame) -> pd.DataFrame:
    """A table as exports deliver it: a few bad cells, perhaps a lost column, duplicated or no rows."""
    frame = table.copy()
    for _ in range(draw(st.integers(0, 3))):
        column = draw(st.sampled_from(list(frame.columns)))
        frame[column] = frame[column].astype(object)
        rows = draw(st.lists(st.integers(0, len(frame) - 1), min_size=1, max_size=3)) if len(frame) else []
        value = draw(st.sampled_from(BAD_CELLS))
        for row in rows:
            frame.iat[row, frame.columns.get_loc(column)] = value
    change = draw(st.sampled_from(["none", "none", "none", "drop", "empty", "twice", "index"]))
    if change == "drop":
        frame = frame.drop(columns=draw(st.sampled_from(list(frame.columns))))
    elif change == "empty":
        frame = frame.head(0)
    elif change == "twice":
        frame = pd.concat([frame, frame.head(2)])
    elif change == "index":
        frame.index = [f"r{i}" for i in range(len(frame))]
    return frame


def sample(name: str, rows: int = 24) -> pd.DataFrame:
    """A few rows of a bundled table, chosen across it so every kind of row is there."""
    table = load(name)
    step = max(1, len(table) // rows)
    return table.iloc[::step].head(rows).reset_index(drop=True)


def customers_and_touches(contacts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Contacts that include customers, and the touchpoints of those contacts."""
    table = load("contacts")
    won = table[table["customer_at"].notna()].head(8)
    people = pd.concat([won, contacts.head(8)], ignore_index=True)
    touches = load("touchpoints")
    return people, touches[touches["contact_id"].isin(set(people["contact_id"]))].head(40).reset_index(drop=True)


# --- the cases: how to call each public function ----------------------------------------------------------


class Case:
    """How to draw the arguments of one public function, and what its result must satisfy beyond the rules."""

    def __init__(
        self,
        draw: Callable[[st.DrawFn], tuple[tuple, dict]] | None = None,
        check: Callable[..., None] | None = None,
        *,
        fixed: tuple[tuple, dict] | None = None,
    ):
        self.strategy = st.just(fixed) if draw is None else st.composite(draw)()
        self.check = check


CASES: dict[str, Case] = {}


def case(name: str, check: Callable[..., None] | None = None) -> Callable[[Callable], Callable]:
    def register(draw: Callable) -> Callable:
        CASES[name] = Case(draw, check)
        return draw

    return register


def no_args(*names: str) -> None:
    for name in names:
        CASES[name] = Case(fixed=((), {}))


def text_arg(name: str, *good: Any) -> None:
    CASES[name] = Case(lambda draw: ((draw(anything(*good)),), {}))


# metrics ------------------------------------------------------------------------------------------------


def _counts(draw: st.DrawFn) -> list[Any]:
    count = st.one_of(st.integers(0, 3000), st.sampled_from([True, float("nan"), "12", None, -3, 2.5]))
    return [draw(count) for _ in range(4)]


def check_ab(result: Any, args: tuple, kwargs: dict, inputs: dict) -> None:
    for name in ("rate_a", "rate_b", "rate_a_low", "rate_a_high", "rate_b_low", "rate_b_high"):
        value = getattr(result, name)
        assert math.isnan(value) or 0 <= value <= 100, (name, value)
    if not math.isnan(result.ci_low) and result.interval == "newcomb":
        assert -100 <= result.ci_low <= result.difference + 1e-9 <= result.ci_high + 2e-9 <= 100 + 1e-9


@case("metrics.ab_test", check_ab)
def _ab_test(draw: st.DrawFn) -> tuple[tuple, dict]:
    kwargs = draw(
        st.fixed_dictionaries(
            {}, optional={"confidence": anything(95, 99, 90), "interval": anything("wald", "newcomb")}
        )
    )
    return tuple(_counts(draw)), kwargs


@case("metrics.sample_size", lambda result, *_: (isinstance(result, int) and result > 0) or pytest.fail(str(result)))
def _sample_size(draw: st.DrawFn) -> tuple[tuple, dict]:
    rate = st.one_of(st.floats(0.01, 99.9), st.sampled_from([0.04, "0.5%", 0, 100, -1, float("nan"), "4", True]))
    kwargs = draw(
        st.fixed_dictionaries({}, optional={"power": anything(80, 90), "method": anything("pooled", "cohens_h")})
    )
    return (draw(rate), draw(st.one_of(st.floats(-20, 20), st.sampled_from([0, 0.01, "1"])))), kwargs


@case("metrics.romi")
def _romi(draw: st.DrawFn) -> tuple[tuple, dict]:
    return (draw(anything(1500.0, 0)), draw(anything(1000.0, 0))), {}


@case("metrics.rate")
def _rate(draw: st.DrawFn) -> tuple[tuple, dict]:
    return (draw(anything(3, 2.5)), draw(anything(0, 10))), {}


@case("metrics.percent")
def _percent(draw: st.DrawFn) -> tuple[tuple, dict]:
    column = st.one_of(st.just(pd.Series([1, 2, 3])), st.just(pd.Series([0, 4, 0])), st.sampled_from(BAD_SCALARS))
    return (draw(column), draw(column)), {}


def purchases() -> pd.DataFrame:
    rows = [("a", "2026-01-03", 10.0), ("a", "2026-02-09", 20.0), ("b", "2026-01-20", 8.0), ("c", "2026-03-01", 5.0)]
    return pd.DataFrame(rows * 3, columns=["customer_id", "date", "amount"])


def check_log(result: Any, args: tuple, kwargs: dict, inputs: dict) -> None:
    log = inputs["log"]
    if isinstance(result, float):
        assert math.isnan(result) or 0 <= result <= 100
        return
    if "revenue" in getattr(result, "columns", []):
        kept = log[~missing_keys(log["customer_id"])]
        when = dates(kept["date"], function="t", table="t")
        kept = kept[when.notna()]
        paid = amounts(kept["amount"], function="t", table="t", negative=True).fillna(0)
        refunds = paid < 0
        customers = set(kept.loc[~refunds.to_numpy(), "customer_id"])
        expected = paid[kept["customer_id"].isin(customers).to_numpy()].sum()
        assert result["revenue"].sum() == pytest.approx(expected)
        assert result["customers"].sum() == len(customers)


def _log_case(name: str, *, amount: bool) -> None:
    @case(f"metrics.{name}", check_log)
    def _draw(draw: st.DrawFn) -> tuple[tuple, dict]:
        kwargs = {"refunds": draw(st.booleans())} if amount else {}
        return (draw(spoiled(purchases())),), kwargs


for _name, _amount in [
    ("acquisition_cohorts", True),
    ("cohort_revenue", True),
    ("repeat_purchase_rate", False),
    ("retention_curve", False),
    ("retention_matrix", False),
]:
    _log_case(_name, amount=_amount)


def _period(draw: st.DrawFn) -> dict[str, Any]:
    return draw(st.fixed_dictionaries({}, optional={"start": st.sampled_from(DAYS), "end": st.sampled_from(DAYS)}))


def check_credit(result: pd.DataFrame, args: tuple, kwargs: dict, inputs: dict) -> None:
    contacts = inputs["contacts"]
    won = dates(contacts["customer_at"], function="t", table="t")
    value = amounts(contacts["deal_amount"], function="t", table="t").fillna(0.0)
    first, last = kwargs.get("start"), kwargs.get("end")
    keep = won.notna()
    if first:
        keep &= won >= pd.Timestamp(first)
    if last:
        keep &= won < pd.Timestamp(last) + pd.Timedelta(days=1)
    total = float(value[keep.to_numpy()].sum())
    credited = ["credit"] if "credit" in result.columns else [c for c in result.columns if c.startswith("revenue")]
    for column in credited:
        assert result[column].sum() == pytest.approx(total, rel=1e-9, abs=1e-6), column


def _attribution_case(name: str) -> None:
    @case(f"metrics.{name}", check_credit)
    def _draw(draw: st.DrawFn) -> tuple[tuple, dict]:
        people, touches = customers_and_touches(sample("contacts", 12))
        kwargs = _period(draw)
        kwargs |= draw(st.fixed_dictionaries({}, optional={"half_life_days": anything(7, 0.5, 30)}))
        if name == "compare_models":
            kwargs |= draw(
                st.fixed_dictionaries(
                    {}, optional={"models": st.sampled_from([("linear",), ("time_decay", "first_touch"), ("u",)])}
                )
            )
            return (draw(spoiled(touches)), draw(spoiled(people)), draw(spoiled(sample("campaigns")))), kwargs
        kwargs |= draw(
            st.fixed_dictionaries({}, optional={"model": anything("linear", "time_decay", "position_based")})
        )
        return (draw(spoiled(touches)), draw(spoiled(people))), kwargs


for _name in ("attribute", "touch_credits", "compare_models"):
    _attribution_case(_name)


def check_economics(result: pd.DataFrame, args: tuple, kwargs: dict, inputs: dict) -> None:
    if kwargs.get("start") or kwargs.get("end"):
        return
    spend = amounts(inputs["campaigns"]["spend"], function="t", table="t")
    if spend.notna().all() and result["spend"].notna().all():
        assert result["spend"].sum() == pytest.approx(round(spend.sum(), 2), abs=0.01 * len(result) + 1e-6)


@case("metrics.channel_economics", check_economics)
def _economics(draw: st.DrawFn) -> tuple[tuple, dict]:
    people, _touches = customers_and_touches(sample("contacts", 12))
    kwargs = _period(draw) | draw(
        st.fixed_dictionaries({}, optional={"by": anything("channel", "month", ("channel", "month"))})
    )
    return (draw(spoiled(sample("campaigns"))), draw(spoiled(people))), kwargs


def check_budget(result: pd.DataFrame, args: tuple, kwargs: dict, inputs: dict) -> None:
    if (
        kwargs.get("by", ("month", "channel")) == ("month", "channel")
        and not kwargs.get("start")
        and not kwargs.get("end")
    ):
        budget = inputs["budget"]
        dated = ~missing_keys(budget["month"])
        actual = amounts(budget["actual"], function="t", table="t")[dated.to_numpy()]
        assert result["actual"].sum() == pytest.approx(actual.sum())


@case("metrics.budget_variance", check_budget)
def _budget(draw: st.DrawFn) -> tuple[tuple, dict]:
    kwargs = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "by": anything("month", "channel", ("month", "channel"), None),
                "tolerance_pct": anything(5, 10),
                "start": st.sampled_from(["2026-01", "2026-02-15", "13/2026", None]),
                "end": st.sampled_from(["2026-03", "2025-12", "March"]),
            },
        )
    )
    return (draw(spoiled(sample("budget"))),), kwargs


@case("metrics.email_metrics")
def _email(draw: st.DrawFn) -> tuple[tuple, dict]:
    events = sample("email_events", 40)
    kwargs = _period(draw) | draw(
        st.fixed_dictionaries(
            {},
            optional={
                "by": anything("campaign_id", "month", "channel"),
                "campaigns": st.one_of(st.just(sample("campaigns", 80)), st.just(None)),
                "channels": st.sampled_from([["email"], ["tv"], None]),
            },
        )
    )
    return (draw(spoiled(events)),), kwargs


@case("metrics.per_campaign")
def _per_campaign(draw: st.DrawFn) -> tuple[tuple, dict]:
    return (draw(st.one_of(spoiled(sample("email_events", 30)), st.sampled_from(BAD_SCALARS))),), {}


def _contacts_case(name: str, **options: st.SearchStrategy[Any]) -> None:
    @case(f"metrics.{name}")
    def _draw(draw: st.DrawFn) -> tuple[tuple, dict]:
        kwargs = draw(st.fixed_dictionaries({}, optional=options))
        return (draw(spoiled(sample("contacts"))),), kwargs


_contacts_case("funnel", by=anything("channel", "cohort_month"), start=st.sampled_from(DAYS), end=st.sampled_from(DAYS))
_contacts_case("funnel_stages", channel=anything("email", "seo"), start=st.sampled_from(DAYS))
_contacts_case("lead_velocity", stage=anything("mql", "customer"), by=anything("channel"))
_contacts_case("time_in_stage", by=anything("channel", "cohort_month"))


def _raw_contacts_case(name: str, **options: st.SearchStrategy[Any]) -> None:
    @case(f"metrics.{name}")
    def _draw(draw: st.DrawFn) -> tuple[tuple, dict]:
        kwargs = draw(st.fixed_dictionaries({}, optional=options))
        return (draw(spoiled(sample("contacts_raw"))),), kwargs


_raw_contacts_case("completeness")
_raw_contacts_case("duplicate_sample", column=anything("email"), groups=anything(1, 3), others=anything(0, 7))
_raw_contacts_case("duplicates", column=anything("email", "contact_id"), normalize=st.booleans())
_raw_contacts_case("invalid_emails")
_raw_contacts_case("quality_scorecard", expected_filled=st.sampled_from([("email",), ("nope",), []]))
_raw_contacts_case("stage_order_violations")

text_arg("metrics.metric", "open_rate", "cac")
CASES["metrics.catalog"] = Case(
    lambda draw: ((), draw(st.fixed_dictionaries({}, optional={"family": anything("email")})))
)
no_args("metrics.variant_labels", "metrics.variants")
for _name in ("metrics.notes", "metrics.data_quality"):
    CASES[_name] = Case(
        lambda draw: ((draw(st.one_of(st.just(pd.DataFrame({"a": [1]})), st.sampled_from(BAD_SCALARS))),), {})
    )

# stack ----------------------------------------------------------------------------------------------------

no_args(
    "stack.as_of",
    "stack.categories",
    "stack.category_table",
    "stack.company_size",
    "stack.stack_facts",
    "stack.statuses",
)
text_arg("stack.category", "crm", "marketing_automation")
text_arg("stack.category_of", "CRM", "Email marketing")
text_arg("stack.label_readings", ["MAP", "Loyalty"], ["E-mail", "Data enrichment"], [])
text_arg("stack.status_of", "active", "Retired")
text_arg("stack.size_benchmark", "smb", "enterprise")
CASES["stack.money"] = Case(lambda draw: ((draw(anything(1200.5, 0, -3.0)),), {}))


def _thresholds(draw: st.DrawFn) -> dict[str, Any]:
    return draw(
        st.fixed_dictionaries(
            {},
            optional={
                "today": st.sampled_from(DAYS),
                "renewal_window_days": anything(30, 90),
                "low_utilization_pct": anything(50, 0.5),
                "company_size": anything("smb"),
            },
        )
    )


CASES["stack.thresholds"] = Case(lambda draw: ((), _thresholds(draw)))


@case("stack.audit")
def _audit(draw: st.DrawFn) -> tuple[tuple, dict]:
    kwargs = {"today": "2026-10-31"} | _thresholds(draw)
    return (draw(spoiled(sample("martech_stack", 12))),), kwargs


@case("stack.load_inventory")
def _inventory(draw: st.DrawFn) -> tuple[tuple, dict]:
    return (
        draw(st.one_of(spoiled(sample("martech_stack", 12)), st.sampled_from(["no/such.csv", "sample", None]))),
    ), {}


@case("stack.integration_map")
def _integrations(draw: st.DrawFn) -> tuple[tuple, dict]:
    return (draw(spoiled(sample("martech_stack", 12))),), draw(
        st.fixed_dictionaries({}, optional={"others": anything(["X"])})
    )


# goals ----------------------------------------------------------------------------------------------------

HISTORY = st.one_of(
    st.lists(st.one_of(st.floats(-10, 1e4), st.just(float("nan"))), max_size=30),
    st.sampled_from([[100, 110, 120, 130, 140, 150, 160], [0, 0, 0, 0, 0, 0], ["a", "b"], [True] * 6, None]),
)
GOALS = anything("Increase email clicks by 25% within a year", "Cut CAC from $400 to $300 by end of Q2 2027")

CASES["goals.parse_goal"] = Case(
    lambda draw: ((draw(GOALS),), draw(st.fixed_dictionaries({}, optional={"today": st.sampled_from(DAYS)})))
)
CASES["goals.assess_goal"] = Case(lambda draw: ((draw(GOALS), draw(HISTORY)), {"today": "2026-01-31"}))
text_arg("goals.find_metric", "email clicks", "open rate")
text_arg("goals.metric_info", "mqls", "cac")
text_arg("goals.goal_text", "Grow MQLs by 10% within a year", {"text": "x"})
no_args("goals.goal_metrics")
CASES["goals.format_date"] = Case(lambda draw: ((draw(anything(dt.date(2027, 3, 31))),), {}))
CASES["goals.format_horizon"] = Case(lambda draw: ((draw(anything(365, 30, 7)),), {}))


@case("goals.attainability")
def _attainability(draw: st.DrawFn) -> tuple[tuple, dict]:
    return (draw(HISTORY), draw(anything(25.0, 0.0, -10.0))), {
        "horizon_days": draw(anything(365, 90)),
        "metric": draw(anything("mqls", None)),
    }


@case("goals.attainable_change")
def _attainable_change(draw: st.DrawFn) -> tuple[tuple, dict]:
    return (draw(HISTORY),), {"horizon_days": draw(anything(365, 90)), "share": draw(anything(0.5, 0.9))}


@case("goals.build_goal")
def _build_goal(draw: st.DrawFn) -> tuple[tuple, dict]:
    kwargs = {"metric": draw(anything("mqls", "open rate"))}
    kwargs |= draw(
        st.fixed_dictionaries(
            {},
            optional={
                "amount": anything(25, 5.5),
                "unit": anything("%", "pp"),
                "deadline": st.sampled_from(DAYS),
                "horizon_days": anything(365),
                "target": anything(30.0),
            },
        )
    )
    return (), kwargs


@case("metrics.monthly_history")
def _metrics_history(draw: st.DrawFn) -> tuple[tuple, dict]:
    table = draw(st.sampled_from(["email_events", "contacts", "campaigns"]))
    name = draw(anything("clicks", "mqls", "total_opens", "spend", "nps"))
    return (draw(spoiled(sample(table, 40))), name), {}


text_arg("metrics.metric_name", "cac", "mql_to_sql_rate")


@case("goals.goal_from_fields")
def _goal_from_fields(draw: st.DrawFn) -> tuple[tuple, dict]:
    fields = draw(
        st.fixed_dictionaries(
            {"metric": anything("MQLs", "open rate")},
            optional={
                "amount": anything("15", "12,5", 10),
                "deadline": st.sampled_from([*DAYS, "within 6 months", "next quarter"]),
                "direction": anything("increase", "decrease"),
                "owner": anything("Priya"),
            },
        )
    )
    return (draw(st.one_of(st.just(fields), st.sampled_from(BAD_SCALARS))),), {"today": dt.date(2026, 11, 1)}


@case("goals.monthly_history")
def _monthly_history(draw: st.DrawFn) -> tuple[tuple, dict]:
    return (draw(spoiled(sample("email_events", 40))),), draw(
        st.fixed_dictionaries({}, optional={"metric": anything("clicks", "opens")})
    )


def _goal_and_history(draw: st.DrawFn) -> tuple[Any, Any]:
    from mopskit.goals import parse_goal

    return parse_goal(draw(GOALS), today=dt.date(2026, 1, 1)), draw(HISTORY)


@case("goals.required_growth")
def _required_growth(draw: st.DrawFn) -> tuple[tuple, dict]:
    goal, history = _goal_and_history(draw)
    return (draw(st.one_of(st.just(goal), st.sampled_from(BAD_SCALARS))), history), {}


@case("goals.plot_attainability")
def _plot_attainability(draw: st.DrawFn) -> tuple[tuple, dict]:
    from mopskit.goals import attainability

    try:
        att = attainability(draw(HISTORY), 25.0, horizon_days=365)
    except MopskitError:
        att = attainability([100, 110, 120, 130, 140, 150, 160], 25.0, horizon_days=365)
    return (draw(st.one_of(st.just(att), st.sampled_from(BAD_SCALARS))),), draw(
        st.fixed_dictionaries({}, optional={"ax": st.sampled_from([None, "ax", 3])})
    )


# roles ----------------------------------------------------------------------------------------------------

ROLE_IDS = st.sampled_from([["email_operations", "crm_admin"], ["nobody"], [], None, "crm_admin", [3]])
TASKS = st.sampled_from([["Send the monthly newsletter"], [], ["", None], "Send it", None, [1, 2]])
no_args(
    "roles.archetypes",
    "roles.company_sketches",
    "roles.matching_drill",
    "roles.sketches_table",
    "roles.team_model_table",
    "roles.team_models",
)
text_arg("roles.archetype", "maestro", "maker")
text_arg("roles.role", "crm_admin", "email_operations")
text_arg("roles.team_model", "centralized")
text_arg("roles.raci_scenario", "email_program")
text_arg("roles.normalize", "Merge duplicate records")
COMPANIES = st.sampled_from(
    [
        {"name": "Larkspur", "employees": 180, "marketers": 4, "dedicated_mops": False, "strategic_mandate": False},
        {"name": "Acme"},
        {},
        None,
        "Acme",
    ]
)
CASES["roles.company_facts"] = Case(lambda draw: ((draw(COMPANIES),), {"apps": draw(anything(21, 0))}))
CASES["roles.role_table"] = Case(
    lambda draw: ((), draw(st.fixed_dictionaries({}, optional={"archetype": anything("maestro")})))
)
CASES["roles.roles"] = Case(
    lambda draw: (
        (),
        draw(
            st.fixed_dictionaries({}, optional={"archetype": anything("maestro"), "source": anything("purpose_2024")})
        ),
    )
)
CASES["roles.best_role"] = Case(
    lambda draw: ((draw(anything("Merge duplicate records in the CRM")),), {"roles": draw(ROLE_IDS)})
)
CASES["roles.match_task"] = Case(
    lambda draw: (
        (draw(anything("Route leads to sales")),),
        {"roles": draw(ROLE_IDS), "top": draw(anything(3, None, 0))},
    )
)
CASES["roles.match_archetype"] = Case(
    lambda draw: ((draw(anything("writes code and APIs")),), {"top": draw(anything(2, None))})
)
CASES["roles.assign_owners"] = Case(lambda draw: ((draw(TASKS),), {"roles": draw(ROLE_IDS)}))
CASES["roles.suggest_raci"] = Case(lambda draw: ((draw(TASKS), draw(ROLE_IDS)), {}))
ANSWERS = st.sampled_from(
    [{"Send the monthly newsletter to the customer list": "email_operations"}, {"x": 3}, {}, None, "abc", {"a": None}]
)
CASES["roles.explain_matches"] = Case(lambda draw: ((draw(ANSWERS), draw(TASKS)), {"reveal": draw(st.booleans())}))
PICKS = st.sampled_from([{"Fernway": "centralized"}, {"Fernway": 3}, {"x": None}, {}, None, "abc", ["Fernway"]])
CASES["roles.compare_picks"] = Case(lambda draw: ((draw(PICKS),), {}))
CASES["roles.matching_score"] = Case(lambda draw: ((draw(ANSWERS),), {}))
CASES["roles.rows_to_revisit"] = Case(lambda draw: ((draw(ANSWERS),), {}))
CASES["roles.parse_raci_cell"] = Case(
    lambda draw: ((draw(st.one_of(st.sampled_from(["A/R", "r", "", "X", "A, C"]), st.sampled_from(BAD_SCALARS))),), {})
)
MATRICES = st.sampled_from(
    [
        {"Send the newsletter": {"Ana": "A/R", "Joon": "C"}},
        {"Send": {"Ana": "Q"}},
        {"Send": "A"},
        [("Send", "Ana", "R")],
        pd.DataFrame({"Ana": ["A/R", None]}, index=["t1", "t2"]),
        pd.DataFrame(),
        None,
        3,
        "A/R",
    ]
)
for _name in ("roles.raci_gaps", "roles.raci_row_checks", "roles.raci_responsible_fit", "roles.raci_matrix"):
    CASES[_name] = Case(lambda draw: ((draw(MATRICES),), {}))
CASES["roles.recommend_team"] = Case(
    lambda draw: (
        (),
        {
            k: draw(anything(*good))
            for k, good in (
                ("employees", (200, 5000)),
                ("marketers", (12,)),
                ("apps", (20,)),
                ("dedicated_mops", (True, False)),
            )
        },
    )
)
SURVEYS = st.one_of(spoiled(load("mops_tasks_survey")), st.sampled_from(BAD_SCALARS))
CASES["roles.common_tasks"] = Case(lambda draw: ((draw(SURVEYS),), {"min_share": draw(anything(50, 0.5))}))
CASES["roles.most_common_task"] = Case(lambda draw: ((draw(SURVEYS),), {}))
CASES["roles.plot_task_survey"] = Case(
    lambda draw: ((draw(st.one_of(SURVEYS, st.none())),), {"highlight": draw(anything(50, None))})
)

# strategy -------------------------------------------------------------------------------------------------

no_args("strategy.example_plan", "strategy.example_plan_note", "strategy.plan_options")
text_arg("strategy.review_date", "email_program")
text_arg("strategy.scenario", "webinar_leads")
text_arg("strategy.scenario_plan", "webinar_leads")


@st.composite
def plans(draw: st.DrawFn) -> Any:
    from mopskit.strategy import Plan, example_plan

    plan = example_plan()
    data = plan.to_dict()
    section = draw(st.sampled_from(["title", "goals", "tasks", "steps", "stakeholders", "metric"]))
    value = draw(
        st.sampled_from(
            [
                None,
                "",
                "x" * 500,
                [],
                [{"title": "t", "due": "13/02/2026"}],
                [{"title": None, "due": None}],
                {"name": None},
            ]
        )
    )
    data[section] = value
    try:
        return Plan.from_dict(data)
    except MopskitError:
        return plan


PLAN_ARGS = st.one_of(plans(), st.sampled_from(BAD_SCALARS))
for _name in ("strategy.review_plan", "strategy.plan_progress", "strategy.to_html", "strategy.to_markdown"):
    CASES[_name] = Case(
        lambda draw: ((draw(PLAN_ARGS),), draw(st.fixed_dictionaries({}, optional={"today": st.sampled_from(DAYS)})))
    )
CASES["strategy.export_plan"] = Case(
    lambda draw: (
        (draw(PLAN_ARGS), draw(st.sampled_from(["{tmp}/plan.md", "{tmp}/plan.html", "{tmp}/plan.docx", None]))),
        {},
    )
)

# leads ------------------------------------------------------------------------------------------------------


def _lead_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A few contacts (MQLs, customers, plain leads), their activities and the sales team."""
    contacts = load("contacts")
    people = pd.concat(
        [contacts[contacts["mql_at"].notna()].head(10), contacts[contacts["mql_at"].isna()].head(6)], ignore_index=True
    )
    acts = load("activities")
    return (
        people,
        acts[acts["contact_id"].isin(set(people["contact_id"]))].head(40).reset_index(drop=True),
        load("sales_team"),
    )


LEAD_PEOPLE, LEAD_ACTS, LEAD_TEAM = _lead_tables()
LEADS = st.one_of(spoiled(LEAD_PEOPLE), spoiled(LEAD_PEOPLE), st.sampled_from(BAD_SCALARS))
ACTS = st.one_of(spoiled(LEAD_ACTS), st.sampled_from(BAD_SCALARS))
TEAM = st.one_of(spoiled(LEAD_TEAM), st.sampled_from(BAD_SCALARS))
MOMENTS = st.one_of(
    st.just(pd.Series(["2026-03-06T14:30:00", "2026-03-09T08:15:00", None])),
    st.just(pd.Series(["13/03/2026 16:00", "soon", ""])),
    st.just(pd.Series([], dtype=object)),
    st.sampled_from(BAD_SCALARS),
)
ZONES = anything("UTC", "Europe/Bucharest", "America/New_York")
SCHEDULES = st.one_of(st.sampled_from(["09:00-17:00", "08:00-16:00 mon-thu", "17:00-09:00", "9-5", "09:00-17:00 xyz"]))


def _scored() -> pd.DataFrame:
    from mopskit.leads import score_leads

    return score_leads(LEAD_PEOPLE, LEAD_ACTS, as_of="2026-10-31")


SCORED = _scored()


def check_sla(result: pd.DataFrame, args: tuple, kwargs: dict, inputs: dict) -> None:
    if "compliance" in result.columns:
        values = result["compliance"].dropna()
        assert ((values >= 0) & (values <= 100)).all(), values.tolist()


def check_routed(result: pd.DataFrame, args: tuple, kwargs: dict, inputs: dict) -> None:
    assert result["contact_id"].is_unique or not inputs["leads"]["contact_id"].is_unique, "a lead routed twice"
    assert result["owner"].notna().all(), "a lead routed to nobody"


CASES["leads.active_owners"] = Case(lambda draw: ((draw(TEAM),), {"as_of": draw(st.sampled_from(DAYS))}))
for _name in ("leads.business_hours_between", "leads.add_business_hours"):
    CASES[_name] = Case(
        lambda draw: (
            (draw(MOMENTS), draw(st.one_of(MOMENTS, st.just([1.5, 8, -2]), st.just([float("nan")] * 3)))),
            draw(st.fixed_dictionaries({}, optional={"time_zone": ZONES})),
        )
    )
CASES["leads.parse_business_hours"] = Case(
    lambda draw: (
        (draw(st.one_of(SCHEDULES, st.sampled_from(BAD_SCALARS))),),
        draw(st.fixed_dictionaries({}, optional={"holidays": st.sampled_from([["2026-12-25"], ["31/12/2026"], "x"])})),
    )
)
CASES["leads.apply_criteria"] = Case(
    lambda draw: (
        (draw(st.one_of(spoiled(SCORED), st.sampled_from(BAD_SCALARS))),),
        {"criteria": draw(anything(None, "agreed"))},
    )
)
CASES["leads.backtest_criteria"] = Case(
    lambda draw: (
        (draw(st.one_of(spoiled(SCORED), st.sampled_from(BAD_SCALARS))),),
        {
            "sets": draw(st.sampled_from([None, ["agreed"], ["nope"], "agreed", [3]])),
            "months": draw(anything(12, None)),
        },
    )
)
CASES["leads.check_path"] = Case(
    lambda draw: (
        (draw(st.sampled_from([["lead", "mql"], ["lead", "sql"], [], ["x"], "lead", None, [None], [3]])),),
        {},
    )
)
no_args("leads.criteria_sets", "leads.criteria_table")
CASES["leads.activity_counts"] = Case(lambda draw: ((draw(ACTS),), {}))
text_arg("leads.mql_criteria", "agreed", None)
text_arg("leads.routing_rules", "lead_routing")
text_arg("leads.scoring_model", "lead_scoring")


def _threshold_args(draw: st.DrawFn) -> dict[str, Any]:
    return {
        k: draw(anything(*good))
        for k, good in (("min_fit", (0, 10)), ("min_acceptance", (0, 50)), ("min_per_month", (0, 2)))
    }


CASES["leads.criteria_threshold"] = Case(lambda draw: ((draw(LEADS), draw(ACTS)), _threshold_args(draw)))
CASES["leads.model_outcome"] = Case(
    lambda draw: ((draw(LEADS), draw(ACTS)), {"min_fit": draw(anything(0, 10)), "as_of": draw(st.sampled_from(DAYS))})
)
CASES["leads.explain_score"] = Case(
    lambda draw: (
        (draw(anything(LEAD_PEOPLE["contact_id"].iloc[0], "C-000000")), draw(LEADS), draw(ACTS)),
        {"as_of": draw(st.sampled_from(DAYS))},
    )
)
CASES["leads.fit_points"] = Case(lambda draw: ((draw(LEADS),), {}))
CASES["leads.score_leads"] = Case(lambda draw: ((draw(LEADS), draw(ACTS)), {"as_of": draw(st.sampled_from(DAYS))}))
for _name in ("leads.funnel_leakage", "leads.stage_ageing"):
    CASES[_name] = Case(
        lambda draw: (
            (draw(LEADS),),
            {
                "as_of": draw(st.sampled_from(DAYS)),
                "stalled_after": draw(st.sampled_from([None, {"mql": 7}, {"mql": -1}, {"x": 3}, 5])),
            },
        )
    )
CASES["leads.recycling"] = Case(
    lambda draw: ((draw(LEADS), draw(st.one_of(ACTS, st.none()))), {"as_of": draw(st.sampled_from(DAYS))})
)
CASES["leads.lifecycle_problems"] = Case(lambda draw: ((draw(LEADS),), {}))
CASES["leads.stage_of"] = Case(lambda draw: ((draw(LEADS),), {}))
CASES["leads.lifecycle_sample"] = Case(
    lambda draw: ((draw(LEADS),), {"size": draw(anything(10, 3)), "broken": draw(anything(4, 0))})
)
CASES["leads.route_leads"] = Case(
    lambda draw: (
        (draw(LEADS), draw(TEAM)),
        {"as_of": draw(st.sampled_from(DAYS)), "only_with": draw(st.sampled_from([None, "mql_at", "nope"]))},
    ),
    check_routed,
)
CASES["leads.routing_problems"] = Case(lambda draw: ((draw(LEADS), draw(TEAM)), {}))
SLA_KWARGS = {
    "sla_hours": anything(8, 24),
    "time_zone": anything("owner", "Europe/London"),
    "as_of": st.sampled_from(DAYS),
    "start": st.sampled_from([None, "2026-01-01", "31/01/2026", "2030-01-01"]),
}
CASES["leads.sla_status"] = Case(
    lambda draw: ((draw(LEADS), draw(st.one_of(TEAM, st.none()))), draw(st.fixed_dictionaries({}, optional=SLA_KWARGS)))
)
CASES["leads.sla_report"] = Case(
    lambda draw: ((draw(LEADS), draw(st.one_of(TEAM, st.none()))), draw(st.fixed_dictionaries({}, optional=SLA_KWARGS)))
)


def _status() -> pd.DataFrame:
    from mopskit.leads import sla_status

    return sla_status(LEAD_PEOPLE, LEAD_TEAM)


STATUS = _status()
CASES["leads.sla_compliance"] = Case(
    lambda draw: (
        (draw(st.one_of(spoiled(STATUS), st.sampled_from(BAD_SCALARS))),),
        {"by": draw(st.sampled_from(["owner", "source_channel", ["owner", "month"], None, "nope", 3]))},
    ),
    check_sla,
)
CASES["leads.sla_breaches"] = Case(lambda draw: ((draw(st.one_of(spoiled(STATUS), st.sampled_from(BAD_SCALARS))),), {}))

# selection --------------------------------------------------------------------------------------------------


def _selection() -> Any:
    from mopskit.selection import scenario

    return scenario("email_vendor")


EMAIL = _selection()
REQUIREMENTS = st.one_of(spoiled(EMAIL.requirements.frame()), st.sampled_from(BAD_SCALARS))
VENDORS = st.one_of(spoiled(EMAIL.offers.frame()), st.sampled_from(BAD_SCALARS))
EVALUATIONS = st.one_of(st.just(EMAIL.evaluate()), st.sampled_from(BAD_SCALARS))
OFFERS = st.one_of(st.sampled_from(list(EMAIL.offers.items)), st.just(EMAIL.stay_offer()), st.sampled_from(BAD_SCALARS))
TCOS = st.one_of(st.just(EMAIL.tco("Mailvane (Growth)")), st.sampled_from(BAD_SCALARS))
REQ_IDS = anything("N2", "R1", "X9")


def check_rank(result: Any, args: tuple, kwargs: dict, inputs: dict) -> None:
    ranking = result.ranking
    assert ranking["score"].between(0, 100).all(), ranking["score"].tolist()
    assert result.winner is None or result.winner in set(ranking.loc[ranking["eligible"], "offer"])


def _score_vendors(draw: st.DrawFn) -> tuple[tuple, dict]:
    from mopskit.selection import read_requirements

    table = draw(REQUIREMENTS)
    try:
        requirements = read_requirements(table)
    except MopskitError:
        requirements = table
    return (requirements, draw(VENDORS)), {"seats": draw(anything(8, 2, None))}


CASES["selection.score_vendors"] = Case(_score_vendors, check_rank)
CASES["selection.read_requirements"] = Case(lambda draw: ((draw(REQUIREMENTS),), {}))
CASES["selection.read_vendors"] = Case(
    lambda draw: ((draw(VENDORS), draw(st.one_of(st.just(EMAIL.requirements), st.sampled_from(BAD_SCALARS)))), {})
)
CASES["selection.weighted_score"] = Case(
    lambda draw: ((draw(OFFERS), draw(st.one_of(st.just(EMAIL.requirements), st.sampled_from(BAD_SCALARS)))), {})
)
CASES["selection.sensitivity"] = Case(lambda draw: ((draw(EVALUATIONS),), {"change": draw(anything(1.0, 3))}))
CASES["selection.flip_weight"] = Case(lambda draw: ((draw(EVALUATIONS), draw(REQ_IDS)), {}))
CASES["selection.what_if"] = Case(
    lambda draw: (
        (draw(EVALUATIONS), draw(st.sampled_from([{"N2": 1}, {"N2": -1}, {"X9": 2}, {"N2": "x"}, {}, None, "N2"]))),
        {},
    )
)
CASES["selection.tco"] = Case(
    lambda draw: (
        (draw(OFFERS),),
        {"seats": draw(anything(8, 1)), "years": draw(anything(3, 1)), "hourly_rate": draw(anything(55, 0))},
    )
)
CASES["selection.stay_offer"] = Case(
    lambda draw: (
        (draw(anything("HubSpot Marketing Hub")), draw(anything(24000, 0))),
        {"admin_hours_per_year": draw(anything(120, 0)), "renewal_increase_pct": draw(anything(10, 0))},
    )
)
CASES["selection.compare_costs"] = Case(
    lambda draw: ((draw(TCOS), draw(TCOS)), {"overlap_months": draw(anything(0, 2))})
)
CASES["selection.build_vs_buy"] = Case(
    lambda draw: (
        (draw(TCOS),),
        {"hours": draw(anything(1400, 0)), "hosting_per_year": draw(anything(6000)), "months": draw(anything(6, 0))},
    )
)
INVENTORY = st.one_of(spoiled(load("martech_stack")), st.sampled_from(BAD_SCALARS))
CASES["selection.contract_of"] = Case(
    lambda draw: ((draw(INVENTORY), draw(anything("HubSpot Marketing Hub", "Nope"))), {})
)
TRAINING = st.sampled_from(
    [
        EMAIL.switch["training"],
        [],
        [{"role": "x", "people": -1, "hours": 1, "class_size": 4}],
        [{"role": None}],
        None,
        "x",
    ]
)
CASES["selection.training_sessions"] = Case(lambda draw: ((draw(TRAINING),), {}))
CASES["selection.switch_plan"] = Case(
    lambda draw: (
        (draw(st.one_of(st.just(EMAIL.contract()), st.sampled_from(BAD_SCALARS))),),
        {
            "new_tool": draw(anything("Mailvane")),
            "start": draw(st.sampled_from(DAYS)),
            "migration": draw(st.sampled_from([EMAIL.switch["migration"], [], [{"step": "x", "weeks": "two"}], None])),
            "training": draw(TRAINING),
            "parallel_run_weeks": draw(anything(2, 0)),
        },
    )
)
USAGE = st.one_of(spoiled(EMAIL.usage), st.sampled_from(BAD_SCALARS))
CASES["selection.adoption"] = Case(
    lambda draw: ((draw(USAGE), draw(anything("Mailvane", "Nope"))), {"target_pct": draw(anything(80, 0.8))})
)
no_args("selection.requirement_catalog", "selection.scenarios")
text_arg("selection.scenario", "email_vendor")
text_arg("selection.parse_score", "4", "4 (with a note)", 5, "n/a")
CASES["selection.notice_deadline"] = Case(lambda draw: ((draw(st.sampled_from(DAYS)), draw(anything(90, 30, 0))), {}))

# data -------------------------------------------------------------------------------------------------------

no_args("data.currency", "data.dictionary_markdown", "data.tables", "data.table_names", "goals.scopes")
text_arg("data.normalize_name", "  Became a Customer Date ")
CASES["data.connect"] = Case(
    lambda draw: (
        (draw(st.sampled_from([None, "{tmp}/kit.duckdb", 3, True])),),
        draw(st.fixed_dictionaries({}, optional={"temp_directory": st.sampled_from(["{tmp}", None, 3])})),
    )
)
text_arg("data.describe", "budget")
text_arg("data.load", "budget", "campaigns")
text_arg("data.table_spec", "contacts")
CASES["data.validate"] = Case(lambda draw: ((draw(spoiled(sample("budget"))),), {"table": draw(anything("budget"))}))
FILES = st.sampled_from(["header", "empty", "ragged", "semicolon", "bom", "missing", "good", "excel"])
CASES["data.read"] = Case(lambda draw: ((draw(FILES),), {"table": draw(anything("budget"))}))
CASES["data.read_raw"] = Case(lambda draw: ((draw(FILES),), {}))

FILE_TEXT = {
    "header": b"month,channel,planned,forecast,actual\n",
    "empty": b"",
    "ragged": b"month,channel,planned,forecast,actual\n2026-01,email,1,2,3,4\n",
    "semicolon": b"month;channel;planned;forecast;actual\n2026-01;email;1,5;2;\n",
    "bom": "\ufeffmonth,channel,planned,forecast,actual\n2026-01,email,$7,1,000.00,abc\n".encode(),
    "good": b"month,channel,planned,forecast,actual\n2026-01,email,100,110,120\n",
    "excel": b"PK\x03\x04rest",
}
MAPPINGS = {
    "mapping_good": b"files:\n  - file: a.csv\n    table: contacts\n    columns: {email: Mail}\n",
    "mapping_bad": b"files:\n  - file: a.csv\n    table: leads\n    columns: {colour: C}\n    epoch: days\n",
    "mapping_yaml": b"files: [: broken\n",
}

# data.exports and health: vendor exports spoiled as above, then saved as Excel and the vendors save them --------

EXPORT_FILES = Path(__file__).parent / "files" / "exports"
VENDOR_CSVS = [
    "hubspot_contacts.csv",
    "hubspot_contacts_api.csv",
    "hubspot_email_events.csv",
    "mailchimp/subscribed_members_export_ab12cd.csv",
    "mailchimp/unsubscribed_members_export_ab12cd.csv",
    "mailchimp/cleaned_members_export_ab12cd.csv",
    "salesforce_campaign_members.csv",
    "salesforce_report.csv",
    "marketo_activities.csv",
]
SAVED_AS = [("utf-8", ","), ("cp1252", ";"), ("utf-8-sig", ","), ("utf-16", "\t")]
WRITTEN = Path(tempfile.mkdtemp(prefix="mopskit-property-exports-"))
atexit.register(shutil.rmtree, WRITTEN, True)


@st.composite
def export_folders(draw: st.DrawFn) -> tuple[Path, dict[str, int]]:
    """A new folder of one to three spoiled vendor exports, and the data rows written to each file."""
    folder = Path(tempfile.mkdtemp(dir=WRITTEN))
    written = {}
    for name in draw(st.lists(st.sampled_from(VENDOR_CSVS), min_size=1, max_size=3, unique=True)):
        table = pd.read_csv(EXPORT_FILES / name, dtype=str, keep_default_na=False)
        frame = draw(spoiled(table))
        encoding, sep = draw(st.sampled_from(SAVED_AS))
        path = folder / Path(name).name
        frame.to_csv(path, index=False, sep=sep, encoding=encoding)
        written[path.name] = len(frame)
    return folder, written


def check_export(result: pd.DataFrame, args: tuple, kwargs: dict, inputs: dict) -> None:
    item = result.attrs["import"]
    expected = READ_ROWS[str(args[0])]
    assert item.rows == len(result) == expected, (item.rows, len(result), expected)
    assert result["row"].tolist() == list(range(2, expected + 2)), "rows numbered as a spreadsheet numbers them"


READ_ROWS: dict[str, int] = {}


@case("data.exports.read_export", check_export)
def _read_export(draw: st.DrawFn) -> tuple[tuple, dict]:
    folder, written = draw(export_folders())
    name = next(iter(written))
    READ_ROWS[str(folder / name)] = written[name]
    path = draw(st.sampled_from([folder / name, folder / name, folder / "missing.csv", str(folder), 3]))
    return (path,), draw(st.fixed_dictionaries({}, optional={"mapping": st.sampled_from([None, "{tmp}/no.yaml"])}))


def check_imports(result: Any, args: tuple, kwargs: dict, inputs: dict) -> None:
    try:
        written = FOLDER_ROWS[str(args[0])]
        read = {f.label: f.rows for f in result.files}
        assert read == written, (read, written)
        for table in ("contacts", "email_events", "campaign_members", "web_events"):
            rows = sum(f.rows for f in result.files if f.table == table)
            assert result.rows(table) == rows, table
    finally:
        result.connection.close()


FOLDER_ROWS: dict[str, dict[str, int]] = {}


@case("data.exports.import_exports", check_imports)
def _import_exports(draw: st.DrawFn) -> tuple[tuple, dict]:
    folder, written = draw(export_folders())
    FOLDER_ROWS[str(folder)] = written
    return (folder,), draw(
        st.fixed_dictionaries({}, optional={"mapping": st.sampled_from([None, "{tmp}/no.yaml", 7])})
    ) | {"progress": draw(maybe(False))}


def check_health(result: Any, args: tuple, kwargs: dict, inputs: dict) -> None:
    assert math.isnan(result.score) or 0 <= result.score <= 100, result.score
    parts = result.health.parts["score"].dropna()
    assert ((parts >= 0) & (parts <= 100)).all(), parts.tolist()
    rows = {f.label: f.rows for f in result.files}
    for finding in result.findings:
        assert finding.count >= 0 and finding.rows >= 0, finding.id
        if finding.csv is None:
            continue
        evidence = pd.read_csv(result.out_dir / finding.csv, dtype={"file": str})
        assert len(evidence) == finding.rows, finding.id
        if {"file", "row"} <= set(evidence.columns) and finding.id != "stack_audit":
            for label, row in zip(evidence["file"], evidence["row"], strict=True):
                assert label in rows and 1 <= row <= rows[label] + 1, (finding.id, label, row)


text_arg("health.section_name", "quality", "Data quality")


@case("health.health_check", check_health)
def _health_check(draw: st.DrawFn) -> tuple[tuple, dict]:
    folder, _written = draw(export_folders())
    kwargs = {"out_dir": "{tmp}/report", "write_report": draw(st.sampled_from([False, False, False, True]))}
    kwargs |= draw(
        st.fixed_dictionaries(
            {},
            optional={
                "as_of": st.sampled_from(DAYS),
                "sla_hours": anything(8, 24),
                "business_hours": anything("09:00-17:00", "08:00-16:00 mon-thu"),
                "time_zone": anything("UTC", "Europe/Bucharest"),
                "min_sends": anything(1, 100),
                "weights": st.sampled_from([None, {"consent": 2}, {"speed": 1}, {"quality": -1}, "x"]),
                "mapping": st.sampled_from([None, "{tmp}/no.yaml"]),
            },
        )
    )
    return (draw(st.one_of(st.just(folder), st.just(folder), st.sampled_from(["{tmp}/nothing", None, 3]))),), kwargs


@case("health.check_folders")
def _check_folders(draw: st.DrawFn) -> tuple[tuple, dict]:
    folder, _written = draw(export_folders())
    twin = Path(tempfile.mkdtemp(dir=WRITTEN)) / folder.name
    twin.mkdir()
    folders = draw(st.sampled_from([[folder], [folder, twin], folder, [None], []]))
    kwargs = {"out_dir": "{tmp}/reports", "progress": False, "workers": draw(st.sampled_from([1, 0, "2", None]))}
    return (folders,), kwargs | draw(st.fixed_dictionaries({}, optional={"sla_hours": anything(8)}))


@case("health.health_score")
def _health_score(draw: st.DrawFn) -> tuple[tuple, dict]:
    score = st.one_of(st.floats(-10, 110), st.sampled_from(BAD_SCALARS))
    scores = draw(
        st.one_of(
            st.dictionaries(st.sampled_from(["consent", "quality", "email", "speed"]), st.tuples(score, st.just("x"))),
            st.sampled_from(BAD_SCALARS),
        )
    )
    weights = draw(st.sampled_from([None, {"consent": 2}, {"email": -1}, {"x": 1}, {"quality": "2"}, 3]))
    return (scores,), {"weights": weights}


no_args("data.exports.describe_layouts")
text_arg("data.exports.layout", "hubspot_contacts", "ga4_events")
text_arg("data.exports.table_columns", "contacts", "web_events")
text_arg("data.exports.valid_email_sql", "email", "trim(raw)")
CASES["data.exports.recognise"] = Case(
    lambda draw: (
        (
            draw(
                st.one_of(
                    st.lists(st.sampled_from(["Record ID", "Email", "Lifecycle Stage", "leadId", "x", ""]), max_size=5),
                    st.lists(st.sampled_from(BAD_SCALARS), max_size=3),
                    st.sampled_from(BAD_SCALARS),
                )
            ),
        ),
        draw(st.fixed_dictionaries({}, optional={"formats": anything("csv", "json", "parquet")})),
    )
)
CASES["data.exports.load_mapping"] = Case(
    lambda draw: ((draw(st.sampled_from(["mapping_good", "mapping_bad", "mapping_yaml", "missing", None, 3])),), {})
)


# --- the rules ----------------------------------------------------------------------------------------------

GROWTH = ("velocity_rate", "variance_pct", "forecast_variance_pct", "romi", "relative_lift")


def public_functions() -> dict[str, Callable[..., Any]]:
    found = {}
    for package in PACKAGES:
        module = importlib.import_module(f"mopskit.{package}")
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not inspect.isclass(obj):
                found[f"{package}.{name}"] = obj
    return found


def test_every_public_function_is_guarded():
    unguarded = [
        name
        for name, f in public_functions().items()
        if getattr(f, "__code__", None) is None or f.__code__.co_name != "guarded"
    ]
    assert unguarded == [], "decorate these with mopskit._validate.checked"


def test_every_public_function_is_covered():
    public = set(public_functions())
    assert sorted(public - set(CASES)) == [], "public functions with no strategy in this suite"
    assert sorted(set(CASES) - public) == [], "strategies for functions that are not public"


def _materialize(value: Any, tmp: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value in FILE_TEXT:
        path = tmp / f"{value}.csv"
        path.write_bytes(FILE_TEXT[value])
        return path
    if value in MAPPINGS:
        path = tmp / f"{value}.yaml"
        path.write_bytes(MAPPINGS[value])
        return path
    if value == "missing":
        return tmp / "missing.csv"
    return value.format(tmp=tmp) if "{tmp}" in value else value


def _check_rows(result: pd.DataFrame, inputs: dict[str, pd.DataFrame]) -> None:
    rows = result.attrs.get("data_quality", {}).get("rows", {})
    names = {"purchases": "log", "events": "events", "budget": "budget", "campaigns": "campaigns"}
    for table, counts in rows.items():
        excluded = sum(counts["excluded"].values())
        assert 0 <= excluded <= counts["in"], (table, counts)
        frame = inputs.get(names.get(table, table))
        if isinstance(frame, pd.DataFrame):
            assert counts["in"] == len(frame), (table, counts, len(frame))


def _check_rates(result: pd.DataFrame) -> None:
    for column in result.columns:
        name = str(column)
        is_rate = name.endswith(("_rate", "_to_mql", "_to_sql", "_to_opportunity", "_to_customer")) or name in (
            "completeness",
            "score",
            "from_previous",
            "from_first",
        )
        lead_score = name == "score" and "fit_score" in result.columns  # a lead's score may be negative by design
        if is_rate and not lead_score and not name.startswith(GROWTH) and pd.api.types.is_numeric_dtype(result[column]):
            values = result[column].dropna()
            assert (values >= 0).all(), (name, values.tolist())


def _inputs(function: Callable, args: tuple, kwargs: dict) -> dict[str, Any]:
    names = list(inspect.signature(function).parameters)
    return dict(zip(names, args, strict=False)) | kwargs


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_a_mopskit_error_or_an_accounted_result(name, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    function = public_functions()[name]
    current = CASES[name]

    @SETTINGS
    @given(current.strategy)
    def run(drawn: tuple[tuple, dict]) -> None:
        args, kwargs = drawn
        args = tuple(_materialize(a, tmp_path) for a in args)
        kwargs = {k: _materialize(v, tmp_path) for k, v in kwargs.items()}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                result = function(*args, **kwargs)
        except MopskitError:
            return
        finally:
            plt.close("all")
        if hasattr(result, "close") and not isinstance(result, pd.DataFrame):
            result.close()  # a database connection
        inputs = _inputs(function, args, kwargs)
        if isinstance(result, pd.DataFrame):
            _check_rows(result, inputs)
            _check_rates(result)
        if current.check is not None:
            current.check(result, args, kwargs, inputs)

    run()
