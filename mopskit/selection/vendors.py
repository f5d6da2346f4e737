"""The vendors' offers: prices by seats and tiers, one-time costs, internal hours, risks, and a score per requirement.

A vendors file (``datasets/README.md``, table ``vendors``) has one row per offer (a vendor, or one tier of a
vendor) and one column per requirement, named by the requirement's id (or its text), holding the vendor's score
from 0 (does not meet it) to 5 (meets it fully). A note may follow the score (``4 - native connector``), and
``yes``/``no`` read as 5/0. The other columns are prices and costs; missing ones count as 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._validate import checked
from ..errors import DataError, ParameterError
from ..i18n import _
from ..present import for_people
from ._common import read_table
from .requirements import Requirements

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SCORE_MAX", "Offer", "Offers", "parse_score", "read_vendors"]

TABLE = "vendors"
SCORE_MAX = 5
"""A score runs from 0 (does not meet the requirement) to 5 (meets it fully)."""

_SCORE = re.compile(
    r"^\s*(?P<score>yes|no|true|false|y|n|\d+(?:[.,]\d+)?)\s*(?:[-–—:(/;,]\s*(?P<note>.*?)\s*\)?)?\s*$", re.IGNORECASE
)
_WORDS = {"yes": 5.0, "y": 5.0, "true": 5.0, "no": 0.0, "n": 0.0, "false": 0.0}
_COSTS = ("implementation", "integration", "migration", "training")


@checked
def parse_score(cell: Any) -> tuple[float | None, str]:
    """Read one score cell: a number from 0 to 5, or yes/no (5/0), optionally followed by a note.

    Returns:
        ``(score, note)``; ``(None, "")`` for an empty cell.

    Raises:
        DataError: the cell is not a score (a ValueError too; the readers name the row and column).

    >>> parse_score("4 - native connector"), parse_score("yes"), parse_score("3,5"), parse_score(None)
    ((4.0, 'native connector'), (5.0, ''), (3.5, ''), (None, ''))

    """
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or not str(cell).strip():
        return None, ""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        score, note = float(cell), ""
    else:
        found = _SCORE.match(str(cell))
        if not found:
            raise DataError(_score_problem(cell))
        word = found["score"].lower()
        score = _WORDS[word] if word in _WORDS else float(word.replace(",", "."))
        note = (found["note"] or "").strip()
    if not 0 <= score <= SCORE_MAX:
        raise DataError(_score_problem(cell))
    return score, note


def _score_problem(cell: Any) -> str:
    return _(
        "parse_score: a score must be a number from 0 to {top}, or yes/no, perhaps with a note (got {cell!r})"
    ).format(top=SCORE_MAX, cell=cell)


@dataclass(frozen=True)
class Offer:
    """One vendor's offer (a vendor, or one tier of it).

    Attributes:
        name: how tables name it: the vendor, with the tier in brackets when there is one.
        vendor: the vendor.
        tier: the plan quoted, or ``""``.
        platform_fee: yearly fee whatever the seats.
        seat_price: yearly price of each seat beyond ``included_seats``.
        included_seats: seats the platform fee includes.
        max_seats: the most seats the tier allows (``None``: no limit).
        implementation, integration, migration, training: one-time costs.
        switch_hours: internal hours the switch takes (one-time).
        admin_hours_per_year: internal hours a year to run it.
        renewal_increase_pct: price increase at each renewal.
        contract_years: years in one term; prices rise at each renewal, every ``contract_years`` years.
        risks: known risks.
        scores: the score of each requirement (``None``: none recorded).
        notes: the note written beside a score, by requirement.
        row: the row of the file it came from (as in a spreadsheet), if any.

    >>> offer = Offer("Mailvane", platform_fee=18000, seat_price=1200, included_seats=2, renewal_increase_pct=5)
    >>> offer.licence(seats=8), offer.licence(seats=8, year=2)
    (25200.0, 26460.0)

    """

    name: str
    vendor: str = ""
    tier: str = ""
    platform_fee: float = 0.0
    seat_price: float = 0.0
    included_seats: int = 0
    max_seats: int | None = None
    implementation: float = 0.0
    integration: float = 0.0
    migration: float = 0.0
    training: float = 0.0
    switch_hours: float = 0.0
    admin_hours_per_year: float = 0.0
    renewal_increase_pct: float = 0.0
    contract_years: int = 1
    risks: tuple[str, ...] = ()
    scores: Mapping[str, float | None] = field(default_factory=dict, hash=False, compare=False)
    notes: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    row: int | None = None

    def fits(self, seats: int) -> bool:
        """Whether the tier allows this many seats."""
        return self.max_seats is None or seats <= self.max_seats

    def licence(self, *, seats: int, year: int = 1) -> float:
        """The licence cost of one year (1 = the first).

        The platform fee plus the seats beyond the included ones, raised by ``renewal_increase_pct`` at each
        renewal (every ``contract_years`` years).
        """
        base = self.platform_fee + self.seat_price * max(0, seats - self.included_seats)
        renewals = (year - 1) // max(1, self.contract_years)
        return round(base * (1 + self.renewal_increase_pct / 100) ** renewals, 2)

    @property
    def one_time(self) -> float:
        """Implementation, integration, migration and training fees together."""
        return float(self.implementation + self.integration + self.migration + self.training)


@dataclass(frozen=True)
class Offers:
    """The offers of a vendors file, in file order.

    Attributes:
        items: the offers.
        label: where they came from.
        notes: what reading them noticed without refusing them (columns that name no requirement, empty scores).

    """

    items: tuple[Offer, ...]
    label: str = ""
    notes: tuple[str, ...] = ()

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def names(self) -> list[str]:
        """The offers' names."""
        return [o.name for o in self.items]

    def get(self, name: str) -> Offer:
        """One offer by name (or by vendor when it has one offer); an unknown name lists the valid ones."""
        for offer in self.items:
            if offer.name == name:
                return offer
        same_vendor = [o for o in self.items if o.vendor == name]
        if len(same_vendor) == 1:
            return same_vendor[0]
        raise ParameterError(
            _("there is no offer '{name}' in {label}; offers: {valid}").format(
                name=name, label=self.label or _("the vendors"), valid=", ".join(self.names())
            )
        )

    def frame(self) -> pd.DataFrame:
        """Prices and costs, one row per offer (scores are in :meth:`scores`).

        Shown in a lesson, the offer and risks columns are headed in the trainee's language; the price fields
        keep the vendors file's names, which code reads them by.
        """
        import pandas as pd

        table = pd.DataFrame(
            [
                {
                    "offer": o.name,
                    "platform_fee": o.platform_fee,
                    "seat_price": o.seat_price,
                    "included_seats": o.included_seats,
                    "max_seats": o.max_seats,
                    "one_time": o.one_time,
                    "switch_hours": o.switch_hours,
                    "admin_hours_per_year": o.admin_hours_per_year,
                    "renewal_increase_pct": o.renewal_increase_pct,
                    "contract_years": o.contract_years,
                    "risks": "; ".join(o.risks),
                }
                for o in self.items
            ]
        )
        return for_people(table, {"offer": _("offer"), "risks": _("risks")})

    def scores(self) -> pd.DataFrame:
        """The raw scores: one row per offer, one column per requirement id (empty: no score recorded)."""
        import pandas as pd

        ids = list(dict.fromkeys(k for o in self.items for k in o.scores))
        table = pd.DataFrame([{"offer": o.name, **{i: o.scores.get(i) for i in ids}} for o in self.items])
        return for_people(table, {"offer": _("offer")})


