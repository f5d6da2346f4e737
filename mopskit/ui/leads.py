"""Lead-management widgets: a scoring builder, an SLA explorer and a leakage explorer.

Thin shells over :mod:`mopskit.leads`: each control recomputes through the package and shows the result; the
latest result is kept on the widget (``outcome``, ``table``), so tests (and curious trainees) can read it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .setup import _or_sample

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LeakageExplorer", "ScoringBuilder", "SlaExplorer", "leakage_explorer", "scoring_builder", "sla_explorer"]


def _png(figure: Any) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return buffer.getvalue()


def _html_table(frame: pd.DataFrame, units: dict[str, str] | None = None) -> str:
    from ..present import people_table

    return people_table(frame, units=units).to_html()


class ScoringBuilder:
    """Points per activity, the threshold and a minimum fit as sliders; who would be an MQL, live.

    Attributes:
        points: one slider per activity type of the model.
        threshold: the MQL threshold slider.
        min_fit: the minimum fit score slider.
        outcome: the latest :class:`mopskit.leads.criteria.Outcome`.
        model: the model the sliders describe now.

    """

    def __init__(self, contacts: pd.DataFrame, activities: pd.DataFrame, *, as_of: Any, model: Any = None) -> None:
        import ipywidgets as w

        from ..leads import scoring_model

        self.contacts, self.activities, self.as_of = contacts, activities, as_of
        self.base = model or scoring_model()
        self.model = self.base
        style = {"description_width": "12em"}
        self.points = {
            kind: w.IntSlider(value=int(points), min=0, max=60, description=kind, style=style, continuous_update=False)
            for kind, points in self.base.behaviour.items()
        }
        self.threshold = w.IntSlider(
            value=int(self.base.threshold),
            min=0,
            max=150,
            step=5,
            description=_("MQL threshold"),
            style=style,
            continuous_update=False,
        )
        self.min_fit = w.IntSlider(
            value=0, min=-20, max=60, step=5, description=_("minimum fit score"), style=style, continuous_update=False
        )
        self.reset = w.Button(description=_("Back to the company's model"))
        self.reset.on_click(lambda _b: self.back_to_base())
        self.result = w.HTML()
        self.outcome: Any = None
        for control in (*self.points.values(), self.threshold, self.min_fit):
            control.observe(lambda _change: self.refresh(), names="value")
        left = w.VBox([w.HTML(f"<b>{_('Points per activity')}</b>"), *self.points.values()])
        right = w.VBox([w.HTML(f"<b>{_('The MQL bar')}</b>"), self.threshold, self.min_fit, self.reset])
        self.box = w.VBox([w.HBox([left, right]), self.result])
        self.box.add_class("mopskit-scoring-builder")
        self.refresh()

    def back_to_base(self) -> None:
        """Put every slider back to the company's model."""
        for kind, slider in self.points.items():
            slider.value = int(self.base.behaviour[kind])
        self.threshold.value = int(self.base.threshold)
        self.min_fit.value = 0

    def refresh(self) -> None:
        """Rebuild the model from the sliders and recompute the outcome."""
        import html

        from ..leads.criteria import model_outcome

        self.model = self.base.with_changes(
            threshold=self.threshold.value, behaviour={k: s.value for k, s in self.points.items()}
        )
        self.outcome = model_outcome(
            self.contacts, self.activities, model=self.model, min_fit=self.min_fit.value, as_of=self.as_of
        )
        o = self.outcome
        rows = [
            (_("contacts at or above the bar today"), f"{o.today:,}"),
            (_("... of them not MQLs yet (new for sales)"), f"{o.today_new:,}"),
            (_("past MQLs that pass the bar, per month"), f"{o.per_month:.1f}"),
            (_("... of them accepted by sales (became SQLs)"), f"{o.acceptance:.1f}%"),
        ]
        body = "".join(f"<tr><td>{html.escape(a)}</td><td style='text-align:right'>{b}</td></tr>" for a, b in rows)
        self.result.value = f"<table class='mopskit-outcome'>{body}</table>"

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def scoring_builder(
    contacts: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
    *,
    as_of: Any = "2026-10-31",
    model: Any = None,
) -> ScoringBuilder:
    """Show the scoring builder over the given tables (default: the bundled sample data, as of 31 October 2026)."""
    return ScoringBuilder(
        _or_sample(contacts, "contacts"),
        _or_sample(activities, "activities"),
        as_of=as_of,
        model=model,
    )


