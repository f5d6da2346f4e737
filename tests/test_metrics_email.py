"""Email metrics against values worked out by hand on a tiny fixture, in pandas and in DuckDB alike."""

import math
import shutil

import pandas as pd
import pytest

from mopskit._resources import datasets_dir
from mopskit.data import load, read
from mopskit.errors import DataError, ParameterError
from mopskit.metrics import data_quality, email_metrics, notes, per_campaign
from mopskit.metrics.email import COLUMNS as EMAIL_COLUMNS

NAN = math.nan
# worked out by hand from tests/files/metrics/email_events.csv (see the comments there)
BY_CAMPAIGN = {
    #     sent deliv bounced deliv% bounce% opens uopens open% clicks uclicks ctr ctor unsub unsub%
    "A": (4, 3, 1, 75.0, 25.0, 3, 2, 200 / 3, 3, 1, 100 / 3, 50.0, 1, 100 / 3),
    "B": (2, 0, 2, 0.0, 100.0, 0, 0, NAN, 0, 0, NAN, NAN, 0, NAN),
    "Z": (1, 1, 0, 100.0, 0.0, 1, 1, 100.0, 0, 0, 0.0, 0.0, 0, 0.0),
}
COLUMNS = EMAIL_COLUMNS[1:]  # every column but the count of campaigns, in the order of BY_CAMPAIGN


@pytest.fixture
def campaigns(files):
    return read(files / "metrics" / "campaigns.csv", table="campaigns")


@pytest.fixture(params=["dataframe", "csv", "parquet", "parquet timestamps", "parquet folder"])
def events(request, files, tmp_path):
    """The same fixture events as a DataFrame (pandas path) and as files (DuckDB path)."""
    path = files / "metrics" / "email_events.csv"
    frame = pd.read_csv(path)
    if request.param == "dataframe":
        return frame
    if request.param == "csv":
        return path
    if request.param.startswith("parquet") and "folder" not in request.param:
        if request.param == "parquet timestamps":
            frame["occurred_at"] = pd.to_datetime(frame["occurred_at"])
        frame.to_parquet(tmp_path / "events.parquet")
        return tmp_path / "events.parquet"
    folder = tmp_path / "events"
    (folder / "part=1").mkdir(parents=True)
    frame.iloc[:10].to_parquet(folder / "a.parquet")
    frame.iloc[10:].to_parquet(folder / "part=1" / "b.parquet")
    return folder


def _assert_row(row, expected):
    for column, value in zip(COLUMNS, expected, strict=True):
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(row[column]), column
        else:
            assert row[column] == pytest.approx(value), column


@pytest.mark.parametrize("campaign", sorted(BY_CAMPAIGN))
def test_every_metric_by_campaign_matches_the_hand_computed_values(events, campaign):
    result = email_metrics(events, by="campaign_id").set_index("campaign_id")
    _assert_row(result.loc[campaign], BY_CAMPAIGN[campaign])


def test_total_row_sums_sends_not_rates(events):
    [total] = email_metrics(events).to_dict(orient="records")
    assert (total["campaigns"], total["sent"], total["delivered"], total["unique_opens"]) == (3, 7, 4, 3)
    assert total["open_rate"] == pytest.approx(75.0)  # 3 unique openers / 4 delivered, not a mean of rates


def test_zero_denominators_give_missing_values_with_an_explanation(events):
    result = email_metrics(events, by="campaign_id")
    said = " ".join(notes(result))
    assert "campaign_id=B: open_rate, click_through_rate, unsubscribe_rate left empty because delivered is 0" in said
    assert "campaign_id=B: click_to_open_rate left empty because unique_opens is 0" in said
    assert not (result[COLUMNS].abs() == math.inf).any().any()


def test_unknown_event_types_are_counted_and_reported(events):
    result = email_metrics(events)
    assert data_quality(result)["unknown_event_types"] == {"forwarded": 1}
    assert "1 event of a type the kit does not know" in notes(result)[0]


def test_events_of_unknown_campaigns_are_counted_and_reported(events, campaigns):
    result = email_metrics(events, by="channel", campaigns=campaigns).set_index("channel")
    assert data_quality(result)["unknown_campaigns"] == {"Z": 3}
    assert "3 events belong to 1 campaign(s) missing from the campaign list: Z (3)" in " ".join(notes(result))
    assert result.loc["(unknown campaign)", "sent"] == 1
    assert result.loc["email", "sent"] == 6
    assert "webinar" not in result.index, "a campaign with no email events has no row"


def test_month_is_the_month_of_the_send_so_late_opens_stay_with_it(events):
    result = email_metrics(events, by="month").set_index("month")
    assert result.loc["2026-01", "unique_opens"] == 2  # c2 opened on 1 February, the send was in January
    assert result.loc["2026-02", "sent"] == 3


