import filecmp

import pandas as pd
import pytest

from mopskit.data import describe, dictionary_markdown, load, read, read_raw, table_spec, tables, validate
from mopskit.data.generate import generate
from mopskit.errors import DataError, ParameterError

HEADER = "campaign_id,name,channel,start_date,end_date,budget,spend,owner\n"
GOOD_ROW = "CMP-1,Spring,email,2026-03-01,2026-03-20,1000,900,Ana\n"


@pytest.mark.parametrize("name", [t for t in tables()])
def test_every_bundled_table_loads_typed(name):
    df = load(name)
    assert len(df) > 0
    spec = table_spec(name)
    assert list(df.columns[: len(spec.columns)]) == [c for c in spec.columns if c in df.columns]
    for col in spec.columns.values():
        if col.type in ("date", "datetime", "month"):
            assert pd.api.types.is_datetime64_any_dtype(df[col.name]), col.name
        if col.type in ("money", "percent", "float"):
            assert pd.api.types.is_float_dtype(df[col.name]), col.name


def test_survey_is_the_22_tasks_exactly():
    survey = load("mops_tasks_survey")
    assert len(survey) == 22
    assert survey.iloc[0][["task", "share_pct"]].tolist() == ["Design, run and optimize/test marketing campaigns", 84.5]
    assert survey.iloc[-1][["task", "share_pct"]].tolist() == ["Perform security reviews of martech products", 8.5]


def test_load_returns_a_copy():
    first = load("campaigns")
    first.loc[0, "name"] = "changed"
    assert load("campaigns").loc[0, "name"] != "changed"


def test_the_data_has_the_flaws_the_lessons_need():
    stack = load("martech_stack")
    assert stack["owner"].isna().any(), "an unowned tool"
    assert (stack["active_users"] < stack["seats"] * 0.3).any(), "idle seats"
    assert stack["category"].value_counts().max() >= 2, "redundant tools"
    overdue = stack["holds_personal_data"] & (stack["last_privacy_review"] < "2025-11-01")
    assert overdue.any(), "an overdue privacy review"
    campaigns = load("campaigns")
    assert (campaigns["spend"] > campaigns["budget"]).any() and (campaigns["spend"] < campaigns["budget"]).any()
    events = load("email_events")
    clicks = events[events["event_type"] == "clicked"]
    assert len(clicks) > clicks["contact_id"].nunique(), "total clicks exceed unique clickers"
    with pytest.raises(DataError):
        read(_datasets() / "contacts_raw.csv", table="contacts")


def _datasets():
    from mopskit._resources import datasets_dir

    return datasets_dir()


def test_funnel_rates_fall_in_practitioner_ranges():
    contacts = load("contacts")
    mql, sql = contacts["mql_at"].notna().sum(), contacts["sql_at"].notna().sum()
    opp, won = contacts["opportunity_at"].notna().sum(), contacts["customer_at"].notna().sum()
    assert 0.10 < mql / len(contacts) < 0.45
    assert 0.15 < sql / mql < 0.5
    assert 0.35 < opp / sql < 0.75
    assert 0.1 < won / opp < 0.45


@pytest.mark.slow
def test_generator_reproduces_the_committed_files(tmp_path):
    written = generate(out_dir=tmp_path)
    for path in written:
        assert filecmp.cmp(path, _datasets() / path.name, shallow=False), f"{path.name} differs from datasets/"


def test_generator_refuses_a_bad_scale(tmp_path):
    with pytest.raises(ParameterError, match="'scale' must be greater than 0"):
        generate(scale=0, out_dir=tmp_path)


def test_data_dictionary_is_current():
    assert (_datasets() / "README.md").read_text() == dictionary_markdown()
    assert describe("budget")["column"].tolist() == ["month", "channel", "planned", "forecast", "actual"]


def test_datasets_stay_small():
    assert sum(p.stat().st_size for p in _datasets().iterdir()) < 10 * 1024 * 1024


