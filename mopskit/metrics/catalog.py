"""The metric catalog: what each metric means, its formula, unit, grain and source, written once as data.

The entries live in ``mopskit/content/metrics.yaml``, the kit's one vocabulary of metrics: lessons and reports
render definitions from here, the metrics explorer labels its tables from here, and goals read the words a goal
uses for each metric from here (:mod:`mopskit.goals`), so a definition is never typed twice and a translation is
a catalog, not a rewrite. Old names stay usable as aliases (``metric("cac")``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd

from .._validate import checked
from ..content import load_yaml, source_title
from ..errors import ParameterError
from ..i18n import _, content_text, per_language
from ..present import for_people

__all__ = ["FAMILIES", "UNITS", "GoalTerms", "Metric", "catalog", "metric", "metric_name", "variant_labels", "variants"]

FAMILIES = ("email", "funnel", "money", "tests", "attribution", "quality", "cohorts", "web", "customer", "operations")
UNITS = ("count", "percent", "points", "money", "days", "hours", "score")


@dataclass(frozen=True)
class GoalTerms:
    """How a goal sentence names a metric (see :mod:`mopskit.goals`).

    Attributes:
        label: how the kit writes it in a goal (``"email clicks"``); parse_goal reads it back.
        synonyms: other ways people write it.
        noun: what one of a count is called (``"clicks"``); empty for other units.
        better: ``"higher"`` or ``"lower"``: what improving it means.
        aggregate: ``"sum"`` for flows (periods add up), ``"level"`` for values at a point in time.
        scope: where it applies by itself (``"email"``), or empty.

    """

    label: str
    synonyms: tuple[str, ...]
    noun: str
    better: str
    aggregate: str
    scope: str


@dataclass(frozen=True)
class Metric:
    """One metric of the catalog (the fields are described in ``mopskit/content/metrics.yaml``)."""

    name: str
    family: str
    label: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    grain: str
    source: str
    function: str
    variants: tuple[dict[str, str], ...] = field(default_factory=tuple)
    aliases: tuple[str, ...] = ()
    unbounded: bool = False
    measured_from: tuple[tuple[str, str], ...] = ()
    goal: GoalTerms | None = None
    method: str = ""

    @property
    def formula(self) -> str:
        """The formula in words, e.g. ``unique clicks / delivered × 100``."""
        if not self.denominator:
            return self.numerator
        scale = " × 100" if self.unit == "percent" else ""
        return f"{self.numerator} / {self.denominator}{scale}"

    @property
    def source_title(self) -> str:
        """The title of the article or documentation the definition follows."""
        return source_title(self.source)

    @property
    def computed(self) -> bool:
        """Whether a ``mopskit.metrics`` function computes it from the kit's data (else it is only named)."""
        return bool(self.function)


def _goal_terms(raw: dict[str, Any]) -> GoalTerms:
    return GoalTerms(
        label=str(raw["label"]),
        synonyms=tuple(str(s) for s in raw.get("synonyms", ())),
        noun=str(raw.get("noun", "")),
        better=str(raw.get("better", "higher")),
        aggregate=str(raw.get("aggregate", "level")),
        scope=str(raw.get("scope", "")),
    )


@per_language  # translated as read: one copy per language
def _entries() -> dict[str, Metric]:
    raw: dict[str, dict[str, Any]] = load_yaml("metrics")
    metrics = {}
    for name, entry in raw.items():
        if entry["family"] not in FAMILIES or entry["unit"] not in UNITS:
            raise ParameterError(
                _("metrics.yaml: '{name}' has family {family!r} / unit {unit!r}").format(
                    name=name, family=entry["family"], unit=entry["unit"]
                )
            )
        metrics[name] = Metric(
            name=name,
            family=entry["family"],
            label=entry["label"],
            definition=" ".join(str(entry["definition"]).split()),
            numerator=str(entry["numerator"]),
            denominator=str(entry.get("denominator") or ""),
            unit=entry["unit"],
            grain=str(entry["grain"]),
            source=str(entry["source"]),
            function=str(entry.get("function") or ""),
            variants=tuple(dict(v) for v in entry.get("variants", ())),
            aliases=tuple(entry.get("aliases", ())),
            unbounded=bool(entry.get("unbounded", False)),
            measured_from=tuple(entry.get("measured_from", {}).items()),
            goal=_goal_terms(entry["goal"]) if "goal" in entry else None,
            method=" ".join(str(entry.get("method") or "").split()),
        )
    return metrics


@cache
def _names() -> dict[str, str]:
    """Every key and alias, to the metric's name; an alias that names two metrics is refused."""
    found: dict[str, str] = {}
    for entry in _entries().values():
        for key in (entry.name, *entry.aliases):
            if found.setdefault(key, entry.name) != entry.name:
                raise ParameterError(
                    _("metrics.yaml: '{key}' names both '{a}' and '{b}'").format(key=key, a=found[key], b=entry.name)
                )
    return found


@checked
def metric_name(name: str) -> str:
    """Return the catalog's name of a metric given its name or one of its aliases.

    >>> metric_name("cac"), metric_name("customer_acquisition_cost"), metric_name("mql_to_sql_rate")
    ('customer_acquisition_cost', 'customer_acquisition_cost', 'mql_to_sql')

    Raises:
        ParameterError: no metric has that name or alias; the message lists the names.

    """
    names = _names()
    if name not in names:
        raise ParameterError(
            _("unknown metric '{name}'; valid: {valid}").format(name=name, valid=", ".join(_entries()))
        )
    return names[name]


