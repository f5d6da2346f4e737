"""The MOps health check: every finding on hand-made exports with known answers, the example company, the report."""

import filecmp
import html
import json
import math
import re

import pandas as pd
import pytest

from mopskit.cli import main
from mopskit.errors import DataError, ParameterError
from mopskit.health import PARTS, health_check, health_score
from mopskit.health.email_health import robust_z
from mopskit.health.examples import AS_OF, example_exports, write_example_exports

HUBSPOT = (
    "Record ID,Email,Contact owner,Lifecycle Stage,Create Date,Became a Lead Date,"
    "Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,Became an Opportunity Date,"
    "Became a Customer Date,First outreach date,Unsubscribed from all email"
)
EVENTS = "id,created,type,recipient,emailCampaignId,portalSubscriptionStatus"
MAILCHIMP = "Email Address,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LEID"
MAILCHIMP_UNSUB = "Email Address,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,UNSUB_TIME,LEID"
SALESFORCE = "Id,CampaignId,LeadId,ContactId,Status,HasResponded,FirstRespondedDate,CreatedDate,Email"


def _ms(stamp):
    return str(int(pd.Timestamp(stamp).timestamp() * 1000))


def _write(folder, name, header, rows):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *(",".join(map(str, r)) for r in rows)]) + "\n", encoding="utf-8")
    return path


def _contact(
    rid,
    email,
    stage="Lead",
    created="2026-01-05 10:00",
    owner="",
    mql="",
    sql="",
    touch="",
    optout="false",
    opp="",
    customer="",
):
    lead = created if stage != "Subscriber" else ""
    return [rid, email, owner, stage, created, lead, mql, sql, opp, customer, touch, optout]


def _check(folder, tmp_path, **options):
    options.setdefault("as_of", "2026-03-31")
    return health_check(folder, out_dir=tmp_path / "report", **options)


def _rows(result, finding):
    evidence = pd.read_csv(result.out_dir / result.finding(finding).csv)
    return sorted(zip(evidence["file"], evidence["row"], strict=True))


@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def test_data_quality_findings_with_known_answers(exports, tmp_path):
    _write(
        exports,
        "hubspot.csv",
        HUBSPOT,
        [
            _contact(1, "ana.pop@example.com"),
            _contact(2, " Ana.Pop@Example.com ", created="2026-02-01 10:00"),  # the same person, entered again
            _contact(3, "tom at example.com"),  # not an address
            _contact(4, ""),  # no address
            _contact(5, "mei@example.com", stage=""),  # no stage
            _contact(
                6, "wei@example.com", stage="Marketing Qualified Lead", mql="2026-01-10 10:00", touch="2026-01-10 12:00"
            ),  # an MQL with no owner
            _contact(
                7,
                "lina@example.com",
                stage="Sales Qualified Lead",
                owner="Sara",
                mql="2026-02-10 10:00",
                sql="2026-02-01 10:00",
                touch="2026-02-10 11:00",
            ),  # SQL before MQL
            _contact(
                8, "paul@example.com", stage="Customer", owner="Sara", mql="2026-01-06 10:00", touch="2026-01-06 11:00"
            ),  # a customer with no customer date
            _contact(
                9,
                "ioana@example.com",
                stage="Opportunity",
                owner="Sara",
                mql="2026-01-06 10:00",
                touch="2026-01-06 11:00",
                opp="2062-01-20 10:00",
            ),  # a year typed wrong
            _contact(10, "niran@example.com", created="0000-00-00 00:00"),  # a date nobody can read
        ],
    )
    _write(exports, "subscribed_members_export_aa11.csv", MAILCHIMP, [["ana.pop@example.com", 2, "", "2026-01-01", 9]])
    result = _check(exports, tmp_path)
    assert _rows(result, "duplicates") == [("hubspot.csv", 2), ("hubspot.csv", 3)], "Mailchimp's Ana is no duplicate"
    assert result.finding("duplicates").count == 1
    assert _rows(result, "invalid_emails") == [("hubspot.csv", 4), ("hubspot.csv", 5)]
    assert _rows(result, "missing_stage") == [("hubspot.csv", 6)]
    assert _rows(result, "missing_owner") == [("hubspot.csv", 7)]
    problems = pd.read_csv(result.out_dir / result.finding("stage_dates").csv).set_index("row")["problem"]
    assert problems.to_dict() == {
        8: "mql date after sql date",
        9: "stage customer but no customer date",
        10: "opportunity date in the future",
    }
    unreadable = pd.read_csv(result.out_dir / result.finding("unreadable").csv)
    assert unreadable[["row", "unreadable"]].values.tolist() == [
        [11, "Create Date: 0000-00-00 00:00; Became a Lead Date: 0000-00-00 00:00"]
    ]
    part = result.health.parts.set_index("part").loc["quality"]
    assert part["score"] == round(100 * (11 - 9) / 11, 1)  # 10 HubSpot records and 1 Mailchimp, 9 with a problem


