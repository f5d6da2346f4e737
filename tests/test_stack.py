"""The stack audit: every check on small hand-made inventories, a clean stack, users' own exports, bad files."""

import io
import math

import pandas as pd
import pytest
from conftest import FILES

from mopskit.data import load
from mopskit.errors import DataError, ParameterError
from mopskit.stack import (
    ACTIONS,
    CHECKS,
    SEVERITIES,
    as_of,
    audit,
    categories,
    category_of,
    integration_map,
    stack_facts,
    status_of,
    statuses,
    thresholds,
)

TODAY = "2026-10-31"
CLEAN = (FILES / "stack" / "clean.csv").read_text()  # a stack with no problems, as of TODAY
MAILER = {
    "tool": "Mailer",
    "vendor": "V",
    "category": "email",
    "owner": "Bo",
    "status": "in_use",
    "annual_cost": "2400",
    "seats": "2",
    "active_users": "2",
    "last_login": "2026-10-30",
    "integrates_with": "CRM One",
    "holds_personal_data": "true",
    "dpa_signed": "true",
    "last_privacy_review": "2026-06-01",
    "last_security_review": "2026-06-01",
}


def _clean() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(CLEAN), dtype=str, keep_default_na=False)


def _with(*changes) -> pd.DataFrame:
    frame = _clean()
    for tool, values in changes:
        if tool not in set(frame["tool"]):
            frame = pd.concat([frame, pd.DataFrame([values])], ignore_index=True).fillna("")
            continue
        for column, value in values.items():
            frame.loc[frame["tool"] == tool, column] = str(value)
    return frame


def _found(result, tool, check):
    rows = result.findings[(result.findings["tool"] == tool) & (result.findings["check"] == check)]
    assert not rows.empty, f"no '{check}' finding for {tool}:\n{result.findings.to_string()}"
    return rows.iloc[0]


def test_a_stack_with_no_problems_produces_no_findings_above_info():
    result = audit(_clean(), today=TODAY)
    assert set(result.findings["severity"]) <= {"info"}, result.findings.to_string()
    assert set(result.actions["action"]) == {"keep"}
    assert result.health.score == 100.0 and (result.health.parts["score"] == 100.0).all()
    assert "found nothing that needs action" in result.summary()
    assert result.integrations.nodes.set_index("tool").loc["Ads Two", "reach"] == "indirect"
    assert result.redundant == [], "two ad networks each sell their own audience: no overlap"