class SlaExplorer:
    """The SLA target as a slider and a grouping dropdown; compliance per group as a table and a chart.

    Attributes:
        hours: the SLA target slider (business hours).
        by: the grouping dropdown.
        table: the compliance table shown now (:func:`mopskit.leads.sla_compliance`).

    """

    GROUPS = ("territory", "owner", "source_channel", "month")

    def __init__(
        self, contacts: pd.DataFrame, team: pd.DataFrame, *, by: str = "territory", sla_hours: float = 8
    ) -> None:
        import ipywidgets as w

        self.contacts, self.team = contacts, team
        style = {"description_width": "10em"}
        self.hours = w.IntSlider(
            value=int(sla_hours),
            min=1,
            max=40,
            description=_("SLA (business hours)"),
            style=style,
            continuous_update=False,
        )
        self.by = w.Dropdown(
            options=[(g.replace("_", " "), g) for g in self.GROUPS], value=by, description=_("group by"), style=style
        )
        self.html = w.HTML()
        self.chart = w.Image(format="png")
        self.table: pd.DataFrame | None = None
        self._status: pd.DataFrame | None = None
        self.hours.observe(lambda _change: self.refresh(remeasure=True), names="value")
        self.by.observe(lambda _change: self.refresh(), names="value")
        self.box = w.VBox([w.HBox([self.hours, self.by]), self.chart, self.html])
        self.box.add_class("mopskit-sla-explorer")
        self.refresh(remeasure=True)

    def refresh(self, *, remeasure: bool = False) -> None:
        """Measure again (when the target changed) and regroup."""
        from ..leads import sla_compliance, sla_status
        from ..leads.plots import plot_sla

        if remeasure or self._status is None:
            self._status = sla_status(self.contacts, self.team, sla_hours=self.hours.value)
        self.table = sla_compliance(self._status, by=self.by.value)
        self.html.value = _html_table(self.table, units={"compliance": "%", "median_hours": "h"})
        self.chart.value = _png(plot_sla(self.table, by=self.by.value, target_hours=self.hours.value))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def sla_explorer(
    contacts: pd.DataFrame | None = None,
    team: pd.DataFrame | None = None,
    *,
    by: str = "territory",
    sla_hours: float = 8,
) -> SlaExplorer:
    """Show the SLA explorer over the given tables (default: the bundled sample data)."""
    return SlaExplorer(
        _or_sample(contacts, "contacts"),
        _or_sample(team, "sales_team"),
        by=by,
        sla_hours=sla_hours,
    )


class LeakageExplorer:
    """One funnel step at a time: how many of the leads that reached it advanced, waited, stalled or were lost.

    Attributes:
        step: the step dropdown.
        table: the row of :func:`mopskit.leads.funnel_leakage` shown now.

    """

    def __init__(self, contacts: pd.DataFrame) -> None:
        import ipywidgets as w

        from ..leads import funnel_leakage

        self.leakage = funnel_leakage(contacts)
        self.step = w.Dropdown(options=self.leakage["step"].tolist(), description=_("step"))
        self.html = w.HTML()
        self.chart = w.Image(format="png")
        self.table: pd.DataFrame | None = None
        self.step.observe(lambda _change: self.refresh(), names="value")
        self.box = w.VBox([self.step, self.chart, self.html])
        self.box.add_class("mopskit-leakage-explorer")
        self.refresh()

    def refresh(self) -> None:
        """Show the chosen step."""
        from ..leads.plots import plot_leakage

        self.table = self.leakage[self.leakage["step"] == self.step.value].reset_index(drop=True)
        shown = self.table[["step", "reached", "advanced", "waiting", "stalled", "lost", "leak_pct"]]
        self.html.value = _html_table(shown, units={"leak_pct": "%"})
        self.chart.value = _png(plot_leakage(self.table, title=_("Step {step}").format(step=self.step.value)))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def leakage_explorer(contacts: pd.DataFrame | None = None) -> LeakageExplorer:
    """Show the leakage explorer over the given contacts (default: the bundled sample data)."""
    return LeakageExplorer(_or_sample(contacts, "contacts"))
