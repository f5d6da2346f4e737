"""The goal vocabulary: measurable metrics, vague words and scopes.

The metrics a goal can name are the catalog's (``mopskit/content/metrics.yaml``, read through
:mod:`mopskit.metrics.catalog`): every metric with a ``goal`` block, keyed by its catalog name, whose aliases
(``cac``, ``cpl``, ...) still find it. Vague words and scopes are in ``mopskit/content/goal_words.yaml``. Channel
scopes come from the data dictionary (the ``channel`` columns of ``campaigns`` and ``contacts``), so a goal can
name any channel the sample data knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .._validate import checked
from ..errors import ParameterError
from ..i18n import _
from ._text import PhraseIndex, phrase_key

__all__ = ["MetricInfo", "find_metric", "goal_metrics", "metric_info"]


@dataclass(frozen=True)
class MetricInfo:
    """A measurable metric a goal can name.

    Attributes:
        key: its name in the metric catalog, e.g. ``"total_clicks"``.
        label: how the kit writes it, e.g. ``"email clicks"``.
        synonyms: other ways to write it.
        kind: ``count``, ``rate`` (a percentage), ``money``, ``ratio``, ``score`` or ``time``.
        unit: what one of it is called (``"clicks"``), ``"%"`` for rates, the currency for money.
        better: ``"higher"`` or ``"lower"``: what improving it means.
        aggregate: ``"sum"`` for flows (compare totals over periods), ``"level"`` for values at a time.
        scope: where it applies by itself (``"email"``), or ``None``.
        measured_from: where the data dictionary holds it (table, date column, filter), or ``None``.

    """

    key: str
    label: str
    synonyms: tuple[str, ...]
    kind: str
    unit: str
    better: str
    aggregate: str
    scope: str | None = None
    measured_from: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def source(self) -> dict[str, str]:
        """Where the metric is counted from, as a dict (empty when the sample data does not hold it)."""
        return dict(self.measured_from)


@dataclass(frozen=True)
class Scope:
    """A place a goal applies to: a channel, region, segment or program."""

    label: str
    group: str
    phrase: str


@cache
def _raw() -> dict[str, Any]:
    from .. import content

    return content.load_yaml("goal_words")


# the catalog's unit -> a goal's kind of metric (a percent that can leave 0-100 is a ratio)
_KINDS = {"count": "count", "percent": "rate", "points": "rate", "money": "money", "days": "time", "hours": "time"}


@checked
@cache
def goal_metrics() -> dict[str, MetricInfo]:
    """Return the measurable metrics a goal can name, by their catalog name.

    >>> goal_metrics()["total_clicks"].label
    'email clicks'
    >>> goal_metrics()["customer_acquisition_cost"].better
    'lower'
    """
    from ..data import currency
    from ..metrics.catalog import catalog, metric

    metrics = {}
    for name in catalog()["name"]:
        entry = metric(name)
        if entry.goal is None:
            continue
        kind = "ratio" if entry.unbounded else _KINDS.get(entry.unit, entry.unit)
        units = {"count": entry.goal.noun, "percent": "%", "points": "%", "money": currency(), "score": "points"}
        metrics[name] = MetricInfo(
            key=name,
            label=entry.goal.label,
            synonyms=entry.goal.synonyms,
            kind=kind,
            unit=units.get(entry.unit, entry.unit),
            better=entry.goal.better,
            aggregate=entry.goal.aggregate,
            scope=entry.goal.scope or None,
            measured_from=entry.measured_from,
            aliases=entry.aliases,
        )
    return metrics


@checked
def metric_info(name: str) -> MetricInfo:
    """Return a metric by name, alias, label or synonym ("CTR", "click-through rate", "click_through_rate").

    Raises:
        ParameterError: the name is not a metric the kit knows; the message lists the valid labels.

    >>> metric_info("CTR").key, metric_info("cac").key
    ('click_through_rate', 'customer_acquisition_cost')

    """
    found = find_metric(name)
    if found is None:
        valid = ", ".join(m.label for m in goal_metrics().values())
        raise ParameterError(_("unknown metric '{name}'; valid: {valid}").format(name=name, valid=valid))
    return found


@checked
def find_metric(name: str) -> MetricInfo | None:
    """Return the metric a name stands for, or None.

    >>> find_metric("Marketing-qualified leads").label
    'MQLs'
    >>> find_metric("engagement") is None
    True
    """
    metrics = goal_metrics()
    if name in metrics:
        return metrics[name]
    aliased = next((m for m in metrics.values() if name in m.aliases), None)
    if aliased is not None:
        return aliased
    key = phrase_key(str(name))
    hit = indexes().metrics.match(list(key), 0, [True] * len(key))
    if hit is None or hit[0] != len(key):
        return None
    return metrics[hit[1]]


def vague_suggestions(term: str) -> list[MetricInfo]:
    """Return measurable metrics to suggest instead of a vague word.

    >>> [m.label for m in vague_suggestions("engagement")]
    ['email clicks', 'email click-through rate', 'email open rate']
    """
    keys = _raw()["vague"].get(term, [])
    return [goal_metrics()[k] for k in keys]


@checked
@cache
def scopes() -> dict[str, Scope]:
    """Return every scope a goal can name, by label: the data dictionary's channels and the content file's scopes.

    >>> scopes()["paid search"].phrase
    'from the paid search channel'
    """
    from ..data import table_spec

    found: dict[str, Scope] = {}
    groups = _raw()["scopes"]
    channel_phrase = groups["channel"]["phrase"]
    for table in ("campaigns", "contacts"):
        column = "channel" if table == "campaigns" else "source_channel"
        for value in table_spec(table).columns[column].values:
            if value == "direct":  # too common a word to mean a channel
                continue
            label = value.replace("_", " ")
            found.setdefault(label, Scope(label, "channel", channel_phrase.format(scope=label)))
    for group, raw in groups.items():
        for term in raw["terms"]:
            found.setdefault(term, Scope(term, group, raw["phrase"].format(scope=term)))
    return found


@dataclass(frozen=True)
class _Indexes:
    metrics: PhraseIndex[str]
    vague: PhraseIndex[str]
    scopes: PhraseIndex[str]


@cache
def indexes() -> _Indexes:
    """The phrase indexes the parser looks words up in."""
    metric_phrases = [(m.label, k) for k, m in goal_metrics().items()]
    metric_phrases += [(s, k) for k, m in goal_metrics().items() for s in m.synonyms]
    metric_phrases += [(a.replace("_", " "), k) for k, m in goal_metrics().items() for a in (k, *m.aliases)]
    return _Indexes(
        metrics=PhraseIndex(metric_phrases),
        vague=PhraseIndex((term, term) for term in _raw()["vague"]),
        scopes=PhraseIndex((label, label) for label in scopes()),
    )
