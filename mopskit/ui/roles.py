"""Explorers for the role catalog: pick a role and read its card, or type a task and see who owns it.

Thin shells over :mod:`mopskit.roles`; they hold no logic and need no answer (they are not exercises).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._html import COLOURS, card, escape
from ..i18n import _, content_text
from ..roles import Role, archetype, archetypes, match_task, role, roles

__all__ = ["RoleExplorer", "TaskMatcher", "role_card_html", "role_explorer", "task_matcher"]


def role_card_html(which: Role | str) -> str:
    """Return a role's card as HTML: remit, typical tasks, tools, archetype and source.

    >>> "Lead rotation" in role_card_html("lead_rotation")
    True
    """
    r = which if isinstance(which, Role) else role(which)
    arch = archetype(r.archetype)
    where = _("usually part of MOps") if arch.mops else _("usually outside MOps")
    kind, tools = content_text(arch.name), ", ".join(content_text(t) for t in r.tools)
    tasks = "".join(f"<li>{escape(content_text(t))}</li>" for t in r.tasks)  # shown translated, read in English
    views = "".join(f"<li>{escape(view)} <small>({escape(cited)})</small></li>" for view, cited in r.views)
    if views:
        heading = f"<p style='margin:2px 0'><b>{escape(_('Is it MOps? Two views'))}:</b></p>"
        views = f"{heading}<ul style='margin:2px 0'>{views}</ul>"
    return card(
        f"<h4 style='margin:4px 0'>{escape(content_text(r.name))}</h4>"
        f"<p style='margin:2px 0'><b>{escape(_('Archetype'))}:</b> {escape(kind)} ({escape(where)}): "
        f"{escape(arch.summary)}</p>"
        f"<p style='margin:2px 0'><b>{escape(_('Remit'))}:</b> {escape(r.remit)}</p>{views}"
        f"<p style='margin:2px 0'><b>{escape(_('Typical tasks'))}:</b></p><ul style='margin:2px 0'>{tasks}</ul>"
        f"<p style='margin:2px 0'><b>{escape(_('Tools'))}:</b> {escape(tools)}</p>"
        f"<p style='margin:2px 0;color:{COLOURS['muted']}'>"
        f"<small>{escape(_('Named in'))}: {escape(r.cited_in)}</small></p>",
        css_class="mopskit-role-card",
        boxed=True,
    )


@dataclass
class RoleExplorer:
    """The role catalog widget: an archetype filter, a role picker and the chosen role's card.

    Attributes:
        filter: toggle buttons, "All" or one archetype.
        picker: a dropdown of the roles the filter lets through.
        card: HTML of the chosen role's card.
        box: the whole widget, shown by displaying this object.

    """

    filter: Any
    picker: Any
    card: Any
    box: Any

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def role_explorer(*, start: str | None = None) -> RoleExplorer:
    """Show the role catalog: filter by archetype, pick a role, read its card.

    Args:
        start: the role shown first (id or name); the first role of the catalog when left out.

    """
    import ipywidgets as w

    everyone = _("All")
    kinds = [(everyone, everyone)] + [(content_text(a.name), a.name) for a in archetypes()]
    filter_ = w.ToggleButtons(options=kinds, value=everyone)
    picker = w.Dropdown(description=_("Role"), layout=w.Layout(width="32em"))
    card = w.HTML()

    def show(_change: Any = None) -> None:
        card.value = role_card_html(picker.value) if picker.value else ""

    def narrow(_change: Any = None) -> None:
        chosen = roles() if filter_.value == everyone else roles(archetype=filter_.value)
        current = picker.value
        picker.options = [(content_text(r.name), r.id) for r in chosen]
        picker.value = current if current in {r.id for r in chosen} else chosen[0].id
        show()

    filter_.observe(narrow, names="value")
    picker.observe(show, names="value")
    narrow()
    if start is not None:
        picker.value = role(start).id
    box = w.VBox([filter_, picker, card])
    box.add_class("mopskit-role-explorer")
    return RoleExplorer(filter_, picker, card, box)


@dataclass
class TaskMatcher:
    """Type a task, see the roles most likely to own it and why.

    Attributes:
        input: the text box for the task.
        result: HTML listing the candidates with the words that matched.
        box: the whole widget.

    """

    input: Any
    result: Any
    box: Any

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def task_matcher(*, roles: list[str] | None = None, top: int = 3) -> TaskMatcher:
    """Show a box where a task typed in plain words is matched to the roles most likely to own it.

    Args:
        roles: the roles to choose from (ids or names); the whole catalog when left out.
        top: how many candidates to show.

    """
    import ipywidgets as w

    box_in = w.Text(placeholder=_("describe a task, e.g. route new leads to sales"), layout=w.Layout(width="40em"))
    result = w.HTML()
    pool = list(roles) if roles is not None else None

    def update(_change: Any = None) -> None:
        text = box_in.value.strip()
        if not text:
            result.value = ""
            return
        found = match_task(text, roles=pool, top=top)
        if not found:
            advice = _("No role's work shares a word with that. Try naming the thing worked on: email, CRM, leads...")
            result.value = f"<p>{escape(advice)}</p>"
            return
        items = "".join(f"<li>{escape(m.reason)}</li>" for m in found)
        result.value = f"<ol class='mopskit-task-matches'>{items}</ol>"

    box_in.observe(update, names="value")
    box = w.VBox([box_in, result])
    box.add_class("mopskit-task-matcher")
    return TaskMatcher(box_in, result, box)
