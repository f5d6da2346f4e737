"""Where a cohort stands: the figures and plots of the cohort report, computed from a gradebook.

The functions take the gradebook's tables (:meth:`Gradebook.scores` and :meth:`Gradebook.check_results`) and
return DataFrames or figures; ``notebooks/reports/cohort_report.ipynb`` shows them. Without a gradebook, a
demo cohort (:func:`demo_gradebook`, made-up results on the real lessons' checks) lets an instructor preview
the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ParameterError
from ..i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEMO_ROLES",
    "Cohort",
    "common_failures",
    "demo_as_of",
    "demo_gradebook",
    "exercise_pass_rates",
    "load_cohort",
    "needs_help",
    "plot_pass_rates",
    "plot_scores",
    "plot_trainee_progress",
    "summary_text",
    "trainee_progress",
    "validate_parameters",
    "waiting_for_review",
]


@dataclass
class Cohort:
    """The latest scores (one row per trainee and assignment) and check results (one row per check)."""

    scores: pd.DataFrame
    checks: pd.DataFrame
    assignments: list[str]


def _names(assignments: str | list[str] | None) -> list[str]:
    if assignments is None:
        return []
    if isinstance(assignments, str):
        return [a.strip() for a in assignments.split(",") if a.strip()]
    return [str(a) for a in assignments]


def load_cohort(gradebook: str | Path, *, assignments: str | list[str] | None = None) -> Cohort:
    """Read the latest grades of every trainee from a gradebook, for some assignments or all of them.

    Raises:
        ParameterError: the gradebook has no grades, or an assignment is not in it (the valid ones are listed).

    """
    from ._gradebook import Gradebook

    with Gradebook(gradebook) as book:
        scores, checks = book.scores(), book.check_results()
    known = sorted(scores["assignment"].unique())
    if not known:
        raise ParameterError(f"the gradebook '{gradebook}' holds no graded submissions yet; run mopskit grade first")
    wanted = _names(assignments) or known
    unknown = [a for a in wanted if a not in known]
    if unknown:
        raise ParameterError(f"unknown assignment '{unknown[0]}' in 'assignments'; valid: {', '.join(known)}")
    return Cohort(
        scores[scores["assignment"].isin(wanted)].reset_index(drop=True),
        checks[checks["assignment"].isin(wanted)].reset_index(drop=True),
        wanted,
    )


def validate_parameters(values: dict[str, Any]) -> None:
    """The cohort report's validator: the gradebook exists and names the assignments asked for; a real day."""
    from .._validate import day

    if values.get("as_of"):
        day(values["as_of"], "as_of", function="cohort_report")
    gradebook = str(values.get("gradebook") or "")
    if not gradebook:
        return  # the demo cohort
    if "://" not in gradebook and not Path(gradebook).is_file():
        raise ParameterError(f"'gradebook' must be a gradebook file or a database URL (no file '{gradebook}')")
    threshold = values.get("help_below", 60)
    if not isinstance(threshold, int | float) or not 0 <= threshold <= 100:
        raise ParameterError(f"'help_below' must be a percentage between 0 and 100 (got {threshold!r})")
    load_cohort(gradebook, assignments=values.get("assignments") or None)


def exercise_pass_rates(checks: pd.DataFrame) -> pd.DataFrame:
    """Per assignment and exercise: how many trainees got it fully right, hardest first.

    >>> import pandas as pd
    >>> checks = pd.DataFrame({"trainee": ["a", "a", "b", "b"], "assignment": ["x"] * 4,
    ...     "exercise": ["q1", "q2", "q1", "q2"], "points": [1.0] * 4, "earned": [1.0, 0.0, 1.0, 1.0],
    ...     "passed": [True, False, True, True], "answered": [True] * 4})
    >>> exercise_pass_rates(checks)[["exercise", "pass_rate"]].to_dict("records")
    [{'exercise': 'q2', 'pass_rate': 50.0}, {'exercise': 'q1', 'pass_rate': 100.0}]
    """
    import pandas as pd

    per_trainee = checks.groupby(["assignment", "exercise", "trainee"]).agg(
        passed=("passed", "all"), answered=("answered", "any"), earned=("earned", "sum"), points=("points", "sum")
    )
    rates = per_trainee.groupby(["assignment", "exercise"]).agg(
        trainees=("passed", "size"),
        passed=("passed", "sum"),
        answered=("answered", "sum"),
        earned=("earned", "mean"),
        points=("points", "max"),
    )
    rates["pass_rate"] = (100 * rates["passed"] / rates["trainees"]).round(1)
    rates["answered_rate"] = (100 * rates["answered"] / rates["trainees"]).round(1)
    rates["earned"] = rates["earned"].round(2)
    rates = rates.reset_index().sort_values(["pass_rate", "assignment", "exercise"], kind="stable")
    columns = ["assignment", "exercise", "trainees", "passed", "pass_rate", "answered_rate", "earned", "points"]
    return pd.DataFrame(rates[columns]).reset_index(drop=True)


