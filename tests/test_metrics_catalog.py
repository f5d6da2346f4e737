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
        assert not row.function or callable(getattr(metrics, row.function)), row.function
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


# One vocabulary: the goals, the explorer, reports and lessons read these entries, under old names too.
OLD_NAMES = {
    "cac": "customer_acquisition_cost",
    "cpl": "cost_per_lead",
    "bounces": "bounced",
    "clicks": "total_clicks",
    "email_clicks": "total_clicks",
    "email_opens": "total_opens",
    "emails_sent": "sent",
    "email_churn": "unsubscribe_rate",
    "mql_to_sql_rate": "mql_to_sql",
    "conversion_rate": "lead_to_customer",
    "data_completeness": "completeness",
    "marketing_spend": "spend",
    "revenue": "won_revenue",
    "pipeline": "pipeline_value",
}


@pytest.mark.parametrize(("old", "name"), sorted(OLD_NAMES.items()))
def test_every_old_name_is_an_alias_of_one_entry(old, name):
    assert metric(old) is metric(name)
    assert old in metric(name).aliases


def test_every_alias_resolves_and_no_name_or_alias_is_used_twice():
    from mopskit.metrics import metric_name

    table = catalog()
    seen: dict[str, str] = {}
    for row in table.itertuples():
        for key in [row.name, *filter(None, row.aliases.split(", "))]:
            assert key not in seen, f"'{key}' names both {seen[key]} and {row.name}"
            seen[key] = row.name
            assert metric_name(key) == row.name


def test_no_metric_has_two_entries():
    """Two entries with the same label, the same goal words or the same formula would be one metric twice."""
    from mopskit.goals._text import phrase_key

    labels, words, formulas = {}, {}, {}
    for name in catalog()["name"]:
        entry = metric(name)
        label = entry.label.lower()
        assert labels.setdefault(label, name) == name, f"{name} and {labels[label]} have one label"
        if entry.goal:
            for phrase in (entry.goal.label, *entry.goal.synonyms):
                key = tuple(phrase_key(phrase))
                assert words.setdefault(key, name) == name, f"'{phrase}' names {name} and {words[key]}"
        if entry.computed and entry.denominator:
            shape = (entry.numerator, entry.denominator, entry.grain)
            assert formulas.setdefault(shape, name) == name, f"{name} and {formulas[shape]} have one formula"


def test_units_are_worded_one_way():
    from mopskit.metrics.catalog import UNITS

    assert set(catalog()["unit"]) <= set(UNITS)
    assert not (set(load_yaml("goal_words")) & {"metrics"}), "goal words hold no metrics of their own"


def test_goals_name_catalog_metrics_by_their_catalog_name():
    from mopskit.goals import goal_metrics, metric_info

    for key, info in goal_metrics().items():
        assert metric(key).goal.label == info.label
    assert metric_info("CAC").key == "customer_acquisition_cost"
    assert metric_info("MQL to SQL conversion rate").key == "mql_to_sql"
    assert metric_info("cpl") is metric_info("cost per lead")


def test_goals_history_is_the_metrics_figures():
    from mopskit.data import load
    from mopskit.goals import monthly_history as goal_history
    from mopskit.metrics import channel_economics, funnel
    from mopskit.metrics import monthly_history as metric_history
    from mopskit.metrics.history import with_history

    tables = {t: load(t) for t in ("email_events", "contacts", "campaigns")}
    for entry in with_history():
        table = tables[dict(entry.measured_from)["table"]]
        for word in (entry.name, *entry.aliases, *([entry.goal.label] if entry.goal else [])):
            assert goal_history(table, word).equals(metric_history(table, entry.name)), (entry.name, word)
    # the monthly history adds up to what the metric families compute over the whole data
    email = email_metrics(tables["email_events"]).iloc[0]
    for name in ("sent", "bounced", "total_opens", "total_clicks"):
        assert metric_history(tables["email_events"], name).sum() == email[name], name
    stages = funnel(tables["contacts"]).iloc[0]
    for name in ("contacts", "mqls", "sqls", "opportunities", "customers"):
        assert metric_history(tables["contacts"], name).sum() == stages[name], name
    money = channel_economics(tables["campaigns"], tables["contacts"], by=None).iloc[0]
    assert metric_history(tables["campaigns"], "spend").sum() == pytest.approx(money["spend"])
    assert metric_history(tables["contacts"], "revenue").sum() == pytest.approx(money["won_revenue"])