def test_consent_findings_with_known_answers(exports, tmp_path):
    _write(
        exports,
        "hubspot.csv",
        HUBSPOT,
        [
            _contact(1, "ana@example.com"),
            _contact(2, "tom@example.com", optout="true"),
            _contact(3, "mei@example.com"),
            _contact(4, "wei@example.com"),
        ],
    )
    _write(exports, "subscribed_members_export_aa11.csv", MAILCHIMP, [["tom@example.com", 2, "", "2025-12-01", 1]])
    _write(
        exports,
        "unsubscribed_members_export_aa11.csv",
        MAILCHIMP_UNSUB,
        [
            ["ana@example.com", 2, "2025-11-01", "2025-11-01", "2026-01-10 08:00:00", 2],
            # Wei unsubscribed, then signed up again later: the later send is fine
            ["wei@example.com", 2, "2026-02-01 08:00:00", "2026-02-01 08:05:00", "2026-01-10 08:00:00", 3],
        ],
    )
    _write(
        exports,
        "events.csv",
        EVENTS,
        [
            ["a1", _ms("2026-01-05 09:00"), "SENT", "ana@example.com", 100, ""],  # before the unsubscribe: fine
            ["a2", _ms("2026-02-05 09:00"), "SENT", "ana@example.com", 200, ""],  # after it, from another system
            ["m1", _ms("2026-01-05 09:00"), "SENT", "mei@example.com", 100, ""],
            ["m2", _ms("2026-01-05 12:00"), "STATUSCHANGE", "mei@example.com", 100, "UNSUBSCRIBED"],
            ["m3", _ms("2026-02-05 09:00"), "SENT", "mei@example.com", 200, ""],  # after her own unsubscribe
            ["w1", _ms("2026-02-05 09:00"), "SENT", "wei@example.com", 200, ""],  # after she opted in again
        ],
    )
    result = _check(exports, tmp_path)
    after = pd.read_csv(result.out_dir / result.finding("emailed_after_unsubscribe").csv)
    assert after[["person", "row"]].values.tolist() == [["ana@example.com", 3], ["mei@example.com", 6]]
    assert after["unsub_system"].tolist() == ["Mailchimp", "HubSpot"]
    conflict = result.finding("consent_conflict")
    # Ana: Mailchimp unsubscribed, HubSpot not; Tom: HubSpot opted out, Mailchimp subscribed; Wei likewise
    assert conflict.count == 3
    assert result.finding("emailed_after_unsubscribe").severity == "high"
    graced = health_check(exports, out_dir=tmp_path / "graced", as_of="2026-03-31", consent_grace_hours=24 * 40)
    assert "emailed_after_unsubscribe" not in {f.id for f in graced.findings}