def common_failures(checks: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The checks answered-but-failed most often, with their hints (what to go over again in class)."""
    failed = checks[checks["answered"] & ~checks["passed"]]
    counted = (
        failed.groupby(["assignment", "exercise", "check"])
        .agg(failures=("trainee", "nunique"), hint=("hint", "first"), hidden=("hidden", "first"))
        .reset_index()
    )
    answered = checks[checks["answered"]].groupby(["assignment", "exercise", "check"])["trainee"].nunique()
    counted["share"] = [
        round(100 * f / answered.loc[(a, e, c)], 1)
        for a, e, c, f in zip(
            counted["assignment"], counted["exercise"], counted["check"], counted["failures"], strict=True
        )
    ]
    ordered = counted.sort_values(["failures", "share"], ascending=False, kind="stable").head(top)
    return ordered[["assignment", "exercise", "check", "failures", "share", "hint", "hidden"]].reset_index(drop=True)


def needs_help(scores: pd.DataFrame, *, below: float = 60.0) -> pd.DataFrame:
    """Trainees whose average score is under ``below`` percent, lowest first (with their answers to review)."""
    table = _per_trainee(scores)
    return table[table["average"] < below].sort_values(["average", "lowest"]).reset_index()


def waiting_for_review(scores: pd.DataFrame) -> pd.DataFrame:
    """Trainees with submissions whose free-text answers an instructor has not reviewed yet."""
    table = _per_trainee(scores)
    return table[table["to_review"] > 0].sort_values(["to_review", "average"], ascending=[False, True]).reset_index()


def _per_trainee(scores: pd.DataFrame) -> pd.DataFrame:
    table = scores.groupby("trainee").agg(
        name=("name", "first"),
        average=("percent", "mean"),
        lowest=("percent", "min"),
        assignments=("assignment", "nunique"),
        to_review=("status", lambda s: int((s == "needs_review").sum())),
    )
    table["average"] = table["average"].round(1)
    return table


def trainee_progress(scores: pd.DataFrame) -> pd.DataFrame:
    """Percent per trainee (rows) and assignment (columns, in lesson order)."""
    table = scores.pivot_table(index="trainee", columns="assignment", values="percent")
    table = table[sorted(table.columns)]
    table.columns.name = None
    return table


def summary_text(cohort: Cohort, *, below: float = 60.0) -> str:
    """The executive summary, in sentences."""
    scores = cohort.scores
    if scores.empty:
        return _("No graded submissions yet.")
    rates = exercise_pass_rates(cohort.checks)
    helped = needs_help(scores, below=below)
    lines = [
        _("{trainees} trainees, {assignments} assignment(s), {submissions} graded submissions.").format(
            trainees=scores["trainee"].nunique(), assignments=len(cohort.assignments), submissions=len(scores)
        ),
        _("The average score is {mean:.0f}% (median {median:.0f}%).").format(
            mean=scores["percent"].mean(), median=scores["percent"].median()
        ),
    ]
    if not rates.empty:
        hardest = rates.iloc[0]
        lines.append(
            _("The hardest exercise is {exercise} of {assignment}: {rate:.0f}% of trainees got it fully right.").format(
                exercise=hardest["exercise"], assignment=hardest["assignment"], rate=hardest["pass_rate"]
            )
        )
    to_review = int((scores["status"] == "needs_review").sum())
    if to_review:
        waiting = _("{n} submission(s) have free-text answers waiting for an instructor's review.")
        lines.append(waiting.format(n=to_review))
    lines.append(
        _("{n} trainee(s) may need help (average under {below:g}%).").format(n=len(helped), below=below)
        if len(helped)
        else _("No trainee averages under {below:g}%.").format(below=below)
    )
    return " ".join(lines)


def plot_scores(scores: pd.DataFrame) -> Any:
    """A histogram of scores (percent), one colour per assignment."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5))
    for assignment, group in scores.groupby("assignment"):
        ax.hist(group["percent"], bins=range(0, 110, 10), alpha=0.6, label=str(assignment))
    ax.set_xlabel(_("score (% of the points)"))
    ax.set_ylabel(_("trainees"))
    ax.set_xlim(0, 100)
    if scores["assignment"].nunique() > 1:
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_pass_rates(rates: pd.DataFrame, *, top: int = 15) -> Any:
    """Horizontal bars: the share of trainees who got each exercise right, hardest at the top."""
    import matplotlib.pyplot as plt

    shown = rates.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.2))
    several = rates["assignment"].nunique() > 1
    labels = [f"{a} · {e}" if several else e for a, e in zip(shown["assignment"], shown["exercise"], strict=True)]
    ax.barh(labels, shown["pass_rate"], color="#4c78a8")
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("% of trainees fully right"))
    fig.tight_layout()
    return fig