def _text(value: Any) -> str:
    import pandas as pd

    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _number(row: Mapping[str, Any], column: str, default: float = 0.0) -> float:
    import pandas as pd

    value = row.get(column)
    return default if value is None or pd.isna(value) else float(value)


def _score_columns(
    headers: list[str], requirements: Requirements, label: str
) -> tuple[dict[str, str], list[str], list[str]]:
    """Which header holds each requirement's scores (by id or by text), what is missing, and what names none."""
    from ..data import normalize_name, table_spec

    fixed = set(table_spec(TABLE).columns)
    by_name = {normalize_name(h): h for h in headers if h not in fixed}
    found: dict[str, str] = {}
    problems = []
    for r in requirements:
        header = by_name.get(normalize_name(r.id)) or by_name.get(normalize_name(r.text))
        if header is None:
            problems.append(
                _(
                    "no column for requirement '{id}' ({text}): add a column named {id} (or the requirement's text) "
                    "holding each vendor's score from 0 to 5; the file's other columns are: {others}"
                ).format(id=r.id, text=r.text, others=", ".join(by_name.values()) or _("none"))
            )
        else:
            found[r.id] = header
    used = set(found.values())
    ignored = [
        _("column '{header}' names no requirement in the requirements list: not scored").format(header=h)
        for h in by_name.values()
        if h not in used and not h.endswith("_label")
    ]
    return found, problems, ignored


