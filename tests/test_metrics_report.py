"""The metrics report: parameters refused before any kernel starts, and the report run end to end."""

import pytest

from mopskit import reports
from mopskit.errors import ParameterError
from mopskit.metrics.report import (
    build_report,
    executive_summary,
    kpi_tiles,
    load_report_data,
    table_style,
    validate_parameters,
)

GOOD = {"dataset": "bundled", "start": "2026-01-01", "end": "2026-03-31", "channels": [], "currency": "EUR"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"start": "2026-04-01"},
            r"metrics_report: 'start' must be on or before 'end' \(2026-03-31\) \(got '2026-04-01'\); swap",
        ),
        ({"end": "31.03.2026"}, r"'end' must be a date written YYYY-MM-DD"),
        ({"channels": ["email", "tv"]}, r"unknown channel\(s\) 'tv'; valid: content, direct, direct_mail, email"),
        (
            {"start": "2030-01-01", "end": "2030-12-31"},
            r"no data between 2030-01-01 and 2030-12-31.* cover 2024-05-01 to",
        ),
        ({"dataset": "no/such/folder"}, r"'dataset' must be 'bundled' or a folder"),
        ({"events": "no/such/events.parquet"}, r"'events' must be an existing CSV or Parquet file"),
        ({"currency": " "}, r"'currency' must be a label"),
    ],
)
def test_wrong_values_are_refused_with_the_fix(change, message):
    with pytest.raises(ParameterError, match=message):
        validate_parameters({**GOOD, **change})


def test_a_dataset_folder_missing_tables_lists_them(tmp_path):
    (tmp_path / "campaigns.csv").write_text("x\n")
    with pytest.raises(ParameterError, match=r"lacks contacts.csv, touchpoints.csv, budget.csv, email_events.parquet"):
        validate_parameters({**GOOD, "dataset": str(tmp_path)})


def test_a_channel_with_no_data_in_the_period_is_refused():
    validate_parameters({**GOOD, "channels": ["events"]})
    with pytest.raises(ParameterError, match="for the channels direct_mail"):
        validate_parameters({**GOOD, "start": "2026-10-30", "end": "2026-10-31", "channels": ["direct_mail"]})


def test_summary_and_tiles_on_the_sample():
    report = build_report(load_report_data(), start="2026-01-01", end="2026-03-31")
    summary = " ".join(executive_summary(report, currency="EUR"))
    assert "This report covers 2026-01-01 to 2026-03-31, all channels" in summary
    assert "opened" in summary and "EUR" in summary and "Data quality of the raw contacts" in summary
    tiles = kpi_tiles(report, currency="EUR")
    assert "Open rate" in tiles and "%" in tiles
    html = table_style(report.economics, currency="EUR").to_html()
    assert "EUR" in html and "n/a" in html


@pytest.mark.slow
def test_the_command_writes_readable_html(tmp_path, capsys):
    from mopskit.cli import main

    args = ["report", "metrics_report", "-p", "start=2026-01-01", "-p", "end=2026-06-30", "-p", "channels=email"]
    assert main([*args, "--out", str(tmp_path), "-q"]) == 0
    page = (tmp_path / "metrics_report.html").read_text()
    for expected in ("Executive summary", "Email performance", "Budget against plan", "overspend", "Attribution"):
        assert expected in page
    assert page.count("data:image/png;base64") >= 3
    assert "validate_parameters" not in page, "code is hidden"
    assert main(["report", "metrics_report", "-p", "start=2026-07-01", "--out", str(tmp_path / "no")]) == 1
    assert "'start' must be on or before 'end'" in capsys.readouterr().err


@pytest.mark.slow
def test_bad_values_fail_before_any_kernel_starts(tmp_path):
    with pytest.raises(ParameterError, match="report 'metrics_report': unknown channel"):
        reports.run_report("metrics_report", parameters={"channels": "emial"}, out_dir=tmp_path / "never")
    assert not (tmp_path / "never").exists()


@pytest.mark.slow
def test_report_on_a_folder_of_exports_with_parquet_events(tmp_path):
    from mopskit.data.generate import generate

    folder = tmp_path / "exports"
    generate(seed=11, scale=2, out_dir=folder, parquet=True)
    (folder / "email_events.csv").unlink()  # only the Parquet copy: computed in DuckDB
    result = reports.run_report(
        "metrics_report",
        parameters={"dataset": str(folder), "start": "2026-02-01", "end": "2026-05-31"},
        out_dir=tmp_path,
    )
    page = result.html.read_text()
    assert "on the tables in" in page and "email sends went to" in page
