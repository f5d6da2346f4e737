"""The vendor evaluation report: parameters refused before any kernel starts, the memo, and real papermill runs."""

import html
import re

import pytest

from mopskit import reports
from mopskit.cli import main
from mopskit.errors import ParameterError
from mopskit.selection.report import decision_memo, validate_report

REPORT = "vendor_evaluation_report"

# A team's own files: Excel's ";" CSV in Windows-1252, their own column names (most read by the usual spellings,
# one mapped), their own priority labels, scores with notes, and an inventory in their own names too.
NEEDS = (
    "Ref;Need;Requested by;MoSCoW;Importance\r\n"
    "S1;Single sign-on;IT;Must have;\r\n"
    "S2;Signed DPA;Légal;Mandatory;\r\n"
    "W1;Webinar templates;Marketing;Should;3\r\n"
    "W2;Live chat during events;Sales;Could;1\r\n"
)
OFFERS = (
    "Supplier;Plan;Annual licence;Per user;Setup fee;Admin hours;Uplift at renewal;Risks;S1;S2;W1;W2\r\n"
    "Aurora Halls;Pro;6000;500;2000;40;5;New on the market;yes;yes;4 - très bien;2\r\n"
    "Beacon Rooms;Team;4000;400;1000;60;3;Support by email only;yes;no;5;5\r\n"
    "Cobalt Stage;Plus;5000;450;1500;50;4;;yes;yes;3;5\r\n"
)
INVENTORY = (
    "Tool Name;Type;Annual Spend;Licenses;Active Seats;Renewal Date;Notice Period;PII;Integrations\r\n"
    "Old Webinars;Webinar;9000;6;5;2027-09-01;60;Yes;Big CRM\r\n"
    "Big CRM;CRM;20000;10;9;2027-12-01;90;Yes;Old Webinars\r\n"
)


@pytest.fixture
def team_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, text in (("needs.csv", NEEDS), ("offers.csv", OFFERS), ("stack.csv", INVENTORY)):
        (tmp_path / name).write_bytes(text.encode("cp1252"))
    return tmp_path


def _info():
    return reports.report_info(REPORT)


