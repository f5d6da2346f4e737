"""Grades and mastery as xAPI statements, each with an id that is the same every time it is made.

For every trainee's latest graded submission of an assignment, three statements with ADL verbs: *completed*
(``result.completion``), *scored* (``result.score``: raw points, 0, the points possible, and the share) and *passed*
or *failed* (``result.success``, against ``pass_mark``). For every competency a trainee has *mastered*
(:mod:`mopskit.assess.mastery`), one *mastered* statement whose object is the competency as the kit's CASE package
names it (:func:`mopskit.facts.case_package`), with the evidence in its result's extensions.

A statement's id is a UUID version 5 of what it states (trainee, assignment, attempt, the submission's content,
verb and score; or trainee, competency and the evidence's date), so making the statements again gives the same
ids, and a learning record store that already holds one keeps it once. A changed grade (a re-grade, an
adjustment) or new evidence states something new, under a new id.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from ._grades import GradeTable, grade_table

__all__ = ["NAMESPACE", "VERBS", "mastery_statements", "statement_id", "statements"]

NAMESPACE = uuid.UUID("8d0f3a4e-2c61-5b8e-9f37-5e6a1c2b7d90")  # the kit's namespace for statement ids
VERBS = {
    verb: {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}}
    for verb in ("completed", "scored", "passed", "failed", "mastered")
}
_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
_OBJECTIVE = "http://adlnet.gov/expapi/activities/objective"


def statement_id(*parts: object) -> str:
    """The id of the statement that states ``parts``: the same parts give the same id, anywhere.

    >>> statement_id("ana", "05_metrics", 1, "completed") == statement_id("ana", "05_metrics", 1, "completed")
    True
    >>> statement_id("ana", "05_metrics", 1, "completed") != statement_id("ana", "05_metrics", 2, "completed")
    True
    """
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)))


def _actor(trainee: str, name: str, email: str, home: str) -> dict[str, Any]:
    actor: dict[str, Any] = {"objectType": "Agent", "name": name or trainee}
    if email:
        actor["mbox"] = f"mailto:{email}"
    else:
        actor["account"] = {"homePage": home, "name": trainee}
    return actor


def _stamp(value: Any) -> str:
    import pandas as pd

    return (
        pd.Timestamp(value).tz_convert("UTC").isoformat()
        if pd.Timestamp(value).tzinfo
        else (pd.Timestamp(value).tz_localize("UTC").isoformat())
    )


def statements(
    db: str | Path | GradeTable,
    *,
    base: str = "urn:mopskit",
    pass_mark: float = 0.8,
    home: str = "https://mopskit.invalid",
) -> list[dict[str, Any]]:
    """The statements of every trainee's latest grade on every assignment: completed, scored, passed or failed.

    Args:
        db: the gradebook (or its :func:`grade_table`).
        base: the IRI the assignments' activity ids start with (``<base>:assignment:<id>``; a URL such as
            ``https://lms.example.org/mopskit`` gives ``.../assignment/<id>``).
        pass_mark: the share of an assignment's points (0 to 1) that passes it.
        home: the account home page of trainees without an email address (their id is the account name).

    """
    table = db if isinstance(db, GradeTable) else grade_table(db)
    made: list[dict[str, Any]] = []
    sep = "/" if "://" in base else ":"
    for _, row in table.grades.iterrows():
        actor = _actor(row["trainee"], row["name"], row["email"], home)
        activity = {
            "objectType": "Activity",
            "id": f"{base}{sep}assignment{sep}{row['assignment']}",
            "definition": {"type": _ASSESSMENT, "name": {"en-US": str(row["assignment"])}},
        }
        attempt = int(row["attempt"] or 1)
        context: dict[str, Any] = {
            "platform": "mopskit",
            "extensions": {f"{base}{sep}extension{sep}attempt": attempt},
        }
        if row["variant_seed"] is not None and row["variant_seed"] == row["variant_seed"]:
            context["extensions"][f"{base}{sep}extension{sep}variant"] = int(row["variant_seed"])
        share = row["total"] / row["possible"] if row["possible"] else 0.0
        passed = share >= pass_mark - 1e-9
        key = (row["trainee"], row["assignment"], attempt, row["content_hash"])
        when = _stamp(row["submitted_at"])
        results: list[tuple[str, dict[str, Any], tuple[object, ...]]] = [
            ("completed", {"completion": True}, ()),
            (
                "scored",
                {
                    "score": {
                        "raw": round(float(row["total"]), 4),
                        "min": 0,
                        "max": round(float(row["possible"]), 4),
                        "scaled": round(min(max(share, 0.0), 1.0), 4),
                    }
                },
                (round(float(row["total"]), 4),),
            ),
            ("passed" if passed else "failed", {"success": passed}, (pass_mark,)),
        ]
        for verb, result, extra in results:
            made.append(
                {
                    "id": statement_id(*key, verb, *extra),
                    "actor": actor,
                    "verb": VERBS[verb],
                    "object": activity,
                    "result": result,
                    "context": context,
                    "timestamp": when,
                }
            )
    return made


def mastery_statements(
    db: str | Path,
    *,
    as_of: str | None = None,
    lessons: str | Path | None = None,
    home: str = "https://mopskit.invalid",
) -> list[dict[str, Any]]:
    """A *mastered* statement for each competency each trainee has mastered on ``as_of``, with its evidence.

    The object is the competency as the kit's CASE package names it (its URI and title), so a platform that imported
    the competency framework links the two.
    """
    from ..assess.mastery import load_mastery
    from ..facts import case_package, competency

    mastery = load_mastery(db, lessons=lessons, as_of=as_of)
    uris = {item["humanCodingScheme"]: item["uri"] for item in case_package()["CFItems"]}
    with_email: dict[str, str] = {}
    from ..assess import Gradebook

    with Gradebook(db) as book:
        with_email = dict(zip(*[book.trainees()[c] for c in ("trainee", "email")], strict=True))
    made = []
    chosen = mastery.levels[mastery.levels["level"] == "mastered"]
    for _, row in chosen.iterrows():
        item = competency(row["competency"])
        when = f"{row['last_proficient']}T00:00:00+00:00"
        made.append(
            {
                "id": statement_id(row["trainee"], row["competency"], "mastered", row["last_proficient"]),
                "actor": _actor(
                    row["trainee"], mastery.names.get(row["trainee"], ""), with_email.get(row["trainee"], ""), home
                ),
                "verb": VERBS["mastered"],
                "object": {
                    "objectType": "Activity",
                    "id": uris[item.code],
                    "definition": {
                        "type": _OBJECTIVE,
                        "name": {"en-US": item.title},
                        "description": {"en-US": item.description},
                    },
                },
                "result": {
                    "success": True,
                    "extensions": {
                        "urn:mopskit:extension:level": "mastered",
                        "urn:mopskit:extension:evidence": row["assignments"],
                        "urn:mopskit:extension:data-sets": int(row["variants"]),
                    },
                },
                "context": {"platform": "mopskit"},
                "timestamp": when,
            }
        )
    return made
