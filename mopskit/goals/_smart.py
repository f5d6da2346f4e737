"""Judging a goal against the SMART criteria, each with a reason a trainee can act on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .._html import COLOURS, escape, quoted
from .._validate import checked
from ..i18n import _, content_text, content_with_english, date_text
from ._attainability import Attainability
from ._history import MIN_PERIODS, attainability
from ._parse import _VAGUE_AMOUNT, Goal, parse_goal
from ._time import _VAGUE_WORDS
from ._vocab import vague_suggestions

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Criterion", "GoalAssessment", "assess_goal"]

CRITERIA = ("specific", "measurable", "attainable", "realistic", "time_bound")


_ENGLISH_TITLES = {
    "specific": "Specific",
    "measurable": "Measurable",
    "attainable": "Attainable",
    "realistic": "Realistic",
    "time_bound": "Time-bound",
}


def _titles() -> dict[str, str]:
    return {
        "specific": _("Specific"),
        "measurable": _("Measurable"),
        "attainable": _("Attainable"),
        "realistic": _("Realistic"),
        "time_bound": _("Time-bound"),
    }  # the words of _ENGLISH_TITLES above, each in a _() so the catalog holds it


@dataclass(frozen=True)
class Criterion:
    """One SMART criterion's verdict.

    Attributes:
        name: ``specific``, ``measurable``, ``attainable``, ``realistic`` or ``time_bound``.
        passed: whether the goal meets it (``False`` as well when it could not be judged).
        reason: why, in a sentence; when it fails, what to change.
        judged: ``False`` when there was not enough to decide (attainable without history).

    """

    name: str
    passed: bool
    reason: str
    judged: bool = True

    @property
    def title(self) -> str:
        """The criterion's name in English ("Time-bound"), the same in every language.

        A lesson's options and checks compare it; :attr:`label` is what a trainee reads.
        """
        return _ENGLISH_TITLES[self.name]

    @property
    def label(self) -> str:
        """The criterion's name in the language in use ("Time-bound", "มีกรอบเวลา")."""
        return _titles()[self.name]

    @property
    def mark(self) -> str:
        """✓, ✗, or ? when not judged."""
        return "?" if not self.judged else "✓" if self.passed else "✗"


@dataclass(frozen=True)
class GoalAssessment:
    """A goal judged against the SMART criteria; renders itself as a table in a notebook."""

    goal: Goal
    specific: Criterion
    measurable: Criterion
    attainable: Criterion
    realistic: Criterion
    time_bound: Criterion
    attainability: Attainability | None = None

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The five criteria, in SMART order."""
        return tuple(getattr(self, name) for name in CRITERIA)

    @property
    def passed(self) -> bool:
        """Whether every criterion that could be judged passed."""
        return all(c.passed for c in self.criteria if c.judged)

    @property
    def failed(self) -> tuple[Criterion, ...]:
        """The criteria judged and not met."""
        return tuple(c for c in self.criteria if c.judged and not c.passed)

    def first_unmet(self, names: Sequence[str] = ("specific", "measurable", "time_bound")) -> Criterion | None:
        """The first criterion of ``names``, in that order, that was judged and not met; ``None`` if all are met.

        >>> assess_goal("Grow email clicks by 20%.").first_unmet().title
        'Time-bound'
        """
        for name in names:
            criterion = getattr(self, name)
            if criterion.judged and not criterion.passed:
                return criterion
        return None

    def __str__(self) -> str:
        lines = [self.goal.text.strip() or _("(an empty goal)")]
        lines += [f"  {c.mark} {c.label}: {c.reason}" for c in self.criteria]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colours = {"✓": COLOURS["ok"], "✗": COLOURS["bad"], "?": COLOURS["muted"]}
        kept = _english_kept(self.goal)  # the metrics' English, what a goal names: quoted as data
        rows = "".join(
            f"<tr><td style='color:{colours[c.mark]};font-weight:bold'>{c.mark}</td>"
            f"<td><b>{escape(c.label)}</b></td><td style='text-align:left'>{quoted(c.reason, kept)}</td></tr>"
            for c in self.criteria
        )
        verdict = _("SMART: yes") if self.passed else _("SMART: not yet")
        return (
            f"<div class='mopskit-goal-assessment'><p><q>{escape(self.goal.text.strip())}</q> · "
            f"<b>{escape(verdict)}</b></p><table>{rows}</table></div>"
        )


def _change_text(goal: Goal) -> str:
    if goal.baseline is not None and goal.target is not None:
        unit = "%" if goal.level_unit == "%" else f" {goal.level_unit}" if goal.level_unit else ""
        return _("from {a:,g}{u} to {b:,g}{u}").format(a=goal.baseline, b=goal.target, u=unit)
    if goal.target is not None:
        unit = "%" if goal.level_unit == "%" else f" {goal.level_unit}" if goal.level_unit else ""
        return _("to {b:,g}{u}").format(b=goal.target, u=unit)
    if goal.amount is not None:
        sign = {"decrease": "-", "increase": "+"}.get(goal.direction or "", "±")
        unit = goal.unit or ""
        if unit == "pp":
            return _("{sign}{n:,g} percentage points").format(sign=sign, n=goal.amount)
        return f"{sign}{goal.amount:,g}{unit if unit == '%' else ' ' + unit if unit else ''}"
    return ""


def _suggested(goal: Goal) -> list[str]:
    """Up to three metrics (their English labels) to name instead of the goal's vague words."""
    labels: list[str] = []
    for word in goal.vague:
        labels += [m.label for m in vague_suggestions(word) if m.label not in labels]
    return labels[:3]


