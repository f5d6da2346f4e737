"""The metric catalog: what each metric means, its formula, unit, grain and source, written once as data.

The entries live in ``mopskit/content/metrics.yaml``; lessons and reports render definitions from here, so a
definition is never typed twice and a translation is a catalog, not a rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._validate import checked
from ..content import load_yaml, source_title
from ..errors import ParameterError
from ..i18n import _

__all__ = ["FAMILIES", "Metric", "catalog", "metric", "variants"]

FAMILIES = ("email", "funnel", "money", "tests", "attribution", "quality", "cohorts")
UNITS = ("count", "percent", "points", "money", "days")


@dataclass(frozen=True)
class Metric:
    """One metric of the catalog."""

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
            function=str(entry["function"]),
            variants=tuple(dict(v) for v in entry.get("variants", ())),
            method=" ".join(str(entry.get("method") or "").split()),
        )
    return metrics


@checked
def metric(name: str) -> Metric:
    """Return one metric of the catalog by name.

    >>> metric("click_through_rate").formula
    'unique clicks / delivered × 100'
    """
    entries = _entries()
    if name not in entries:
        raise ParameterError(_("unknown metric '{name}'; valid: {valid}").format(name=name, valid=", ".join(entries)))
    return entries[name]


@checked
def catalog(*, family: str | None = None) -> pd.DataFrame:
    """Return the metric catalog as a table: one row per metric.

    Args:
        family: keep one family only: email, funnel, money, tests, attribution, quality or cohorts.

    Returns:
        Columns name, family, label, definition, numerator, denominator, formula, unit, grain, source (its
        title), function (the ``mopskit.metrics`` function that computes it) and method (the statistical
        conventions, where a metric has them: which test, which interval, one- or two-sided).

    >>> catalog(family="email").set_index("name").loc["open_rate", "denominator"]
    'delivered'

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
            "method": m.method,
        }
        for m in _entries().values()
        if family is None or m.family == family
    ]
    return pd.DataFrame(rows)


@checked
def variants() -> pd.DataFrame:
    """Return the other names vendors and articles use for the catalog's metrics, with their formulas.

    One row per variant: the kit's metric, the name used elsewhere, its numerator and denominator, and who uses
    it. The same words can mean different formulas: "click-through rate" is the kit's clicks over delivered,
    a major CRM's clicks over opens, and the 2022 HubSpot article's total clicks over recipients.

    >>> table = variants()
    >>> sorted(table.loc[table["name"].str.contains("click-through"), "denominator"])
    ['unique opens', 'unique recipients in a month']
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
    return pd.DataFrame(rows)
