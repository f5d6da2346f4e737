"""Lifecycle stages and their order: subscriber, lead, MQL, SQL, opportunity, customer.

A contact moves forward one stage at a time. Sales may send an MQL or an SQL back to marketing (recycled, back
to lead) or disqualify it; nothing else goes backwards, and no stage is skipped: an opportunity was an SQL
first. :func:`check_path` judges a history of stages; :func:`lifecycle_problems` finds the contacts whose
milestone dates run backwards, skip a stage, or disagree with their ``lifecycle_stage``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from .._validate import checked
from ..i18n import _
from ._frames import finish, frame_columns, to_utc

__all__ = ["MILESTONES", "STAGES", "check_path", "lifecycle_problems", "lifecycle_sample", "stage_of"]

STAGES: tuple[str, ...] = ("subscriber", "lead", "mql", "sql", "opportunity", "customer")
MILESTONES: tuple[tuple[str, str], ...] = (
    ("mql", "mql_at"),
    ("sql", "sql_at"),
    ("opportunity", "opportunity_at"),
    ("customer", "customer_at"),
)
SENT_BACK = {"mql": "lead", "sql": "lead"}  # recycling returns a lead to marketing's nurture


@checked
def check_path(path: Sequence[str]) -> list[str]:
    """The problems of a history of stages, in words (an empty list: the path is allowed).

    >>> check_path(["lead", "mql", "sql", "opportunity"])
    []
    >>> check_path(["lead", "mql", "lead", "mql"])
    []
    >>> check_path(["lead", "sql"])
    ['lead -> sql skips mql']
    >>> check_path(["customer", "lead"])
    ['customer -> lead goes backwards']
    """
    problems = []
    stages = [str(s).strip().lower() for s in path]
    for stage in stages:
        if stage not in STAGES:
            problems.append(_("{stage!r} is not a stage; stages: {valid}").format(stage=stage, valid=", ".join(STAGES)))
    if problems:
        return problems
    for here, there in itertools.pairwise(stages):
        step = STAGES.index(there) - STAGES.index(here)
        if step == 1 or SENT_BACK.get(here) == there:
            continue
        if step == 0:
            problems.append(_("{a} -> {b} repeats a stage").format(a=here, b=there))
        elif step > 1:
            skipped = ", ".join(STAGES[STAGES.index(here) + 1 : STAGES.index(there)])
            problems.append(_("{a} -> {b} skips {skipped}").format(a=here, b=there, skipped=skipped))
        else:
            problems.append(_("{a} -> {b} goes backwards").format(a=here, b=there))
    return problems


@checked
def stage_of(contacts: pd.DataFrame) -> pd.Series:
    """The furthest stage each contact's milestone dates show (lead when none is filled).

    >>> stage_of(pd.DataFrame({"mql_at": ["2026-01-02", None], "sql_at": [None, None],
    ...                        "opportunity_at": [None, None], "customer_at": [None, None]})).tolist()
    ['mql', 'lead']
    """
    frame = frame_columns(contacts, table="contacts", needed=[c for _s, c in MILESTONES])
    stage = pd.Series("lead", index=contacts.index, dtype=object)
    for name, column in MILESTONES:
        stage[to_utc(frame[column], column=column, function="stage_of").notna().to_numpy()] = name
    return stage


@checked
def lifecycle_problems(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts whose lifecycle does not follow the allowed order, one row per problem found.

    Problems: ``backwards`` (a later milestone dated before an earlier one), ``skipped`` (a later milestone filled
    while an earlier one is empty), ``stage behind dates`` (``lifecycle_stage`` says less than the dates show)
    and ``stage ahead of dates`` (it says more than the dates show).

    >>> people = pd.DataFrame({"contact_id": ["a", "b", "c"], "lifecycle_stage": ["sql", "opportunity", "mql"],
    ...     "mql_at": ["2026-02-10", "2026-01-05", "2026-01-05"], "sql_at": ["2026-02-01", None, None],
    ...     "opportunity_at": [None, "2026-01-20", None], "customer_at": [None, None, None]})
    >>> lifecycle_problems(people)[["contact_id", "problem"]].values.tolist()
    [['a', 'backwards'], ['b', 'skipped']]
    """
    columns = [c for _s, c in MILESTONES]
    frame = frame_columns(contacts, table="contacts", needed=["contact_id", *columns], optional=["lifecycle_stage"])
    stamps = {c: to_utc(frame[c], column=c, function="lifecycle_problems") for c in columns}
    rows = []

    def add(mask: pd.Series, problem: str, details: pd.Series) -> None:
        for cid, detail in zip(frame.loc[mask, "contact_id"], details[mask], strict=True):
            rows.append({"contact_id": str(cid), "problem": problem, "detail": detail})

    for (_early_name, early), (_late_name, late) in itertools.combinations(MILESTONES, 2):
        wrong = (stamps[early] > stamps[late]).fillna(False).astype(bool)
        detail = (
            late
            + " "
            + stamps[late].dt.strftime("%Y-%m-%d")
            + _(" is before ")
            + early
            + " "
            + stamps[early].dt.strftime("%Y-%m-%d")
        )
        add(wrong, "backwards", detail)
    for (_early_name, early), (_late_name, late) in itertools.combinations(MILESTONES, 2):
        skipped = stamps[late].notna() & stamps[early].isna()
        add(
            skipped,
            "skipped",
            pd.Series(_("{late} is filled but {early} is empty").format(late=late, early=early), index=frame.index),
        )
    if "lifecycle_stage" in frame.columns:
        said = frame["lifecycle_stage"].astype("string").str.strip().str.lower()
        rank = {s: i for i, s in enumerate(STAGES)}
        said_rank = pd.to_numeric(said.map(rank), errors="coerce")  # numbers even when the table is empty
        shown = stage_of(frame)
        shown_rank = pd.to_numeric(shown.map(rank), errors="coerce")
        known = said_rank.notna()
        behind = known & (said_rank < shown_rank) & ~((said == "subscriber") & (shown == "lead"))
        ahead = known & (said_rank > shown_rank) & (said_rank > rank["lead"])
        text = _("lifecycle_stage is {said} but the dates show {shown}")
        add(
            behind,
            "stage behind dates",
            pd.Series([text.format(said=a, shown=b) for a, b in zip(said, shown, strict=True)], index=frame.index),
        )
        add(
            ahead,
            "stage ahead of dates",
            pd.Series([text.format(said=a, shown=b) for a, b in zip(said, shown, strict=True)], index=frame.index),
        )
    result = pd.DataFrame(rows, columns=["contact_id", "problem", "detail"])
    seen = result.drop_duplicates(["contact_id", "problem"]).reset_index(drop=True)
    return finish(seen, notes=[])


