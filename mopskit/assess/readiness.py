"""Who is ready for what: each hire's levels against what their role needs, for the cohort and for one manager.

From a :class:`~mopskit.assess.mastery.Mastery` (levels from the gradebook, and the hires' roles from
``mopskit onboard``):

- :func:`role_readiness`: every hire and every competency their role needs: target, level, met or not, and what
  to do next;
- :func:`trainee_readiness`: one row per hire: how many needs are met, ready or not, where they are blocked;
- :func:`role_competency_table` and :func:`plot_role_competency`: role x competency, the share of each role's
  hires at the level needed;
- :func:`hardest_competencies`: the competencies the fewest trainees reach, over every trainee with evidence;
- :func:`readiness_page` / :func:`write_readiness_pages`: a page per hire a manager can read (standalone HTML).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._html import escape, page
from .._html import table as html_table
from ..i18n import _
from .mastery import LEVELS, Mastery, level_label, level_rank

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "blocked",
    "hardest_competencies",
    "plot_role_competency",
    "readiness_page",
    "role_competency_table",
    "role_readiness",
    "trainee_readiness",
    "write_readiness",
    "write_readiness_pages",
]


def _lessons_by_competency(mastery: Mastery) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for assignment, competency in zip(mastery.tags["assignment"], mastery.tags["competency"], strict=True):
        lessons = found.setdefault(competency, [])
        if assignment not in lessons:
            lessons.append(assignment)
    return {c: sorted(v) for c, v in found.items()}


def _next_step(level: str, target: str, lessons: list[str], done: set[str]) -> str:
    if not lessons:
        return "No lesson assesses this yet: judge it at work."
    untried = [lesson for lesson in lessons if lesson not in done]
    if level == "not_started":
        return f"Take {untried[0] if untried else lessons[0]}."
    if level == "practising":
        return f"Go over {', '.join(sorted(done & set(lessons)) or lessons)} again, then a retake on new data."
    if level == "proficient" and target == "mastered":
        if untried:
            return f"Show it again on other data: take {untried[0]}, or a retake of a lesson already done."
        return f"Show it again on other data: a retake of {sorted(done & set(lessons))[0]} (new data)."
    return "Keep it fresh: evidence older than the rule's limit no longer counts."


def role_readiness(mastery: Mastery) -> pd.DataFrame:
    """Every hire and every competency their role needs: the target, the level now, met or not, what next.

    Returns:
        One row per enrolled trainee and needed competency: ``trainee``, ``name``, ``role``, ``role_name``,
        ``competency``, ``title``, ``target``, ``level``, ``met``, ``best_share``, ``evidence``, ``lessons``
        (the lessons that assess it), ``next`` (a sentence). Empty when nobody is enrolled.

    """
    import pandas as pd

    from ..facts import competency
    from ..roles import role

    columns = ["trainee", "name", "role", "role_name", "competency", "title", "target", "level", "met"]
    columns += ["best_share", "evidence", "lessons", "next"]
    levels = mastery.levels.set_index(["trainee", "competency"])
    lessons = _lessons_by_competency(mastery)
    done = mastery.evidence.groupby("trainee")["assignment"].agg(set).to_dict() if len(mastery.evidence) else {}
    rows = []
    for _index, hire in mastery.enrolments.iterrows():
        found = role(hire["role"])
        for competency_id, target in found.needs:
            key = (hire["trainee"], competency_id)
            row = levels.loc[key] if key in levels.index else None
            level = str(row["level"]) if row is not None else "not_started"
            rows.append(
                {
                    "trainee": hire["trainee"],
                    "name": hire["name"] or hire["trainee"],
                    "role": found.id,
                    "role_name": found.name,
                    "competency": competency_id,
                    "title": competency(competency_id).title,
                    "target": target,
                    "level": level,
                    "met": level_rank(level) >= level_rank(target),
                    "best_share": float(row["best_share"]) if row is not None and row["evidence"] else None,
                    "evidence": int(row["evidence"]) if row is not None else 0,
                    "lessons": ", ".join(lessons.get(competency_id, [])),
                    "next": ""
                    if level_rank(level) >= level_rank(target)
                    else _next_step(level, target, lessons.get(competency_id, []), done.get(hire["trainee"], set())),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def trainee_readiness(readiness: pd.DataFrame) -> pd.DataFrame:
    """One row per hire: needs met of needs, ready (all met), blocked on (practising) and not started.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"trainee": ["ana", "ana"], "name": ["Ana", "Ana"], "role_name": ["CRM"] * 2,
    ...     "title": ["Data", "Stack"], "level": ["practising", "mastered"], "met": [False, True]})
    >>> trainee_readiness(rows)[["met", "needs", "ready", "blocked"]].values.tolist()
    [[1, 2, False, 'Data']]
    """
    import pandas as pd

    columns = ["trainee", "name", "role_name", "met", "needs", "ready", "blocked", "not_started"]
    if readiness.empty:
        return pd.DataFrame(columns=columns)
    grouped = readiness.groupby("trainee", sort=True)
    table = grouped.agg(name=("name", "first"), role_name=("role_name", "first"), met=("met", "sum"))
    table["needs"] = grouped.size()
    table["ready"] = table["met"] == table["needs"]
    for name, level in (("blocked", "practising"), ("not_started", "not_started")):
        chosen = readiness[(readiness["level"] == level) & ~readiness["met"]]
        table[name] = chosen.groupby("trainee")["title"].agg(", ".join)
        table[name] = table[name].fillna("")
    table["met"] = table["met"].astype(int)
    return table.reset_index()[columns]


def blocked(readiness: pd.DataFrame) -> pd.DataFrame:
    """Who is blocked where: needed competencies a hire has worked on but not reached (practising), worst first."""
    stuck = readiness[(readiness["level"] == "practising") & ~readiness["met"]]
    ordered = stuck.sort_values(["best_share", "evidence"], ascending=[True, False], kind="stable")
    return ordered[["name", "role_name", "title", "target", "best_share", "evidence", "next"]].reset_index(drop=True)


def role_competency_table(readiness: pd.DataFrame, *, counts: bool = True) -> pd.DataFrame:
    """Role (rows) x competency (columns): how many of the role's hires are at the level it needs.

    Args:
        readiness: :func:`role_readiness`.
        counts: cells as ``"met/hires"`` text; false: the share met, 0 to 100.

    """
    import pandas as pd

    if readiness.empty:
        return pd.DataFrame()
    grouped = readiness.groupby(["role_name", "title"])["met"]
    if counts:
        cells = grouped.sum().astype(int).astype(str) + "/" + grouped.size().astype(str)
    else:
        cells = (100 * grouped.mean()).round(0)
    table = cells.unstack("title")
    table.columns.name = None
    table.index.name = "role"
    return table if counts else table.astype(float)


def hardest_competencies(mastery: Mastery, *, top: int = 10) -> pd.DataFrame:
    """The competencies the fewest trainees reach (proficient or better), among trainees with evidence.

    Returns:
        ``competency``, ``title``, ``trainees`` (with evidence), ``reached`` (% proficient or mastered),
        ``best_share`` (the average of each trainee's best share, %), hardest first.

    """
    from ..facts import competency

    levels = mastery.levels[mastery.levels["evidence"] > 0].copy()
    levels["reached"] = levels["level"].isin(LEVELS[2:])
    table = levels.groupby("competency").agg(
        trainees=("trainee", "size"), reached=("reached", "mean"), best_share=("best_share", "mean")
    )
    table["reached"] = (100 * table["reached"]).round(1)
    table["best_share"] = (100 * table["best_share"]).round(1)
    table = table.reset_index()
    table.insert(1, "title", [competency(c).title for c in table["competency"]])
    return table.sort_values(["reached", "best_share"], kind="stable").head(top).reset_index(drop=True)


def plot_role_competency(readiness: pd.DataFrame) -> Any:
    """A heat map of :func:`role_competency_table`: the share of each role's hires at the level needed."""
    import matplotlib.pyplot as plt

    shares = role_competency_table(readiness, counts=False)
    counts = role_competency_table(readiness)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.55 * len(shares.columns) + 3), 0.5 * len(shares) + 2.2))
    image = ax.imshow(shares.to_numpy(), cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(shares.columns)), list(shares.columns), rotation=40, ha="right", fontsize="small")
    ax.set_yticks(range(len(shares.index)), list(shares.index), fontsize="small")
    for i in range(len(shares.index)):
        for j in range(len(shares.columns)):
            text = counts.iat[i, j]
            if isinstance(text, str):
                ax.text(j, i, text, ha="center", va="center", fontsize="x-small")
    fig.colorbar(image, ax=ax, label=_("% of the role's hires at the level needed"))
    fig.tight_layout()
    return fig