CASES = [
    ([("Webinar Hub", {"active_users": 0})], ("Webinar Hub", "unused", "high", "sunset"), "0 of 3 seats active"),
    (
        [("Site", {"last_login": "2026-06-01"})],
        ("Site", "stale", "high", "sunset"),
        "last login 2026-06-01, 152 days before 2026-10-31 (limit 90 days)",
    ),
    (
        [("CRM One", {"active_users": 2})],
        ("CRM One", "utilization", "medium", "renegotiate"),
        "2 of 10 seats active (20%, below 50%); 8 idle seats; $20,000 a year, $10,000 per active user",
    ),
    ([("Site", {"owner": ""})], ("Site", "owner", "medium", "review"), "owner is empty; $3,000 a year"),
    (
        [("Webinar Hub", {"integrates_with": ""}), ("CRM One", {"integrates_with": "MAP One;Site;Ads One"})],
        ("Webinar Hub", "integration", "low", "review"),
        "no integrations; no path to CRM One, MAP One",
    ),
    (
        [("Site", {"integrates_with": "MAP One;Zoom"})],
        ("Site", "integration_target", "low", "review"),
        "integrates_with names 'Zoom'",
    ),
    (
        [("Mailer", MAILER)],
        ("Mailer", "redundancy", "medium", "consolidate"),
        "email: MAP One (5/5 seats active, 3 connection(s), $15,000); Mailer (2/2 seats active, 1 connection(s), "
        "$2,400); keep MAP One",
    ),
    (
        [("Webinar Hub", {"dpa_signed": "false"})],
        ("Webinar Hub", "privacy_dpa", "high", "review"),
        "holds_personal_data = yes, dpa_signed = no",
    ),
    (
        [("Webinar Hub", {"dpa_signed": ""})],
        ("Webinar Hub", "privacy_dpa", "high", "review"),
        "dpa_signed = unknown",
    ),
    (
        [("Webinar Hub", {"last_privacy_review": "2025-01-01"})],
        ("Webinar Hub", "privacy_review", "medium", "review"),
        "last privacy review 2025-01-01 (668 days ago); limit 365 days",
    ),
    (
        [("CRM One", {"last_security_review": ""})],
        ("CRM One", "privacy_review", "medium", "review"),
        "no security review on record",
    ),
    (
        [("Webinar Hub", {"active_users": 1, "contract_renewal": "2026-12-15", "notice_period_days": 30})],
        ("Webinar Hub", "renewal", "high", "renegotiate"),
        "notice deadline 2026-11-15, 15 day(s) from 2026-10-31; renewal 2026-12-15, 30 days' notice, $4,000",
    ),
    (
        [("Webinar Hub", {"active_users": 0, "contract_renewal": "2026-11-15", "notice_period_days": 30})],
        ("Webinar Hub", "renewal", "high", "sunset"),
        "notice deadline 2026-10-16, 15 day(s) before 2026-10-31",
    ),
    (
        [("Site", {"contract_renewal": "2026-01-01"})],
        ("Site", "renewal", "low", "review"),
        "renewal 2026-01-01, 303 days before 2026-10-31",
    ),
    (
        [("Planner", {"status": "retired"})],
        ("Planner", "retired", "medium", "review"),
        "status retired; $1,200 a year; renewal 2027-03-01",
    ),
    (
        [("Planner", {"category": "Loyalty"})],
        ("Planner", "category_label", "low", "review"),
        "category as written: 'Loyalty'",
    ),
    (
        [("Planner", {"status": "On hold"})],
        ("Planner", "status_label", "low", "review"),
        "status as written: 'On hold'",
    ),
    (
        [("CRM One", {"category": "reporting"}), ("MAP One", {"category": "cdp"})],
        ("(whole stack)", "no_hub", "medium", "review"),
        "0 tools in the categories crm or marketing_automation",
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected", "evidence"), CASES, ids=[f"{case[1][1]}-{case[1][2]}" for case in CASES]
)
def test_each_check_finds_its_problem_with_the_numbers_that_triggered_it(changes, expected, evidence):
    result = audit(_with(*changes), today=TODAY)
    row = _found(result, expected[0], expected[1])
    assert (row["severity"], row["action"]) == expected[2:]
    assert evidence in row["evidence"]
    if expected[1] not in ("no_hub", "retired") and expected[2] != "low":
        assert result.action_of(expected[0]) == expected[3]


def test_a_healthy_tool_near_its_renewal_is_a_note_not_a_warning():
    result = audit(_with(("Site", {"contract_renewal": "2026-12-15"})), today=TODAY)
    assert _found(result, "Site", "renewal")["severity"] == "info"
    assert set(result.findings["severity"]) == {"info"}
    due = result.renewals.set_index("tool").loc["Site"]
    assert due["notice_deadline"] == pd.Timestamp("2026-11-15") and due["days_to_deadline"] == 15
    assert bool(due["in_window"]) and not bool(due["deadline_passed"])


def test_the_renewal_window_is_a_parameter():
    changed = _with(("Site", {"contract_renewal": "2026-12-15"}))
    assert audit(changed, today=TODAY, renewal_window_days=10).renewals["in_window"].sum() == 0
    assert audit(changed, today=TODAY, renewal_window_days=15).renewals["in_window"].sum() == 1


def test_a_missing_notice_period_counts_as_zero_days():
    result = audit(_with(("Site", {"notice_period_days": "", "contract_renewal": "2026-11-20"})), today=TODAY)
    row = result.renewals.set_index("tool").loc["Site"]
    assert row["notice_deadline"] == pd.Timestamp("2026-11-20") and row["notice_period_days"] == 0


def test_zero_active_users_or_seats_give_an_explained_gap_never_infinity():
    result = audit(
        _with(("Webinar Hub", {"active_users": 0}), ("Planner", {"seats": 0, "active_users": 0})), today=TODAY
    )
    table = result.utilization.set_index("tool")
    assert math.isnan(table.loc["Webinar Hub", "cost_per_active_user"])
    assert "no active users" in table.loc["Webinar Hub", "note"]
    assert math.isnan(table.loc["Planner", "utilization_pct"])
    assert "no seats recorded" in table.loc["Planner", "note"]
    assert not result.utilization.select_dtypes("number").isin([float("inf"), float("-inf")]).any().any()
    assert table.loc["CRM One", "cost_per_active_user"] == pytest.approx(20000 / 9, abs=0.01)


def test_costs_by_category_and_owner_add_up():
    result = audit(_with(("Site", {"owner": ""})), today=TODAY)
    assert result.cost_by_category["annual_cost"].sum() == 43200
    assert result.cost_by_category.iloc[0].tolist() == ["CRM", 1, 20000.0, 46.3]
    owners = result.cost_by_owner.set_index("owner")
    assert owners.loc["(no owner)", "annual_cost"] == 3000 and owners.loc["Ana", "tools"] == 2
    assert result.cost_by_owner["share_pct"].sum() == pytest.approx(100, abs=0.2)


def test_retired_tools_are_out_of_the_live_stack():
    result = audit(_with(("Mailer", {**MAILER, "status": "Cancelled", "annual_cost": "0"})), today=TODAY)
    assert "Mailer" not in set(result.actions["tool"]), "a retired tool gets no action"
    assert result.redundant == [], "a retired tool overlaps with nothing"
    assert _found(result, "Mailer", "retired")["severity"] == "low", "but its personal data must be gone"
    assert result.size_benchmark["tools"] == 8


def test_size_benchmark_by_company_size():
    small = audit(_clean(), today=TODAY)
    assert small.size_benchmark["benchmark"] == "25-50 apps" and "CabinetM" in small.size_benchmark["source"]
    many = pd.concat(
        [_clean()] + [pd.DataFrame([{**MAILER, "tool": f"Tool {i}", "category": "seo"}]) for i in range(50)],
        ignore_index=True,
    ).fillna("")
    row = _found(audit(many, today=TODAY), "(whole stack)", "size")
    assert (row["severity"], row["action"]) == ("low", "review")
    assert "58 live tools; small and mid-sized businesses commonly run 25-50 apps" in row["evidence"]
    assert audit(many, today=TODAY, company_size="enterprise").size_benchmark["benchmark"] == "more than 250 apps"


def test_a_file_and_a_dataframe_give_the_same_audit(tmp_path):
    path = tmp_path / "stack.csv"
    changed = _with(("Webinar Hub", {"active_users": 0}))
    changed.to_csv(path, index=False)
    from_file, from_frame = audit(path, today=TODAY), audit(changed, today=TODAY)
    pd.testing.assert_frame_equal(from_file.findings, from_frame.findings)
    assert from_file.inventory.label == "stack.csv"


USERS_EXPORT = (
    "\ufeffTool Name;Type;Tool Owner;Status;Annual Spend;Licenses;Active Seats;Renewal Date;Notice Period;PII;DPA\r\n"
    "Café CRM;Customer Relationship Management;Zoë;Active;12000,50;10;8;2027-06-01;30;Yes;Yes\r\n"
    "Big Automation;Marketing Automation;Zoë;in use;9000;5;4;2027-06-01;30;Yes;Yes\r\n"
    "Second MAP;MAP;Zoë;Live;3000;3;2;2027-06-01;30;Yes;Yes\r\n"
    "Newsletters;E-mail;Ola;Active;1200;2;2;2027-06-01;30;Yes;No\r\n"
    "Enricher;Data enrichment;Ola;Trial;4000;2;2;2027-06-01;30;Yes;Yes\r\n"
    "Points;Loyalty;Ola;On hold;2000;4;1;2027-06-01;30;Yes;Yes\r\n"
    "Old Webinars;Webinars;Ola;retired;0;0;0;;;No;\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_users_export_with_their_own_column_names_and_labels(tmp_path, encoding):
    path = tmp_path / "our_stack.csv"
    text = USERS_EXPORT if encoding == "utf-8" else USERS_EXPORT.lstrip("\ufeff")
    path.write_bytes(text.encode(encoding))
    result = audit(path, today=TODAY)
    frame = result.inventory.frame.set_index("tool")
    assert frame.loc["Café CRM", "annual_cost"] == 12000.5 and frame.loc["Café CRM", "owner"] == "Zoë"
    assert frame["category"].tolist()[:5] == [
        "crm",
        "marketing_automation",
        "marketing_automation",
        "email",
        "data_enrichment",
    ]
    assert frame.loc["Points", "category"] == "Loyalty", "an unknown label loads as written"
    assert frame.loc["Second MAP", "category_label"] == "MAP", "the file's own label is kept"
    assert frame["status"].tolist() == ["in_use", "in_use", "in_use", "in_use", "evaluating", "On hold", "retired"]
    assert _found(result, "Points", "category_label")["severity"] == "low"
    assert _found(result, "Points", "status_label")["severity"] == "low"
    assert _found(result, "Newsletters", "privacy_dpa")["severity"] == "high"
    assert result.action_of("Second MAP") == "consolidate"
    labels = result.labels.set_index("as_written")
    assert labels.loc["MAP", "read_as"] == "marketing_automation" and not labels.loc["Loyalty", "known"]
    assert set(result.skipped) == {"logins", "integrations"}
    assert "Not checked, for lack of columns: integrations, logins." in result.summary()


def test_an_inventory_of_three_columns_is_audited_and_says_what_it_skipped():
    frame = pd.DataFrame({"Tool": ["A", "B"], "Category": ["crm", "email"], "Cost": [100, 0]})
    result = audit(frame, today=TODAY)
    assert set(result.skipped) == {
        "seat utilization and cost per active user",
        "logins",
        "ownership",
        "integrations",
        "renewals",
        "privacy",
    }
    assert result.health.parts.set_index("part")["score"].isna().sum() == 4
    assert result.findings["check"].tolist() == ["size"]
    assert result.cost_by_owner["owner"].tolist() == ["(owners not recorded)"]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            lambda t: t.replace("category,", "kind,", 1),
            "column 'category' is missing; the file has: tool, vendor, kind",
        ),
        (
            lambda t: t.replace("2027-06-01,30,false", "01/06/2027,30,false"),
            "row 4: 'contract_renewal' must be a date written YYYY-MM-DD, like 2026-03-31 (got '01/06/2027')",
        ),
        (
            lambda t: t.replace("in_use,3000,", "in_use,-3000,"),
            "row 4: 'annual_cost' must be an amount of money, 0 or more, like 1200.50 (got '-3000')",
        ),
        (
            lambda t: t.replace("in_use,3000,4,3,", "in_use,3000,4,7,"),
            "row 4: 'active_users' must be at most 'seats' (got seats=4, active_users=7)",
        ),
        (lambda t: t.replace("Planner,", "Site,"), "row 9: 'tool' must be unique (got 'Site' more than once)"),
        (
            lambda t: t.replace(",false,", ",maybe,", 1),
            "row 4: 'holds_personal_data' must be true or false (yes/no and 1/0 are accepted too) (got 'maybe')",
        ),
    ],
    ids=["missing-column", "bad-date", "negative-cost", "more-users-than-seats", "duplicate-tool", "bad-bool"],
)
def test_bad_inventories_name_row_and_column(tmp_path, edit, problem):
    path = tmp_path / "inventory.csv"
    path.write_text(edit(CLEAN))
    with pytest.raises(DataError) as info:
        audit(path, today=TODAY)
    assert problem in str(info.value)
    assert str(info.value).startswith("inventory.csv does not fit the 'martech_stack' table")