@pytest.mark.parametrize(
    ("options", "sent"),
    [
        ({"start": "2026-02-01"}, 3),
        ({"end": "2026-01-31"}, 4),
        ({"start": "2026-02-01", "end": "2026-02-10"}, 2),
        ({"channels": ["email"]}, 6),
        ({"channels": ["webinar"]}, 0),
    ],
)
def test_period_and_channel_filters(events, campaigns, options, sent):
    result = email_metrics(events, campaigns=campaigns, **options)
    assert int(result["sent"].sum()) == sent


def test_a_period_with_no_send_gives_an_empty_table_and_says_so(events, campaigns):
    result = email_metrics(events, by="month", start="2027-01-01")
    assert result.empty and "No email send falls in the period" in notes(result)[-1]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"by": "channel"}, r"cannot group by 'channel'; valid: campaign_id, month \(other campaign columns"),
        ({"by": "colour", "with_campaigns": True}, r"valid: campaign_id, month, name, channel, objective"),
        ({"channels": ["email"]}, r"'channels' needs the campaign list"),
        ({"channels": ["emial"], "with_campaigns": True}, r"unknown channel\(s\) 'emial'; valid: .*email"),
        ({"start": "2026-03-01", "end": "2026-02-01"}, r"'start' must be on or before 'end'"),
        ({"start": "March"}, r"'start' must be a date written YYYY-MM-DD"),
    ],
)
def test_bad_options_are_refused_with_the_valid_choices(events, campaigns, options, message):
    if options.pop("with_campaigns", False):
        options["campaigns"] = campaigns
    with pytest.raises(ParameterError, match=message):
        email_metrics(events, **options)


def test_a_file_missing_a_column_names_it_and_the_accepted_spellings(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event_id,campaign_id,event_type,occurred_at\nE1,A,sent,2026-01-01T00:00:00\n")
    with pytest.raises(DataError, match=r"column 'contact_id' is missing \(accepted spellings: contact_id, lead_id"):
        email_metrics(path)
    with pytest.raises(
        DataError, match=r"'contact_id' must be a column of the email_events table \(got columns event_id, campaign_id"
    ):
        email_metrics(pd.read_csv(path))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file or folder"),
        ("empty.csv", "", "the file is empty"),
        ("events.xlsx", "x", "cannot read '.xlsx' files at scale"),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(DataError, match=message):
        email_metrics(path)


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(DataError, match=r"holds no \.parquet files"):
        email_metrics(tmp_path)


def test_export_headers_of_other_tools_are_accepted_on_both_paths(files, tmp_path):
    frame = pd.read_csv(files / "metrics" / "email_events.csv")
    renamed = frame.rename(
        columns={"campaign_id": "Campaign", "contact_id": "Recipient ID", "event_type": "Activity Type"}
    )
    renamed["Activity Type"] = renamed["Activity Type"].str.upper() + " "
    renamed.to_csv(tmp_path / "export.csv", index=False)
    expected = email_metrics(frame, by="campaign_id")
    pd.testing.assert_frame_equal(email_metrics(renamed, by="campaign_id"), expected)
    pd.testing.assert_frame_equal(email_metrics(tmp_path / "export.csv", by="campaign_id"), expected)


@pytest.mark.parametrize("by", [None, "campaign_id", "month", "channel", ["channel", "month"], ["owner", "objective"]])
def test_duckdb_path_equals_pandas_path_on_the_sample_data(by):
    campaigns = load("campaigns")
    in_pandas = email_metrics(load("email_events"), by=by, campaigns=campaigns)
    in_duckdb = email_metrics(datasets_dir() / "email_events.csv", by=by, campaigns=campaigns)
    pd.testing.assert_frame_equal(in_pandas, in_duckdb)
    assert notes(in_pandas) == notes(in_duckdb)


@pytest.mark.slow
def test_duckdb_path_equals_pandas_path_on_a_generated_parquet_file(tmp_path):
    from mopskit.data.generate import generate

    generate(seed=7, scale=1.5, out_dir=tmp_path, parquet=True)
    campaigns = read(tmp_path / "campaigns.csv", table="campaigns")
    events = pd.read_parquet(tmp_path / "email_events.parquet")
    for by in ("campaign_id", ["channel", "month"]):
        expected = email_metrics(events, by=by, campaigns=campaigns)
        for path in (tmp_path / "email_events.parquet", tmp_path / "email_events.csv"):
            pd.testing.assert_frame_equal(email_metrics(path, by=by, campaigns=campaigns), expected)


def test_per_campaign_keeps_the_first_day_of_each_send(events):
    per = per_campaign(events).set_index("campaign_id")
    assert per.loc["A", "first_day"] == "2026-01-30" and per.loc["B", "first_day"] == "2026-02-10"


def test_events_without_a_campaign_id_are_counted_not_dropped(tmp_path):
    frame = pd.DataFrame(
        {
            "campaign_id": ["A", None],
            "contact_id": ["c1", "c2"],
            "event_type": ["sent", "sent"],
            "occurred_at": ["2026-01-01T00:00:00"] * 2,
        }
    )
    frame.to_csv(tmp_path / "e.csv", index=False)
    for source in (frame, tmp_path / "e.csv"):
        result = email_metrics(source, by="campaign_id")
        assert result["campaign_id"].tolist() == ["(no campaign id)", "A"]
        assert data_quality(result)["events_without_campaign_id"] == 1


def test_refuses_something_that_is_not_a_table():
    with pytest.raises(
        ParameterError,
        match=r"email_metrics: .events. must be a table \(a pandas DataFrame\) or text or a file path \(got \[1, 2",
    ):
        email_metrics([1, 2, 3])


def test_the_bundled_csv_can_be_copied_and_read_from_anywhere(tmp_path, monkeypatch):
    shutil.copy(datasets_dir() / "email_events.csv", tmp_path / "events.csv")
    monkeypatch.chdir(tmp_path)
    assert email_metrics("events.csv")["sent"].iloc[0] == email_metrics(load("email_events"))["sent"].iloc[0]


def _excel_rows(count=1):
    lines = ["event_id;campaign_id;contact_id;event_type;occurred_at"]
    lines += [f"E{i};CMP-1;c{i};sent;2026-01-01T09:00:00" for i in range(count)]
    return "\r\n".join([*lines, "E9;CMP-1;José;opened;2026-01-01T10:00:00", ""])


@pytest.mark.parametrize(
    ("name", "content", "sent"),
    [
        ("bom_semicolon.csv", b"\xef\xbb\xbf" + _excel_rows().encode("utf-8"), 1),
        ("windows.csv", _excel_rows().encode("cp1252"), 1),
        ("windows_late.csv", _excel_rows(5000).encode("cp1252"), 5000),  # the first non-UTF-8 byte after 64 KB
    ],
)
def test_excel_csv_exports_are_read_at_scale(tmp_path, name, content, sent):
    path = tmp_path / name
    path.write_bytes(content)
    [row] = email_metrics(path).to_dict(orient="records")
    assert (row["sent"], row["unique_opens"]) == (sent, 1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "header.csv",
            b"event_id,campaign_id,contact_id,event_type,occurred_at\n",
            "must be a table with at least one row \\(got a header only\\) in header.csv",
        ),
        ("broken.parquet", b"not parquet at all", r"broken.parquet: cannot be read \(Invalid Input Error"),
    ],
)
def test_files_without_data_get_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        email_metrics(path)