def _write(tmp_path, content, name="export.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "export.csv: the file is empty"),
        (b"  \n\n", "export.csv: the file is empty"),
        (HEADER, "export.csv: the file has a header but no rows"),
        (b"PK\x03\x04rest-of-a-zip", "export.csv: this is an Excel workbook, not a CSV file"),
        (HEADER.replace(",", ":") + GOOD_ROW.replace(",", ":"), "the whole header landed in one column"),
        (
            HEADER.replace(",spend", "") + "CMP-1,S,email,2026-03-01,2026-03-20,1000,Ana\n",
            "column 'spend' is missing; the file has: campaign_id, name, channel, start_date, end_date, budget, owner",
        ),
        (
            HEADER + "CMP-1,S,email,31/03/2026,2026-04-20,1000,900,Ana\n",
            "row 2: 'start_date' must be a date written YYYY-MM-DD, like 2026-03-31 (got '31/03/2026')",
        ),
        (
            HEADER + GOOD_ROW + "CMP-2,S,email,2026-03-01,2026-03-20,1000,-120.50,Ana\n",
            "row 3: 'spend' must be an amount of money, 0 or more, like 1200.50 (got '-120.50')",
        ),
        (HEADER + GOOD_ROW + GOOD_ROW, "row 3: 'campaign_id' must be unique (got 'CMP-1' more than once)"),
        (
            HEADER + "CMP-1,S,tv,2026-03-01,2026-03-20,1000,900,Ana\n",
            "row 2: 'channel' must be one of email, paid_search",
        ),
        (
            HEADER + "CMP-1,S,email,2026-03-21,2026-03-20,1000,900,Ana\n",
            "row 2: 'end_date' must be on or after 'start_date' (got start_date=2026-03-21, end_date=2026-03-20)",
        ),
        (HEADER + "CMP-1,S,email,2026-03-01,2026-03-20,1000,900,Ana,extra\n", "row 2 has 9 cells but the header has 8"),
    ],
    ids=[
        "empty",
        "blank",
        "header-only",
        "xlsx",
        "wrong-separator",
        "missing-column",
        "bad-date",
        "negative-money",
        "duplicate-id",
        "unknown-category",
        "end-before-start",
        "ragged-row",
    ],
)
def test_bad_file_gallery(tmp_path, content, problem):
    path = _write(tmp_path, content)
    before = path.read_bytes()
    with pytest.raises(DataError) as info:
        read(path, table="campaigns")
    assert problem in str(info.value)
    assert "Traceback" not in str(info.value)
    assert path.read_bytes() == before, "the user's file is never modified"


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    path = _write(tmp_path, HEADER + "CMP-1,S,tv,bad,2026-03-20,x,-1,Ana\nCMP-1,S,email,2026-03-01,2026-03-20,1,1,A\n")
    with pytest.raises(DataError) as info:
        read(path, table="campaigns")
    assert len(info.value.problems) == 6
    assert str(info.value).startswith("export.csv does not fit the 'campaigns' table (6 problems):")
    assert info.value.source == "export.csv"


@pytest.mark.parametrize(
    ("encoding", "sep", "bom"),
    [("utf-8", ",", b""), ("utf-8", ";", b"\xef\xbb\xbf"), ("cp1252", ";", b""), ("utf-16", "\t", b"")],
)
def test_excel_style_exports_are_accepted(tmp_path, encoding, sep, bom):
    text = (
        "Campaign ID;Campaign Name;Type;Start Date;End Date;Budgeted Cost;Actual Cost;Campaign Owner\r\n"
        "CMP-1;Café launch;Paid Search;2026-03-01;2026-03-20;1000,50;900;Zoë\r\n"
    ).replace(";", sep)
    if sep == ",":
        text = text.replace("1000,50", '"1000.50"')
    path = _write(tmp_path, bom + text.encode(encoding))
    df = read(path, table="campaigns")
    assert df.loc[0, "name"] == "Café launch" and df.loc[0, "owner"] == "Zoë"
    assert df.loc[0, "channel"] == "paid_search"
    assert df.loc[0, "budget"] == 1000.5
    assert df.loc[0, "start_date"] == pd.Timestamp("2026-03-01")