def _campaign_events(campaign, sent, bounced, unsubscribed, start="2026-01-05 09:00"):
    rows = []
    for i in range(sent):
        who = f"p{campaign}-{i}@example.com"
        rows.append([f"{campaign}-s{i}", _ms(start), "SENT", who, campaign, ""])
        kind = "BOUNCE" if i < bounced else "DELIVERED"
        rows.append([f"{campaign}-d{i}", _ms(start), kind, who, campaign, ""])
        if bounced <= i < bounced + unsubscribed:
            rows.append([f"{campaign}-u{i}", _ms(start), "STATUSCHANGE", who, campaign, "UNSUBSCRIBED"])
    return rows


def test_email_outliers_against_the_company_s_own_sends(exports, tmp_path):
    rows = []
    for campaign, bounced in zip(range(1, 7), (4, 6, 5, 3, 5, 4), strict=True):
        rows += _campaign_events(campaign, 200, bounced, 1)
    rows += _campaign_events(7, 200, 40, 1)  # a bought list: 20% bounces
    rows += _campaign_events(8, 200, 5, 12)  # an audience that did not expect it: 6% unsubscribes
    rows += _campaign_events(9, 50, 20, 0)  # too small to judge
    _write(exports, "events.csv", EVENTS, rows)
    result = _check(exports, tmp_path)
    outliers = result.finding("email_outliers")
    assert outliers.evidence["campaign_id"].tolist() == ["7", "8"] and outliers.count == 2
    assert outliers.severity == "high"
    table = result.tables["email_by_campaign"].set_index("campaign_id")
    assert table.loc["7", "bounce_rate"] == 20.0 and table.loc["9", "flags"] == ""
    assert result.health.parts.set_index("part").loc["email", "score"] == round(100 * 6 / 8, 1)
    assert robust_z(pd.Series([1.0, 1.0, 1.0])).tolist() == [0.0, 0.0, 0.0]


def test_sla_breaches_in_business_hours_from_the_first_sales_touch_or_the_sql_date(exports, tmp_path):
    mql = "Marketing Qualified Lead"
    rows = [
        _contact(1, "a@x.com", mql, owner="Sara", mql="2026-03-02 10:00", touch="2026-03-02 16:00"),  # 6 h
        _contact(2, "b@x.com", mql, owner="Sara", mql="2026-03-06 16:00", touch="2026-03-09 10:00"),  # Fri-Mon: 2 h
        _contact(3, "c@x.com", mql, owner="Sara", mql="2026-03-02 10:00", touch="2026-03-04 10:00"),  # 16 h
        _contact(4, "d@x.com", mql, owner="Tom", mql="2026-03-02 10:00"),  # never reached
        _contact(5, "e@x.com", mql, owner="Tom", mql="2026-03-31 08:00"),  # 8 h by the end of the day: still in time
    ]
    _write(exports, "hubspot.csv", HUBSPOT, rows)
    result = _check(exports, tmp_path)
    breaches = pd.read_csv(result.out_dir / result.finding("sla_breaches").csv)
    assert breaches[["row", "problem"]].values.tolist() == [[4, "late"], [5, "never touched"]]
    assert breaches["business_hours"].tolist()[0] == 16.0
    by_owner = result.tables["sla_by_owner"].set_index("owner")
    assert by_owner.loc["Sara", ["mqls", "met", "late"]].tolist() == [3, 2, 1]
    assert by_owner.loc["Tom", ["never_touched", "waiting"]].tolist() == [1, 1]
    funnel = result.health.parts.set_index("part").loc["funnel"]
    assert funnel["score"] == 50.0 and "09:00-17:00, Mon-Fri, UTC" in funnel["explanation"]
    assert "Most breaches: Tom (1)" in result.finding("sla_breaches").summary  # a tie: the worse compliance
    stricter = health_check(exports, out_dir=tmp_path / "strict", as_of="2026-03-31", sla_hours=4)
    assert stricter.finding("sla_breaches").count == 4  # the 6-hour touch is late now, and the newest MQL too
    # an earlier closing time: the Monday touch at 16:00 comes after a 15:00 close, so 5 hours; the same verdicts
    short = health_check(exports, out_dir=tmp_path / "short", as_of="2026-03-31", business_hours="09:00-15:00")
    assert short.finding("sla_breaches").count == 2
    # no first-touch column: the clock stops at the SQL date
    header = HUBSPOT.replace(",First outreach date", "")
    _write(exports, "hubspot.csv", header, [[*r[:10], r[11]] for r in rows[:2]])
    fallback = _check(exports, tmp_path / "again")
    assert fallback.finding("sla_breaches").count == 2
    assert "SQL date" in fallback.health.parts.set_index("part").loc["funnel", "explanation"]