def _suggest(goal: Goal) -> str:
    """Up to three metrics to name instead of a vague word, in the trainee's language.

    The English words the goal parser reads follow in brackets: goals are written in English.
    """
    shown = [content_with_english(label) for label in _suggested(goal)]
    return ", ".join(shown) or _("email clicks, MQLs or customer acquisition cost")


def _english_kept(goal: Goal) -> list[str]:
    """The English a translated reason keeps as data: the suggested metrics' labels, next to their translation.

    >>> from mopskit.i18n import language
    >>> goal = parse_goal("Boost engagement soon.")
    >>> _english_kept(goal)
    []
    >>> with language("th"):
    ...     _english_kept(goal)
    ['email clicks', 'email click-through rate', 'email open rate']
    """
    return [label for label in _suggested(goal) if content_text(label) != label]


def _specific(goal: Goal) -> Criterion:
    if goal.metric is None:
        vague = [w for w in goal.vague if vague_suggestions(w)]
        if vague:
            reason = _("'{word}' is too broad to measure. Name the exact metric instead, e.g. {examples}.").format(
                word=vague[0], examples=_suggest(goal)
            )
        else:
            reason = _("Name what you will change: one metric, e.g. {examples}.").format(examples=_suggest(goal))
        return Criterion("specific", False, reason)
    if goal.other_metrics:
        names = ", ".join([goal.metric, *goal.other_metrics])
        return Criterion(
            "specific",
            False,
            _("One goal, one metric: this one names {names}. Write one goal for each.").format(names=names),
        )
    if not goal.scope:
        return Criterion(
            "specific",
            False,
            _(
                "Say where it applies: which channel, program, segment or region, e.g. "
                "'{metric} from the webinar channel' or '{metric} in EMEA'."
            ).format(metric=goal.metric),
        )
    return Criterion(
        "specific",
        True,
        _("It names one metric ({metric}) and where it applies ({scope}).").format(
            metric=goal.metric, scope=", ".join(goal.scope)
        ),
    )


def _measurable(goal: Goal) -> Criterion:
    if goal.metric is None:
        return Criterion(
            "measurable",
            False,
            _("There is nothing to count yet: pick a metric you can count (e.g. {examples}) and say how much.").format(
                examples=_suggest(goal)
            ),
        )
    if goal.amount is None and goal.target is None:
        vague = [w for w in goal.vague if w in _VAGUE_AMOUNT]
        if goal.direction == "maintain":
            reason = _("Say at what level to hold {metric}, e.g. 'at 25%' or 'at 1,000 a month'.")
        elif vague:
            reason = _("'{word}' is not a number: say how much, e.g. 'by 25%' or 'from 2% to 3%'.")
        else:
            reason = _(
                "Add a number: by how much (e.g. 'by 25%') or to what level (e.g. 'to 5,000' or 'from 2% to 3%')."
            )
        return Criterion("measurable", False, reason.format(metric=goal.metric, word=vague[0] if vague else ""))
    info = goal.metric_info
    where = ""
    if info is not None and info.source:
        where = _(" (the sample data holds it in the {table} table)").format(table=info.source["table"])
    return Criterion(
        "measurable",
        True,
        _("{metric} can be counted{where}, and the goal says how much: {change}.").format(
            metric=goal.metric[:1].upper() + goal.metric[1:], where=where, change=_change_text(goal)
        ),
    )


def _time_bound(goal: Goal) -> Criterion:
    if goal.horizon_days is None:
        vague = [w for w in goal.vague if w in _VAGUE_WORDS or " " in w]
        example = _("a date ('by 31 March 2027') or a time frame ('within 6 months')")
        if vague:
            reason = _("'{word}' is not a deadline: add {example}.").format(word=vague[0], example=example)
        elif goal.recurring:
            reason = _("'Per {unit}' says how often, not by when: add {example}.").format(
                unit=goal.recurring[0], example=example
            )
        else:
            reason = _("Add when: {example}.").format(example=example)
        return Criterion("time_bound", False, reason)
    assert goal.deadline is not None
    if goal.horizon_days <= 0:
        return Criterion(
            "time_bound",
            False,
            _("The deadline ({date}) is not in the future (today is {today}): pick a later date.").format(
                date=date_text(goal.deadline), today=date_text(goal.today)
            ),
        )
    return Criterion(
        "time_bound",
        True,
        _("It is due by {date}, {days} days from {today}.").format(
            date=date_text(goal.deadline), days=goal.horizon_days, today=date_text(goal.today)
        ),
    )