def plot_trainee_progress(table: pd.DataFrame) -> Any:
    """One line per trainee across assignments, and the cohort's average in bold."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5))
    positions = range(len(table.columns))
    for _trainee, row in table.iterrows():
        ax.plot(positions, row.to_numpy(), color="#bbb", linewidth=1, marker="o", markersize=3)
    ax.plot(positions, table.mean().to_numpy(), color="#d62728", linewidth=2.5, marker="o", label=_("cohort average"))
    ax.set_xticks(list(positions), [str(c) for c in table.columns], rotation=20, ha="right")
    ax.set_ylim(0, 105)
    ax.set_ylabel(_("score (%)"))
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


DEMO_ROLES = ("crm_admin", "campaign_manager", "data_analyst", "mops_manager", "automation_specialist")


def demo_gradebook(path: str | Path, *, trainees: int = 12, seed: int = 7) -> Path:
    """Write a gradebook of made-up results on the real lessons' checks, to preview the cohort report.

    Each made-up trainee has a skill level and a role (one of :data:`DEMO_ROLES`, from 2 March 2026); harder
    checks (hidden ones) pass less often. Lessons with data of their own per hire are graded on the trainee's
    variant, and half the trainees retake the capstone a week later on new data, so mastery shows.
    """
    from datetime import UTC, date, datetime, timedelta

    import numpy as np

    from .._resources import sources_dir
    from ._answer_key import load_checks
    from ._gradebook import CheckRow, Gradebook, GradedSubmission
    from ._release import lessons_dir
    from ._variants import has_variants, variant_seed

    rng = np.random.default_rng(seed)
    # the instructor's lessons in a checkout (hidden checks too); an installed kit has the released ones only
    lessons = sorted((sources_dir() or lessons_dir()).glob("[0-9][0-9]_*.ipynb"))
    people = ["ana", "bogdan", "chen", "dara", "eli", "farah", "goran", "hana", "ines", "jonas", "kai", "lin"]
    people += [f"trainee{n}" for n in range(len(people), trainees)]
    start = datetime(2026, 3, 2, tzinfo=UTC)

    def submit(book: Any, who: str, lesson: Path, exercises: dict[str, Any], when: Any, attempt: int) -> None:
        skill = 0.45 + 0.5 * ((people.index(who) * 37) % 11) / 10 + 0.03 * lessons.index(lesson) + 0.1 * (attempt - 1)
        rows = []
        for ex in exercises.values():
            answered = rng.random() < 0.93
            for check in ex.checks.values():
                passed = answered and rng.random() < skill - (0.2 if check.hidden else 0.0)
                rows.append(
                    CheckRow(
                        ex.id,
                        check.name,
                        check.points,
                        check.points if passed else 0.0,
                        bool(passed),
                        check.hidden,
                        answered,
                        ex.review and answered,
                        check.success if passed else (check.failure or "This check did not pass."),
                        "" if passed else check.hint,
                    )
                )
        status = "needs_review" if any(r.needs_review for r in rows) else "graded"
        variant = variant_seed(who, lesson.stem, attempt=attempt) if has_variants(lesson.stem) else None
        graded = GradedSubmission(
            who, lesson.stem, f"demo-{seed}-{attempt}", "(demo)", when, status, rows, title=lesson.stem
        )
        graded.variant_seed, graded.attempt = variant, (attempt if variant is not None else None)
        book.record(graded)
        if variant is not None:
            book.record_release(who, lesson.stem, attempt=attempt, seed=variant)

    with Gradebook(path) as book:
        for number, who in enumerate(people[:trainees]):
            book.enrol(who, role=DEMO_ROLES[number % len(DEMO_ROLES)], start=date(2026, 3, 2), name=who.title())
        for number, lesson in enumerate(lessons):
            exercises = load_checks(lesson)
            for who in people[:trainees]:
                when = start + timedelta(days=7 * number, hours=int(rng.integers(0, 48)))
                submit(book, who, lesson, exercises, when, 1)
                if lesson == lessons[-1] and people.index(who) % 2 == 0:  # a retake of the capstone, on new data
                    submit(book, who, lesson, exercises, when + timedelta(days=7), 2)
    return Path(path)


def demo_as_of() -> date:
    """The day the demo cohort is judged on: the day after its last submission (so its evidence is recent).

    >>> demo_as_of() > date(2026, 3, 2)
    True
    """
    from datetime import timedelta

    from .._resources import sources_dir
    from ._release import lessons_dir

    lessons = sorted((sources_dir() or lessons_dir()).glob("[0-9][0-9]_*.ipynb"))
    return date(2026, 3, 2) + timedelta(days=7 * (len(lessons) - 1) + 7 + 3)
