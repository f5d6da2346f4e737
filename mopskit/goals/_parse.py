"""Reading a goal written in English into its parts, by rules (no model, no randomness, never an exception).

How a percentage is read:

- a *change* when it follows ``by``/``of``/``up``/``down`` or comes before a change word ("25% more clicks",
  "a 25% increase"): ``amount=25, unit="%"`` means 25% of the current level (relative change);
- a *level* when it follows ``to``/``at``/``from``/``reach``/``above``/``below``/``at least``: "to 3%" is
  ``target=3, level_unit="%"`` (a rate of 3%), and "from 2% to 3%" is ``baseline=2, target=3``, whose change is
  ``amount=1, unit="pp"`` (percentage points), not 50%;
- "by 2 percentage points" (or "pp", "points") is a change of the level itself: ``amount=2, unit="pp"``.
A relative change of a rate ("increase open rate by 2%") is kept as written, with a note that "2 percentage
points" may have been meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

from .._validate import checked, day
from ..i18n import _
from ._text import Token, read_digits, read_number_words, tokenize
from ._time import TimeHit, add_days, scan_time
from ._vocab import MetricInfo, goal_metrics, indexes

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Goal", "parse_goal"]


@dataclass(frozen=True)
class Goal:
    """A goal sentence read into its parts.

    Attributes:
        text: the sentence as written.
        metric: what is measured, as the kit names it (``"email clicks"``), or ``None``.
        metric_key: the metric's name in the catalog (``"total_clicks"``), or ``None``.
        direction: ``"increase"``, ``"decrease"``, ``"maintain"`` or ``None`` when the sentence does not say.
        amount: the size of the change (always positive; ``direction`` gives the sign): "by 25%" is 25.
        unit: the unit of ``amount``: ``"%"`` for a change relative to today's level, ``"pp"`` for percentage
            points of a rate, a currency code, the metric's unit (``"MQLs"``), or ``None``.
        baseline: the starting level in "from X to Y", else ``None``.
        target: the level to reach ("to 5,000 MQLs", "to 3%"), else ``None``.
        level_unit: the unit of ``baseline`` and ``target`` (``"%"`` for a rate, a currency, ``"MQLs"``).
        deadline: the day the goal is due (from a date, a quarter, or today plus the horizon).
        horizon_days: days from ``today`` to the deadline ("within a year" is 365; negative once past).
        today: the day relative dates were read from.
        scope: where the goal applies: the metric's own scope ("email") and any channel, region, segment or
            program named.
        owner: who delivers it ("we", "Ana Pop", "the email team"), or ``None``.
        resources: budget, hours or people named, as written.
        other_metrics: further metrics named (a goal should have one).
        vague: vague words found ("engagement", "soon", "significantly").
        recurring: "per month" and the like: how often, which is not a deadline.
        unknown: words the parser did not understand.
        notes: what a trainee should know about how the sentence was read.

    """

    text: str
    metric: str | None = None
    metric_key: str | None = None
    direction: str | None = None
    amount: float | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    level_unit: str | None = None
    deadline: date | None = None
    horizon_days: int | None = None
    today: date = field(default_factory=date.today)
    scope: tuple[str, ...] = ()
    owner: str | None = None
    resources: tuple[str, ...] = ()
    other_metrics: tuple[str, ...] = ()
    vague: tuple[str, ...] = ()
    recurring: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def parts(self, names: Sequence[str] | None = None) -> pd.DataFrame:
        """The parts the sentence was read into, as a table: each part's name and what was read.

        >>> goal = parse_goal("Ana Pop will grow MQLs by 5% within 3 months.", today=date(2026, 11, 1))
        >>> goal.parts(["metric", "amount", "owner"])["read as"].tolist()
        ['MQLs', '5.0', 'Ana Pop']

        Args:
            names: the parts to show, in order (default: every part but the sentence itself).

        Raises:
            ParameterError: a name that is not a part; the message lists the valid ones.

        """
        import pandas as pd

        from ..errors import ParameterError
        from ..present import for_people

        valid = [f.name for f in fields(self) if f.name != "text"]
        chosen = list(valid if names is None else names)
        unknown = [name for name in chosen if name not in valid]
        if unknown:
            raise ParameterError(f"{unknown[0]!r} is not a part of a goal; valid: {', '.join(valid)}")
        table = pd.DataFrame({"part": chosen, "read as": [str(getattr(self, name)) for name in chosen]})
        return for_people(table, {"part": _("part"), "read as": _("read as")})

    @property
    def metric_info(self) -> MetricInfo | None:
        """The vocabulary entry of the metric (kind, unit, where the data holds it), or ``None``."""
        return goal_metrics().get(self.metric_key) if self.metric_key else None

    @property
    def relative_change(self) -> float | None:
        """The change in percent of the starting level (+25.0 for "by 25%"), when the sentence gives it.

        >>> parse_goal("Raise open rate from 20% to 25% by Q4", today=date(2026, 1, 1)).relative_change
        25.0
        """
        sign = {"increase": 1.0, "decrease": -1.0, "maintain": 0.0}.get(self.direction or "", None)
        if self.unit == "%" and self.amount is not None and sign is not None:
            return sign * self.amount
        if self.baseline and self.target is not None:
            return (self.target / self.baseline - 1.0) * 100.0
        if self.direction == "maintain":
            return 0.0
        return None


_STOP = frozenset(
    """we i our us my me you your they their he she it its the a an will shall would should could can must may to of
    in on for by and or with from at this that these those is are be been being am was were all per than so as into
    across through via make get gets aim aims goal goals target targets plan plans want wants total number overall
    new amount level also then about around approximately roughly least most while including account accounts
    channel program programme team want going need needs do does doing have has our's every each more further
    over under above below up down reach reaching hit achieve achieving least some percent cent there here
    order ensure help helping start starting continue us-based based s t let lets day days hour hours minutes
    """.split()
)
_CHANGE_BEFORE = frozenset({"by", "of", "up", "down", "add", "adds", "adding", "added", "gain", "win", "another"})
_LEVEL_BEFORE = frozenset(
    "to at reach reaching hit hitting achieve achieving above below over under exceed exceeding beyond least most "
    "than maintain keep hold sustain around".split()
)
_SKIP_BEFORE = frozenset("a an the about around approximately roughly nearly almost ~ least most".split())
_CHANGE_AFTER = {
    "more": "increase",
    "higher": "increase",
    "increase": "increase",
    "growth": "increase",
    "rise": "increase",
    "lift": "increase",
    "uplift": "increase",
    "improvement": None,
    "gain": "increase",
    "boost": "increase",
    "jump": "increase",
    "extra": "increase",
    "additional": "increase",
    "up": "increase",
    "fewer": "decrease",
    "less": "decrease",
    "lower": "decrease",
    "decrease": "decrease",
    "reduction": "decrease",
    "drop": "decrease",
    "decline": "decrease",
    "cut": "decrease",
    "down": "decrease",
    "change": None,
}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "฿": "THB"}
_CURRENCY_WORDS = {
    "usd": "USD",
    "dollar": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "gbp": "GBP",
    "pound": "GBP",
    "ron": "RON",
    "lei": "RON",
    "thb": "THB",
    "baht": "THB",
    "twd": "TWD",
    "ntd": "TWD",
}
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_FRACTIONS = {"half": 50.0, "quarter": 25.0, "third": 100.0 / 3}
_MULTIPLES = {"double": 100.0, "triple": 200.0, "quadruple": 300.0, "twofold": 100.0, "threefold": 200.0}


def _forms(*verbs: str) -> set[str]:
    out = set()
    for verb in verbs:
        base = verb[:-1] if verb.endswith("e") else verb
        out |= {verb, verb + "s", base + "ed", base + "ing", verb + "d" if verb.endswith("e") else verb + "ed"}
    return out


_INCREASE = _forms(
    "increase", "grow", "raise", "boost", "lift", "expand", "gain", "double", "triple", "quadruple", "accelerate",
    "maximize", "maximise", "drive", "rise", "add", "scale", "strengthen", "enhance", "multiply", "jump",
) | {"grew", "grown", "rose", "risen", "drove", "driven", "more", "higher", "up"}  # fmt: skip
_DECREASE = _forms(
    "decrease", "reduce", "cut", "lower", "decline", "drop", "shrink", "halve", "minimize", "minimise", "slash",
    "trim", "shorten", "lessen", "eliminate", "fall", "limit", "curb",
) | {"fewer", "less", "down", "fell", "fallen", "shrunk", "cutting"}  # fmt: skip
_MAINTAIN = _forms("maintain", "keep", "hold", "sustain", "stay", "preserve", "protect", "stabilize", "stabilise")
_MAINTAIN |= {"kept", "held", "steady"}
_IMPROVE = _forms("improve", "optimize", "optimise", "better")
_VAGUE_AMOUNT = frozenset(
    "significantly substantially dramatically greatly considerably massively drastically hugely slightly "
    "somewhat meaningfully noticeably much lots many better best great good".split()
)
_MULTIPLE_FORMS = {form: pct for name, pct in _MULTIPLES.items() for form in _forms(name)}
_MULTIPLE_FORMS |= dict.fromkeys(_forms("halve"), 50.0)
_OWNER_KEYWORDS = ("owner", "owned", "led", "assigned", "responsible", "accountable", "dri", "driven")
_SUBJECT_VERBS = frozenset("will shall aim aims plan plans intend intends commit commits going want wants".split())
_RESOURCE_NOUNS = frozenset(
    "hour hours fte ftes people person headcount contractor contractors freelancer freelancers designer designers "
    "developer developers analyst analysts specialist specialists engineer engineers seat seats agency".split()
)
_RESOURCE_WORDS = frozenset("budget capacity resources resource funded funding staffed staff headcount".split())


@dataclass
class _Quantity:
    start: int
    stop: int
    value: float
    unit: str | None  # "%", "pp", a currency code, or None


def _today(value: date | datetime | str | None, *, function: str = "parse_goal") -> date:
    return date.today() if value is None else day(value, "today", function=function)


@checked
def parse_goal(text: object, *, today: date | datetime | str | None = None) -> Goal:
    """Read a goal sentence into a :class:`Goal`: metric, direction, amount, unit, levels, deadline, scope, owner.

    Never raises on the text: what it cannot read ends up in ``unknown`` and ``notes``, for feedback (a
    ``today`` that is not a date is refused with a ParameterError).

    Args:
        text: the goal, in English.
        today: the day relative dates ("this quarter", "within 6 months") count from; default: today.

    >>> g = parse_goal("We will increase total email clicks by 25% within a year.", today=date(2026, 11, 1))
    >>> g.metric, g.direction, g.amount, g.unit, g.horizon_days, g.scope, g.owner
    ('email clicks', 'increase', 25.0, '%', 365, ('email',), 'we')
    >>> g = parse_goal("Cut CAC from $400 to $300 by end of Q2 2027", today=date(2026, 11, 1))
    >>> g.direction, g.baseline, g.target, g.level_unit, g.deadline.isoformat()
    ('decrease', 400.0, 300.0, 'USD', '2027-06-30')

    """
    raw = "" if text is None else text if isinstance(text, str) else str(text)
    when = _today(today)
    try:
        return _parse(raw, when)
    except Exception:  # a rule failed on an input nobody foresaw: say so, never crash a lesson
        return Goal(text=raw, today=when, notes=(_("This sentence could not be read; try a simpler one."),))


def _parse(text: str, today: date) -> Goal:
    tokens = tokenize(text)
    free = [True] * len(tokens)
    notes: list[str] = []

    hits = scan_time(tokens, free, today)
    deadline, horizon, vague_time, recurring = _time_result(hits, today, notes)

    terms = _scan_terms(tokens, free)
    scope_tokens = {k for start, n, kind, _v in terms if kind == "scopes" for k in range(start, start + n)}
    owner_free = [f or k in scope_tokens for k, f in enumerate(free)]
    owner, owner_tokens = _owner(tokens, owner_free)  # "the email team" is an owner, not a scope
    for k in owner_tokens:
        free[k] = False
    metric_at = {start for start, _n, kind, _v in terms if kind == "metrics"}
    metric_keys = list(dict.fromkeys(v for _s, _n, kind, v in terms if kind == "metrics"))
    scope_labels = [v for start, _n, kind, v in terms if kind == "scopes" and start not in owner_tokens]
    scope_labels = list(dict.fromkeys(scope_labels))
    resources = _resources(tokens, free, text)
    vague_terms = _scan_vague(tokens, free)

    metric = goal_metrics()[metric_keys[0]] if metric_keys else None
    scope = tuple(dict.fromkeys(([metric.scope] if metric and metric.scope else []) + scope_labels))

    words = [t.low for t in tokens]
    quantities = _quantities(tokens, free)
    direction, multiple = _direction(tokens, free, metric)
    amount = unit = baseline = target = level_unit = None
    for q in quantities:
        role, implied = _role(q, words, metric_at, has_direction=direction is not None)
        direction = direction or implied
        if role == "change" and amount is None:
            amount, unit = abs(q.value), q.unit or (metric.unit if metric else None)
        elif role == "baseline" and baseline is None:
            baseline, level_unit = q.value, q.unit or level_unit
        elif role == "target" and target is None:
            target, level_unit = q.value, q.unit or level_unit
        else:
            unused = _("The number {n:g} was not used: is it the target, the change, or something else?")
            notes.append(unused.format(n=q.value))
    if direction is None:
        leftover = {t.low for t, f in zip(tokens, free, strict=True) if f}
        direction = (
            "increase" if leftover & {"more", "higher"} else "decrease" if leftover & {"fewer", "less"} else None
        )
    if multiple is not None and amount is None and not (baseline is not None and target is not None):
        amount, unit = multiple, "%"
    if (baseline is not None or target is not None) and level_unit is None and metric is not None:
        level_unit = metric.unit
    if baseline is not None and target is not None:
        derived = "increase" if target > baseline else "decrease" if target < baseline else "maintain"
        if direction not in (None, derived):
            notes.append(
                _("You wrote '{word}' but {a:g} to {b:g} is a {derived}; check the numbers.").format(
                    word=direction,
                    a=baseline,
                    b=target,
                    derived={"increase": _("increase"), "decrease": _("decrease")}.get(derived, _("maintain")),
                )
            )
        direction = direction or derived
        if amount is None:
            amount = abs(target - baseline)
            unit = "pp" if level_unit == "%" else level_unit
    if metric is not None and metric.kind in ("rate", "ratio") and unit == "%" and multiple is None:
        notes.append(
            _(
                "'{amount:g}%' of a rate reads as a relative change ({amount:g}% of today's {metric}); "
                "if you mean points, write '{amount:g} percentage points'."
            ).format(amount=amount, metric=metric.label)
        )
    vague_amount = [t.low for t, f in zip(tokens, free, strict=True) if f and t.low in _VAGUE_AMOUNT]
    if deadline is None and horizon is not None:
        deadline = add_days(today, horizon)
    elif deadline is not None and horizon is None:
        horizon = (deadline - today).days
    unknown = [t.text for t, f in zip(tokens, free, strict=True) if f and _is_word(t) and t.low not in _STOP]
    unknown = [w for w in unknown if w.lower() not in _VAGUE_AMOUNT and w.lower() not in _ALL_DIRECTION_WORDS]
    if len(unknown) > 20:
        unknown = [*unknown[:20], "…"]
    return Goal(
        text=text,
        metric=metric.label if metric else None,
        metric_key=metric.key if metric else None,
        direction=direction,
        amount=amount,
        unit=unit,
        baseline=baseline,
        target=target,
        level_unit=level_unit,
        deadline=deadline,
        horizon_days=horizon,
        today=today,
        scope=scope,
        owner=owner,
        resources=tuple(resources),
        other_metrics=tuple(goal_metrics()[k].label for k in metric_keys[1:]),
        vague=tuple(dict.fromkeys(vague_terms + vague_time + vague_amount)),
        recurring=tuple(recurring),
        unknown=tuple(unknown),
        notes=tuple(dict.fromkeys(notes)),
    )


_ALL_DIRECTION_WORDS = _INCREASE | _DECREASE | _MAINTAIN | _IMPROVE | set(_MULTIPLES)


def _is_word(token: Token) -> bool:
    return any(ch.isalpha() for ch in token.text)


def _time_result(
    hits: list[TimeHit], today: date, notes: list[str]
) -> tuple[date | None, int | None, list[str], list[str]]:
    deadline: date | None = None
    horizon: int | None = None
    vague = [h.vague for h in hits if h.vague]
    recurring = [h.recurring for h in hits if h.recurring]
    for hit in hits:
        if hit.ambiguous:
            notes.append(
                _("'{text}' is not a clear date; write it as 2027-03-31 or 31 March 2027.").format(text=hit.ambiguous)
            )
        if hit.deadline is None and hit.horizon_days is None:
            continue
        if deadline is not None or horizon is not None:
            notes.append(_("The goal names more than one time frame; the first one is used."))
            continue
        deadline, horizon = hit.deadline, hit.horizon_days
    return deadline, horizon, vague, recurring


def _scan_terms(tokens: list[Token], free: list[bool]) -> list[tuple[int, int, str, str]]:
    """Mark metric and scope phrases among the free tokens, the longest first (a metric wins a tie).

    Returns (start, length, "metrics" or "scopes", value) for each phrase found, in order.
    """
    metrics, scope_index = indexes().metrics, indexes().scopes
    stems = [t.stem for t in tokens]
    found: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(tokens):
        if not free[i]:
            i += 1
            continue
        metric = metrics.match(stems, i, free)
        scope = scope_index.match(stems, i, free)
        if metric is None and scope is None:
            i += 1
            continue
        if scope is not None and (metric is None or scope[0] > metric[0]):
            length, value, kind = scope[0], scope[1], "scopes"
        else:
            assert metric is not None
            length, value, kind = metric[0], metric[1], "metrics"
        for k in range(i, i + length):
            free[k] = False
        found.append((i, length, kind, value))
        i += length
    return found


def _scan_vague(tokens: list[Token], free: list[bool]) -> list[str]:
    index = indexes().vague
    stems = [t.stem for t in tokens]
    values: list[str] = []
    for i in range(len(tokens)):
        hit = index.match(stems, i, free) if free[i] else None
        if hit is not None:
            for k in range(i, i + hit[0]):
                free[k] = False
            if hit[1] not in values:
                values.append(hit[1])
    return values


def _owner(tokens: list[Token], free: list[bool]) -> tuple[str | None, set[int]]:
    words = [t.low for t in tokens]
    for i, word in enumerate(words):
        if word not in _OWNER_KEYWORDS or not free[i]:
            continue
        j = i + 1
        while j < len(tokens) and words[j] in (":", "-", "by", "to", "is", "for", "=", "–"):
            j += 1
        name = _name_at(tokens, free, j)
        if name:
            start, stop = name
            return " ".join(t.text for t in tokens[start:stop]), set(range(i, stop))
    limit = min(len(tokens), 8)
    for i in range(limit):
        if words[i] in _SUBJECT_VERBS or (words[i] in ("is", "are") and i + 1 < len(words) and words[i + 1] == "going"):
            subject = [k for k in range(i) if _is_word(tokens[k])]
            if not subject or not all(free[k] for k in subject) or len(subject) > 5:
                return None, set()
            text = " ".join(tokens[k].text for k in subject)
            low = text.lower()
            if low in ("we", "i"):
                owner = low
            elif (
                "team" in low.split()
                or low in ("mops", "marketing ops", "marketing operations")
                or all(tokens[k].text[:1].isupper() for k in subject if tokens[k].low not in ("the", "our", "and"))
            ):
                owner = text
            else:
                return None, set()
            return owner, set(subject)
    return None, set()


def _name_at(tokens: list[Token], free: list[bool], start: int) -> tuple[int, int] | None:
    """A person or team name at ``start``: capitalised words, or "the X team", up to four words."""
    stop = start
    while stop < len(tokens) and stop - start < 4 and free[stop] and _is_word(tokens[stop]):
        token = tokens[stop]
        if not (token.text[:1].isupper() or token.low in ("the", "our", "team", "ops", "we", "me")):
            break
        stop += 1
    return (start, stop) if stop > start else None


def _resources(tokens: list[Token], free: list[bool], text: str) -> list[str]:
    found: list[str] = []
    words = [t.low for t in tokens]
    for i, word in enumerate(words):
        if not free[i]:
            continue
        span: tuple[int, int] | None = None
        if word in _RESOURCE_WORDS:
            span = (i, i + 1)
            j = i + 1
            while j < len(tokens) and words[j] in ("of", "a", "an", "is", ":", "with") and j - i < 3:
                j += 1
            q = _quantity_at(tokens, j)
            if q is not None and all(free[q.start : q.stop]):
                span = (i, q.stop)
            else:
                k = i - 1
                while k >= 0 and words[k] in ("a", "an", "the"):
                    k -= 1
                for start in range(max(0, k - 3), k + 1):
                    q = _quantity_at(tokens, start)
                    if q is not None and q.stop == k + 1 and all(free[q.start : i]):
                        span = (q.start, i + 1)
                        break
        elif word in _RESOURCE_NOUNS and i > 0:
            for start in range(max(0, i - 3), i):
                q = _quantity_at(tokens, start)
                if q is not None and q.stop == i and all(free[q.start : i]):
                    span = (q.start, i + 1)
                    break
        if span is None:
            continue
        begin, end = span
        if end - begin == 1 and word in _RESOURCE_NOUNS:
            continue
        for k in range(begin, end):
            free[k] = False
        last = tokens[end - 1]
        found.append(text[tokens[begin].start : last.start + len(last.text)])
    return found


def _quantity_at(tokens: list[Token], i: int) -> _Quantity | None:
    """A number with its unit at ``i``: "$5k", "25%", "2 percentage points", "1,200 USD", "twenty percent"."""
    if i >= len(tokens):
        return None
    words = [t.low for t in tokens[i : i + 6]]  # a quantity spans at most six tokens
    j = 0
    currency = _CURRENCY_SYMBOLS.get(words[0])
    if currency:
        j = 1
    if j >= len(words):
        return None
    value: float | None
    if tokens[i + j].is_number:
        value = read_digits(tokens[i + j].text)
        j += 1
    else:
        counted = read_number_words(words, j) if words[j] not in ("a", "an") else None
        if counted is None:
            return None
        used, value = counted
        j += used
    if value is None:
        return None
    if j < len(words) and words[j] in _MULTIPLIERS and (currency or j + 1 >= len(words) or words[j] != "m"):
        value *= _MULTIPLIERS[words[j]]
        j += 1
    unit: str | None = currency
    rest = words[j:]
    if rest[:1] == ["%"] or rest[:1] in (["percent"], ["pct"], ["per-cent"]):
        unit, j = "%", j + 1
        if words[j : j + 1] in (["point"], ["points"]):
            unit, j = "pp", j + 1
    elif rest[:2] == ["per", "cent"]:
        unit, j = "%", j + 2
    elif rest[:2] in (["percentage", "point"], ["percentage", "points"]):
        unit, j = "pp", j + 2
    elif rest[:1] in (["pp"], ["ppt"], ["ppts"], ["pts"], ["points"], ["point"]):
        unit, j = "pp", j + 1
    elif rest[:2] == ["basis", "points"] or rest[:1] == ["bps"]:
        value, unit, j = value / 100.0, "pp", j + (1 if rest[:1] == ["bps"] else 2)
    elif rest[:1] and (rest[0] in _CURRENCY_WORDS or rest[0].rstrip("s") in _CURRENCY_WORDS):
        unit, j = _CURRENCY_WORDS.get(rest[0]) or _CURRENCY_WORDS[rest[0].rstrip("s")], j + 1
    return _Quantity(i, i + j, value, unit)


def _quantities(tokens: list[Token], free: list[bool]) -> list[_Quantity]:
    found: list[_Quantity] = []
    words = [t.low for t in tokens]
    i = 0
    while i < len(tokens):
        if not free[i]:
            i += 1
            continue
        if words[i] in _FRACTIONS and i > 0 and words[i - 1] in ("by", "in", "of", "a") and free[i - 1]:
            before = i - 2 if words[i - 1] == "a" else i - 1
            if before >= 0 and words[before] in ("by", "in", "of"):
                found.append(_Quantity(i, i + 1, _FRACTIONS[words[i]], "%"))
                free[i] = False
                i += 1
                continue
        q = _quantity_at(tokens, i)
        if q is not None and all(free[q.start : q.stop]):
            for k in range(q.start, q.stop):
                free[k] = False
            found.append(q)
            i = q.stop
        else:
            i += 1
    return found


def _direction(tokens: list[Token], free: list[bool], metric: MetricInfo | None) -> tuple[str | None, float | None]:
    """The first direction word, and the change a word like "double" or "halve" implies."""
    direction: str | None = None
    multiple: float | None = None
    words = [t.low for t in tokens]
    for i, word in enumerate(words):
        if not free[i]:
            continue
        found: str | None = None
        if word in _IMPROVE:
            found = "decrease" if metric is not None and metric.better == "lower" else "increase"
        elif word in _INCREASE and word not in ("up", "more", "higher"):
            found = "increase"
        elif word in _DECREASE and word not in ("down", "less", "fewer"):
            found = "decrease"
        elif word in _MAINTAIN:
            found = "maintain"
        if multiple is None and word in _MULTIPLE_FORMS:
            multiple = _MULTIPLE_FORMS[word]
        if found is None:
            continue
        free[i] = False
        direction = direction or found
    return direction, multiple


def _role(q: _Quantity, words: list[str], metric_at: set[int], *, has_direction: bool) -> tuple[str, str | None]:
    """Is a number the change, the starting level or the target? Also the direction its neighbours imply."""
    k = q.start - 1
    while k >= 0 and words[k] in _SKIP_BEFORE:
        if words[k] in ("least", "most") and k > 0 and words[k - 1] == "at":
            break
        k -= 1
    before = words[k] if k >= 0 else ""
    after = words[q.stop] if q.stop < len(words) else ""
    if before == "from":
        return "baseline", None
    if after in _CHANGE_AFTER:
        return "change", _CHANGE_AFTER[after]
    if before in _CHANGE_BEFORE:
        implied = {"up": "increase", "down": "decrease"}.get(before)
        return "change", implied
    if before in _LEVEL_BEFORE:
        return "target", None
    if q.unit == "%":
        return ("change" if has_direction else "target"), None
    if q.stop in metric_at:
        return "target", None
    return ("change" if has_direction else "target"), None