def _realistic(goal: Goal, att: Attainability | None = None) -> Criterion:
    """Whether the team can deliver that much: someone named, and no more than the team's best in the past.

    The article's example is realistic because "the team is able to work towards 25% improvement": a capacity,
    not only a name. With the metric's history, the growth the goal needs is compared with the best past period
    as long (what the team has delivered before); without it, the criterion is not judged.
    """
    change = _change_text(goal) or _("this change")
    if goal.owner is None and not goal.resources:
        return Criterion(
            "realistic",
            False,
            _(
                "Say who will deliver it and with what: name an owner (a person or team) and the time or budget "
                "they have. Then ask them: can we deliver {change} with what we have?"
            ).format(change=change),
        )
    who = _("You and your team ('we')") if goal.owner in ("we", "i") else goal.owner or _("The team")
    using = _(" with {resources}").format(resources=", ".join(goal.resources)) if goal.resources else ""
    if att is None or att.passed is None or not att.growth:
        return Criterion(
            "realistic",
            False,
            _(
                "Not judged yet: {who} will deliver it{using}, but can the team deliver {change}? Compare it with "
                "the most the team has delivered before (pass the metric's monthly history), or with its time "
                "and budget."
            ).format(who=who, using=using, change=change),
            judged=False,
        )
    best = max(att.growth) if att.upward else min(att.growth)
    within = best >= att.compared if att.upward else best <= att.compared
    numbers = {"best": f"{best:+.0%}", "needed": f"{att.compared:+.0%}", "months": att.window_months}
    if within:
        return Criterion(
            "realistic",
            True,
            _(
                "{who} will deliver it{using}, and the team has done as much before: its best {months}-month "
                "period changed {best}, and the goal needs {needed}."
            ).format(who=who, using=using, **numbers),
        )
    return Criterion(
        "realistic",
        False,
        _(
            "The team has never delivered that much: its best {months}-month period changed {best}, and the goal "
            "needs {needed}. Lower the target, or add the people, budget or time that make it possible and say "
            "how much they add."
        ).format(**numbers),
    )


def _history_level(values: list[float], months: int, aggregate: str) -> float | None:
    if not values:
        return None
    if aggregate == "sum":
        window = values[-months:]
        return sum(window) if len(window) == months else None
    return values[-1]


@checked
def required_growth(goal: Goal, history: pd.Series | Sequence[float] | None = None) -> float | None:
    """The growth a goal needs over its horizon, as a fraction (+25% is 0.25), or ``None`` if it cannot tell.

    A relative change ("by 25%") or a from-to target gives it directly; a target level or a change in the
    metric's own unit ("to 500 MQLs", "by 100 MQLs") needs the history's latest level over the same horizon.

    >>> from datetime import date
    >>> required_growth(parse_goal("Grow MQLs by 20% within 6 months", today=date(2026, 1, 1)))
    0.2
    >>> required_growth(parse_goal("Get 200 MQLs this quarter", today=date(2026, 1, 1)), [40, 50, 50, 60])
    0.25

    """
    if goal.relative_change is not None:
        return goal.relative_change / 100.0
    if history is None or goal.horizon_days is None or goal.horizon_days <= 0:
        return None
    from ._history import DAYS_PER_MONTH, _values

    values, _labels = _values(history)
    info = goal.metric_info
    aggregate = info.aggregate if info else "sum"
    months = max(1, round(goal.horizon_days / DAYS_PER_MONTH))
    level = _history_level(values, months, aggregate)
    if not level:
        return None
    if goal.target is not None:
        return goal.target / level - 1.0
    if goal.amount is not None and goal.direction in ("increase", "decrease"):
        sign = 1.0 if goal.direction == "increase" else -1.0
        return sign * goal.amount / level
    return None


def _impossible(goal: Goal) -> str | None:
    info = goal.metric_info
    if goal.direction == "decrease" and goal.unit == "%" and goal.amount is not None and goal.amount >= 100:
        return _("A drop of {n:g}% would take {metric} to zero or below; pick less than 100%.").format(
            n=goal.amount, metric=goal.metric
        )
    if info is not None and info.kind == "rate":
        for level in (goal.target, goal.baseline):
            if level is not None and not 0 <= level <= 100:
                return _("{metric} is a percentage between 0 and 100, so {n:g}% cannot be reached.").format(
                    metric=goal.metric[:1].upper() + goal.metric[1:] if goal.metric else "", n=level
                )
    return None