def readiness_page(mastery: Mastery, trainee: str) -> str:
    """A standalone HTML page for one hire's manager: ready or not, each need's level, the evidence, what next.

    Raises:
        MopskitError: the trainee is not enrolled on a path (``mopskit onboard`` records it).

    """
    from ..errors import MopskitError
    from ..roles import role

    enrolled = mastery.enrolments[mastery.enrolments["trainee"] == trainee]
    if enrolled.empty:
        known = ", ".join(mastery.enrolments["trainee"]) or "none"
        raise MopskitError(f"'{trainee}' is not enrolled on an onboarding path; enrolled: {known}")
    hire = enrolled.iloc[0]
    found = role(hire["role"])
    rows = role_readiness(mastery)
    rows = rows[rows["trainee"] == trainee].sort_values("met", kind="stable")  # what is missing first
    name = hire["name"] or trainee
    met, needs = int(rows["met"].sum()), len(rows)
    if met == needs:
        verdict = f"Ready for the {found.name} role: all {needs} competencies it needs are at the level needed."
        tone = "ok"
    else:
        verdict = f"Not ready yet: {met} of {needs} competencies at the level the {found.name} role needs."
        tone = "partial" if met else "bad"
    detail = mastery.evidence[mastery.evidence["trainee"] == trainee]
    table_rows = []
    for _index, need in rows.iterrows():
        shown = detail[detail["competency"] == need["competency"]]
        evidence = "; ".join(
            f"{share:.0%} in {assignment} on {when:%d %b %Y}" + (" (at the bar)" if ok else "")
            for share, assignment, when, ok in zip(
                shown["share"], shown["assignment"], shown["submitted_at"], shown["proficient"], strict=True
            )
        )
        table_rows.append(
            [
                need["title"],
                level_label(need["target"]),
                level_label(need["level"]) + (" ✓" if need["met"] else ""),
                evidence or "none yet",
                need["next"] or "",
            ]
        )
    rule = mastery.rule
    explain = (
        f"Levels come from graded work. Proficient: at least {rule.proficient_share:.0%} of a competency's points "
        f"in one graded lesson, within the last {rule.proficient_within_days} days. Mastered: that on "
        f"{rule.mastered_variants} different data sets (a retake gets new data), the latest within "
        f"{rule.mastered_within_days} days. Practising: graded work on it, not at that bar yet. Evidence ages: "
        "older work stops counting, so a level can fall back."
    )
    body = (
        f"<h1>{escape(name)}</h1>"
        f'<p class="meta">{escape(found.name)} · started {hire["start"]:%d %B %Y} · judged on '
        f"{mastery.as_of:%d %B %Y}</p>"
        f'<div class="card {tone}"><strong>{escape(verdict)}</strong></div>'
        + html_table(["Competency", "Needed", "Now", "Evidence", "Next"], table_rows)
        + f'<p class="meta">{escape(explain)}</p>'
    )
    return page(f"{name}: readiness for {found.name}", body)


