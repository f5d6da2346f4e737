"""Which facts the lessons teach and assess, and which competencies their exercises give evidence of.

A fact is **taught** by a lesson when the lesson shows it to the trainee, in one of two ways that a list of ids
alone cannot fake:

- a code cell (not a checks or solution cell) calls a kit function that renders facts with their sentence and
  source: ``facts_table("mops_reports_to")``, ``figures_table([...])`` (the facts whose figures it shows) or
  ``problems_table()``;
- a Markdown cell names the fact in its metadata (``{"mopskit": {"facts": ["solo_mops_share"]}}``) **and** its
  text shows the fact: every number of it in a usual format (25%, 250,000, 250 000...) and its evidence words.

A fact is **assessed** when an exercise declares it (``exercise("q1", facts=[...], competency=...)`` in the
exercise's checks cell). :func:`fact_coverage` reads lessons and reports both, with the competencies that no
exercise assesses and the exercises that name no competency.
"""

from __future__ import annotations

import ast
import fnmatch
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..facts import facts as all_facts
from ..facts import leaf_competencies, select, shows
from ._release import _HIDDEN, _LEFTOVER, _PUBLIC

__all__ = ["ExerciseTags", "FactCoverage", "exercise_tags", "fact_coverage", "facts_assessed", "facts_taught"]

# Kit functions whose output states facts in full (sentence and source); tests check each one's output shows
# the evidence of every fact it is credited with here.
_FIXED_RENDERERS = {"problems_table": ("problem_*",)}