def _attainable(
    goal: Goal, history: Any, *, min_periods: int, stretch: float
) -> tuple[Criterion, Attainability | None]:
    impossible = _impossible(goal)
    if impossible:
        return Criterion("attainable", False, impossible), None
    if goal.metric is None or (goal.amount is None and goal.target is None):
        reason = _("Not judged yet: once the goal names a metric and a number, compare them with past results.")
        return Criterion("attainable", False, reason, judged=False), None
    if goal.horizon_days is None or goal.horizon_days <= 0:
        reason = _("Not judged yet: add a time frame, so the target can be compared with past periods as long.")
        return Criterion("attainable", False, reason, judged=False), None
    required = required_growth(goal, history)
    if history is None:
        info = goal.metric_info
        data = ""
        if info is not None and info.source:
            data = _(" The sample data has it: monthly_history(load('{table}'), '{metric}').").format(
                table=info.source["table"], metric=info.label
            )
        need = ""
        if required is not None:
            need = _(" ({change} over {days} days)").format(change=f"{required:+.0%}", days=goal.horizon_days)
        reason = _(
            "Not judged without history: compare the growth this needs{need} with how {metric} moved in past "
            "periods as long. Pass its monthly history to decide.{data}"
        ).format(need=need, metric=goal.metric, data=data)
        return Criterion("attainable", False, reason, judged=False), None
    if required is None:
        reason = _("Not judged: the history has no level to start from (it is empty or ends with zero).")
        return Criterion("attainable", False, reason, judged=False), None
    att = attainability(
        history,
        required,
        horizon_days=goal.horizon_days,
        metric=goal.metric_key,
        min_periods=min_periods,
        stretch=stretch,
    )
    if att.passed is None:
        return Criterion("attainable", False, att.verdict, judged=False), att
    return Criterion("attainable", att.passed, att.verdict), att


@checked
def assess_goal(
    goal: str | Goal | None,
    history: pd.Series | Sequence[float] | None = None,
    *,
    today: date | datetime | str | None = None,
    min_periods: int = MIN_PERIODS,
    stretch: float = 0.9,
) -> GoalAssessment:
    """Judge a goal against the SMART criteria, each with a reason and, when it fails, what to change.

    Specific: one measurable metric, and where it applies (a channel, region, segment or program; "email
    clicks" are about email by themselves). Measurable: a number (a change or a target level). Attainable: the
    growth it needs against the metric's own past growth over periods as long (needs ``history``; without it,
    not judged and the reason says what data would decide it). Realistic: someone named delivers it, and it
    needs no more than the team's best past period as long (needs ``history`` too). Time-bound: a future deadline
    or a time frame ("soon" and "over time" are not).

    Args:
        goal: the goal sentence, or a :class:`Goal` from :func:`parse_goal`.
        history: the metric's monthly values, oldest first (e.g. :func:`monthly_history`), to judge attainability.
        today: the day relative dates count from (for a sentence); default: today.
        min_periods: fewest past periods worth an attainability verdict.
        stretch: a target more ambitious than this share of past periods is not attainable.

    >>> from datetime import date
    >>> result = assess_goal("We will increase total email clicks by 25% within a year.", today=date(2026, 11, 1))
    >>> [c.mark for c in result.criteria], result.passed
    (['✓', '✓', '?', '?', '✓'], True)
    >>> print(assess_goal("Boost engagement soon.").time_bound.reason)
    'soon' is not a deadline: add a date ('by 31 March 2027') or a time frame ('within 6 months').

    """
    parsed = goal if isinstance(goal, Goal) else parse_goal(goal, today=today)
    if history is not None:
        from ._history import _values

        _values(history)  # a malformed history is the caller's error: say so before judging anything
    try:
        return _assess(parsed, history, min_periods=min_periods, stretch=stretch)
    except Exception:  # a rule failed on a sentence nobody foresaw: feedback, never a traceback
        reason = _("This could not be judged; try writing the goal more simply.")
        unjudged = {name: Criterion(name, False, reason, judged=False) for name in CRITERIA}
        return GoalAssessment(
            parsed,
            unjudged["specific"],
            unjudged["measurable"],
            unjudged["attainable"],
            unjudged["realistic"],
            unjudged["time_bound"],
        )


def _assess(goal: Goal, history: Any, *, min_periods: int, stretch: float) -> GoalAssessment:
    attainable, att = _attainable(goal, history, min_periods=min_periods, stretch=stretch)
    return GoalAssessment(
        goal=goal,
        specific=_specific(goal),
        measurable=_measurable(goal),
        attainable=attainable,
        realistic=_realistic(goal, att),
        time_bound=_time_bound(goal),
        attainability=att,
    )