def test_missing_file_and_unknown_table(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read(tmp_path / "nope.csv", table="campaigns")
    with pytest.raises(DataError, match=r"unknown table 'campaign'; valid: .*campaigns"):
        read(tmp_path / "nope.csv", table="campaign")


def test_read_raw_guesses_numbers_and_decimal_commas(tmp_path):
    path = _write(tmp_path, "Name;Spend\r\nA;1,5\r\nB;2\r\n".encode("cp1252"))
    df = read_raw(path)
    assert df["Spend"].tolist() == [1.5, 2.0]


def test_an_open_vocabulary_maps_aliases_keeps_unknown_labels_and_the_labels_as_written(tmp_path):
    path = _write(tmp_path, "Tool,Type,Status,Cost\nA,MAP,Active,1\nB,E-mail,retired,0\nC,Loyalty,On hold,2\n")
    df = read(path, table="martech_stack")
    assert df["category"].tolist() == ["marketing_automation", "email", "Loyalty"]
    assert df["category_label"].tolist() == ["MAP", "E-mail", "Loyalty"]
    assert df["status"].tolist() == ["in_use", "retired", "On hold"]
    assert table_spec("martech_stack").columns["category"].open
    assert not table_spec("campaigns").columns["channel"].open, "other tables keep their closed lists"


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_yes_no_cell_that_is_neither_is_an_error_not_true(tmp_path, value):
    path = _write(tmp_path, f"tool,category,annual_cost,holds_personal_data\nA,crm,1,{value}\nB,crm,1,no\n")
    with pytest.raises(DataError) as info:
        read(path, table="martech_stack")
    assert info.value.problems == [
        f"row 2: 'holds_personal_data' must be true or false (yes/no and 1/0 are accepted too) (got '{value}')"
    ]


def test_validate_checks_a_dataframe_as_read_checks_a_file():
    frame = pd.DataFrame(
        {
            "Campaign ID": ["C1", "C2"],
            "Campaign Name": ["a", "b"],
            "Type": ["Paid Search", "tv"],
            "Start": [pd.Timestamp("2026-03-01")] * 2,
            "End": ["2026-03-05", ""],
            "Budget": [10, 5.5],
            "Spend": [1, 2],
            "Owner": ["Ana", None],
        }
    )
    with pytest.raises(DataError) as info:
        validate(frame, table="campaigns", label="my campaigns")
    assert info.value.problems == [
        "row 3: 'channel' must be one of email, paid_search, paid_social, webinar, events, content, seo, direct_mail "
        "(got 'tv')",
        "row 3: 'end_date' is empty; it must be a date written YYYY-MM-DD, like 2026-03-31",
    ]
    assert str(info.value).startswith("my campaigns does not fit the 'campaigns' table (2 problems)")
    good = validate(frame.iloc[:1], table="campaigns")
    assert good.loc[0, "channel"] == "paid_search" and good.loc[0, "budget"] == 10.0
    assert frame.loc[0, "Type"] == "Paid Search", "the DataFrame given is not changed"


def test_money_is_read_the_kits_one_way(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text('month,channel,planned,forecast,actual\n2026-01,email,"1,000.00",$900,12.50 EUR\n')
    row = read(path, table="budget").iloc[0]
    assert (row.planned, row.forecast, row.actual) == (1000.0, 900.0, 12.5)
    path.write_text("month,channel,planned,forecast,actual\n2026-01,email,abc,1,-2\n")
    with pytest.raises(DataError) as info:
        read(path, table="budget")
    assert "row 2: 'planned' must be an amount of money" in str(info.value)
    assert "row 2: 'actual' must be an amount of money, 0 or more" in str(info.value)
