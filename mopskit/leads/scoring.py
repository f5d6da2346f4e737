"""Lead scoring as data: fit points for who a contact is, behaviour points for what they did, decayed with age.

A model (:class:`ScoringModel`) is plain data, kept in ``mopskit/content/lead_scoring.yaml`` or built in a
notebook: points per value of a contact column (``seniority: {vp: 20}``) or per band of a number (``employees``
up to 200: 10 points), points per kind of activity, a cap per kind (so 200 blog visits do not make an MQL), a
half-life (behaviour points halve every so many days) and the threshold that makes an MQL.

:func:`score_leads` scores a whole table as of a moment (or each contact as of its own moment, e.g. when it
became an MQL); :func:`explain_score` lists every point of one contact's score. On files it computes in DuckDB.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validate import checked
from ..errors import ParameterError
from ..i18n import _
from ._frames import Table, finish, frame_columns, is_path, moment, to_utc

__all__ = [
    "Band",
    "ScoreExplanation",
    "ScoringModel",
    "activity_counts",
    "explain_score",
    "fit_points",
    "score_leads",
    "scoring_model",
]

ACTS = "the activities table"
SCORED_CONTACT_COLUMNS = (
    "lifecycle_stage",
    "source_channel",
    "country",
    "job_title",
    "seniority",
    "company",
    "employees",
    "industry",
    "owner",
    "mql_at",
    "sql_at",
    "lead_status",
    "consent",
)


@dataclass(frozen=True)
class Band:
    """Points for a number up to ``max`` (inclusive); the last band of a list has no max.

    >>> Band(200, 10).label(50)
    '51-200'
    """

    max: float | None
    points: float

    def label(self, previous_max: float | None) -> str:
        """Name the band, e.g. ``51-200`` or ``5001+``."""
        low = 1 if previous_max is None else int(previous_max) + 1
        return f"{low}+" if self.max is None else f"{low}-{int(self.max)}"


@dataclass(frozen=True)
class ScoringModel:
    """A lead-scoring model. Build one with :func:`scoring_model` or :meth:`from_dict`.

    Attributes:
        name: what the model is called.
        threshold: a score at or above it makes an MQL.
        half_life_days: behaviour points halve every so many days (None: no decay).
        fit: per contact column, points per value (a dict) or per band of a number (a tuple of :class:`Band`).
        behaviour: points per activity type, before decay.
        caps: the most points one activity type can add (after decay).
        hand_raisers: activity types that count as asking for sales (e.g. a demo request).
        hand_raiser_days: how recent a hand-raising activity must be.

    >>> model = scoring_model()
    >>> model.threshold, model.behaviour["demo_request"], model.decay(30)
    (60.0, 40.0, 0.5)

    """

    name: str
    threshold: float
    fit: Mapping[str, Mapping[str, float] | tuple[Band, ...]]
    behaviour: Mapping[str, float]
    caps: Mapping[str, float] = field(default_factory=dict)
    half_life_days: float | None = 30.0
    hand_raisers: tuple[str, ...] = ("demo_request",)
    hand_raiser_days: float = 30.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, name: str = "custom") -> ScoringModel:
        """Build a model from plain data (as in ``lead_scoring.yaml``), checking every number."""
        if not isinstance(data, Mapping):
            raise ParameterError(_("a scoring model must be a mapping (got {kind})").format(kind=type(data).__name__))
        known = {"name", "threshold", "half_life_days", "fit", "behaviour", "caps", "hand_raisers"}
        known |= {"hand_raiser_days", "source"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ParameterError(
                _("unknown scoring model key(s) {keys}; valid: {valid}").format(
                    keys=", ".join(unknown), valid=", ".join(sorted(known - {"source"}))
                )
            )
        fit: dict[str, Any] = {}
        for column, rule in dict(data.get("fit") or {}).items():
            fit[str(column)] = _bands(str(column), rule) if isinstance(rule, list | tuple) else _points(column, rule)
        half = data.get("half_life_days", 30)
        return cls(
            name=str(data.get("name", name)),
            threshold=_number("threshold", data.get("threshold", 60)),
            fit=fit,
            behaviour=_points("behaviour", data.get("behaviour") or {}),
            caps={k: v for k, v in _points("caps", data.get("caps") or {}).items()},
            half_life_days=None if half in (None, 0) else _number("half_life_days", half, positive=True),
            hand_raisers=tuple(str(t) for t in data.get("hand_raisers", ("demo_request",))),
            hand_raiser_days=_number("hand_raiser_days", data.get("hand_raiser_days", 30), positive=True),
        )

    def to_dict(self) -> dict[str, Any]:
        """The model as plain data (the shape of ``lead_scoring.yaml``)."""
        fit: dict[str, Any] = {}
        for column, rule in self.fit.items():
            fit[column] = (
                [{"points": b.points} if b.max is None else {"max": b.max, "points": b.points} for b in rule]
                if isinstance(rule, tuple)
                else dict(rule)
            )
        return {
            "name": self.name,
            "threshold": self.threshold,
            "half_life_days": self.half_life_days,
            "fit": fit,
            "behaviour": dict(self.behaviour),
            "caps": dict(self.caps),
            "hand_raisers": list(self.hand_raisers),
            "hand_raiser_days": self.hand_raiser_days,
        }

    def with_changes(self, **changes: Any) -> ScoringModel:
        """A copy with some parts changed; ``behaviour``, ``caps`` and ``fit`` update the existing points.

        >>> scoring_model().with_changes(threshold=70, behaviour={"page_view": 2}).behaviour["page_view"]
        2.0
        """
        data = self.to_dict()
        for key, value in changes.items():
            if key in ("behaviour", "caps", "fit") and isinstance(value, Mapping):
                data[key] = {**data[key], **dict(value)}
            else:
                data[key] = value
        return ScoringModel.from_dict(data, name=self.name)

    def decay(self, age_days: float) -> float:
        """The weight of an activity ``age_days`` old: 1 today, 0.5 after one half-life.

        >>> scoring_model().decay(60)
        0.25
        """
        return 1.0 if self.half_life_days is None else 0.5 ** (max(age_days, 0.0) / self.half_life_days)

    def describe(self) -> pd.DataFrame:
        """The model as a table people read: part, rule, value and points.

        Headed, and its parts and rules worded, in the trainee's language; the data keeps the English
        (``describe()["part"] == "fit"``).
        """
        rows = []
        for column, rule in self.fit.items():
            if isinstance(rule, tuple):
                previous = None
                for band in rule:
                    rows.append({"part": "fit", "rule": column, "value": band.label(previous), "points": band.points})
                    previous = band.max
            else:
                rows += [{"part": "fit", "rule": column, "value": k, "points": v} for k, v in rule.items()]
        for kind, points in self.behaviour.items():
            cap = self.caps.get(kind)
            value = kind if cap is None else _("{kind} (at most {cap:g} in all)").format(kind=kind, cap=cap)
            rows.append({"part": "behaviour", "rule": "activity", "value": value, "points": points})
        half = _("never") if self.half_life_days is None else _("every {d:g} days").format(d=self.half_life_days)
        rows.append({"part": "decay", "rule": "behaviour halves", "value": half, "points": np.nan})
        rows.append({"part": "threshold", "rule": "MQL at", "value": "score >=", "points": self.threshold})
        from ..present import for_people, result_headers

        headers = {c: t for c, t in result_headers().items() if c in ("part", "rule", "value", "points")}
        words = {
            "part": {"fit": _("fit"), "behaviour": _("behaviour"), "decay": _("decay"), "threshold": _("threshold")},
            "rule": {"activity": _("activity"), "behaviour halves": _("behaviour halves"), "MQL at": _("MQL at")},
            "value": {"score >=": _("score >=")},
        }
        return for_people(pd.DataFrame(rows), headers, values=words)


def _number(name: str, value: Any, *, positive: bool = False) -> float:
    from .._validate import number

    return number(value, name, function="ScoringModel", above=0 if positive else None)


def _points(part: Any, table: Any) -> dict[str, float]:
    if not isinstance(table, Mapping):
        raise ParameterError(
            _("'{part}' must map each value to its points, like {{vp: 20}} (got {value!r})").format(
                part=part, value=table
            )
        )
    return {str(k): _number(f"{part}.{k}", v) for k, v in table.items()}


def _bands(column: str, bands: list[Any] | tuple[Any, ...]) -> tuple[Band, ...]:
    out: list[Band] = []
    for i, band in enumerate(bands):
        if isinstance(band, Band):
            out.append(band)
            continue
        if not isinstance(band, Mapping) or "points" not in band:
            raise ParameterError(
                _("'{column}' band {i} must give points and a max, like {{max: 200, points: 10}}").format(
                    column=column, i=i + 1
                )
            )
        top = band.get("max")
        out.append(
            Band(None if top is None else _number(f"{column}.max", top), _number(f"{column}.points", band["points"]))
        )
    maxima = [b.max for b in out if b.max is not None]
    if maxima != sorted(maxima) or any(b.max is None for b in out[:-1]):
        raise ParameterError(
            _("the bands of '{column}' must go up in order, with only the last one open-ended").format(column=column)
        )
    return tuple(out)


@checked
def activity_counts(activities: pd.DataFrame) -> pd.DataFrame:
    """How many times each activity happened at each moment: ``activity_type``, ``occurred_at``, ``times``.

    Args:
        activities: a table of activities with ``activity_type`` and ``occurred_at`` (one row per activity).

    Raises:
        DataError: a needed column is missing (the message lists the table's columns).

    >>> acts = pd.DataFrame({"activity_type": ["email_click", "email_click", "webinar"],
    ...                      "occurred_at": ["2026-10-01", "2026-10-01", "2026-10-02"]})
    >>> activity_counts(acts)["times"].tolist()
    [2, 1]

    """
    from ..present import with_result_headers

    frame = frame_columns(activities, table="activities", needed=["activity_type", "occurred_at"])
    counts = frame.groupby(["activity_type", "occurred_at"]).size().rename("times").reset_index()
    return with_result_headers(counts)


@checked
def scoring_model(name: str = "lead_scoring") -> ScoringModel:
    """Load a scoring model from the kit's content (``lead_scoring`` is the sample company's).

    >>> scoring_model().name
    'Northwind Analytics 2026'
    """
    from ..content import load_yaml

    return ScoringModel.from_dict(load_yaml(name), name=name)


def _band_points(values: pd.Series, bands: tuple[Band, ...]) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    result = np.zeros(len(numbers))
    assigned = np.isnan(numbers)
    for band in bands:
        hit = ~assigned & ((numbers <= band.max) if band.max is not None else True)
        result[hit] = band.points
        assigned |= hit
    return result


@checked
def fit_points(contacts: pd.DataFrame, model: ScoringModel | None = None) -> pd.DataFrame:
    """Fit points per rule of the model, and their sum ``fit_score``, for each contact (same index).

    A value the model does not list (or an empty cell) scores 0.

    >>> people = pd.DataFrame({"seniority": ["vp", "entry"], "employees": [150, 4], "industry": ["software", None]})
    >>> fit_points(people)["fit_score"].tolist()
    [40.0, -10.0]
    """
    model = model or scoring_model()
    out = pd.DataFrame(index=contacts.index)
    for column, rule in model.fit.items():
        if column not in contacts.columns:
            out[column] = 0.0
        elif isinstance(rule, tuple):
            out[column] = _band_points(contacts[column], rule)
        else:
            labels = contacts[column].astype("string").str.strip().str.lower()
            out[column] = labels.map({k.lower(): v for k, v in rule.items()}).astype("float64").fillna(0.0).to_numpy()
    out["fit_score"] = out.sum(axis=1) if len(out.columns) else 0.0
    return out


MOMENT_COLUMNS = ("created_at", "mql_at", "sql_at", "routed_at", "first_sales_touch_at", "status_at")


def _as_of_text(as_of: Any) -> str | None:
    """The contacts column to score each contact as of, when ``as_of`` names one."""
    return as_of if isinstance(as_of, str) and as_of in MOMENT_COLUMNS else None


@checked
def score_leads(
    contacts: Table,
    activities: Table,
    *,
    model: ScoringModel | None = None,
    as_of: Any = None,
    keep: Sequence[str] = SCORED_CONTACT_COLUMNS,
) -> pd.DataFrame:
    """Score every contact: fit points + decayed behaviour points, and whether the score reaches the threshold.

    Args:
        contacts: the ``contacts`` table, or the path of a CSV/Parquet file holding it.
        activities: the ``activities`` table (behaviour), or a path.
        model: the scoring model (default: the sample company's, :func:`scoring_model`).
        as_of: the moment scores are taken at: a date or time (activities after it are ignored, ages are counted
            to it), or the name of a contacts column (``"mql_at"``) to score each contact as of its own moment.
            Default: the last activity in the data.
        keep: the contact columns carried into the result (those MQL criteria read, by default); ``()`` for
            the scores alone, which is faster on a big file.

    Returns:
        contact_id, fit_score, behaviour_score, score, above_threshold, hand_raiser (a hand-raising activity in
        the model's window), last_activity_at, then the contact columns criteria use (lifecycle_stage,
        source_channel, country, job_title, seniority, company, employees, industry, owner, mql_at, sql_at,
        lead_status, consent; those the table has). Contacts with no activity score their fit alone.

    >>> from mopskit.data import load
    >>> scored = score_leads(load("contacts"), load("activities"), as_of="2026-10-31")
    >>> bool(((scored["score"] - scored["fit_score"] - scored["behaviour_score"]).abs() < 1e-6).all())
    True

    """
    model = model or scoring_model()
    column = _as_of_text(as_of)
    if is_path(contacts) or is_path(activities):
        from ._duckdb import score_sql

        return score_sql(
            contacts,
            activities,
            model=model,
            as_of=as_of,
            as_of_column=column,
            contact_columns=tuple(keep),
        )
    people = frame_columns(
        contacts,
        table="contacts",
        needed=["contact_id", *([column] if column else [])],
        optional=(*keep, *model.fit),  # the fit columns are read whatever the result keeps
    )
    acts = frame_columns(activities, table="activities", needed=["contact_id", "activity_type", "occurred_at"])
    when = to_utc(acts["occurred_at"], column="occurred_at", function="score_leads", table=ACTS)
    kind = acts["activity_type"].astype("string").str.strip().str.lower()
    notes: list[str] = []
    if column:
        per_contact = to_utc(people[column], column=column, function="score_leads")
        stamp = pd.Series(per_contact.to_numpy(), index=people["contact_id"].astype(str))
        cut = acts["contact_id"].astype(str).map(stamp).to_numpy(dtype="datetime64[ns]")
    else:
        last = when.max()
        stamp_one = (
            moment(as_of, name="as_of", function="score_leads")
            if as_of is not None
            else (last if pd.notna(last) else pd.Timestamp.now())
        )
        cut = np.full(len(acts), stamp_one.to_datetime64(), dtype="datetime64[ns]")
    inside = (when.to_numpy() <= cut) & ~np.isnat(cut) & when.notna().to_numpy()
    age = (cut - when.to_numpy()).astype("timedelta64[s]").astype("float64") / 86_400
    points = kind.map(model.behaviour).astype("float64").fillna(0.0).to_numpy()
    weight = np.ones(len(acts)) if model.half_life_days is None else 0.5 ** (np.maximum(age, 0) / model.half_life_days)
    frame = pd.DataFrame(
        {"contact_id": acts["contact_id"].astype(str).to_numpy(), "kind": kind.to_numpy(), "pts": points * weight}
    )[inside]
    unscored = sorted(set(frame.loc[~frame["kind"].isin(list(model.behaviour)), "kind"].dropna()))
    if unscored:
        notes.append(
            _("Activity types the model gives no points (scored 0): {kinds}.").format(kinds=", ".join(unscored))
        )
    per_kind = frame.groupby(["contact_id", "kind"], sort=False)["pts"].sum().reset_index()
    caps = per_kind["kind"].map(model.caps).astype("float64").fillna(np.inf).to_numpy()
    per_kind["pts"] = np.minimum(per_kind["pts"].to_numpy(), caps)
    behaviour = per_kind.groupby("contact_id")["pts"].sum()
    recent = age <= model.hand_raiser_days
    hands = frame[kind[inside].isin(list(model.hand_raisers)).to_numpy() & recent[inside]]
    raised = set(hands["contact_id"])
    last_at = pd.Series(when.to_numpy()[inside], index=frame.index).groupby(frame["contact_id"]).max()
    ids = people["contact_id"].astype(str)
    fit = fit_points(people, model)["fit_score"].to_numpy()
    result = pd.DataFrame(
        {
            "contact_id": ids.to_numpy(),
            "fit_score": fit,
            "behaviour_score": ids.map(behaviour).fillna(0.0).round(6).to_numpy(),
        }
    )
    result["score"] = (result["fit_score"] + result["behaviour_score"]).round(6)
    result["above_threshold"] = result["score"] >= model.threshold
    result["hand_raiser"] = ids.isin(raised).to_numpy()
    result["last_activity_at"] = (  # no activity at all: every contact's last one is NaT
        ids.map(last_at).to_numpy(dtype="datetime64[ns]")
        if len(last_at)
        else np.full(len(ids), np.datetime64("NaT"), "datetime64[ns]")
    )
    for name in keep:
        if name in people.columns:
            result[name] = people[name].to_numpy()
    return finish(result, notes=notes)


@dataclass(frozen=True)
class ScoreExplanation:
    """Every point of one contact's score: what it was for and how much it counts now.

    Attributes:
        contact_id: the contact.
        score: fit + behaviour.
        threshold: the model's MQL threshold.
        lines: part (fit/behaviour), item, detail (value or date and age), points.

    """

    contact_id: str
    score: float
    threshold: float
    lines: pd.DataFrame

    @property
    def above_threshold(self) -> bool:
        """Whether the score makes an MQL."""
        return self.score >= self.threshold

    def summary(self) -> str:
        """One sentence: the score, the threshold and the biggest contribution."""
        top = self.lines.loc[self.lines["points"].abs().idxmax()] if len(self.lines) else None
        verdict = _("an MQL") if self.above_threshold else _("not an MQL")
        text = _("{contact} scores {score:.1f} (threshold {threshold:g}): {verdict}.").format(
            contact=self.contact_id, score=self.score, threshold=self.threshold, verdict=verdict
        )
        if top is not None:
            text += " " + _("Biggest part: {item} ({points:+.1f}).").format(item=top["item"], points=top["points"])
        return text

    def __str__(self) -> str:
        rows = [f"  {r.part:<9} {r.item:<22} {r.detail:<34} {r.points:+7.1f}" for r in self.lines.itertuples()]
        return "\n".join([self.summary(), *rows])

    def _repr_html_(self) -> str:
        import html

        body = "".join(
            f"<tr><td>{html.escape(str(r.part))}</td><td>{html.escape(str(r.item))}</td>"
            f"<td>{html.escape(str(r.detail))}</td><td style='text-align:right'>{r.points:+.1f}</td></tr>"
            for r in self.lines.itertuples()
        )
        return (
            f"<p>{html.escape(self.summary())}</p><table><thead><tr><th>part</th><th>item</th><th>detail</th>"
            f"<th>points</th></tr></thead><tbody>{body}</tbody></table>"
        )


@checked
def explain_score(
    contact_id: str,
    contacts: pd.DataFrame,
    activities: pd.DataFrame,
    *,
    model: ScoringModel | None = None,
    as_of: Any = None,
) -> ScoreExplanation:
    """List every point of one contact's score, as :func:`score_leads` computes it.

    >>> from mopskit.data import load
    >>> contacts, activities = load("contacts"), load("activities")
    >>> why = explain_score("C-001899", contacts, activities, as_of="2026-10-31")
    >>> scored = score_leads(contacts, activities, as_of="2026-10-31").set_index("contact_id")
    >>> bool(abs(why.score - scored.loc["C-001899", "score"]) < 1e-6)
    True
    """
    model = model or scoring_model()
    column = _as_of_text(as_of)
    people = frame_columns(
        contacts,
        table="contacts",
        needed=["contact_id", *([column] if column else [])],
        optional=SCORED_CONTACT_COLUMNS,
    )
    row = people[people["contact_id"].astype(str) == str(contact_id)]
    if row.empty:
        raise ParameterError(_("there is no contact {id!r} in the contacts table").format(id=contact_id))
    acts = frame_columns(activities, table="activities", needed=["contact_id", "activity_type", "occurred_at"])
    acts = acts[acts["contact_id"].astype(str) == str(contact_id)]
    if column:
        cut = to_utc(row[column], column=column, function="explain_score").iloc[0]
    else:
        everything = to_utc(
            frame_columns(activities, table="activities", needed=["occurred_at"])["occurred_at"],
            column="occurred_at",
            function="explain_score",
            table=ACTS,
        )
        cut = moment(as_of, name="as_of", function="explain_score") if as_of is not None else everything.max()
    lines = []
    fit = fit_points(row, model)
    for rule in model.fit:
        value = row[rule].iloc[0] if rule in row.columns else None
        lines.append({"part": "fit", "item": rule, "detail": str(value), "points": float(fit[rule].iloc[0])})
    when = to_utc(acts["occurred_at"], column="occurred_at", function="explain_score", table=ACTS)
    acts = acts.assign(at=when, kind=acts["activity_type"].astype(str).str.strip().str.lower())
    acts = acts[acts["at"] <= cut].sort_values("at")
    for kind, group in acts.groupby("kind", sort=False):
        base = model.behaviour.get(str(kind), 0.0)
        total = 0.0
        for at in group["at"]:
            age = (cut - at).total_seconds() / 86_400
            total += base * model.decay(age)
        cap = model.caps.get(str(kind), math.inf)
        shown = min(total, cap)
        newest = group["at"].max()
        detail = _("{n} since {first:%Y-%m-%d}, last {last:%Y-%m-%d}").format(
            n=len(group), first=group["at"].min(), last=newest
        )
        if total > cap:
            detail += _(" (capped at {cap:g})").format(cap=cap)
        lines.append({"part": "behaviour", "item": str(kind), "detail": detail, "points": shown})
    table = pd.DataFrame(lines, columns=["part", "item", "detail", "points"])
    return ScoreExplanation(str(contact_id), float(table["points"].sum()), model.threshold, table)
