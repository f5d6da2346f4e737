"""Mastery per trainee and competency, from the gradebook: not started, practising, proficient, mastered.

The rule is data (``content/onboarding.yaml``, :class:`MasteryRule`): a graded submission is **evidence** for a
competency when it holds checks of exercises tagged with it (``exercise(..., competency=...)``) and the trainee
answered at least one of them; it is **proficient** evidence when it earned at least ``proficient_share`` of those
checks' points (hidden checks included, partial credit counted). Then, on the day ``as_of``:

- *not started*: no evidence;
- *practising*: evidence, but no proficient evidence younger than ``proficient_within_days``;
- *proficient*: proficient evidence younger than ``proficient_within_days``;
- *mastered*: proficient evidence on ``mastered_variants`` different data sets (a trainee's own variant of a lesson,
  a retake's new one, or the data a lesson shares with everyone: the company and seed the lesson read), all younger
  than ``proficient_within_days``, the latest younger than ``mastered_within_days``.

So mastery decays as evidence ages: mastered falls back to proficient, proficient to practising. Every submission
counts, not only the latest (an earlier attempt on other data is evidence too). Manual adjustments are per
assignment, not per check, so they change scores but not mastery.

>>> LEVELS
('not_started', 'practising', 'proficient', 'mastered')
>>> level_rank("proficient") >= level_rank("proficient"), level_rank("practising") >= level_rank("proficient")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MopskitError, ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LEVELS",
    "Mastery",
    "MasteryRule",
    "competency_evidence",
    "competency_tags",
    "level_label",
    "level_rank",
    "load_mastery",
    "mastery_levels",
    "mastery_rule",
]

LEVELS = ("not_started", "practising", "proficient", "mastered")


@dataclass(frozen=True)
class MasteryRule:
    """The rule that turns graded evidence into a level (``content/onboarding.yaml``, ``mastery:``).

    Attributes:
        proficient_share: share of a competency's check points (0 to 1) one submission must earn.
        mastered_variants: how many different data sets a trainee must be proficient on to master it.
        mastered_within_days: the latest proficient evidence of a mastery must be at most this old.
        proficient_within_days: proficient evidence older than this no longer counts.

    """

    proficient_share: float = 0.8
    mastered_variants: int = 2
    mastered_within_days: int = 90
    proficient_within_days: int = 180

    def __post_init__(self) -> None:
        if not 0 < self.proficient_share <= 1:
            raise MopskitError(
                f"mastery rule: 'proficient_share' must be above 0 and at most 1 (got {self.proficient_share})"
            )
        if self.mastered_variants < 1:
            raise MopskitError(f"mastery rule: 'mastered_variants' must be 1 or more (got {self.mastered_variants})")
        if not 0 < self.mastered_within_days <= self.proficient_within_days:
            raise MopskitError(
                "mastery rule: 'mastered_within_days' must be above 0 and at most 'proficient_within_days' "
                f"(got {self.mastered_within_days} and {self.proficient_within_days})"
            )


@cache
def _content() -> dict[str, Any]:
    from ..content import load_yaml

    return dict(load_yaml("onboarding"))


def mastery_rule() -> MasteryRule:
    """The kit's mastery rule, read from ``content/onboarding.yaml``.

    >>> mastery_rule().proficient_share
    0.8
    """
    return MasteryRule(**_content()["mastery"])


def level_rank(level: str) -> int:
    """A level's place in :data:`LEVELS` (0 for not started); a higher rank is further along.

    Raises:
        MopskitError: an unknown level; the message lists the valid ones.

    """
    if level not in LEVELS:
        raise MopskitError(f"unknown mastery level '{level}'; valid: {', '.join(LEVELS)}")
    return LEVELS.index(level)


def level_label(level: str) -> str:
    """A level in words, as a manager reads it.

    >>> level_label("not_started")
    'Not started'
    """
    level_rank(level)
    return next(str(e["label"]) for e in _content()["levels"] if e["id"] == level)


def competency_tags(lessons: str | Path | Iterable[str | Path] | None = None) -> pd.DataFrame:
    """Which exercise of which lesson gives evidence of which competency: ``assignment, exercise, competency``.

    Read from the lessons' checks cells without running them (:func:`mopskit.assess.coverage.exercise_tags`).

    Args:
        lessons: a folder of lessons, or lesson files; default: the kit's lessons (the instructor's sources in a
            checkout, the released copies otherwise: both declare the same tags).

    """
    import pandas as pd

    from .coverage import exercise_tags

    if lessons is None:
        from .._resources import sources_dir
        from ._release import lessons_dir

        lessons = sources_dir() or lessons_dir()
    if isinstance(lessons, str | Path):
        folder = Path(lessons)
        if not folder.exists():
            raise ParameterError(f"no lessons at '{folder}'; give the lessons folder (or leave it out for the kit's)")
        files = sorted(folder.glob("[0-9][0-9]_*.ipynb")) if folder.is_dir() else [folder]
    else:
        files = [Path(p) for p in lessons]
    rows = [(t.lesson, t.exercise, c) for f in files for t in exercise_tags(f) for c in t.competencies]
    return pd.DataFrame(rows, columns=["assignment", "exercise", "competency"])


@cache
def _data_set(assignment: str) -> str:
    from ..data.variant import company_name

    return company_name(assignment)


def competency_evidence(
    evidence: pd.DataFrame, tags: pd.DataFrame, *, as_of: date, rule: MasteryRule | None = None
) -> pd.DataFrame:
    """Each graded submission's evidence for each competency it holds checks of (answered ones only).

    Args:
        evidence: points per submission and exercise (:meth:`mopskit.assess.Gradebook.evidence`).
        tags: which exercise evidences which competency (:func:`competency_tags`).
        as_of: the day to judge on (submissions after it are left out).
        rule: the rule; default :func:`mastery_rule`.

    Returns:
        One row per submission and competency: ``submission``, ``trainee``, ``competency``, ``assignment``,
        ``submitted_at``, ``earned``, ``points``, ``share`` (0 to 1), ``proficient`` (at the bar),
        ``fresh`` (at the bar and younger than ``proficient_within_days``), ``data_set`` (company and seed),
        ``attempt``; oldest first.

    """
    import numpy as np

    rule = rule or mastery_rule()
    cutoff = _cutoff(as_of)
    used = evidence[evidence["submitted_at"] < cutoff]
    joined = used.merge(tags, on=["assignment", "exercise"])
    per = joined.groupby(["submission", "competency"], sort=False).agg(
        trainee=("trainee", "first"),
        assignment=("assignment", "first"),
        earned=("earned", "sum"),
        points=("points", "sum"),
        answered=("answered", "max"),
        submitted_at=("submitted_at", "first"),
        seed=("variant_seed", "first"),
        attempt=("attempt", "first"),
    )
    per = per[per["answered"]].reset_index()
    per["share"] = np.where(per["points"] > 0, per["earned"] / per["points"].where(per["points"] > 0, 1), 0.0)
    per["proficient"] = per["share"] >= rule.proficient_share - 1e-9
    per["fresh"] = per["proficient"] & ((cutoff - per["submitted_at"]).dt.days <= rule.proficient_within_days)
    seeds = per["seed"].map(lambda s: "shared" if s is None or s != s else str(int(s))).astype(str)
    per["data_set"] = per["assignment"].map(_data_set).astype(str) + "|" + seeds
    columns = ["submission", "trainee", "competency", "assignment", "submitted_at", "earned", "points", "share"]
    return per.sort_values("submitted_at", kind="stable")[[*columns, "proficient", "fresh", "data_set", "attempt"]]


def _cutoff(as_of: date) -> Any:
    import pandas as pd

    return pd.Timestamp(as_of, tz="UTC") + pd.Timedelta(days=1)


def mastery_levels(
    evidence: pd.DataFrame,
    tags: pd.DataFrame,
    *,
    as_of: date,
    rule: MasteryRule | None = None,
    trainees: Iterable[str] = (),
    competencies: Iterable[str] = (),
) -> pd.DataFrame:
    """The level of every trainee in every competency on the day ``as_of``, with the evidence behind it.

    Args:
        evidence: points per submission and exercise (:meth:`mopskit.assess.Gradebook.evidence`).
        tags: which exercise evidences which competency (:func:`competency_tags`).
        as_of: the day to judge on (evidence after it is left out).
        rule: the rule; default :func:`mastery_rule`.
        trainees: trainees to list even with no evidence (a roster's hires).
        competencies: competencies to list even with no evidence (default: those the tags name).

    Returns:
        One row per trainee and competency: ``level``, ``evidence`` (submissions), ``best_share`` and
        ``latest_share`` (0 to 1, of the competency's points), ``variants`` (different data sets proficient on,
        fresh ones), ``last_proficient`` and ``last_evidence`` (dates), ``assignments`` (where the evidence is).

    >>> import pandas as pd
    >>> when = pd.Timestamp("2026-03-02", tz="UTC")
    >>> ev = pd.DataFrame({"submission": [1, 2], "trainee": ["ana", "ana"], "assignment": ["05_metrics",
    ...     "10_final_assessment"], "exercise": ["q1", "q4"], "earned": [2.0, 1.0], "points": [2.0, 2.0],
    ...     "answered": [True, True], "submitted_at": [when, when], "variant_seed": [None, None],
    ...     "attempt": [None, None]})
    >>> tags = pd.DataFrame({"assignment": ["05_metrics", "10_final_assessment"], "exercise": ["q1", "q4"],
    ...     "competency": ["metrics.email", "metrics.email"]})
    >>> row = mastery_levels(ev, tags, as_of=date(2026, 3, 10)).iloc[0]
    >>> row["level"], int(row["evidence"]), float(row["best_share"]), float(row["latest_share"])
    ('proficient', 2, 1.0, 0.5)

    """
    return _levels(
        competency_evidence(evidence, tags, as_of=as_of, rule=rule),
        tags,
        as_of=as_of,
        rule=rule,
        trainees=trainees,
        competencies=competencies,
    )


def _levels(
    per: pd.DataFrame,
    tags: pd.DataFrame,
    *,
    as_of: date,
    rule: MasteryRule | None,
    trainees: Iterable[str],
    competencies: Iterable[str],
) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    rule = rule or mastery_rule()
    cutoff = _cutoff(as_of)
    columns = ["trainee", "competency", "level", "evidence", "best_share", "latest_share", "variants"]
    columns += ["last_proficient", "last_evidence", "assignments"]
    keys = ["trainee", "competency"]
    grouped = per.groupby(keys, sort=False)
    table = grouped.agg(
        evidence=("submission", "size"),
        best_share=("share", "max"),
        latest_share=("share", "last"),
        last_evidence=("submitted_at", "max"),
    )
    proficient = per[per["fresh"]].groupby(keys, sort=False)
    table = table.join(proficient.agg(variants=("data_set", "nunique"), last_proficient=("submitted_at", "max")))
    table["assignments"] = grouped["assignment"].agg(lambda s: ", ".join(sorted(set(s))))
    table = table.reset_index()
    table["variants"] = table["variants"].fillna(0).astype(int)
    since_proficient = (cutoff - table["last_proficient"]).dt.days
    mastered = (table["variants"] >= rule.mastered_variants) & (since_proficient <= rule.mastered_within_days)
    table["level"] = np.select([mastered, table["variants"] > 0], ["mastered", "proficient"], "practising")
    wanted_trainees = sorted(set(table["trainee"]) | set(trainees))
    wanted = list(dict.fromkeys([*competencies, *sorted(set(tags["competency"]))]))
    grid = pd.MultiIndex.from_product([wanted_trainees, wanted], names=keys).to_frame(index=False)
    full = grid.merge(table, on=keys, how="left")
    full["level"] = full["level"].fillna("not_started")
    full["evidence"] = full["evidence"].fillna(0).astype(int)
    full["variants"] = full["variants"].fillna(0).astype(int)
    full["assignments"] = full["assignments"].fillna("")
    for name in ("best_share", "latest_share"):
        full[name] = full[name].astype(float).round(3)
    for name in ("last_proficient", "last_evidence"):
        full[name] = pd.to_datetime(full[name], utc=True).dt.date
    return full[columns]


@dataclass
class Mastery:
    """Levels from one gradebook on one day, with who is enrolled in which role.

    Attributes:
        levels: one row per trainee and competency (:func:`mastery_levels`).
        enrolments: the hires on a path: trainee, name, email, role, start (empty without ``mopskit onboard``).
        names: trainee id to name (from the gradebook).
        as_of: the day judged on.
        rule: the rule used.
        evidence: each submission's evidence per competency (:func:`competency_evidence`).
        tags: which exercise of which lesson evidences which competency (:func:`competency_tags`).

    """

    levels: pd.DataFrame
    enrolments: pd.DataFrame
    names: dict[str, str]
    as_of: date
    rule: MasteryRule
    evidence: pd.DataFrame
    tags: pd.DataFrame

    def level(self, trainee: str, competency: str) -> str:
        """One trainee's level in one competency (``not_started`` when neither is known)."""
        rows = self.levels[(self.levels["trainee"] == trainee) & (self.levels["competency"] == competency)]
        return str(rows["level"].iloc[0]) if len(rows) else "not_started"


def load_mastery(
    gradebook: str | Path,
    *,
    lessons: str | Path | None = None,
    as_of: date | str | None = None,
    rule: MasteryRule | None = None,
) -> Mastery:
    """Read a gradebook and judge every trainee's level in every competency.

    Args:
        gradebook: the gradebook (SQLite path or SQLAlchemy URL).
        lessons: the lessons whose tags say which exercise evidences what (default: the kit's).
        as_of: the day to judge on (``YYYY-MM-DD``; default today, in UTC).
        rule: the rule; default the kit's (:func:`mastery_rule`).

    Raises:
        ParameterError: ``as_of`` is not a date.

    """
    from .._validate import day
    from ..facts import leaf_competencies
    from ._gradebook import Gradebook

    when = datetime.now(UTC).date() if as_of in (None, "") else day(as_of, "as_of", function="load_mastery")
    tags = competency_tags(lessons)
    with Gradebook(gradebook) as book:
        evidence = book.evidence()
        enrolments = book.enrolments()
        known = book.trainees()
    names = {t: n or t for t, n in zip(known["trainee"], known["name"], strict=True)}
    rule = rule or mastery_rule()
    per = competency_evidence(evidence, tags, as_of=when, rule=rule)
    leaves = [c.id for c in leaf_competencies()]
    everyone = [*known["trainee"], *enrolments["trainee"]]
    levels = _levels(per, tags, as_of=when, rule=rule, trainees=everyone, competencies=leaves)
    return Mastery(levels, enrolments, names, when, rule, per, tags)
