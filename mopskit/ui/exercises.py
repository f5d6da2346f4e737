"""Exercise widgets: answer by clicking, press Check, get the verdict; the answer is saved as you go.

The answer is saved to the lesson's answer file on every change (so it survives a kernel restart) and shown
as an output of the widget's cell (so it is saved inside the notebook and reaches the grader). When the cell
runs again, the widget starts from the saved answer.

Every kind of exercise widget is a :class:`WidgetExercise` with one or more *leaves*: the input controls a
trainee fills (a radio group, a number box, one dropdown per row...). Each leaf has a *path*, the keys that
lead to its value in the answer: a one-control widget has the path ``()`` and its answer is that control's
value; :func:`match` has a leaf per item, ``(item,)``, and its answer is ``{item: option}``; :func:`grid` has a
leaf per cell, ``(row, column)``, and its answer is ``{row: {column: option}}``. A new kind only builds its
controls and passes them as ``leaves``: saving, restoring, checking and the page classes come with the base.

In the page, the widget's box has the CSS classes ``mopskit-exercise`` and ``mopskit-ex-<id>``, and each leaf
has ``mopskit-leaf`` and :func:`leaf_class` of its path, so a browser test can answer any kind of exercise
from the answer alone (:func:`mopskit.assess.flatten_answer`). A leaf that offers options also carries
:func:`option_class` of each option's value and place, so the test picks an option by its value, whatever
language its label is shown in.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from .._html import escape
from .._session import SESSION, in_app_mode
from ..assess import (
    ANSWER_MIME,
    LeafPath,
    current_lesson,
    exercise,
    flatten_answer,
    read_answers,
    save_answer,
    to_jsonable,
    unflatten_answer,
)
from ..i18n import _, content_text
from ..present import answer_text, parse_number

__all__ = [
    "WidgetExercise",
    "choice",
    "exercise_class",
    "grid",
    "leaf_class",
    "match",
    "number",
    "option_class",
    "text",
    "widget_for",
]


def leaf_class(path: LeafPath) -> str:
    """The CSS class that marks the leaf at ``path`` in the page (stable, whatever characters the keys hold).

    >>> leaf_class(())
    'mopskit-leaf-root'
    >>> leaf_class(("Design, run and optimize/test campaigns",)).startswith("mopskit-leaf-")
    True
    """
    if not path:
        return "mopskit-leaf-root"
    digest = hashlib.sha1(json.dumps(list(path), ensure_ascii=False).encode("utf-8"), usedforsecurity=False)
    return "mopskit-leaf-" + digest.hexdigest()[:12]


def option_class(index: int, value: Any) -> str:
    """The CSS class that says which value the option at ``index`` of a leaf stands for (its label may differ).

    >>> option_class(0, "Email") == option_class(0, "Email") != option_class(1, "Email")
    True
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
    return f"mopskit-option-{index}-{digest}"


def _mark_options(leaf: Any) -> None:
    """Give a leaf one :func:`option_class` per option it offers, replacing those of its former options."""
    classes = [c for c in leaf._dom_classes if not c.startswith("mopskit-option-")]
    values = [o[1] if isinstance(o, tuple) else o for o in getattr(leaf, "options", ())]
    leaf._dom_classes = (*classes, *(option_class(i, v) for i, v in enumerate(values)))


def exercise_class(exercise_id: str) -> str:
    """The CSS class of an exercise's widget box in the page.

    >>> exercise_class("q2")
    'mopskit-ex-q2'
    """
    return f"mopskit-ex-{exercise_id}"


def _empty(value: Any) -> bool:
    return value is None or value == () or value == ""


def _read_leaf(leaf: Any) -> Any:
    value = leaf.value
    if "mopskit-number" in leaf._dom_classes:  # a number typed as text: read it as people write numbers
        try:
            return parse_number(value)
        except ValueError:
            return value  # not a number: the checks say so, in words
    return None if _empty(value) else value