def test_the_report_names_its_validator_and_documents_every_parameter():
    info = _info()
    assert info.validator == "mopskit.selection.report:validate_report"
    assert list(info.parameters)[:4] == ["requirements", "vendors", "horizon_years", "current_tool"]
    assert all(p.help for p in info.parameters.values())
    assert info.title == "Vendor evaluation"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"requirements": "needs.csv"}, r"'requirements' must be a bundled scenario \(email_vendor, event_platform\)"),
        ({"horizon_years": "0"}, r"vendor_evaluation_report: 'horizon_years' must be a whole number, 1 or more"),
        ({"horizon_years": "11"}, r"'horizon_years' must be at most 10 \(got 11\)"),
        ({"current_tool": "Mailchump"}, r"'current_tool': there is no tool 'Mailchump' in the inventory; tools: "),
        ({"seats": "0"}, r"'seats' must be a whole number, 1 or more \(got 0\)"),
        ({"start": "31/12/2026"}, r"'start' must be a date written YYYY-MM-DD.*it looks day-first"),
        ({"sensitivity_change": "0"}, r"'sensitivity_change' must be a number, more than 0"),
        ({"hourly_rate": "cheap"}, r"'hourly_rate' must be float \(got 'cheap'\)"),
        ({"inventory": "nowhere.csv"}, r"'inventory' must be 'sample' or the path of a stack inventory file"),
        ({"requirements": "event_platform"}, r"'vendors' cannot be read: (.|\n)*no column for requirement 'E1'"),
    ],
)
def test_wrong_values_are_refused_before_any_kernel_starts(values, message, tmp_path):
    with pytest.raises(ParameterError, match=r"report 'vendor_evaluation_report': .*" + message):
        reports.run_report(REPORT, parameters=values, out_dir=tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_a_vendors_file_that_does_not_fit_is_refused_with_row_and_column(team_files):
    (team_files / "bad.csv").write_text(OFFERS.replace("4 - très bien", "9").replace("4000", "-4000"))
    mapping = {"Annual licence": "platform_fee"}
    with pytest.raises(ParameterError) as info:
        validate_report(
            {
                "requirements": "needs.csv",
                "vendors": "bad.csv",
                "current_tool": "none",
                "seats": 5,
                "vendor_columns": mapping,
            }
        )
    text = str(info.value)
    assert "'vendors' cannot be read: bad.csv does not fit the 'vendors' table" in text
    assert "row 3: 'platform_fee' must be an amount of money, 0 or more" in text
    fine = OFFERS.replace("4 - très bien", "9")
    (team_files / "bad.csv").write_text(fine)
    with pytest.raises(ParameterError, match=r"row 2, column 'W1': a score must be a number from 0 to 5"):
        validate_report({"requirements": "needs.csv", "vendors": "bad.csv", "current_tool": "none", "seats": 5})


def test_a_mapping_that_names_no_column_is_refused(team_files):
    values = {"requirements": "needs.csv", "vendors": "offers.csv", "current_tool": "none", "seats": 5}
    with pytest.raises(ParameterError, match=r"the column mapping names 'Licence', which is not a column of the file"):
        validate_report({**values, "vendor_columns": {"Licence": "platform_fee"}})


def test_user_files_need_seats_when_the_inventory_has_none(team_files):
    values = {"requirements": "needs.csv", "vendors": "offers.csv", "current_tool": "none"}
    with pytest.raises(ParameterError, match=r"'seats' is needed: give the seats the new tool needs"):
        validate_report(values)


def test_the_memo_on_a_teams_own_files(team_files):
    memo = decision_memo(
        {
            "requirements": "needs.csv",
            "vendors": "offers.csv",
            "vendor_columns": {"Annual licence": "platform_fee"},
            "current_tool": "Old Webinars",
            "inventory": "stack.csv",
            "start": "2027-01-04",
            "hourly_rate": 40,
        }
    )
    assert memo.evaluation.refused == {"Beacon Rooms (Team)": "misses the must-have S2 (Signed DPA)"}
    # W1 weight 3, W2 weight 1, out of 20 points: Aurora 12 + 2 = 14, Cobalt 9 + 5 = 14: a tie, listed by name
    assert memo.evaluation.winner == "Aurora Halls (Pro)" and memo.evaluation.score_of("Cobalt Stage (Plus)") == 70
    assert any("tie at 70/100" in note for note in memo.notes)
    # a tie: cost decides. Cobalt: 5000 + 6 × 450 a year + 1500 once + (50 h a year) × 40; Aurora: 6000 + 6 × 500 ...
    assert memo.tied == ("Aurora Halls (Pro)", "Cobalt Stage (Plus)")
    assert memo.costs["Cobalt Stage (Plus)"].total < memo.costs["Aurora Halls (Pro)"].total
    assert memo.recommended == "Cobalt Stage (Plus)" and memo.plan.new_tool == "Cobalt Stage (Plus)"
    assert memo.settings["seats"] == 6, "the current tool's seats in the inventory"
    assert memo.contract.renewal.isoformat() == "2027-09-01"
    assert memo.plan.notice_deadline.isoformat() == "2027-07-03"
    assert "Reconnect Big CRM" in memo.plan.timeline["step"].tolist(), "an integration to rebuild"
    assert memo.stay.total == 3 * 9000 + 0  # no hours or increase given for staying
    assert memo.comparison is not None
    assert "tie at 70/100 on the weighted needs, so cost decides: we recommend Cobalt Stage (Plus)" in (
        memo.recommendation()
    )
    assert "The choice holds unless" not in memo.recommendation(), "a tie leans on no weight"


@pytest.mark.slow
def test_the_report_on_the_bundled_scenario_is_a_memo_a_manager_can_read(tmp_path):
    result = reports.run_report(REPORT, out_dir=tmp_path)
    page = html.unescape(result.html.read_text())
    for expected in (
        "Vendor evaluation",
        "Move to a better email vendor",
        "We recommend Mailvane (Growth): it meets every must-have and scores 78.33/100",
        "switch pays for itself in month 20",
        "Letterloom (Pro) is out: it misses the must-have R3",
        "give HubSpot Marketing Hub notice by 2026-11-16 and cut over on 2027-01-15",
        "the weight of N2 (Deliverability tools",
        "Bought last year by a larger group",  # a risk
        "Training: Sales reps",
        "Runbook for outages and deliverability alerts",
    ):
        assert expected in page, expected
    assert len(re.findall(r'src="data:image/png;base64', page)) == 5, "scores, sensitivity, costs, break-even, plan"
    assert "decision_memo(" not in page, "code is hidden"


@pytest.mark.slow
def test_the_report_on_a_teams_own_files_from_the_command_line(team_files, capsys):
    code = main(
        [
            "report",
            REPORT,
            "-p",
            "requirements=needs.csv",
            "-p",
            "vendors=offers.csv",
            "-p",
            'vendor_columns={"Annual licence": "platform_fee"}',
            "-p",
            "current_tool=Old Webinars",
            "-p",
            "inventory=stack.csv",
            "-p",
            "start=2027-01-04",
            "-p",
            "horizon_years=2",
            "--out",
            "out",
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr().err
    page = html.unescape((team_files / "out" / f"{REPORT}.html").read_text())
    for expected in (
        "Vendor evaluation: needs.csv",
        "so cost decides: we recommend Cobalt Stage (Plus)",
        "Beacon Rooms (Team) is out: it misses the must-have S2 (Signed DPA)",
        "give Old Webinars notice by 2027-07-03",
        "over 2 years",
        "Reconnect Big CRM",
        "très bien",  # the note beside a score, in the explanation
        "Aurora Halls (Pro), Cobalt Stage (Plus) tie at 70/100",
    ):
        assert expected in page, expected