def test_the_sla_is_measured_as_lead_management_measures_it(tmp_path):
    import inspect

    from mopskit.health import Settings
    from mopskit.leads import sla_report, sla_status

    assert Settings().sla_hours == inspect.signature(sla_status).parameters["sla_hours"].default
    result = health_check(example_exports(), out_dir=tmp_path / "report", as_of=AS_OF, write_report=False)
    contacts = pd.read_csv(example_exports() / "hubspot" / "all-contacts.csv", dtype=str, keep_default_na=False)
    mqls = pd.DataFrame(
        {
            "contact_id": contacts["Record ID"],
            "owner": contacts["Contact owner"].replace("", None),
            "mql_at": pd.to_datetime(contacts["Became a Marketing Qualified Lead Date"].replace("", None)),
            "first_sales_touch_at": pd.to_datetime(contacts["First outreach date"].replace("", None)),
        }
    ).dropna(subset=["mql_at"])
    direct = sla_report(mqls, as_of=pd.Timestamp(AS_OF) + pd.Timedelta(hours=23, minutes=59, seconds=59))
    assert result.finding("sla_breaches").count == len(direct.breaches)
    ours = result.tables["sla_by_owner"].set_index("owner")[["mqls", "met", "late", "never_touched", "waiting"]]
    theirs = direct.by_owner.set_index("owner")[["mqls", "met", "late", "never_touched", "waiting"]]
    pd.testing.assert_frame_equal(ours.sort_index(), theirs.sort_index(), check_dtype=False)


def test_campaign_response_findings(exports, tmp_path):
    rows = []
    for campaign in ("701A", "701B", "701C"):
        for i in range(3):
            responded = "false" if campaign == "701C" else "true"  # 701C set 'Attended' up as no response
            date = "" if campaign == "701C" else "2026-01-10"
            rows.append(
                [
                    f"00v{campaign}{i}",
                    campaign,
                    f"00Q{i}",
                    "",
                    "Attended",
                    responded,
                    date,
                    "2026-01-02T10:00:00.000Z",
                    f"p{i}@x.com",
                ]
            )
    rows.append(["00vX1", "701A", "00Q7", "", "Registered", "true", "", "2026-01-02T10:00:00.000Z", "q@x.com"])
    rows.append(["00vX2", "701A", "00Q8", "", "No Show", "false", "2026-01-03", "2026-01-02T10:00:00.000Z", "r@x.com"])
    rows.append(
        ["00vX3", "701A", "00Q9", "", "Registered", "true", "2025-12-30", "2026-01-02T10:00:00.000Z", "s@x.com"]
    )
    rows.append(["00vX4", "701A", "", "", "Registered", "true", "2026-01-05", "2026-01-02T10:00:00.000Z", "t@x.com"])
    _write(exports, "members.csv", SALESFORCE, rows)
    result = _check(exports, tmp_path)
    mismatch = pd.read_csv(result.out_dir / result.finding("response_mismatch").csv).set_index("row")["problem"]
    assert mismatch.to_dict() == {
        11: "responded but no first responded date",
        12: "a first responded date but not responded",
        13: "responded before being added to the campaign",
        14: "neither a lead nor a contact",
    }
    assert _rows(result, "status_definitions") == [("members.csv", r) for r in (8, 9, 10)]
    assert result.health.parts.set_index("part").loc["campaigns", "score"] == round(100 * 6 / 13, 1)


