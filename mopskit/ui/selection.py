"""The weights explorer: one slider per nice-to-have's weight, and the scores of every offer as the weights move.

A thin shell over :func:`mopskit.selection.what_if`: the widget holds no logic beyond rendering. The latest
evaluation is kept in :attr:`WeightsExplorer.evaluation`, so tests (and curious trainees) can read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import _

if TYPE_CHECKING:
    from ..selection import Evaluation

__all__ = ["WeightsExplorer", "weights_explorer"]


class WeightsExplorer:
    """Sliders for the weights, and the ranking they give.

    Attributes:
        start: the evaluation the explorer started from (its weights are the sliders' first positions).
        sliders: one slider per nice-to-have, by requirement id.
        evaluation: the evaluation with the weights the sliders show now.
        html: the HTML widget showing the ranking.

    """

    def __init__(self, evaluation: Evaluation, *, most: float = 10.0, step: float = 0.5) -> None:
        import ipywidgets as w

        self.start = evaluation
        self.evaluation = evaluation
        self.sliders: dict[str, Any] = {}
        rows = []
        for req in evaluation.requirements.nice:
            slider = w.FloatSlider(
                value=req.weight,
                min=0.0,
                max=max(most, req.weight),
                step=step,
                readout_format=".1f",
                continuous_update=False,
                layout=w.Layout(width="320px"),
            )
            slider.add_class("mopskit-weight")
            slider.observe(lambda _change: self.refresh(), names="value")
            self.sliders[req.id] = slider
            rows.append(
                w.HBox([w.HTML(f"<span>{_escape(req.label())}</span>", layout=w.Layout(width="420px")), slider])
            )
        self.reset_button = w.Button(description=_("Reset the weights"), icon="undo")
        self.reset_button.on_click(lambda _button: self.reset())
        self.html = w.HTML()
        self.box = w.VBox([*rows, self.reset_button, self.html])
        self.box.add_class("mopskit-weights-explorer")
        self.refresh()

    def weights(self) -> dict[str, float]:
        """The weights the sliders show, by requirement id."""
        return {key: float(slider.value) for key, slider in self.sliders.items()}

    def reset(self) -> None:
        """Put every slider back to the evaluation's own weights."""
        for req in self.start.requirements.nice:
            self.sliders[req.id].value = req.weight

    def refresh(self) -> None:
        """Score again with the sliders' weights and redraw the ranking."""
        from ..selection import what_if

        self.evaluation = what_if(self.start, self.weights())
        table = self.evaluation.ranking[["rank", "offer", "score", "reason"]].copy()
        table["score"] = table["score"].map(lambda v: f"{v:.2f}")
        header = "".join(f"<th>{_escape(c)}</th>" for c in (_("rank"), _("offer"), _("score"), _("refused because")))
        body = "".join(
            "<tr>" + "".join(f"<td>{_escape(v)}</td>" for v in row) + "</tr>" for row in table.itertuples(index=False)
        )
        leader = self.evaluation.winner or _("none")
        self.html.value = (
            f"<p><b>{_escape(_('Leader with these weights: {offer}').format(offer=leader))}</b></p>"
            f"<table class='mopskit-table'><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def _escape(value: Any) -> str:
    import html

    return html.escape(str(value))


def weights_explorer(evaluation: Evaluation, *, most: float = 10.0, step: float = 0.5) -> WeightsExplorer:
    """Show sliders for the nice-to-haves' weights and the offers' scores as they move.

    Args:
        evaluation: from :func:`mopskit.selection.score_vendors` (or a scenario's ``evaluate()``).
        most: the highest weight a slider reaches.
        step: how far a slider moves at a time.

    """
    return WeightsExplorer(evaluation, most=most, step=step)
