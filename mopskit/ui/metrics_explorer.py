"""The metrics explorer: pick a metric and channels, see it by channel and month as a table and a chart.

A thin shell over :class:`mopskit.metrics.explore.Explorer`: the widget holds no logic beyond rendering. The
latest table is kept in :attr:`MetricsExplorer.table`, so tests (and curious trainees) can read it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .setup import _or_sample

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MetricsExplorer", "SampleSizeCalculator", "metrics_explorer", "sample_size_calculator"]


class MetricsExplorer:
    """A metric dropdown, a channel picker (none picked: all), and the metric by channel and month.

    Attributes:
        metric: the metric dropdown.
        channels: the channel picker.
        table: the table shown now (channels as rows, months as columns).
        html: the HTML widget showing the table.
        chart: the image widget showing the chart (a static PNG).

    """

    def __init__(self, explorer: Any, *, metric: str = "open_rate") -> None:
        import ipywidgets as w

        from ..metrics.explore import EXPLORABLE

        self.explorer = explorer
        self.metric = w.Dropdown(
            options=[(explorer.label(name), name) for name in EXPLORABLE], value=metric, description=_("Metric")
        )
        self.channels = w.SelectMultiple(
            options=explorer.channels(), rows=5, description=_("Channels"), layout=w.Layout(width="auto")
        )
        self.hint = w.HTML(f"<small>{_('Pick no channel to see them all; Ctrl/Cmd-click picks several.')}</small>")
        self.html = w.HTML()
        self.chart = w.Image(format="png")
        self.table: pd.DataFrame | None = None
        for control in (self.metric, self.channels):
            control.observe(lambda _change: self.refresh(), names="value")
        self.box = w.VBox([w.HBox([self.metric, self.channels]), self.hint, self.chart, self.html])
        self.box.add_class("mopskit-metrics-explorer")
        self.refresh()

    def refresh(self) -> None:
        """Recompute the table for the chosen metric and channels, and redraw."""
        import matplotlib.pyplot as plt

        from ..metrics.plots import plot_by_month

        name = self.metric.value
        self.table = self.explorer.table(name, channels=list(self.channels.value) or None)
        label = self.explorer.label(name)
        decimals = 1 if self.table.dtypes.map(lambda d: d.kind == "f").any() else 0
        self.html.value = self.table.to_html(float_format=lambda v: f"{v:,.{decimals}f}", na_rep="n/a")
        figure = plot_by_month(self.table, label=label)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=80)
        plt.close(figure)
        self.chart.value = buffer.getvalue()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def metrics_explorer(
    events: pd.DataFrame | None = None,
    campaigns: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    *,
    metric: str = "open_rate",
) -> MetricsExplorer:
    """Show the metrics explorer over the given tables (default: the bundled sample data).

    Args:
        events: the ``email_events`` table.
        campaigns: the ``campaigns`` table.
        contacts: the ``contacts`` table.
        metric: the metric shown first, e.g. ``"click_through_rate"`` or ``"lead_to_mql"``.

    """
    from ..metrics.explore import Explorer

    explorer = Explorer(
        _or_sample(events, "email_events"),
        _or_sample(campaigns, "campaigns"),
        _or_sample(contacts, "contacts"),
    )
    return MetricsExplorer(explorer, metric=metric)


class SampleSizeCalculator:
    """A calculator for A/B test sizes: type a baseline rate and the smallest difference worth finding.

    A thin shell over :func:`mopskit.metrics.sample_size`; ``result`` holds the sentence shown.
    """

    def __init__(self, *, baseline: float | None = None, effect: float | None = None) -> None:
        import ipywidgets as w

        wide = {"description_width": "12em"}
        shown = ("" if baseline is None else f"{baseline:g}", "" if effect is None else f"{effect:g}")
        self.baseline = w.Text(value=shown[0], description=_("Baseline rate (%)"), style=wide, placeholder="4.5")
        self.effect = w.Text(value=shown[1], description=_("Difference (points)"), style=wide, placeholder="1")
        self.result = w.HTML()
        for box in (self.baseline, self.effect):
            box.observe(self._update, names="value")
        self.box = w.VBox([self.baseline, self.effect, self.result])
        self._update()

    def _update(self, _change: Any = None) -> None:
        import html

        from ..errors import MopskitError
        from ..metrics import sample_size
        from .exercises import parse_number

        try:
            baseline, effect = parse_number(self.baseline.value), parse_number(self.effect.value)
        except ValueError:
            self.result.value = html.escape(_("Type numbers, like 4.5 and 1."))
            return
        if baseline is None or effect is None:
            self.result.value = html.escape(_("Type a baseline rate and a difference."))
            return
        try:
            n = sample_size(baseline, effect)
        except MopskitError as exc:
            self.result.value = html.escape(str(exc))
            return
        self.result.value = html.escape(
            _("Each variant needs {n:,} recipients (95% confidence, 80% power).").format(n=n)
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def sample_size_calculator(*, baseline: float | None = None, effect: float | None = None) -> SampleSizeCalculator:
    """Show a calculator of the recipients each variant of an A/B test needs (no code needed).

    Args:
        baseline: the rate the test starts from, in percent (empty when left out).
        effect: the smallest difference worth detecting, in percentage points (empty when left out).

    """
    return SampleSizeCalculator(baseline=baseline, effect=effect)
