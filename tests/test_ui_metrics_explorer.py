"""The metrics explorer is a shell over mopskit.metrics.explore: changing a control redraws from the package."""

import pandas as pd
import pytest

from mopskit.data import load
from mopskit.errors import ParameterError
from mopskit.metrics import email_metrics, funnel
from mopskit.metrics.explore import EXPLORABLE, Explorer
from mopskit.ui.metrics_explorer import metrics_explorer


@pytest.fixture(scope="module")
def explorer():
    return metrics_explorer()


def test_starts_with_open_rate_by_month(explorer):
    expected = email_metrics(load("email_events"), by="month")
    assert explorer.table.loc["email"].tolist() == pytest.approx(expected["open_rate"].tolist())
    assert "<table" in explorer.html.value and bytes(explorer.chart.value).startswith(b"\x89PNG")


def test_choosing_a_metric_and_channels_redraws(explorer):
    explorer.metric.value = "lead_to_mql"
    explorer.channels.value = ("seo", "webinar")
    assert explorer.table.index.tolist() == ["seo", "webinar"]
    by_cohort = funnel(load("contacts"), by=["channel", "cohort_month"])
    seo = by_cohort[by_cohort["channel"] == "seo"].set_index("cohort_month")["lead_to_mql"]
    pd.testing.assert_series_equal(explorer.table.loc["seo"], seo, check_names=False)
    explorer.channels.value = ()
    assert len(explorer.table) == len(Explorer.channels(explorer.explorer))


@pytest.mark.parametrize("name", list(EXPLORABLE))
def test_every_metric_offered_can_be_shown(explorer, name):
    explorer.metric.value = name
    assert explorer.table.shape[1] >= 1 and Explorer.label(name)


def test_an_unknown_metric_lists_the_valid_ones(explorer):
    with pytest.raises(ParameterError, match="cannot explore 'ctr'; valid: sent"):
        explorer.explorer.table("ctr")


def test_the_sample_size_calculator_needs_no_code():
    from mopskit.metrics import sample_size
    from mopskit.ui.metrics_explorer import sample_size_calculator

    calc = sample_size_calculator()
    assert "Type a baseline" in calc.result.value
    calc.baseline.value = "4,5"
    calc.effect.value = "1"
    assert f"{sample_size(4.5, 1):,} recipients" in calc.result.value
    calc.effect.value = "one"
    assert "Type numbers" in calc.result.value
    calc.effect.value = "0"
    assert "minimum_effect" in calc.result.value or "must" in calc.result.value