def write_readiness_pages(mastery: Mastery, out_dir: str | Path) -> list[Path]:
    """Write a readiness page per enrolled hire (``<trainee>.html``) and an ``index.html`` linking them all."""
    from urllib.parse import quote

    from ._variants import _slug

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    summary = trainee_readiness(role_readiness(mastery))
    links = []
    for _index, row in summary.iterrows():
        target = out / f"{_slug(row['trainee'])}.html"
        target.write_text(readiness_page(mastery, row["trainee"]), encoding="utf-8")
        written.append(target)
        state = "ready" if row["ready"] else f"{row['met']} of {row['needs']} met"
        links.append(
            f'<tr><td><a href="{quote(target.name)}">{escape(row["name"])}</a></td><td>{escape(row["role_name"])}</td>'
            f"<td>{escape(state)}</td><td>{escape(row['blocked'])}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("Hire", "Role", "Readiness", "Blocked on"))
    index = out / "index.html"
    index.write_text(
        page(
            "Readiness of the hires",
            f"<h1>Readiness of the hires</h1><p class='meta'>judged on {mastery.as_of:%d %B %Y}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(links)}</tbody></table>",
        ),
        encoding="utf-8",
    )
    return [index, *written]


def write_readiness(
    *,
    db: str | Path = "gradebook.sqlite",
    out_dir: str | Path = "readiness",
    as_of: str | None = None,
    lessons: str | Path | None = None,
) -> list[Path]:
    """Judge every hire of a gradebook and write their readiness pages (``mopskit grades readiness``).

    Args:
        db: the gradebook (its hires come from ``mopskit onboard``).
        out_dir: where the pages go: ``index.html`` and ``<trainee>.html`` each.
        as_of: the day to judge on, ``YYYY-MM-DD`` (default today).
        lessons: the lessons whose tags say what each exercise evidences (default: the kit's).

    Raises:
        MopskitError: nobody in the gradebook is on an onboarding path.

    """
    from ..errors import MopskitError
    from .mastery import load_mastery

    mastery = load_mastery(db, lessons=lessons, as_of=as_of)
    if mastery.enrolments.empty:
        raise MopskitError(
            f"nobody in the gradebook '{db}' is on an onboarding path; release paths with "
            f"mopskit onboard ROSTER.csv --db {db}"
        )
    return write_readiness_pages(mastery, out_dir)
