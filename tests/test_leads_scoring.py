"""Lead scoring on hand-worked tables: fit points, behaviour decay, caps, scoring as of each contact's moment."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mopskit.data import load
from mopskit.errors import DataError, ParameterError
from mopskit.leads.scoring import Band, ScoringModel, explain_score, fit_points, score_leads, scoring_model

MODEL = ScoringModel.from_dict(
    {
        "threshold": 50,
        "half_life_days": 10,
        "fit": {"seniority": {"vp": 20, "entry": -5}, "employees": [{"max": 50, "points": 0}, {"points": 10}]},
        "behaviour": {"demo_request": 40, "page_view": 2, "email_click": 5},
        "caps": {"page_view": 5},
    }
)
PEOPLE = pd.DataFrame(
    {
        "contact_id": ["a", "b", "c"],
        "seniority": ["vp", "entry", None],
        "employees": [500, 12, None],
        "mql_at": ["2026-03-11T00:00:00", None, "2026-03-01T00:00:00"],
    }
)
ACTS = pd.DataFrame(
    {
        "contact_id": ["a", "a", "a", "a", "a", "b", "b", "c"],
        "activity_type": [
            "demo_request",
            "page_view",
            "page_view",
            "page_view",
            "page_view",
            "email_click",
            "Webinar Attended",
            "demo_request",
        ],
        "occurred_at": [
            "2026-03-01T00:00:00",  # 10 days before 2026-03-11: half of 40
            "2026-03-11T00:00:00",
            "2026-03-11T00:00:00",
            "2026-03-11T00:00:00",  # 4 page views: 8 points, capped at 5
            "2026-03-11T00:00:00",
            "2026-02-19T00:00:00",  # 20 days old: a quarter of 5
            "2026-03-10T00:00:00",  # a type the model does not know: 0 points, named in the notes
            "2026-03-12T00:00:00",  # after the moment scored: ignored
        ],
    }
)


def test_fit_decay_and_caps_by_hand():
    scored = score_leads(PEOPLE, ACTS, model=MODEL, as_of="2026-03-11").set_index("contact_id")
    assert scored.loc["a", "fit_score"] == 30.0  # vp 20 + more than 50 employees 10
    assert scored.loc["a", "behaviour_score"] == pytest.approx(20.0 + 5.0)
    assert scored.loc["a", "score"] == pytest.approx(55.0) and scored.loc["a", "above_threshold"]
    assert scored.loc["b", "score"] == pytest.approx(-5.0 + 0 + 1.25)
    assert scored.loc["c", "score"] == 0.0 and not scored.loc["c", "hand_raiser"]
    assert scored.loc["a", "last_activity_at"] == pd.Timestamp("2026-03-11")
    assert "webinar attended" in " ".join(scored.attrs["notes"])


def test_hand_raisers_are_recent_only():
    recent = score_leads(PEOPLE, ACTS, model=MODEL.with_changes(hand_raiser_days=14), as_of="2026-03-11")
    old = score_leads(PEOPLE, ACTS, model=MODEL.with_changes(hand_raiser_days=5), as_of="2026-03-11")
    assert recent.set_index("contact_id").loc["a", "hand_raiser"]
    assert not old.set_index("contact_id").loc["a", "hand_raiser"]


def test_scoring_each_contact_as_of_its_own_moment():
    scored = score_leads(PEOPLE, ACTS, model=MODEL, as_of="mql_at").set_index("contact_id")
    assert scored.loc["a", "score"] == pytest.approx(55.0)
    assert scored.loc["b", "behaviour_score"] == 0.0, "no moment, nothing counted"
    assert scored.loc["c", "behaviour_score"] == 0.0, "the demo request came after its moment"


def test_no_decay_and_a_later_moment():
    flat = MODEL.with_changes(half_life_days=None)
    later = score_leads(PEOPLE, ACTS, model=flat, as_of="2026-06-01").set_index("contact_id")
    assert later.loc["a", "behaviour_score"] == 45.0 and later.loc["c", "behaviour_score"] == 40.0
    decayed = score_leads(PEOPLE, ACTS, model=MODEL, as_of="2026-06-01").set_index("contact_id")
    assert decayed.loc["a", "behaviour_score"] < 1.0


def test_explanation_adds_up_and_names_the_cap():
    why = explain_score("a", PEOPLE, ACTS, model=MODEL, as_of="2026-03-11")
    assert why.score == pytest.approx(55.0) and why.above_threshold
    lines = why.lines.set_index("item")
    assert lines.loc["page_view", "points"] == 5.0 and "capped at 5" in lines.loc["page_view", "detail"]
    assert lines.loc["demo_request", "points"] == pytest.approx(20.0)
    assert "scores 55.0 (threshold 50): an MQL" in why.summary()
    assert "<table>" in why._repr_html_() and "page_view" in str(why)
    with pytest.raises(ParameterError, match="there is no contact 'zz'"):
        explain_score("zz", PEOPLE, ACTS, model=MODEL)


def test_bands_and_values():
    assert Band(None, 5).label(200) == "201+"
    points = fit_points(pd.DataFrame({"employees": [1, 50, 51, 10_000, None]}), MODEL)
    assert points["employees"].tolist() == [0, 0, 10, 10, 0]
    table = scoring_model().describe()
    assert {"fit", "behaviour", "decay", "threshold"} <= set(table["part"])
    assert "51-200" in set(table["value"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"threshold": "high"}, r"ScoringModel: 'threshold' must be a number \(got 'high'\)"),
        ({"half_life_days": -3}, r"ScoringModel: 'half_life_days' must be a number, more than 0 \(got -3\)"),
        (
            {"behaviour": {"demo_request": "lots"}},
            r"ScoringModel: 'behaviour.demo_request' must be a number \(got 'lots'\)",
        ),
        ({"fit": {"employees": [{"points": 1}, {"max": 10, "points": 2}]}}, "must go up in order"),
        ({"fit": {"employees": [{"max": 10}]}}, "band 1 must give points and a max"),
        ({"fit": {"seniority": 5}}, "'seniority' must map each value to its points"),
        ({"treshold": 50}, r"unknown scoring model key\(s\) treshold; valid: "),
    ],
)
def test_a_bad_model_is_refused_with_the_fix(data, message):
    with pytest.raises(ParameterError, match=message):
        ScoringModel.from_dict(data)


def test_missing_columns_and_bad_moments_are_clear():
    with pytest.raises(DataError, match="the activities table has no column 'occurred_at'"):
        score_leads(PEOPLE, ACTS.drop(columns="occurred_at"), model=MODEL)
    with pytest.raises(
        ParameterError, match=r"score_leads: 'as_of' must be a date written YYYY-MM-DD.* \(got 'last tuesday'\)"
    ):
        score_leads(PEOPLE, ACTS, model=MODEL, as_of="last tuesday")
    with pytest.raises(
        DataError,
        match=r"score_leads: 'occurred_at' must be a date written YYYY-MM-DD.* in row 2 of the activities table",
    ):
        score_leads(PEOPLE, ACTS.assign(occurred_at="31/03/2026"), model=MODEL)


def test_duckdb_gives_the_same_scores_as_pandas(tmp_path):
    contacts, activities = load("contacts"), load("activities")
    for as_of in ("2026-10-31", "mql_at"):
        expected = score_leads(contacts, activities, as_of=as_of)
        got = score_leads(str(_datasets() / "contacts.csv"), str(_datasets() / "activities.csv"), as_of=as_of)
        columns = ["contact_id", "fit_score", "behaviour_score", "score", "above_threshold", "hand_raiser"]
        pd.testing.assert_frame_equal(got[columns], expected[columns], check_dtype=False, atol=1e-6)
        assert got["last_activity_at"].equals(expected["last_activity_at"])
    parquet = tmp_path / "acts.parquet"
    ACTS.to_parquet(parquet)
    frame = score_leads(PEOPLE, ACTS, model=MODEL, as_of="2026-03-11")
    mixed = score_leads(PEOPLE, str(parquet), model=MODEL, as_of="2026-03-11")
    pd.testing.assert_frame_equal(mixed[["contact_id", "score"]], frame[["contact_id", "score"]])
    assert mixed.attrs["notes"] == frame.attrs["notes"]


def test_a_file_without_the_columns_names_them(tmp_path):
    path = tmp_path / "acts.csv"
    path.write_text("who,what\nc1,page_view\n")
    with pytest.raises(
        DataError, match=r"acts.csv does not fit the 'activities' table: column 'contact_id' is missing"
    ):
        score_leads(PEOPLE, str(path), model=MODEL)


def _datasets():
    from mopskit._resources import datasets_dir

    return datasets_dir()


@settings(max_examples=40, deadline=None)
@given(
    ages=st.lists(st.floats(min_value=0, max_value=400), min_size=1, max_size=6),
    half=st.floats(min_value=1, max_value=90),
)
def test_decay_never_adds_points_and_older_counts_less(ages, half):
    model = MODEL.with_changes(half_life_days=half, caps={"page_view": 1e9})
    as_of = pd.Timestamp("2026-06-01")
    acts = pd.DataFrame(
        {
            "contact_id": "a",
            "activity_type": "page_view",
            "occurred_at": [as_of - pd.Timedelta(days=a) for a in ages],
        }
    )
    score = score_leads(PEOPLE.iloc[:1], acts, model=model, as_of=as_of)["behaviour_score"].iloc[0]
    assert 0 <= score <= 2 * len(ages) + 1e-9
    older = score_leads(
        PEOPLE.iloc[:1], acts.assign(occurred_at=acts["occurred_at"] - pd.Timedelta(days=5)), model=model, as_of=as_of
    )
    assert older["behaviour_score"].iloc[0] <= score + 1e-9


def test_moments_with_utc_offsets_and_spaces_read_alike_in_both_engines(tmp_path):
    shifted = ACTS.assign(occurred_at=[f" {t}+02:00 " for t in ACTS["occurred_at"]])  # two hours ahead of UTC
    path = tmp_path / "acts.csv"
    shifted.to_csv(path, index=False)
    frame = score_leads(PEOPLE, shifted, model=MODEL, as_of="2026-03-11")
    files = score_leads(PEOPLE, str(path), model=MODEL, as_of="2026-03-11")
    pd.testing.assert_frame_equal(files[["contact_id", "score"]], frame[["contact_id", "score"]])
    assert frame.set_index("contact_id").loc["a", "last_activity_at"] == pd.Timestamp("2026-03-10T22:00:00")


def test_keep_chooses_the_contact_columns_carried():
    lean = score_leads(PEOPLE, ACTS, model=MODEL, as_of="2026-03-11", keep=())
    assert list(lean.columns) == [
        "contact_id",
        "fit_score",
        "behaviour_score",
        "score",
        "above_threshold",
        "hand_raiser",
        "last_activity_at",
    ]
    full = score_leads(PEOPLE, ACTS, model=MODEL, as_of="2026-03-11")
    assert "seniority" in full.columns
    assert lean["score"].tolist() == full["score"].tolist(), "the fit is read whatever the result keeps"
    from mopskit._resources import datasets_dir

    on_file = score_leads(str(datasets_dir() / "contacts.csv"), load("activities"), as_of="2026-10-31", keep=())
    assert on_file["score"].equals(score_leads(load("contacts"), load("activities"), as_of="2026-10-31")["score"])


def test_the_model_reads_in_the_trainees_language_and_keeps_its_english_for_code():
    from mopskit.i18n import language
    from mopskit.leads import scoring_model
    from mopskit.present import shown

    with language("th"):
        table = scoring_model().describe()
    assert set(table["part"]) == {"fit", "behaviour", "decay", "threshold"}
    thai = shown(table)
    assert thai.columns.tolist() == ["ส่วน", "กฎ", "ค่า", "คะแนนที่ได้"]
    assert set(thai.iloc[:, 0]) == {"ความเหมาะสม", "พฤติกรรม", "การลดลงของคะแนน", "เกณฑ์"}


def test_activity_counts_count_each_activity_at_each_moment_and_name_a_missing_column():
    from mopskit.errors import DataError
    from mopskit.leads import activity_counts
    from mopskit.leads.scenarios import scenario

    activities = scenario("score_by_hand")["activities"]
    counts = activity_counts(activities)
    assert counts.columns.tolist() == ["activity_type", "occurred_at", "times"]
    assert counts["times"].sum() == len(activities)
    with pytest.raises(DataError, match="occurred_at"):
        activity_counts(activities.drop(columns="occurred_at"))