class WidgetExercise:
    """An exercise answered through input widgets, with a Check button and a feedback line.

    Args:
        exercise_id: the exercise, e.g. ``"q2"``.
        input_widget: what is shown above the Check button: the one input, or a container of several.
        title: a few words shown in the verdict.
        leaves: the inputs the trainee fills, by path (see the module's docstring); default: the input itself.
        live: check the answer on every change and show the verdict at once, as well as on Check.

    Attributes:
        input: the widget shown for answering.
        leaves: the input controls by path.
        button: the Check button.
        feedback: an HTML widget holding the latest verdict.

    """

    def __init__(
        self,
        exercise_id: str,
        input_widget: Any,
        *,
        title: str = "",
        leaves: Mapping[LeafPath, Any] | None = None,
        live: bool = False,
    ) -> None:
        import ipywidgets as w

        self.exercise_id = exercise_id
        self.lesson = current_lesson()
        self.exercise = exercise(exercise_id, title=title)
        self.input = input_widget
        self.leaves: dict[LeafPath, Any] = dict(leaves) if leaves else {(): input_widget}
        self.live = live
        self.button = w.Button(description=_("Check"), icon="check", button_style="primary")
        self.button.add_class("mopskit-check")
        self.feedback = w.HTML()
        self.feedback.add_class("mopskit-feedback")
        self.status = w.HTML()
        self._display_id = f"mopskit-answer-{self.lesson}-{exercise_id}-{uuid.uuid4().hex[:8]}"
        for path, leaf in self.leaves.items():
            leaf.add_class("mopskit-leaf")
            leaf.add_class(leaf_class(path))
            if getattr(leaf, "options", None) is not None:
                _mark_options(leaf)
                leaf.observe(lambda change: _mark_options(change["owner"]), names="options")
        saved = read_answers(self.lesson).get(exercise_id)
        if saved is not None:
            self.restore(saved)
            self.status.value = f"<small>{_('Your saved answer is back.')}</small>"
        self.exercise.set_answer_source(lambda: self.value)
        self.exercise.quiet_check = in_app_mode()  # a check() cell's output would go stale beside the widget's
        for leaf in self.leaves.values():
            leaf.observe(self._on_change, names="value")
        self.button.on_click(self._on_check)
        self.box = w.VBox([self.input, w.HBox([self.button, self.status]), self.feedback])
        self.box.add_class("mopskit-exercise")
        self.box.add_class(exercise_class(exercise_id))
        SESSION.widgets[exercise_id] = self
        if live and saved is not None:
            self._on_check()

    @property
    def value(self) -> Any:
        """The current answer: ``None`` when nothing is filled in; a dict by leaf for many-leaf widgets."""
        values = {path: _read_leaf(leaf) for path, leaf in self.leaves.items()}
        if all(v is None for v in values.values()):
            return None
        return unflatten_answer(values)

    @value.setter
    def value(self, new: Any) -> None:
        self.fill(new)

    def fill(self, answer: Any) -> None:
        """Put an answer into the leaves, as a trainee would by clicking and typing (misfit values leave it empty)."""
        given = flatten_answer(answer) if answer is not None else {}
        for path, leaf in self.leaves.items():
            self._set_leaf(leaf, given.get(path))

    def restore(self, saved: Any) -> None:
        """Put a saved answer back into the widget, ignoring any part that no longer fits it."""
        self.fill(saved)

    @staticmethod
    def _set_leaf(leaf: Any, value: Any) -> None:
        if "mopskit-number" in leaf._dom_classes:
            leaf.value = "" if value is None else _number_text(value) if isinstance(value, int | float) else str(value)
            return
        options = getattr(leaf, "options", None)
        if options is not None:
            values = [o[1] if isinstance(o, tuple) else o for o in options]  # (label shown, value) pairs
            if isinstance(value, list | tuple):
                value = tuple(v for v in value if v in values)
            elif value is not None and value not in values:
                value = None
        current = getattr(leaf, "value", None)
        if value is None and isinstance(current, str) and options is None:  # text boxes hold "" when empty
            value = ""
        if value is None and isinstance(current, tuple):  # multiple choice holds () when empty
            value = ()
        try:
            leaf.value = value
        except Exception:  # a saved value the widget rejects is ignored, never fatal
            return

    def _bundle(self) -> dict[str, Any]:
        answer = to_jsonable(self.value)
        shown = _("not answered yet") if answer is None else answer_text(answer)
        if isinstance(answer, float):
            shown = _number_text(answer)  # 11, as typed; not 11.0
        line = _("Saved answer to {id}: {answer}").format(id=self.exercise_id, answer=shown)
        if in_app_mode():  # the page is never saved, and a copy of the answer would go stale beside the verdict
            line = ""
        return {
            ANSWER_MIME: {"lesson": self.lesson, "exercise": self.exercise_id, "answer": answer},
            "text/plain": line,
        }

    def _on_change(self, change: dict[str, Any]) -> None:
        save_answer(self.exercise_id, self.value, self.lesson)
        self.feedback.value = ""
        self.status.value = f"<small>{_('Saved.')}</small>"
        for leaf in self.leaves.values():
            if "mopskit-number" in leaf._dom_classes and isinstance(_read_leaf(leaf), str):
                advice = _("'{text}' is not a number: type digits, like 12.5").format(text=leaf.value)
                self.status.value = f"<small>{escape(advice)}</small>"
        if self.live:
            self._on_check()
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


