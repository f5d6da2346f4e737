"""The stack audit report: its parameters refused before any kernel starts, and real papermill runs."""

import html
import re

import pytest

from mopskit import reports
from mopskit.cli import main
from mopskit.errors import ParameterError
from mopskit.stack.report import report_audit, resolve_inventory, validate_report

EXPORT = (
    "\ufeffTool Name;Type;Tool Owner;Status;Annual Spend;Licenses;Active Seats;Integrations;Renewal Date;"
    "Notice Period;PII;DPA;Last Privacy Review\r\n"
    "Café CRM;Customer Relationship Management;Zoë;Active;12000,50;10;8;Big Automation;2027-06-01;30;Yes;Yes;"
    "2026-09-01\r\n"
    "Big Automation;Marketing Automation;Zoë;in use;9000;5;4;Café CRM;2027-06-01;30;Yes;Yes;2026-09-01\r\n"
    "Second MAP;MAP;Zoë;Live;3000;3;1;;2026-12-15;30;Yes;Yes;2026-09-01\r\n"
    "Points;Loyalty;;On hold;2000;4;1;;2027-06-01;30;Yes;No;2024-01-01\r\n"
)


def _info():
    return reports.report_info("stack_audit_report")


def test_the_report_names_its_validator_and_parameters():
    info = _info()
    assert info.validator == "mopskit.stack.report:validate_report"
    assert list(info.parameters) == [
        "inventory",
        "today",
        "renewal_window_days",
        "low_utilization_pct",
        "stale_after_days",
        "review_max_age_days",
        "company_size",
    ]
    assert all(p.help for p in info.parameters.values())


def test_the_report_defaults_are_the_audit_defaults():
    # papermill needs literal defaults in the notebook, so they are written there once more: they must not drift
    import ast
    import dataclasses

    from mopskit.stack.checks import Thresholds

    parameters = _info().parameters
    for field in dataclasses.fields(Thresholds):
        if field.name != "today":
            assert ast.literal_eval(parameters[field.name].default) == field.default, field.name


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"inventory": "exports/stack.csv"}, r"there is no file 'exports/stack.csv' \(working folder: .+\)"),
        (
            {"today": "2026-02-30"},
            r"'today' must be a date written YYYY-MM-DD, like 2026-03-31 \(got '2026-02-30'\); no such day",
        ),
        ({"renewal_window_days": "-1"}, r"'renewal_window_days' must be a whole number, 0 or more \(got -1\)"),
        ({"low_utilization_pct": "120"}, r"'low_utilization_pct' must be a percent from 0 to 100 \(got 120.0\)"),
        ({"company_size": "mid"}, r"'company_size' must be one of smb, enterprise \(got 'mid'\)"),
        ({"renewal_window_days": "soon"}, r"'renewal_window_days' must be int \(got 'soon'\)"),
    ],
)
def test_wrong_values_are_refused_before_any_kernel_starts(values, message, tmp_path):
    with pytest.raises(ParameterError, match=r"report 'stack_audit_report': .*" + message):
        reports.run_report("stack_audit_report", parameters=values, out_dir=tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_an_inventory_that_does_not_fit_is_refused_with_row_and_column(tmp_path):
    path = tmp_path / "stack.csv"
    path.write_text("tool,category,annual_cost,contract_renewal\nA,crm,100,2027-01-01\nB,email,-5,31/12/2026\n")
    with pytest.raises(ParameterError) as info:
        reports.coerce_parameters(_info(), {"inventory": str(path)})
    text = str(info.value)
    assert "'inventory' cannot be audited: stack.csv does not fit the 'martech_stack' table (2 problems)" in text
    assert "row 3: 'annual_cost' must be an amount of money, 0 or more" in text
    assert "row 3: 'contract_renewal' must be a date written YYYY-MM-DD" in text


def test_bundled_inventories_are_audited_as_of_their_export_day():
    validate_report({"inventory": "sample", "today": None})
    result, label = report_audit({"inventory": "practice", "today": ""})
    assert result.limits.today.isoformat() == "2026-10-31" and "practice" in label
    _source, label = resolve_inventory("sample")
    assert label == "the bundled sample inventory"
    from mopskit._resources import datasets_dir

    by_path, label = report_audit({"inventory": str(datasets_dir() / "martech_stack.csv")})
    assert by_path.limits.today.isoformat() == "2026-10-31" and label == "the file 'martech_stack.csv'"


@pytest.mark.slow
def test_the_report_on_the_bundled_stack_is_a_page_a_manager_can_read(tmp_path):
    result = reports.run_report("stack_audit_report", out_dir=tmp_path)
    page = result.html.read_text()
    for expected in (
        "Martech stack audit",
        "Audit of the bundled sample inventory, as of 2026-10-31.",
        "The stack holds 21 live tools costing $317,600 a year",
        "Its health score is",
        "High (",
        "Event Hub holds personal data without a signed data processing agreement (DPA).",
        "holds_personal_data = yes, dpa_signed = no",  # the evidence
        "0 of 4 seats active; $5,200 a year; last login 2026-03-04",
        "Connected only among themselves:",
        "Adobe Analytics, Adobe Experience Manager",
        "Renewal calendar",
        "Stack-size benchmark: 25-50 apps",
    ):
        assert expected in page, expected
    plots = re.findall(r'src="data:image/png;base64', page)
    assert len(plots) == 5, "health, costs, seats, integration map, renewal calendar"
    assert "report_audit(" not in page, "code is hidden"


@pytest.mark.slow
def test_the_report_on_a_users_export_with_their_own_names(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "our stack.csv").write_bytes(EXPORT.encode("utf-8"))
    code = main(
        [
            "report",
            "stack_audit_report",
            "-p",
            "inventory=our stack.csv",
            "-p",
            "today=2026-10-31",
            "--out",
            "out",
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr().err
    page = html.unescape((tmp_path / "out" / "stack_audit_report.html").read_text())
    for expected in (
        "Audit of the file 'our stack.csv', as of 2026-10-31.",
        "Café CRM",
        "Second MAP does the same job (marketing automation) as Big Automation.",
        "The category 'Loyalty' is not in the taxonomy",
        "category as written: 'Loyalty'",
        "Nobody owns Points",
        "Not checked, for lack of columns: logins.",
    ):
        assert expected in page, expected
