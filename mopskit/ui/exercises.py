"""Exercise widgets: answer by clicking, press Check, get the verdict; the answer is saved as you go.

The answer is saved to the lesson's answer file on every change (so it survives a kernel restart) and shown
as an output of the widget's cell (so it is saved inside the notebook and reaches the grader). When the cell
runs again, the widget starts from the saved answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from ..assess._answers import ANSWER_MIME, current_lesson, read_answers, save_answer, to_jsonable
from ..assess._exercise import exercise
from ..i18n import _

_WIDGETS: dict[str, WidgetExercise] = {}


class WidgetExercise:
    """An exercise answered through one input widget, with a Check button and a feedback line.

    Attributes:
        input: the ipywidgets input the trainee answers with.
        button: the Check button.
        feedback: an HTML widget holding the latest verdict.

    """

    def __init__(self, exercise_id: str, input_widget: Any, *, title: str = "") -> None:
        import ipywidgets as w

        self.exercise_id = exercise_id
        self.lesson = current_lesson()
        self.exercise = exercise(exercise_id, title=title)
        self.input = input_widget
        self.button = w.Button(description=_("Check"), icon="check", button_style="primary")
        self.feedback = w.HTML()
        self.status = w.HTML()
        self._display_id = f"mopskit-answer-{self.lesson}-{exercise_id}-{uuid.uuid4().hex[:8]}"
        saved = read_answers(self.lesson).get(exercise_id)
        if saved is not None:
            self.restore(saved)
            self.status.value = f"<small>{_('Your saved answer is back.')}</small>"
        self.exercise.set_answer_source(lambda: self.value)
        self.input.observe(self._on_change, names="value")
        self.button.on_click(self._on_check)
        self.box = w.VBox([self.input, w.HBox([self.button, self.status]), self.feedback])
        _WIDGETS[exercise_id] = self

    @property
    def value(self) -> Any:
        """The current answer (``None`` when nothing is chosen)."""
        value = self.input.value
        return None if value in ((), "") else value

    @value.setter
    def value(self, new: Any) -> None:
        self.input.value = new

    def restore(self, saved: Any) -> None:
        """Put a saved answer back into the widget, ignoring one that no longer fits it."""
        options = getattr(self.input, "options", None)
        if options is not None:
            labels = [o[0] if isinstance(o, tuple) else o for o in options]
            if isinstance(saved, list):
                saved = tuple(s for s in saved if s in labels)
            elif saved not in labels:
                return
        try:
            self.input.value = saved
        except Exception:  # a saved value the widget rejects is ignored, never fatal
            return

    def _bundle(self) -> dict[str, Any]:
        answer = to_jsonable(self.value)
        shown = _("not answered yet") if answer is None else answer
        return {
            ANSWER_MIME: {"lesson": self.lesson, "exercise": self.exercise_id, "answer": answer},
            "text/plain": _("Saved answer to {id}: {answer}").format(id=self.exercise_id, answer=shown),
        }

    def _on_change(self, change: dict[str, Any]) -> None:
        save_answer(self.exercise_id, self.value, self.lesson)
        self.feedback.value = ""
        self.status.value = f"<small>{_('Saved.')}</small>"
        from IPython import get_ipython

        if get_ipython() is not None:  # in a kernel: refresh the answer saved inside the notebook
            from IPython.display import update_display

            update_display(self._bundle(), raw=True, display_id=self._display_id)

    def _on_check(self, _button: Any = None) -> None:
        self.feedback.value = self.exercise.run()._repr_html_()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)
        display(self._bundle(), raw=True, display_id=self._display_id)


def choice(exercise_id: str, options: Sequence[str], *, title: str = "", multiple: bool = False) -> WidgetExercise:
    """An exercise answered by picking one option (or several, with ``multiple=True``).

    Args:
        exercise_id: the exercise id, e.g. ``"q2"``.
        options: the labels to choose from.
        title: a few words shown in the verdict.
        multiple: let the trainee tick several options; the answer is then a tuple of labels.

    """
    import ipywidgets as w

    layout = w.Layout(width="max-content")
    if multiple:
        widget = w.SelectMultiple(options=list(options), rows=min(len(options), 8), layout=w.Layout(width="90%"))
    else:
        widget = w.RadioButtons(options=list(options), value=None, layout=layout)
    return WidgetExercise(exercise_id, widget, title=title)


def number(
    exercise_id: str, *, title: str = "", min: float = 0, max: float = 100, step: float = 1, unit: str = ""
) -> WidgetExercise:
    """An exercise answered with a number typed into a box.

    Args:
        exercise_id: the exercise id.
        title: a few words shown in the verdict.
        min: smallest value allowed.
        max: largest value allowed.
        step: increment of the arrows.
        unit: shown after the box, e.g. ``"%"``.

    """
    import ipywidgets as w

    widget = w.BoundedFloatText(value=None, min=min, max=max, step=step, description=unit)
    return WidgetExercise(exercise_id, widget, title=title)


def widget_for(exercise_id: str) -> WidgetExercise:
    """Return the widget of an exercise shown in this kernel (tests and graders use this)."""
    from ..errors import ExerciseError

    if exercise_id not in _WIDGETS:
        raise ExerciseError(f"no widget for exercise '{exercise_id}'; run the cell that shows it first")
    return _WIDGETS[exercise_id]