def _shown(text: Any, labels: Mapping[str, str] | None) -> str:
    """What a trainee reads for an option or row: its label in ``labels``, else its translation, else itself.

    The translation comes from the content catalog (a name of the content files) or the kit's own (a word such as
    a SMART criterion); the value behind it stays the option itself.

    >>> _shown("Email", {"Email": "E-mail"}), _shown("Email", None)
    ('E-mail', 'Email')
    """
    text = str(text)
    if labels and text in labels:
        return labels[text]
    shown = content_text(text)
    return shown if shown != text else _(text)  # an option that is one of the kit's words (e.g. "Specific")


def _row(item: Any, labels: Mapping[str, str] | None) -> str:
    """An item as HTML: what :func:`_shown` gives, escaped, its English kept as written shown as a quotation.

    A translation that begins with the English as written, then gives its own words, keeps English the kit
    reads as data (a goal sentence): that English is quoted (``<q>``), the rest is prose.

    >>> _row("Grow MQLs.", {"Grow MQLs.": "Grow MQLs. (croissance)"}), _row("a < b", None)
    ('<q>Grow MQLs.</q> (croissance)', 'a &lt; b')
    """
    shown, english = _shown(item, labels), str(item)
    if shown != english and shown.startswith(english):
        return f"<q>{escape(english)}</q>{escape(shown[len(english) :])}"
    return escape(shown)


def _options(options: Sequence[Any], labels: Mapping[str, str] | None) -> list[Any]:
    """Options as ``(label shown, value)`` pairs when any label differs from its value, else as they are.

    (All pairs or none: ipywidgets reads a list that mixes them as plain options.)

    >>> _options(["Email", "Ads"], {"Ads": "Reclame"}), _options(["Email"], None)
    ([('Email', 'Email'), ('Reclame', 'Ads')], ['Email'])
    """
    shown = [_shown(o, labels) for o in options]
    if all(label == str(o) for label, o in zip(shown, options, strict=True)):
        return list(options)
    return list(zip(shown, options, strict=True))


def choice(
    exercise_id: str,
    options: Sequence[str],
    *,
    title: str = "",
    multiple: bool = False,
    labels: Mapping[str, str] | None = None,
) -> WidgetExercise:
    """An exercise answered by picking one option (or several, with ``multiple=True``).

    Args:
        exercise_id: the exercise id, e.g. ``"q2"``.
        options: the labels to choose from.
        title: a few words shown in the verdict.
        multiple: let the trainee tick several options; the answer is then a tuple of labels.
        labels: what to show for some options (a lesson in another language passes its translations); the
            answer stays the option itself, so it means the same in every language.

    """
    import ipywidgets as w

    shown = _options(options, labels)
    if multiple:
        widget = w.SelectMultiple(options=shown, rows=min(len(options), 8), layout=w.Layout(width="90%"))
    else:
        widget = w.RadioButtons(options=shown, value=None, layout=w.Layout(width="max-content"))
    return WidgetExercise(exercise_id, widget, title=title)


def _number_text(value: float) -> str:
    """A number as a trainee would type it: every digit kept (unlike ``%g``), no needless ``.0``.

    >>> [_number_text(v) for v in [7, 7.0, 12.5, 1234567.5]]
    ['7', '7', '12.5', '1234567.5']
    """
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def number(
    exercise_id: str, *, title: str = "", min: float | None = None, max: float | None = None, unit: str = ""
) -> WidgetExercise:
    """An exercise answered with a number typed into a box (``12.5``, ``12,5``, ``1,234`` and ``12.5%`` all work).

    The box starts empty, so an unanswered exercise is never mistaken for a 0.

    Args:
        exercise_id: the exercise id.
        title: a few words shown in the verdict.
        min: smallest sensible value, shown as a hint in the empty box.
        max: largest sensible value, shown as a hint in the empty box.
        unit: shown after the box, e.g. ``"%"``.

    """
    import ipywidgets as w

    if min is not None and max is not None:
        hint = _("a number from {min:g} to {max:g}").format(min=min, max=max)
    else:
        hint = _("a number")
    leaf = w.Text(value="", placeholder=hint, layout=w.Layout(width="16em"))
    leaf.add_class("mopskit-number")
    shown = w.HBox([leaf, w.HTML(escape(unit))]) if unit else leaf
    return WidgetExercise(exercise_id, shown, title=title, leaves={(): leaf})