def test_a_bad_dataframe_names_its_row_too():
    frame = _with(("Site", {"annual_cost": "-1"}))
    with pytest.raises(DataError, match=r"the inventory DataFrame does not fit .*\n  - row 4: 'annual_cost' must be"):
        audit(frame, today=TODAY)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"today": "31/10/2026"},
            "audit: 'today' must be a date written YYYY-MM-DD, like 2026-03-31 (got '31/10/2026'); it looks day-first "
            "(31 October 2026): write 2026-10-31",
        ),
        ({"renewal_window_days": -5}, "audit: 'renewal_window_days' must be a whole number, 0 or more (got -5)"),
        (
            {"stale_after_days": True},
            "audit: 'stale_after_days' must be a whole number (got True); True/False stand for yes/no",
        ),
        ({"low_utilization_pct": 150}, "audit: 'low_utilization_pct' must be a percent from 0 to 100 (got 150)"),
        ({"low_utilization_pct": 0.5}, "0.5 looks like a fraction: write 50 for 50%"),
        ({"company_size": "huge"}, "'company_size' must be one of smb, enterprise (got 'huge')"),
        ({"health_weights": {"fun": 1}}, "unknown health part(s) fun in 'health_weights'; valid: utilization"),
    ],
)
def test_bad_thresholds_are_refused_by_name(options, message):
    with pytest.raises(ParameterError) as info:
        audit(_clean(), **{"today": TODAY, **options})
    assert message in str(info.value)


