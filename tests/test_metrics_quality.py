"""The data-quality scorecard on a tiny raw contact list with one defect of each kind."""

import pandas as pd
import pytest

from mopskit.data import load
from mopskit.metrics import completeness, duplicates, invalid_emails, quality_scorecard, stage_order_violations
from mopskit.metrics.quality import normalize_email


@pytest.fixture
def raw():
    return pd.DataFrame(
        {
            "contact_id": ["1", "2", "3", "4", "5"],
            "email": ["ana@x.com", " ANA@X.com", "bob at x.com", "cy@x.com", "cy@x.com"],
            "created_at": ["2026-01-01"] * 5,
            "source_channel": ["seo", "seo", "Seo ", "tv", None],
            "country": ["RO", None, " ", "DE", "DE"],
            "lifecycle_stage": ["lead"] * 5,
            "mql_at": ["2026-02-01", None, None, "2026-01-05", None],
            "sql_at": ["2026-01-15", None, None, "2026-01-06", None],
            "opportunity_at": [None] * 5,
            "customer_at": [None] * 5,
        }
    )


def test_completeness_counts_blank_text_as_missing(raw):
    table = completeness(raw).set_index("column")
    assert table.loc["country", ["filled", "missing", "completeness"]].tolist() == [3, 2, 60.0]


def test_duplicates_exact_and_normalized(raw):
    assert duplicates(raw, normalize=False).index.tolist() == [4]
    found = duplicates(raw)
    assert found.index.tolist() == [1, 4] and found["duplicate_of"].tolist() == [0, 3]
    assert normalize_email(pd.Series([" A B@x.COM"])).tolist() == ["ab@x.com"]


def test_validity(raw):
    assert invalid_emails(raw).index.tolist() == [2]
    assert stage_order_violations(raw).index.tolist() == [0]


def test_scorecard(raw):
    card = quality_scorecard(raw).set_index(["check", "column"])
    expected = {
        ("completeness", "country"): 2,
        ("completeness", "source_channel"): 1,
        ("duplicates (exact)", "email"): 1,
        ("duplicates (case and spaces ignored)", "email"): 2,
        ("validity: email format", "email"): 1,
        ("validity: stage order", "mql_at, sql_at, opportunity_at, customer_at"): 1,
        ("validity: source_channel values", "source_channel"): 1,  # 'tv'; 'Seo ' is fine once tidied
    }
    for key, failing in expected.items():
        assert card.loc[key, "rows_failing"] == failing, key
        assert card.loc[key, "status"] == "problem" and card.loc[key, "what_to_do"]
    assert card.loc[("duplicates (case and spaces ignored)", "email"), "score"] == 60.0
    assert card.loc[("completeness", "email"), "status"] == "ok"
    assert 0 < card.attrs["overall_score"] < 100


def test_the_raw_sample_has_each_kind_of_defect_and_the_clean_one_none():
    raw = quality_scorecard(load("contacts_raw"))
    problems = set(raw.loc[raw["status"] == "problem", "check"])
    assert {"completeness", "duplicates (case and spaces ignored)", "validity: email format"} <= problems
    assert "validity: stage order" in problems
    assert set(quality_scorecard(load("contacts"))["status"]) == {"ok"}


def test_a_duplicate_sample_keeps_whole_groups_and_stays_the_same():
    from mopskit.data import load
    from mopskit.metrics import duplicate_sample, duplicates

    raw = load("contacts_raw")
    sample = duplicate_sample(raw, groups=3, others=7)
    found = duplicates(sample)
    assert found["duplicate_of"].nunique() == 3 and set(found["duplicate_of"]) <= set(sample.index)
    assert len(sample) == 3 + len(found) + 7
    assert duplicate_sample(raw, groups=3, others=7).equals(sample)