def text(
    exercise_id: str, *, title: str = "", placeholder: str = "", multiline: bool = False, live: bool = False
) -> WidgetExercise:
    """An exercise answered by typing text (a sentence, a goal, a name).

    Args:
        exercise_id: the exercise id.
        title: a few words shown in the verdict.
        placeholder: grey example text shown while the box is empty.
        multiline: a larger box for several lines.
        live: show the verdict as the trainee types, not only on Check.

    """
    import ipywidgets as w

    kind = w.Textarea if multiline else w.Text
    widget = kind(value="", placeholder=placeholder, layout=w.Layout(width="90%"))
    return WidgetExercise(exercise_id, widget, title=title, live=live)


def match(
    exercise_id: str,
    items: Sequence[str],
    options: Sequence[str],
    *,
    title: str = "",
    live: bool = False,
    labels: Mapping[str, str] | None = None,
) -> WidgetExercise:
    """An exercise answered by matching each item to one option (a dropdown per item, e.g. task → role).

    The answer is ``{item: option}``; items left empty hold ``None``, so checks can give partial credit.

    Args:
        exercise_id: the exercise id.
        items: the things to match, one row each.
        options: the choices each item can be matched to.
        title: a few words shown in the verdict.
        live: show the verdict on every change.
        labels: what to show for some items and options (see :func:`choice`); the answer keeps the originals.

    """
    import ipywidgets as w

    children: list[Any] = []
    leaves: dict[LeafPath, Any] = {}
    for item in items:
        dropdown = w.Dropdown(options=_options(options, labels), value=None, layout=w.Layout(width="auto"))
        leaves[(str(item),)] = dropdown
        children += [w.HTML(f"<span>{_row(item, labels)}</span>"), dropdown]
    box = w.GridBox(children, layout=w.Layout(grid_template_columns="minmax(200px, 2fr) minmax(160px, 1fr)"))
    return WidgetExercise(exercise_id, box, title=title, leaves=leaves, live=live)


def grid(
    exercise_id: str,
    rows: Sequence[str],
    columns: Sequence[str],
    options: Sequence[str],
    *,
    title: str = "",
    live: bool = False,
    labels: Mapping[str, str] | None = None,
) -> WidgetExercise:
    """An exercise answered by filling a table of dropdowns (e.g. a RACI: tasks × roles, each R, A, C or I).

    The answer is ``{row: {column: option}}``; empty cells hold ``None``.

    Args:
        exercise_id: the exercise id.
        rows: the row labels.
        columns: the column labels.
        options: the choices each cell can hold.
        title: a few words shown in the verdict.
        live: show the verdict on every change.
        labels: what to show for some rows, columns and options (see :func:`choice`); the answer keeps the
            originals.

    """
    import ipywidgets as w

    children: list[Any] = [w.HTML("")] + [w.HTML(f"<b>{escape(_shown(c, labels))}</b>") for c in columns]
    leaves: dict[LeafPath, Any] = {}
    for row in rows:
        children.append(w.HTML(f"<span>{escape(_shown(row, labels))}</span>"))
        for column in columns:
            cell = w.Dropdown(options=_options(options, labels), value=None, layout=w.Layout(width="auto"))
            leaves[(str(row), str(column))] = cell
            children.append(cell)
    template = "minmax(180px, 2fr) " + " ".join(["minmax(70px, 1fr)"] * len(columns))
    box = w.GridBox(children, layout=w.Layout(grid_template_columns=template))
    return WidgetExercise(exercise_id, box, title=title, leaves=leaves, live=live)


def widget_for(exercise_id: str) -> WidgetExercise:
    """Return the widget of an exercise shown in this kernel (tests and graders use this)."""
    from ..errors import ExerciseError

    widget = SESSION.widgets.get(exercise_id)
    if not isinstance(widget, WidgetExercise):
        raise ExerciseError(f"no widget for exercise '{exercise_id}'; run the cell that shows it first")
    return widget
