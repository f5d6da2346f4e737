"""Lead routing by rules: named accounts, territory round robin (ties by contact id), the fallback queue."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mopskit.data import load
from mopskit.errors import DataError, ParameterError
from mopskit.leads.routing import RoutingRules, active_owners, route_leads, routing_problems, routing_rules

TEAM = pd.DataFrame(
    {
        "owner": ["Ana", "Bo", "Cy", "Dee", "Queue"],
        "role": ["sdr", "sdr", "sdr", "account_executive", "queue"],
        "territory": ["emea", "emea", "amer", "emea", "all"],
        "time_zone": ["Europe/Bucharest", "Europe/London", "America/Chicago", "Europe/London", "UTC"],
        "started_on": ["2025-01-01", "2025-01-01", "2026-05-01", "2024-01-01", "2020-01-01"],
        "left_on": [None, "2026-06-30", None, None, None],
        "active": [True, False, True, True, True],
    }
)
RULES = RoutingRules.from_dict(
    {
        "rules": [
            {"kind": "named_account", "accounts": {"Globex  Corp": "Dee", "Initech": "Bo"}},
            {"kind": "territory", "role": "sdr", "territories": {"emea": ["RO", "GB"], "amer": ["US"]}},
            {"kind": "fallback", "queue": "Queue"},
        ]
    }
)


def _leads(**columns):
    n = len(next(iter(columns.values())))
    base = {"contact_id": [f"c{i}" for i in range(1, n + 1)], "mql_at": ["2026-03-02T10:00:00"] * n}
    return pd.DataFrame({**base, **columns})


def test_round_robin_takes_turns_in_arrival_order_and_ties_go_by_contact_id():
    leads = pd.DataFrame(
        {
            "contact_id": ["c3", "c1", "c2", "c4"],
            "country": ["RO", "RO", "RO", "RO"],
            "mql_at": ["2026-03-02T10:00:00", "2026-03-02T10:00:00", "2026-03-01T09:00:00", None],
        }
    )
    routed = route_leads(leads, TEAM, rules=RULES, as_of="2026-03-05").set_index("contact_id")
    # order: c2 (earliest), then the tie c1 before c3, then c4 (no moment: last); reps Ana, Bo by name
    assert routed["turn"].to_dict() == {"c2": 1, "c1": 2, "c3": 3, "c4": 4}
    assert routed["owner"].to_dict() == {"c2": "Ana", "c1": "Bo", "c3": "Ana", "c4": "Bo"}
    shuffled = route_leads(leads.iloc[::-1], TEAM, rules=RULES, as_of="2026-03-05").set_index("contact_id")
    assert shuffled["owner"].to_dict() == routed["owner"].to_dict(), "the file's order changes nothing"


def test_named_accounts_win_over_territory_and_survive_spacing_and_case():
    leads = _leads(country=["RO", "US", "RO"], company=["globex corp", "GLOBEX   Corp", "Birch Bank"])
    routed = route_leads(leads, TEAM, rules=RULES, as_of="2026-06-01")
    assert routed["owner"].tolist() == ["Dee", "Dee", "Ana"]
    assert routed["rule"].tolist() == ["named_account", "named_account", "territory"]
    assert routed["reason"].iloc[0] == "named account globex corp: its owner"


def test_who_is_in_the_team_depends_on_the_moment():
    assert set(active_owners(TEAM)["owner"]) == {"Ana", "Cy", "Dee", "Queue"}
    assert set(active_owners(TEAM, as_of="2026-04-01")["owner"]) == {"Ana", "Bo", "Dee", "Queue"}
    assert "Bo" in set(active_owners(TEAM, as_of="2026-06-30T12:00:00")["owner"]), "the last day counts"
    leads = _leads(country=["RO", "RO", "US"], company=["Initech", "x", "y"])
    july = route_leads(leads, TEAM, rules=RULES, as_of="2026-07-15")
    assert july["owner"].tolist() == ["Ana", "Ana", "Cy"], "Bo left: his named account goes by territory"
    assert "its account owner Bo is not in the team now" in july["reason"].iloc[0]
    april = route_leads(leads, TEAM, rules=RULES, as_of="2026-04-01")
    assert april["owner"].tolist() == ["Bo", "Ana", "Queue"], "nobody in amer yet: the queue"
    assert april["reason"].iloc[2] == "territory amer has no active sdr: the fallback queue"


def test_the_fallback_says_why():
    leads = _leads(country=[None, "BR", " gb "])
    routed = route_leads(leads, TEAM, rules=RULES, as_of="2026-03-01")
    assert routed["owner"].tolist() == ["Queue", "Queue", "Ana"]
    assert routed["reason"].tolist()[:2] == [
        "no country: the fallback queue",
        "country BR is in no territory: the fallback queue",
    ]
    assert "2 of 3 leads went to the fallback queue" in routed.attrs["notes"][0]


def test_only_with_routes_only_the_mqls():
    leads = _leads(country=["RO", "RO"]).assign(mql_at=["2026-03-02T10:00:00", None])
    assert route_leads(leads, TEAM, rules=RULES, only_with="mql_at")["contact_id"].tolist() == ["c1"]


@settings(max_examples=50, deadline=None)
@given(
    countries=st.lists(st.sampled_from(["RO", "GB", "US", "BR", None]), min_size=1, max_size=40),
    companies=st.lists(st.sampled_from(["Globex Corp", "Initech", "Alder", None]), min_size=40, max_size=40),
    minutes=st.lists(st.integers(min_value=0, max_value=5), min_size=40, max_size=40),
    as_of=st.sampled_from(["2026-03-01", "2026-07-01", None]),
)
def test_every_lead_is_routed_exactly_once_to_someone_active(countries, companies, minutes, as_of):
    n = len(countries)
    leads = pd.DataFrame(
        {
            "contact_id": [f"c{i:03d}" for i in range(n)],
            "country": countries,
            "company": companies[:n],
            "mql_at": [pd.Timestamp("2026-03-02") + pd.Timedelta(minutes=m) for m in minutes[:n]],
        }
    )
    routed = route_leads(leads, TEAM, rules=RULES, as_of=as_of)
    assert routed["contact_id"].tolist() == leads["contact_id"].tolist()
    assert routed["owner"].notna().all() and routed["reason"].str.len().gt(0).all()
    assert set(routed["owner"]) <= set(active_owners(TEAM, as_of=as_of)["owner"]) | {"Queue"}
    turns = routed[routed["rule"] == "territory"].groupby("territory")["turn"]
    for _territory, values in turns:
        assert sorted(values) == list(range(1, len(values) + 1)), "each territory's turns are 1, 2, 3..."


def test_duckdb_routes_the_same_as_pandas(tmp_path):
    contacts, team = load("contacts"), load("sales_team")
    from mopskit._resources import datasets_dir

    for as_of in ("2026-06-01", "2026-10-31"):
        expected = route_leads(contacts, team, as_of=as_of, only_with="mql_at")
        got = route_leads(str(datasets_dir() / "contacts.csv"), team, as_of=as_of, only_with="mql_at")
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)
        assert got.attrs["notes"] == expected.attrs["notes"]
    leads = _leads(country=["RO", "RO", None, "US"], company=["Initech", "x", "Globex corp", "  GLOBEX\tCorp "])
    path = tmp_path / "leads.parquet"
    leads.assign(mql_at=pd.to_datetime(leads["mql_at"])).to_parquet(path)
    pd.testing.assert_frame_equal(
        route_leads(str(path), TEAM, rules=RULES, as_of="2026-07-15"),
        route_leads(leads, TEAM, rules=RULES, as_of="2026-07-15"),
        check_dtype=False,
    )


def test_the_sample_data_has_leads_routed_to_someone_who_had_left():
    problems = routing_problems(load("contacts"), load("sales_team"))
    gone = problems[problems["problem"] == "owner had left"]
    assert set(gone["owner"]) == {"Tom Baker"} and gone["first_sales_touch_at"].isna().all()
    assert gone["detail"].iloc[0].startswith("Tom Baker left on 2026-07-31; routed on 2026-08")
    odd = pd.DataFrame({"contact_id": ["a", "b"], "owner": ["Nobody", None], "mql_at": ["2026-01-01", "2026-01-02"]})
    assert routing_problems(odd, TEAM)["problem"].tolist() == ["unknown owner", "MQL with no owner"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rules": []}, "routing rules need a list of rules"),
        (
            {"rules": [{"kind": "lottery"}]},
            r"RoutingRules: 'rules\[1\].kind' must be one of named_account, territory, fallback \(got 'lottery'\)",
        ),
        ({"rules": [{"kind": "fallback"}, {"kind": "territory"}]}, "the last routing rule must be the fallback"),
        (
            {"rules": [{"kind": "territory", "territories": {"a": ["RO"], "b": ["ro"]}}, {"kind": "fallback"}]},
            "country RO is in two territories",
        ),
        ({"rules": [{"kind": "fallback"}, {"kind": "fallback"}]}, "name the kind 'fallback' twice"),
    ],
)
def test_bad_rules_are_refused_with_the_fix(data, message):
    with pytest.raises(ParameterError, match=message):
        RoutingRules.from_dict(data)


def test_bad_inputs_are_clear(tmp_path):
    with pytest.raises(DataError, match="the contacts table has no column 'contact_id'"):
        route_leads(pd.DataFrame({"country": ["RO"]}), TEAM)
    with pytest.raises(DataError, match="the sales_team table has no column 'owner'"):
        route_leads(_leads(country=["RO"]), TEAM.drop(columns="owner"))
    with pytest.raises(ParameterError, match="active_owners: 'as_of' must be a date written YYYY-MM-DD"):
        route_leads(_leads(country=["RO"]), TEAM, as_of="soon")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match=r"empty\.csv: the file is empty"):
        route_leads(str(empty), TEAM)
    assert routing_rules().queue == "Lead queue"


def test_the_rules_table_lists_them_in_their_order_worded_for_people():
    from mopskit.i18n import language
    from mopskit.leads import routing_rules
    from mopskit.present import shown

    rules = routing_rules()
    table = rules.table()
    assert table.columns.tolist() == ["rule", "applies to", "goes to"]
    assert len(table) == len(rules.accounts) + len(rules.territories) + 1
    assert table.iloc[-1].tolist() == ["fallback", "everything else", rules.queue]
    with language("th"):
        thai = shown(rules.table())
    assert thai.columns.tolist() == ["กฎ", "ใช้กับ", "ส่งให้"]
    assert thai.iloc[-1, 0] == "คิวสำรอง"
