"""The plan builder: the six steps of a MOps strategy as forms, reviewed step by step as you fill them in."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .._html import escape
from ..i18n import _
from .exercises import WidgetExercise

__all__ = ["PLAN_ROWS", "plan_builder"]

PLAN_ROWS = {"stakeholders": 3, "goals": 2, "communication": 2, "steps": 3, "tasks": 4}


def plan_builder(
    exercise_id: str,
    *,
    title: str = "",
    rows: dict[str, int] | None = None,
    today: date | None = None,
    live: bool = False,
) -> WidgetExercise:
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

    """
    import ipywidgets as w

    from ..data import tables
    from ..strategy import STEP_TITLES, Plan, plan_options, review_plan, to_html, to_markdown

    sizes = {**PLAN_ROWS, **(rows or {})}
    options = plan_options()
    leaves: dict[tuple[str, ...], Any] = {}

    def text(path: tuple[str, ...], hint: str = "") -> Any:
        leaves[path] = w.Text(value="", placeholder=hint, layout=w.Layout(width="auto"))
        return leaves[path]

    def pick(path: tuple[str, ...], choices: list[str]) -> Any:
        leaves[path] = w.Dropdown(options=choices, value=None, layout=w.Layout(width="auto"))
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
                        ("due", _("Due (YYYY-MM-DD)"), "2026-12-15"), ("status", _("Status"), options["statuses"])]),
    ]  # fmt: skip
    review = w.HTML()
    review.add_class("mopskit-plan-review")
    export_md = w.Button(description=_("Save as Markdown"), icon="download")
    export_html = w.Button(description=_("Save as HTML"), icon="download")
    export_note = w.HTML()
    parts: list[Any] = []
    for number, (heading, section) in enumerate(zip(STEP_TITLES, sections, strict=True), 1):
        parts += [w.HTML(f"<h4>{number}. {escape(_(heading))}</h4>"), section]
    parts += [w.HTML(f"<h4>{escape(_('Review'))}</h4>"), review, w.HBox([export_md, export_html, export_note])]
    widget = WidgetExercise(exercise_id, w.VBox(parts), title=title, leaves=leaves, live=live)

    def plan() -> Plan:
        from ..errors import MopskitError

        try:
            return Plan.from_answer(widget.value or {})
        except MopskitError:
            return Plan()

    def refresh(_change: Any = None) -> None:
        review.value = review_plan(plan(), today=today)._repr_html_()

    def export(kind: str) -> Path:
        writer = to_markdown if kind == "md" else to_html
        path = Path(f"plan_{exercise_id}.{kind}")
        path.write_text(writer(plan(), today=today), encoding="utf-8")
        export_note.value = "<small>" + escape(_("Saved to {path}").format(path=path.resolve())) + "</small>"
        return path

    for leaf in leaves.values():
        leaf.observe(refresh, names="value")
    export_md.on_click(lambda _b: export("md"))
    export_html.on_click(lambda _b: export("html"))
    widget.plan, widget.export, widget.review = plan, export, review  # for notebooks and tests
    refresh()
    return widget
