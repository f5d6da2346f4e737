"""The metric catalog is complete data: every metric a function computes is defined once, with its formula."""

import pytest

import mopskit.metrics as metrics
from mopskit.content import load_yaml
from mopskit.errors import ParameterError
from mopskit.metrics import EMAIL_RATES, catalog, email_metrics, metric, variants
from mopskit.metrics.catalog import FAMILIES


def test_every_entry_is_complete_and_names_a_real_function_and_source():
    table = catalog()
    assert set(table["family"]) == set(FAMILIES)
    for row in table.itertuples():
        assert row.label and row.definition and row.numerator and row.grain and row.source, row.name
        assert callable(getattr(metrics, row.function)), row.function
        if row.unit == "percent":
            assert row.denominator, f"{row.name}: a rate must state its denominator"


def test_every_email_column_is_in_the_catalog_with_the_formula_the_code_uses():
    from mopskit.data import load

    entries = set(catalog(family="email")["name"])
    produced = set(email_metrics(load("email_events")).columns) - {"campaigns"}
    assert produced <= entries
    for name, (numerator, denominator) in EMAIL_RATES.items():
        entry = metric(name)
        assert entry.numerator.replace(" ", "_") == numerator and entry.denominator.replace(" ", "_") == denominator


def test_the_formula_reads_as_words():
    assert metric("click_to_open_rate").formula == "unique clicks / unique opens × 100"
    assert metric("sent").formula == "sent events"


def test_each_formula_names_the_source_that_gives_it():
    # the HubSpot articles name ROMI and email churn but give no formula for ROMI, nor one on delivered emails
    assert metric("unsubscribe_rate").source == "industry_practice"
    assert metric("romi").source == "industry_practice"
    table = variants().set_index("name")
    assert table.loc["email churn", "used_by"] == "the 2020 HubSpot article"
    # the 2022 article: clicks in a month over unique email recipients' impressions in a month, times 100
    assert table.loc["email click-through rate", "denominator"] == "unique recipient impressions in a month"


def test_vendor_variants_tell_the_click_rates_apart():
    table = variants()
    named_ctr = table[table["name"].str.contains("click-through")]
    assert len(set(zip(named_ctr["numerator"], named_ctr["denominator"], strict=True))) == 2
    assert set(table["metric"]) <= set(catalog()["name"])


def test_the_catalog_file_is_the_one_source():
    assert set(load_yaml("metrics")) == set(catalog()["name"])


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ParameterError, match="unknown metric 'ctr'; valid: sent, delivered"):
        metric("ctr")
    with pytest.raises(ParameterError, match="unknown metric family 'sales'; valid: email, funnel"):
        catalog(family="sales")
