"""MQL criteria as data: the conditions a scored lead must meet before marketing hands it to sales.

A set of criteria (:class:`MqlCriteria`) is a list of conditions on the columns of scored leads (from
:func:`mopskit.leads.score_leads`): ``score >= 60``, ``fit_score >= 15``, ``hand_raiser == true``,
``consent != unsubscribed``, ``seniority in [director, vp, c_level]``. The sets the kit ships (marketing's
draft, sales' draft, the agreed one) live in ``mopskit/content/mql_criteria.yaml``.

:func:`backtest_criteria` replays a year of MQLs: each lead scored as of the moment it became an MQL, each set
of criteria applied, and for each set how many MQLs sales would have received a month and how many of those
sales accepted (became SQLs). Marketing's volume and sales' quality, side by side, on the same leads.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._validate import checked
from ..errors import ParameterError
from ..i18n import _
from ._frames import finish

__all__ = [
    "Condition",
    "MqlCriteria",
    "Outcome",
    "apply_criteria",
    "backtest_criteria",
    "criteria_sets",
    "criteria_table",
    "criteria_threshold",
    "model_outcome",
    "mql_criteria",
]

OPERATORS: dict[str, Any] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
    "in": None,
    "not in": None,
}


@dataclass(frozen=True)
class Condition:
    """One condition: ``field op value``, e.g. ``Condition("score", ">=", 60)``.

    >>> Condition("seniority", "in", ("vp", "c_level")).describe()
    'seniority in vp, c_level'
    """

    field: str
    op: str
    value: Any

    def __post_init__(self) -> None:
        from .._validate import choice

        choice(self.op, "op", list(OPERATORS), function=f"Condition on '{self.field}'")
        if self.op in ("in", "not in"):
            values = self.value if isinstance(self.value, list | tuple | set) else [self.value]
            object.__setattr__(self, "value", tuple(values))

    def describe(self) -> str:
        """The condition as people write it."""
        value = ", ".join(map(str, self.value)) if isinstance(self.value, tuple) else str(self.value).lower()
        return f"{self.field} {self.op} {value}"

    def test(self, leads: pd.DataFrame) -> pd.Series:
        """Which rows meet the condition (an empty cell never meets a comparison)."""
        if self.field not in leads.columns:
            raise ParameterError(
                _(
                    "the criteria name the column {field!r}, which the scored leads do not have; they have: {cols}"
                ).format(field=self.field, cols=", ".join(map(str, leads.columns)))
            )
        column = leads[self.field]
        if self.op in ("in", "not in"):
            inside = column.astype("string").str.lower().isin([str(v).lower() for v in self.value]).fillna(False)
            return ~inside if self.op == "not in" else inside
        value = self.value
        if pd.api.types.is_bool_dtype(column) or isinstance(value, bool):
            return OPERATORS[self.op](column.astype(bool), bool(value))
        if pd.api.types.is_numeric_dtype(column):
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise ParameterError(
                    _("'{field}' is a number; compare it with a number (got {value!r})").format(
                        field=self.field, value=value
                    )
                ) from None
            return OPERATORS[self.op](column, number).fillna(False).astype(bool)
        text = column.astype("string").str.lower()
        met = OPERATORS[self.op](text, str(value).lower())
        return met.fillna(self.op == "!=").astype(bool)


@dataclass(frozen=True)
class MqlCriteria:
    """A named set of conditions; a lead is an MQL when it meets every one.

    >>> mql_criteria("sales_quality").describe()
    'score >= 80 and fit_score >= 30 and hand_raiser == true and consent != unsubscribed'
    """

    name: str
    label: str
    conditions: tuple[Condition, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, name: str = "custom") -> MqlCriteria:
        """Build a set from plain data: ``{"label": ..., "conditions": [{"field", "op", "value"}, ...]}``."""
        raw = data.get("conditions") if isinstance(data, Mapping) else None
        if not isinstance(raw, list) or not raw:
            raise ParameterError(
                _("MQL criteria need a list of conditions, like [{{field: score, op: '>=', value: 60}}]")
            )
        conditions = []
        for i, item in enumerate(raw, start=1):
            if not isinstance(item, Mapping) or not {"field", "op", "value"} <= set(item):
                raise ParameterError(
                    _("condition {i} must have a field, an op and a value (got {item!r})").format(i=i, item=item)
                )
            conditions.append(Condition(str(item["field"]), str(item["op"]), item["value"]))
        return cls(name=name, label=str(data.get("label", name)), conditions=tuple(conditions))

    def describe(self) -> str:
        """The conditions joined with ``and``."""
        return " and ".join(c.describe() for c in self.conditions)


@checked
def criteria_sets() -> dict[str, MqlCriteria]:
    """The sets of MQL criteria in ``mopskit/content/mql_criteria.yaml``, by name.

    >>> list(criteria_sets())
    ['marketing_volume', 'sales_quality', 'agreed']
    """
    from ..content import load_yaml

    data = load_yaml("mql_criteria")
    return {name: MqlCriteria.from_dict(entry, name=name) for name, entry in data["sets"].items()}


@checked
def criteria_table() -> pd.DataFrame:
    """The sets of MQL criteria as a table people read: each ``draft`` and its ``conditions`` in words.

    The drafts are shown in the trainee's language (the content catalog), the conditions as code reads them.

    >>> criteria_table()["conditions"].tolist()[0]
    'score >= 40 and consent != unsubscribed'
    """
    from ..present import for_people, result_headers

    rows = [{"draft": c.label, "conditions": c.describe()} for c in criteria_sets().values()]
    headers = result_headers()
    return for_people(pd.DataFrame(rows), {c: headers[c] for c in ("draft", "conditions")}, labels=["draft"])


@checked
def mql_criteria(name: str | None = None) -> MqlCriteria:
    """One set of MQL criteria by name (default: the agreed one).

    >>> mql_criteria().name
    'agreed'
    """
    from ..content import load_yaml

    sets = criteria_sets()
    chosen = name or str(load_yaml("mql_criteria")["default"])
    from .._validate import choice

    return sets[choice(chosen, "name", list(sets), function="mql_criteria")]


@checked
def apply_criteria(leads: pd.DataFrame, criteria: MqlCriteria | str | None = None) -> pd.DataFrame:
    """Add ``meets`` (every condition met) and ``missed`` (the conditions not met, in words) to scored leads.

    >>> leads = pd.DataFrame({"score": [80.0, 50.0], "fit_score": [20.0, 5.0], "consent": ["opted_in", "unsubscribed"]})
    >>> apply_criteria(leads)[["meets", "missed"]].values.tolist()
    [[True, ''], [False, 'score >= 60; fit_score >= 15; consent != unsubscribed']]
    """
    chosen = mql_criteria(criteria) if criteria is None or isinstance(criteria, str) else criteria
    result = leads.copy()
    met = pd.DataFrame({c.describe(): c.test(leads).to_numpy() for c in chosen.conditions}, index=leads.index)
    result["meets"] = met.all(axis=1)
    names = met.columns.to_numpy()
    result["missed"] = ["; ".join(names[~row]) for row in met.to_numpy()]
    return result


@checked
def backtest_criteria(
    scored_at_mql: pd.DataFrame,
    sets: Iterable[MqlCriteria | str] | None = None,
    *,
    months: float | None = None,
) -> pd.DataFrame:
    """Replay past MQLs through each set of criteria: volume for sales and the share sales accepted.

    Args:
        scored_at_mql: leads scored as of the moment each became an MQL (``score_leads(..., as_of="mql_at")``),
            with ``mql_at`` and ``sql_at``; rows with no ``mql_at`` are left out.
        sets: criteria sets or their names (default: every set in the content file).
        months: the length of the period in months, for the monthly volume (default: from the first to the last
            MQL).

    Returns:
        One row per set: criteria, label, mqls (that meet it), per_month, accepted (became SQLs), acceptance
        (percent of its MQLs), share_of_accepted (percent of every accepted lead that the set kept) and
        rule (the conditions in words).

    >>> leads = pd.DataFrame({"score": [80.0, 45.0, 70.0], "fit_score": [30.0, 0.0, 20.0],
    ...     "hand_raiser": [True, False, False], "consent": ["opted_in"] * 3,
    ...     "mql_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-02"]),
    ...     "sql_at": pd.to_datetime(["2026-01-12", None, None])})
    >>> table = backtest_criteria(leads, ["marketing_volume", "agreed"], months=2)
    >>> table[["criteria", "mqls", "acceptance"]].round(1).values.tolist()
    [['marketing_volume', 3, 33.3], ['agreed', 2, 50.0]]

    """
    for column in ("mql_at", "sql_at"):
        if column not in scored_at_mql.columns:
            raise ParameterError(
                _(
                    "backtest_criteria needs the column '{c}' (score the leads with score_leads(..., as_of='mql_at'))"
                ).format(c=column)
            )
    leads = scored_at_mql[scored_at_mql["mql_at"].notna()]
    chosen = [mql_criteria(s) if isinstance(s, str) else s for s in (sets or list(criteria_sets()))]
    if months is None:
        span = (leads["mql_at"].max() - leads["mql_at"].min()).days if len(leads) else 0
        months = max(span / 30.4375, 1.0)
    accepted_all = int(leads["sql_at"].notna().sum())
    rows = []
    for criteria in chosen:
        kept = leads[apply_criteria(leads, criteria)["meets"].to_numpy()]
        accepted = int(kept["sql_at"].notna().sum())
        rows.append(
            {
                "criteria": criteria.name,
                "label": criteria.label,
                "mqls": len(kept),
                "per_month": len(kept) / months,
                "accepted": accepted,
                "acceptance": 100.0 * accepted / len(kept) if len(kept) else float("nan"),
                "share_of_accepted": 100.0 * accepted / accepted_all if accepted_all else float("nan"),
                "rule": criteria.describe(),
            }
        )
    notes = [] if len(leads) else [_("No lead has an mql_at, so there is nothing to replay.")]
    return finish(pd.DataFrame(rows), notes=notes)


@dataclass(frozen=True)
class Outcome:
    """What a scoring model and an MQL bar give, today and on past MQLs (what the scoring builder shows).

    Attributes:
        threshold: the minimum score.
        min_fit: the minimum fit score.
        today: contacts meeting both today.
        today_new: of them, contacts that are not MQLs in the CRM yet (new hand-offs).
        per_month: past MQLs meeting both when they became MQLs, per month.
        acceptance: the percent of those that sales accepted (became SQLs).

    """

    threshold: float
    min_fit: float
    today: int
    today_new: int
    per_month: float
    acceptance: float

    def summary(self) -> str:
        """The outcome in two sentences."""
        return _(
            "Today {today} contacts score at least {threshold:g} with a fit of at least {fit:g} ({new} of them not "
            "MQLs yet). On last year's MQLs, scored when they qualified, that bar passes {pm:.1f} a month, and sales "
            "accepted {acc:.1f}% of them."
        ).format(
            today=self.today,
            threshold=self.threshold,
            fit=self.min_fit,
            new=self.today_new,
            pm=self.per_month,
            acc=self.acceptance,
        )


@checked
def model_outcome(
    contacts: pd.DataFrame,
    activities: pd.DataFrame,
    *,
    model: Any = None,
    min_fit: float = 0.0,
    as_of: Any = None,
) -> Outcome:
    """Measure the bar ``score >= threshold`` and ``fit_score >= min_fit`` today and on past MQLs.

    The contacts are scored today (how many meet the bar, how many of them are not MQLs yet) and as of their own
    MQL moment (how many past MQLs a month the bar passes, and how many of those sales accepted).

    >>> from mopskit.data import load
    >>> outcome = model_outcome(load("contacts"), load("activities"), as_of="2026-10-31")
    >>> outcome.today >= outcome.today_new and 0 <= outcome.acceptance <= 100
    True
    """
    from .._validate import number
    from .scoring import score_leads, scoring_model

    model = model or scoring_model()
    min_fit = number(min_fit, "min_fit", function="model_outcome")
    bar = MqlCriteria(
        "builder",
        "builder",
        (Condition("score", ">=", model.threshold), Condition("fit_score", ">=", min_fit)),
    )
    now = apply_criteria(score_leads(contacts, activities, model=model, as_of=as_of), bar)
    met = now[now["meets"]]
    not_yet = met["mql_at"].isna() if "mql_at" in met.columns else pd.Series(True, index=met.index)
    past = backtest_criteria(score_leads(contacts, activities, model=model, as_of="mql_at"), [bar]).iloc[0]
    return Outcome(
        threshold=model.threshold,
        min_fit=min_fit,
        today=len(met),
        today_new=int(not_yet.sum()),
        per_month=float(past["per_month"]),
        acceptance=float(past["acceptance"]),
    )


@checked
def criteria_threshold(
    contacts: pd.DataFrame,
    activities: pd.DataFrame,
    *,
    min_fit: float,
    min_acceptance: float,
    min_per_month: float,
    model: Any = None,
    step: float = 5,
    highest: float = 150,
) -> float | None:
    """The lowest threshold (a multiple of ``step``) that gives both sides what they asked for on past MQLs.

    Among past MQLs with ``fit_score >= min_fit``, sales accepted at least ``min_acceptance`` percent of those
    the threshold passes, and at least ``min_per_month`` pass a month.

    Scores are taken as of each MQL's own moment, as :func:`backtest_criteria` replays them. None when no
    threshold up to ``highest`` meets both (the two sides must talk again).

    >>> from mopskit.data import load
    >>> criteria_threshold(load("contacts"), load("activities"), min_fit=0, min_acceptance=0, min_per_month=0)
    0.0
    """
    from .._validate import number
    from .scoring import score_leads, scoring_model

    model = model or scoring_model()
    min_fit = number(min_fit, "min_fit", function="criteria_threshold")
    min_acceptance = number(min_acceptance, "min_acceptance", function="criteria_threshold", minimum=0, maximum=100)
    min_per_month = number(min_per_month, "min_per_month", function="criteria_threshold", minimum=0)
    step = number(step, "step", function="criteria_threshold", above=0)
    scored = score_leads(contacts, activities, model=model, as_of="mql_at")
    threshold = 0.0
    while threshold <= highest:
        bar = MqlCriteria("deal", "deal", (Condition("score", ">=", threshold), Condition("fit_score", ">=", min_fit)))
        row = backtest_criteria(scored, [bar]).iloc[0]
        if row["per_month"] < min_per_month:
            return None  # a higher bar only passes fewer
        if row["acceptance"] >= min_acceptance:
            return threshold
        threshold += step
    return None
