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

from ..i18n import _
from ._frames import finish, frame_columns, to_utc

__all__ = ["MILESTONES", "STAGES", "check_path", "lifecycle_problems", "stage_of"]

STAGES: tuple[str, ...] = ("subscriber", "lead", "mql", "sql", "opportunity", "customer")
MILESTONES: tuple[tuple[str, str], ...] = (
    ("mql", "mql_at"),
    ("sql", "sql_at"),
    ("opportunity", "opportunity_at"),
    ("customer", "customer_at"),
)
SENT_BACK = {"mql": "lead", "sql": "lead"}  # recycling returns a lead to marketing's nurture


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
        said_rank = said.map(rank)
        shown = stage_of(frame)
        shown_rank = shown.map(rank)
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