def _offers_from_frame(frame: pd.DataFrame, requirements: Requirements, label: str, first_row: int = 2) -> Offers:
    headers = [str(c) for c in frame.columns]
    columns, problems, notes = _score_columns(headers, requirements, label)
    if "platform_fee" not in frame.columns and "seat_price" not in frame.columns:
        problems.append(
            _(
                "the file has no price column: add 'platform_fee' (yearly fee) or 'seat_price' (yearly price of a "
                "seat); the file has: {headers}"
            ).format(headers=", ".join(headers))
        )
    offers: list[Any] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(frame.to_dict("records"), first_row):
        vendor, tier = _text(record.get("vendor")), _text(record.get("tier"))
        name = f"{vendor} ({tier})" if tier else vendor
        if name in seen:
            problems.append(
                _(
                    "row {row}: '{name}' appears again (first in row {first}); give each offer its own tier, "
                    "or delete one"
                ).format(row=number, name=name, first=seen[name])
            )
            continue
        seen[name] = number
        prices = [record.get(c) for c in ("platform_fee", "seat_price") if c in record]
        if prices and all(_text(p) == "" for p in prices):
            problems.append(
                _("row {row}: '{name}' has no price; fill in platform_fee or seat_price (0 for a free plan)").format(
                    row=number, name=name
                )
            )
        scores: dict[str, float | None] = {}
        score_notes: dict[str, str] = {}
        for req_id, header in columns.items():
            try:
                scores[req_id], note = parse_score(record.get(header))
            except ValueError:
                problems.append(
                    _(
                        "row {row}, column '{header}': a score must be a number from 0 to {top}, or yes/no, "
                        "optionally followed by a note (got '{got}')"
                    ).format(row=number, header=header, top=SCORE_MAX, got=record.get(header))
                )
                continue
            if note:
                score_notes[req_id] = note
        max_seats = record.get("max_seats")
        offers.append(
            Offer(
                name=name,
                vendor=vendor,
                tier=tier,
                platform_fee=_number(record, "platform_fee"),
                seat_price=_number(record, "seat_price"),
                included_seats=int(_number(record, "included_seats")),
                max_seats=None if _text(max_seats) == "" else int(max_seats),
                **{cost: _number(record, cost) for cost in _COSTS},
                switch_hours=_number(record, "switch_hours"),
                admin_hours_per_year=_number(record, "admin_hours_per_year"),
                renewal_increase_pct=_number(record, "renewal_increase_pct"),
                contract_years=int(_number(record, "contract_years", 1.0)),
                risks=tuple(r.strip() for r in _text(record.get("risks")).split(";") if r.strip()),
                scores=scores,
                notes=score_notes,
                row=number,
            )
        )
    if problems:
        count = len(problems)
        raise DataError(
            _("{label} cannot be scored against the requirements ({n} problem(s)):").format(label=label, n=count)
            + "\n"
            + "\n".join(f"  - {p}" for p in problems),
            problems=problems,
            source=label,
        )
    return Offers(tuple(offers), label, tuple(notes))


@checked
def read_vendors(
    source: str | Path | pd.DataFrame | Offers,
    requirements: Requirements,
    *,
    columns: Mapping[str, str] | None = None,
    label: str | None = None,
) -> Offers:
    """Read the vendors' offers from a CSV or Parquet file (Excel CSVs welcome) or a DataFrame.

    Args:
        source: a file, a DataFrame, or :class:`Offers` (returned as they are).
        requirements: the requirements the score columns name (by id or by text).
        columns: the file's own names for the price and cost columns, ``{"Annual licence": "platform_fee"}``,
            where the usual spellings (see the ``vendors`` table in ``datasets/README.md``) do not cover them.
        label: how messages name the source; default: the file name.

    Raises:
        DataError: every problem at once, each with its row and column and the fix: a requirement with no
            column, a score that is not 0 to 5, a price below 0, an offer listed twice, a row with no price.

    >>> from mopskit.data import load
    >>> from mopskit.selection import read_requirements
    >>> offers = read_vendors(load("vendors"), read_requirements(load("requirements")))
    >>> offers.names()
    ['Postbird (Business)', 'Mailvane (Growth)', 'Letterloom (Pro)', 'Quillsend (Starter)', 'Quillsend (Growth)']

    """
    if isinstance(source, Offers):
        return source
    frame, name = read_table(source, TABLE, columns=columns, label=label, what=_("vendors"))
    return _offers_from_frame(frame, requirements, name)