@checked
def lifecycle_sample(contacts: pd.DataFrame, *, size: int = 10, broken: int = 4) -> pd.DataFrame:
    """A small table to check by eye: some contacts whose dates break the order, and clean ones.

    ``broken`` contacts whose dates run backwards or skip a stage (both kinds when the data has them) and clean
    ones with several milestones, in contact id order, with only the stage and its dates, to the day (a contact
    is picked as backwards only when the days themselves show it).

    The same table always comes out of the same contacts (no randomness), so a lesson and its checks agree.

    >>> from mopskit.data import load
    >>> sample = lifecycle_sample(load("contacts_raw"))
    >>> len(sample), len(set(lifecycle_problems(sample)["contact_id"]))
    (10, 4)
    """
    columns = ["contact_id", "lifecycle_stage", *(c for _s, c in MILESTONES)]
    frame = frame_columns(contacts, table="contacts", needed=columns).copy()
    for _stage, column in MILESTONES:
        frame[column] = to_utc(frame[column], column=column, function="lifecycle_sample").dt.floor("D")
    problems = lifecycle_problems(frame)
    kinds = [problems.loc[problems["problem"] == kind, "contact_id"].tolist() for kind in ("skipped", "backwards")]
    chosen_bad: list[str] = []
    for turn in itertools.count():  # one of each kind in turn, so the sample shows both
        if len(chosen_bad) >= broken or all(turn >= len(k) for k in kinds):
            break
        found = [k[turn] for k in kinds if turn < len(k) and k[turn] not in chosen_bad]
        chosen_bad += found[: broken - len(chosen_bad)]
    filled = frame[[c for _s, c in MILESTONES]].notna().sum(axis=1)
    clean = frame[(filled >= 2) & ~frame["contact_id"].astype(str).isin(set(problems["contact_id"]))]
    step = max(1, len(clean) // max(size - len(chosen_bad), 1))
    chosen_clean = clean["contact_id"].astype(str).tolist()[::step][: size - len(chosen_bad)]
    picked = frame[frame["contact_id"].astype(str).isin([*chosen_bad, *chosen_clean])]
    return picked.sort_values("contact_id").reset_index(drop=True)[columns]