def _ga4_line(day, name, source=None, hour=9):
    stamp = pd.Timestamp(f"{day} {hour:02d}:00")
    params = [{"key": "source", "value": {"string_value": source}}] if source else []
    return json.dumps(
        {
            "event_date": stamp.strftime("%Y%m%d"),
            "event_timestamp": str(int(stamp.timestamp() * 1_000_000)),
            "event_name": name,
            "event_params": params,
            "user_pseudo_id": f"{day}-{hour}",
        }
    )


def test_tracking_gaps_and_untagged_leads(exports, tmp_path):
    days = pd.date_range("2026-03-01", "2026-03-10").strftime("%Y-%m-%d")
    contacts = [_contact(i, f"p{i}@x.com", created=f"{d} 10:00") for i, d in enumerate(days, 1)]
    _write(exports, "hubspot.csv", HUBSPOT, contacts)
    silent = {"2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09"}  # three days in a row, and a single day
    lines = [
        _ga4_line(d, "generate_lead", source=None if d == "2026-03-02" else "google") for d in days if d not in silent
    ]
    (exports / "events_202603.json").write_text("\n".join(lines) + "\n")
    result = _check(exports, tmp_path)
    gaps = result.finding("tracking_gaps")
    assert gaps.count == 3 and _rows(result, "tracking_gaps") == [("hubspot.csv", r) for r in (5, 6, 7)]
    assert "2026-03-04 to 2026-03-06" in gaps.summary
    untagged = result.finding("untagged_leads")
    assert untagged.count == 1 and untagged.out_of == 6
    assert result.health.parts.set_index("part").loc["tracking", "score"] == 70.0


def test_the_stack_audit_and_systems_missing_from_the_inventory(exports, tmp_path, files):
    from mopskit._resources import datasets_dir

    (exports / "martech_stack.csv").write_bytes((datasets_dir() / "martech_stack.csv").read_bytes())
    (exports / "marketo.csv").write_bytes((files / "exports" / "marketo_activities.csv").read_bytes())
    _write(exports, "hubspot.csv", HUBSPOT, [_contact(1, "a@x.com")])
    result = _check(exports, tmp_path, as_of=AS_OF)
    assert result.finding("unlisted_systems").evidence["system"].tolist() == ["Marketo"]
    audit = pd.read_csv(result.out_dir / result.finding("stack_audit").csv)
    assert {"file", "row", "tool", "severity"} <= set(audit.columns) and "info" not in set(audit["severity"])
    assert audit.loc[audit["tool"] == "Salesforce Sales Cloud", "row"].unique().tolist() in ([], [2])
    assert result.inventory == "martech_stack.csv"


def test_the_example_company_every_planted_problem_found_with_its_rows(tmp_path):
    planted = write_example_exports(tmp_path / "northwind")
    for path in sorted(p for p in (tmp_path / "northwind").rglob("*") if p.is_file()):
        bundled = example_exports() / path.relative_to(tmp_path / "northwind")
        assert filecmp.cmp(path, bundled, shallow=False), (
            f"{bundled} differs from what the generator writes; regenerate with "
            "mopskit.health.examples.write_example_exports('datasets/exports/northwind')"
        )
    result = health_check(example_exports(), out_dir=tmp_path / "report", as_of=AS_OF)
    found = {f.id: f for f in result.findings}
    for finding, rows in planted.rows.items():
        assert set(_rows(result, finding)) == rows, finding
    for finding, count in planted.counts.items():
        assert found[finding].count == count, finding
    assert set(found) == {*planted.rows, *planted.counts, "stack_audit", "unlisted_systems", "untagged_leads"}
    assert [f.id for f in result.fix_first()] == ["emailed_after_unsubscribe", "consent_conflict", "email_outliers"]
    html = result.report.read_text()
    assert "MOps health check: northwind" in html and html.count('class="card"') == len(result.findings)
    assert "evidence/duplicates.csv" in html and "data:image/png;base64," in html and "<script" not in html
    first = found["emailed_after_unsubscribe"].evidence.iloc[0]
    assert first["row"] >= 1000 and f'<td class="num">{first["row"]}</td>' in html, "row numbers as a sheet shows them"