def _literal_ids(node: ast.Call, keyword: str) -> list[str] | None:
    """The string ids a call passes (first argument or ``keyword=``); ``None`` when it passes none."""
    arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == keyword), None)
    if arg is None:
        return None
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.List | ast.Tuple):
        return [e.value for e in arg.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _figure_facts(figure_ids: list[str] | None) -> list[str]:
    """The facts whose figures a figures table shows (all figures when ``None``), quoted figures included."""
    import string

    from ..content import load_yaml

    raw = load_yaml("figures")
    shown = set(raw) if figure_ids is None else {i for i in figure_ids if i in raw}
    for fid in list(shown):
        shown |= {n for _, n, _, _ in string.Formatter().parse(raw[fid]["statement"]) if n and n in raw}
    taught = []
    for f in all_facts():
        figures = [r.partition(":")[2] for r in f.refs if r.startswith("figures:")]
        if figures and len(figures) == len(f.refs) and set(figures) <= shown:
            taught.append(f.id)
    return taught


def _rendered(source: str) -> list[str]:
    """The facts a code cell renders through the kit's fact functions."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name == "facts_table":
            ids = _literal_ids(node, "ids") or []
            known = [f.id for f in all_facts()]
            found += [k for pattern in ids for k in known if fnmatch.fnmatchcase(k, pattern)]
        elif name == "figures_table":
            found += _figure_facts(_literal_ids(node, "ids"))
        elif name in _FIXED_RENDERERS:
            found += select(_FIXED_RENDERERS[name])
    return found


def _text(cell: Any) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else str(cell["source"])


def facts_taught(notebook: str | Path) -> tuple[dict[str, list[str]], list[str]]:
    """Return the facts a lesson teaches (fact id → the cells that show it) and the problems found.

    A problem is a Markdown cell that names a fact in its metadata without showing it, or names an unknown fact.
    """
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    known = {f.id: f for f in all_facts()}
    taught: dict[str, list[str]] = {}
    problems: list[str] = []
    for index, cell in enumerate(nb["cells"]):
        text, where = _text(cell), f"{Path(notebook).stem}, cell {index}"
        if cell["cell_type"] == "code":
            first = text.lstrip().splitlines()[0] if text.strip() else ""
            if _PUBLIC.match(first) or _HIDDEN.match(first) or _LEFTOVER.search(text):
                continue
            for fact_id in _rendered(text):
                taught.setdefault(fact_id, []).append(where)
        elif cell["cell_type"] == "markdown":
            for fact_id in (cell.get("metadata", {}).get("mopskit", {}) or {}).get("facts", []):
                if fact_id not in known:
                    problems.append(f"{where} names an unknown fact '{fact_id}'")
                    continue
                missing = shows(text, known[fact_id])
                if missing:
                    problems.append(f"{where} names '{fact_id}' but does not show {', '.join(map(repr, missing))}")
                else:
                    taught.setdefault(fact_id, []).append(where)
    return taught, problems


@dataclass(frozen=True)
class ExerciseTags:
    """What one exercise declares it assesses."""

    lesson: str
    exercise: str
    facts: tuple[str, ...]
    competencies: tuple[str, ...]

    @property
    def label(self) -> str:
        """``lesson:exercise``, e.g. ``01_what_is_mops:q2``."""
        return f"{self.lesson}:{self.exercise}"


def facts_assessed(notebook: str | Path) -> list[ExerciseTags]:
    """Return what each exercise of a source lesson declares it assesses (its checks cells are run to find out)."""
    from ._answer_key import load_checks

    lesson = Path(notebook).stem
    return [ExerciseTags(lesson, ex_id, ex.facts, ex.competencies) for ex_id, ex in load_checks(notebook).items()]


def _tag_ids(node: ast.expr) -> tuple[str, ...]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.List | ast.Tuple):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


def exercise_tags(notebook: str | Path) -> list[ExerciseTags]:
    """Return what each exercise of a lesson declares it assesses, read from its checks cells without running them.

    The same answer as :func:`facts_assessed` (a test holds them to it) in milliseconds, for a released copy too
    (its public checks cells keep the declarations): onboarding paths and mastery read lessons this way. Only
    literal ids count (``competency="metrics.email"``, ``facts=["a", "b"]``), as the lessons write them.
    """
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    lesson = Path(notebook).stem
    found: dict[str, tuple[list[str], list[str]]] = {}
    for cell in nb["cells"]:
        text = _text(cell)
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        if cell["cell_type"] != "code" or not (_PUBLIC.match(first) or _HIDDEN.match(first)):
            continue
        try:
            tree = ast.parse("\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("%", "!"))))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "exercise" and node.args):
                continue
            first_arg = node.args[0]
            if not (isinstance(first_arg, ast.Constant) and isinstance(first_arg.value, str)):
                continue
            facts, skills = found.setdefault(first_arg.value, ([], []))
            for keyword in node.keywords:
                target = facts if keyword.arg == "facts" else skills if keyword.arg == "competency" else None
                if target is not None:
                    target += [i for i in _tag_ids(keyword.value) if i not in target]
    return [ExerciseTags(lesson, ex_id, tuple(f), tuple(c)) for ex_id, (f, c) in found.items()]


@dataclass
class FactCoverage:
    """What a set of lessons teaches and assesses.

    Attributes:
        taught: fact id → the lesson cells that show it.
        assessed: fact id → the exercises (``lesson:qN``) that assess it.
        exercises: every exercise, with the facts and competencies it declares.
        problems: Markdown cells that name a fact without showing it.

    """

    taught: dict[str, list[str]] = field(default_factory=dict)
    assessed: dict[str, list[str]] = field(default_factory=dict)
    exercises: list[ExerciseTags] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def untaught(self) -> list[str]:
        """Facts no lesson shows."""
        return [f.id for f in all_facts() if not self.taught.get(f.id)]

    @property
    def unassessed(self) -> list[str]:
        """Facts no exercise assesses."""
        return [f.id for f in all_facts() if not self.assessed.get(f.id)]

    @property
    def taught_share(self) -> float:
        """Share of the registry's facts that some lesson shows (0 to 1)."""
        return 1 - len(self.untaught) / len(all_facts())

    @property
    def assessed_share(self) -> float:
        """Share of the registry's facts that some exercise assesses (0 to 1)."""
        return 1 - len(self.unassessed) / len(all_facts())

    @property
    def without_competency(self) -> list[str]:
        """Exercises that name no competency."""
        return [e.label for e in self.exercises if not e.competencies]

    @property
    def unassessed_competencies(self) -> list[str]:
        """Leaf competencies that no exercise gives evidence of."""
        named = {c for e in self.exercises for c in e.competencies}
        return [c.id for c in leaf_competencies() if c.id not in named]

    def __str__(self) -> str:
        total = len(all_facts())
        lines = [
            f"facts taught: {total - len(self.untaught)} of {total} ({self.taught_share:.0%})",
            f"facts assessed: {total - len(self.unassessed)} of {total} ({self.assessed_share:.0%})",
        ]
        if self.untaught:
            lines.append("not taught: " + ", ".join(self.untaught))
        if self.unassessed:
            lines.append("not assessed: " + ", ".join(self.unassessed))
        if self.without_competency:
            lines.append("exercises with no competency: " + ", ".join(self.without_competency))
        if self.unassessed_competencies:
            lines.append("competencies no exercise assesses: " + ", ".join(self.unassessed_competencies))
        lines += [f"problem: {p}" for p in self.problems]
        return "\n".join(lines)


def fact_coverage(notebooks: Iterable[str | Path]) -> FactCoverage:
    """Report which facts the lessons teach and assess, and which competencies their exercises cover.

    Args:
        notebooks: source lessons (with their checks cells).

    """
    result = FactCoverage()
    for notebook in notebooks:
        taught, problems = facts_taught(notebook)
        for fact_id, cells in taught.items():
            result.taught.setdefault(fact_id, []).extend(cells)
        result.problems += problems
        for tags in facts_assessed(notebook):
            result.exercises.append(tags)
            for fact_id in tags.facts:
                result.assessed.setdefault(fact_id, []).append(tags.label)
    return result