@checked
def metric(name: str) -> Metric:
    """Return one metric of the catalog by name or alias.

    >>> metric("click_through_rate").formula
    'unique clicks / delivered × 100'
    >>> metric("cpl").label
    'Cost per lead (CPL)'
    """
    return _entries()[metric_name(name)]


@checked
def catalog(*, family: str | None = None, computed: bool | None = None) -> pd.DataFrame:
    """Return the metric catalog as a table: one row per metric.

    Args:
        family: keep one family only (one of :data:`FAMILIES`: email, funnel, money, tests, ...).
        computed: ``True`` keeps the metrics a ``mopskit.metrics`` function computes from the kit's data,
            ``False`` those it only names (a goal can name them); ``None`` keeps both.

    Returns:
        Columns name, family, label, definition, numerator, denominator, formula, unit, grain, source (its
        title), function (the ``mopskit.metrics`` function that computes it, empty if none), aliases and method
        (the statistical conventions, where a metric has them: which test, which interval, one- or two-sided).

    >>> catalog(family="email").set_index("name").loc["open_rate", "denominator"]
    'delivered'
    >>> "nps" in set(catalog(computed=False)["name"]), "nps" in set(catalog(computed=True)["name"])
    (True, False)

    """
    if family is not None and family not in FAMILIES:
        raise ParameterError(
            _("unknown metric family '{family}'; valid: {valid}").format(family=family, valid=", ".join(FAMILIES))
        )
    rows = [
        {
            "name": m.name,
            "family": m.family,
            "label": m.label,
            "definition": m.definition,
            "numerator": m.numerator,
            "denominator": m.denominator,
            "formula": m.formula,
            "unit": m.unit,
            "grain": m.grain,
            "source": m.source_title,
            "function": m.function,
            "aliases": ", ".join(m.aliases),
            "method": m.method,
        }
        for m in _entries().values()
        if (family is None or m.family == family) and (computed is None or m.computed == computed)
    ]
    table = pd.DataFrame(rows)
    headers = {
        "name": _("name"),
        "family": _("family"),
        "label": _("label"),
        "definition": _("definition"),
        "numerator": _("numerator"),
        "denominator": _("denominator"),
        "formula": _("formula"),
        "unit": _("unit"),
        "grain": _("grain"),
        "source": _("source"),
        "function": _("function"),
        "aliases": _("aliases"),
        "method": _("method"),
    }
    chosen = [m for m in _entries().values() if m.name in set(table.get("name", ()))]
    formulas = {m.formula: _formula_text(m) for m in chosen}
    shown = {"formula": formulas, "unit": _unit_words()}
    return for_people(table, headers, labels=["label", "numerator", "denominator"], values=shown)


def _unit_words() -> dict[str, str]:
    """How each unit of the catalog reads in the language in use.

    >>> _unit_words()["percent"]
    'percent'
    """
    return {
        "count": _("count"),
        "percent": _("percent"),
        "points": _("percentage points"),
        "money": _("money"),
        "days": _("days"),
        "hours": _("hours"),
        "score": _("score"),
    }


def _formula_text(m: Metric) -> str:
    """A metric's formula in the language in use (its parts from the content catalog)."""
    if not m.denominator:
        return content_text(m.numerator)
    scale = " × 100" if m.unit == "percent" else ""
    return f"{content_text(m.numerator)} / {content_text(m.denominator)}{scale}"


@checked
def variant_labels() -> dict[str, str]:
    """How each variant (``name (used_by)``) and formula (``numerator ÷ denominator``) reads in the language in use.

    The keys are the English texts a lesson offers and compares (built from :func:`variants` as in lesson 05), the
    values what a trainee reads; pass them to a widget as ``labels``.

    >>> variant_labels()["unique clicks ÷ delivered"]
    'unique clicks ÷ delivered'
    """
    labels: dict[str, str] = {}
    for _index, row in variants().iterrows():
        name, used_by = row["name"], row["used_by"]
        labels[f"{name} ({used_by})"] = f"{content_text(name)} ({content_text(used_by)})"
        numerator, denominator = row["numerator"], row["denominator"]
        labels[f"{numerator} ÷ {denominator}"] = f"{content_text(numerator)} ÷ {content_text(denominator)}"
    return labels


@checked
def variants() -> pd.DataFrame:
    """Return the other names vendors and articles use for the catalog's metrics, with their formulas.

    One row per variant: the kit's metric, the name used elsewhere, its numerator and denominator, and who uses
    it. The same words can mean different formulas: "click-through rate" is the kit's clicks over delivered,
    a major CRM's clicks over opens, and the 2022 HubSpot article's total clicks over recipients.

    >>> table = variants()
    >>> sorted(table.loc[table["name"].str.contains("click-through"), "denominator"])
    ['unique opens', 'unique recipient impressions in a month']
    """
    rows = [
        {
            "metric": m.name,
            "name": v["name"],
            "numerator": v["numerator"],
            "denominator": v["denominator"],
            "used_by": v.get("used_by", ""),
        }
        for m in _entries().values()
        for v in m.variants
    ]
    headers = {
        "metric": _("metric"),
        "name": _("name"),
        "numerator": _("numerator"),
        "denominator": _("denominator"),
        "used_by": _("used by"),
    }
    labels = ["name", "numerator", "denominator", "used_by"]
    metric_labels = {"metric": {m.name: content_text(m.label) for m in _entries().values()}}  # not its id
    return for_people(pd.DataFrame(rows), headers, labels=labels, values=metric_labels)
