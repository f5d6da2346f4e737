"""The six-step MOps strategy plan as data: plain dataclasses that travel as JSON (a saved answer, a file)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

from ..content import load_yaml
from ..errors import ParameterError

__all__ = ["STATUSES", "STEP_TITLES", "Message", "MetricDef", "Plan", "Stakeholder", "Step", "Task"]

STATUSES = ("not started", "in progress", "done", "blocked")
STEP_TITLES = tuple(step["name"] for step in load_yaml("strategy_plans")["six_steps"]["steps"])


@dataclass
class Stakeholder:
    """Who the strategy serves, what they need, and the internal SLA (the deliverable they can count on)."""

    name: str = ""
    needs: str = ""
    sla: str = ""


@dataclass
class MetricDef:
    """The metric that tells whether the strategy works, how it is calculated, and which table holds it."""

    name: str = ""
    definition: str = ""
    source: str = ""


@dataclass
class Message:
    """What affected colleagues are told, and how they can help refine the strategy."""

    audience: str = ""
    ask: str = ""
    channel: str = ""


@dataclass
class Step:
    """An actionable step, with the person who owns it."""

    action: str = ""
    owner: str = ""


@dataclass
class Task:
    """A task assigned to one person, due on a day, with a status (ticked off in one shared place)."""

    title: str = ""
    owner: str = ""
    due: date | None = None
    status: str = ""


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _due(value: Any) -> date | None:
    """Read a due date: a date, ``YYYY-MM-DD``, or a date in words ("15 December 2026"); ``None`` otherwise."""
    if value is None or isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        from ..goals import parse_goal

        return parse_goal("by " + text, today=date(2000, 1, 1)).deadline


def _rows(value: Any) -> list[Any]:
    """Rows of a plan section: a list, or a dict keyed "1", "2"... (a widget's answer), in key order."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [value[k] for k in sorted(value, key=lambda k: (len(str(k)), str(k)))]
    if isinstance(value, list | tuple):
        return list(value)
    raise ParameterError(f"a plan section must be a list or a dict of rows (got {type(value).__name__})")


def _filled(row: Any) -> bool:
    if isinstance(row, dict):
        return any(_text(v) for v in row.values())
    return bool(_text(row))


@dataclass
class Plan:
    """A MOps strategy plan in six steps.

    The steps: stakeholders and SLAs, the metric, SMART goals, how colleagues can help, actionable steps, and
    tasks with owners, due dates and status.

    Serialize with :meth:`to_dict` / :meth:`from_dict` (plain JSON data); build from a plan-builder widget's
    answer with :meth:`from_answer`. Check it with :func:`mopskit.strategy.review_plan`, track it with
    :func:`mopskit.strategy.plan_progress`, export with :func:`mopskit.strategy.to_markdown` / ``to_html``.

    >>> plan = Plan(title="Demo", tasks=[Task("Audit workflows", "Ana Pop", date(2026, 12, 1), "done")])
    >>> Plan.from_dict(plan.to_dict()) == plan
    True
    """

    title: str = ""
    stakeholders: list[Stakeholder] = field(default_factory=list)
    metric: MetricDef = field(default_factory=MetricDef)
    goals: list[str] = field(default_factory=list)
    communication: list[Message] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain JSON data (dates as ``YYYY-MM-DD``)."""
        data = asdict(self)
        for task in data["tasks"]:
            task["due"] = task["due"].isoformat() if task["due"] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """Build a plan from :meth:`to_dict`'s data (or a hand-written dict with the same keys).

        Raises:
            ParameterError: an unknown key; the message lists the valid ones.

        """
        if not isinstance(data, dict):
            raise ParameterError(f"a plan must be a dict (got {type(data).__name__})")
        valid = ("title", "stakeholders", "metric", "goals", "communication", "steps", "tasks")
        unknown = [k for k in data if k not in valid]
        if unknown:
            raise ParameterError(f"unknown plan section '{unknown[0]}'; valid: {', '.join(valid)}")

        def build(kind: type, row: Any) -> Any:
            if not isinstance(row, dict):
                raise ParameterError(f"each {kind.__name__.lower()} must be a dict of fields (got {row!r})")
            names = [f.name for f in fields(kind)]
            extra = [k for k in row if k not in names]
            if extra:
                raise ParameterError(f"unknown {kind.__name__.lower()} field '{extra[0]}'; valid: {', '.join(names)}")
            values = {k: _due(row.get(k)) if k == "due" else _text(row.get(k)) for k in names}
            return kind(**values)

        return cls(
            title=_text(data.get("title")),
            stakeholders=[build(Stakeholder, r) for r in _rows(data.get("stakeholders")) if _filled(r)],
            metric=build(MetricDef, data.get("metric") or {}),
            goals=[_text(g) for g in _rows(data.get("goals")) if _filled(g)],
            communication=[build(Message, r) for r in _rows(data.get("communication")) if _filled(r)],
            steps=[build(Step, r) for r in _rows(data.get("steps")) if _filled(r)],
            tasks=[build(Task, r) for r in _rows(data.get("tasks")) if _filled(r)],
        )

    @classmethod
    def from_answer(cls, answer: Any, *, title: str = "") -> Plan:
        """Build a plan from a plan-builder widget's answer (sections of rows keyed "1", "2"...; empty rows skipped).

        >>> answer = {"steps": {"1": {"action": "Clean the lists", "owner": "Priya Nair"}, "2": {"action": None}}}
        >>> Plan.from_answer(answer).steps
        [Step(action='Clean the lists', owner='Priya Nair')]
        """
        if answer is None:
            return cls(title=title)
        if not isinstance(answer, dict):
            raise ParameterError(f"a plan answer must be a dict of plan sections (got {type(answer).__name__})")
        data = dict(answer)
        data.setdefault("title", title)
        return cls.from_dict(data)

    def to_answer(self, rows: dict[str, int] | None = None) -> dict[str, Any]:
        """The plan as a plan-builder widget holds it (rows keyed "1", "2"...), padded to ``rows`` per section."""
        data = self.to_dict()
        answer: dict[str, Any] = {"metric": data["metric"]}
        for section in ("stakeholders", "goals", "communication", "steps", "tasks"):
            items = data[section]
            size = max(len(items), (rows or {}).get(section, 0))
            answer[section] = {str(i + 1): items[i] if i < len(items) else None for i in range(size)}
        return answer