# --- bad input the way exports deliver it (each case failed before the validation layer) ------------------


def test_bounces_without_sent_events_never_give_negative_delivered_or_rates():
    events = pd.DataFrame(
        {
            "campaign_id": ["A", "A", "A", "B", "B", "B"],
            "contact_id": ["c1", "c2", "c1", "c1", "c1", "c2"],
            "event_type": ["bounced", "bounced", "opened", "sent", "sent", "opened"],
            "occurred_at": ["2026-01-05T09:00:00"] * 6,
        }
    )
    result = email_metrics(events)
    row = result.iloc[0]
    assert row.delivered >= 0 and row.sent == 2 and row.bounced == 0
    assert all(result[c].dropna().ge(0).all() for c in EMAIL_COLUMNS if c.endswith("rate"))
    assert float(row.open_rate) == 50.0  # campaign B alone: 1 opener of 2 delivered
    said = " ".join(notes(result))
    assert "A" in said and "sent" in said
    assert data_quality(result)["rows"]["events"] == {"in": 6, "excluded": {"campaign with missing sent events": 3}}


def test_header_only_events_are_refused_the_same_way_from_a_file_and_a_dataframe(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("campaign_id,contact_id,event_type,occurred_at\n")
    messages = []
    for source in (path, pd.read_csv(path)):
        with pytest.raises(DataError) as info:
            email_metrics(source)
        messages.append(str(info.value))
    assert messages[0].replace("events.csv", "the events table") == messages[1]
    assert messages[1].startswith("email_metrics: 'events' must be a table with at least one row (got a header only)")


def test_a_day_first_event_time_is_refused_from_a_file_and_a_dataframe(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "campaign_id,contact_id,event_type,occurred_at\nA,c1,sent,2026-01-05T09:00:00\nA,c2,sent,13/02/2026\n"
    )
    for source in (path, pd.read_csv(path, dtype=str)):
        with pytest.raises(DataError, match=r"'occurred_at' must be a date .*\(got '13/02/2026'\).*day-first"):
            email_metrics(source, by="month")