def test_a_clean_company_flags_nothing(tmp_path):
    write_example_exports(tmp_path / "clean", clean=True)
    result = health_check(tmp_path / "clean", out_dir=tmp_path / "report", as_of=AS_OF)
    assert result.findings == []
    assert result.score == 100.0 and result.health.parts["score"].notna().all()
    assert "Nothing to fix was found." in result.summary()
    assert not (tmp_path / "report" / "evidence").exists() or not any((tmp_path / "report" / "evidence").iterdir())


def test_the_report_escapes_what_the_exports_say(exports, tmp_path):
    _write(exports, "hubspot.csv", HUBSPOT, [_contact(1, "<script>alert(1)</script> at x.com"), _contact(2, "")])
    result = _check(exports, tmp_path)
    html = result.report.read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; at x.com" in html
    assert json.loads((tmp_path / "report" / "summary.json").read_text())["findings"][0]["id"] == "invalid_emails"
    assert list(pd.read_csv(tmp_path / "report" / "findings.csv")["id"]) == ["invalid_emails"]


def test_a_second_run_leaves_no_stale_evidence(exports, tmp_path):
    _write(exports, "hubspot.csv", HUBSPOT, [_contact(1, "bad address")])
    _check(exports, tmp_path)
    _write(exports, "hubspot.csv", HUBSPOT, [_contact(1, "good@x.com")])
    result = _check(exports, tmp_path)
    assert result.findings == [] and not list((tmp_path / "report" / "evidence").glob("*.csv"))


def test_bad_parameters_are_refused_before_anything_runs(exports, tmp_path):
    with pytest.raises(ParameterError, match="unknown setting"):
        health_check(exports, out_dir=tmp_path / "r", sla_hour=24)
    with pytest.raises(ParameterError, match="health_check: 'sla_hours' must be a number, 0 or more"):
        health_check(exports, out_dir=tmp_path / "r", sla_hours=-1)
    with pytest.raises(ParameterError, match="health_check: 'as_of' must be a date written YYYY-MM-DD"):
        _write(exports, "hubspot.csv", HUBSPOT, [_contact(1, "a@x.com")])
        health_check(exports, out_dir=tmp_path / "r", as_of="31.02.2026")
    with pytest.raises(ParameterError, match="unknown health part"):
        health_check(exports, out_dir=tmp_path / "r2", weights={"speed": 2})
    with pytest.raises(ParameterError, match="health_check: 'min_sends' must be a whole number"):
        health_check(exports, out_dir=tmp_path / "r", min_sends=2.5)
    with pytest.raises(ParameterError, match="parse_business_hours: 'business_hours' must be written HH:MM-HH:MM"):
        health_check(exports, out_dir=tmp_path / "r", business_hours="9 to 5")
    with pytest.raises(ParameterError, match="health_check: 'time_zone' must be an IANA time zone name"):
        health_check(exports, out_dir=tmp_path / "r", time_zone="CET+1")
    with pytest.raises(ParameterError, match=r"health_score: 'weights\['consent'\]' must be a number, 0 or more"):
        health_check(exports, out_dir=tmp_path / "r", weights={"consent": -1})
    with pytest.raises(DataError, match="no such folder"):
        health_check(tmp_path / "missing", out_dir=tmp_path / "r3")
    assert not (tmp_path / "r2").exists() and not (tmp_path / "r3").exists()


def test_the_health_score_is_the_weighted_mean_of_the_parts_scored():
    result = health_score({"consent": (50.0, "a"), "quality": (100.0, "b")}, weights={"consent": 3})
    assert result.score == 62.5 and result.weakest() == "consent"
    assert list(result.parts["part"]) == list(PARTS)
    assert math.isnan(health_score({}).score)