def test_every_bad_threshold_is_named_at_once():
    with pytest.raises(ParameterError, match=r"thresholds: 'today' must be .*\nthresholds: 'stale_after_days' must be"):
        thresholds(today="soon", stale_after_days=-1)


def test_health_weights_change_the_score():
    frame = _with(("Site", {"owner": ""}))
    even = audit(frame, today=TODAY).health
    assert even.score == pytest.approx((100 * 4 + 100 * 7 / 8) / 5, abs=0.1)
    assert even.weakest() == "ownership"
    owners_only = audit(
        frame, today=TODAY, health_weights={"utilization": 0, "integration": 0, "privacy": 0, "focus": 0}
    ).health
    assert owners_only.score == 87.5


def test_the_sample_stack_has_the_flaws_the_lesson_teaches():
    result = audit(load("martech_stack"), today=as_of())
    actions = dict(zip(result.actions["tool"], result.actions["action"], strict=True))
    assert actions["Legacy Webinars"] == "sunset"
    assert actions["Mailchimp"] == "consolidate" and actions["Adobe Analytics"] == "consolidate"
    assert actions["Social Scheduler Pro"] == "renegotiate"
    assert actions["Event Hub"] == "review" and actions["Survey Pro"] == "review"
    assert actions["Salesforce Sales Cloud"] == "keep" and actions["Google Ads"] == "keep"
    jobs = {g["job"]: g["tools"] for g in result.redundant}
    assert jobs["email"] == ["HubSpot Marketing Hub", "Mailchimp"]
    assert jobs["analytics"] == ["Google Analytics 4", "Adobe Analytics"]
    assert "ads" not in jobs
    no_dpa = result.privacy[result.privacy["problems"].str.contains("no signed DPA")]["tool"].tolist()
    assert no_dpa == ["Event Hub"], "Semrush has no DPA but holds no personal data"
    assert ["Adobe Analytics", "Adobe Experience Manager"] in result.integrations.isolated_groups
    assert len(result.renewals[result.renewals["in_window"]]) == 9
    assert result.findings["evidence"].str.len().min() > 10, "every finding carries its evidence"


