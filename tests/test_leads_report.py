"""The lead report: parameters refused before any kernel starts, and the report run end to end."""

import pytest

from mopskit import reports
from mopskit.data.generate import generate
from mopskit.errors import ParameterError
from mopskit.leads.report import build_report, executive_summary, load_lead_data, validate_parameters

GOOD = {"dataset": "bundled", "sla_hours": 8, "business_hours": "09:00-17:00 mon-fri", "time_zone": "owner"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sla_hours": 0}, r"lead_report: 'sla_hours' must be a number, more than 0 \(got 0\)"),
        ({"business_hours": "nine to five"}, r"parse_business_hours: 'business_hours' must be written HH:MM-HH:MM"),
        ({"business_hours": "9-17"}, r"'business_hours' must be a time of day written HH:MM, like 09:00 \(got '9'\)"),
        ({"holidays": "2026-12-25, 26/12/2026"}, r"'holidays' must be a date .*\(got '26/12/2026'\)"),
        ({"time_zone": "CET+1"}, r"lead_report: 'time_zone' must be an IANA time zone name"),
        ({"start": "2026-06-01", "end": "2026-05-01"}, r"lead_report: 'start' must be on or before 'end'"),
        ({"as_of": "yesterday"}, r"lead_report: 'as_of' must be a date written YYYY-MM-DD"),
        ({"start": "2030-01-01", "end": "2030-03-31"}, r"no MQL between 2030-01-01 and 2030-03-31 in the bundled"),
        ({"dataset": "no/such/folder"}, r"'dataset' must be 'bundled' or a folder holding contacts and sales_team"),
        ({"contacts": "no/such/contacts.parquet"}, r"'contacts' must be an existing CSV or Parquet file"),
    ],
)
def test_wrong_values_are_refused_with_the_fix(change, message):
    with pytest.raises(ParameterError, match=message):
        validate_parameters({**GOOD, **change})


def test_a_folder_without_the_team_or_the_contacts_says_what_it_lacks(tmp_path):
    with pytest.raises(ParameterError, match=r"has no sales_team\.csv"):
        validate_parameters({**GOOD, "dataset": str(tmp_path)})
    (tmp_path / "sales_team.csv").write_text("owner,time_zone,active\nAna,UTC,true\n")
    with pytest.raises(ParameterError, match=r"has no contacts\.csv or contacts\.parquet"):
        validate_parameters({**GOOD, "dataset": str(tmp_path)})
    (tmp_path / "contacts.csv").write_text("contact_id,mql_at\nc1,2026-01-01\n")
    with pytest.raises(ParameterError, match=r"the tables cannot be read: .*column 'first_sales_touch_at' is missing"):
        validate_parameters({**GOOD, "dataset": str(tmp_path)})


def test_the_summary_names_what_to_fix():
    report = build_report(load_lead_data(), sla_hours=8)
    summary = " ".join(executive_summary(report))
    assert "compliance" in summary and "Sara Lind" in summary and "events" in summary
    assert "Tom Baker" in summary and "fix the rotation first" in summary
    assert "The fallback queue (Lead queue) held" in summary
    wider = " ".join(executive_summary(build_report(load_lead_data(), sla_hours=24, time_zone="Europe/London")))
    assert "within 24 business hours" in wider


def test_a_folder_of_files_gives_the_same_figures_as_the_frames(tmp_path):
    generate(scale=0.2, out_dir=tmp_path, parquet=True, tables=["contacts", "sales_team", "activities"])
    (tmp_path / "contacts.csv").unlink()  # the Parquet copy is read, through DuckDB
    from_files = build_report(load_lead_data(str(tmp_path)), sla_hours=8)
    from mopskit.data import read

    frames = load_lead_data(str(tmp_path))
    frames.contacts = read(tmp_path / "contacts.parquet", table="contacts")
    frames.activities = read(tmp_path / "activities.parquet", table="activities")
    from_frames = build_report(frames, sla_hours=8)
    assert from_files.sla.by_owner.equals(from_frames.sla.by_owner)
    assert executive_summary(from_files) == executive_summary(from_frames)


@pytest.mark.slow
def test_bad_values_fail_before_any_kernel_starts(tmp_path, monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr("papermill.execute_notebook", no_kernel)
    with pytest.raises(ParameterError, match="'sla_hours' must be a number, more than 0"):
        reports.run_report("lead_report", parameters={"sla_hours": -1}, out_dir=tmp_path / "never")
    assert not (tmp_path / "never").exists()


@pytest.mark.slow
def test_the_command_writes_readable_html(tmp_path):
    from mopskit.cli import main

    assert main(["report", "lead_report", "-p", "sla_hours=24", "--out", str(tmp_path), "-q"]) == 0
    page = (tmp_path / "lead_report.html").read_text()
    for expected in ("Executive summary", "The SLA by owner", "The SLA by source", "Breaches", "Stage ageing"):
        assert expected in page
    assert "within 24 business hours" in page
    assert page.count("data:image/png;base64") >= 5
    assert "validate_parameters" not in page, "code is hidden"


@pytest.mark.slow
def test_the_command_reads_a_generated_folder_as_it_reads_a_million_contacts(tmp_path):
    """The path a big file takes (Parquet read by DuckDB), on a small file from the same generator."""
    from mopskit.cli import main

    data = tmp_path / "leads"
    generate(scale=0.3, out_dir=data, parquet=True, tables=["contacts", "sales_team", "activities"])
    for name in ("contacts.csv", "activities.csv"):
        (data / name).unlink()  # only the Parquet copies: read through DuckDB, never loaded whole
    expected = executive_summary(build_report(load_lead_data(str(data)), sla_hours=24))
    args = ["report", "lead_report", "-p", "sla_hours=24", "-p", f"dataset={data}", "--out", str(tmp_path), "-q"]
    assert main(args) == 0
    page = (tmp_path / "lead_report.html").read_text()
    assert f"the tables in {data}" in page
    assert expected[0].split(":")[0] in page, "the summary's first figures are the ones computed from the files"
    assert page.count("data:image/png;base64") >= 5