def test_the_command_runs_one_folder_in_process(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["health", str(example_exports()), "--out", str(out), "--as-of", AS_OF, "--sla-hours", "72", "-q"]) == 0
    printed = capsys.readouterr().out
    assert "1. [high] Emailed after unsubscribing" in printed and f"Report: {out / 'health_report.html'}" in printed
    assert main(["health", str(tmp_path / "nope"), "-q"]) == 1
    assert "no such folder" in capsys.readouterr().err
    assert main(["health", str(example_exports()), "--workers", "2", "-q"]) == 1
    capsys.readouterr()
    assert main(["health", "--formats"]) == 0
    formats = capsys.readouterr().out
    assert "GA4 BigQuery event export (Google Analytics 4) -> web_events; files: json, parquet" in formats
    assert "microseconds" in formats and "recognised by: Record ID, Email, and one of Lifecycle Stage" in formats
    assert main(["health"]) == 1


def test_the_command_s_help_states_the_check_s_own_defaults(capsys):
    from mopskit.health import Settings

    with pytest.raises(SystemExit):
        main(["health", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    defaults = Settings()
    assert f"(default: {defaults.sla_hours:g})" in text and f"(default: '{defaults.business_hours}')" in text
    assert f"(default: {defaults.time_zone})" in text and f"(default: {defaults.min_sends})" in text


def test_the_command_reads_unrecognised_exports_through_a_mapping_file(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "Person ID,Mail,Stage,Added\n1,a@x.com,Hot,2026-01-05\n2,b@x.com,Customer,2026-01-06\n"
        "3,a@x.com,Hot,2026-01-07\n"
    )
    mapping = tmp_path / "columns.yaml"
    mapping.write_text(
        "files:\n  - file: people.csv\n    table: contacts\n    system: Pipedrive\n"
        "    columns: {record_id: Person ID, email: Mail, lifecycle_stage: Stage, created_at: Added}\n"
        "    values: {lifecycle_stage: {Hot: mql}}\n"
    )
    out = tmp_path / "report"
    assert main(["health", str(folder), "-q"]) == 1
    assert "people.csv: not an export the kit recognises" in capsys.readouterr().err
    assert main(["health", str(folder), "--map", str(mapping), "--out", str(out), "-q"]) == 0
    assert "[medium] Duplicate records" in capsys.readouterr().out
    imports = pd.read_csv(out / "imports.csv")
    assert imports[["file", "system", "rows"]].values.tolist() == [["people.csv", "Pipedrive", 3]]
    duplicates = pd.read_csv(out / "evidence" / "duplicates.csv")
    assert sorted(duplicates["row"]) == [2, 4] and (out / "health_report.html").is_file()


@pytest.mark.slow
def test_several_folders_at_once(tmp_path, capsys):
    for name, clean in (("emea", False), ("apac", True)):
        write_example_exports(tmp_path / name, clean=clean)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "x.csv").write_text("a,b\n1,2\n")
    code = main(
        [
            "health",
            str(tmp_path / "emea"),
            str(tmp_path / "apac"),
            str(tmp_path / "broken"),
            "--out",
            str(tmp_path / "out"),
            "--as-of",
            AS_OF,
            "--workers",
            "2",
            "-q",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 1 and "broken" in printed and "FAILED" in printed and "not an export the kit recognises" in printed
    assert (tmp_path / "out" / "emea" / "health_report.html").is_file()
    assert (tmp_path / "out" / "apac" / "health_report.html").is_file()


@pytest.mark.slow
def test_the_report_under_papermill_shows_every_finding_of_the_example(tmp_path):
    from mopskit import reports
    from mopskit.health.examples import example_check

    result = reports.run_report("health_report", out_dir=tmp_path)
    page = result.html.read_text(encoding="utf-8")
    for heading in ("Summary", "Consent", "Data quality", "Email health", "Funnel and SLA", "Campaign responses"):
        assert f">{heading}<" in page, heading
    for finding in example_check().findings:
        assert html.escape(finding.title) in page, finding.id
    assert "Fix first" in page and page.count("data:image/png;base64") >= 4
    assert "validate_parameters" not in page and "Traceback" not in page, "code hidden, nothing failed"
    assert "evidence/" not in page, "no link to evidence CSVs that are not beside the page"


@pytest.mark.slow
def test_the_report_on_a_clean_company_has_no_finding_in_any_part(tmp_path):
    from mopskit import reports

    write_example_exports(tmp_path / "clean", clean=True)
    result = reports.run_report(
        "health_report", parameters={"exports": str(tmp_path / "clean"), "as_of": AS_OF}, out_dir=tmp_path / "out"
    )
    page = result.html.read_text(encoding="utf-8")
    assert page.count("No finding in this part.") == 7 and "Nothing to fix was found." in page


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"exports": "no/such/folder"}, "'exports' must be 'example' or the folder holding the exports"),
        ({"sla_hours": -1}, "health_check: 'sla_hours' must be a number, 0 or more"),
        ({"business_hours": "9 to 5"}, "parse_business_hours: 'business_hours' must be written HH:MM-HH:MM"),
        ({"time_zone": "CET+1"}, "health_check: 'time_zone' must be an IANA time zone name"),
        ({"as_of": "31.10.2026"}, "health_report: 'as_of' must be a date written YYYY-MM-DD"),
        ({"mapping": "no/columns.yaml"}, "'mapping' must be an existing mapping file"),
    ],
)
def test_the_report_refuses_bad_parameters_before_a_kernel_starts(monkeypatch, tmp_path, given, message):
    from mopskit import reports

    monkeypatch.setattr(reports, "execute_report", lambda *a, **k: pytest.fail("a kernel started"))
    with pytest.raises(ParameterError, match=re.escape(message)):
        reports.run_report("health_report", parameters=given, out_dir=tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_the_tables_of_a_check_keep_their_names_for_code_and_are_headed_for_people():
    from mopskit.health.examples import example_check
    from mopskit.i18n import language
    from mopskit.present import shown

    english = example_check().finding("emailed_after_unsubscribe").evidence
    with language("th"):
        check = example_check()
        imports, findings = check.imports_table(), check.findings_table()
        evidence = check.finding("emailed_after_unsubscribe").evidence
    assert shown(english).columns.tolist()[:4] == ["system", "file", "row", "person"], "each language its own"
    assert imports.columns.tolist()[:3] == ["file", "export", "system"]
    assert findings.columns.tolist()[:4] == ["id", "section", "severity", "title"]
    assert shown(imports[["file", "export", "rows"]]).columns.tolist() == ["ไฟล์", "ไฟล์ส่งออก", "จำนวนแถว"]
    assert shown(findings.sort_values("title")[["severity", "summary"]]).columns.tolist() == ["ความรุนแรง", "สรุป"]
    assert shown(evidence.head()).columns.tolist()[:4] == ["ระบบ", "ไฟล์", "แถว", "บุคคล"]
    assert "campaign_id" in shown(evidence).columns, "a field of the data keeps its name"
    assert set(findings["severity"]) <= {"high", "medium", "low", "info"}, "the data keeps the English"
    assert "Consent" in set(findings["section"])
    with language("th"):
        thai = shown(check.findings_table())
    assert "ความยินยอม" in set(thai["หมวด"]) and "สูง" in set(thai["ความรุนแรง"])


def test_the_report_in_thai_names_its_sections_and_heads_its_tables_in_thai():
    from mopskit.health import section_name
    from mopskit.health.examples import example_check
    from mopskit.health.report import section_html
    from mopskit.i18n import language

    with language("th"):
        page = section_html(example_check(), "consent")
        assert [section_name("consent"), section_name("Data quality")] == ["ความยินยอม", "คุณภาพข้อมูล"]
    assert "<th>ระบบ</th>" in page and "<th>บุคคล</th>" in page and "<th>person</th>" not in page
