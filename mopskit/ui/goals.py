"""The goal builder: write a SMART goal from fields or by hand, and see the S-M-A-R-T verdict as you type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .._html import escape
from ..i18n import _
from .exercises import WidgetExercise, _options

__all__ = ["GoalBuilder", "goal_builder"]


class GoalBuilder(WidgetExercise):
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

    Attributes:
        write_button: the **Write the sentence** button.
        assessment: the S-M-A-R-T assessment of the sentence, as HTML.
        note: why the fields could not be written as a sentence, when they could not.

    """

    def __init__(
        self,
        exercise_id: str,
        *,
        title: str = "",
        metrics: Sequence[str] | None = None,
        history: Any = None,
        today: date | None = None,
        live: bool = True,
    ) -> None:
        import ipywidgets as w

        from ..goals import goal_metrics, scopes

        labels = list(metrics) if metrics else [m.label for m in goal_metrics().values()]
        wide = w.Layout(width="95%")
        self.sentence = w.Textarea(value="", placeholder=_("We will increase ... by ...% within ..."), layout=wide)
        metric = w.Dropdown(options=_options(labels, None), value=None, layout=w.Layout(width="auto"))
        directions = _options(["increase", "decrease", "maintain"], None)  # shown translated, the values English
        direction = w.Dropdown(options=directions, value=None, layout=w.Layout(width="auto"))
        amount = w.Text(value="", placeholder=_("e.g. 15"), layout=w.Layout(width="10em"))
        amount.add_class("mopskit-number")
        deadline = w.Text(value="", placeholder=_("2027-03-31 or within 6 months"), layout=w.Layout(width="auto"))
        owner = w.Text(value="", placeholder=_("e.g. Ana Pop"), layout=w.Layout(width="auto"))
        places = _options(sorted(scopes(), key=str.lower), None)
        scope = w.Dropdown(options=places, value=None, layout=w.Layout(width="auto"))
        leaves: dict[tuple[str, ...], Any] = {
            ("metric",): metric,
            ("direction",): direction,
            ("amount",): amount,
            ("deadline",): deadline,
            ("owner",): owner,
            ("scope",): scope,
            ("sentence",): self.sentence,
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
        self.write_button = w.Button(description=_("Write the sentence"), icon="pencil")
        self.write_button.add_class("mopskit-goal-write")
        self.note = w.HTML()
        self.assessment = w.HTML()
        self.assessment.add_class("mopskit-goal-assessment")
        self.history, self.today = history, today
        heading = w.HTML(f"<b>{escape(_('Your goal'))}</b>")
        shown = w.VBox([grid, w.HBox([self.write_button, self.note]), heading, self.sentence, self.assessment])
        super().__init__(exercise_id, shown, title=title, leaves=leaves, live=live)
        self.sentence.observe(self.refresh, names="value")
        self.write_button.on_click(self.write)
        self.refresh()

    def refresh(self, _change: Any = None) -> None:
        """Assess the sentence as it stands."""
        from ..goals import assess_goal

        text = self.sentence.value.strip()
        self.assessment.value = assess_goal(text, self.history, today=self.today)._repr_html_() if text else ""

    def write(self, _button: Any = None) -> None:
        """Write the sentence from the fields (:func:`mopskit.goals.goal_from_fields`), or say what is missing."""
        from ..errors import MopskitError
        from ..goals import goal_from_fields

        fields = {path[0]: leaf.value for path, leaf in self.leaves.items() if path != ("sentence",)}
        try:
            self.sentence.value = goal_from_fields(fields, today=self.today)
            self.note.value = ""
        except MopskitError as exc:
            self.note.value = f"<small>{escape(str(exc))}</small>"


def goal_builder(exercise_id: str, **options: Any) -> GoalBuilder:
    """The goal-writing exercise widget lessons show: a :class:`GoalBuilder` (the options are its own)."""
    return GoalBuilder(exercise_id, **options)
