"""The plan builder: the six steps of a MOps strategy as forms, reviewed step by step as you fill them in."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._html import escape
from ..i18n import _, content_text
from .exercises import WidgetExercise, _options

if TYPE_CHECKING:
    from ..strategy import Plan

__all__ = ["PLAN_ROWS", "PlanBuilder", "plan_builder"]

PLAN_ROWS = {"stakeholders": 3, "goals": 2, "communication": 2, "steps": 3, "tasks": 4}


class PlanBuilder(WidgetExercise):
    """A plan-building exercise: a form per step, a live review per step, and export to Markdown or HTML.

    The answer is a dict by section and row (``{"tasks": {"1": {"title": ..., "owner": ..., "due": ...,
    "status": ...}}, ...}``), which :meth:`mopskit.strategy.Plan.from_answer` turns into a plan. It is saved as
    you type, so it survives a restart and travels inside the notebook to the grader.

    Args:
        exercise_id: the exercise id.
        title: a few words shown in the verdict.
        rows: how many rows each section offers (default :data:`PLAN_ROWS`).
        today: the day the plan is reviewed on (tasks past due); default: today.
        live: check the answer on every change.

    Attributes:
        review: the review of the plan as it stands, step by step, as HTML.
        export_note: where the last export was saved.

    """

    def __init__(
        self,
        exercise_id: str,
        *,
        title: str = "",
        rows: dict[str, int] | None = None,
        today: date | None = None,
        live: bool = False,
    ) -> None:
        import ipywidgets as w

        from ..data import tables
        from ..strategy import STEP_TITLES, plan_options

        sizes = {**PLAN_ROWS, **(rows or {})}
        options = plan_options()
        leaves: dict[tuple[str, ...], Any] = {}

        def text(path: tuple[str, ...], hint: str = "") -> Any:
            leaves[path] = w.Text(value="", placeholder=hint, layout=w.Layout(width="auto"))
            return leaves[path]

        def pick(path: tuple[str, ...], choices: list[str]) -> Any:
            leaves[path] = w.Dropdown(options=_options(choices, None), value=None, layout=w.Layout(width="auto"))
            return leaves[path]

        def table(section: str, columns: list[tuple[str, str, Any]]) -> Any:
            cells: list[Any] = [w.HTML("")] + [w.HTML(f"<b>{escape(label)}</b>") for _f, label, _c in columns]
            for row in range(1, sizes[section] + 1):
                cells.append(w.HTML(f"{row}."))
                for field, _label, choices in columns:
                    path = (section, str(row), field)
                    cells.append(pick(path, choices) if isinstance(choices, list) else text(path, choices))
            template = "2em " + " ".join("minmax(120px, 1fr)" for _c in columns)
            return w.GridBox(cells, layout=w.Layout(grid_template_columns=template))

        goals = [text(("goals", str(n)), _("a SMART goal sentence")) for n in range(1, sizes["goals"] + 1)]
        for box in goals:
            box.layout = w.Layout(width="95%")
        metric = w.GridBox(
            [
                w.HTML(f"<b>{escape(_('Metric'))}</b>"),
                pick(("metric", "name"), options["metrics"]),
                w.HTML(f"<b>{escape(_('How it is calculated'))}</b>"),
                text(("metric", "definition"), _("what is counted, divided by what, per month")),
                w.HTML(f"<b>{escape(_('Data'))}</b>"),
                pick(("metric", "source"), tables()),
            ],
            layout=w.Layout(grid_template_columns="minmax(140px, 1fr) minmax(240px, 3fr)"),
        )
        sections = [
            table("stakeholders", [("name", _("Stakeholder"), options["stakeholders"]),
                                   ("needs", _("What they need"), ""), ("sla", _("SLA: what, by when"), "")]),
            metric,
            w.VBox(goals),
            table("communication", [("audience", _("Who"), options["stakeholders"]),
                                    ("ask", _("What changes, how they can help"), ""),
                                    ("channel", _("Where"), options["channels"])]),
            table("steps", [("action", _("Action"), ""), ("owner", _("Owner"), options["owners"])]),
            table("tasks", [("title", _("Task"), ""), ("owner", _("Owner"), options["owners"]),
                            ("due", _("Due (YYYY-MM-DD)"), "2026-12-15"),
                            ("status", _("Status"), options["statuses"])]),
        ]  # fmt: skip
        self.review = w.HTML()
        self.review.add_class("mopskit-plan-review")
        export_md = w.Button(description=_("Save as Markdown"), icon="download")
        export_html = w.Button(description=_("Save as HTML"), icon="download")
        self.export_note = w.HTML()
        self.today = today
        parts: list[Any] = []
        for number, (heading, section) in enumerate(zip(STEP_TITLES, sections, strict=True), 1):
            parts += [w.HTML(f"<h4>{number}. {escape(content_text(heading))}</h4>"), section]
        parts += [w.HTML(f"<h4>{escape(_('Review'))}</h4>"), self.review]
        parts.append(w.HBox([export_md, export_html, self.export_note]))
        super().__init__(exercise_id, w.VBox(parts), title=title, leaves=leaves, live=live)
        for leaf in self.leaves.values():
            leaf.observe(self.refresh, names="value")
        export_md.on_click(lambda _b: self.export("md"))
        export_html.on_click(lambda _b: self.export("html"))
        self.refresh()

    def plan(self) -> Plan:
        """The plan as filled in so far (an empty plan while the form cannot be read as one)."""
        from ..errors import MopskitError
        from ..strategy import Plan

        try:
            return Plan.from_answer(self.value or {})
        except MopskitError:
            return Plan()

    def refresh(self, _change: Any = None) -> None:
        """Review the plan as it stands."""
        from ..strategy import review_plan

        self.review.value = review_plan(self.plan(), today=self.today)._repr_html_()

    def export(self, kind: str) -> Path:
        """Save the plan as ``plan_<exercise>.md`` or ``.html`` in the working folder (``kind``: md or html)."""
        from ..strategy import export_plan

        path = export_plan(self.plan(), f"plan_{self.exercise_id}.{kind}", today=self.today)
        self.export_note.value = "<small>" + escape(_("Saved to {path}").format(path=path.resolve())) + "</small>"
        return path


def plan_builder(exercise_id: str, **options: Any) -> PlanBuilder:
    """The plan-building exercise widget lessons show: a :class:`PlanBuilder` (the options are its own)."""
    return PlanBuilder(exercise_id, **options)