def test_the_practice_stack_has_flaws_of_its_own():
    result = audit(load("practice_stack"), today=as_of())
    actions = dict(zip(result.actions["tool"], result.actions["action"], strict=True))
    assert {t: actions[t] for t in ("Pardot", "Crowdcast", "Hootsuite", "ZoomInfo", "Marketo Engage", "Typeform")} == {
        "Pardot": "consolidate",
        "Crowdcast": "sunset",
        "Hootsuite": "renegotiate",
        "ZoomInfo": "review",
        "Marketo Engage": "keep",
        "Typeform": "review",
    }
    assert _found(result, "Drift", "integration_target")["evidence"].startswith("integrates_with names 'SFDC'")
    assert "Campaign Monitor" not in actions


def test_the_capstone_stack_plants_only_duplicates_a_mops_lead_agrees_with():
    from mopskit.content import load_table

    result = audit(load_table("capstone_stack"), today=as_of())
    jobs = {g["job"]: g["tools"] for g in result.redundant}
    assert jobs == {
        "email": ["Marketo Engage", "Mailchimp"],  # marketing email from the automation platform and a second tool
        "webinar": ["ON24", "Livestorm"],
        "chat": ["Intercom", "Drift"],
    }
    actions = dict(zip(result.actions["tool"], result.actions["action"], strict=True))
    assert {t for t, a in actions.items() if a == "consolidate"} == {"Mailchimp", "Drift"}
    # look-alikes that do different jobs: product vs web analytics, documents vs chat, sales sequences vs ABM
    frame = result.inventory.frame
    categories = dict(zip(frame["tool"], frame["category"], strict=True))
    assert categories["Mixpanel"] == "product_analytics" and categories["Notion"] == "project_management"
    assert categories["Outreach"] == "sales_engagement"
    assert "SendGrid" not in actions, "transactional email is not the automation platform's job"


def test_findings_use_only_the_documented_vocabularies():
    result = audit(load("martech_stack"), today=as_of())
    assert set(result.findings["severity"]) <= set(SEVERITIES)
    assert set(result.findings["action"]) <= set(ACTIONS)
    assert set(result.findings["check"]) <= set(CHECKS)
    ranks = result.findings["severity"].map(SEVERITIES.index)
    assert ranks.is_monotonic_decreasing, "most severe first"
    with pytest.raises(ParameterError, match="unknown severity 'urgent'; valid: info, low, medium, high"):
        result.by_severity("urgent")
    with pytest.raises(ParameterError, match="there is no tool 'Slak' in the inventory; tools: "):
        result.action_of("Slak")


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Marketing Automation", "marketing_automation"),
        ("MAP", "marketing_automation"),
        ("E-mail", "email"),
        ("Data enrichment", "data_enrichment"),
        ("  customer relationship management ", "crm"),
        ("Account-Based Marketing", "abm"),
        ("Loyalty", None),
    ],
)
def test_category_labels(label, expected):
    assert category_of(label) == expected


