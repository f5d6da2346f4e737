"""The goal builder: write a SMART goal from fields or by hand, and see the S-M-A-R-T verdict as you type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .._html import escape
from ..i18n import _
from .exercises import WidgetExercise, parse_number

__all__ = ["goal_builder"]


def _fields_to_goal(values: dict[str, Any], today: date | None) -> str:
    """Write the sentence from the builder's fields (a ParameterError says what is missing)."""
    from ..errors import ParameterError
    from ..goals import build_goal, parse_goal

    when = str(values.get("deadline") or "").strip()
    timing: dict[str, Any] = {}
    if when:
        read = parse_goal("by " + when if when[:1].isdigit() else when, today=today)
        if read.horizon_days is None or read.deadline is None:
            raise ParameterError(_("'{text}' is not a date or time frame; try 2027-03-31 or 'within 6 months'.").format(
                text=when
            ))  # fmt: skip
        if read.recurring or "within" in when.lower() or when.lower().startswith(("in ", "next")):
            timing["horizon_days"] = read.horizon_days
        else:
            timing["deadline"] = read.deadline
    amount = values.get("amount")
    if isinstance(amount, str):
        amount = parse_number(amount)
    scope = values.get("scope")
    return build_goal(
        metric=values.get("metric") or "",
        direction=values.get("direction") or "increase",
        amount=amount,
        scope=[scope] if scope else [],
        owner=values.get("owner") or None,
        **timing,
    )


def goal_builder(
    exercise_id: str,
    *,
    title: str = "",
    metrics: Sequence[str] | None = None,
    history: Any = None,
    today: date | None = None,
    live: bool = True,
) -> WidgetExercise:
    """A goal-writing exercise: fields (metric, direction, amount, deadline, owner, scope) and the sentence.

    Press **Write the sentence** to turn the fields into a well-formed goal, or type the sentence yourself;
    the S-M-A-R-T assessment (:func:`mopskit.goals.assess_goal`, against ``history`` when given) updates as you
    type, and with ``live`` the exercise's verdict too. The answer is a dict by field: ``{"sentence": ...,
    "metric": ..., "direction": ..., "amount": ..., "deadline": ..., "owner": ..., "scope": ...}``.

    Args:
        exercise_id: the exercise id.
        title: a few words shown in the verdict.
        metrics: the metric labels offered (default: every metric the kit knows).
        history: the metric's monthly history, for the attainability verdict.
        today: the day relative dates count from.
        live: check the answer on every change.

    """
    import ipywidgets as w

    from ..goals import assess_goal, goal_metrics
    from ..goals._vocab import scopes

    labels = list(metrics) if metrics else [m.label for m in goal_metrics().values()]
    wide = w.Layout(width="95%")
    sentence = w.Textarea(value="", placeholder=_("We will increase ... by ...% within ..."), layout=wide)
    metric = w.Dropdown(options=labels, value=None, layout=w.Layout(width="auto"))
    direction = w.Dropdown(options=["increase", "decrease", "maintain"], value=None, layout=w.Layout(width="auto"))
    amount = w.Text(value="", placeholder=_("e.g. 15"), layout=w.Layout(width="10em"))
    amount.add_class("mopskit-number")
    deadline = w.Text(value="", placeholder=_("2027-03-31 or within 6 months"), layout=w.Layout(width="auto"))
    owner = w.Text(value="", placeholder=_("e.g. Ana Pop"), layout=w.Layout(width="auto"))
    scope = w.Dropdown(options=sorted(scopes(), key=str.lower), value=None, layout=w.Layout(width="auto"))
    leaves = {
        ("metric",): metric,
        ("direction",): direction,
        ("amount",): amount,
        ("deadline",): deadline,
        ("owner",): owner,
        ("scope",): scope,
        ("sentence",): sentence,
    }
    rows = [
        (_("Metric"), metric),
        (_("Direction"), direction),
        (_("By how much (%)"), amount),
        (_("By when"), deadline),
        (_("Who delivers it"), owner),
        (_("Where (optional)"), scope),
    ]
    grid = w.GridBox(
        [item for label, leaf in rows for item in (w.HTML(f"<span>{escape(label)}</span>"), leaf)],
        layout=w.Layout(grid_template_columns="minmax(140px, 1fr) minmax(200px, 3fr)"),
    )
    write = w.Button(description=_("Write the sentence"), icon="pencil")
    write.add_class("mopskit-goal-write")
    note = w.HTML()
    assessment = w.HTML()
    assessment.add_class("mopskit-goal-assessment")
    shown = w.VBox([grid, w.HBox([write, note]), w.HTML(f"<b>{escape(_('Your goal'))}</b>"), sentence, assessment])
    widget = WidgetExercise(exercise_id, shown, title=title, leaves=leaves, live=live)

    def refresh(_change: Any = None) -> None:
        text = sentence.value.strip()
        assessment.value = assess_goal(text, history, today=today)._repr_html_() if text else ""

    def on_write(_button: Any = None) -> None:
        from ..errors import MopskitError

        values = {path[0]: leaf.value for path, leaf in leaves.items()}
        try:
            sentence.value = _fields_to_goal(values, today)
            note.value = ""
        except (MopskitError, ValueError) as exc:
            note.value = f"<small>{escape(str(exc))}</small>"

    sentence.observe(refresh, names="value")
    write.on_click(on_write)
    widget.write_button, widget.assessment, widget.note = write, assessment, note  # for tests and page classes
    refresh()
    return widget