@pytest.mark.parametrize(
    ("label", "expected"), [("in use", "in_use"), ("Active", "in_use"), ("retired", "retired"), ("Pilot", "evaluating")]
)
def test_status_labels(label, expected):
    assert status_of(label) == expected


def test_the_taxonomy_covers_the_issue_and_no_label_means_two_things():
    ids = {c.id for c in categories()}
    wanted = "crm marketing_automation email cms analytics cdp ads social seo webinar events project_management"
    assert set(wanted.split()) | {"data_warehouse", "data_enrichment", "chat", "abm", "survey"} <= ids
    from mopskit.data._schema import normalize_name

    for entries in (categories(), statuses()):
        owners: dict[str, str] = {}
        for entry in entries:
            for label in {entry.id, entry.name, *entry.aliases}:
                key = normalize_name(label)
                assert owners.setdefault(key, entry.id) == entry.id, f"'{label}' means {owners[key]} and {entry.id}"
        assert all(c.description for c in entries)
    for entry in categories():
        assert set(entry.covers) <= ids


def test_stack_facts_cite_their_sources():
    facts = stack_facts()
    assert "25-50 apps" in facts["figure"].tolist() and "9%" in facts["figure"].tolist()
    assert "33.8%" in facts["figure"].tolist(), "a third of MOps people sunset tools"
    assert facts["source"].str.len().min() > 10


def test_integration_map_groups_and_unknown_names():
    stack = pd.DataFrame(
        {
            "tool": ["CRM", "A", "B", "C", "D"],
            "category": ["crm", "analytics", "cms", "design", "survey"],
            "integrates_with": ["A", "b", "", None, "Nowhere; crm"],
        }
    )
    graph = integration_map(stack)
    assert graph.groups[0] == ["A", "B", "CRM", "D"] and graph.isolated_groups == [["C"]]
    assert graph.nodes.set_index("tool")["reach"].to_dict() == {
        "CRM": "hub",
        "A": "direct",
        "B": "indirect",
        "C": "not needed",
        "D": "direct",
    }
    assert graph.unknown_targets.values.tolist() == [["D", "Nowhere"]]


def test_plots_draw_what_the_audit_found():
    import matplotlib

    matplotlib.use("Agg")
    from mopskit.stack.plots import (
        map_layout,
        plot_costs,
        plot_health,
        plot_integration_map,
        plot_renewal_calendar,
        plot_utilization,
    )

    result = audit(load("martech_stack"), today=as_of())
    figure = plot_integration_map(result)
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert set(result.actions["tool"]) <= texts
    assert len(figure.axes[0].lines) == len(result.integrations.edges)
    assert map_layout(result.integrations) == map_layout(audit(load("martech_stack"), today=as_of()).integrations)
    calendar = plot_renewal_calendar(result)
    shown = [t.get_text() for t in calendar.axes[0].get_yticklabels()]
    assert shown == result.renewals["tool"].iloc[::-1].tolist()
    assert len(plot_costs(result).axes) == 2
    assert len(plot_utilization(result).axes[0].patches) == 2 * result.utilization["utilization_pct"].notna().sum()
    assert len(plot_health(result).axes[0].patches) == 5
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize(
    "module", ["__init__", "taxonomy", "checks", "usage", "contracts", "integrations", "audit", "plots", "report"]
)
def test_the_docstring_examples_run(module):
    import doctest
    import importlib

    name = "mopskit.stack" + ("" if module == "__init__" else f".{module}")
    outcome = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert outcome.failed == 0
    assert outcome.attempted > 0


def test_action_costs_give_each_live_tool_its_cost_and_action_headed_for_people():
    from mopskit.i18n import language
    from mopskit.present import shown

    stack = load("martech_stack")
    result = audit(stack, today=as_of())
    with language("th"):
        costs = result.action_costs()
    assert costs.columns.tolist() == ["tool", "annual_cost", "action"]
    assert set(costs["tool"]) == set(result.actions["tool"])
    assert dict(zip(costs["tool"], costs["action"], strict=True)) == dict(
        zip(result.actions["tool"], result.actions["action"], strict=True)
    )
    assert costs.set_index("tool")["annual_cost"].to_dict() == {
        t: c for t, c in zip(stack["tool"], stack["annual_cost"], strict=True) if t in set(costs["tool"])
    }
    assert shown(costs).columns.tolist() == ["tool", "annual_cost", "การดำเนินการ"]
